// Bench: synthetic world generator. Renders the world description as policy JSON, scenario
// YAML and Kubernetes manifests. Policies follow the shapes of the AWS documentation
// (docs/rules.md cites them): IRSA and Pod Identity trust policies, bucket policies with
// role, ABAC and organization statements, key policies with the usual statements.
#include "emit.hpp"

#include "render.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>

namespace genworld {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {
constexpr const char* version = "2012-10-17";
}  // namespace

// A YAML double-quoted scalar.
std::string q(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string root_arn(const std::string& account_id) { return "arn:aws:iam::" + account_id + ":root"; }

namespace {
json one_or_list(const std::vector<std::string>& v) {
  if (v.size() == 1) return v.front();
  return json(v);
}

// Sids are unique within a policy (G5): a repeated one gets a number.
void unique_sids(json& statements) {
  std::set<std::string> used;
  for (auto& st : statements) {
    std::string sid = st["Sid"].get<std::string>();
    for (int i = 2; !used.insert(sid).second; ++i) sid = st["Sid"].get<std::string>() + std::to_string(i);
    st["Sid"] = sid;
  }
}

std::string sid_part(const std::string& s) {
  std::string out;
  bool up = true;
  for (char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      out += up && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
      up = false;
    } else {
      up = true;
    }
  }
  return out;
}
}  // namespace

// ---- policies -------------------------------------------------------------------------------
json trust_policy(const Role& r) {
  json statements = json::array();
  for (const TrustStmt& t : r.trust) {
    json st;
    st["Sid"] = t.sid;
    st["Effect"] = "Allow";
    json condition = json::object();
    switch (t.kind) {
      case TrustKind::WebIdentity: {
        st["Principal"] = {{"Federated", "arn:aws:iam::" + t.provider_account + ":oidc-provider/" + t.issuer_host}};
        st["Action"] = "sts:AssumeRoleWithWebIdentity";
        json equals = json::object();
        if (t.aud) equals[t.issuer_host + ":aud"] = *t.aud;
        if (t.sub == SubMatch::Equals) equals[t.issuer_host + ":sub"] = t.sub_value;
        if (!equals.empty()) condition["StringEquals"] = equals;
        if (t.sub == SubMatch::Like) condition["StringLike"] = {{t.issuer_host + ":sub", t.sub_value}};
        break;
      }
      case TrustKind::PodIdentity: {
        st["Principal"] = {{"Service", "pods.eks.amazonaws.com"}};
        st["Action"] = t.tag_session ? json({"sts:AssumeRole", "sts:TagSession"}) : json("sts:AssumeRole");
        json equals = json::object();
        if (t.source_account) equals["aws:SourceAccount"] = *t.source_account;
        if (t.request_tag_namespace) equals["aws:RequestTag/kubernetes-namespace"] = *t.request_tag_namespace;
        if (!equals.empty()) condition["StringEquals"] = equals;
        if (t.source_arn) condition["ArnEquals"] = {{"aws:SourceArn", *t.source_arn}};
        break;
      }
      case TrustKind::Aws: {
        std::vector<std::string> principals;
        for (const auto& p : t.aws) principals.push_back(p.starts_with("arn:") ? p : root_arn(p));
        st["Principal"] = {{"AWS", one_or_list(principals)}};
        st["Action"] = t.tag_session ? json({"sts:AssumeRole", "sts:TagSession"}) : json("sts:AssumeRole");
        if (t.external_id) condition["StringEquals"] = {{"sts:ExternalId", *t.external_id}};
        break;
      }
    }
    if (!condition.empty()) st["Condition"] = condition;
    statements.push_back(st);
  }
  return {{"Version", version}, {"Statement", statements}};
}

json identity_policy(const World& w, const Policy& p) {
  json statements = json::array();
  for (const IdStmt& s : p.stmts) {
    switch (s.kind) {
      case IdKind::S3: {
        const std::string arn = w.bucket_arn(s.bucket);
        if (!s.ns_prefix) {
          statements.push_back({{"Sid", s.sid},
                                {"Effect", "Allow"},
                                {"Action", one_or_list(level_actions(s.level))},
                                {"Resource", {arn, arn + "/*"}}});
          break;
        }
        statements.push_back({{"Sid", s.sid + "List"},
                              {"Effect", "Allow"},
                              {"Action", {"s3:ListBucket", "s3:GetBucketLocation"}},
                              {"Resource", arn}});
        std::vector<std::string> object_actions = {"s3:GetObject"};
        if (s.level == Level::ReadWrite) object_actions.push_back("s3:PutObject");
        if (s.level == Level::Full) object_actions = {"s3:*"};
        statements.push_back({{"Sid", s.sid + "Objects"},
                              {"Effect", "Allow"},
                              {"Action", one_or_list(object_actions)},
                              {"Resource", arn + "/${aws:PrincipalTag/kubernetes-namespace}/*"}});
        break;
      }
      case IdKind::Kms: {
        std::vector<std::string> actions = {"kms:Decrypt"};
        if (s.kms_write) actions.push_back("kms:GenerateDataKey");
        statements.push_back(
            {{"Sid", s.sid}, {"Effect", "Allow"}, {"Action", one_or_list(actions)}, {"Resource", w.keys[s.key].arn}});
        break;
      }
      case IdKind::Assume: {
        std::vector<std::string> targets;
        for (int t : s.targets) targets.push_back(w.roles[t].arn);
        std::vector<std::string> actions = {"sts:AssumeRole"};
        if (s.tag_session) actions.push_back("sts:TagSession");
        statements.push_back({{"Sid", s.sid},
                              {"Effect", "Allow"},
                              {"Action", one_or_list(actions)},
                              {"Resource", one_or_list(targets)}});
        break;
      }
      case IdKind::KmsAdmin:
        statements.push_back({{"Sid", s.sid},
                              {"Effect", "Allow"},
                              {"Action", "kms:*"},
                              {"Resource", "arn:aws:kms:*:" + w.accounts[s.account].id + ":key/*"}});
        break;
      case IdKind::Other:
        statements.push_back({{"Sid", s.sid}, {"Effect", "Allow"}, {"Action", s.other_actions}, {"Resource", "*"}});
        break;
    }
  }
  unique_sids(statements);
  return {{"Version", version}, {"Statement", statements}};
}

json bucket_policy(const World& w, const Bucket& b) {
  const std::string arn = "arn:aws:s3:::" + b.name;
  const json resources = {arn, arn + "/*"};
  json statements = json::array();
  statements.push_back({{"Sid", "DenyInsecureTransport"},
                        {"Effect", "Deny"},
                        {"Principal", "*"},
                        {"Action", "s3:*"},
                        {"Resource", resources},
                        {"Condition", {{"Bool", {{"aws:SecureTransport", "false"}}}}}});
  std::map<Level, std::vector<std::string>> by_level;
  std::vector<std::string> partners;
  for (const auto& [arn_of_role, level] : b.role_grants) {
    auto it = w.role_by_arn.find(arn_of_role);
    if (it != w.role_by_arn.end() && !w.in_org(w.roles[it->second].account))
      partners.push_back(arn_of_role);
    else
      by_level[level].push_back(arn_of_role);
  }
  const std::map<Level, std::string> sids = {
      {Level::Read, "ReadOnlyRoles"}, {Level::ReadWrite, "ReadWriteRoles"}, {Level::Full, "FullAccessRoles"}};
  for (const auto& [level, arns] : by_level)
    statements.push_back({{"Sid", sids.at(level)},
                          {"Effect", "Allow"},
                          {"Principal", {{"AWS", one_or_list(arns)}}},
                          {"Action", one_or_list(level_actions(level))},
                          {"Resource", resources}});
  if (!partners.empty())
    statements.push_back({{"Sid", "PartnerRead"},
                          {"Effect", "Allow"},
                          {"Principal", {{"AWS", one_or_list(partners)}}},
                          {"Action", one_or_list(level_actions(Level::Read))},
                          {"Resource", resources}});
  for (const TagGrant& g : b.tag_grants) {
    std::vector<std::string> namespaces(g.namespaces.begin(), g.namespaces.end());
    statements.push_back({{"Sid", "EksNamespacesOf" + sid_part(g.cluster)},
                          {"Effect", "Allow"},
                          {"Principal", {{"AWS", root_arn(g.account_id)}}},
                          {"Action", one_or_list(level_actions(g.level))},
                          {"Resource", resources},
                          {"Condition",
                           {{"StringEquals",
                             {{"aws:PrincipalTag/eks-cluster-name", g.cluster},
                              {"aws:PrincipalTag/kubernetes-namespace", one_or_list(namespaces)}}}}}});
  }
  if (b.org_read)
    statements.push_back({{"Sid", "OrganizationRead"},
                          {"Effect", "Allow"},
                          {"Principal", "*"},
                          {"Action", {"s3:GetObject", "s3:ListBucket"}},
                          {"Resource", resources},
                          {"Condition", {{"StringEquals", {{"aws:PrincipalOrgID", w.org_id}}}}}});
  return {{"Version", version}, {"Id", "BucketPolicy"}, {"Statement", statements}};
}

json key_policy(const World& w, const Key& k) {
  const std::string owner = w.accounts[k.account].id;
  const json via_s3 = {{"StringEquals", {{"kms:ViaService", "s3." + k.region + ".amazonaws.com"}}}};
  json statements = json::array();
  statements.push_back({{"Sid", "Enable IAM User Permissions"},
                        {"Effect", "Allow"},
                        {"Principal", {{"AWS", root_arn(owner)}}},
                        {"Action", "kms:*"},
                        {"Resource", "*"}});
  if (!k.admin_role_arn.empty())
    statements.push_back({{"Sid", "Allow access for Key Administrators"},
                          {"Effect", "Allow"},
                          {"Principal", {{"AWS", k.admin_role_arn}}},
                          {"Action", key_admin_actions()},
                          {"Resource", "*"}});
  std::vector<std::string> readers, writers;
  for (const auto& [arn, write] : k.role_grants) (write ? writers : readers).push_back(arn);
  if (!readers.empty())
    statements.push_back({{"Sid", "Allow readers to decrypt through S3"},
                          {"Effect", "Allow"},
                          {"Principal", {{"AWS", one_or_list(readers)}}},
                          {"Action", {"kms:Decrypt", "kms:DescribeKey"}},
                          {"Resource", "*"},
                          {"Condition", via_s3}});
  if (!writers.empty())
    statements.push_back({{"Sid", "Allow writers to use the key through S3"},
                          {"Effect", "Allow"},
                          {"Principal", {{"AWS", one_or_list(writers)}}},
                          {"Action", {"kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"}},
                          {"Resource", "*"},
                          {"Condition", via_s3}});
  if (!k.account_grants.empty()) {
    std::vector<std::string> roots;
    for (const auto& a : k.account_grants) roots.push_back(root_arn(a));
    statements.push_back({{"Sid", "Allow other accounts to use the key through S3"},
                          {"Effect", "Allow"},
                          {"Principal", {{"AWS", one_or_list(roots)}}},
                          {"Action", {"kms:Decrypt", "kms:GenerateDataKey*"}},
                          {"Resource", "*"},
                          {"Condition", via_s3}});
  }
  return {{"Version", version}, {"Id", "key-policy-" + k.id.substr(0, 8)}, {"Statement", statements}};
}

json deny_data_deletion_scp() {
  return {{"Version", version},
          {"Statement",
           {{{"Sid", "ProtectProductionData"},
             {"Effect", "Deny"},
             {"Action", {"s3:DeleteObject", "s3:DeleteObjectVersion", "s3:DeleteBucket"}},
             {"Resource", "*"}}}}};
}

json deny_key_deletion_scp() {
  return {{"Version", version},
          {"Statement",
           {{{"Sid", "ProtectKmsKeys"},
             {"Effect", "Deny"},
             {"Action", {"kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:DeleteImportedKeyMaterial"}},
             {"Resource", "*"}}}}};
}

json sandbox_perimeter_scp() {
  return {{"Version", version},
          {"Statement",
           {{{"Sid", "SandboxKeepsToItsOwnData"},
             {"Effect", "Deny"},
             {"Action", "s3:*"},
             {"Resource", "*"},
             {"Condition", {{"StringNotEquals", {{"aws:ResourceAccount", "${aws:PrincipalAccount}"}}}}}}}}};
}

json org_only_rcp(const std::string& org_id) {
  return {{"Version", version},
          {"Statement",
           {{{"Sid", "EnforceOrgIdentities"},
             {"Effect", "Deny"},
             {"Principal", "*"},
             {"Action", {"s3:*", "kms:*"}},
             {"Resource", "*"},
             {"Condition",
              {{"StringNotEqualsIfExists", {{"aws:PrincipalOrgID", org_id}}},
               {"BoolIfExists", {{"aws:PrincipalIsAWSService", "false"}}}}}}}}};
}

// ---- Kubernetes manifests -------------------------------------------------------------------
std::string manifest(const World& w, const Cluster& c) {
  std::ostringstream y;
  y << "# Kubernetes objects of EKS cluster " << c.name << " (account " << c.account_id << ", " << c.region << ")\n";
  bool first = true;
  auto doc = [&]() {
    if (!first) y << "---\n";
    first = false;
  };
  std::map<std::string, std::string> team_of;
  for (int index : c.sas) team_of[w.sas[index].ns] = w.sas[index].team;
  for (const auto& ns : c.namespaces) {
    doc();
    y << "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " << ns << "\n  labels:\n    team: " << team_of[ns]
      << "\n";
  }
  for (int index : c.sas) {
    const ServiceAccount& sa = w.sas[index];
    if (sa.cat == SaCat::ImplicitDefault) continue;
    doc();
    y << "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: " << sa.name << "\n  namespace: " << sa.ns
      << "\n  labels:\n    app.kubernetes.io/part-of: " << sa.team << "\n";
    if (sa.irsa_role >= 0) {
      y << "  annotations:\n    eks.amazonaws.com/role-arn: " << w.roles[sa.irsa_role].arn << "\n";
      if (sa.audience) y << "    eks.amazonaws.com/audience: " << q(*sa.audience) << "\n";
      if (sa.cat == SaCat::Infra) y << "    eks.amazonaws.com/sts-regional-endpoints: \"true\"\n";
    }
  }
  for (const Workload& wl : c.workloads) {
    doc();
    auto pod_spec = [&](const std::string& indent) {
      if (!wl.sa.empty()) y << indent << "serviceAccountName: " << wl.sa << "\n";
      y << indent << "containers:\n" << indent << "  - name: main\n" << indent << "    image: " << wl.image << "\n";
    };
    if (wl.kind == "InferenceService") {
      y << "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: " << wl.name
        << "\n  namespace: " << wl.ns << "\nspec:\n  predictor:\n";
      if (!wl.sa.empty()) y << "    serviceAccountName: " << wl.sa << "\n";
      y << "    model:\n      modelFormat:\n        name: "
        << (wl.name.find("xgb") != std::string::npos ? "xgboost" : "pytorch")
        << "\n      storageUri: " << wl.storage_uri << "\n";
      if (!wl.transformer_sa.empty())
        y << "  transformer:\n    serviceAccountName: " << wl.transformer_sa
          << "\n    containers:\n      - name: kserve-container\n        image: " << wl.image << "\n";
      continue;
    }
    const bool batch = wl.kind == "Job" || wl.kind == "CronJob";
    y << "apiVersion: " << (batch ? "batch/v1" : "apps/v1") << "\nkind: " << wl.kind
      << "\nmetadata:\n  name: " << wl.name << "\n  namespace: " << wl.ns << "\n  labels:\n    app: " << wl.name
      << "\nspec:\n";
    if (wl.kind == "CronJob") {
      y << "  schedule: \"0 3 * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          "
           "restartPolicy: OnFailure\n";
      pod_spec("          ");
    } else if (wl.kind == "Job") {
      y << "  backoffLimit: 2\n  template:\n    spec:\n      restartPolicy: Never\n";
      pod_spec("      ");
    } else {
      y << "  replicas: " << wl.replicas << "\n";
      if (wl.kind == "StatefulSet") y << "  serviceName: " << wl.name << "\n";
      y << "  selector:\n    matchLabels:\n      app: " << wl.name
        << "\n  template:\n    metadata:\n      labels:\n        app: " << wl.name << "\n    spec:\n";
      pod_spec("      ");
    }
  }
  return y.str();
}

namespace {

// ---- the scenario ---------------------------------------------------------------------------
class ScenarioWriter {
 public:
  ScenarioWriter(const World& w, const std::vector<Expectation>& e, Writer& files) : w_(w), e_(e), files_(files) {}

