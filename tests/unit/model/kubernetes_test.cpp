// Stage: model (load). Kubernetes manifests: every workload kind, lists, multi-document
// files, default service accounts, skipped kinds and malformed objects (K2, K5).
#include "model/load/kubernetes.hpp"

#include <catch2/catch.hpp>

using namespace iamsim;
using namespace iamsim::model;
using namespace iamsim::model::load;

namespace {

struct Loaded {
  KubernetesObjects objects;
  Diagnostics diagnostics;

  const ServiceAccount* sa(std::string_view ns, std::string_view name) const {
    for (const auto& s : objects.service_accounts)
      if (s.namespace_name == ns && s.name == name) return &s;
    return nullptr;
  }
  const Workload* workload(std::string_view ns, std::string_view name) const {
    for (const auto& w : objects.workloads)
      if (w.namespace_name == ns && w.name == name) return &w;
    return nullptr;
  }
  std::vector<std::string> codes() const {
    std::vector<std::string> out;
    for (const auto& d : diagnostics.items()) out.push_back(d.code);
    return out;
  }
};

Loaded read_manifests(std::string_view yaml) {
  Loaded l;
  load_manifest_text(yaml, "m.yaml", l.objects, l.diagnostics);
  complete_cluster_objects(l.objects, l.diagnostics);
  return l;
}

// The single error of a manifest, which must be at line:column.
Diagnostic only_error(const Loaded& l) {
  std::vector<Diagnostic> errors;
  for (const auto& d : l.diagnostics.items())
    if (d.severity == Severity::Error) errors.push_back(d);
  INFO(l.codes().size());
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].where.file == "m.yaml");
  return errors[0];
}

}  // namespace

TEST_CASE("K2 service account annotation names the role", "[model][k8s]") {
  auto l = read_manifests(R"(apiVersion: v1
kind: ServiceAccount
metadata:
  name: model-loader-sa
  namespace: kserve
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111111111111:role/kserve-model-loader
    eks.amazonaws.com/audience: custom-aud
    eks.amazonaws.com/sts-regional-endpoints: "true"
)");
  CHECK(l.diagnostics.empty());
  const ServiceAccount* sa = l.sa("kserve", "model-loader-sa");
  REQUIRE(sa);
  CHECK(sa->role_arn == "arn:aws:iam::111111111111:role/kserve-model-loader");
  CHECK(sa->audience == "custom-aud");
  CHECK(sa->annotations.size() == 3);
  CHECK_FALSE(sa->implicit);
  CHECK(sa->where.line == 4);
}

TEST_CASE("K2 a service account without the annotation has no role", "[model][k8s]") {
  auto l = read_manifests("apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: plain, namespace: x}\n");
  REQUIRE(l.sa("x", "plain"));
  CHECK_FALSE(l.sa("x", "plain")->role_arn);
  CHECK(l.sa("x", "plain")->audience == "sts.amazonaws.com");
}

TEST_CASE("k8s: every workload kind finds its pod template's service account", "[model][k8s]") {
  auto l = read_manifests(R"(apiVersion: v1
kind: Pod
metadata: {name: p, namespace: ns}
spec: {serviceAccountName: sa-pod}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d, namespace: ns}
spec: {template: {spec: {serviceAccountName: sa-deploy}}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: s, namespace: ns}
spec: {template: {spec: {serviceAccountName: sa-sts}}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ds, namespace: ns}
spec: {template: {spec: {serviceAccountName: sa-ds}}}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs, namespace: ns}
spec: {template: {spec: {serviceAccountName: sa-rs}}}
---
apiVersion: batch/v1
kind: Job
metadata: {name: j, namespace: ns}
spec: {template: {spec: {serviceAccountName: sa-job}}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: cj, namespace: ns}
spec: {jobTemplate: {spec: {template: {spec: {serviceAccountName: sa-cron}}}}}
)");
  struct Case {
    const char* name;
    WorkloadKind kind;
    const char* sa;
  };
  for (auto c : {Case{"p", WorkloadKind::Pod, "sa-pod"}, Case{"d", WorkloadKind::Deployment, "sa-deploy"},
                 Case{"s", WorkloadKind::StatefulSet, "sa-sts"}, Case{"ds", WorkloadKind::DaemonSet, "sa-ds"},
                 Case{"rs", WorkloadKind::ReplicaSet, "sa-rs"}, Case{"j", WorkloadKind::Job, "sa-job"},
                 Case{"cj", WorkloadKind::CronJob, "sa-cron"}}) {
    INFO(c.name);
    const Workload* w = l.workload("ns", c.name);
    REQUIRE(w);
    CHECK(w->kind == c.kind);
    REQUIRE(w->components.size() == 1);
    CHECK(w->components[0].name == "pod");
    CHECK(w->service_account() == c.sa);
    CHECK_FALSE(w->components[0].service_account_defaulted);
  }
  // None of these service accounts is declared: a warning each, no error.
  CHECK_FALSE(l.diagnostics.has_errors());
  CHECK(l.diagnostics.items().size() == 7);
  CHECK(l.codes()[0] == "k8s.unknown-service-account");
}

