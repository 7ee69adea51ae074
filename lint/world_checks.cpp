// Stage: lint. Path-proven findings: every "can" here is AccessResolver's answer for the
// world, never a second model of AWS.
#include "lint/world_checks.hpp"

#include <algorithm>
#include <set>

#include "engine/catalog/aws_catalog.hpp"
#include "engine/eval/authorize.hpp"
#include "engine/syntax/arn_kind.hpp"
#include "engine/syntax/arn_view.hpp"
#include "engine/text.hpp"
#include "lint/rules.hpp"
#include "model/queries/who_can.hpp"

namespace iamsim::lint {
namespace {

using model::AccessResolver;
using model::HopKind;
using model::PrincipalRef;

std::string location_words(const SourceLocation& where) {
  std::string out = where.file;
  if (where.line > 0) out += ":" + std::to_string(where.line);
  return out;
}

PrincipalRef service_account_ref(const model::Cluster& c, const model::ServiceAccount& sa) {
  PrincipalRef r;
  r.kind = PrincipalRef::Kind::ServiceAccount;
  r.cluster = c.name;
  r.namespace_name = sa.namespace_name;
  r.name = sa.name;
  return r;
}

// How the service account's pods get credentials: the hops before any request of theirs.
// The request asked is one no policy needs to allow; only the hops before it count.
model::Access credentials(const AccessResolver& resolver, const PrincipalRef& ref) {
  model::Access a = resolver.decide({ref, "sts:GetCallerIdentity", "*", {}});
  std::erase_if(a.hops, [](const model::Hop& h) { return h.kind == HopKind::Request || h.kind == HopKind::Kms; });
  a.outcome = eval::Outcome::Allow;
  for (const auto& h : a.hops)
    if (!h.allowed()) {
      a.outcome = h.outcome;
      break;
    }
  return a;
}

// The statements of the resource's policy (a trust policy here) that allowed a hop. The one
// place this file reads a Decision's determining statements.
std::vector<const compile::CompiledStatement*> admitting_statements(const model::Hop& hop) {
  std::vector<const compile::CompiledStatement*> out;
  if (!hop.evaluated) return out;
  for (const auto& ref : hop.evaluated->decision.determining)
    if (ref.layer == eval::Layer::Resource && ref) out.push_back(&ref.compiled());
  return out;
}

const model::Hop* first_hop(const model::Access& a, HopKind kind) {
  for (const auto& h : a.hops)
    if (h.kind == kind) return &h;
  return nullptr;
}

class WorldChecker {
 public:
  WorldChecker(const AccessResolver& resolver, SourceMap& sources, std::vector<Finding>& out)
      : resolver_(resolver), cw_(resolver.world()), w_(cw_.world()), sources_(sources), out_(out) {}

  void run() {
    for (const auto& a : w_.accounts)
      for (const auto& r : a.roles) web_identity_trust(r);
    for (const auto& a : w_.accounts)
      for (const auto& c : a.clusters) {
        for (const auto& sa : c.service_accounts)
          if (sa.role_arn) irsa(c, sa);
        for (const auto& assoc : c.pod_identity_associations) pod_identity(c, assoc);
      }
    for (const auto& a : w_.accounts)
      for (const auto& b : a.buckets)
        if (b.kms_key_arn) sse_kms(b);
    for (const auto& a : w_.accounts)
      for (const auto& c : a.clusters)
        for (const auto& g : c.node_groups) node_role(c, g);
  }

 private:
  Finding& add(std::string_view rule, SourceLocation where, std::string message, std::string resource,
               std::string subject) {
    Finding f;
    f.rule = std::string(rule);
    f.level = find_rule(rule)->level;
    f.where = std::move(where);
    f.message = std::move(message);
    f.fix = std::string(find_rule(rule)->fix);
    f.resource = std::move(resource);
    f.subject = std::move(subject);
    f.world = w_.scenario_file;
    out_.push_back(std::move(f));
    return out_.back();
  }

