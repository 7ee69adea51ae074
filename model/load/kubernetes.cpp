// Stage: model (load). Reads Kubernetes manifests: service accounts with their IRSA
// annotations, and the workloads whose pods run as them.
#include "model/load/kubernetes.hpp"

#include <initializer_list>
#include <map>

#include "model/load/yaml_support.hpp"

namespace iamsim::model::load {
namespace {

constexpr std::string_view role_arn_annotation = "eks.amazonaws.com/role-arn";
constexpr std::string_view audience_annotation = "eks.amazonaws.com/audience";

std::string_view group_of(std::string_view api_version) {
  auto slash = api_version.find('/');
  return slash == std::string_view::npos ? std::string_view{} : api_version.substr(0, slash);
}

// The kinds that bear on AWS access come from these API groups.
bool group_fits(std::string_view kind, std::string_view group) {
  if (kind == "ServiceAccount" || kind == "Pod" || kind == "Namespace") return group.empty();
  if (kind == "Deployment" || kind == "StatefulSet" || kind == "DaemonSet" || kind == "ReplicaSet")
    return group == "apps" || group == "extensions";
  if (kind == "Job" || kind == "CronJob") return group == "batch";
  if (kind == "InferenceService") return group == "serving.kserve.io";
  return false;
}

std::optional<WorkloadKind> workload_kind(std::string_view kind) {
  if (kind == "Pod") return WorkloadKind::Pod;
  if (kind == "Deployment") return WorkloadKind::Deployment;
  if (kind == "StatefulSet") return WorkloadKind::StatefulSet;
  if (kind == "DaemonSet") return WorkloadKind::DaemonSet;
  if (kind == "ReplicaSet") return WorkloadKind::ReplicaSet;
  if (kind == "Job") return WorkloadKind::Job;
  if (kind == "CronJob") return WorkloadKind::CronJob;
  if (kind == "InferenceService") return WorkloadKind::InferenceService;
  return std::nullopt;
}

class ManifestReader {
 public:
  ManifestReader(const std::string& file, KubernetesObjects& into, Diagnostics& diagnostics)
      : file_(file), into_(into), diags_(diagnostics) {}

  void object(const YamlNode& doc, int depth = 0) {
    if (doc.is_null()) return;  // an empty document between two '---'
    if (!doc.is_map()) {
      error("k8s.not-a-mapping", doc, "a Kubernetes object must be a mapping, found " + describe_type(doc));
      return;
    }
    const YamlNode& kind_node = doc["kind"];
    if (!kind_node.present()) {
      error("k8s.missing-kind", doc, "a Kubernetes object needs 'kind'");
      return;
    }
    auto kind = scalar(kind_node, "kind");
    auto api_version =
        doc["apiVersion"].defined() ? scalar(doc["apiVersion"], "apiVersion") : std::optional<std::string>("");
    if (!kind || !api_version) return;

    // `kubectl get -o yaml` prints a List; typed lists (ServiceAccountList) read the same.
    if (*kind == "List" || (kind->ends_with("List") && doc["items"].defined())) {
      const YamlNode& items = doc["items"];
      if (!items.present()) return;
      if (!items.is_sequence()) {
        wrong_type(items, "items", "a list");
        return;
      }
      // Lists hold objects, not lists of lists: deep nesting is an alias loop.
      if (depth > 4) {
        error("k8s.wrong-type", items, "lists nested too deeply");
        return;
      }
      for (const YamlNode& item : items.items()) object(item, depth + 1);
      return;
    }

    const YamlNode& metadata = doc["metadata"];
    if (!metadata.present()) {
      error("k8s.missing-name", doc, *kind + " has no metadata.name");
      return;
    }
    if (!metadata.is_map()) {
      wrong_type(metadata, "metadata", "a mapping");
      return;
    }
    const YamlNode& name_node = metadata["name"];
    if (!name_node.present()) {
      error("k8s.missing-name", metadata, *kind + " has no metadata.name");
      return;
    }
    auto name = scalar(name_node, "metadata.name");
    if (!name) return;
    std::string namespace_name = "default";
    if (metadata["namespace"].present()) {
      auto ns = scalar(metadata["namespace"], "metadata.namespace");
      if (!ns) return;
      namespace_name = *ns;
    }
    std::map<std::string, std::string> annotations;
    if (!read_annotations(metadata["annotations"], annotations)) return;

    if (!api_version->empty() && !group_fits(*kind, group_of(*api_version))) {
      skipped(doc, *kind, *api_version, metadata["namespace"], namespace_name);
      return;
    }
    if (*kind == "Namespace") {
      into_.namespaces.insert(*name);
    } else if (*kind == "ServiceAccount") {
      service_account(metadata, name_node, *name, namespace_name, std::move(annotations));
    } else if (auto wk = workload_kind(*kind)) {
      workload(doc, name_node, *wk, *api_version, *name, namespace_name);
    } else {
      skipped(doc, *kind, *api_version, metadata["namespace"], namespace_name);
    }
  }

