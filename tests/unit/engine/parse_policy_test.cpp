// Tests: policy JSON -> AST (engine/syntax/parse_policy.hpp), checking every grammar rule
// (G1-G10), principal forms (P1, P2, P7) and what each PolicyKind allows (S6, R2, R6, RS4).
// Each check names the diagnostic code and its JSON pointer.
#include <catch2/catch.hpp>

#include <string>

#include "engine/syntax/parse_policy.hpp"
#include "tests/unit/engine/engine_test_support.hpp"

using namespace iamsim;
using iamsim::syntax::PolicyKind;
using iamsim::test::describe;
using iamsim::test::has_diag;

namespace {

struct Parsed {
  std::optional<syntax::PolicyAst> ast;
  Diagnostics diags;
};

Parsed parse(const std::string& json, PolicyKind kind, const Semantics& semantics = {}) {
  Parsed out;
  out.ast = syntax::parse_policy_text(json, kind, semantics, SourceLocation{}, out.diags);
  return out;
}

// A 2012-10-17 policy whose Statement is the given JSON.
std::string policy(const std::string& statement) { return R"({"Version":"2012-10-17","Statement":)" + statement + "}"; }

// One statement built from its members, e.g. R"("Effect":"Allow","Action":"*")".
std::string one(const std::string& members) { return policy("[{" + members + "}]"); }

const char* const allow_all = R"("Effect":"Allow","Action":"*","Resource":"*")";

std::string json_with_sid(const std::string& sid) {
  return one(R"("Sid":")" + sid + R"(","Effect":"Allow","Action":"*","Resource":"*")");
}

// Expects a successful parse without errors.
void expect_ok(const Parsed& p, const std::string& json) {
  INFO(json);
  INFO(describe(p.diags));
  CHECK(p.ast.has_value());
  CHECK_FALSE(p.diags.has_errors());
}

// Expects an error with this code at this pointer (and the parse to fail).
void expect_error(const Parsed& p, const std::string& json, const char* code, const char* pointer) {
  INFO(json);
  INFO(describe(p.diags));
  CHECK_FALSE(p.ast.has_value());
  CHECK(has_diag(p.diags, code, pointer));
}

}  // namespace

// ---------------------------------------------------------------------------------------
// G1

TEST_CASE("G1 blocks may appear in any order", "[engine][parse][G1]") {
  const std::string json =
      R"({"Statement":[{"Resource":"*","Action":"s3:GetObject","Effect":"Allow"}],"Version":"2012-10-17"})";
  const auto p = parse(json, PolicyKind::Identity);
  expect_ok(p, json);
  REQUIRE(p.ast);
  CHECK(p.ast->version == "2012-10-17");
  REQUIRE(p.ast->statements.size() == 1);
  CHECK(p.ast->statements[0].actions.at(0).value == "s3:GetObject");
}

TEST_CASE("G1 a repeated key is an error at every level", "[engine][parse][G1]") {
  struct Case {
    std::string json;
    PolicyKind kind;
    const char* pointer;
  };
  const Case cases[] = {
      {R"({"Version":"2012-10-17","Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})",
       PolicyKind::Identity, "/Version"},
      {one(R"("Effect":"Allow","Effect":"Deny","Action":"*","Resource":"*")"), PolicyKind::Identity,
       "/Statement/0/Effect"},
      {one(R"("Effect":"Allow","Action":"s3:GetObject","Action":"s3:PutObject","Resource":"*")"), PolicyKind::Identity,
       "/Statement/0/Action"},
      {one(R"("Effect":"Allow","Principal":{"AWS":"111111111111","AWS":"222222222222"},"Action":"*","Resource":"*")"),
       PolicyKind::Resource, "/Statement/0/Principal/AWS"},
      {one(std::string(allow_all) +
           R"(,"Condition":{"Bool":{"aws:SecureTransport":"true"},"Bool":{"aws:SecureTransport":"false"}})"),
       PolicyKind::Identity, "/Statement/0/Condition/Bool"},
      {one(std::string(allow_all) +
           R"(,"Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1","aws:SourceVpce":"vpce-2"}})"),
       PolicyKind::Identity, "/Statement/0/Condition/StringEquals/aws:SourceVpce"},
  };
  for (const auto& c : cases) expect_error(parse(c.json, c.kind), c.json, "policy.duplicate-key", c.pointer);
}

TEST_CASE("G1 a policy is a JSON object with a Statement and known elements", "[engine][parse][G1]") {
  {
    const std::string json = R"([{"Effect":"Allow"}])";
    expect_error(parse(json, PolicyKind::Identity), json, "policy.not-object", "");
  }
  {
    const std::string json = R"({"Version":"2012-10-17"})";
    expect_error(parse(json, PolicyKind::Identity), json, "policy.no-statement", "");
  }
  {
    const std::string json =
        R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}],"Extra":1})";
    expect_error(parse(json, PolicyKind::Identity), json, "policy.unknown-element", "/Extra");
  }
  {
    const std::string json = one(R"("Effect":"Allow","Actions":"*","Action":"*","Resource":"*")");
    expect_error(parse(json, PolicyKind::Identity), json, "policy.unknown-element", "/Statement/0/Actions");
  }
  {
    const std::string json = R"({"Version":"2012-10-17","Statement":[)";
    const auto p = parse(json, PolicyKind::Identity);
    CHECK_FALSE(p.ast);
    CHECK(iamsim::test::has_code(p.diags, "json.syntax"));
  }
}

