// Stage: decision. The outcome of one request with its reasons: each layer's result, the
// statements that decided, and warnings. Never a bare bool (docs/eval-contract.md shows it).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "engine/eval/policy_set.hpp"

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

// Why a request without a matching Deny was still refused, for explanations.
enum class DenyReason : std::uint8_t {
  None,
  ScpLevelWithoutAllow,  // S3: a level of the principal's SCPs has no Allow
  EndpointWithoutAllow,  // V1
  NoResourceGrant,       // cross-account, trust, KMS key, anonymous or unsigned caller
  NoIdentityAllow,       // E7
  BoundaryWithoutAllow,  // E8
  SessionWithoutAllow,   // E9
  RootCannotAssumeRole,  // T3
};

struct StatementRef {
  Layer layer = Layer::Identity;
  const AttachedPolicy* policy = nullptr;
  std::uint32_t statement = 0;
  int level = -1;  // SCP/RCP level
};

struct Decision {
  Outcome outcome = Outcome::ImplicitDeny;
  std::array<LayerResult, layer_count> layers{};
  std::uint8_t blocked_by = 0;  // bit per Layer
  boost::container::small_vector<StatementRef, 6> determining;
  boost::container::small_vector<DenyReason, 2> reasons;
  Grant grant = Grant::None;
  int scp_level_without_allow = -1;
  std::vector<std::string> warnings;

  LayerResult layer(Layer l) const { return layers[static_cast<std::size_t>(l)]; }
  bool blocked(Layer l) const { return blocked_by & (1u << static_cast<unsigned>(l)); }
  bool allowed() const { return outcome == Outcome::Allow; }
};

std::string_view to_string(Layer l);
std::string_view to_string(LayerResult r);
std::string_view to_string(Outcome o);
std::string_view to_string(DenyReason r);

}  // namespace iamsim::eval
