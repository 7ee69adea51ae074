// Tests: lint's checks of one policy document (lint/policy_checks.hpp), each finding on the
// example docs/lint.md gives and silent on the fixed policy; the kind of a bare policy file.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "lint/policy_checks.hpp"

using iamsim::Semantics;
using iamsim::lint::check_policy;
using iamsim::lint::Finding;
using iamsim::lint::guess_policy_kind;
using iamsim::lint::PolicyContext;
using iamsim::syntax::PolicyKind;

namespace {

std::vector<Finding> lint(const std::string& statements, PolicyKind kind = PolicyKind::Identity,
                          const std::string& account = "",
                          const std::string& version = "\"Version\": \"2012-10-17\", ") {
  PolicyContext ctx;
  ctx.kind = kind;
  ctx.owner_account = account;
  ctx.owner_arn = account.empty() ? "" : "arn:aws:iam::" + account + ":role/r";
  return check_policy("{" + version + "\"Statement\": [" + statements + "]}", ctx, Semantics{});
}

std::vector<std::string> rules(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.rule);
  std::sort(out.begin(), out.end());
  return out;
}

bool has(const std::vector<Finding>& findings, const std::string& rule) {
  return std::any_of(findings.begin(), findings.end(), [&](const Finding& f) { return f.rule == rule; });
}

const Finding& one(const std::vector<Finding>& findings, const std::string& rule) {
  auto it = std::find_if(findings.begin(), findings.end(), [&](const Finding& f) { return f.rule == rule; });
  REQUIRE(it != findings.end());
  return *it;
}

}  // namespace

TEST_CASE("lint: a clean policy has no findings", "[lint]") {
  CHECK(lint(R"({"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
                 "Resource": ["arn:aws:s3:::data", "arn:aws:s3:::data/*"],
                 "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"},
                               "StringEquals": {"aws:ResourceTag/team": "ml", "s3:prefix": "models/"}}})")
            .empty());
}

TEST_CASE("A1 lint: unknown actions, with the closest known name", "[lint][A1]") {
  auto f = lint(R"({"Effect": "Allow", "Action": ["s3:GetObjects", "s4:ListBucket", "s3:Gett*"], "Resource": "*"})");
  REQUIRE(rules(f) ==
          std::vector<std::string>{"policy.unknown-action", "policy.unknown-action", "policy.unknown-action"});
  CHECK(f[0].message.find("unknown action \"s3:GetObjects\"") == 0);
  CHECK(f[0].fix.find("\"s3:GetObject\"") != std::string::npos);
  CHECK(f[0].where.pointer == "/Statement/0/Action/0");
  CHECK(f[1].message.find("unknown service prefix \"s4\"") == 0);
  CHECK(f[1].fix.find("\"s3\"") != std::string::npos);
  CHECK(f[2].message.find("matches no action") != std::string::npos);
  // NotAction lists are judged too; "*" is always known.
  CHECK(has(lint(R"({"Effect": "Deny", "NotAction": "iam:CreatUser", "Resource": "*"})"), "policy.unknown-action"));
  CHECK(lint(R"({"Effect": "Deny", "Action": "*", "Resource": "*"})").empty());
}

TEST_CASE("C3 lint: unknown condition keys; tag templates, service keys and claims are known", "[lint][C3]") {
  auto f = lint(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                    "Condition": {"IpAddress": {"aws:SourceIpp": "203.0.113.0/24"}}})");
  const auto& k = one(f, "policy.unknown-condition-key");
  CHECK(k.fix.find("\"aws:SourceIp\"") != std::string::npos);
  CHECK(k.where.pointer == "/Statement/0/Condition/IpAddress/aws:SourceIpp");
  CHECK(lint(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                 "Condition": {"StringEquals": {"AWS:PRINCIPALTAG/Team": "ml", "s3:ExistingObjectTag/class": "x",
                                                "kms:ViaService": "s3.us-east-1.amazonaws.com"}}})")
            .empty());
  CHECK(
      lint(
          R"({"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::1:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/X"},
                 "Action": "sts:AssumeRoleWithWebIdentity",
                 "Condition": {"StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/X:sub": "system:serviceaccount:a:b"}}})",
          PolicyKind::RoleTrust)
          .empty());
}

