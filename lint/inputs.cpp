// Stage: lint. Finding and reading lint's inputs.
#include "lint/inputs.hpp"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "lint/policy_checks.hpp"
#include "model/load/world_sources.hpp"
#include "model/load/yaml_support.hpp"

namespace iamsim::lint {
namespace fs = std::filesystem;
namespace {

bool has_extension(const fs::path& p, std::initializer_list<const char*> extensions) {
  const std::string ext = p.extension().string();
  return std::any_of(extensions.begin(), extensions.end(), [&](const char* e) { return ext == e; });
}

bool claims_scenario(const fs::path& path, bool is_folder) {
  return !is_folder && has_extension(path, {".yaml", ".yml", ".json"}) && model::is_scenario_file(path);
}

void read_scenario(const fs::path& path, LintInputs& into) { into.worlds.push_back(model::load_world(path)); }

// An export or iam-collect folder is one world (model/load/world_sources.hpp).
bool claims_estate(const fs::path& path, bool is_folder) {
  if (!is_folder) return false;
  const auto source = model::recognise_world_source(path);
  return source == model::WorldSource::export_folder || source == model::WorldSource::iam_collect_folder;
}

void read_estate(const fs::path& path, LintInputs& into) { into.worlds.push_back(model::load_world_argument(path)); }

// A JSON object with a Statement: an IAM policy document of some kind.
bool claims_policy(const fs::path& path, bool is_folder) {
  if (is_folder || !has_extension(path, {".json"})) return false;
  auto text = model::load::read_text_file(path);
  if (!text) return false;
  auto doc = nlohmann::json::parse(*text, nullptr, false);
  return doc.is_object() && doc.contains("Statement");
}

void read_policy(const fs::path& path, LintInputs& into) {
  auto text = model::load::read_text_file(path);
  if (!text) {
    into.diagnostics.error("lint.unreadable", {path.string(), "", 0, 0}, "cannot read the file");
    return;
  }
  into.policies.push_back({path.string(), *text, guess_policy_kind(*text)});
}

void offer(const fs::path& path, bool named, LintInputs& into) {
  std::error_code ec;
  const bool folder = fs::is_directory(path, ec);
  for (const auto& reader : input_readers())
    if (reader.claims(path, folder)) return reader.read(path, into);
  if (folder) {
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
      if (it->is_regular_file(ec)) files.push_back(it->path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) offer(f, false, into);
    return;
  }
  if (named)
    into.diagnostics.error("lint.unrecognised-input", {path.string(), "", 0, 0},
                           "neither a scenario file (apiVersion: iamsim/v1) nor a policy document (a JSON object with "
                           "a Statement)");
}

std::string canonical(const std::string& path) {
  std::error_code ec;
  auto c = fs::weakly_canonical(path, ec);
  return ec ? path : c.string();
}

// Every policy file a world's documents come from.
void referenced_files(const model::World& w, std::set<std::string>& out) {
  auto add = [&](const model::PolicyDocument& d) {
    if (d.origin.line == 0 && !d.builtin) out.insert(canonical(d.origin.file));
  };
  if (w.organization)
    for (const auto& u : w.organization->units) {
      for (const auto& d : u.scps) add(d);
      for (const auto& d : u.rcps) add(d);
    }
  for (const auto& [name, d] : w.named_policies) add(d);
  for (const auto& a : w.accounts) {
    for (const auto& d : a.scps) add(d);
    for (const auto& d : a.rcps) add(d);
    for (const auto& u : a.users) {
      for (const auto& d : u.policies) add(d);
      if (u.boundary) add(*u.boundary);
    }
    for (const auto& g : a.groups)
      for (const auto& d : g.policies) add(d);
    for (const auto& r : a.roles) {
      add(r.trust);
      for (const auto& d : r.policies) add(d);
      if (r.boundary) add(*r.boundary);
    }
    for (const auto& b : a.buckets)
      if (b.policy) add(*b.policy);
    for (const auto& k : a.kms_keys) add(k.policy);
    for (const auto& e : a.vpc_endpoints) add(e.policy);
  }
}

}  // namespace

const std::vector<InputReader>& input_readers() {
  static const std::vector<InputReader> readers = {
      {"export or iam-collect folder", claims_estate, read_estate},
      {"scenario file", claims_scenario, read_scenario},
      {"policy document", claims_policy, read_policy},
  };
  return readers;
}

LintInputs read_lint_inputs(const std::vector<fs::path>& paths) {
  LintInputs out;
  for (const auto& p : paths) {
    std::error_code ec;
    if (!fs::exists(p, ec)) {
      out.diagnostics.error("lint.missing-file", {p.string(), "", 0, 0}, "no such file or folder");
      continue;
    }
    offer(p, true, out);
  }
  // A policy file that a scenario uses is linted there, where its owner is known.
  std::set<std::string> used;
  for (const auto& w : out.worlds)
    if (w.world) referenced_files(*w.world, used);
  std::erase_if(out.policies, [&](const PolicyFile& p) { return used.count(canonical(p.path)) > 0; });
  return out;
}

}  // namespace iamsim::lint
