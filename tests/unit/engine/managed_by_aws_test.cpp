// Tests: the rules of what AWS decides itself or reads whole, at the engine's level
// (engine/eval/authorize.cpp, request.cpp): T12 (sts:GetCallerIdentity needs no
// permission), X6 (the "aws" account field), KM6 (alias operations meet no key policy),
// T14 (roles AWS manages), P1 (role ARNs compared with their path), P8 (Allow with
// NotPrincipal) and PV7 (an unresolved variable never widens an Allow).
#include <catch2/catch.hpp>

#include <string>

#include "engine/eval/authorize.hpp"
#include "engine/eval/explain.hpp"
#include "tests/unit/engine/engine_test_support.hpp"

using namespace iamsim;
using namespace iamsim::eval;
using iamsim::syntax::PolicyKind;
using Policies = iamsim::test::Policies;

namespace {

constexpr const char* kAlice = "arn:aws:iam::111111111111:user/alice";

std::string doc(const std::string& statements) {
  return R"({"Version":"2012-10-17","Statement":[)" + statements + "]}";
}

Request request(const char* principal, const char* action, const char* resource,
                const char* resource_account = "111111111111") {
  Request r;
  std::string error;
  auto p = parse_principal(principal, error);
  INFO(principal << ": " << error);
  REQUIRE(p);
  r.principal = *p;
  r.set_action(action);
  r.set_resource(resource);
  r.resource_account = resource_account;
  r.fill_derived_keys();
  return r;
}

bool warns(const Decision& d, Code c) {
  for (const auto& w : d.warnings)
    if (w.code == c) return true;
  return false;
}

}  // namespace

TEST_CASE("T12 sts:GetCallerIdentity is allowed whatever the policies say, with a note", "[engine][authorize][T12]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(R"({"Effect":"Deny","Action":"sts:*","Resource":"*"})"));
  ps.scp.emplace();
  ps.scp->push_back({pol.attach(doc(R"({"Effect":"Deny","Action":"*","Resource":"*"})"), PolicyKind::Scp, "deny")});
  const Decision d = authorize(request(kAlice, "sts:GetCallerIdentity", "*"), ps, Semantics{});
  CHECK(d.outcome == Outcome::Allow);
  CHECK(d.blocked_by == 0);
  CHECK(d.determining.empty());
  CHECK(d.reasons.empty());
  // The layers still say what they say on their own.
  CHECK(d.layer(Layer::Identity) == LayerResult::ExplicitDeny);
  REQUIRE(warns(d, Code::NoPermissionNeeded));
  CHECK(message(d.warnings.back()).find("explicit_deny") != std::string::npos);

  // With no policy at all, too; and any case of the action (A1).
  const Decision bare = authorize(request(kAlice, "STS:getcalleridentity", "*"), PolicySet{}, Semantics{});
  CHECK(bare.outcome == Outcome::Allow);
  CHECK(warns(bare, Code::NoPermissionNeeded));

  // Other STS actions are not exempt; an unsigned caller has no identity to ask about.
  CHECK(authorize(request(kAlice, "sts:GetSessionToken", "*"), ps, Semantics{}).outcome == Outcome::ExplicitDeny);
  CHECK(authorize(request("anonymous", "sts:GetCallerIdentity", "*"), PolicySet{}, Semantics{}).outcome ==
        Outcome::ImplicitDeny);
}

TEST_CASE("X6 a resource in the aws namespace is never cross-account", "[engine][authorize][X6]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(R"({"Effect":"Allow","Action":"iam:GetPolicy","Resource":"*"})"));
  const Request r = request(kAlice, "iam:GetPolicy", "arn:aws:iam::aws:policy/ReadOnlyAccess", "aws");
  CHECK(r.resource_owned_by_aws());
  const Decision d = authorize(r, ps, Semantics{});
  CHECK(d.outcome == Outcome::Allow);
  CHECK_FALSE(d.has_reason(Code::NoCrossAccountGrant));
  // A twelve-digit account stays an account.
  CHECK_FALSE(request(kAlice, "iam:GetPolicy", "arn:aws:iam::222222222222:policy/p").resource_owned_by_aws());
  CHECK(
      authorize(request(kAlice, "iam:GetPolicy", "arn:aws:iam::222222222222:policy/p", "222222222222"), ps, Semantics{})
          .outcome == Outcome::ImplicitDeny);
}

