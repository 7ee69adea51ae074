// Stage: paths. From a principal reference to the hops AWS performs (docs/scenario-format.md,
// "How a question is answered"):
//   service account -> IRSA (K1-K4, T6, T7) or Pod Identity (K5-K7, T8) -> role session
//   -> each chained role (T1-T4) -> the request -> the SSE-KMS call (B7, KM1-KM3).
#include "model/paths/access.hpp"

#include <algorithm>

#include "engine/assert.hpp"
#include "engine/syntax/arn.hpp"
#include "engine/syntax/arn_kind.hpp"
#include "engine/text.hpp"

namespace iamsim::model {
namespace {

using eval::Outcome;

struct ResourceInfo {
  std::string arn;
  std::string account;
  std::string region;
  const Tags* tags = nullptr;
  const PolicyDocument* policy = nullptr;
  const Bucket* bucket = nullptr;
  const KmsKey* key = nullptr;
  const Role* role = nullptr;
};

ResourceInfo resource_of(const World& world, std::string_view arn) {
  ResourceInfo r;
  r.arn = std::string(arn);
  auto parts = syntax::parse_arn(arn);
  if (!parts) return r;
  r.account = parts->account;
  r.region = parts->region;
  switch (syntax::resource_arn_kind(*parts)) {
    case syntax::ResourceArnKind::S3Bucket:
    case syntax::ResourceArnKind::S3Object:
      if (const Bucket* b = world.find_bucket(syntax::s3_bucket_name(*parts))) {
        r.bucket = b;
        r.account = b->account_id;
        r.region = b->region;
        r.tags = &b->tags;
        if (b->policy) r.policy = &*b->policy;
      }
      break;
    case syntax::ResourceArnKind::KmsKey:
      if (const KmsKey* k = world.find_key(arn)) {
        r.key = k;
        r.tags = &k->tags;
        r.policy = &k->policy;
      }
      break;
    case syntax::ResourceArnKind::IamRole:
      if (const Role* role = world.find_role(arn)) {
        r.role = role;
        r.tags = &role->tags;
        r.policy = &role->trust;
      }
      break;
    default: break;  // not modelled: no policy, no tags
  }
  return r;
}

bool is_management(const World& w, std::string_view account) {
  return w.organization && w.organization->management_account == account;
}

std::string truncate_session_name(std::string name) {
  if (name.size() > 64) name.resize(64);  // T3: at most 64 characters
  return name;
}

}  // namespace

struct AccessResolver::Session {
  bool ok = true;                    // credentials were obtained
  Outcome outcome = Outcome::Allow;  // the deny when !ok
  std::vector<Hop> hops;
  eval::Principal principal;
  const Role* role = nullptr;
  const User* user = nullptr;
  Tags tags;        // aws:PrincipalTag/*: the identity's tags, overridden by session tags (T8)
  Tags transitive;  // session tags that persist through chaining (K6, T8)
  Context carried;  // web identity claims that later requests still see (T7)
};

namespace {

using Session = AccessResolver::Session;

eval::Principal role_session(const World& w, const Role& role, std::string session_name) {
  eval::Principal p;
  p.kind = eval::PrincipalKind::RoleSession;
  p.account = role.account_id;
  p.name = role.name;
  p.role_arn = role.arn;
  p.session_name = truncate_session_name(std::move(session_name));
  p.session_known = true;
  p.arn = "arn:aws:sts::" + role.account_id + ":assumed-role/" + role.name + "/" + p.session_name;
  p.unique_id = role.unique_id;
  p.service_linked_role = role.service_linked;
  p.management_account = is_management(w, role.account_id);
  p.has_boundary = role.boundary.has_value();
  return p;
}

void set_context(eval::Context& c, const Context& values) {
  for (const auto& [key, value] : values) c.set(key, value.values, value.multi_valued);
}

void principal_keys(eval::Context& c, const CompiledWorld& cw, const Session& s) {
  const eval::Principal& p = s.principal;
  if (!p.is_iam()) return;
  if (s.role) {
    c.set("aws:PrincipalArn", s.role->arn);
    c.set("aws:userid", s.role->unique_id + ":" + p.session_name);
  } else if (s.user) {
    c.set("aws:PrincipalArn", s.user->arn);
    c.set("aws:userid", s.user->unique_id);
    c.set("aws:username", s.user->name);
  }
  cw.add_account_keys(c, p.account, CompiledWorld::KeySide::Principal);
  for (const auto& [k, v] : s.tags) c.set("aws:PrincipalTag/" + k, v);
}

void resource_keys(eval::Context& c, const CompiledWorld& cw, const ResourceInfo& r) {
  if (r.account.empty()) return;
  cw.add_account_keys(c, r.account, CompiledWorld::KeySide::Resource);
  if (r.tags)
    for (const auto& [k, v] : *r.tags) c.set("aws:ResourceTag/" + k, v);
}

void set_resource(eval::Request& r, const World& w, const ResourceInfo& res) {
  r.set_resource(res.arn);
  r.resource_account = res.account;
  r.resource_in_management_account = is_management(w, res.account);
  r.resource_is_aws_managed_key = res.key && res.key->aws_managed;
}

Hop missing(HopKind kind, std::string title, Note why) {
  Hop h;
  h.kind = kind;
  h.title = std::move(title);
  h.outcome = Outcome::ImplicitDeny;
  h.missing_link = std::move(why);
  return h;
}

// Decides one prepared request.
std::shared_ptr<const EvaluatedRequest> decide(std::shared_ptr<EvaluatedRequest> e, const Semantics& s) {
  e->request.fill_derived_keys();
  e->decision = eval::authorize(e->request, e->policies, s);
  return e;
}

// K1: a web-identity trust statement that does not pin :sub admits every service account.
void lint_web_identity_trust(Hop& hop, const std::string& host) {
  const auto& d = hop.evaluated->decision;
  for (const auto& ref : d.determining) {
    if (ref.layer != eval::Layer::Resource) continue;
    const auto& st = ref.compiled();
    bool pins_sub = false;
    for (const auto& c : st.conditions) {
      if (c.key != ascii_lowered(host + ":sub") || c.negated) continue;
      bool wildcard = false;
      for (const auto& p : c.strings)
        wildcard |= c.comparison == compile::Comparison::Like && p.source().find('*') != std::string::npos;
      if (wildcard) hop.notes.push_back(make_note(NoteCode::SubWildcard, {st.label()}));
      pins_sub = true;
    }
    if (!pins_sub) hop.notes.push_back(make_note(NoteCode::SubNotPinned, {st.label()}));
  }
}

}  // namespace

std::string_view to_string(HopKind kind) {
  switch (kind) {
    case HopKind::Credentials: return "credentials";
    case HopKind::WebIdentity: return "web identity";
    case HopKind::PodIdentity: return "pod identity";
    case HopKind::TagSession: return "tag session";
    case HopKind::AssumeRole: return "assume role";
    case HopKind::Request: return "request";
    case HopKind::Kms: return "kms";
  }
  unreachable();
}

const Hop* Access::deciding_hop() const {
  for (const auto& h : hops)
    if (!h.allowed()) return &h;
  return nullptr;
}

bool satisfies(Outcome outcome, Expect expect) {
  switch (expect) {
    case Expect::Allow: return outcome == Outcome::Allow;
    case Expect::Deny: return outcome != Outcome::Allow;
    case Expect::ExplicitDeny: return outcome == Outcome::ExplicitDeny;
    case Expect::ImplicitDeny: return outcome == Outcome::ImplicitDeny;
  }
  unreachable();
}

AccessResolver::AccessResolver(std::shared_ptr<const CompiledWorld> world) : world_(std::move(world)) {}
AccessResolver::~AccessResolver() = default;

std::shared_ptr<const AccessResolver::Session> AccessResolver::session_for(const PrincipalRef& principal) const {
  std::string key = to_string(principal);
  {
    std::shared_lock lock(mutex_);
    if (auto it = sessions_.find(key); it != sessions_.end()) return it->second;
  }
  auto session = resolve(principal);  // outside the lock: another thread may race, harmlessly
  std::unique_lock lock(mutex_);
  return sessions_.emplace(std::move(key), std::move(session)).first->second;
}

namespace {

class PathBuilder {
 public:
  PathBuilder(const CompiledWorld& cw) : cw_(cw), w_(cw.world()) {}

