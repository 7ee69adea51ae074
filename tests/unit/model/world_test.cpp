// Stage: model. The World's helpers: stable unique ids, reference checks, YAML -> JSON.
#include "model/world.hpp"

#include <catch2/catch.hpp>

#include "model/load/scenario_loader.hpp"
#include "model/load/yaml_support.hpp"

using namespace iamsim;
using namespace iamsim::model;

namespace {

std::shared_ptr<const World> small_world() {
  static WorldLoad load = load_world_text(R"(apiVersion: iamsim/v1
accounts:
  - id: "111111111111"
    users: [{name: bob}]
    roles: [{name: app, path: /svc/, trust: FullAWSAccess}]
    kms_keys: [{id: key-1, region: eu-west-1}]
    buckets: [{name: data-bucket}]
    clusters:
      - name: c1
        manifests: []
)",
                                          "/tmp/world-test.yaml");
  REQUIRE(load.ok());
  return load.world;
}

PrincipalRef ref(std::string_view text) { return *parse_principal_ref(text).value; }

}  // namespace

TEST_CASE("T5 role unique ids are stable AROA ids", "[model][world]") {
  auto id = derive_unique_id("AROA", "arn:aws:iam::111111111111:role/kserve-model-loader");
  CHECK(id.size() == 21);
  CHECK(id == derive_unique_id("AROA", "arn:aws:iam::111111111111:role/kserve-model-loader"));
  // Fixed text: scenarios may match aws:userid against it, so it must never drift.
  CHECK(id == "AROAB2HVB64CKDVAQLNGU");
  for (char c : id.substr(4)) CHECK(((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7')));
  CHECK(derive_unique_id("AROA", "arn:aws:iam::111111111111:role/other") != id);
}

TEST_CASE("world: references to things the world does not hold are named", "[model][world]") {
  auto w = small_world();
  CHECK_FALSE(find_reference_problem(*w, ref("sa:c1/default/default")));
  CHECK(find_reference_problem(*w, ref("sa:c2/default/default"))->code == "scenario.unknown-cluster");
  CHECK(find_reference_problem(*w, ref("sa:c1/default/x"))->code == "scenario.unknown-service-account");
  CHECK(find_reference_problem(*w, ref("workload:c1/default/x"))->code == "scenario.unknown-workload");
  CHECK_FALSE(find_reference_problem(*w, ref("arn:aws:iam::111111111111:user/bob")));
  CHECK(find_reference_problem(*w, ref("arn:aws:iam::111111111111:user/eve"))->code == "scenario.unknown-user");
  CHECK_FALSE(find_reference_problem(*w, ref("arn:aws:iam::111111111111:role/svc/app")));
  // A role ARN names its path; a session ARN does not.
  CHECK(find_reference_problem(*w, ref("arn:aws:iam::111111111111:role/app"))->code == "scenario.unknown-role");
  CHECK_FALSE(find_reference_problem(*w, ref("arn:aws:sts::111111111111:assumed-role/app/s1")));
  CHECK(find_reference_problem(*w, ref("arn:aws:sts::111111111111:assumed-role/nope/s1"))->code ==
        "scenario.unknown-role");
  CHECK(find_reference_problem(*w, ref("anonymous -> arn:aws:iam::111111111111:role/nope"))->code ==
        "scenario.unknown-role");
  CHECK_FALSE(find_reference_problem(*w, ref("anonymous")));
}

TEST_CASE("world: resources the world models must exist", "[model][world]") {
  auto w = small_world();
  CHECK_FALSE(find_resource_problem(*w, "s3:GetObject", "*"));
  CHECK_FALSE(find_resource_problem(*w, "s3:GetObject", "arn:aws:s3:::data-bucket"));
  CHECK_FALSE(find_resource_problem(*w, "s3:GetObject", "arn:aws:s3:::data-bucket/a/b"));
  CHECK(find_resource_problem(*w, "s3:GetObject", "arn:aws:s3:::other/a")->code == "scenario.unknown-bucket");
  CHECK_FALSE(find_resource_problem(*w, "s3:GetObject", "arn:aws:kms:eu-west-1:111111111111:key/key-1"));
  CHECK(find_resource_problem(*w, "s3:GetObject", "arn:aws:kms:us-east-1:111111111111:key/key-1")->code ==
        "scenario.unknown-key");
  CHECK(find_resource_problem(*w, "s3:GetObject", "arn:aws:iam::111111111111:role/nope")->code ==
        "scenario.unknown-role");
  // RS6: actions without resource types name `*`; arn:aws:s3:::* is every bucket (B1).
  CHECK_FALSE(find_resource_problem(*w, "s3:ListAllMyBuckets", "arn:aws:s3:::*"));
  // Creation questions name what does not exist yet (issue 8 item 14); other actions on an
  // unknown name stay an error, so a typo never passes as a deny.
  CHECK_FALSE(find_resource_problem(*w, "s3:CreateBucket", "arn:aws:s3:::new-bucket"));
  CHECK_FALSE(find_resource_problem(*w, "IAM:createrole", "arn:aws:iam::111111111111:role/new-role"));
  CHECK(find_resource_problem(*w, "s3:PutBucketPolicy", "arn:aws:s3:::new-bucket")->code == "scenario.unknown-bucket");
  CHECK(find_resource_problem(*w, "iam:AttachRolePolicy", "arn:aws:iam::111111111111:role/new-role")->code ==
        "scenario.unknown-role");
  // Services the world does not model pass.
  CHECK_FALSE(find_resource_problem(*w, "s3:GetObject", "arn:aws:sqs:us-east-1:111111111111:queue"));
}

TEST_CASE("world: an account outside the organization has no org path", "[model][world]") {
  auto w = small_world();
  CHECK_FALSE(w->organization);
  CHECK_FALSE(w->in_organization("111111111111"));
  CHECK(w->org_units_of("111111111111").empty());
  // Without an organization an account keeps only the SCPs it names (none here).
  CHECK(w->find_account("111111111111")->scps.empty());
}

TEST_CASE("world: YAML documents become JSON with YAML's core types", "[model][world]") {
  auto json = [](const char* yaml) {
    auto stream = load::parse_yaml(yaml);
    REQUIRE_FALSE(stream.error());
    return load::yaml_to_json(*stream.documents().at(0)).json;
  };
  CHECK(json("{b: 1, a: [true, false, null, ~, 1.5, -2e3, '7', \"x\", 0123, 111111111111]}") ==
        R"({"b":1,"a":[true,false,null,null,1.5,-2e3,"7","x","0123",111111111111]})");
  CHECK(json("Statement: [{Effect: Allow, Action: 's3:*'}]") ==
        R"({"Statement":[{"Effect":"Allow","Action":"s3:*"}]})");
  CHECK(json("s: \"quote \\\" and \\\\ back\"") == R"({"s":"quote \" and \\ back"})");
  CHECK(json("s: \"tab\\there\\x01\"") == R"({"s":"tab\there\u0001"})");
}
