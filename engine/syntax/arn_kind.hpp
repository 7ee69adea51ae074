// Stage: syntax. What an ARN names, read from its service and resource prefix: the kinds
// of principal (P1, P2, T6, T7) and of resource (S3, KMS, IAM) iamsim tells apart. The one
// place for these rules, so the engine, the model, the queries and the CLI agree.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "engine/syntax/arn_view.hpp"

namespace iamsim::syntax {

enum class PrincipalArnKind : std::uint8_t {
  Root,           // arn:aws:iam::ACCOUNT:root
  User,           // arn:aws:iam::ACCOUNT:user/PATH/NAME
  Role,           // arn:aws:iam::ACCOUNT:role/PATH/NAME
  AssumedRole,    // arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION
  FederatedUser,  // arn:aws:sts::ACCOUNT:federated-user/NAME
  OidcProvider,   // arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH
  SamlProvider,   // arn:aws:iam::ACCOUNT:saml-provider/NAME
};

// A principal ARN's kind and the names in its resource part; the views point into the ARN.
struct PrincipalArn {
  PrincipalArnKind kind = PrincipalArnKind::Root;
  std::string_view name;     // a user's or role's last path segment, an assumed role's role,
                             // a federated user's name; empty for root and providers
  std::string_view session;  // an assumed role's session; empty when the ARN names none
};

// The principal an IAM or STS ARN names; nullopt for any other ARN. Names are not checked
// to be non-empty: the policy grammar and the principal reader report that.
std::optional<PrincipalArn> principal_arn(const ArnView& arn);

enum class ResourceArnKind : std::uint8_t {
  Any,        // "*"
  S3Bucket,   // arn:aws:s3:::BUCKET
  S3Object,   // arn:aws:s3:::BUCKET/KEY
  KmsKey,     // arn:aws:kms:REGION:ACCOUNT:key/ID
  KmsAlias,   // arn:aws:kms:REGION:ACCOUNT:alias/NAME
  IamRole,    // arn:aws:iam::ACCOUNT:role/PATH/NAME
  IamUser,    // arn:aws:iam::ACCOUNT:user/PATH/NAME
  IamPolicy,  // arn:aws:iam::ACCOUNT:policy/PATH/NAME
  Other,      // any other ARN, or a text that is no ARN
};

ResourceArnKind resource_arn_kind(const ArnView& arn);
// "*" is Any; a text that split_arn does not take is Other.
ResourceArnKind resource_arn_kind(std::string_view text);
inline bool is_s3(ResourceArnKind k) { return k == ResourceArnKind::S3Bucket || k == ResourceArnKind::S3Object; }

// An S3 access point ARN (B6): arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME, or an object
// through it, .../accesspoint/NAME/object/KEY. resource_arn_kind calls these Other.
struct S3AccessPointArn {
  std::string_view name;
  std::optional<std::string_view> key;  // the object key, when the ARN names an object
};
inline std::optional<S3AccessPointArn> s3_access_point(const ArnView& arn) {
  constexpr std::string_view prefix = "accesspoint/";
  if (arn.service != "s3" || arn.account.empty() || !arn.resource.starts_with(prefix)) return std::nullopt;
  const std::string_view rest = arn.resource.substr(prefix.size());
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos) return S3AccessPointArn{rest, std::nullopt};
  constexpr std::string_view object = "/object/";
  if (rest.compare(slash, object.size(), object) != 0) return std::nullopt;
  return S3AccessPointArn{rest.substr(0, slash), rest.substr(slash + object.size())};
}

// The bucket of an S3 bucket or object ARN: the resource part up to its first '/'.
inline std::string_view s3_bucket_name(const ArnView& arn) { return arn.resource.substr(0, arn.resource.find('/')); }

}  // namespace iamsim::syntax
