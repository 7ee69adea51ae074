// Stage: model (load), real estates. The readers of AWS's outputs and of iam-collect
// folders fill the one World; what an export lacks is a warning naming it and never widens
// access; malformed input is an error with file and JSON pointer.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "model/load/read_exports.hpp"
#include "model/load/scenario_loader.hpp"
#include "model/load/world_sources.hpp"

using namespace iamsim;
using namespace iamsim::model;

namespace {

namespace fs = std::filesystem;
const fs::path estates = fs::path(IAMSIM_SOURCE_DIR) / "tests/estates";

Account read_details(const std::string& json, Diagnostics& d, const std::string& id = "111111111111") {
  Account a;
  a.id = id;
  if (auto f = load::ExportFile::parse(json, "gaad.json", d)) load::read_authorization_details(*f, a);
  return a;
}

bool has_code(const Diagnostics& d, std::string_view code, std::string_view pointer = {}) {
  for (const auto& item : d.items())
    if (item.code == code && (pointer.empty() || item.where.pointer == pointer)) return true;
  return false;
}

std::string all_diagnostics(const Diagnostics& d) {
  std::string all;
  for (const auto& item : d.items()) all += format_diagnostic(item) + "\n";
  return all;
}

// A role with a trust policy, an inline policy, a managed policy of two versions and a
// boundary; `encode` writes every document URL-encoded as IAM's API does.
std::string role_details(bool encode) {
  auto doc = [&](const std::string& json) {
    if (!encode) return json;
    std::string out = "\"";
    for (unsigned char c : json) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
        out += static_cast<char>(c);
      } else {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%%%02X", c);
        out += buf;
      }
    }
    return out + "\"";
  };
  const std::string trust =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})";
  const std::string v1 = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})";
  const std::string v2 =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]})";
  return R"({"RoleDetailList": [{"Path": "/svc/", "RoleName": "app", "RoleId": "AROAEXAMPLE0000000001",
    "Arn": "arn:aws:iam::111111111111:role/svc/app", "AssumeRolePolicyDocument": )" +
         doc(trust) + R"(, "RolePolicyList": [{"PolicyName": "inline", "PolicyDocument": )" + doc(v2) +
         R"(}], "AttachedManagedPolicies": [{"PolicyName": "m", "PolicyArn": "arn:aws:iam::111111111111:policy/m"}],
    "PermissionsBoundary": {"PermissionsBoundaryArn": "arn:aws:iam::111111111111:policy/m"},
    "Tags": [{"Key": "team", "Value": "ml"}]}],
   "Policies": [{"PolicyName": "m", "Arn": "arn:aws:iam::111111111111:policy/m", "DefaultVersionId": "v2",
     "PolicyVersionList": [{"Document": )" +
         doc(v1) + R"(, "VersionId": "v1", "IsDefaultVersion": false}, {"Document": )" + doc(v2) +
         R"(, "VersionId": "v2", "IsDefaultVersion": true}]}]})";
}

}  // namespace

TEST_CASE("exports: percent-decoding as IAM encodes documents", "[model][exports]") {
  CHECK(load::percent_decode("%7B%22a%22%3A1%7D") == R"({"a":1})");
  CHECK(load::percent_decode("a+b%2Fc") == "a+b/c");  // '+' is not a space
  CHECK_FALSE(load::percent_decode("%7"));
  CHECK_FALSE(load::percent_decode("%ZZ"));
}

TEST_CASE("exports: get-account-authorization-details, URL-encoded and decoded, give the same role",
          "[model][exports]") {
  Diagnostics d1, d2;
  const Account encoded = read_details(role_details(true), d1);
  const Account decoded = read_details(role_details(false), d2);
  INFO(all_diagnostics(d1) + all_diagnostics(d2));
  CHECK(d1.empty());
  CHECK(d2.empty());
  REQUIRE(encoded.roles.size() == 1);
  REQUIRE(decoded.roles.size() == 1);
  for (const Role* r : {&encoded.roles[0], &decoded.roles[0]}) {
    CHECK(r->name == "app");
    CHECK(r->path == "/svc/");
    CHECK(r->arn == "arn:aws:iam::111111111111:role/svc/app");
    CHECK(r->unique_id == "AROAEXAMPLE0000000001");
    CHECK(r->tags.at("team") == "ml");
    REQUIRE(r->policies.size() == 2);  // the inline one and the attached one
    // The managed policy at its default version v2, not v1's Allow * *.
    CHECK(r->policies[1].json_text.find("s3:Get*") != std::string::npos);
    REQUIRE(r->boundary);
    CHECK(r->boundary->json_text.find("s3:Get*") != std::string::npos);
  }
  CHECK(nlohmann::json::parse(encoded.roles[0].trust.json_text) ==
        nlohmann::json::parse(decoded.roles[0].trust.json_text));
  CHECK(encoded.roles[0].trust.origin.pointer == "/RoleDetailList/0/AssumeRolePolicyDocument");
}

TEST_CASE("exports: an attached policy or boundary missing from Policies is a warning naming it", "[model][exports]") {
  Diagnostics d;
  const Account a = read_details(R"({"RoleDetailList": [{"RoleName": "r", "Path": "/",
      "Arn": "arn:aws:iam::111111111111:role/r",
      "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []},
      "AttachedManagedPolicies": [{"PolicyName": "gone", "PolicyArn": "arn:aws:iam::aws:policy/Gone"}],
      "PermissionsBoundary": {"PermissionsBoundaryArn": "arn:aws:iam::111111111111:policy/fence"}}],
    "UserDetailList": [{"UserName": "u", "Path": "/", "Arn": "arn:aws:iam::111111111111:user/u", "GroupList": ["nobody"]}]})",
                                 d);
  INFO(all_diagnostics(d));
  CHECK_FALSE(d.has_errors());
  CHECK(has_code(d, "export.missing-policy", "/RoleDetailList/0/AttachedManagedPolicies/0"));
  CHECK(has_code(d, "export.missing-policy", "/RoleDetailList/0/PermissionsBoundary"));
  CHECK(has_code(d, "export.missing-group", "/UserDetailList/0/GroupList/0"));
  CHECK(all_diagnostics(d).find("arn:aws:iam::111111111111:policy/fence") != std::string::npos);
  REQUIRE(a.roles.size() == 1);
  CHECK(a.roles[0].policies.empty());
  // An unknown boundary never widens access: it denies.
  REQUIRE(a.roles[0].boundary);
  CHECK(a.roles[0].boundary->json_text.find("Deny") != std::string::npos);
  CHECK(a.users[0].groups.empty());
}

