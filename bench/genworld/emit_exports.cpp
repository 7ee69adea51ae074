// Bench: synthetic world generator. Writes the built world as an export folder
// (docs/exports.md): what `aws` and `kubectl` would print for each account, cluster and the
// organization, one file per command, in the shapes the AWS CLI prints (4-space JSON,
// policies of get-bucket-policy, get-key-policy and describe-policy as JSON strings, IAM's
// documents decoded). Beside it, world.yaml imports the folder and states the expectations,
// so every generated size also runs through iamsim's export readers.
#include <cstdint>
#include <map>
#include <set>
#include <sstream>

#include "emit.hpp"
#include "render.hpp"

namespace genworld {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

constexpr const char* created = "2026-01-15T10:00:00+00:00";

// The CLI prints JSON indented by four spaces.
std::string cli(const json& j) { return j.dump(4) + "\n"; }

// A stable id of `length` characters from `alphabet`, derived from `seed` (FNV-1a, then a
// linear congruential stream), for ids AWS assigns that no expectation names.
std::string stable_id(const std::string& seed, std::size_t length, std::string_view alphabet) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : seed) h = (h ^ c) * 1099511628211ull;
  std::string out;
  for (std::size_t i = 0; i < length; ++i) {
    h = h * 6364136223846793005ull + 1442695040888963407ull;
    out += alphabet[(h >> 33) % alphabet.size()];
  }
  return out;
}
constexpr std::string_view upper_digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::string_view lower_digits = "abcdefghijklmnopqrstuvwxyz0123456789";

json tag_list(const std::map<std::string, std::string>& tags, const char* key = "Key", const char* value = "Value") {
  json out = json::array();
  for (const auto& [k, v] : tags) out.push_back({{key, k}, {value, v}});
  return out;
}

// Indents a multi-document manifest into the items of one `kind: List`, as
// `kubectl get ... -A -o yaml` prints them.
std::string as_kubectl_list(const std::string& manifest_text) {
  std::ostringstream y;
  y << "apiVersion: v1\nkind: List\nmetadata:\n  resourceVersion: \"\"\nitems:\n";
  std::istringstream in(manifest_text);
  std::string line;
  bool first_of_item = true;
  while (std::getline(in, line)) {
    if (line.starts_with("#")) continue;
    if (line == "---") {
      first_of_item = true;
      continue;
    }
    y << (first_of_item ? "- " : "  ") << line << "\n";
    first_of_item = false;
  }
  return y.str();
}

class ExportWriter {
 public:
  ExportWriter(const World& w, Writer& files) : w_(w), files_(files) {
    root_id_ = "r-" + w.org_id.substr(2, 4);
    for (std::size_t u = 1; u < w.units.size(); ++u) {
      std::string n = std::to_string(u);
      unit_ids_.push_back("ou-" + root_id_.substr(2) + "-" + std::string(8 - n.size(), '0') + n);
    }
    policy_names_ = {{"p-FullAWSAccess", "FullAWSAccess"},
                     {"p-datadel01", "deny-data-deletion"},
                     {"p-keydel001", "deny-kms-key-deletion"},
                     {"p-sandbox01", "sandbox-data-perimeter"},
                     {"p-orgonly01", "org-only-rcp"}};
  }

