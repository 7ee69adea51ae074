// Stage: model (load), real estates. Reading the JSON that AWS's CLI prints: a file parsed
// whole, then typed access to its members, each problem reported with the file and the JSON
// pointer of the value (syntax errors with line and column). The export readers
// (read_exports.hpp) are built on it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/diagnostic.hpp"
#include "model/world.hpp"

namespace iamsim::model::load {

using Json = nlohmann::ordered_json;

// Folder probes of the export readers; a path that cannot be read counts as absent, and the
// reader that needs it reports the missing piece.
bool is_folder(const std::filesystem::path& p);
bool path_exists(const std::filesystem::path& p);
// The entries of a folder, sorted; none when it is not there. When it is there but cannot
// be listed (or not wholly), `diagnostics` gets export.unreadable naming it; a probe of
// the layout (is this an export?) passes none.
std::vector<std::filesystem::path> entries_of(const std::filesystem::path& folder, Diagnostics* diagnostics);

// A value of an export file and its JSON pointer ("" for the whole document).
struct JsonAt {
  const Json* value = nullptr;
  std::string pointer;
  const Json& operator*() const { return *value; }
  const Json* operator->() const { return value; }
};

// "/a/b" + key, with '~' and '/' escaped as RFC 6901 says.
std::string json_pointer_append(std::string pointer, std::string_view key);

// RFC 3986 percent-decoding ("%7B" -> "{"); nullopt when a '%' is not followed by two hex
// digits. '+' stays '+', as IAM encodes its documents.
std::optional<std::string> percent_decode(std::string_view text);

class ExportFile {
 public:
  // The file parsed, or nothing after reporting why (export.missing-file, export.bad-json).
  static std::optional<ExportFile> read(const std::filesystem::path& file, Diagnostics& diagnostics);
  // The same from text; `label` names it in diagnostics.
  static std::optional<ExportFile> parse(std::string_view text, std::string label, Diagnostics& diagnostics);

  const std::string& label() const { return label_; }
  JsonAt root() const { return {&root_, ""}; }
  SourceLocation at(const JsonAt& value) const { return {label_, value.pointer, 0, 0}; }
  Diagnostics& diagnostics() { return *diags_; }

  void error(std::string code, const JsonAt& at, std::string message);
  void warning(std::string code, const JsonAt& at, std::string message);

  // `at` must be an object; reported (export.bad-shape) when it is not.
  bool is_object(const JsonAt& at, std::string_view what);
  // The member `key` of an object; absent or null is nothing, reported when `required`.
  std::optional<JsonAt> member(const JsonAt& object, std::string_view key, bool required = true);
  std::optional<std::string> string(const JsonAt& at, std::string_view what);
  std::optional<std::string> string_member(const JsonAt& object, std::string_view key, bool required = true);
  std::optional<bool> boolean_member(const JsonAt& object, std::string_view key);
  // An array's items; absent or null is empty; anything else is reported.
  std::vector<JsonAt> array(const JsonAt& at, std::string_view what);
  std::vector<JsonAt> array_member(const JsonAt& object, std::string_view key, bool required = false);
  std::vector<std::string> strings_member(const JsonAt& object, std::string_view key);
  // [{"Key": K, "Value": V}, ...] (IAM, S3, KMS spell it TagKey/TagValue too) or {K: V}.
  Tags tags(const JsonAt& at);

  // A policy document as AWS returns one: a JSON object (the CLI decodes IAM's), a string
  // holding JSON (get-bucket-policy, get-key-policy, describe-policy) or a URL-encoded
  // string (IAM's API). Its origin is this file at `at`.
  std::optional<PolicyDocument> policy(const JsonAt& at, std::string name);

 private:
  ExportFile(std::string label, Json root, Diagnostics& diagnostics)
      : label_(std::move(label)), root_(std::move(root)), diags_(&diagnostics) {}

  std::string label_;
  Json root_;
  Diagnostics* diags_;
};

// "an object", "a string", "a number", ...
std::string json_type_name(const Json& value);

}  // namespace iamsim::model::load
