// Stage: authorize. One request against every policy layer AWS applies (docs/rules.md,
// E, X, V, S and R). Pure and thread-safe: it reads its arguments and returns a Decision.
#pragma once

#include "engine/eval/decision.hpp"
#include "engine/eval/policy_set.hpp"
#include "engine/eval/request.hpp"
#include "engine/semantics.hpp"

namespace iamsim::eval {

inline ResourcePolicyKind resource_policy_kind(const Request& request) { return request.policy_kind(); }

Decision authorize(const Request& request, const PolicySet& policies, const Semantics& semantics);

// The strongest way an affirmative Principal element names the caller (P1-P3): its
// account, the role of its session, or the caller itself. who-can's pruning asks this
// too, so the two can never disagree. `restricting`: the statement is a Deny, so a role
// whose path the caller does not carry is named by its name alone (P1, the safe side).
enum class PrincipalMatch : std::uint8_t { None, Account, RoleArn, Direct };
PrincipalMatch match_principal(const compile::CompiledPrincipal& principal, const Principal& who,
                               bool restricting = false);

// Does the statement's Principal/NotPrincipal admit the caller (P1-P3, P7, P8)? Sets how an
// Allow names it (Direct for no Principal element and for NotPrincipal). The proof engine
// asks this for the world's principals, so the two engines share it.
bool statement_admits(const compile::CompiledStatement& statement, const Principal& who, const Semantics& semantics,
                      PrincipalMatch& pm);

// Pieces of authorize's layer logic the proof engine encodes for the same request, so that
// the two share them. The resource's owner for the cross-account rules (X1, X6: an
// AWS-owned resource is never cross-account; an unknown owner is the caller's account).
std::string_view resource_account_of(const Request& request);
// X4: the resource's partition is the caller's (or the resource names none).
bool same_partition(const Request& request);
// Do the RCP levels apply to this request? (R4 management account, R5 services, X6, the KMS
// and service-linked-role exemptions)
bool rcps_apply(const Request& request, const PolicySet& policies, const Semantics& semantics);

// Does the statement's Action/NotAction cover this action? (A1-A3) `action_lower` is the
// action lower-cased; `action` as given, for case-sensitive SCPs (S6, scp_syntax=2022).
bool action_matches(const compile::CompiledStatement& statement, std::string_view action,
                    std::string_view action_lower);

// Does the statement's Resource/NotResource cover the request's resource? (RS1-RS5)
bool resource_matches(const compile::CompiledStatement& statement, const Request& request, const Semantics& semantics);

}  // namespace iamsim::eval
