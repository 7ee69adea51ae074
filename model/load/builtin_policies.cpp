// Stage: model (load). The texts of the built-in and default policies.
#include "model/load/builtin_policies.hpp"

namespace iamsim::model {

PolicyDocument full_aws_access() {
  return {std::string(full_aws_access_name),
          R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})",
          {"builtin:FullAWSAccess", "", 0, 0},
          true};
}

PolicyDocument rcp_full_aws_access() {
  return {std::string(rcp_full_aws_access_name),
          R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]})",
          {"builtin:RCPFullAWSAccess", "", 0, 0},
          true};
}

PolicyDocument default_key_policy(const std::string& account, const std::string& region, bool aws_managed) {
  PolicyDocument d;
  d.builtin = true;
  d.origin = {"builtin:default-key-policy", "", 0, 0};
  if (aws_managed) {
    // An AWS managed key serves its account through an AWS service only.
    d.name = "default AWS managed key policy";
    d.json_text =
        R"({"Version":"2012-10-17","Statement":[{"Sid":"Allow access through an AWS service for principals in the account","Effect":"Allow","Principal":{"AWS":"*"},"Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey"],"Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":")" +
        account + R"("},"StringLike":{"kms:ViaService":"*.)" + region +
        R"(.amazonaws.com"}}},{"Sid":"Allow direct access to key metadata to the account","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::)" +
        account + R"(:root"},"Action":["kms:Describe*","kms:Get*","kms:List*"],"Resource":"*"}]})";
  } else {
    d.name = "default key policy";
    d.json_text =
        R"({"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::)" +
        account + R"(:root"},"Action":"kms:*","Resource":"*"}]})";
  }
  return d;
}

PolicyDocument default_endpoint_policy() {
  return {"default endpoint policy",
          R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]})",
          {"builtin:default-endpoint-policy", "", 0, 0},
          true};
}

}  // namespace iamsim::model