  // A request to a resource: its context keys and the world's defaults, its policy and the
  // RCP levels of its account; with a caller, the caller's keys and layers too.
  std::shared_ptr<EvaluatedRequest> prepare(const eval::Principal& principal, std::string_view action,
                                            const ResourceInfo& res, const Session* caller) const {
    auto e = std::make_shared<EvaluatedRequest>();
    e->request.principal = principal;
    e->request.set_action(action);
    set_resource(e->request, w_, res);
    if (caller) principal_keys(e->request.context, cw_, *caller);
    resource_keys(e->request.context, cw_, res);
    cw_.add_default_keys(e->request.context);
    if (caller) {
      set_context(e->request.context, caller->carried);
      caller_policies(e->policies, *caller);
    }
    if (res.policy) e->policies.resource = cw_.attach(*res.policy);
    e->policies.rcp = cw_.rcp_levels(res.account);
    e->policies.rcp_level_names = cw_.level_names(res.account);
    return e;
  }

  Hop decided(HopKind kind, std::string title, std::shared_ptr<EvaluatedRequest> e) const {
    Hop hop;
    hop.kind = kind;
    hop.title = std::move(title);
    hop.evaluated = decide(std::move(e), cw_.semantics());
    hop.outcome = hop.evaluated->decision.outcome;
    return hop;
  }