 private:
  void error(std::string code, const YamlNode& at, std::string message) {
    diags_.error(std::move(code), location_of(at, file_), std::move(message));
  }

  void wrong_type(const YamlNode& at, std::string_view field, std::string_view wanted) {
    error("k8s.wrong-type", at,
          std::string(field) + " must be " + std::string(wanted) + ", found " + describe_type(at));
  }

  std::optional<std::string> scalar(const YamlNode& n, std::string_view field) {
    if (n.is_scalar()) return n.scalar();
    wrong_type(n, field, "a string");
    return std::nullopt;
  }

  bool read_annotations(const YamlNode& n, std::map<std::string, std::string>& out) {
    if (!n.present()) return true;
    if (!n.is_map()) {
      wrong_type(n, "metadata.annotations", "a mapping");
      return false;
    }
    for (const auto& [key_node, value_node] : n.entries()) {
      auto key = scalar(*key_node, "an annotation key");
      auto value = scalar(*value_node, "annotation '" + key_node->scalar() + "'");
      if (!key || !value) return false;
      out[*key] = *value;
    }
    return true;
  }

  void skipped(const YamlNode& doc, const std::string& kind, const std::string& api_version,
               const YamlNode& namespace_node, const std::string& namespace_name) {
    // The object still shows that its namespace exists.
    if (namespace_node.present()) into_.namespaces.insert(namespace_name);
    diags_.warning(
        "k8s.skipped-kind", location_of(doc, file_),
        "skipped " + kind + (api_version.empty() ? "" : " (" + api_version + ")") + ": it does not bear on AWS access");
  }

  void service_account(const YamlNode& metadata, const YamlNode& name_node, const std::string& name,
                       const std::string& namespace_name, std::map<std::string, std::string> annotations) {
    ServiceAccount sa;
    sa.namespace_name = namespace_name;
    sa.name = name;
    sa.where = location_of(name_node, file_);
    if (auto it = annotations.find(std::string(role_arn_annotation)); it != annotations.end()) {
      auto parsed = parse_principal_ref(it->second);
      if (!parsed || parsed.value->kind != PrincipalRef::Kind::Arn ||
          parsed.value->arn_kind != syntax::PrincipalArnKind::Role || !parsed.value->chain.empty()) {
        error("k8s.bad-role-arn", annotation_value(metadata, role_arn_annotation),
              "annotation " + std::string(role_arn_annotation) +
                  " must be a role ARN (arn:aws:iam::ACCOUNT:role/NAME), found '" + it->second + "'");
        return;
      }
      sa.role_arn = it->second;
    }
    if (auto it = annotations.find(std::string(audience_annotation)); it != annotations.end()) sa.audience = it->second;
    sa.annotations = std::move(annotations);
    into_.namespaces.insert(namespace_name);
    into_.service_accounts.push_back(std::move(sa));
  }

  // An annotation's value node, for its position.
  static const YamlNode& annotation_value(const YamlNode& metadata, std::string_view key) {
    const YamlNode& value = metadata["annotations"][key];
    return value.defined() ? value : metadata;
  }

  // Follows mapping keys from `from`. Absent or null -> an undefined node; a step that is
  // not a mapping is an error (`ok` false).
  const YamlNode& walk(const YamlNode& from, std::initializer_list<const char*> path, std::string& trail, bool& ok) {
    const YamlNode* at = &from;
    for (const char* key : path) {
      if (!at->is_map()) {
        wrong_type(*at, trail, "a mapping");
        ok = false;
        return YamlNode::missing();
      }
      trail += trail.empty() ? key : std::string(".") + key;
      const YamlNode& next = (*at)[key];
      if (!next.present()) return YamlNode::missing();
      at = &next;
    }
    return *at;
  }

  // A string-to-string mapping (labels, nodeSelector).
  bool string_map(const YamlNode& n, const std::string& field, std::map<std::string, std::string>& out) {
    if (!n.present()) return true;
    if (!n.is_map()) {
      wrong_type(n, field, "a mapping");
      return false;
    }
    for (const auto& [key_node, value_node] : n.entries()) {
      auto key = scalar(*key_node, field + " key");
      auto value = scalar(*value_node, field + "." + key_node->scalar());
      if (!key || !value) return false;
      out[*key] = *value;
    }
    return true;
  }

