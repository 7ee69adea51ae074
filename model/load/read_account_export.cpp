// Stage: model (load), real estates. One account folder of an export (docs/exports.md):
// its IAM principals, OIDC providers, buckets, KMS keys, EKS clusters with their kubectl
// lists, node groups, Fargate profiles and Pod Identity associations, and VPC endpoints.
// Files the layout does not know are reported.
#include <algorithm>
#include <set>

#include "engine/syntax/arn_view.hpp"
#include "model/load/aws_names.hpp"
#include "model/load/builtin_policies.hpp"
#include "model/load/derived_policies.hpp"
#include "model/load/kubernetes.hpp"
#include "model/load/read_exports.hpp"
#include "model/load/scenario_files.hpp"

namespace iamsim::model::load {
namespace {

namespace fs = std::filesystem;

class AccountExportReader {
 public:
  AccountExportReader(const fs::path& folder, Account& a, AccountExportLinks& links, Diagnostics& d)
      : dir_(folder), a_(a), links_(links), d_(d) {}

  void run() {
    for (const auto& p : entries_of(dir_, &d_)) {
      const std::string name = p.filename().string();
      if (name == "iam" && is_folder(p))
        iam(p);
      else if (name == "s3" && is_folder(p))
        s3(p);
      else if (is_folder(p) && is_region(name))
        region(p, name);
      else
        other(p);
    }
  }

 private:
  // A file or folder the layout does not know.
  void other(const fs::path& p) {
    d_.warning("export.unknown-file", {p.string(), "", 0, 0},
               "not part of the export layout (docs/exports.md); not read");
  }

  void iam(const fs::path& folder) {
    for (const auto& p : entries_of(folder, &d_)) {
      const std::string name = p.filename().string();
      if (name == "get-account-authorization-details.json") {
        if (auto f = ExportFile::read(p, d_)) read_authorization_details(*f, a_);
      } else if (name == "oidc-providers" && is_folder(p)) {
        for (const auto& file : entries_of(p, &d_)) oidc_provider(file);
      } else {
        other(p);
      }
    }
  }

  // `aws iam get-open-id-connect-provider`: its Url has no scheme; the account is the folder's.
  void oidc_provider(const fs::path& file) {
    auto f = ExportFile::read(file, d_);
    if (!f) return;
    auto url = f->string_member(f->root(), "Url");
    if (!url) return;
    OidcProvider p;
    p.url = url->starts_with("https://") ? *url : "https://" + *url;
    while (p.url.ends_with("/")) p.url.pop_back();
    p.account_id = a_.id;
    p.arn = "arn:aws:iam::" + a_.id + ":oidc-provider/" + p.url.substr(8);
    p.client_ids = f->strings_member(f->root(), "ClientIDList");
    p.where = {file.string(), "", 0, 0};
    if (std::any_of(a_.oidc_providers.begin(), a_.oidc_providers.end(),
                    [&](const OidcProvider& o) { return o.url == p.url; })) {
      f->error("export.duplicate", f->root(), "account " + a_.id + " has two OIDC provider files for " + p.url);
      return;
    }
    a_.oidc_providers.push_back(std::move(p));
  }

  // s3/: one folder per bucket, and the account's Block Public Access.
  void s3(const fs::path& folder) {
    bool account_block = false;
    for (const auto& p : entries_of(folder, &d_)) {
      const std::string name = p.filename().string();
      if (name == "s3control-get-public-access-block.json" && !is_folder(p)) {
        account_block = true;
        read_account_public_access_block(p, a_, d_);
      } else if (!read_bucket_export(p, a_, d_)) {
        d_.error("export.bad-layout", {p.string(), "", 0, 0},
                 "s3/ holds one folder per bucket, named as the bucket; '" + name + "' is not a bucket name");
      }
    }
    if (!account_block && !a_.buckets.empty())
      d_.warning("export.missing-file", {folder.string(), "", 0, 0},
                 "s3/ has no s3control-get-public-access-block.json; the account-level Block Public Access of " +
                     a_.id + " is not seen (taken as off)");
  }

