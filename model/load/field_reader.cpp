// Stage: model (load). Typed reading of YAML fields, with located errors.
#include "model/load/field_reader.hpp"

#include <algorithm>

#include "engine/syntax/arn_view.hpp"
#include "model/load/aws_names.hpp"
#include "model/load/yaml_support.hpp"

namespace iamsim::model::load {
namespace {

constexpr std::string_view default_region = "us-east-1";

std::string join(const std::vector<std::string_view>& names) {
  std::string out;
  for (auto n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

}  // namespace

std::string where_text(const SourceLocation& w) {
  return w.file + ":" + std::to_string(w.line) + ":" + std::to_string(w.column);
}

Fields::Fields(FieldReader& in, const YamlNode& map, std::string_view what,
               std::initializer_list<std::string_view> allowed) {
  for (const auto& [key_node, value_node] : map.entries()) {
    if (!key_node->is_scalar()) {
      in.wrong_type(*key_node, std::string("a field name in ") + std::string(what), "a string");
      continue;
    }
    const std::string& key = key_node->scalar();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      in.error("scenario.unknown-field", *key_node,
               "unknown field '" + key + "' in " + std::string(what) + "; allowed: " + join(allowed));
      continue;
    }
    if ((*this)[key].defined()) {
      in.error("scenario.duplicate-field", *key_node, "field '" + key + "' appears twice in " + std::string(what));
      continue;
    }
    entries_.emplace_back(key_node, value_node);
  }
}

void FieldReader::error(std::string code, const YamlNode& at, std::string message) {
  diags_.error(std::move(code), location_of(at, file_), std::move(message));
}

void FieldReader::warning(std::string code, const YamlNode& at, std::string message) {
  diags_.warning(std::move(code), location_of(at, file_), std::move(message));
}

SourceLocation FieldReader::at(const YamlNode& n) const { return location_of(n, file_); }

SourceLocation FieldReader::inside(const YamlNode& scalar, int column) const {
  SourceLocation loc = at(scalar);
  if (loc.line > 0) loc.column += column - 1 + (scalar.quoted() ? 1 : 0);
  return loc;
}

void FieldReader::wrong_type(const YamlNode& n, std::string_view what, std::string_view wanted) {
  error("scenario.wrong-type", n,
        std::string(what) + " must be " + std::string(wanted) + ", found " + describe_type(n));
}

bool FieldReader::is_map(const YamlNode& n, std::string_view what) {
  if (n.is_map()) return true;
  wrong_type(n, what, "a mapping");
  return false;
}

std::optional<std::string> FieldReader::text(const YamlNode& n, std::string_view what) {
  if (n.is_scalar()) return n.scalar();
  wrong_type(n, what, "a string");
  return std::nullopt;
}

std::optional<bool> FieldReader::boolean(const YamlNode& n, std::string_view what) {
  if (n.is_scalar() && !n.quoted()) {
    const std::string& s = n.scalar();
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
  }
  wrong_type(n, what, "true or false");
  return std::nullopt;
}

YamlNode::Items FieldReader::list(const YamlNode& n, std::string_view what) {
  if (!n.present()) return YamlNode::missing().items();
  if (!n.is_sequence()) {
    wrong_type(n, what, "a list");
    return YamlNode::missing().items();
  }
  return n.items();
}

std::vector<std::string> FieldReader::strings(const YamlNode& n, std::string_view what) {
  std::vector<std::string> out;
  for (const auto& item : list(n, what))
    if (auto s = text(item, std::string("an item of ") + std::string(what))) out.push_back(*s);
  return out;
}

Tags FieldReader::tags(const YamlNode& n, std::string_view what) {
  Tags out;
  if (!n.present()) return out;
  if (!is_map(n, what)) return out;
  for (const auto& [key_node, value_node] : n.entries()) {
    auto key = text(*key_node, "a tag key");
    auto value = text(*value_node, "tag '" + key_node->scalar() + "'");
    if (key && value) out[*key] = *value;
  }
  return out;
}

std::optional<std::string> FieldReader::account_id(const YamlNode& n, std::string_view what) {
  auto s = text(n, what);
  if (!s) return std::nullopt;
  if (!syntax::is_account_id(*s)) {
    error("scenario.bad-account-id", n, std::string(what) + " must be 12 digits, found '" + *s + "'");
    return std::nullopt;
  }
  return s;
}

std::string FieldReader::region(const Fields& f, std::string_view what) {
  if (!f.has("region")) return std::string(default_region);
  auto r = text(f["region"], std::string(what) + " region");
  if (!r) return std::string(default_region);
  if (!is_region(*r)) error("scenario.bad-value", f["region"], "'" + *r + "' is not an AWS region (like us-east-1)");
  return *r;
}

bool FieldReader::require(const Fields& f, const YamlNode& map, std::string_view key, std::string_view what) {
  if (f.has(key)) return true;
  error("scenario.missing-field", map, std::string(what) + " needs '" + std::string(key) + "'");
  return false;
}

}  // namespace iamsim::model::load
