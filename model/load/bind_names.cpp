// Stage: model (load), binding. Once a scenario is read, every name it uses is looked up:
// policies by name, users' groups, the roles of Pod Identity associations, the accounts
// placed in the organization, buckets' KMS keys and what expectations name. A name that
// names nothing is reported where it is written, and left out of the world.
#include <set>
#include <string>
#include <tuple>
#include <unordered_set>

#include "engine/syntax/arn_kind.hpp"
#include "model/load/builtin_policies.hpp"
#include "model/load/scenario_reader.hpp"

namespace iamsim::model::load {
namespace {

class Binder {
 public:
  explicit Binder(ScenarioReader& r) : r_(r), w_(r.world), diags_(r.in.diagnostics()) {}

  void run() {
    std::size_t next_groups = 0;  // user_groups are in the order of the users they belong to
    for (std::size_t a = 0; a < w_.accounts.size(); ++a) policies_and_groups(a, next_groups);
    if (w_.organization)
      for (auto& unit : w_.organization->units) {
        policies(unit.scps);
        policies(unit.rcps);
      }
    w_.build_indexes();
    associations();
    placements();
    bucket_keys();
    expectations();
    w_.build_indexes();  // with the associations
  }

 private:
  // A policy named by reference becomes the named one; false when there is none, which is
  // reported unless the named policy is broken (and reported where it is defined).
  bool policy(PolicyDocument& d) {
    if (!d.by_name) return true;
    if (auto it = w_.named_policies.find(d.name); it != w_.named_policies.end()) {
      d = it->second;
      return true;
    }
    if (!r_.unbound.broken_policies.count(d.name))
      diags_.error(
          "scenario.unknown-policy", d.origin,
          "unknown policy '" + d.name + "': not in policies: and not a built-in (FullAWSAccess, RCPFullAWSAccess)");
    return false;
  }

  void policies(std::vector<PolicyDocument>& list) {
    keep_if(list, [&](PolicyDocument& d) { return policy(d); });
  }

  // Keeps, in order, the items for which `bind` (called once on each, in order) is true.
  template <typename T, typename Bind>
  static void keep_if(std::vector<T>& items, Bind bind) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < items.size(); ++i)
      if (bind(items[i])) {
        if (kept != i) items[kept] = std::move(items[i]);
        ++kept;
      }
    items.erase(items.begin() + static_cast<std::ptrdiff_t>(kept), items.end());
  }

  void policy(std::optional<PolicyDocument>& d) {
    if (d && !policy(*d)) d.reset();
  }

  void policies_and_groups(std::size_t account, std::size_t& next_groups) {
    Account& a = w_.accounts[account];
    policies(a.scps);
    policies(a.rcps);
    std::unordered_set<std::string> group_names;  // hashed: users x groups stays linear
    for (auto& g : a.groups) {
      policies(g.policies);
      group_names.insert(g.name);
    }
    for (std::size_t i = 0; i < a.users.size(); ++i) {
      User& u = a.users[i];
      policies(u.policies);
      const auto& pending = r_.unbound.user_groups;
      if (next_groups < pending.size() && pending[next_groups].account == account && pending[next_groups].user == i)
        groups(a, group_names, u, pending[next_groups++]);
      policy(u.boundary);
    }
    // A role whose trust policy names nothing is left out, as if never declared.
    keep_if(a.roles, [&](Role& role) {
      if (!policy(role.trust)) return false;
      policies(role.policies);
      policy(role.boundary);
      return true;
    });
    for (auto& k : a.kms_keys)
      if (!policy(k.policy)) k.policy = default_key_policy(a.id, k.region, k.aws_managed);
    for (auto& b : a.buckets) policy(b.policy);
    for (auto& e : a.vpc_endpoints)
      if (!policy(e.policy)) e.policy = default_endpoint_policy();
  }

  void groups(const Account& a, const std::unordered_set<std::string>& group_names, User& u,
              const Unbound::UserGroups& pending) {
    for (const YamlNode* node : pending.names) {
      const std::string& name = node->scalar();
      if (!group_names.count(name))
        diags_.error("scenario.unknown-group", r_.in.at(*node), "no group '" + name + "' in account " + a.id);
      else
        u.groups.push_back(name);
    }
  }

  // A role named by ARN anywhere (reported when unknown, but kept: the path then finds no
  // role), or by name in the cluster's account (K5; left out when unknown).
  std::optional<std::string> role(const std::string& written, const YamlNode& at, const Account& a) {
    if (written.starts_with("arn:")) {
      if (!w_.find_role(written))
        diags_.error("scenario.unknown-role", r_.in.at(at), "no role '" + written + "' in the world");
      return written;
    }
    if (const Role* found = w_.find_role(a.id, written)) return found->arn;
    diags_.error("scenario.unknown-role", r_.in.at(at), "no role '" + written + "' in account " + a.id);
    return std::nullopt;
  }

