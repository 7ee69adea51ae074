// Stage: paths. Compiling a world's policies, and the layers of docs/rules.md (E, S, R) drawn
// from the organization and the accounts.
#include "model/paths/compiled_world.hpp"

#include <tbb/parallel_for.h>

namespace iamsim::model {

using compile::PolicyKind;

std::shared_ptr<const CompiledWorld> CompiledWorld::compile(std::shared_ptr<const World> world,
                                                            const Semantics& semantics, Diagnostics& diagnostics) {
  std::shared_ptr<CompiledWorld> cw(new CompiledWorld(std::move(world), semantics));
  const World& w = *cw->world_;
  std::vector<std::pair<const PolicyDocument*, PolicyKind>> documents;
  auto add = [&](const PolicyDocument& d, PolicyKind kind) { documents.emplace_back(&d, kind); };
  if (w.organization)
    for (const auto& unit : w.organization->units) {
      for (const auto& d : unit.scps) add(d, PolicyKind::Scp);
      for (const auto& d : unit.rcps) add(d, PolicyKind::Rcp);
    }
  for (const auto& a : w.accounts) {
    for (const auto& d : a.scps) add(d, PolicyKind::Scp);
    for (const auto& d : a.rcps) add(d, PolicyKind::Rcp);
    for (const auto& u : a.users) {
      for (const auto& d : u.policies) add(d, PolicyKind::Identity);
      if (u.boundary) add(*u.boundary, PolicyKind::Boundary);
    }
    for (const auto& g : a.groups)
      for (const auto& d : g.policies) add(d, PolicyKind::Identity);
    for (const auto& r : a.roles) {
      add(r.trust, PolicyKind::RoleTrust);
      for (const auto& d : r.policies) add(d, PolicyKind::Identity);
      if (r.boundary) add(*r.boundary, PolicyKind::Boundary);
    }
    for (const auto& b : a.buckets)
      if (b.policy) add(*b.policy, PolicyKind::Resource);
    for (const auto& k : a.kms_keys) add(k.policy, PolicyKind::KmsKey);
    for (const auto& e : a.vpc_endpoints) add(e.policy, PolicyKind::VpcEndpoint);
  }

  // Compiled in parallel (the cache is shared and thread-safe); reported in world order.
  std::vector<std::shared_ptr<const compile::CachedPolicy>> compiled(documents.size());
  std::vector<Diagnostics> found(documents.size());
  tbb::parallel_for(std::size_t{0}, documents.size(), [&](std::size_t i) {
    const auto& [document, kind] = documents[i];
    compiled[i] = cw->cache_.get(document->json_text, kind, document->origin, found[i]);
  });
  bool ok = true;
  cw->compiled_.reserve(documents.size());
  for (std::size_t i = 0; i < documents.size(); ++i) {
    diagnostics.append(found[i]);
    ok = ok && !found[i].has_errors();
    if (compiled[i]) cw->compiled_.emplace(documents[i].first, std::move(compiled[i]));
  }
  if (!ok) return nullptr;
  return cw;
}

eval::AttachedPolicy CompiledWorld::attach(const PolicyDocument& document) const {
  const auto& cached = compiled_.at(&document);
  return {cached->policy.get(), document.name, document.origin.pointer, document.origin.file};
}

const std::vector<Diagnostic>& CompiledWorld::warnings_of(const PolicyDocument& document) const {
  return compiled_.at(&document)->warnings;
}

std::vector<eval::AttachedPolicy> CompiledWorld::identity_policies(const Role& role) const {
  std::vector<eval::AttachedPolicy> out;
  for (const auto& d : role.policies) out.push_back(attach(d));
  return out;
}

std::vector<eval::AttachedPolicy> CompiledWorld::identity_policies(const User& user) const {
  std::vector<eval::AttachedPolicy> out;
  for (const auto& d : user.policies) out.push_back(attach(d));
  for (const auto& group_name : user.groups)
    if (const Group* g = world_->find_group(user.account_id, group_name))
      for (const auto& d : g->policies) out.push_back(attach(d));
  return out;
}

std::optional<std::vector<std::vector<eval::AttachedPolicy>>> CompiledWorld::scp_levels(
    std::string_view account_id) const {
  if (!world_->in_organization(account_id)) return std::nullopt;
  std::vector<std::vector<eval::AttachedPolicy>> levels;
  for (const OrgUnit* unit : world_->org_units_of(account_id)) {
    auto& level = levels.emplace_back();
    for (const auto& d : unit->scps) level.push_back(attach(d));
  }
  auto& own = levels.emplace_back();
  if (const Account* a = world_->find_account(account_id))
    for (const auto& d : a->scps) own.push_back(attach(d));
  return levels;
}

std::vector<std::string> CompiledWorld::level_names(std::string_view account_id) const {
  std::vector<std::string> names;
  for (const OrgUnit* unit : world_->org_units_of(account_id))
    names.push_back(unit->parent ? "unit " + unit->name : std::string("root"));
  names.push_back("account " + std::string(account_id));
  return names;
}

std::vector<std::vector<eval::AttachedPolicy>> CompiledWorld::rcp_levels(std::string_view account_id) const {
  std::vector<std::vector<eval::AttachedPolicy>> levels;
  if (!world_->in_organization(account_id)) return levels;
  for (const OrgUnit* unit : world_->org_units_of(account_id)) {
    auto& level = levels.emplace_back();
    for (const auto& d : unit->rcps) level.push_back(attach(d));
  }
  auto& own = levels.emplace_back();
  if (const Account* a = world_->find_account(account_id))
    for (const auto& d : a->rcps) own.push_back(attach(d));
  return levels;
}

}  // namespace iamsim::model
