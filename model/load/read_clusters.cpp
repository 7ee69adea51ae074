// Stage: model (load), reading. An EKS cluster: its name, region, OIDC issuer, manifest
// paths and Pod Identity associations (their roles bound later); then the Kubernetes
// manifests of every cluster, read in parallel.
#include <charconv>

#include <tbb/parallel_for.h>

#include "model/load/aws_names.hpp"
#include "model/load/kubernetes.hpp"
#include "model/load/scenario_files.hpp"
#include "model/load/scenario_reader.hpp"

namespace iamsim::model::load {
namespace {

namespace fs = std::filesystem;

// A manifest path names a file, or a folder whose YAML and JSON files are all manifests.
std::vector<fs::path> manifest_files(ScenarioReader& r, const YamlNode& at_node, const std::string& rel) {
  fs::path path = (r.dir / rel).lexically_normal();
  std::error_code ec;
  if (fs::is_directory(path, ec)) return yaml_files_under(path);
  if (fs::is_regular_file(path, ec)) return {path};
  r.in.error("scenario.missing-file", at_node, "cannot read manifest '" + rel + "' (" + path.string() + ")");
  return {};
}

// A role as written: a role ARN (its form checked here) or a role name, looked up in the
// cluster's account by the bind pass (K5 puts association roles there).
std::optional<std::string> role_as_written(FieldReader& in, const YamlNode& n, std::string_view what) {
  auto s = in.text(n, what);
  if (!s || !s->starts_with("arn:")) return s;
  auto parsed = parse_principal_ref(*s);
  if (!parsed || parsed.value->kind != PrincipalRef::Kind::Arn ||
      parsed.value->arn_kind != syntax::PrincipalArnKind::Role || !parsed.value->chain.empty()) {
    in.error("scenario.bad-arn", n,
             std::string(what) + " must be a role ARN (arn:aws:iam::ACCOUNT:role/NAME) or a role name, found '" + *s +
                 "'" +
                 (parsed ? "" : ": " + parsed.error.message + " at column " + std::to_string(parsed.error.column)));
    return std::nullopt;
  }
  return s;
}

void read_association(ScenarioReader& r, const YamlNode& n, std::size_t account, std::size_t cluster) {
  FieldReader& in = r.in;
  if (!in.is_map(n, "a Pod Identity association")) return;
  Fields f(in, n, "a Pod Identity association",
           {"namespace", "service_account", "role", "target_role", "disable_session_tags", "external_id"});
  if (!in.require(f, n, "namespace", "a Pod Identity association") ||
      !in.require(f, n, "service_account", "a Pod Identity association") ||
      !in.require(f, n, "role", "a Pod Identity association"))
    return;
  PodIdentityAssociation p;
  auto ns = in.text(f["namespace"], "namespace");
  auto sa = in.text(f["service_account"], "service_account");
  auto role = role_as_written(in, f["role"], "role");
  if (!ns || !sa || !role) return;
  p.namespace_name = *ns;
  p.service_account = *sa;
  p.role_arn = *role;
  const YamlNode* target_node = nullptr;
  if (f.has("target_role")) {
    auto target = role_as_written(in, f["target_role"], "target_role");
    if (!target) return;
    p.target_role_arn = *target;
    target_node = &f["target_role"];
  }
  if (f.has("disable_session_tags"))
    if (auto b = in.boolean(f["disable_session_tags"], "disable_session_tags")) p.disable_session_tags = *b;
  if (f.has("external_id"))
    if (auto e = in.text(f["external_id"], "external_id")) p.external_id = *e;
  p.where = in.at(n);
  r.unbound.associations.push_back({account, cluster, std::move(p), &n, &f["role"], target_node});
}

// K8: http_endpoint enabled|disabled, http_tokens optional|required, hop_limit 1-64, the
// words of EC2's MetadataOptions; a field left out stays unknown.
std::optional<ImdsOptions> read_imds(FieldReader& in, const YamlNode& n) {
  if (!in.is_map(n, "imds")) return std::nullopt;
  Fields f(in, n, "imds", {"http_endpoint", "http_tokens", "hop_limit"});
  ImdsOptions o;
  auto word = [&](std::string_view key, std::string_view yes, std::string_view no) -> std::optional<bool> {
    if (!f.has(key)) return std::nullopt;
    auto v = in.text(f[key], key);
    if (!v) return std::nullopt;
    if (*v == yes) return true;
    if (*v == no) return false;
    in.error("scenario.bad-value", f[key],
             std::string(key) + " must be '" + std::string(yes) + "' or '" + std::string(no) + "', found '" + *v + "'");
    return std::nullopt;
  };
  o.endpoint_enabled = word("http_endpoint", "enabled", "disabled");
  o.tokens_required = word("http_tokens", "required", "optional");
  if (f.has("hop_limit"))
    if (auto v = in.text(f["hop_limit"], "hop_limit")) {
      int hops = 0;
      auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), hops);
      if (ec != std::errc() || end != v->data() + v->size() || hops < 1 || hops > 64)
        in.error("scenario.bad-value", f["hop_limit"],
                 "hop_limit must be a whole number from 1 to 64, found '" + *v + "'");
      else
        o.hop_limit = hops;
    }
  return o;
}

