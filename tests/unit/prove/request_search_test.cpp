// Tests: the proof engine for callers outside the world (docs/proof-engine.md) against the
// ordinary engine. A request it finds must be one authorize allows (it checks that itself and
// throws otherwise); when it finds none, random requests of the same space must all be denied.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <random>

#include "../engine/engine_test_support.hpp"
#include "engine/eval/authorize.hpp"
#include "model/paths/access.hpp"
#include "prove/encode/request_search.hpp"

namespace {

using namespace iamsim;
using prove::Origin;
using prove::OutsiderForm;
using prove::Search;

// How long the differential tests run: IAMSIM_PROVE_DIFF_SECONDS, else a fixed number of rounds.
std::optional<std::chrono::steady_clock::time_point> diff_deadline() {
  const char* s = std::getenv("IAMSIM_PROVE_DIFF_SECONDS");
  if (!s) return std::nullopt;
  return std::chrono::steady_clock::now() + std::chrono::seconds(std::atoi(s));
}

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

prove::RequestSpace space_of(OutsiderForm form, Origin origin, const std::string& glob = "*") {
  prove::RequestSpace s;
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
  const Search none = search(Set{}, OutsiderForm::User);
  CHECK(none.verdict == Search::Verdict::None);
  CHECK(none.missing_grants == std::vector<std::string>{"the resource policy"});  // what keeps it out
  CHECK(none.bounding_denies.empty());
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
  const Search none = search(set, OutsiderForm::Anonymous, Origin::Internet, "private/*");
  CHECK(none.verdict == Search::Verdict::None);
  REQUIRE(none.bounding_denies.size() == 1);  // the Deny, not a missing grant, keeps it out
  CHECK(none.bounding_denies[0].statement == 1);
  CHECK(none.missing_grants.empty());
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

TEST_CASE("C14 ForAllValues on a key sent with one value: vacuous when absent, the operator on the value else",
          "[prove]") {
  auto with = [](const std::string& condition) {
    return Set{bucket_policy(grant_all + R"(,"Condition":)" + condition + "}")};
  };
  // From the internet there is no aws:SourceVpce: ForAllValues holds, ForAnyValue does not.
  const Search all = search(with(R"({"ForAllValues:StringEquals":{"aws:SourceVpce":"vpce-1"}})"),
                            OutsiderForm::Anonymous, Origin::Internet);
  CHECK(all.verdict == Search::Verdict::Found);
  CHECK(all.havoc.empty());
  const Search any = search(with(R"({"ForAnyValue:StringEquals":{"aws:SourceVpce":"vpce-1"}})"),
                            OutsiderForm::Anonymous, Origin::Internet);
  CHECK(any.verdict == Search::Verdict::None);
  CHECK(any.havoc.empty());
  // Through an endpoint outside the world (any id but vpce-1) ForAllValues is the operator on the id.
  CHECK(search(with(R"({"ForAllValues:StringEquals":{"aws:SourceVpce":"vpce-1"}})"), OutsiderForm::Anonymous,
               Origin::OtherEndpoint)
            .verdict == Search::Verdict::None);
  // The negated operators negate each value (C2): any organization but o-aaaa.
  const Search other = search(with(R"({"ForAnyValue:StringNotEquals":{"aws:PrincipalOrgID":"o-aaaa"}})"),
                              OutsiderForm::User, Origin::Internet);
  REQUIRE(other.verdict == Search::Verdict::Found);
  const auto* org = other.request->context.find("aws:principalorgid");
  REQUIRE(org);
  CHECK(org->values[0].text != "o-aaaa");
  CHECK_FALSE(org->values[0].text.empty());  // C16: an empty value is an empty set
}

TEST_CASE("C14 ForAllValues on a list key is not modelled: the candidate is replayed, a Deny with it is havoc",
          "[prove]") {
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
    R"(,"Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}})",
    R"(,"Condition":{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/25"}})",
    R"(,"Condition":{"DateLessThan":{"aws:CurrentTime":"2027-01-01T00:00:00Z"}})",
    R"(,"Condition":{"ForAnyValue:StringLike":{"aws:username":["al*","b?b"]}})",
    R"(,"Condition":{"ForAllValues:StringEquals":{"aws:SourceVpce":"vpce-1"}})",
    R"(,"Condition":{"ForAllValues:StringNotEquals":{"aws:PrincipalOrgID":"o-aaaa"}})",
    R"(,"Condition":{"ForAnyValue:StringNotLike":{"aws:PrincipalOrgID":"o-a*"}})",
    R"(,"Condition":{"ForAnyValue:IpAddress":{"aws:SourceIp":"203.0.113.0/25"}})",
    R"(,"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}})",
    R"(,"Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/al*"}})",
    R"(,"Condition":{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::111111111111:role/app"}})",
    R"(,"Condition":{"StringEqualsIgnoreCase":{"aws:username":"ALICE"}})",
    R"(,"Condition":{"StringNotEqualsIgnoreCase":{"aws:PrincipalOrgID":"O-AAAA"}})",
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
  if (form == OutsiderForm::User) arn = "arn:aws:iam::" + account + ":user/" + pick({"alice", "bob", "Alice"});
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
  if (origin == Origin::Internet) r.context.set("aws:SourceIp", pick({"203.0.113.9", "203.0.113.200", "198.51.100.1"}));
  r.context.set("aws:CurrentTime", pick({"2026-09-01T00:00:00Z", "2027-03-01T00:00:00Z"}));
  if (const std::string mfa = pick({"", "true", "false", "yes"}); !mfa.empty())
    r.context.set("aws:MultiFactorAuthPresent", mfa);  // "yes" is unreadable as a Bool (E10)
  if (origin == Origin::OtherEndpoint) {
    r.context.set("aws:SourceVpce", "vpce-2");
    r.context.set("aws:SourceVpc", "vpc-2");
    r.context.set("aws:VpcSourceIp", "10.0.0.9");
  }
  if (form != OutsiderForm::Anonymous) {
    const std::string org = pick({"", "o-aaaa", "O-AAAA", "o-abbb", "o-zzzz"});
    if (!org.empty()) r.context.set("aws:PrincipalOrgID", org);
    if (form != OutsiderForm::Root) r.context.set("aws:userid", "AIDAEXAMPLE");
  }
  r.fill_derived_keys();
  return r;
}

}  // namespace

