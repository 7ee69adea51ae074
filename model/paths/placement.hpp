// Stage: paths. Where a pod may land (K9) and whether it reaches the node's instance
// metadata there (K8): node groups whose labels satisfy its nodeSelector and whose taints it
// tolerates, or Fargate when a Fargate profile selects it.
#pragma once

#include <string>
#include <vector>

#include "model/world.hpp"

namespace iamsim::model {

struct Placement {
  const NodeGroup* node_group = nullptr;  // exactly one of the two is set
  const FargateProfile* fargate = nullptr;
  // "node group general", "Fargate profile serverless"
  std::string describe() const;
};

// Every place the pod may run. A pod that a Fargate profile selects runs on Fargate only
// (EKS schedules it there); otherwise every node group it fits. Empty: it fits nowhere.
std::vector<Placement> placements_of(const Cluster& cluster, const std::string& namespace_name,
                                     const WorkloadComponent& pod);

// The Fargate profile that selects the pod, if any.
const FargateProfile* fargate_profile_of(const Cluster& cluster, const std::string& namespace_name,
                                         const WorkloadComponent& pod);

// Why the pod cannot run on the node group ("nodeSelector pool=gpu", "taint dedicated=ml:NoSchedule"),
// or empty when it can.
std::string misfit(const NodeGroup& group, const WorkloadComponent& pod);

// K8: can a pod on this node group reach IMDS, and how ("IMDSv1 allowed"), or why not.
struct ImdsReach {
  bool reachable = false;
  bool assumed = false;  // the settings are unknown: taken as reachable (K9)
  std::string how;
};
ImdsReach imds_reach(const NodeGroup& group, bool host_network);

}  // namespace iamsim::model
