// Stage: model (load). The scenario loader on a complete world: organization tree,
// accounts, principals, resources, clusters, expectations and the World's indexes.
#include "model/load/scenario_loader.hpp"
#include "model/load/builtin_policies.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

using namespace iamsim;
using namespace iamsim::model;

namespace {

const std::filesystem::path data_dir = std::filesystem::path(IAMSIM_SOURCE_DIR) / "tests/unit/model/data";

std::string all_messages(const Diagnostics& d) {
  std::string s;
  for (const auto& item : d.items()) s += format_diagnostic(item) + "\n";
  return s;
}

const World& kserve_world() {
  static WorldLoad load = load_world(data_dir / "kserve/scenario.yaml");
  INFO(all_messages(load.diagnostics));
  REQUIRE(load.ok());
  return *load.world;
}

}  // namespace

TEST_CASE("scenario: the KServe world loads without errors", "[model][scenario]") {
  auto load = load_world(data_dir / "kserve/scenario.yaml");
  INFO(all_messages(load.diagnostics));
  REQUIRE(load.ok());
  const World& w = *load.world;
  CHECK(w.scenario_name == "kserve-direct-grant");
  CHECK(w.accounts.size() == 3);
  // Only the ConfigMap is skipped, with a warning and not an error.
  REQUIRE(load.diagnostics.items().size() == 1);
  CHECK(load.diagnostics.items()[0].code == "k8s.skipped-kind");
  CHECK(load.diagnostics.items()[0].severity == Severity::Warning);
}

TEST_CASE("scenario: organization tree with nested units and accounts at several levels", "[model][scenario]") {
  const World& w = kserve_world();
  REQUIRE(w.organization);
  const Organization& org = *w.organization;
  CHECK(org.id == "o-mlorg00001");
  CHECK(org.management_account == "999999999999");
  REQUIRE(org.units.size() == 3);
  CHECK(org.units[0].name == "root");
  CHECK(org.units[0].id.starts_with("r-"));
  CHECK(org.units[0].accounts == std::vector<std::string>{"999999999999"});
  CHECK(org.units[1].name == "ml");
  CHECK(org.units[1].parent == std::optional<std::size_t>(0));
  CHECK(org.units[1].id.starts_with("ou-" + org.units[0].id.substr(2) + "-"));
  CHECK(org.units[1].rcps.size() == 1);
  CHECK(org.units[2].id == "ou-abcd-storage1");
  CHECK(org.units[2].parent == std::optional<std::size_t>(1));
  CHECK(org.units[2].scps.size() == 2);
  CHECK(org.units[2].scps[1].name == "deny-delete");
  // A policy file written as YAML is handed on as JSON.
  CHECK(org.units[2].scps[1].json_text.starts_with(R"({"Version":"2012-10-17","Statement":[)"));

  auto path = w.org_units_of("222222222222");
  REQUIRE(path.size() == 3);
  CHECK(path[0]->name == "root");
  CHECK(path[1]->name == "ml");
  CHECK(path[2]->name == "storage");
  CHECK(w.org_path("222222222222") == "o-mlorg00001/" + org.units[0].id + "/" + org.units[1].id + "/ou-abcd-storage1/");
  CHECK(w.org_units_of("999999999999").size() == 1);
  CHECK(w.in_organization("111111111111"));
  CHECK_FALSE(w.in_organization("333333333333"));
  CHECK(w.org_path("333333333333").empty());
}

TEST_CASE("scenario: accounts in the organization get FullAWSAccess unless given SCPs", "[model][scenario]") {
  const World& w = kserve_world();
  const Account* storage = w.find_account("222222222222");
  REQUIRE(storage);
  REQUIRE(storage->scps.size() == 1);
  CHECK(storage->scps[0].builtin);
  CHECK(storage->scps[0].name == "FullAWSAccess");
  CHECK(storage->scps[0].json_text ==
        R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})");
  CHECK(rcp_full_aws_access().json_text ==
        R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]})");
}

