// Stage: model. The World: an organization, its accounts, their IAM principals, resources
// and EKS clusters with the Kubernetes objects that run in them. Plain data, built by the
// scenario loader and frozen after load (the loader hands out a shared_ptr<const World>);
// lookups go through indexes of positions, so a copy of a World stays valid.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/diagnostic.hpp"
#include "model/reference/reference.hpp"

namespace iamsim::model {

using Tags = std::map<std::string, std::string>;

// A policy as found in the input, not yet compiled: the engine compiles `json_text` and
// reports its errors at `origin` (a file of its own, or the line of an inline document).
struct PolicyDocument {
  std::string name;       // the policy's name, a file path, or "inline policy at FILE:LINE"
  std::string json_text;  // the JSON of the document
  SourceLocation origin;
  bool builtin = false;  // FullAWSAccess, RCPFullAWSAccess, a default key or endpoint policy
  // While loading only: `name` names a policy of the scenario's `policies:`, and `origin`
  // is where it is named; the loader's bind pass puts that policy here.
  bool by_name = false;
};

// ---- organization ----------------------------------------------------------------------
// The root or an organizational unit. Units are stored flat; `parent` and `children` are
// positions in Organization::units, and units[0] is the root.
struct OrgUnit {
  std::string name;  // "root" for the root
  std::string id;    // r-xxxx for the root, ou-xxxx-xxxxxxxx for a unit (given or derived)
  std::optional<std::size_t> parent;
  std::vector<std::size_t> children;
  std::vector<std::string> accounts;  // account ids placed directly in this node
  std::vector<PolicyDocument> scps;
  std::vector<PolicyDocument> rcps;
  SourceLocation where;
};

struct Organization {
  std::string id;  // o-xxxxxxxxxx
  std::string management_account;
  std::vector<OrgUnit> units;  // units[0] is the root
  SourceLocation where;
};

// ---- IAM -------------------------------------------------------------------------------
struct User {
  std::string name;
  std::string path = "/";
  std::string arn;        // arn:aws:iam::ACCT:user{path}{name}
  std::string unique_id;  // AIDA... (given, or derived from the ARN so it stays stable)
  std::string account_id;
  std::vector<PolicyDocument> policies;
  std::vector<std::string> groups;  // group names in the same account
  std::optional<PolicyDocument> boundary;
  Tags tags;
  SourceLocation where;
};

struct Group {
  std::string name;
  std::string path = "/";
  std::string arn;
  std::string account_id;
  std::vector<PolicyDocument> policies;
  SourceLocation where;
};

struct Role {
  std::string name;
  std::string path = "/";
  std::string arn;        // arn:aws:iam::ACCT:role{path}{name}
  std::string unique_id;  // AROA... (given, or derived from the ARN so it stays stable)
  std::string account_id;
  PolicyDocument trust;
  std::vector<PolicyDocument> policies;
  std::optional<PolicyDocument> boundary;
  Tags tags;
  bool service_linked = false;  // declared so, or under the path /aws-service-role/
  SourceLocation where;
};

struct OidcProvider {
  std::string url;  // https://oidc.eks.REGION.amazonaws.com/id/ID
  std::string arn;  // arn:aws:iam::ACCT:oidc-provider/oidc.eks.REGION.amazonaws.com/id/ID
  std::string account_id;
  std::vector<std::string> client_ids;
  SourceLocation where;
};

// ---- Kubernetes --------------------------------------------------------------------------
struct ServiceAccount {
  std::string namespace_name;
  std::string name;
  std::optional<std::string> role_arn;         // eks.amazonaws.com/role-arn (IRSA)
  std::string audience = "sts.amazonaws.com";  // eks.amazonaws.com/audience
  std::map<std::string, std::string> annotations;
  bool implicit = false;  // a namespace's `default`, made because no manifest declared it
  SourceLocation where;
};

enum class WorkloadKind { Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, InferenceService };
std::string_view to_string(WorkloadKind kind);

// One pod template of a workload and the service account its pods run as. An
// InferenceService has one per component (predictor, transformer, explainer); every
// other kind has exactly one, named "pod".
// A node taint, or a pod's toleration of taints (Kubernetes scheduling, K9).
struct Taint {
  std::string key, value;
  std::string effect;  // NoSchedule, PreferNoSchedule or NoExecute
};
struct Toleration {
  std::string key;      // empty with `Exists`: every taint
  bool exists = false;  // operator Exists (else Equal)
  std::string value;
  std::string effect;  // empty: every effect
};

struct WorkloadComponent {
  std::string name;
  std::string service_account;
  bool service_account_defaulted = false;  // no serviceAccountName: `default` is used
  // Where its pods may land and whether they share the node's network (K8, K9).
  std::map<std::string, std::string> labels;  // the pod template's labels
  std::map<std::string, std::string> node_selector;
  std::vector<Toleration> tolerations;
  bool host_network = false;
  SourceLocation where;
};

struct Workload {
  WorkloadKind kind = WorkloadKind::Pod;
  std::string api_version;
  std::string namespace_name;
  std::string name;
  std::vector<WorkloadComponent> components;  // never empty; the first is the primary
  SourceLocation where;

