// Bench: synthetic world generator. The oracle's rules, one function per hop of
// docs/scenario-format.md, each citing the rule of docs/rules.md it follows.
#include "oracle.hpp"

#include <algorithm>
#include <set>

namespace genworld {

namespace {

constexpr std::string_view default_audience = "sts.amazonaws.com";

Verdict allow() { return {Outcome::Allow, Reason::Allowed}; }
Verdict implicit(Reason r) { return {Outcome::ImplicitDeny, r}; }
Verdict explicit_deny(Reason r) { return {Outcome::ExplicitDeny, r}; }

bool is_delete_action(std::string_view a) {
  return a == "s3:DeleteObject" || a == "s3:DeleteObjectVersion" || a == "s3:DeleteBucket";
}

bool is_key_deletion_action(std::string_view a) {
  return a == "kms:ScheduleKeyDeletion" || a == "kms:DisableKey" || a == "kms:DeleteImportedKeyMaterial";
}

std::string_view service_of(std::string_view action) { return action.substr(0, action.find(':')); }

// Action patterns of the generator: a name, or a prefix ending in '*' (A1).
bool action_matches(std::string_view pattern, std::string_view action) {
  if (pattern.ends_with("*")) return action.starts_with(pattern.substr(0, pattern.size() - 1));
  return pattern == action;
}

}  // namespace

bool glob_match(std::string_view p, std::string_view t) {
  std::size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && (p[pi] == '?' || p[pi] == t[ti])) {
      ++pi;
      ++ti;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::Allow: return "allow";
    case Outcome::ExplicitDeny: return "explicit_deny";
    case Outcome::ImplicitDeny: return "implicit_deny";
  }
  return "";
}

std::string_view to_string(Reason r) {
  switch (r) {
    case Reason::Allowed: return "allowed";
    case Reason::NoCredentials: return "no AWS credentials (no role-arn annotation, no Pod Identity association)";
    case Reason::NoOidcProvider: return "no IAM OIDC provider for the cluster issuer in the role's account";
    case Reason::AudienceNotClientId: return "the token audience is not a client id of the OIDC provider";
    case Reason::WebIdentityTrust: return "the role trust policy does not admit the token (sub/aud)";
    case Reason::PodIdentityTrust: return "the role trust policy does not admit EKS Pod Identity";
    case Reason::PodIdentityTagSession: return "the role trust policy does not allow sts:TagSession";
    case Reason::ChainTrust: return "the target role's trust policy does not admit the caller";
    case Reason::ChainIdentity: return "the caller's identity policy does not allow sts:AssumeRole on the target";
    case Reason::ScpDataDeletion: return "the SCP protecting production data denies deletes";
    case Reason::ScpKeyDeletion: return "the SCP protecting KMS keys denies key deletion";
    case Reason::ScpSandbox: return "the sandbox data perimeter SCP denies other accounts' data";
    case Reason::ScpSeveral: return "several SCPs deny";
    case Reason::Rcp: return "an RCP denies";
    case Reason::IdentityNotGranting: return "the identity policy does not allow";
    case Reason::ResourceNotGranting: return "the bucket policy does not grant the role";
    case Reason::NotGranted: return "neither the identity policy nor the bucket policy allows";
    case Reason::KmsKeyPolicy: return "the KMS key policy grants neither the caller nor its account";
    case Reason::KmsIdentity: return "the identity policy does not allow the KMS action";
  }
  return "";
}

