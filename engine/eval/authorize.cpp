// Stage: authorize. The evaluation flow of docs/rules.md (E, X, V, S, R):
//   1. scan every applicable layer for matching Deny and Allow statements;
//   2. any Deny is final (E2);
//   3. each SCP level must allow (E3, S3); the endpoint policy must allow (V1);
//   4. the resource policy and the principal's side combine by the rules of E5-E9, X1-X3,
//      with trust policies and key policies requiring their own grant (E6, T1, KM1).
#include "engine/eval/authorize.hpp"

#include <algorithm>

#include "engine/assert.hpp"
#include "engine/eval/conditions.hpp"
#include "engine/text.hpp"

namespace iamsim::eval {
namespace {

using compile::CompiledPrincipal;
using compile::CompiledStatement;
using compile::MatchResult;
using compile::ResourceScope;

template <typename C, typename V>
bool contains(const C& c, const V& v) {
  return std::find(c.begin(), c.end(), v) != c.end();
}

// Membership in a list of names (accounts, ARNs, services), without a memcmp call a name.
template <typename C>
bool names(const C& c, std::string_view v) {
  for (const auto& item : c)
    if (text_equal(item, v)) return true;
  return false;
}

// P1: a role ARN names the role with its path, so the whole ARN is compared. A session
// given by its assumed-role ARN does not carry its role's path (its role_arn is role/NAME):
// where naming the caller restricts it (a Deny, an Allow's NotPrincipal list) the role is
// named by account and name whatever the path; where it grants, only at the default path.
bool names_role(const CompiledPrincipal& p, const Principal& who, bool restricting) {
  const bool by_name = restricting && !who.role_path_known;
  for (const auto& r : p.roles)
    if (by_name ? text_equal(r.account, who.account) && text_equal(r.name, who.name) : text_equal(r.arn, who.role_arn))
      return true;
  return false;
}

bool names_unique_id(const CompiledPrincipal& p, const Principal& who) {
  return !who.unique_id.empty() && names(p.unique_ids, who.unique_id);
}

}  // namespace

PrincipalMatch match_principal(const CompiledPrincipal& p, const Principal& who, bool restricting) {
  if (p.everyone) return PrincipalMatch::Direct;
  switch (who.kind) {
    case PrincipalKind::User:
      if (names(p.user_arns, who.arn) || names_unique_id(p, who)) return PrincipalMatch::Direct;
      break;
    case PrincipalKind::RoleSession:
      if (who.session_known && names(p.session_arns, who.arn)) return PrincipalMatch::Direct;
      if (names_role(p, who, restricting) || names_unique_id(p, who)) return PrincipalMatch::RoleArn;
      break;
    case PrincipalKind::FederatedUser:
      if (names(p.session_arns, who.arn)) return PrincipalMatch::Direct;
      break;
    case PrincipalKind::Service: return names(p.services, who.arn) ? PrincipalMatch::Direct : PrincipalMatch::None;
    case PrincipalKind::WebIdentity:
    case PrincipalKind::Saml: return names(p.federated, who.arn) ? PrincipalMatch::Direct : PrincipalMatch::None;
    case PrincipalKind::Root:
    case PrincipalKind::Anonymous: break;
  }
  if (!who.account.empty() && names(p.accounts, who.account)) return PrincipalMatch::Account;
  return PrincipalMatch::None;
}

namespace {

// Deny + NotPrincipal (P7): is the caller among the listed exceptions?
bool listed_as_exception(const CompiledPrincipal& p, const Principal& who, const Semantics& s) {
  if (p.everyone) return true;
  const bool account = !who.account.empty() && names(p.accounts, who.account);
  switch (who.kind) {
    case PrincipalKind::User: {
      const bool own = names(p.user_arns, who.arn) || names_unique_id(p, who);
      return s.notprincipal_requires_all_arns ? own && account : own;
    }
    case PrincipalKind::RoleSession: {
      const bool session = who.session_known && names(p.session_arns, who.arn);
      const bool role = names_role(p, who, false);
      return s.notprincipal_requires_all_arns ? session && role && account : session || role;
    }
    case PrincipalKind::FederatedUser: {
      const bool own = names(p.session_arns, who.arn);
      return s.notprincipal_requires_all_arns ? own && account : own;
    }
    case PrincipalKind::Root: return account;
    case PrincipalKind::Service: return names(p.services, who.arn);
    case PrincipalKind::WebIdentity:
    case PrincipalKind::Saml: return names(p.federated, who.arn);
    case PrincipalKind::Anonymous: return false;
  }
  return false;
}

// Allow + NotPrincipal (P8): is the caller excluded from the grant? On the safe side, a
// caller named by any of its ARNs (account, user, role, session, unique id) is.
bool excluded_from_grant(const CompiledPrincipal& p, const Principal& who, const Semantics& s) {
  if (!s.notprincipal_allow_excludes_any_arn) return listed_as_exception(p, who, s);
  if (p.everyone) return true;
  if (!who.account.empty() && names(p.accounts, who.account)) return true;
  switch (who.kind) {
    case PrincipalKind::User: return names(p.user_arns, who.arn) || names_unique_id(p, who);
    case PrincipalKind::RoleSession:
      return (who.session_known && names(p.session_arns, who.arn)) || names_role(p, who, true) ||
             names_unique_id(p, who);
    case PrincipalKind::FederatedUser: return names(p.session_arns, who.arn);
    case PrincipalKind::Root: return false;  // its account was not listed
    case PrincipalKind::Service: return names(p.services, who.arn);
    case PrincipalKind::WebIdentity:
    case PrincipalKind::Saml: return names(p.federated, who.arn);
    case PrincipalKind::Anonymous: return false;
  }
  return false;
}

[[gnu::always_inline]] inline bool action_matches_impl(const CompiledStatement& st, std::string_view action,
                                                       std::string_view action_lower) {
  bool any = false;
  for (const auto& a : st.actions)
    if (a.pattern.match(a.case_sensitive ? action : action_lower, false, nullptr) == MatchResult::Match) {
      any = true;
      break;
    }
  return st.not_action ? !any : any;
}

[[gnu::always_inline]] inline bool action_matches(const CompiledStatement& st, const Request& r) {
  return action_matches_impl(st, r.action, r.action_lower);
}

// One Resource/NotResource entry against the request's resource. Variables appear only
// in the resource part (RS4), so only that part can be Unresolved.
MatchResult entry_match(const compile::ResourcePattern& p, const Request& r, const Semantics& s) {
  if (p.any) return MatchResult::Match;
  if (!r.resource_is_arn) return MatchResult::NoMatch;
  if (s.resource_wildcard_crosses_colon) return p.whole.match(r.resource, false, &r);
  if (p.fixed_head) {
    // The same as matching parts 0-3 one by one: they are literal text (compiled_policy.hpp).
    if (!text_equal(p.head, r.resource_head)) return MatchResult::NoMatch;
  } else if (p.parts[0].match(r.resource_parts[1], false, &r) != MatchResult::Match ||
             p.parts[1].match(r.resource_parts[2], false, &r) != MatchResult::Match ||
             p.parts[2].match(r.resource_parts[3], false, &r) != MatchResult::Match ||
             p.parts[3].match(r.resource_parts[4], false, &r) != MatchResult::Match) {
    return MatchResult::NoMatch;
  }
  return p.parts[4].match(r.resource_parts[5], false, &r);
}

// Does the statement cover the resource? Unresolved: only because a NotResource entry
// whose variable has no value matched nothing (PV7); `unresolved` then names that entry.
MatchResult resource_fit(const CompiledStatement& st, const Request& r, const Semantics& s,
                         const compile::ResourcePattern** unresolved = nullptr) {
  if (st.resource_scope == ResourceScope::Attached) return MatchResult::Match;
  const compile::ResourcePattern* unresolved_entry = nullptr;
  bool any = false;
  for (const auto& p : st.resources) {
    const MatchResult m = entry_match(p, r, s);  // unresolved in Resource: no match (RS4)
    if (m == MatchResult::Match) {
      any = true;
      break;
    }
    if (m == MatchResult::Unresolved && !unresolved_entry) unresolved_entry = &p;
  }
  if (st.resource_scope == ResourceScope::Listed) return any ? MatchResult::Match : MatchResult::NoMatch;
  if (any) return MatchResult::NoMatch;
  if (!unresolved_entry) return MatchResult::Match;
  if (unresolved) *unresolved = unresolved_entry;
  return MatchResult::Unresolved;
}

bool resource_matches_impl(const CompiledStatement& st, const Request& r, const Semantics& s) {
  return resource_fit(st, r, s) != MatchResult::NoMatch;
}

StatementRef ref_to(const AttachedPolicy& attached, std::uint32_t statement, Layer layer, int level,
                    std::uint32_t position) {
  return {attached.policy, attached.source, statement, layer, level, position};
}

// A matching statement of the layer being scanned: the layer and level are the scan's, so
// the full StatementRef is made only for the statements a decision cites.
struct Hit {
  const AttachedPolicy* policy = nullptr;
  std::uint32_t statement = 0, position = 0;
  StatementRef ref(Layer layer, int level) const { return ref_to(*policy, statement, layer, level, position); }
};

struct LayerScan {
  bool allow = false;
  bool deny = false;
  PrincipalMatch grant = PrincipalMatch::None;  // resource layer: strongest Allow
  Hit first_allow;
  Hit grant_hit;
};

class Evaluator {
 public:
  Evaluator(const Request& r, const PolicySet& ps, const Semantics& s, Decision& d) : r_(r), ps_(ps), s_(s), d_(d) {}

