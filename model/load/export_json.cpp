// Stage: model (load), real estates. JSON export files with located errors.
#include "model/load/export_json.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "engine/syntax/json_errors.hpp"
#include "model/load/yaml_support.hpp"

namespace iamsim::model::load {

namespace fs = std::filesystem;

bool is_folder(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

bool path_exists(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec);
}

std::vector<fs::path> entries_of(const fs::path& folder, Diagnostics* diagnostics) {
  std::vector<fs::path> out;
  std::error_code ec;
  fs::directory_iterator it(folder, ec), end;
  for (; !ec && it != end; it.increment(ec)) out.push_back(it->path());
  // A folder that is not there is no entry; one that is there and cannot be listed is an
  // error, or the world would silently lack what it holds.
  if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory && diagnostics)
    diagnostics->error("export.unreadable", {folder.string(), "", 0, 0}, "cannot read the folder: " + ec.message());
  std::sort(out.begin(), out.end());
  return out;
}
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool starts_like_json(std::string_view s) {
  auto first = std::find_if(s.begin(), s.end(), [](char c) { return !std::isspace(static_cast<unsigned char>(c)); });
  return first != s.end() && (*first == '{' || *first == '[');
}

}  // namespace

std::string json_pointer_append(std::string pointer, std::string_view key) {
  pointer += '/';
  for (char c : key) {
    if (c == '~')
      pointer += "~0";
    else if (c == '/')
      pointer += "~1";
    else
      pointer += c;
  }
  return pointer;
}

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    const int hi = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
    const int lo = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::string json_type_name(const Json& value) {
  switch (value.type()) {
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::string: return "a string";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::null: return "null";
    default: return "a number";
  }
}

std::optional<ExportFile> ExportFile::parse(std::string_view text, std::string label, Diagnostics& diagnostics) {
  Json root = Json::parse(text.begin(), text.end(), nullptr, false);
  if (root.is_discarded()) {
    // "line L, column C: what is wrong": the position goes where diagnostics put positions.
    std::string why = syntax::describe_json_syntax_error(text, 1);
    int line = 0, column = 0;
    if (std::sscanf(why.c_str(), "line %d, column %d:", &line, &column) == 2) why = why.substr(why.find(": ") + 2);
    diagnostics.error("export.bad-json", {label, "", line, column},
                      "not JSON as the AWS CLI prints it (--output json): " + (why.empty() ? "malformed" : why));
    return std::nullopt;
  }
  return ExportFile(std::move(label), std::move(root), diagnostics);
}

std::optional<ExportFile> ExportFile::read(const std::filesystem::path& file, Diagnostics& diagnostics) {
  auto text = read_text_file(file);
  if (!text) {
    diagnostics.error("export.missing-file", {file.string(), "", 0, 0}, "cannot read export file");
    return std::nullopt;
  }
  return parse(*text, file.string(), diagnostics);
}

void ExportFile::error(std::string code, const JsonAt& at, std::string message) {
  diags_->error(std::move(code), this->at(at), std::move(message));
}

void ExportFile::warning(std::string code, const JsonAt& at, std::string message) {
  diags_->warning(std::move(code), this->at(at), std::move(message));
}

bool ExportFile::is_object(const JsonAt& at, std::string_view what) {
  if (at->is_object()) return true;
  error("export.bad-shape", at, std::string(what) + " must be an object, found " + json_type_name(*at));
  return false;
}

std::optional<JsonAt> ExportFile::member(const JsonAt& object, std::string_view key, bool required) {
  if (!object->is_object()) {
    error("export.bad-shape", object,
          "expected an object with '" + std::string(key) + "', found " + json_type_name(*object));
    return std::nullopt;
  }
  auto it = object->find(std::string(key));
  if (it == object->end() || it->is_null()) {
    if (required) error("export.missing-field", object, "missing '" + std::string(key) + "'");
    return std::nullopt;
  }
  return JsonAt{&*it, json_pointer_append(object.pointer, key)};
}

std::optional<std::string> ExportFile::string(const JsonAt& at, std::string_view what) {
  if (at->is_string()) return at->get<std::string>();
  error("export.bad-shape", at, std::string(what) + " must be a string, found " + json_type_name(*at));
  return std::nullopt;
}

std::optional<std::string> ExportFile::string_member(const JsonAt& object, std::string_view key, bool required) {
  auto m = member(object, key, required);
  if (!m) return std::nullopt;
  return string(*m, key);
}

std::optional<bool> ExportFile::boolean_member(const JsonAt& object, std::string_view key) {
  auto m = member(object, key, false);
  if (!m) return std::nullopt;
  if ((*m)->is_boolean()) return (*m)->get<bool>();
  error("export.bad-shape", *m, std::string(key) + " must be true or false, found " + json_type_name(**m));
  return std::nullopt;
}

std::vector<JsonAt> ExportFile::array(const JsonAt& at, std::string_view what) {
  std::vector<JsonAt> out;
  if (at->is_null()) return out;
  if (at->is_object()) {
    // AWS's own documentation prints some one-item lists as the item alone.
    warning("export.bad-shape", at, std::string(what) + " should be an array; read as an array of this one object");
    out.push_back(at);
    return out;
  }
  if (!at->is_array()) {
    error("export.bad-shape", at, std::string(what) + " must be an array, found " + json_type_name(*at));
    return out;
  }
  out.reserve(at->size());
  for (std::size_t i = 0; i < at->size(); ++i) out.push_back({&(*at)[i], at.pointer + "/" + std::to_string(i)});
  return out;
}

std::vector<JsonAt> ExportFile::array_member(const JsonAt& object, std::string_view key, bool required) {
  auto m = member(object, key, required);
  if (!m) return {};
  return array(*m, key);
}

std::vector<std::string> ExportFile::strings_member(const JsonAt& object, std::string_view key) {
  std::vector<std::string> out;
  for (const auto& item : array_member(object, key))
    if (auto s = string(item, std::string("an item of ") + std::string(key))) out.push_back(*s);
  return out;
}

Tags ExportFile::tags(const JsonAt& at) {
  Tags out;
  if (at->is_object()) {
    for (auto it = at->begin(); it != at->end(); ++it)
      if (auto v = string({&it.value(), json_pointer_append(at.pointer, it.key())}, "a tag value")) out[it.key()] = *v;
    return out;
  }
  for (const auto& tag : array(at, "tags")) {
    if (!is_object(tag, "a tag")) continue;
    const bool kms_style = tag->contains("TagKey");
    auto key = string_member(tag, kms_style ? "TagKey" : "Key");
    auto value = string_member(tag, kms_style ? "TagValue" : "Value");
    if (key && value) out[*key] = *value;
  }
  return out;
}

std::optional<PolicyDocument> ExportFile::policy(const JsonAt& at, std::string name) {
  PolicyDocument d;
  d.name = std::move(name);
  d.origin = this->at(at);
  if (at->is_object()) {
    d.json_text = at->dump();
    return d;
  }
  if (!at->is_string()) {
    error("export.bad-shape", at, "a policy document must be an object or a string, found " + json_type_name(*at));
    return std::nullopt;
  }
  const std::string& text = at->get_ref<const std::string&>();
  if (starts_like_json(text)) {
    d.json_text = text;
    return d;
  }
  auto decoded = percent_decode(text);
  if (!decoded || !starts_like_json(*decoded)) {
    error("export.bad-policy", at,
          "a policy document string must hold JSON, or JSON URL-encoded as IAM's API returns it (%7B...)");
    return std::nullopt;
  }
  d.json_text = std::move(*decoded);
  return d;
}

}  // namespace iamsim::model::load