std::optional<Taint> read_taint(FieldReader& in, const YamlNode& n) {
  if (!in.is_map(n, "a taint")) return std::nullopt;
  Fields f(in, n, "a taint", {"key", "value", "effect"});
  if (!in.require(f, n, "key", "a taint") || !in.require(f, n, "effect", "a taint")) return std::nullopt;
  Taint t;
  auto key = in.text(f["key"], "taint key");
  auto effect = in.text(f["effect"], "taint effect");
  if (!key || !effect) return std::nullopt;
  if (*effect != "NoSchedule" && *effect != "PreferNoSchedule" && *effect != "NoExecute") {
    in.error("scenario.bad-value", f["effect"],
             "a taint's effect is NoSchedule, PreferNoSchedule or NoExecute, found '" + *effect + "'");
    return std::nullopt;
  }
  t.key = *key;
  t.effect = *effect;
  if (f.has("value"))
    if (auto v = in.text(f["value"], "taint value")) t.value = *v;
  return t;
}

// A node or Fargate role: an ARN, or a role name in the cluster's account.
std::optional<std::string> node_role(FieldReader& in, const YamlNode& n, std::string_view what,
                                     const std::string& account) {
  auto role = role_as_written(in, n, what);
  if (role && !role->starts_with("arn:")) return "arn:aws:iam::" + account + ":role/" + *role;
  return role;
}

void read_node_group(FieldReader& in, const YamlNode& n, const std::string& account, Cluster& c) {
  if (!in.is_map(n, "a node group")) return;
  Fields f(in, n, "a node group", {"name", "role", "imds", "labels", "taints"});
  if (!in.require(f, n, "name", "a node group") || !in.require(f, n, "role", "a node group")) return;
  NodeGroup g;
  auto name = in.text(f["name"], "node group name");
  auto role = node_role(in, f["role"], "role", account);
  if (!name || !role) return;
  if (c.find_node_group(*name)) {
    in.error("scenario.duplicate-node-group", f["name"],
             "node group " + *name + " is declared twice in cluster " + c.name);
    return;
  }
  g.name = *name;
  g.role_arn = *role;
  if (f.has("imds")) g.imds = read_imds(in, f["imds"]);
  g.labels = in.tags(f["labels"], "labels");
  if (f.has("taints")) {
    g.taints.emplace();
    for (const auto& t : in.list(f["taints"], "taints"))
      if (auto taint = read_taint(in, t)) g.taints->push_back(std::move(*taint));
  }
  g.where = in.at(n);
  c.node_groups.push_back(std::move(g));
}

void read_fargate_profile(FieldReader& in, const YamlNode& n, const std::string& account, Cluster& c) {
  if (!in.is_map(n, "a Fargate profile")) return;
  Fields f(in, n, "a Fargate profile", {"name", "pod_execution_role", "selectors"});
  if (!in.require(f, n, "name", "a Fargate profile") || !in.require(f, n, "selectors", "a Fargate profile")) return;
  FargateProfile p;
  auto name = in.text(f["name"], "Fargate profile name");
  if (!name) return;
  p.name = *name;
  if (f.has("pod_execution_role"))
    if (auto role = node_role(in, f["pod_execution_role"], "pod_execution_role", account))
      p.pod_execution_role_arn = *role;
  for (const auto& s : in.list(f["selectors"], "selectors")) {
    if (!in.is_map(s, "a Fargate selector")) continue;
    Fields sf(in, s, "a Fargate selector", {"namespace", "labels"});
    if (!in.require(sf, s, "namespace", "a Fargate selector")) continue;
    auto ns = in.text(sf["namespace"], "namespace");
    if (!ns) continue;
    p.selectors.push_back({*ns, in.tags(sf["labels"], "labels")});
  }
  p.where = in.at(n);
  c.fargate_profiles.push_back(std::move(p));
}

}  // namespace