  bool principal_admits(const CompiledStatement& st, PrincipalMatch& pm) const {
    return statement_admits(st, r_.principal, s_, pm);
  }

  void scan(const AttachedPolicy& attached, Layer layer, int level, std::uint32_t position, LayerScan& out) {
    const auto& statements = attached.policy->statements;
    for (std::uint32_t i = 0; i < statements.size(); ++i) {
      const CompiledStatement& st = statements[i];
      const bool is_allow = st.effect == compile::Effect::Allow;
      // One Allow is enough everywhere but the resource layer, which wants the strongest.
      if (is_allow && out.allow && (layer != Layer::Resource || out.grant == PrincipalMatch::Direct)) continue;
      if (!action_matches(st, r_)) continue;
      const compile::ResourcePattern* unresolved_entry = nullptr;
      const MatchResult fit = resource_fit(st, r_, s_, &unresolved_entry);
      if (fit == MatchResult::NoMatch) continue;
      PrincipalMatch pm;
      if (!principal_admits(st, pm)) continue;
      // The statement is applicable (E11): every key its conditions test and the request
      // lacks is reported, also after a condition has already failed.
      Tri applies = Tri::True;
      const auto& conditions = st.conditions;
      std::uint32_t c = 0;
      for (; c < conditions.size() && applies != Tri::False; ++c) {
        const ContextEntry* entry = r_.context.find(conditions[c].key);
        if (!entry) missing_.push_back(&conditions[c]);
        applies = tri_and(applies, evaluate_condition(conditions[c], entry, r_, s_, &unreadable_));
        if (unreadable_.value) [[unlikely]] {
          d_.warnings.push_back({Code::UnreadableContextValue, ref_to(attached, i, layer, level, position), c,
                                 unreadable_.value->text, unreadable_.expected});
        } else if (unreadable_.over_budget) [[unlikely]] {
          d_.warnings.push_back({Code::WalkBudgetExceeded,
                                 ref_to(attached, i, layer, level, position),
                                 c,
                                 std::to_string(entry->values.size()) + " request values",
                                 {}});
        } else if (unreadable_.unresolved && is_allow && applies != Tri::False) [[unlikely]] {
          // PV7: a negated operator against a variable without value; the Allow does not apply.
          d_.warnings.push_back({Code::UnresolvedVariable,
                                 ref_to(attached, i, layer, level, position),
                                 c,
                                 unreadable_.unresolved->source(),
                                 {}});
        }
        unreadable_ = {};
      }
      for (; c < conditions.size(); ++c)
        if (!r_.context.find(conditions[c].key)) missing_.push_back(&conditions[c]);
      // Safe side (docs/rules.md choice 10): an unreadable value lets a Deny apply, not an Allow.
      if (applies == Tri::False || (applies == Tri::Unknown && is_allow)) continue;
      if (fit == MatchResult::Unresolved && is_allow) [[unlikely]] {
        // PV7: read literally, the NotResource entry would widen the Allow to every resource.
        d_.warnings.push_back({Code::UnresolvedVariable,
                               ref_to(attached, i, layer, level, position),
                               Warning::no_condition,
                               unresolved_entry->whole.source(),
                               {}});
        continue;
      }
      if (!is_allow) {
        out.deny = true;
        denies_.push_back(ref_to(attached, i, layer, level, position));
        continue;
      }
      const Hit hit{&attached, i, position};
      if (!out.allow) out.first_allow = hit;
      // E5: Principal "*" narrowed by aws:PrincipalArn is a grant to that principal.
      if (st.principal.everyone && st.conditions_name_principal_arn) pm = PrincipalMatch::Direct;
      out.allow = true;
      if (pm > out.grant) {
        out.grant = pm;
        out.grant_hit = hit;
      }
    }
  }

