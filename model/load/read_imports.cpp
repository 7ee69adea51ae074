// Stage: model (load), reading. A scenario's `import:` (docs/scenario-format.md): real
// estates and other scenarios read into one world, in order, a later one overriding an
// earlier by id; then the file's own sections merged over them the same way, so a team
// states its additions and expectations about the estate it runs.
#include <algorithm>

#include "engine/syntax/arn_view.hpp"
#include "model/load/kubernetes.hpp"
#include "model/load/read_exports.hpp"
#include "model/load/scenario_reader.hpp"
#include "model/load/world_sources.hpp"

namespace iamsim::model::load {
namespace {

namespace fs = std::filesystem;

// Index maps of one account merged into another: from position -> into position.
struct Moved {
  std::vector<std::size_t> users, clusters;
};

// Replaces the item of `into` with the same key as `item`, or appends it; its new position.
template <typename T, typename Key>
std::size_t upsert(std::vector<T>& into, T&& item, Key key, const std::string& what, const std::string& account,
                   std::vector<std::string>& overrides) {
  for (std::size_t i = 0; i < into.size(); ++i)
    if (key(into[i]) == key(item)) {
      overrides.push_back("account " + account + ": " + what + " " + key(item) + " replaced by the one at " +
                          where_text(item.where));
      into[i] = std::move(item);
      return i;
    }
  into.push_back(std::move(item));
  return into.size() - 1;
}

// `from` over `into` (same id). SCPs and RCPs are replaced when `replace_org_policies`.
Moved merge_account(Account& into, Account&& from, bool replace_org_policies, std::vector<std::string>& overrides) {
  Moved moved;
  const std::string id = into.id;
  if (!from.name.empty()) into.name = from.name;
  if (replace_org_policies) {
    into.scps = std::move(from.scps);
    into.rcps = std::move(from.rcps);
  }
  auto name = [](const auto& x) -> const std::string& { return x.name; };
  for (auto& g : from.groups) upsert(into.groups, std::move(g), name, "group", id, overrides);
  for (auto& u : from.users) moved.users.push_back(upsert(into.users, std::move(u), name, "user", id, overrides));
  for (auto& r : from.roles) upsert(into.roles, std::move(r), name, "role", id, overrides);
  for (auto& p : from.oidc_providers)
    upsert(
        into.oidc_providers, std::move(p), [](const OidcProvider& o) -> const std::string& { return o.url; },
        "OIDC provider", id, overrides);
  for (auto& b : from.buckets) upsert(into.buckets, std::move(b), name, "bucket", id, overrides);
  for (auto& k : from.kms_keys)
    upsert(
        into.kms_keys, std::move(k), [](const KmsKey& o) -> const std::string& { return o.id; }, "KMS key", id,
        overrides);
  for (auto& e : from.vpc_endpoints)
    upsert(
        into.vpc_endpoints, std::move(e), [](const VpcEndpoint& o) -> const std::string& { return o.id; },
        "VPC endpoint", id, overrides);
  for (auto& c : from.clusters) {
    // A cluster declared again keeps the Kubernetes objects and associations it was
    // imported with unless the new declaration brings its own.
    auto old =
        std::find_if(into.clusters.begin(), into.clusters.end(), [&](const Cluster& o) { return o.name == c.name; });
    if (old != into.clusters.end()) {
      if (c.manifests.empty() && c.service_accounts.empty() && c.workloads.empty()) {
        c.manifests = old->manifests;
        c.namespaces = old->namespaces;
        c.service_accounts = old->service_accounts;
        c.workloads = old->workloads;
      }
      if (c.pod_identity_associations.empty()) c.pod_identity_associations = old->pod_identity_associations;
    }
    moved.clusters.push_back(upsert(into.clusters, std::move(c), name, "cluster", id, overrides));
  }
  return moved;
}

void merge_world(World& into, World&& from, std::vector<std::string>& overrides) {
  if (from.organization) {
    if (into.organization)
      overrides.push_back("organization " + into.organization->id + " replaced by " + from.organization->id + " (" +
                          where_text(from.organization->where) + ")");
    into.organization = std::move(from.organization);
  }
  for (auto& [name, doc] : from.named_policies) into.named_policies[name] = std::move(doc);
  for (auto& a : from.accounts) {
    auto it = std::find_if(into.accounts.begin(), into.accounts.end(), [&](const Account& o) { return o.id == a.id; });
    if (it == into.accounts.end())
      into.accounts.push_back(std::move(a));
    else
      merge_account(*it, std::move(a), !a.scps.empty() || !a.rcps.empty(), overrides);
  }
  for (auto& line : from.import_overrides) overrides.push_back(std::move(line));
}

// kubectl get ... -A -o yaml of a cluster already imported: its objects join the cluster's.
void import_kubectl(ScenarioReader& r, const YamlNode& n) {
  FieldReader& in = r.in;
  if (!in.is_map(n, "a kubectl import")) return;
  Fields f(in, n, "a kubectl import", {"cluster", "file"});
  if (!in.require(f, n, "cluster", "a kubectl import") || !in.require(f, n, "file", "a kubectl import")) return;
  auto cluster = in.text(f["cluster"], "cluster");
  auto file = in.text(f["file"], "file");
  if (!cluster || !file) return;
  Cluster* c = nullptr;
  for (auto& a : r.imported.accounts)
    for (auto& candidate : a.clusters)
      if (candidate.name == *cluster) c = &candidate;
  if (!c) {
    in.error("import.unknown-cluster", f["cluster"],
             "no imported cluster '" + *cluster +
                 "' (import the export that describes it first, or list the file under the cluster's manifests:)");
    return;
  }
  const fs::path path = (r.dir / *file).lexically_normal();
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    in.error("scenario.missing-file", f["file"], "cannot read kubectl list '" + *file + "' (" + path.string() + ")");
    return;
  }
  KubernetesObjects objects;
  for (const auto& sa : c->service_accounts)
    if (!sa.implicit) objects.service_accounts.push_back(sa);
  objects.workloads = std::move(c->workloads);
  objects.namespaces.insert(c->namespaces.begin(), c->namespaces.end());
  load_manifest_file(path, objects, in.diagnostics());
  complete_cluster_objects(objects, in.diagnostics());
  c->manifests.push_back(path.string());
  c->namespaces.assign(objects.namespaces.begin(), objects.namespaces.end());
  c->service_accounts = std::move(objects.service_accounts);
  c->workloads = std::move(objects.workloads);
}

// get-account-authorization-details of one account, as a world of that account alone.
std::optional<WorldLoad> import_gaad(ScenarioReader& r, const Fields& f, const YamlNode& n) {
  FieldReader& in = r.in;
  if (!in.require(f, n, "account", "a gaad import")) return std::nullopt;
  auto file = in.text(f["gaad"], "gaad");
  auto account = in.account_id(f["account"], "account");
  if (!file || !account) return std::nullopt;
  WorldLoad out;
  auto w = std::make_shared<World>();
  Account a;
  a.id = *account;
  a.where = in.at(n);
  const fs::path path = (r.dir / *file).lexically_normal();
  if (auto export_file = ExportFile::read(path, out.diagnostics)) read_authorization_details(*export_file, a);
  w->accounts.push_back(std::move(a));
  out.world = std::move(w);
  return out;
}

std::optional<WorldLoad> import_path(ScenarioReader& r, const YamlNode& at, const std::string& rel,
                                     std::optional<WorldSource> wanted) {
  const fs::path path = (r.dir / rel).lexically_normal();
  const auto source = recognise_world_source(path);
  if (!source) {
    r.in.error("scenario.missing-file", at,
               "cannot import '" + rel + "' (" + path.string() + "): no such file or folder");
    return std::nullopt;
  }
  if (wanted && *source != *wanted) {
    r.in.error("import.wrong-kind", at,
               "'" + rel + "' is a " + std::string(to_string(*source)) + ", not a " + std::string(to_string(*wanted)));
    return std::nullopt;
  }
  if (*source == WorldSource::scenario_file && fs::equivalent(path, r.in.file())) {
    r.in.error("import.cycle", at, "a scenario cannot import itself");
    return std::nullopt;
  }
  return load_world_argument(path, LoadScope::world_only);
}

}  // namespace