// What a differential test saw. count() tallies one search and says whether it found no
// request, which the test then probes with random requests. An unknown answer (Z3's string
// theory may give up) is never "holds", and counted.
struct Tally {
  int found = 0, none = 0, probes = 0, unknown = 0, rounds = 0;
  bool count(const Search& s) {
    if (s.verdict == Search::Verdict::Unknown) ++unknown;
    if (s.verdict == Search::Verdict::Found) ++found;
    if (s.verdict != Search::Verdict::None) return false;
    ++none;
    return true;
  }
  std::string summary(const std::string& what, const std::string& sets) const {
    return what + " differential: " + std::to_string(rounds) + " " + sets + ", " + std::to_string(found) +
           " found (each replayed), " + std::to_string(none) + " none (" + std::to_string(probes) + " probes), " +
           std::to_string(unknown) + " unknown";
  }
};

TEST_CASE("the proof engine and authorize agree on random bucket policies", "[prove][huge]") {
  std::mt19937 rng(20261202);
  Tally t;
  const auto deadline = diff_deadline();
  for (int round = 0; deadline ? std::chrono::steady_clock::now() < *deadline : round < 12; ++round, ++t.rounds) {
    std::string statements;
    const int n = 1 + static_cast<int>(rng() % 3);
    for (int i = 0; i < n; ++i) statements += (i ? "," : "") + random_statement(rng);
    const Set set{bucket_policy(statements)};
    for (OutsiderForm form :
         {OutsiderForm::User, OutsiderForm::Root, OutsiderForm::RoleSession, OutsiderForm::Anonymous})
      for (Origin origin : {Origin::Internet, Origin::OtherEndpoint}) {
        INFO("policy: " << statements << "\nform: " << prove::to_string(form));
        const Search s = search(set, form, origin);  // a request found is checked inside (EngineDisagreement)
        if (!t.count(s)) continue;
        const auto layers = set.layers(form);
        for (int p = 0; p < 25; ++p, ++t.probes) {
          const eval::Request r = random_request(rng, form, origin);
          INFO("probe: " << r.principal.arn << " " << r.resource);
          CHECK(eval::authorize(r, layers.view(), Semantics{}).outcome != eval::Outcome::Allow);
        }
      }
  }
  WARN(t.summary("outsider", "bucket policies"));
  CHECK(t.unknown * 20 <= t.found + t.none);  // rare
  CHECK(t.found > 10);                        // the generator makes both kinds of set
  CHECK(t.none > 10);
  CHECK(t.probes > 250);
}

// ---- a principal of the world: its identity side is its own policies ---------------------

namespace {

constexpr const char* home_account = "111111111111";

std::shared_ptr<const compile::CompiledPolicy> policy_of(const std::string& statements, syntax::PolicyKind kind) {
  return test::compile_ok(R"({"Version":"2012-10-17","Statement":[)" + statements + "]}", kind);
}

// The layers of a world principal's request: each optional, as a world would attach them.
struct WorldSet {
  std::shared_ptr<const compile::CompiledPolicy> identity, boundary, bucket;
  std::vector<std::shared_ptr<const compile::CompiledPolicy>> scp_levels;
  eval::PolicyLayers layers() const {
    eval::PolicyLayers l;
    if (identity) l.identity.push_back({identity.get(), nullptr});
    if (boundary) l.boundary = eval::AttachedPolicy{boundary.get(), nullptr};
    if (bucket) l.resource = eval::AttachedPolicy{bucket.get(), nullptr};
    if (!scp_levels.empty()) {
      l.scp.emplace();
      for (const auto& p : scp_levels) l.scp->push_back({eval::AttachedPolicy{p.get(), nullptr}});
    }
    return l;
  }
};

eval::Principal world_session(bool with_boundary = false) {
  std::string error;
  eval::Principal p = *eval::parse_principal("arn:aws:sts::111111111111:assumed-role/app/s1", error);
  p.role_arn = "arn:aws:iam::111111111111:role/app";
  p.role_path_known = true;
  p.unique_id = "AROAEXAMPLEAPP";
  p.has_boundary = with_boundary;
  return p;
}

prove::RequestSpace world_space(const eval::Principal& who, const std::string& resource_account,
                                Origin origin = Origin::Internet) {
  prove::RequestSpace s;
  s.principal = who;
  s.action = "s3:GetObject";
  s.resource_prefix = "arn:aws:s3:::b/";
  s.resource_account = resource_account;
  s.origin = origin;
  s.world_endpoints = {"vpce-1"};
  s.fixed.set("aws:ResourceAccount", resource_account);
  if (who.is_iam() && who.kind != eval::PrincipalKind::Root) {
    s.fixed.set("aws:PrincipalArn", who.role_arn.empty() ? who.arn : who.role_arn);
    s.fixed.set("aws:PrincipalTag/level", "3");
    s.fixed.set("aws:PrincipalOrgID", "o-home");
  }
  s.fixed.set("aws:PrincipalAccount", who.account);
  return s;
}

Search search_world(const WorldSet& set, const prove::RequestSpace& space) {
  const auto layers = set.layers();
  return prove::find_allowed_request(space, layers.view(), Semantics{}, std::chrono::seconds(120));
}

const std::string read_all = R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"*"})";

}  // namespace

