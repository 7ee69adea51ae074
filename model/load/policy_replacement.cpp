// Stage: model (load). Replacing one policy file's documents throughout a world.
#include "model/load/policy_replacement.hpp"

#include <functional>
#include <system_error>

namespace iamsim::model {
namespace {

namespace fs = std::filesystem;

fs::path canonical_or_same(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(p, ec);
  return ec ? p : c;
}

// Every policy document a scenario can read from a file, wherever it is attached.
void for_each_document(World& w, const std::function<void(PolicyDocument&)>& f) {
  auto each = [&](std::vector<PolicyDocument>& docs) {
    for (auto& d : docs) f(d);
  };
  auto maybe = [&](std::optional<PolicyDocument>& d) {
    if (d) f(*d);
  };
  if (w.organization)
    for (auto& unit : w.organization->units) {
      each(unit.scps);
      each(unit.rcps);
    }
  for (auto& a : w.accounts) {
    each(a.scps);
    each(a.rcps);
    for (auto& u : a.users) {
      each(u.policies);
      maybe(u.boundary);
    }
    for (auto& g : a.groups) each(g.policies);
    for (auto& r : a.roles) {
      f(r.trust);
      each(r.policies);
      maybe(r.boundary);
    }
    for (auto& b : a.buckets) {
      maybe(b.policy);
      for (auto& ap : b.access_points) maybe(ap.policy);
    }
    for (auto& k : a.kms_keys) f(k.policy);
    for (auto& e : a.vpc_endpoints) f(e.policy);
  }
  for (auto& [name, d] : w.named_policies) f(d);
  each(w.session_policies);
}

}  // namespace

std::size_t replace_policy_file(World& world, const fs::path& old_file, const std::string& new_json,
                                const fs::path& new_file) {
  const fs::path target = canonical_or_same(old_file);
  const fs::path dir = fs::path(world.scenario_file).parent_path();
  std::size_t replaced = 0;
  for_each_document(world, [&](PolicyDocument& d) {
    if (d.builtin || d.origin.file.empty() || canonical_or_same(d.origin.file) != target) return;
    d.json_text = new_json;
    d.origin = {new_file.string(), "", 0, 0};
    // A document named by its file (not by a `name:`) is named by the new file.
    if (canonical_or_same(dir / d.name) == target) d.name = new_file.string();
    ++replaced;
  });
  return replaced;
}

}  // namespace iamsim::model
