// Stage: paths. The table of missing links and notes.
#include "model/paths/notes.hpp"

#include <array>

#include "engine/assert.hpp"

namespace iamsim::model {
namespace {

constexpr std::array<NoteInfo, 23> notes = {{
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
    {NoteCode::RequestedRegionUnknown, "E11.requested-region-unknown",
     "the world does not know the region of the endpoint {} goes to, so aws:RequestedRegion is not set (give it as "
     "context)"},
    {NoteCode::FederatedUserPolicies, "E5.federated-user-policies",
     "the IAM user that federated this user is not named, so its identity policies are not known: only resource "
     "policies that grant the federated user's ARN can allow"},
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
