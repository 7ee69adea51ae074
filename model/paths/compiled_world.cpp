// Stage: paths. Compiling a world's policies, and the layers of docs/rules.md (E, S, R) drawn
// from the organization and the accounts.
#include "model/paths/compiled_world.hpp"

#include <tbb/parallel_for.h>

#include "engine/assert.hpp"
#include "engine/syntax/values.hpp"

namespace iamsim::model {

using compile::PolicyKind;

namespace {
// aws:CurrentTime when the world sets none: answers are repeatable (docs/scenario-format.md).
constexpr std::string_view default_current_time = "2026-01-01T00:00:00Z";
}  // namespace

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
    for (const auto& b : a.buckets) {
      if (b.policy) add(*b.policy, PolicyKind::Resource);
      if (b.acl_policy) add(*b.acl_policy, PolicyKind::Resource);
      if (b.acl_private_policy) add(*b.acl_private_policy, PolicyKind::Resource);
      for (const auto& ap : b.access_points)
        if (ap.policy) add(*ap.policy, PolicyKind::Resource);
    }
    for (const auto& k : a.kms_keys) {
      add(k.policy, PolicyKind::KmsKey);
      if (k.grants_policy) add(*k.grants_policy, PolicyKind::KmsKey);
    }
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
    if (!compiled[i]) continue;
    const PolicyDocument& d = *documents[i].first;
    cw->compiled_.emplace(
        &d, Compiled{std::move(compiled[i]), {d.name, d.origin.file, d.origin.pointer, d.origin.line, false}});
  }
  if (!ok) return nullptr;
  cw->build_account_layers();
  cw->build_identity_layers();
  cw->build_keys();
  return cw;
}

eval::AttachedPolicy CompiledWorld::attach(const PolicyDocument& document) const {
  const auto it = compiled_.find(&document);
  IAMSIM_ASSERT(it != compiled_.end(), "a policy document of the world was not compiled");
  return {it->second.cached->policy.get(), &it->second.source};
}

const std::vector<Diagnostic>& CompiledWorld::warnings_of(const PolicyDocument& document) const {
  const auto it = compiled_.find(&document);
  IAMSIM_ASSERT(it != compiled_.end(), "a policy document of the world was not compiled");
  return it->second.cached->warnings;
}

void CompiledWorld::build_identity_layers() {
  for (const auto& a : world_->accounts) {
    for (const auto& role : a.roles) {
      IdentityLayer& layer = identities_[&role];
      for (const auto& d : role.policies) layer.policies.push_back(attach(d));
      if (role.boundary) layer.boundary = attach(*role.boundary);
    }
    for (const auto& user : a.users) {
      IdentityLayer& layer = identities_[&user];
      for (const auto& d : user.policies) layer.policies.push_back(attach(d));
      for (const auto& group_name : user.groups)
        if (const Group* g = world_->find_group(user.account_id, group_name))
          for (const auto& d : g->policies) layer.policies.push_back(attach(d));
      if (user.boundary) layer.boundary = attach(*user.boundary);
    }
  }
}

const CompiledWorld::IdentityLayer& CompiledWorld::identity_layer(const Role& role) const {
  const auto it = identities_.find(&role);
  IAMSIM_ASSERT(it != identities_.end(), "a role of another world");
  return it->second;
}

const CompiledWorld::IdentityLayer& CompiledWorld::identity_layer(const User& user) const {
  const auto it = identities_.find(&user);
  IAMSIM_ASSERT(it != identities_.end(), "a user of another world");
  return it->second;
}

std::vector<eval::ContextEntry> CompiledWorld::account_keys(std::string_view account_id, KeySide side) const {
  const World& w = *world_;
  eval::Context c;
  const bool in_org = w.in_organization(account_id);
  if (side == KeySide::Principal) {
    c.set("aws:PrincipalAccount", std::string(account_id));
    c.set("aws:PrincipalIsAWSService", "false");
    if (in_org) {
      c.set("aws:PrincipalOrgID", w.organization->id);
      c.set("aws:PrincipalOrgPaths", std::vector<std::string>{w.org_path(account_id)}, true);
    }
  } else {
    c.set("aws:ResourceAccount", std::string(account_id));
    if (in_org) {
      c.set("aws:ResourceOrgID", w.organization->id);
      c.set("aws:ResourceOrgPaths", std::vector<std::string>{w.org_path(account_id)}, true);
    }
  }
  return c.entries();
}

