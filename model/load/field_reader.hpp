// Stage: model (load). Typed reading of the YAML tree for the scenario readers: a mapping's
// fields checked against the names the format allows there, strings, booleans, lists,
// tags, account ids and regions, each problem reported at file:line:col.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/diagnostic.hpp"
#include "model/load/yaml_document.hpp"
#include "model/world.hpp"

namespace iamsim::model::load {

// "FILE:LINE:COL", for messages that point at an earlier declaration.
std::string where_text(const SourceLocation& w);

class FieldReader;

// A mapping's fields, checked against the names the format allows there: an unknown or
// repeated field is reported, and left out.
class Fields {
 public:
  Fields(FieldReader& in, const YamlNode& map, std::string_view what, std::initializer_list<std::string_view> allowed);
  // The value, or an undefined node when the field is absent.
  const YamlNode& operator[](std::string_view key) const {
    for (const auto& [key_node, value] : entries_)
      if (key_node->scalar() == key) return *value;
    return YamlNode::missing();
  }
  bool has(std::string_view key) const { return (*this)[key].present(); }
  bool given(std::string_view key) const { return (*this)[key].defined(); }

 private:
  std::vector<YamlNode::Entry> entries_;  // the allowed fields, each once
};

// Reads values of one file's tree, reporting to its diagnostics. A reader that fails
// returns nothing (or an empty value) after reporting why.
class FieldReader {
 public:
  FieldReader(std::string file, Diagnostics& diagnostics) : file_(std::move(file)), diags_(diagnostics) {}

  const std::string& file() const { return file_; }
  Diagnostics& diagnostics() { return diags_; }

  void error(std::string code, const YamlNode& at, std::string message);
  void warning(std::string code, const YamlNode& at, std::string message);
  SourceLocation at(const YamlNode& n) const;
  // Where column `column` (1-based, in the scalar's text) of a scalar is in the file.
  SourceLocation inside(const YamlNode& scalar, int column) const;

  void wrong_type(const YamlNode& n, std::string_view what, std::string_view wanted);
  bool is_map(const YamlNode& n, std::string_view what);
  std::optional<std::string> text(const YamlNode& n, std::string_view what);
  // true/false (True, TRUE, ...) unquoted.
  std::optional<bool> boolean(const YamlNode& n, std::string_view what);
  // Absent or null is an empty list.
  YamlNode::Items list(const YamlNode& n, std::string_view what);
  std::vector<std::string> strings(const YamlNode& n, std::string_view what);
  Tags tags(const YamlNode& n, std::string_view what);
  // Twelve digits.
  std::optional<std::string> account_id(const YamlNode& n, std::string_view what);
  // The mapping's `region`, us-east-1 when absent.
  std::string region(const Fields& f, std::string_view what);
  // A field the format requires; reports it missing at the mapping.
  bool require(const Fields& f, const YamlNode& map, std::string_view key, std::string_view what);

 private:
  std::string file_;
  Diagnostics& diags_;
};

}  // namespace iamsim::model::load
