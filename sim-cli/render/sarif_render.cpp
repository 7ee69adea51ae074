// Stage: report. SARIF 2.1.0 (OASIS), written with nlohmann's ordered JSON so keys keep the
// order of the specification's examples.
#include "sim-cli/render/sarif_render.hpp"

#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "lint/rules.hpp"
#include "sim-cli/render/access_render.hpp"
#include "sim-cli/render/lint_render.hpp"

namespace iamsim::cli {
namespace {

using json = nlohmann::ordered_json;

// FNV-1a, 64 bits: stable across runs, builds and machines (std::hash is not).
std::string fingerprint(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string_view sarif_level(lint::Level level) {
  switch (level) {
    case lint::Level::Error: return "error";
    case lint::Level::Warning: return "warning";
    case lint::Level::Note: return "note";
  }
  return "none";
}

// "policy.unknown-action" -> "PolicyUnknownAction": SARIF's rule names are identifiers.
std::string pascal_case(std::string_view id) {
  std::string out;
  bool upper = true;
  for (char c : id) {
    if (c == '.' || c == '-') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

json rule_json(const lint::Rule& r) {
  json j;
  j["id"] = r.id;
  j["name"] = pascal_case(r.id);
  j["shortDescription"]["text"] = r.title;
  j["fullDescription"]["text"] = r.description;
  j["help"]["text"] = std::string(r.description) + "\nFix: " + std::string(r.fix);
  j["help"]["markdown"] = "**" + std::string(r.title) + "** (`" + std::string(r.id) + "`)\n\n" +
                          std::string(r.description) + "\n\n**Fix:** " + std::string(r.fix) +
                          "\n\nSee docs/lint.md in the iamsim repository.";
  j["defaultConfiguration"]["level"] = sarif_level(r.level);
  json properties;
  if (r.security_severity > 0) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1f", r.security_severity);
    properties["security-severity"] = buf;
    properties["tags"] = json::array({"security"});
  } else {
    properties["tags"] = json::array({"correctness"});
  }
  j["properties"] = properties;
  return j;
}

// One result: rule, level, message, location and fingerprint.
struct Result {
  std::string rule;
  lint::Level level = lint::Level::Warning;
  SourceLocation where;
  std::string message;
  std::string identity;  // what stays the same when lines move: rule, file, pointer, subject...
  json properties = json::object();
};

json location_json(const SourceLocation& where) {
  json physical;
  physical["artifactLocation"]["uri"] = relative_uri(where.file);
  physical["artifactLocation"]["uriBaseId"] = "%SRCROOT%";
  if (where.line > 0) {
    physical["region"]["startLine"] = where.line;
    if (where.column > 0) physical["region"]["startColumn"] = where.column;
  }
  json location;
  location["physicalLocation"] = physical;
  if (!where.pointer.empty()) {
    json logical;
    logical["fullyQualifiedName"] = where.pointer;
    logical["kind"] = "element";
    location["logicalLocations"] = json::array({logical});
  }
  return location;
}

void render(std::string& out, const std::vector<Result>& results, const std::vector<const lint::Rule*>& rules) {
  json driver;
  driver["name"] = "iamsim";
  driver["version"] = "0.1.0";
  auto rule_list = json::array();
  for (const auto* r : rules) rule_list.push_back(rule_json(*r));
  driver["rules"] = rule_list;
  json run;
  run["tool"]["driver"] = driver;
  std::error_code ec;
  std::string cwd = std::filesystem::current_path(ec).generic_string();
  if (cwd.empty() || cwd.back() != '/') cwd += '/';
  run["originalUriBaseIds"]["%SRCROOT%"]["uri"] = "file://" + relative_uri(cwd);
  run["columnKind"] = "unicodeCodePoints";
  auto list = json::array();
  for (const auto& r : results) {
    json j;
    j["ruleId"] = r.rule;
    for (std::size_t i = 0; i < rules.size(); ++i)
      if (rules[i]->id == r.rule) j["ruleIndex"] = i;
    j["level"] = sarif_level(r.level);
    j["message"]["text"] = r.message;
    if (!r.where.file.empty() && !r.where.file.starts_with("builtin:"))
      j["locations"] = json::array({location_json(r.where)});
    j["partialFingerprints"]["iamsimFinding/v1"] = fingerprint(r.identity);
    if (!r.properties.empty()) j["properties"] = r.properties;
    list.push_back(std::move(j));
  }
  run["results"] = list;
  json log;
  log["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  log["version"] = "2.1.0";
  log["runs"] = json::array({run});
  out += log.dump(2, ' ', false, json::error_handler_t::replace);
  out += "\n";
}

// The message and its fix, as one text.
std::string with_fix(const std::string& message, const std::string& fix) {
  if (fix.empty()) return message;
  return message + (message.ends_with(".") ? " " : ". ") + "Fix: " + fix;
}

std::string evidence_text(const lint::Evidence& e) {
  return e.principal + ": " + (e.access.allowed() ? allow_reasons(e.access) : one_line_reason(e.access));
}

}  // namespace

std::string relative_uri(const std::string& file) {
  std::error_code ec;
  namespace fs = std::filesystem;
  fs::path p(file);
  std::string text;
  if (file.ends_with("/")) {
    text = file;  // a base URI: kept absolute
  } else {
    const fs::path absolute = fs::absolute(p, ec);
    const fs::path relative = ec ? p : absolute.lexically_relative(fs::current_path(ec));
    text = (relative.empty() ? p : relative).generic_string();
  }
  // RFC 3986: escape what may not stand in a path.
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) ||
        std::string_view("-._~/!$&'()*+,;=:@").find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

void render_lint_sarif(std::string& out, const lint::LintReport& report) {
  std::vector<Result> results;
  for (const auto& f : report.findings) {
    Result r;
    r.rule = f.rule;
    r.level = f.level;
    r.where = f.where;
    r.message = with_fix(f.message, f.fix);
    r.identity = f.rule + "|" + relative_uri(f.where.file) + "|" + f.where.pointer + "|" + f.resource + "|" + f.subject;
    if (!f.resource.empty()) r.properties["resource"] = f.resource;
    if (!f.evidence.empty()) {
      auto evidence = json::array();
      for (const auto& e : f.evidence) evidence.push_back(evidence_text(e));
      r.properties["evidence"] = evidence;
    }
    results.push_back(std::move(r));
  }
  std::vector<const lint::Rule*> rules;
  for (const auto& r : lint::rules()) rules.push_back(&r);
  render(out, results, rules);
}

void render_check_sarif(std::string& out, const CheckReport& report, const std::vector<lint::Finding>& warnings) {
  std::vector<Result> results;
  for (const auto& file : report.files)
    for (const auto& r : file.results) {
      if (r.passed()) continue;
      const auto& e = *r.expectation;
      Result x;
      x.rule = "expectation.failed";
      x.level = lint::Level::Error;
      x.where = e.where;
      x.message = (e.name.empty() || e.name == expectation_text(e) ? expectation_text(e)
                                                                   : e.name + ": " + expectation_text(e)) +
                  ": expected " + expected_text(e) + ", got " + r.got() + ": " + r.reason;
      // A refuted claim is a result at the statement that let the request in (its scenario line
      // is in the message).
      if (r.statement_where) {
        x.where = *r.statement_where;
        x.message += " (claim at " + location_words(e.where) + ")";
      }
      x.identity = "expectation.failed|" + relative_uri(e.where.file) + "|" + expectation_text(e);
      results.push_back(std::move(x));
    }
  for (const auto& f : warnings) {
    Result x;
    x.rule = f.rule;
    x.level = f.level;
    x.where = f.where;
    x.message = with_fix(f.message, f.fix);
    x.identity = f.rule + "|" + relative_uri(f.where.file) + "|" + f.subject + "|" + f.resource;
    results.push_back(std::move(x));
  }
  std::vector<const lint::Rule*> rules;
  for (const auto& r : lint::rules())
    if (r.id.starts_with("expectation.")) rules.push_back(&r);
  render(out, results, rules);
}

}  // namespace iamsim::cli
