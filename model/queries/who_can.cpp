// Stage: paths (queries). who-can and the access matrix. Pruning is conservative: a
// principal is dropped only when no statement could allow it, ignoring conditions and
// resources, so every allowed principal is among the candidates.
#include "model/queries/who_can.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

#include <tbb/parallel_for.h>

#include "engine/catalog/aws_catalog.hpp"
#include "engine/eval/authorize.hpp"
#include "engine/syntax/arn.hpp"
#include "engine/syntax/arn_kind.hpp"
#include "engine/text.hpp"
#include "model/paths/placement.hpp"

namespace iamsim::model {
namespace {

using compile::CompiledPolicy;
using compile::CompiledPrincipal;

PrincipalRef arn_ref(const std::string& arn, syntax::PrincipalArnKind kind, const std::string& account) {
  PrincipalRef r;
  r.kind = PrincipalRef::Kind::Arn;
  r.arn = arn;
  r.arn_kind = kind;
  r.account_id = account;
  return r;
}

// A user as the engine sees it when it calls.
eval::Principal caller_of(const User& u) {
  eval::Principal p;
  p.kind = eval::PrincipalKind::User;
  p.arn = u.arn;
  p.account = u.account_id;
  p.name = u.name;
  p.unique_id = u.unique_id;
  return p;
}

// A role as the engine sees a session of it whose name is not known (as for a role ARN).
eval::Principal caller_of(const Role& r) {
  eval::Principal p;
  p.kind = eval::PrincipalKind::RoleSession;
  p.arn = r.arn;
  p.account = r.account_id;
  p.name = r.name;
  p.role_arn = r.arn;
  p.role_path_known = true;
  p.session_known = false;
  p.unique_id = r.unique_id;
  return p;
}

PrincipalRef k8s_ref(PrincipalRef::Kind kind, const std::string& cluster, const std::string& ns,
                     const std::string& name) {
  PrincipalRef r;
  r.kind = kind;
  r.cluster = cluster;
  r.namespace_name = ns;
  r.name = name;
  return r;
}

// The role a service account's pods end up with, if any (IRSA first, as the SDKs do).
const Role* final_role(const World& w, const Cluster& c, const ServiceAccount& sa) {
  if (sa.role_arn) return w.find_role(*sa.role_arn);
  if (const auto* a = w.find_pod_identity_association(c.name, sa.namespace_name, sa.name))
    return w.find_role(a->target_role_arn ? *a->target_role_arn : a->role_arn);
  return nullptr;
}

}  // namespace

struct PrincipalIndex::Identity {
  PrincipalRef ref;
  eval::Principal caller;  // a role's with its session unknown
  const Role* role = nullptr;
  std::vector<const CompiledPolicy*> identity;
  std::string session_prefix;  // a role's: arn:aws:sts::ACCOUNT:assumed-role/NAME/
};

namespace {

// Could the statement cover the resource? Variables cannot be resolved here, so a pattern
// that holds one counts as covering.
bool may_cover(const compile::CompiledStatement& st, const eval::Request* resource, const Semantics& s) {
  if (!resource) return true;
  for (const auto& p : st.resources)
    if (p.parts[4].has_variables() || p.whole.has_variables()) return true;
  return eval::resource_matches(st, *resource, s);
}

// Could this policy's Allow statements name the identity for the action? The engine's
// principal matcher decides (P1-P3). A role is asked as a session of unknown name, and
// then as each session of it that a statement names, since any of them may be the caller.
template <typename Identity>
bool may_grant(const CompiledPolicy& p, std::string_view action_lower, const Identity& who,
               const eval::Request* resource = nullptr, const Semantics* s = nullptr) {
  for (const auto& st : p.statements) {
    if (st.effect != compile::Effect::Allow || !eval::action_matches(st, action_lower, action_lower)) continue;
    if (s && !may_cover(st, resource, *s)) continue;
    const CompiledPrincipal& pr = st.principal;
    if (!pr.present || pr.negated) return true;  // none, or NotPrincipal: all it does not list
    if (eval::match_principal(pr, who.caller) != eval::PrincipalMatch::None) return true;
    if (!who.role) continue;
    for (const auto& session_arn : pr.session_arns) {
      if (!session_arn.starts_with(who.session_prefix)) continue;
      eval::Principal session = who.caller;
      session.arn = session_arn;
      session.session_known = true;
      if (eval::match_principal(pr, session) != eval::PrincipalMatch::None) return true;
    }
  }
  return false;
}

bool may_allow(const std::vector<const CompiledPolicy*>& policies, std::string_view action_lower,
               const eval::Request* resource = nullptr, const Semantics* s = nullptr) {
  for (const CompiledPolicy* p : policies)
    for (const auto& st : p->statements)
      if (st.effect == compile::Effect::Allow && eval::action_matches(st, action_lower, action_lower) &&
          (!s || may_cover(st, resource, *s)))
        return true;
  return false;
}

// Could any Allow statement for the action name an IAM principal (not only services or
// identity providers)? Trust policies of IRSA and Pod Identity roles do not, so chains
// into those roles need no look at the callers.
bool may_name_iam_principals(const CompiledPolicy& p, std::string_view action_lower) {
  for (const auto& st : p.statements) {
    if (st.effect != compile::Effect::Allow || !eval::action_matches(st, action_lower, action_lower)) continue;
    const CompiledPrincipal& pr = st.principal;
    if (!pr.present || pr.negated || pr.everyone || !pr.accounts.empty() || !pr.user_arns.empty() ||
        !pr.roles.empty() || !pr.session_arns.empty() || !pr.unique_ids.empty())
      return true;
  }
  return false;
}

// Could an Allow admit anonymous callers? Principal "*", or a NotPrincipal (P8: it grants
// everyone it does not list, anonymous callers included).
bool grants_everyone(const CompiledPolicy& p, std::string_view action_lower) {
  for (const auto& st : p.statements)
    if (st.effect == compile::Effect::Allow && (st.principal.everyone || st.principal.negated) &&
        eval::action_matches(st, action_lower, action_lower))
      return true;
  return false;
}

}  // namespace

PrincipalIndex::PrincipalIndex(const AccessResolver& resolver) : resolver_(resolver) {
  const CompiledWorld& cw = resolver.world();
  const World& w = cw.world();
  for (const auto& a : w.accounts) {
    for (const auto& u : a.users) {
      Identity id{arn_ref(u.arn, syntax::PrincipalArnKind::User, a.id), caller_of(u), nullptr, {}, {}};
      for (const auto& p : cw.identity_policies(u)) id.identity.push_back(p.policy);
      identities_.push_back(std::move(id));
    }
    for (const auto& r : a.roles) {
      Identity id{arn_ref(r.arn, syntax::PrincipalArnKind::Role, a.id),
                  caller_of(r),
                  &r,
                  {},
                  "arn:aws:sts::" + a.id + ":assumed-role/" + r.name + "/"};
      for (const auto& p : cw.identity_policies(r)) id.identity.push_back(p.policy);
      identities_.push_back(std::move(id));
    }
  }
  for (const auto& i : identities_) all_.push_back(i.ref);
  all_.push_back(PrincipalRef{});  // anonymous: a public resource policy admits it
  // Each pod's final role, found once: queries then look pods up by role.
  std::unordered_map<const Role*, std::size_t> role_identity;
  for (std::size_t i = 0; i < identities_.size(); ++i)
    if (identities_[i].role) {
      role_identity[identities_[i].role] = i;
      role_by_arn_.emplace(identities_[i].role->arn, i);
    }
  may_assume_.resize(identities_.size());
  for (std::size_t c = 0; c < identities_.size(); ++c)
    may_assume_[c] = may_allow(identities_[c].identity, "sts:assumerole");
  pods_by_identity_.resize(identities_.size());
  auto add_pod_as = [&](PrincipalRef ref, const Role* r, bool is_sa) {
    auto it = r ? role_identity.find(r) : role_identity.end();
    if (it == role_identity.end()) return;
    if (is_sa) pods_by_identity_[it->second].push_back(pods_.size());
    pods_.push_back({std::move(ref), it->second, is_sa});
  };
  auto add_pod = [&](PrincipalRef ref, const Cluster& c, const ServiceAccount* sa, bool is_sa) {
    add_pod_as(std::move(ref), sa ? final_role(w, c, *sa) : nullptr, is_sa);
  };
  // K8: every node group a pod may run on and reach the instance metadata of, IRSA or not,
  // is a path to the node role: `REF@node:GROUP`.
  // Without IRSA or Pod Identity the reference itself (the SDK's chain) ends there too.
  auto add_node_paths = [&](const PrincipalRef& base, const Cluster& c, const WorkloadComponent& pod, bool is_sa,
                            bool chain_ends_at_node) {
    for (const Placement& p : placements_of(c, base.namespace_name, pod)) {
      if (!p.node_group || !imds_reach(*p.node_group, pod.host_network).reachable) continue;
      const Role* node_role = w.find_role(p.node_group->role_arn);
      PrincipalRef ref = base;
      ref.node_group = p.node_group->name;
      all_.push_back(ref);
      add_pod_as(std::move(ref), node_role, is_sa);
      if (chain_ends_at_node) add_pod_as(base, node_role, is_sa);
    }
  };
  auto has_own_role = [&](const Cluster& c, const ServiceAccount* sa) {
    return sa && (sa->role_arn || w.find_pod_identity_association(c.name, sa->namespace_name, sa->name));
  };
  for (const auto& a : w.accounts)
    for (const auto& c : a.clusters) {
      for (const auto& sa : c.service_accounts) {
        auto ref = k8s_ref(PrincipalRef::Kind::ServiceAccount, c.name, sa.namespace_name, sa.name);
        all_.push_back(ref);
        WorkloadComponent bare;
        bare.service_account = sa.name;
        add_node_paths(ref, c, bare, true, !has_own_role(c, &sa));
        add_pod(std::move(ref), c, &sa, true);
      }
      for (const auto& wl : c.workloads) {
        auto ref = k8s_ref(PrincipalRef::Kind::Workload, c.name, wl.namespace_name, wl.name);
        all_.push_back(ref);
        const ServiceAccount* sa = w.find_service_account(c.name, wl.namespace_name, wl.service_account());
        add_node_paths(ref, c, wl.components.front(), false, !has_own_role(c, sa));
        add_pod(std::move(ref), c, sa, false);
      }
    }
}

PrincipalIndex::~PrincipalIndex() = default;

std::vector<PrincipalRef> PrincipalIndex::candidates(std::string_view action, std::string_view resource_arn,
                                                     bool any_resource_pattern) const {
  const CompiledWorld& cw = resolver_.world();
  const World& w = cw.world();
  const std::string action_lower = ascii_lowered(action);

  // The resource: its account and its policy.
  std::string resource_account;
  const CompiledPolicy* resource_policy = nullptr;
  // A key's grants (KM2) and a bucket's ACL (B3) grant as its resource policy does.
  const CompiledPolicy* grants = nullptr;
  if (auto arn = syntax::parse_arn(resource_arn)) {
    if (!syntax::is_aws_namespace(arn->account)) resource_account = arn->account;  // X6: no account owns it
    switch (syntax::resource_arn_kind(*arn)) {
      case syntax::ResourceArnKind::S3Bucket:
      case syntax::ResourceArnKind::S3Object:
        if (const Bucket* b = w.find_bucket(syntax::s3_bucket_name(*arn))) {
          resource_account = b->account_id;
          if (b->policy) resource_policy = cw.attach(*b->policy).policy;
          if (b->acl_policy) grants = cw.attach(*b->acl_policy).policy;  // B3
        }
        break;
      case syntax::ResourceArnKind::KmsKey:
        if (const KmsKey* k = w.find_key(resource_arn)) {
          resource_policy = cw.attach(k->policy).policy;
          if (k->grants_policy) grants = cw.attach(*k->grants_policy).policy;
        }
        break;
      case syntax::ResourceArnKind::IamRole:
        if (const Role* r = w.find_role(resource_arn)) resource_policy = cw.attach(r->trust).policy;
        break;
      default:
        // B6: through an access point, its policy grants (the bucket's is checked on the path).
        if (auto ap = syntax::s3_access_point(*arn))
          if (const AccessPoint* point = w.find_access_point(arn->account, ap->name).second; point && point->policy)
            resource_policy = cw.attach(*point->policy).policy;
        break;  // any other resource is not modelled: no resource policy
    }
  }

  // Which identities could make the final request and be allowed (E5-E7, X1, X2), judged
  // by action and resource, not by conditions. A trust or key policy must grant on its
  // own (E6, KM1): the engine says which kind the request meets.
  eval::Request target;
  target.set_action(action);
  target.set_resource(resource_arn);
  const bool grant_required = target.policy_kind() != eval::ResourcePolicyKind::Ordinary;
  const Semantics& semantics = cw.semantics();
  const eval::Request* covered = any_resource_pattern ? nullptr : &target;
  std::vector<bool> possible(identities_.size(), false);
  for (std::size_t i = 0; i < identities_.size(); ++i) {
    const Identity& id = identities_[i];
    const bool grant = (resource_policy && may_grant(*resource_policy, action_lower, id, covered, &semantics)) ||
                       (grants && may_grant(*grants, action_lower, id, covered, &semantics));
    const bool allow = may_allow(id.identity, action_lower, covered, &semantics);
    const bool same = resource_account.empty() || resource_account == id.caller.account;
    possible[i] = grant_required ? grant && (same || allow) : (same ? allow || grant : allow && grant);
    possible[i] = possible[i] || target.needs_no_permission();  // T12: every IAM identity may
  }

  std::vector<PrincipalRef> out;
  for (std::size_t i = 0; i < identities_.size(); ++i)
    if (possible[i]) out.push_back(identities_[i].ref);
  // Service accounts and workloads whose pods end up as a possible role.
  for (const auto& pod : pods_)
    if (possible[pod.identity]) out.push_back(pod.ref);
  // One-role chains: whoever might assume a possible role.
  for (std::size_t t = 0; t < identities_.size(); ++t) {
    if (!possible[t] || !identities_[t].role) continue;
    for (PrincipalRef& chained : assumers_of(t)) {
      chained.chain.emplace_back(identities_[t].role->arn);
      out.push_back(std::move(chained));
    }
  }
  if ((resource_policy && grants_everyone(*resource_policy, action_lower)) ||
      (grants && grants_everyone(*grants, action_lower)))
    out.push_back(PrincipalRef{});  // anonymous
  // A pod that may run on several node groups is a candidate once per node role: once is enough.
  std::set<std::string> seen;
  std::erase_if(out, [&](const PrincipalRef& r) { return !seen.insert(to_string(r)).second; });
  return out;
}

// A caller that the role's trust policy might admit and whose own policies could allow
// sts:AssumeRole, or that the trust names in its own account (T1, T2); with the service
// accounts whose pods end up as such a caller.
std::vector<PrincipalRef> PrincipalIndex::assumers_of(std::size_t target) const {
  std::vector<PrincipalRef> out;
  const CompiledPolicy* trust = resolver_.world().attach(identities_[target].role->trust).policy;
  if (!may_name_iam_principals(*trust, "sts:assumerole")) return out;
  for (std::size_t c = 0; c < identities_.size(); ++c) {
    if (c == target) continue;
    const bool same_account = identities_[c].caller.account == identities_[target].caller.account;
    if (!(may_assume_[c] || same_account) || !may_grant(*trust, "sts:assumerole", identities_[c])) continue;
    out.push_back(identities_[c].ref);
    for (std::size_t p : pods_by_identity_[c]) out.push_back(pods_[p].ref);
  }
  return out;
}

std::vector<PrincipalRef> PrincipalIndex::assumers(std::string_view role_arn) const {
  const auto it = role_by_arn_.find(std::string(role_arn));
  return it == role_by_arn_.end() ? std::vector<PrincipalRef>{} : assumers_of(it->second);
}

std::vector<AllowedPrincipal> PrincipalIndex::who_can(std::string_view action, std::string_view resource_arn,
                                                      const Context& context) const {
  const auto refs = candidates(action, resource_arn);
  std::vector<std::optional<AllowedPrincipal>> results(refs.size());
  tbb::parallel_for(std::size_t(0), refs.size(), [&](std::size_t i) {
    Access access = resolver_.decide({refs[i], std::string(action), std::string(resource_arn), context});
    if (access.allowed()) results[i] = AllowedPrincipal{refs[i], std::move(access)};
  });
  std::vector<AllowedPrincipal> out;
  for (auto& r : results)
    if (r) out.push_back(std::move(*r));
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return to_string(a.principal) < to_string(b.principal); });
  return out;
}

