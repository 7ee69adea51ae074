// Stage: report. Lint findings as text and JSON.
#include "sim-cli/render/lint_render.hpp"

#include <nlohmann/json.hpp>

#include "lint/rules.hpp"
#include "sim-cli/render/access_render.hpp"

namespace iamsim::cli {
namespace {

using lint::Finding;

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

void finding_text(std::string& out, const Finding& f) {
  out +=
      location_words(f.where) + ": " + std::string(lint::to_string(f.level)) + "[" + f.rule + "]: " + f.message + "\n";
  if (!f.resource.empty()) out += "    resource: " + f.resource + "\n";
  if (!f.world.empty()) out += "    world: " + f.world + "\n";
  if (!f.evidence.empty()) {
    out += "    evidence:\n";
    for (const auto& e : f.evidence) {
      out += "      " + e.principal + (e.summary.empty() ? "" : ": " + e.summary) + "\n";
      render_access_text(out, e.access, false, "        ");
    }
  }
  if (!f.fix.empty()) out += "    fix: " + f.fix + "\n";
}

nlohmann::ordered_json finding_json(const Finding& f) {
  nlohmann::ordered_json j;
  j["rule"] = f.rule;
  j["level"] = lint::to_string(f.level);
  j["file"] = f.where.file;
  j["line"] = f.where.line;
  j["column"] = f.where.column;
  j["pointer"] = f.where.pointer;
  j["message"] = f.message;
  j["fix"] = f.fix;
  j["resource"] = f.resource;
  if (!f.world.empty()) j["world"] = f.world;
  auto evidence = nlohmann::ordered_json::array();
  for (const auto& e : f.evidence) {
    nlohmann::ordered_json x;
    x["principal"] = e.principal;
    x["summary"] = e.summary;
    auto path = nlohmann::ordered_json::array();
    for (const auto& h : e.access.hops) path.push_back(h.title);
    x["path"] = path;
    x["decision"] = eval::to_string(e.access.outcome);
    x["reason"] = e.access.allowed() ? allow_reasons(e.access) : one_line_reason(e.access);
    evidence.push_back(std::move(x));
  }
  j["evidence"] = evidence;
  return j;
}

std::string suppression_words(const lint::Suppression& s) {
  return s.rule + (s.resource.empty() ? "" : "@" + s.resource);
}

}  // namespace

std::string location_words(const SourceLocation& where) {
  std::string out = where.file;
  if (where.line > 0) out += ":" + std::to_string(where.line);
  if (where.line > 0 && where.column > 0) out += ":" + std::to_string(where.column);
  if (!where.pointer.empty() && where.line == 0) out += " (at " + where.pointer + ")";
  return out;
}

void render_lint_text(std::string& out, const lint::LintReport& report) {
  for (const auto& f : report.findings) finding_text(out, f);
  for (const auto& n : report.notes) out += "note: " + n + "\n";
  out += plural(report.findings.size(), "finding", "findings") + " (" +
         plural(report.count(lint::Level::Error), "error", "errors") + ", " +
         plural(report.count(lint::Level::Warning), "warning", "warnings") + ", " +
         plural(report.count(lint::Level::Note), "note", "notes") + ") in " + plural(report.files, "file", "files");
  out += ", " + std::to_string(report.suppressed.size()) + " suppressed\n";
  for (const auto& s : report.suppressions) {
    out += "  suppressed by " + suppression_words(s) + " (" + location_words(s.where) +
           "): " + plural(s.matched, "finding", "findings");
    if (!s.reason.empty()) out += ": " + s.reason;
    out += "\n";
  }
}

void render_lint_json(std::string& out, const lint::LintReport& report) {
  nlohmann::ordered_json j;
  auto findings = nlohmann::ordered_json::array();
  for (const auto& f : report.findings) findings.push_back(finding_json(f));
  j["findings"] = findings;
  auto suppressed = nlohmann::ordered_json::array();
  for (const auto& f : report.suppressed) suppressed.push_back(finding_json(f));
  j["suppressed"] = suppressed;
  auto suppressions = nlohmann::ordered_json::array();
  for (const auto& s : report.suppressions) {
    nlohmann::ordered_json x;
    x["id"] = s.rule;
    x["resource"] = s.resource;
    x["reason"] = s.reason;
    x["where"] = location_words(s.where);
    x["matched"] = s.matched;
    suppressions.push_back(std::move(x));
  }
  j["suppressions"] = suppressions;
  j["notes"] = report.notes;
  nlohmann::ordered_json summary;
  summary["files"] = report.files;
  summary["errors"] = report.count(lint::Level::Error);
  summary["warnings"] = report.count(lint::Level::Warning);
  summary["notes"] = report.count(lint::Level::Note);
  summary["suppressed"] = report.suppressed.size();
  j["summary"] = summary;
  out += j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  out += "\n";
}

}  // namespace iamsim::cli
