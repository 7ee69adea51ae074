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

std::vector<fs::path> yaml_files_under(const fs::path& folder, Diagnostics& diagnostics, const std::string& code,
                                       bool normalize, const std::function<bool(const fs::path&)>& whole,
                                       std::vector<fs::path>* whole_folders) {
  std::vector<fs::path> files;
  auto unreadable = [&](const fs::path& p, const std::string& why) {
    diagnostics.error(code, {p.lexically_normal().string(), "", 0, 0}, why);
  };
  std::vector<fs::path> folders{folder};
  while (!folders.empty()) {
    const fs::path dir = std::move(folders.back());
    folders.pop_back();
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) {
      unreadable(dir, "cannot read the folder: " + ec.message());
      continue;
    }
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      const fs::path& p = it->path();
      std::error_code entry_ec;
      const auto own = it->symlink_status(entry_ec);
      if (!entry_ec && fs::is_directory(own)) {
        if (whole && whole_folders && whole(p))
          whole_folders->push_back(normalize ? p.lexically_normal() : p);
        else
          folders.push_back(p);
        continue;
      }
      if (!is_yaml_or_json(p)) continue;
      const auto target = it->status(entry_ec);
      if (entry_ec)
        unreadable(p, "cannot read the file: " + entry_ec.message());
      else if (fs::is_regular_file(target))
        files.push_back(normalize ? p.lexically_normal() : p);
      else if (!fs::is_directory(target))
        unreadable(p, "is not a regular file (a device, FIFO or socket)");
    }
    if (ec) unreadable(dir, "cannot read the whole folder: " + ec.message());
  }
  std::sort(files.begin(), files.end());
  if (whole_folders) std::sort(whole_folders->begin(), whole_folders->end());
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
ScenarioFileKind scenario_file_kind(const fs::path& file, std::string* unreadable) {
  auto text = load::read_text_file(file, unreadable);
  if (!text) return ScenarioFileKind::other;
  const std::string_view t = *text;
  if (is_json_text(t))
    return json_says_scenario(t)         ? ScenarioFileKind::scenario
           : json_looks_like_scenario(t) ? ScenarioFileKind::misversioned
                                         : ScenarioFileKind::other;
  return yaml_kind(t);
}

bool is_scenario_file(const fs::path& file, std::string* unreadable) {
  return scenario_file_kind(file, unreadable) == ScenarioFileKind::scenario;
}

ScenarioFiles find_scenario_files(const std::vector<fs::path>& paths) {
  ScenarioFiles out;
  std::set<fs::path> seen;
  auto add = [&](const fs::path& p) {
    if (seen.insert(fs::weakly_canonical(p)).second) out.files.push_back(p);
  };
  for (const auto& path : paths) {
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (fs::is_directory(status)) {
      for (const auto& f : load::yaml_files_under(path, out.diagnostics, "scenario.unreadable")) {
        std::string unreadable;
        if (scenario_file_kind(f, &unreadable) != ScenarioFileKind::other)
          add(f);
        else if (!unreadable.empty())
          out.diagnostics.error("scenario.unreadable", {f.string(), "", 0, 0}, "cannot read the file: " + unreadable);
      }
    } else if (fs::is_regular_file(status)) {
      add(path);  // named on purpose: loading it says if it is no scenario
    } else if (fs::exists(status)) {
      out.diagnostics.error("scenario.unreadable", {path.string(), "", 0, 0},
                            "is not a regular file or folder (a device, FIFO or socket)");
    } else {
      out.diagnostics.error(
          "scenario.missing-file", {path.string(), "", 0, 0},
          ec && ec != std::errc::no_such_file_or_directory ? "cannot read: " + ec.message() : "no such file or folder");
    }
  }
  return out;
}

}  // namespace iamsim::model