  // K1: a trust statement that lets an OIDC provider in without pinning :sub.
  void web_identity_trust(const model::Role& role) {
    if (role.trust.builtin) return;
    const auto* trust = cw_.attach(role.trust).policy;
    for (const auto& st : trust->statements) {
      if (st.effect != compile::Effect::Allow ||
          !eval::action_matches(st, "sts:AssumeRoleWithWebIdentity", "sts:assumerolewithwebidentity"))
        continue;
      for (const auto& provider : st.principal.federated) {
        const auto at = provider.find(":oidc-provider/");
        if (at == std::string::npos) continue;
        const std::string host = provider.substr(at + 15);
        const std::string sub_key = ascii_lowered(host + ":sub");
        bool pinned = false;
        const compile::CompiledCondition* wildcard = nullptr;
        for (const auto& c : st.conditions) {
          if (c.key != sub_key || c.negated) continue;
          pinned = true;
          if (c.comparison == compile::Comparison::Like)
            for (const auto& p : c.strings)
              if (p.source().find('*') != std::string::npos) wildcard = &c;
        }
        if (pinned && !wildcard) continue;
        // Who can use it today: the service accounts annotated with the role whose pods get in.
        std::vector<Evidence> evidence;
        std::set<std::string> clusters;
        for (const auto& a : w_.accounts)
          for (const auto& c : a.clusters) {
            if (c.oidc_issuer.find(host) == std::string::npos) continue;
            clusters.insert(c.name);
            for (const auto& sa : c.service_accounts) {
              if (sa.role_arn != role.arn) continue;
              auto ref = service_account_ref(c, sa);
              auto access = credentials(resolver_, ref);
              const auto* hop = first_hop(access, HopKind::WebIdentity);
              if (!hop || !hop->allowed()) continue;
              evidence.push_back({model::to_string(ref), "annotated with the role (" + location_words(sa.where) + ")",
                                  std::move(access)});
            }
          }
        const std::string in_clusters = clusters.empty() ? "of any cluster with this issuer" : "of cluster " + [&] {
          std::string s;
          for (const auto& c : clusters) s += (s.empty() ? "" : ", ") + c;
          return s;
        }();
        const std::string today =
            evidence.empty() ? "none is annotated with it today" : std::to_string(evidence.size()) + " can today";
        if (wildcard) {
          Finding& f = add("world.web-identity-sub-wildcard", sources_.locate(role.trust, wildcard->pointer),
                           "the trust of " + role.arn + " matches " + host + ":sub with a wildcard (" +
                               wildcard->op_text + "): every service account " + in_clusters +
                               " whose name fits and that is annotated with the role can assume it; " + today,
                           role.arn, host);
          f.evidence = std::move(evidence);
        } else {
          Finding& f =
              add("world.web-identity-no-sub", sources_.locate(role.trust, st.pointer),
                  "the trust of " + role.arn + " admits " + host + " with no :sub condition: any service account " +
                      in_clusters + " annotated with the role can assume it; " + today,
                  role.arn, host);
          f.fix = "Pin the service accounts: \"StringEquals\": {\"" + host +
                  ":sub\": \"system:serviceaccount:NAMESPACE:NAME\"}.";
          f.evidence = std::move(evidence);
        }
      }
    }
  }

  // K1, K2, T6: the annotated role must accept the service account's token.
  void irsa(const model::Cluster& c, const model::ServiceAccount& sa) {
    auto ref = service_account_ref(c, sa);
    auto access = credentials(resolver_, ref);
    const auto* hop = first_hop(access, HopKind::WebIdentity);
    if (!hop || hop->allowed()) return;
    const std::string who = model::to_string(ref);
    const bool role_known = w_.find_role(*sa.role_arn) != nullptr;
    const auto arn = syntax::split_arn(*sa.role_arn);
    const std::string_view account = arn ? arn->account : std::string_view();
    if (!role_known && !w_.find_account(account)) {
      Finding& f = add("world.irsa-trust-mismatch", sa.where,
                       who + " is annotated with " + *sa.role_arn +
                           ", a role of an account outside the world: whether its trust admits the service account "
                           "is not modelled",
                       *sa.role_arn, who);
      f.level = Level::Note;
      return;
    }
    const std::string why =
        hop->missing_link
            ? hop->missing_link->message
            : "its trust policy does not admit the token (sub system:serviceaccount:" + sa.namespace_name + ":" +
                  sa.name + ", aud " + sa.audience + ")";
    Finding& f = add("world.irsa-trust-mismatch", sa.where,
                     "the pods of " + who + " cannot assume " + *sa.role_arn +
                         ", the role their annotation names: " + why + "; their AWS calls will fail",
                     *sa.role_arn, who);
    f.evidence.push_back({who, "annotated with the role (" + location_words(sa.where) + ")", std::move(access)});
  }

