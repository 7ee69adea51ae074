// Stage: model (load). Node positions, type names and YAML -> JSON for inline policies.
#include "model/load/yaml_support.hpp"

#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace iamsim::model::load {

SourceLocation location_of(const YAML::Mark& mark, const std::string& file) {
  SourceLocation loc;
  loc.file = file;
  if (!mark.is_null() && mark.line >= 0) {
    loc.line = mark.line + 1;
    loc.column = mark.column + 1;
  }
  return loc;
}

SourceLocation location_of(const YAML::Node& node, const std::string& file) {
  return location_of(node.Mark(), file);
}

std::string describe_type(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a string";
    case YAML::NodeType::Null:
      return "null";
    case YAML::NodeType::Undefined:
      return "nothing";
  }
  return "nothing";
}

bool is_quoted(const YAML::Node& node) { return node.IsScalar() && node.Tag() == "!"; }

namespace {

bool is_json_number(const std::string& s) {
  std::size_t i = 0, n = s.size();
  if (i < n && s[i] == '-') ++i;
  if (i >= n) return false;
  if (s[i] == '0') {
    ++i;
  } else if (s[i] >= '1' && s[i] <= '9') {
    while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  } else {
    return false;
  }
  if (i < n && s[i] == '.') {
    ++i;
    if (i >= n || !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= n || !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  }
  return i == n;
}

// Deeper than any policy: an alias that contains itself would otherwise recurse forever.
constexpr int max_depth = 64;

nlohmann::ordered_json to_json(const YAML::Node& node, int depth) {
  if (depth > max_depth)
    throw YAML::ParserException(node.Mark(), "nested too deeply (an alias that contains itself?)");
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      auto obj = nlohmann::ordered_json::object();
      for (const auto& kv : node) obj[kv.first.Scalar()] = to_json(kv.second, depth + 1);
      return obj;
    }
    case YAML::NodeType::Sequence: {
      auto arr = nlohmann::ordered_json::array();
      for (const auto& item : node) arr.push_back(to_json(item, depth + 1));
      return arr;
    }
    case YAML::NodeType::Scalar: {
      const std::string& s = node.Scalar();
      if (is_quoted(node)) return s;
      if (s == "null" || s == "Null" || s == "NULL" || s == "~") return nullptr;
      if (s == "true" || s == "True" || s == "TRUE") return true;
      if (s == "false" || s == "False" || s == "FALSE") return false;
      if (is_json_number(s)) return nlohmann::ordered_json::parse(s);
      return s;
    }
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
  }
  return nullptr;
}

}  // namespace

std::string yaml_to_json(const YAML::Node& node) { return to_json(node, 0).dump(); }

std::optional<std::string> read_text_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace iamsim::model::load