  std::string render() {
    const Params& p = w_.params;
    y_ << "# Generated by iamsim-genworld --accounts " << p.accounts << " --service-accounts " << p.service_accounts
       << " --expectations " << p.expectations << " --seed " << p.seed << "\n";
    y_ << "# Every expectation's answer follows from how the generator built its path (bench/genworld/oracle.cpp);\n"
       << "# the comment after a one-line expectation, or the start of a name, is its kind.\n";
    y_ << "apiVersion: iamsim/v1\nname: " << q("genworld-" + std::to_string(p.seed)) << "\n";
    y_ << "description: "
       << q("Synthetic ML organization of " + w_.company + ": " + std::to_string(w_.accounts.size()) + " accounts, " +
            std::to_string(w_.clusters.size()) + " EKS clusters, " + std::to_string(explicit_sas()) +
            " service accounts")
       << "\n";
    organization();
    named_policies();
    y_ << "accounts:\n";
    for (std::size_t a = 0; a < w_.accounts.size(); ++a) account(static_cast<int>(a));
    y_ << "defaults:\n  current_time: \"2026-06-01T12:00:00Z\"\n";
    expectations();
    return y_.str();
  }

 private:
  std::size_t explicit_sas() const {
    return static_cast<std::size_t>(std::count_if(
        w_.sas.begin(), w_.sas.end(), [](const ServiceAccount& s) { return s.cat != SaCat::ImplicitDefault; }));
  }

