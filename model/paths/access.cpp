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
#include "model/paths/placement.hpp"
#include "model/paths/s3_public.hpp"

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
  // B6: an access point ARN; the bucket is its bucket, `underlying` the bucket or object ARN.
  const AccessPoint* access_point = nullptr;
  std::string underlying;
  bool unknown_access_point = false;
};

// Is this action one whose resource policy on a role is the role's trust policy?
bool is_trust_action(std::string_view action) {
  const std::string a = ascii_lowered(action);
  return a.rfind("sts:assumerole", 0) == 0 || a == "sts:tagsession" || a == "sts:setsourceidentity";
}

// The world's resource an ARN names for this action, with its policy, tags and region.
// `*` and arn:aws:s3:::* name none (RS6); a name a creation action makes is in no world
// yet, so nothing is found for it either.
ResourceInfo resource_of(const World& world, std::string_view arn, std::string_view action) {
  ResourceInfo r;
  r.arn = std::string(arn);
  auto parts = syntax::parse_arn(arn);
  if (!parts) return r;
  r.account = syntax::is_aws_namespace(parts->account) ? "" : parts->account;  // X6: no account owns it
  r.region = parts->region;
  if (is_all_buckets(arn)) return r;
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
        // A role's only resource policy is its trust policy, and it governs the STS calls
        // on the role; iam:GetRole and the like meet no resource policy.
        if (is_trust_action(action)) r.policy = &role->trust;
      }
      break;
    default:
      if (auto ap = syntax::s3_access_point(*parts)) {
        auto [bucket, point] = world.find_access_point(parts->account, ap->name);
        if (!point) {
          r.unknown_access_point = true;
          break;
        }
        r.access_point = point;
        r.bucket = bucket;
        r.region = point->region;
        r.tags = &bucket->tags;
        if (point->policy) r.policy = &*point->policy;
        r.underlying = bucket->arn + (ap->key ? "/" + std::string(*ap->key) : "");
      }
      break;  // any other resource is not modelled: no policy, no tags
  }
  return r;
}

// E11: aws:RequestedRegion is the region of the endpoint the call goes to: the resource's
// region where the world knows it, us-east-1 for the global services; empty when unknown.
// `service`: the action's service, lower-cased (Request::action_service).
std::string requested_region(std::string_view service, const ResourceInfo& res) {
  if (!res.region.empty()) return res.region;
  for (std::string_view global : {"iam", "sts", "organizations", "cloudfront", "route53"})
    if (service == global) return "us-east-1";
  return {};
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
  // K8, K9: no IRSA and no Pod Identity, so the SDK's chain ends at the node's instance
  // metadata: the places the pod may run, each decided as `@node:GROUP` (or Fargate).
  std::vector<Placement> placements;
  std::string service_account;                     // NAMESPACE/NAME of the pod's service account
  std::optional<std::string> source_identity;      // set once, kept through every later hop (T9)
  const PolicyDocument* session_policy = nullptr;  // passed on the last assume call (E9, T10)
  bool outsider = false;                           // of an account outside the world: its identity side allows (E7)
};

