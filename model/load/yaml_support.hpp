// Stage: model (load). Small helpers shared by the scenario and manifest readers: where a
// YAML node is, what type it has, and its JSON text.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include "engine/diagnostic.hpp"
#include "model/load/yaml_document.hpp"

namespace iamsim::model::load {

// 1-based line and column of a node; line 0 for a missing node.
SourceLocation location_of(const YamlNode& node, const std::string& file);
SourceLocation location_of(const YamlError& error, const std::string& file);

// "a mapping", "a list", "a string", "null".
std::string describe_type(const YamlNode& node);

// The JSON text of a YAML node, keys in their written order. Plain scalars follow the
// YAML core schema (null, true/false, numbers); quoted scalars stay strings. Nesting deeper
// than any policy, or aliases that expand beyond any policy's size, are a YamlError.
struct JsonConversion {
  std::string json;
  std::optional<YamlError> error;
};
JsonConversion yaml_to_json(const YamlNode& node);

// Scenario files, manifests and policy files are read whole; none comes near this.
inline constexpr std::size_t max_input_file_bytes = std::size_t{1} << 30;  // 1 GiB

// The whole file, or nothing when it cannot be read; then `why` (when given) says why:
// missing, a folder, not a regular file (a device, FIFO or socket: never opened blocking),
// a /proc or /sys file, larger than max_input_file_bytes, or the system's reason.
std::optional<std::string> read_text_file(const std::filesystem::path& path, std::string* why = nullptr);

}  // namespace iamsim::model::load
