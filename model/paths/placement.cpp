// Stage: paths. K8 (instance metadata reach) and K9 (where a pod lands).
#include "model/paths/placement.hpp"

namespace iamsim::model {
namespace {

// Fargate profile selectors take `*` and `?` in namespaces and label values.
bool glob(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p, ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool tolerates(const Toleration& t, const Taint& taint) {
  if (!t.effect.empty() && t.effect != taint.effect) return false;
  if (t.exists) return t.key.empty() || t.key == taint.key;
  return t.key == taint.key && t.value == taint.value;
}

}  // namespace

std::string Placement::describe() const {
  return node_group ? "node group " + node_group->name : "Fargate profile " + fargate->name;
}

const FargateProfile* fargate_profile_of(const Cluster& cluster, const std::string& namespace_name,
                                         const WorkloadComponent& pod) {
  for (const auto& profile : cluster.fargate_profiles)
    for (const auto& s : profile.selectors) {
      if (!glob(s.namespace_name, namespace_name)) continue;
      bool all = true;
      for (const auto& [k, v] : s.labels) {
        auto it = pod.labels.find(k);
        all &= it != pod.labels.end() && glob(v, it->second);
      }
      if (all) return &profile;
    }
  return nullptr;
}

std::string misfit(const NodeGroup& group, const WorkloadComponent& pod) {
  for (const auto& [k, v] : pod.node_selector) {
    auto it = group.labels.find(k);
    if (it == group.labels.end() || it->second != v) return "nodeSelector " + k + "=" + v;
  }
  if (!group.taints) return "";
  for (const auto& taint : *group.taints) {
    if (taint.effect == "PreferNoSchedule") continue;  // a preference, not a bar
    bool tolerated = false;
    for (const auto& t : pod.tolerations) tolerated |= tolerates(t, taint);
    if (!tolerated) return "taint " + taint.key + (taint.value.empty() ? "" : "=" + taint.value) + ":" + taint.effect;
  }
  return "";
}

std::vector<Placement> placements_of(const Cluster& cluster, const std::string& namespace_name,
                                     const WorkloadComponent& pod) {
  if (const FargateProfile* f = fargate_profile_of(cluster, namespace_name, pod)) return {Placement{nullptr, f}};
  std::vector<Placement> out;
  for (const auto& g : cluster.node_groups)
    if (misfit(g, pod).empty()) out.push_back({&g, nullptr});
  return out;
}

ImdsReach imds_reach(const NodeGroup& group, bool host_network) {
  if (!group.imds) return {true, true, "instance metadata options unknown, taken as reachable"};
  const ImdsOptions& o = *group.imds;
  if (o.endpoint_enabled == false) return {false, false, "the node group's instance metadata endpoint is disabled"};
  if (o.tokens_required == false) return {true, false, "IMDSv1 allowed"};
  if (host_network) return {true, false, "the pod uses the host network"};
  if (!o.tokens_required) return {true, true, "http_tokens unknown, taken as optional (IMDSv1 allowed)"};
  if (!o.hop_limit) return {true, true, "IMDSv2 required, hop limit unknown, taken as reachable"};
  if (*o.hop_limit >= 2) return {true, false, "IMDSv2 with hop limit " + std::to_string(*o.hop_limit)};
  return {false, false,
          "IMDSv2 is required with hop limit 1: the token response does not reach a pod off the host network"};
}

}  // namespace iamsim::model
