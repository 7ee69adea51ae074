// Stage: model (load). Scenario file discovery, and the files of a manifest folder.
#include "model/load/scenario_files.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "model/load/yaml_support.hpp"

namespace iamsim::model {

namespace fs = std::filesystem;

namespace load {

bool is_yaml_or_json(const fs::path& file) {
  auto ext = file.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

std::vector<fs::path> yaml_files_under(const fs::path& folder) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(folder, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->is_regular_file(ec) && is_yaml_or_json(it->path())) files.push_back(it->path().lexically_normal());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace load

namespace {

// Top-level keys only a scenario has: a folder's file with one of them is plainly meant as
// a scenario, so a wrong or misspelt apiVersion is an error, not a reason to skip it.
constexpr std::string_view scenario_only_keys[] = {"expectations", "accounts", "organization"};

bool is_json_text(std::string_view t) {
  const std::size_t first = t.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && t[first] == '{';
}

// JSON: is "apiVersion" a key whose value is "iamsim/v1"?
bool json_says_scenario(std::string_view t) {
  for (std::size_t at = t.find("\"apiVersion\""); at != std::string_view::npos; at = t.find("\"apiVersion\"", at + 1)) {
    std::size_t v = t.find_first_not_of(" \t\r\n", at + 12);
    if (v == std::string_view::npos || t[v] != ':') continue;
    v = t.find_first_not_of(" \t\r\n", v + 1);
    if (v != std::string_view::npos &&
        t.substr(v).rfind(std::string("\"") + std::string(load::scenario_api_version) + "\"", 0) == 0)
      return true;
  }
  return false;
}

// JSON: an apiVersion with another value, and a key that only scenarios have; a policy, a
// manifest or another tool's report (which may well hold "accounts") has not both.
bool json_looks_like_scenario(std::string_view t) {
  if (t.find("\"apiVersion\"") == std::string_view::npos || t.find("\"Statement\"") != std::string_view::npos ||
      t.find("\"kind\"") != std::string_view::npos)
    return false;
  for (auto key : scenario_only_keys)
    if (t.find("\"" + std::string(key) + "\"") != std::string_view::npos) return true;
  return false;
}

// YAML, line by line: the first top-level apiVersion decides; without a right one, a
// top-level key only scenarios have (and no Kubernetes `kind:`) makes it plainly a scenario.
ScenarioFileKind yaml_kind(std::string_view t) {
  bool scenario_key = false, kind_key = false;
  for (std::size_t line = 0; line < t.size();) {
    std::size_t end = t.find('\n', line);
    if (end == std::string_view::npos) end = t.size();
    std::string_view l = t.substr(line, end - line);
    line = end + 1;
    if (l.rfind("apiVersion:", 0) == 0) {
      l.remove_prefix(11);
      while (!l.empty() && (l.front() == ' ' || l.front() == '\t')) l.remove_prefix(1);
      while (!l.empty() && (l.back() == ' ' || l.back() == '\t' || l.back() == '\r')) l.remove_suffix(1);
      if (l.size() >= 2 && (l.front() == '"' || l.front() == '\'') && l.back() == l.front())
        l = l.substr(1, l.size() - 2);
      if (l == load::scenario_api_version) return ScenarioFileKind::scenario;
      continue;
    }
    kind_key |= l.rfind("kind:", 0) == 0;
    for (auto key : scenario_only_keys)
      scenario_key |= l.size() > key.size() && l.rfind(key, 0) == 0 && l[key.size()] == ':';
  }
  return scenario_key && !kind_key ? ScenarioFileKind::misversioned : ScenarioFileKind::other;
}

}  // namespace

// A scenario says `apiVersion: iamsim/v1` at its top level: a line without indentation in
// YAML, or the key of the top-level object in JSON. Found by scanning the text, not by
// parsing it: folders hold large worlds, and each would otherwise be parsed twice.
ScenarioFileKind scenario_file_kind(const fs::path& file) {
  auto text = load::read_text_file(file);
  if (!text) return ScenarioFileKind::other;
  const std::string_view t = *text;
  if (is_json_text(t))
    return json_says_scenario(t)         ? ScenarioFileKind::scenario
           : json_looks_like_scenario(t) ? ScenarioFileKind::misversioned
                                         : ScenarioFileKind::other;
  return yaml_kind(t);
}

bool is_scenario_file(const fs::path& file) { return scenario_file_kind(file) == ScenarioFileKind::scenario; }

ScenarioFiles find_scenario_files(const std::vector<fs::path>& paths) {
  ScenarioFiles out;
  std::set<fs::path> seen;
  auto add = [&](const fs::path& p) {
    if (seen.insert(fs::weakly_canonical(p)).second) out.files.push_back(p);
  };
  for (const auto& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<fs::path> found;
      for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec))
        if (it->is_regular_file(ec) && load::is_yaml_or_json(it->path()) &&
            scenario_file_kind(it->path()) != ScenarioFileKind::other)
          found.push_back(it->path());
      std::sort(found.begin(), found.end());
      for (const auto& f : found) add(f);
    } else if (fs::is_regular_file(path, ec)) {
      add(path);  // named on purpose: loading it says if it is no scenario
    } else {
      out.diagnostics.error("scenario.missing-file", {path.string(), "", 0, 0}, "no such file or folder");
    }
  }
  return out;
}

}  // namespace iamsim::model
