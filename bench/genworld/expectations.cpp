// Bench: synthetic world generator. The kinds of expectation and how each finds its
// questions; the answers come from the oracle only.
#include "expectations.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>

namespace genworld {
namespace {

struct Candidate {
  PrincipalSpec principal;
  std::string action;
  ResourceSpec resource;
};

using Picker = std::function<std::optional<Candidate>(Rng&)>;

struct KindDef {
  std::string name;
  int weight;
  Outcome outcome;
  std::vector<Reason> reasons;
  Picker pick;
};

struct S3Grant {
  int bucket;
  Level level;
  bool ns_prefix;
};

class Chooser {
 public:
  Chooser(const World& w, const Oracle& o) : w_(w), o_(o) {
    for (std::size_t i = 0; i < w.sas.size(); ++i) by_cat_[w.sas[i].cat].push_back(static_cast<int>(i));
    for (std::size_t c = 0; c < w.clusters.size(); ++c)
      for (std::size_t i = 0; i < w.clusters[c].workloads.size(); ++i) {
        const Workload& wl = w.clusters[c].workloads[i];
        (wl.sa.empty() ? default_workloads_ : named_workloads_).push_back({static_cast<int>(c), static_cast<int>(i)});
      }
    for (std::size_t r = 0; r < w.roles.size(); ++r) {
      const Role& role = w.roles[r];
      for (const auto& t : role.trust)
        if (t.kind == TrustKind::Aws && !(t.aws.size() == 1 && t.aws[0] == w.accounts[role.account].id)) {
          assumable_.push_back(static_cast<int>(r));
          break;
        }
    }
    for (const auto& a : w.accounts) {
      if (a.kms_admin_role >= 0) kms_admins_.push_back(a.kms_admin_role);
      if (a.steward_role >= 0) stewards_.push_back(a.steward_role);
      if (a.kind == AccountKind::Partner)
        for (int r : a.roles) partner_roles_.push_back(r);
    }
    for (std::size_t b = 0; b < w.buckets.size(); ++b) {
      if (w.in_org(w.buckets[b].account) && w.buckets[b].account != w.management)
        org_buckets_.push_back(static_cast<int>(b));
      for (const auto& [arn, level] : w.buckets[b].role_grants) {
        auto it = w.role_by_arn.find(arn);
        if (it != w.role_by_arn.end()) granted_buckets_[it->second].push_back(static_cast<int>(b));
      }
    }
    // Sessions that obtain credentials: the starting points of most questions.
    for (SaCat cat : {SaCat::IrsaPinned, SaCat::IrsaNsWildcard, SaCat::IrsaAudOnly, SaCat::IrsaCrossAccount,
                      SaCat::IrsaChainSource, SaCat::PodIdentity, SaCat::PodIdentityAbac, SaCat::PodIdentityTarget})
      for (int sa : by_cat_[cat]) working_.push_back(sa);
  }

