// Stage: report. Check results.
#include "sim-cli/render/check_render.hpp"

#include <cstdio>
#include <set>

#include "engine/syntax/json_errors.hpp"

#include "sim-cli/render/access_render.hpp"
#include "sim-cli/render/json_writer.hpp"

namespace iamsim::cli {
namespace {

std::string location(const model::Expectation& e) {
  std::string out = e.where.file;
  if (e.where.line > 0) out += ":" + std::to_string(e.where.line);
  if (e.where.column > 0) out += ":" + std::to_string(e.where.column);
  return out;
}

void append_xml_escaped(std::string& out, std::string_view text) {
  // The report declares UTF-8: bytes that are not are shown as <0xXX>, then escaped.
  const std::string s = syntax::printable_utf8(text);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 allows no control characters but TAB, LF, CR.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r')
          out += '?';
        else
          out += c;
    }
  }
}

}  // namespace

void ExpectationResult::record(model::Access decided) {
  outcome = decided.outcome;
  holds = model::satisfies(decided, expectation->expect);
  for (const auto& [where, o] : decided.placements) varies |= o != decided.outcome;
  reason = one_line_reason(decided);
  missing_keys = missing_context_keys(decided);
  if (!passed()) access = std::move(decided);
}

std::size_t FileResult::failed() const {
  std::size_t n = 0;
  for (const auto& r : results) n += !r.passed();
  return n;
}

std::size_t CheckReport::failed() const {
  std::size_t n = 0;
  for (const auto& f : files) n += f.failed();
  return n;
}

std::size_t CheckReport::passed() const {
  std::size_t n = 0;
  for (const auto& f : files) n += f.results.size() - f.failed();
  return n;
}

std::string expectation_text(const model::Expectation& e) {
  return model::to_string(e.expect) + " " + model::to_string(e.principal) + " " + e.action + " " + e.resource_arn;
}

void render_check_text(std::string& out, const CheckReport& report, bool explain_failures) {
  std::size_t width = 0;
  for (const auto& f : report.files) width = std::max(width, f.file.size());
  for (const auto& f : report.files) {
    const std::size_t failed = f.failed();
    out += failed ? "FAIL " : "ok   ";
    out += f.file + std::string(width - f.file.size() + 2, ' ');
    out += std::to_string(f.results.size() - failed) + " passed";
    if (failed) out += ", " + std::to_string(failed) + " failed";
    out += "\n";
    for (const auto& r : f.results) {
      if (r.passed()) continue;
      const auto& e = *r.expectation;
      // A given name says what the expectation is for; a one-line expectation is its own name.
      const bool named = !e.name.empty() && !model::parse_expectation_line(e.name);
      out += "     " + location(e) + ": " + (named ? e.name + ": " : "") + expectation_text(e) + "\n";
      out += "       expected " + model::to_string(e.expect) + ", got " + r.got() + ": " + r.reason + "\n";
      if (explain_failures) render_access_text(out, r.access, true, "         ");
    }
  }
  out += std::to_string(report.passed()) + " passed, " + std::to_string(report.failed()) + " failed\n";
}

void render_check_json(std::string& out, const CheckReport& report) {
  JsonWriter w(out);
  w.begin_object();
  w.key("passed").value(report.passed());
  w.key("failed").value(report.failed());
  w.key("files").begin_array();
  for (const auto& f : report.files) {
    w.begin_object();
    w.key("file").value(f.file);
    w.key("name").value(f.name);
    w.key("passed").value(f.results.size() - f.failed());
    w.key("failed").value(f.failed());
    w.key("expectations").begin_array();
    for (const auto& r : f.results) {
      const auto& e = *r.expectation;
      w.begin_object();
      w.key("name").value(e.name);
      w.key("line").value(e.where.line);
      w.key("principal").value(model::to_string(e.principal));
      w.key("action").value(e.action);
      w.key("resource").value(e.resource_arn);
      w.key("expect").value(model::to_string(e.expect));
      w.key("decision").value(eval::to_string(r.outcome));
      w.key("passed").value(r.passed());
      w.key("reason").value(r.reason);
      w.key("missing_context_keys").begin_array();
      for (std::size_t i = 0; i < r.missing_keys.size();) {
        const std::size_t hop = r.missing_keys[i].first;
        w.begin_object();
        w.key("hop").value(hop + 1);
        w.key("keys").begin_array();
        for (; i < r.missing_keys.size() && r.missing_keys[i].first == hop; ++i) w.value(r.missing_keys[i].second);
        w.end_array();
        w.end_object();
      }
      w.end_array();
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.end_object();
  out += "\n";
}

namespace {

std::string seconds_text(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", seconds);
  return buf;
}

double file_seconds(const FileResult& f) {
  double t = 0;
  for (const auto& r : f.results) t += r.seconds;
  return t;
}

std::string attribute(std::string_view name, std::string_view value) {
  std::string out = " " + std::string(name) + "=\"";
  append_xml_escaped(out, value);
  return out + "\"";
}

}  // namespace

void render_check_junit(std::string& out, const CheckReport& report) {
  out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  std::size_t total = 0;
  double seconds = 0;
  for (const auto& f : report.files) {
    total += f.results.size();
    seconds += file_seconds(f);
  }
  out += "<testsuites" + attribute("name", "iamsim check") + attribute("tests", std::to_string(total)) +
         attribute("failures", std::to_string(report.failed())) + attribute("errors", "0") + attribute("skipped", "0") +
         attribute("time", seconds_text(seconds)) + attribute("timestamp", report.timestamp) + ">\n";
  for (std::size_t i = 0; i < report.files.size(); ++i) {
    const auto& f = report.files[i];
    out += "  <testsuite" + attribute("name", f.name.empty() ? f.file : f.name) +
           attribute("tests", std::to_string(f.results.size())) + attribute("failures", std::to_string(f.failed())) +
           attribute("errors", "0") + attribute("skipped", "0") + attribute("time", seconds_text(file_seconds(f))) +
           attribute("timestamp", report.timestamp) + attribute("id", std::to_string(i)) + attribute("file", f.file) +
           ">\n";
    std::set<std::string> names;  // CI views merge cases of the same name: keep each apart
    for (const auto& r : f.results) {
      const auto& e = *r.expectation;
      std::string name = e.name.empty() ? expectation_text(e) : e.name;
      if (!names.insert(name).second) {
        name += " (line " + std::to_string(e.where.line) + ")";
        for (int k = 2; !names.insert(name).second; ++k) name += " #" + std::to_string(k);
      }
      out += "    <testcase" + attribute("name", name) + attribute("classname", f.file) +
             attribute("file", e.where.file) + attribute("line", std::to_string(e.where.line)) +
             attribute("time", seconds_text(r.seconds));
      if (r.passed()) {
        out += "/>\n";
        continue;
      }
      out += ">\n      <failure" + attribute("type", "expectation.failed") +
             attribute("message", "expected " + model::to_string(e.expect) + ", got " + r.got()) + ">";
      std::string trace = location(e) + ": " + expectation_text(e) + "\n" + r.reason + "\n";
      render_access_text(trace, r.access, true);
      append_xml_escaped(out, trace);
      out += "</failure>\n    </testcase>\n";
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
}

}  // namespace iamsim::cli