// ---- the access matrix ----------------------------------------------------------------

namespace {

using catalog::Catalog;

// The catalogue's resource types of each resource asked about, found once: matching ARN forms
// costs microseconds, and the matrix asks about every (action, resource) pair.
class ResourceTypes {
 public:
  const std::vector<const catalog::ResourceType*>& of(const std::string& arn) {
    auto it = types_.find(arn);
    if (it == types_.end()) it = types_.emplace(arn, Catalog::aws().resource_types_of(arn)).first;
    return it->second;
  }

 private:
  std::unordered_map<std::string, std::vector<const catalog::ResourceType*>> types_;
};

bool applies(const catalog::Action& action, const std::vector<const catalog::ResourceType*>& types) {
  for (const auto* t : action.resource_types)
    if (std::find(types.begin(), types.end(), t) != types.end()) return true;
  return false;
}

// An action the catalogue does not know applies to the resources of its own service.
bool unknown_action_applies(std::string_view action, std::string_view resource_arn) {
  auto parts = syntax::parse_arn(resource_arn);
  return parts && ascii_lowered(action.substr(0, action.find(':'))) == parts->service;
}

bool applies_to(std::string_view action, const std::string& resource_arn, ResourceTypes& types) {
  const catalog::Action* a = Catalog::aws().find_action(action);
  return a ? applies(*a, types.of(resource_arn)) : unknown_action_applies(action, resource_arn);
}

}  // namespace