TEST_CASE("exports: malformed outputs are errors with the JSON pointer", "[model][exports]") {
  Diagnostics d;
  read_details(R"({"RoleDetailList": [{"RoleName": 7, "Arn": "arn:aws:iam::111111111111:role/x"}]})", d);
  CHECK(has_code(d, "export.bad-shape", "/RoleDetailList/0/RoleName"));

  Diagnostics wrong;
  read_details(R"({"UserDetailList": [{"UserName": "u", "Arn": "arn:aws:iam::222222222222:user/u"}]})", wrong);
  CHECK(has_code(wrong, "export.wrong-account", "/UserDetailList/0"));

  Diagnostics syntax;
  CHECK_FALSE(load::ExportFile::parse("{\n  \"a\": [1,\n}", "bad.json", syntax));
  REQUIRE(syntax.items().size() == 1);
  CHECK(syntax.items()[0].code == "export.bad-json");
  CHECK(syntax.items()[0].where.line == 3);
}

TEST_CASE("exports: WORLD arguments are recognised by their contents", "[model][exports]") {
  CHECK(recognise_world_source(estates / "export") == WorldSource::export_folder);
  CHECK(recognise_world_source(estates / "iam-collect") == WorldSource::iam_collect_folder);
  CHECK(recognise_world_source(estates / "iam-collect" / "aws") == WorldSource::iam_collect_folder);
  CHECK(recognise_world_source(estates / "iam-collect" / "aws" / "aws") == WorldSource::iam_collect_folder);
  CHECK(recognise_world_source(estates / "equivalent.yaml") == WorldSource::scenario_file);
  CHECK(recognise_world_source(estates) == WorldSource::scenario_folder);
  CHECK_FALSE(recognise_world_source(estates / "no-such-thing"));
}

