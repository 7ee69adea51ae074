// Tests: the proof engine for callers outside the world (docs/proof-engine.md) against the
// ordinary engine. A request it finds must be one authorize allows (it checks that itself and
// throws otherwise); when it finds none, random requests of the same space must all be denied.
#include <catch2/catch.hpp>

#include <random>

#include "../engine/engine_test_support.hpp"
#include "engine/eval/authorize.hpp"
#include "model/paths/access.hpp"
#include "prove/encode/outsider_search.hpp"

namespace {

using namespace iamsim;
using prove::Origin;
using prove::OutsiderForm;
using prove::Search;

constexpr const char* bucket_account = "999999999999";

struct Set {
  Set() = default;
  explicit Set(std::shared_ptr<const compile::CompiledPolicy> b) : bucket(std::move(b)) {}
  std::shared_ptr<const compile::CompiledPolicy> bucket, endpoint;
  eval::PolicyLayers layers(OutsiderForm form) const {
    eval::PolicyLayers l;
    if (form != OutsiderForm::Anonymous) l.identity.push_back(model::outsider_identity_policy());
    if (bucket) l.resource = eval::AttachedPolicy{bucket.get(), nullptr};
    if (endpoint) l.vpc_endpoint = eval::AttachedPolicy{endpoint.get(), nullptr};
    return l;
  }
};

prove::OutsiderSpace space_of(OutsiderForm form, Origin origin, const std::string& glob = "*") {
  prove::OutsiderSpace s;
  s.form = form;
  s.action = "s3:GetObject";
  s.resource_prefix = "arn:aws:s3:::b/";
  s.key_glob = glob;
  s.resource_account = bucket_account;
  s.excluded_accounts = {bucket_account};
  s.excluded_org_ids = {"o-home"};
  s.origin = origin;
  s.world_endpoints = {"vpce-1"};
  s.fixed.set("aws:ResourceAccount", bucket_account);
  return s;
}

std::shared_ptr<const compile::CompiledPolicy> bucket_policy(const std::string& statements) {
  return test::compile_ok(R"({"Version":"2012-10-17","Statement":[)" + statements + "]}", syntax::PolicyKind::Resource);
}

Search search(const Set& set, OutsiderForm form, Origin origin = Origin::Internet, const std::string& glob = "*") {
  const auto layers = set.layers(form);
  return prove::find_allowed_request(space_of(form, origin, glob), layers.view(), Semantics{},
                                     std::chrono::seconds(120));
}

const std::string grant_all =
    R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*")";

}  // namespace

TEST_CASE("X1/E5 an outsider needs a grant of the bucket policy", "[prove]") {
  CHECK(search(Set{}, OutsiderForm::User).verdict == Search::Verdict::None);
  const Set other{bucket_policy(
      R"({"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"})")};
  const Search found = search(other, OutsiderForm::User);
  REQUIRE(found.verdict == Search::Verdict::Found);
  CHECK(found.request->principal.account == "111111111111");  // the only account granted
  CHECK(search(other, OutsiderForm::Anonymous).verdict == Search::Verdict::None);
}

TEST_CASE("E2 a Deny of the bucket policy keeps outsiders out of the prefix it covers", "[prove]") {
  const Set set{bucket_policy(
      grant_all + R"(},{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/private/*"})")};
  CHECK(search(set, OutsiderForm::Anonymous, Origin::Internet, "private/*").verdict == Search::Verdict::None);
  const Search found = search(set, OutsiderForm::Anonymous, Origin::Internet, "*");
  REQUIRE(found.verdict == Search::Verdict::Found);
  CHECK_FALSE(found.request->resource.starts_with("arn:aws:s3:::b/private/"));
}

TEST_CASE("C7 StringLike on aws:PrincipalOrgID with a wildcard admits another organization", "[prove]") {
  const Set like{bucket_policy(grant_all + R"(,"Condition":{"StringLike":{"aws:PrincipalOrgID":"o-home*"}}})")};
  const Search found = search(like, OutsiderForm::RoleSession);
  REQUIRE(found.verdict == Search::Verdict::Found);
  const auto* org = found.request->context.find("aws:principalorgid");
  REQUIRE(org);
  CHECK(org->values[0].text != "o-home");
  CHECK(org->values[0].text.starts_with("o-home"));
  const Set equals{bucket_policy(grant_all + R"(,"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-home"}}})")};
  CHECK(search(equals, OutsiderForm::RoleSession).verdict == Search::Verdict::None);
  CHECK(search(equals, OutsiderForm::Anonymous).verdict == Search::Verdict::None);  // C4: no org key
}