TEST_CASE("scenario: roles, users and groups with ARNs and stable unique ids", "[model][scenario]") {
  const World& w = kserve_world();
  const Role* loader = w.find_role("arn:aws:iam::111111111111:role/kserve-model-loader");
  REQUIRE(loader);
  CHECK(loader->account_id == "111111111111");
  CHECK(loader->unique_id.size() == 21);
  CHECK(loader->unique_id.starts_with("AROA"));
  CHECK(loader->unique_id == derive_unique_id("AROA", loader->arn));
  CHECK(loader->unique_id != w.find_role("arn:aws:iam::222222222222:role/model-reader")->unique_id);
  CHECK(loader->tags.at("team") == "ml");
  CHECK_FALSE(loader->boundary);
  CHECK_FALSE(loader->service_linked);
  REQUIRE(loader->policies.size() == 1);
  CHECK(loader->policies[0].name == "read-models");
  CHECK(loader->trust.json_text.find("sts:AssumeRoleWithWebIdentity") != std::string::npos);
  CHECK(loader->trust.origin.file.ends_with("policies/loader-trust-policy.json"));

  const Role* pod_role = w.find_role("arn:aws:iam::111111111111:role/eks/pod-identity-role");
  REQUIRE(pod_role);
  CHECK(w.find_role("111111111111", "pod-identity-role") == pod_role);
  CHECK(w.find_role("arn:aws:iam::111111111111:role/pod-identity-role") == nullptr);
  // An inline YAML document becomes JSON, located at its line in the scenario.
  CHECK(
      pod_role->trust.json_text ==
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}]})");
  CHECK(pod_role->trust.origin.line == 50);
  CHECK(pod_role->trust.origin.column == 13);
  CHECK(pod_role->trust.origin.file.ends_with("scenario.yaml"));

  CHECK(w.find_role("111111111111", "AWSServiceRoleForAmazonEKS")->service_linked);

  const User* alice = w.find_user("arn:aws:iam::111111111111:user/people/alice");
  REQUIRE(alice);
  CHECK(alice->unique_id.starts_with("AIDA"));
  CHECK(alice->groups == std::vector<std::string>{"ml-engineers"});
  CHECK(w.find_group("111111111111", "ml-engineers")->policies.size() == 1);
  CHECK(w.find_oidc_provider("111111111111",
                             "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE")
            ->arn ==
        "arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/"
        "EXAMPLED539D4633E53DE1B71EXAMPLE");
}

TEST_CASE("scenario: buckets, keys and endpoints", "[model][scenario]") {
  const World& w = kserve_world();
  const Bucket* plain = w.find_bucket("ml-models-prod");
  REQUIRE(plain);
  CHECK(plain->account_id == "222222222222");
  CHECK(plain->arn == "arn:aws:s3:::ml-models-prod");
  CHECK_FALSE(plain->kms_key);
  REQUIRE(plain->policy);
  CHECK(plain->policy->name == "policies/bucket-policy.json");

  const Bucket* encrypted = w.find_bucket("ml-models-encrypted");
  REQUIRE(encrypted);
  CHECK(encrypted->region == "us-east-1");  // the default region
  CHECK(encrypted->tags.at("data") == "models");
  CHECK(encrypted->kms_key_arn == "arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab");

  const KmsKey* key = w.find_key("1234abcd-12ab-34cd-56ef-1234567890ab");
  REQUIRE(key);
  CHECK(w.find_key(key->arn) == key);
  CHECK(key->policy.builtin);
  CHECK(key->policy.json_text.find("arn:aws:iam::222222222222:root") != std::string::npos);

  const VpcEndpoint* endpoint = w.find_vpc_endpoint("vpce-0abc");
  REQUIRE(endpoint);
  CHECK(endpoint->policy.builtin);
  CHECK(endpoint->account_id == "222222222222");
}