  void region(const fs::path& folder, const std::string& region) {
    for (const auto& p : entries_of(folder, &d_)) {
      const std::string name = p.filename().string();
      if (name == "kms" && is_folder(p)) {
        for (const auto& k : entries_of(p, &d_)) {
          if (k.filename() == "list-aliases.json")
            kms_aliases(k, region);
          else if (is_folder(k))
            kms_key(k, region);
          else
            other(k);
        }
      } else if (name == "eks" && is_folder(p)) {
        for (const auto& c : entries_of(p, &d_)) cluster(c, region);
      } else if (name == "s3control" && is_folder(p)) {
        read_access_points_export(p, a_, region, links_.access_points, d_);
      } else if (name == "ec2" && is_folder(p)) {
        for (const auto& e : entries_of(p, &d_))
          if (e.filename() == "describe-vpc-endpoints.json")
            vpc_endpoints(e, region);
          else
            other(e);
      } else {
        other(p);
      }
    }
  }

  void kms_aliases(const fs::path& file, const std::string& region) {
    auto f = ExportFile::read(file, d_);
    if (!f) return;
    for (const auto& alias : f->array_member(f->root(), "Aliases", true)) {
      auto name = f->string_member(alias, "AliasName");
      auto key = f->string_member(alias, "TargetKeyId", false);
      if (!name || !key) continue;  // an alias of no key
      const std::string prefix = "arn:aws:kms:" + region + ":" + a_.id + ":";
      links_.aliases[prefix + *name] = prefix + "key/" + *key;
    }
  }

  void kms_key(const fs::path& folder, const std::string& region) {
    const fs::path describe = folder / "describe-key.json";
    if (!path_exists(describe)) {
      d_.error("export.missing-file", {folder.string(), "", 0, 0},
               "a key folder holds describe-key.json (aws kms describe-key)");
      return;
    }
    auto f = ExportFile::read(describe, d_);
    if (!f) return;
    auto meta = f->member(f->root(), "KeyMetadata");
    if (!meta) return;
    auto id = f->string_member(*meta, "KeyId");
    auto arn = f->string_member(*meta, "Arn");
    if (!id || !arn) return;
    KmsKey k;
    k.id = *id;
    k.region = region;
    k.account_id = a_.id;
    k.arn = *arn;
    if (k.arn != "arn:aws:kms:" + region + ":" + a_.id + ":key/" + k.id) {
      f->error("export.wrong-account", *meta,
               "key " + k.arn + " is not in the account and region of its folder (" + a_.id + ", " + region + ")");
      return;
    }
    k.aws_managed = f->string_member(*meta, "KeyManager", false).value_or("CUSTOMER") == "AWS";
    k.where = {describe.string(), "", 0, 0};
    const fs::path policy = folder / "get-key-policy.json";
    bool have_policy = false;
    if (path_exists(policy)) {
      if (auto pf = ExportFile::read(policy, d_))
        if (auto doc = pf->member(pf->root(), "Policy"))
          if (auto d = pf->policy(*doc, "key policy of " + k.id)) {
            k.policy = std::move(*d);
            have_policy = true;
          }
    } else {
      d_.warning("export.missing-file", k.where,
                 "key " + k.arn + " has no get-key-policy.json; the key is taken to allow nothing");
    }
    if (!have_policy) {
      k.policy.name = "key policy of " + k.id + " (not in the export: allows nothing)";
      k.policy.json_text = R"({"Version":"2012-10-17","Statement":[]})";
      k.policy.origin = k.where;
    }
    for (const auto& p : entries_of(folder, &d_)) {
      const std::string name = p.filename().string();
      if (name == "list-resource-tags.json") {
        if (auto tf = ExportFile::read(p, d_))
          if (auto t = tf->member(tf->root(), "Tags")) k.tags = tf->tags(*t);
      } else if (name == "list-grants.json") {
        if (auto gf = ExportFile::read(p, d_)) grants(*gf, k);
      } else if (name != "describe-key.json" && name != "get-key-policy.json") {
        other(p);
      }
    }
    if (!path_exists(folder / "list-grants.json") && !k.aws_managed)
      d_.warning("export.missing-file", k.where,
                 "key " + k.arn + " has no list-grants.json; what its grants allow is not seen");
    if (!k.grants.empty()) k.grants_policy = grants_policy(k);
    a_.kms_keys.push_back(std::move(k));
  }

