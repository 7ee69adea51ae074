// Stage: paths. The table of missing links and notes.
#include "model/paths/notes.hpp"

#include <array>

#include "engine/assert.hpp"

namespace iamsim::model {
namespace {

constexpr std::array<NoteInfo, 39> notes = {{
    {NoteCode::UnknownCluster, "path.unknown-cluster", "the world has no cluster '{}'"},
    {NoteCode::UnknownWorkload, "path.unknown-workload", "cluster '{}' has no workload '{}/{}'"},
    {NoteCode::UnknownServiceAccount, "path.unknown-service-account", "cluster '{}' has no service account '{}/{}'"},
    {NoteCode::UnknownUser, "path.unknown-user", "the world has no user {}"},
    {NoteCode::UnknownRole, "path.unknown-role", "the world has no role {}"},
    {NoteCode::NoCredentials, "K2.no-credentials",
     "service account {}/{} has no eks.amazonaws.com/role-arn annotation and no Pod Identity association: its pods "
     "get no AWS credentials"},
    {NoteCode::IrsaUnknownRole, "K2.unknown-role", "the annotation names a role the world does not have"},
    {NoteCode::NoOidcIssuer, "K1.no-oidc-issuer",
     "cluster '{}' has no OIDC issuer, so it issues no web identity tokens"},
    {NoteCode::NoOidcProvider, "T6.no-oidc-provider",
     "account {} has no IAM OIDC provider for the issuer {} (for a role in another account, that account registers "
     "the issuer too, K4)"},
    {NoteCode::AudienceNotClientId, "K1.audience-not-client-id",
     "the token's audience '{}' is not a client id of the OIDC provider {}"},
    {NoteCode::PodIdentityUnknownRole, "K5.unknown-role", "the association names a role the world does not have"},
    {NoteCode::UnknownKey, "B7.unknown-key", "the bucket's key is not in the world"},
    {NoteCode::KmsAnonymous, "B7.anonymous",
     "an anonymous request cannot read or write an SSE-KMS object: S3 calls KMS with the caller's credentials, and "
     "an anonymous caller has none"},
    {NoteCode::KmsWithoutTls, "B7.without-tls",
     "a request for an SSE-KMS object must be made over TLS, and this one is not (aws:SecureTransport is false; "
     "semantics switch sse_kms_requires_tls)"},
    {NoteCode::NodesUnknown, "K8.nodes-unknown",
     "cluster '{}' declares no node groups or Fargate profiles, so where its pods run is not known: a pod that "
     "reaches its node's instance metadata gets the node role, which this world cannot see"},
    {NoteCode::NoPlacement, "K9.no-placement",
     "no node group or Fargate profile of cluster '{}' takes the pod ({}): it stays Pending and gets no credentials"},
    {NoteCode::NotOnNodeGroup, "K9.not-on-node-group", "the pod cannot run on node group {}: {}"},
    {NoteCode::OnFargate, "K8.fargate",
     "the pod runs on Fargate (profile {}): no node instance metadata is reachable, so there is no node role"},
    {NoteCode::ImdsUnreachable, "K8.imds-unreachable",
     "the pod cannot reach the instance metadata of node group {}: {}"},
    {NoteCode::UnknownNodeRole, "K8.unknown-node-role", "the role {} of node group {} is not in the world"},
    {NoteCode::UnknownAccessPoint, "B6.unknown-access-point",
     "the world declares no access point {}: its policy and its bucket cannot be seen"},
    {NoteCode::RestrictPublicBuckets, "B4.restrict-public-buckets",
     "RestrictPublicBuckets applies and the policy of bucket {} (or its access point) is public (B5): only AWS "
     "services and principals of the bucket owner's account get in, not {}"},
    {NoteCode::UnknownAlias, "KM6.unknown-alias",
     "no KMS key of the world has the alias {}: the key it names, and its policy, cannot be seen"},
    {NoteCode::SourceIdentityChanged, "T9.source-identity-changed",
     "the session's source identity '{}' cannot be changed to '{}': once set, it stays through every hop"},
    {NoteCode::DefaultServiceAccount, "K2.default-service-account",
     "no serviceAccountName: its pods use the namespace's default service account"},
    {NoteCode::IrsaBeforePodIdentity, "K8.irsa-before-pod-identity",
     "the AWS SDKs try the web identity token (IRSA) before container credentials (Pod Identity)"},
    {NoteCode::SubWildcard, "K1.sub-wildcard",
     "the trust statement {} matches :sub with a wildcard: many service accounts can assume this role"},
    {NoteCode::SubNotPinned, "K1.sub-not-pinned",
     "the trust statement {} has no :sub condition: any service account of the cluster can assume this role"},
    {NoteCode::TransitiveTagsTagSession, "K7.transitive-tags-tag-session",
     "the session's transitive tags pass to the new session; whether the trust policy must also allow "
     "sts:TagSession for them is not documented (uncertain)"},
    {NoteCode::UnknownEndpoint, "V1.unknown-endpoint",
     "aws:SourceVpce names an endpoint the world does not declare: no endpoint policy applied"},
    {NoteCode::AwsManagedKeyCrossAccount, "B7.aws-managed-key-cross-account",
     "an AWS managed key cannot be used from another account: its key policy cannot be changed"},
    {NoteCode::ImdsAssumed, "K9.imds-unknown",
     "node group {}: {} (EC2's default for launch templates without metadata options)"},
    {NoteCode::VariesByPlacement, "K9.varies-by-placement",
     "the answer depends on where the pod runs: allowed on {}; denied on {}"},
    {NoteCode::BucketRefusesAccessPoint, "B6.bucket-does-not-delegate",
     "the policy of bucket {} neither delegates to access points (s3:DataAccessPointAccount) nor grants the caller"},
    {NoteCode::ObjectAclUnknown, "B3.object-acl-unknown",
     "bucket {} has ACLs enabled ({}): an object ACL, which the world does not hold, could grant this"},
    {NoteCode::RequestedRegionUnknown, "E11.requested-region-unknown",
     "the world does not know the region of the endpoint {} goes to, so aws:RequestedRegion is not set (give it as "
     "context)"},
    {NoteCode::FederatedUserPolicies, "E5.federated-user-policies",
     "the IAM user that federated this user is not named, so its identity policies are not known: only resource "
     "policies that grant the federated user's ARN can allow"},
    {NoteCode::OutsiderIdentityAssumed, "E7.outsider-identity-assumed",
     "account {} is not in the world: its identity policies are its own, assumed to allow everything (no SCPs)"},
    {NoteCode::ClientKeysNotOnKmsCall, "B8.client-keys-not-on-kms-call",
     "the client's {} do not reach the KMS call S3 makes on its behalf"},
}};

}  // namespace

const NoteInfo& info(NoteCode code) {
  const auto& entry = notes[static_cast<std::size_t>(code)];
  IAMSIM_ASSERT(entry.code == code, "the note table is out of the enum's order");
  return entry;
}

std::span<const NoteInfo> all_note_codes() { return notes; }

Note make_note(NoteCode code, std::initializer_list<std::string_view> args) {
  const std::string_view text = info(code).text;
  Note note{code, {}};
  auto arg = args.begin();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "{}") == 0) {
      IAMSIM_ASSERT(arg != args.end(), "a note placeholder without a value");
      note.message += *arg++;
      ++i;
      continue;
    }
    note.message += text[i];
  }
  IAMSIM_ASSERT(arg == args.end(), "more values than a note has placeholders");
  return note;
}

}  // namespace iamsim::model