  std::string account_list(const std::vector<int>& accounts) const {
    std::string out = "[";
    for (std::size_t i = 0; i < accounts.size(); ++i) out += (i ? ", " : "") + q(w_.accounts[accounts[i]].id);
    return out + "]";
  }

  void unit(int u, const std::string& indent, bool root) {
    const Unit& unit = w_.units[u];
    std::string in = indent;
    if (root) {
      y_ << indent << "root:\n";
      in += "  ";
    } else {
      y_ << indent << "- name: " << unit.name << "\n";
      in += "  ";
    }
    std::vector<std::string> scps = {"FullAWSAccess"};
    if (unit.deny_delete) scps.push_back("deny-data-deletion");
    if (unit.deny_key_deletion) scps.push_back("deny-kms-key-deletion");
    if (unit.sandbox_perimeter) scps.push_back("sandbox-data-perimeter");
    y_ << in << "scps: [";
    for (std::size_t i = 0; i < scps.size(); ++i) y_ << (i ? ", " : "") << scps[i];
    y_ << "]\n";
    if (root) y_ << in << "rcps: [org-only-rcp]\n";
    if (!unit.accounts.empty()) y_ << in << "accounts: " << account_list(unit.accounts) << "\n";
    if (!unit.children.empty()) {
      y_ << in << "units:\n";
      for (int child : unit.children) unit_child(child, in + "  ");
    }
  }
  void unit_child(int u, const std::string& indent) { unit(u, indent, false); }

