// Stage: model (load). Scenario errors and defaults checked on small inline scenarios: each
// names its code, line and column, and what is wrong.
#include <catch2/catch.hpp>
#include <filesystem>

#include "model/load/scenario_loader.hpp"
#include "model/load/yaml_support.hpp"

using namespace iamsim;
using namespace iamsim::model;

namespace {

namespace fs = std::filesystem;
const fs::path data_dir = fs::path(IAMSIM_SOURCE_DIR) / "tests/unit/model/data";

WorldLoad load_text(const std::string& body) {
  return load_world_text("apiVersion: iamsim/v1\n" + body, data_dir / "inline.yaml");
}

// The only error of a scenario; line numbers count the apiVersion line as 1.
Diagnostic only_error(const WorldLoad& load) {
  std::vector<Diagnostic> errors;
  std::string all;
  for (const auto& d : load.diagnostics.items()) {
    all += format_diagnostic(d) + "\n";
    if (d.severity == Severity::Error) errors.push_back(d);
  }
  INFO(all);
  REQUIRE(errors.size() == 1);
  return errors[0];
}

void check_error(const std::string& body, const std::string& code, int line, int column) {
  auto e = only_error(load_text(body));
  INFO(e.message);
  CHECK(e.code == code);
  CHECK(e.where.line == line);
  CHECK(e.where.column == column);
}

}  // namespace

TEST_CASE("scenario: unknown field is an error with line and column", "[model][scenario]") {
  check_error("acounts: []\n", "scenario.unknown-field", 2, 1);
  check_error("accounts:\n  - id: \"111111111111\"\n    bucket: []\n", "scenario.unknown-field", 4, 5);
  check_error("organization: {id: o-abcdefghij, management_account: '999999999999', root: {unit: []}}\n",
              "scenario.unknown-field", 2, 77);
  check_error(
      "expectations:\n  - {principal: anonymous, action: s3:GetObject, resource: '*', expect: "
      "deny, "
      "when: now}\n",
      "scenario.unknown-field", 3, 79);
}

TEST_CASE("T13 scenario: a chain hop of the long form names a role", "[model][scenario][T13]") {
  check_error(
      "expectations:\n  - {principal: anonymous, chain: [{role: 'arn:aws:iam::111111111111:user/x'}], action: "
      "s3:GetObject, resource: '*', expect: deny}\n",
      "scenario.bad-arn", 3, 43);
}

TEST_CASE("scenario: a field given twice is an error", "[model][scenario]") {
  check_error("accounts: []\naccounts: []\n", "scenario.duplicate-field", 3, 1);
}

TEST_CASE("scenario: wrong types name what was wanted", "[model][scenario]") {
  auto e = only_error(load_text("accounts:\n  - id: [1]\n"));
  CHECK(e.code == "scenario.wrong-type");
  CHECK(e.message == "account id must be a string, found a list");
  check_error("accounts:\n  - \"111111111111\"\n", "scenario.wrong-type", 3, 5);
  check_error(
      "accounts:\n  - id: \"111111111111\"\n    roles: [{name: r, trust: FullAWSAccess, "
      "service_linked: maybe}]\n",
      "scenario.wrong-type", 4, 61);
  check_error("accounts:\n  - id: \"111111111111\"\n    roles: [{name: r, trust: {document: [1]}}]\n",
              "scenario.wrong-type", 4, 41);
  check_error("accounts:\n  - id: \"111111111111\"\n    roles: [{name: r, trust: 3}]\n", "scenario.unknown-policy", 4,
              30);
  check_error("expectations:\n  - [deny]\n", "scenario.wrong-type", 3, 5);
  check_error("defaults: {context: {aws:SourceIp: {a: b}}}\n", "scenario.wrong-type", 2, 36);
}

TEST_CASE("scenario: a policy is a name, a file or a document, not both", "[model][scenario]") {
  check_error("policies:\n  p: {file: x.json, document: {}}\n", "scenario.bad-policy", 3, 6);
  check_error("policies:\n  p: FullAWSAccess\n", "scenario.wrong-type", 3, 6);
  check_error("policies:\n  FullAWSAccess: {document: {}}\n", "scenario.duplicate-policy", 3, 3);
  // A broken named policy is reported once, not again where it is used.
  check_error(
      "policies:\n  p: {file: missing.json}\naccounts:\n  - id: \"111111111111\"\n"
      "    roles: [{name: r, trust: p}]\n",
      "scenario.missing-file", 3, 13);
}