  // A denied hop ends the path: the session carries the outcome.
  void fail(Session& s, Hop hop) {
    s.ok = false;
    s.outcome = hop.outcome;
    s.hops.push_back(std::move(hop));
  }

  void from_service_account(Session& s, const PrincipalRef& ref) {
    const Cluster* cluster = w_.find_cluster(ref.cluster);
    if (!cluster)
      return fail(s, missing(HopKind::Credentials, "find cluster " + ref.cluster,
                             make_note(NoteCode::UnknownCluster, {ref.cluster})));
    std::string sa_name = ref.name;
    Hop creds;
    creds.kind = HopKind::Credentials;
    creds.outcome = Outcome::Allow;
    if (ref.kind == PrincipalRef::Kind::Workload) {
      const Workload* wl = w_.find_workload(ref.cluster, ref.namespace_name, ref.name);
      if (!wl)
        return fail(s, missing(HopKind::Credentials, "find workload " + ref.namespace_name + "/" + ref.name,
                               make_note(NoteCode::UnknownWorkload, {ref.cluster, ref.namespace_name, ref.name})));
      sa_name = wl->service_account();
      creds.title = std::string(to_string(wl->kind)) + " " + ref.namespace_name + "/" + ref.name +
                    " runs as service account " + ref.namespace_name + "/" + sa_name;
      if (wl->components.front().service_account_defaulted)
        creds.notes.push_back(make_note(NoteCode::DefaultServiceAccount));
    }
    const ServiceAccount* sa = w_.find_service_account(ref.cluster, ref.namespace_name, sa_name);
    if (!sa)
      return fail(s, missing(HopKind::Credentials, "find service account " + ref.namespace_name + "/" + sa_name,
                             make_note(NoteCode::UnknownServiceAccount, {ref.cluster, ref.namespace_name, sa_name})));
    if (!creds.title.empty()) s.hops.push_back(std::move(creds));
    const PodIdentityAssociation* assoc = w_.find_pod_identity_association(ref.cluster, ref.namespace_name, sa_name);
    if (sa->role_arn) {
      if (assoc) {
        Hop both;
        both.kind = HopKind::Credentials;
        both.title = "service account has both IRSA and a Pod Identity association";
        both.outcome = Outcome::Allow;
        both.notes.push_back(make_note(NoteCode::IrsaBeforePodIdentity));
        s.hops.push_back(std::move(both));
      }
      return irsa(s, *cluster, *sa);
    }
    if (assoc) return pod_identity(s, *cluster, *sa, *assoc, ref);
    fail(s, missing(HopKind::Credentials, "credentials of service account " + ref.namespace_name + "/" + sa_name,
                    make_note(NoteCode::NoCredentials, {ref.namespace_name, sa_name})));
  }