// ---- organization policies ------------------------------------------------------------------
// S1-S3: the deny SCPs on the caller's path (root, units, account); the management account is
// exempt (S2) and accounts outside the organization have no SCPs (X5).
std::optional<Reason> Oracle::scp_denies(int account, std::string_view action, int resource_account) const {
  if (!w_.in_org(account) || account == w_.management) return std::nullopt;
  const Account& a = w_.accounts[account];
  std::set<Reason> found;
  for (int u : w_.unit_path(account)) {
    const Unit& unit = w_.units[u];
    if (unit.deny_delete && is_delete_action(action)) found.insert(Reason::ScpDataDeletion);
    if (unit.deny_key_deletion && is_key_deletion_action(action)) found.insert(Reason::ScpKeyDeletion);
    // StringNotEquals aws:ResourceAccount ${aws:PrincipalAccount} on s3:*.
    if (unit.sandbox_perimeter && service_of(action) == "s3" && resource_account != account)
      found.insert(Reason::ScpSandbox);
  }
  if (a.deny_delete && is_delete_action(action)) found.insert(Reason::ScpDataDeletion);
  if (found.empty()) return std::nullopt;
  if (found.size() > 1) return Reason::ScpSeveral;
  return *found.begin();
}

// R1-R5, X5: the root RCP denies s3:* and kms:* to principals outside the organization
// (StringNotEqualsIfExists aws:PrincipalOrgID; anonymous callers have no org id, C5), on
// resources of member accounts; resources of the management account are exempt (R4).
bool Oracle::rcp_denies(const Session& s, int resource_account, std::string_view action) const {
  if (resource_account < 0 || !w_.in_org(resource_account) || resource_account == w_.management) return false;
  const auto service = service_of(action);
  if (service != "s3" && service != "kms") return false;
  const bool principal_in_org = !s.anonymous && s.role >= 0 && w_.in_org(w_.roles[s.role].account);
  return !principal_in_org;
}

// ---- identity policies ----------------------------------------------------------------------
bool Oracle::identity_allows(int role, const std::map<std::string, std::string>& tags, std::string_view action,
                             const ResourceSpec& r) const {
  if (role < 0) return false;
  for (int p : w_.roles[role].policies) {
    for (const IdStmt& st : w_.policies[p].stmts) {
      switch (st.kind) {
        case IdKind::S3: {
          if ((r.kind != ResourceSpec::Kind::Bucket && r.kind != ResourceSpec::Kind::Object) || r.bucket != st.bucket)
            break;
          if (!st.ns_prefix) {
            if (level_grants(st.level, action)) return true;
            break;
          }
          if (r.kind == ResourceSpec::Kind::Bucket) {
            if (action == "s3:ListBucket" || action == "s3:GetBucketLocation") return true;
            break;
          }
          // RS4, PV3: ${aws:PrincipalTag/kubernetes-namespace} with no tag matches nothing.
          auto ns = tags.find("kubernetes-namespace");
          if (ns == tags.end()) break;
          if (r.object_key.starts_with(ns->second + "/") && !is_bucket_action(action) && level_grants(st.level, action))
            return true;
          break;
        }
        case IdKind::Kms:
          if (r.kind == ResourceSpec::Kind::Key && r.key == st.key &&
              (action == "kms:Decrypt" || (st.kms_write && action == "kms:GenerateDataKey")))
            return true;
          break;
        case IdKind::Assume:
          if (r.kind == ResourceSpec::Kind::Role &&
              std::find(st.targets.begin(), st.targets.end(), r.role) != st.targets.end() &&
              (action == "sts:AssumeRole" || (st.tag_session && action == "sts:TagSession")))
            return true;
          break;
        case IdKind::KmsAdmin:
          if (r.kind == ResourceSpec::Kind::Key && w_.keys[r.key].account == st.account && action.starts_with("kms:"))
            return true;
          break;
        case IdKind::Other: break;  // ec2, elasticloadbalancing, route53 ...: never the actions asked about
      }
    }
  }
  return false;
}

// ---- sessions -------------------------------------------------------------------------------
const ServiceAccount* Oracle::workload_sa(int cluster, int workload) const {
  const Workload& wl = w_.clusters[cluster].workloads[workload];
  return w_.find_sa(cluster, wl.ns, wl.sa.empty() ? std::string("default") : wl.sa);
}