TEST_CASE("k8s: an InferenceService records each component with its service account", "[model][k8s]") {
  auto l = read_manifests(R"(apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: flowers
  namespace: kserve
spec:
  predictor:
    serviceAccountName: predictor-sa
    tensorflow: {storageUri: "s3://ml-models-prod/models/flowers"}
  transformer:
    serviceAccountName: transformer-sa
  explainer:
    alibi: {type: AnchorImages}
)");
  const Workload* w = l.workload("kserve", "flowers");
  REQUIRE(w);
  CHECK(w->kind == WorkloadKind::InferenceService);
  REQUIRE(w->components.size() == 3);
  CHECK(w->components[0].name == "predictor");
  CHECK(w->components[0].service_account == "predictor-sa");
  CHECK(w->components[0].where.line == 8);
  CHECK(w->components[1].name == "transformer");
  CHECK(w->components[1].service_account == "transformer-sa");
  CHECK(w->components[2].name == "explainer");
  CHECK(w->components[2].service_account == "default");
  CHECK(w->components[2].service_account_defaulted);
  CHECK(w->service_account() == "predictor-sa");
}

TEST_CASE("k8s: a workload without serviceAccountName runs as its namespace's default", "[model][k8s]") {
  auto l = read_manifests(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec: {template: {spec: {containers: []}}}
---
apiVersion: v1
kind: Pod
metadata: {name: bare}
)");
  CHECK(l.diagnostics.empty());
  const Workload* web = l.workload("shop", "web");
  REQUIRE(web);
  CHECK(web->service_account() == "default");
  CHECK(web->components[0].service_account_defaulted);
  // metadata.namespace absent means "default".
  REQUIRE(l.workload("default", "bare"));
  for (const char* ns : {"shop", "default"}) {
    const ServiceAccount* d = l.sa(ns, "default");
    REQUIRE(d);
    CHECK(d->implicit);
    CHECK_FALSE(d->role_arn);
  }
  CHECK(l.objects.namespaces == std::set<std::string>{"default", "shop"});
}

TEST_CASE("k8s: a declared default service account replaces the implicit one", "[model][k8s]") {
  auto l = read_manifests(R"(apiVersion: v1
kind: ServiceAccount
metadata:
  name: default
  namespace: shop
  annotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::111111111111:role/shop"}
)");
  int defaults = 0;
  for (const auto& sa : l.objects.service_accounts)
    if (sa.namespace_name == "shop" && sa.name == "default") ++defaults;
  CHECK(defaults == 1);
  CHECK_FALSE(l.sa("shop", "default")->implicit);
  CHECK(l.sa("shop", "default")->role_arn == "arn:aws:iam::111111111111:role/shop");
}

TEST_CASE("k8s: kind List as kubectl prints it, and typed lists", "[model][k8s]") {
  auto l = read_manifests(R"(apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ServiceAccount
    metadata: {name: a, namespace: one}
  - apiVersion: v1
    kind: ServiceAccountList
    items:
      - {apiVersion: v1, kind: ServiceAccount, metadata: {name: b, namespace: two}}
  - apiVersion: batch/v1
    kind: Job
    metadata: {name: j, namespace: one}
    spec: {template: {spec: {serviceAccountName: a}}}
metadata:
  resourceVersion: ""
)");
  CHECK(l.diagnostics.empty());
  CHECK(l.sa("one", "a"));
  CHECK(l.sa("two", "b"));
  REQUIRE(l.workload("one", "j"));
  CHECK(l.workload("one", "j")->service_account() == "a");
}

TEST_CASE("k8s: multi-document files, with empty documents", "[model][k8s]") {
  auto l = read_manifests(
      "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\n---\n---\n"
      "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: b}\n...\n");
  CHECK(l.diagnostics.empty());
  CHECK(l.sa("default", "a"));
  CHECK(l.sa("default", "b"));
}

TEST_CASE("k8s: other kinds are skipped with a warning, not an error", "[model][k8s]") {
  auto l = read_manifests(R"(apiVersion: v1
kind: ConfigMap
metadata: {name: c, namespace: cfg}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: r}
---
apiVersion: example.com/v1
kind: Deployment
metadata: {name: not-apps, namespace: other}
)");
  CHECK_FALSE(l.diagnostics.has_errors());
  CHECK(l.codes() == std::vector<std::string>{"k8s.skipped-kind", "k8s.skipped-kind", "k8s.skipped-kind"});
  CHECK(l.diagnostics.items()[1].where.line == 5);
  CHECK(l.objects.workloads.empty());
  // Skipped objects still show which namespaces exist.
  CHECK(l.sa("cfg", "default"));
  CHECK(l.sa("other", "default"));
}

