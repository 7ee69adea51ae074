// Tests: one condition against a request context (engine/eval/conditions.hpp), in
// three-valued logic: missing keys (C4-C6, C14, C16), negation (C2), multivalued keys,
// key case (C3), typed comparisons (C7-C13), variables (PV3) and unreadable request values.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "engine/eval/conditions.hpp"
#include "tests/unit/engine/engine_test_support.hpp"

using namespace iamsim;
using iamsim::eval::evaluate_condition;
using iamsim::eval::Request;
using iamsim::eval::Tri;
using iamsim::syntax::PolicyKind;

namespace {

// A compiled one-statement policy whose Condition block holds exactly one condition.
class Cond {
 public:
  explicit Cond(const std::string& block, const Semantics& semantics = {}) : semantics_(semantics) {
    policy_ = iamsim::test::compile_ok(
        R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":)" + block +
            "}]}",
        PolicyKind::Identity, semantics);
    REQUIRE(policy_->statements.at(0).conditions.size() == 1);
  }

  Tri operator()(const Request& r, iamsim::eval::Unreadable* unreadable = nullptr) const {
    return evaluate_condition(policy_->statements[0].conditions[0], r, semantics_, unreadable);
  }

 private:
  std::shared_ptr<const compile::CompiledPolicy> policy_;
  Semantics semantics_;
};

Request with(std::initializer_list<std::pair<const char*, const char*>> single) {
  Request r;
  for (const auto& [k, v] : single) r.context.set(k, v);
  return r;
}

Request with_multi(const char* key, std::vector<std::string> values) {
  Request r;
  r.context.set(key, std::move(values), true);
  return r;
}

const Request empty_request{};

}  // namespace

// ---------------------------------------------------------------------------------------
// Missing keys

TEST_CASE("C4 a missing key makes positive operators false and negated ones true", "[engine][conditions][C4]") {
  CHECK(Cond(R"({"StringEquals":{"aws:username":"alice"}})")(empty_request) == Tri::False);
  CHECK(Cond(R"({"StringLike":{"aws:username":"*"}})")(empty_request) == Tri::False);
  CHECK(Cond(R"({"NumericLessThan":{"s3:max-keys":"10"}})")(empty_request) == Tri::False);
  CHECK(Cond(R"({"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}})")(empty_request) == Tri::False);
  CHECK(Cond(R"({"Bool":{"aws:SecureTransport":"true"}})")(empty_request) == Tri::False);

  CHECK(Cond(R"({"StringNotEquals":{"aws:username":"alice"}})")(empty_request) == Tri::True);
  CHECK(Cond(R"({"StringNotLike":{"aws:username":"*"}})")(empty_request) == Tri::True);
  CHECK(Cond(R"({"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}})")(empty_request) == Tri::True);
  CHECK(Cond(R"({"ArnNotLike":{"aws:SourceArn":"arn:aws:s3:::b"}})")(empty_request) == Tri::True);
  CHECK(Cond(R"({"NumericNotEquals":{"s3:max-keys":"10"}})")(empty_request) == Tri::True);
  CHECK(Cond(R"({"DateNotEquals":{"aws:CurrentTime":"2020-01-01"}})")(empty_request) == Tri::True);
}

TEST_CASE("C5 IfExists is true for a missing key and evaluates a present one normally", "[engine][conditions][C5]") {
  const Cond positive(R"({"StringEqualsIfExists":{"ec2:InstanceType":"t3.micro"}})");
  CHECK(positive(empty_request) == Tri::True);
  CHECK(positive(with({{"ec2:InstanceType", "t3.micro"}})) == Tri::True);
  CHECK(positive(with({{"ec2:InstanceType", "m5.large"}})) == Tri::False);

  // Deny + StringNotEqualsIfExists still denies (is true) when the key is missing.
  const Cond negated(R"({"StringNotEqualsIfExists":{"ec2:InstanceType":"t3.micro"}})");
  CHECK(negated(empty_request) == Tri::True);
  CHECK(negated(with({{"ec2:InstanceType", "t3.micro"}})) == Tri::False);
  CHECK(negated(with({{"ec2:InstanceType", "m5.large"}})) == Tri::True);

  const Cond numeric(R"({"NumericLessThanIfExists":{"s3:max-keys":"10"}})");
  CHECK(numeric(empty_request) == Tri::True);
  CHECK(numeric(with({{"s3:max-keys", "20"}})) == Tri::False);
}

TEST_CASE("C6 Null true asks for absence, false for presence", "[engine][conditions][C6]") {
  const Cond absent(R"({"Null":{"aws:TokenIssueTime":"true"}})");
  const Cond present(R"({"Null":{"aws:TokenIssueTime":"false"}})");
  const Request r = with({{"aws:TokenIssueTime", "2020-01-01T00:00:00Z"}});
  CHECK(absent(empty_request) == Tri::True);
  CHECK(absent(r) == Tri::False);
  CHECK(present(empty_request) == Tri::False);
  CHECK(present(r) == Tri::True);
}

