// Tests: building a request (engine/eval/request.hpp): every principal form and its
// rejections (P1, T5, T6), derived context keys (docs/rules.md condition keys, T5), the context's typed
// readings and key case (C3), single-valued variables (PV2), the resource's parts.
#include <catch2/catch.hpp>

#include <string>

#include "engine/eval/request.hpp"
#include "tests/unit/engine/engine_test_support.hpp"

using namespace iamsim;
using iamsim::eval::parse_principal;
using iamsim::eval::Principal;
using iamsim::eval::PrincipalKind;
using iamsim::eval::Request;

namespace {

Principal principal(const char* text) {
  std::string error;
  auto p = parse_principal(text, error);
  INFO(text << ": " << error);
  REQUIRE(p);
  CHECK(error.empty());
  return *p;
}

std::string rejection(const char* text) {
  std::string error;
  auto p = parse_principal(text, error);
  INFO(text);
  CHECK_FALSE(p);
  CHECK_FALSE(error.empty());
  return error;
}

// The single value of a context key, or "<absent>".
std::string value(const Request& r, const char* lower_key) {
  const auto* e = r.context.find(lower_key);
  if (!e) return "<absent>";
  if (e->values.size() != 1) return "<" + std::to_string(e->values.size()) + " values>";
  return e->values[0].text;
}

Request derived(const char* who, const char* unique_id = "", const char* resource_account = "") {
  Request r;
  r.principal = principal(who);
  r.principal.unique_id = unique_id;
  r.resource_account = resource_account;
  r.fill_derived_keys();
  return r;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// parse_principal

TEST_CASE("P1 an IAM user ARN is a User", "[engine][request][P1]") {
  const Principal p = principal("arn:aws:iam::111111111111:user/alice");
  CHECK(p.kind == PrincipalKind::User);
  CHECK(p.arn == "arn:aws:iam::111111111111:user/alice");
  CHECK(p.account == "111111111111");
  CHECK(p.partition == "aws");
  CHECK(p.name == "alice");
  CHECK(p.is_iam());
  CHECK_FALSE(p.is_session());

  CHECK(principal("arn:aws:iam::111111111111:user/division/alice").name == "alice");
}

TEST_CASE("P1 a role ARN stands for a session of the role whose name is unknown", "[engine][request][P1][T5]") {
  const Principal p = principal("arn:aws:iam::111111111111:role/app");
  CHECK(p.kind == PrincipalKind::RoleSession);
  CHECK(p.name == "app");
  CHECK(p.role_arn == "arn:aws:iam::111111111111:role/app");
  CHECK_FALSE(p.session_known);
  CHECK(p.session_name.empty());
  CHECK(p.is_session());
  CHECK(p.is_iam());
  CHECK(principal("arn:aws:iam::111111111111:role/service-role/app").name == "app");
}

TEST_CASE("T5 an assumed-role ARN is a session with its role ARN", "[engine][request][T5]") {
  const Principal p = principal("arn:aws:sts::111111111111:assumed-role/app/s1");
  CHECK(p.kind == PrincipalKind::RoleSession);
  CHECK(p.arn == "arn:aws:sts::111111111111:assumed-role/app/s1");
  CHECK(p.name == "app");
  CHECK(p.session_name == "s1");
  CHECK(p.session_known);
  CHECK(p.role_arn == "arn:aws:iam::111111111111:role/app");
  CHECK(p.account == "111111111111");

  const Principal cn = principal("arn:aws-cn:sts::111111111111:assumed-role/app/s1");
  CHECK(cn.partition == "aws-cn");
  CHECK(cn.role_arn == "arn:aws-cn:iam::111111111111:role/app");
}

TEST_CASE("P1 a federated-user ARN is a FederatedUser session", "[engine][request][P1]") {
  const Principal p = principal("arn:aws:sts::111111111111:federated-user/fed1");
  CHECK(p.kind == PrincipalKind::FederatedUser);
  CHECK(p.name == "fed1");
  CHECK(p.account == "111111111111");
  CHECK(p.is_session());
  CHECK(p.is_iam());
}

TEST_CASE("P1 the root ARN and the bare account id are the root user", "[engine][request][P1][P3]") {
  for (const char* text : {"arn:aws:iam::111111111111:root", "111111111111"}) {
    const Principal p = principal(text);
    CHECK(p.kind == PrincipalKind::Root);
    CHECK(p.account == "111111111111");
    CHECK(p.is_iam());
    CHECK_FALSE(p.is_session());
  }
  CHECK(principal("111111111111").arn == "arn:aws:iam::111111111111:root");
}

TEST_CASE("P1 anonymous and \"*\" are the anonymous caller", "[engine][request][P1]") {
  for (const char* text : {"anonymous", "*"}) {
    const Principal p = principal(text);
    CHECK(p.kind == PrincipalKind::Anonymous);
    CHECK(p.account.empty());
    CHECK_FALSE(p.is_iam());
  }
}

TEST_CASE("P1 a service principal", "[engine][request][P1][K5]") {
  const Principal p = principal("pods.eks.amazonaws.com");
  CHECK(p.kind == PrincipalKind::Service);
  CHECK(p.arn == "pods.eks.amazonaws.com");
  CHECK(p.account.empty());
  CHECK_FALSE(p.is_iam());
}

TEST_CASE("T6 OIDC providers and built-in IdPs are web identities; SAML providers are Saml",
          "[engine][request][T6][P1]") {
  for (const char* idp :
       {"accounts.google.com", "cognito-identity.amazonaws.com", "www.amazon.com", "graph.facebook.com"}) {
    const Principal p = principal(idp);
    CHECK(p.kind == PrincipalKind::WebIdentity);
    CHECK(p.arn == idp);
  }
  const Principal oidc = principal("arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC");
  CHECK(oidc.kind == PrincipalKind::WebIdentity);
  CHECK(oidc.arn == "arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC");
  CHECK(oidc.account.empty());  // unsigned: the caller has no account
  CHECK_FALSE(oidc.is_iam());

  const Principal saml = principal("arn:aws:iam::111111111111:saml-provider/Okta");
  CHECK(saml.kind == PrincipalKind::Saml);
  CHECK(saml.account.empty());
  CHECK_FALSE(saml.is_iam());
}

TEST_CASE("P1 P5 texts that are no principal are rejected with a message", "[engine][request][P1][P5]") {
  CHECK_THAT(rejection("alice"), Catch::Contains("not a principal"));
  CHECK_THAT(rejection(""), Catch::Contains("not a principal"));
  CHECK_THAT(rejection("11111111111"), Catch::Contains("not a principal"));
  CHECK_THAT(rejection("svc amazonaws.com"), Catch::Contains("not a principal"));
  CHECK_THAT(rejection("arn:aws:iam::1111:user/alice"), Catch::Contains("12-digit"));
  CHECK_THAT(rejection("arn:aws:s3:::bucket"), Catch::Contains("12-digit"));
  CHECK_THAT(rejection("arn:aws:iam::111111111111:group/devs"), Catch::Contains("not a principal"));
  CHECK_THAT(rejection("arn:aws:ec2:us-east-1:111111111111:instance/i-1"), Catch::Contains("not a principal"));
  CHECK_THAT(rejection("arn:aws:sts::111111111111:assumed-role/app"), Catch::Contains("assumed-role/ROLE/SESSION"));
  rejection("arn:aws:sts::111111111111:assumed-role/app/");  // no session name
  // A malformed ARN carries the caret line.
  const std::string caret = rejection("arn:aws:iam");
  CHECK_THAT(caret, Catch::Contains("  arn:aws:iam\n") && Catch::Contains("^"));
}

// Regression: parse_principal took everything after "user/" or "role/" as the name without
// checking it was non-empty, so "arn:aws:iam::111111111111:user/" was a user named "".
TEST_CASE("P1 user and role ARNs with an empty name are rejected", "[engine][request][P1]") {
  rejection("arn:aws:iam::111111111111:user/");
  rejection("arn:aws:iam::111111111111:role/");
  rejection("arn:aws:sts::111111111111:federated-user/");
}

// Regression: "assumed-role//s1" was a session of a role named "", whose aws:PrincipalArn
// became "arn:aws:iam::111111111111:role/".
TEST_CASE("T5 an assumed-role ARN with an empty role name is rejected", "[engine][request][T5]") {
  rejection("arn:aws:sts::111111111111:assumed-role//s1");
}

// ---------------------------------------------------------------------------------------
// fill_derived_keys (docs/rules.md condition keys, T5)

TEST_CASE("T5 an IAM user's derived keys", "[engine][request][T5]") {
  const Request r = derived("arn:aws:iam::111111111111:user/alice", "AIDAJQABLZS4A3QDU576Q", "222222222222");
  CHECK(value(r, "aws:principalarn") == "arn:aws:iam::111111111111:user/alice");
  CHECK(value(r, "aws:username") == "alice");
  CHECK(value(r, "aws:userid") == "AIDAJQABLZS4A3QDU576Q");
  CHECK(value(r, "aws:principalaccount") == "111111111111");
  CHECK(value(r, "aws:principalisawsservice") == "false");
  CHECK(value(r, "aws:resourceaccount") == "222222222222");

  // Without a unique id there is no aws:userid; without an owner no aws:ResourceAccount.
  const Request bare = derived("arn:aws:iam::111111111111:user/alice");
  CHECK(value(bare, "aws:userid") == "<absent>");
  CHECK(value(bare, "aws:resourceaccount") == "<absent>");
}

TEST_CASE("T5 a role session's aws:PrincipalArn is the role ARN and aws:userid is UNIQUEID:SESSION",
          "[engine][request][T5]") {
  const Request r = derived("arn:aws:sts::111111111111:assumed-role/app/s1", "AROADBQP57FF2AEXAMPLE");
  CHECK(value(r, "aws:principalarn") == "arn:aws:iam::111111111111:role/app");
  CHECK(value(r, "aws:userid") == "AROADBQP57FF2AEXAMPLE:s1");
  CHECK(value(r, "aws:username") == "<absent>");
  CHECK(value(r, "aws:principalaccount") == "111111111111");

  // Given as a role ARN, the session name is unknown: no aws:userid.
  const Request role = derived("arn:aws:iam::111111111111:role/app", "AROADBQP57FF2AEXAMPLE");
  CHECK(value(role, "aws:principalarn") == "arn:aws:iam::111111111111:role/app");
  CHECK(value(role, "aws:userid") == "<absent>");
  CHECK(value(role, "aws:username") == "<absent>");
}

TEST_CASE("T5 federated users, root, anonymous and services", "[engine][request][T5]") {
  const Request fed = derived("arn:aws:sts::111111111111:federated-user/fed1");
  CHECK(value(fed, "aws:principalarn") == "arn:aws:sts::111111111111:federated-user/fed1");
  CHECK(value(fed, "aws:username") == "<absent>");
  CHECK(value(fed, "aws:principalaccount") == "111111111111");

  const Request root = derived("111111111111");
  CHECK(value(root, "aws:principalarn") == "arn:aws:iam::111111111111:root");
  CHECK(value(root, "aws:userid") == "111111111111");
  CHECK(value(root, "aws:username") == "<absent>");

  const Request anon = derived("anonymous");
  CHECK(value(anon, "aws:principalaccount") == "anonymous");
  CHECK(value(anon, "aws:userid") == "anonymous");
  CHECK(value(anon, "aws:principalarn") == "<absent>");
  CHECK(value(anon, "aws:principalisawsservice") == "<absent>");

  const Request svc = derived("pods.eks.amazonaws.com");
  CHECK(value(svc, "aws:principalservicename") == "pods.eks.amazonaws.com");
  CHECK(value(svc, "aws:principalisawsservice") == "true");
  CHECK(value(svc, "aws:principalaccount") == "<absent>");
  CHECK(value(svc, "aws:principalarn") == "<absent>");
}

TEST_CASE("C3 derived keys never overwrite values given in the context, whatever their case", "[engine][request][C3]") {
  Request r;
  r.principal = principal("arn:aws:iam::111111111111:user/alice");
  r.context.set("AWS:PrincipalARN", "given");
  r.context.set("aws:UserName", "given-name");
  r.fill_derived_keys();
  CHECK(value(r, "aws:principalarn") == "given");
  CHECK(value(r, "aws:username") == "given-name");
  CHECK(value(r, "aws:principalaccount") == "111111111111");
}

// ---------------------------------------------------------------------------------------
// Context and variables

TEST_CASE("C3 the context finds keys case-insensitively and replaces same-key entries", "[engine][request][C3]") {
  eval::Context c;
  c.set("AWS:SourceIp", "10.0.0.1");
  c.set("aws:sourceip", "10.0.0.2");
  REQUIRE(c.entries().size() == 1);
  const auto* e = c.find("aws:sourceip");
  REQUIRE(e);
  CHECK(e->name == "aws:sourceip");
  CHECK(e->values.at(0).text == "10.0.0.2");
  CHECK(c.has("aws:sourceip"));
  CHECK_FALSE(c.has("aws:sourcevpc"));
}

TEST_CASE("C8 C9 C12 context values are read once into their typed forms", "[engine][request][C8][C9][C12]") {
  eval::Context c;
  c.set("ip", "10.0.0.1");
  c.set("n", "42");
  c.set("d", "2020-01-01T00:00:00Z");
  c.set("s", "alice");
  const auto& ip = c.find("ip")->values.at(0);
  CHECK(ip.ip.has_value());
  CHECK_FALSE(ip.number.has_value());
  const auto& n = c.find("n")->values.at(0);
  CHECK(n.number == 42.0);
  CHECK(n.instant == 42000);  // epoch seconds
  const auto& d = c.find("d")->values.at(0);
  CHECK(d.instant == 1577836800000);
  CHECK_FALSE(d.number.has_value());
  const auto& s = c.find("s")->values.at(0);
  CHECK_FALSE(s.ip.has_value());
  CHECK_FALSE(s.number.has_value());
  CHECK_FALSE(s.instant.has_value());
}

TEST_CASE("PV2 Request::variable gives single-valued keys only", "[engine][request][PV2][C3]") {
  Request r;
  r.context.set("AWS:UserName", "alice");
  r.context.set("aws:TagKeys", {"env"}, true);
  r.context.set("aws:CalledVia", {"a.amazonaws.com", "b.amazonaws.com"}, false);
  r.context.set("aws:Empty", {}, false);
  CHECK(r.variable("aws:username") == std::optional<std::string_view>("alice"));
  CHECK_FALSE(r.variable("aws:tagkeys"));    // given as an array: multivalued
  CHECK_FALSE(r.variable("aws:calledvia"));  // two values
  CHECK_FALSE(r.variable("aws:empty"));
  CHECK_FALSE(r.variable("aws:missing"));
}

// ---------------------------------------------------------------------------------------
// Action and resource

TEST_CASE("A1 the action is kept as given and lower-cased for matching", "[engine][request][A1]") {
  Request r;
  r.set_action("S3:GetObject");
  CHECK(r.action == "S3:GetObject");
  CHECK(r.action_lower == "s3:getobject");
  CHECK(r.action_service() == "s3");
}

TEST_CASE("RS1 the resource is split into its six parts", "[engine][request][RS1]") {
  Request r;
  r.set_resource("arn:aws:s3:::data-bucket/a/b:c");
  CHECK(r.resource_is_arn);
  CHECK(r.resource_parts[1] == "aws");
  CHECK(r.resource_parts[2] == "s3");
  CHECK(r.resource_parts[4].empty());
  CHECK(r.resource_parts[5] == "data-bucket/a/b:c");

  r.set_resource("*");
  CHECK_FALSE(r.resource_is_arn);
  CHECK(r.resource_parts[5].empty());
  r.set_resource("arn:aws:s3");
  CHECK_FALSE(r.resource_is_arn);
}

TEST_CASE("RS1 a copied request's resource parts point into its own string", "[engine][request][RS1]") {
  Request copy;
  {
    Request original;
    original.set_action("s3:GetObject");
    original.set_resource("arn:aws:s3:::data-bucket/key");
    original.resource_account = "111111111111";
    original.context.set("k", "v");
    copy = original;
  }
  CHECK(copy.resource == "arn:aws:s3:::data-bucket/key");
  CHECK(copy.resource_parts[5] == "data-bucket/key");
  const char* begin = copy.resource.data();
  CHECK(copy.resource_parts[5].data() >= begin);
  CHECK(copy.resource_parts[5].data() < begin + copy.resource.size());
  CHECK(copy.action_lower == "s3:getobject");
  CHECK(copy.resource_account == "111111111111");
  CHECK(copy.context.has("k"));

  const Request constructed(copy);
  CHECK(constructed.resource_parts[5].data() >= constructed.resource.data());
  CHECK(constructed.resource_parts[5].data() < constructed.resource.data() + constructed.resource.size());
}
