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

// A scenario says `apiVersion: iamsim/v1` at its top level: a line without indentation in
// YAML, or the key of the top-level object in JSON. Found by scanning the text, not by
// parsing it: folders hold large worlds, and each would otherwise be parsed twice.
bool is_scenario_file(const fs::path& file) {
  auto text = load::read_text_file(file);
  if (!text || text->find(load::scenario_api_version) == std::string::npos) return false;
  const std::string_view t = *text;
  std::size_t first = t.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && t[first] == '{') {  // JSON
    for (std::size_t at = t.find("\"apiVersion\""); at != std::string_view::npos;
         at = t.find("\"apiVersion\"", at + 1)) {
      std::size_t v = t.find_first_not_of(" \t\r\n", at + 12);
      if (v == std::string_view::npos || t[v] != ':') continue;
      v = t.find_first_not_of(" \t\r\n", v + 1);
      if (v != std::string_view::npos &&
          t.substr(v).rfind(std::string("\"") + std::string(load::scenario_api_version) + "\"", 0) == 0)
        return true;
    }
    return false;
  }
  for (std::size_t line = 0; line < t.size();) {
    std::size_t end = t.find('\n', line);
    if (end == std::string_view::npos) end = t.size();
    std::string_view l = t.substr(line, end - line);
    if (l.rfind("apiVersion:", 0) == 0) {
      l.remove_prefix(11);
      while (!l.empty() && (l.front() == ' ' || l.front() == '\t')) l.remove_prefix(1);
      while (!l.empty() && (l.back() == ' ' || l.back() == '\t' || l.back() == '\r')) l.remove_suffix(1);
      if (l.size() >= 2 && (l.front() == '"' || l.front() == '\'') && l.back() == l.front())
        l = l.substr(1, l.size() - 2);
      return l == load::scenario_api_version;
    }
    line = end + 1;
  }
  return false;
}

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
        if (it->is_regular_file(ec) && load::is_yaml_or_json(it->path()) && is_scenario_file(it->path()))
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