  void scan_all(std::span<const AttachedPolicy> policies, Layer layer, int level, LayerScan& out) {
    std::uint32_t position = 0;
    for (const auto& p : policies) scan(p, layer, level, position++, out);
  }

  // Deny path only: the first Allow of the policy whose action, resource and principal
  // match the request but one of whose conditions does not hold (or cannot be read).
  // The deny path is kept out of line, so the allow path stays small (cold).
  [[gnu::cold, gnu::noinline]] bool near_miss(const AttachedPolicy& attached, Layer layer, int level,
                                              std::uint32_t position, Reason& reason) const {
    const auto& statements = attached.policy->statements;
    for (std::uint32_t i = 0; i < statements.size(); ++i) {
      const CompiledStatement& st = statements[i];
      if (st.effect != compile::Effect::Allow || st.conditions.empty()) continue;
      PrincipalMatch pm;
      if (!action_matches(st, r_) || !resource_matches_impl(st, r_, s_) || !principal_admits(st, pm)) continue;
      for (std::uint32_t c = 0; c < st.conditions.size(); ++c)
        if (evaluate_condition(st.conditions[c], r_, s_) != Tri::True) {
          reason.near_miss = ref_to(attached, i, layer, level, position);
          reason.condition = c;
          return true;
        }
    }
    return false;
  }