  // K5-K7, T8: the association's role (and target role) must accept EKS Pod Identity.
  void pod_identity(const model::Cluster& c, const model::PodIdentityAssociation& assoc) {
    const model::ServiceAccount* sa = w_.find_service_account(c.name, assoc.namespace_name, assoc.service_account);
    if (!sa || sa->role_arn) return;  // IRSA goes first; irsa() judges it
    auto ref = service_account_ref(c, *sa);
    const std::string who = model::to_string(ref);
    auto access = credentials(resolver_, ref);
    const auto* assume = first_hop(access, HopKind::PodIdentity);
    const auto* tag = first_hop(access, HopKind::TagSession);
    const model::Hop* target = nullptr;
    for (const auto& h : access.hops)
      if (h.kind == HopKind::AssumeRole) target = &h;
    const Evidence evidence_of{who, "Pod Identity association (" + location_words(assoc.where) + ")", {}};
    auto with_evidence = [&](Finding& f) {
      f.evidence.push_back(evidence_of);
      f.evidence.back().access = access;
    };
    if (assume && !assume->allowed()) {
      Finding& f = add("world.pod-identity-trust-mismatch", assoc.where,
                       "the pods of " + who + " cannot assume " + assoc.role_arn + " through EKS Pod Identity: " +
                           (!assume->missing_link ? "its trust policy does not allow pods.eks.amazonaws.com "
                                                    "sts:AssumeRole"
                                                  : assume->missing_link->message),
                       assoc.role_arn, who);
      with_evidence(f);
      return;
    }
    if (tag && !tag->allowed()) {
      Finding& f = add("world.pod-identity-no-tag-session", assoc.where,
                       "the trust policy of " + assoc.role_arn +
                           " lets pods.eks.amazonaws.com assume the role but not tag the session (sts:TagSession): "
                           "EKS Pod Identity tags every session, so the pods of " +
                           who + " get no credentials",
                       assoc.role_arn, who);
      with_evidence(f);
      return;
    }
    if (!assoc.target_role_arn || !target) return;
    if (!target->allowed()) {
      Finding& f = add("world.pod-identity-trust-mismatch", assoc.where,
                       "the target role " + *assoc.target_role_arn + " refuses " + assoc.role_arn + ": " +
                           (!target->missing_link ? "its trust policy does not allow the association's role "
                                                    "sts:AssumeRole"
                                                  : target->missing_link->message),
                       *assoc.target_role_arn, who);
      with_evidence(f);
      return;
    }
    // K7: the statements that let the association's role in must test sts:ExternalId.
    const model::Role* role = w_.find_role(*assoc.target_role_arn);
    if (!role) return;
    for (const auto* admitting : admitting_statements(*target)) {
      const auto& st = *admitting;
      bool external_id = false;
      for (const auto& cond : st.conditions) external_id |= cond.key == "sts:externalid" && !cond.negated;
      if (external_id) continue;
      Finding& f = add("world.target-role-no-external-id", sources_.locate(role->trust, st.pointer),
                       "the trust of the Pod Identity target role " + role->arn + " lets " + assoc.role_arn +
                           " assume it without testing sts:ExternalId (statement " + st.label() +
                           "): any other session of that role can assume the target too",
                       role->arn, who);
      if (assoc.external_id) f.fix = "Add \"StringEquals\": {\"sts:ExternalId\": \"" + *assoc.external_id + "\"}.";
      with_evidence(f);
    }
  }