TEST_CASE("C4 StringNotEquals on a key the request lacks is true", "[prove]") {
  const Set set{bucket_policy(grant_all + R"(,"Condition":{"StringNotEquals":{"aws:PrincipalTag/blocked":"yes"}}})")};
  const Search found = search(set, OutsiderForm::Anonymous);
  REQUIRE(found.verdict == Search::Verdict::Found);
  CHECK_FALSE(found.request->context.has("aws:PrincipalTag/blocked"));
}

TEST_CASE("C5 an IfExists operator holds when the key is absent (the internet has no endpoint)", "[prove]") {
  const Set set{bucket_policy(grant_all + R"(,"Condition":{"StringEqualsIfExists":{"aws:SourceVpce":"vpce-1"}}})")};
  const Search found = search(set, OutsiderForm::Anonymous, Origin::Internet);
  REQUIRE(found.verdict == Search::Verdict::Found);
  CHECK(search(set, OutsiderForm::Anonymous, Origin::OtherEndpoint).verdict == Search::Verdict::None);
  const Set plain{bucket_policy(grant_all + R"(,"Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}}})")};
  CHECK(search(plain, OutsiderForm::Anonymous, Origin::Internet).verdict == Search::Verdict::None);
}

TEST_CASE("C14 ForAllValues is not modelled: the candidate is replayed, and a Deny with it is havoc", "[prove]") {
  const Set allow{bucket_policy(grant_all + R"(,"Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}})")};
  const Search found = search(allow, OutsiderForm::Anonymous);
  CHECK(found.verdict == Search::Verdict::Found);  // GetObject sends no tag keys: vacuously true
  CHECK_FALSE(found.havoc.empty());
  const Set deny{bucket_policy(
      grant_all +
      R"(},{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["x"]}}})")};
  CHECK(search(deny, OutsiderForm::Anonymous).verdict == Search::Verdict::Found);
}

TEST_CASE("P8 Allow with NotPrincipal is havoc, and its candidate is decided by authorize", "[prove]") {
  const Set set{bucket_policy(
      R"({"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"})")};
  const Search found = search(set, OutsiderForm::Anonymous);
  REQUIRE(found.verdict == Search::Verdict::Found);
  CHECK_FALSE(found.havoc.empty());
}