void read_imports(ScenarioReader& r, const YamlNode& n) {
  FieldReader& in = r.in;
  r.has_imports = true;
  for (const auto& item : in.list(n, "import")) {
    std::optional<WorldLoad> loaded;
    if (item.is_scalar()) {
      loaded = import_path(r, item, item.scalar(), std::nullopt);
    } else if (in.is_map(item, "an import")) {
      if (item["kubectl"].defined()) {
        Fields f(in, item, "an import", {"kubectl"});
        import_kubectl(r, f["kubectl"]);
        continue;
      }
      Fields f(in, item, "an import", {"exports", "iam_collect", "scenario", "gaad", "account"});
      if (f.has("gaad")) {
        loaded = import_gaad(r, f, item);
      } else {
        const std::pair<const char*, WorldSource> kinds[] = {{"exports", WorldSource::export_folder},
                                                             {"iam_collect", WorldSource::iam_collect_folder},
                                                             {"scenario", WorldSource::scenario_file}};
        bool found = false;
        for (const auto& [key, kind] : kinds)
          if (f.has(key)) {
            found = true;
            if (auto rel = in.text(f[key], key)) loaded = import_path(r, f[key], *rel, kind);
            break;
          }
        if (!found)
          in.error("import.bad-import", item,
                   "an import names one of exports:, iam_collect:, scenario:, gaad: (with account:) or kubectl:");
      }
    }
    if (!loaded) continue;
    in.diagnostics().append(loaded->diagnostics);
    if (!loaded->world) continue;
    // The loader made the world and nothing else holds it: moved, not copied (a copy of a
    // large estate costs a share of its loading time). Shared, it is copied.
    World from = loaded->world.use_count() == 1 ? std::move(const_cast<World&>(*loaded->world)) : World(*loaded->world);
    loaded->world.reset();
    merge_world(r.imported, std::move(from), r.imported.import_overrides);
  }
}