  void organization() {
    const std::string mgmt = w_.accounts[w_.management].id;
    const std::string org_arn = "arn:aws:organizations::" + mgmt + ":organization/" + w_.org_id;
    org("describe-organization.json", {{"Organization",
                                        {{"Id", w_.org_id},
                                         {"Arn", org_arn},
                                         {"FeatureSet", "ALL"},
                                         {"MasterAccountArn", account_arn(w_.management)},
                                         {"MasterAccountId", mgmt},
                                         {"MasterAccountEmail", email(w_.management)}}}});
    org("list-roots.json", {{"Roots",
                             {{{"Id", root_id_},
                               {"Arn", "arn:aws:organizations::" + mgmt + ":root/" + w_.org_id + "/" + root_id_},
                               {"Name", "Root"},
                               {"PolicyTypes",
                                {{{"Type", "SERVICE_CONTROL_POLICY"}, {"Status", "ENABLED"}},
                                 {{"Type", "RESOURCE_CONTROL_POLICY"}, {"Status", "ENABLED"}}}}}}}});
    for (std::size_t u = 0; u < w_.units.size(); ++u) {
      const Unit& unit = w_.units[u];
      json units = json::array(), accounts = json::array();
      for (int child : unit.children)
        units.push_back({{"Id", unit_id(child)}, {"Arn", unit_arn(child)}, {"Name", w_.units[child].name}});
      for (int a : unit.accounts)
        accounts.push_back({{"Id", w_.accounts[a].id},
                            {"Arn", account_arn(a)},
                            {"Email", email(a)},
                            {"Name", w_.accounts[a].name},
                            {"Status", "ACTIVE"},
                            {"State", "ACTIVE"},
                            {"JoinedMethod", "CREATED"},
                            {"JoinedTimestamp", created}});
      org("list-organizational-units-for-parent." + unit_id(static_cast<int>(u)) + ".json",
          {{"OrganizationalUnits", units}});
      org("list-accounts-for-parent." + unit_id(static_cast<int>(u)) + ".json", {{"Accounts", accounts}});
    }
    // Targets of each policy, as the scenario's units and accounts list them; FullAWSAccess
    // is attached everywhere, as AWS attaches it by default.
    std::map<std::string, json> targets;
    for (const auto& [id, name] : policy_names_) targets[id] = json::array();
    for (std::size_t u = 0; u < w_.units.size(); ++u) {
      const Unit& unit = w_.units[u];
      const int i = static_cast<int>(u);
      targets["p-FullAWSAccess"].push_back(unit_target(i));
      if (unit.deny_delete) targets["p-datadel01"].push_back(unit_target(i));
      if (unit.deny_key_deletion) targets["p-keydel001"].push_back(unit_target(i));
      if (unit.sandbox_perimeter) targets["p-sandbox01"].push_back(unit_target(i));
    }
    targets["p-orgonly01"].push_back(unit_target(0));
    for (std::size_t a = 0; a < w_.accounts.size(); ++a) {
      if (!w_.in_org(static_cast<int>(a))) continue;
      targets["p-FullAWSAccess"].push_back(account_target(static_cast<int>(a)));
      if (w_.accounts[a].deny_delete) targets["p-datadel01"].push_back(account_target(static_cast<int>(a)));
    }
    const std::map<std::string, json> contents = {{"p-datadel01", deny_data_deletion_scp()},
                                                  {"p-keydel001", deny_key_deletion_scp()},
                                                  {"p-sandbox01", sandbox_perimeter_scp()},
                                                  {"p-orgonly01", org_only_rcp(w_.org_id)}};
    json scps = json::array(), rcps = json::array();
    rcps.push_back(summary_of("p-RCPFullAWSAccess", "RCPFullAWSAccess", true, true));
    for (const auto& [id, name] : policy_names_) {
      const bool rcp = id == "p-orgonly01";
      const bool aws = id == "p-FullAWSAccess";
      json s = summary_of(id, name, rcp, aws);
      (rcp ? rcps : scps).push_back(s);
      if (!aws)
        org("describe-policy." + id + ".json",
            {{"Policy", {{"PolicySummary", s}, {"Content", contents.at(id).dump(2)}}}});
      org("list-targets-for-policy." + id + ".json", {{"Targets", targets[id]}});
    }
    org("list-policies.SERVICE_CONTROL_POLICY.json", {{"Policies", scps}});
    org("list-policies.RESOURCE_CONTROL_POLICY.json", {{"Policies", rcps}});
  }

  void account(int index) {
    const Account& a = w_.accounts[index];
    const std::string dir = "export/accounts/" + a.id + "/";
    authorization_details(a, dir);
    for (const Provider& p : a.providers) {
      const std::string host = p.issuer.substr(std::string_view("https://").size());
      files_.file(dir + "iam/oidc-providers/" + host.substr(host.rfind('/') + 1) + ".json",
                  cli({{"Url", host},
                       {"ClientIDList", p.client_ids},
                       {"ThumbprintList", {"9e99a48a9960b14926bb7f3b02e22da2b0ab7280"}},
                       {"CreateDate", created},
                       {"Tags", json::array()}}));
    }
    for (int b : a.buckets) bucket(w_.buckets[b], dir);
    // The scenario sets no Block Public Access: every setting off, as S3 prints it.
    if (!a.buckets.empty())
      files_.file(dir + "s3/s3control-get-public-access-block.json", cli({{"PublicAccessBlockConfiguration",
                                                                           {{"BlockPublicAcls", false},
                                                                            {"IgnorePublicAcls", false},
                                                                            {"BlockPublicPolicy", false},
                                                                            {"RestrictPublicBuckets", false}}}}));
    std::set<std::string> key_regions;
    for (int k : a.keys) {
      key(w_.keys[k], dir);
      key_regions.insert(w_.keys[k].region);
    }
    for (const auto& region : key_regions)
      files_.file(dir + region + "/kms/list-aliases.json", cli({{"Aliases", json::array()}}));
    for (int c : a.clusters) cluster(w_.clusters[c], dir);
  }

