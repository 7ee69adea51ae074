// Stage: lint. What `iamsim lint PATH...` reads: scenario files (each a world) and bare policy
// documents (JSON). Every file or folder is offered to the readers in turn, and the first
// that claims it reads it; a folder no reader claims is searched. A reader of AWS export
// folders (design section 5a) plugs in as one more entry of `input_readers()`.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/diagnostic.hpp"
#include "engine/syntax/ast.hpp"
#include "model/load/scenario_loader.hpp"

namespace iamsim::lint {

struct PolicyFile {
  std::string path;
  std::string text;
  syntax::PolicyKind kind = syntax::PolicyKind::Identity;  // guessed from the document
};

struct LintInputs {
  std::vector<model::WorldLoad> worlds;
  std::vector<PolicyFile> policies;  // not counting those a world refers to (linted there)
  Diagnostics diagnostics;           // unreadable or unrecognised input: bad input
};

// `named`: the path was given on the command line (an unclaimed file is then an error); false
// for a file met while searching a folder (an unclaimed one is skipped, like a manifest).
struct InputReader {
  const char* what;  // "scenario file", "policy document"
  bool (*claims)(const std::filesystem::path& path, bool is_folder);
  void (*read)(const std::filesystem::path& path, LintInputs& into);
};
const std::vector<InputReader>& input_readers();

LintInputs read_lint_inputs(const std::vector<std::filesystem::path>& paths);

}  // namespace iamsim::lint