TEST_CASE("scenario: IAM names and paths are checked", "[model][scenario]") {
  check_error(
      "accounts:\n  - id: \"111111111111\"\n    roles: [{name: 'bad name', trust: "
      "FullAWSAccess}]\n",
      "scenario.bad-name", 4, 20);
  check_error("accounts:\n  - id: \"111111111111\"\n    users: [{name: u, path: no-slash}]\n", "scenario.bad-path", 4,
              29);
  check_error("accounts:\n  - id: \"111111111111\"\n    buckets: [{name: Upper_Case}]\n", "scenario.bad-name", 4, 22);
  check_error("accounts:\n  - id: \"111111111111\"\n    vpc_endpoints: [{id: ep-1, service: s3}]\n",
              "scenario.bad-name", 4, 26);
  check_error(
      "accounts:\n  - id: \"111111111111\"\n    kms_keys: [{id: "
      "'arn:aws:kms:us-east-1:111111111111:key/x'}]\n",
      "scenario.bad-name", 4, 21);
}

TEST_CASE("scenario: a user's groups must exist in its account", "[model][scenario]") {
  check_error("accounts:\n  - id: \"111111111111\"\n    users: [{name: u, groups: [admins]}]\n",
              "scenario.unknown-group", 4, 32);
}

TEST_CASE("scenario: bad values", "[model][scenario]") {
  check_error("defaults: {current_time: yesterday}\n", "scenario.bad-value", 2, 26);
  // One timestamp parser (issue 8 item 14): the shape alone is not enough, the instant must exist.
  check_error("defaults: {current_time: '2024-13-45T99:99:99Z'}\n", "scenario.bad-value", 2, 26);
  check_error("defaults: {current_time: '2023-02-29T00:00:00Z'}\n", "scenario.bad-value", 2, 26);
  check_error("defaults: {current_time: '1700000000'}\n", "scenario.bad-value", 2, 26);
  check_error("organization: {id: org-1, management_account: '999999999999'}\n", "scenario.bad-value", 2, 20);
  check_error("accounts:\n  - id: \"111111111111\"\n    oidc_providers: [{url: oidc.example.com}]\n",
              "scenario.bad-value", 4, 28);
  check_error("accounts:\n  - id: \"111111111111\"\n    buckets: [{name: b12, region: mars}]\n", "scenario.bad-value",
              4, 35);
}

TEST_CASE("scenario: long-form expectation fields point inside the text", "[model][scenario]") {
  check_error(
      "expectations:\n  - principal: anonymous\n    action: s3:Get*\n    resource: '*'\n"
      "    expect: deny\n",
      "scenario.bad-action", 4, 19);
  check_error(
      "expectations:\n  - principal: anonymous\n    action: s3:GetObject\n"
      "    resource: 's3://ab'\n    expect: deny\n",
      "scenario.bad-resource", 5, 21);
  check_error(
      "expectations:\n  - principal: anonymous\n    action: s3:GetObject\n    resource: '*'\n"
      "    expect: allowed\n",
      "scenario.bad-expect", 6, 13);
  check_error("expectations:\n  - principal: anonymous\n    action: s3:GetObject\n    expect: deny\n",
              "scenario.missing-field", 3, 5);
}

TEST_CASE("scenario: an expectation naming an unknown workload or user", "[model][scenario]") {
  check_error(
      "accounts:\n  - id: \"111111111111\"\n    clusters: [{name: c}]\n"
      "expectations:\n  - deny workload:c/default/web s3:ListAllMyBuckets *\n",
      "scenario.unknown-workload", 6, 10);
  check_error(
      "accounts: [{id: \"111111111111\"}]\n"
      "expectations:\n  - deny arn:aws:iam::111111111111:user/eve s3:ListAllMyBuckets *\n",
      "scenario.unknown-user", 4, 10);
}