 private:
  void org(const std::string& name, const json& j) { files_.file("export/organizations/" + name, cli(j)); }

  std::string unit_id(int u) const { return u == 0 ? root_id_ : unit_ids_[static_cast<std::size_t>(u - 1)]; }
  std::string mgmt() const { return w_.accounts[w_.management].id; }
  std::string unit_arn(int u) const {
    return "arn:aws:organizations::" + mgmt() + ":ou/" + w_.org_id + "/" + unit_id(u);
  }
  std::string account_arn(int a) const {
    return "arn:aws:organizations::" + mgmt() + ":account/" + w_.org_id + "/" + w_.accounts[a].id;
  }
  std::string email(int a) const { return "aws+" + w_.accounts[a].name + "@example.com"; }
  json unit_target(int u) const {
    if (u == 0)
      return {{"TargetId", root_id_},
              {"Arn", "arn:aws:organizations::" + mgmt() + ":root/" + w_.org_id + "/" + root_id_},
              {"Name", "Root"},
              {"Type", "ROOT"}};
    return {
        {"TargetId", unit_id(u)}, {"Arn", unit_arn(u)}, {"Name", w_.units[u].name}, {"Type", "ORGANIZATIONAL_UNIT"}};
  }
  json account_target(int a) const {
    return {
        {"TargetId", w_.accounts[a].id}, {"Arn", account_arn(a)}, {"Name", w_.accounts[a].name}, {"Type", "ACCOUNT"}};
  }
  json summary_of(const std::string& id, const std::string& name, bool rcp, bool aws) const {
    const std::string type = rcp ? "resource_control_policy" : "service_control_policy";
    return {{"Id", id},
            {"Arn", aws ? "arn:aws:organizations::aws:policy/" + type + "/" + id
                        : "arn:aws:organizations::" + mgmt() + ":policy/" + w_.org_id + "/" + type + "/" + id},
            {"Name", name},
            {"Description", aws ? "Allows access to every operation" : ""},
            {"Type", rcp ? "RESOURCE_CONTROL_POLICY" : "SERVICE_CONTROL_POLICY"},
            {"AwsManaged", aws}};
  }

  // aws iam get-account-authorization-details: the account's roles, each with its inline
  // policy and the shared managed policies attached, which the account then holds itself.
  void authorization_details(const Account& a, const std::string& dir) {
    json roles = json::array();
    std::map<int, int> attachments;  // named policy -> roles attached
    for (int ri : a.roles) {
      const Role& r = w_.roles[ri];
      json inline_policies = json::array(), attached = json::array();
      for (int p : r.policies) {
        const Policy& policy = w_.policies[p];
        if (policy.named) {
          attached.push_back({{"PolicyName", policy.name}, {"PolicyArn", managed_arn(a, policy)}});
          ++attachments[p];
        } else if (!policy.stmts.empty()) {
          const std::string name = inline_policies.empty()
                                       ? r.name + "-policy"
                                       : r.name + "-policy-" + std::to_string(inline_policies.size() + 1);
          inline_policies.push_back({{"PolicyName", name}, {"PolicyDocument", identity_policy(w_, policy)}});
        }
      }
      json role = {{"Path", r.path},
                   {"RoleName", r.name},
                   {"Arn", r.arn},
                   {"CreateDate", created},
                   {"AssumeRolePolicyDocument", trust_policy(r)},
                   {"InstanceProfileList", json::array()},
                   {"RolePolicyList", inline_policies},
                   {"AttachedManagedPolicies", attached},
                   {"Tags", tag_list(r.tags)},
                   {"RoleLastUsed", json::object()}};
      roles.push_back(std::move(role));
    }
    json policies = json::array();
    for (const auto& [p, count] : attachments) {
      const Policy& policy = w_.policies[p];
      const std::string arn = managed_arn(a, policy);
      policies.push_back({{"PolicyName", policy.name},
                          {"PolicyId", "ANPA" + stable_id(arn, 17, upper_digits)},
                          {"Arn", arn},
                          {"Path", "/"},
                          {"DefaultVersionId", "v1"},
                          {"AttachmentCount", count},
                          {"PermissionsBoundaryUsageCount", 0},
                          {"IsAttachable", true},
                          {"CreateDate", created},
                          {"UpdateDate", created},
                          {"PolicyVersionList",
                           {{{"Document", identity_policy(w_, policy)},
                             {"VersionId", "v1"},
                             {"IsDefaultVersion", true},
                             {"CreateDate", created}}}}});
    }
    files_.file(dir + "iam/get-account-authorization-details.json", cli({{"UserDetailList", json::array()},
                                                                         {"GroupDetailList", json::array()},
                                                                         {"RoleDetailList", roles},
                                                                         {"Policies", policies}}));
  }

