// Stage: paths. Compiling a world's policies, and the layers of docs/rules.md (E, S, R) drawn
// from the organization and the accounts.
#include "model/paths/compiled_world.hpp"

#include <set>

#include <tbb/parallel_for.h>

#include "engine/assert.hpp"

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
  for (const auto& d : w.session_policies) add(d, PolicyKind::Session);

  // Compiled in parallel (the cache is shared and thread-safe); reported in world order.
  std::vector<std::shared_ptr<const compile::CachedPolicy>> compiled(documents.size());
  std::vector<Diagnostics> found(documents.size());
  tbb::parallel_for(std::size_t{0}, documents.size(), [&](std::size_t i) {
    const auto& [document, kind] = documents[i];
    compiled[i] = cw->cache_.get(document->json_text, kind, document->origin, found[i]);
  });
  bool ok = true;
  cw->compiled_.reserve(documents.size());
  // A compiled policy's warnings (an unknown operator, a malformed variable, a size over a
  // quota) are the user's to see, once per document however many owners share it. The
  // cache keeps them relative to the document, which may be another with the same text.
  std::set<std::string> reported;
  for (std::size_t i = 0; i < documents.size(); ++i) {
    for (const auto& d : found[i].items()) {
      if (!reported.insert(format_diagnostic(d)).second) continue;
      if (d.severity == Severity::Error)
        diagnostics.error(d.code, d.where, d.message);
      else
        diagnostics.warning(d.code, d.where, d.message);
    }
    ok = ok && !found[i].has_errors();
    if (!compiled[i]) continue;
    const PolicyDocument& d = *documents[i].first;
    if (!d.builtin)
      for (const auto& w : compiled[i]->warnings) {
        SourceLocation where = d.origin;
        where.pointer = d.origin.pointer + w.where.pointer;
        if (reported.insert(format_diagnostic({w.severity, w.code, where, w.message})).second)
          diagnostics.warning(w.code, where, w.message);
      }
    cw->compiled_.emplace(
        &d, Compiled{std::move(compiled[i]), {d.name, d.origin.file, d.origin.pointer, d.origin.line, false}});
  }
  if (!ok) return nullptr;
  cw->build_account_layers();
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

const std::optional<std::vector<eval::PolicyLevel>>& CompiledWorld::scp_levels(std::string_view account_id) const {
  static const std::optional<std::vector<eval::PolicyLevel>> outside;
  const AccountLayers* layers = account_layers(account_id);
  return layers ? layers->scp : outside;
}

std::span<const std::string> CompiledWorld::level_names(std::string_view account_id) const {
  const AccountLayers* layers = account_layers(account_id);
  if (!layers) return {};
  return layers->level_names;
}

const std::vector<eval::PolicyLevel>& CompiledWorld::rcp_levels(std::string_view account_id) const {
  static const std::vector<eval::PolicyLevel> outside;
  const AccountLayers* layers = account_layers(account_id);
  return layers ? layers->rcp : outside;
}

}  // namespace iamsim::model