bool action_applies_to(std::string_view action, std::string_view resource_arn) {
  ResourceTypes types;
  return applies_to(action, std::string(resource_arn), types);
}

MatrixAxes default_axes(const CompiledWorld& cw) {
  const World& w = cw.world();
  MatrixAxes axes;
  std::set<std::string> principals, actions, resources;
  // Actions: every action the world's policies name.
  std::set<std::string> patterns;
  auto collect = [&](const PolicyDocument& d) {
    for (const auto& st : cw.attach(d).policy->statements)
      if (!st.not_action)
        for (const auto& a : st.actions) patterns.insert(a.pattern.source());
  };
  for (const auto& a : w.accounts) {
    for (const auto& u : a.users)
      for (const auto& d : u.policies) collect(d);
    for (const auto& g : a.groups)
      for (const auto& d : g.policies) collect(d);
    for (const auto& r : a.roles) {
      collect(r.trust);
      for (const auto& d : r.policies) collect(d);
    }
    for (const auto& b : a.buckets)
      if (b.policy) collect(*b.policy);
    for (const auto& k : a.kms_keys) collect(k.policy);
  }
  // Resources: buckets with their objects, keys, roles.
  for (const auto& a : w.accounts) {
    for (const auto& b : a.buckets) {
      resources.insert(b.arn);
      bool object_named = false;
      for (const auto& e : w.expectations)
        if (e.resource_arn.rfind(b.arn + "/", 0) == 0) {
          resources.insert(e.resource_arn);
          object_named = true;
        }
      if (!object_named) resources.insert(b.arn + "/object");
    }
    for (const auto& k : a.kms_keys) resources.insert(k.arn);
    for (const auto& r : a.roles) resources.insert(r.arn);
  }
  // Actions: each pattern expanded over the catalogue, keeping the actions that apply to a
  // resource of the world (each to the resource types it supports). An action the catalogue
  // does not know is kept as written.
  ResourceTypes types;
  for (const auto& pattern : patterns) {
    const auto expanded = Catalog::aws().expand(pattern);
    if (expanded.empty() && pattern.find_first_of("*?") == std::string::npos) actions.insert(pattern);
    for (const catalog::Action* a : expanded)
      for (const auto& r : resources)
        if (applies(*a, types.of(r))) {
          actions.insert(a->full_name());
          break;
        }
  }
  const AccessResolver resolver(std::shared_ptr<const CompiledWorld>(&cw, [](const CompiledWorld*) {}));
  const PrincipalIndex index(resolver);
  for (const auto& p : index.all()) principals.insert(to_string(p));
  axes.principals.assign(principals.begin(), principals.end());
  axes.actions.assign(actions.begin(), actions.end());
  axes.resources.assign(resources.begin(), resources.end());
  return axes;
}

