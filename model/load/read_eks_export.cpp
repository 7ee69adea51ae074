// Stage: model (load), real estates. The nodes of an EKS cluster in an export
// (docs/exports.md): managed node groups (`describe-nodegroup`, with the launch template
// version's metadata options) and Fargate profiles (`describe-fargate-profile`), as K8 and
// K9 need them: the node role pods may reach, where pods may land, and whether IMDS is in
// their reach.
#include "model/load/read_exports.hpp"

namespace iamsim::model::load {
namespace {

namespace fs = std::filesystem;

// EKS writes taint effects in upper case (NO_SCHEDULE); Kubernetes in camel case.
std::optional<std::string> taint_effect(std::string_view eks) {
  if (eks == "NO_SCHEDULE") return "NoSchedule";
  if (eks == "NO_EXECUTE") return "NoExecute";
  if (eks == "PREFER_NO_SCHEDULE") return "PreferNoSchedule";
  return std::nullopt;
}

std::map<std::string, std::string> string_map(ExportFile& f, const JsonAt& object, std::string_view key) {
  std::map<std::string, std::string> out;
  auto m = f.member(object, key, false);
  if (!m || !f.is_object(*m, key)) return out;
  for (auto it = (*m)->begin(); it != (*m)->end(); ++it)
    if (auto v = f.string({&it.value(), json_pointer_append(m->pointer, it.key())}, "a label value"))
      out[it.key()] = *v;
  return out;
}

// EC2's MetadataOptions of the launch template version a node group uses; a field left out
// stays unknown.
std::optional<ImdsOptions> metadata_options(ExportFile& f, const std::string& version) {
  auto versions = f.array_member(f.root(), "LaunchTemplateVersions", true);
  std::optional<JsonAt> chosen;
  for (const auto& v : versions) {
    auto number = f.member(v, "VersionNumber", false);
    if (versions.size() == 1 ||
        (number && (*number)->is_number_integer() && std::to_string((*number)->get<long long>()) == version))
      chosen = v;
  }
  if (!chosen) {
    f.error("export.bad-value", f.root(),
            "the output holds no launch template version " + version + " (the node group's)");
    return std::nullopt;
  }
  auto data = f.member(*chosen, "LaunchTemplateData");
  if (!data) return std::nullopt;
  ImdsOptions o;
  auto options = f.member(*data, "MetadataOptions", false);
  if (!options) return o;
  auto word = [&](std::string_view key, std::string_view yes, std::string_view no) -> std::optional<bool> {
    auto v = f.string_member(*options, key, false);
    if (!v) return std::nullopt;
    if (*v == yes) return true;
    if (*v == no) return false;
    f.error("export.bad-value", *f.member(*options, key),
            std::string(key) + " is " + std::string(yes) + " or " + std::string(no) + ", found '" + *v + "'");
    return std::nullopt;
  };
  o.endpoint_enabled = word("HttpEndpoint", "enabled", "disabled");
  o.tokens_required = word("HttpTokens", "required", "optional");
  if (auto hops = f.member(*options, "HttpPutResponseHopLimit", false)) {
    if ((*hops)->is_number_integer() && (*hops)->get<long long>() >= 1 && (*hops)->get<long long>() <= 64)
      o.hop_limit = static_cast<int>((*hops)->get<long long>());
    else
      f.error("export.bad-value", *hops,
              "HttpPutResponseHopLimit is a whole number from 1 to 64, found " + (*hops)->dump());
  }
  return o;
}

}  // namespace

void read_node_group_export(const fs::path& folder, Cluster& c, Diagnostics& d) {
  const fs::path describe = folder / "describe-nodegroup.json";
  if (!is_folder(folder) || !path_exists(describe)) {
    d.error("export.missing-file", {folder.string(), "", 0, 0},
            "a node group folder holds describe-nodegroup.json (aws eks describe-nodegroup)");
    return;
  }
  for (const auto& p : entries_of(folder, &d)) {
    const std::string name = p.filename().string();
    if (name != "describe-nodegroup.json" && name != "describe-launch-template-versions.json")
      d.warning("export.unknown-file", {p.string(), "", 0, 0},
                "not part of the export layout (docs/exports.md); not read");
  }
  auto f = ExportFile::read(describe, d);
  if (!f) return;
  auto at = f->member(f->root(), "nodegroup");
  if (!at) return;
  auto name = f->string_member(*at, "nodegroupName");
  auto role = f->string_member(*at, "nodeRole");
  if (!name || !role) return;
  if (auto cluster = f->string_member(*at, "clusterName", false); cluster && *cluster != c.name) {
    f->error("export.bad-value", *at, "node group " + *name + " is of cluster " + *cluster + ", not " + c.name);
    return;
  }
  if (c.find_node_group(*name)) {
    f->error("export.duplicate", *at, "node group " + *name + " of cluster " + c.name + " is described twice");
    return;
  }
  NodeGroup g;
  g.name = *name;
  g.role_arn = *role;
  g.where = f->at(*at);
  g.labels = string_map(*f, *at, "labels");
  // The labels EKS puts on every node of a managed node group, which node selectors use.
  g.labels.emplace("eks.amazonaws.com/nodegroup", g.name);
  if (auto capacity = f->string_member(*at, "capacityType", false))
    g.labels.emplace("eks.amazonaws.com/capacityType", *capacity);
  g.taints.emplace();
  for (const auto& t : f->array_member(*at, "taints")) {
    auto key = f->string_member(t, "key");
    auto effect = f->string_member(t, "effect");
    if (!key || !effect) continue;
    auto kubernetes = taint_effect(*effect);
    if (!kubernetes) {
      f->error("export.bad-value", *f->member(t, "effect"),
               "a taint's effect is NO_SCHEDULE, NO_EXECUTE or PREFER_NO_SCHEDULE, found '" + *effect + "'");
      continue;
    }
    g.taints->push_back({*key, f->string_member(t, "value", false).value_or(""), *kubernetes});
  }
  // IMDS: from the launch template version when the node group has one; without one, EKS
  // writes its own and the export does not show it, so IMDS stays unknown (taken as reachable).
  if (auto lt = f->member(*at, "launchTemplate", false)) {
    const std::string version = f->string_member(*lt, "version", false).value_or("");
    const fs::path versions = folder / "describe-launch-template-versions.json";
    if (!path_exists(versions))
      d.warning("export.missing-file", g.where,
                "node group " + g.name +
                    " uses a launch template, but its folder has no "
                    "describe-launch-template-versions.json; its instance metadata options are unknown (taken as "
                    "reachable from pods)");
    else if (auto vf = ExportFile::read(versions, d))
      g.imds = metadata_options(*vf, version);
  }
  c.node_groups.push_back(std::move(g));
}

void read_fargate_profile_export(const fs::path& file, Cluster& c, Diagnostics& d) {
  auto f = ExportFile::read(file, d);
  if (!f) return;
  auto at = f->member(f->root(), "fargateProfile");
  if (!at) return;
  auto name = f->string_member(*at, "fargateProfileName");
  if (!name) return;
  FargateProfile p;
  p.name = *name;
  p.pod_execution_role_arn = f->string_member(*at, "podExecutionRoleArn", false).value_or("");
  p.where = f->at(*at);
  for (const auto& s : f->array_member(*at, "selectors", true)) {
    auto ns = f->string_member(s, "namespace");
    if (!ns) continue;
    p.selectors.push_back({*ns, string_map(*f, s, "labels")});
  }
  for (const auto& o : c.fargate_profiles)
    if (o.name == p.name) {
      f->error("export.duplicate", *at, "Fargate profile " + p.name + " of cluster " + c.name + " is described twice");
      return;
    }
  c.fargate_profiles.push_back(std::move(p));
}

}  // namespace iamsim::model::load