  static std::string managed_arn(const Account& a, const Policy& p) {
    return "arn:aws:iam::" + a.id + ":policy/" + p.name;
  }

  void bucket(const Bucket& b, const std::string& dir) {
    const std::string at = dir + "s3/" + b.name + "/";
    files_.file(at + "get-bucket-location.json",
                cli({{"LocationConstraint", b.region == "us-east-1" ? json(nullptr) : json(b.region)}}));
    if (b.has_policy) files_.file(at + "get-bucket-policy.json", cli({{"Policy", bucket_policy(w_, b).dump()}}));
    json by_default = b.key >= 0 ? json{{"SSEAlgorithm", "aws:kms"}, {"KMSMasterKeyID", w_.keys[b.key].arn}}
                                 : json{{"SSEAlgorithm", "AES256"}};
    files_.file(
        at + "get-bucket-encryption.json",
        cli({{"ServerSideEncryptionConfiguration",
              {{"Rules", {{{"ApplyServerSideEncryptionByDefault", by_default}, {"BucketKeyEnabled", false}}}}}}}));
    if (!b.tags.empty()) files_.file(at + "get-bucket-tagging.json", cli({{"TagSet", tag_list(b.tags)}}));
    // ACLs disabled (S3's default since 2023); the ACL then holds only the owner.
    files_.file(at + "get-bucket-ownership-controls.json",
                cli({{"OwnershipControls", {{"Rules", {{{"ObjectOwnership", "BucketOwnerEnforced"}}}}}}}));
    const std::string owner = stable_id(w_.accounts[b.account].id, 64, "0123456789abcdef");
    files_.file(
        at + "get-bucket-acl.json",
        cli({{"Owner", {{"ID", owner}}},
             {"Grants", {{{"Grantee", {{"ID", owner}, {"Type", "CanonicalUser"}}}, {"Permission", "FULL_CONTROL"}}}}}));
  }

  void key(const Key& k, const std::string& dir) {
    const std::string at = dir + k.region + "/kms/" + k.id + "/";
    files_.file(at + "describe-key.json", cli({{"KeyMetadata",
                                                {{"AWSAccountId", w_.accounts[k.account].id},
                                                 {"KeyId", k.id},
                                                 {"Arn", k.arn},
                                                 {"CreationDate", created},
                                                 {"Enabled", true},
                                                 {"Description", k.description},
                                                 {"KeyUsage", "ENCRYPT_DECRYPT"},
                                                 {"KeyState", "Enabled"},
                                                 {"Origin", "AWS_KMS"},
                                                 {"KeyManager", "CUSTOMER"},
                                                 {"CustomerMasterKeySpec", "SYMMETRIC_DEFAULT"},
                                                 {"KeySpec", "SYMMETRIC_DEFAULT"},
                                                 {"EncryptionAlgorithms", {"SYMMETRIC_DEFAULT"}},
                                                 {"MultiRegion", false}}}}));
    files_.file(at + "get-key-policy.json", cli({{"Policy", key_policy(w_, k).dump(2)}, {"PolicyName", "default"}}));
    files_.file(at + "list-grants.json", cli({{"Grants", json::array()}, {"Truncated", false}}));
    files_.file(
        at + "list-resource-tags.json",
        cli({{"Tags", tag_list({{"description", k.description}}, "TagKey", "TagValue")}, {"Truncated", false}}));
  }

