// Bench: synthetic world generator. The oracle: the expected answer of a question about a
// generated world, worked out from the generator's own description of that world
// (model.hpp) by the rules of docs/rules.md, hop by hop as docs/scenario-format.md describes.
// It knows only the constructs the generator writes, and it never calls iamsim.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model.hpp"

namespace genworld {

enum class Outcome { Allow, ExplicitDeny, ImplicitDeny };

// Why the answer is what it is: the first hop that does not allow, and its layer.
enum class Reason {
  Allowed,
  NoCredentials,          // K2, K5: no annotation and no association
  NoOidcProvider,         // T6: no IAM OIDC provider for the issuer in the role's account
  AudienceNotClientId,    // the token's aud is not a client id of the provider
  WebIdentityTrust,       // T1, K1: the trust policy does not admit the token's claims
  PodIdentityTrust,       // K5: the trust policy does not admit pods.eks.amazonaws.com
  PodIdentityTagSession,  // T8: the trust policy does not allow sts:TagSession
  ChainTrust,             // T1: the target's trust does not admit the caller (or external id)
  ChainIdentity,          // T2: the caller's identity policy does not allow sts:AssumeRole
  ScpDataDeletion,        // E3, S3: the data-deletion SCP on the caller's path denies
  ScpKeyDeletion,         // E3, S3: the KMS key-deletion SCP denies
  ScpSandbox,             // E3, S3: the sandbox data perimeter SCP denies
  ScpSeveral,             // more than one deny SCP matches
  Rcp,                    // E4, R3: an RCP on the resource's account path denies
  IdentityNotGranting,    // E7, X2: the resource grants, the identity policy does not
  ResourceNotGranting,    // X1: the identity policy allows, the bucket policy does not
  NotGranted,             // neither allows
  KmsKeyPolicy,           // KM1, KM3: the key policy grants neither the caller nor its account
  KmsIdentity,            // KM2, KM3: the key policy enables IAM, the identity policy does not allow
};

std::string_view to_string(Outcome o);
std::string_view to_string(Reason r);

struct Verdict {
  Outcome outcome = Outcome::Allow;
  Reason reason = Reason::Allowed;
};

struct PrincipalSpec {
  enum class Kind { ServiceAccount, Workload, Role, Anonymous } kind = Kind::Role;
  int sa = -1;             // ServiceAccount
  int cluster = -1;        // Workload
  int workload = -1;       // Workload: index in the cluster's workloads
  int role = -1;           // Role
  std::vector<int> chain;  // roles assumed in turn with sts:AssumeRole (no external id)
};

struct ResourceSpec {
  enum class Kind { Bucket, Object, Key, Role } kind = Kind::Bucket;
  int bucket = -1;
  std::string object_key;
  int key = -1;
  int role = -1;
};

struct Session {
  bool ok = true;
  Verdict failure;
  bool anonymous = false;
  int role = -1;
  std::map<std::string, std::string> tags;        // aws:PrincipalTag/*
  std::map<std::string, std::string> transitive;  // session tags that survive chaining
};

class Oracle {
 public:
  explicit Oracle(const World& world) : w_(world) {}

  Session session(const PrincipalSpec& p) const;
  Verdict decide(const PrincipalSpec& p, std::string_view action, const ResourceSpec& r) const;
  Verdict request(const Session& s, std::string_view action, const ResourceSpec& r) const;

  // The service account a workload's pods run as (its first component).
  const ServiceAccount* workload_sa(int cluster, int workload) const;
  bool identity_allows(int role, const std::map<std::string, std::string>& tags, std::string_view action,
                       const ResourceSpec& r) const;
  // The SCP that denies the action to principals of `account` (S1-S3), if any.
  std::optional<Reason> scp_denies(int account, std::string_view action, int resource_account) const;

 private:
  void from_service_account(Session& s, const ServiceAccount& sa) const;
  void irsa(Session& s, const ServiceAccount& sa) const;
  void pod_identity(Session& s, const ServiceAccount& sa, const Association& a) const;
  void assume(Session& s, int target, const std::optional<std::string>& external_id) const;
  Verdict assume_verdict(const Session& s, int target, const std::optional<std::string>& external_id) const;
  bool rcp_denies(const Session& s, int resource_account, std::string_view action) const;
  Verdict s3(const Session& s, std::string_view action, const ResourceSpec& r) const;
  Verdict kms(const Session& s, std::string_view action, int key, bool via_s3) const;

  const World& w_;
};

// StringLike: '*' any run, '?' one character (C7).
bool glob_match(std::string_view pattern, std::string_view text);

}  // namespace genworld