  // The service account the workload acts through (the predictor's for KServe, since it
  // is the component that loads the model).
  const std::string& service_account() const { return components.front().service_account; }
};

struct PodIdentityAssociation {
  std::string namespace_name;
  std::string service_account;
  std::string role_arn;                        // in the cluster's account (K5)
  std::optional<std::string> target_role_arn;  // assumed next by chaining (K7)
  bool disable_session_tags = false;           // K6
  std::optional<std::string> external_id;      // K7
  SourceLocation where;
};

// K8: the instance metadata options of a node group's instances (EC2 MetadataOptions).
// A field left out is unknown.
struct ImdsOptions {
  std::optional<bool> endpoint_enabled;  // HttpEndpoint enabled|disabled
  std::optional<bool> tokens_required;   // HttpTokens required (IMDSv2 only) | optional
  std::optional<int> hop_limit;          // HttpPutResponseHopLimit
};

struct NodeGroup {
  std::string name;
  std::string role_arn;             // the node instance role (as written: an ARN, or a name in the cluster's account)
  std::optional<ImdsOptions> imds;  // none: unknown, taken as reachable (K9)
  std::map<std::string, std::string> labels;
  std::optional<std::vector<Taint>> taints;  // none: unknown, not used to rule a node group out
  SourceLocation where;
};

// Pods a profile selects run on Fargate, where no node instance metadata is reachable (K8).
struct FargateSelector {
  std::string namespace_name;
  std::map<std::string, std::string> labels;
};
struct FargateProfile {
  std::string name;
  std::string pod_execution_role_arn;
  std::vector<FargateSelector> selectors;
  SourceLocation where;
};

struct Cluster {
  std::string name;
  std::string region;
  std::string account_id;
  std::string arn;                      // arn:aws:eks:REGION:ACCT:cluster/NAME
  std::string oidc_issuer;              // empty when the cluster has none
  std::vector<std::string> manifests;   // files read, resolved against the scenario file
  std::vector<std::string> namespaces;  // every namespace the manifests use, sorted
  std::vector<ServiceAccount> service_accounts;
  std::vector<Workload> workloads;
  std::vector<PodIdentityAssociation> pod_identity_associations;
  std::vector<NodeGroup> node_groups;
  std::vector<FargateProfile> fargate_profiles;
  SourceLocation where;

