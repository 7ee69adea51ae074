// Tests: the decision as a value (engine/eval/decision.hpp, explain.hpp): reasons with
// codes and the statement that nearly matched, typed warnings, the context keys an answer
// depends on (E11), that a decision outlives its policy set, that the allow path does not
// allocate, and that the code table is complete.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "engine/eval/authorize.hpp"
#include "engine/eval/explain.hpp"
#include "tests/unit/engine/engine_test_support.hpp"
#include "tests/unit/support/allocations.hpp"

using namespace iamsim;
using namespace iamsim::eval;
using iamsim::syntax::PolicyKind;
using iamsim::test::Policies;

namespace {

constexpr const char* kAlice = "arn:aws:iam::111111111111:user/alice";
constexpr const char* kObject = "arn:aws:s3:::data-bucket/key";
constexpr const char* kRole = "arn:aws:iam::111111111111:role/target";

Request request(const char* principal, const char* action, const char* resource) {
  Request r;
  std::string error;
  auto p = parse_principal(principal, error);
  REQUIRE(p);
  r.principal = *p;
  r.set_action(action);
  r.set_resource(resource);
  r.resource_account = "111111111111";
  r.fill_derived_keys();
  return r;
}

const Reason& only_reason(const Decision& d) {
  REQUIRE(d.reasons.size() == 1);
  return d.reasons[0];
}

std::vector<std::string> keys(const Decision& d) {
  return {d.missing_context_keys.begin(), d.missing_context_keys.end()};
}

}  // namespace

TEST_CASE("E11 the keys an applicable statement tests and the request lacks are reported, sorted, once",
          "[engine][decision][E11]") {
  Policies pol;
  PolicyLayers ps;
  // An Allow whose first condition fails: the key of the second still counts. The Deny on
  // another action is not applicable, so its key does not.
  ps.identity.push_back(pol.identity(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
      "Condition":{"Bool":{"aws:SecureTransport":"true"},"StringEquals":{"aws:SourceVpce":"vpce-1"}}},
    {"Effect":"Deny","Action":"s3:PutObject","Resource":"*","Condition":{"Null":{"aws:RequestTag/x":"true"}}},
    {"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{"StringNotEqualsIfExists":{"AWS:SourceVPCE":"vpce-1"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}})"));
  Request r = request(kAlice, "s3:GetObject", kObject);
  r.context.set("aws:SecureTransport", "false");
  const Decision d = authorize(r, ps, Semantics{});
  CHECK(d.outcome == Outcome::ImplicitDeny);
  // Once each (keys are case-insensitive, C3), as the first statement wrote it, sorted.
  CHECK(keys(d) == std::vector<std::string>{"aws:SourceIp", "aws:SourceVpce"});

  // Given keys are not missing, and an allowed request reports its absent keys too.
  r.context.set("aws:SecureTransport", "true");
  r.context.set("aws:SourceVpce", "vpce-1");
  const Decision allowed = authorize(r, ps, Semantics{});
  CHECK(allowed.outcome == Outcome::Allow);
  CHECK(keys(allowed) == std::vector<std::string>{"aws:SourceIp"});
}

TEST_CASE("E11 statements that do not apply to the caller add no missing keys", "[engine][decision][E11]") {
  Policies pol;
  PolicyLayers ps;
  ps.resource = pol.attach(R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"s3:GetObject","Resource":"*",
       "Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}]})",
                           PolicyKind::Resource, "bucket");
  ps.identity.push_back(pol.identity(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"*"})"));
  const Decision d = authorize(request(kAlice, "s3:GetObject", kObject), ps, Semantics{});
  CHECK(d.outcome == Outcome::Allow);
  CHECK(d.missing_context_keys.empty());
}