TEST_CASE("scenario: clusters, service accounts, workloads and Pod Identity associations", "[model][scenario]") {
  const World& w = kserve_world();
  const Cluster* cluster = w.find_cluster("ml-prod");
  REQUIRE(cluster);
  CHECK(cluster->arn == "arn:aws:eks:us-east-1:111111111111:cluster/ml-prod");
  CHECK(cluster->manifests.size() == 3);
  CHECK(cluster->namespaces == std::vector<std::string>{"batch-jobs", "configs", "default", "kserve"});

  const ServiceAccount* sa = w.find_service_account("ml-prod", "kserve", "model-loader-sa");
  REQUIRE(sa);
  CHECK(sa->role_arn == "arn:aws:iam::111111111111:role/kserve-model-loader");
  CHECK(sa->audience == "sts.amazonaws.com");
  for (const char* ns : {"batch-jobs", "configs", "default", "kserve"}) {
    const ServiceAccount* d = w.find_service_account("ml-prod", ns, "default");
    REQUIRE(d);
    CHECK(d->implicit);
  }

  const Workload* isvc = w.find_workload("ml-prod", "kserve", "cross-account-model");
  REQUIRE(isvc);
  CHECK(isvc->kind == WorkloadKind::InferenceService);
  CHECK(isvc->service_account() == "model-loader-sa");
  const Workload* cron = w.find_workload("ml-prod", "batch-jobs", "nightly-export");
  REQUIRE(cron);
  CHECK(cron->service_account() == "exporter");

  const PodIdentityAssociation* pia = w.find_pod_identity_association("ml-prod", "batch-jobs", "exporter");
  REQUIRE(pia);
  CHECK(pia->role_arn == "arn:aws:iam::111111111111:role/eks/pod-identity-role");
  CHECK(pia->target_role_arn == "arn:aws:iam::222222222222:role/model-reader");
  CHECK(pia->external_id == "abc-123");
  CHECK_FALSE(pia->disable_session_tags);
}

TEST_CASE("scenario: expectations in long and one-line form", "[model][scenario]") {
  const World& w = kserve_world();
  REQUIRE(w.expectations.size() == 4);
  const Expectation& first = w.expectations[0];
  CHECK(first.expect == Expect::Allow);
  CHECK(first.principal.kind == PrincipalRef::Kind::ServiceAccount);
  CHECK(first.resource_arn == "arn:aws:s3:::ml-models-prod/models/flowers/saved_model.pb");
  CHECK(first.context.at("aws:SourceIp").values == std::vector<std::string>{"10.1.2.3"});
  CHECK(first.context.at("aws:TagKeys").multi_valued);
  CHECK(first.context.at("aws:TagKeys").values == std::vector<std::string>{"team", "env"});
  CHECK(first.context.at("aws:MultiFactorAuthPresent").values == std::vector<std::string>{"true"});
  CHECK(first.where.line == 94);
  CHECK(first.where.column == 5);

  const Expectation& line = w.expectations[1];
  CHECK(line.expect == Expect::Deny);
  CHECK(line.principal.name == "default");
  CHECK(line.name ==
        "deny sa:ml-prod/kserve/default s3:GetObject "
        "s3://ml-models-prod/models/flowers/saved_model.pb");

  const Expectation& chained = w.expectations[2];
  CHECK(chained.name == "chained read");
  CHECK(chained.description == "design 2");
  CHECK(chained.principal.kind == PrincipalRef::Kind::Workload);
  REQUIRE(chained.principal.chain.size() == 1);
  CHECK(chained.principal.chain[0].role_arn == "arn:aws:iam::222222222222:role/model-reader");

  CHECK(w.expectations[3].expect == Expect::ImplicitDeny);
  CHECK(w.expectations[3].principal.arn_kind == syntax::PrincipalArnKind::User);

  CHECK(w.defaults.current_time == "2024-06-01T12:00:00Z");
  CHECK(w.defaults.secure_transport);
  CHECK(w.defaults.context.at("aws:SourceVpce").values == std::vector<std::string>{"vpce-0abc"});
}

TEST_CASE("scenario: a world-only load skips the expectations but still parses them", "[model][scenario]") {
  auto load = load_world(data_dir / "kserve/scenario.yaml", LoadScope::world_only);
  INFO(all_messages(load.diagnostics));
  REQUIRE(load.ok());
  CHECK(load.world->expectations.empty());
  CHECK(load.world->accounts.size() == kserve_world().accounts.size());
  CHECK(load.world->defaults.current_time == "2024-06-01T12:00:00Z");

  // An expectation naming nothing in the world is an error only when expectations are read.
  const std::string text =
      "apiVersion: iamsim/v1\naccounts: [{id: \"111111111111\"}]\n"
      "expectations:\n  - allow sa:nowhere/ns/sa s3:GetObject s3://no-bucket/key\n";
  CHECK_FALSE(load_world_text(text, "inline.yaml").ok());
  CHECK(load_world_text(text, "inline.yaml", LoadScope::world_only).ok());
  // A YAML syntax error there is reported either way.
  auto broken = load_world_text(text + "  - [unclosed\n", "inline.yaml", LoadScope::world_only);
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.diagnostics.items().at(0).code == "yaml.syntax");
}