Session Oracle::session(const PrincipalSpec& p) const {
  Session s;
  switch (p.kind) {
    case PrincipalSpec::Kind::ServiceAccount: from_service_account(s, w_.sas[p.sa]); break;
    case PrincipalSpec::Kind::Workload: {
      const ServiceAccount* sa = workload_sa(p.cluster, p.workload);
      if (!sa) {
        s.ok = false;
        s.failure = implicit(Reason::NoCredentials);
      } else {
        from_service_account(s, *sa);
      }
      break;
    }
    case PrincipalSpec::Kind::Role:
      s.role = p.role;
      s.tags = w_.roles[p.role].tags;
      break;
    case PrincipalSpec::Kind::Anonymous: s.anonymous = true; break;
  }
  for (int target : p.chain) {
    if (!s.ok) break;
    assume(s, target, std::nullopt);
  }
  return s;
}

void Oracle::from_service_account(Session& s, const ServiceAccount& sa) const {
  // Design 5.1: the annotation (IRSA) is tried before a Pod Identity association.
  if (sa.irsa_role >= 0) return irsa(s, sa);
  if (sa.association >= 0) return pod_identity(s, sa, w_.clusters[sa.cluster].associations[sa.association]);
  s.ok = false;
  s.failure = implicit(Reason::NoCredentials);
}

// K1, T6, T7: AssumeRoleWithWebIdentity with iss = the issuer, sub = system:serviceaccount:NS:NAME,
// aud = sts.amazonaws.com or the audience annotation.
void Oracle::irsa(Session& s, const ServiceAccount& sa) const {
  const Role& role = w_.roles[sa.irsa_role];
  const Account& role_account = w_.accounts[role.account];
  const Cluster& c = w_.clusters[sa.cluster];
  const std::string aud = sa.audience.value_or(std::string(default_audience));
  const std::string sub = "system:serviceaccount:" + sa.ns + ":" + sa.name;
  const Provider* provider = nullptr;
  for (const auto& p : role_account.providers)
    if (p.issuer == c.issuer()) provider = &p;
  if (!provider) {
    s.ok = false;
    s.failure = implicit(Reason::NoOidcProvider);
    return;
  }
  if (std::find(provider->client_ids.begin(), provider->client_ids.end(), aud) == provider->client_ids.end()) {
    s.ok = false;
    s.failure = implicit(Reason::AudienceNotClientId);
    return;
  }
  bool trusted = false;
  for (const TrustStmt& st : role.trust) {
    if (st.kind != TrustKind::WebIdentity || st.provider_account != role_account.id || st.issuer_host != c.host())
      continue;
    if (st.aud && *st.aud != aud) continue;
    if (st.sub == SubMatch::Equals && st.sub_value != sub) continue;
    if (st.sub == SubMatch::Like && !glob_match(st.sub_value, sub)) continue;
    trusted = true;
  }
  if (!trusted) {
    s.ok = false;
    s.failure = implicit(Reason::WebIdentityTrust);
    return;
  }
  s.role = sa.irsa_role;
  s.tags = role.tags;  // K3: no session tags
}

// K5-K7, T8: pods.eks.amazonaws.com assumes the role (and tags the session), then the target.
void Oracle::pod_identity(Session& s, const ServiceAccount& sa, const Association& a) const {
  const Cluster& c = w_.clusters[sa.cluster];
  const Role& role = w_.roles[a.role];
  std::map<std::string, std::string> session_tags;
  if (!a.disable_tags) {
    // The pod name and uid tags are also set; no generated policy reads them.
    session_tags = {{"eks-cluster-arn", c.arn()},
                    {"eks-cluster-name", c.name},
                    {"kubernetes-namespace", sa.ns},
                    {"kubernetes-service-account", sa.name}};
  }
  std::vector<std::string> actions = {"sts:AssumeRole"};
  if (!a.disable_tags) actions.push_back("sts:TagSession");
  for (const auto& action : actions) {
    bool trusted = false;
    for (const TrustStmt& st : role.trust) {
      if (st.kind != TrustKind::PodIdentity) continue;
      if (action == "sts:TagSession" && !st.tag_session) continue;
      if (st.source_account && *st.source_account != c.account_id) continue;
      if (st.source_arn && *st.source_arn != c.arn()) continue;
      if (st.request_tag_namespace) {
        auto it = session_tags.find("kubernetes-namespace");
        if (it == session_tags.end() || it->second != *st.request_tag_namespace) continue;
      }
      trusted = true;
    }
    if (!trusted) {
      s.ok = false;
      s.failure = implicit(action == "sts:AssumeRole" ? Reason::PodIdentityTrust : Reason::PodIdentityTagSession);
      return;
    }
  }
  s.role = a.role;
  s.tags = role.tags;
  for (const auto& [k, v] : session_tags) s.tags[k] = v;  // K6: the session tag wins
  s.transitive = session_tags;                            // K6: all transitive
  if (a.target >= 0) assume(s, a.target, a.external_id);
}