TEST_CASE("T1 a trust policy's near miss names the statement and the condition that failed",
          "[engine][decision][T1][K1]") {
  Policies pol;
  PolicyLayers ps;
  ps.resource = pol.attach(R"({"Version":"2012-10-17","Statement":[
      {"Sid":"Other","Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"},
      {"Sid":"LoaderOnly","Effect":"Allow",
       "Principal":{"Federated":"arn:aws:iam::111111111111:oidc-provider/oidc.example.com/id/X"},
       "Action":"sts:AssumeRoleWithWebIdentity",
       "Condition":{"StringEquals":{"oidc.example.com/id/X:aud":"sts.amazonaws.com",
                                    "oidc.example.com/id/X:sub":"system:serviceaccount:kserve:loader"}}}]})",
                           PolicyKind::RoleTrust, "loader-trust");
  Request r =
      request("arn:aws:iam::111111111111:oidc-provider/oidc.example.com/id/X", "sts:AssumeRoleWithWebIdentity", kRole);
  r.context.set("oidc.example.com/id/X:aud", "sts.amazonaws.com");
  r.context.set("oidc.example.com/id/X:sub", "system:serviceaccount:kserve:intruder");
  const Decision d = authorize(r, ps, Semantics{});
  CHECK(d.outcome == Outcome::ImplicitDeny);
  const Reason& why = only_reason(d);
  CHECK(why.code == Code::TrustWithoutGrant);
  CHECK(code_id(why.code) == "T1.trust-without-grant");
  CHECK(why.layer == Layer::Resource);
  CHECK(why.resource_kind == ResourcePolicyKind::RoleTrust);
  REQUIRE(why.near_miss);
  CHECK(why.near_miss.statement == 1);
  CHECK(why.near_miss.compiled().sid == "LoaderOnly");
  CHECK(why.near_miss.compiled().conditions[why.condition].key_text == "oidc.example.com/id/X:sub");
  const std::string text = message(why, r);
  CHECK_THAT(text, Catch::Contains("statement \"LoaderOnly\" of loader-trust") &&
                       Catch::Contains("StringEquals oidc.example.com/id/X:sub") &&
                       Catch::Contains("system:serviceaccount:kserve:intruder"));

  // Without the claim, the message says the key was not given, and E11 lists it.
  Request bare =
      request("arn:aws:iam::111111111111:oidc-provider/oidc.example.com/id/X", "sts:AssumeRoleWithWebIdentity", kRole);
  const Decision d2 = authorize(bare, ps, Semantics{});
  CHECK_THAT(message(only_reason(d2), bare), Catch::Contains("whose key is not given"));
  CHECK(keys(d2) == std::vector<std::string>{"oidc.example.com/id/X:aud", "oidc.example.com/id/X:sub"});
}

TEST_CASE("E7 E8 S3 each refusing layer has its code, and its near miss when a condition failed",
          "[engine][decision][E7][E8][S3]") {
  Policies pol;
  const Request r = request(kAlice, "s3:GetObject", kObject);
  {
    PolicyLayers ps;
    ps.identity.push_back(pol.identity(R"({"Effect":"Allow","Action":"s3:PutObject","Resource":"*"})", "put"));
    ps.identity.push_back(pol.identity(
        R"({"Sid":"FromVpc","Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpc":"vpc-1"}}})",
        "get"));
    const Decision d = authorize(r, ps, Semantics{});  // kept: why refers into it
    const Reason& why = only_reason(d);
    CHECK(why.code == Code::NoIdentityAllow);
    REQUIRE(why.near_miss);
    CHECK(why.near_miss.position == 1);  // the second identity policy
    CHECK(why.near_miss.source->name == "get");
  }
  {
    PolicyLayers ps;
    ps.identity.push_back(pol.identity(R"({"Effect":"Allow","Action":"*","Resource":"*"})"));
    ps.boundary =
        pol.attach(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]})",
                   PolicyKind::Boundary, "boundary");
    const Decision d = authorize(r, ps, Semantics{});
    const Reason& why = only_reason(d);
    CHECK(why.code == Code::BoundaryWithoutAllow);
    CHECK(why.layer == Layer::Boundary);
    CHECK_FALSE(why.near_miss);  // no statement matched the action
    CHECK(message(why, r) == "the permissions boundary does not allow the action");
  }
  {
    PolicyLayers ps;
    ps.identity.push_back(pol.identity(R"({"Effect":"Allow","Action":"*","Resource":"*"})"));
    const auto full =
        pol.attach(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})",
                   PolicyKind::Scp, "FullAWSAccess");
    const auto ec2 =
        pol.attach(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]})",
                   PolicyKind::Scp, "ec2-only");
    ps.scp.emplace(std::vector<PolicyLevel>{{full}, {ec2}});
    const std::vector<std::string> names = {"root", "unit ml"};
    ps.scp_level_names = names;
    const Decision d = authorize(r, ps, Semantics{});  // kept: why refers into it
    const Reason& why = only_reason(d);
    CHECK(why.code == Code::ScpLevelWithoutAllow);
    CHECK(why.level == 1);
    CHECK(why.level_name == "unit ml");
    CHECK(message(why, r) == "no SCP at unit ml allows the action");
  }
}

