// Stage: paths. What a path says beside the engine's decisions: a missing link (why no
// request could be made: no annotation, no OIDC provider, an unknown role) and notes worth
// a warning (a trust that does not pin :sub). Each has a stable code, RULE.kebab-name, or
// path.kebab-name where no rule applies; one table holds every code's text, and the
// renderers show the same code in text and JSON (docs/diagnostics.md documents each).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace iamsim::model {

enum class NoteCode : std::uint8_t {
  // Missing links.
  UnknownCluster,          // path.unknown-cluster
  UnknownWorkload,         // path.unknown-workload
  UnknownServiceAccount,   // path.unknown-service-account
  UnknownUser,             // path.unknown-user
  UnknownRole,             // path.unknown-role
  NoCredentials,           // K2.no-credentials
  IrsaUnknownRole,         // K2.unknown-role
  NoOidcIssuer,            // K1.no-oidc-issuer
  NoOidcProvider,          // T6.no-oidc-provider
  AudienceNotClientId,     // K1.audience-not-client-id
  PodIdentityUnknownRole,  // K5.unknown-role
  UnknownKey,              // B7.unknown-key
  KmsAnonymous,            // B7.anonymous
  KmsWithoutTls,           // B7.without-tls
  NodesUnknown,            // K8.nodes-unknown
  NoPlacement,             // K9.no-placement
  NotOnNodeGroup,          // K9.not-on-node-group
  OnFargate,               // K8.fargate
  ImdsUnreachable,         // K8.imds-unreachable
  UnknownNodeRole,         // K8.unknown-node-role
  UnknownAccessPoint,      // B6.unknown-access-point
  RestrictPublicBuckets,   // B4.restrict-public-buckets
  UnknownAlias,            // KM6.unknown-alias
  SourceIdentityChanged,   // T9.source-identity-changed
  // Notes.
  DefaultServiceAccount,      // K2.default-service-account
  IrsaBeforePodIdentity,      // K8.irsa-before-pod-identity
  SubWildcard,                // K1.sub-wildcard
  SubNotPinned,               // K1.sub-not-pinned
  TransitiveTagsTagSession,   // K7.transitive-tags-tag-session
  UnknownEndpoint,            // V1.unknown-endpoint
  AwsManagedKeyCrossAccount,  // B7.aws-managed-key-cross-account
  ImdsAssumed,                // K9.imds-unknown
  VariesByPlacement,          // K9.varies-by-placement
  BucketRefusesAccessPoint,   // B6.bucket-does-not-delegate
  ObjectAclUnknown,           // B3.object-acl-unknown
  RequestedRegionUnknown,     // E11.requested-region-unknown
  FederatedUserPolicies,      // E5.federated-user-policies
  OutsiderIdentityAssumed,    // E7.outsider-identity-assumed
  ClientKeysNotOnKmsCall,     // B8.client-keys-not-on-kms-call
};

struct NoteInfo {
  NoteCode code;
  std::string_view id;
  std::string_view text;  // "{}" placeholders, filled in order
};

const NoteInfo& info(NoteCode code);
inline std::string_view code_id(NoteCode code) { return info(code).id; }
std::span<const NoteInfo> all_note_codes();

struct Note {
  NoteCode code;
  std::string message;
};

// The code's text with its placeholders filled by args, in order.
Note make_note(NoteCode code, std::initializer_list<std::string_view> args = {});

}  // namespace iamsim::model