  void organization() {
    y_ << "organization:\n  id: " << w_.org_id << "\n  management_account: " << q(w_.accounts[w_.management].id)
       << "\n";
    unit(0, "  ", true);
  }

  void named_policies() {
    files_.file("policies/org/deny-data-deletion.json", deny_data_deletion_scp().dump(2) + "\n");
    files_.file("policies/org/deny-kms-key-deletion.json", deny_key_deletion_scp().dump(2) + "\n");
    files_.file("policies/org/sandbox-data-perimeter.json", sandbox_perimeter_scp().dump(2) + "\n");
    files_.file("policies/org/org-only-rcp.json", org_only_rcp(w_.org_id).dump(2) + "\n");
    y_ << "policies:\n";
    y_ << "  deny-data-deletion: {file: policies/org/deny-data-deletion.json}\n";
    y_ << "  deny-kms-key-deletion: {file: policies/org/deny-kms-key-deletion.json}\n";
    y_ << "  sandbox-data-perimeter: {file: policies/org/sandbox-data-perimeter.json}\n";
    y_ << "  org-only-rcp: {file: policies/org/org-only-rcp.json}\n";
    for (const Policy& p : w_.policies) {
      if (!p.named) continue;
      const std::string rel = "policies/iam/" + p.name + ".json";
      files_.file(rel, identity_policy(w_, p).dump(2) + "\n");
      y_ << "  " << p.name << ": {file: " << rel << "}\n";
    }
  }

