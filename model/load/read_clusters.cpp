// Stage: model (load), reading. An EKS cluster: its name, region, OIDC issuer, manifest
// paths and Pod Identity associations (their roles bound later); then the Kubernetes
// manifests of every cluster, read in parallel.
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
  if (auto refused = r.files.refusal(path)) {
    r.in.error("scenario.outside-file", at_node, "manifest '" + rel + "' is not read: " + *refused);
    return {};
  }
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (fs::is_regular_file(status)) return {path};
  if (!fs::is_directory(status)) {
    r.in.error("scenario.missing-file", at_node,
               "cannot read manifest '" + rel + "' (" + path.string() + "): " +
                   (fs::exists(status) ? "not a regular file or folder (a device, FIFO or socket)"
                                       : "no such file or folder"));
    return {};
  }
  std::vector<fs::path> files;
  for (auto& file : yaml_files_under(path, r.in.diagnostics(), "k8s.missing-file")) {
    if (auto refused = r.files.refusal(file))  // a link out of the tree
      r.in.error("scenario.outside-file", at_node, "manifest " + file.string() + " is not read: " + *refused);
    else
      files.push_back(std::move(file));
  }
  return files;
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

}  // namespace

void read_cluster(ScenarioReader& r, const YamlNode& n, Account& a) {
  FieldReader& in = r.in;
  if (!in.is_map(n, "a cluster")) return;
  Fields f(in, n, "a cluster", {"name", "region", "oidc_issuer", "manifests", "pod_identity_associations"});
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
