// Stage: model. The World's indexes and lookups, and the checks that a reference names
// something the world declares.
#include "model/world.hpp"

#include <cstdint>

#include "engine/syntax/arn_kind.hpp"
#include "engine/text.hpp"

namespace iamsim::model {

std::string_view to_string(WorkloadKind kind) {
  switch (kind) {
    case WorkloadKind::Pod: return "Pod";
    case WorkloadKind::Deployment: return "Deployment";
    case WorkloadKind::StatefulSet: return "StatefulSet";
    case WorkloadKind::DaemonSet: return "DaemonSet";
    case WorkloadKind::ReplicaSet: return "ReplicaSet";
    case WorkloadKind::Job: return "Job";
    case WorkloadKind::CronJob: return "CronJob";
    case WorkloadKind::InferenceService: return "InferenceService";
  }
  return "Pod";
}

namespace {

std::uint64_t fnv1a(std::string_view text, std::uint64_t seed) {
  std::uint64_t h = 14695981039346656037ull ^ seed;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string key2(std::string_view a, std::string_view b) {
  std::string k(a);
  k += '/';
  k += b;
  return k;
}

std::string key3(std::string_view a, std::string_view b, std::string_view c) { return key2(key2(a, b), c); }

std::string_view strip_https(std::string_view url) {
  if (url.starts_with("https://")) url.remove_prefix(8);
  while (url.ends_with("/")) url.remove_suffix(1);
  return url;
}

template <class Map>
const typename Map::mapped_type* lookup(const Map& m, std::string_view key) {
  auto it = m.find(key);
  return it == m.end() ? nullptr : &it->second;
}

}  // namespace

std::string derive_unique_id(std::string_view prefix, std::string_view seed) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::uint64_t a = fnv1a(seed, 0), b = fnv1a(seed, 0x9e3779b97f4a7c15ull);
  std::string id(prefix);
  for (int i = 0; i < 17; ++i) {
    std::uint64_t& src = i < 12 ? a : b;
    id += alphabet[src & 31u];
    src >>= 5;
  }
  return id;
}

void World::build_indexes() {
  for (Index* index :
       {&accounts_, &roles_by_arn_, &roles_by_name_, &users_by_arn_, &users_by_name_, &groups_, &buckets_, &keys_,
        &clusters_, &service_accounts_, &workloads_, &endpoints_, &oidc_, &associations_})
    index->clear();
  account_unit_.clear();

  // Keep the first of duplicates: the loader has reported the rest already.
  for (std::size_t a = 0; a < accounts.size(); ++a) {
    const Account& acct = accounts[a];
    accounts_.try_emplace(acct.id, Position{a, 0, 0});
    for (std::size_t i = 0; i < acct.roles.size(); ++i) {
      roles_by_arn_.try_emplace(acct.roles[i].arn, Position{a, i, 0});
      roles_by_name_.try_emplace(key2(acct.id, acct.roles[i].name), Position{a, i, 0});
    }
    for (std::size_t i = 0; i < acct.users.size(); ++i) {
      users_by_arn_.try_emplace(acct.users[i].arn, Position{a, i, 0});
      users_by_name_.try_emplace(key2(acct.id, acct.users[i].name), Position{a, i, 0});
    }
    for (std::size_t i = 0; i < acct.groups.size(); ++i)
      groups_.try_emplace(key2(acct.id, acct.groups[i].name), Position{a, i, 0});
    for (std::size_t i = 0; i < acct.buckets.size(); ++i) buckets_.try_emplace(acct.buckets[i].name, Position{a, i, 0});
    for (std::size_t i = 0; i < acct.kms_keys.size(); ++i) {
      keys_.try_emplace(acct.kms_keys[i].id, Position{a, i, 0});
      keys_.try_emplace(acct.kms_keys[i].arn, Position{a, i, 0});
    }
    for (std::size_t i = 0; i < acct.vpc_endpoints.size(); ++i)
      endpoints_.try_emplace(acct.vpc_endpoints[i].id, Position{a, i, 0});
    for (std::size_t i = 0; i < acct.oidc_providers.size(); ++i)
      oidc_.try_emplace(key2(acct.id, strip_https(acct.oidc_providers[i].url)), Position{a, i, 0});
    for (std::size_t c = 0; c < acct.clusters.size(); ++c) {
      const Cluster& cluster = acct.clusters[c];
      clusters_.try_emplace(cluster.name, Position{a, c, 0});
      for (std::size_t i = 0; i < cluster.service_accounts.size(); ++i) {
        const auto& sa = cluster.service_accounts[i];
        service_accounts_.try_emplace(key3(cluster.name, sa.namespace_name, sa.name), Position{a, c, i});
      }
      for (std::size_t i = 0; i < cluster.workloads.size(); ++i) {
        const auto& w = cluster.workloads[i];
        workloads_.try_emplace(key3(cluster.name, w.namespace_name, w.name), Position{a, c, i});
      }
      for (std::size_t i = 0; i < cluster.pod_identity_associations.size(); ++i) {
        const auto& p = cluster.pod_identity_associations[i];
        associations_.try_emplace(key3(cluster.name, p.namespace_name, p.service_account), Position{a, c, i});
      }
    }
  }
  if (organization)
    for (std::size_t u = 0; u < organization->units.size(); ++u)
      for (const auto& id : organization->units[u].accounts) account_unit_.try_emplace(id, u);
}

const Account* World::find_account(std::string_view id) const {
  auto p = lookup(accounts_, id);
  return p ? &accounts[p->account] : nullptr;
}

const Role* World::find_role(std::string_view arn) const {
  auto p = lookup(roles_by_arn_, arn);
  return p ? &accounts[p->account].roles[p->item] : nullptr;
}

const Role* World::find_role(std::string_view account_id, std::string_view name) const {
  auto p = lookup(roles_by_name_, key2(account_id, name));
  return p ? &accounts[p->account].roles[p->item] : nullptr;
}

const User* World::find_user(std::string_view arn) const {
  auto p = lookup(users_by_arn_, arn);
  return p ? &accounts[p->account].users[p->item] : nullptr;
}

const User* World::find_user(std::string_view account_id, std::string_view name) const {
  auto p = lookup(users_by_name_, key2(account_id, name));
  return p ? &accounts[p->account].users[p->item] : nullptr;
}

const Group* World::find_group(std::string_view account_id, std::string_view name) const {
  auto p = lookup(groups_, key2(account_id, name));
  return p ? &accounts[p->account].groups[p->item] : nullptr;
}

const Bucket* World::find_bucket(std::string_view name) const {
  auto p = lookup(buckets_, name);
  return p ? &accounts[p->account].buckets[p->item] : nullptr;
}

const KmsKey* World::find_key(std::string_view id_or_arn) const {
  auto p = lookup(keys_, id_or_arn);
  return p ? &accounts[p->account].kms_keys[p->item] : nullptr;
}

const Cluster* World::find_cluster(std::string_view name) const {
  auto p = lookup(clusters_, name);
  return p ? &accounts[p->account].clusters[p->item] : nullptr;
}

std::pair<const Bucket*, const AccessPoint*> World::find_access_point(std::string_view account_id,
                                                                      std::string_view name) const {
  for (const auto& a : accounts)
    for (const auto& b : a.buckets)
      for (const auto& ap : b.access_points)
        if (ap.account_id == account_id && ap.name == name) return {&b, &ap};
  return {nullptr, nullptr};
}

const NodeGroup* Cluster::find_node_group(std::string_view group) const {
  for (const auto& g : node_groups)
    if (g.name == group) return &g;
  return nullptr;
}

const ServiceAccount* World::find_service_account(std::string_view cluster, std::string_view namespace_name,
                                                  std::string_view name) const {
  auto p = lookup(service_accounts_, key3(cluster, namespace_name, name));
  return p ? &accounts[p->account].clusters[p->item].service_accounts[p->sub] : nullptr;
}

const Workload* World::find_workload(std::string_view cluster, std::string_view namespace_name,
                                     std::string_view name) const {
  auto p = lookup(workloads_, key3(cluster, namespace_name, name));
  return p ? &accounts[p->account].clusters[p->item].workloads[p->sub] : nullptr;
}

const VpcEndpoint* World::find_vpc_endpoint(std::string_view id) const {
  auto p = lookup(endpoints_, id);
  return p ? &accounts[p->account].vpc_endpoints[p->item] : nullptr;
}

const OidcProvider* World::find_oidc_provider(std::string_view account_id, std::string_view issuer) const {
  auto p = lookup(oidc_, key2(account_id, strip_https(issuer)));
  return p ? &accounts[p->account].oidc_providers[p->item] : nullptr;
}

const PodIdentityAssociation* World::find_pod_identity_association(std::string_view cluster,
                                                                   std::string_view namespace_name,
                                                                   std::string_view service_account) const {
  auto p = lookup(associations_, key3(cluster, namespace_name, service_account));
  return p ? &accounts[p->account].clusters[p->item].pod_identity_associations[p->sub] : nullptr;
}

bool World::in_organization(std::string_view account_id) const { return lookup(account_unit_, account_id) != nullptr; }

std::vector<const OrgUnit*> World::org_units_of(std::string_view account_id) const {
  std::vector<const OrgUnit*> path;
  auto u = lookup(account_unit_, account_id);
  if (!u) return path;
  for (std::optional<std::size_t> at = *u; at; at = organization->units[*at].parent)
    path.insert(path.begin(), &organization->units[*at]);
  return path;
}

std::string World::org_path(std::string_view account_id) const {
  std::string path;
  auto units = org_units_of(account_id);
  if (units.empty()) return path;
  path = organization->id + "/";
  for (const OrgUnit* u : units) path += u->id + "/";
  return path;
}

std::optional<ReferenceProblem> find_reference_problem(const World& world, const PrincipalRef& ref) {
  using Kind = PrincipalRef::Kind;
  if (ref.kind == Kind::ServiceAccount || ref.kind == Kind::Workload) {
    if (!world.find_cluster(ref.cluster))
      return ReferenceProblem{"scenario.unknown-cluster", "no cluster '" + ref.cluster + "' in the world"};
    if (ref.kind == Kind::ServiceAccount && !world.find_service_account(ref.cluster, ref.namespace_name, ref.name))
      return ReferenceProblem{"scenario.unknown-service-account", "no service account '" + ref.namespace_name + "/" +
                                                                      ref.name + "' in cluster '" + ref.cluster + "'"};
    if (ref.kind == Kind::Workload && !world.find_workload(ref.cluster, ref.namespace_name, ref.name))
      return ReferenceProblem{"scenario.unknown-workload", "no workload '" + ref.namespace_name + "/" + ref.name +
                                                               "' in cluster '" + ref.cluster + "'"};
    if (!ref.node_group.empty() && !world.find_cluster(ref.cluster)->find_node_group(ref.node_group))
      return ReferenceProblem{"scenario.unknown-node-group",
                              "no node group '" + ref.node_group + "' in cluster '" + ref.cluster + "'"};
  } else if (ref.kind == Kind::Arn && !world.find_account(ref.account_id)) {
    // A principal of an account outside the world: its own account allows it (outsider).
  } else if (ref.kind == Kind::Arn) {
    if (ref.arn_kind == syntax::PrincipalArnKind::User && !world.find_user(ref.arn))
      return ReferenceProblem{"scenario.unknown-user", "no user '" + ref.arn + "' in the world"};
    if (ref.arn_kind == syntax::PrincipalArnKind::Role && !world.find_role(ref.arn))
      return ReferenceProblem{"scenario.unknown-role", "no role '" + ref.arn + "' in the world"};
    if (ref.arn_kind == syntax::PrincipalArnKind::AssumedRole) {
      // arn:aws:sts::ACCT:assumed-role/ROLE/SESSION names its role without the path.
      const auto arn = syntax::split_arn(ref.arn);
      const auto named = arn ? syntax::principal_arn(*arn) : std::nullopt;
      const std::string role(named ? named->name : std::string_view());
      if (!world.find_role(ref.account_id, role))
        return ReferenceProblem{"scenario.unknown-role",
                                "no role '" + role + "' in account " + ref.account_id + " for session " + ref.arn};
    }
  }
  for (const auto& hop : ref.chain)
    if (!world.find_role(hop.role_arn))
      return ReferenceProblem{"scenario.unknown-role", "no role '" + hop.role_arn + "' in the world"};
  return std::nullopt;
}

bool is_creation_action(std::string_view action) {
  // The actions that make a modelled resource: the name is not in the world yet.
  const std::string lowered = ascii_lowered(action);
  return lowered == "s3:createbucket" || lowered == "iam:createrole" || lowered == "iam:createservicelinkedrole";
}

bool is_all_buckets(std::string_view resource_arn) {
  const auto arn = syntax::split_arn(resource_arn);
  return arn && syntax::resource_arn_kind(*arn) == syntax::ResourceArnKind::S3Bucket &&
         syntax::s3_bucket_name(*arn).find_first_of("*?") != std::string_view::npos;
}

std::optional<ReferenceProblem> find_resource_problem(const World& world, std::string_view action,
                                                      std::string_view resource_arn) {
  const auto arn = syntax::split_arn(resource_arn);
  if (!arn) return std::nullopt;  // "*": an action without resource types (RS6)
  if (is_creation_action(action)) return std::nullopt;
  switch (syntax::resource_arn_kind(*arn)) {
    case syntax::ResourceArnKind::S3Bucket:
    case syntax::ResourceArnKind::S3Object:
      if (is_all_buckets(resource_arn)) break;  // arn:aws:s3:::* (RS6, B1)
      if (const auto bucket = syntax::s3_bucket_name(*arn); !world.find_bucket(bucket))
        return ReferenceProblem{"scenario.unknown-bucket", "no bucket '" + std::string(bucket) + "' in the world"};
      break;
    case syntax::ResourceArnKind::KmsKey:
      if (!world.find_key(resource_arn))
        return ReferenceProblem{"scenario.unknown-key", "no KMS key '" + std::string(resource_arn) + "' in the world"};
      break;
    case syntax::ResourceArnKind::IamRole:
      if (!world.find_role(resource_arn))
        return ReferenceProblem{"scenario.unknown-role", "no role '" + std::string(resource_arn) + "' in the world"};
      break;
    default: break;  // not modelled: any name passes
  }
  return std::nullopt;
}

}  // namespace iamsim::model
