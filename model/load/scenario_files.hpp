// Stage: model (load). Finding the files to read: the scenario files among the paths of a
// command line, and the manifests in a cluster's manifest folder.
#pragma once

#include <filesystem>
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
// Kubernetes `kind`: a scenario with a wrong or misspelt apiVersion. other: anything else.
enum class ScenarioFileKind { scenario, misversioned, other };
ScenarioFileKind scenario_file_kind(const std::filesystem::path& file);
// Is this file a scenario (a mapping with `apiVersion: iamsim/v1`)?
bool is_scenario_file(const std::filesystem::path& file);

namespace load {

inline constexpr std::string_view scenario_api_version = "iamsim/v1";

// *.yaml, *.yml or *.json.
bool is_yaml_or_json(const std::filesystem::path& file);

// The YAML and JSON files under a folder, recursively, each path normalized, sorted.
std::vector<std::filesystem::path> yaml_files_under(const std::filesystem::path& folder);

}  // namespace load
}  // namespace iamsim::model