TEST_CASE("KM6 alias operations on an alias meet no key policy; other kms requests do", "[engine][request][KM6]") {
  const char* alias = "arn:aws:kms:us-east-1:111111111111:alias/reports";
  const char* key = "arn:aws:kms:us-east-1:111111111111:key/k1";
  CHECK(request(kAlice, "kms:CreateAlias", alias).policy_kind() == ResourcePolicyKind::Ordinary);
  CHECK(request(kAlice, "kms:DeleteAlias", alias).policy_kind() == ResourcePolicyKind::Ordinary);
  CHECK(request(kAlice, "KMS:UpdateAlias", alias).policy_kind() == ResourcePolicyKind::Ordinary);
  CHECK(request(kAlice, "kms:ListKeys", "*").policy_kind() == ResourcePolicyKind::Ordinary);
  // An alias standing for its key in a cryptographic request, and the key itself.
  CHECK(request(kAlice, "kms:Decrypt", alias).policy_kind() == ResourcePolicyKind::KmsKey);
  CHECK(request(kAlice, "kms:CreateAlias", key).policy_kind() == ResourcePolicyKind::KmsKey);
  CHECK(request(kAlice, "kms:Decrypt", key).policy_kind() == ResourcePolicyKind::KmsKey);

  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(R"({"Effect":"Allow","Action":"kms:*","Resource":"*"})"));
  CHECK(authorize(request(kAlice, "kms:CreateAlias", alias), ps, Semantics{}).outcome == Outcome::Allow);
  const Decision decrypt = authorize(request(kAlice, "kms:Decrypt", alias), ps, Semantics{});
  CHECK(decrypt.outcome == Outcome::ImplicitDeny);
  CHECK(decrypt.has_reason(Code::KeyPolicyWithoutGrant));
}

TEST_CASE("T14 writes to roles AWS manages are refused whatever the policies say", "[engine][authorize][T14]") {
  const char* reserved = "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123";
  const char* linked = "arn:aws:iam::111111111111:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS";
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(R"({"Effect":"Allow","Action":"*","Resource":"*"})"));
  for (const char* action : {"iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePolicy",
                             "iam:DeleteRole", "iam:TagRole", "iam:UpdateRoleDescription"}) {
    INFO(action);
    const Decision d = authorize(request(kAlice, action, reserved), ps, Semantics{});
    CHECK(d.outcome == Outcome::ImplicitDeny);
    CHECK(d.has_reason(Code::UnmodifiableRole));
    CHECK(d.blocked(Layer::Resource));
  }
  for (const char* action : {"iam:GetRole", "iam:PassRole", "iam:ListRoleTags"}) {
    INFO(action);
    CHECK(authorize(request(kAlice, action, reserved), ps, Semantics{}).outcome == Outcome::Allow);
  }
  CHECK(authorize(request(kAlice, "iam:UpdateAssumeRolePolicy", linked), ps, Semantics{})
            .has_reason(Code::UnmodifiableRole));
  CHECK(authorize(request(kAlice, "iam:UpdateRoleDescription", linked), ps, Semantics{}).outcome == Outcome::Allow);
  CHECK(authorize(request(kAlice, "iam:UpdateAssumeRolePolicy", "arn:aws:iam::111111111111:role/app"), ps, Semantics{})
            .outcome == Outcome::Allow);
  // The path must start the resource part: a role merely named aws-reserved is ordinary.
  CHECK(
      authorize(request(kAlice, "iam:DeleteRole", "arn:aws:iam::111111111111:role/team/aws-reserved"), ps, Semantics{})
          .outcome == Outcome::Allow);
}

TEST_CASE("P1 a role ARN in Principal names the role with its path", "[engine][authorize][P1]") {
  auto principal_of = [](const std::string& arn) {
    compile::CompiledPrincipal p;
    p.present = true;
    const auto slash = arn.rfind('/');
    p.roles.push_back({"111111111111", arn.substr(slash + 1), arn});
    return p;
  };
  auto caller = [](const char* arn) {
    std::string error;
    auto p = parse_principal(arn, error);
    REQUIRE(p);
    return *p;
  };
  const auto plain = principal_of("arn:aws:iam::111111111111:role/ingest2");
  const auto pathed = principal_of("arn:aws:iam::111111111111:role/service/ingest2");
  const Principal with_path = caller("arn:aws:iam::111111111111:role/service/ingest2");
  const Principal at_root = caller("arn:aws:iam::111111111111:role/ingest2");
  const Principal session = caller("arn:aws:sts::111111111111:assumed-role/ingest2/s1");
  CHECK(with_path.role_path_known);
  CHECK_FALSE(session.role_path_known);

  CHECK(match_principal(pathed, with_path) == PrincipalMatch::RoleArn);
  CHECK(match_principal(plain, with_path) == PrincipalMatch::None);
  CHECK(match_principal(plain, with_path, true) == PrincipalMatch::None);  // the path is known
  CHECK(match_principal(pathed, at_root) == PrincipalMatch::None);
  // The session's path is unknown: granted only at the default path, denied at any.
  CHECK(match_principal(plain, session) == PrincipalMatch::RoleArn);
  CHECK(match_principal(pathed, session) == PrincipalMatch::None);
  CHECK(match_principal(pathed, session, true) == PrincipalMatch::RoleArn);
}