  // B7, KM1-KM3: whoever the bucket lets read or write must get past the key policy too.
  void sse_kms(const model::Bucket& bucket) {
    const model::KmsKey* key = w_.find_key(*bucket.kms_key_arn);
    if (!key) return;
    std::string object = bucket.arn + "/object";
    for (const auto& e : w_.expectations)
      if (e.resource_arn.starts_with(bucket.arn + "/")) {
        object = e.resource_arn;
        break;
      }
    if (!index_) index_ = std::make_unique<model::PrincipalIndex>(resolver_);
    for (const auto& [action, kms_action] : {std::pair<std::string, std::string>{"s3:GetObject", "kms:Decrypt"},
                                             {"s3:PutObject", "kms:GenerateDataKey"}}) {
      std::vector<Evidence> evidence;
      std::set<std::string> seen;
      for (const auto& ref : index_->candidates(action, object)) {
        const std::string who = model::to_string(ref);
        if (!seen.insert(who).second) continue;
        auto access = resolver_.decide({ref, action, object, {}});
        const model::Hop* hop = access.deciding_hop();
        if (!hop || hop->kind != HopKind::Kms) continue;
        evidence.push_back({who, "allowed " + action + " by S3, refused " + kms_action + " by KMS", std::move(access)});
      }
      if (evidence.empty()) continue;
      SourceLocation where = key->policy.builtin ? key->where : sources_.locate(key->policy, "");
      const std::string n = std::to_string(evidence.size());
      Finding& f = add("world.kms-key-blocks-reader", where,
                       "bucket " + bucket.name + " is encrypted with " + key->arn + ", and " + n +
                           (evidence.size() == 1 ? " principal" : " principals") + " that may " + action + " there " +
                           (evidence.size() == 1 ? "is" : "are") + " refused " + kms_action + " by its key policy" +
                           (key->policy.builtin ? " (the default key policy)" : "") + ": " +
                           (action == "s3:GetObject" ? "reading" : "writing") + " objects fails at the KMS hop",
                       key->arn, bucket.name + " " + action);
      f.evidence = std::move(evidence);
    }
  }

  // K8, K9: pods that reach their node's instance role through IMDS and so get more than their
  // own service account gives them (nothing, without IRSA or Pod Identity). Proven on the
  // world's access matrix: each (action, resource) the node role is allowed is asked again
  // of the service account's own credentials.
  void node_role(const model::Cluster& c, const model::NodeGroup& g) {
    const model::Role* role = w_.find_role(g.role_arn);
    if (!role) return;
    if (!axes_) axes_ = std::make_unique<model::MatrixAxes>(model::default_axes(cw_));
    PrincipalRef role_ref;
    role_ref.kind = PrincipalRef::Kind::Arn;
    role_ref.arn = role->arn;
    role_ref.arn_kind = syntax::PrincipalArnKind::Role;
    role_ref.account_id = role->account_id;
    std::vector<std::pair<std::string, std::string>> node_allows;
    for (const auto& r : axes_->resources)
      for (const auto& action : axes_->actions)
        if (model::action_applies_to(action, r) && resolver_.decide({role_ref, action, r, {}}).allowed())
          node_allows.emplace_back(action, r);
    if (node_allows.empty()) return;
    std::vector<Evidence> evidence;
    std::string first_wider;
    std::set<std::string> proven;  // service accounts with evidence already
    // The pod as `on_node` on the node group, against its service account's own credentials.
    auto prove = [&](const PrincipalRef& on_node, const model::ServiceAccount& sa) {
      const PrincipalRef own = service_account_ref(c, sa);
      const bool has_own = sa.role_arn || w_.find_pod_identity_association(c.name, sa.namespace_name, sa.name);
      for (const auto& [action, r] : node_allows) {
        auto via_node = resolver_.decide({on_node, action, r, {}});
        if (!via_node.allowed()) {
          if (via_node.deciding_hop()->kind != HopKind::Request) return;  // it never gets the node role
          continue;
        }
        if (has_own && resolver_.decide({own, action, r, {}}).allowed()) continue;
        if (first_wider.empty()) first_wider = action + " on " + r;
        proven.insert(sa.namespace_name + "/" + sa.name);
        evidence.push_back({model::to_string(on_node),
                            "reaches " + role->arn + ", which may " + action + " on " + r +
                                (has_own ? ", beyond its own role" : "; the service account has no role of its own"),
                            std::move(via_node)});
        return;  // one proof each
      }
    };
    for (const auto& sa : c.service_accounts) {
      PrincipalRef on_node = service_account_ref(c, sa);
      on_node.node_group = g.name;
      prove(on_node, sa);
    }
    // Workloads whose pods get further than a bare pod of their service account (hostNetwork).
    for (const auto& wl : c.workloads) {
      const model::ServiceAccount* sa = w_.find_service_account(c.name, wl.namespace_name, wl.service_account());
      if (!sa || proven.count(wl.namespace_name + "/" + sa->name)) continue;
      PrincipalRef on_node;
      on_node.kind = PrincipalRef::Kind::Workload;
      on_node.cluster = c.name;
      on_node.namespace_name = wl.namespace_name;
      on_node.name = wl.name;
      on_node.node_group = g.name;
      prove(on_node, *sa);
    }
    if (evidence.empty()) return;
    const std::string n = std::to_string(evidence.size());
    Finding& f = add("world.node-role-reachable", g.where,
                     "node group " + g.name + " of cluster " + c.name + " lets the pods of " + n +
                         (evidence.size() == 1 ? " service account or workload" : " service accounts and workloads") +
                         " reach its instance role " + role->arn + " through IMDS, with more access than " +
                         (evidence.size() == 1 ? "its" : "their") + " own credentials (" + first_wider + ")",
                     role->arn, "node group " + g.name);
    f.evidence = std::move(evidence);
  }