void CompiledWorld::build_keys() {
  const World& w = *world_;
  auto add = [&](std::string_view id) {
    if (account_keys_.count(id)) return;
    account_keys_[std::string(id)] = {account_keys(id, KeySide::Principal), account_keys(id, KeySide::Resource)};
  };
  for (const auto& a : w.accounts) add(a.id);
  if (w.organization)
    for (const auto& unit : w.organization->units)
      for (const auto& id : unit.accounts) add(id);
  eval::Context c;
  c.set("aws:SecureTransport", w.defaults.secure_transport ? "true" : "false");
  const std::string now = w.defaults.current_time.empty() ? std::string(default_current_time) : w.defaults.current_time;
  c.set("aws:CurrentTime", now);
  if (auto t = syntax::parse_instant(now)) c.set("aws:EpochTime", std::to_string(*t / 1000));
  c.set("aws:ViaAWSService", "false");
  for (const auto& [key, value] : w.defaults.context) c.set(key, value.values, value.multi_valued);
  default_keys_ = c.entries();
}

void CompiledWorld::add_account_keys(eval::Context& context, std::string_view account_id, KeySide side) const {
  if (const auto it = account_keys_.find(account_id); it != account_keys_.end()) {
    for (const auto& entry : side == KeySide::Principal ? it->second.principal : it->second.resource)
      context.set(entry);
    return;
  }
  for (auto& entry : account_keys(account_id, side)) context.set(std::move(entry));
}

void CompiledWorld::add_default_keys(eval::Context& context) const {
  for (const auto& entry : default_keys_) context.set(entry);
}

void CompiledWorld::build_account_layers() {
  const World& w = *world_;
  if (!w.organization) return;
  std::vector<std::string_view> ids;
  for (const auto& unit : w.organization->units)
    for (const auto& id : unit.accounts) ids.push_back(id);
  for (const auto& a : w.accounts) ids.push_back(a.id);
  for (std::string_view id : ids) {
    if (!w.in_organization(id) || accounts_.count(id)) continue;
    AccountLayers& layers = accounts_[std::string(id)];
    auto& scp = layers.scp.emplace();
    for (const OrgUnit* unit : w.org_units_of(id)) {
      auto& scp_level = scp.emplace_back();
      for (const auto& d : unit->scps) scp_level.push_back(attach(d));
      auto& rcp_level = layers.rcp.emplace_back();
      for (const auto& d : unit->rcps) rcp_level.push_back(attach(d));
      layers.level_names.push_back(unit->parent ? "unit " + unit->name : std::string("root"));
    }
    auto& own_scp = scp.emplace_back();
    auto& own_rcp = layers.rcp.emplace_back();
    if (const Account* a = w.find_account(id)) {
      for (const auto& d : a->scps) own_scp.push_back(attach(d));
      for (const auto& d : a->rcps) own_rcp.push_back(attach(d));
    }
    layers.level_names.push_back("account " + std::string(id));
  }
}

const CompiledWorld::AccountLayers* CompiledWorld::account_layers(std::string_view account_id) const {
  const auto it = accounts_.find(account_id);
  return it == accounts_.end() ? nullptr : &it->second;
}

std::optional<std::span<const eval::PolicyLevel>> CompiledWorld::scp_levels(std::string_view account_id) const {
  const AccountLayers* layers = account_layers(account_id);
  if (!layers || !layers->scp) return std::nullopt;
  return std::span<const eval::PolicyLevel>(*layers->scp);
}

std::span<const std::string> CompiledWorld::level_names(std::string_view account_id) const {
  const AccountLayers* layers = account_layers(account_id);
  if (!layers) return {};
  return layers->level_names;
}

std::span<const eval::PolicyLevel> CompiledWorld::rcp_levels(std::string_view account_id) const {
  const AccountLayers* layers = account_layers(account_id);
  if (!layers) return {};
  return layers->rcp;
}

}  // namespace iamsim::model
