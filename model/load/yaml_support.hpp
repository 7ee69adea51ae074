// Stage: model (load). Small helpers shared by the scenario and manifest readers: where a
// YAML node is, what type it has, and its JSON text.
#pragma once

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <optional>
#include <string>

#include "engine/diagnostic.hpp"

namespace iamsim::model::load {

// 1-based line and column of a node; line 0 when yaml-cpp has no position for it.
SourceLocation location_of(const YAML::Node& node, const std::string& file);
SourceLocation location_of(const YAML::Mark& mark, const std::string& file);

// "a mapping", "a list", "a string", "null".
std::string describe_type(const YAML::Node& node);

// A scalar written in quotes is always a string, whatever it looks like.
bool is_quoted(const YAML::Node& node);

// The JSON text of a YAML node, keys in their written order. Plain scalars follow the
// YAML core schema (null, true/false, numbers); quoted scalars stay strings. Throws
// YAML::ParserException for nesting deeper than any policy (a self-containing alias).
std::string yaml_to_json(const YAML::Node& node);

// The whole file, or nothing when it cannot be read.
std::optional<std::string> read_text_file(const std::filesystem::path& path);

}  // namespace iamsim::model::load