  // K1-K4, T6, T7: AssumeRoleWithWebIdentity with the projected token's claims.
  void irsa(Session& s, const Cluster& cluster, const ServiceAccount& sa) {
    const std::string title = "assume role " + *sa.role_arn + " via web identity (IRSA)";
    const Role* role = w_.find_role(*sa.role_arn);
    if (!role) return fail(s, missing(HopKind::WebIdentity, title, make_note(NoteCode::IrsaUnknownRole)));
    if (cluster.oidc_issuer.empty())
      return fail(s, missing(HopKind::WebIdentity, title, make_note(NoteCode::NoOidcIssuer, {cluster.name})));
    const OidcProvider* provider = w_.find_oidc_provider(role->account_id, cluster.oidc_issuer);
    if (!provider)
      return fail(s, missing(HopKind::WebIdentity, title,
                             make_note(NoteCode::NoOidcProvider, {role->account_id, cluster.oidc_issuer})));
    if (std::find(provider->client_ids.begin(), provider->client_ids.end(), sa.audience) == provider->client_ids.end())
      return fail(s, missing(HopKind::WebIdentity, title,
                             make_note(NoteCode::AudienceNotClientId, {sa.audience, provider->arn})));
    std::string host = cluster.oidc_issuer;
    if (host.rfind("https://", 0) == 0) host = host.substr(8);
    while (!host.empty() && host.back() == '/') host.pop_back();
    Context claims;
    claims[host + ":sub"] = {{"system:serviceaccount:" + sa.namespace_name + ":" + sa.name}, false};
    claims[host + ":aud"] = {{sa.audience}, false};

    std::string error;
    auto e = prepare(*eval::parse_principal(provider->arn, error), "sts:AssumeRoleWithWebIdentity",
                     resource_of(w_, role->arn), nullptr);
    set_context(e->request.context, claims);
    Hop hop = decided(HopKind::WebIdentity, title, std::move(e));
    if (hop.allowed()) lint_web_identity_trust(hop, host);
    if (!hop.allowed()) return fail(s, std::move(hop));
    s.hops.push_back(std::move(hop));
    s.principal = role_session(w_, *role, "irsa-" + sa.namespace_name + "-" + sa.name);
    s.role = role;
    s.tags = role->tags;  // K3: IRSA passes no session tags
    s.carried = std::move(claims);
  }

  // K5-K7, T8: EKS assumes the association's role as pods.eks.amazonaws.com with the
  // six session tags, then (K7) the target role by chaining.
  void pod_identity(Session& s, const Cluster& cluster, const ServiceAccount& sa, const PodIdentityAssociation& assoc,
                    const PrincipalRef& ref) {
    const std::string title = "assume role " + assoc.role_arn + " via EKS Pod Identity";
    const Role* role = w_.find_role(assoc.role_arn);
    if (!role) return fail(s, missing(HopKind::PodIdentity, title, make_note(NoteCode::PodIdentityUnknownRole)));
    // The pod's name and uid are those of one pod; iamsim stands in a fixed pair.
    const std::string pod = (ref.kind == PrincipalRef::Kind::Workload ? ref.name : sa.name) + "-pod";
    Tags session_tags = {
        {"eks-cluster-arn", cluster.arn},
        {"eks-cluster-name", cluster.name},
        {"kubernetes-namespace", sa.namespace_name},
        {"kubernetes-service-account", sa.name},
        {"kubernetes-pod-name", pod},
        {"kubernetes-pod-uid", derive_unique_id("", cluster.arn + "/" + sa.namespace_name + "/" + pod)}};
    if (assoc.disable_session_tags) session_tags.clear();
    const std::vector<std::string> actions = assoc.disable_session_tags
                                                 ? std::vector<std::string>{"sts:AssumeRole"}
                                                 : std::vector<std::string>{"sts:AssumeRole", "sts:TagSession"};
    for (const auto& action : actions) {
      std::string error;
      auto e =
          prepare(*eval::parse_principal("pods.eks.amazonaws.com", error), action, resource_of(w_, role->arn), nullptr);
      e->request.context.set("aws:SourceAccount", cluster.account_id);
      e->request.context.set("aws:SourceArn", cluster.arn);
      std::vector<std::string> keys;
      for (const auto& [k, v] : session_tags) {
        e->request.context.set("aws:RequestTag/" + k, v);
        keys.push_back(k);
      }
      if (!keys.empty()) e->request.context.set("aws:TagKeys", keys, true);
      Hop hop =
          action == "sts:AssumeRole"
              ? decided(HopKind::PodIdentity, title, std::move(e))
              : decided(HopKind::TagSession,
                        "tag the session with the six EKS Pod Identity tags (" + action + ", K6, T8)", std::move(e));
      if (!hop.allowed()) return fail(s, std::move(hop));
      s.hops.push_back(std::move(hop));
    }
    s.principal = role_session(w_, *role, "eks-" + cluster.name + "-" + pod);
    s.role = role;
    s.tags = role->tags;
    for (const auto& [k, v] : session_tags) s.tags[k] = v;  // K6: the session tag wins
    s.transitive = session_tags;                            // K6: all transitive
    if (assoc.target_role_arn)
      assume_role(s, *assoc.target_role_arn, assoc.external_id, "target role of the Pod Identity association (K7)");
  }