namespace {

using Session = AccessResolver::Session;

eval::Principal role_session(const World& w, const Role& role, std::string session_name) {
  eval::Principal p;
  p.kind = eval::PrincipalKind::RoleSession;
  p.account = role.account_id;
  p.name = role.name;
  p.role_arn = role.arn;
  p.role_path_known = true;
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
  if (!p.is_iam()) return;  // a service's own keys are derived by the engine (fill_derived_keys)
  if (s.role) {
    c.set("aws:PrincipalArn", s.role->arn);
    c.set("aws:userid", s.role->unique_id + ":" + p.session_name);
  } else if (s.user) {
    c.set("aws:PrincipalArn", s.user->arn);
    c.set("aws:userid", s.user->unique_id);
    c.set("aws:username", s.user->name);
  } else if (p.kind == eval::PrincipalKind::FederatedUser) {
    c.set("aws:userid", p.account + ":" + p.name);  // the root user's keys: fill_derived_keys
  }
  if (s.source_identity) c.set("aws:SourceIdentity", *s.source_identity);
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
    case HopKind::InstanceMetadata: return "instance metadata";
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

bool satisfies(const Access& access, Expect expect) {
  if (access.placements.empty()) return satisfies(access.outcome, expect);
  for (const auto& [where, outcome] : access.placements)
    if (!satisfies(outcome, expect)) return false;
  return true;
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
  for (const auto& hop : principal.chain)  // session policies are not part of the text
    if (hop.session_policy) key += "#" + std::to_string(*hop.session_policy);
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
    if (const std::string region = requested_region(e->request.action_service(), res); !region.empty())
      e->request.context.set("aws:RequestedRegion", region);
    if (caller) {
      set_context(e->request.context, caller->carried);
      caller_policies(e->policies, *caller);
    }
    if (res.policy) e->policies.resource = cw_.attach(*res.policy);
    e->policies.rcp = cw_.rcp_levels(res.account);
    e->policies.rcp_level_names = cw_.level_names(res.account);
    return e;
  }

  // KM2: a request on a key that its key policy leaves implicitly denied is allowed when a
  // grant allows it: decided again with the key's grants in the key policy's place.
  Hop decided_on_key(HopKind kind, std::string title, std::shared_ptr<EvaluatedRequest> e, const KmsKey* key) const {
    if (!key || !key->grants_policy) return decided(kind, std::move(title), std::move(e));
    auto by_grant = std::make_shared<EvaluatedRequest>(*e);
    Hop hop = decided(kind, title, std::move(e));
    if (hop.outcome != Outcome::ImplicitDeny) return hop;
    by_grant->policies.resource = cw_.attach(*key->grants_policy);
    Hop granted = decided(kind, title + " (by a grant, KM2)", std::move(by_grant));
    return granted.allowed() ? granted : hop;
  }

  Hop decided(HopKind kind, std::string title, std::shared_ptr<EvaluatedRequest> e) const {
    Hop hop;
    hop.kind = kind;
    hop.title = std::move(title);
    hop.evaluated = decide(std::move(e), cw_.semantics());
    hop.outcome = hop.evaluated->decision.outcome;
    // E11: AWS always sends aws:RequestedRegion; say so when the world could not tell it.
    for (const auto key : hop.evaluated->decision.missing_context_keys)
      if (ascii_lowered(key) == "aws:requestedregion") {
        hop.notes.push_back(make_note(NoteCode::RequestedRegionUnknown, {hop.evaluated->request.action}));
        break;
      }
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
    // The pod's template: a workload's, or for a service account a bare pod that runs as it.
    WorkloadComponent bare;
    bare.service_account = sa_name;
    const WorkloadComponent& pod = ref.kind == PrincipalRef::Kind::Workload
                                       ? w_.find_workload(ref.cluster, ref.namespace_name, ref.name)->components.front()
                                       : bare;
    if (!ref.node_group.empty()) return node_role(s, *cluster, ref, pod);
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
    // K8, K9: the SDK's chain falls through to the instance metadata of the pod's node.
    Hop none = missing(HopKind::Credentials, "credentials of service account " + ref.namespace_name + "/" + sa_name,
                       make_note(NoteCode::NoCredentials, {ref.namespace_name, sa_name}));
    if (cluster->node_groups.empty() && cluster->fargate_profiles.empty()) {
      none.notes.push_back(make_note(NoteCode::NodesUnknown, {cluster->name}));
    } else {
      s.service_account = ref.namespace_name + "/" + sa_name;
      s.placements = placements_of(*cluster, ref.namespace_name, pod);
      if (s.placements.empty()) none.missing_link = make_note(NoteCode::NoPlacement, {cluster->name, pod_words(pod)});
    }
    fail(s, std::move(none));
  }

  static std::string pod_words(const WorkloadComponent& pod) {
    std::string out;
    for (const auto& [k, v] : pod.node_selector) out += (out.empty() ? "nodeSelector " : ", ") + k + "=" + v;
    if (out.empty()) out = "no nodeSelector";
    out +=
        pod.tolerations.empty() ? ", no tolerations" : ", " + std::to_string(pod.tolerations.size()) + " tolerations";
    return out;
  }

  // K8: the pod on node group `ref.node_group` asks IMDS for the node's instance role; EC2
  // assumed that role for the instance profile, so its trust must admit ec2.amazonaws.com.
  void node_role(Session& s, const Cluster& cluster, const PrincipalRef& ref, const WorkloadComponent& pod) {
    const NodeGroup* group = cluster.find_node_group(ref.node_group);
    const std::string title = "the node role of node group " + ref.node_group;
    if (!group)
      return fail(s,
                  missing(HopKind::InstanceMetadata, title,
                          make_note(NoteCode::NotOnNodeGroup, {ref.node_group, "the cluster has no such node group"})));
    if (const FargateProfile* f = fargate_profile_of(cluster, ref.namespace_name, pod))
      return fail(s, missing(HopKind::InstanceMetadata, title, make_note(NoteCode::OnFargate, {f->name})));
    if (auto why = misfit(*group, pod); !why.empty())
      return fail(s,
                  missing(HopKind::InstanceMetadata, title, make_note(NoteCode::NotOnNodeGroup, {group->name, why})));
    const ImdsReach reach = imds_reach(*group, pod.host_network);
    if (!reach.reachable)
      return fail(
          s, missing(HopKind::InstanceMetadata, title, make_note(NoteCode::ImdsUnreachable, {group->name, reach.how})));
    const Role* role = w_.find_role(group->role_arn);
    const std::string hop_title = "through the node's instance metadata (" + reach.how + "): the instance role " +
                                  group->role_arn + " of node group " + group->name;
    if (!role)
      return fail(s, missing(HopKind::InstanceMetadata, hop_title,
                             make_note(NoteCode::UnknownNodeRole, {group->role_arn, group->name})));
    std::string error;
    auto e = prepare(*eval::parse_principal("ec2.amazonaws.com", error), "sts:AssumeRole",
                     resource_of(w_, role->arn, "sts:AssumeRole"), nullptr);
    Hop hop = decided(HopKind::InstanceMetadata, hop_title, std::move(e));
    if (reach.assumed) hop.notes.push_back(make_note(NoteCode::ImdsAssumed, {group->name, reach.how}));
    if (!hop.allowed()) return fail(s, std::move(hop));
    s.hops.push_back(std::move(hop));
    // The session is named after the instance, as EC2 names instance profile sessions.
    std::string instance = ascii_lowered(derive_unique_id("", cluster.arn + "/" + group->name));
    s.principal = role_session(w_, *role, "i-" + instance.substr(0, 17));
    s.role = role;
    s.tags = role->tags;
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
                     resource_of(w_, role->arn, "sts:AssumeRoleWithWebIdentity"), nullptr);
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
      auto e = prepare(*eval::parse_principal("pods.eks.amazonaws.com", error), action,
                       resource_of(w_, role->arn, action), nullptr);
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
    if (assoc.target_role_arn) {
      // K7: EKS assumes the target role with the association role's credentials and passes
      // the six session tags on that call, so the target's trust sees them as aws:RequestTag/*.
      ChainHop target(*assoc.target_role_arn);
      target.external_id = assoc.external_id;
      target.tags = session_tags;
      for (const auto& [k, v] : session_tags) target.transitive.push_back(k);
      assume_role(s, target, "target role of the Pod Identity association (K7)");
    }
  }