TEST_CASE("exports: the export folder is the world the hand-written scenario describes", "[model][exports]") {
  auto from_export = load_world_argument(estates / "export");
  INFO(all_diagnostics(from_export.diagnostics));
  REQUIRE(from_export.ok());
  const World& w = *from_export.world;
  REQUIRE(w.organization);
  CHECK(w.organization->id == "o-estate12345");
  REQUIRE(w.organization->units.size() == 2);
  CHECK(w.organization->units[1].name == "workloads");
  CHECK(w.organization->units[1].accounts == std::vector<std::string>{"444444444444", "555555555555"});
  CHECK(w.organization->units[1].scps.size() == 2);  // FullAWSAccess and no-deletes
  CHECK(w.organization->units[0].rcps.size() == 1);  // org-only; RCPFullAWSAccess is implied
  CHECK(w.find_account("444444444444")->name == "apps");
  const Role* reader = w.find_role("arn:aws:iam::444444444444:role/analytics/data-reader");
  REQUIRE(reader);
  REQUIRE(reader->boundary);
  CHECK(reader->boundary->json_text.find("kms:Decrypt") != std::string::npos);  // v2, the default
  const Bucket* b = w.find_bucket("estate-data-prod");
  REQUIRE(b);
  CHECK(b->region == "us-west-2");
  // Written as an alias; list-aliases resolves it.
  CHECK(b->kms_key_arn == "arn:aws:kms:us-west-2:555555555555:key/0f6c2a9e-3b1d-4e7a-9c55-7d2e1f0a4b3c");
  const Cluster* c = w.find_cluster("apps-prod");
  REQUIRE(c);
  CHECK(c->oidc_issuer == "https://oidc.eks.us-west-2.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9");
  CHECK(w.find_pod_identity_association("apps-prod", "analytics", "writer"));
  CHECK(w.find_service_account("apps-prod", "analytics", "reader")->role_arn ==
        "arn:aws:iam::444444444444:role/analytics/data-reader");
  CHECK(w.find_oidc_provider("444444444444", c->oidc_issuer));
  const VpcEndpoint* e = w.find_vpc_endpoint("vpce-0e57a1b2c3d4e5f60");
  REQUIRE(e);
  CHECK(e->service == "com.amazonaws.us-west-2.s3");
  CHECK(e->vpc_id == "vpc-0a1b2c3d4e5f60718");
  CHECK(e->policy.json_text.find("ReadsOnly") != std::string::npos);  // describe-vpc-endpoints' JSON string
  CHECK(e->policy.origin.pointer == "/VpcEndpoints/0/PolicyDocument");
}

TEST_CASE("exports: iam-collect, the metadata's ARN wins over the folder and indexes are hints",
          "[model][exports][iam-collect]") {
  auto load = load_world_argument(estates / "iam-collect");
  INFO(all_diagnostics(load.diagnostics));
  REQUIRE(load.ok());
  const World& w = *load.world;
  // Filed under iam/role/pod-writer-old; its metadata names pod-writer.
  CHECK(w.find_role("arn:aws:iam::444444444444:role/pod-writer"));
  CHECK_FALSE(w.find_role("444444444444", "pod-writer-old"));
  // The folder name is lower-cased and encoded; the ARN keeps the path.
  CHECK(w.find_role("arn:aws:iam::444444444444:role/analytics/data-reader"));
  // Not in the bucket index, found by its folder; the index's stale bucket is a warning.
  CHECK(w.find_bucket("estate-data-prod"));
  CHECK_FALSE(w.find_bucket("estate-archive-old"));
  CHECK(has_code(load.diagnostics, "export.index-stale", "/estate-archive-old"));
  const User* u = w.find_user("arn:aws:iam::444444444444:user/automation/ci-bot");
  REQUIRE(u);
  CHECK(u->groups == std::vector<std::string>{"ops"});
  REQUIRE(w.organization);
  CHECK(w.org_path("555555555555") == "o-estate12345/r-es12/ou-es12-work0001/");
  const VpcEndpoint* e = w.find_vpc_endpoint("vpce-0e57a1b2c3d4e5f60");
  REQUIRE(e);
  CHECK(e->account_id == "444444444444");
  CHECK(e->policy.json_text.find("ReadsOnly") != std::string::npos);
}

TEST_CASE("import: the file's sections add to and override the imported estate", "[model][exports][import]") {
  auto load = load_world_text(R"(apiVersion: iamsim/v1
import:
  - exports: export
accounts:
  - id: "444444444444"
    groups:
      - name: auditors
        policies: [{document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:List*", Resource: "*"}]}}]
    users:
      - name: auditor
        groups: [auditors, ops]
    roles:
      - name: pod-writer
        trust: {document: {Version: "2012-10-17", Statement: []}}
  - id: "777777777777"
    name: added
expectations:
  - deny sa:apps-prod/analytics/writer s3:PutObject s3://estate-data-prod/incoming/x
)",
                              estates / "inline.yaml");
  INFO(all_diagnostics(load.diagnostics));
  REQUIRE(load.ok());
  const World& w = *load.world;
  CHECK(w.accounts.size() == 4);
  CHECK(w.find_account("777777777777"));
  const User* auditor = w.find_user("444444444444", "auditor");
  REQUIRE(auditor);
  CHECK(auditor->groups == std::vector<std::string>{"auditors", "ops"});  // a new group and an imported one
  CHECK(w.find_user("444444444444", "ci-bot"));                           // imported, kept
  const Role* writer = w.find_role("444444444444", "pod-writer");
  REQUIRE(writer);
  CHECK(writer->policies.empty());  // replaced by the file's
  REQUIRE(w.import_overrides.size() == 1);
  CHECK(w.import_overrides[0].find("role pod-writer replaced") != std::string::npos);
  // The imported organization still places the accounts, with their imported SCPs.
  CHECK(w.org_path("444444444444") == "o-estate12345/r-es12/ou-es12-work0001/");
  CHECK(w.find_account("444444444444")->scps.size() == 1);
  // The imported cluster keeps its kubectl objects and association.
  CHECK(w.find_pod_identity_association("apps-prod", "analytics", "writer"));
}

TEST_CASE("import: what cannot be imported is an error where it is written", "[model][exports][import]") {
  auto load = load_world_text(R"(apiVersion: iamsim/v1
import:
  - exports: iam-collect
  - scenario: no-such.yaml
  - kubectl: {cluster: nowhere, file: k8s/apps-prod.yaml}
  - {gaad: export/accounts/444444444444/iam/get-account-authorization-details.json}
)",
                              estates / "inline.yaml");
  const std::string all = all_diagnostics(load.diagnostics);
  INFO(all);
  CHECK(has_code(load.diagnostics, "import.wrong-kind"));
  CHECK(has_code(load.diagnostics, "scenario.missing-file"));
  CHECK(has_code(load.diagnostics, "import.unknown-cluster"));
  CHECK(all.find("inline.yaml:6:") != std::string::npos);  // gaad: needs account:
}