  void tags(const std::string& indent, const std::map<std::string, std::string>& t) {
    if (t.empty()) return;
    y_ << indent << "tags: {";
    bool first = true;
    for (const auto& [k, v] : t) {
      y_ << (first ? "" : ", ") << k << ": " << q(v);
      first = false;
    }
    y_ << "}\n";
  }

  void account(int index) {
    const Account& a = w_.accounts[index];
    y_ << "  - id: " << q(a.id) << "\n    name: " << q(a.name) << "\n";
    if (a.unit >= 0 && (a.list_scps || a.deny_delete))
      y_ << "    scps: [FullAWSAccess" << (a.deny_delete ? ", deny-data-deletion" : "") << "]\n";
    if (!a.providers.empty()) {
      y_ << "    oidc_providers:\n";
      for (const Provider& p : a.providers) {
        y_ << "      - url: " << p.issuer << "\n        client_ids: [";
        for (std::size_t i = 0; i < p.client_ids.size(); ++i) y_ << (i ? ", " : "") << p.client_ids[i];
        y_ << "]\n";
      }
    }
    if (!a.roles.empty()) {
      y_ << "    roles:\n";
      for (int r : a.roles) role(w_.roles[r]);
    }
    if (!a.keys.empty()) {
      y_ << "    kms_keys:\n";
      for (int k : a.keys) {
        const Key& key = w_.keys[k];
        const std::string rel = "policies/keys/" + key.id + ".json";
        files_.file(rel, key_policy(w_, key).dump(2) + "\n");
        y_ << "      - id: " << key.id << "\n        region: " << key.region << "\n        policy: {file: " << rel
           << "}\n";
        y_ << "        tags: {description: " << q(key.description) << "}\n";
      }
    }
    if (!a.buckets.empty()) {
      y_ << "    buckets:\n";
      for (int b : a.buckets) {
        const Bucket& bucket = w_.buckets[b];
        y_ << "      - name: " << bucket.name << "\n        region: " << bucket.region << "\n";
        if (bucket.has_policy) {
          const std::string rel = "policies/buckets/" + bucket.name + ".json";
          files_.file(rel, bucket_policy(w_, bucket).dump(2) + "\n");
          y_ << "        policy: {file: " << rel << "}\n";
        }
        if (bucket.key >= 0) y_ << "        encryption: {kms_key: " << w_.keys[bucket.key].id << "}\n";
        tags("        ", bucket.tags);
      }
    }
    if (!a.clusters.empty()) {
      y_ << "    clusters:\n";
      for (int ci : a.clusters) cluster(w_.clusters[ci]);
    }
  }