TEST_CASE("scenario: a copy of the World keeps working indexes", "[model][scenario]") {
  World copy = kserve_world();
  const Role* role = copy.find_role("arn:aws:iam::111111111111:role/kserve-model-loader");
  REQUIRE(role);
  CHECK(role == &copy.accounts[1].roles[0]);
}

TEST_CASE("scenario: a folder is searched for scenario files only", "[model][scenario]") {
  auto found = find_scenario_files({data_dir / "kserve"});
  CHECK(found.diagnostics.empty());
  REQUIRE(found.files.size() == 1);
  CHECK(found.files[0].filename() == "scenario.yaml");
  CHECK_FALSE(is_scenario_file(data_dir / "kserve/policies/bucket-policy.json"));

  auto missing = find_scenario_files({data_dir / "no-such-dir"});
  REQUIRE(missing.diagnostics.items().size() == 1);
  CHECK(missing.diagnostics.items()[0].code == "scenario.missing-file");

  auto world = load_world_argument(data_dir / "kserve");
  CHECK(world.ok());
}

TEST_CASE("scenario: a file plainly meant as a scenario is not skipped for its apiVersion", "[model][scenario]") {
  // Issue 8 item 14: a wrong or misspelt apiVersion is an error, never a silent skip.
  auto found = find_scenario_files({data_dir / "misversioned"});
  std::vector<std::string> names;
  for (const auto& f : found.files) names.push_back(f.filename().string());
  CHECK(names ==
        std::vector<std::string>{"good.yaml", "misspelt-key.yaml", "wrong-version.json", "wrong-version.yaml"});
  CHECK(scenario_file_kind(data_dir / "misversioned/k8s/deployment.yaml") == ScenarioFileKind::other);
  CHECK(scenario_file_kind(data_dir / "misversioned/policies/bucket.json") == ScenarioFileKind::other);
  CHECK(scenario_file_kind(data_dir / "misversioned/wrong-version.yaml") == ScenarioFileKind::misversioned);

  auto loaded = load_scenarios({data_dir / "misversioned"});
  CHECK_FALSE(loaded.ok());
  std::vector<std::string> codes;
  const Diagnostics all = loaded.all_diagnostics();
  for (const auto& d : all.items()) codes.push_back(d.code);
  std::sort(codes.begin(), codes.end());
  CHECK(codes ==
        std::vector<std::string>{"scenario.bad-api-version", "scenario.bad-api-version", "scenario.not-a-scenario"});
}

TEST_CASE("scenario: several files are each their own world", "[model][scenario]") {
  auto loads = load_scenarios({data_dir / "kserve", data_dir / "json-world.json"});
  INFO(all_messages(loads.all_diagnostics()));
  REQUIRE(loads.files.size() == 2);
  CHECK(loads.ok());
  CHECK(loads.files[0].world->scenario_name == "kserve-direct-grant");
  CHECK(loads.files[1].world->scenario_name == "json-world");
  CHECK(loads.files[1].world->expectations.size() == 1);
  CHECK(loads.files[0].world->expectations.size() == 4);
}

TEST_CASE("scenario: a scenario may be JSON", "[model][scenario]") {
  auto load = load_world(data_dir / "json-world.json");
  INFO(all_messages(load.diagnostics));
  REQUIRE(load.ok());
  const Role* r = load.world->find_role("arn:aws:iam::123456789012:role/app");
  REQUIRE(r);
  CHECK(
      r->trust.json_text ==
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":true},"NumericLessThan":{"aws:MultiFactorAuthAge":3600}}}]})");
  CHECK_FALSE(load.world->organization);
}