// T1, T2, T11: sts:AssumeRole by the current session.
Verdict Oracle::assume_verdict(const Session& s, int target, const std::optional<std::string>& external_id) const {
  const Role& caller = w_.roles[s.role];
  const Role& t = w_.roles[target];
  if (auto scp = scp_denies(caller.account, "sts:AssumeRole", t.account)) return explicit_deny(*scp);
  if (rcp_denies(s, t.account, "sts:AssumeRole")) return explicit_deny(Reason::Rcp);
  bool by_arn = false, by_account = false;
  for (const TrustStmt& st : t.trust) {
    if (st.kind != TrustKind::Aws) continue;
    if (st.external_id && (!external_id || *external_id != *st.external_id)) continue;
    for (const auto& p : st.aws) {
      if (p == caller.arn) by_arn = true;
      if (p == w_.accounts[caller.account].id) by_account = true;
    }
  }
  if (!by_arn && !by_account) return implicit(Reason::ChainTrust);
  ResourceSpec r;
  r.kind = ResourceSpec::Kind::Role;
  r.role = target;
  const bool identity = identity_allows(s.role, s.tags, "sts:AssumeRole", r);
  // T2: in one account a trust naming the caller's ARN suffices; otherwise both sides.
  const bool same_account = caller.account == t.account;
  if (identity || (same_account && by_arn)) return allow();
  return implicit(Reason::ChainIdentity);
}

void Oracle::assume(Session& s, int target, const std::optional<std::string>& external_id) const {
  Verdict v = assume_verdict(s, target, external_id);
  if (v.outcome != Outcome::Allow) {
    s.ok = false;
    s.failure = v;
    return;
  }
  s.role = target;
  s.tags = w_.roles[target].tags;
  for (const auto& [k, v2] : s.transitive) s.tags[k] = v2;  // T8: incoming transitive tags
}

// ---- requests -------------------------------------------------------------------------------
Verdict Oracle::decide(const PrincipalSpec& p, std::string_view action, const ResourceSpec& r) const {
  Session s = session(p);
  if (!s.ok) return s.failure;
  return request(s, action, r);
}

Verdict Oracle::request(const Session& s, std::string_view action, const ResourceSpec& r) const {
  switch (r.kind) {
    case ResourceSpec::Kind::Bucket:
    case ResourceSpec::Kind::Object: return s3(s, action, r);
    case ResourceSpec::Kind::Key:
      if (s.anonymous)
        return rcp_denies(s, w_.keys[r.key].account, action) ? explicit_deny(Reason::Rcp)
                                                             : implicit(Reason::KmsKeyPolicy);
      return kms(s, action, r.key, false);
    case ResourceSpec::Kind::Role:
      if (s.anonymous) return implicit(Reason::ChainTrust);
      return assume_verdict(s, r.role, std::nullopt);
  }
  return implicit(Reason::NotGranted);
}

