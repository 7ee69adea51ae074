// Bench: synthetic world generator. The renderers both outputs share (emit.cpp writes the
// world as a scenario, emit_exports.cpp as the export layout of docs/exports.md): policy
// JSON, Kubernetes manifests, the expectations section and the summary, and the file writer.
#pragma once

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "emit.hpp"
#include "expectations.hpp"
#include "model.hpp"

namespace genworld {

// A YAML double-quoted scalar.
std::string q(const std::string& s);
std::string root_arn(const std::string& account_id);

nlohmann::ordered_json trust_policy(const Role& r);
nlohmann::ordered_json identity_policy(const World& w, const Policy& p);
nlohmann::ordered_json bucket_policy(const World& w, const Bucket& b);
nlohmann::ordered_json key_policy(const World& w, const Key& k);
nlohmann::ordered_json deny_data_deletion_scp();
nlohmann::ordered_json deny_key_deletion_scp();
nlohmann::ordered_json sandbox_perimeter_scp();
nlohmann::ordered_json org_only_rcp(const std::string& org_id);

// The Kubernetes objects of a cluster as a multi-document manifest.
std::string manifest(const World& w, const Cluster& c);

// The `expectations:` section of a scenario.
void write_expectations(std::ostream& y, const World& w, const std::vector<Expectation>& expectations);

// genworld-summary.json: what was generated, expectations per kind.
nlohmann::ordered_json summary(const World& w, const std::vector<Expectation>& expectations, const EmitStats& stats);

// Writes files under a root folder, counting them.
class Writer {
 public:
  explicit Writer(std::filesystem::path root) : root_(std::move(root)) {}

  void file(const std::string& rel, const std::string& text) {
    const std::filesystem::path path = root_ / rel;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) throw std::runtime_error("cannot write " + path.string());
    ++stats.files;
    stats.bytes += text.size();
  }

  EmitStats stats;

 private:
  std::filesystem::path root_;
};

}  // namespace genworld