TEST_CASE("E1 the root user of the bucket's account needs no policy; E2 a Deny still stops it", "[prove]") {
  std::string error;
  const eval::Principal root = *eval::parse_principal("arn:aws:iam::111111111111:root", error);
  WorldSet set;
  CHECK(search_world(set, world_space(root, home_account)).verdict == Search::Verdict::Found);
  set.bucket = bucket_policy(
      R"({"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}})");
  const Search s = search_world(set, world_space(root, home_account));
  REQUIRE(s.verdict == Search::Verdict::Found);
  CHECK(s.request->context.find("aws:securetransport")->values[0].text == "true");
  set.bucket = bucket_policy(R"({"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"})");
  CHECK(search_world(set, world_space(root, home_account)).verdict == Search::Verdict::None);
}

TEST_CASE("X1 a principal of another account needs its own allow and the bucket's grant", "[prove]") {
  WorldSet set;
  set.identity = policy_of(read_all, syntax::PolicyKind::Identity);
  CHECK(search_world(set, world_space(world_session(), bucket_account)).verdict == Search::Verdict::None);
  set.bucket = bucket_policy(
      R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/app"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/shared/*"})");
  const Search s = search_world(set, world_space(world_session(), bucket_account));
  REQUIRE(s.verdict == Search::Verdict::Found);
  CHECK(s.request->resource.starts_with("arn:aws:s3:::b/shared/"));
  set.identity.reset();  // E7: the grant alone does not do across accounts
  CHECK(search_world(set, world_space(world_session(), bucket_account)).verdict == Search::Verdict::None);
}

TEST_CASE("E5 in its own account an identity allow or a grant is enough", "[prove]") {
  WorldSet set;
  CHECK(search_world(set, world_space(world_session(), home_account)).verdict == Search::Verdict::None);
  set.bucket = bucket_policy(
      R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/app"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"})");
  CHECK(search_world(set, world_space(world_session(), home_account)).verdict == Search::Verdict::Found);
  set.bucket.reset();
  set.identity = policy_of(read_all, syntax::PolicyKind::Identity);
  CHECK(search_world(set, world_space(world_session(), home_account)).verdict == Search::Verdict::Found);
}