  void cluster(const Cluster& c, const std::string& dir) {
    const std::string at = dir + c.region + "/eks/" + c.name + "/";
    files_.file(at + "describe-cluster.json",
                cli({{"cluster",
                      {{"name", c.name},
                       {"arn", c.arn()},
                       {"createdAt", created},
                       {"version", "1.31"},
                       {"endpoint", "https://" + c.issuer_id + ".gr7." + c.region + ".eks.amazonaws.com"},
                       {"roleArn", "arn:aws:iam::" + c.account_id + ":role/eks-cluster-" + c.name},
                       {"identity", {{"oidc", {{"issuer", c.issuer()}}}}},
                       {"status", "ACTIVE"},
                       {"platformVersion", "eks.12"},
                       {"accessConfig", {{"authenticationMode", "API_AND_CONFIG_MAP"}}}}}}));
    for (const Association& a : c.associations) {
      const std::string id = "a-" + stable_id(c.name + "/" + a.ns + "/" + a.sa, 17, lower_digits);
      json association = {
          {"clusterName", c.name}, {"namespace", a.ns}, {"serviceAccount", a.sa}, {"roleArn", w_.roles[a.role].arn}};
      if (a.target >= 0) association["targetRoleArn"] = w_.roles[a.target].arn;
      if (a.external_id) association["externalId"] = *a.external_id;
      association["disableSessionTags"] = a.disable_tags;
      association["associationArn"] =
          "arn:aws:eks:" + c.region + ":" + c.account_id + ":podidentityassociation/" + c.name + "/" + id;
      association["associationId"] = id;
      association["tags"] = json::object();
      association["createdAt"] = created;
      association["modifiedAt"] = created;
      files_.file(at + "pod-identity-associations/" + id + ".json", cli({{"association", association}}));
    }
    files_.file(at + "kubectl/get-all-A.yaml",
                "# kubectl get namespaces,serviceaccounts,deployments,statefulsets,jobs,cronjobs,"
                "inferenceservices -A -o yaml\n" +
                    as_kubectl_list(manifest(w_, c)));
  }

  const World& w_;
  Writer& files_;
  std::string root_id_;
  std::vector<std::string> unit_ids_;
  std::map<std::string, std::string> policy_names_;  // id -> name, FullAWSAccess and the generator's
};

// world.yaml beside the export: imports it, sets the defaults, states the expectations.
std::string importing_scenario(const World& w, const std::vector<Expectation>& expectations) {
  const Params& p = w.params;
  std::ostringstream y;
  y << "# Generated by iamsim-genworld --accounts " << p.accounts << " --service-accounts " << p.service_accounts
    << " --expectations " << p.expectations << " --seed " << p.seed << " --emit exports\n";
  y << "# The world is the export folder export/ (docs/exports.md); every expectation's answer follows from\n"
    << "# how the generator built its path (bench/genworld/oracle.cpp).\n";
  y << "apiVersion: iamsim/v1\nname: " << q("genworld-" + std::to_string(p.seed)) << "\n";
  y << "description: "
    << q("Synthetic ML organization of " + w.company + " as AWS and kubectl exports: " +
         std::to_string(w.accounts.size()) + " accounts, " + std::to_string(w.clusters.size()) + " EKS clusters")
    << "\n";
  y << "import:\n  - exports: export\n";
  y << "defaults:\n  current_time: \"2026-06-01T12:00:00Z\"\n";
  write_expectations(y, w, expectations);
  return y.str();
}

}  // namespace

EmitStats emit_exports(const World& w, const std::vector<Expectation>& expectations) {
  const fs::path root = w.params.out;
  fs::create_directories(root);
  for (const char* stale : {"world.yaml", "genworld-summary.json", "policies", "k8s", "export"})
    fs::remove_all(root / stale);
  Writer files(root);
  ExportWriter x(w, files);
  x.organization();
  for (std::size_t a = 0; a < w.accounts.size(); ++a) x.account(static_cast<int>(a));
  files.file("world.yaml", importing_scenario(w, expectations));
  files.file("genworld-summary.json", summary(w, expectations, files.stats).dump(2) + "\n");
  return files.stats;
}

}  // namespace genworld
