// Stage: lint. `iamsim lint`: every policy document of every input checked on its own, every
// world's paths checked with AccessResolver, findings placed in their files, suppressions
// applied and counted.
#pragma once

#include <string>
#include <vector>

#include "engine/semantics.hpp"
#include "lint/finding.hpp"
#include "lint/inputs.hpp"
#include "model/paths/compiled_world.hpp"

namespace iamsim::lint {

// A finding to leave out: a rule id, and a pattern (`*`, `?`) for the ARN the finding is about
// (empty: every finding of the rule). From a scenario's `lint: ignore:` or from --ignore.
struct Suppression {
  std::string rule;
  std::string resource;
  std::string reason;
  SourceLocation where;  // the scenario line, or {"--ignore"}
  std::size_t matched = 0;

  bool matches(const Finding& f) const;
};

// "ID" or "ID@PATTERN", as --ignore takes it; nullopt with `error` for an unknown id.
std::optional<Suppression> parse_suppression(std::string_view text, std::string& error);

struct LintReport {
  std::vector<Finding> findings;    // sorted by file, line, column and rule
  std::vector<Finding> suppressed;  // left out by a suppression
  std::vector<Suppression> suppressions;
  std::vector<std::string> notes;  // what was not checked, and why
  std::size_t files = 0;           // scenario files and policy documents read
  Diagnostics problems;            // bad input: files that could not be read as scenarios or policies
  // The compiled worlds the evidence points into (its decisions name their statements).
  std::vector<std::shared_ptr<const model::CompiledWorld>> worlds;

  std::size_t count(Level level) const;
};

LintReport run_lint(const LintInputs& inputs, std::vector<Suppression> ignores, const Semantics& semantics);

}  // namespace iamsim::lint
