// Bench: synthetic world generator. The generator's own description of the world it builds:
// what each role, bucket, key, cluster and service account *means* (who it trusts, what it
// grants), before any of it is written as policy JSON or YAML. The oracle (oracle.hpp)
// answers expectations from this description alone, following docs/rules.md; it never
// reads the rendered policies and never calls iamsim's code.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace genworld {

struct Params {
  int accounts = 20;
  int service_accounts = 500;
  int expectations = 2000;
  std::uint64_t seed = 1;
  std::filesystem::path out;
  bool emit_exports = false;  // --emit exports: the export layout instead of scenario YAML
};

// ---- S3 access levels -------------------------------------------------------------------
enum class Level { Read, ReadWrite, Full };

inline bool is_bucket_action(std::string_view a) {
  return a == "s3:ListBucket" || a == "s3:GetBucketLocation" || a == "s3:DeleteBucket";
}

// What a grant of `level` on a bucket and its objects allows (B1: bucket actions on the bucket
// ARN, object actions on object ARNs; the caller asks each on its own kind of resource).
inline bool level_grants(Level level, std::string_view action) {
  if (level == Level::Full) return action.starts_with("s3:");
  if (action == "s3:GetObject" || action == "s3:ListBucket" || action == "s3:GetBucketLocation") return true;
  return level == Level::ReadWrite && action == "s3:PutObject";
}

inline std::vector<std::string> level_actions(Level level) {
  switch (level) {
    case Level::Read: return {"s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"};
    case Level::ReadWrite: return {"s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:GetBucketLocation"};
    case Level::Full: return {"s3:*"};
  }
  return {};
}

inline std::string_view level_name(Level level) {
  switch (level) {
    case Level::Read: return "read";
    case Level::ReadWrite: return "read-write";
    case Level::Full: return "full";
  }
  return "";
}

// The classic "key administrators" statement of a KMS key policy: manage, never use.
inline std::vector<std::string> key_admin_actions() {
  return {"kms:Create*",
          "kms:Describe*",
          "kms:Enable*",
          "kms:List*",
          "kms:Put*",
          "kms:Update*",
          "kms:Revoke*",
          "kms:Disable*",
          "kms:Get*",
          "kms:Delete*",
          "kms:TagResource",
          "kms:UntagResource",
          "kms:ScheduleKeyDeletion",
          "kms:CancelKeyDeletion"};
}

// ---- organization and accounts ----------------------------------------------------------
struct Unit {
  std::string name;
  int parent = -1;  // -1 for the root
  std::vector<int> children;
  std::vector<int> accounts;
  bool deny_delete = false;        // SCP: deny s3:DeleteObject, DeleteObjectVersion, DeleteBucket
  bool deny_key_deletion = false;  // SCP: deny kms:ScheduleKeyDeletion, DisableKey, ...
  bool sandbox_perimeter = false;  // SCP: deny s3:* on resources of other accounts
};

enum class AccountKind { Management, Serving, Storage, Shared, Partner };

struct Provider {
  std::string issuer;  // https://oidc.eks.REGION.amazonaws.com/id/ID
  std::vector<std::string> client_ids;
};

struct Account {
  std::string id;
  std::string name;
  AccountKind kind = AccountKind::Serving;
  int unit = -1;  // the unit it is placed in; 0 = directly under the root; -1 = outside the org
  std::string region;
  std::string env;           // prod, staging, dev, sandbox, shared, ...
  bool list_scps = false;    // writes scps: [FullAWSAccess, ...] explicitly
  bool deny_delete = false;  // the data-deletion SCP is attached to the account itself
  std::vector<Provider> providers;
  std::vector<int> roles, buckets, keys, clusters;
  int artifacts_bucket = -1;
  int abac_bucket = -1;
  int kms_admin_role = -1;
  int steward_role = -1;
};

// ---- IAM ----------------------------------------------------------------------------------
enum class TrustKind { WebIdentity, PodIdentity, Aws };
enum class SubMatch { None, Equals, Like };