  // T1-T4, T13: the current session calls sts:AssumeRole on the role, with the session
  // properties the hop passes. Tags need sts:TagSession (T8) and a source identity
  // sts:SetSourceIdentity (T9), each a request of its own to the same trust policy.
  void assume_role(Session& s, const ChainHop& hop, const std::string& why = "") {
    const std::string& role_arn = hop.role_arn;
    const std::string title =
        "assume role " + role_arn + " (sts:AssumeRole, role chaining)" + (why.empty() ? "" : ": " + why);
    const Role* target = w_.find_role(role_arn);
    if (!target) return fail(s, missing(HopKind::AssumeRole, title, make_note(NoteCode::UnknownRole, {role_arn})));
    const std::string session_name = truncate_session_name(hop.session_name.value_or("iamsim-" + target->name));
    // T9: a source identity, once set, cannot change and is passed on every later hop.
    if (hop.source_identity && s.source_identity && *hop.source_identity != *s.source_identity)
      return fail(s, missing(HopKind::AssumeRole, title,
                             make_note(NoteCode::SourceIdentityChanged, {*s.source_identity, *hop.source_identity})));
    const std::optional<std::string> source_identity = hop.source_identity ? hop.source_identity : s.source_identity;
    std::vector<std::string> tag_keys;
    for (const auto& [k, v] : hop.tags) tag_keys.push_back(k);
    auto request = [&](std::string_view action) {
      auto e = prepare(s.principal, action, resource_of(w_, target->arn, action), &s);
      auto& c = e->request.context;
      c.set("sts:RoleSessionName", session_name);
      if (hop.external_id) c.set("sts:ExternalId", *hop.external_id);
      if (source_identity) c.set("sts:SourceIdentity", *source_identity);
      for (const auto& [k, v] : hop.tags) c.set("aws:RequestTag/" + k, v);
      if (!tag_keys.empty()) c.set("aws:TagKeys", tag_keys, true);
      if (!hop.transitive.empty()) c.set("sts:TransitiveTagKeys", hop.transitive, true);
      return e;
    };
    Hop assumed = decided(HopKind::AssumeRole, title, request("sts:AssumeRole"));
    if (!s.transitive.empty() && hop.tags.empty())
      assumed.notes.push_back(make_note(NoteCode::TransitiveTagsTagSession));
    if (!assumed.allowed()) return fail(s, std::move(assumed));
    s.hops.push_back(std::move(assumed));
    if (!hop.tags.empty()) {
      Hop tagged = decided(HopKind::TagSession, "tag the session of " + role_arn + " (sts:TagSession, T8)",
                           request("sts:TagSession"));
      if (!tagged.allowed()) return fail(s, std::move(tagged));
      s.hops.push_back(std::move(tagged));
    }
    if (hop.source_identity) {
      Hop sourced = decided(HopKind::AssumeRole,
                            "set the source identity " + *hop.source_identity + " (sts:SetSourceIdentity, T9)",
                            request("sts:SetSourceIdentity"));
      if (!sourced.allowed()) return fail(s, std::move(sourced));
      s.hops.push_back(std::move(sourced));
    }
    s.principal = role_session(w_, *target, session_name);
    s.role = target;
    s.user = nullptr;
    s.tags = target->tags;
    for (const auto& [k, v] : s.transitive) s.tags[k] = v;  // T8: incoming transitive tags
    for (const auto& [k, v] : hop.tags) s.tags[k] = v;      // T8: a session tag beats a role tag
    for (const auto& k : hop.transitive)
      if (auto it = hop.tags.find(k); it != hop.tags.end()) s.transitive[k] = it->second;
    s.source_identity = source_identity;
    s.session_policy = hop.session_policy ? &w_.session_policies[*hop.session_policy] : nullptr;
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
    if (s.outsider) ps.identity = std::span<const eval::AttachedPolicy>(&outsider_identity_policy(), 1);
    if (s.session_policy) ps.session = cw_.attach(*s.session_policy);  // E9: caps the session
    if (s.principal.is_iam()) {
      ps.scp = cw_.scp_levels(s.principal.account);
      ps.scp_level_names = cw_.level_names(s.principal.account);
    }
  }