  const AccessResolver& resolver_;
  const model::CompiledWorld& cw_;
  const model::World& w_;
  SourceMap& sources_;
  std::vector<Finding>& out_;
  std::unique_ptr<model::PrincipalIndex> index_;
  std::unique_ptr<model::MatrixAxes> axes_;
};

std::string type_words(const catalog::ResourceType& t) {
  std::string forms;
  for (auto f : t.formats) forms += (forms.empty() ? "" : ", ") + std::string(f);
  return std::string(t.name) + " (" + forms + ")";
}

}  // namespace

std::vector<Finding> check_world(const AccessResolver& resolver, SourceMap& sources) {
  std::vector<Finding> out;
  WorldChecker(resolver, sources, out).run();
  return out;
}

std::vector<Finding> check_question(std::string_view action_name, std::string_view resource_arn) {
  std::vector<Finding> out;
  const auto& c = catalog::Catalog::aws();
  auto add = [&](std::string_view rule, std::string message, std::string fix) {
    Finding f;
    f.rule = std::string(rule);
    f.level = find_rule(rule)->level;
    f.message = std::move(message);
    f.fix = std::move(fix);
    f.resource = std::string(resource_arn);
    f.subject = std::string(action_name);
    out.push_back(std::move(f));
  };
  const catalog::Action* action = c.find_action(action_name);
  if (!action) {
    const std::string close = c.closest_action(action_name);
    add("expectation.unknown-action", "unknown action \"" + std::string(action_name) + "\" (" + c.source() + ")",
        close.empty() ? "Use the action's exact name." : "Did you mean \"" + close + "\"?");
    return out;
  }
  // arn:aws:s3:::* is the S3 guide's resource for s3:ListAllMyBuckets: the same request as "*" (RS6).
  if (resource_arn == "*" || model::is_all_buckets(resource_arn)) return out;
  const auto types = c.resource_types_of(resource_arn);
  if (types.empty()) return out;  // a resource the catalogue has no form for
  if (action->resource_types.empty()) {
    add("expectation.resource-type",
        action->full_name() + " takes Resource \"*\" only (RS6), but is asked of " + std::string(resource_arn),
        "Ask " + action->full_name() + " of \"*\".");
    return out;
  }
  for (const auto* t : action->resource_types)
    if (std::find(types.begin(), types.end(), t) != types.end()) return out;
  // KM6: an alias stands for its key in the requests that take a key.
  if (syntax::resource_arn_kind(resource_arn) == syntax::ResourceArnKind::KmsAlias)
    for (const auto* t : action->resource_types)
      if (t->service == "kms" && t->name == "key") return out;
  // Name the resource by its type in the action's own service when it has one.
  const catalog::ResourceType* is = types.front();
  for (const auto* t : types)
    if (t->service == action->service) is = t;
  std::string forms;
  const auto plainest = catalog::plainest_first(*action);
  for (const auto* t : plainest) forms += (forms.empty() ? "" : " or ") + type_words(*t);
  add("expectation.resource-type",
      action->full_name() + " is asked of " + std::string(resource_arn) + ", a resource of type " +
          std::string(is->service) + "/" + std::string(is->name) + "; " + action->full_name() + " applies to " + forms,
      "Ask " + action->full_name() + " of an ARN of the form " + std::string(plainest.front()->formats.front()) + ".");
  return out;
}

std::vector<Finding> check_expectations(const model::World& world) {
  std::vector<Finding> out;
  for (const auto& e : world.expectations)
    for (auto& f : e.claim ? std::vector<Finding>{} : check_question(e.action, e.resource_arn)) {
      f.where = e.where;
      f.subject = model::to_string(e.principal) + " " + e.action;
      f.world = world.scenario_file;
      out.push_back(std::move(f));
    }
  return out;
}

}  // namespace iamsim::lint