TEST_CASE("k8s: a manifest that is not a mapping is an error with line and column", "[model][k8s]") {
  auto l = read_manifests("apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\n---\n- just\n- a list\n");
  auto e = only_error(l);
  CHECK(e.code == "k8s.not-a-mapping");
  CHECK(e.where.line == 5);
  CHECK(e.where.column == 1);
  CHECK(l.sa("default", "a"));
}

TEST_CASE("k8s: metadata.name is required", "[model][k8s]") {
  auto e = only_error(read_manifests("apiVersion: v1\nkind: Pod\nmetadata:\n  namespace: x\n"));
  CHECK(e.code == "k8s.missing-name");
  CHECK(e.where.line == 4);
  CHECK(e.where.column == 3);
  auto no_metadata = only_error(read_manifests("apiVersion: v1\nkind: Pod\nspec: {}\n"));
  CHECK(no_metadata.code == "k8s.missing-name");
  CHECK(no_metadata.where.line == 1);
}

TEST_CASE("k8s: kind is required", "[model][k8s]") {
  auto e = only_error(read_manifests("apiVersion: v1\nmetadata: {name: x}\n"));
  CHECK(e.code == "k8s.missing-kind");
  CHECK(e.where.line == 1);
}

TEST_CASE("k8s: wrong types are errors at the offending value", "[model][k8s]") {
  auto annotations =
      only_error(read_manifests("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n"
                                "  annotations: [x]\n"));
  CHECK(annotations.code == "k8s.wrong-type");
  CHECK(annotations.where.line == 5);
  CHECK(annotations.where.column == 16);

  auto sa_name =
      only_error(read_manifests("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
                                "  serviceAccountName: {a: b}\n"));
  CHECK(sa_name.code == "k8s.wrong-type");
  CHECK(sa_name.where.line == 5);
  CHECK(sa_name.where.column == 23);

  auto tmpl =
      only_error(read_manifests("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n"
                                "spec:\n  template: [1, 2]\n"));
  CHECK(tmpl.code == "k8s.wrong-type");
  CHECK(tmpl.where.line == 5);
  CHECK(tmpl.message == "spec.template must be a mapping, found a list");

  auto name = only_error(read_manifests("apiVersion: v1\nkind: Pod\nmetadata: {name: [x]}\n"));
  CHECK(name.code == "k8s.wrong-type");
  CHECK(name.where.column == 18);

  auto items = only_error(read_manifests("apiVersion: v1\nkind: List\nitems: {a: b}\n"));
  CHECK(items.code == "k8s.wrong-type");
  CHECK(items.where.line == 3);
}

TEST_CASE("K2 an annotation that is not a role ARN is an error", "[model][k8s]") {
  auto e =
      only_error(read_manifests("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  annotations:\n"
                                "    eks.amazonaws.com/role-arn: arn:aws:iam::111111111111:user/bob\n"));
  CHECK(e.code == "k8s.bad-role-arn");
  CHECK(e.where.line == 6);
  CHECK(e.where.column == 33);
}

TEST_CASE("k8s: an InferenceService without components is an error", "[model][k8s]") {
  auto e =
      only_error(read_manifests("apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\n"
                                "metadata: {name: i}\nspec:\n  foo: 1\n"));
  CHECK(e.code == "k8s.missing-field");
  CHECK(e.where.line == 5);
}

TEST_CASE("k8s: the same object twice is an error; a shared name across kinds a warning", "[model][k8s]") {
  auto l = read_manifests(R"(apiVersion: v1
kind: ServiceAccount
metadata: {name: a}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: a}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
)");
  auto e = only_error(l);
  CHECK(e.code == "k8s.duplicate-object");
  CHECK(e.where.line == 7);
  CHECK(l.codes().back() == "k8s.ambiguous-workload");
  CHECK(l.workload("default", "web")->kind == WorkloadKind::Pod);
}

TEST_CASE("k8s: a YAML syntax error names its line", "[model][k8s]") {
  auto e = only_error(read_manifests("apiVersion: v1\nkind: Pod\nmetadata: {name: [a\n"));
  CHECK(e.code == "yaml.syntax");
  CHECK(e.where.line >= 3);
}

TEST_CASE("k8s: a manifest file that does not exist is an error", "[model][k8s]") {
  KubernetesObjects objects;
  Diagnostics d;
  load_manifest_file("/no/such/manifest.yaml", objects, d);
  REQUIRE(d.items().size() == 1);
  CHECK(d.items()[0].code == "k8s.missing-file");
}

TEST_CASE("k8s: a List that contains itself is an error, not a crash", "[model][k8s]") {
  auto e = only_error(read_manifests("&a {kind: List, items: [*a]}\n"));
  CHECK(e.code == "yaml.syntax");
  CHECK(e.where.line == 1);
  CHECK(e.where.column == 25);
}