  void from_arn(Session& s, const PrincipalRef& ref) {
    auto arn = syntax::parse_arn(ref.arn);
    if (ref.arn_kind == syntax::PrincipalArnKind::Root || ref.arn_kind == syntax::PrincipalArnKind::FederatedUser) {
      // E1: the root user has full access in its own account, within SCPs (S1) and explicit
      // denies; a federated user's permissions come from the IAM user that federated it,
      // which the ARN does not name, so only grants to the federated user's ARN count (E5).
      std::string error;
      s.principal = *eval::parse_principal(ref.arn, error);
      s.principal.management_account = is_management(w_, s.principal.account);
      if (ref.arn_kind == syntax::PrincipalArnKind::FederatedUser) {
        Hop who;
        who.kind = HopKind::Credentials;
        who.title = "federated user " + ref.arn;
        who.outcome = Outcome::Allow;
        who.notes.push_back(make_note(NoteCode::FederatedUserPolicies));
        s.hops.push_back(std::move(who));
      }
      return;
    }
    if (arn && !w_.find_account(arn->account)) {
      // E7: a caller of an account the world does not hold; its identity side is its own.
      std::string error;
      s.principal = *eval::parse_principal(ref.arn, error);
      s.outsider = true;
      Hop who;
      who.kind = HopKind::Credentials;
      who.title = "caller " + ref.arn + " of an account outside the world";
      who.outcome = Outcome::Allow;
      who.notes.push_back(make_note(NoteCode::OutsiderIdentityAssumed, {std::string(arn->account)}));
      s.hops.push_back(std::move(who));
      return;
    }
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

  // KM6: an alias as the key of a request other than the alias operations names its key.
  // `lower`: the action, lower-cased.
  const KmsKey* alias_target(std::string_view lower, std::string_view resource_arn, std::string& alias) const {
    if (resource_arn.find(":alias/") == std::string_view::npos) return nullptr;  // most requests: no parse
    const auto arn = syntax::parse_arn(resource_arn);
    if (!arn || syntax::resource_arn_kind(*arn) != syntax::ResourceArnKind::KmsAlias) return nullptr;
    if (lower == "kms:createalias" || lower == "kms:deletealias" || lower == "kms:updatealias") return nullptr;
    alias = std::string(arn->resource);
    for (const auto& acct : w_.accounts)
      if (acct.id == arn->account)
        for (const auto& k : acct.kms_keys)
          if (k.region == arn->region && std::find(k.aliases.begin(), k.aliases.end(), alias) != k.aliases.end())
            return &k;
    return nullptr;
  }

  void finish_request(Access& a, const Session& s, const Question& q) {
    const std::string action = ascii_lowered(q.action);  // once per question (A1)
    std::string alias;
    const KmsKey* aliased = alias_target(action, q.resource_arn, alias);
    const ResourceInfo res = resource_of(w_, aliased ? aliased->arn : q.resource_arn, q.action);
    const std::string title = q.action + " on " + q.resource_arn + (aliased ? " (key " + aliased->arn + ", KM6)" : "") +
                              " as " + s.principal.arn;
    if (!alias.empty() && !aliased) {
      a.hops.push_back(missing(HopKind::Request, title, make_note(NoteCode::UnknownAlias, {q.resource_arn})));
      return;
    }
    if (res.unknown_access_point) {
      a.hops.push_back(missing(HopKind::Request, title, make_note(NoteCode::UnknownAccessPoint, {q.resource_arn})));
      return;
    }
    auto e = prepare(s.principal, q.action, res, &s);
    set_context(e->request.context, q.context);
    if (res.access_point) access_point_keys(e->request.context, *res.access_point);
    if (aliased) e->request.context.set("kms:RequestAlias", alias);
    if (res.key && !res.key->aliases.empty()) e->request.context.set("kms:ResourceAliases", res.key->aliases, true);
    // V1: a request that names an endpoint passes its policy. One that names only its VPC
    // goes to S3 through that VPC's S3 endpoint, when the world holds exactly one.
    bool unknown_endpoint = false;
    if (!e->request.context.find("aws:sourcevpce") && action.starts_with("s3:"))
      if (const auto* vpc = e->request.context.find("aws:sourcevpc"); vpc && vpc->values.size() == 1)
        if (const VpcEndpoint* ep = s3_endpoint_of(vpc->values[0].text))
          e->request.context.set("aws:SourceVpce", ep->id);
    if (const auto* vpce = e->request.context.find("aws:sourcevpce"); vpce && vpce->values.size() == 1) {
      if (const VpcEndpoint* ep = w_.find_vpc_endpoint(vpce->values[0].text))
        e->policies.vpc_endpoint = cw_.attach(ep->policy);
      else
        unknown_endpoint = true;
    }
    Hop hop = res.key ? decided_on_key(HopKind::Request, title, std::move(e), res.key)
                      : decided_on_bucket(HopKind::Request, title, std::move(e), res);
    if (unknown_endpoint) hop.notes.push_back(make_note(NoteCode::UnknownEndpoint));
    const bool allowed = hop.allowed();
    const std::shared_ptr<const EvaluatedRequest> request = hop.evaluated;
    a.hops.push_back(std::move(hop));
    if (!allowed) return;
    if (res.access_point && !bucket_allows_access_point(a, s, q, res)) return;
    if (res.bucket && !public_access_block_allows(a, s, res)) return;
    kms_for_s3(a, s, q, action, res, request->request);
  }

  static void access_point_keys(eval::Context& c, const AccessPoint& ap) {
    c.set("s3:DataAccessPointArn", ap.arn);
    c.set("s3:DataAccessPointAccount", ap.account_id);
    c.set("s3:AccessPointNetworkOrigin", ap.vpc_origin ? "VPC" : "Internet");
  }

  // B3: a bucket request the bucket policy leaves implicitly denied is decided again with the
  // bucket's ACL in its place, when ACLs are in effect; without its public grants when
  // IgnorePublicAcls applies (B4). Object ACLs are not in the world: said so.
  Hop decided_on_bucket(HopKind kind, std::string title, std::shared_ptr<EvaluatedRequest> e, const ResourceInfo& res) {
    const Bucket* b = res.bucket;
    if (!b || res.access_point || b->object_ownership == "BucketOwnerEnforced")
      return decided(kind, std::move(title), std::move(e));
    const PublicAccessBlock block = effective_block(w_.find_account(b->account_id), *b, nullptr);
    const auto& acl = block.ignore_public_acls ? b->acl_private_policy : b->acl_policy;
    auto by_acl = std::make_shared<EvaluatedRequest>(*e);
    const bool object = res.arn.size() > b->arn.size();
    Hop hop = decided(kind, title, std::move(e));
    if (hop.outcome != Outcome::ImplicitDeny) return hop;
    if (acl) {
      by_acl->policies.resource = cw_.attach(*acl);
      Hop granted = decided(kind, title + " (by the bucket ACL, B3)", std::move(by_acl));
      if (granted.allowed()) return granted;
    }
    if (object) hop.notes.push_back(make_note(NoteCode::ObjectAclUnknown, {b->name, b->object_ownership}));
    return hop;
  }

  // B6: the bucket must allow what the access point allows: its policy (delegating with
  // s3:DataAccessPointAccount, or granting the caller) decides the request on the bucket or
  // object ARN. The caller's identity side was decided on the access point hop.
  bool bucket_allows_access_point(Access& a, const Session& s, const Question& q, const ResourceInfo& res) {
    const ResourceInfo bucket = resource_of(w_, res.underlying, q.action);
    auto e = std::make_shared<EvaluatedRequest>();
    e->request.principal = s.principal;
    e->request.set_action(q.action);
    set_resource(e->request, w_, bucket);
    principal_keys(e->request.context, cw_, s);
    resource_keys(e->request.context, cw_, bucket);
    cw_.add_default_keys(e->request.context);
    set_context(e->request.context, s.carried);
    set_context(e->request.context, q.context);
    access_point_keys(e->request.context, *res.access_point);
    if (bucket.policy) e->policies.resource = cw_.attach(*bucket.policy);
    e->policies.rcp = cw_.rcp_levels(bucket.account);
    e->policies.rcp_level_names = cw_.level_names(bucket.account);
    Hop hop = decided(HopKind::Request,
                      "the bucket " + res.bucket->name + " must allow what access point " + res.access_point->name +
                          " allows (its policy on " + res.underlying + ", B6)",
                      std::move(e));
    const auto& d = hop.evaluated->decision;
    if (d.outcome != Outcome::ExplicitDeny)
      hop.outcome = d.layer(eval::Layer::Resource) == eval::LayerResult::Allow ? Outcome::Allow : Outcome::ImplicitDeny;
    if (!hop.allowed() && d.outcome != Outcome::ExplicitDeny)
      hop.notes.push_back(make_note(NoteCode::BucketRefusesAccessPoint, {res.bucket->name}));
    const bool ok = hop.allowed();
    a.hops.push_back(std::move(hop));
    return ok;
  }

  // B4: RestrictPublicBuckets on a bucket (or access point) whose policy is public (B5) lets
  // in only AWS services and principals of the bucket owner's account.
  bool public_access_block_allows(Access& a, const Session& s, const ResourceInfo& res) {
    const Bucket& b = *res.bucket;
    PublicAccessBlock block = effective_block(w_.find_account(b.account_id), b, res.access_point);
    if (res.access_point && res.access_point->account_id != b.account_id)
      if (const Account* owner = w_.find_account(res.access_point->account_id); owner && owner->public_access_block)
        block.restrict_public_buckets |= owner->public_access_block->restrict_public_buckets;
    if (!block.restrict_public_buckets) return true;
    bool is_public = b.policy && is_public_policy(*cw_.attach(*b.policy).policy);
    if (res.access_point && res.access_point->policy && !res.access_point->vpc_origin)
      is_public |= is_public_policy(*cw_.attach(*res.access_point->policy).policy, true);
    if (!is_public) return true;
    if (s.principal.is_iam() && s.principal.account == b.account_id) return true;
    a.hops.push_back(missing(HopKind::Request, "S3 Block Public Access of bucket " + b.name + " (B4)",
                             make_note(NoteCode::RestrictPublicBuckets, {b.name, s.principal.arn})));
    return false;
  }

  // The S3 endpoint of a VPC (com.amazonaws.REGION.s3); none when there is none or several.
  const VpcEndpoint* s3_endpoint_of(std::string_view vpc_id) const {
    const VpcEndpoint* found = nullptr;
    for (const auto& a : w_.accounts)
      for (const auto& ep : a.vpc_endpoints)
        if (ep.vpc_id == vpc_id && ep.service.starts_with("com.amazonaws.") && ep.service.ends_with(".s3")) {
          if (found) return nullptr;
          found = &ep;
        }
    return found;
  }

  // B7: S3 reads and writes of SSE-KMS objects call KMS as the caller (KM1-KM3, KM5), which
  // an anonymous request, or one not over TLS, cannot do. `action`: the question's action,
  // lower-cased; `request`: the S3 request as decided.
  void kms_for_s3(Access& a, const Session& s, const Question& q, std::string_view action, const ResourceInfo& res,
                  const eval::Request& request) {
    const std::string object = res.access_point ? res.underlying : q.resource_arn;
    if (!res.bucket || !res.bucket->kms_key_arn || object.size() <= res.bucket->arn.size()) return;
    const std::string kms_action(kms_action_for_s3(action));
    if (kms_action.empty()) return;
    const std::string title = kms_action + " on " + *res.bucket->kms_key_arn +
                              " (S3 calls KMS with the caller's credentials for SSE-KMS objects, B7)";
    if (s.principal.kind == eval::PrincipalKind::Anonymous) {
      a.hops.push_back(missing(HopKind::Kms, title, make_note(NoteCode::KmsAnonymous)));
      return;
    }
    if (cw_.semantics().sse_kms_requires_tls)
      if (const eval::ContextEntry* tls = request.context.find("aws:securetransport");
          tls && tls->values.size() == 1 && ascii_lowered(tls->values[0].text) == "false") {
        a.hops.push_back(missing(HopKind::Kms, title, make_note(NoteCode::KmsWithoutTls)));
        return;
      }
    const ResourceInfo key = resource_of(w_, *res.bucket->kms_key_arn, kms_action);
    if (!key.key) {
      a.hops.push_back(missing(HopKind::Kms, title, make_note(NoteCode::UnknownKey)));
      return;
    }
    auto e = prepare(s.principal, kms_action, key, &s);
    // B8: S3 makes this call itself. Of the client's context only what belongs to its
    // credentials reaches it; the network keys, the keys of the S3 request and the tags it
    // passed do not, and S3 sets no aws:CalledVia (only the services the IAM guide lists do).
    std::vector<std::string> dropped;
    Context passed;
    for (const auto& [key_name, value] : q.context) {
      if (reaches_service_call(key_name))
        passed[key_name] = value;
      else
        dropped.push_back(key_name);
    }
    set_context(e->request.context, passed);
    auto& c = e->request.context;
    c.set("kms:ViaService", "s3." + res.bucket->region + ".amazonaws.com");
    c.set("kms:CallerAccount", s.principal.account);
    c.set("kms:EncryptionContext:aws:s3:arn", object);
    c.set("aws:ViaAWSService", "true");
    Hop hop = decided_on_key(HopKind::Kms, title, std::move(e), key.key);
    if (!dropped.empty()) {
      std::string keys;
      for (const auto& k : dropped) keys += (keys.empty() ? "" : ", ") + k;
      hop.notes.push_back(make_note(NoteCode::ClientKeysNotOnKmsCall, {keys}));
    }
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
    case PrincipalRef::Kind::Service: {
      // A service principal acting on its own (CloudTrail writing logs): no identity side,
      // no SCPs; the resource policy must name it, usually under aws:SourceArn or
      // aws:SourceAccount, which the question gives as context.
      std::string error;
      s->principal = *eval::parse_principal(ref.name, error);
      break;
    }
  }
  for (const auto& hop : ref.chain) {
    if (!s->ok) break;
    b.assume_role(*s, hop);
  }
  return s;
}

// B8 in full: the credentials and the session (MFA, token age, source identity, principal
// tags), the time and the transport reach the call; the network keys (SourceIp, SourceVpc,
// SourceVpce, VpcSourceIp), the first request's keys (s3:*, request tags, aws:TagKeys),
// aws:CalledVia (the services that set it are listed in the IAM guide; S3 is not one) and the
// region of the first endpoint do not.
std::string_view kms_action_for_s3(std::string_view action) {
  if (action == "s3:getobject" || action == "s3:getobjectversion") return "kms:Decrypt";
  if (action == "s3:putobject") return "kms:GenerateDataKey";
  return {};
}

bool reaches_service_call(std::string_view key_name) {
  const std::string k = ascii_lowered(key_name);
  if (k.rfind("aws:", 0) != 0) return false;  // another service's keys: s3:prefix, ...
  for (std::string_view kept :
       {"aws:multifactorauthpresent", "aws:multifactorauthage", "aws:tokenissuetime", "aws:sourceidentity",
        "aws:federatedprovider", "aws:currenttime", "aws:epochtime", "aws:securetransport", "aws:principaltype",
        "aws:userid", "aws:username", "aws:principalarn", "aws:principalaccount", "aws:principalorgid",
        "aws:principalorgpaths", "aws:principalisawsservice"})
    if (k == kept) return true;
  return k.rfind("aws:principaltag/", 0) == 0;
}

const eval::AttachedPolicy& outsider_identity_policy() {
  static const auto policy = [] {
    Diagnostics diagnostics;
    SourceLocation at;
    at.file = "builtin:OutsiderOwnAccount";
    return compile::compile_policy_text(
        R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})",
        compile::PolicyKind::Identity, Semantics{}, at, diagnostics);
  }();
  static const eval::PolicySource source = [] {
    eval::PolicySource s;
    s.name = "the caller's own account (assumed to allow)";
    s.file = "builtin:OutsiderOwnAccount";
    return s;
  }();
  static const eval::AttachedPolicy attached{policy.get(), &source};
  return attached;
}