  // T1-T4: the current session calls sts:AssumeRole on the role.
  void assume_role(Session& s, const std::string& role_arn, const std::optional<std::string>& external_id,
                   const std::string& why = "") {
    const std::string title =
        "assume role " + role_arn + " (sts:AssumeRole, role chaining)" + (why.empty() ? "" : ": " + why);
    const Role* target = w_.find_role(role_arn);
    if (!target) return fail(s, missing(HopKind::AssumeRole, title, make_note(NoteCode::UnknownRole, {role_arn})));
    auto e = prepare(s.principal, "sts:AssumeRole", resource_of(w_, target->arn), &s);
    const std::string session_name = "iamsim-" + target->name;
    e->request.context.set("sts:RoleSessionName", truncate_session_name(session_name));
    if (external_id) e->request.context.set("sts:ExternalId", *external_id);
    Hop hop = decided(HopKind::AssumeRole, title, std::move(e));
    if (!s.transitive.empty()) hop.notes.push_back(make_note(NoteCode::TransitiveTagsTagSession));
    if (!hop.allowed()) return fail(s, std::move(hop));
    s.hops.push_back(std::move(hop));
    s.principal = role_session(w_, *target, session_name);
    s.role = target;
    s.user = nullptr;
    s.tags = target->tags;
    for (const auto& [k, v] : s.transitive) s.tags[k] = v;  // T8: incoming transitive tags
    s.carried.clear();
  }

  // The caller's own layers: identity policies, boundary, SCPs of its account (E7, E8, E3).
  void caller_policies(eval::PolicySet& ps, const Session& s) const {
    const CompiledWorld::IdentityLayer* layer = s.role   ? &cw_.identity_layer(*s.role)
                                                : s.user ? &cw_.identity_layer(*s.user)
                                                         : nullptr;
    if (layer) {
      ps.identity = layer->policies;
      ps.boundary = layer->boundary;
    }
    if (s.principal.is_iam()) {
      ps.scp = cw_.scp_levels(s.principal.account);
      ps.scp_level_names = cw_.level_names(s.principal.account);
    }
  }

  void from_arn(Session& s, const PrincipalRef& ref) {
    auto arn = syntax::parse_arn(ref.arn);
    if (ref.arn_kind == syntax::PrincipalArnKind::User) {
      const User* u = w_.find_user(ref.arn);
      if (!u)
        return fail(s,
                    missing(HopKind::Credentials, "find user " + ref.arn, make_note(NoteCode::UnknownUser, {ref.arn})));
      std::string error;
      s.principal = *eval::parse_principal(u->arn, error);
      s.principal.unique_id = u->unique_id;
      s.principal.management_account = is_management(w_, u->account_id);
      s.principal.has_boundary = u->boundary.has_value();
      s.user = u;
      s.tags = u->tags;
      return;
    }
    std::string session_name = "iamsim";
    const Role* role = nullptr;
    const auto named = arn ? syntax::principal_arn(*arn) : std::nullopt;
    if (ref.arn_kind == syntax::PrincipalArnKind::AssumedRole && named) {
      session_name = named->session;
      role = w_.find_role(arn->account, named->name);
    } else {
      role = w_.find_role(ref.arn);
    }
    if (!role)
      return fail(
          s, missing(HopKind::Credentials, "find role for " + ref.arn, make_note(NoteCode::UnknownRole, {ref.arn})));
    s.principal = role_session(w_, *role, session_name);
    s.role = role;
    s.tags = role->tags;
  }