TEST_CASE("G1 diagnostics carry the origin's file and pointer prefix", "[engine][parse][G1]") {
  SourceLocation origin;
  origin.file = "request.json";
  origin.pointer = "/policies/identity/0";
  Diagnostics d;
  const auto ast = syntax::parse_policy_text(one(R"("Effect":"allow","Action":"*","Resource":"*")"),
                                             PolicyKind::Identity, Semantics{}, origin, d);
  CHECK_FALSE(ast);
  INFO(describe(d));
  REQUIRE(has_diag(d, "policy.effect", "/policies/identity/0/Statement/0/Effect"));
  CHECK(d.items().front().where.file == "request.json");
}

// ---------------------------------------------------------------------------------------
// G2, G3, G4

TEST_CASE("G2 Id is an error in identity-based policies", "[engine][parse][G2]") {
  const std::string json =
      R"({"Version":"2012-10-17","Id":"p1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})";
  for (auto kind : {PolicyKind::Identity, PolicyKind::Boundary, PolicyKind::Session})
    expect_error(parse(json, kind), json, "policy.id-in-identity", "/Id");
}

TEST_CASE("G2 Id is allowed in resource-based policies", "[engine][parse][G2]") {
  const std::string json =
      R"({"Version":"2012-10-17","Id":"bucket-policy","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]})";
  const auto p = parse(json, PolicyKind::Resource);
  expect_ok(p, json);
  REQUIRE(p.ast);
  CHECK(p.ast->has_id);
  CHECK(p.ast->id == "bucket-policy");
  CHECK(p.diags.empty());
}

TEST_CASE("G2 Id in an SCP is only a warning", "[engine][parse][G2]") {
  const std::string json =
      R"({"Version":"2012-10-17","Id":"x","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})";
  const auto p = parse(json, PolicyKind::Scp);
  expect_ok(p, json);
  CHECK(has_diag(p.diags, "policy.id-in-org-policy", "/Id", Severity::Warning));
}

TEST_CASE("G3 Version is 2012-10-17 or 2008-10-17", "[engine][parse][G3]") {
  for (const char* v : {"2012-10-17", "2008-10-17"}) {
    const std::string json =
        std::string(R"({"Version":")") + v + R"(","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})";
    const auto p = parse(json, PolicyKind::Identity);
    expect_ok(p, json);
    REQUIRE(p.ast);
    CHECK(p.ast->version == v);
    CHECK(p.diags.empty());
  }
  for (const char* v : {"\"2012-10-18\"", "\"2012-10-17 \"", "\"\"", "2012"}) {
    const std::string json =
        std::string(R"({"Version":)") + v + R"(,"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})";
    const auto p = parse(json, PolicyKind::Identity);
    INFO(json);
    INFO(describe(p.diags));
    CHECK_FALSE(p.ast);
    CHECK((has_diag(p.diags, "policy.version", "/Version") || has_diag(p.diags, "policy.type", "/Version")));
  }
}

TEST_CASE("G3 a missing Version is a warning: variables stay literal", "[engine][parse][G3]") {
  const std::string json = R"({"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})";
  const auto p = parse(json, PolicyKind::Identity);
  REQUIRE(p.ast);
  CHECK_FALSE(p.ast->has_version);
  CHECK(has_diag(p.diags, "policy.no-version", "", Severity::Warning));
  CHECK_FALSE(p.diags.has_errors());
}

TEST_CASE("G4 Statement may be one object; its pointer has no index", "[engine][parse][G4]") {
  const std::string ok = policy(R"({"Effect":"Allow","Action":"*","Resource":"*"})");
  const auto p = parse(ok, PolicyKind::Identity);
  expect_ok(p, ok);
  REQUIRE(p.ast);
  REQUIRE(p.ast->statements.size() == 1);
  CHECK(p.ast->statements[0].pointer == "/Statement");

  const std::string bad = policy(R"({"Effect":"Permit","Action":"*","Resource":"*"})");
  expect_error(parse(bad, PolicyKind::Identity), bad, "policy.effect", "/Statement/Effect");
}

TEST_CASE("G4 Statement must be an object or an array of objects", "[engine][parse][G4]") {
  {
    const std::string json = policy(R"("Allow everything")");
    expect_error(parse(json, PolicyKind::Identity), json, "policy.type", "/Statement");
  }
  {
    const std::string json = policy(R"([{"Effect":"Allow","Action":"*","Resource":"*"}, "second"])");
    expect_error(parse(json, PolicyKind::Identity), json, "policy.type", "/Statement/1");
  }
  {
    const std::string json = policy("[]");
    const auto p = parse(json, PolicyKind::Identity);
    CHECK(p.ast);
    CHECK(has_diag(p.diags, "policy.empty-statement", "/Statement", Severity::Warning));
  }
}

// ---------------------------------------------------------------------------------------
// G5