Access AccessResolver::decide_on(const Question& q, const Session& session) const {
  Access a;
  a.hops = session.hops;
  if (!session.ok) {
    a.outcome = session.outcome;
    return a;
  }
  PathBuilder(*world_).finish_request(a, session, q);
  a.outcome = Outcome::Allow;
  for (const auto& h : a.hops)
    if (!h.allowed()) {
      a.outcome = h.outcome;
      break;
    }
  return a;
}

Access AccessResolver::decide(const Question& q) const {
  auto session = session_for(q.principal);
  if (session->placements.empty()) return decide_on(q, *session);
  // K9: the pod may run in several places; decide on each, keep the first allowed path.
  std::vector<Access> each;
  std::vector<std::string> names;
  for (const Placement& p : session->placements) {
    if (p.fargate) {
      Access a;
      a.outcome = session->outcome;
      a.hops = session->hops;
      a.hops.back().notes.push_back(make_note(NoteCode::OnFargate, {p.fargate->name}));
      each.push_back(std::move(a));
    } else {
      Question on = q;
      on.principal.node_group = p.node_group->name;
      Access a = decide_on(on, *session_for(on.principal));
      // The hop that says why the SDK looked at the node at all.
      Hop fall;
      fall.kind = HopKind::Credentials;
      fall.outcome = Outcome::Allow;
      fall.title = "service account " + session->service_account +
                   " has no eks.amazonaws.com/role-arn annotation and no Pod Identity association: the SDK's default "
                   "chain falls through to the node's instance metadata (K8)";
      auto at =
          std::find_if(a.hops.begin(), a.hops.end(), [](const Hop& h) { return h.kind == HopKind::InstanceMetadata; });
      a.hops.insert(at, std::move(fall));
      each.push_back(std::move(a));
    }
    names.push_back(p.describe());
  }
  std::size_t chosen = 0;
  while (chosen < each.size() && !each[chosen].allowed()) ++chosen;
  if (chosen == each.size()) chosen = 0;
  Access out = std::move(each[chosen]);
  if (each.size() > 1) {
    std::string allowed, denied;
    for (std::size_t i = 0; i < each.size(); ++i) {
      const Outcome o = i == chosen ? out.outcome : each[i].outcome;
      out.placements.emplace_back(names[i], o);
      std::string& list = o == Outcome::Allow ? allowed : denied;
      list += (list.empty() ? "" : ", ") + names[i];
    }
    if (!allowed.empty() && !denied.empty() && !out.hops.empty())
      out.hops.back().notes.push_back(make_note(NoteCode::VariesByPlacement, {allowed, denied}));
  }
  return out;
}

}  // namespace iamsim::model
