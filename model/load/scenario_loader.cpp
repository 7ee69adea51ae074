// Stage: model (load). A scenario file (docs/scenario-format.md) in, a World out: the file
// is read section by section (the readers of scenario_reader.hpp), then its clusters'
// manifests, then every name it uses is bound (bind_names.cpp). Every problem is reported
// at file:line:col.
#include "model/load/scenario_loader.hpp"

#include <algorithm>

#include <tbb/parallel_for.h>

#include "model/load/scenario_reader.hpp"
#include "model/load/world_sources.hpp"
#include "model/load/yaml_support.hpp"

namespace iamsim::model {
namespace {

namespace fs = std::filesystem;
using load::location_of;
using load::YamlNode;

void read_scenario(load::ScenarioReader& r, const YamlNode& root, LoadScope scope) {
  load::FieldReader& in = r.in;
  load::Fields f(in, root, "a scenario",
                 {"apiVersion", "name", "description", "import", "organization", "policies", "accounts", "expectations",
                  "defaults", "lint"});
  World& w = r.world;
  w.scenario_file = in.file();
  w.scenario_name = fs::path(in.file()).stem().string();
  if (f.has("name"))
    if (auto name = in.text(f["name"], "name")) w.scenario_name = *name;
  if (f.has("description"))
    if (auto d = in.text(f["description"], "description")) w.description = *d;
  if (f.has("import")) load::read_imports(r, f["import"]);
  if (f.given("policies")) load::read_named_policies(r, f["policies"]);
  for (const auto& a : in.list(f["accounts"], "accounts")) load::read_account(r, a);
  if (f.has("organization")) load::read_organization(r, f["organization"]);
  if (f.has("defaults")) load::read_defaults(r, f["defaults"]);
  if (f.has("lint")) load::read_lint_section(r, f["lint"]);
  std::size_t index = 0;
  if (scope == LoadScope::everything)
    for (const auto& e : in.list(f["expectations"], "expectations")) load::read_expectation(r, e, index++);
}

}  // namespace

WorldLoad load_world_text(std::string_view text, const fs::path& file, LoadScope scope) {
  WorldLoad out;
  const std::string label = file.string();
  load::YamlStream stream = load::parse_yaml(text);
  if (const auto& e = stream.error()) {
    out.diagnostics.error("yaml.syntax", location_of(*e, label), e->message);
    return out;
  }
  const auto& docs = stream.documents();
  if (docs.empty() || docs[0]->is_null()) {
    out.diagnostics.error("scenario.not-a-scenario", {label, "", 1, 1}, "the file is empty");
    return out;
  }
  const YamlNode& root = *docs[0];
  if (docs.size() > 1) {
    out.diagnostics.error("scenario.multiple-documents", location_of(*docs[1], label),
                          "a scenario file holds one YAML document");
    return out;
  }
  if (!root.is_map() || !root["apiVersion"].defined()) {
    out.diagnostics.error("scenario.not-a-scenario", location_of(root, label),
                          "not a scenario file: it needs apiVersion: iamsim/v1 at the top");
    return out;
  }
  const YamlNode& version = root["apiVersion"];
  if (!version.is_scalar() || version.scalar() != load::scenario_api_version) {
    out.diagnostics.error("scenario.bad-api-version", location_of(version, label),
                          "apiVersion must be iamsim/v1, found '" + version.scalar() + "'");
    return out;
  }
  auto world = std::make_shared<World>();
  load::FieldReader in(label, out.diagnostics);
  load::ScenarioReader reader(in, *world, file.parent_path());
  read_scenario(reader, root, scope);
  load::merge_over_imports(reader);
  load::read_manifests(reader);
  load::bind_names(reader);
  out.world = std::move(world);
  return out;
}

WorldLoad load_world(const fs::path& file, LoadScope scope) {
  auto text = load::read_text_file(file);
  if (!text) {
    WorldLoad out;
    out.diagnostics.error("scenario.missing-file", {file.string(), "", 0, 0}, "cannot read scenario file");
    return out;
  }
  return load_world_text(*text, file, scope);
}

WorldLoad load_world_argument(const fs::path& path, LoadScope scope) {
  const auto source = recognise_world_source(path);
  if (!source || *source == WorldSource::scenario_file) return load_world(path, scope);
  if (*source == WorldSource::export_folder) return load_export_folder(path);
  if (*source == WorldSource::iam_collect_folder) return load_iam_collect_folder(path);
  auto found = find_scenario_files({path});
  if (found.files.size() == 1) return load_world(found.files.front(), scope);
  WorldLoad out;
  std::string names;
  for (const auto& f : found.files) names += (names.empty() ? "" : ", ") + f.string();
  out.diagnostics.error("scenario.not-one-world", {path.string(), "", 0, 0},
                        found.files.empty() ? "the folder holds no scenario file"
                                            : "the folder holds " + std::to_string(found.files.size()) +
                                                  " scenario files (" + names + "); name one");
  return out;
}

bool ScenarioLoad::ok() const {
  if (diagnostics.has_errors()) return false;
  return std::all_of(files.begin(), files.end(), [](const WorldLoad& w) { return w.ok(); });
}

Diagnostics ScenarioLoad::all_diagnostics() const {
  Diagnostics all = diagnostics;
  for (const auto& f : files) all.append(f.diagnostics);
  return all;
}

ScenarioLoad load_scenarios(const std::vector<fs::path>& paths) {
  // An export or iam-collect folder is one world (with no expectations of its own); every
  // other path is searched for scenario files.
  std::vector<fs::path> scenario_paths, estates;
  for (const auto& p : paths) {
    const auto source = recognise_world_source(p);
    if (source == WorldSource::export_folder || source == WorldSource::iam_collect_folder)
      estates.push_back(p);
    else
      scenario_paths.push_back(p);
  }
  ScenarioLoad out;
  std::vector<fs::path> files;
  if (!scenario_paths.empty() || estates.empty()) {
    auto found = find_scenario_files(scenario_paths);
    out.diagnostics = std::move(found.diagnostics);
    files = std::move(found.files);
  }
  out.files.resize(files.size() + estates.size());
  tbb::parallel_for(std::size_t{0}, files.size(), [&](std::size_t i) { out.files[i] = load_world(files[i]); });
  for (std::size_t i = 0; i < estates.size(); ++i) out.files[files.size() + i] = load_world_argument(estates[i]);
  return out;
}

}  // namespace iamsim::model