struct TrustStmt {
  TrustKind kind = TrustKind::Aws;
  std::string sid;
  // WebIdentity: Federated = the provider for `issuer_host` in `provider_account`.
  std::string provider_account;
  std::string issuer_host;
  std::optional<std::string> aud;  // StringEquals HOST:aud
  SubMatch sub = SubMatch::None;   // StringEquals / StringLike HOST:sub
  std::string sub_value;
  // PodIdentity: Service pods.eks.amazonaws.com.
  bool tag_session = true;                           // Action also lists sts:TagSession (PodIdentity and Aws)
  std::optional<std::string> source_account;         // StringEquals aws:SourceAccount
  std::optional<std::string> source_arn;             // ArnEquals aws:SourceArn
  std::optional<std::string> request_tag_namespace;  // StringEquals aws:RequestTag/kubernetes-namespace
  // Aws: role ARNs or 12-digit account ids (written as arn:aws:iam::ID:root).
  std::vector<std::string> aws;
  std::optional<std::string> external_id;  // StringEquals sts:ExternalId
};

enum class IdKind { S3, Kms, Assume, KmsAdmin, Other };

struct IdStmt {
  IdKind kind = IdKind::S3;
  std::string sid;
  int bucket = -1;  // S3
  Level level = Level::Read;
  bool ns_prefix = false;                  // objects only under ${aws:PrincipalTag/kubernetes-namespace}/
  int key = -1;                            // Kms
  bool kms_write = false;                  // Kms: kms:GenerateDataKey as well as kms:Decrypt
  std::vector<int> targets;                // Assume: role indices
  bool tag_session = false;                // Assume: sts:TagSession too
  int account = -1;                        // KmsAdmin: every key of this account
  std::vector<std::string> other_actions;  // Other: Resource "*", never s3/kms/sts
};

struct Policy {
  std::string name;  // named policies: the name in `policies:`; else unused
  bool named = false;
  std::vector<IdStmt> stmts;
};

struct Role {
  int account = -1;
  std::string name;
  std::string path = "/";
  std::string arn;
  std::string description;
  std::vector<TrustStmt> trust;
  std::vector<int> policies;  // indices into World::policies; the first is its inline policy
  std::map<std::string, std::string> tags;
  std::vector<int> target_sources;  // chain targets: Aws trust statements added per source
};

// ---- S3 and KMS ---------------------------------------------------------------------------
struct TagGrant {  // Principal = the account; Condition on the Pod Identity session tags (K6)
  std::string account_id;
  std::string cluster;
  std::set<std::string> namespaces;
  Level level = Level::Read;
};

struct Bucket {
  std::string name;
  int account = -1;
  std::string region;
  std::string purpose;    // models, features, datasets, checkpoints, artifacts, team-data, ...
  int key = -1;           // SSE-KMS key (in the bucket's account) or -1 for SSE-S3
  bool abac = false;      // objects are kept under one prefix per Kubernetes namespace
  bool org_read = false;  // Principal "*" with aws:PrincipalOrgID = the organization
  bool has_policy = true;
  std::map<std::string, Level> role_grants;  // role ARN -> level
  std::vector<TagGrant> tag_grants;
  std::map<std::string, std::string> tags;
  std::vector<std::string> subjects;  // model, dataset or run names used in object keys
};

struct Key {
  std::string id;
  std::string arn;
  std::string region;
  int account = -1;
  std::string description;
  std::map<std::string, bool> role_grants;  // role ARN -> may also GenerateDataKey; via S3 only
  std::set<std::string> account_grants;     // other accounts enabled (their IAM), via S3 only
  std::string admin_role_arn;               // the key administrators statement (no condition)
};