  const NodeGroup* find_node_group(std::string_view group) const;
};

// ---- resources -------------------------------------------------------------------------
// S3 Block Public Access: account, bucket or access point level; the most restrictive
// combination of the levels a request meets applies (B4).
struct PublicAccessBlock {
  bool block_public_acls = false;
  bool ignore_public_acls = false;
  bool block_public_policy = false;
  bool restrict_public_buckets = false;
};

// One grant of a bucket ACL (B3): a grantee and a permission.
struct AclGrant {
  // "AllUsers", "AuthenticatedUsers", an account id, or a canonical user id
  std::string grantee;
  std::string permission;  // READ, WRITE, READ_ACP, WRITE_ACP, FULL_CONTROL
  SourceLocation where;
};

// An S3 access point on a bucket (B6): requests through it need its policy and the bucket's.
struct AccessPoint {
  std::string name;
  std::string account_id;  // the access point's owner; the bucket's account when not given
  std::string region;
  std::string arn;  // arn:aws:s3:REGION:ACCT:accesspoint/NAME
  std::optional<PolicyDocument> policy;
  bool vpc_origin = false;  // network origin VPC (else Internet)
  std::string vpc_id;
  std::optional<PublicAccessBlock> public_access_block;
  SourceLocation where;
};

struct Bucket {
  std::string name;
  std::string region;
  std::string account_id;
  std::string arn;  // arn:aws:s3:::NAME
  std::optional<PolicyDocument> policy;
  std::optional<std::string> kms_key;      // as written: a key id or ARN; none = SSE-S3
  std::optional<std::string> kms_key_arn;  // the key it resolves to
  Tags tags;
  std::optional<PublicAccessBlock> public_access_block;
  // B3: BucketOwnerEnforced (the default) disables ACLs; BucketOwnerPreferred, ObjectWriter
  std::string object_ownership = "BucketOwnerEnforced";
  std::vector<AclGrant> acl;
  // The ACL as resource-policy statements, when ACLs are in effect and grant anything;
  // the second without the public grants, for when IgnorePublicAcls applies (B4).
  std::optional<PolicyDocument> acl_policy, acl_private_policy;
  std::vector<AccessPoint> access_points;
  SourceLocation where;
};

// A grant on a key (KM2): its operations are allowed to its grantee, under its
// encryption context constraints, as `aws kms list-grants` shows it.
struct KmsGrant {
  std::string id;                                     // GrantId, or the grant's place when none is given
  std::string name;                                   // Name, may be empty
  std::string grantee;                                // GranteePrincipal: a principal ARN, an account, or a service
  std::vector<std::string> operations;                // Decrypt, GenerateDataKey, ... (without "kms:")
  std::map<std::string, std::string> context_subset;  // Constraints.EncryptionContextSubset
  std::map<std::string, std::string> context_equals;  // Constraints.EncryptionContextEquals
  std::string retiring_principal;
  SourceLocation where;
};

struct KmsKey {
  std::string id;
  std::string region;
  std::string account_id;
  std::string arn;        // arn:aws:kms:REGION:ACCT:key/ID
  PolicyDocument policy;  // the default key policy when the scenario gives none
  std::vector<KmsGrant> grants;
  // The grants as key-policy statements, one per grant (Sid "grant ID"), compiled with the
  // world; a request the key policy leaves implicitly denied is decided again with them.
  std::optional<PolicyDocument> grants_policy;
  std::vector<std::string> aliases;  // alias/NAME
  bool aws_managed = false;
  Tags tags;
  SourceLocation where;
};

struct VpcEndpoint {
  std::string id;       // vpce-...
  std::string service;  // com.amazonaws.REGION.s3
  std::string vpc_id;   // optional, for aws:SourceVpc
  std::string account_id;
  PolicyDocument policy;  // full access when the scenario gives none, as in AWS
  SourceLocation where;
};

struct Account {
  std::string id;
  std::string name;
  // What its exports are known to lack (a page of output, a policy they do not hold), each as
  // the warning said it. A query reads the rest as if absent; a proof cannot (docs/claims.md).
  std::vector<std::string> unseen;
  std::vector<PolicyDocument> scps;  // attached to the account itself
  std::vector<PolicyDocument> rcps;
  std::vector<User> users;
  std::vector<Group> groups;
  std::vector<Role> roles;
  std::vector<OidcProvider> oidc_providers;
  std::vector<Cluster> clusters;
  std::vector<Bucket> buckets;
  std::vector<KmsKey> kms_keys;
  std::vector<VpcEndpoint> vpc_endpoints;
  std::optional<PublicAccessBlock> public_access_block;  // account-level S3 Block Public Access
  SourceLocation where;
};

// ---- expectations ------------------------------------------------------------------------
// A context value as AWS sees it: text, one or many. Numbers and booleans keep their text.
struct ContextValue {
  std::vector<std::string> values;
  bool multi_valued = false;  // written as a list
  friend bool operator==(const ContextValue&, const ContextValue&) = default;
};
using Context = std::map<std::string, ContextValue>;

// A claim over every request instead of one request (docs/claims.md): its text, read by the
// proof engine when it is checked, and whether it is expected to hold or to be refuted.
struct ClaimExpectation {
  std::string text;
  bool expect_refuted = false;
};

struct Expectation {
  std::string name;  // given, or the one-line text
  std::string description;
  std::optional<ClaimExpectation> claim;  // set: a claim; principal, action and resource are unused
  Expect expect = Expect::Allow;
  PrincipalRef principal;
  std::string action;
  std::string resource_arn;
  Context context;
  SourceLocation where;
};

// Context every request of the world gets unless an expectation says otherwise.
struct WorldDefaults {
  std::string current_time;      // aws:CurrentTime, ISO 8601; empty when the scenario sets none
  bool secure_transport = true;  // aws:SecureTransport
  Context context;               // any other keys the scenario sets for every request
};

// A finding `iamsim lint` is told to leave out (`lint: ignore:`): a finding id, and a pattern
// (`*`, `?`) for the ARN the finding is about; an empty pattern matches every finding of the id.
struct LintIgnore {
  std::string rule;
  std::string resource;
  std::string reason;
  SourceLocation where;
};

// ---- the world ---------------------------------------------------------------------------
class World {
 public:
  std::string scenario_name;
  std::string scenario_file;
  std::string description;
  std::optional<Organization> organization;
  std::vector<Account> accounts;
  std::map<std::string, PolicyDocument> named_policies;
  std::vector<Expectation> expectations;
  std::vector<PolicyDocument> session_policies;  // passed on chain hops of expectations (T13)
  WorldDefaults defaults;
  std::vector<LintIgnore> lint_ignores;
  // What the scenario's own sections (or a later import) replaced of its imports, one line
  // each ("account 111111111111: role loader replaced (FILE:LINE:COL)"); `check --verbose`.
  std::vector<std::string> import_overrides;