  void finish_request(Access& a, const Session& s, const Question& q) {
    const ResourceInfo res = resource_of(w_, q.resource_arn);
    auto e = prepare(s.principal, q.action, res, &s);
    set_context(e->request.context, q.context);
    // V1: a request that names an endpoint passes its policy.
    bool unknown_endpoint = false;
    if (const auto* vpce = e->request.context.find("aws:sourcevpce"); vpce && vpce->values.size() == 1) {
      if (const VpcEndpoint* ep = w_.find_vpc_endpoint(vpce->values[0].text))
        e->policies.vpc_endpoint = cw_.attach(ep->policy);
      else
        unknown_endpoint = true;
    }
    Hop hop = decided(HopKind::Request, q.action + " on " + q.resource_arn + " as " + s.principal.arn, std::move(e));
    if (unknown_endpoint) hop.notes.push_back(make_note(NoteCode::UnknownEndpoint));
    const bool allowed = hop.allowed();
    a.hops.push_back(std::move(hop));
    if (allowed) kms_for_s3(a, s, q, res);
  }

  // B7: S3 reads and writes of SSE-KMS objects call KMS as the caller (KM1-KM3, KM5).
  void kms_for_s3(Access& a, const Session& s, const Question& q, const ResourceInfo& res) {
    if (!res.bucket || !res.bucket->kms_key_arn || q.resource_arn.find('/') == std::string::npos) return;
    const std::string action = ascii_lowered(q.action);
    std::string kms_action;
    if (action == "s3:getobject" || action == "s3:getobjectversion")
      kms_action = "kms:Decrypt";
    else if (action == "s3:putobject")
      kms_action = "kms:GenerateDataKey";
    else
      return;
    const std::string title = kms_action + " on " + *res.bucket->kms_key_arn +
                              " (S3 calls KMS with the caller's credentials for SSE-KMS objects, B7)";
    const ResourceInfo key = resource_of(w_, *res.bucket->kms_key_arn);
    if (!key.key) {
      a.hops.push_back(missing(HopKind::Kms, title, make_note(NoteCode::UnknownKey)));
      return;
    }
    auto e = prepare(s.principal, kms_action, key, &s);
    set_context(e->request.context, q.context);
    auto& c = e->request.context;
    c.set("kms:ViaService", "s3." + res.bucket->region + ".amazonaws.com");
    c.set("kms:CallerAccount", s.principal.account);
    c.set("kms:EncryptionContext:aws:s3:arn", q.resource_arn);
    c.set("aws:CalledVia", std::vector<std::string>{"s3.amazonaws.com"}, true);
    c.set("aws:CalledViaFirst", "s3.amazonaws.com");
    c.set("aws:CalledViaLast", "s3.amazonaws.com");
    c.set("aws:ViaAWSService", "true");
    Hop hop = decided(HopKind::Kms, title, std::move(e));
    if (key.key->aws_managed && key.account != s.principal.account)
      hop.notes.push_back(make_note(NoteCode::AwsManagedKeyCrossAccount));
    a.hops.push_back(std::move(hop));
  }

 private:
  const CompiledWorld& cw_;
  const World& w_;
};

}  // namespace

std::shared_ptr<const AccessResolver::Session> AccessResolver::resolve(const PrincipalRef& ref) const {
  auto s = std::make_shared<Session>();
  PathBuilder b(*world_);
  switch (ref.kind) {
    case PrincipalRef::Kind::ServiceAccount:
    case PrincipalRef::Kind::Workload: b.from_service_account(*s, ref); break;
    case PrincipalRef::Kind::Arn: b.from_arn(*s, ref); break;
    case PrincipalRef::Kind::Anonymous:
      s->principal.kind = eval::PrincipalKind::Anonymous;
      s->principal.arn = "anonymous";
      break;
  }
  for (const auto& role_arn : ref.chain) {
    if (!s->ok) break;
    b.assume_role(*s, role_arn, std::nullopt);
  }
  return s;
}

Access AccessResolver::decide(const Question& q) const {
  Access a;
  auto session = session_for(q.principal);
  a.hops = session->hops;
  if (!session->ok) {
    a.outcome = session->outcome;
    return a;
  }
  PathBuilder(*world_).finish_request(a, *session, q);
  a.outcome = Outcome::Allow;
  for (const auto& h : a.hops)
    if (!h.allowed()) {
      a.outcome = h.outcome;
      break;
    }
  return a;
}

}  // namespace iamsim::model