// E1-E7, X1, X2: one S3 request; then B7 for SSE-KMS objects.
Verdict Oracle::s3(const Session& s, std::string_view action, const ResourceSpec& r) const {
  const Bucket& b = w_.buckets[r.bucket];
  if (s.anonymous) {
    if (rcp_denies(s, b.account, action)) return explicit_deny(Reason::Rcp);
    return implicit(Reason::NotGranted);  // no generated bucket policy is public
  }
  const Role& role = w_.roles[s.role];
  const Account& caller = w_.accounts[role.account];
  if (auto scp = scp_denies(role.account, action, b.account)) return explicit_deny(*scp);
  if (rcp_denies(s, b.account, action)) return explicit_deny(Reason::Rcp);
  // The bucket policy's only Deny is on aws:SecureTransport = false; requests are over TLS.
  const bool identity = identity_allows(s.role, s.tags, action, r);
  enum class Grant { None, RoleArn, Account, Star } grant = Grant::None;
  if (auto it = b.role_grants.find(role.arn); it != b.role_grants.end() && level_grants(it->second, action))
    grant = Grant::RoleArn;
  if (grant == Grant::None)
    for (const TagGrant& g : b.tag_grants) {
      if (g.account_id != caller.id || !level_grants(g.level, action)) continue;
      auto cl = s.tags.find("eks-cluster-name");
      auto ns = s.tags.find("kubernetes-namespace");
      if (cl == s.tags.end() || ns == s.tags.end() || cl->second != g.cluster || !g.namespaces.count(ns->second))
        continue;
      grant = Grant::Account;
    }
  if (grant == Grant::None && b.org_read && w_.in_org(role.account) &&
      (action == "s3:GetObject" || action == "s3:ListBucket"))
    grant = Grant::Star;
  const bool same_account = role.account == b.account;
  bool allowed;
  if (same_account) {
    // E5: a same-account grant to the role ARN or to "*" needs no identity allow; a grant to
    // the account does (docs/rules.md choice 3).
    allowed = identity || grant == Grant::RoleArn || grant == Grant::Star;
  } else {
    allowed = identity && grant != Grant::None;  // X1, X2
  }
  if (!allowed) {
    if (same_account) return implicit(Reason::IdentityNotGranting);
    if (!identity && grant == Grant::None) return implicit(Reason::NotGranted);
    return implicit(identity ? Reason::ResourceNotGranting : Reason::IdentityNotGranting);
  }
  if (r.kind == ResourceSpec::Kind::Object && b.key >= 0) {
    if (action == "s3:GetObject") return kms(s, "kms:Decrypt", b.key, true);
    if (action == "s3:PutObject") return kms(s, "kms:GenerateDataKey", b.key, true);
  }
  return allow();
}

// KM1-KM3, KM5: the key policy is the gate. Its grants to roles and to other accounts carry
// kms:ViaService = s3.REGION.amazonaws.com, so they apply only to calls made by S3 (B7).
Verdict Oracle::kms(const Session& s, std::string_view action, int key, bool via_s3) const {
  const Key& k = w_.keys[key];
  const Role& role = w_.roles[s.role];
  const Account& caller = w_.accounts[role.account];
  if (auto scp = scp_denies(role.account, action, k.account)) return explicit_deny(*scp);
  if (rcp_denies(s, k.account, action)) return explicit_deny(Reason::Rcp);
  bool direct = false;
  if (via_s3) {
    if (auto it = k.role_grants.find(role.arn); it != k.role_grants.end())
      direct = action == "kms:Decrypt" || (it->second && action == "kms:GenerateDataKey");
  }
  if (!direct && k.admin_role_arn == role.arn)
    for (const auto& pattern : key_admin_actions())
      if (action_matches(pattern, action)) direct = true;
  // "Enable IAM User Permissions" for the owner; the other accounts' grants only via S3.
  const bool iam_enabled = k.account == role.account || (via_s3 && k.account_grants.count(caller.id) > 0);
  ResourceSpec r;
  r.kind = ResourceSpec::Kind::Key;
  r.key = key;
  const bool identity = identity_allows(s.role, s.tags, action, r);
  const bool same_account = k.account == role.account;
  const bool allowed = same_account ? (direct || (iam_enabled && identity)) : ((direct || iam_enabled) && identity);
  if (allowed) return allow();
  if (!direct && !iam_enabled) return implicit(Reason::KmsKeyPolicy);
  return implicit(Reason::KmsIdentity);
}

}  // namespace genworld