  void role(const Role& r) {
    y_ << "      - name: " << r.name << "\n";
    if (r.path != "/") y_ << "        path: " << r.path << "\n";
    if (!r.description.empty()) y_ << "        description: " << q(r.description) << "\n";
    y_ << "        trust: {document: " << trust_policy(r).dump() << "}\n";
    std::vector<std::string> items;
    for (int p : r.policies) {
      const Policy& policy = w_.policies[p];
      if (policy.named)
        items.push_back(policy.name);
      else if (!policy.stmts.empty())
        items.push_back("{document: " + identity_policy(w_, policy).dump() + "}");
    }
    if (!items.empty()) {
      y_ << "        policies:\n";
      for (const auto& item : items) y_ << "          - " << item << "\n";
    }
    tags("        ", r.tags);
  }

  void cluster(const Cluster& c) {
    const std::string rel = "k8s/" + c.name + ".yaml";
    files_.file(rel, manifest(w_, c));
    y_ << "      - name: " << c.name << "\n        region: " << c.region << "\n        oidc_issuer: " << c.issuer()
       << "\n        manifests: [" << rel << "]\n";
    if (c.associations.empty()) return;
    y_ << "        pod_identity_associations:\n";
    for (const Association& a : c.associations) {
      y_ << "          - {namespace: " << a.ns << ", service_account: " << a.sa << ", role: " << w_.roles[a.role].name;
      if (a.target >= 0) y_ << ", target_role: " << q(w_.roles[a.target].arn);
      if (a.external_id) y_ << ", external_id: " << q(*a.external_id);
      if (a.disable_tags) y_ << ", disable_session_tags: true";
      y_ << "}\n";
    }
  }

