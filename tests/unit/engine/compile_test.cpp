// Tests: PolicyAst -> CompiledPolicy (engine/compile/compiled_policy.hpp): typed condition
// values rejected at their pointer (docs/rules.md choice 10), operator parsing (C5, C13, C14),
// Bool with variables (C10), principals, size quotas (Q1, Q3, Q5, Q7, S5, KM4, V3).
#include <catch2/catch.hpp>

#include <string>

#include "engine/syntax/arn_view.hpp"
#include "tests/unit/engine/engine_test_support.hpp"

using namespace iamsim;
using iamsim::compile::Comparison;
using iamsim::compile::CompiledCondition;
using iamsim::compile::MatchResult;
using iamsim::compile::SetQualifier;
using iamsim::compile::ValueType;
using iamsim::syntax::PolicyKind;
using iamsim::test::compile_ok;
using iamsim::test::compile_text;
using iamsim::test::describe;
using iamsim::test::has_diag;

namespace {

// An identity policy of one Allow statement with this Condition block.
std::string with_condition(const std::string& condition, const char* version = "2012-10-17") {
  return std::string(R"({"Version":")") + version +
         R"(","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":)" + condition + "}]}";
}

// Compiles an invalid policy and checks the error at pointer.
void expect_value_error(const std::string& condition, const char* code, const char* pointer,
                        const Semantics& semantics = {}) {
  const auto c = compile_text(with_condition(condition), PolicyKind::Identity, semantics);
  INFO(condition);
  INFO(describe(c.diags));
  CHECK(c.policy == nullptr);
  CHECK(has_diag(c.diags, code, pointer));
}