// ---- EKS and Kubernetes -------------------------------------------------------------------
enum class SaCat {
  IrsaPinned,
  IrsaNsWildcard,
  IrsaAudOnly,
  IrsaCrossAccount,      // K4a: role in another account that registered the issuer
  IrsaMissingProvider,   // role in an account that did not register the issuer
  IrsaAudienceMismatch,  // the token audience is not what the provider or trust expects
  IrsaWrongSub,          // annotated with a role whose trust pins another service account
  IrsaChainSource,       // the IRSA role may assume a reader role elsewhere (K4b)
  PodIdentity,
  PodIdentityAbac,    // shared role, access by session tags (K6)
  PodIdentityNoTags,  // disable_session_tags on the ABAC role
  PodIdentityTarget,  // K7 target role in another account with external id
  PodIdentityBadExternalId,
  PodIdentityNoTagSession,    // trust lacks sts:TagSession
  PodIdentityWrongNamespace,  // trust pins aws:RequestTag/kubernetes-namespace to another one
  Unannotated,
  Infra,
  ImplicitDefault,  // the `default` account every namespace has (not in the manifests)
};

struct ServiceAccount {
  int cluster = -1;
  std::string ns;
  std::string name;
  SaCat cat = SaCat::Unannotated;
  int irsa_role = -1;                   // the eks.amazonaws.com/role-arn annotation
  std::optional<std::string> audience;  // eks.amazonaws.com/audience
  int association = -1;                 // index into the cluster's associations
  std::string team;
};

struct Association {
  std::string ns;
  std::string sa;
  int role = -1;
  int target = -1;
  std::optional<std::string> external_id;
  bool disable_tags = false;
};

struct Workload {
  std::string kind;  // Deployment, StatefulSet, Job, CronJob, InferenceService
  std::string ns;
  std::string name;
  std::string sa;              // empty: no serviceAccountName (the namespace's default)
  std::string transformer_sa;  // InferenceService: a transformer with its own account
  std::string image;
  std::string storage_uri;
  int replicas = 1;
};

struct Cluster {
  std::string name;
  int account = -1;
  std::string account_id;
  std::string region;
  std::string issuer_id;
  std::string env;
  std::vector<std::string> namespaces;
  std::vector<int> sas;  // indices into World::sas, implicit defaults included
  std::vector<Association> associations;
  std::vector<Workload> workloads;
  int k4a_account = -1;          // the account that registered this issuer too
  int no_provider_account = -1;  // an account that did not
  std::string custom_audience;   // non-empty: the cluster's own provider accepts it too
  int abac_role = -1;            // the shared Pod Identity role reading team data by tags
  std::string host() const { return "oidc.eks." + region + ".amazonaws.com/id/" + issuer_id; }
  std::string issuer() const { return "https://" + host(); }
  std::string arn() const { return "arn:aws:eks:" + region + ":" + account_id + ":cluster/" + name; }
};

// ---- the world ----------------------------------------------------------------------------
struct World {
  Params params;
  std::string org_id;
  std::string company;
  int management = -1;
  std::vector<Unit> units;  // units[0] is the root
  std::vector<Account> accounts;
  std::vector<Role> roles;
  std::vector<Policy> policies;
  std::vector<Bucket> buckets;
  std::vector<Key> keys;
  std::vector<Cluster> clusters;
  std::vector<ServiceAccount> sas;
  std::map<std::string, int> role_by_arn;
  std::map<std::string, int> sa_by_ref;  // "cluster/ns/name"

  bool in_org(int account) const { return accounts[account].unit >= 0; }
  std::string bucket_arn(int b) const { return "arn:aws:s3:::" + buckets[b].name; }
  const ServiceAccount* find_sa(int cluster, const std::string& ns, const std::string& name) const {
    auto it = sa_by_ref.find(clusters[cluster].name + "/" + ns + "/" + name);
    return it == sa_by_ref.end() ? nullptr : &sas[it->second];
  }
  // Units from the root down to the account's own unit.
  std::vector<int> unit_path(int account) const {
    std::vector<int> path;
    for (int u = accounts[account].unit; u >= 0; u = units[u].parent) path.insert(path.begin(), u);
    return path;
  }
};

}  // namespace genworld