  bool tolerations(const YamlNode& n, const std::string& field, std::vector<Toleration>& out) {
    if (!n.present()) return true;
    if (!n.is_sequence()) {
      wrong_type(n, field, "a list");
      return false;
    }
    for (const YamlNode& item : n.items()) {
      if (!item.is_map()) {
        wrong_type(item, field + "[]", "a mapping");
        return false;
      }
      Toleration t;
      for (const char* key : {"key", "operator", "value", "effect"}) {
        if (!item[key].present()) continue;
        auto v = scalar(item[key], field + "[]." + key);
        if (!v) return false;
        if (std::string_view(key) == "key") t.key = *v;
        if (std::string_view(key) == "value") t.value = *v;
        if (std::string_view(key) == "effect") t.effect = *v;
        if (std::string_view(key) == "operator") {
          if (*v != "Exists" && *v != "Equal") {
            error("k8s.bad-value", item[key], field + "[].operator must be Exists or Equal, found '" + *v + "'");
            return false;
          }
          t.exists = *v == "Exists";
        }
      }
      out.push_back(std::move(t));
    }
    return true;
  }

  // The service account a pod spec names (`default` when it names none), and what decides
  // where its pods land and whether they reach the node's instance metadata (K8, K9).
  bool component(const YamlNode& pod_spec, const std::string& trail, std::string name, const YamlNode& fallback_at,
                 const YamlNode& labels, Workload& w) {
    WorkloadComponent c;
    c.name = std::move(name);
    c.service_account = "default";
    c.service_account_defaulted = true;
    c.where = location_of(fallback_at, file_);
    if (!string_map(labels, "metadata.labels", c.labels)) return false;
    if (pod_spec.defined()) {
      if (!pod_spec.is_map()) {
        wrong_type(pod_spec, trail, "a mapping");
        return false;
      }
      c.where = location_of(pod_spec, file_);
      // serviceAccount is the deprecated spelling; serviceAccountName wins over it.
      for (const char* key : {"serviceAccount", "serviceAccountName"}) {
        const YamlNode& sa = pod_spec[key];
        if (!sa.present()) continue;
        auto value = scalar(sa, trail + "." + key);
        if (!value) return false;
        if (value->empty()) continue;
        c.service_account = *value;
        c.service_account_defaulted = false;
        c.where = location_of(sa, file_);
      }
      if (!string_map(pod_spec["nodeSelector"], trail + ".nodeSelector", c.node_selector) ||
          !tolerations(pod_spec["tolerations"], trail + ".tolerations", c.tolerations))
        return false;
      if (const YamlNode& host = pod_spec["hostNetwork"]; host.present()) {
        auto v = scalar(host, trail + ".hostNetwork");
        if (!v) return false;
        if (*v != "true" && *v != "false") {
          wrong_type(host, trail + ".hostNetwork", "true or false");
          return false;
        }
        c.host_network = *v == "true";
      }
    }
    w.components.push_back(std::move(c));
    return true;
  }

  void workload(const YamlNode& doc, const YamlNode& name_node, WorkloadKind kind, const std::string& api_version,
                const std::string& name, const std::string& namespace_name) {
    Workload w;
    w.kind = kind;
    w.api_version = api_version;
    w.name = name;
    w.namespace_name = namespace_name;
    w.where = location_of(name_node, file_);
    bool ok = true;
    std::string trail;
    switch (kind) {
      case WorkloadKind::Pod: {
        const YamlNode& spec = walk(doc, {"spec"}, trail, ok);
        if (ok) ok = component(spec, trail, "pod", doc, doc["metadata"]["labels"], w);
        break;
      }
      case WorkloadKind::CronJob: {
        std::string meta_trail;
        const YamlNode& labels =
            walk(doc, {"spec", "jobTemplate", "spec", "template", "metadata", "labels"}, meta_trail, ok);
        const YamlNode& spec = ok ? walk(doc, {"spec", "jobTemplate", "spec", "template", "spec"}, trail, ok) : labels;
        if (ok) ok = component(spec, trail, "pod", doc, labels, w);
        break;
      }
      case WorkloadKind::InferenceService: {
        const YamlNode& spec = walk(doc, {"spec"}, trail, ok);
        if (!ok) break;
        if (spec.defined() && !spec.is_map()) {
          wrong_type(spec, "spec", "a mapping");
          ok = false;
          break;
        }
        // Each component runs its own pods, with its own service account.
        for (const char* part : {"predictor", "transformer", "explainer"}) {
          if (!spec.defined() || !spec[part].present()) continue;
          // KServe gives its pods the InferenceService's labels.
          ok = component(spec[part], std::string("spec.") + part, part, doc, doc["metadata"]["labels"], w);
          if (!ok) break;
        }
        if (ok && w.components.empty()) {
          error("k8s.missing-field", spec.defined() ? spec : doc,
                "InferenceService " + namespace_name + "/" + name + " has no spec.predictor");
          ok = false;
        }
        break;
      }
      default: {
        std::string meta_trail;
        const YamlNode& labels = walk(doc, {"spec", "template", "metadata", "labels"}, meta_trail, ok);
        const YamlNode& spec = ok ? walk(doc, {"spec", "template", "spec"}, trail, ok) : labels;
        if (ok) ok = component(spec, trail, "pod", doc, labels, w);
        break;
      }
    }
    if (!ok) return;
    into_.namespaces.insert(namespace_name);
    into_.workloads.push_back(std::move(w));
  }

