// Stage: authorize. The evaluation flow of docs/rules.md (E, X, V, S, R):
//   1. scan every applicable layer for matching Deny and Allow statements;
//   2. any Deny is final (E2);
//   3. each SCP level must allow (E3, S3); the endpoint policy must allow (V1);
//   4. the resource policy and the principal's side combine by the rules of E5-E9, X1-X3,
//      with trust policies and key policies requiring their own grant (E6, T1, KM1).
#include "engine/eval/authorize.hpp"

#include <algorithm>

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

bool names_role(const CompiledPrincipal& p, const Principal& who) {
  for (const auto& r : p.roles)
    if (text_equal(r.account, who.account) && text_equal(r.name, who.name)) return true;
  return false;
}

}  // namespace

PrincipalMatch match_principal(const CompiledPrincipal& p, const Principal& who) {
  if (p.everyone) return PrincipalMatch::Direct;
  switch (who.kind) {
    case PrincipalKind::User:
      if (names(p.user_arns, who.arn) || (!who.unique_id.empty() && names(p.unique_ids, who.unique_id)))
        return PrincipalMatch::Direct;
      break;
    case PrincipalKind::RoleSession:
      if (who.session_known && names(p.session_arns, who.arn)) return PrincipalMatch::Direct;
      if (names_role(p, who) || (!who.unique_id.empty() && names(p.unique_ids, who.unique_id)))
        return PrincipalMatch::RoleArn;
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

// NotPrincipal (P7): is the caller among the listed exceptions?
bool listed_as_exception(const CompiledPrincipal& p, const Principal& who, const Semantics& s) {
  if (p.everyone) return true;
  const bool account = !who.account.empty() && names(p.accounts, who.account);
  switch (who.kind) {
    case PrincipalKind::User: {
      const bool own = names(p.user_arns, who.arn) || (!who.unique_id.empty() && names(p.unique_ids, who.unique_id));
      return s.notprincipal_requires_all_arns ? own && account : own;
    }
    case PrincipalKind::RoleSession: {
      const bool session = who.session_known && names(p.session_arns, who.arn);
      const bool role = names_role(p, who);
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

bool action_matches(const CompiledStatement& st, const Request& r) {
  return eval::action_matches(st, r.action, r.action_lower);
}

bool resource_matches_impl(const CompiledStatement& st, const Request& r, const Semantics& s) {
  if (st.resource_scope == ResourceScope::Attached) return true;
  bool any = false;
  for (const auto& p : st.resources) {
    if (p.any) {
      any = true;
    } else if (!r.resource_is_arn) {
      continue;
    } else if (s.resource_wildcard_crosses_colon) {
      any = p.whole.match(r.resource, false, &r) == MatchResult::Match;  // unresolved: no match (RS4)
    } else {
      any = p.parts[0].match(r.resource_parts[1], false, &r) == MatchResult::Match &&
            p.parts[1].match(r.resource_parts[2], false, &r) == MatchResult::Match &&
            p.parts[2].match(r.resource_parts[3], false, &r) == MatchResult::Match &&
            p.parts[3].match(r.resource_parts[4], false, &r) == MatchResult::Match &&
            p.parts[4].match(r.resource_parts[5], false, &r) == MatchResult::Match;
    }
    if (any) break;
  }
  return st.resource_scope == ResourceScope::NotListed ? !any : any;
}

struct LayerScan {
  bool allow = false;
  bool deny = false;
  StatementRef first_allow;
  PrincipalMatch grant = PrincipalMatch::None;  // resource layer: strongest Allow
  StatementRef grant_ref;
};

class Evaluator {
 public:
  Evaluator(const Request& r, const PolicySet& ps, const Semantics& s, Decision& d) : r_(r), ps_(ps), s_(s), d_(d) {}

  void scan(const AttachedPolicy& attached, Layer layer, int level, LayerScan& out) {
    const auto& statements = attached.policy->statements;
    for (std::uint32_t i = 0; i < statements.size(); ++i) {
      const CompiledStatement& st = statements[i];
      const bool is_allow = st.effect == compile::Effect::Allow;
      // One Allow is enough everywhere but the resource layer, which wants the strongest.
      if (is_allow && out.allow && (layer != Layer::Resource || out.grant == PrincipalMatch::Direct)) continue;
      if (!action_matches(st, r_) || !resource_matches_impl(st, r_, s_)) continue;
      PrincipalMatch pm = PrincipalMatch::Direct;
      if (st.principal.present) {
        if (st.principal.negated) {
          const bool boundary_rule =
              !is_allow && s_.notprincipal_deny_always_denies_boundary && r_.principal.has_boundary;
          if (listed_as_exception(st.principal, r_.principal, s_) && !boundary_rule) continue;
        } else {
          pm = match_principal(st.principal, r_.principal);
          if (pm == PrincipalMatch::None) continue;
        }
      }
      Tri applies = Tri::True;
      for (const auto& c : st.conditions) {
        applies = tri_and(applies, evaluate_condition(c, r_, s_, &d_.warnings));
        if (applies == Tri::False) break;
      }
      // Safe side (docs/rules.md choice 10): an unreadable value lets a Deny apply, not an Allow.
      if (applies == Tri::False || (applies == Tri::Unknown && is_allow)) continue;
      const StatementRef ref{layer, &attached, i, level};
      if (!is_allow) {
        out.deny = true;
        denies_.push_back(ref);
        continue;
      }
      if (!out.allow) out.first_allow = ref;
      // E5: Principal "*" narrowed by aws:PrincipalArn is a grant to that principal.
      if (st.principal.everyone && st.conditions_name_principal_arn) pm = PrincipalMatch::Direct;
      out.allow = true;
      if (pm > out.grant) {
        out.grant = pm;
        out.grant_ref = ref;
      }
    }
  }

  void set(Layer l, LayerResult res) { d_.layers[static_cast<std::size_t>(l)] = res; }
  void block(Layer l) { d_.blocked_by |= static_cast<std::uint8_t>(1u << static_cast<unsigned>(l)); }
  void reason(DenyReason why) {
    if (!contains(d_.reasons, why)) d_.reasons.push_back(why);
  }

  void run() {
    const Principal& who = r_.principal;
    const ResourcePolicyKind kind = resource_policy_kind(r_);

    // 1. Scan the layers that apply.
    LayerScan identity, boundary, session, resource, endpoint;
    if (who.is_iam())
      for (const auto& p : ps_.identity) scan(p, Layer::Identity, -1, identity);
    if (ps_.boundary && who.is_iam()) scan(*ps_.boundary, Layer::Boundary, -1, boundary);
    if (ps_.session && who.is_session()) scan(*ps_.session, Layer::Session, -1, session);
    if (ps_.resource) scan(*ps_.resource, Layer::Resource, -1, resource);
    if (ps_.vpc_endpoint) scan(*ps_.vpc_endpoint, Layer::VpcEndpoint, -1, endpoint);

    const bool scp_applies = ps_.scp && who.is_iam() && !who.management_account && !who.service_linked_role;
    bool scp_deny = false, scp_all_levels = true;
    if (ps_.scp && !scp_applies && !who.is_iam())
      d_.warnings.push_back("SCPs apply only to IAM users and roles of member accounts (S1): ignored for this caller");
    if (scp_applies) {
      const auto& levels = *ps_.scp;
      for (std::size_t lv = 0; lv < levels.size(); ++lv) {
        LayerScan level;
        for (const auto& p : levels[lv]) scan(p, Layer::Scp, static_cast<int>(lv), level);
        scp_deny |= level.deny;
        if (level.allow) {
          scp_allows_.push_back(level.first_allow);
        } else if (scp_all_levels) {
          scp_all_levels = false;
          d_.scp_level_without_allow = static_cast<int>(lv);
        }
      }
    }
    bool rcp_deny = false;
    const bool rcp_applies = rcp_applicable();
    if (rcp_applies) {
      for (std::size_t lv = 0; lv < ps_.rcp.size(); ++lv) {
        LayerScan level;  // RCPFullAWSAccess is implied: only Deny statements matter (R2)
        for (const auto& p : ps_.rcp[lv]) scan(p, Layer::Rcp, static_cast<int>(lv), level);
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
      reason(DenyReason::ScpLevelWithoutAllow);
    }
    if (ps_.vpc_endpoint && !endpoint.allow) {
      allowed = false;
      block(Layer::VpcEndpoint);
      reason(DenyReason::EndpointWithoutAllow);
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
        reason(DenyReason::NoIdentityAllow);
      }
      if (!boundary_ok) {
        block(Layer::Boundary);
        reason(DenyReason::BoundaryWithoutAllow);
      }
      if (!session_ok) {
        block(Layer::Session);
        reason(DenyReason::SessionWithoutAllow);
      }
    };
    auto explain_no_grant = [&]() {
      // A grant was required: with no resource policy at all, the layer still refuses.
      if (!ps_.resource) set(Layer::Resource, LayerResult::ImplicitDeny);
      block(Layer::Resource);
      reason(DenyReason::NoResourceGrant);
    };

    if (root && kind == ResourcePolicyKind::RoleTrust && r_.action_lower == "sts:assumerole") {
      // T3: the root user cannot call AssumeRole.
      block(Layer::Identity);
      reason(DenyReason::RootCannotAssumeRole);
    } else if (!who.is_iam()) {
      // Anonymous, service and identity-provider callers have no identity side: only a
      // resource policy grant can allow them (E5 "*", T6, K5).
      combined = resource.grant != PrincipalMatch::None;
      used_grant = combined;
      if (!combined) explain_no_grant();
    } else if (!partition_matches()) {
      block(Layer::Resource);  // X4: no access across partitions
      reason(DenyReason::NoResourceGrant);
      d_.warnings.push_back("the principal and the resource are in different partitions: never allowed (X4)");
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
          reason(DenyReason::BoundaryWithoutAllow);
        }
        if (!session_ok) {
          block(Layer::Session);
          reason(DenyReason::SessionWithoutAllow);
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
    if (allowed) {
      if (used_grant) d_.determining.push_back(resource.grant_ref);
      if (used_identity && identity.allow) d_.determining.push_back(identity.first_allow);
      if (ps_.boundary && boundary.allow) d_.determining.push_back(boundary.first_allow);
      if (ps_.session && session.allow) d_.determining.push_back(session.first_allow);
      if (ps_.vpc_endpoint) d_.determining.push_back(endpoint.first_allow);
      for (const auto& ref : scp_allows_) d_.determining.push_back(ref);
    }
  }

 private:
  std::string_view resource_account() const {
    if (!r_.resource_account.empty()) return r_.resource_account;
    return r_.principal.account;  // unknown owner: the caller's own account (a warning says so)
  }

  bool partition_matches() const {
    return !r_.resource_is_arn || r_.resource_parts[1].empty() || r_.resource_parts[1] == r_.principal.partition;
  }

  bool rcp_applicable() const {
    if (ps_.rcp.empty() || r_.resource_in_management_account) return false;  // R4
    const auto service = r_.action_service();
    if (!names(s_.rcp_services, service)) return false;  // R5
    if (service == "kms" && (r_.resource_is_aws_managed_key || r_.action_lower == "kms:retiregrant")) return false;
    if (r_.principal.service_linked_role && s_.rcp_exempt_service_linked_roles) return false;
    return true;
  }

  const Request& r_;
  const PolicySet& ps_;
  const Semantics& s_;
  Decision& d_;
  boost::container::small_vector<StatementRef, 4> denies_;
  boost::container::small_vector<StatementRef, 4> scp_allows_;
};

}  // namespace

bool resource_matches(const compile::CompiledStatement& st, const Request& r, const Semantics& s) {
  return resource_matches_impl(st, r, s);
}

bool action_matches(const compile::CompiledStatement& st, std::string_view action, std::string_view action_lower) {
  bool any = false;
  for (const auto& a : st.actions)
    if (a.pattern.match(a.case_sensitive ? action : action_lower, false, nullptr) == MatchResult::Match) {
      any = true;
      break;
    }
  return st.not_action ? !any : any;
}

Decision authorize(const Request& request, const PolicySet& policies, const Semantics& semantics) {
  Decision decision;
  Evaluator(request, policies, semantics, decision).run();
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
  return "?";
}

std::string_view to_string(LayerResult r) {
  switch (r) {
    case LayerResult::None: return "none";
    case LayerResult::Allow: return "allow";
    case LayerResult::ExplicitDeny: return "explicit_deny";
    case LayerResult::ImplicitDeny: return "implicit_deny";
  }
  return "?";
}

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::Allow: return "allow";
    case Outcome::ExplicitDeny: return "explicit_deny";
    case Outcome::ImplicitDeny: return "implicit_deny";
  }
  return "?";
}

std::string_view to_string(DenyReason r) {
  switch (r) {
    case DenyReason::None: return "";
    case DenyReason::ScpLevelWithoutAllow: return "no SCP at one level of the organization allows the action (S3)";
    case DenyReason::EndpointWithoutAllow: return "the VPC endpoint policy does not allow the request (V1)";
    case DenyReason::NoResourceGrant:
      return "no statement of the resource's policy grants this principal, as a cross-account request, a role trust "
             "policy or a KMS key policy requires (X1, E6, KM1)";
    case DenyReason::NoIdentityAllow: return "no identity-based policy allows the action (E7)";
    case DenyReason::BoundaryWithoutAllow: return "the permissions boundary does not allow the action (E8)";
    case DenyReason::SessionWithoutAllow: return "the session policy does not allow the action (E9)";
    case DenyReason::RootCannotAssumeRole: return "the root user cannot call sts:AssumeRole (T3)";
  }
  return "";
}

}  // namespace iamsim::eval