TEST_CASE("exports: the AWS CLI documentation's get-account-authorization-details example",
          "[model][exports][aws-docs]") {
  // An excerpt of the example of aws/aws-cli awscli/examples/iam/get-account-authorization-details.rst,
  // quirks included: one page of several, AWS managed policies not in Policies, and a group
  // whose AttachedManagedPolicies is a lone object.
  const fs::path file = fs::path(IAMSIM_SOURCE_DIR) / "tests/unit/model/data/exports/aws-cli-docs-gaad.json";
  Diagnostics d;
  Account a;
  a.id = "123456789012";
  auto f = load::ExportFile::read(file, d);
  REQUIRE(f);
  load::read_authorization_details(*f, a);
  INFO(all_diagnostics(d));
  CHECK_FALSE(d.has_errors());
  CHECK(has_code(d, "export.truncated"));
  CHECK(has_code(d, "export.bad-shape", "/GroupDetailList/0/AttachedManagedPolicies"));
  CHECK(has_code(d, "export.missing-policy", "/RoleDetailList/0/AttachedManagedPolicies/0"));  // AmazonS3FullAccess
  CHECK(has_code(d, "export.missing-policy", "/GroupDetailList/0/AttachedManagedPolicies"));   // AdministratorAccess
  REQUIRE(a.roles.size() == 1);
  CHECK(a.roles[0].arn == "arn:aws:iam::123456789012:role/EC2role");
  CHECK(a.roles[0].policies.empty());
  REQUIRE(a.groups.size() == 2);
  CHECK(a.groups[1].policies.size() == 1);
  REQUIRE(a.users.size() == 2);
  CHECK(a.users[1].name == "Bob");
  CHECK(a.users[1].groups == std::vector<std::string>{"Admins"});
  REQUIRE(a.users[1].policies.size() == 1);
  CHECK(a.users[1].unique_id == "AIDACKCEVSQ6C3EXAMPLE");
}

TEST_CASE("exports: an organization whose tree cannot be walked is an error naming the listing", "[model][exports]") {
  const fs::path dir = fs::temp_directory_path() / "iamsim-export-org-test";
  fs::remove_all(dir);
  fs::create_directories(dir / "organizations");
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / "organizations" / name) << text;
  };
  write("describe-organization.json", R"({"Organization": {"Id": "o-abcdefghij", "MasterAccountId": "111111111111"}})");
  write("list-roots.json", R"({"Roots": [{"Id": "r-ab12", "PolicyTypes": []}]})");
  write("list-organizational-units-for-parent.r-ab12.json",
        R"({"OrganizationalUnits": [{"Id": "ou-ab12-x", "Name": "x"}]})");
  write("list-accounts-for-parent.r-ab12.json", R"({"Accounts": [{"Id": "111111111111", "Name": "m"}]})");
  auto load = load_world_argument(dir);
  fs::remove_all(dir);
  INFO(all_diagnostics(load.diagnostics));
  CHECK_FALSE(load.ok());
  CHECK(all_diagnostics(load.diagnostics).find("list-organizational-units-for-parent.ou-ab12-x.json is missing") !=
        std::string::npos);
  // The account of the tree has no folder: it is in the world, empty, with a warning.
  CHECK(has_code(load.diagnostics, "export.account-not-exported"));
  REQUIRE(load.world);
  CHECK(load.world->find_account("111111111111"));
  // SCPs are not enabled at the root: they do not apply (FullAWSAccess everywhere).
  CHECK(load.world->find_account("111111111111")->scps.size() == 1);
}