  void associations() {
    std::set<std::tuple<std::string, std::string, std::string>> associated;  // cluster, namespace, account
    for (auto& pending : r_.unbound.associations) {
      const Account& a = w_.accounts[pending.account];
      Cluster& c = w_.accounts[pending.account].clusters[pending.cluster];
      PodIdentityAssociation p = std::move(pending.value);
      const auto arn = syntax::split_arn(p.role_arn);
      if (arn && arn->account != c.account_id) {
        r_.in.error("scenario.bad-association", *pending.role,
                    "the role of a Pod Identity association must be in the cluster's account " + c.account_id +
                        " (K5); name a role elsewhere as target_role");
        continue;
      }
      auto role_arn = role(p.role_arn, *pending.role, a);
      if (!role_arn) continue;
      p.role_arn = *role_arn;
      if (p.target_role_arn) {
        auto target = role(*p.target_role_arn, *pending.target_role, a);
        if (!target) continue;
        p.target_role_arn = *target;
      }
      if (!associated.emplace(c.name, p.namespace_name, p.service_account).second) {
        r_.in.error("scenario.duplicate-association", *pending.node,
                    "service account " + p.namespace_name + "/" + p.service_account + " of cluster " + c.name +
                        " has two Pod Identity associations (one role per service account, K5)");
        continue;
      }
      // EKS accepts an association before its service account exists.
      if (!w_.find_service_account(c.name, p.namespace_name, p.service_account))
        r_.in.warning("scenario.unknown-service-account", *pending.node,
                      "no manifest of cluster " + c.name + " declares service account " + p.namespace_name + "/" +
                          p.service_account);
      c.pod_identity_associations.push_back(std::move(p));
    }
  }

  // Accounts placed in the organization must be declared, and placed once; an account of
  // the organization without `scps:` gets FullAWSAccess (S4).
  void placements() {
    std::map<std::string, SourceLocation> placed;
    // Accounts an imported organization already holds.
    if (w_.organization)
      for (const auto& unit : w_.organization->units)
        for (const auto& id : unit.accounts) placed.emplace(id, unit.where);
    for (const auto& p : r_.unbound.placements) {
      if (!r_.accounts_seen.count(p.account)) {
        r_.in.error("scenario.undeclared-account", *p.node,
                    "account " + p.account + " is in the organization but not under accounts:");
        continue;
      }
      if (auto it = placed.find(p.account); it != placed.end()) {
        r_.in.error(
            "scenario.account-in-tree-twice", *p.node,
            "account " + p.account + " is placed in the organization twice (first at " + where_text(it->second) + ")");
        continue;
      }
      placed.emplace(p.account, r_.in.at(*p.node));
      w_.organization->units[p.unit].accounts.push_back(p.account);
    }
    for (auto& a : w_.accounts) {
      const bool in_org = placed.count(a.id) > 0;
      if (in_org && !r_.accounts_with_scps.count(a.id)) a.scps = {full_aws_access()};
      if (!in_org && !a.scps.empty())
        diags_.warning("scenario.scp-outside-organization", a.where,
                       "account " + a.id + " has SCPs but is not in the organization; they do not apply");
    }
  }

  // An encrypted bucket's key: a key ARN anywhere, or a key id in the bucket's own account.
  void bucket_keys() {
    for (auto& a : w_.accounts)
      for (auto& b : a.buckets) {
        if (!b.kms_key || b.kms_key_arn) continue;  // imported buckets come bound
        const SourceLocation& where = r_.unbound.bucket_keys[b.name];
        const std::string& ref = *b.kms_key;
        const KmsKey* key = w_.find_key(ref);
        if (ref.starts_with("arn:")) {
          if (syntax::resource_arn_kind(ref) != syntax::ResourceArnKind::KmsKey) {
            diags_.error(
                "scenario.bad-arn", where,
                "kms_key must be a key id or key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), found '" + ref + "'");
            continue;
          }
        } else if (key && key->account_id != b.account_id) {
          key = nullptr;  // a key id means a key of the bucket's account
        }
        if (!key) {
          diags_.error("scenario.unknown-key", where,
                       "no KMS key '" + ref + "'" + (ref.starts_with("arn:") ? "" : " in account " + b.account_id) +
                           " (declare it under kms_keys; a key of another account is named by ARN)");
          continue;
        }
        b.kms_key_arn = key->arn;
      }
  }

  // Every principal, role and resource an expectation names must exist.
  void expectations() {
    for (auto& d : w_.session_policies) policy(d);  // an unknown name is reported; the world is not used
    for (std::size_t i = 0; i < w_.expectations.size(); ++i) {
      const Expectation& e = w_.expectations[i];
      if (e.claim) continue;  // its references are the proof engine's to read
      const auto& at = r_.unbound.expectations[i];
      if (auto p = find_reference_problem(w_, e.principal)) diags_.error(p->code, at.principal, p->message);
      if (auto p = find_resource_problem(w_, e.action, e.resource_arn)) diags_.error(p->code, at.resource, p->message);
    }
  }

  ScenarioReader& r_;
  World& w_;
  Diagnostics& diags_;
};

}  // namespace

void bind_names(ScenarioReader& r) { Binder(r).run(); }

}  // namespace iamsim::model::load