TEST_CASE("scenario: a bucket key is an id of its account or an ARN", "[model][scenario]") {
  auto ok = load_text(R"(accounts:
  - id: "111111111111"
    buckets:
      - name: by-arn
        encryption: {kms_key: "arn:aws:kms:eu-west-1:222222222222:key/k2"}
  - id: "222222222222"
    kms_keys: [{id: k2, region: eu-west-1, aws_managed: true}]
)");
  REQUIRE(ok.ok());
  CHECK(ok.world->find_bucket("by-arn")->kms_key_arn == "arn:aws:kms:eu-west-1:222222222222:key/k2");
  const KmsKey* key = ok.world->find_key("k2");
  CHECK(key->aws_managed);
  CHECK(key->policy.json_text.find("kms:ViaService") != std::string::npos);

  // A bare id means a key of the bucket's own account.
  check_error(R"(accounts:
  - id: "111111111111"
    buckets: [{name: by-id, encryption: {kms_key: k2}}]
  - id: "222222222222"
    kms_keys: [{id: k2}]
)",
              "scenario.unknown-key", 4, 51);
  check_error(
      "accounts:\n  - id: \"111111111111\"\n    buckets: [{name: b12, encryption: {kms_key: "
      "'arn:aws:s3:::x'}}]\n",
      "scenario.bad-arn", 4, 49);
}

TEST_CASE("K5 Pod Identity associations: a role by name, one per service account", "[model][scenario]") {
  auto ok = load_text(R"(accounts:
  - id: "111111111111"
    roles: [{name: pia, trust: FullAWSAccess}, {name: target, path: /t/, trust: FullAWSAccess}]
    clusters:
      - name: c
        pod_identity_associations:
          - {namespace: ns, service_account: sa, role: pia, target_role: target, disable_session_tags: true}
)");
  REQUIRE_FALSE(ok.diagnostics.has_errors());
  // EKS takes an association before its service account exists: a warning.
  REQUIRE(ok.diagnostics.items().size() == 1);
  CHECK(ok.diagnostics.items()[0].code == "scenario.unknown-service-account");
  const auto* p = ok.world->find_pod_identity_association("c", "ns", "sa");
  REQUIRE(p);
  CHECK(p->role_arn == "arn:aws:iam::111111111111:role/pia");
  CHECK(p->target_role_arn == "arn:aws:iam::111111111111:role/t/target");
  CHECK(p->disable_session_tags);

  check_error(R"(accounts:
  - id: "111111111111"
    roles: [{name: pia, trust: FullAWSAccess}]
    clusters:
      - name: c
        pod_identity_associations:
          - {namespace: ns, service_account: sa, role: pia}
          - {namespace: ns, service_account: sa, role: pia}
)",
              "scenario.duplicate-association", 9, 13);
}

TEST_CASE("scenario: organization defaults and checks", "[model][scenario]") {
  auto load = load_text(R"(organization:
  id: o-abcdefghij
  management_account: "999999999999"
  root:
    units:
      - name: a
        scps: []
        accounts: ["111111111111"]
accounts:
  - id: "111111111111"
  - id: "222222222222"
    scps: [FullAWSAccess]
)");
  REQUIRE_FALSE(load.diagnostics.has_errors());
  const World& w = *load.world;
  // Nodes without scps: get FullAWSAccess, as AWS attaches it; an explicit [] stays empty.
  CHECK(w.organization->units[0].scps.size() == 1);
  CHECK(w.organization->units[1].scps.empty());
  CHECK(w.find_account("111111111111")->scps.size() == 1);
  // SCPs on an account outside the organization do nothing: a warning.
  REQUIRE(load.diagnostics.items().size() == 1);
  CHECK(load.diagnostics.items()[0].code == "scenario.scp-outside-organization");
  CHECK_FALSE(w.in_organization("222222222222"));

  check_error(
      "organization:\n  id: o-abcdefghij\n  management_account: \"999999999999\"\n  root:\n"
      "    units: [{name: a}, {name: a}]\n",
      "scenario.duplicate-unit", 6, 31);
  check_error("organization: {id: o-abcdefghij, management_account: \"99\"}\n", "scenario.bad-account-id", 2, 54);
}

