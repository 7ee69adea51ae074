// Stage: model (load). Scenario files (docs/scenario-format.md) -> a frozen World each, with
// diagnostics that name file, line and column. Policies are read but not compiled.
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include "engine/diagnostic.hpp"
#include "model/load/scenario_files.hpp"
#include "model/world.hpp"

namespace iamsim::model {

// One scenario file's world. `world` is null when the file could not be read as a
// scenario at all; otherwise it holds what could be loaded, and is fit to use only when
// ok() (no errors).
struct WorldLoad {
  std::shared_ptr<const World> world;
  Diagnostics diagnostics;
  bool ok() const { return world && !diagnostics.has_errors(); }
};

// What a load reads. Questions about the world alone (can, who-can) need no expectations:
// with world_only they are parsed as YAML, so a syntax error is still reported, but not
// read, which spares large suites most of their loading time.
enum class LoadScope { everything, world_only };

// Loads one scenario file; relative paths in it are read against its folder.
WorldLoad load_world(const std::filesystem::path& file, LoadScope scope = LoadScope::everything);
// The same from text already in memory; `file` names it and anchors relative paths.
WorldLoad load_world_text(std::string_view text, const std::filesystem::path& file,
                          LoadScope scope = LoadScope::everything);

// A WORLD argument of the command line: a scenario file, or a folder holding exactly one.
WorldLoad load_world_argument(const std::filesystem::path& path, LoadScope scope = LoadScope::everything);

// Every scenario under `paths`, each its own world with its own expectations, loaded in
// parallel; `files` keeps the order of find_scenario_files.
struct ScenarioLoad {
  std::vector<WorldLoad> files;
  Diagnostics diagnostics;  // problems finding the files; each file has its own
  bool ok() const;
  Diagnostics all_diagnostics() const;  // finding problems, then each file's, in order
};
ScenarioLoad load_scenarios(const std::vector<std::filesystem::path>& paths);

}  // namespace iamsim::model