TEST_CASE("V1 a VPC endpoint policy must allow too", "[prove]") {
  Set set{bucket_policy(grant_all + "}")};
  set.endpoint = bucket_policy(
      R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/public/*"})");
  auto s = space_of(OutsiderForm::Anonymous, Origin::WorldEndpoint);
  s.endpoint_id = "vpce-1";
  const auto layers = set.layers(OutsiderForm::Anonymous);
  const Search found = prove::find_allowed_request(s, layers.view(), Semantics{}, std::chrono::seconds(120));
  REQUIRE(found.verdict == Search::Verdict::Found);
  CHECK(found.request->resource.starts_with("arn:aws:s3:::b/public/"));
  s.key_glob = "private/*";
  CHECK(prove::find_allowed_request(s, layers.view(), Semantics{}, std::chrono::seconds(120)).verdict ==
        Search::Verdict::None);
}

// ---- differential: random bucket policies, probed where no request was found -------------

namespace {

const std::vector<std::string> principals = {
    R"("*")", R"({"AWS":"111111111111"})", R"({"AWS":"arn:aws:iam::111111111111:root"})",
    R"({"AWS":"arn:aws:iam::222222222222:user/alice"})", R"({"AWS":"arn:aws:iam::222222222222:role/app"})"};
const std::vector<std::string> actions = {R"("Action":"s3:GetObject")", R"("Action":"s3:*")", R"("Action":"s3:Get*")",
                                          R"("NotAction":"s3:Delete*")", R"("Action":"s3:PutObject")"};
const std::vector<std::string> resources = {R"("Resource":"arn:aws:s3:::b/*")", R"("Resource":"arn:aws:s3:::b/pub/*")",
                                            R"("Resource":"arn:aws:s3:::b/?x*")",
                                            R"("NotResource":"arn:aws:s3:::b/private/*")"};
const std::vector<std::string> conditions = {
    "",
    R"(,"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-aaaa"}})",
    R"(,"Condition":{"StringLike":{"aws:PrincipalOrgID":"o-a*"}})",
    R"(,"Condition":{"StringNotEquals":{"aws:PrincipalAccount":"111111111111"}})",
    R"(,"Condition":{"StringEqualsIfExists":{"aws:SourceVpce":"vpce-1"}})",
    R"(,"Condition":{"Null":{"aws:SourceVpce":"true"}})",
    R"(,"Condition":{"Null":{"aws:PrincipalOrgID":"false"}})",
    R"(,"Condition":{"Bool":{"aws:SecureTransport":"false"}})",
    R"(,"Condition":{"StringLike":{"aws:username":"al*"}})",
    R"(,"Condition":{"StringNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/*"}})",
};

std::string random_statement(std::mt19937& rng) {
  auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  const bool deny = rng() % 3 == 0;
  return std::string(R"({"Effect":")") + (deny ? "Deny" : "Allow") + R"(","Principal":)" + pick(principals) + "," +
         pick(actions) + "," + pick(resources) + pick(conditions) + "}";
}

// A request of the search's space: its form, an account other than the bucket's, the origin's keys.
eval::Request random_request(std::mt19937& rng, OutsiderForm form, Origin origin) {
  auto pick = [&](std::vector<std::string> v) { return v[rng() % v.size()]; };
  const std::string account = pick({"111111111111", "222222222222", "333333333333"});
  std::string arn = "anonymous";
  if (form == OutsiderForm::User) arn = "arn:aws:iam::" + account + ":user/" + pick({"alice", "bob"});
  if (form == OutsiderForm::Root) arn = "arn:aws:iam::" + account + ":root";
  if (form == OutsiderForm::RoleSession) arn = "arn:aws:sts::" + account + ":assumed-role/app/s1";
  eval::Request r;
  std::string error;
  r.principal = *eval::parse_principal(arn, error);
  r.set_action("s3:GetObject");
  r.set_resource("arn:aws:s3:::b/" + pick({"pub/a", "private/x", "ax1", "zz"}));
  r.resource_account = bucket_account;
  r.context.set("aws:ResourceAccount", bucket_account);
  r.context.set("aws:SecureTransport", pick({"true", "false"}));
  if (origin == Origin::Internet) r.context.set("aws:SourceIp", "203.0.113.9");
  if (origin == Origin::OtherEndpoint) {
    r.context.set("aws:SourceVpce", "vpce-2");
    r.context.set("aws:SourceVpc", "vpc-2");
    r.context.set("aws:VpcSourceIp", "10.0.0.9");
  }
  if (form != OutsiderForm::Anonymous) {
    const std::string org = pick({"", "o-aaaa", "o-abbb", "o-zzzz"});
    if (!org.empty()) r.context.set("aws:PrincipalOrgID", org);
    if (form != OutsiderForm::Root) r.context.set("aws:userid", "AIDAEXAMPLE");
  }
  r.fill_derived_keys();
  return r;
}

}  // namespace

TEST_CASE("the proof engine and authorize agree on random bucket policies", "[prove][huge]") {
  std::mt19937 rng(20261202);
  int found = 0, none = 0, probes = 0;
  for (int round = 0; round < 12; ++round) {
    std::string statements;
    const int n = 1 + static_cast<int>(rng() % 3);
    for (int i = 0; i < n; ++i) statements += (i ? "," : "") + random_statement(rng);
    const Set set{bucket_policy(statements)};
    for (OutsiderForm form :
         {OutsiderForm::User, OutsiderForm::Root, OutsiderForm::RoleSession, OutsiderForm::Anonymous})
      for (Origin origin : {Origin::Internet, Origin::OtherEndpoint}) {
        INFO("policy: " << statements << "\nform: " << prove::to_string(form));
        const Search s = search(set, form, origin);  // a request found is checked inside (EngineDisagreement)
        REQUIRE(s.verdict != Search::Verdict::Unknown);
        if (s.verdict == Search::Verdict::Found) {
          ++found;
          continue;
        }
        ++none;
        const auto layers = set.layers(form);
        for (int p = 0; p < 25; ++p, ++probes) {
          const eval::Request r = random_request(rng, form, origin);
          INFO("probe: " << r.principal.arn << " " << r.resource);
          CHECK(eval::authorize(r, layers.view(), Semantics{}).outcome != eval::Outcome::Allow);
        }
      }
  }
  CHECK(found > 10);  // the generator makes both kinds of set
  CHECK(none > 10);
  CHECK(probes > 250);
}