TEST_CASE("G5 IAM Sids are alphanumeric", "[engine][parse][G5]") {
  {
    const std::string json = one(R"("Sid":"AllowRead1",)" + std::string(allow_all));
    expect_ok(parse(json, PolicyKind::Identity), json);
  }
  for (const char* sid : {"Allow Read", "allow-read", "read_all", "caf\u00e9"}) {
    const std::string json = one(std::string(R"("Sid":")") + sid + R"(",)" + allow_all);
    for (auto kind : {PolicyKind::Identity, PolicyKind::Boundary, PolicyKind::Session})
      expect_error(parse(json, kind), json, "policy.sid", "/Statement/0/Sid");
  }
  const std::string trust =
      one(R"("Sid":"Trust Me","Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole")");
  const auto refused = parse(trust, PolicyKind::RoleTrust);
  expect_error(refused, trust, "policy.sid", "/Statement/0/Sid");
  // The message names the kind with its article: "a role trust policy", never "an role".
  CHECK(describe(refused.diags).find("in a role trust policy (G5)") != std::string::npos);
  CHECK(describe(parse(json_with_sid("a-b"), PolicyKind::Boundary).diags).find("in a permissions boundary") !=
        std::string::npos);
  CHECK(describe(parse(json_with_sid("a-b"), PolicyKind::Identity).diags).find("in an identity policy") !=
        std::string::npos);
}

TEST_CASE("G5 IAM Sids are unique within the policy", "[engine][parse][G5]") {
  const std::string json = policy(R"([{"Sid":"A","Effect":"Allow","Action":"*","Resource":"*"},
                                      {"Sid":"B","Effect":"Deny","Action":"s3:*","Resource":"*"},
                                      {"Sid":"A","Effect":"Deny","Action":"ec2:*","Resource":"*"}])");
  const auto p = parse(json, PolicyKind::Identity);
  expect_error(p, json, "policy.duplicate-sid", "/Statement/2/Sid");
  CHECK_FALSE(has_diag(p.diags, "policy.duplicate-sid", "/Statement/1/Sid"));
}

TEST_CASE("G5 KMS key policies allow spaces in Sid; duplicates only warn there", "[engine][parse][G5][KM4]") {
  const std::string spaced = one(
      R"("Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"kms:*","Resource":"*")");
  const auto p = parse(spaced, PolicyKind::KmsKey);
  expect_ok(p, spaced);
  REQUIRE(p.ast);
  CHECK(p.ast->statements[0].sid == "Enable IAM User Permissions");

  const std::string dup =
      policy(R"([{"Sid":"Key Admin","Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"},
                                     {"Sid":"Key Admin","Effect":"Deny","Principal":"*","Action":"kms:Delete*","Resource":"*"}])");
  const auto d = parse(dup, PolicyKind::KmsKey);
  expect_ok(d, dup);
  CHECK(has_diag(d.diags, "policy.duplicate-sid", "/Statement/1/Sid", Severity::Warning));
}

TEST_CASE("G5 bucket policies accept other Sid characters", "[engine][parse][G5]") {
  const std::string json =
      one(R"("Sid":"allow-read_1","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*")");
  expect_ok(parse(json, PolicyKind::Resource), json);
}

// ---------------------------------------------------------------------------------------
// G6

