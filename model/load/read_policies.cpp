// Stage: model (load), reading. Policy references: a name (of `policies:` or a built-in),
// {file: PATH} (JSON, or YAML handed on as its JSON) or {document: {...}} inline.
#include <filesystem>

#include "model/load/builtin_policies.hpp"
#include "model/load/scenario_reader.hpp"
#include "model/load/yaml_support.hpp"

namespace iamsim::model::load {

namespace fs = std::filesystem;

std::optional<PolicyDocument> read_policy(ScenarioReader& r, const YamlNode& n, std::string_view what) {
  FieldReader& in = r.in;
  if (n.is_scalar()) {
    const std::string& name = n.scalar();
    if (name == full_aws_access_name) return full_aws_access();
    if (name == rcp_full_aws_access_name) return rcp_full_aws_access();
    PolicyDocument named;  // looked up by the bind pass
    named.name = name;
    named.origin = in.at(n);
    named.by_name = true;
    return named;
  }
  if (!n.is_map()) {
    in.wrong_type(n, what, "a policy name, {file: PATH} or {document: {...}}");
    return std::nullopt;
  }
  Fields f(in, n, "a policy", {"file", "document", "name"});
  if (f.has("file") == f.has("document")) {
    in.error("scenario.bad-policy", n, std::string(what) + " must give either 'file' or 'document'");
    return std::nullopt;
  }
  PolicyDocument doc;
  if (f.has("name"))
    if (auto name = in.text(f["name"], "a policy name")) doc.name = *name;
  if (f.has("document")) {
    const YamlNode& body = f["document"];
    if (!in.is_map(body, "document")) return std::nullopt;
    auto json = yaml_to_json(body);
    if (json.error) {
      in.diagnostics().error(json.error->code, location_of(*json.error, in.file()), json.error->message);
      return std::nullopt;
    }
    doc.json_text = std::move(json.json);
    doc.origin = in.at(body);
    if (doc.name.empty()) doc.name = "inline policy at " + in.file() + ":" + std::to_string(doc.origin.line);
    return doc;
  }
  auto rel = in.text(f["file"], "file");
  if (!rel) return std::nullopt;
  fs::path path = (r.dir / *rel).lexically_normal();
  if (auto refused = r.files.refusal(path)) {
    in.error("scenario.outside-file", f["file"], "policy file '" + *rel + "' is not read: " + *refused);
    return std::nullopt;
  }
  std::string why;
  auto content = read_text_file(path, &why);
  if (!content) {
    in.error("scenario.missing-file", f["file"],
             "cannot read policy file '" + *rel + "' (" + path.string() + "): " + why);
    return std::nullopt;
  }
  if (doc.name.empty()) doc.name = *rel;
  doc.origin = {path.string(), "", 0, 0};
  auto ext = path.extension().string();
  if (ext == ".yaml" || ext == ".yml") {
    // A policy written as YAML is handed on as the JSON it means.
    auto stream = parse_yaml(*content);
    std::optional<YamlError> problem = stream.error();
    JsonConversion json;
    if (!problem) {
      json = yaml_to_json(stream.documents().empty() ? YamlNode::missing() : *stream.documents().front());
      problem = json.error;
    }
    if (problem) {
      in.diagnostics().error(problem->code, location_of(*problem, path.string()), problem->message);
      return std::nullopt;
    }
    doc.json_text = std::move(json.json);
  } else {
    doc.json_text = std::move(*content);
  }
  return doc;
}

std::vector<PolicyDocument> read_policies(ScenarioReader& r, const YamlNode& n, std::string_view what) {
  std::vector<PolicyDocument> out;
  for (const auto& item : r.in.list(n, what))
    if (auto p = read_policy(r, item, std::string("an item of ") + std::string(what))) out.push_back(std::move(*p));
  return out;
}

std::optional<PolicyDocument> read_optional_policy(ScenarioReader& r, const Fields& f, std::string_view key) {
  if (!f.has(key)) return std::nullopt;
  return read_policy(r, f[key], key);
}

void read_named_policies(ScenarioReader& r, const YamlNode& n) {
  FieldReader& in = r.in;
  if (!n.present()) return;
  if (!in.is_map(n, "policies")) return;
  for (const auto& [key_node, value_node] : n.entries()) {
    const YamlNode& key = *key_node;
    const YamlNode& value = *value_node;
    auto name = in.text(key, "a policy name");
    if (!name) continue;
    if (*name == full_aws_access_name || *name == rcp_full_aws_access_name) {
      in.error("scenario.duplicate-policy", key, "'" + *name + "' is the name of a built-in policy");
      continue;
    }
    if (r.world.named_policies.count(*name) || r.unbound.broken_policies.count(*name)) {
      in.error("scenario.duplicate-policy", key, "policy '" + *name + "' is defined twice");
      continue;
    }
    if (!value.is_map()) {
      in.wrong_type(value, "policy '" + *name + "'", "{file: PATH} or {document: {...}}");
      r.unbound.broken_policies.insert(*name);
      continue;
    }
    auto doc = read_policy(r, value, "policy '" + *name + "'");
    if (!doc) {
      r.unbound.broken_policies.insert(*name);
      continue;
    }
    doc->name = *name;
    r.world.named_policies.emplace(*name, std::move(*doc));
  }
}

}  // namespace iamsim::model::load
