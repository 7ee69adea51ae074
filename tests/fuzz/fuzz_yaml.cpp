// Fuzz target: arbitrary bytes as YAML, read three ways: as a node tree (every node walked
// and turned into JSON), as a scenario file, and as Kubernetes manifests.
// Invariants: an error names a position in the text; every node has a position; JSON made
// from a node is valid JSON; loading never crashes and every diagnostic formats.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "model/load/kubernetes.hpp"
#include "model/load/scenario_loader.hpp"
#include "model/load/yaml_document.hpp"
#include "model/load/yaml_support.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

using namespace iamsim;
using namespace iamsim::model;

// Lines as YAML counts them: LF, CRLF and a lone CR end a line, and so do NEL, LS and PS.
int line_count(std::string_view text) {
  int lines = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::string_view rest = text.substr(i);
    lines += rest[0] == '\n' || (rest[0] == '\r' && !rest.starts_with("\r\n")) || rest.starts_with("\xc2\x85") ||
             rest.starts_with("\xe2\x80\xa8") || rest.starts_with("\xe2\x80\xa9");
  }
  return lines;
}

void walk(const load::YamlNode& node, int lines, int depth) {
  // An empty document at the very end sits just past the last line.
  FUZZ_CHECK(node.line() >= 1 && node.line() <= lines + 1);
  FUZZ_CHECK(node.column() >= 1);
  if (depth > 200) return;  // aliases share nodes: the tree is walked, not expanded
  for (const auto& item : node.items()) walk(item, lines, depth + 1);
  for (const auto& [key, value] : node.entries()) {
    walk(*key, lines, depth + 1);
    walk(*value, lines, depth + 1);
  }
}

void check_diagnostics(const Diagnostics& d) {
  for (const auto& item : d.items()) FUZZ_CHECK(!format_diagnostic(item).empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const int lines = line_count(text);

  const auto stream = load::parse_yaml(text);
  if (const auto& e = stream.error()) {
    FUZZ_CHECK(e->line >= 1 && e->line <= lines + 1);
    FUZZ_CHECK(e->column >= 1);
    FUZZ_CHECK(!e->message.empty());
  }
  for (const load::YamlNode* doc : stream.documents()) {
    walk(*doc, lines, 0);
    const auto json = load::yaml_to_json(*doc);
    if (!json.error) FUZZ_CHECK(nlohmann::json::accept(json.json));
  }

  for (auto scope : {LoadScope::everything, LoadScope::world_only}) {
    const auto world = load_world_text(text, "/fuzz/scenario.yaml", scope);
    check_diagnostics(world.diagnostics);
  }
  load::KubernetesObjects objects;
  Diagnostics manifests;
  load::load_manifest_text(text, "/fuzz/manifest.yaml", objects, manifests);
  load::complete_cluster_objects(objects, manifests);
  check_diagnostics(manifests);
  return 0;
}