TEST_CASE("P8 Allow with NotPrincipal excludes a caller named by any of its ARNs", "[engine][authorize][P8]") {
  const char* object = "arn:aws:s3:::data-bucket/key";
  auto bucket = [](Policies& pol, const std::string& listed) {
    PolicyLayers ps;
    ps.resource = pol.attach(doc(R"({"Effect":"Allow","NotPrincipal":{"AWS":)" + listed +
                                 R"(},"Action":"s3:GetObject","Resource":"arn:aws:s3:::data-bucket/*"})"),
                             PolicyKind::Resource, "bucket");
    return ps;
  };
  Policies pol;
  const PolicyLayers by_role = bucket(pol, R"("arn:aws:iam::111111111111:role/app")");
  const PolicyLayers by_account = bucket(pol, R"("111111111111")");
  const char* session = "arn:aws:sts::111111111111:assumed-role/app/s1";
  CHECK(authorize(request(session, "s3:GetObject", object), by_role, Semantics{}).outcome == Outcome::ImplicitDeny);
  CHECK(authorize(request(kAlice, "s3:GetObject", object), by_role, Semantics{}).outcome == Outcome::Allow);
  CHECK(authorize(request(kAlice, "s3:GetObject", object), by_account, Semantics{}).outcome == Outcome::ImplicitDeny);
  // A role path the session does not carry: excluded at any path (the safe side).
  const PolicyLayers by_pathed_role = bucket(pol, R"("arn:aws:iam::111111111111:role/team/app")");
  CHECK(authorize(request(session, "s3:GetObject", object), by_pathed_role, Semantics{}).outcome ==
        Outcome::ImplicitDeny);
  Semantics as_deny;
  as_deny.notprincipal_allow_excludes_any_arn = false;
  CHECK(authorize(request(session, "s3:GetObject", object), by_role, as_deny).outcome == Outcome::Allow);
}

TEST_CASE("PV7 an unresolved variable never widens an Allow", "[engine][authorize][PV7]") {
  Policies pol;
  PolicyLayers not_resource;
  not_resource.identity.push_back(pol.identity(
      R"({"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::models/${aws:PrincipalTag/team}/*"})"));
  const Decision d = authorize(request(kAlice, "s3:GetObject", "arn:aws:s3:::models/ml/x"), not_resource, Semantics{});
  CHECK(d.outcome == Outcome::ImplicitDeny);
  REQUIRE(warns(d, Code::UnresolvedVariable));
  CHECK(message(d.warnings.front()).find("${aws:PrincipalTag/team}") != std::string::npos);
  CHECK_FALSE(d.warnings.front().has_condition());

  Request tagged = request(kAlice, "s3:GetObject", "arn:aws:s3:::models/ml/x");
  tagged.context.set("aws:PrincipalTag/team", "fraud");
  const Decision resolved = authorize(tagged, not_resource, Semantics{});
  CHECK(resolved.outcome == Outcome::Allow);
  CHECK(resolved.warnings.empty());

  // A negated condition against a variable without value: an Allow does not apply, a Deny does.
  PolicyLayers negated;
  negated.identity.push_back(pol.identity(
      R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringNotEquals":{"s3:prefix":"${aws:PrincipalTag/team}"}}},)"
      R"({"Effect":"Allow","Action":"s3:PutObject","Resource":"*"},)"
      R"({"Effect":"Deny","Action":"s3:PutObject","Resource":"*","Condition":{"ArnNotLike":{"aws:SourceArn":"arn:aws:s3:::${aws:PrincipalTag/team}"}}})"));
  Request get = request(kAlice, "s3:GetObject", "arn:aws:s3:::b/x");
  get.context.set("s3:prefix", "ml");
  const Decision allow_side = authorize(get, negated, Semantics{});
  CHECK(allow_side.outcome == Outcome::ImplicitDeny);
  REQUIRE(warns(allow_side, Code::UnresolvedVariable));
  CHECK(allow_side.warnings.front().has_condition());
  Request put = request(kAlice, "s3:PutObject", "arn:aws:s3:::b/x");
  put.context.set("aws:SourceArn", "arn:aws:s3:::other");
  CHECK(authorize(put, negated, Semantics{}).outcome == Outcome::ExplicitDeny);
}

TEST_CASE("KM6 aliases under alias/aws/ cannot be created, changed or deleted", "[engine][authorize][KM6]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(R"({"Effect":"Allow","Action":"kms:*","Resource":"*"})"));
  for (const char* action : {"kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"}) {
    INFO(action);
    const Decision d =
        authorize(request(kAlice, action, "arn:aws:kms:us-east-1:111111111111:alias/aws/s3"), ps, Semantics{});
    CHECK(d.outcome == Outcome::ImplicitDeny);
    CHECK(d.has_reason(Code::ReservedAlias));
  }
  // Only the alias/aws/ prefix: alias/awsome and alias/team/aws/x are ordinary aliases.
  CHECK(
      authorize(request(kAlice, "kms:CreateAlias", "arn:aws:kms:us-east-1:111111111111:alias/awsome"), ps, Semantics{})
          .outcome == Outcome::Allow);
  CHECK(authorize(request(kAlice, "kms:CreateAlias", "arn:aws:kms:us-east-1:111111111111:alias/team/aws/x"), ps,
                  Semantics{})
            .outcome == Outcome::Allow);
}
