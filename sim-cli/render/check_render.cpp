// Stage: report. Check results.
#include "sim-cli/render/check_render.hpp"

#include <cmath>
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

std::string expected_text(const model::Expectation& e) {
  if (e.claim) return e.claim->expect_refuted ? "refuted" : "holds";
  return model::to_string(e.expect);
}

std::string expectation_text(const model::Expectation& e) {
  if (e.claim) return e.claim->text;
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
      const bool named = !e.name.empty() && !model::parse_expectation_line(e.name) && e.name != expectation_text(e);
      out += "     " + location(e) + ": " + (named ? e.name + ": " : "") + expectation_text(e) + "\n";
      out += "       expected " + expected_text(e) + ", got " + r.got() + ": " + r.reason + "\n";
      if (explain_failures) render_access_text(out, r.access, true, "         ");
      if (explain_failures && !r.details.empty()) out += r.details;
    }
  }
  out += std::to_string(report.passed()) + " passed, " + std::to_string(report.failed()) + " failed\n";
}

void render_check_json(std::string& out, const CheckReport& report, std::string_view shard_info) {
  std::vector<CheckJsonFile> files;
  files.reserve(report.files.size());
  for (const auto& f : report.files) {
    auto& part = files.emplace_back();
    append_json_string(part.file, f.file);
    append_json_string(part.name, f.name);
    part.failed = f.failed();
    part.expectations.reserve(f.results.size());
    for (const auto& r : f.results) {
      const auto& e = *r.expectation;
      JsonWriter w(part.expectations.emplace_back());
      w.begin_object();
      w.key("name").value(e.name);
      w.key("line").value(e.where.line);
      if (e.claim) {
        w.key("claim").value(e.claim->text);
        w.key("expect").value(expected_text(e));
        w.key("verdict").value(r.verdict);
      } else {
        w.key("principal").value(model::to_string(e.principal));
        w.key("action").value(e.action);
        w.key("resource").value(e.resource_arn);
        w.key("expect").value(model::to_string(e.expect));
        w.key("decision").value(eval::to_string(r.outcome));
      }
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
  }
  write_check_json(out, files, shard_info);
}

void write_check_json(std::string& out, const std::vector<CheckJsonFile>& files, std::string_view shard_info) {
  std::size_t total = 0, failed = 0;
  for (const auto& f : files) {
    total += f.expectations.size();
    failed += f.failed;
  }
  JsonWriter w(out);
  w.begin_object();
  if (!shard_info.empty()) w.key("iamsim_shard").raw(shard_info);
  w.key("passed").value(total - failed);
  w.key("failed").value(failed);
  w.key("files").begin_array();
  for (const auto& f : files) {
    w.begin_object();
    w.key("file").raw(f.file);
    w.key("name").raw(f.name);
    w.key("passed").value(f.expectations.size() - f.failed);
    w.key("failed").value(f.failed);
    w.key("expectations").begin_array();
    for (const auto& e : f.expectations) w.raw(e);
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.end_object();
  out += "\n";
}

namespace {

std::string attribute(std::string_view name, std::string_view value) {
  std::string out = " " + std::string(name) + "=\"";
  append_xml_escaped(out, value);
  return out + "\"";
}

long long microseconds(double seconds) { return std::llround(seconds * 1e6); }

// The case names of a file, unique within it: CI views merge cases of the same name.
std::vector<std::string> junit_case_names(const std::vector<const model::Expectation*>& expectations) {
  std::vector<std::string> out;
  out.reserve(expectations.size());
  std::set<std::string> names;
  for (const auto* p : expectations) {
    const auto& e = *p;
    std::string name = e.name.empty() ? expectation_text(e) : e.name;
    if (!names.insert(name).second) {
      name += " (line " + std::to_string(e.where.line) + ")";
      for (int k = 2; !names.insert(name).second; ++k) name += " #" + std::to_string(k);
    }
    out.push_back(std::move(name));
  }
  return out;
}

}  // namespace

std::string junit_seconds(long long us) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%lld.%06lld", us / 1000000, us % 1000000);
  return buf;
}

void render_check_junit(std::string& out, const CheckReport& report, const JunitProperties& properties) {
  std::vector<JunitSuite> suites;
  suites.reserve(report.files.size());
  for (const auto& f : report.files) {
    auto& suite = suites.emplace_back();
    suite.name = f.name.empty() ? f.file : f.name;
    suite.file = f.file;
    std::vector<const model::Expectation*> all;  // the file's, or the results' when not given
    if (f.expectations)
      for (const auto& e : *f.expectations) all.push_back(&e);
    else
      for (const auto& r : f.results) all.push_back(r.expectation);
    const auto names = junit_case_names(all);
    for (std::size_t k = 0; k < f.results.size(); ++k) {
      const auto& r = f.results[k];
      const auto& e = *r.expectation;
      auto& c = suite.cases.emplace_back();
      c.microseconds = microseconds(r.seconds);
      c.failed = !r.passed();
      c.xml = "    <testcase" + attribute("name", names[(f.expectations ? f.first : 0) + k]) +
              attribute("classname", f.file) + attribute("file", e.where.file) +
              attribute("line", std::to_string(e.where.line)) + attribute("time", junit_seconds(c.microseconds));
      if (r.passed()) {
        c.xml += "/>\n";
        continue;
      }
      c.xml += ">\n      <failure" + attribute("type", "expectation.failed") +
               attribute("message", "expected " + expected_text(e) + ", got " + r.got()) + ">";
      std::string trace = location(e) + ": " + expectation_text(e) + "\n" + r.reason + "\n";
      render_access_text(trace, r.access, true);
      trace += r.details;
      append_xml_escaped(c.xml, trace);
      c.xml += "</failure>\n    </testcase>\n";
    }
  }
  write_check_junit(out, report.timestamp, suites, properties);
}

void write_check_junit(std::string& out, const std::string& timestamp, const std::vector<JunitSuite>& suites,
                       const JunitProperties& properties) {
  out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  std::size_t total = 0, failures = 0;
  long long us = 0;
  for (const auto& s : suites)
    for (const auto& c : s.cases) {
      ++total;
      failures += c.failed;
      us += c.microseconds;
    }
  out += "<testsuites" + attribute("name", "iamsim check") + attribute("tests", std::to_string(total)) +
         attribute("failures", std::to_string(failures)) + attribute("errors", "0") + attribute("skipped", "0") +
         attribute("time", junit_seconds(us)) + attribute("timestamp", timestamp) + ">\n";
  for (std::size_t i = 0; i < suites.size(); ++i) {
    const auto& s = suites[i];
    std::size_t suite_failures = 0;
    long long suite_us = 0;
    for (const auto& c : s.cases) {
      suite_failures += c.failed;
      suite_us += c.microseconds;
    }
    out += "  <testsuite" + attribute("name", s.name) + attribute("tests", std::to_string(s.cases.size())) +
           attribute("failures", std::to_string(suite_failures)) + attribute("errors", "0") +
           attribute("skipped", "0") + attribute("time", junit_seconds(suite_us)) + attribute("timestamp", timestamp) +
           attribute("id", std::to_string(i)) + attribute("file", s.file) + ">\n";
    if (!properties.empty()) {
      out += "    <properties>\n";
      for (const auto& [name, value] : properties)
        out += "      <property" + attribute("name", name) + attribute("value", value) + "/>\n";
      out += "    </properties>\n";
    }
    for (const auto& c : s.cases) out += c.xml;
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
}

void render_check_junit_stopped(std::string& out, const std::string& timestamp, const std::vector<std::string>& why) {
  std::string body;
  for (const auto& line : why) body += line + "\n";
  const std::string message = "the run stopped on bad input; no expectation was checked";
  out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites" + attribute("name", "iamsim check") + attribute("tests", "1") + attribute("failures", "0") +
         attribute("errors", "1") + attribute("skipped", "0") + attribute("time", "0") +
         attribute("timestamp", timestamp) + ">\n";
  out += "  <testsuite" + attribute("name", "iamsim check") + attribute("tests", "1") + attribute("failures", "0") +
         attribute("errors", "1") + attribute("skipped", "0") + attribute("time", "0") +
         attribute("timestamp", timestamp) + attribute("id", "0") + ">\n";
  out += "    <testcase" + attribute("name", "load the scenarios") + attribute("classname", "iamsim check") +
         attribute("time", "0") + ">\n      <error" + attribute("type", "bad-input") + attribute("message", message) +
         ">";
  append_xml_escaped(out, body);
  out += "</error>\n    </testcase>\n  </testsuite>\n</testsuites>\n";
}

}  // namespace iamsim::cli