void read_cluster(ScenarioReader& r, const YamlNode& n, Account& a) {
  FieldReader& in = r.in;
  if (!in.is_map(n, "a cluster")) return;
  Fields f(
      in, n, "a cluster",
      {"name", "region", "oidc_issuer", "manifests", "pod_identity_associations", "node_groups", "fargate_profiles"});
  if (!in.require(f, n, "name", "a cluster")) return;
  auto name = in.text(f["name"], "cluster name");
  if (!name) return;
  if (!is_cluster_name(*name)) {
    in.error("scenario.bad-name", f["name"], "'" + *name + "' is not an EKS cluster name (A-Z a-z 0-9 - _)");
    return;
  }
  if (auto it = r.clusters_seen.find(*name); it != r.clusters_seen.end()) {
    in.error("scenario.duplicate-cluster", f["name"],
             "cluster " + *name + " is declared twice (first at " + where_text(it->second) +
                 "); sa: and workload: name clusters alone, so names are unique in a world");
    return;
  }
  r.clusters_seen.emplace(*name, in.at(f["name"]));
  Cluster c;
  c.name = *name;
  c.region = in.region(f, "a cluster");
  c.account_id = a.id;
  c.arn = "arn:aws:eks:" + c.region + ":" + a.id + ":cluster/" + c.name;
  c.where = in.at(n);
  if (f.has("oidc_issuer"))
    if (auto issuer = in.text(f["oidc_issuer"], "oidc_issuer")) {
      if (!issuer->starts_with("https://"))
        in.error("scenario.bad-value", f["oidc_issuer"],
                 "an OIDC issuer starts with https://, found '" + *issuer + "'");
      c.oidc_issuer = *issuer;
      while (c.oidc_issuer.ends_with("/")) c.oidc_issuer.pop_back();
    }

  // `a` joins the world once its fields are read: these are the positions it will have.
  PendingManifests pending{r.world.accounts.size(), a.clusters.size(), {}};
  for (const auto& m : in.list(f["manifests"], "manifests")) {
    auto rel = in.text(m, "a manifest path");
    if (!rel) continue;
    for (const auto& file : manifest_files(r, m, *rel)) {
      c.manifests.push_back(file.string());
      pending.files.push_back(file);
    }
  }
  for (const auto& p : in.list(f["pod_identity_associations"], "pod_identity_associations"))
    read_association(r, p, pending.account, pending.cluster);
  for (const auto& g : in.list(f["node_groups"], "node_groups")) read_node_group(in, g, a.id, c);
  for (const auto& p : in.list(f["fargate_profiles"], "fargate_profiles")) read_fargate_profile(in, p, a.id, c);
  a.clusters.push_back(std::move(c));
  r.manifests.push_back(std::move(pending));
}

void read_manifests(ScenarioReader& r) {
  std::vector<KubernetesObjects> objects(r.manifests.size());
  std::vector<Diagnostics> found(r.manifests.size());
  tbb::parallel_for(std::size_t(0), r.manifests.size(), [&](std::size_t i) {
    for (const auto& file : r.manifests[i].files) load_manifest_file(file, objects[i], found[i]);
    complete_cluster_objects(objects[i], found[i]);
  });
  for (std::size_t i = 0; i < r.manifests.size(); ++i) {
    r.in.diagnostics().append(found[i]);
    Cluster& c = r.world.accounts[r.manifests[i].account].clusters[r.manifests[i].cluster];
    c.namespaces.assign(objects[i].namespaces.begin(), objects[i].namespaces.end());
    c.service_accounts = std::move(objects[i].service_accounts);
    c.workloads = std::move(objects[i].workloads);
  }
  r.manifests.clear();
}

}  // namespace iamsim::model::load