MatrixAxes filter_axes(MatrixAxes axes, const std::vector<std::string>& principals,
                       const std::vector<std::string>& actions, const std::vector<std::string>& resources) {
  auto keep = [](std::vector<std::string>& axis, const std::vector<std::string>& filters) {
    if (filters.empty()) return;
    std::erase_if(axis, [&](const std::string& v) {
      return std::none_of(filters.begin(), filters.end(),
                          [&](const std::string& f) { return v.find(f) != std::string::npos; });
    });
  };
  keep(axes.principals, principals);
  keep(axes.actions, actions);
  keep(axes.resources, resources);
  return axes;
}

std::size_t matrix_pairs(const MatrixAxes& axes) {
  ResourceTypes types;
  std::size_t n = 0;
  for (const auto& r : axes.resources)
    for (const auto& a : axes.actions) n += applies_to(a, r, types);
  return n;
}

void restrict_to_axes(Matrix& m) {
  const std::set<std::string> principals(m.axes.principals.begin(), m.axes.principals.end());
  const std::set<std::string> actions(m.axes.actions.begin(), m.axes.actions.end());
  const std::set<std::string> resources(m.axes.resources.begin(), m.axes.resources.end());
  std::erase_if(m.allowed, [&](const MatrixCell& c) {
    const std::string base = c.principal.substr(0, c.principal.find(" -> "));
    return !principals.count(base) || !actions.count(c.action) || !resources.count(c.resource);
  });
  std::sort(m.allowed.begin(), m.allowed.end());
}