TEST_CASE("C14 ForAllValues is vacuously true and ForAnyValue false for a missing key", "[engine][conditions][C14]") {
  CHECK(Cond(R"({"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}})")(empty_request) == Tri::True);
  CHECK(Cond(R"({"ForAnyValue:StringEquals":{"aws:TagKeys":["env","team"]}})")(empty_request) == Tri::False);
  // Negated inner operators do not change that.
  CHECK(Cond(R"({"ForAllValues:StringNotEquals":{"aws:TagKeys":"env"}})")(empty_request) == Tri::True);
  CHECK(Cond(R"({"ForAnyValue:StringNotEquals":{"aws:TagKeys":"env"}})")(empty_request) == Tri::False);
}

TEST_CASE("C16 a key present with no values counts as null", "[engine][conditions][C16]") {
  const Request r = with_multi("aws:TagKeys", {});
  CHECK(Cond(R"({"ForAllValues:StringEquals":{"aws:TagKeys":"env"}})")(r) == Tri::True);
  CHECK(Cond(R"({"ForAnyValue:StringEquals":{"aws:TagKeys":"env"}})")(r) == Tri::False);
  CHECK(Cond(R"({"StringEquals":{"aws:TagKeys":"env"}})")(r) == Tri::False);
  CHECK(Cond(R"({"Null":{"aws:TagKeys":"true"}})")(r) == Tri::True);
}

// Regression: only an empty value list counted as null, so an empty-string value was
// compared like any other and ForAllValues:StringEquals was false. C16 (IAM: "the key
// values resolve to a null data set, such as an empty string") makes it true.
TEST_CASE("C16 a key present with an empty-string value counts as null for ForAllValues", "[engine][conditions][C16]") {
  const Request r = with_multi("aws:TagKeys", {""});
  CHECK(Cond(R"({"ForAllValues:StringEquals":{"aws:TagKeys":"env"}})")(r) == Tri::True);
  CHECK(Cond(R"({"ForAnyValue:StringEquals":{"aws:TagKeys":"env"}})")(r) == Tri::False);
  // A non-empty value next to the empty one is compared as usual.
  const Request mixed = with_multi("aws:TagKeys", {"", "cost"});
  CHECK(Cond(R"({"ForAllValues:StringEquals":{"aws:TagKeys":"env"}})")(mixed) == Tri::False);
}

// ---------------------------------------------------------------------------------------
// Several values: OR for positive, AND for negated (C2)

TEST_CASE("C2 policy values OR together for positive operators", "[engine][conditions][C2]") {
  const Cond c(R"({"StringEquals":{"aws:RequestedRegion":["eu-west-1","eu-central-1"]}})");
  CHECK(c(with({{"aws:RequestedRegion", "eu-west-1"}})) == Tri::True);
  CHECK(c(with({{"aws:RequestedRegion", "eu-central-1"}})) == Tri::True);
  CHECK(c(with({{"aws:RequestedRegion", "us-east-1"}})) == Tri::False);
}

TEST_CASE("C2 several values of a negated operator act as AND: the value must match none", "[engine][conditions][C2]") {
  const Cond c(R"({"StringNotEquals":{"aws:RequestedRegion":["eu-west-1","eu-central-1"]}})");
  CHECK(c(with({{"aws:RequestedRegion", "eu-west-1"}})) == Tri::False);
  CHECK(c(with({{"aws:RequestedRegion", "eu-central-1"}})) == Tri::False);
  CHECK(c(with({{"aws:RequestedRegion", "us-east-1"}})) == Tri::True);

  const Cond ip(R"({"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","192.168.0.0/16"]}})");
  CHECK(ip(with({{"aws:SourceIp", "10.1.2.3"}})) == Tri::False);
  CHECK(ip(with({{"aws:SourceIp", "192.168.1.1"}})) == Tri::False);
  CHECK(ip(with({{"aws:SourceIp", "203.0.113.1"}})) == Tri::True);

  const Cond num(R"({"NumericNotEquals":{"s3:max-keys":["1","2"]}})");
  CHECK(num(with({{"s3:max-keys", "2"}})) == Tri::False);
  CHECK(num(with({{"s3:max-keys", "3"}})) == Tri::True);
}

// ---------------------------------------------------------------------------------------
// Multivalued keys (C14, C15)

TEST_CASE("C15 a multivalued key without a qualifier matches when any value matches", "[engine][conditions][C15]") {
  const Request r = with_multi("aws:TagKeys", {"env", "team"});
  CHECK(Cond(R"({"StringEquals":{"aws:TagKeys":"team"}})")(r) == Tri::True);
  CHECK(Cond(R"({"StringEquals":{"aws:TagKeys":"cost"}})")(r) == Tri::False);
  CHECK(Cond(R"({"StringNotEquals":{"aws:TagKeys":"team"}})")(r) == Tri::False);
  CHECK(Cond(R"({"StringNotEquals":{"aws:TagKeys":"cost"}})")(r) == Tri::True);
}