const CompiledCondition& only_condition(const std::shared_ptr<const compile::CompiledPolicy>& p) {
  REQUIRE(p->statements.size() == 1);
  REQUIRE(p->statements[0].conditions.size() == 1);
  return p->statements[0].conditions[0];
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Typed values rejected when loaded (docs/rules.md choice 10)

TEST_CASE("C12 an unreadable CIDR is rejected at its pointer", "[engine][compile][C12]") {
  expect_value_error(R"({"IpAddress":{"aws:SourceIp":"999.1.1.1/40"}})", "policy.condition-value",
                     "/Statement/0/Condition/IpAddress/aws:SourceIp");
  expect_value_error(R"({"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","10.0.0.0/33"]}})", "policy.condition-value",
                     "/Statement/0/Condition/NotIpAddress/aws:SourceIp/1");
}

TEST_CASE("C9 an unreadable date is rejected at its pointer", "[engine][compile][C9]") {
  expect_value_error(R"({"DateLessThan":{"aws:CurrentTime":"2021-02-29T00:00:00Z"}})", "policy.condition-value",
                     "/Statement/0/Condition/DateLessThan/aws:CurrentTime");
  expect_value_error(R"({"DateGreaterThan":{"aws:CurrentTime":"next week"}})", "policy.condition-value",
                     "/Statement/0/Condition/DateGreaterThan/aws:CurrentTime");
}

TEST_CASE("C8 an unreadable number is rejected at its pointer", "[engine][compile][C8]") {
  expect_value_error(R"({"NumericLessThan":{"s3:max-keys":"ten"}})", "policy.condition-value",
                     "/Statement/0/Condition/NumericLessThan/s3:max-keys");
  expect_value_error(R"({"NumericEquals":{"s3:max-keys":["1","1e5"]}})", "policy.condition-value",
                     "/Statement/0/Condition/NumericEquals/s3:max-keys/1");
}

TEST_CASE("C11 unreadable base64 is rejected at its pointer", "[engine][compile][C11]") {
  expect_value_error(R"({"BinaryEquals":{"s3:x-key":"QQ="}})", "policy.condition-value",
                     "/Statement/0/Condition/BinaryEquals/s3:x-key");
}

TEST_CASE("C6 a Null value other than true/false is rejected", "[engine][compile][C6]") {
  expect_value_error(R"({"Null":{"aws:TokenIssueTime":"maybe"}})", "policy.condition-value",
                     "/Statement/0/Condition/Null/aws:TokenIssueTime");
  const auto ok =
      compile_ok(with_condition(R"({"Null":{"aws:TokenIssueTime":["true","False"]}})"), PolicyKind::Identity);
  const auto& c = only_condition(ok);
  CHECK(c.type == ValueType::Null);
  REQUIRE(c.bools.size() == 2);
  CHECK(c.bools[0] == true);
  CHECK(c.bools[1] == false);
}

TEST_CASE("C1 an unknown operator is rejected at the operator's pointer", "[engine][compile][C1]") {
  expect_value_error(R"({"StringEqualz":{"aws:username":"alice"}})", "policy.unknown-operator",
                     "/Statement/0/Condition/StringEqualz");
  expect_value_error(R"({"ForAllValues:Foo":{"aws:TagKeys":"a"}})", "policy.unknown-operator",
                     "/Statement/0/Condition/ForAllValues:Foo");
  expect_value_error(R"({"IfExists":{"aws:username":"alice"}})", "policy.unknown-operator",
                     "/Statement/0/Condition/IfExists");
  expect_value_error(R"({"stringequals":{"aws:username":"alice"}})", "policy.unknown-operator",
                     "/Statement/0/Condition/stringequals");
}

TEST_CASE("C5 Null cannot take IfExists", "[engine][compile][C5][C6]") {
  const auto c =
      compile_text(with_condition(R"({"NullIfExists":{"aws:TokenIssueTime":"true"}})"), PolicyKind::Identity);
  INFO(describe(c.diags));
  CHECK(c.policy == nullptr);
  REQUIRE(has_diag(c.diags, "policy.unknown-operator", "/Statement/0/Condition/NullIfExists"));
  CHECK_THAT(c.diags.items().back().message, Catch::Contains("IfExists"));
}

TEST_CASE("PV2 variables are rejected in Numeric, Date and IP values", "[engine][compile][PV2]") {
  const char* conditions[] = {
      R"({"NumericLessThan":{"s3:max-keys":"${aws:username}"}})",
      R"({"DateLessThan":{"aws:CurrentTime":"${aws:TokenIssueTime}"}})",
      R"({"IpAddress":{"aws:SourceIp":"${aws:VpcSourceIp}"}})",
  };
  for (const char* cond : conditions) {
    const auto c = compile_text(with_condition(cond), PolicyKind::Identity);
    INFO(cond);
    INFO(describe(c.diags));
    CHECK(c.policy == nullptr);
    REQUIRE(c.diags.has_errors());
    CHECK(c.diags.items().front().code == "policy.condition-value");
    CHECK_THAT(c.diags.items().front().message, Catch::Contains("PV2"));
  }
}

TEST_CASE("C1 every bad value is reported, with the origin's pointer prefix", "[engine][compile][C1]") {
  SourceLocation origin;
  origin.pointer = "/policies/identity/2";
  Diagnostics d;
  const auto p = compile::compile_policy_text(
      with_condition(
          R"({"IpAddress":{"aws:SourceIp":["bad","10.0.0.0/8","worse"]},"NumericEquals":{"s3:max-keys":"x"}})"),
      PolicyKind::Identity, Semantics{}, origin, d);
  INFO(describe(d));
  CHECK(p == nullptr);
  CHECK(iamsim::test::error_count(d) == 3);
  CHECK(has_diag(d, "policy.condition-value", "/policies/identity/2/Statement/0/Condition/IpAddress/aws:SourceIp/0"));
  CHECK(has_diag(d, "policy.condition-value", "/policies/identity/2/Statement/0/Condition/IpAddress/aws:SourceIp/2"));
  CHECK(has_diag(d, "policy.condition-value", "/policies/identity/2/Statement/0/Condition/NumericEquals/s3:max-keys"));
}

// Regression: parse_policy kept a JSON number's text by printing the double with
// std::to_chars, whose shortest form is scientific for 100000.0 ("1e+05") and 0.0001
// ("1e-04"); compile then refused the exponent, rejecting a valid policy.
TEST_CASE("C8 JSON number values with a fraction compile whatever their magnitude", "[engine][compile][C8]") {
  const auto big =
      compile_text(with_condition(R"({"NumericLessThan":{"s3:max-keys":100000.0}})"), PolicyKind::Identity);
  INFO(describe(big.diags));
  REQUIRE(big.policy != nullptr);
  REQUIRE(only_condition(big.policy).numbers.size() == 1);
  CHECK(only_condition(big.policy).numbers[0] == 100000.0);

  const auto small =
      compile_text(with_condition(R"({"NumericGreaterThan":{"s3:max-keys":0.0001}})"), PolicyKind::Identity);
  INFO(describe(small.diags));
  REQUIRE(small.policy != nullptr);
  CHECK(only_condition(small.policy).numbers.at(0) == 0.0001);

  // A JSON exponent is the JSON number's business: 1e5 is the number 100000.
  const auto exponent =
      compile_text(with_condition(R"({"NumericEquals":{"s3:max-keys":[1e5, 2.5E-1]}})"), PolicyKind::Identity);
  INFO(describe(exponent.diags));
  REQUIRE(exponent.policy != nullptr);
  CHECK(only_condition(exponent.policy).numbers == std::vector<double>{100000.0, 0.25});
}

TEST_CASE("C8 JSON integer and short decimal values compile to numbers", "[engine][compile][C8]") {
  const auto p =
      compile_ok(with_condition(R"({"NumericLessThan":{"s3:max-keys":[10, 2.5, -3]}})"), PolicyKind::Identity);
  const auto& c = only_condition(p);
  REQUIRE(c.numbers.size() == 3);
  CHECK(c.numbers[0] == 10.0);
  CHECK(c.numbers[1] == 2.5);
  CHECK(c.numbers[2] == -3.0);
}

// ---------------------------------------------------------------------------------------
// Operator parsing

TEST_CASE("C14 ForAllValues:, ForAnyValue: and IfExists are parsed off the operator", "[engine][compile][C14][C5]") {
  struct Case {
    const char* op;
    ValueType type;
    Comparison comparison;
    bool negated;
    bool if_exists;
    SetQualifier qualifier;
  };
  const Case cases[] = {
      {"StringEquals", ValueType::String, Comparison::Equals, false, false, SetQualifier::None},
      {"StringNotEqualsIgnoreCase", ValueType::String, Comparison::EqualsIgnoreCase, true, false, SetQualifier::None},
      {"StringLikeIfExists", ValueType::String, Comparison::Like, false, true, SetQualifier::None},
      {"ForAllValues:StringEquals", ValueType::String, Comparison::Equals, false, false, SetQualifier::ForAllValues},
      {"ForAnyValue:StringNotLikeIfExists", ValueType::String, Comparison::Like, true, true, SetQualifier::ForAnyValue},
      {"NumericLessThanEqualsIfExists", ValueType::Numeric, Comparison::LessThanEquals, false, true,
       SetQualifier::None},
      {"DateGreaterThan", ValueType::Date, Comparison::GreaterThan, false, false, SetQualifier::None},
      {"NotIpAddress", ValueType::Ip, Comparison::Equals, true, false, SetQualifier::None},
      {"ArnEquals", ValueType::Arn, Comparison::Like, false, false, SetQualifier::None},  // C13
      {"ArnNotEqualsIfExists", ValueType::Arn, Comparison::Like, true, true, SetQualifier::None},
      {"BoolIfExists", ValueType::Bool, Comparison::Equals, false, true, SetQualifier::None},
  };
  for (const auto& c : cases) {
    INFO(c.op);
    const char* value = c.type == ValueType::Numeric ? "5"
                        : c.type == ValueType::Date  ? "2020-01-01"
                        : c.type == ValueType::Ip    ? "10.0.0.0/8"
                        : c.type == ValueType::Arn   ? "arn:aws:s3:::b"
                        : c.type == ValueType::Bool  ? "true"
                                                     : "v";
    const auto p =
        compile_ok(with_condition(std::string(R"({")") + c.op + R"(":{"AWS:SourceThing":")" + value + R"("}})"),
                   PolicyKind::Identity);
    const auto& cond = only_condition(p);
    CHECK(cond.type == c.type);
    CHECK(cond.comparison == c.comparison);
    CHECK(cond.negated == c.negated);
    CHECK(cond.if_exists == c.if_exists);
    CHECK(cond.qualifier == c.qualifier);
    CHECK(cond.op_text == c.op);
    CHECK(cond.key == "aws:sourcething");  // C3: lower-cased
    CHECK(cond.key_text == "AWS:SourceThing");
  }
}

TEST_CASE("C15 a multivalued key without ForAllValues/ForAnyValue warns", "[engine][compile][C15]") {
  const auto plain = compile_text(with_condition(R"({"StringEquals":{"aws:TagKeys":"env"}})"), PolicyKind::Identity);
  REQUIRE(plain.policy);
  CHECK(has_diag(plain.diags, "policy.multivalued-key", "/Statement/0/Condition/StringEquals/aws:TagKeys",
                 Severity::Warning));
  const auto qualified =
      compile_text(with_condition(R"({"ForAnyValue:StringEquals":{"aws:TagKeys":"env"}})"), PolicyKind::Identity);
  REQUIRE(qualified.policy);
  CHECK_FALSE(iamsim::test::has_code(qualified.diags, "policy.multivalued-key"));
}

TEST_CASE("PV1 malformed variables and multivalued variables warn but compile", "[engine][compile][PV1][PV2]") {
  const auto malformed =
      compile_text(with_condition(R"({"StringLike":{"s3:prefix":"home/${aws:username/*"}})"), PolicyKind::Identity);
  REQUIRE(malformed.policy);
  CHECK(has_diag(malformed.diags, "policy.variable-syntax", "/Statement/0/Condition/StringLike/s3:prefix",
                 Severity::Warning));

  const auto multi =
      compile_text(with_condition(R"({"StringEquals":{"s3:prefix":"${aws:CalledVia}"}})"), PolicyKind::Identity);
  REQUIRE(multi.policy);
  CHECK(has_diag(multi.diags, "policy.variable-multivalued", "/Statement/0/Condition/StringEquals/s3:prefix",
                 Severity::Warning));
}

TEST_CASE("G3 variables compile only under Version 2012-10-17", "[engine][compile][G3][PV1]") {
  const std::string cond = R"({"StringEquals":{"s3:prefix":"${aws:username}"}})";
  const auto current = compile_ok(with_condition(cond), PolicyKind::Identity);
  CHECK(current->variables_enabled);
  CHECK(only_condition(current).strings.at(0).has_variables());

  const auto old = compile_ok(with_condition(cond, "2008-10-17"), PolicyKind::Identity);
  CHECK_FALSE(old->variables_enabled);
  const auto& pattern = only_condition(old).strings.at(0);
  CHECK_FALSE(pattern.has_variables());
  CHECK(pattern.match("${aws:username}", false, nullptr) == MatchResult::Match);
}

// ---------------------------------------------------------------------------------------
// Bool (C10)

TEST_CASE("C10 Bool values compile to booleans, case-insensitively by default", "[engine][compile][C10]") {
  const auto p =
      compile_ok(with_condition(R"({"Bool":{"aws:SecureTransport":["true","False",true]}})"), PolicyKind::Identity);
  const auto& c = only_condition(p);
  REQUIRE(c.bools.size() == 3);
  CHECK(c.bools[0]);
  CHECK_FALSE(c.bools[1]);
  CHECK(c.bools[2]);
  CHECK(c.strings.empty());

  expect_value_error(R"({"Bool":{"aws:SecureTransport":"yes"}})", "policy.condition-value",
                     "/Statement/0/Condition/Bool/aws:SecureTransport");
}

TEST_CASE("C10 with bool_case_sensitive \"True\" is kept as text", "[engine][compile][C10]") {
  Semantics s;
  s.bool_case_sensitive = true;
  const auto p = compile_ok(with_condition(R"({"Bool":{"aws:SecureTransport":"True"}})"), PolicyKind::Identity, s);
  const auto& c = only_condition(p);
  CHECK(c.bools.empty());
  REQUIRE(c.strings.size() == 1);
  CHECK(c.strings[0].source() == "True");
}

TEST_CASE("C10 Bool with a variable depends on bool_allows_variables", "[engine][compile][C10][PV2]") {
  const std::string cond = R"({"Bool":{"aws:SecureTransport":"${aws:ViaAWSService}"}})";
  const auto allowed = compile_ok(with_condition(cond), PolicyKind::Identity);
  const auto& c = only_condition(allowed);
  CHECK(c.bools.empty());
  REQUIRE(c.strings.size() == 1);
  CHECK(c.strings[0].has_variables());

  Semantics s;
  s.bool_allows_variables = false;
  expect_value_error(cond, "policy.condition-value", "/Statement/0/Condition/Bool/aws:SecureTransport", s);

  // Under 2008-10-17 the text is no variable and no boolean.
  const auto old = compile_text(with_condition(cond, "2008-10-17"), PolicyKind::Identity);
  CHECK(old.policy == nullptr);
  CHECK(has_diag(old.diags, "policy.condition-value", "/Statement/0/Condition/Bool/aws:SecureTransport"));
}

// ---------------------------------------------------------------------------------------
// ARN conditions (C13)

TEST_CASE("C13 Arn values compile to six part patterns; \"*\" is six stars", "[engine][compile][C13]") {
  const auto p =
      compile_ok(with_condition(R"({"ArnLike":{"aws:SourceArn":["arn:aws:s3:::b/x:y","*"]}})"), PolicyKind::Identity);
  const auto& c = only_condition(p);
  REQUIRE(c.arns.size() == 2);
  CHECK(c.arns[0][0].match("arn", false, nullptr) == MatchResult::Match);
  CHECK(c.arns[0][2].match("s3", false, nullptr) == MatchResult::Match);
  CHECK(c.arns[0][3].match("", false, nullptr) == MatchResult::Match);
  CHECK(c.arns[0][5].match("b/x:y", false, nullptr) == MatchResult::Match);
  for (const auto& part : c.arns[1]) CHECK(part.matches_everything());

  expect_value_error(R"({"ArnLike":{"aws:SourceArn":"arn:aws:s3"}})", "policy.condition-value",
                     "/Statement/0/Condition/ArnLike/aws:SourceArn");
}

// ---------------------------------------------------------------------------------------
// Statements, actions, resources, principals

TEST_CASE("A1 actions compile lower-cased; SCP actions stay case-sensitive under scp_syntax=2022",
          "[engine][compile][A1][S6]") {
  const std::string json =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"S3:GetObject","Resource":"*"}]})";
  const auto identity = compile_ok(json, PolicyKind::Identity);
  const auto& a = identity->statements[0].actions.at(0);
  CHECK_FALSE(a.case_sensitive);
  CHECK(a.pattern.match("s3:getobject", false, nullptr) == MatchResult::Match);

  Semantics old;
  old.scp_current_syntax = false;
  const auto scp = compile_ok(json, PolicyKind::Scp, old);
  const auto& s = scp->statements[0].actions.at(0);
  CHECK(s.case_sensitive);
  CHECK(s.pattern.match("S3:GetObject", false, nullptr) == MatchResult::Match);
  CHECK(s.pattern.match("s3:getobject", false, nullptr) == MatchResult::NoMatch);
}

TEST_CASE("RS1 resources compile to five part patterns; scopes follow the element", "[engine][compile][RS1][RS5][G7]") {
  const std::string json = R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Principal":"*","Action":"*","Resource":["*","arn:aws:s3:::b/*"]},
      {"Effect":"Allow","Principal":"*","Action":"*","NotResource":"arn:aws:s3:::secret/*"},
      {"Effect":"Allow","Principal":"*","Action":"s3:GetObject"}]})";
  const auto p = compile_ok(json, PolicyKind::Resource);
  REQUIRE(p->statements.size() == 3);
  const auto& listed = p->statements[0];
  CHECK(listed.resource_scope == compile::ResourceScope::Listed);
  REQUIRE(listed.resources.size() == 2);
  CHECK(listed.resources[0].any);
  CHECK_FALSE(listed.resources[1].any);
  CHECK(listed.resources[1].parts[0].match("aws", false, nullptr) == MatchResult::Match);
  CHECK(listed.resources[1].parts[4].match("b/k/x", false, nullptr) == MatchResult::Match);
  CHECK(listed.resources[1].parts[4].match("c/k", false, nullptr) == MatchResult::NoMatch);
  CHECK(p->statements[1].resource_scope == compile::ResourceScope::NotListed);
  CHECK(p->statements[2].resource_scope == compile::ResourceScope::Attached);
  CHECK(p->statements[2].label() == "#2");
}

TEST_CASE("P1 principals compile into accounts, users, roles, sessions and ids", "[engine][compile][P1][P3]") {
  const std::string json = R"({"Version":"2012-10-17","Statement":[{"Sid":"Grant","Effect":"Allow","Principal":{
      "AWS":["111111111111","arn:aws:iam::222222222222:root","arn:aws:iam::111111111111:user/alice",
             "arn:aws:iam::111111111111:role/path/app","arn:aws:sts::111111111111:assumed-role/app/s1",
             "arn:aws:sts::111111111111:federated-user/fed1","AIDAJQABLZS4A3QDU576Q"],
      "Service":"ec2.amazonaws.com","Federated":"accounts.google.com"},
      "Action":"s3:GetObject"}]})";
  const auto p = compile_ok(json, PolicyKind::Resource);
  const auto& pr = p->statements[0].principal;
  CHECK(pr.present);
  CHECK_FALSE(pr.negated);
  CHECK_FALSE(pr.everyone);
  CHECK(pr.accounts == std::vector<std::string>{"111111111111", "222222222222"});
  CHECK(pr.user_arns == std::vector<std::string>{"arn:aws:iam::111111111111:user/alice"});
  REQUIRE(pr.roles.size() == 1);
  CHECK(pr.roles[0].account == "111111111111");
  CHECK(pr.roles[0].name == "app");
  CHECK(pr.session_arns.size() == 2);
  CHECK(pr.unique_ids == std::vector<std::string>{"AIDAJQABLZS4A3QDU576Q"});
  CHECK(pr.services == std::vector<std::string>{"ec2.amazonaws.com"});
  CHECK(pr.federated == std::vector<std::string>{"accounts.google.com"});
  CHECK(p->statements[0].label() == "Grant");
}

TEST_CASE("E5 Principal \"*\" narrowed by a positive aws:PrincipalArn condition is marked", "[engine][compile][E5]") {
  const auto positive =
      compile_ok(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
      "Condition":{"ArnLike":{"AWS:PrincipalARN":"arn:aws:iam::111111111111:role/app"}}}]})",
                 PolicyKind::Resource);
  CHECK(positive->statements[0].principal.everyone);
  CHECK(positive->statements[0].conditions_name_principal_arn);

  const auto negated =
      compile_ok(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
      "Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::111111111111:role/app"}}}]})",
                 PolicyKind::Resource);
  CHECK_FALSE(negated->statements[0].conditions_name_principal_arn);
}

TEST_CASE("P7 NotPrincipal with Allow warns", "[engine][compile][P7]") {
  const auto c = compile_text(
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"111111111111"},"Action":"s3:GetObject"}]})",
      PolicyKind::Resource);
  REQUIRE(c.policy);
  CHECK(has_diag(c.diags, "policy.notprincipal-allow", "/Statement/0/NotPrincipal", Severity::Warning));
  CHECK(c.policy->statements[0].principal.negated);
}

// ---------------------------------------------------------------------------------------
// Size quotas, as warnings

TEST_CASE("Q1 Q3 Q5 Q7 S5 KM4 V3 size limits warn just above each threshold",
          "[engine][compile][Q1][Q7][S5][KM4][V3]") {
  struct Case {
    PolicyKind kind;
    std::size_t limit;
    bool whitespace_counts;
  };
  const Case cases[] = {
      {PolicyKind::Identity, 6144, false},     // Q1
      {PolicyKind::Boundary, 6144, false},     // Q1
      {PolicyKind::RoleTrust, 4096, false},    // Q3
      {PolicyKind::Session, 2048, false},      // Q5
      {PolicyKind::Scp, 5120, true},           // S5
      {PolicyKind::Rcp, 5120, true},           // Q6
      {PolicyKind::Resource, 20480, true},     // Q7
      {PolicyKind::KmsKey, 32768, true},       // KM4
      {PolicyKind::VpcEndpoint, 20480, true},  // V3
  };
  for (const auto& c : cases) {
    INFO(std::string(syntax::to_string(c.kind)));
    SourceLocation origin;
    origin.file = "p.json";
    {
      Diagnostics d;
      compile::check_policy_size(c.kind, c.limit, c.limit, origin, d);
      CHECK(d.empty());
    }
    {
      Diagnostics d;
      compile::check_policy_size(c.kind, c.limit + 1, c.limit + 1, origin, d);
      REQUIRE(d.items().size() == 1);
      CHECK(d.items()[0].severity == Severity::Warning);
      CHECK(d.items()[0].code == "policy.size");
      CHECK(d.items()[0].where.file == "p.json");
      CHECK_FALSE(d.has_errors());
    }
    {  // Only the measure that counts for this kind decides.
      Diagnostics d;
      compile::check_policy_size(c.kind, c.whitespace_counts ? c.limit + 1 : 10, c.whitespace_counts ? 10 : c.limit + 1,
                                 origin, d);
      CHECK(d.items().size() == 1);
      Diagnostics other;
      compile::check_policy_size(c.kind, c.whitespace_counts ? 10 : 100000, c.whitespace_counts ? 100000 : 10, origin,
                                 other);
      CHECK(other.empty());
    }
  }
}

TEST_CASE("S5 Q1 compile_policy_text counts whitespace for SCPs, not for identity policies",
          "[engine][compile][S5][Q1]") {
  const std::string padding(6000, ' ');
  const std::string json =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*",)" + padding + R"("Resource":"*"}]})";
  const auto scp = compile_text(json, PolicyKind::Scp);
  REQUIRE(scp.policy);
  CHECK(has_diag(scp.diags, "policy.size", "", Severity::Warning));

  const auto identity = compile_text(json, PolicyKind::Identity);
  REQUIRE(identity.policy);
  CHECK_FALSE(iamsim::test::has_code(identity.diags, "policy.size"));
}

TEST_CASE("C13 split_arn_parts splits at the first five colons", "[engine][compile][C13]") {
  std::array<std::string_view, 6> parts;
  REQUIRE(syntax::split_arn_parts("arn:aws:s3:::b/k:x", parts));
  CHECK(parts[0] == "arn");
  CHECK(parts[1] == "aws");
  CHECK(parts[2] == "s3");
  CHECK(parts[3].empty());
  CHECK(parts[4].empty());
  CHECK(parts[5] == "b/k:x");

  CHECK_FALSE(syntax::split_arn_parts("arn:aws:s3", parts));
  CHECK(parts[2] == "s3");
  CHECK(parts[3].empty());
  CHECK(parts[5].empty());
}