 private:
  const std::string& file_;
  KubernetesObjects& into_;
  Diagnostics& diags_;
};

}  // namespace

void load_manifest_text(std::string_view yaml, const std::string& file_label, KubernetesObjects& into,
                        Diagnostics& diagnostics) {
  YamlStream stream = parse_yaml(yaml);
  if (const auto& e = stream.error()) {
    diagnostics.error("yaml.syntax", location_of(*e, file_label), e->message);
    return;
  }
  ManifestReader reader(file_label, into, diagnostics);
  for (const YamlNode* doc : stream.documents()) reader.object(*doc);
}

void load_manifest_file(const std::filesystem::path& file, KubernetesObjects& into, Diagnostics& diagnostics) {
  auto text = read_text_file(file);
  if (!text) {
    diagnostics.error("k8s.missing-file", {file.string(), "", 0, 0}, "cannot read manifest file " + file.string());
    return;
  }
  load_manifest_text(*text, file.string(), into, diagnostics);
}

void complete_cluster_objects(KubernetesObjects& objects, Diagnostics& diagnostics) {
  auto first_at = [](const SourceLocation& w) { return w.file + ":" + std::to_string(w.line); };

  std::map<std::string, std::size_t> seen_sa;
  std::vector<ServiceAccount> accounts;
  for (auto& sa : objects.service_accounts) {
    auto key = sa.namespace_name + "/" + sa.name;
    auto [it, fresh] = seen_sa.try_emplace(key, accounts.size());
    if (!fresh) {
      diagnostics.error(
          "k8s.duplicate-object", sa.where,
          "ServiceAccount " + key + " is declared twice (first at " + first_at(accounts[it->second].where) + ")");
      continue;
    }
    accounts.push_back(std::move(sa));
  }

  std::map<std::string, std::size_t> seen_workload;
  std::vector<Workload> workloads;
  for (auto& w : objects.workloads) {
    auto key = w.namespace_name + "/" + w.name;
    auto [it, fresh] = seen_workload.try_emplace(key, workloads.size());
    if (!fresh) {
      const Workload& first = workloads[it->second];
      if (first.kind == w.kind) {
        diagnostics.error(
            "k8s.duplicate-object", w.where,
            std::string(to_string(w.kind)) + " " + key + " is declared twice (first at " + first_at(first.where) + ")");
        continue;
      }
      diagnostics.warning("k8s.ambiguous-workload", w.where,
                          std::string(to_string(w.kind)) + " " + key + " has the name of " +
                              std::string(to_string(first.kind)) + " " + key + "; workload:" + key + " means the " +
                              std::string(to_string(first.kind)));
    }
    workloads.push_back(std::move(w));
  }

  // Every cluster has the `default` namespace, and every namespace its `default` account.
  objects.namespaces.insert("default");
  for (const auto& ns : objects.namespaces) {
    if (seen_sa.count(ns + "/default")) continue;
    ServiceAccount sa;
    sa.namespace_name = ns;
    sa.name = "default";
    sa.implicit = true;
    seen_sa.emplace(ns + "/default", accounts.size());
    accounts.push_back(std::move(sa));
  }

  for (const auto& w : workloads)
    for (const auto& c : w.components)
      if (!seen_sa.count(w.namespace_name + "/" + c.service_account))
        diagnostics.warning("k8s.unknown-service-account", c.where,
                            std::string(to_string(w.kind)) + " " + w.namespace_name + "/" + w.name +
                                " runs as service account '" + c.service_account + "', which no manifest declares");

  objects.service_accounts = std::move(accounts);
  objects.workloads = std::move(workloads);
}

}  // namespace iamsim::model::load