  std::vector<KindDef> kinds() {
    using O = Outcome;
    using R = Reason;
    std::vector<KindDef> k;
    auto sa_allow = [this](SaCat cat) {
      return [this, cat](Rng& rng) -> std::optional<Candidate> {
        auto sa = pick_sa(rng, cat);
        if (!sa) return std::nullopt;
        return grant_request(rng, sa_principal(*sa), GrantFilter::Any);
      };
    };
    // ---- allowed paths ----
    k.push_back({"irsa-pinned-allow", 8, O::Allow, {R::Allowed}, sa_allow(SaCat::IrsaPinned)});
    k.push_back({"irsa-namespace-wildcard-allow", 4, O::Allow, {R::Allowed}, sa_allow(SaCat::IrsaNsWildcard)});
    k.push_back({"irsa-aud-only-allow", 3, O::Allow, {R::Allowed}, sa_allow(SaCat::IrsaAudOnly)});
    k.push_back({"irsa-cross-account-provider-allow", 4, O::Allow, {R::Allowed}, sa_allow(SaCat::IrsaCrossAccount)});
    k.push_back({"workload-allow", 5, O::Allow, {R::Allowed}, [this](Rng& rng) -> std::optional<Candidate> {
                   if (named_workloads_.empty()) return std::nullopt;
                   auto [c, i] = rng.pick(named_workloads_);
                   return grant_request(rng, workload_principal(c, i), GrantFilter::Any);
                 }});
    k.push_back({"pod-identity-allow", 6, O::Allow, {R::Allowed}, sa_allow(SaCat::PodIdentity)});
    k.push_back({"pod-identity-abac-allow", 4, O::Allow, {R::Allowed}, sa_allow(SaCat::PodIdentityAbac)});
    k.push_back({"pod-identity-target-role-allow", 4, O::Allow, {R::Allowed}, sa_allow(SaCat::PodIdentityTarget)});
    k.push_back({"chained-role-allow", 5, O::Allow, {R::Allowed}, [this](Rng& rng) -> std::optional<Candidate> {
                   auto sa = pick_sa(rng, SaCat::IrsaChainSource);
                   if (!sa) return std::nullopt;
                   PrincipalSpec p = sa_principal(*sa);
                   if (rng.percent(20)) {
                     // The same chain started from a workload of that service account.
                     for (std::size_t i = 0; i < named_workloads_.size(); ++i) {
                       auto [c, wi] =
                           named_workloads_[(i + rng.below(named_workloads_.size())) % named_workloads_.size()];
                       const ServiceAccount* wsa = o_.workload_sa(c, wi);
                       if (wsa && wsa->cat == SaCat::IrsaChainSource) {
                         p = workload_principal(c, wi);
                         break;
                       }
                     }
                   }
                   auto targets = assume_targets(o_.session(p).role);
                   if (targets.empty()) return std::nullopt;
                   p.chain = {rng.pick(targets)};
                   return grant_request(rng, p, GrantFilter::Any);
                 }});
    k.push_back({"partner-chain-allow", 1, O::Allow, {R::Allowed}, [this](Rng& rng) -> std::optional<Candidate> {
                   if (partner_roles_.empty()) return std::nullopt;
                   PrincipalSpec p = role_principal(rng.pick(partner_roles_));
                   auto targets = assume_targets(p.role);
                   if (targets.empty()) return std::nullopt;
                   p.chain = {rng.pick(targets)};
                   return grant_request(rng, p, GrantFilter::Any);
                 }});
    k.push_back({"assume-role-request-allow", 1, O::Allow, {R::Allowed}, [this](Rng& rng) -> std::optional<Candidate> {
                   auto sa = pick_sa(rng, SaCat::IrsaChainSource);
                   if (!sa) return std::nullopt;
                   auto targets = assume_targets(w_.sas[*sa].irsa_role);
                   if (targets.empty()) return std::nullopt;
                   Candidate c;
                   c.principal = sa_principal(*sa);
                   c.action = "sts:AssumeRole";
                   c.resource.kind = ResourceSpec::Kind::Role;
                   c.resource.role = rng.pick(targets);
                   return c;
                 }});
    k.push_back({"s3-star-delete-allow", 2, O::Allow, {R::Allowed}, [this](Rng& rng) {
                   return working_request(rng, GrantFilter::Full, "s3:DeleteObject");
                 }});
    k.push_back({"sse-kms-allow", 4, O::Allow, {R::Allowed}, [this](Rng& rng) {
                   return working_request(rng, GrantFilter::KmsObject, "");
                 }});
    k.push_back({"kms-bucket-list-allow", 2, O::Allow, {R::Allowed}, [this](Rng& rng) {
                   return working_request(rng, GrantFilter::KmsBucket, "s3:ListBucket");
                 }});
    k.push_back(
        {"same-account-bucket-grant-allow", 2, O::Allow, {R::Allowed}, [this](Rng& rng) -> std::optional<Candidate> {
           if (stewards_.empty()) return std::nullopt;
           int role = rng.pick(stewards_);
           auto granted = granted_to(role);
           if (granted.empty()) return std::nullopt;
           Candidate c;
           c.principal = role_principal(role);
           c.action = rng.pick(std::vector<std::string>{"s3:GetObject", "s3:PutObject", "s3:ListBucket"});
           c.resource = s3_resource(rng, rng.pick(granted), c.action, "");
           return c;
         }});
    k.push_back({"org-dataset-allow", 2, O::Allow, {R::Allowed}, [this](Rng& rng) {
                   return working_request(rng, GrantFilter::OrgRead, "");
                 }});
    k.push_back({"key-admin-allow", 1, O::Allow, {R::Allowed}, [this](Rng& rng) {
                   return key_admin_request(rng, "kms:ScheduleKeyDeletion");
                 }});
    // ---- denied paths ----
    k.push_back(
        {"no-credentials", 5, O::ImplicitDeny, {R::NoCredentials}, [this](Rng& rng) -> std::optional<Candidate> {
           auto sa = pick_sa(rng, rng.percent(50) ? SaCat::Unannotated : SaCat::ImplicitDefault);
           if (!sa) return std::nullopt;
           return any_bucket_request(rng, sa_principal(*sa));
         }});
    k.push_back(
        {"workload-default-sa", 3, O::ImplicitDeny, {R::NoCredentials}, [this](Rng& rng) -> std::optional<Candidate> {
           if (default_workloads_.empty()) return std::nullopt;
           auto [c, i] = rng.pick(default_workloads_);
           return any_bucket_request(rng, workload_principal(c, i));
         }});
    auto broken_sa = [this](SaCat cat) {
      return [this, cat](Rng& rng) -> std::optional<Candidate> {
        auto sa = pick_sa(rng, cat);
        if (!sa) return std::nullopt;
        // What the role would give, were it reached.
        int role = w_.sas[*sa].irsa_role;
        if (role < 0 && w_.sas[*sa].association >= 0)
          role = w_.clusters[w_.sas[*sa].cluster].associations[w_.sas[*sa].association].role;
        auto grants = s3_grants(role);
        if (grants.empty()) return any_bucket_request(rng, sa_principal(*sa));
        const S3Grant& g = rng.pick(grants);
        Candidate c;
        c.principal = sa_principal(*sa);
        c.action = rng.pick(level_actions_for(g.level));
        c.resource = s3_resource(rng, g.bucket, c.action, g.ns_prefix ? w_.sas[*sa].ns : "");
        return c;
      };
    };
    k.push_back({"irsa-wrong-sub", 4, O::ImplicitDeny, {R::WebIdentityTrust}, broken_sa(SaCat::IrsaWrongSub)});
    k.push_back(
        {"irsa-missing-oidc-provider", 3, O::ImplicitDeny, {R::NoOidcProvider}, broken_sa(SaCat::IrsaMissingProvider)});
    k.push_back({"irsa-audience-mismatch",
                 3,
                 O::ImplicitDeny,
                 {R::AudienceNotClientId, R::WebIdentityTrust},
                 broken_sa(SaCat::IrsaAudienceMismatch)});
    k.push_back({"bucket-policy-not-granting", 4, O::ImplicitDeny, {R::ResourceNotGranting}, [this](Rng& rng) {
                   return working_request(rng, GrantFilter::Any, "");
                 }});
    k.push_back({"identity-not-granting", 4, O::ImplicitDeny, {R::IdentityNotGranting}, [this](Rng& rng) {
                   return near_miss_request(rng);
                 }});
    k.push_back({"scp-deny-delete", 3, O::ExplicitDeny, {R::ScpDataDeletion}, [this](Rng& rng) {
                   return working_request(rng, GrantFilter::Full, "s3:DeleteObject");
                 }});
    k.push_back({"scp-deny-key-deletion", 1, O::ExplicitDeny, {R::ScpKeyDeletion}, [this](Rng& rng) {
                   return key_admin_request(rng, "kms:ScheduleKeyDeletion");
                 }});
    k.push_back({"scp-sandbox-perimeter", 2, O::ExplicitDeny, {R::ScpSandbox}, [this](Rng& rng) {
                   return working_request(rng, GrantFilter::CrossAccount, "");
                 }});
    k.push_back({"rcp-outside-principal", 3, O::ExplicitDeny, {R::Rcp}, [this](Rng& rng) -> std::optional<Candidate> {
                   if (rng.percent(30) || partner_roles_.empty()) {
                     if (org_buckets_.empty()) return std::nullopt;
                     Candidate c;
                     c.principal.kind = PrincipalSpec::Kind::Anonymous;
                     c.action = rng.percent(80) ? "s3:GetObject" : "s3:ListBucket";
                     c.resource = s3_resource(rng, rng.pick(org_buckets_), c.action, "team");
                     return c;
                   }
                   return grant_request(rng, role_principal(rng.pick(partner_roles_)), GrantFilter::Any);
                 }});
    k.push_back({"kms-key-policy-not-granting", 3, O::ImplicitDeny, {R::KmsKeyPolicy}, [this](Rng& rng) {
                   return working_request(rng, GrantFilter::KmsObject, "");
                 }});
    k.push_back({"kms-identity-not-granting", 2, O::ImplicitDeny, {R::KmsIdentity}, [this](Rng& rng) {
                   return working_request(rng, GrantFilter::KmsObject, "");
                 }});
    k.push_back(
        {"kms-direct-call-deny", 1, O::ImplicitDeny, {R::KmsKeyPolicy}, [this](Rng& rng) -> std::optional<Candidate> {
           auto c = working_request(rng, GrantFilter::KmsObject, "s3:GetObject");
           if (!c) return std::nullopt;
           // Calling KMS directly, not through S3: kms:ViaService is absent.
           c->action = "kms:Decrypt";
           ResourceSpec key;
           key.kind = ResourceSpec::Kind::Key;
           key.key = w_.buckets[c->resource.bucket].key;
           c->resource = key;
           return c;
         }});
    k.push_back({"pod-identity-tags-disabled",
                 2,
                 O::ImplicitDeny,
                 {R::NotGranted, R::IdentityNotGranting, R::ResourceNotGranting},
                 broken_sa(SaCat::PodIdentityNoTags)});
    k.push_back({"pod-identity-wrong-namespace-prefix",
                 2,
                 O::ImplicitDeny,
                 {R::IdentityNotGranting},
                 [this](Rng& rng) -> std::optional<Candidate> {
                   auto sa = pick_sa(rng, SaCat::PodIdentityAbac);
                   if (!sa) return std::nullopt;
                   const ServiceAccount& s = w_.sas[*sa];
                   const Cluster& cl = w_.clusters[s.cluster];
                   int role = cl.associations[s.association].role;
                   for (const S3Grant& g : s3_grants(role)) {
                     if (!g.ns_prefix) continue;
                     std::string other = rng.pick(cl.namespaces);
                     if (other == s.ns) other = "kube-system";
                     Candidate c;
                     c.principal = sa_principal(*sa);
                     c.action = g.level == Level::Read || rng.percent(60) ? "s3:GetObject" : "s3:PutObject";
                     c.resource = s3_resource(rng, g.bucket, c.action, other);
                     return c;
                   }
                   return std::nullopt;
                 }});
    k.push_back({"pod-identity-trust-namespace-mismatch",
                 1,
                 O::ImplicitDeny,
                 {R::PodIdentityTrust},
                 broken_sa(SaCat::PodIdentityWrongNamespace)});
    k.push_back({"pod-identity-no-tagsession",
                 1,
                 O::ImplicitDeny,
                 {R::PodIdentityTagSession},
                 broken_sa(SaCat::PodIdentityNoTagSession)});
    k.push_back({"pod-identity-bad-external-id",
                 2,
                 O::ImplicitDeny,
                 {R::ChainTrust},
                 [this](Rng& rng) -> std::optional<Candidate> {
                   auto sa = pick_sa(rng, SaCat::PodIdentityBadExternalId);
                   if (!sa) return std::nullopt;
                   const ServiceAccount& s = w_.sas[*sa];
                   int target = w_.clusters[s.cluster].associations[s.association].target;
                   auto grants = s3_grants(target);
                   if (grants.empty()) return any_bucket_request(rng, sa_principal(*sa));
                   const S3Grant& g = rng.pick(grants);
                   Candidate c;
                   c.principal = sa_principal(*sa);
                   c.action = rng.pick(level_actions_for(g.level));
                   c.resource = s3_resource(rng, g.bucket, c.action, g.ns_prefix ? s.ns : "");
                   return c;
                 }});
    k.push_back({"chained-role-deny",
                 3,
                 O::ImplicitDeny,
                 {R::ChainTrust, R::ChainIdentity},
                 [this](Rng& rng) -> std::optional<Candidate> {
                   if (working_.empty() || assumable_.empty()) return std::nullopt;
                   PrincipalSpec p = sa_principal(rng.pick(working_));
                   int target = rng.pick(assumable_);
                   p.chain = {target};
                   auto grants = s3_grants(target);
                   if (grants.empty()) return std::nullopt;
                   const S3Grant& g = rng.pick(grants);
                   Candidate c;
                   c.principal = p;
                   c.action = rng.pick(level_actions_for(g.level));
                   c.resource = s3_resource(rng, g.bucket, c.action, g.ns_prefix ? "team" : "");
                   return c;
                 }});
    return k;
  }

