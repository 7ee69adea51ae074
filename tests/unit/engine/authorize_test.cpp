// Tests: authorize() layer by layer with hand-built PolicySets (engine/eval/authorize.hpp):
// deny wins (E2), SCP levels (E3, S1-S3), RCPs (R2-R5, X5), resource grants by principal
// kind (E5), sessions (E9), cross-account (X1-X4), required grants (E6, T1-T3, KM1),
// endpoint policies (V1, V2), NotPrincipal (P7), the decision's explanation, and the safe
// side for unreadable request values (docs/rules.md, choice 10).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/eval/authorize.hpp"
#include "engine/eval/explain.hpp"
#include "tests/unit/engine/engine_test_support.hpp"

using namespace iamsim;
using namespace iamsim::eval;
using iamsim::syntax::PolicyKind;

namespace {

constexpr const char* kAlice = "arn:aws:iam::111111111111:user/alice";
constexpr const char* kAppRole = "arn:aws:iam::111111111111:role/app";
constexpr const char* kSession = "arn:aws:sts::111111111111:assumed-role/app/s1";
constexpr const char* kFederated = "arn:aws:sts::111111111111:federated-user/fed1";
constexpr const char* kBob = "arn:aws:iam::222222222222:user/bob";
constexpr const char* kObject = "arn:aws:s3:::data-bucket/key";
constexpr const char* kTargetRole = "arn:aws:iam::111111111111:role/target";
constexpr const char* kKey = "arn:aws:kms:us-east-1:111111111111:key/k1";
constexpr const char* kOwner = "111111111111";

std::string doc(const std::string& statements) {
  return R"({"Version":"2012-10-17","Statement":[)" + statements + "]}";
}

const std::string kAllowAll = R"({"Effect":"Allow","Action":"*","Resource":"*"})";
const std::string kAllowGet = R"({"Sid":"AllowGet","Effect":"Allow","Action":"s3:GetObject","Resource":"*"})";
const std::string kAllowEc2 = R"({"Effect":"Allow","Action":"ec2:*","Resource":"*"})";
const std::string kDenyGet = R"({"Sid":"DenyGet","Effect":"Deny","Action":"s3:GetObject","Resource":"*"})";

// A resource-based Allow of s3:GetObject to the given Principal JSON.
std::string grant_get(const std::string& principal) {
  return doc(R"({"Sid":"Grant","Effect":"Allow","Principal":)" + principal +
             R"(,"Action":"s3:GetObject","Resource":"arn:aws:s3:::data-bucket/*"})");
}

using Policies = iamsim::test::Policies;

Request request(const char* principal, const char* action, const char* resource,
                const char* resource_account = kOwner) {
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

bool has_reason(const Decision& d, Code why) { return d.has_reason(why); }

const Reason* reason_of(const Decision& d, Code why) {
  for (const auto& r : d.reasons)
    if (r.code == why) return &r;
  return nullptr;
}

std::uint8_t bit(Layer l) { return static_cast<std::uint8_t>(1u << static_cast<unsigned>(l)); }

bool determined_by(const Decision& d, Layer l, const std::string& policy_name = "") {
  for (const auto& ref : d.determining)
    if (ref.layer == l && (policy_name.empty() || (ref.source && ref.source->name == policy_name))) return true;
  return false;
}

// Appends only: GCC 12 -O3 reports a false -Wrestrict for "literal" + std::string.
std::string explain(const Decision& d) {
  std::string out = "outcome=";
  out += to_string(d.outcome);
  out += " layers:";
  for (auto l : all_layers) {
    out += ' ';
    out += to_string(l);
    out += '=';
    out += to_string(d.layer(l));
  }
  out += " blocked_by=";
  out += std::to_string(d.blocked_by);
  out += " reasons:";
  for (const auto& r : d.reasons) {
    out += " [";
    out += code_id(r.code);
    out += ']';
  }
  for (const auto& w : d.warnings) {
    out += "\nwarning: ";
    out += message(w);
  }
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// E1, E2

TEST_CASE("E1 without an Allow the request is implicitly denied; the root user has full access",
          "[engine][authorize][E1]") {
  const PolicyLayers none;
  const Decision alice = authorize(request(kAlice, "s3:GetObject", kObject), none, Semantics{});
  INFO(explain(alice));
  CHECK(alice.outcome == Outcome::ImplicitDeny);
  CHECK(alice.layer(Layer::Identity) == LayerResult::ImplicitDeny);
  CHECK(has_reason(alice, Code::NoIdentityAllow));
  CHECK(alice.blocked_by == bit(Layer::Identity));

  const Decision root = authorize(request("111111111111", "s3:GetObject", kObject), none, Semantics{});
  INFO(explain(root));
  CHECK(root.outcome == Outcome::Allow);
  CHECK(root.layer(Layer::Identity) == LayerResult::Allow);
}

TEST_CASE("E2 an explicit Deny in any one layer decides, and only that layer is blamed", "[engine][authorize][E2]") {
  const Layer deny_layers[] = {Layer::Identity, Layer::Boundary, Layer::Session,    Layer::Resource,
                               Layer::Scp,      Layer::Rcp,      Layer::VpcEndpoint};
  auto build = [](Policies& pol, std::optional<Layer> deny_in) {
    const bool deny = deny_in.has_value();
    auto with_deny = [&](Layer l, const std::string& allow, const std::string& deny_stmt) {
      return deny && *deny_in == l ? allow + "," + deny_stmt : allow;
    };
    const std::string principal_deny = R"({"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*"})";
    PolicyLayers ps;
    ps.identity.push_back(pol.identity(with_deny(Layer::Identity, kAllowAll, kDenyGet)));
    ps.boundary = pol.attach(doc(with_deny(Layer::Boundary, kAllowAll, kDenyGet)), PolicyKind::Boundary, "boundary");
    ps.session = pol.attach(doc(with_deny(Layer::Session, kAllowAll, kDenyGet)), PolicyKind::Session, "session");
    ps.resource = pol.attach(
        doc(with_deny(Layer::Resource, R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"})",
                      principal_deny)),
        PolicyKind::Resource, "bucket");
    ps.vpc_endpoint =
        pol.attach(doc(with_deny(Layer::VpcEndpoint,
                                 R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"})", principal_deny)),
                   PolicyKind::VpcEndpoint, "endpoint");
    ps.scp.emplace();
    ps.scp->push_back({pol.attach(doc(kAllowAll), PolicyKind::Scp, "FullAWSAccess")});
    ps.scp->push_back({pol.attach(doc(with_deny(Layer::Scp, kAllowAll, kDenyGet)), PolicyKind::Scp, "ou-scp")});
    ps.rcp.push_back({pol.attach(
        doc(with_deny(Layer::Rcp, R"({"Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"*"})",
                      principal_deny)),
        PolicyKind::Rcp, "rcp")});
    return ps;
  };
  const Request r = request(kSession, "s3:GetObject", kObject);

  Policies baseline_policies;
  const PolicyLayers baseline = build(baseline_policies, std::nullopt);
  const Decision ok = authorize(r, baseline, Semantics{});
  INFO(explain(ok));
  REQUIRE(ok.outcome == Outcome::Allow);
  CHECK(ok.blocked_by == 0);

  for (Layer l : deny_layers) {
    INFO("deny in " << to_string(l));
    Policies pol;
    const PolicyLayers ps = build(pol, l);
    const Decision d = authorize(r, ps, Semantics{});
    INFO(explain(d));
    CHECK(d.outcome == Outcome::ExplicitDeny);
    CHECK(d.layer(l) == LayerResult::ExplicitDeny);
    CHECK(d.blocked_by == bit(l));
    REQUIRE(d.determining.size() == 1);
    CHECK(d.determining[0].layer == l);
    CHECK(d.determining[0].statement == 1);  // the Deny follows the Allow
    if (l == Layer::Scp) CHECK(d.determining[0].level == 1);
  }
}

TEST_CASE("E2 Deny statements in several layers are all reported", "[engine][authorize][E2]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(kAllowAll + "," + kDenyGet));
  ps.boundary = pol.attach(doc(kDenyGet + "," + kAllowAll), PolicyKind::Boundary, "boundary");
  const Decision d = authorize(request(kAlice, "s3:GetObject", kObject), ps, Semantics{});
  INFO(explain(d));
  CHECK(d.outcome == Outcome::ExplicitDeny);
  CHECK(d.blocked_by == (bit(Layer::Identity) | bit(Layer::Boundary)));
  CHECK(d.determining.size() == 2);
  CHECK(determined_by(d, Layer::Identity, "identity[0]"));
  CHECK(determined_by(d, Layer::Boundary, "boundary"));
}

// ---------------------------------------------------------------------------------------
// SCPs (E3, S1-S3)

TEST_CASE("E3 S3 every SCP level must allow; the first level without an Allow is named",
          "[engine][authorize][E3][S3]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(kAllowAll));
  ps.scp.emplace();
  ps.scp->push_back({pol.attach(doc(kAllowAll), PolicyKind::Scp, "FullAWSAccess")});
  ps.scp->push_back({pol.attach(doc(kAllowEc2), PolicyKind::Scp, "ec2-only")});
  ps.scp->push_back({pol.attach(doc(kAllowAll), PolicyKind::Scp, "FullAWSAccess")});

  const Decision s3 = authorize(request(kAlice, "s3:GetObject", kObject), ps, Semantics{});
  INFO(explain(s3));
  CHECK(s3.outcome == Outcome::ImplicitDeny);
  CHECK(s3.layer(Layer::Scp) == LayerResult::ImplicitDeny);
  REQUIRE(reason_of(s3, Code::ScpLevelWithoutAllow));
  CHECK(reason_of(s3, Code::ScpLevelWithoutAllow)->level == 1);
  CHECK(has_reason(s3, Code::ScpLevelWithoutAllow));
  CHECK(s3.blocked_by == bit(Layer::Scp));

  const Decision ec2 = authorize(request(kAlice, "ec2:RunInstances", "arn:aws:ec2:us-east-1:111111111111:instance/i-1"),
                                 ps, Semantics{});
  INFO(explain(ec2));
  CHECK(ec2.outcome == Outcome::Allow);
  CHECK(ec2.layer(Layer::Scp) == LayerResult::Allow);
  CHECK(ec2.reasons.empty());
  const auto scp_refs = std::count_if(ec2.determining.begin(), ec2.determining.end(),
                                      [](const StatementRef& ref) { return ref.layer == Layer::Scp; });
  CHECK(scp_refs == 3);
  CHECK(determined_by(ec2, Layer::Identity));
}

TEST_CASE("S3 a lower level cannot re-add what a higher level lacks", "[engine][authorize][S3]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(kAllowAll));
  ps.scp.emplace();
  ps.scp->push_back({pol.attach(doc(kAllowEc2), PolicyKind::Scp, "root-ec2-only")});
  ps.scp->push_back({pol.attach(doc(kAllowAll), PolicyKind::Scp, "FullAWSAccess")});
  const Decision d = authorize(request(kAlice, "s3:GetObject", kObject), ps, Semantics{});
  INFO(explain(d));
  CHECK(d.outcome == Outcome::ImplicitDeny);
  REQUIRE(reason_of(d, Code::ScpLevelWithoutAllow));
  CHECK(reason_of(d, Code::ScpLevelWithoutAllow)->level == 0);
}

TEST_CASE("S1 an SCP never grants", "[engine][authorize][S1]") {
  Policies pol;
  PolicyLayers ps;
  ps.scp.emplace();
  ps.scp->push_back({pol.attach(doc(kAllowAll), PolicyKind::Scp, "FullAWSAccess")});
  const Decision d = authorize(request(kAlice, "s3:GetObject", kObject), ps, Semantics{});
  INFO(explain(d));
  CHECK(d.outcome == Outcome::ImplicitDeny);
  CHECK(d.layer(Layer::Scp) == LayerResult::Allow);
  CHECK(has_reason(d, Code::NoIdentityAllow));
  CHECK_FALSE(d.blocked(Layer::Scp));
}

TEST_CASE("S2 the management account and service-linked roles are not affected by SCPs", "[engine][authorize][S2]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(kAllowAll));
  ps.scp.emplace();
  ps.scp->push_back({pol.attach(doc(kAllowEc2 + "," + kDenyGet), PolicyKind::Scp, "strict")});

  Request member = request(kAlice, "s3:GetObject", kObject);
  const Decision denied = authorize(member, ps, Semantics{});
  CHECK(denied.outcome == Outcome::ExplicitDeny);

  Request management = member;
  management.principal.management_account = true;
  const Decision m = authorize(management, ps, Semantics{});
  INFO(explain(m));
  CHECK(m.outcome == Outcome::Allow);
  CHECK(m.layer(Layer::Scp) == LayerResult::None);

  Request linked = request(kSession, "s3:GetObject", kObject);
  linked.principal.service_linked_role = true;
  const Decision l = authorize(linked, ps, Semantics{});
  INFO(explain(l));
  CHECK(l.outcome == Outcome::Allow);
  CHECK(l.layer(Layer::Scp) == LayerResult::None);
}

// ---------------------------------------------------------------------------------------
// RCPs (R2-R5, X5)

namespace {

const std::string kRcpDenyGet = R"({"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*"})";
const std::string kRcpDenyDelete = R"({"Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"*"})";

}  // namespace

TEST_CASE("R2 RCPFullAWSAccess is implied: deny-only RCPs leave other actions allowed", "[engine][authorize][R2]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(kAllowGet));
  ps.rcp.push_back({pol.attach(doc(kRcpDenyDelete), PolicyKind::Rcp, "no-delete")});
  ps.rcp.push_back({});
  const Decision d = authorize(request(kAlice, "s3:GetObject", kObject), ps, Semantics{});
  INFO(explain(d));
  CHECK(d.outcome == Outcome::Allow);
  CHECK(d.layer(Layer::Rcp) == LayerResult::Allow);
}

TEST_CASE("R3 an RCP Deny at any level of the path denies", "[engine][authorize][R3]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(kAllowGet));
  ps.rcp.push_back({});
  ps.rcp.push_back({pol.attach(doc(kRcpDenyDelete), PolicyKind::Rcp, "no-delete")});
  ps.rcp.push_back({pol.attach(doc(kRcpDenyGet), PolicyKind::Rcp, "account-rcp")});
  const Decision d = authorize(request(kAlice, "s3:GetObject", kObject), ps, Semantics{});
  INFO(explain(d));
  CHECK(d.outcome == Outcome::ExplicitDeny);
  CHECK(d.layer(Layer::Rcp) == LayerResult::ExplicitDeny);
  CHECK(d.blocked_by == bit(Layer::Rcp));
  REQUIRE(d.determining.size() == 1);
  CHECK(d.determining[0].level == 2);
  CHECK(d.determining[0].source->name == "account-rcp");
}

TEST_CASE("R4 resources in the management account are not affected by RCPs", "[engine][authorize][R4]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(kAllowGet));
  ps.rcp.push_back({pol.attach(doc(kRcpDenyGet), PolicyKind::Rcp, "deny-get")});
  Request r = request(kAlice, "s3:GetObject", kObject);
  CHECK(authorize(r, ps, Semantics{}).outcome == Outcome::ExplicitDeny);
  r.resource_in_management_account = true;
  const Decision d = authorize(r, ps, Semantics{});
  INFO(explain(d));
  CHECK(d.outcome == Outcome::Allow);
  CHECK(d.layer(Layer::Rcp) == LayerResult::None);
}

TEST_CASE("R5 RCPs apply only to the configured services", "[engine][authorize][R5]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(kAllowAll));
  ps.rcp.push_back({pol.attach(doc(R"({"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"})"), PolicyKind::Rcp,
                               "deny-all")});
  const Request r = request(kAlice, "ec2:TerminateInstances", "arn:aws:ec2:us-east-1:111111111111:instance/i-1");
  const Decision d = authorize(r, ps, Semantics{});
  INFO(explain(d));
  CHECK(d.outcome == Outcome::Allow);
  CHECK(d.layer(Layer::Rcp) == LayerResult::None);

  Semantics with_ec2;
  with_ec2.rcp_services.push_back("ec2");
  CHECK(authorize(r, ps, with_ec2).outcome == Outcome::ExplicitDeny);
  CHECK(authorize(request(kAlice, "s3:GetObject", kObject), ps, Semantics{}).outcome == Outcome::ExplicitDeny);
}

TEST_CASE("R5 kms:RetireGrant and AWS managed keys are outside RCPs", "[engine][authorize][R5][KM1]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(R"({"Effect":"Allow","Action":"kms:*","Resource":"*"})"));
  ps.resource = pol.attach(
      doc(R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"kms:*","Resource":"*"})"),
      PolicyKind::KmsKey, "key-policy");
  ps.rcp.push_back({pol.attach(doc(R"({"Effect":"Deny","Principal":"*","Action":"kms:*","Resource":"*"})"),
                               PolicyKind::Rcp, "no-kms")});

  CHECK(authorize(request(kAlice, "kms:Decrypt", kKey), ps, Semantics{}).outcome == Outcome::ExplicitDeny);
  const Decision retire = authorize(request(kAlice, "kms:RetireGrant", kKey), ps, Semantics{});
  INFO(explain(retire));
  CHECK(retire.outcome == Outcome::Allow);
  Request managed = request(kAlice, "kms:Decrypt", kKey);
  managed.resource_is_aws_managed_key = true;
  CHECK(authorize(managed, ps, Semantics{}).outcome == Outcome::Allow);
}

TEST_CASE("X5 RCPs apply to callers from outside the organization too", "[engine][authorize][X5][R1]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(kAllowGet));
  ps.resource = pol.attach(grant_get(std::string(R"({"AWS":")") + kBob + "\"}"), PolicyKind::Resource, "bucket");
  const Request r = request(kBob, "s3:GetObject", kObject);
  CHECK(authorize(r, ps, Semantics{}).outcome == Outcome::Allow);
  ps.rcp.push_back({pol.attach(doc(kRcpDenyGet), PolicyKind::Rcp, "deny-get")});
  const Decision d = authorize(r, ps, Semantics{});
  INFO(explain(d));
  CHECK(d.outcome == Outcome::ExplicitDeny);
  CHECK(d.blocked_by == bit(Layer::Rcp));
}

// ---------------------------------------------------------------------------------------
// E5: the principal a same-account resource policy names, with a boundary that does not
// allow the action and no identity policy

TEST_CASE("E5 a grant to the user ARN stands despite the boundary's silence", "[engine][authorize][E5]") {
  Policies pol;
  PolicyLayers ps;
  ps.boundary = pol.attach(doc(kAllowEc2), PolicyKind::Boundary, "boundary");
  ps.resource = pol.attach(grant_get(std::string(R"({"AWS":")") + kAlice + "\"}"), PolicyKind::Resource, "bucket");
  const Decision d = authorize(request(kAlice, "s3:GetObject", kObject), ps, Semantics{});
  INFO(explain(d));
  CHECK(d.outcome == Outcome::Allow);
  CHECK(d.grant == Grant::Direct);
  CHECK(d.layer(Layer::Boundary) == LayerResult::ImplicitDeny);
  CHECK(determined_by(d, Layer::Resource, "bucket"));
  CHECK_FALSE(determined_by(d, Layer::Identity));
}

TEST_CASE("E5 a grant to the role ARN needs no identity allow but is cut by the boundary", "[engine][authorize][E5]") {
  Policies pol;
  PolicyLayers ps;
  ps.resource = pol.attach(grant_get(std::string(R"({"AWS":")") + kAppRole + "\"}"), PolicyKind::Resource, "bucket");
  const Request r = request(kSession, "s3:GetObject", kObject);

  const Decision free = authorize(r, ps, Semantics{});
  INFO(explain(free));
  CHECK(free.outcome == Outcome::Allow);
  CHECK(free.grant == Grant::RoleArn);

  ps.boundary = pol.attach(doc(kAllowEc2), PolicyKind::Boundary, "boundary");
  const Decision cut = authorize(r, ps, Semantics{});
  INFO(explain(cut));
  CHECK(cut.outcome == Outcome::ImplicitDeny);
  CHECK(cut.grant == Grant::RoleArn);
  CHECK(cut.blocked_by == bit(Layer::Boundary));
  CHECK(has_reason(cut, Code::BoundaryWithoutAllow));
}

TEST_CASE("E5 a grant to the session ARN stands despite the boundary's silence", "[engine][authorize][E5]") {
  Policies pol;
  PolicyLayers ps;
  ps.boundary = pol.attach(doc(kAllowEc2), PolicyKind::Boundary, "boundary");
  ps.resource = pol.attach(grant_get(std::string(R"({"AWS":")") + kSession + "\"}"), PolicyKind::Resource, "bucket");
  const Decision d = authorize(request(kSession, "s3:GetObject", kObject), ps, Semantics{});
  INFO(explain(d));
  CHECK(d.outcome == Outcome::Allow);
  CHECK(d.grant == Grant::Direct);
}

TEST_CASE("E5 a grant to the account needs an identity allow and the boundary", "[engine][authorize][E5]") {
  for (const char* account : {R"("111111111111")", R"("arn:aws:iam::111111111111:root")"}) {
    INFO(account);
    Policies pol;
    PolicyLayers ps;
    ps.resource = pol.attach(grant_get(std::string(R"({"AWS":)") + account + "}"), PolicyKind::Resource, "bucket");
    const Request r = request(kAlice, "s3:GetObject", kObject);

    const Decision alone = authorize(r, ps, Semantics{});
    INFO(explain(alone));
    CHECK(alone.outcome == Outcome::ImplicitDeny);
    CHECK(alone.grant == Grant::Account);
    CHECK(alone.blocked_by == bit(Layer::Identity));
    CHECK(has_reason(alone, Code::NoIdentityAllow));

    Semantics delegation_suffices;
    delegation_suffices.account_grant_needs_identity_allow = false;
    CHECK(authorize(r, ps, delegation_suffices).outcome == Outcome::Allow);

    ps.identity.push_back(pol.identity(kAllowGet));
    const Decision with_identity = authorize(r, ps, Semantics{});
    INFO(explain(with_identity));
    CHECK(with_identity.outcome == Outcome::Allow);
    CHECK(determined_by(with_identity, Layer::Resource, "bucket"));
    CHECK(determined_by(with_identity, Layer::Identity, "identity[0]"));

    ps.boundary = pol.attach(doc(kAllowEc2), PolicyKind::Boundary, "boundary");
    const Decision bounded = authorize(r, ps, Semantics{});
    INFO(explain(bounded));
    CHECK(bounded.outcome == Outcome::ImplicitDeny);
    CHECK(bounded.blocked_by == bit(Layer::Boundary));
  }
}

TEST_CASE("E5 Principal \"*\" narrowed by aws:PrincipalArn is not limited by the boundary", "[engine][authorize][E5]") {
  Policies pol;
  PolicyLayers ps;
  ps.boundary = pol.attach(doc(kAllowEc2), PolicyKind::Boundary, "boundary");
  ps.resource = pol.attach(doc(R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*",
                                   "Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111111111111:role/app"}}})"),
                           PolicyKind::Resource, "bucket");
  const Decision d = authorize(request(kSession, "s3:GetObject", kObject), ps, Semantics{});
  INFO(explain(d));
  CHECK(d.outcome == Outcome::Allow);
  CHECK(d.grant == Grant::Direct);
  // Another principal fails the condition.
  CHECK(authorize(request(kAlice, "s3:GetObject", kObject), ps, Semantics{}).outcome == Outcome::ImplicitDeny);
}

// ---------------------------------------------------------------------------------------
// E9: sessions

TEST_CASE("E9 a session policy that does not allow the action denies the session", "[engine][authorize][E9]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(kAllowAll));
  ps.session = pol.attach(doc(kAllowEc2), PolicyKind::Session, "session");
  const Request r = request(kSession, "s3:GetObject", kObject);
  const Decision d = authorize(r, ps, Semantics{});
  INFO(explain(d));
  CHECK(d.outcome == Outcome::ImplicitDeny);
  CHECK(d.layer(Layer::Session) == LayerResult::ImplicitDeny);
  CHECK(d.blocked_by == bit(Layer::Session));
  CHECK(has_reason(d, Code::SessionWithoutAllow));

  ps.session = pol.attach(doc(kAllowGet), PolicyKind::Session, "session");
  const Decision ok = authorize(r, ps, Semantics{});
  INFO(explain(ok));
  CHECK(ok.outcome == Outcome::Allow);
  CHECK(determined_by(ok, Layer::Session, "session"));
  CHECK(determined_by(ok, Layer::Identity, "identity[0]"));
}

TEST_CASE("E9 without a session policy a role session passes and a federated user does not",
          "[engine][authorize][E9]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(kAllowAll));
  const Decision role = authorize(request(kSession, "s3:GetObject", kObject), ps, Semantics{});
  INFO(explain(role));
  CHECK(role.outcome == Outcome::Allow);
  CHECK(role.layer(Layer::Session) == LayerResult::None);

  const Decision fed = authorize(request(kFederated, "s3:GetObject", kObject), ps, Semantics{});
  INFO(explain(fed));
  CHECK(fed.outcome == Outcome::ImplicitDeny);
  CHECK(fed.layer(Layer::Session) == LayerResult::ImplicitDeny);
  CHECK(has_reason(fed, Code::FederatedWithoutSessionPolicy));

  ps.session = pol.attach(doc(kAllowGet), PolicyKind::Session, "session");
  CHECK(authorize(request(kFederated, "s3:GetObject", kObject), ps, Semantics{}).outcome == Outcome::Allow);
}

TEST_CASE("E9 session policies do not apply to principals that are not sessions", "[engine][authorize][E9]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(kAllowAll));
  ps.session = pol.attach(doc(kDenyGet), PolicyKind::Session, "session");
  const Decision d = authorize(request(kAlice, "s3:GetObject", kObject), ps, Semantics{});
  INFO(explain(d));
  CHECK(d.outcome == Outcome::Allow);
  CHECK(d.layer(Layer::Session) == LayerResult::None);
}

TEST_CASE("E9 a grant to the session ARN is not limited by the session policy; a role ARN grant is",
          "[engine][authorize][E9][E5]") {
  Policies pol;
  PolicyLayers ps;
  ps.session = pol.attach(doc(kAllowEc2), PolicyKind::Session, "session");
  const Request r = request(kSession, "s3:GetObject", kObject);

  ps.resource = pol.attach(grant_get(std::string(R"({"AWS":")") + kSession + "\"}"), PolicyKind::Resource, "bucket");
  const Decision session_grant = authorize(r, ps, Semantics{});
  INFO(explain(session_grant));
  CHECK(session_grant.outcome == Outcome::Allow);

  ps.resource = pol.attach(grant_get(std::string(R"({"AWS":")") + kAppRole + "\"}"), PolicyKind::Resource, "bucket");
  const Decision role_grant = authorize(r, ps, Semantics{});
  INFO(explain(role_grant));
  CHECK(role_grant.outcome == Outcome::ImplicitDeny);
  CHECK(role_grant.blocked_by == bit(Layer::Session));
}

// ---------------------------------------------------------------------------------------
// X1-X4: cross-account

TEST_CASE("X1 X2 cross-account needs the resource grant and the caller's identity allow",
          "[engine][authorize][X1][X2]") {
  Policies pol;
  PolicyLayers ps;
  ps.resource = pol.attach(grant_get(std::string(R"({"AWS":")") + kBob + "\"}"), PolicyKind::Resource, "bucket");
  const Request r = request(kBob, "s3:GetObject", kObject);

  const Decision grant_only = authorize(r, ps, Semantics{});
  INFO(explain(grant_only));
  CHECK(grant_only.outcome == Outcome::ImplicitDeny);
  CHECK(grant_only.grant == Grant::Direct);
  CHECK(grant_only.blocked_by == bit(Layer::Identity));
  CHECK(has_reason(grant_only, Code::NoIdentityAllow));
  CHECK_FALSE(has_reason(grant_only, Code::NoCrossAccountGrant));

  ps.identity.push_back(
      pol.identity(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data-bucket/*"})"));
  const Decision both = authorize(r, ps, Semantics{});
  INFO(explain(both));
  CHECK(both.outcome == Outcome::Allow);
  CHECK(determined_by(both, Layer::Resource, "bucket"));
  CHECK(determined_by(both, Layer::Identity, "identity[0]"));

  // The identity policy must cover the resource (X2).
  PolicyLayers other = ps;
  other.identity = {
      pol.identity(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::other-bucket/*"})")};
  CHECK(authorize(r, other, Semantics{}).outcome == Outcome::ImplicitDeny);
}

TEST_CASE("X1 cross-account without a grant to the caller is denied, whatever the identity side says",
          "[engine][authorize][X1]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(kAllowAll));
  const Request r = request(kBob, "s3:GetObject", kObject);

  const Decision none = authorize(r, ps, Semantics{});
  INFO(explain(none));
  CHECK(none.outcome == Outcome::ImplicitDeny);
  CHECK(none.blocked_by == bit(Layer::Resource));
  CHECK(has_reason(none, Code::NoCrossAccountGrant));

  ps.resource =
      pol.attach(grant_get(R"({"AWS":"arn:aws:iam::222222222222:user/carol"})"), PolicyKind::Resource, "bucket");
  const Decision other = authorize(r, ps, Semantics{});
  INFO(explain(other));
  CHECK(other.outcome == Outcome::ImplicitDeny);
  CHECK(has_reason(other, Code::NoCrossAccountGrant));
}

TEST_CASE("X3 a grant to the caller's account is delegated through its identity policies", "[engine][authorize][X3]") {
  Policies pol;
  PolicyLayers ps;
  ps.resource = pol.attach(grant_get(R"({"AWS":"222222222222"})"), PolicyKind::Resource, "bucket");
  const Request r = request(kBob, "s3:GetObject", kObject);
  CHECK(authorize(r, ps, Semantics{}).outcome == Outcome::ImplicitDeny);
  ps.identity.push_back(pol.identity(kAllowGet));
  const Decision d = authorize(r, ps, Semantics{});
  INFO(explain(d));
  CHECK(d.outcome == Outcome::Allow);
  CHECK(d.grant == Grant::Account);
}

TEST_CASE("X4 no access across partitions", "[engine][authorize][X4]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(kAllowAll));
  ps.resource = pol.attach(grant_get(R"("*")"), PolicyKind::Resource, "bucket");
  const Decision d =
      authorize(request("arn:aws-cn:iam::222222222222:user/bob", "s3:GetObject", kObject), ps, Semantics{});
  INFO(explain(d));
  CHECK(d.outcome == Outcome::ImplicitDeny);
  CHECK(d.blocked(Layer::Resource));
  CHECK(has_reason(d, Code::CrossPartition));
  CHECK(d.reasons.size() == 1);
}

// ---------------------------------------------------------------------------------------
// E6, T1-T3, KM1: trust policies and key policies must grant

TEST_CASE("E6 the resource policy kind follows from the action and the resource", "[engine][authorize][E6]") {
  CHECK(resource_policy_kind(request(kAlice, "sts:AssumeRole", kTargetRole)) == ResourcePolicyKind::RoleTrust);
  CHECK(resource_policy_kind(request(kAlice, "STS:TagSession", kTargetRole)) == ResourcePolicyKind::RoleTrust);
  CHECK(resource_policy_kind(request(kAlice, "iam:GetRole", kTargetRole)) == ResourcePolicyKind::Ordinary);
  CHECK(resource_policy_kind(request(kAlice, "kms:Decrypt", kKey)) == ResourcePolicyKind::KmsKey);
  CHECK(resource_policy_kind(request(kAlice, "s3:GetObject", kObject)) == ResourcePolicyKind::Ordinary);
}

TEST_CASE("E6 T1 a trust policy must allow the caller; an identity allow alone is not enough",
          "[engine][authorize][E6][T1]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(R"({"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"})"));
  const Request r = request(kAlice, "sts:AssumeRole", kTargetRole);

  const Decision no_trust = authorize(r, ps, Semantics{});
  INFO(explain(no_trust));
  CHECK(no_trust.outcome == Outcome::ImplicitDeny);
  CHECK(has_reason(no_trust, Code::TrustWithoutGrant));
  CHECK(no_trust.blocked_by == bit(Layer::Resource));
  CHECK(no_trust.layer(Layer::Resource) == LayerResult::ImplicitDeny);

  ps.resource =
      pol.attach(doc(R"({"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"})"),
                 PolicyKind::RoleTrust, "trust");
  const Decision other = authorize(r, ps, Semantics{});
  INFO(explain(other));
  CHECK(other.outcome == Outcome::ImplicitDeny);
  CHECK(has_reason(other, Code::TrustWithoutGrant));

  // The same identity allow suffices for an ordinary action on the role.
  PolicyLayers plain;
  plain.identity.push_back(pol.identity(kAllowAll));
  CHECK(authorize(request(kAlice, "iam:GetRole", kTargetRole), plain, Semantics{}).outcome == Outcome::Allow);
}

TEST_CASE("T2 a same-account trust naming the caller's ARN suffices; naming the account needs identity",
          "[engine][authorize][T2]") {
  Policies pol;
  const Request r = request(kAlice, "sts:AssumeRole", kTargetRole);
  {
    PolicyLayers ps;
    ps.resource = pol.attach(
        doc(std::string(R"({"Effect":"Allow","Principal":{"AWS":")") + kAlice + R"("},"Action":"sts:AssumeRole"})"),
        PolicyKind::RoleTrust, "trust");
    const Decision d = authorize(r, ps, Semantics{});
    INFO(explain(d));
    CHECK(d.outcome == Outcome::Allow);
    Semantics strict;
    strict.trust_arn_grant_suffices_same_account = false;
    const Decision s = authorize(r, ps, strict);
    INFO(explain(s));
    CHECK(s.outcome == Outcome::ImplicitDeny);
    CHECK(has_reason(s, Code::NoIdentityAllow));
  }
  {
    PolicyLayers ps;
    ps.resource = pol.attach(doc(R"({"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole"})"),
                             PolicyKind::RoleTrust, "trust");
    const Decision alone = authorize(r, ps, Semantics{});
    INFO(explain(alone));
    CHECK(alone.outcome == Outcome::ImplicitDeny);
    CHECK(has_reason(alone, Code::NoIdentityAllow));
    ps.identity.push_back(pol.identity(
        R"({"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::111111111111:role/target"})"));
    CHECK(authorize(r, ps, Semantics{}).outcome == Outcome::Allow);
  }
}

TEST_CASE("T3 the root user cannot call AssumeRole", "[engine][authorize][T3]") {
  Policies pol;
  PolicyLayers ps;
  ps.resource = pol.attach(doc(R"({"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole"})"),
                           PolicyKind::RoleTrust, "trust");
  const Decision d = authorize(request("111111111111", "sts:AssumeRole", kTargetRole), ps, Semantics{});
  INFO(explain(d));
  CHECK(d.outcome == Outcome::ImplicitDeny);
  CHECK(has_reason(d, Code::RootCannotAssumeRole));
  CHECK(d.blocked_by == bit(Layer::Identity));
  // A user of the same account, with an identity allow, can.
  ps.identity.push_back(pol.identity(R"({"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"})"));
  CHECK(authorize(request(kAlice, "sts:AssumeRole", kTargetRole), ps, Semantics{}).outcome == Outcome::Allow);
}

TEST_CASE("KM1 the key policy must grant; its root statement enables IAM policies", "[engine][authorize][KM1][E6]") {
  Policies pol;
  const Request r = request(kAlice, "kms:Decrypt", kKey);
  const AttachedPolicy identity = pol.identity(R"({"Effect":"Allow","Action":"kms:*","Resource":"*"})");
  {
    PolicyLayers ps;
    ps.identity.push_back(identity);
    const Decision no_key_policy = authorize(r, ps, Semantics{});
    INFO(explain(no_key_policy));
    CHECK(no_key_policy.outcome == Outcome::ImplicitDeny);
    CHECK(has_reason(no_key_policy, Code::KeyPolicyWithoutGrant));
  }
  {
    PolicyLayers ps;
    ps.identity.push_back(identity);
    ps.resource = pol.attach(
        doc(R"({"Sid":"Other account","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"kms:*","Resource":"*"})"),
        PolicyKind::KmsKey, "key-policy");
    const Decision d = authorize(r, ps, Semantics{});
    INFO(explain(d));
    CHECK(d.outcome == Outcome::ImplicitDeny);
    CHECK(has_reason(d, Code::KeyPolicyWithoutGrant));
  }
  {
    PolicyLayers ps;
    ps.resource = pol.attach(
        doc(R"({"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"kms:*","Resource":"*"})"),
        PolicyKind::KmsKey, "key-policy");
    const Decision without_iam = authorize(r, ps, Semantics{});
    INFO(explain(without_iam));
    CHECK(without_iam.outcome == Outcome::ImplicitDeny);
    CHECK(has_reason(without_iam, Code::NoIdentityAllow));
    ps.identity.push_back(identity);
    const Decision with_iam = authorize(r, ps, Semantics{});
    INFO(explain(with_iam));
    CHECK(with_iam.outcome == Outcome::Allow);
    CHECK(with_iam.grant == Grant::Account);
  }
}

// ---------------------------------------------------------------------------------------
// V1, V2: VPC endpoint policies

TEST_CASE("V1 an endpoint policy that does not allow the request denies it", "[engine][authorize][V1]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(kAllowGet));
  ps.vpc_endpoint = pol.attach(doc(R"({"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"*"})"),
                               PolicyKind::VpcEndpoint, "endpoint");
  const Request r = request(kAlice, "s3:GetObject", kObject);
  const Decision d = authorize(r, ps, Semantics{});
  INFO(explain(d));
  CHECK(d.outcome == Outcome::ImplicitDeny);
  CHECK(d.layer(Layer::VpcEndpoint) == LayerResult::ImplicitDeny);
  CHECK(d.blocked_by == bit(Layer::VpcEndpoint));
  CHECK(has_reason(d, Code::EndpointWithoutAllow));

  ps.vpc_endpoint = pol.attach(doc(R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"})"),
                               PolicyKind::VpcEndpoint, "endpoint");
  const Decision ok = authorize(r, ps, Semantics{});
  INFO(explain(ok));
  CHECK(ok.outcome == Outcome::Allow);
  CHECK(determined_by(ok, Layer::VpcEndpoint, "endpoint"));
}

TEST_CASE("V1 an endpoint policy is a filter: it grants nothing on its own", "[engine][authorize][V1]") {
  Policies pol;
  PolicyLayers ps;
  ps.vpc_endpoint = pol.attach(doc(R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"})"),
                               PolicyKind::VpcEndpoint, "endpoint");
  const Decision d = authorize(request(kAlice, "s3:GetObject", kObject), ps, Semantics{});
  INFO(explain(d));
  CHECK(d.outcome == Outcome::ImplicitDeny);
  CHECK(d.layer(Layer::VpcEndpoint) == LayerResult::Allow);
  CHECK(has_reason(d, Code::NoIdentityAllow));
}

TEST_CASE("V2 without an endpoint policy the endpoint does not restrict", "[engine][authorize][V2]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(kAllowGet));
  const Decision d = authorize(request(kAlice, "s3:GetObject", kObject), ps, Semantics{});
  INFO(explain(d));
  CHECK(d.outcome == Outcome::Allow);
  CHECK(d.layer(Layer::VpcEndpoint) == LayerResult::None);
}

// ---------------------------------------------------------------------------------------
// P7: Deny + NotPrincipal (docs/rules.md choice 6)

TEST_CASE("P7 Deny+NotPrincipal exempts a session only when account, role and session are listed",
          "[engine][authorize][P7]") {
  auto bucket = [](const std::string& not_principal) {
    return doc(R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"},
                  {"Effect":"Deny","NotPrincipal":{"AWS":)" +
               not_principal + R"(},"Action":"s3:*","Resource":"*"})");
  };
  const Request r = request(kSession, "s3:GetObject", kObject);
  Policies pol;
  PolicyLayers role_and_account;
  role_and_account.resource =
      pol.attach(bucket(R"(["arn:aws:iam::111111111111:role/app","111111111111"])"), PolicyKind::Resource, "bucket");
  CHECK(authorize(r, role_and_account, Semantics{}).outcome == Outcome::ExplicitDeny);
  Semantics own_arn;
  own_arn.notprincipal_requires_all_arns = false;
  CHECK(authorize(r, role_and_account, own_arn).outcome == Outcome::Allow);

  PolicyLayers all_three;
  all_three.resource = pol.attach(
      bucket(
          R"(["arn:aws:iam::111111111111:role/app","111111111111","arn:aws:sts::111111111111:assumed-role/app/s1"])"),
      PolicyKind::Resource, "bucket");
  const Decision exempt = authorize(r, all_three, Semantics{});
  INFO(explain(exempt));
  CHECK(exempt.outcome == Outcome::Allow);

  // Newer docs: principals with a boundary are always denied.
  Request bounded = r;
  bounded.principal.has_boundary = true;
  CHECK(authorize(bounded, all_three, Semantics{}).outcome == Outcome::ExplicitDeny);
  Semantics lenient;
  lenient.notprincipal_deny_always_denies_boundary = false;
  CHECK(authorize(bounded, all_three, lenient).outcome == Outcome::Allow);
}

// ---------------------------------------------------------------------------------------
// The explanation: determining statements and blocked_by bits

TEST_CASE("E7 the determining statement is the one that matched, in the policy that held it",
          "[engine][authorize][E7]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(kAllowEc2, "ec2-policy"));
  ps.identity.push_back(
      pol.identity(std::string(R"({"Effect":"Deny","Action":"iam:*","Resource":"*"},)") + kAllowGet, "s3-policy"));
  const Decision d = authorize(request(kAlice, "s3:GetObject", kObject), ps, Semantics{});
  INFO(explain(d));
  CHECK(d.outcome == Outcome::Allow);
  CHECK(d.blocked_by == 0);
  CHECK(d.reasons.empty());
  REQUIRE(d.determining.size() == 1);
  CHECK(d.determining[0].layer == Layer::Identity);
  CHECK(d.determining[0].source->name == "s3-policy");
  CHECK(d.determining[0].statement == 1);
  CHECK(d.determining[0].compiled().label() == "AllowGet");
}

TEST_CASE("E8 an allowed request through a boundary names the boundary statement too", "[engine][authorize][E8]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(kAllowGet));
  ps.boundary =
      pol.attach(doc(kAllowEc2 + "," + R"({"Sid":"S3Read","Effect":"Allow","Action":"s3:Get*","Resource":"*"})"),
                 PolicyKind::Boundary, "boundary");
  const Decision d = authorize(request(kAlice, "s3:GetObject", kObject), ps, Semantics{});
  INFO(explain(d));
  CHECK(d.outcome == Outcome::Allow);
  CHECK(d.layer(Layer::Boundary) == LayerResult::Allow);
  CHECK(determined_by(d, Layer::Boundary, "boundary"));
  CHECK(determined_by(d, Layer::Identity, "identity[0]"));

  ps.boundary = pol.attach(doc(kAllowEc2), PolicyKind::Boundary, "boundary");
  const Decision cut = authorize(request(kAlice, "s3:GetObject", kObject), ps, Semantics{});
  INFO(explain(cut));
  CHECK(cut.outcome == Outcome::ImplicitDeny);
  CHECK(cut.blocked_by == bit(Layer::Boundary));
  CHECK(has_reason(cut, Code::BoundaryWithoutAllow));
  CHECK(cut.determining.empty());
}

// ---------------------------------------------------------------------------------------
// docs/rules.md choice 10: unreadable request values resolve to the safe side

TEST_CASE("C8 an unreadable request value lets a Deny apply and keeps an Allow from applying, with a warning",
          "[engine][authorize][C8]") {
  const std::string condition = R"("Condition":{"NumericLessThan":{"s3:max-keys":"10"}})";
  Policies pol;
  PolicyLayers deny_set;
  deny_set.identity.push_back(
      pol.identity(kAllowAll + R"(,{"Effect":"Deny","Action":"s3:*","Resource":"*",)" + condition + "}"));
  PolicyLayers allow_set;
  allow_set.identity.push_back(pol.identity(R"({"Effect":"Allow","Action":"s3:*","Resource":"*",)" + condition + "}"));

  Request r = request(kAlice, "s3:ListBucket", "arn:aws:s3:::data-bucket");
  r.context.set("s3:max-keys", "lots");

  const Decision deny = authorize(r, deny_set, Semantics{});
  INFO(explain(deny));
  CHECK(deny.outcome == Outcome::ExplicitDeny);
  REQUIRE(deny.warnings.size() == 1);
  CHECK(deny.warnings[0].code == Code::UnreadableContextValue);
  CHECK(deny.warnings[0].value == "lots");
  CHECK_THAT(message(deny.warnings[0]), Catch::Contains("s3:max-keys") && Catch::Contains("lots"));

  const Decision allow = authorize(r, allow_set, Semantics{});
  INFO(explain(allow));
  CHECK(allow.outcome == Outcome::ImplicitDeny);
  REQUIRE(allow.warnings.size() == 1);
  CHECK_THAT(message(allow.warnings[0]), Catch::Contains("s3:max-keys"));

  // Readable values decide normally, without warnings.
  r.context.set("s3:max-keys", "5");
  const Decision small = authorize(r, deny_set, Semantics{});
  CHECK(small.outcome == Outcome::ExplicitDeny);
  CHECK(small.warnings.empty());
  CHECK(authorize(r, allow_set, Semantics{}).outcome == Outcome::Allow);
  r.context.set("s3:max-keys", "50");
  CHECK(authorize(r, deny_set, Semantics{}).outcome == Outcome::Allow);
  CHECK(authorize(r, allow_set, Semantics{}).outcome == Outcome::ImplicitDeny);
}

TEST_CASE("C12 an unreadable address under a negated operator still lets the Deny apply", "[engine][authorize][C12]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(kAllowAll + R"(,{"Effect":"Deny","Action":"*","Resource":"*",
      "Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}})"));
  Request r = request(kAlice, "s3:GetObject", kObject);
  r.context.set("aws:SourceIp", "10.0.0.300");
  const Decision d = authorize(r, ps, Semantics{});
  INFO(explain(d));
  CHECK(d.outcome == Outcome::ExplicitDeny);
  CHECK(d.warnings.size() == 1);
  r.context.set("aws:SourceIp", "10.0.0.30");
  CHECK(authorize(r, ps, Semantics{}).outcome == Outcome::Allow);
}

TEST_CASE("C2 conditions of one statement AND together", "[engine][authorize][C2]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{
      "IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"Bool":{"aws:SecureTransport":"true"}}})"));
  Request r = request(kAlice, "s3:GetObject", kObject);
  r.context.set("aws:SourceIp", "10.1.1.1");
  r.context.set("aws:SecureTransport", "true");
  CHECK(authorize(r, ps, Semantics{}).outcome == Outcome::Allow);
  r.context.set("aws:SecureTransport", "false");
  CHECK(authorize(r, ps, Semantics{}).outcome == Outcome::ImplicitDeny);
  r.context.set("aws:SecureTransport", "true");
  r.context.set("aws:SourceIp", "11.1.1.1");
  CHECK(authorize(r, ps, Semantics{}).outcome == Outcome::ImplicitDeny);
}

// ---------------------------------------------------------------------------------------
// Actions and resources as authorize() matches them

TEST_CASE("A1 actions match case-insensitively; A3 NotAction with Allow grants every other action",
          "[engine][authorize][A1][A3]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(R"({"Effect":"Allow","Action":"IAM:*AccessKey*","Resource":"*"})"));
  CHECK(authorize(request(kAlice, "iam:ListAccessKeys", "arn:aws:iam::111111111111:user/alice"), ps, Semantics{})
            .outcome == Outcome::Allow);
  CHECK(authorize(request(kAlice, "iam:ListUsers", "arn:aws:iam::111111111111:user/alice"), ps, Semantics{}).outcome ==
        Outcome::ImplicitDeny);

  PolicyLayers not_action;
  not_action.identity.push_back(pol.identity(R"({"Effect":"Allow","NotAction":"s3:Delete*","Resource":"*"})"));
  CHECK(authorize(request(kAlice, "ec2:RunInstances", "arn:aws:ec2:us-east-1:111111111111:instance/i-1"), not_action,
                  Semantics{})
            .outcome == Outcome::Allow);
  CHECK(authorize(request(kAlice, "s3:DeleteObject", kObject), not_action, Semantics{}).outcome ==
        Outcome::ImplicitDeny);
}

TEST_CASE("S6 under scp_syntax=2022 SCP actions are case-sensitive", "[engine][authorize][S6]") {
  const std::string scp = doc(R"({"Effect":"Allow","Action":"S3:GetObject","Resource":"*"})");
  const Request r = request(kAlice, "s3:GetObject", kObject);
  const Semantics current;
  Semantics old;
  old.scp_current_syntax = false;
  for (const Semantics* s : std::initializer_list<const Semantics*>{&current, &old}) {
    Policies pol;
    PolicyLayers ps;
    ps.identity.push_back(pol.identity(kAllowAll));
    ps.scp.emplace();
    ps.scp->push_back({pol.attach(scp, PolicyKind::Scp, "scp", *s)});
    const Decision d = authorize(r, ps, *s);
    INFO(explain(d));
    CHECK(d.outcome == (s->scp_current_syntax ? Outcome::Allow : Outcome::ImplicitDeny));
  }
}

TEST_CASE("RS1 RS3 resource parts match one by one, case-sensitively, '*' crossing '/'",
          "[engine][authorize][RS1][RS3]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(
      pol.identity(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data-bucket/*/test/*"})"));
  CHECK(authorize(request(kAlice, "s3:GetObject", "arn:aws:s3:::data-bucket/1/2/test/3/x"), ps, Semantics{}).outcome ==
        Outcome::Allow);
  CHECK(authorize(request(kAlice, "s3:GetObject", "arn:aws:s3:::data-bucket/test/x"), ps, Semantics{}).outcome ==
        Outcome::ImplicitDeny);
  CHECK(authorize(request(kAlice, "s3:GetObject", "arn:aws:s3:::Data-bucket/1/test/x"), ps, Semantics{}).outcome ==
        Outcome::ImplicitDeny);
}

TEST_CASE("RS2 a '*' crosses ':' only with resource_wildcard_crosses_colon", "[engine][authorize][RS2]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(
      pol.identity(R"({"Effect":"Allow","Action":"svc:Get","Resource":"arn:aws:svc:*:111122223333:x"})"));
  const Request r = request(kAlice, "svc:Get", "arn:aws:svc:a:b:111122223333:x");
  CHECK(authorize(r, ps, Semantics{}).outcome == Outcome::ImplicitDeny);
  Semantics crossing;
  crossing.resource_wildcard_crosses_colon = true;
  CHECK(authorize(r, ps, crossing).outcome == Outcome::Allow);
  // Within its own part the pattern matches either way.
  CHECK(authorize(request(kAlice, "svc:Get", "arn:aws:svc:eu-west-1:111122223333:x"), ps, Semantics{}).outcome ==
        Outcome::Allow);
}

TEST_CASE("RS4 a resource variable resolves per request; without a value the entry matches nothing",
          "[engine][authorize][RS4][PV3]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(pol.identity(
      R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data-bucket/home/${aws:username}/*"})"));
  CHECK(authorize(request(kAlice, "s3:GetObject", "arn:aws:s3:::data-bucket/home/alice/x"), ps, Semantics{}).outcome ==
        Outcome::Allow);
  CHECK(authorize(request(kAlice, "s3:GetObject", "arn:aws:s3:::data-bucket/home/bob/x"), ps, Semantics{}).outcome ==
        Outcome::ImplicitDeny);
  // A role session has no aws:username.
  PolicyLayers session_ps;
  session_ps.identity.push_back(pol.identity(
      R"({"Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:::data-bucket/home/${aws:username}/*"]})"));
  CHECK(authorize(request(kSession, "s3:GetObject", "arn:aws:s3:::data-bucket/home//x"), session_ps, Semantics{})
            .outcome == Outcome::ImplicitDeny);
  // Under 2008-10-17 the text is literal.
  PolicyLayers old;
  old.identity.push_back(pol.attach(
      R"({"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data-bucket/home/${aws:username}/*"}]})",
      PolicyKind::Identity, "old"));
  CHECK(authorize(request(kAlice, "s3:GetObject", "arn:aws:s3:::data-bucket/home/alice/x"), old, Semantics{}).outcome ==
        Outcome::ImplicitDeny);
  CHECK(authorize(request(kAlice, "s3:GetObject", "arn:aws:s3:::data-bucket/home/${aws:username}/x"), old, Semantics{})
            .outcome == Outcome::Allow);
}

TEST_CASE("RS5 Allow with NotResource grants every other resource", "[engine][authorize][RS5]") {
  Policies pol;
  PolicyLayers ps;
  ps.identity.push_back(
      pol.identity(R"({"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::secret-bucket/*"})"));
  CHECK(authorize(request(kAlice, "s3:GetObject", kObject), ps, Semantics{}).outcome == Outcome::Allow);
  CHECK(authorize(request(kAlice, "s3:GetObject", "arn:aws:s3:::secret-bucket/k"), ps, Semantics{}).outcome ==
        Outcome::ImplicitDeny);
}