TEST_CASE("E10 an unreadable request value is a typed warning naming its statement, key and value",
          "[engine][decision][E10]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(
      R"({"Sid":"FewKeys","Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":"10"}}})"));
  Request r = request(kAlice, "s3:ListBucket", "arn:aws:s3:::data-bucket");
  r.context.set("s3:max-keys", "ten");
  const Decision d = authorize(r, ps, Semantics{});
  REQUIRE(d.warnings.size() == 1);
  const Warning& w = d.warnings[0];
  CHECK(w.code == Code::UnreadableContextValue);
  CHECK(code_id(w.code) == "E10.unreadable-context-value");
  REQUIRE(w.statement);
  CHECK(w.statement.compiled().sid == "FewKeys");
  CHECK(w.statement.compiled().conditions[w.condition].key_text == "s3:max-keys");
  CHECK(w.value == "ten");
  CHECK(w.expected == "a number");
}

TEST_CASE("a decision outlives the policy set it was made with, and copies with its request", "[engine][decision]") {
  Policies pol;
  const Request r = request(kAlice, "s3:GetObject", kObject);
  Decision kept;
  {
    PolicyLayers ps;
    ps.identity.push_back(
        pol.identity(R"({"Sid":"ReadAll","Effect":"Allow","Action":"s3:Get*","Resource":"*"})", "read"));
    kept = authorize(r, ps, Semantics{});
  }  // the set is gone; the compiled policies and sources live on in pol
  const Decision copy = kept;
  REQUIRE(copy.determining.size() == 1);
  CHECK(copy.determining[0].source->name == "read");
  CHECK(copy.determining[0].compiled().sid == "ReadAll");
  CHECK(statement_words(copy.determining[0]) == "statement \"ReadAll\" of read");
}

TEST_CASE("places name the eval contract's policies: identity[0], scp[1][0], resource", "[engine][decision]") {
  const PolicySource by_place{{}, "input.json", {}, 0, true};
  Policies pol;
  const auto any = pol.identity(R"({"Effect":"Allow","Action":"*","Resource":"*"})");
  std::string buffer;
  StatementRef ref{any.policy, &by_place, 0, Layer::Identity, -1, 2};
  CHECK(policy_name(ref, buffer) == "identity[2]");
  CHECK(document_pointer(ref, buffer) == "/policies/identity/2");
  ref.layer = Layer::Scp;
  ref.level = 1;
  ref.position = 0;
  CHECK(policy_name(ref, buffer) == "scp[1][0]");
  CHECK(document_pointer(ref, buffer) == "/policies/scp/1/0");
  ref.layer = Layer::Resource;
  ref.level = -1;
  CHECK(policy_name(ref, buffer) == "resource");
  CHECK(document_pointer(ref, buffer) == "/policies/resource");
}

