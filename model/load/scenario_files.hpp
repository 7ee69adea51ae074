// Stage: model (load). Finding the files to read: the scenario files among the paths of a
// command line, and the manifests in a cluster's manifest folder.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/diagnostic.hpp"

namespace iamsim::model {

// The scenario files among `paths`: files as given (each must be a scenario), folders
// searched recursively for *.yaml, *.yml and *.json files with `apiVersion: iamsim/v1`,
// or plainly meant as one (see ScenarioFileKind), so that loading reports their apiVersion;
// the policies and manifests beside them are not scenarios. Sorted within a folder.
struct ScenarioFiles {
  std::vector<std::filesystem::path> files;
  Diagnostics diagnostics;
};
ScenarioFiles find_scenario_files(const std::vector<std::filesystem::path>& paths);

// scenario: `apiVersion: iamsim/v1` at the top. misversioned: no such apiVersion, but a
// top-level key only a scenario has (`expectations`, `accounts`, `organization`) and no
// Kubernetes `kind`: a scenario with a wrong or misspelt apiVersion. other: anything else,
// and a file that cannot be read, when `unreadable` (if given) says why.
enum class ScenarioFileKind { scenario, misversioned, other };
ScenarioFileKind scenario_file_kind(const std::filesystem::path& file, std::string* unreadable = nullptr);
// Is this file a scenario (a mapping with `apiVersion: iamsim/v1`)?
bool is_scenario_file(const std::filesystem::path& file, std::string* unreadable = nullptr);

namespace load {

inline constexpr std::string_view scenario_api_version = "iamsim/v1";

// *.yaml, *.yml or *.json.
bool is_yaml_or_json(const std::filesystem::path& file);

// The YAML and JSON files under a folder, recursively (links to folders are not followed),
// each path normalized (unless `normalize` is false), sorted. A folder that cannot be
// listed, or a YAML or JSON entry that is no readable regular file, is an error `code`
// naming it: nothing is left out silently. A subfolder for which `whole` says true (an export
// folder inside a tree of scenarios) is not walked but listed in `whole_folders`.
std::vector<std::filesystem::path> yaml_files_under(const std::filesystem::path& folder, Diagnostics& diagnostics,
                                                    const std::string& code, bool normalize = true,
                                                    const std::function<bool(const std::filesystem::path&)>& whole = {},
                                                    std::vector<std::filesystem::path>* whole_folders = nullptr);

}  // namespace load
}  // namespace iamsim::model
