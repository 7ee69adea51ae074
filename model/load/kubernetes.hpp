// Stage: model (load). Kubernetes manifests -> the service accounts and workloads of one
// cluster. Reads multi-document YAML and `kind: List`; kinds that do not bear on AWS
// access are skipped with a warning.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/diagnostic.hpp"
#include "model/world.hpp"

namespace iamsim::model::load {

struct KubernetesObjects {
  std::vector<ServiceAccount> service_accounts;
  std::vector<Workload> workloads;
  std::set<std::string> namespaces;  // every namespace an object of the manifests uses
};

// Reads one manifest file into `into`. `file_label` is the name diagnostics use.
void load_manifest_file(const std::filesystem::path& file, KubernetesObjects& into, Diagnostics& diagnostics);
void load_manifest_text(std::string_view yaml, const std::string& file_label, KubernetesObjects& into,
                        Diagnostics& diagnostics);

// Once every manifest of a cluster is read: reports duplicates, gives each namespace
// (and `default`, which every cluster has) its `default` service account unless a manifest
// declared it, and warns about workloads whose service account is nowhere.
void complete_cluster_objects(KubernetesObjects& objects, Diagnostics& diagnostics);

}  // namespace iamsim::model::load