 private:
  enum class GrantFilter { Any, Full, KmsObject, KmsBucket, OrgRead, CrossAccount };

  // The buckets whose policies name the role.
  std::vector<int> granted_to(int role) const {
    auto it = granted_buckets_.find(role);
    return it == granted_buckets_.end() ? std::vector<int>{} : it->second;
  }

  std::optional<int> pick_sa(Rng& rng, SaCat cat) {
    auto it = by_cat_.find(cat);
    if (it == by_cat_.end() || it->second.empty()) return std::nullopt;
    return rng.pick(it->second);
  }

  PrincipalSpec sa_principal(int sa) const {
    PrincipalSpec p;
    p.kind = PrincipalSpec::Kind::ServiceAccount;
    p.sa = sa;
    return p;
  }
  PrincipalSpec workload_principal(int cluster, int workload) const {
    PrincipalSpec p;
    p.kind = PrincipalSpec::Kind::Workload;
    p.cluster = cluster;
    p.workload = workload;
    return p;
  }
  PrincipalSpec role_principal(int role) const {
    PrincipalSpec p;
    p.kind = PrincipalSpec::Kind::Role;
    p.role = role;
    return p;
  }

  std::vector<S3Grant> s3_grants(int role) const {
    std::vector<S3Grant> out;
    if (role < 0) return out;
    for (int p : w_.roles[role].policies)
      for (const IdStmt& st : w_.policies[p].stmts)
        if (st.kind == IdKind::S3) out.push_back({st.bucket, st.level, st.ns_prefix});
    return out;
  }