  [[gnu::cold, gnu::noinline]] void near_miss_in(std::span<const AttachedPolicy> policies, Layer layer, int level,
                                                 Reason& reason) const {
    for (std::uint32_t p = 0; p < policies.size(); ++p)
      if (near_miss(policies[p], layer, level, p, reason)) return;
  }

  void set(Layer l, LayerResult res) { d_.layers[static_cast<std::size_t>(l)] = res; }
  void block(Layer l) { d_.blocked_by |= static_cast<std::uint8_t>(1u << static_cast<unsigned>(l)); }

  // A reason for an implicit deny, with the statement of its layer that nearly allowed.
  [[gnu::cold, gnu::noinline]] void reason(Code code, Layer layer, int level = -1) {
    if (d_.has_reason(code)) return;
    Reason& why = d_.reasons.emplace_back();
    why.code = code;
    why.layer = layer;
    why.level = level;
    switch (layer) {
      case Layer::Identity:
        if (code == Code::NoIdentityAllow) near_miss_in(ps_.identity, layer, -1, why);
        break;
      case Layer::Boundary:
        if (ps_.boundary) near_miss(*ps_.boundary, layer, -1, 0, why);
        break;
      case Layer::Session:
        if (ps_.session) near_miss(*ps_.session, layer, -1, 0, why);
        break;
      case Layer::Resource:
        why.resource_kind = r_.policy_kind();
        if (ps_.resource && code != Code::CrossPartition && code != Code::UnmodifiableRole &&
            code != Code::ReservedAlias)
          near_miss(*ps_.resource, layer, -1, 0, why);
        break;
      case Layer::VpcEndpoint:
        if (ps_.vpc_endpoint) near_miss(*ps_.vpc_endpoint, layer, -1, 0, why);
        break;
      case Layer::Scp: {
        const auto lv = static_cast<std::size_t>(level);
        IAMSIM_ASSERT(ps_.scp && level >= 0 && lv < ps_.scp->size(), "an SCP reason names no level of the set");
        if (lv < ps_.scp_level_names.size()) why.level_name = ps_.scp_level_names[lv];
        near_miss_in((*ps_.scp)[lv], layer, level, why);
        break;
      }
      case Layer::Rcp: break;  // RCPs never refuse implicitly (R2)
    }
  }