TEST_CASE("the common allow path does not allocate", "[engine][decision][allocation]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(
      R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data-bucket/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}})"));
  ps.resource = pol.attach(R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/alice"},"Action":"s3:GetObject","Resource":"*"},
      {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]})",
                           PolicyKind::Resource, "bucket");
  const auto full =
      pol.attach(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})",
                 PolicyKind::Scp, "FullAWSAccess");
  ps.scp.emplace(std::vector<PolicyLevel>{{full}, {full}, {full}});
  Request r = request(kAlice, "s3:GetObject", kObject);
  r.context.set("aws:SecureTransport", "true");
  const Semantics semantics;  // outside the count: its service list allocates
  std::size_t allocations = 0;
  Outcome outcome = Outcome::ImplicitDeny;
  {
    const test::AllocationCount count;
    const Decision d = authorize(r, ps, semantics);
    outcome = d.outcome;
    allocations = count.count();
  }
  CHECK(outcome == Outcome::Allow);
  CHECK(allocations == 0);
}

TEST_CASE("every code has a unique id RULE.kebab-name and a text", "[engine][decision]") {
  std::set<std::string_view> ids;
  for (const auto& c : all_codes()) {
    INFO(c.id);
    CHECK(&info(c.code) == &c);
    CHECK(ids.insert(c.id).second);
    const auto dot = c.id.find('.');
    REQUIRE(dot != std::string_view::npos);
    CHECK(c.id.substr(dot + 1).find_first_not_of("abcdefghijklmnopqrstuvwxyz-") == std::string_view::npos);
    CHECK_FALSE(c.text.empty());
  }
}

// The fixed head of a resource pattern (its first four parts compared as one text) is a
// shortcut of matching the parts one by one: both must agree on every pair.
TEST_CASE("RS1 a resource pattern's fixed head matches as its parts do", "[engine][decision][RS1]") {
  const std::vector<std::string> patterns = {"arn:aws:s3:::models-bucket/*",
                                             "arn:aws:s3:::*",
                                             "arn:aws:kms:us-east-1:111111111111:key/*",
                                             "arn:aws:kms:*:111111111111:key/*",
                                             "arn:aws:iam::111111111111:role/app",
                                             "arn:aws-cn:s3:::b/*",
                                             "arn:aws:s3:::models-bucket",
                                             "arn:aws:ec2:us-?ast-1:*:instance/*"};
  const std::vector<std::string> resources = {"arn:aws:s3:::models-bucket/a/b.pb",
                                              "arn:aws:s3:::models-bucket",
                                              "arn:aws:s3:::other/x",
                                              "arn:aws:kms:us-east-1:111111111111:key/k1",
                                              "arn:aws:kms:eu-west-1:111111111111:key/k1",
                                              "arn:aws:iam::111111111111:role/app",
                                              "arn:aws:iam::111111111111:role/app2",
                                              "arn:aws-cn:s3:::b/x",
                                              "arn:aws:ec2:us-east-1:222222222222:instance/i-1",
                                              "arn:aws:s3::::x",
                                              "arn:aws:s3:::"};
  Policies pol;
  std::size_t heads = 0;
  for (const auto& pattern : patterns) {
    const auto attached = pol.identity(R"({"Effect":"Allow","Action":"*","Resource":")" + pattern + R"("})");
    const compile::CompiledStatement& fast = attached.policy->statements[0];
    compile::CompiledStatement plain = fast;
    for (auto& p : plain.resources) p.fixed_head = false;
    heads += fast.resources[0].fixed_head;
    for (const auto& resource : resources) {
      INFO(pattern << " against " << resource);
      const Request r = request(kAlice, "s3:GetObject", resource.c_str());
      CHECK(resource_matches(fast, r, Semantics{}) == resource_matches(plain, r, Semantics{}));
    }
  }
  CHECK(heads == 6);  // the two with wildcards before the resource part take the plain path
}
