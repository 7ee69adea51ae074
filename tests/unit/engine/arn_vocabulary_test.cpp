// Tests: the ARN vocabulary of engine/syntax (arn_view.hpp, arn_kind.hpp): the fast split
// (C13) and the grammar agree, account ids (P1), the kinds of principal an ARN names
// (P1, P2, T6, T7) and the kinds of resource (RS1, B1, KM6).
#include <catch2/catch.hpp>

#include <string>

#include "engine/syntax/arn.hpp"
#include "engine/syntax/arn_kind.hpp"
#include "engine/syntax/arn_view.hpp"

using namespace iamsim::syntax;

namespace {

PrincipalArn principal(const char* text) {
  INFO(text);
  const auto view = split_arn(text);
  REQUIRE(view);
  const auto named = principal_arn(*view);
  REQUIRE(named);
  return *named;
}

bool names_a_principal(const char* text) {
  const auto view = split_arn(text);
  return view && principal_arn(*view).has_value();
}

}  // namespace

TEST_CASE("C13 split_arn gives views of the six parts, colons kept in the resource", "[engine][arn][C13]") {
  const std::string text = "arn:aws:logs:us-east-1:111111111111:log-group:/aws/lambda/f:*";
  const auto view = split_arn(text);
  REQUIRE(view);
  CHECK(view->partition == "aws");
  CHECK(view->service == "logs");
  CHECK(view->region == "us-east-1");
  CHECK(view->account == "111111111111");
  CHECK(view->resource == "log-group:/aws/lambda/f:*");
  CHECK(view->resource.data() == text.data() + 36);  // a view into the text, not a copy

  CHECK_FALSE(split_arn("arn:aws:s3"));
  CHECK_FALSE(split_arn("urn:aws:s3:::b"));  // five colons, but no ARN
  CHECK_FALSE(split_arn("*"));
  // The split checks nothing else: empty parts are the grammar's to refuse.
  CHECK(split_arn("arn::s3:::"));
  CHECK_FALSE(parse_arn("arn::s3:::"));
}

TEST_CASE("RS1 the grammar returns the same view as the fast split", "[engine][arn][RS1]") {
  for (const char* text : {"arn:aws:s3:::bucket/key", "arn:aws-cn:iam::222222222222:role/a/b",
                           "arn:aws:sqs:eu-west-1::queue", "arn:aws:svc:r:a:x:y:z"}) {
    INFO(text);
    const auto parsed = parse_arn(text);
    const auto split = split_arn(text);
    REQUIRE(parsed);
    REQUIRE(split);
    CHECK(parsed->partition == split->partition);
    CHECK(parsed->service == split->service);
    CHECK(parsed->region == split->region);
    CHECK(parsed->account == split->account);
    CHECK(parsed->resource == split->resource);
  }
}

TEST_CASE("P1 an account id is twelve digits", "[engine][arn][P1]") {
  CHECK(is_account_id("111111111111"));
  CHECK(is_account_id("000000000000"));
  CHECK_FALSE(is_account_id("11111111111"));
  CHECK_FALSE(is_account_id("1111111111111"));
  CHECK_FALSE(is_account_id("11111111111a"));
  CHECK_FALSE(is_account_id("-11111111111"));
  CHECK_FALSE(is_account_id(""));
  static_assert(is_account_id("123456789012"));
}

TEST_CASE("P1 the principals an ARN names, with their names", "[engine][arn][P1][P2]") {
  CHECK(principal("arn:aws:iam::111111111111:root").kind == PrincipalArnKind::Root);

  const auto user = principal("arn:aws:iam::111111111111:user/team/alice");
  CHECK(user.kind == PrincipalArnKind::User);
  CHECK(user.name == "alice");  // the last path segment

  const auto role = principal("arn:aws-us-gov:iam::111111111111:role/svc/app");
  CHECK(role.kind == PrincipalArnKind::Role);
  CHECK(role.name == "app");

  // A session names its role without the role's path (T5).
  const auto session = principal("arn:aws:sts::111111111111:assumed-role/app/irsa-ns-sa");
  CHECK(session.kind == PrincipalArnKind::AssumedRole);
  CHECK(session.name == "app");
  CHECK(session.session == "irsa-ns-sa");
  CHECK(principal("arn:aws:sts::111111111111:assumed-role/app").session.empty());
  CHECK(principal("arn:aws:sts::111111111111:assumed-role/app/").session.empty());

  const auto federated = principal("arn:aws:sts::111111111111:federated-user/bob");
  CHECK(federated.kind == PrincipalArnKind::FederatedUser);
  CHECK(federated.name == "bob");
}

TEST_CASE("T6 T7 identity providers are principals of their own kind", "[engine][arn][T6][T7]") {
  CHECK(principal("arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/X").kind ==
        PrincipalArnKind::OidcProvider);
  CHECK(principal("arn:aws:iam::111111111111:saml-provider/corp").kind == PrincipalArnKind::SamlProvider);
}

TEST_CASE("P1 ARNs that name no principal", "[engine][arn][P1]") {
  CHECK_FALSE(names_a_principal("arn:aws:iam::111111111111:group/devs"));
  CHECK_FALSE(names_a_principal("arn:aws:iam::111111111111:policy/read"));
  CHECK_FALSE(names_a_principal("arn:aws:s3:::bucket"));
  CHECK_FALSE(names_a_principal("arn:aws:sts::111111111111:role/app"));            // roles are iam:
  CHECK_FALSE(names_a_principal("arn:aws:iam::111111111111:assumed-role/app/s"));  // sessions are sts:
  CHECK_FALSE(names_a_principal("arn:aws:iam::111111111111:rootx"));
}

TEST_CASE("RS1 the kinds of resource iamsim tells apart", "[engine][arn][RS1][B1][KM6]") {
  CHECK(resource_arn_kind("*") == ResourceArnKind::Any);
  CHECK(resource_arn_kind("arn:aws:s3:::models") == ResourceArnKind::S3Bucket);
  CHECK(resource_arn_kind("arn:aws:s3:::models/a/b.pb") == ResourceArnKind::S3Object);
  CHECK(resource_arn_kind("arn:aws:s3:::models/") == ResourceArnKind::S3Object);
  // An S3 ARN with an account is an access point or the like, not a bucket.
  CHECK(resource_arn_kind("arn:aws:s3:us-east-1:111111111111:accesspoint/ap") == ResourceArnKind::Other);
  CHECK(resource_arn_kind("arn:aws:kms:us-east-1:111111111111:key/1234") == ResourceArnKind::KmsKey);
  CHECK(resource_arn_kind("arn:aws:kms:us-east-1:111111111111:alias/models") == ResourceArnKind::KmsAlias);
  CHECK(resource_arn_kind("arn:aws:iam::111111111111:role/path/app") == ResourceArnKind::IamRole);
  CHECK(resource_arn_kind("arn:aws:iam::111111111111:user/alice") == ResourceArnKind::IamUser);
  CHECK(resource_arn_kind("arn:aws:iam::111111111111:policy/read") == ResourceArnKind::IamPolicy);
  CHECK(resource_arn_kind("arn:aws:sqs:us-east-1:111111111111:queue") == ResourceArnKind::Other);
  CHECK(resource_arn_kind("s3://models/x") == ResourceArnKind::Other);  // no ARN

  const auto object = split_arn("arn:aws:s3:::models/a/b.pb");
  REQUIRE(object);
  CHECK(s3_bucket_name(*object) == "models");
  const auto bucket = split_arn("arn:aws:s3:::models");
  REQUIRE(bucket);
  CHECK(s3_bucket_name(*bucket) == "models");
}