void merge_over_imports(ScenarioReader& r) {
  if (!r.has_imports) return;
  World& w = r.world;
  std::vector<Account> own = std::move(w.accounts);
  w.accounts = std::move(r.imported.accounts);
  w.import_overrides = std::move(r.imported.import_overrides);
  if (!w.organization)
    w.organization = std::move(r.imported.organization);
  else if (r.imported.organization)
    w.import_overrides.push_back("organization " + r.imported.organization->id + " replaced by the file's (" +
                                 where_text(w.organization->where) + ")");
  for (auto& [name, doc] : r.imported.named_policies) w.named_policies.emplace(name, std::move(doc));

  // Positions the readers recorded are of the file's own accounts: moved to the merged ones.
  std::vector<std::size_t> account_at(own.size());
  std::vector<Moved> moved(own.size());
  const std::size_t imported_count = w.accounts.size();
  for (std::size_t i = 0; i < own.size(); ++i) {
    auto it = std::find_if(w.accounts.begin(), w.accounts.begin() + static_cast<std::ptrdiff_t>(imported_count),
                           [&](const Account& o) { return o.id == own[i].id; });
    if (it == w.accounts.begin() + static_cast<std::ptrdiff_t>(imported_count)) {
      account_at[i] = w.accounts.size();
      for (std::size_t u = 0; u < own[i].users.size(); ++u) moved[i].users.push_back(u);
      for (std::size_t c = 0; c < own[i].clusters.size(); ++c) moved[i].clusters.push_back(c);
      w.accounts.push_back(std::move(own[i]));
      continue;
    }
    account_at[i] = static_cast<std::size_t>(it - w.accounts.begin());
    const bool given = r.accounts_with_scps.count(own[i].id) > 0 || !own[i].rcps.empty();
    moved[i] = merge_account(*it, std::move(own[i]), given, w.import_overrides);
  }
  for (auto& g : r.unbound.user_groups) {
    g.user = moved[g.account].users[g.user];
    g.account = account_at[g.account];
  }
  std::sort(r.unbound.user_groups.begin(), r.unbound.user_groups.end(),
            [](const auto& a, const auto& b) { return std::pair(a.account, a.user) < std::pair(b.account, b.user); });
  for (auto& p : r.unbound.associations) {
    p.cluster = moved[p.account].clusters[p.cluster];
    p.account = account_at[p.account];
    // The file's associations of a cluster replace those it was imported with.
    auto& imported = w.accounts[p.account].clusters[p.cluster].pod_identity_associations;
    imported.clear();
  }
  for (auto& m : r.manifests) {
    m.cluster = moved[m.account].clusters[m.cluster];
    m.account = account_at[m.account];
  }
  // Imported accounts are declared; their organization policies are as imported.
  for (std::size_t i = 0; i < imported_count; ++i) {
    const Account& a = w.accounts[i];
    r.accounts_seen.emplace(a.id, a.where);
    if (!a.scps.empty()) r.accounts_with_scps.insert(a.id);
  }
}

}  // namespace iamsim::model::load