Matrix build_matrix(const AccessResolver& resolver, const MatrixAxes& axes, std::atomic<std::size_t>* done,
                    std::size_t first, std::size_t last) {
  Matrix m;
  m.world = resolver.world().world().scenario_name;
  m.axes = axes;
  const PrincipalIndex index(resolver);
  std::vector<std::pair<std::string, std::string>> pairs;
  ResourceTypes types;
  for (const auto& r : axes.resources)
    for (const auto& a : axes.actions)
      if (applies_to(a, r, types)) pairs.emplace_back(a, r);
  pairs.erase(pairs.begin() + static_cast<std::ptrdiff_t>(std::min(last, pairs.size())), pairs.end());
  pairs.erase(pairs.begin(), pairs.begin() + static_cast<std::ptrdiff_t>(std::min(first, pairs.size())));
  std::mutex mutex;
  tbb::parallel_for(std::size_t(0), pairs.size(), [&](std::size_t i) {
    const auto& [action, resource] = pairs[i];
    auto allowed = index.who_can(action, resource);
    if (done) done->fetch_add(1, std::memory_order_relaxed);
    std::lock_guard lock(mutex);
    for (const auto& a : allowed) m.allowed.push_back({to_string(a.principal), action, resource});
  });
  restrict_to_axes(m);
  std::sort(m.allowed.begin(), m.allowed.end());
  return m;
}

}  // namespace iamsim::model
