// Stage: shared (data). The condition keys AWS's IAM guide lists as global ("AWS global
// condition context keys"), with the data type and value type it gives each, and the claims
// of web-identity federation. The service catalogue lists none of these (it lists only the
// tag keys), so they are kept here by hand; review them when the guide changes.
#include "engine/catalog/aws_catalog.hpp"

namespace iamsim::catalog {

std::span<const ConditionKey> global_condition_keys() {
  using T = KeyType;
  constexpr bool multi = true, single = false;
  auto key = [](std::string_view name, T type, bool multivalued) {
    return ConditionKey{name, type, multivalued, true, name.find("${") != std::string_view::npos};
  };
  static const ConditionKey keys[] = {
      // Properties of the principal.
      key("aws:PrincipalArn", T::Arn, single),
      key("aws:PrincipalAccount", T::String, single),
      key("aws:PrincipalOrgPaths", T::String, multi),
      key("aws:PrincipalOrgID", T::String, single),
      key("aws:PrincipalTag/${TagKey}", T::String, single),
      key("aws:PrincipalIsAWSService", T::Bool, single),
      key("aws:PrincipalServiceName", T::String, single),
      key("aws:PrincipalServiceNamesList", T::String, multi),
      key("aws:PrincipalType", T::String, single),
      key("aws:userid", T::String, single),
      key("aws:username", T::String, single),
      // Properties of a role session (the guide lists some service keys with them).
      key("aws:AssumedRoot", T::Bool, single),
      key("aws:FederatedProvider", T::String, single),
      key("aws:TokenIssueTime", T::Date, single),
      key("aws:SignInSessionArn", T::Arn, single),
      key("aws:MultiFactorAuthAge", T::Numeric, single),
      key("aws:MultiFactorAuthPresent", T::Bool, single),
      key("aws:ChatbotSourceArn", T::Arn, single),
      key("aws:Ec2InstanceSourceVpc", T::String, single),
      key("aws:Ec2InstanceSourcePrivateIPv4", T::IpAddress, single),
      key("aws:SourceIdentity", T::String, single),
      key("ec2:RoleDelivery", T::Numeric, single),
      key("ec2:SourceInstanceArn", T::Arn, single),
      key("glue:RoleAssumedBy", T::String, single),
      key("glue:CredentialIssuingService", T::String, single),
      key("codebuild:BuildArn", T::Arn, single),
      key("codebuild:ProjectArn", T::Arn, single),
      key("lambda:SourceFunctionArn", T::Arn, single),
      key("ssm:SourceInstanceArn", T::Arn, single),
      key("identitystore:UserId", T::String, single),
      // Properties of the network.
      key("aws:SourceIp", T::IpAddress, single),
      key("aws:SourceVpc", T::String, single),
      key("aws:SourceVpcArn", T::Arn, single),
      key("aws:SourceVpce", T::String, single),
      key("aws:VpceAccount", T::String, single),
      key("aws:VpceOrgID", T::String, single),
      key("aws:VpceOrgPaths", T::String, multi),
      key("aws:VpcSourceIp", T::IpAddress, single),
      // Properties of the resource.
      key("aws:ResourceAccount", T::String, single),
      key("aws:ResourceOrgID", T::String, single),
      key("aws:ResourceOrgPaths", T::String, multi),
      key("aws:ResourceTag/${TagKey}", T::String, single),
      // Properties of the request.
      key("aws:CalledVia", T::String, multi),
      key("aws:CalledViaFirst", T::String, single),
      key("aws:CalledViaLast", T::String, single),
      key("aws:CalledViaAWSMCP", T::String, single),
      key("aws:ViaAWSService", T::Bool, single),
      key("aws:ViaAWSMCPService", T::Bool, single),
      key("aws:CurrentTime", T::Date, single),
      key("aws:EpochTime", T::Date, single),  // the guide allows date and numeric operators
      key("aws:referer", T::String, single),
      key("aws:RequestedRegion", T::String, single),
      key("aws:RequestTag/${TagKey}", T::String, single),
      key("aws:TagKeys", T::String, multi),
      key("aws:SecureTransport", T::Bool, single),
      key("aws:SourceAccount", T::String, single),
      key("aws:SourceArn", T::Arn, single),
      key("aws:SourceOrgID", T::String, single),
      key("aws:SourceOrgPaths", T::String, multi),
      key("aws:UserAgent", T::String, single),
      key("aws:IsMcpServiceAction", T::Bool, single),
      // Older keys that policies still use and the S3 guide still counts (B5).
      key("aws:SourceOwner", T::String, single),
  };
  return keys;
}

// The claims of web-identity federation that IAM's guide lists ("Available keys for AWS web
// identity federation"), which a trust policy may test for any OIDC provider as
// PROVIDER:claim. `amr` is a list; the others are single-valued.
std::span<const ConditionKey> web_identity_claims() {
  auto claim = [](std::string_view name, bool multivalued) {
    return ConditionKey{name, KeyType::String, multivalued, true, true};
  };
  static const ConditionKey claims[] = {
      claim("${OidcProvider}:amr", true),      claim("${OidcProvider}:app_id", false),
      claim("${OidcProvider}:aud", false),     claim("${OidcProvider}:azp", false),
      claim("${OidcProvider}:email", false),   claim("${OidcProvider}:id", false),
      claim("${OidcProvider}:oaud", false),    claim("${OidcProvider}:sub", false),
      claim("${OidcProvider}:user_id", false),
  };
  return claims;
}

}  // namespace iamsim::catalog