TEST_CASE("C1 lint: operators that do not fit the key's type", "[lint][C1]") {
  auto f = lint(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                    "Condition": {"StringEquals": {"aws:SourceIp": "203.0.113.7"},
                                  "NumericLessThan": {"aws:username": "5"},
                                  "StringLike": {"aws:CurrentTime": "2026-*"}}})");
  CHECK(rules(f) == std::vector<std::string>{"policy.operator-type-mismatch", "policy.operator-type-mismatch",
                                             "policy.operator-type-mismatch"});
  CHECK(one(f, "policy.operator-type-mismatch").fix.find("IpAddress") != std::string::npos);
  // Numbers and booleans compare as text under String operators; EpochTime takes numbers.
  CHECK(lint(R"({"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b",
                 "Condition": {"StringEquals": {"aws:SecureTransport": "true"}, "NumericLessThan": {"aws:EpochTime": "9", "s3:max-keys": "10"},
                               "ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/x"}}})")
            .empty());
}

TEST_CASE("C14 lint: set operators on single-valued keys", "[lint][C14]") {
  auto f = lint(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                    "Condition": {"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}})");
  CHECK(one(f, "policy.set-operator-single-valued").message.find("holds when the request lacks the key") !=
        std::string::npos);
  CHECK(lint(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                 "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": "team"}}})")
            .empty());
}

TEST_CASE("C7 lint: a wildcard in an ...Equals condition", "[lint][C7]") {
  auto f = lint(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                    "Condition": {"StringEquals": {"aws:PrincipalArn": "arn:aws:iam::111111111111:role/ml-*"}}})");
  CHECK(one(f, "policy.wildcard-without-like").fix.find("StringLike") != std::string::npos);
  CHECK(one(f, "policy.wildcard-without-like").where.pointer == "/Statement/0/Condition/StringEquals/aws:PrincipalArn");
}