  void expectations() { write_expectations(y_, w_, e_); }

  const World& w_;
  const std::vector<Expectation>& e_;
  Writer& files_;
  std::ostringstream y_;
};

}  // namespace

json summary(const World& w, const std::vector<Expectation>& expectations, const EmitStats& stats) {
  std::map<std::string, int> by_kind, by_outcome;
  for (const auto& k : expectation_kinds()) by_kind[k] = 0;
  for (const auto& e : expectations) {
    ++by_kind[e.kind];
    ++by_outcome[std::string(to_string(e.verdict.outcome))];
  }
  std::size_t workloads = 0, associations = 0, explicit_sas = 0;
  for (const auto& c : w.clusters) {
    workloads += c.workloads.size();
    associations += c.associations.size();
  }
  for (const auto& s : w.sas) explicit_sas += s.cat != SaCat::ImplicitDefault;
  json j;
  j["generator"] = "iamsim-genworld";
  j["params"] = {{"accounts", w.params.accounts},
                 {"service_accounts", w.params.service_accounts},
                 {"expectations", w.params.expectations},
                 {"seed", w.params.seed}};
  j["world"] = {
      {"organization", w.org_id},         {"accounts", w.accounts.size()}, {"roles", w.roles.size()},
      {"buckets", w.buckets.size()},      {"kms_keys", w.keys.size()},     {"clusters", w.clusters.size()},
      {"service_accounts", explicit_sas}, {"workloads", workloads},        {"pod_identity_associations", associations}};
  j["expectations"] = {{"total", expectations.size()}, {"by_outcome", by_outcome}, {"by_kind", by_kind}};
  j["files"] = stats.files + 1;
  return j;
}

void write_expectations(std::ostream& y, const World& w, const std::vector<Expectation>& expectations) {
  y << "expectations:\n";
  for (const Expectation& e : expectations) {
    const std::string principal = principal_text(w, e.principal);
    const std::string resource = resource_text(w, e.resource);
    const std::string expect(to_string(e.verdict.outcome));
    if (e.long_form) {
      y << "  - name: " << q(e.kind + ": " + principal + " " + e.action + " " + resource) << "\n";
      y << "    description: "
        << q(kind_description(e.kind) + "; expected: " + std::string(to_string(e.verdict.reason))) << "\n";
      y << "    principal: " << q(principal) << "\n    action: " << e.action << "\n    resource: " << q(resource)
        << "\n    expect: " << expect << "\n";
    } else {
      y << "  - " << expect << " " << principal << " " << e.action << " " << resource << "  # " << e.kind << "\n";
    }
  }
}

EmitStats emit_world(const World& w, const std::vector<Expectation>& expectations) {
  const fs::path root = w.params.out;
  fs::create_directories(root);
  // Only what this generator writes is replaced; anything else in the folder stays.
  for (const char* stale : {"world.yaml", "genworld-summary.json", "policies", "k8s", "export"})
    fs::remove_all(root / stale);
  Writer files(root);
  ScenarioWriter scenario(w, expectations, files);
  files.file("world.yaml", scenario.render());
  files.file("genworld-summary.json", summary(w, expectations, files.stats).dump(2) + "\n");
  return files.stats;
}

}  // namespace genworld