TEST_CASE("E8 a permissions boundary caps what the identity policy allows", "[prove]") {
  WorldSet set;
  set.identity = policy_of(read_all, syntax::PolicyKind::Identity);
  set.boundary = policy_of(R"({"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/pub/*"})",
                           syntax::PolicyKind::Boundary);
  const Search s = search_world(set, world_space(world_session(true), home_account));
  REQUIRE(s.verdict == Search::Verdict::Found);
  CHECK(s.request->resource.starts_with("arn:aws:s3:::b/pub/"));
  auto space = world_space(world_session(true), home_account);
  space.key_glob = "private/*";
  CHECK(search_world(set, space).verdict == Search::Verdict::None);
}

TEST_CASE("E3 every SCP level must allow, and an SCP Deny is final", "[prove]") {
  WorldSet set;
  set.identity = policy_of(read_all, syntax::PolicyKind::Identity);
  const auto full = policy_of(R"({"Effect":"Allow","Action":"*","Resource":"*"})", syntax::PolicyKind::Scp);
  set.scp_levels = {full,
                    policy_of(R"({"Effect":"Allow","Action":"s3:List*","Resource":"*"})", syntax::PolicyKind::Scp)};
  CHECK(search_world(set, world_space(world_session(), home_account)).verdict == Search::Verdict::None);
  set.scp_levels = {full, full};
  CHECK(search_world(set, world_space(world_session(), home_account)).verdict == Search::Verdict::Found);
  set.scp_levels.push_back(policy_of(
      R"({"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}})",
      syntax::PolicyKind::Scp));
  CHECK(search_world(set, world_space(world_session(), home_account)).verdict == Search::Verdict::None);
  auto through = world_space(world_session(), home_account, Origin::WorldEndpoint);
  through.endpoint_id = "vpce-1";
  CHECK(search_world(set, through).verdict == Search::Verdict::Found);
}

TEST_CASE("C1 conditions on the keys the world fixes are decided by eval, any operator", "[prove]") {
  WorldSet set;
  set.identity = policy_of(
      R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"NumericLessThan":{"aws:PrincipalTag/level":"5"}}})",
      syntax::PolicyKind::Identity);
  Search s = search_world(set, world_space(world_session(), home_account));
  CHECK(s.verdict == Search::Verdict::Found);
  CHECK(s.havoc.empty());
  set.identity = policy_of(
      R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"NumericLessThan":{"aws:PrincipalTag/level":"2"}}})",
      syntax::PolicyKind::Identity);
  s = search_world(set, world_space(world_session(), home_account));
  CHECK(s.verdict == Search::Verdict::None);
  CHECK(s.havoc.empty());
  // A tag the principal lacks is absent, not free.
  set.identity = policy_of(
      R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"ml"}}})",
      syntax::PolicyKind::Identity);
  CHECK(search_world(set, world_space(world_session(), home_account)).verdict == Search::Verdict::None);
  // A variable of a fixed key is its value (${aws:PrincipalTag/level}).
  set.identity =
      policy_of(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:PrincipalTag/level}/*"})",
                syntax::PolicyKind::Identity);
  s = search_world(set, world_space(world_session(), home_account));
  REQUIRE(s.verdict == Search::Verdict::Found);
  CHECK(s.request->resource.starts_with("arn:aws:s3:::b/3/"));
}

TEST_CASE("T3 an outsider's sts:AssumeRole on a role whose trust names its account is found", "[prove]") {
  prove::RequestSpace s;
  s.form = OutsiderForm::RoleSession;
  s.action = "sts:AssumeRole";
  s.resource_prefix = "arn:aws:iam::111111111111:role/shared";
  s.exact_resource = true;
  s.resource_account = home_account;
  s.excluded_accounts = {home_account};
  const auto trust = policy_of(R"({"Effect":"Allow","Principal":{"AWS":"444444444444"},"Action":"sts:AssumeRole"})",
                               syntax::PolicyKind::RoleTrust);
  eval::PolicyLayers l;
  l.identity.push_back(model::outsider_identity_policy());
  l.resource = eval::AttachedPolicy{trust.get(), nullptr};
  const Search found = prove::find_allowed_request(s, l.view(), Semantics{}, std::chrono::seconds(120));
  REQUIRE(found.verdict == Search::Verdict::Found);
  CHECK(found.request->principal.account == "444444444444");
  s.form = OutsiderForm::Root;  // T3: the root user cannot call AssumeRole
  CHECK(prove::find_allowed_request(s, l.view(), Semantics{}, std::chrono::seconds(120)).verdict ==
        Search::Verdict::None);
}

// ---- differential: a world principal under random identity, boundary, SCP and bucket policies

namespace {

const std::vector<std::string> world_conditions = {
    "",
    R"(,"Condition":{"NumericLessThan":{"aws:PrincipalTag/level":"5"}})",
    R"(,"Condition":{"NumericGreaterThan":{"aws:PrincipalTag/level":"5"}})",
    R"(,"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-home"}})",
    R"(,"Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"ml"}})",
    R"(,"Condition":{"StringEqualsIfExists":{"aws:SourceVpce":"vpce-1"}})",
    R"(,"Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}})",
    R"(,"Condition":{"Null":{"aws:SourceIp":"false"}})",
    R"(,"Condition":{"Bool":{"aws:SecureTransport":"true"}})",
    R"(,"Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}})",
    R"(,"Condition":{"NotIpAddress":{"aws:SourceIp":["203.0.113.0/25","10.0.0.0/8"]}})",
    R"(,"Condition":{"StringLike":{"s3:ExistingObjectTag/class":"pub*"}})",
    R"(,"Condition":{"DateLessThan":{"aws:CurrentTime":"2027-01-01T00:00:00Z"}})",
    R"(,"Condition":{"DateGreaterThanEquals":{"aws:CurrentTime":"2026-06-01T00:00:00Z"}})",
    R"(,"Condition":{"NumericLessThan":{"aws:EpochTime":"1790000000"}})",
    R"(,"Condition":{"NumericGreaterThan":{"s3:max-keys":"10"}})",
};
const std::vector<std::string> world_resources = {
    R"("Resource":"*")", R"("Resource":"arn:aws:s3:::b/*")", R"("Resource":"arn:aws:s3:::b/pub/*")",
    R"("Resource":"arn:aws:s3:::b/${aws:PrincipalTag/level}/*")", R"("NotResource":"arn:aws:s3:::b/private/*")"};
const std::vector<std::string> world_principals = {
    R"("*")", R"({"AWS":"111111111111"})", R"({"AWS":"arn:aws:iam::111111111111:role/app"})",
    R"({"AWS":"arn:aws:sts::111111111111:assumed-role/app/s1"})", R"({"AWS":"222222222222"})"};

std::string world_statement(std::mt19937& rng, bool with_principal) {
  auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  const bool deny = rng() % 4 == 0;
  std::string st = std::string(R"({"Effect":")") + (deny ? "Deny" : "Allow") + "\",";
  if (with_principal) st += R"("Principal":)" + pick(world_principals) + ",";
  if (with_principal && rng() % 8 == 0)
    st = std::string(R"({"Effect":")") + (deny ? "Deny" : "Allow") +
         R"(","NotPrincipal":{"AWS":"arn:aws:iam::111111111111:role/other"},)";
  return st + pick(actions) + "," + pick(world_resources) + pick(world_conditions) + "}";
}

std::string statements_of(std::mt19937& rng, bool with_principal) {
  std::string out;
  const int n = 1 + static_cast<int>(rng() % 3);
  for (int i = 0; i < n; ++i) out += (i ? "," : "") + world_statement(rng, with_principal);
  return out;
}

eval::Request world_probe(std::mt19937& rng, const prove::RequestSpace& space) {
  auto pick = [&](std::vector<std::string> v) { return v[rng() % v.size()]; };
  eval::Request r;
  r.principal = *space.principal;
  r.set_action("s3:GetObject");
  r.set_resource("arn:aws:s3:::b/" + pick({"pub/a", "private/x", "3/m", "ax1"}));
  r.resource_account = space.resource_account;
  for (const auto& e : space.fixed.entries()) r.context.set(e);
  r.context.set("aws:SecureTransport", pick({"true", "false"}));
  if (space.origin == Origin::Internet)
    r.context.set("aws:SourceIp", pick({"203.0.113.9", "203.0.113.200", "198.51.100.1", "10.1.2.3", "2001:db8::5"}));
  if (space.origin == Origin::WorldEndpoint) r.context.set("aws:SourceVpce", space.endpoint_id);
  if (space.origin == Origin::OtherEndpoint) r.context.set("aws:SourceVpce", "vpce-2");
  if (rng() % 2) r.context.set("s3:ExistingObjectTag/class", pick({"public", "secret"}));
  // One instant for both time keys, as AWS sends them.
  const std::vector<std::pair<std::string, std::string>> times = {{"2026-01-01T00:00:00Z", "1767225600"},
                                                                  {"2026-09-01T00:00:00Z", "1788220800"},
                                                                  {"2027-03-01T00:00:00Z", "1803945600"}};
  const auto& t = times[rng() % times.size()];
  r.context.set("aws:CurrentTime", t.first);
  r.context.set("aws:EpochTime", t.second);
  if (rng() % 2) r.context.set("s3:max-keys", pick({"5", "50"}));
  r.fill_derived_keys();
  return r;
}

}  // namespace

TEST_CASE("the proof engine and authorize agree for a world principal's random layers", "[prove][huge]") {
  const auto deadline = diff_deadline();
  std::mt19937 rng(deadline ? static_cast<unsigned>(std::random_device{}()) : 20261203u);
  Tally t;
  for (; deadline ? std::chrono::steady_clock::now() < *deadline : t.rounds < 200; ++t.rounds) {
    WorldSet set;
    if (rng() % 4) set.identity = policy_of(statements_of(rng, false), syntax::PolicyKind::Identity);
    if (rng() % 3 == 0) set.boundary = policy_of(statements_of(rng, false), syntax::PolicyKind::Boundary);
    if (rng() % 4) set.bucket = bucket_policy(statements_of(rng, true));
    if (rng() % 3 == 0)
      set.scp_levels = {policy_of(R"({"Effect":"Allow","Action":"*","Resource":"*"},)" + statements_of(rng, false),
                                  syntax::PolicyKind::Scp)};
    const bool same = rng() % 2;
    const Origin origin =
        std::vector<Origin>{Origin::Internet, Origin::WorldEndpoint, Origin::OtherEndpoint}[rng() % 3];
    auto space = world_space(world_session(set.boundary != nullptr), same ? home_account : bucket_account, origin);
    if (origin == Origin::WorldEndpoint) space.endpoint_id = "vpce-1";
    const auto layers = set.layers();
    INFO("identity: " << (set.identity ? set.identity->statements.size() : 0) << " statements; round " << t.rounds);
    const Search s = prove::find_allowed_request(space, layers.view(), Semantics{}, std::chrono::seconds(120));
    if (!t.count(s)) continue;
    for (int p = 0; p < 25; ++p, ++t.probes) {
      const eval::Request r = world_probe(rng, space);
      INFO("probe: " << r.resource);
      CHECK(eval::authorize(r, layers.view(), Semantics{}).outcome != eval::Outcome::Allow);
    }
  }
  WARN(t.summary("world-principal", "policy sets"));
  CHECK(t.found > 5);
  CHECK(t.none > 5);
}

// ---- no_new_access: a request one set allows and another denies -------------------------

namespace {

Search search_new(const Set& now, const Set& before, OutsiderForm form, Origin origin = Origin::Internet) {
  const auto layers = now.layers(form);
  const auto old_layers = before.layers(form);
  const eval::PolicySet old_set = old_layers.view();
  const auto space = space_of(form, origin);
  prove::SearchContext context;
  return prove::find_new_request(context, space, layers.view(), space, &old_set, Semantics{},
                                 std::chrono::seconds(120));
}

}  // namespace

TEST_CASE("C12 a widened IP range: the new request is in the added addresses, not the old ones", "[prove]") {
  auto with_range = [](const std::string& cidr) {
    return Set{bucket_policy(grant_all + R"(,"Condition":{"IpAddress":{"aws:SourceIp":")" + cidr + R"("}}})")};
  };
  const Search s = search_new(with_range("203.0.112.0/23"), with_range("203.0.113.0/24"), OutsiderForm::Anonymous);
  REQUIRE(s.verdict == Search::Verdict::Found);
  const auto* ip = s.request->context.find("aws:sourceip");
  REQUIRE(ip);
  CHECK(ip->values[0].text.starts_with("203.0.112."));
  REQUIRE(s.baseline_request);
  CHECK(eval::authorize(*s.baseline_request, with_range("203.0.113.0/24").layers(OutsiderForm::Anonymous).view(),
                        Semantics{})
            .outcome != eval::Outcome::Allow);
  // Narrowed, or the same: nothing new.
  CHECK(search_new(with_range("203.0.113.0/25"), with_range("203.0.113.0/24"), OutsiderForm::Anonymous).verdict ==
        Search::Verdict::None);
  CHECK(search_new(with_range("203.0.113.0/24"), with_range("203.0.113.0/24"), OutsiderForm::User).verdict ==
        Search::Verdict::None);
}

TEST_CASE("C7 an organization pin loosened to a wildcard is new access for other organizations only", "[prove]") {
  auto with_org = [](const std::string& op, const std::string& org) {
    return Set{bucket_policy(grant_all + R"(,"Condition":{")" + op + R"(":{"aws:PrincipalOrgID":")" + org + R"("}}})")};
  };
  const Search s = search_new(with_org("StringLike", "o-a*"), with_org("StringEquals", "o-aaaa"), OutsiderForm::User);
  REQUIRE(s.verdict == Search::Verdict::Found);
  const auto* org = s.request->context.find("aws:principalorgid");
  REQUIRE(org);
  CHECK(org->values[0].text.starts_with("o-a"));
  CHECK(org->values[0].text != "o-aaaa");
  CHECK(search_new(with_org("StringEquals", "o-aaaa"), with_org("StringLike", "o-a*"), OutsiderForm::User).verdict ==
        Search::Verdict::None);
}

TEST_CASE("without a baseline set the baseline allows nothing: every allowed request is new", "[prove]") {
  const Set now{bucket_policy(grant_all + "}")};
  const auto layers = now.layers(OutsiderForm::Anonymous);
  const auto space = space_of(OutsiderForm::Anonymous, Origin::Internet);
  prove::SearchContext context;
  const Search s = prove::find_new_request(context, space, layers.view(), space, nullptr, Semantics{});
  CHECK(s.verdict == Search::Verdict::Found);
  CHECK_FALSE(s.baseline_request);
}

TEST_CASE("the proof engine and authorize agree on what a changed bucket policy newly allows", "[prove][huge]") {
  std::mt19937 rng(20261203);
  Tally t;
  const auto deadline = diff_deadline();
  auto random_set = [&] {
    std::string statements;
    const int n = 1 + static_cast<int>(rng() % 3);
    for (int i = 0; i < n; ++i) statements += (i ? "," : "") + random_statement(rng);
    return std::pair{statements, Set{bucket_policy(statements)}};
  };
  for (int round = 0; deadline ? std::chrono::steady_clock::now() < *deadline : round < 8; ++round, ++t.rounds) {
    auto [old_text, before] = random_set();
    // Half the time NEW is OLD with one statement more, the shape of a real change.
    auto [new_text, now] = random_set();
    if (rng() % 2) {
      new_text = old_text + "," + random_statement(rng);
      now = Set{bucket_policy(new_text)};
    }
    for (OutsiderForm form : {OutsiderForm::User, OutsiderForm::RoleSession, OutsiderForm::Anonymous})
      for (Origin origin : {Origin::Internet, Origin::OtherEndpoint}) {
        INFO("old: " << old_text << "\nnew: " << new_text << "\nform: " << prove::to_string(form));
        const Search s = search_new(now, before, form, origin);  // found: replayed on both sides inside
        if (!t.count(s)) continue;
        const auto layers = now.layers(form);
        const auto old_layers = before.layers(form);
        for (int p = 0; p < 25; ++p, ++t.probes) {
          const eval::Request r = random_request(rng, form, origin);
          INFO("probe: " << r.principal.arn << " " << r.resource);
          const bool newly = eval::authorize(r, layers.view(), Semantics{}).outcome == eval::Outcome::Allow &&
                             eval::authorize(r, old_layers.view(), Semantics{}).outcome != eval::Outcome::Allow;
          CHECK_FALSE(newly);
        }
      }
  }
  WARN(t.summary("no_new_access", "policy pairs"));
  CHECK(t.unknown * 20 <= t.found + t.none);
  CHECK(t.found > 5);
  CHECK(t.none > 5);
}

TEST_CASE("E10 a Bool condition on a value that is not a boolean lets a Deny apply and not an Allow", "[prove]") {
  const std::string mfa = R"(,"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}})";
  const Set allow{bucket_policy(grant_all + mfa + "}")};
  const Search s = search(allow, OutsiderForm::User);
  REQUIRE(s.verdict == Search::Verdict::Found);
  CHECK(s.havoc.empty());
  CHECK(s.request->context.find("aws:multifactorauthpresent")->values[0].text == "true");
  // Deny on the same condition: no value both lets the Allow apply and the Deny not (an
  // unreadable one would apply the Deny), and that is proven, not havoc.
  const Set both{bucket_policy(grant_all + mfa +
                               R"(},{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*")" + mfa + "}")};
  const Search none = search(both, OutsiderForm::User);
  CHECK(none.verdict == Search::Verdict::None);
  CHECK(none.havoc.empty());
}

TEST_CASE("RS4 a resource variable of a key the caller lacks matches nothing; in NotResource a Deny applies (PV7)",
          "[prove]") {
  WorldSet set;
  // The role session has no aws:username: the Allow covers nothing.
  set.identity =
      policy_of(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"})",
                syntax::PolicyKind::Identity);
  Search s = search_world(set, world_space(world_session(), home_account));
  CHECK(s.verdict == Search::Verdict::None);
  CHECK(s.havoc.empty());
  // Its tag is the world's: the Allow covers the tag's prefix.
  set.identity =
      policy_of(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:PrincipalTag/level}/*"})",
                syntax::PolicyKind::Identity);
  s = search_world(set, world_space(world_session(), home_account));
  REQUIRE(s.verdict == Search::Verdict::Found);
  CHECK(s.request->resource.starts_with("arn:aws:s3:::b/3/"));
  // A default stands in for the missing value.
  set.identity =
      policy_of(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username, 'shared'}/*"})",
                syntax::PolicyKind::Identity);
  s = search_world(set, world_space(world_session(), home_account));
  REQUIRE(s.verdict == Search::Verdict::Found);
  CHECK(s.request->resource.starts_with("arn:aws:s3:::b/shared/"));
  // NotResource with it in a Deny: unresolved, so the Deny applies to everything.
  set.identity = policy_of(
      read_all + R"(,{"Effect":"Deny","Action":"s3:GetObject","NotResource":"arn:aws:s3:::b/${aws:username}/*"})",
      syntax::PolicyKind::Identity);
  s = search_world(set, world_space(world_session(), home_account));
  CHECK(s.verdict == Search::Verdict::None);
  CHECK(s.havoc.empty());
}

TEST_CASE("C13 ArnLike on an outsider's aws:PrincipalArn: each part matched, wildcards within it", "[prove]") {
  const Set reader{
      bucket_policy(grant_all + R"(,"Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/reader*"}}})")};
  const Search s = search(reader, OutsiderForm::RoleSession);
  REQUIRE(s.verdict == Search::Verdict::Found);
  CHECK(s.havoc.empty());
  // The role's ARN carries its path, which the session's ARN does not (P1).
  CHECK(s.request->context.find("aws:principalarn")->values[0].text.find(":role/reader") != std::string::npos);
  const Search user = search(reader, OutsiderForm::User);
  CHECK(user.verdict == Search::Verdict::None);
  CHECK(user.havoc.empty());
  // A Deny of every role but one, the data-perimeter shape: only that role's sessions pass.
  const Set perimeter{bucket_policy(
      grant_all +
      R"(},{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::222222222222:role/loader"}}})")};
  const Search only = search(perimeter, OutsiderForm::RoleSession);
  REQUIRE(only.verdict == Search::Verdict::Found);
  CHECK(only.request->principal.role_arn == "arn:aws:iam::222222222222:role/loader");
  CHECK(search(perimeter, OutsiderForm::User).verdict == Search::Verdict::None);
}

TEST_CASE("C7 the IgnoreCase operators fold ASCII letters", "[prove]") {
  const Set alice{bucket_policy(grant_all + R"(,"Condition":{"StringEqualsIgnoreCase":{"aws:username":"ALICE"}}})")};
  const Search s = search(alice, OutsiderForm::User);
  REQUIRE(s.verdict == Search::Verdict::Found);
  CHECK(s.havoc.empty());
  CHECK(ascii_lowered(s.request->principal.name) == "alice");
  const Set not_alice{bucket_policy(
      grant_all +
      R"(},{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringNotEqualsIgnoreCase":{"aws:username":"Alice"}}})")};
  const Search only = search(not_alice, OutsiderForm::User);
  REQUIRE(only.verdict == Search::Verdict::Found);
  CHECK(ascii_lowered(only.request->principal.name) == "alice");
}

// ---- B7, B8: a request and the KMS call S3 makes for it, searched together ---------------

namespace {

constexpr const char* key_arn = "arn:aws:kms:us-east-1:999999999999:key/k1";

std::shared_ptr<const compile::CompiledPolicy> key_policy(const std::string& statements) {
  return test::compile_ok(R"({"Version":"2012-10-17","Statement":[)" + statements + "]}", syntax::PolicyKind::Resource);
}

// The KMS call of an S3 space: the same caller, the key as its resource, made by S3.
prove::RequestSpace call_of(const prove::RequestSpace& s3) {
  prove::RequestSpace k = s3;
  k.action = "kms:Decrypt";
  k.resource_prefix = key_arn;
  k.exact_resource = true;
  k.origin = Origin::ServiceCall;
  k.encrypted_object_prefix = "arn:aws:s3:::b/";
  k.fixed = {};
  k.fixed.set("aws:ResourceAccount", bucket_account);
  k.fixed.set("kms:ViaService", "s3.us-east-1.amazonaws.com");
  return k;
}

Search search_with_key(const Set& bucket, const std::shared_ptr<const compile::CompiledPolicy>& key, OutsiderForm form,
                       Origin origin = Origin::Internet, const std::string& glob = "*") {
  const auto s3 = space_of(form, origin, glob);
  const auto layers = bucket.layers(form);
  Set key_set;
  key_set.bucket = key;
  const auto key_layers = key_set.layers(form);
  prove::SearchContext context;
  return prove::find_request_with_service_call(context, s3, layers.view(), call_of(s3), key_layers.view(), Semantics{},
                                               std::chrono::seconds(120));
}

// The KMS call S3 makes for `r`, written from B8: the keys of the caller's credentials, the
// time and the transport carry over; S3 adds kms:ViaService, kms:CallerAccount, the object as
// the encryption context, and aws:ViaAWSService.
eval::Request kms_call_for(const eval::Request& r) {
  eval::Request k;
  k.principal = r.principal;
  k.set_action("kms:Decrypt");
  k.set_resource(key_arn);
  k.resource_account = bucket_account;
  for (const auto& e : r.context.entries())
    if (model::reaches_service_call(e.key)) k.context.set(e);
  k.context.set("aws:ResourceAccount", bucket_account);
  k.context.set("kms:ViaService", "s3.us-east-1.amazonaws.com");
  k.context.set("kms:CallerAccount", r.principal.account);
  k.context.set("kms:EncryptionContext:aws:s3:arn", r.resource);
  k.context.set("aws:ViaAWSService", "true");
  k.fill_derived_keys();
  return k;
}

const std::string decrypt_all = R"({"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*")";

}  // namespace

TEST_CASE("B8 the KMS call shares the caller's keys with the request, not the network keys", "[prove]") {
  const Set open{bucket_policy(grant_all + "}")};
  // MFA reaches the KMS call: the key's MFA condition makes the request carry it.
  const Search mfa =
      search_with_key(open, key_policy(decrypt_all + R"(,"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}})"),
                      OutsiderForm::User);
  REQUIRE(mfa.verdict == Search::Verdict::Found);
  CHECK(mfa.request->context.find("aws:multifactorauthpresent")->values[0].text == "true");
  REQUIRE(mfa.service_call);
  CHECK(mfa.service_call->context.find("aws:multifactorauthpresent")->values[0].text == "true");
  // One value for both calls: the bucket's Deny on MFA and the key's need of it exclude each other.
  const Set deny_mfa{bucket_policy(
      grant_all +
      R"(},{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}})")};
  CHECK(search_with_key(deny_mfa,
                        key_policy(decrypt_all + R"(,"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}})"),
                        OutsiderForm::User)
            .verdict == Search::Verdict::None);
  // aws:SourceIp does not reach the call: a key that asks for an address never allows it.
  CHECK(search_with_key(open, key_policy(decrypt_all + R"(,"Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}})"),
                        OutsiderForm::User)
            .verdict == Search::Verdict::None);
  // aws:ViaAWSService is true on it, kms:ViaService is S3's.
  CHECK(search_with_key(open, key_policy(decrypt_all + R"(,"Condition":{"Bool":{"aws:ViaAWSService":"true"}}})"),
                        OutsiderForm::User)
            .verdict == Search::Verdict::Found);
  CHECK(
      search_with_key(open,
                      key_policy(decrypt_all +
                                 R"(,"Condition":{"StringEquals":{"kms:ViaService":"ec2.us-east-1.amazonaws.com"}}})"),
                      OutsiderForm::User)
          .verdict == Search::Verdict::None);
}

TEST_CASE("B8 the encryption context of the KMS call is the request's object", "[prove]") {
  const Set open{bucket_policy(grant_all + "}")};
  const auto pub = key_policy(
      decrypt_all + R"(,"Condition":{"StringLike":{"kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::b/pub/*"}}})");
  const Search found = search_with_key(open, pub, OutsiderForm::User);
  REQUIRE(found.verdict == Search::Verdict::Found);
  CHECK(found.request->resource.starts_with("arn:aws:s3:::b/pub/"));
  CHECK(search_with_key(open, pub, OutsiderForm::User, Origin::Internet, "private/*").verdict == Search::Verdict::None);
  // kms:CallerAccount is the caller's account: pinned to the bucket's, no outsider has it.
  CHECK(search_with_key(open,
                        key_policy(decrypt_all + R"(,"Condition":{"StringEquals":{"kms:CallerAccount":")" +
                                   bucket_account + R"("}}})"),
                        OutsiderForm::User)
            .verdict == Search::Verdict::None);
}

TEST_CASE("the proof engine and authorize agree on a request and its KMS call", "[prove][huge]") {
  std::mt19937 rng(20261204);
  Tally t;
  const auto deadline = diff_deadline();
  const std::vector<std::string> key_conditions = {
      "",
      R"(,"Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}})",
      R"(,"Condition":{"StringEquals":{"kms:CallerAccount":"111111111111"}})",
      R"(,"Condition":{"StringLike":{"kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::b/pub/*"}})",
      R"(,"Condition":{"Bool":{"aws:ViaAWSService":"false"}})",
      R"(,"Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}})",
  };
  auto random_key_statement = [&] {
    auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
    const bool deny = rng() % 4 == 0;
    const std::string action = pick({R"("Action":"kms:Decrypt")", R"("Action":"kms:*")", R"("Action":"kms:Encrypt")"});
    const std::string condition = rng() % 2 ? pick(key_conditions) : pick(conditions);
    return std::string(R"({"Effect":")") + (deny ? "Deny" : "Allow") + R"(","Principal":)" + pick(principals) + "," +
           action + R"(,"Resource":"*")" + condition + "}";
  };
  for (int round = 0; deadline ? std::chrono::steady_clock::now() < *deadline : round < 20; ++round, ++t.rounds) {
    std::string bucket_text, key_text;
    for (int i = 0, n = 1 + static_cast<int>(rng() % 2); i < n; ++i)
      bucket_text += (i ? "," : "") + random_statement(rng);
    for (int i = 0, n = 1 + static_cast<int>(rng() % 2); i < n; ++i)
      key_text += (i ? "," : "") + random_key_statement();
    const Set bucket{bucket_policy(bucket_text)};
    const auto key = key_policy(key_text);
    for (OutsiderForm form : {OutsiderForm::User, OutsiderForm::RoleSession})
      for (Origin origin : {Origin::Internet, Origin::OtherEndpoint}) {
        INFO("bucket: " << bucket_text << "\nkey: " << key_text << "\nform: " << prove::to_string(form));
        const Search s = search_with_key(bucket, key, form, origin);  // found: both replayed inside
        if (!t.count(s)) continue;
        const auto layers = bucket.layers(form);
        Set key_set;
        key_set.bucket = key;
        const auto key_layers = key_set.layers(form);
        for (int p = 0; p < 25; ++p, ++t.probes) {
          const eval::Request r = random_request(rng, form, origin);
          INFO("probe: " << r.principal.arn << " " << r.resource);
          const bool both =
              eval::authorize(r, layers.view(), Semantics{}).outcome == eval::Outcome::Allow &&
              eval::authorize(kms_call_for(r), key_layers.view(), Semantics{}).outcome == eval::Outcome::Allow;
          CHECK_FALSE(both);
        }
      }
  }
  WARN(t.summary("KMS call", "bucket and key policy pairs"));
  CHECK(t.unknown * 20 <= t.found + t.none);
  CHECK(t.found > 2);
  CHECK(t.none > 2);
}