namespace {

// A scratch export folder: files written under it, removed at the end.
class ScratchExport {
 public:
  ScratchExport() {
    std::string pattern = (fs::temp_directory_path() / "iamsim-export-test-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()));
    root_ = pattern;
  }
  ~ScratchExport() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  ScratchExport(const ScratchExport&) = delete;
  ScratchExport& operator=(const ScratchExport&) = delete;
  void copy_from(const fs::path& from) { fs::copy(from, root_, fs::copy_options::recursive); }
  void write(const std::string& rel, const std::string& text) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel) << text;
  }
  void remove(const std::string& rel) { fs::remove_all(root_ / rel); }
  const fs::path& path() const { return root_; }

 private:
  fs::path root_;
};

const std::string extras_account = "accounts/666666666666/";
const std::string extras_cluster = extras_account + "us-west-2/eks/extras-eks/";

}  // namespace

TEST_CASE("exports: Block Public Access, ownership, ACLs, access points, grants, node groups and Fargate are read",
          "[model][exports]") {
  auto load = load_world_argument(estates / "export-extras");
  INFO(all_diagnostics(load.diagnostics));
  REQUIRE(load.ok());
  CHECK(load.diagnostics.items().empty());
  const World& w = *load.world;
  const Account* a = w.find_account("666666666666");
  REQUIRE(a);
  REQUIRE(a->public_access_block);
  CHECK_FALSE(a->public_access_block->restrict_public_buckets);

  // B4: get-public-access-block of a bucket.
  const Bucket* blocked = w.find_bucket("extras-public-blocked");
  REQUIRE(blocked);
  REQUIRE(blocked->public_access_block);
  CHECK(blocked->public_access_block->restrict_public_buckets);
  CHECK(blocked->public_access_block->block_public_acls);
  CHECK_FALSE(w.find_bucket("extras-public-open")->public_access_block);

  // B3: no ownership controls is ACLs on; the owner's canonical id is the account.
  const Bucket* acl_on = w.find_bucket("extras-acl-on");
  REQUIRE(acl_on);
  CHECK(acl_on->object_ownership == "ObjectWriter");
  REQUIRE(acl_on->acl.size() == 2);
  CHECK(acl_on->acl[0].grantee == "666666666666");
  CHECK(acl_on->acl[1].grantee == "AllUsers");
  CHECK(acl_on->acl[1].permission == "READ");
  CHECK(acl_on->acl[1].where.pointer == "/Grants/1");
  REQUIRE(acl_on->acl_policy);
  CHECK(acl_on->acl_policy->json_text.find("s3:ListBucket") != std::string::npos);
  const Bucket* enforced = w.find_bucket("extras-acl-enforced");
  CHECK(enforced->object_ownership == "BucketOwnerEnforced");
  CHECK_FALSE(enforced->acl_policy);  // ACLs have no effect

  // B6: the access point joins its bucket, with its policy and Block Public Access.
  auto [ap_bucket, ap] = w.find_access_point("666666666666", "extras-ap");
  REQUIRE(ap);
  CHECK(ap_bucket->name == "extras-data");
  CHECK(ap->arn == "arn:aws:s3:us-west-2:666666666666:accesspoint/extras-ap");
  REQUIRE(ap->policy);
  CHECK(ap->policy->json_text.find("app-reader") != std::string::npos);
  REQUIRE(ap->public_access_block);
  CHECK(ap->public_access_block->block_public_policy);

  // KM2: list-grants.
  const KmsKey* key = w.find_key("6a7b8c9d-0000-4e5f-8a9b-0c1d2e3f4a5b");
  REQUIRE(key);
  REQUIRE(key->grants.size() == 1);
  CHECK(key->grants[0].grantee == "arn:aws:iam::666666666666:role/app-reader");
  CHECK(key->grants[0].operations == std::vector<std::string>{"Decrypt", "DescribeKey"});
  CHECK(key->grants[0].name == "reader-decrypt");
  REQUIRE(key->grants_policy);

  // K8, K9: node groups with the launch template's metadata options; Fargate.
  const Cluster* c = w.find_cluster("extras-eks");
  REQUIRE(c);
  const NodeGroup* open = c->find_node_group("open");
  const NodeGroup* locked = c->find_node_group("locked");
  REQUIRE(open);
  REQUIRE(locked);
  CHECK(open->role_arn == "arn:aws:iam::666666666666:role/eks-node-open");
  REQUIRE(open->imds);
  CHECK(open->imds->hop_limit == 2);
  CHECK(open->imds->tokens_required == true);
  CHECK(open->imds->endpoint_enabled == true);
  CHECK(open->labels.at("pool") == "open");
  CHECK(open->labels.at("eks.amazonaws.com/nodegroup") == "open");
  REQUIRE(locked->imds);
  CHECK(locked->imds->hop_limit == 1);
  REQUIRE(locked->taints);
  REQUIRE(locked->taints->size() == 1);
  CHECK((*locked->taints)[0].effect == "NoSchedule");
  CHECK((*locked->taints)[0].value == "locked");
  REQUIRE(c->fargate_profiles.size() == 1);
  CHECK(c->fargate_profiles[0].pod_execution_role_arn == "arn:aws:iam::666666666666:role/eks-fargate-pods");
  REQUIRE(c->fargate_profiles[0].selectors.size() == 1);
  CHECK(c->fargate_profiles[0].selectors[0].namespace_name == "batch");
}