  // `aws kms list-grants`: each grant's grantee, operations and encryption context constraints.
  void grants(ExportFile& f, KmsKey& k) {
    if (auto truncated = f.boolean_member(f.root(), "Truncated"); truncated && *truncated) {
      f.warning("export.truncated", f.root(),
                "the output is one page of several (Truncated): the other pages' grants are missing");
      a_.unseen.push_back("the grants of KMS key " + k.id + " are one page of several");
    }
    for (const auto& g : f.array_member(f.root(), "Grants", true)) {
      auto grantee = f.string_member(g, "GranteePrincipal");
      if (!grantee) continue;
      KmsGrant grant;
      grant.id = f.string_member(g, "GrantId", false).value_or("#" + std::to_string(k.grants.size()));
      grant.name = f.string_member(g, "Name", false).value_or("");
      grant.grantee = *grantee;
      grant.retiring_principal = f.string_member(g, "RetiringPrincipal", false).value_or("");
      if (auto key = f.string_member(g, "KeyId", false); key && *key != k.arn && *key != k.id) {
        f.error("export.bad-value", g, "grant " + grant.id + " is on key " + *key + ", not on " + k.arn);
        continue;
      }
      bool ok = true;
      for (const auto& op : f.array_member(g, "Operations", true)) {
        auto name = f.string(op, "an operation");
        if (!name) continue;
        if (!is_grant_operation(*name)) {
          f.error("export.bad-value", op, "'" + *name + "' is not an operation a KMS grant can allow");
          ok = false;
          continue;
        }
        grant.operations.push_back(*name);
      }
      if (!ok) continue;
      if (grant.operations.empty()) {
        f.error("export.missing-field", g, "grant " + grant.id + " allows no operation");
        continue;
      }
      if (auto c = f.member(g, "Constraints", false)) {
        if (auto subset = f.member(*c, "EncryptionContextSubset", false)) grant.context_subset = f.tags(*subset);
        if (auto equals = f.member(*c, "EncryptionContextEquals", false)) grant.context_equals = f.tags(*equals);
      }
      grant.where = f.at(g);
      k.grants.push_back(std::move(grant));
    }
  }

  void cluster(const fs::path& folder, const std::string& region) {
    const fs::path describe = folder / "describe-cluster.json";
    if (!is_folder(folder) || !path_exists(describe)) {
      d_.error("export.missing-file", {folder.string(), "", 0, 0},
               "an EKS cluster folder holds describe-cluster.json (aws eks describe-cluster)");
      return;
    }
    auto f = ExportFile::read(describe, d_);
    if (!f) return;
    auto c_at = f->member(f->root(), "cluster");
    if (!c_at) return;
    auto name = f->string_member(*c_at, "name");
    if (!name) return;
    Cluster c;
    c.name = *name;
    c.region = region;
    c.account_id = a_.id;
    c.arn =
        f->string_member(*c_at, "arn", false).value_or("arn:aws:eks:" + region + ":" + a_.id + ":cluster/" + c.name);
    c.where = {describe.string(), "", 0, 0};
    if (auto identity = f->member(*c_at, "identity", false))
      if (auto oidc = f->member(*identity, "oidc", false))
        if (auto issuer = f->string_member(*oidc, "issuer", false)) {
          c.oidc_issuer = *issuer;
          while (c.oidc_issuer.ends_with("/")) c.oidc_issuer.pop_back();
        }
    KubernetesObjects objects;
    for (const auto& p : entries_of(folder, &d_)) {
      const std::string entry = p.filename().string();
      if (entry == "describe-cluster.json") continue;
      if (entry == "kubectl" && is_folder(p)) {
        for (const auto& file : yaml_files_under(p, d_, "k8s.missing-file")) {
          load_manifest_file(file, objects, d_);
          c.manifests.push_back(file.string());
        }
      } else if (entry == "pod-identity-associations" && is_folder(p)) {
        for (const auto& file : entries_of(p, &d_)) association(file, c);
      } else if (entry == "nodegroups" && is_folder(p)) {
        for (const auto& g : entries_of(p, &d_)) read_node_group_export(g, c, d_);
      } else if (entry == "fargate-profiles" && is_folder(p)) {
        for (const auto& file : entries_of(p, &d_)) read_fargate_profile_export(file, c, d_);
      } else {
        other(p);
      }
    }
    complete_cluster_objects(objects, d_);
    c.namespaces.assign(objects.namespaces.begin(), objects.namespaces.end());
    c.service_accounts = std::move(objects.service_accounts);
    c.workloads = std::move(objects.workloads);
    for (const auto& p : c.pod_identity_associations)
      if (std::none_of(c.service_accounts.begin(), c.service_accounts.end(), [&](const ServiceAccount& s) {
            return s.namespace_name == p.namespace_name && s.name == p.service_account;
          }))
        d_.warning("export.unknown-service-account", p.where,
                   "no kubectl list of cluster " + c.name + " holds service account " + p.namespace_name + "/" +
                       p.service_account);
    a_.clusters.push_back(std::move(c));
  }

