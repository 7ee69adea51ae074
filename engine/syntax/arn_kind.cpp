// Stage: syntax. Principal and resource kinds of an ARN, by service and resource prefix.
#include "engine/syntax/arn_kind.hpp"

namespace iamsim::syntax {
namespace {

std::string_view last_segment(std::string_view s) { return s.substr(s.rfind('/') + 1); }

}  // namespace

std::optional<PrincipalArn> principal_arn(const ArnView& arn) {
  const std::string_view res = arn.resource;
  PrincipalArn p;
  if (arn.service == "iam") {
    if (res == "root") {
      p.kind = PrincipalArnKind::Root;
    } else if (res.starts_with("user/")) {
      p.kind = PrincipalArnKind::User;
      p.name = last_segment(res);
    } else if (res.starts_with("role/")) {
      p.kind = PrincipalArnKind::Role;
      p.name = last_segment(res);
    } else if (res.starts_with("oidc-provider/")) {
      p.kind = PrincipalArnKind::OidcProvider;
    } else if (res.starts_with("saml-provider/")) {
      p.kind = PrincipalArnKind::SamlProvider;
    } else {
      return std::nullopt;
    }
    return p;
  }
  if (arn.service == "sts") {
    if (res.starts_with("assumed-role/")) {
      // assumed-role/ROLE/SESSION: a role's session names the role without its path.
      constexpr std::size_t start = 13;
      const auto slash = res.find('/', start);
      p.kind = PrincipalArnKind::AssumedRole;
      p.name = res.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
      if (slash != std::string_view::npos) p.session = res.substr(slash + 1);
    } else if (res.starts_with("federated-user/")) {
      p.kind = PrincipalArnKind::FederatedUser;
      p.name = res.substr(15);
    } else {
      return std::nullopt;
    }
    return p;
  }
  return std::nullopt;
}

ResourceArnKind resource_arn_kind(const ArnView& arn) {
  const std::string_view res = arn.resource;
  if (arn.service == "s3" && arn.account.empty())
    return res.find('/') == std::string_view::npos ? ResourceArnKind::S3Bucket : ResourceArnKind::S3Object;
  if (arn.service == "kms") {
    if (res.starts_with("key/")) return ResourceArnKind::KmsKey;
    if (res.starts_with("alias/")) return ResourceArnKind::KmsAlias;
  } else if (arn.service == "iam") {
    if (res.starts_with("role/")) return ResourceArnKind::IamRole;
    if (res.starts_with("user/")) return ResourceArnKind::IamUser;
    if (res.starts_with("policy/")) return ResourceArnKind::IamPolicy;
  }
  return ResourceArnKind::Other;
}

ResourceArnKind resource_arn_kind(std::string_view text) {
  if (text == "*") return ResourceArnKind::Any;
  const auto arn = split_arn(text);
  return arn ? resource_arn_kind(*arn) : ResourceArnKind::Other;
}

}  // namespace iamsim::syntax