  // Which resource-side grant was missing, in the words of the resource policy's kind.
  Code missing_grant() const {
    switch (r_.policy_kind()) {
      case ResourcePolicyKind::RoleTrust: return Code::TrustWithoutGrant;   // T1, E6
      case ResourcePolicyKind::KmsKey: return Code::KeyPolicyWithoutGrant;  // KM1-KM3
      case ResourcePolicyKind::Ordinary:
        return r_.principal.is_iam() ? Code::NoCrossAccountGrant : Code::NoResourceGrant;  // X1, E5
    }
    unreachable();
  }

  void run() {
    const Principal& who = r_.principal;
    const ResourcePolicyKind kind = resource_policy_kind(r_);

    // 1. Scan the layers that apply.
    LayerScan identity, boundary, session, resource, endpoint;
    if (who.is_iam()) scan_all(ps_.identity, Layer::Identity, -1, identity);
    if (ps_.boundary && who.is_iam()) scan(*ps_.boundary, Layer::Boundary, -1, 0, boundary);
    if (ps_.session && who.is_session()) scan(*ps_.session, Layer::Session, -1, 0, session);
    if (ps_.resource) scan(*ps_.resource, Layer::Resource, -1, 0, resource);
    if (ps_.vpc_endpoint) scan(*ps_.vpc_endpoint, Layer::VpcEndpoint, -1, 0, endpoint);

    const bool scp_applies = ps_.scp && who.is_iam() && !who.management_account && !who.service_linked_role;
    bool scp_deny = false, scp_all_levels = true;
    int scp_level_without_allow = -1;
    if (ps_.scp && !scp_applies && !who.is_iam()) d_.warnings.push_back({Code::ScpNotApplicable, {}, 0, {}, {}});
    if (scp_applies) {
      const auto& levels = *ps_.scp;
      scp_allows_.resize(levels.size(), boost::container::default_init);
      for (std::size_t lv = 0; lv < levels.size(); ++lv) {
        LayerScan level;
        scan_all(levels[lv], Layer::Scp, static_cast<int>(lv), level);
        scp_deny |= level.deny;
        if (level.allow) {
          scp_allows_[lv] = level.first_allow;
        } else if (scp_all_levels) {
          scp_all_levels = false;
          scp_level_without_allow = static_cast<int>(lv);
        }
      }
    }
    bool rcp_deny = false;
    const bool rcp_applies = rcp_applicable();
    if (rcp_applies) {
      for (std::size_t lv = 0; lv < ps_.rcp.size(); ++lv) {
        LayerScan level;  // RCPFullAWSAccess is implied: only Deny statements matter (R2)
        scan_all(ps_.rcp[lv], Layer::Rcp, static_cast<int>(lv), level);
        rcp_deny |= level.deny;
      }
    }

    // Layer results as each layer sees the request on its own.
    auto result = [](bool present, const LayerScan& s) {
      if (!present) return LayerResult::None;
      if (s.deny) return LayerResult::ExplicitDeny;
      return s.allow ? LayerResult::Allow : LayerResult::ImplicitDeny;
    };
    const bool root = who.kind == PrincipalKind::Root;
    set(Layer::Identity, !who.is_iam()              ? LayerResult::None
                         : identity.deny            ? LayerResult::ExplicitDeny
                         : (identity.allow || root) ? LayerResult::Allow
                                                    : LayerResult::ImplicitDeny);
    set(Layer::Boundary, result(ps_.boundary.has_value() && who.is_iam(), boundary));
    set(Layer::Resource, result(ps_.resource.has_value(), resource));
    set(Layer::VpcEndpoint, result(ps_.vpc_endpoint.has_value(), endpoint));
    set(Layer::Scp, !scp_applies     ? LayerResult::None
                    : scp_deny       ? LayerResult::ExplicitDeny
                    : scp_all_levels ? LayerResult::Allow
                                     : LayerResult::ImplicitDeny);
    set(Layer::Rcp, !rcp_applies ? LayerResult::None : rcp_deny ? LayerResult::ExplicitDeny : LayerResult::Allow);
    // E9: a session with no session policy: a role session passes, a federated user does not.
    const bool session_ok = !who.is_session() ? true
                            : ps_.session     ? session.allow
                                              : who.kind == PrincipalKind::RoleSession;
    const Code session_refusal = ps_.session ? Code::SessionWithoutAllow : Code::FederatedWithoutSessionPolicy;
    set(Layer::Session, !who.is_session() ? LayerResult::None
                        : session.deny    ? LayerResult::ExplicitDeny
                        : ps_.session     ? (session.allow ? LayerResult::Allow : LayerResult::ImplicitDeny)
                        : session_ok      ? LayerResult::None
                                          : LayerResult::ImplicitDeny);

    // 2. Explicit deny anywhere (E2).
    if (!denies_.empty()) {
      d_.outcome = Outcome::ExplicitDeny;
      for (const auto& ref : denies_) {
        block(ref.layer);
        d_.determining.push_back(ref);
      }
      return;
    }

    // 3. Gates that each must allow on their own.
    bool allowed = true;
    if (scp_applies && !scp_all_levels) {
      allowed = false;
      block(Layer::Scp);
      reason(Code::ScpLevelWithoutAllow, Layer::Scp, scp_level_without_allow);
    }
    if (ps_.vpc_endpoint && !endpoint.allow) {
      allowed = false;
      block(Layer::VpcEndpoint);
      reason(Code::EndpointWithoutAllow, Layer::VpcEndpoint);
    }
    if (r_.modifies_unmodifiable_role() || r_.modifies_reserved_alias()) [[unlikely]] {
      allowed = false;  // T14, KM6: AWS refuses the change whatever the policies say
      if (!ps_.resource) set(Layer::Resource, LayerResult::ImplicitDeny);
      block(Layer::Resource);
      reason(r_.modifies_reserved_alias() ? Code::ReservedAlias : Code::UnmodifiableRole, Layer::Resource);
    }

    // 4. Resource policy and principal side.
    const bool identity_ok = root || identity.allow;  // E1: the root user has full access
    const bool boundary_ok = !ps_.boundary || boundary.allow;
    const bool principal_side_ok = identity_ok && boundary_ok && session_ok;
    d_.grant = static_cast<Grant>(resource.grant);
    const bool same_account = who.is_iam() && !who.account.empty() && who.account == resource_account();
    const bool grant_required = kind != ResourcePolicyKind::Ordinary;
    bool combined = false;
    bool used_grant = false, used_identity = false;

    auto explain_principal_side = [&]() {
      if (!identity_ok) {
        block(Layer::Identity);
        reason(Code::NoIdentityAllow, Layer::Identity);
      }
      if (!boundary_ok) {
        block(Layer::Boundary);
        reason(Code::BoundaryWithoutAllow, Layer::Boundary);
      }
      if (!session_ok) {
        block(Layer::Session);
        reason(session_refusal, Layer::Session);
      }
    };
    auto explain_no_grant = [&]() {
      // A grant was required: with no resource policy at all, the layer still refuses.
      if (!ps_.resource) set(Layer::Resource, LayerResult::ImplicitDeny);
      block(Layer::Resource);
      reason(missing_grant(), Layer::Resource);
    };

    if (root && kind == ResourcePolicyKind::RoleTrust && r_.action_lower == "sts:assumerole") {
      // T3: the root user cannot call AssumeRole.
      block(Layer::Identity);
      reason(Code::RootCannotAssumeRole, Layer::Identity);
    } else if (!who.is_iam()) {
      // Anonymous, service and identity-provider callers have no identity side: only a
      // resource policy grant can allow them (E5 "*", T6, K5).
      combined = resource.grant != PrincipalMatch::None;
      used_grant = combined;
      if (!combined) explain_no_grant();
    } else if (!partition_matches()) {
      block(Layer::Resource);  // X4: no access across partitions
      reason(Code::CrossPartition, Layer::Resource);
    } else if (same_account) {
      const bool arn_grant_alone = kind != ResourcePolicyKind::RoleTrust || s_.trust_arn_grant_suffices_same_account;
      bool grant_ok = false;
      switch (resource.grant) {
        case PrincipalMatch::Direct: grant_ok = arn_grant_alone || principal_side_ok; break;
        case PrincipalMatch::RoleArn: grant_ok = arn_grant_alone ? boundary_ok && session_ok : principal_side_ok; break;
        case PrincipalMatch::Account:
          grant_ok = s_.account_grant_needs_identity_allow ? principal_side_ok : true;
          break;
        case PrincipalMatch::None: grant_ok = false; break;
      }
      if (grant_ok) {
        combined = true;
        used_grant = true;
        used_identity = identity.allow && resource.grant == PrincipalMatch::Account;
      } else if (!grant_required && principal_side_ok) {
        combined = true;
        used_identity = true;
      } else if (grant_required && resource.grant == PrincipalMatch::None) {
        explain_no_grant();
      } else if (resource.grant == PrincipalMatch::RoleArn && arn_grant_alone) {
        // The role-ARN grant is cut by the boundary or session policy (E5).
        if (!boundary_ok) {
          block(Layer::Boundary);
          reason(Code::BoundaryWithoutAllow, Layer::Boundary);
        }
        if (!session_ok) {
          block(Layer::Session);
          reason(session_refusal, Layer::Session);
        }
      } else {
        explain_principal_side();
      }
    } else {
      // X1, X2: both the resource's account (a grant) and the principal's must allow.
      combined = resource.grant != PrincipalMatch::None && principal_side_ok;
      used_grant = used_identity = combined;
      if (resource.grant == PrincipalMatch::None) explain_no_grant();
      if (!principal_side_ok) explain_principal_side();
    }
    allowed = allowed && combined;
    d_.outcome = allowed ? Outcome::Allow : Outcome::ImplicitDeny;
    IAMSIM_ASSERT(allowed || !d_.reasons.empty(), "an implicit deny without a reason");
    if (allowed) {
      // The statements that allowed, sized once: a push_back per statement costs more.
      const bool cite_identity = used_identity && identity.allow;
      const bool cite_boundary = ps_.boundary && boundary.allow;
      const bool cite_session = ps_.session && session.allow;
      const bool cite_endpoint = ps_.vpc_endpoint.has_value();
      const std::size_t levels = scp_applies ? ps_.scp->size() : 0;
      auto& out = d_.determining;
      out.resize(std::size_t{used_grant} + cite_identity + cite_boundary + cite_session + cite_endpoint + levels,
                 boost::container::default_init);
      std::size_t n = 0;
      if (used_grant) out[n++] = resource.grant_hit.ref(Layer::Resource, -1);
      if (cite_identity) out[n++] = identity.first_allow.ref(Layer::Identity, -1);
      if (cite_boundary) out[n++] = boundary.first_allow.ref(Layer::Boundary, -1);
      if (cite_session) out[n++] = session.first_allow.ref(Layer::Session, -1);
      if (cite_endpoint) out[n++] = endpoint.first_allow.ref(Layer::VpcEndpoint, -1);
      for (std::size_t lv = 0; lv < levels; ++lv) out[n++] = scp_allows_[lv].ref(Layer::Scp, static_cast<int>(lv));
    }
  }