TEST_CASE("G6 Effect is exactly Allow or Deny, case-sensitively", "[engine][parse][G6]") {
  for (const char* effect : {"allow", "DENY", "Allowed", ""}) {
    const std::string json = one(std::string(R"("Effect":")") + effect + R"(","Action":"*","Resource":"*")");
    expect_error(parse(json, PolicyKind::Identity), json, "policy.effect", "/Statement/0/Effect");
  }
  const std::string missing = one(R"("Action":"*","Resource":"*")");
  expect_error(parse(missing, PolicyKind::Identity), missing, "policy.no-effect", "/Statement/0");

  const std::string deny = one(R"("Effect":"Deny","Action":"*","Resource":"*")");
  const auto p = parse(deny, PolicyKind::Identity);
  expect_ok(p, deny);
  REQUIRE(p.ast);
  CHECK(p.ast->statements[0].effect == syntax::Effect::Deny);
}

// ---------------------------------------------------------------------------------------
// G7

TEST_CASE("G7 exactly one of Action and NotAction", "[engine][parse][G7]") {
  const std::string both = one(R"("Effect":"Allow","Action":"s3:*","NotAction":"s3:Delete*","Resource":"*")");
  expect_error(parse(both, PolicyKind::Identity), both, "policy.action-and-notaction", "/Statement/0");
  const std::string neither = one(R"("Effect":"Allow","Resource":"*")");
  expect_error(parse(neither, PolicyKind::Identity), neither, "policy.no-action", "/Statement/0");

  const std::string not_action = one(R"("Effect":"Deny","NotAction":"iam:*","Resource":"*")");
  const auto p = parse(not_action, PolicyKind::Identity);
  expect_ok(p, not_action);
  REQUIRE(p.ast);
  CHECK(p.ast->statements[0].not_action);
}

TEST_CASE("G7 exactly one of Resource and NotResource", "[engine][parse][G7]") {
  const std::string both = one(R"("Effect":"Allow","Action":"*","Resource":"*","NotResource":"arn:aws:s3:::b")");
  expect_error(parse(both, PolicyKind::Identity), both, "policy.resource-and-notresource", "/Statement/0");
  for (auto kind : {PolicyKind::Identity, PolicyKind::Boundary, PolicyKind::Session, PolicyKind::Scp}) {
    const std::string neither = one(R"("Effect":"Allow","Action":"*")");
    expect_error(parse(neither, kind), neither, "policy.no-resource", "/Statement/0");
  }
  const std::string not_resource = one(R"("Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::secret/*")");
  const auto p = parse(not_resource, PolicyKind::Identity);
  expect_ok(p, not_resource);
  REQUIRE(p.ast);
  CHECK(p.ast->statements[0].not_resource);
  CHECK(p.ast->statements[0].has_resource);
}

TEST_CASE("G7 resource-based policies may omit Resource; trust policies must", "[engine][parse][G7][T1]") {
  for (auto kind : {PolicyKind::Resource, PolicyKind::KmsKey, PolicyKind::VpcEndpoint}) {
    const std::string json = one(R"("Effect":"Allow","Principal":"*","Action":"s3:GetObject")");
    const auto p = parse(json, kind);
    expect_ok(p, json);
    REQUIRE(p.ast);
    CHECK_FALSE(p.ast->statements[0].has_resource);
  }
  const std::string trust =
      one(R"("Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole")");
  expect_ok(parse(trust, PolicyKind::RoleTrust), trust);

  const std::string trust_with_resource =
      one(R"("Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole","Resource":"*")");
  expect_error(parse(trust_with_resource, PolicyKind::RoleTrust), trust_with_resource, "policy.resource-in-trust",
               "/Statement/0");
}

// ---------------------------------------------------------------------------------------
// G8, P7

TEST_CASE("G8 Principal is forbidden in identity policies, boundaries, session policies and SCPs",
          "[engine][parse][G8]") {
  for (const char* element : {"Principal", "NotPrincipal"}) {
    const std::string json = one(std::string("\"") + element + R"(":"*",)" + allow_all);
    for (auto kind : {PolicyKind::Identity, PolicyKind::Boundary, PolicyKind::Session, PolicyKind::Scp}) {
      INFO(element);
      expect_error(parse(json, kind), json, "policy.principal-not-allowed",
                   (std::string("/Statement/0/") + element).c_str());
    }
  }
}

TEST_CASE("G8 Principal is required in resource, trust, key, RCP and endpoint policies", "[engine][parse][G8][V3]") {
  const std::string json = one(allow_all);
  for (auto kind : {PolicyKind::Resource, PolicyKind::RoleTrust, PolicyKind::KmsKey, PolicyKind::VpcEndpoint}) {
    INFO(std::string(syntax::to_string(kind)));
    expect_error(parse(json, kind), json, "policy.principal-required", "/Statement/0");
  }
  const std::string rcp = one(R"("Effect":"Deny","Action":"s3:*","Resource":"*")");
  expect_error(parse(rcp, PolicyKind::Rcp), rcp, "policy.principal-required", "/Statement/0");
}

TEST_CASE("G8 Principal and NotPrincipal together are an error", "[engine][parse][G8]") {
  const std::string json =
      one(R"("Effect":"Deny","Principal":"*","NotPrincipal":{"AWS":"111111111111"},"Action":"*","Resource":"*")");
  expect_error(parse(json, PolicyKind::Resource), json, "policy.principal-and-notprincipal",
               "/Statement/0/NotPrincipal");
}

TEST_CASE("P7 NotPrincipal is forbidden in trust policies and RCPs, allowed in bucket policies",
          "[engine][parse][P7][R6]") {
  const std::string trust = one(R"("Effect":"Deny","NotPrincipal":{"AWS":"111111111111"},"Action":"sts:AssumeRole")");
  expect_error(parse(trust, PolicyKind::RoleTrust), trust, "policy.notprincipal-not-allowed",
               "/Statement/0/NotPrincipal");

  const std::string rcp =
      one(R"("Effect":"Deny","NotPrincipal":{"AWS":"111111111111"},"Action":"s3:*","Resource":"*")");
  expect_error(parse(rcp, PolicyKind::Rcp), rcp, "policy.notprincipal-not-allowed", "/Statement/0/NotPrincipal");

  const std::string bucket = one(
      R"("Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111111111111:user/alice"},"Action":"s3:*","Resource":"*")");
  const auto p = parse(bucket, PolicyKind::Resource);
  expect_ok(p, bucket);
  REQUIRE(p.ast);
  CHECK(p.ast->statements[0].principal.negated);
}

// ---------------------------------------------------------------------------------------
// G9

TEST_CASE("G9 list elements accept a string or an array of strings", "[engine][parse][G9]") {
  const std::string json =
      one(R"("Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/*")");
  const auto p = parse(json, PolicyKind::Identity);
  expect_ok(p, json);
  REQUIRE(p.ast);
  const auto& st = p.ast->statements[0];
  REQUIRE(st.actions.size() == 2);
  CHECK(st.actions[1].value == "s3:PutObject");
  CHECK(st.actions[1].pointer == "/Statement/0/Action/1");
  REQUIRE(st.resources.size() == 1);
  CHECK(st.resources[0].pointer == "/Statement/0/Resource");

  const std::string empty = one(R"("Effect":"Allow","Action":[],"Resource":"*")");
  expect_error(parse(empty, PolicyKind::Identity), empty, "policy.empty-list", "/Statement/0/Action");

  const std::string number = one(R"("Effect":"Allow","Action":["s3:GetObject",7],"Resource":"*")");
  expect_error(parse(number, PolicyKind::Identity), number, "policy.type", "/Statement/0/Action/1");

  const std::string object = one(R"("Effect":"Allow","Action":"*","Resource":{"arn":"x"})");
  expect_error(parse(object, PolicyKind::Identity), object, "policy.type", "/Statement/0/Resource");

  const std::string principal_list =
      one(R"("Effect":"Allow","Principal":{"AWS":["111111111111","arn:aws:iam::222222222222:root"]},"Action":"*")");
  const auto pl = parse(principal_list, PolicyKind::Resource);
  expect_ok(pl, principal_list);
  REQUIRE(pl.ast);
  REQUIRE(pl.ast->statements[0].principal.entries.size() == 2);
  CHECK(pl.ast->statements[0].principal.entries[1].value.pointer == "/Statement/0/Principal/AWS/1");
}

// ---------------------------------------------------------------------------------------
// G10

TEST_CASE("G10 characters up to U+00FF are allowed, U+0100 and control characters are not", "[engine][parse][G10]") {
  {
    const std::string json = one(R"("Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::caf)"
                                 "\xC3\xA9"  // U+00E9
                                 R"(/*")");
    expect_ok(parse(json, PolicyKind::Identity), json);
  }
  {
    const std::string json =
        one(R"("Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::caf\u00e9/\u007f\u00ff\t")");
    expect_ok(parse(json, PolicyKind::Identity), json);
  }
  {
    const std::string json = one(R"("Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/)"
                                 "\xC4\x80"  // U+0100
                                 R"(")");
    expect_error(parse(json, PolicyKind::Identity), json, "policy.character", "/Statement/0/Resource");
  }
  {
    const std::string json = one(R"("Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/\u0001")");
    expect_error(parse(json, PolicyKind::Identity), json, "policy.character", "/Statement/0/Resource");
  }
  {
    const std::string json = one(R"("Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/\u20ac")");
    expect_error(parse(json, PolicyKind::Identity), json, "policy.character", "/Statement/0/Resource");
  }
  {  // In a key, too.
    const std::string json =
        one(std::string(allow_all) + R"(,"Condition":{"StringEquals":{"aws:PrincipalTag/\u0100":"x"}})");
    expect_error(parse(json, PolicyKind::Identity), json, "policy.character",
                 "/Statement/0/Condition/StringEquals/aws:PrincipalTag~1\u0100");
  }
  {  // In a condition value.
    const std::string json =
        one(std::string(allow_all) + R"(,"Condition":{"StringEquals":{"aws:username":["ok","\u0002"]}})");
    expect_error(parse(json, PolicyKind::Identity), json, "policy.character",
                 "/Statement/0/Condition/StringEquals/aws:username/1");
  }
}

TEST_CASE("G10 a string longer than any policy may be is rejected once, at its pointer", "[engine][parse][G10][KM4]") {
  const std::string huge(syntax::max_policy_string_bytes + 1, 'a');
  const std::string json = one(R"("Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::)" + huge + "\"");
  const auto p = parse(json, PolicyKind::Identity);
  expect_error(p, json, "policy.string-too-long", "/Statement/0/Resource");
  CHECK(iamsim::test::error_count(p.diags) == 1);

  const std::string fits(syntax::max_policy_string_bytes - 20, 'a');
  const std::string ok = one(R"("Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::)" + fits + "\"");
  expect_ok(parse(ok, PolicyKind::Identity), ok);
}

// ---------------------------------------------------------------------------------------
// P1, P2

TEST_CASE("P1 every documented AWS principal form is accepted", "[engine][parse][P1]") {
  const char* forms[] = {
      "*",
      "111111111111",
      "arn:aws:iam::111111111111:root",
      "arn:aws:iam::111111111111:user/alice",
      "arn:aws:iam::111111111111:user/division/alice",
      "arn:aws:iam::111111111111:role/app",
      "arn:aws:sts::111111111111:assumed-role/app/s1",
      "arn:aws:sts::111111111111:federated-user/fed1",
      "AIDAJQABLZS4A3QDU576Q",
      "AROADBQP57FF2AEXAMPLE",
  };
  for (const char* form : forms) {
    const std::string json = one(std::string(R"("Effect":"Allow","Principal":{"AWS":")") + form +
                                 R"("},"Action":"s3:GetObject","Resource":"*")");
    const auto p = parse(json, PolicyKind::Resource);
    expect_ok(p, json);
    REQUIRE(p.ast);
    REQUIRE(p.ast->statements[0].principal.entries.size() == 1);
    CHECK(p.ast->statements[0].principal.entries[0].type == "AWS");
    CHECK(p.ast->statements[0].principal.entries[0].value.value == form);
  }
}

TEST_CASE("P1 Federated, Service and CanonicalUser principals; \"*\" is AWS \"*\"", "[engine][parse][P1]") {
  const std::string json = one(
      R"("Effect":"Allow","Principal":{"Federated":["accounts.google.com","arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"],"Service":"ec2.amazonaws.com","CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":"sts:AssumeRole")");
  const auto p = parse(json, PolicyKind::RoleTrust);
  expect_ok(p, json);
  REQUIRE(p.ast);
  const auto& entries = p.ast->statements[0].principal.entries;
  REQUIRE(entries.size() == 4);
  CHECK(entries[0].type == "Federated");
  CHECK(entries[2].type == "Service");
  CHECK(entries[3].type == "CanonicalUser");

  const std::string star = one(R"("Effect":"Allow","Principal":"*","Action":"s3:GetObject")");
  const auto s = parse(star, PolicyKind::Resource);
  expect_ok(s, star);
  REQUIRE(s.ast);
  REQUIRE(s.ast->statements[0].principal.entries.size() == 1);
  CHECK(s.ast->statements[0].principal.entries[0].type == "AWS");
  CHECK(s.ast->statements[0].principal.entries[0].value.value == "*");
}

TEST_CASE("P1 malformed principals are rejected at their pointer", "[engine][parse][P1][P5]") {
  struct Case {
    const char* principal;
    const char* code;
    const char* pointer;
  };
  const Case cases[] = {
      {R"("111111111111")", "policy.principal", "/Statement/0/Principal"},
      {R"({"User":"alice"})", "policy.principal-type", "/Statement/0/Principal/User"},
      {R"({"AWS":"alice"})", "policy.principal", "/Statement/0/Principal/AWS"},
      {R"({"AWS":"11111111111"})", "policy.principal", "/Statement/0/Principal/AWS"},
      {R"({"AWS":"arn:aws:iam::111111111111:group/devs"})", "policy.principal-arn", "/Statement/0/Principal/AWS"},
      {R"({"AWS":"arn:aws:s3:::bucket"})", "policy.principal-arn", "/Statement/0/Principal/AWS"},
      {R"({"AWS":["111111111111","arn:aws"]})", "policy.principal-arn", "/Statement/0/Principal/AWS/1"},
      {R"(["*"])", "policy.type", "/Statement/0/Principal"},
      {R"({"AWS":[]})", "policy.empty-list", "/Statement/0/Principal/AWS"},
  };
  for (const auto& c : cases) {
    const std::string json = one(std::string(R"("Effect":"Allow","Principal":)") + c.principal + R"(,"Action":"*")");
    expect_error(parse(json, PolicyKind::Resource), json, c.code, c.pointer);
  }
}

TEST_CASE("P1 a malformed principal ARN's message has a caret line", "[engine][parse][P1]") {
  const std::string json = one(R"("Effect":"Allow","Principal":{"AWS":"arn:aws:iam"},"Action":"*")");
  const auto p = parse(json, PolicyKind::Resource);
  REQUIRE_FALSE(p.ast);
  REQUIRE_FALSE(p.diags.items().empty());
  const auto& msg = p.diags.items().front().message;
  CHECK_THAT(msg, Catch::Contains("  arn:aws:iam\n") && Catch::Contains("^"));
}

TEST_CASE("P2 partial wildcards in AWS principals are rejected", "[engine][parse][P2]") {
  const char* wildcards[] = {
      "arn:aws:iam::111111111111:user/*",
      "arn:aws:iam::111111111111:role/app-*",
      "arn:aws:iam::*:root",
      "arn:aws:sts::111111111111:assumed-role/app/?",
  };
  for (const char* w : wildcards) {
    const std::string json = one(std::string(R"("Effect":"Allow","Principal":{"AWS":")") + w + R"("},"Action":"*")");
    expect_error(parse(json, PolicyKind::Resource), json, "policy.principal-wildcard", "/Statement/0/Principal/AWS");
  }
  const std::string digits = one(R"("Effect":"Allow","Principal":{"AWS":"11111111111*"},"Action":"*")");
  expect_error(parse(digits, PolicyKind::Resource), digits, "policy.principal", "/Statement/0/Principal/AWS");
}

TEST_CASE("P2 an assumed-role principal must name one session", "[engine][parse][P2]") {
  const std::string json =
      one(R"("Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111111111111:assumed-role/app"},"Action":"*")");
  expect_error(parse(json, PolicyKind::Resource), json, "policy.principal-arn", "/Statement/0/Principal/AWS");
}

// Regression: "user/", "assumed-role/app/" (no session, though P2 says the principal must
// name one specific session) and "assumed-role//s1" once passed validation.
TEST_CASE("P1 P2 principal ARNs with an empty name part are rejected", "[engine][parse][P1][P2]") {
  for (const char* arn : {"arn:aws:iam::111111111111:user/", "arn:aws:iam::111111111111:role/",
                          "arn:aws:sts::111111111111:federated-user/", "arn:aws:sts::111111111111:assumed-role/app/",
                          "arn:aws:sts::111111111111:assumed-role//s1"}) {
    const std::string json = one(std::string(R"("Effect":"Allow","Principal":{"AWS":")") + arn + R"("},"Action":"*")");
    expect_error(parse(json, PolicyKind::Resource), json, "policy.principal-arn", "/Statement/0/Principal/AWS");
  }
}

// Regression: a partial wildcard in a Service or Federated principal ("*.amazonaws.com")
// was once accepted silently and then never matched; P2 allows wildcards only whole.
TEST_CASE("P2 partial wildcards in Service and Federated principals are rejected", "[engine][parse][P2]") {
  const std::string json =
      one(R"("Effect":"Allow","Principal":{"Service":"*.amazonaws.com"},"Action":"sts:AssumeRole")");
  const auto p = parse(json, PolicyKind::RoleTrust);
  INFO(describe(p.diags));
  CHECK_FALSE(p.ast);
  CHECK(p.diags.has_errors());
}

// ---------------------------------------------------------------------------------------
// Actions and resources

TEST_CASE("A1 actions have the form service:ActionName", "[engine][parse][A1]") {
  for (const char* bad : {"s3GetObject", "s3:", ":GetObject", "s 3:GetObject", "s3:Get:Object", "s3_x:Get"}) {
    const std::string json = one(std::string(R"("Effect":"Allow","Action":")") + bad + R"(","Resource":"*")");
    expect_error(parse(json, PolicyKind::Identity), json, "policy.action", "/Statement/0/Action");
  }
  for (const char* good : {"*", "S3:getobject", "iam:*AccessKey*", "s3:Get?bject", "execute-api:Invoke"}) {
    const std::string json = one(std::string(R"("Effect":"Allow","Action":")") + good + R"(","Resource":"*")");
    expect_ok(parse(json, PolicyKind::Identity), json);
  }
}

TEST_CASE("RS1 resources are \"*\" or ARNs; the service part holds no wildcard", "[engine][parse][RS1]") {
  const std::string not_arn = one(R"("Effect":"Allow","Action":"*","Resource":"data-bucket/*")");
  const auto p = parse(not_arn, PolicyKind::Identity);
  expect_error(p, not_arn, "policy.resource-arn", "/Statement/0/Resource");
  REQUIRE_FALSE(p.diags.items().empty());
  CHECK_THAT(p.diags.items().front().message, Catch::Contains("^"));

  const std::string service = one(R"("Effect":"Allow","Action":"*","Resource":"arn:aws:s*:::b")");
  expect_error(parse(service, PolicyKind::Identity), service, "policy.resource-arn", "/Statement/0/Resource");

  const std::string wild =
      one(R"("Effect":"Allow","Action":"*","Resource":["arn:aws:s3:::b/*","arn:*:ec2:*:*:instance/i-?"])");
  expect_ok(parse(wild, PolicyKind::Identity), wild);
}

TEST_CASE("RS4 variables are allowed only after the fifth colon", "[engine][parse][RS4]") {
  for (const char* r :
       {"arn:aws:s3:${aws:RequestedRegion}::b", "arn:aws:iam::${aws:PrincipalAccount}:user/x", "arn:${x}:s3:::b"}) {
    const std::string json = one(std::string(R"("Effect":"Allow","Action":"*","Resource":")") + r + "\"");
    const auto p = parse(json, PolicyKind::Identity);
    expect_error(p, json, "policy.variable-position", "/Statement/0/Resource");
    REQUIRE_FALSE(p.diags.items().empty());
    CHECK_THAT(p.diags.items().front().message, Catch::Contains("^"));
  }
  // In the resource part: fine.
  const std::string ok = one(R"("Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::home/${aws:username}/*")");
  expect_ok(parse(ok, PolicyKind::Identity), ok);
  // Under 2008-10-17 "${" is literal text, so there is no variable to misplace (G3).
  const std::string old =
      R"({"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:aws:iam::${aws:PrincipalAccount}:user/x"}]})";
  expect_ok(parse(old, PolicyKind::Identity), old);
}

// ---------------------------------------------------------------------------------------
// Condition shape (C1)

TEST_CASE("C1 the Condition block is {Operator: {Key: value}}", "[engine][parse][C1]") {
  {
    const std::string json = one(std::string(allow_all) + R"(,"Condition":["StringEquals"])");
    expect_error(parse(json, PolicyKind::Identity), json, "policy.type", "/Statement/0/Condition");
  }
  {
    const std::string json = one(std::string(allow_all) + R"(,"Condition":{"StringEquals":"aws:username"})");
    expect_error(parse(json, PolicyKind::Identity), json, "policy.type", "/Statement/0/Condition/StringEquals");
  }
  {
    const std::string json = one(std::string(allow_all) + R"(,"Condition":{"StringEquals":{"aws:username":null}})");
    expect_error(parse(json, PolicyKind::Identity), json, "policy.type",
                 "/Statement/0/Condition/StringEquals/aws:username");
  }
  {
    const std::string json = one(std::string(allow_all) + R"(,"Condition":{"StringEquals":{"aws:username":[]}})");
    expect_error(parse(json, PolicyKind::Identity), json, "policy.empty-list",
                 "/Statement/0/Condition/StringEquals/aws:username");
  }
  {
    const std::string json = one(std::string(allow_all) + R"(,"Condition":{"StringEquals":{"":"x"}})");
    expect_error(parse(json, PolicyKind::Identity), json, "policy.condition-key",
                 "/Statement/0/Condition/StringEquals/");
  }
}

TEST_CASE("C1 condition keys are escaped in pointers; numbers and booleans keep their JSON text",
          "[engine][parse][C1]") {
  CHECK(syntax::json_pointer_escape("a~b/c") == "/a~0b~1c");
  const std::string json = one(
      std::string(allow_all) +
      R"(,"Condition":{"StringEquals":{"aws:PrincipalTag/team":"ml"},"NumericLessThan":{"s3:max-keys":[10,2.5]},"Bool":{"aws:SecureTransport":true}})");
  const auto p = parse(json, PolicyKind::Identity);
  expect_ok(p, json);
  REQUIRE(p.ast);
  const auto& conds = p.ast->statements[0].conditions;
  REQUIRE(conds.size() == 3);
  CHECK(conds[0].op == "StringEquals");
  CHECK(conds[0].key == "aws:PrincipalTag/team");
  CHECK(conds[0].pointer == "/Statement/0/Condition/StringEquals/aws:PrincipalTag~1team");
  REQUIRE(conds[1].values.size() == 2);
  CHECK(conds[1].values[0].value == "10");
  CHECK(conds[1].values[1].value == "2.5");
  CHECK(conds[1].values[1].pointer == "/Statement/0/Condition/NumericLessThan/s3:max-keys/1");
  REQUIRE(conds[2].values.size() == 1);
  CHECK(conds[2].values[0].value == "true");
}

TEST_CASE("Q1 the AST records the size with and without whitespace", "[engine][parse][Q1]") {
  const std::string json = "{ \"Statement\" : { \"Effect\":\"Allow\",\t\"Action\":\"*\",\n\"Resource\":\"*\" } }";
  const auto p = parse(json, PolicyKind::Identity);
  REQUIRE(p.ast);
  CHECK(p.ast->text_size == json.size());
  std::size_t non_ws = 0;
  for (char c : json) non_ws += !(c == ' ' || c == '\t' || c == '\n' || c == '\r');
  CHECK(p.ast->non_whitespace_chars == non_ws);
  CHECK(p.ast->non_whitespace_chars < p.ast->text_size);
}

// ---------------------------------------------------------------------------------------
// S6 (scp_syntax=2022)

TEST_CASE("S6 under scp_syntax=2022 the older, stricter SCP language applies", "[engine][parse][S6]") {
  Semantics old;
  old.scp_current_syntax = false;
  struct Case {
    const char* statement;
    const char* pointer;
  };
  const Case rejected[] = {
      {R"({"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}})",
       "/Statement/0"},
      {R"({"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/*"})", "/Statement/0"},
      {R"({"Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:s3:::b/*"})", "/Statement/0"},
      {R"({"Effect":"Allow","NotAction":"iam:*","Resource":"*"})", "/Statement/0"},
      {R"({"Effect":"Deny","Action":"s3:*Object","Resource":"*"})", "/Statement/0/Action"},
      {R"({"Effect":"Deny","Action":["s3:Get*","s3:*Delete*"],"Resource":"*"})", "/Statement/0/Action/1"},
  };
  for (const auto& c : rejected) {
    const std::string json = policy(std::string("[") + c.statement + "]");
    expect_error(parse(json, PolicyKind::Scp, old), json, "policy.scp-2022", c.pointer);
    // The current language accepts every one of them (docs/rules.md choice 1).
    expect_ok(parse(json, PolicyKind::Scp), json);
  }
  const char* accepted[] = {
      R"({"Effect":"Allow","Action":"*","Resource":"*"})",
      R"({"Effect":"Allow","Action":["s3:Get*","ec2:*"],"Resource":"*"})",
      R"({"Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"eu-west-1"}}})",
      R"({"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::secret/*"})",
  };
  for (const char* st : accepted) {
    const std::string json = policy(std::string("[") + st + "]");
    expect_ok(parse(json, PolicyKind::Scp, old), json);
  }
}

// ---------------------------------------------------------------------------------------
// R2, R6

TEST_CASE("R2 an RCP may Allow only as RCPFullAWSAccess", "[engine][parse][R2]") {
  const std::string full = one(R"("Effect":"Allow","Principal":"*","Action":"*","Resource":"*")");
  expect_ok(parse(full, PolicyKind::Rcp), full);

  const char* rejected[] = {
      R"("Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*")",
      R"("Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::b/*")",
      R"("Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}})",
      R"("Effect":"Allow","Principal":"*","Action":"*","NotResource":"*")",
  };
  for (const char* st : rejected) {
    const std::string json = one(st);
    expect_error(parse(json, PolicyKind::Rcp), json, "policy.rcp-allow", "/Statement/0");
  }
  const std::string deny = one(
      R"("Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}})");
  expect_ok(parse(deny, PolicyKind::Rcp), deny);
}

TEST_CASE("R6 an RCP has no NotAction and must have Version 2012-10-17", "[engine][parse][R6]") {
  const std::string not_action = one(R"("Effect":"Deny","Principal":"*","NotAction":"s3:GetObject","Resource":"*")");
  expect_error(parse(not_action, PolicyKind::Rcp), not_action, "policy.rcp-notaction", "/Statement/0");

  const std::string no_version = R"({"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]})";
  expect_error(parse(no_version, PolicyKind::Rcp), no_version, "policy.rcp-version", "");

  const std::string old =
      R"({"Version":"2008-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]})";
  expect_error(parse(old, PolicyKind::Rcp), old, "policy.rcp-version", "/Version");
  // The same document without its Principal is a valid SCP: the Version rule is RCP-only.
  const std::string scp_old =
      R"({"Version":"2008-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]})";
  expect_ok(parse(scp_old, PolicyKind::Scp), scp_old);
}

TEST_CASE("R6 an RCP Principal other than \"*\" warns, or errs when rcp_principal_must_be_star",
          "[engine][parse][R6]") {
  const std::string json = one(R"("Effect":"Deny","Principal":{"AWS":"111111111111"},"Action":"s3:*","Resource":"*")");
  const auto lax = parse(json, PolicyKind::Rcp);
  expect_ok(lax, json);
  CHECK(has_diag(lax.diags, "policy.rcp-principal", "/Statement/0/Principal/AWS", Severity::Warning));

  Semantics strict;
  strict.rcp_principal_must_be_star = true;
  expect_error(parse(json, PolicyKind::Rcp, strict), json, "policy.rcp-principal", "/Statement/0/Principal/AWS");

  const std::string star = one(R"("Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*")");
  const auto ok = parse(star, PolicyKind::Rcp, strict);
  expect_ok(ok, star);
  CHECK(ok.diags.empty());
}

TEST_CASE("V3 an endpoint policy needs a Principal and may omit Resource", "[engine][parse][V3]") {
  const std::string json =
      one(R"("Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*")");
  expect_ok(parse(json, PolicyKind::VpcEndpoint), json);
  const std::string without = one(R"("Effect":"Allow","Action":"s3:GetObject","Resource":"*")");
  expect_error(parse(without, PolicyKind::VpcEndpoint), without, "policy.principal-required", "/Statement/0");
}