TEST_CASE("exports: what the late readers lack is a warning naming it, on the side that never widens",
          "[model][exports]") {
  ScratchExport x;
  x.copy_from(estates / "export-extras");
  x.remove(extras_account + "s3/extras-acl-on/get-bucket-acl.json");
  x.remove(extras_account + "us-west-2/kms/6a7b8c9d-0000-4e5f-8a9b-0c1d2e3f4a5b/list-grants.json");
  x.remove(extras_account + "s3/s3control-get-public-access-block.json");
  x.remove(extras_account + "us-west-2/s3control/access-points/extras-ap");
  x.remove(extras_cluster + "nodegroups/open/describe-launch-template-versions.json");
  auto load = load_world_argument(x.path());
  INFO(all_diagnostics(load.diagnostics));
  REQUIRE(load.ok());
  const std::string all = all_diagnostics(load.diagnostics);
  CHECK(all.find("extras-acl-on has no get-bucket-acl.json nor get-bucket-ownership-controls.json") !=
        std::string::npos);
  CHECK(all.find("has no list-grants.json") != std::string::npos);
  CHECK(all.find("no s3control-get-public-access-block.json") != std::string::npos);
  CHECK(all.find("access point extras-ap has no folder") != std::string::npos);
  CHECK(all.find("node group open uses a launch template") != std::string::npos);
  const World& w = *load.world;
  CHECK(w.find_bucket("extras-acl-on")->acl.empty());
  CHECK(w.find_key("6a7b8c9d-0000-4e5f-8a9b-0c1d2e3f4a5b")->grants.empty());
  auto [bucket, ap] = w.find_access_point("666666666666", "extras-ap");
  REQUIRE(ap);
  REQUIRE(ap->policy);
  CHECK(ap->policy->json_text.find("Deny") != std::string::npos);            // unseen: denies everything
  CHECK_FALSE(w.find_cluster("extras-eks")->find_node_group("open")->imds);  // unknown: reachable
}

TEST_CASE("exports: malformed late outputs are errors with the file and JSON pointer", "[model][exports]") {
  struct Case {
    std::string file, text, code, pointer;
  };
  const std::vector<Case> cases = {
      {extras_account + "s3/extras-data/get-bucket-ownership-controls.json",
       R"({"OwnershipControls": {"Rules": [{"ObjectOwnership": "Everyone"}]}})", "export.bad-value",
       "/OwnershipControls/Rules/0/ObjectOwnership"},
      {extras_account + "s3/extras-data/get-bucket-acl.json",
       R"({"Grants": [{"Grantee": {"Type": "Group", "URI": "x/global/AllUsers"}, "Permission": "ALL"}]})",
       "export.bad-value", "/Grants/0"},
      {extras_account + "s3/extras-data/get-public-access-block.json",
       R"({"PublicAccessBlockConfiguration": {"BlockPublicAcls": "yes"}})", "export.bad-shape",
       "/PublicAccessBlockConfiguration/BlockPublicAcls"},
      {extras_account + "us-west-2/kms/6a7b8c9d-0000-4e5f-8a9b-0c1d2e3f4a5b/list-grants.json",
       R"({"Grants": [{"GranteePrincipal": "arn:aws:iam::666666666666:role/app-other", "Operations": ["Fly"]}]})",
       "export.bad-value", "/Grants/0/Operations/0"},
      {extras_cluster + "nodegroups/open/describe-launch-template-versions.json",
       R"({"LaunchTemplateVersions": [{"VersionNumber": 2, "LaunchTemplateData": {"MetadataOptions": {"HttpPutResponseHopLimit": 99}}}]})",
       "export.bad-value", "/LaunchTemplateVersions/0/LaunchTemplateData/MetadataOptions/HttpPutResponseHopLimit"},
      {extras_cluster + "nodegroups/locked/describe-nodegroup.json",
       R"({"nodegroup": {"nodegroupName": "locked", "nodeRole": "arn:aws:iam::666666666666:role/eks-node-locked",
           "taints": [{"key": "k", "effect": "SOMETIMES"}]}})",
       "export.bad-value", "/nodegroup/taints/0/effect"},
      {extras_cluster + "fargate-profiles/batch.json", R"({"fargateProfile": {"fargateProfileName": "batch"}})",
       "export.missing-field", "/fargateProfile"},
      {extras_account + "us-west-2/s3control/list-access-points.json",
       R"({"AccessPointList": [{"Name": "extras-ap", "Bucket": "extras-data", "NetworkOrigin": "Moon"}]})",
       "export.bad-value", "/AccessPointList/0/NetworkOrigin"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.file) {
      ScratchExport x;
      x.copy_from(estates / "export-extras");
      x.write(c.file, c.text);
      auto load = load_world_argument(x.path());
      INFO(all_diagnostics(load.diagnostics));
      CHECK_FALSE(load.ok());
      bool found = false;
      for (const auto& item : load.diagnostics.items())
        if (item.code == c.code && item.where.pointer == c.pointer && item.where.file.ends_with(c.file)) found = true;
      CHECK(found);
    }
  }
}