  // E11: the keys applicable statements tested and the request lacks, once each (keys are
  // case-insensitive, C3) as first written, in the order of their lower-cased names.
  // T12: sts:GetCallerIdentity needs no permission and cannot be denied. The layers keep
  // what they say on their own; the note says what the policies alone would have given.
  [[gnu::cold, gnu::noinline]] void grant_without_permission() {
    Warning note{Code::NoPermissionNeeded, {}, Warning::no_condition, std::string(to_string(d_.outcome)), {}};
    d_.outcome = Outcome::Allow;
    d_.blocked_by = 0;
    d_.reasons.clear();
    d_.determining.clear();
    d_.warnings.push_back(std::move(note));
  }

  void report_missing_keys() {
    if (missing_.empty()) return;
    std::stable_sort(
        missing_.begin(), missing_.end(),
        [](const compile::CompiledCondition* a, const compile::CompiledCondition* b) { return a->key < b->key; });
    for (std::size_t i = 0; i < missing_.size(); ++i)
      if (i == 0 || missing_[i]->key != missing_[i - 1]->key) d_.missing_context_keys.push_back(missing_[i]->key_text);
  }

 private:
  std::string_view resource_account() const { return resource_account_of(r_); }
  bool partition_matches() const { return same_partition(r_); }
  bool rcp_applicable() const { return rcps_apply(r_, ps_, s_); }

