// Stage: paths. Compiling a world's policies, and the layers of semantics.md 1-2 drawn
// from the organization and the accounts.
#include "model/paths/compiled_world.hpp"

namespace iamsim::model {

using compile::PolicyKind;

std::shared_ptr<const CompiledWorld> CompiledWorld::compile(std::shared_ptr<const World> world,
                                                            const Semantics& semantics, Diagnostics& diagnostics) {
  std::shared_ptr<CompiledWorld> cw(new CompiledWorld(std::move(world), semantics));
  const World& w = *cw->world_;
  Diagnostics local;
  if (w.organization)
    for (const auto& unit : w.organization->units) {
      for (const auto& d : unit.scps) cw->compile_document(d, PolicyKind::Scp, local);
      for (const auto& d : unit.rcps) cw->compile_document(d, PolicyKind::Rcp, local);
    }
  for (const auto& a : w.accounts) {
    for (const auto& d : a.scps) cw->compile_document(d, PolicyKind::Scp, local);
    for (const auto& d : a.rcps) cw->compile_document(d, PolicyKind::Rcp, local);
    for (const auto& u : a.users) {
      for (const auto& d : u.policies) cw->compile_document(d, PolicyKind::Identity, local);
      if (u.boundary) cw->compile_document(*u.boundary, PolicyKind::Boundary, local);
    }
    for (const auto& g : a.groups)
      for (const auto& d : g.policies) cw->compile_document(d, PolicyKind::Identity, local);
    for (const auto& r : a.roles) {
      cw->compile_document(r.trust, PolicyKind::RoleTrust, local);
      for (const auto& d : r.policies) cw->compile_document(d, PolicyKind::Identity, local);
      if (r.boundary) cw->compile_document(*r.boundary, PolicyKind::Boundary, local);
    }
    for (const auto& b : a.buckets)
      if (b.policy) cw->compile_document(*b.policy, PolicyKind::Resource, local);
    for (const auto& k : a.kms_keys) cw->compile_document(k.policy, PolicyKind::KmsKey, local);
    for (const auto& e : a.vpc_endpoints) cw->compile_document(e.policy, PolicyKind::VpcEndpoint, local);
  }
  diagnostics.append(local);
  if (local.has_errors()) return nullptr;
  return cw;
}

void CompiledWorld::compile_document(const PolicyDocument& document, PolicyKind kind, Diagnostics& diagnostics) {
  auto cached = cache_.get(document.json_text, kind, document.origin, diagnostics);
  if (cached) compiled_.emplace(&document, std::move(cached));
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