  std::vector<int> assume_targets(int role) const {
    std::vector<int> out;
    if (role < 0) return out;
    for (int p : w_.roles[role].policies)
      for (const IdStmt& st : w_.policies[p].stmts)
        if (st.kind == IdKind::Assume) out.insert(out.end(), st.targets.begin(), st.targets.end());
    return out;
  }

  static std::vector<std::string> level_actions_for(Level level) {
    switch (level) {
      case Level::Read: return {"s3:GetObject", "s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"};
      case Level::ReadWrite: return {"s3:GetObject", "s3:PutObject", "s3:PutObject", "s3:ListBucket"};
      case Level::Full: return {"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"};
    }
    return {};
  }

  std::string object_key(Rng& rng, const Bucket& b, const std::string& ns) const {
    const std::string subject = rng.pick(b.subjects);
    const std::string day = std::to_string(10 + rng.below(19));
    const std::string n = std::to_string(1 + rng.below(40));
    if (b.abac) {
      const std::string prefix = ns.empty() ? std::string("shared") : ns;
      return prefix + "/exports/2026-05-" + day + "/part-000" + std::to_string(rng.below(10)) + ".parquet";
    }
    if (b.purpose == "models")
      return "models/" + subject + "/v" + n + (rng.percent(50) ? "/model.tar.gz" : "/saved_model.pb");
    if (b.purpose == "features")
      return "features/" + subject + "/dt=2026-05-" + day + "/part-000" + std::to_string(rng.below(10)) + ".parquet";
    if (b.purpose == "datasets") return "datasets/" + subject + "/train-000" + std::to_string(rng.below(10)) + ".jsonl";
    if (b.purpose == "checkpoints") return "checkpoints/" + subject + "/step-" + n + "000.ckpt";
    if (b.purpose == "artifacts") return "pipelines/" + subject + "/run-" + n + "/metrics.json";
    if (b.purpose == "model-registry") return "registry/" + subject + "/" + n + "/model.tar.gz";
    if (b.purpose == "partner-exchange") return "outbound/2026-05-" + day + "/scores.csv";
    return b.purpose + "/" + subject + "/" + n + ".bin";
  }