TEST_CASE("C14 ForAllValues needs every request value to match some policy value", "[engine][conditions][C14]") {
  const Cond c(R"({"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}})");
  CHECK(c(with_multi("aws:TagKeys", {"env"})) == Tri::True);
  CHECK(c(with_multi("aws:TagKeys", {"env", "team"})) == Tri::True);
  CHECK(c(with_multi("aws:TagKeys", {"env", "cost"})) == Tri::False);

  const Cond negated(R"({"ForAllValues:StringNotEquals":{"aws:TagKeys":"secret"}})");
  CHECK(negated(with_multi("aws:TagKeys", {"env", "team"})) == Tri::True);
  CHECK(negated(with_multi("aws:TagKeys", {"env", "secret"})) == Tri::False);
}

TEST_CASE("C14 ForAnyValue needs one request value to match some policy value", "[engine][conditions][C14]") {
  const Cond c(R"({"ForAnyValue:StringEquals":{"aws:TagKeys":["env","team"]}})");
  CHECK(c(with_multi("aws:TagKeys", {"cost", "team"})) == Tri::True);
  CHECK(c(with_multi("aws:TagKeys", {"cost", "owner"})) == Tri::False);

  const Cond negated(R"({"ForAnyValue:StringNotEquals":{"aws:TagKeys":"env"}})");
  CHECK(negated(with_multi("aws:TagKeys", {"env", "team"})) == Tri::True);
  CHECK(negated(with_multi("aws:TagKeys", {"env"})) == Tri::False);

  const Cond like(R"({"ForAnyValue:StringLike":{"aws:PrincipalOrgPaths":"o-a1/r-ab12/ou-ab12-11111111/*"}})");
  CHECK(like(with_multi("aws:PrincipalOrgPaths",
                        {"o-a1/r-ab12/ou-ab12-22222222/", "o-a1/r-ab12/ou-ab12-11111111/ou-x/"})) == Tri::True);
  CHECK(like(with_multi("aws:PrincipalOrgPaths", {"o-a1/r-ab12/ou-ab12-22222222/"})) == Tri::False);
}

// ---------------------------------------------------------------------------------------
// Case (C3, C7)

TEST_CASE("C3 condition key names are case-insensitive", "[engine][conditions][C3]") {
  const Cond c(R"({"IpAddress":{"AWS:SourceIP":"10.0.0.0/8"}})");
  CHECK(c(with({{"aws:sourceip", "10.1.1.1"}})) == Tri::True);
  CHECK(c(with({{"Aws:SourceIp", "10.1.1.1"}})) == Tri::True);
  CHECK(c(with({{"aws:sourceip", "11.1.1.1"}})) == Tri::False);

  const Cond tag(R"({"StringEquals":{"aws:ResourceTag/Team":"ml"}})");
  CHECK(tag(with({{"aws:resourcetag/team", "ml"}})) == Tri::True);
  // The value's case still matters for StringEquals.
  CHECK(tag(with({{"aws:resourcetag/team", "ML"}})) == Tri::False);
}

TEST_CASE("C7 StringEquals is case-sensitive; the IgnoreCase forms are not", "[engine][conditions][C7]") {
  const Request r = with({{"aws:username", "Alice"}});
  CHECK(Cond(R"({"StringEquals":{"aws:username":"alice"}})")(r) == Tri::False);
  CHECK(Cond(R"({"StringEquals":{"aws:username":"Alice"}})")(r) == Tri::True);
  CHECK(Cond(R"({"StringEqualsIgnoreCase":{"aws:username":"aLICE"}})")(r) == Tri::True);
  CHECK(Cond(R"({"StringEqualsIgnoreCase":{"aws:username":"bob"}})")(r) == Tri::False);
  CHECK(Cond(R"({"StringNotEqualsIgnoreCase":{"aws:username":"ALICE"}})")(r) == Tri::False);
  CHECK(Cond(R"({"StringNotEqualsIgnoreCase":{"aws:username":"bob"}})")(r) == Tri::True);
}

TEST_CASE("C7 wildcards are special only in the Like forms", "[engine][conditions][C7]") {
  const Cond like(R"({"StringLike":{"s3:prefix":"home/*"}})");
  CHECK(like(with({{"s3:prefix", "home/alice/docs"}})) == Tri::True);
  CHECK(like(with({{"s3:prefix", "Home/alice"}})) == Tri::False);
  CHECK(Cond(R"({"StringLike":{"s3:prefix":"a?c"}})")(with({{"s3:prefix", "abc"}})) == Tri::True);
  CHECK(Cond(R"({"StringLike":{"s3:prefix":"a?c"}})")(with({{"s3:prefix", "abbc"}})) == Tri::False);

  const Cond equals(R"({"StringEquals":{"s3:prefix":"home/*"}})");
  CHECK(equals(with({{"s3:prefix", "home/alice"}})) == Tri::False);
  CHECK(equals(with({{"s3:prefix", "home/*"}})) == Tri::True);

  const Cond not_like(R"({"StringNotLike":{"s3:prefix":["home/*","shared/*"]}})");
  CHECK(not_like(with({{"s3:prefix", "shared/x"}})) == Tri::False);
  CHECK(not_like(with({{"s3:prefix", "private/x"}})) == Tri::True);
}

// ---------------------------------------------------------------------------------------
// Variables (PV3, PV5)

TEST_CASE("PV3 StringLike with a variable resolves it from the request", "[engine][conditions][PV3][C7]") {
  const Cond c(R"({"StringLike":{"s3:prefix":"home/${aws:username}/*"}})");
  Request r = with({{"aws:username", "alice"}, {"s3:prefix", "home/alice/docs"}});
  CHECK(c(r) == Tri::True);
  r.context.set("s3:prefix", "home/bob/docs");
  CHECK(c(r) == Tri::False);
}

// Negated operators are Unknown, not True: a Deny still applies (as PV3 reads it), an Allow
// does not (PV7: a variable without value never widens an Allow).
TEST_CASE("PV3 PV7 a variable without a value: positive operators do not match, negated ones are unknown",
          "[engine][conditions][PV3][PV7]") {
  const Request r = with({{"s3:prefix", "home/alice/docs"}});
  CHECK(Cond(R"({"StringLike":{"s3:prefix":"home/${aws:username}/*"}})")(r) == Tri::False);
  CHECK(Cond(R"({"StringEquals":{"s3:prefix":"${aws:username}"}})")(r) == Tri::False);
  CHECK(Cond(R"({"StringNotLike":{"s3:prefix":"home/${aws:username}/*"}})")(r) == Tri::Unknown);
  CHECK(Cond(R"({"StringNotEquals":{"s3:prefix":"${aws:username}"}})")(r) == Tri::Unknown);
  CHECK(Cond(R"({"ArnNotLike":{"aws:SourceArn":"arn:aws:s3:::${aws:username}"}})")(
            with({{"aws:SourceArn", "arn:aws:s3:::b"}})) == Tri::Unknown);
  // A value that rules the request out decides whatever the unresolved one would say.
  CHECK(Cond(R"({"StringNotEquals":{"s3:prefix":["home/alice/docs","${aws:username}"]}})")(r) == Tri::False);
  // A multivalued key is never a variable (PV2).
  Request multi = with_multi("aws:username", {"alice"});
  multi.context.set("s3:prefix", "home/alice/docs");
  CHECK(Cond(R"({"StringLike":{"s3:prefix":"home/${aws:username}/*"}})")(multi) == Tri::False);
}

TEST_CASE("PV5 a variable's default applies when the key has no value", "[engine][conditions][PV5]") {
  const Cond c(R"({"StringEquals":{"s3:prefix":"${aws:PrincipalTag/team, 'shared'}"}})");
  CHECK(c(with({{"s3:prefix", "shared"}})) == Tri::True);
  CHECK(c(with({{"s3:prefix", "ml"}})) == Tri::False);
  CHECK(c(with({{"s3:prefix", "ml"}, {"aws:PrincipalTag/Team", "ml"}})) == Tri::True);
}

// ---------------------------------------------------------------------------------------
// Typed operators

TEST_CASE("C8 Numeric operators compare integers and decimals", "[engine][conditions][C8]") {
  CHECK(Cond(R"({"NumericLessThan":{"s3:max-keys":"10"}})")(with({{"s3:max-keys", "9.5"}})) == Tri::True);
  CHECK(Cond(R"({"NumericLessThan":{"s3:max-keys":"10"}})")(with({{"s3:max-keys", "10"}})) == Tri::False);
  CHECK(Cond(R"({"NumericLessThanEquals":{"s3:max-keys":"10"}})")(with({{"s3:max-keys", "10"}})) == Tri::True);
  CHECK(Cond(R"({"NumericGreaterThan":{"s3:max-keys":"2.5"}})")(with({{"s3:max-keys", "2.51"}})) == Tri::True);
  CHECK(Cond(R"({"NumericGreaterThan":{"s3:max-keys":"2.5"}})")(with({{"s3:max-keys", "2.5"}})) == Tri::False);
  CHECK(Cond(R"({"NumericGreaterThanEquals":{"s3:max-keys":"2.5"}})")(with({{"s3:max-keys", "2.50"}})) == Tri::True);
  CHECK(Cond(R"({"NumericEquals":{"s3:max-keys":"1.50"}})")(with({{"s3:max-keys", "1.5"}})) == Tri::True);
  CHECK(Cond(R"({"NumericLessThan":{"s3:max-keys":"-1"}})")(with({{"s3:max-keys", "-2"}})) == Tri::True);
  CHECK(Cond(R"({"NumericLessThan":{"s3:max-keys":"-1"}})")(with({{"s3:max-keys", "0"}})) == Tri::False);
}

TEST_CASE("C9 Date operators accept ISO dates and epoch seconds on either side", "[engine][conditions][C9]") {
  const Cond after(R"({"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}})");
  CHECK(after(with({{"aws:CurrentTime", "2020-06-01T00:00:00Z"}})) == Tri::True);
  CHECK(after(with({{"aws:CurrentTime", "1590969600"}})) == Tri::True);  // 2020-06-01
  CHECK(after(with({{"aws:CurrentTime", "2019-12-31T23:59:59Z"}})) == Tri::False);
  CHECK(after(with({{"aws:CurrentTime", "2020-01-01T00:00:00Z"}})) == Tri::False);

  const Cond epoch(R"({"DateLessThan":{"aws:CurrentTime":"1577836800"}})");
  CHECK(epoch(with({{"aws:CurrentTime", "2019-12-31T23:59:59Z"}})) == Tri::True);
  CHECK(epoch(with({{"aws:CurrentTime", "2020-01-01T00:00:01Z"}})) == Tri::False);

  const Cond equals(R"({"DateEquals":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}})");
  CHECK(equals(with({{"aws:CurrentTime", "2020-01-01T02:00:00+02:00"}})) == Tri::True);
  CHECK(equals(with({{"aws:CurrentTime", "2020-01-01T02:00:00Z"}})) == Tri::False);
}

TEST_CASE("C9 aws:EpochTime also works with Numeric operators", "[engine][conditions][C9][C8]") {
  const Cond c(R"({"NumericGreaterThan":{"aws:EpochTime":"1600000000"}})");
  CHECK(c(with({{"aws:EpochTime", "1700000000"}})) == Tri::True);
  CHECK(c(with({{"aws:EpochTime", "1500000000"}})) == Tri::False);
}

TEST_CASE("C10 Bool compares true/false; case follows bool_case_sensitive", "[engine][conditions][C10]") {
  const Cond c(R"({"Bool":{"aws:SecureTransport":"true"}})");
  CHECK(c(with({{"aws:SecureTransport", "true"}})) == Tri::True);
  CHECK(c(with({{"aws:SecureTransport", "false"}})) == Tri::False);
  CHECK(c(with({{"aws:SecureTransport", "TRUE"}})) == Tri::True);

  Semantics strict;
  strict.bool_case_sensitive = true;
  const Cond s(R"({"Bool":{"aws:SecureTransport":"true"}})", strict);
  CHECK(s(with({{"aws:SecureTransport", "true"}})) == Tri::True);
  // "TRUE" is a boolean, just not the lower-case "true" the strict rule asks for.
  iamsim::eval::Unreadable unreadable;
  CHECK(s(with({{"aws:SecureTransport", "TRUE"}}), &unreadable) == Tri::False);
  CHECK_FALSE(unreadable.value);
  // A value that is no boolean at all is unreadable in both modes.
  const Request yes = with({{"aws:SecureTransport", "yes"}});
  CHECK(s(yes, &unreadable) == Tri::Unknown);
  REQUIRE(unreadable.value);
  CHECK(unreadable.value->text == "yes");
}

// Regression: with bool_case_sensitive, compile keeps a policy value "True" as text "that
// only "True" matches", but evaluate_condition read the request value with the strict
// parse_bool first, which refused "True" as Unknown: nothing could match the text.
TEST_CASE("C10 with bool_case_sensitive a policy \"True\" matches a request \"True\" only",
          "[engine][conditions][C10]") {
  Semantics strict;
  strict.bool_case_sensitive = true;
  const Cond c(R"({"Bool":{"aws:SecureTransport":"True"}})", strict);
  CHECK(c(with({{"aws:SecureTransport", "True"}})) == Tri::True);
  CHECK(c(with({{"aws:SecureTransport", "true"}})) == Tri::False);
}

TEST_CASE("C10 Bool with a variable compares against the variable's value", "[engine][conditions][C10][PV2]") {
  const Cond c(R"({"Bool":{"aws:SecureTransport":"${aws:ViaAWSService}"}})");
  CHECK(c(with({{"aws:SecureTransport", "true"}, {"aws:ViaAWSService", "true"}})) == Tri::True);
  CHECK(c(with({{"aws:SecureTransport", "true"}, {"aws:ViaAWSService", "false"}})) == Tri::False);
  CHECK(c(with({{"aws:SecureTransport", "true"}})) == Tri::False);
}

TEST_CASE("C11 BinaryEquals compares the request bytes with the decoded policy value", "[engine][conditions][C11]") {
  const Cond c(R"({"BinaryEquals":{"s3:x-key":"QUJD"}})");
  CHECK(c(with({{"s3:x-key", "ABC"}})) == Tri::True);
  CHECK(c(with({{"s3:x-key", "abc"}})) == Tri::False);
  CHECK(c(with({{"s3:x-key", "QUJD"}})) == Tri::False);
}

TEST_CASE("C12 IpAddress and NotIpAddress test CIDR membership", "[engine][conditions][C12]") {
  const Cond in(R"({"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}})");
  CHECK(in(with({{"aws:SourceIp", "203.0.113.9"}})) == Tri::True);
  CHECK(in(with({{"aws:SourceIp", "203.0.114.1"}})) == Tri::False);
  const Cond out(R"({"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}})");
  CHECK(out(with({{"aws:SourceIp", "203.0.113.9"}})) == Tri::False);
  CHECK(out(with({{"aws:SourceIp", "203.0.114.1"}})) == Tri::True);
  const Cond bare(R"({"IpAddress":{"aws:SourceIp":"203.0.113.5"}})");
  CHECK(bare(with({{"aws:SourceIp", "203.0.113.5"}})) == Tri::True);
  CHECK(bare(with({{"aws:SourceIp", "203.0.113.6"}})) == Tri::False);
  const Cond v6(R"({"IpAddress":{"aws:SourceIp":"2001:db8::/32"}})");
  CHECK(v6(with({{"aws:SourceIp", "2001:db8::1"}})) == Tri::True);
  CHECK(v6(with({{"aws:SourceIp", "2001:db9::1"}})) == Tri::False);
  CHECK(v6(with({{"aws:SourceIp", "10.0.0.1"}})) == Tri::False);
}

TEST_CASE("C13 ArnLike compares the six parts separately: the documented example", "[engine][conditions][C13]") {
  const char* request_arn = "arn:aws:svc:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
  const Request r = with({{"aws:SourceArn", request_arn}});
  CHECK(Cond(R"({"ArnLike":{"aws:SourceArn":"arn:aws:svc:*:111122223333:finance/*"}})")(r) == Tri::False);
  CHECK(Cond(R"({"StringLike":{"aws:SourceArn":"arn:aws:svc:*:111122223333:finance/*"}})")(r) == Tri::True);
  CHECK(Cond(R"({"ArnNotLike":{"aws:SourceArn":"arn:aws:svc:*:111122223333:finance/*"}})")(r) == Tri::True);

  const Request match = with({{"aws:SourceArn", "arn:aws:svc:us-east-2:111122223333:finance/document.txt"}});
  CHECK(Cond(R"({"ArnLike":{"aws:SourceArn":"arn:aws:svc:*:111122223333:finance/*"}})")(match) == Tri::True);
  CHECK(Cond(R"({"ArnEquals":{"aws:SourceArn":"arn:aws:svc:*:111122223333:finance/*"}})")(match) == Tri::True);
  CHECK(Cond(R"({"ArnNotEquals":{"aws:SourceArn":"arn:aws:svc:*:111122223333:finance/*"}})")(match) == Tri::False);
}

TEST_CASE("C13 ArnLike: '*' stays inside its part, matching is case-sensitive", "[engine][conditions][C13]") {
  const Cond region_star(R"({"ArnLike":{"aws:SourceArn":"arn:aws:s3:*:*:b"}})");
  CHECK(region_star(with({{"aws:SourceArn", "arn:aws:s3:::b"}})) == Tri::True);
  CHECK(region_star(with({{"aws:SourceArn", "arn:aws:s3:x:y:z:b"}})) == Tri::False);

  const Cond role(R"({"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/App"}})");
  CHECK(role(with({{"aws:PrincipalArn", "arn:aws:iam::111122223333:role/App"}})) == Tri::True);
  CHECK(role(with({{"aws:PrincipalArn", "arn:aws:iam::111122223333:role/app"}})) == Tri::False);

  const Cond any(R"({"ArnLike":{"aws:SourceArn":"*"}})");
  CHECK(any(with({{"aws:SourceArn", "arn:aws:sqs:eu-west-1:111122223333:q"}})) == Tri::True);
}

TEST_CASE("C13 ArnLike with a variable in a part", "[engine][conditions][C13][PV2]") {
  const Cond c(R"({"ArnLike":{"aws:SourceArn":"arn:aws:iam::${aws:PrincipalAccount}:role/*"}})");
  CHECK(c(with({{"aws:PrincipalAccount", "111122223333"}, {"aws:SourceArn", "arn:aws:iam::111122223333:role/x"}})) ==
        Tri::True);
  CHECK(c(with({{"aws:PrincipalAccount", "111122223333"}, {"aws:SourceArn", "arn:aws:iam::999999999999:role/x"}})) ==
        Tri::False);
  CHECK(c(with({{"aws:SourceArn", "arn:aws:iam::111122223333:role/x"}})) == Tri::False);
}

// ---------------------------------------------------------------------------------------
// Unreadable request values (docs/rules.md choice 10)

TEST_CASE("C8 C9 C12 C13 an unreadable request value gives Unknown and a warning naming the key",
          "[engine][conditions][C8][C9][C12][C13]") {
  struct Case {
    const char* condition;
    const char* key;
    const char* value;
  };
  const Case cases[] = {
      {R"({"NumericLessThan":{"s3:max-keys":"10"}})", "s3:max-keys", "ten"},
      {R"({"NumericNotEquals":{"s3:max-keys":"10"}})", "s3:max-keys", "1e5"},
      {R"({"DateLessThan":{"aws:CurrentTime":"2020-01-01"}})", "aws:CurrentTime", "yesterday"},
      {R"({"DateNotEquals":{"aws:CurrentTime":"2020-01-01"}})", "aws:CurrentTime", "2021-02-29"},
      {R"({"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}})", "aws:SourceIp", "999.1.1.1"},
      {R"({"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}})", "aws:SourceIp", "not-an-ip"},
      {R"({"ArnLike":{"aws:SourceArn":"arn:aws:s3:::b"}})", "aws:SourceArn", "not-an-arn"},
      {R"({"ArnNotLike":{"aws:SourceArn":"arn:aws:s3:::b"}})", "aws:SourceArn", "urn:a:b:c:d:e"},
      {R"({"Bool":{"aws:SecureTransport":"true"}})", "aws:SecureTransport", "yes"},
  };
  for (const auto& c : cases) {
    INFO(c.condition << " with " << c.value);
    iamsim::eval::Unreadable unreadable;
    const Request r = with({{c.key, c.value}});
    CHECK(Cond(c.condition)(r, &unreadable) == Tri::Unknown);
    REQUIRE(unreadable.value);
    CHECK(unreadable.value->text == c.value);
    CHECK_FALSE(unreadable.expected.empty());
    // Nowhere to say it: still Unknown, no crash.
    CHECK(Cond(c.condition)(with({{c.key, c.value}}), nullptr) == Tri::Unknown);
  }
}

TEST_CASE("C2 Unknown combines with other request values in three-valued logic", "[engine][conditions][C2][C15]") {
  const Cond c(R"({"NumericLessThan":{"s3:max-keys":"10"}})");
  CHECK(c(with_multi("s3:max-keys", {"ten", "5"})) == Tri::True);      // OR: True wins
  CHECK(c(with_multi("s3:max-keys", {"ten", "50"})) == Tri::Unknown);  // OR: Unknown over False

  const Cond all(R"({"ForAllValues:NumericLessThan":{"s3:max-keys":"10"}})");
  CHECK(all(with_multi("s3:max-keys", {"ten", "50"})) == Tri::False);   // AND: False wins
  CHECK(all(with_multi("s3:max-keys", {"ten", "5"})) == Tri::Unknown);  // AND: Unknown over True
}

// ---------------------------------------------------------------------------------------
// Many values: looked up (hashed exact texts, prefixes by length), the same answers as a walk

TEST_CASE("C7 C14 many string patterns are looked up with the answers of a walk over each",
          "[engine][conditions][C14]") {
  // Exact texts, prefixes of several lengths, general patterns (? and inner *) and a
  // variable: eight or more patterns without a variable take the lookup; with one, the walk,
  // which alone can say that a variable had no value (PV7). Both give these answers.
  const std::string patterns =
      R"(["alpha","beta","team-*","team-data-*","x?z","*-suffix","a*c*e","${aws:username}-own","gamma"])";
  const Cond like(R"({"ForAllValues:StringLike":{"aws:TagKeys":)" + patterns + "}}");
  const Cond any_like(R"({"ForAnyValue:StringLike":{"aws:TagKeys":)" + patterns + "}}");
  const Cond not_like(R"({"ForAnyValue:StringNotLike":{"aws:TagKeys":)" + patterns + "}}");
  auto req = [](std::vector<std::string> values) {
    Request r = with_multi("aws:TagKeys", std::move(values));
    r.context.set("aws:username", "bob");
    return r;
  };
  CHECK(like(req({"alpha", "team-", "team-data-x", "xyz", "my-suffix", "abcde", "bob-own", "gamma"})) == Tri::True);
  for (const char* miss : {"alph", "alphaa", "Team-x", "xz", "suffix", "acd", "alice-own", "te"}) {
    INFO(miss);
    CHECK(like(req({"alpha", miss})) == Tri::False);
    CHECK(any_like(req({miss})) == Tri::False);
    CHECK(not_like(req({"beta", miss})) == Tri::True);
  }
  CHECK(not_like(req({"beta", "team-1"})) == Tri::False);
  // Without the variable's value the pattern matches nothing (PV3); the others still do.
  Request no_user = with_multi("aws:TagKeys", {"bob-own"});
  CHECK(any_like(no_user) == Tri::False);
  // PV7: negated, the pattern without a value is unknown, so an Allow on it cannot apply.
  CHECK(not_like(no_user) == Tri::Unknown);

  // StringEquals: '*' is no wildcard there, only text.
  const Cond equals(R"({"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b","c","d","e","f","g","h*"]}})");
  CHECK(equals(req({"zz", "h*"})) == Tri::True);
  CHECK(equals(req({"hx"})) == Tri::False);
  // A bare '*' among many Like patterns matches everything.
  const Cond star(R"({"ForAllValues:StringLike":{"aws:TagKeys":["a","b","c","d","e","f","g","*"]}})");
  CHECK(star(req({"anything", ""})) == Tri::True);
}

// ---------------------------------------------------------------------------------------
// The walk budget (E10, docs/rules.md choice 15)

namespace {

// A condition of `op` with 2,000 patterns only a walk can match (an inner '*'), one exact
// text and one prefix: 2,000 x 13 characters against 1,000 short values is past the budget.
Cond budget_condition(const std::string& op) {
  std::string patterns = R"("exact-1","pre-*")";
  for (int i = 0; i < 2000; ++i) patterns += ",\"*infix-" + std::to_string(1000 + i) + "*\"";
  return Cond("{\"" + op + "\":{\"aws:TagKeys\":[" + patterns + "]}}");
}

std::vector<std::string> values(std::size_t n, const std::string& stem) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(stem + std::to_string(i));
  return out;
}

}  // namespace

TEST_CASE("E10 C14 past the walk budget a value no looked-up pattern matches is unknown, on the safe side",
          "[engine][conditions][E10][C14]") {
  const Cond all = budget_condition("ForAllValues:StringLike");
  const Cond any = budget_condition("ForAnyValue:StringLike");
  const Cond not_like = budget_condition("ForAnyValue:StringNotLike");
  iamsim::eval::Unreadable u;

  // Values the prefix and the exact text decide are decided, budget or not.
  std::vector<std::string> prefixed = values(1000, "pre-");
  prefixed.push_back("exact-1");
  CHECK(all(with_multi("aws:TagKeys", prefixed), &u) == Tri::True);
  CHECK_FALSE(u.over_budget);
  CHECK(not_like(with_multi("aws:TagKeys", prefixed)) == Tri::False);

  // One value only a walk could decide ("x-infix-1500-y" matches "*infix-1500*"): unknown.
  std::vector<std::string> one_walked = prefixed;
  one_walked.push_back("x-infix-1500-y");
  CHECK(all(with_multi("aws:TagKeys", one_walked), &u) == Tri::Unknown);
  CHECK(u.over_budget);
  u = {};
  CHECK(not_like(with_multi("aws:TagKeys", one_walked), &u) == Tri::Unknown);
  CHECK(u.over_budget);
  // ForAnyValue: a value the lookup matches is enough; without one, unknown.
  CHECK(any(with_multi("aws:TagKeys", one_walked)) == Tri::True);
  CHECK(any(with_multi("aws:TagKeys", values(1000, "v-"))) == Tri::Unknown);

  // Within the budget the same values are walked and decided: 10 values of ~15 characters.
  u = {};
  CHECK(all(with_multi("aws:TagKeys", {"pre-1", "x-infix-1500-y"}), &u) == Tri::True);
  CHECK(all(with_multi("aws:TagKeys", {"pre-1", "x-infix-999-y"}), &u) == Tri::False);
  CHECK(any(with_multi("aws:TagKeys", values(10, "v-"))) == Tri::False);
  CHECK_FALSE(u.over_budget);
}

TEST_CASE("E10 C13 an ARN condition past the walk budget is unknown, on the safe side",
          "[engine][conditions][E10][C13]") {
  // 2,000 ARN patterns of 26 characters in their parts against 2,000 ARNs of about 34: past 1e8.
  std::string patterns;
  for (int i = 0; i < 2000; ++i)
    patterns += std::string(i ? "," : "") + "\"arn:aws:s3:::bucket-" + std::to_string(i) + "-*/data\"";
  const Cond like("{\"ForAnyValue:ArnLike\":{\"aws:SourceArn\":[" + patterns + "]}}");
  const Cond not_like("{\"ForAllValues:ArnNotLike\":{\"aws:SourceArn\":[" + patterns + "]}}");
  iamsim::eval::Unreadable u;
  CHECK(like(with_multi("aws:SourceArn", values(2000, "arn:aws:s3:::bucket-7-x/data-")), &u) == Tri::Unknown);
  CHECK(u.over_budget);
  CHECK(not_like(with_multi("aws:SourceArn", values(2000, "arn:aws:s3:::other-"))) == Tri::Unknown);
  // Within the budget the same patterns are tried.
  u = {};
  CHECK(like(with_multi("aws:SourceArn", {"arn:aws:s3:::bucket-7-x/data"}), &u) == Tri::True);
  CHECK(like(with_multi("aws:SourceArn", {"arn:aws:s3:::other/data"}), &u) == Tri::False);
  CHECK_FALSE(u.over_budget);
}