TEST_CASE("scenario: world defaults", "[model][scenario]") {
  auto plain = load_text("accounts: []\n");
  REQUIRE(plain.ok());
  CHECK(plain.world->defaults.secure_transport);
  CHECK(plain.world->defaults.current_time.empty());
  CHECK(plain.world->scenario_name == "inline");

  auto set = load_text("defaults: {current_time: '2024-01-02T03:04:05.5+01:00', secure_transport: false}\n");
  REQUIRE(set.ok());
  CHECK(set.world->defaults.current_time == "2024-01-02T03:04:05.5+01:00");
  CHECK_FALSE(set.world->defaults.secure_transport);
}

TEST_CASE("scenario: files that are not one scenario", "[model][scenario]") {
  auto not_scenario = load_world_text("kind: Pod\n", "x.yaml");
  CHECK_FALSE(not_scenario.world);
  CHECK(not_scenario.diagnostics.items()[0].code == "scenario.not-a-scenario");
  auto empty = load_world_text("", "x.yaml");
  CHECK(empty.diagnostics.items()[0].code == "scenario.not-a-scenario");
  auto two = load_world_text("apiVersion: iamsim/v1\n---\napiVersion: iamsim/v1\n", "x.yaml");
  CHECK(two.diagnostics.items()[0].code == "scenario.multiple-documents");
  CHECK(two.diagnostics.items()[0].where.line == 3);
  auto missing = load_world(data_dir / "no-such-scenario.yaml");
  CHECK_FALSE(missing.world);
  CHECK(missing.diagnostics.items()[0].code == "scenario.missing-file");
  // A WORLD argument must be one scenario; this folder holds many.
  auto many = load_world_argument(fs::path(IAMSIM_SOURCE_DIR) / "tests/scenarios-bad");
  CHECK(many.diagnostics.items()[0].code == "scenario.not-one-world");
}

TEST_CASE("scenario: manifests may name a folder", "[model][scenario]") {
  auto load = load_text("accounts:\n  - id: \"111111111111\"\n    clusters: [{name: c, manifests: [kserve/k8s]}]\n");
  REQUIRE_FALSE(load.diagnostics.has_errors());
  const Cluster* c = load.world->find_cluster("c");
  REQUIRE(c);
  CHECK(c->manifests.size() == 3);
  CHECK(load.world->find_workload("c", "kserve", "cross-account-model"));
  CHECK(load.world->find_service_account("c", "batch-jobs", "exporter"));
}

TEST_CASE("scenario: an alias that contains itself is an error, not a crash", "[model][scenario]") {
  // The parser accepts an alias only to a node that is complete; the alias is the error.
  check_error("policies:\n  p: {document: &a {x: [*a]}}\n", "yaml.syntax", 3, 25);
  check_error(
      "organization:\n  id: o-abcdefghij\n  management_account: \"999999999999\"\n  root:\n"
      "    units: [&u {name: a, units: [*u]}]\n",
      "yaml.syntax", 6, 34);
}

TEST_CASE("scenario: damaged files never crash the loader", "[model][scenario]") {
  auto text = load::read_text_file(data_dir / "kserve/scenario.yaml");
  REQUIRE(text);
  const fs::path name = data_dir / "kserve/damaged.yaml";
  // Every line left out in turn, then every cut of the file.
  std::vector<std::string> lines;
  for (std::size_t at = 0, next; at < text->size(); at = next + 1) {
    next = text->find('\n', at);
    if (next == std::string::npos) next = text->size();
    lines.push_back(text->substr(at, next - at + 1));
  }
  for (std::size_t skip = 0; skip < lines.size(); ++skip) {
    std::string damaged;
    for (std::size_t i = 0; i < lines.size(); ++i)
      if (i != skip) damaged += lines[i];
    auto load = load_world_text(damaged, name);
    for (const auto& d : load.diagnostics.items()) CHECK_FALSE(d.code.empty());
  }
  for (std::size_t cut = 0; cut < text->size(); cut += 7) {
    auto load = load_world_text(text->substr(0, cut), name);
    CHECK((load.world != nullptr || load.diagnostics.has_errors()));
  }
}