  ResourceSpec s3_resource(Rng& rng, int bucket, const std::string& action, const std::string& ns) const {
    ResourceSpec r;
    r.bucket = bucket;
    if (is_bucket_action(action)) {
      r.kind = ResourceSpec::Kind::Bucket;
    } else {
      r.kind = ResourceSpec::Kind::Object;
      r.object_key = object_key(rng, w_.buckets[bucket], ns);
    }
    return r;
  }

  std::optional<Candidate> any_bucket_request(Rng& rng, const PrincipalSpec& p) const {
    if (org_buckets_.empty()) return std::nullopt;
    Candidate c;
    c.principal = p;
    c.action = rng.percent(75) ? "s3:GetObject" : "s3:ListBucket";
    c.resource = s3_resource(rng, rng.pick(org_buckets_), c.action, "");
    return c;
  }

  // A request on one of the buckets the principal's final role names in its policies.
  std::optional<Candidate> grant_request(Rng& rng, const PrincipalSpec& p, GrantFilter filter,
                                         const std::string& action = "") const {
    Session s = o_.session(p);
    if (!s.ok) return std::nullopt;
    std::vector<S3Grant> grants;
    for (const S3Grant& g : s3_grants(s.role)) {
      const Bucket& b = w_.buckets[g.bucket];
      const bool cross = b.account != w_.roles[s.role].account;
      switch (filter) {
        case GrantFilter::Any: break;
        case GrantFilter::Full:
          if (g.level != Level::Full) continue;
          break;
        case GrantFilter::KmsObject:
        case GrantFilter::KmsBucket:
          if (b.key < 0) continue;
          break;
        case GrantFilter::OrgRead:
          if (!b.org_read || !cross) continue;
          break;
        case GrantFilter::CrossAccount:
          if (!cross) continue;
          break;
      }
      grants.push_back(g);
    }
    if (grants.empty()) return std::nullopt;
    const S3Grant& g = rng.pick(grants);
    Candidate c;
    c.principal = p;
    if (!action.empty()) {
      c.action = action;
    } else if (filter == GrantFilter::KmsObject) {
      c.action = g.level == Level::Read || rng.percent(60) ? "s3:GetObject" : "s3:PutObject";
    } else if (filter == GrantFilter::OrgRead) {
      c.action = rng.percent(70) ? "s3:GetObject" : "s3:ListBucket";
    } else {
      c.action = rng.pick(level_actions_for(g.level));
    }
    auto ns = s.tags.find("kubernetes-namespace");
    c.resource = s3_resource(rng, g.bucket, c.action, g.ns_prefix && ns != s.tags.end() ? ns->second : "");
    return c;
  }

