// Stage: decision. The outcome of one request with its reasons, as a value: each layer's
// result, the statements that decided, why a request without a matching Deny was refused
// (a stable code with its details), typed warnings, and the context keys the answer
// depends on that the request did not carry. Never a bare bool.
//
// A Decision refers to statements through the compiled policies and their sources, which
// live as long as the compiled world or the eval batch; never into the PolicySet, so a
// decision can be copied and kept with its request. Nothing here allocates on the common
// allow path: the containers keep their first elements inline.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "engine/eval/policy_set.hpp"
#include "engine/eval/request.hpp"

namespace iamsim::eval {

enum class Layer : std::uint8_t { Scp, Rcp, Identity, Resource, Boundary, Session, VpcEndpoint };
inline constexpr std::size_t layer_count = 7;
inline constexpr std::array<Layer, layer_count> all_layers = {
    Layer::Scp, Layer::Rcp, Layer::Identity, Layer::Resource, Layer::Boundary, Layer::Session, Layer::VpcEndpoint};

enum class LayerResult : std::uint8_t { None, Allow, ExplicitDeny, ImplicitDeny };
enum class Outcome : std::uint8_t { Allow, ExplicitDeny, ImplicitDeny };

// What the resource policy's best matching Allow named (E5): it decides whether the grant
// stands alone or still needs the identity side.
enum class Grant : std::uint8_t {
  None,
  Account,  // the account id or :root: delegation, needs identity allow
  RoleArn,  // the role ARN: limited by boundary and session policy
  Direct,   // the user, session or federated-user ARN, "*", a service or identity provider
};

// One statement of one attached policy: the policy's place in the request (layer, SCP/RCP
// level, position in the layer or level) and the statement's index in the policy.
struct StatementRef {
  const compile::CompiledPolicy* policy = nullptr;  // null: no statement
  const PolicySource* source = nullptr;
  std::uint32_t statement = 0;
  Layer layer = Layer::Identity;
  int level = -1;              // SCP/RCP level, root first; -1 elsewhere
  std::uint32_t position = 0;  // the policy's index in its layer or level

  explicit operator bool() const { return policy != nullptr; }
  const compile::CompiledStatement& compiled() const { return policy->statements[statement]; }
};

// Every code a decision can carry, reasons and warnings alike. Each has one text and one
// documented id "RULE.kebab-name" (explain.hpp, docs/diagnostics.md).
enum class Code : std::uint8_t {
  // Reasons: why a request without a matching Deny was refused.
  ScpLevelWithoutAllow,           // S3.scp-level-without-allow
  EndpointWithoutAllow,           // V1.endpoint-without-allow
  NoCrossAccountGrant,            // X1.no-cross-account-grant
  TrustWithoutGrant,              // T1.trust-without-grant
  KeyPolicyWithoutGrant,          // KM1.key-policy-without-grant
  NoResourceGrant,                // E5.no-resource-grant: a caller with no identity side
  NoIdentityAllow,                // E7.no-identity-allow
  BoundaryWithoutAllow,           // E8.boundary-without-allow
  SessionWithoutAllow,            // E9.session-without-allow
  FederatedWithoutSessionPolicy,  // E9.federated-without-session-policy
  RootCannotAssumeRole,           // T3.root-cannot-assume-role
  CrossPartition,                 // X4.cross-partition
  UnmodifiableRole,               // T14.unmodifiable-role
  ReservedAlias,                  // KM6.reserved-alias
  // Warnings: evaluation went on, on the safe side, and says so.
  UnreadableContextValue,  // E10.unreadable-context-value
  ScpNotApplicable,        // S1.scp-not-applicable
  UnresolvedVariable,      // PV7.unresolved-variable
  NoPermissionNeeded,      // T12.no-permission-needed
  WalkBudgetExceeded,      // E10.walk-budget-exceeded
};

// A reason with its details. `near_miss`: an Allow of the refusing layer whose action,
// resource and principal matched but whose condition number `condition` did not hold (or
// could not be read); computed on the deny path only.
struct Reason {
  Code code = Code::NoIdentityAllow;
  Layer layer = Layer::Identity;
  ResourcePolicyKind resource_kind = ResourcePolicyKind::Ordinary;  // the resource layer's kind
  int level = -1;                                                   // S3: the SCP level without an Allow
  std::string_view level_name;  // its name when the policy set gave names, else empty
  StatementRef near_miss;
  std::uint32_t condition = 0;
};

// A warning, typed the same way: the statement and condition it concerns, and the request
// value that caused it (owned: warnings are rare). PV7: `value` is the policy text whose
// variable has no value; T12: the outcome the policies alone gave.
struct Warning {
  static constexpr std::uint32_t no_condition = UINT32_MAX;
  Code code = Code::UnreadableContextValue;
  StatementRef statement;
  std::uint32_t condition = 0;  // no_condition: the warning concerns no condition
  std::string value;
  std::string_view expected;  // "a number", "an IP address" (static text)

  bool has_condition() const { return statement && condition != no_condition; }
};

struct Decision {
  Outcome outcome = Outcome::ImplicitDeny;
  std::array<LayerResult, layer_count> layers{};
  std::uint8_t blocked_by = 0;  // bit per Layer
  boost::container::small_vector<StatementRef, 8> determining;
  boost::container::small_vector<Reason, 2> reasons;
  Grant grant = Grant::None;
  std::vector<Warning> warnings;
  // E11: condition keys that an applicable statement tested and the request did not carry,
  // as the policy wrote them (views into the compiled policies), unique and sorted
  // case-insensitively.
  boost::container::small_vector<std::string_view, 4> missing_context_keys;

  LayerResult layer(Layer l) const { return layers[static_cast<std::size_t>(l)]; }
  bool blocked(Layer l) const { return blocked_by & (1u << static_cast<unsigned>(l)); }
  bool allowed() const { return outcome == Outcome::Allow; }
  bool has_reason(Code c) const {
    for (const auto& r : reasons)
      if (r.code == c) return true;
    return false;
  }
};

std::string_view to_string(Layer l);
std::string_view to_string(LayerResult r);
std::string_view to_string(Outcome o);

}  // namespace iamsim::eval
