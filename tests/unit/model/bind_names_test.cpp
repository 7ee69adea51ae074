// Stage: model (load), binding. Names are bound after the whole file is read: no section
// or entity has to come before what names it, a bound policy is the named document, and a
// name that names nothing is one error where it is written.
#include <catch2/catch.hpp>
#include <filesystem>

#include "model/load/scenario_loader.hpp"

using namespace iamsim;
using namespace iamsim::model;

namespace {

namespace fs = std::filesystem;
const fs::path data_dir = fs::path(IAMSIM_SOURCE_DIR) / "tests/unit/model/data";

WorldLoad load_text(const std::string& body) {
  return load_world_text("apiVersion: iamsim/v1\n" + body, data_dir / "inline.yaml");
}

std::string all_diagnostics(const WorldLoad& load) {
  std::string all;
  for (const auto& d : load.diagnostics.items()) all += format_diagnostic(d) + "\n";
  return all;
}

}  // namespace

TEST_CASE("scenario: names bind whatever the order of sections and entities", "[model][scenario][bind]") {
  // Everything here is named before it is declared: expectations and the organization
  // first, the policies last; users before their groups, clusters before their roles, a
  // bucket before its key, a target role in an account declared later.
  auto load = load_text(R"(expectations:
  - allow arn:aws:iam::111111111111:user/alice s3:GetObject s3://data/x
  - deny arn:aws:iam::111111111111:role/pia -> arn:aws:iam::222222222222:role/target s3:GetObject s3://data/x
organization:
  id: o-abcdefghij
  management_account: "999999999999"
  root: {accounts: ["111111111111", "222222222222"]}
accounts:
  - id: "111111111111"
    users: [{name: alice, groups: [readers], boundary: read}]
    clusters:
      - name: c
        pod_identity_associations:
          - {namespace: ns, service_account: sa, role: pia,
             target_role: "arn:aws:iam::222222222222:role/target"}
    buckets: [{name: data, encryption: {kms_key: k1}}]
    kms_keys: [{id: k1}]
    groups: [{name: readers, policies: [read]}]
    roles: [{name: pia, trust: FullAWSAccess, policies: [read]}]
  - id: "222222222222"
    roles: [{name: target, trust: FullAWSAccess}]
policies:
  read: {document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:GetObject", Resource: "*"}]}}
)");
  INFO(all_diagnostics(load));
  REQUIRE_FALSE(load.diagnostics.has_errors());
  const World& w = *load.world;
  const User* alice = w.find_user("arn:aws:iam::111111111111:user/alice");
  REQUIRE(alice);
  CHECK(alice->groups == std::vector<std::string>{"readers"});
  REQUIRE(alice->boundary);
  CHECK(alice->boundary->name == "read");
  const auto* association = w.find_pod_identity_association("c", "ns", "sa");
  REQUIRE(association);
  CHECK(association->role_arn == "arn:aws:iam::111111111111:role/pia");
  CHECK(association->target_role_arn == "arn:aws:iam::222222222222:role/target");
  CHECK(w.find_bucket("data")->kms_key_arn == "arn:aws:kms:us-east-1:111111111111:key/k1");
  CHECK(w.in_organization("222222222222"));
  CHECK(w.expectations.size() == 2);
}

TEST_CASE("scenario: a policy bound by name is the named document", "[model][scenario][bind]") {
  auto load = load_text(R"(policies:
  read: {document: {Version: "2012-10-17", Statement: []}}
accounts:
  - id: "111111111111"
    roles: [{name: app, trust: FullAWSAccess, policies: [read, read]}]
)");
  REQUIRE(load.ok());
  const Role* app = load.world->find_role("arn:aws:iam::111111111111:role/app");
  REQUIRE(app);
  REQUIRE(app->policies.size() == 2);
  const PolicyDocument& named = load.world->named_policies.at("read");
  for (const auto& p : app->policies) {
    CHECK(p.name == "read");
    CHECK(p.json_text == named.json_text);
    CHECK(p.origin.line == named.origin.line);  // where the policy is, not where it is named
    CHECK_FALSE(p.by_name);
  }
}

TEST_CASE("scenario: a name that names nothing is one error where it is written", "[model][scenario][bind]") {
  // A role whose trust policy is unknown is left out: the expectation naming the role
  // would have found it otherwise, so its own error follows from the first.
  auto trust = load_text(R"(accounts:
  - id: "111111111111"
    roles: [{name: app, trust: nope}]
)");
  INFO(all_diagnostics(trust));
  REQUIRE(trust.diagnostics.items().size() == 1);
  const Diagnostic& d = trust.diagnostics.items()[0];
  CHECK(d.code == "scenario.unknown-policy");
  CHECK(d.where.line == 4);
  CHECK(d.where.column == 32);
  CHECK_FALSE(trust.world->find_role("arn:aws:iam::111111111111:role/app"));

  // A key policy that names nothing: the default key policy stands in (one error only).
  auto key = load_text(R"(accounts:
  - id: "111111111111"
    kms_keys: [{id: k1, policy: nope}]
)");
  INFO(all_diagnostics(key));
  REQUIRE(key.diagnostics.items().size() == 1);
  CHECK(key.diagnostics.items()[0].code == "scenario.unknown-policy");
  CHECK(key.world->find_key("k1")->policy.name == "default key policy");

  // A policy of `policies:` that is broken is reported once, at its definition.
  auto broken = load_text(R"(policies:
  read: {file: no-such-file.json}
accounts:
  - id: "111111111111"
    roles: [{name: app, trust: FullAWSAccess, policies: [read]}]
)");
  INFO(all_diagnostics(broken));
  REQUIRE(broken.diagnostics.items().size() == 1);
  CHECK(broken.diagnostics.items()[0].code == "scenario.missing-file");
  CHECK(broken.diagnostics.items()[0].where.line == 3);
}