  // A working service account (or one of its workloads), asked about one of its grants.
  std::optional<Candidate> working_request(Rng& rng, GrantFilter filter, const std::string& action) const {
    if (working_.empty()) return std::nullopt;
    PrincipalSpec p = sa_principal(rng.pick(working_));
    return grant_request(rng, p, filter, action);
  }

  // A request the principal's role almost has: a bucket it knows, an action it lacks; or
  // another bucket of its own account.
  std::optional<Candidate> near_miss_request(Rng& rng) const {
    if (working_.empty()) return std::nullopt;
    PrincipalSpec p = sa_principal(rng.pick(working_));
    Session s = o_.session(p);
    if (!s.ok) return std::nullopt;
    std::vector<int> buckets;
    for (const S3Grant& g : s3_grants(s.role)) buckets.push_back(g.bucket);
    for (int b : w_.accounts[w_.roles[s.role].account].buckets) buckets.push_back(b);
    for (int b : granted_to(s.role)) buckets.push_back(b);
    if (buckets.empty()) return std::nullopt;
    Candidate c;
    c.principal = p;
    c.action = rng.pick(
        std::vector<std::string>{"s3:GetObject", "s3:PutObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"});
    c.resource = s3_resource(rng, rng.pick(buckets), c.action, "");
    return c;
  }

  std::optional<Candidate> key_admin_request(Rng& rng, const std::string& action) const {
    if (kms_admins_.empty()) return std::nullopt;
    int role = rng.pick(kms_admins_);
    const Account& a = w_.accounts[w_.roles[role].account];
    if (a.keys.empty()) return std::nullopt;
    Candidate c;
    c.principal = role_principal(role);
    c.action = action;
    c.resource.kind = ResourceSpec::Kind::Key;
    c.resource.key = rng.pick(a.keys);
    return c;
  }