TEST_CASE("exports: iam-collect's bpa.json is the bucket's Block Public Access", "[model][exports]") {
  ScratchExport x;
  x.copy_from(estates / "iam-collect");
  const std::string bpa = "aws/aws/accounts/555555555555/s3/estate-data-prod/bpa.json";
  x.write(bpa, R"({"BlockPublicAcls": true, "IgnorePublicAcls": false, "RestrictPublicBuckets": true})");
  auto load = load_world_argument(x.path());
  INFO(all_diagnostics(load.diagnostics));
  REQUIRE(load.ok());
  const Bucket* b = load.world->find_bucket("estate-data-prod");
  REQUIRE(b);
  REQUIRE(b->public_access_block);
  CHECK(b->public_access_block->block_public_acls);
  CHECK(b->public_access_block->restrict_public_buckets);
  CHECK_FALSE(b->public_access_block->ignore_public_acls);
  CHECK_FALSE(b->public_access_block->block_public_policy);  // left out: off

  x.write(bpa, R"({"RestrictPublicBuckets": "yes"})");
  auto bad = load_world_argument(x.path());
  CHECK_FALSE(bad.ok());
  CHECK(has_code(bad.diagnostics, "export.bad-shape", "/RestrictPublicBuckets"));
}

namespace {
const std::string collect_data = "aws/aws/accounts/555555555555/";
const std::string collect_aps = collect_data + "s3/us-west-2/accesspoint/";
}  // namespace

TEST_CASE("exports: iam-collect's account Block Public Access and access points are read",
          "[model][exports][iam-collect]") {
  auto load = load_world_argument(estates / "iam-collect");
  INFO(all_diagnostics(load.diagnostics));
  REQUIRE(load.ok());
  const World& w = *load.world;
  // accounts/ACCOUNT/s3-bpa.json
  const Account* apps = w.find_account("444444444444");
  REQUIRE(apps);
  REQUIRE(apps->public_access_block);
  CHECK(apps->public_access_block->restrict_public_buckets);
  CHECK(apps->public_access_block->ignore_public_acls);
  CHECK_FALSE(apps->public_access_block->block_public_policy);
  CHECK_FALSE(w.find_account("555555555555")->public_access_block);  // no file: none set
  // s3/REGION/accesspoint/NAME/: joined to its bucket, with its policy and Block Public Access;
  // the region folder is not taken for a bucket.
  CHECK_FALSE(w.find_bucket("us-west-2"));
  auto [bucket, reports] = w.find_access_point("555555555555", "estate-reports");
  REQUIRE(reports);
  CHECK(bucket->name == "estate-shared");
  CHECK(reports->arn == "arn:aws:s3:us-west-2:555555555555:accesspoint/estate-reports");
  CHECK(reports->region == "us-west-2");
  REQUIRE(reports->policy);
  CHECK(reports->policy->json_text.find("CiBotReadsReports") != std::string::npos);
  REQUIRE(reports->public_access_block);
  CHECK(reports->public_access_block->restrict_public_buckets);
  auto [same, open] = w.find_access_point("555555555555", "estate-public");
  REQUIRE(open);
  REQUIRE(open->public_access_block);
  CHECK_FALSE(open->public_access_block->restrict_public_buckets);
  // What iam-collect has no place for is said once: ACLs and grants are not seen.
  const std::string all = all_diagnostics(load.diagnostics);
  CHECK(all.find("does not collect bucket ACLs or Object Ownership") != std::string::npos);
  CHECK(all.find("does not collect KMS grants") != std::string::npos);
  CHECK(w.find_bucket("estate-shared")->object_ownership == "BucketOwnerEnforced");
}