  // `aws eks describe-pod-identity-association` (list-pod-identity-associations has no role).
  void association(const fs::path& file, Cluster& c) {
    auto f = ExportFile::read(file, d_);
    if (!f) return;
    auto at = f->member(f->root(), "association");
    if (!at) return;
    auto ns = f->string_member(*at, "namespace");
    auto sa = f->string_member(*at, "serviceAccount");
    auto role = f->string_member(*at, "roleArn");
    if (!ns || !sa || !role) return;
    PodIdentityAssociation p;
    p.namespace_name = *ns;
    p.service_account = *sa;
    p.role_arn = *role;
    p.where = f->at(*at);
    const auto parts = syntax::split_arn(*role);
    if (!parts || parts->account != c.account_id) {
      f->error("export.bad-value", *at,
               "roleArn " + *role + " is not a role of the cluster's account " + c.account_id + " (K5)");
      return;
    }
    if (auto t = f->string_member(*at, "targetRoleArn", false); t && !t->empty()) p.target_role_arn = *t;
    if (auto e = f->string_member(*at, "externalId", false); e && !e->empty()) p.external_id = *e;
    p.disable_session_tags = f->boolean_member(*at, "disableSessionTags").value_or(false);
    for (const auto& o : c.pod_identity_associations)
      if (o.namespace_name == p.namespace_name && o.service_account == p.service_account) {
        f->error("export.duplicate", *at,
                 "service account " + p.namespace_name + "/" + p.service_account + " of cluster " + c.name +
                     " has two Pod Identity associations (one role per service account, K5)");
        return;
      }
    c.pod_identity_associations.push_back(std::move(p));
  }

  void vpc_endpoints(const fs::path& file, const std::string& region) {
    auto f = ExportFile::read(file, d_);
    if (!f) return;
    for (const auto& e : f->array_member(f->root(), "VpcEndpoints", true)) {
      auto id = f->string_member(e, "VpcEndpointId");
      auto service = f->string_member(e, "ServiceName");
      if (!id || !service) continue;
      VpcEndpoint v;
      v.id = *id;
      v.service = *service;
      v.vpc_id = f->string_member(e, "VpcId", false).value_or("");
      v.account_id = a_.id;
      v.where = f->at(e);
      if (auto doc = f->member(e, "PolicyDocument", false)) {
        auto d = f->policy(*doc, "endpoint policy of " + v.id);
        if (!d) continue;
        v.policy = std::move(*d);
      } else {
        v.policy = default_endpoint_policy();
      }
      (void)region;
      a_.vpc_endpoints.push_back(std::move(v));
    }
  }

  fs::path dir_;
  Account& a_;
  AccountExportLinks& links_;
  Diagnostics& d_;
};

}  // namespace

void read_account_export(const fs::path& folder, Account& a, AccountExportLinks& links, Diagnostics& diagnostics) {
  AccountExportReader(folder, a, links, diagnostics).run();
}

void resolve_bucket_keys(World& w, const KmsAliases& aliases, Diagnostics& diagnostics) {
  w.build_indexes();
  for (auto& a : w.accounts)
    for (auto& b : a.buckets) {
      if (!b.kms_key) continue;
      std::string ref = *b.kms_key;
      const std::string local = "arn:aws:kms:" + b.region + ":" + b.account_id + ":";
      if (!ref.starts_with("arn:")) ref = local + (ref.starts_with("alias/") ? ref : "key/" + ref);
      if (auto it = aliases.find(ref); it != aliases.end()) ref = it->second;
      if (const KmsKey* key = w.find_key(ref)) {
        b.kms_key_arn = key->arn;
        continue;
      }
      b.kms_key_arn = ref;
      diagnostics.warning("export.missing-key", b.where,
                          "bucket " + b.name + " is encrypted with " + *b.kms_key +
                              ", a key the export does not hold; reads and writes of its objects are not seen past "
                              "KMS");
    }
}

}  // namespace iamsim::model::load