TEST_CASE("B1 RS6 lint: actions whose resource types the statement cannot match", "[lint][B1][RS6]") {
  auto f = lint(R"({"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "arn:aws:s3:::data"})");
  REQUIRE(rules(f) == std::vector<std::string>{"policy.resource-type-mismatch"});
  CHECK(f[0].message.find("s3:GetObject applies to") == 0);
  CHECK(f[0].message.find("${BucketName}/${ObjectName}") != std::string::npos);
  CHECK(f[0].where.pointer == "/Statement/0/Action/0");
  auto g = lint(R"({"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::data/*"})");
  CHECK(has(g, "policy.resource-type-mismatch"));
  auto h = lint(R"({"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "arn:aws:s3:::data"})");
  CHECK(one(h, "policy.resource-type-mismatch").message.find("takes Resource \"*\" only") != std::string::npos);
  // A wildcard is judged as a whole; "*" and patterns that may be either fit.
  CHECK(lint(R"({"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::data"})").empty());
  CHECK(has(lint(R"({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:s3:::data/*"})"),
            "policy.resource-type-mismatch"));
  CHECK(lint(R"({"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "arn:aws:s3:::data*"})")
            .empty());
  CHECK(lint(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"})")
            .empty());
}

TEST_CASE("G3 PV1 lint: policy variables under the old language", "[lint][G3][PV1]") {
  auto f = lint(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"})",
                PolicyKind::Identity, "", "\"Version\": \"2008-10-17\", ");
  CHECK(rules(f) == std::vector<std::string>{"policy.version-variables"});
  auto g = lint(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"})",
                PolicyKind::Identity, "", "");
  CHECK(rules(g) == std::vector<std::string>{"policy.version-variables"});  // replaces policy.no-version
  auto h = lint(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/*"})",
                PolicyKind::Identity, "", "");
  CHECK(rules(h) == std::vector<std::string>{"policy.no-version"});
}

TEST_CASE("P7 lint: NotPrincipal and NotResource with Allow", "[lint][P7]") {
  auto f = lint(R"({"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111111111111:role/admin"},
                    "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/*"})",
                PolicyKind::Resource);
  CHECK(has(f, "policy.notprincipal-allow"));
  CHECK(has(lint(R"({"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secrets/*"})"),
            "policy.notresource-allow"));
  CHECK_FALSE(has(lint(R"({"Effect": "Deny", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secrets/*"})"),
                  "policy.notresource-allow"));
}

TEST_CASE("lint: grants of a whole service, and iam:PassRole on every role", "[lint]") {
  auto f = lint(R"({"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::data/*"})");
  const auto& broad = one(f, "policy.broad-action");
  CHECK(broad.message.find("every action of s3") != std::string::npos);
  CHECK(broad.message.find("writes") != std::string::npos);
  CHECK(has(lint(R"({"Effect": "Allow", "Action": "*", "Resource": "*"})"), "policy.broad-action"));
  // SCPs and Deny statements use "*" by design.
  CHECK(lint(R"({"Effect": "Allow", "Action": "*", "Resource": "*"})", PolicyKind::Scp).empty());
  CHECK(lint(R"({"Effect": "Deny", "Action": "s3:*", "Resource": "*"})").empty());
  CHECK(has(lint(R"({"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"})"), "policy.passrole-any-role"));
  CHECK(has(lint(R"({"Effect": "Allow", "Action": "iam:Pass*", "Resource": "arn:aws:iam::111111111111:role/*"})"),
            "policy.passrole-any-role"));
  CHECK(lint(R"({"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111111111111:role/app"})")
            .empty());
}

TEST_CASE("B5 lint: public resource policies, and the conditions that pin the caller", "[lint][B5]") {
  const auto open =
      R"({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::docs/*")";
  CHECK(has(lint(std::string(open) + "}", PolicyKind::Resource), "policy.public-resource-policy"));
  CHECK(one(lint(std::string(open) + "}", PolicyKind::Resource), "policy.public-resource-policy").level ==
        iamsim::lint::Level::Error);
  CHECK_FALSE(has(lint(std::string(open) + R"(, "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}})",
                       PolicyKind::Resource),
                  "policy.public-resource-policy"));
  CHECK_FALSE(has(lint(std::string(open) + R"(, "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}})",
                       PolicyKind::Resource),
                  "policy.public-resource-policy"));
  CHECK_FALSE(has(lint(std::string(open) + R"(, "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}})",
                       PolicyKind::Resource),
                  "policy.public-resource-policy"));
  // Wildcards, ...IfExists, negation, wide or private ranges do not pin.
  for (const char* cond :
       {R"({"StringLike": {"aws:PrincipalOrgID": "o-*"}})",
        R"({"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1a2b3c4d"}})",
        R"({"StringNotEquals": {"aws:SourceAccount": "111111111111"}})",
        R"({"IpAddress": {"aws:SourceIp": "0.0.0.0/1"}})", R"({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})",
        R"({"StringEquals": {"aws:userid": "AROAEXAMPLE:*"}})", R"({"Bool": {"aws:SecureTransport": "true"}})"}) {
    INFO(cond);
    CHECK(has(lint(std::string(open) + R"(, "Condition": )" + cond + "}", PolicyKind::Resource),
              "policy.public-resource-policy"));
  }
  CHECK(has(lint(R"({"Effect": "Allow", "Principal": {"Federated": "graph.facebook.com"}, "Action": "s3:GetObject",
                     "Resource": "arn:aws:s3:::docs/*"})",
                 PolicyKind::Resource),
            "policy.public-resource-policy"));
  CHECK(
      has(lint(R"({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"})", PolicyKind::RoleTrust),
          "policy.public-resource-policy"));
  CHECK_FALSE(has(
      lint(R"({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:role/x"}, "Action": "s3:GetObject",
                           "Resource": "arn:aws:s3:::docs/*"})",
           PolicyKind::Resource),
      "policy.public-resource-policy"));
}

TEST_CASE("B5 lint asks B5's own test of pinning, with a key policy's kms:CallerAccount", "[lint][B5][KM1]") {
  const std::string key_open =
      R"({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt", "Resource": "*")";
  CHECK(has(lint(key_open + "}", PolicyKind::KmsKey), "policy.public-resource-policy"));
  CHECK_FALSE(has(
      lint(key_open + R"(, "Condition": {"StringEquals": {"kms:CallerAccount": "111111111111"}}})", PolicyKind::KmsKey),
      "policy.public-resource-policy"));
  CHECK(has(lint(key_open + R"(, "Condition": {"StringLike": {"kms:CallerAccount": "1111*"}}})", PolicyKind::KmsKey),
            "policy.public-resource-policy"));
  // Lint does not know whether a bucket policy is an access point's: a wildcarded access
  // point name does not pin (B5's access point rule), nor does a variable.
  const std::string open =
      R"({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::docs/*")";
  CHECK_FALSE(has(
      lint(
          open +
              R"(, "Condition": {"ArnEquals": {"s3:DataAccessPointArn": "arn:aws:s3:us-east-1:111111111111:accesspoint/ap"}}})",
          PolicyKind::Resource),
      "policy.public-resource-policy"));
  CHECK(has(
      lint(
          open +
              R"(, "Condition": {"ArnLike": {"s3:DataAccessPointArn": "arn:aws:s3:us-east-1:111111111111:accesspoint/*"}}})",
          PolicyKind::Resource),
      "policy.public-resource-policy"));
  CHECK(has(lint(open + R"(, "Condition": {"StringEquals": {"aws:SourceAccount": "${aws:PrincipalAccount}"}}})",
                 PolicyKind::Resource),
            "policy.public-resource-policy"));
}

TEST_CASE("T1 T11 lint: a trust open to a whole foreign account", "[lint][T1][T11]") {
  const std::string statement =
      R"({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "sts:AssumeRole")";
  auto f = lint(statement + "}", PolicyKind::RoleTrust, "222222222222");
  CHECK(one(f, "policy.trust-foreign-account").where.pointer == "/Statement/0/Principal/AWS");
  CHECK(lint(statement + "}", PolicyKind::RoleTrust, "111111111111").empty());  // its own account
  CHECK(lint(statement + R"(, "Condition": {"StringEquals": {"sts:ExternalId": "x7"}}})", PolicyKind::RoleTrust,
             "222222222222")
            .empty());
  CHECK(lint(statement + R"(, "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}})",
             PolicyKind::RoleTrust, "222222222222")
            .empty());
  CHECK(has(lint(R"({"Effect": "Allow", "Principal": {"AWS": "111111111111"}, "Action": "sts:AssumeRole"})",
                 PolicyKind::RoleTrust, "222222222222"),
            "policy.trust-foreign-account"));
}

TEST_CASE("lint: what the parser and compiler say becomes findings", "[lint]") {
  auto f = lint(R"({"Effect": "Allow", "Action": "s3GetObject", "Resource": "*"})");
  CHECK(one(f, "policy.invalid").message.find("[policy.action]") != std::string::npos);
  CHECK(one(f, "policy.invalid").where.pointer == "/Statement/0/Action");
  std::string big;
  for (int i = 0; i < 300; ++i)
    big += std::string(i ? "," : "") +
           R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket-)" + std::to_string(i) +
           R"(/*"})";
  CHECK(has(lint(big), "policy.size"));
  CHECK(has(lint(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                     "Condition": {"StringLike": {"aws:PrincipalOrgPaths": "o-abc123/*"}}})"),
            "policy.multivalued-key"));
}

TEST_CASE("lint: the kind of a bare policy file", "[lint]") {
  CHECK(guess_policy_kind(R"({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}})") ==
        PolicyKind::Identity);
  CHECK(guess_policy_kind(R"({"Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                                             "Action": "sts:AssumeRole"}]})") == PolicyKind::RoleTrust);
  CHECK(guess_policy_kind(R"({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                                             "Resource": "arn:aws:s3:::b/*"}]})") == PolicyKind::Resource);
  CHECK(guess_policy_kind(R"({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"},
                                             "Action": "kms:*", "Resource": "*"}]})") == PolicyKind::KmsKey);
  CHECK(guess_policy_kind("not json") == PolicyKind::Identity);
}