TEST_CASE("exports: iam-collect, an access point is named by its metadata's ARN; what it lacks never widens",
          "[model][exports][iam-collect]") {
  ScratchExport x;
  x.copy_from(estates / "iam-collect");
  // The folder's name is only what the collector made of the name.
  fs::rename(x.path() / (collect_aps + "estate-reports"), x.path() / (collect_aps + "estate-reports%2dold"));
  x.remove(collect_aps + "estate-public/bpa.json");
  // An access point on a bucket the folder does not hold.
  x.write(collect_aps + "elsewhere/metadata.json",
          R"({"name": "elsewhere", "bucket": "not-collected", "networkOrigin": "VPC", "vpc": "vpc-1",
              "arn": "arn:aws:s3:us-west-2:555555555555:accesspoint/elsewhere"})");
  x.write(collect_aps + "elsewhere/bpa.json", R"({"BlockPublicAcls": true})");
  // A later collector's file in a bucket folder is reported, not skipped.
  x.write(collect_data + "s3/estate-shared/acl.json", R"({"Grants": []})");
  x.write("aws/aws/accounts/444444444444/eks/us-west-2/cluster/apps-prod/metadata.json",
          R"({"name": "apps-prod", "arn": "arn:aws:eks:us-west-2:444444444444:cluster/apps-prod"})");
  auto load = load_world_argument(x.path());
  const std::string all = all_diagnostics(load.diagnostics);
  INFO(all);
  REQUIRE(load.ok());
  const World& w = *load.world;
  auto [bucket, reports] = w.find_access_point("555555555555", "estate-reports");
  REQUIRE(reports);
  CHECK_FALSE(w.find_access_point("555555555555", "estate-reports%2dold").second);
  // No bpa.json: S3's default for access points, all on.
  auto [same, open] = w.find_access_point("555555555555", "estate-public");
  REQUIRE(open);
  REQUIRE(open->public_access_block);
  CHECK(open->public_access_block->restrict_public_buckets);
  CHECK(all.find("access point estate-public has no bpa.json") != std::string::npos);
  CHECK(has_code(load.diagnostics, "export.missing-bucket"));
  CHECK_FALSE(w.find_access_point("555555555555", "elsewhere").second);
  CHECK(all.find("acl.json, which iamsim does not read") != std::string::npos);
  CHECK(all.find("an EKS cluster's name, not its OIDC issuer") != std::string::npos);
  CHECK_FALSE(w.find_cluster("apps-prod"));
}

TEST_CASE("exports: malformed iam-collect access points and Block Public Access are errors with file and pointer",
          "[model][exports][iam-collect]") {
  struct Case {
    std::string file, text, code, pointer;
  };
  const std::vector<Case> cases = {
      {"aws/aws/accounts/444444444444/s3-bpa.json", R"({"RestrictPublicBuckets": "yes"})", "export.bad-shape",
       "/RestrictPublicBuckets"},
      {"aws/aws/accounts/444444444444/s3-bpa.json", R"(["BlockPublicAcls"])", "export.bad-shape", ""},
      {collect_aps + "estate-reports/metadata.json",
       R"({"bucket": "estate-shared", "networkOrigin": "Moon",
           "arn": "arn:aws:s3:us-west-2:555555555555:accesspoint/estate-reports"})",
       "export.bad-value", "/networkOrigin"},
      {collect_aps + "estate-reports/metadata.json",
       R"({"bucket": "estate-shared", "arn": "arn:aws:s3:us-west-2:666666666666:accesspoint/estate-reports"})",
       "export.wrong-account", "/arn"},
      {collect_aps + "estate-reports/metadata.json",
       R"({"bucket": "estate-shared", "arn": "arn:aws:s3:::estate-shared"})", "export.bad-value", "/arn"},
      {collect_aps + "estate-reports/metadata.json",
       R"({"arn": "arn:aws:s3:us-west-2:555555555555:accesspoint/estate-reports"})", "export.missing-field", ""},
      {collect_aps + "estate-reports/bpa.json", R"({"IgnorePublicAcls": 1})", "export.bad-shape", "/IgnorePublicAcls"},
      {collect_aps + "estate-reports/metadata.json",
       R"({"bucket": "estate-shared", "bucketAccount": "444444444444",
           "arn": "arn:aws:s3:us-west-2:555555555555:accesspoint/estate-reports"})",
       "export.wrong-account", ""},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.file << " " << c.code << " " << c.pointer) {
      ScratchExport x;
      x.copy_from(estates / "iam-collect");
      x.write(c.file, c.text);
      auto load = load_world_argument(x.path());
      INFO(all_diagnostics(load.diagnostics));
      CHECK_FALSE(load.ok());
      bool found = false;
      for (const auto& item : load.diagnostics.items())
        if (item.code == c.code && item.where.pointer == c.pointer && item.where.file.ends_with(c.file)) found = true;
      CHECK(found);
    }
  }
}