  const Request& r_;
  const PolicySet& ps_;
  const Semantics& s_;
  Decision& d_;
  boost::container::small_vector<StatementRef, 4> denies_;
  boost::container::small_vector<Hit, 7> scp_allows_;  // per SCP level; root, 5 OU levels, account
  boost::container::small_vector<const compile::CompiledCondition*, 8> missing_;
  Unreadable unreadable_;  // set by a condition whose request value cannot be read
};

}  // namespace

std::string_view resource_account_of(const Request& r) {
  if (r.resource_owned_by_aws()) return r.principal.account;  // X6: never cross-account
  if (!r.resource_account.empty()) return r.resource_account;
  return r.principal.account;  // unknown owner: the caller's own account (a warning says so)
}

bool same_partition(const Request& r) {
  return !r.resource_is_arn || r.resource_parts[1].empty() || r.resource_parts[1] == r.principal.partition;
}

bool rcps_apply(const Request& r, const PolicySet& ps, const Semantics& s) {
  if (ps.rcp.empty() || r.resource_in_management_account || r.resource_owned_by_aws()) return false;  // R4, X6
  const auto service = r.action_service();
  if (!names(s.rcp_services, service)) return false;  // R5
  if (service == "kms" && (r.resource_is_aws_managed_key || r.action_lower == "kms:retiregrant")) return false;
  if (r.principal.service_linked_role && s.rcp_exempt_service_linked_roles) return false;
  return true;
}

bool statement_admits(const compile::CompiledStatement& st, const Principal& who, const Semantics& s,
                      PrincipalMatch& pm) {
  pm = PrincipalMatch::Direct;
  if (!st.principal.present) return true;
  const bool is_deny = st.effect == compile::Effect::Deny;
  if (st.principal.negated) {
    if (!is_deny) return !excluded_from_grant(st.principal, who, s);  // P8
    const bool boundary_rule = s.notprincipal_deny_always_denies_boundary && who.has_boundary;
    return !listed_as_exception(st.principal, who, s) || boundary_rule;  // P7
  }
  pm = match_principal(st.principal, who, is_deny);
  return pm != PrincipalMatch::None;
}

bool resource_matches(const compile::CompiledStatement& st, const Request& r, const Semantics& s) {
  return resource_matches_impl(st, r, s);
}

bool action_matches(const compile::CompiledStatement& st, std::string_view action, std::string_view action_lower) {
  return action_matches_impl(st, action, action_lower);
}

Decision authorize(const Request& request, const PolicySet& policies, const Semantics& semantics) {
  Decision decision;
  Evaluator evaluator(request, policies, semantics, decision);
  evaluator.run();
  evaluator.report_missing_keys();
  if (request.needs_no_permission() && request.principal.is_iam()) [[unlikely]]
    evaluator.grant_without_permission();
  return decision;
}

std::string_view to_string(Layer l) {
  switch (l) {
    case Layer::Scp: return "scp";
    case Layer::Rcp: return "rcp";
    case Layer::Identity: return "identity";
    case Layer::Resource: return "resource";
    case Layer::Boundary: return "boundary";
    case Layer::Session: return "session";
    case Layer::VpcEndpoint: return "vpc_endpoint";
  }
  unreachable();
}

std::string_view to_string(LayerResult r) {
  switch (r) {
    case LayerResult::None: return "none";
    case LayerResult::Allow: return "allow";
    case LayerResult::ExplicitDeny: return "explicit_deny";
    case LayerResult::ImplicitDeny: return "implicit_deny";
  }
  unreachable();
}

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::Allow: return "allow";
    case Outcome::ExplicitDeny: return "explicit_deny";
    case Outcome::ImplicitDeny: return "implicit_deny";
  }
  unreachable();
}

}  // namespace iamsim::eval