  // Rebuilds every index from the data above; the loader calls it once, last.
  void build_indexes();

  const Account* find_account(std::string_view id) const;
  // A role by its exact ARN (with its path), or by account and name.
  const Role* find_role(std::string_view arn) const;
  const Role* find_role(std::string_view account_id, std::string_view name) const;
  const User* find_user(std::string_view arn) const;
  const User* find_user(std::string_view account_id, std::string_view name) const;
  const Group* find_group(std::string_view account_id, std::string_view name) const;
  const Bucket* find_bucket(std::string_view name) const;
  // A key by id (unique in the world) or by ARN.
  const KmsKey* find_key(std::string_view id_or_arn) const;
  const Cluster* find_cluster(std::string_view name) const;
  const ServiceAccount* find_service_account(std::string_view cluster, std::string_view namespace_name,
                                             std::string_view name) const;
  const Workload* find_workload(std::string_view cluster, std::string_view namespace_name, std::string_view name) const;
  const VpcEndpoint* find_vpc_endpoint(std::string_view id) const;
  // An access point by its owner account and name, with its bucket.
  std::pair<const Bucket*, const AccessPoint*> find_access_point(std::string_view account_id,
                                                                 std::string_view name) const;
  // The IAM OIDC provider of an account for an issuer URL (with or without https://).
  const OidcProvider* find_oidc_provider(std::string_view account_id, std::string_view issuer) const;
  const PodIdentityAssociation* find_pod_identity_association(std::string_view cluster, std::string_view namespace_name,
                                                              std::string_view service_account) const;

  bool in_organization(std::string_view account_id) const;
  // The organization nodes above an account, root first; empty outside the organization.
  std::vector<const OrgUnit*> org_units_of(std::string_view account_id) const;
  // aws:PrincipalOrgPaths / aws:ResourceOrgPaths form: "o-x/r-x/ou-x/.../"; empty outside.
  std::string org_path(std::string_view account_id) const;

 private:
  struct Position {
    std::size_t account = 0;
    std::size_t item = 0;
    std::size_t sub = 0;
  };
  using Index = std::map<std::string, Position, std::less<>>;
  Index accounts_, roles_by_arn_, roles_by_name_, users_by_arn_, users_by_name_, groups_, buckets_, keys_, clusters_,
      service_accounts_, workloads_, endpoints_, oidc_, associations_;
  std::map<std::string, std::size_t, std::less<>> account_unit_;  // account -> its OrgUnit
};

// Does every name a reference uses exist in the world? Used for expectations and by the
// command line for `can`; `code` is a stable diagnostic code.
struct ReferenceProblem {
  std::string code;
  std::string message;
};
std::optional<ReferenceProblem> find_reference_problem(const World& world, const PrincipalRef& ref);
// A bucket, object, key or role ARN must name something the world declares, so a typo never
// passes as a deny; other resources are not modelled and pass. So do `*` and
// `arn:aws:s3:::*` (actions without resource types, RS6), and the name a creation action
// (is_creation_action) is asked to make.
std::optional<ReferenceProblem> find_resource_problem(const World& world, std::string_view action,
                                                      std::string_view resource_arn);
// s3:CreateBucket, iam:CreateRole, iam:CreateServiceLinkedRole (any case): their resource
// does not exist yet, so no resource policy applies to them.
bool is_creation_action(std::string_view action);
// arn:aws:s3:::* (or any bucket pattern): every bucket, the S3 guide's resource for
// s3:ListAllMyBuckets; it names no bucket of the world (RS6).
bool is_all_buckets(std::string_view resource_arn);

// A stable fake unique id: `prefix` (AROA, AIDA...) and 17 characters derived from `seed`.
std::string derive_unique_id(std::string_view prefix, std::string_view seed);

}  // namespace iamsim::model