  const World& w_;
  const Oracle& o_;
  std::map<SaCat, std::vector<int>> by_cat_;
  std::map<int, std::vector<int>> granted_buckets_;
  std::vector<std::pair<int, int>> named_workloads_, default_workloads_;
  std::vector<int> assumable_, kms_admins_, stewards_, partner_roles_, org_buckets_, working_;
};

}  // namespace

std::string principal_text(const World& w, const PrincipalSpec& p) {
  std::string out;
  switch (p.kind) {
    case PrincipalSpec::Kind::ServiceAccount: {
      const ServiceAccount& sa = w.sas[p.sa];
      out = "sa:" + w.clusters[sa.cluster].name + "/" + sa.ns + "/" + sa.name;
      break;
    }
    case PrincipalSpec::Kind::Workload: {
      const Workload& wl = w.clusters[p.cluster].workloads[p.workload];
      out = "workload:" + w.clusters[p.cluster].name + "/" + wl.ns + "/" + wl.name;
      break;
    }
    case PrincipalSpec::Kind::Role: out = w.roles[p.role].arn; break;
    case PrincipalSpec::Kind::Anonymous: out = "anonymous"; break;
  }
  for (int r : p.chain) out += " -> " + w.roles[r].arn;
  return out;
}

std::string resource_text(const World& w, const ResourceSpec& r) {
  switch (r.kind) {
    case ResourceSpec::Kind::Bucket: return "s3://" + w.buckets[r.bucket].name;
    case ResourceSpec::Kind::Object: return "s3://" + w.buckets[r.bucket].name + "/" + r.object_key;
    case ResourceSpec::Kind::Key: return w.keys[r.key].arn;
    case ResourceSpec::Kind::Role: return w.roles[r.role].arn;
  }
  return "";
}

std::string kind_description(const std::string& kind) {
  static const std::map<std::string, std::string> text = {
      {"irsa-pinned-allow",
       "IRSA: the trust pins the token's :sub and :aud; identity and bucket policies grant (K1, X1)"},
      {"irsa-namespace-wildcard-allow",
       "IRSA: the trust admits every service account of the namespace with StringLike (K1)"},
      {"irsa-aud-only-allow", "IRSA: the trust checks only :aud, so any annotated service account gets the role (K1)"},
      {"irsa-cross-account-provider-allow",
       "IRSA to a role in another account that registered the cluster's issuer (K4a, T6)"},
      {"workload-allow", "a workload acts through the service account its pods run as (design 5)"},
      {"pod-identity-allow", "EKS Pod Identity: the trust admits pods.eks.amazonaws.com (K5, T8)"},
      {"pod-identity-abac-allow",
       "Pod Identity session tags select the namespace's prefix and the bucket's ABAC grant (K6, PV1)"},
      {"pod-identity-target-role-allow",
       "Pod Identity with a target role in another account and its external id (K7, T11)"},
      {"chained-role-allow", "the IRSA role assumes a reader role in the data account (K4b, T2)"},
      {"partner-chain-allow",
       "a partner outside the organization reaches the data through a gateway role inside it (T2, X5)"},
      {"assume-role-request-allow", "sts:AssumeRole across accounts: trust and identity policy both allow (T2)"},
      {"s3-star-delete-allow", "s3:* allows deletes where no SCP denies them (S3)"},
      {"sse-kms-allow", "SSE-KMS object: the key policy and the role allow the KMS call S3 makes (B7, KM3)"},
      {"kms-bucket-list-allow", "listing an SSE-KMS bucket makes no KMS call (B1, B7)"},
      {"same-account-bucket-grant-allow",
       "a same-account bucket policy naming the role ARN needs no identity allow (E5)"},
      {"org-dataset-allow", "Principal * with aws:PrincipalOrgID plus the caller's identity allow (E5, X2)"},
      {"key-admin-allow", "the key administrators statement, in an account no key-deletion SCP covers (KM2, S3)"},
      {"no-credentials", "no role-arn annotation and no Pod Identity association: no AWS credentials (K2, K5)"},
      {"workload-default-sa", "no serviceAccountName: the pods run as the namespace's unannotated default (design 5)"},
      {"irsa-wrong-sub", "the annotation names a role whose trust pins another service account's :sub (K1, T7)"},
      {"irsa-missing-oidc-provider", "the role's account has no IAM OIDC provider for the cluster's issuer (T6, K4)"},
      {"irsa-audience-mismatch",
       "the token's audience is not a client id of the provider, or not the trust's :aud (T7)"},
      {"bucket-policy-not-granting", "cross-account: the role's policy allows, the bucket policy does not (X1)"},
      {"identity-not-granting", "the role's own policy does not allow the action (E7, X2)"},
      {"scp-deny-delete", "the Prod SCP denies deleting data, whatever the role and bucket allow (S3, E2)"},
      {"scp-deny-key-deletion", "the Workloads SCP denies scheduling KMS key deletion (S3, E2)"},
      {"scp-sandbox-perimeter", "the Sandbox SCP denies S3 on other accounts' resources (S3, PV1)"},
      {"rcp-outside-principal", "the root RCP denies principals outside the organization (R1-R3, X5)"},
      {"kms-key-policy-not-granting",
       "S3 allows, but the key policy grants neither the role nor its account (KM1, KM3, B7)"},
      {"kms-identity-not-granting",
       "the key policy allows, the role's policy does not allow the KMS action (KM2, KM3)"},
      {"kms-direct-call-deny", "calling KMS directly: the key policy's grants need kms:ViaService = S3 (KM5)"},
      {"pod-identity-tags-disabled",
       "disable_session_tags: no kubernetes-namespace tag for the ABAC policies (K6, PV3)"},
      {"pod-identity-wrong-namespace-prefix",
       "the session's namespace tag does not match the object's prefix (K6, RS4)"},
      {"pod-identity-trust-namespace-mismatch",
       "the trust pins aws:RequestTag/kubernetes-namespace to another namespace (K6)"},
      {"pod-identity-no-tagsession", "the trust allows sts:AssumeRole but not sts:TagSession (T8, K5)"},
      {"pod-identity-bad-external-id", "the target role's trust expects another external id (K7, T11)"},
      {"chained-role-deny",
       "the next role's trust does not admit the caller, or its policy does not allow sts:AssumeRole (T1, T2)"},
  };
  auto it = text.find(kind);
  return it == text.end() ? kind : it->second;
}

std::vector<std::string> expectation_kinds() {
  World empty;
  Oracle o(empty);
  Chooser chooser(empty, o);
  std::vector<std::string> names;
  for (const auto& k : chooser.kinds()) names.push_back(k.name);
  return names;
}

std::vector<Expectation> make_expectations(const World& w, const Oracle& oracle, Rng rng, int count) {
  Chooser chooser(w, oracle);
  std::vector<KindDef> kinds = chooser.kinds();
  std::vector<bool> exhausted(kinds.size(), false);
  std::vector<int> misses(kinds.size(), 0);  // rounds in a row that found nothing
  std::vector<Expectation> out;
  std::set<std::string> seen;
  out.reserve(static_cast<std::size_t>(count));
  std::size_t next_forced = 0;
  while (static_cast<int>(out.size()) < count) {
    std::size_t k;
    const bool forced = next_forced < kinds.size();
    if (forced) {
      k = next_forced;  // every kind once before any repeats
    } else {
      std::vector<int> weights;
      for (std::size_t i = 0; i < kinds.size(); ++i) weights.push_back(exhausted[i] ? 0 : kinds[i].weight);
      if (std::all_of(weights.begin(), weights.end(), [](int x) { return x == 0; })) break;
      k = rng.weighted(weights);
    }
    if (exhausted[k]) {
      if (forced) ++next_forced;
      continue;
    }
    const KindDef& kind = kinds[k];
    std::optional<Expectation> accepted;
    bool accepted_is_new = false;
    for (int attempt = 0; attempt < 120 && !accepted_is_new; ++attempt) {
      auto c = kind.pick(rng);
      if (!c) continue;
      Verdict v = oracle.decide(c->principal, c->action, c->resource);
      if (v.outcome != kind.outcome ||
          std::find(kind.reasons.begin(), kind.reasons.end(), v.reason) == kind.reasons.end())
        continue;
      Expectation e;
      e.kind = kind.name;
      e.principal = c->principal;
      e.action = c->action;
      e.resource = c->resource;
      e.verdict = v;
      const std::string key = principal_text(w, e.principal) + " " + e.action + " " + resource_text(w, e.resource);
      accepted_is_new = !seen.count(key);
      if (accepted_is_new) seen.insert(key);
      if (accepted_is_new || !accepted) accepted = e;
      if (!accepted_is_new && attempt >= 40) break;  // a small world runs out of new questions
    }
    if (!accepted) {
      // A rare kind may miss a round by chance; one that keeps missing is not in this world.
      if (++misses[k] >= 6) exhausted[k] = true;
      continue;
    }
    misses[k] = 0;
    if (forced) ++next_forced;
    accepted->long_form = rng.percent(12);
    out.push_back(std::move(*accepted));
  }
  return out;
}

}  // namespace genworld
