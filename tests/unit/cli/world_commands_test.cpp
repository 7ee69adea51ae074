// Tests: `iamsim check` over whole worlds (docs/scenario-format.md, docs/diagnostics.md). The scenarios in
// tests/scenarios/ cover every path kind (IRSA, Pod Identity, role chaining, users, anonymous)
// and every missing link, each expectation citing its rule in docs/rules.md; they must all
// hold. The JUnit report written by --junit must be well-formed XML that CI can read, with one
// <testcase> per expectation and a <failure> for each one that does not hold.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "process.hpp"

namespace fs = std::filesystem;
using iamsim::test::read_file;
using iamsim::test::run_process;
using iamsim::test::TempDir;
using iamsim::test::write_file;

namespace {

fs::path source_dir() { return fs::path(IAMSIM_SOURCE_DIR).lexically_normal(); }
fs::path scenarios_dir() { return source_dir() / "tests" / "scenarios"; }
fs::path failing_world() { return source_dir() / "tests" / "cli" / "check" / "failing-world" / "world.yaml"; }
fs::path passing_worlds() { return source_dir() / "tests" / "cli" / "check" / "passing-world"; }

std::size_t count_of(std::string_view text, std::string_view what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string_view::npos; pos = text.find(what, pos + what.size())) ++n;
  return n;
}

// ---- a small, strict XML 1.0 reader: enough to say a JUnit report is well-formed --------
// Elements, attributes, character data, the five predefined entities and character
// references, comments and the XML declaration. Anything else (a stray '<' or '&', an
// unquoted or repeated attribute, a mismatched end tag, a control character, two roots)
// throws std::runtime_error with the offset.
struct XmlElement {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::vector<std::unique_ptr<XmlElement>> children;
  std::string text;  // character data directly inside, entities resolved

  std::vector<const XmlElement*> all(std::string_view tag) const {
    std::vector<const XmlElement*> out;
    collect(tag, out);
    return out;
  }
  void collect(std::string_view tag, std::vector<const XmlElement*>& out) const {
    for (const auto& c : children) {
      if (c->name == tag) out.push_back(c.get());
      c->collect(tag, out);
    }
  }
  const XmlElement* child(std::string_view tag) const {
    for (const auto& c : children)
      if (c->name == tag) return c.get();
    return nullptr;
  }
  std::string attribute(const std::string& key) const {
    auto it = attributes.find(key);
    return it == attributes.end() ? std::string() : it->second;
  }
};

class XmlReader {
 public:
  explicit XmlReader(std::string_view text) : s_(text) {}

  std::unique_ptr<XmlElement> document() {
    if (s_.substr(0, 5) == "<?xml") {
      const auto end = s_.find("?>");
      if (end == std::string_view::npos) fail("unterminated XML declaration");
      pos_ = end + 2;
    }
    misc();
    if (!at('<')) fail("no root element");
    auto root = element();
    misc();
    if (pos_ != s_.size()) fail("content after the root element");
    return root;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw std::runtime_error("not well-formed XML at offset " + std::to_string(pos_) + ": " + why);
  }
  bool at(char c) const { return pos_ < s_.size() && s_[pos_] == c; }
  bool starts(std::string_view p) const { return s_.substr(pos_, p.size()) == p; }
  void expect(char c) {
    if (!at(c)) fail(std::string("expected '") + c + "'");
    ++pos_;
  }
  void spaces() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }
  void comment() {
    const auto end = s_.find("-->", pos_ + 4);
    if (end == std::string_view::npos) fail("unterminated comment");
    pos_ = end + 3;
  }
  // White space and comments outside the root.
  void misc() {
    for (;;) {
      spaces();
      if (starts("<!--"))
        comment();
      else
        return;
    }
  }
  static bool name_char(char c, bool first) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || u >= 0x80) return true;
    return !first && ((c >= '0' && c <= '9') || c == '-' || c == '.');
  }
  std::string name() {
    const std::size_t start = pos_;
    if (pos_ >= s_.size() || !name_char(s_[pos_], true)) fail("expected a name");
    while (pos_ < s_.size() && name_char(s_[pos_], false)) ++pos_;
    return std::string(s_.substr(start, pos_ - start));
  }
  void check_char(char c) const {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') fail("control character " + std::to_string(u));
  }
  // After '&': one of the predefined entities or a character reference.
  std::string reference() {
    const auto end = s_.find(';', pos_);
    if (end == std::string_view::npos || end - pos_ > 10) fail("'&' that starts no entity");
    const std::string_view ref = s_.substr(pos_, end - pos_);
    pos_ = end + 1;
    if (ref == "amp") return "&";
    if (ref == "lt") return "<";
    if (ref == "gt") return ">";
    if (ref == "quot") return "\"";
    if (ref == "apos") return "'";
    if (ref.size() > 1 && ref[0] == '#') {
      const bool hex = ref[1] == 'x';
      const std::string digits(ref.substr(hex ? 2 : 1));
      if (digits.empty() ||
          digits.find_first_not_of(hex ? "0123456789abcdefABCDEF" : "0123456789") != std::string::npos)
        fail("bad character reference &" + std::string(ref) + ";");
      const unsigned long cp = std::stoul(digits, nullptr, hex ? 16 : 10);
      if (cp < 0x20 && cp != 0x9 && cp != 0xA && cp != 0xD) fail("character reference to a control character");
      return cp < 0x80 ? std::string(1, static_cast<char>(cp)) : std::string("?");
    }
    fail("unknown entity &" + std::string(ref) + ";");
  }
  std::string attribute_value() {
    if (!at('"') && !at('\'')) fail("attribute value not quoted");
    const char quote = s_[pos_++];
    std::string v;
    while (pos_ < s_.size() && s_[pos_] != quote) {
      const char c = s_[pos_];
      if (c == '<') fail("'<' inside an attribute value");
      check_char(c);
      if (c == '&') {
        ++pos_;
        v += reference();
      } else {
        v += c;
        ++pos_;
      }
    }
    expect(quote);
    return v;
  }
  std::unique_ptr<XmlElement> element() {
    expect('<');
    auto e = std::make_unique<XmlElement>();
    e->name = name();
    for (;;) {
      const std::size_t before = pos_;
      spaces();
      if (at('/')) {
        ++pos_;
        expect('>');
        return e;
      }
      if (at('>')) {
        ++pos_;
        break;
      }
      if (pos_ == before) fail("expected white space before an attribute");
      std::string key = name();
      spaces();
      expect('=');
      spaces();
      std::string value = attribute_value();
      if (!e->attributes.emplace(key, value).second) fail("attribute '" + key + "' given twice");
    }
    for (;;) {
      if (pos_ >= s_.size()) fail("element <" + e->name + "> not closed");
      if (starts("</")) {
        pos_ += 2;
        const std::string end = name();
        if (end != e->name) fail("</" + end + "> closes <" + e->name + ">");
        spaces();
        expect('>');
        return e;
      }
      if (starts("<!--")) {
        comment();
      } else if (starts("<![CDATA[")) {
        const auto end = s_.find("]]>", pos_);
        if (end == std::string_view::npos) fail("unterminated CDATA");
        e->text += s_.substr(pos_ + 9, end - pos_ - 9);
        pos_ = end + 3;
      } else if (at('<')) {
        e->children.push_back(element());
      } else if (at('&')) {
        ++pos_;
        e->text += reference();
      } else {
        if (starts("]]>")) fail("']]>' in character data");
        check_char(s_[pos_]);
        e->text += s_[pos_++];
      }
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

std::unique_ptr<XmlElement> parse_xml(std::string_view text) { return XmlReader(text).document(); }

}  // namespace

TEST_CASE("the XML reader of this test refuses what is not well-formed", "[cli][check][junit]") {
  CHECK_NOTHROW(parse_xml("<?xml version=\"1.0\"?>\n<a x=\"1 &amp; 2\"><b/>t&lt;&#65;&#x42;</a>\n"));
  CHECK(parse_xml("<a>t&lt;&#65;&#x42;</a>")->text == "t<AB");
  CHECK_THROWS(parse_xml("<a><b></a></b>"));
  CHECK_THROWS(parse_xml("<a>x & y</a>"));
  CHECK_THROWS(parse_xml("<a>x < y</a>"));
  CHECK_THROWS(parse_xml("<a x='1' x='2'/>"));
  CHECK_THROWS(parse_xml("<a x=1/>"));
  CHECK_THROWS(parse_xml("<a/><b/>"));
  CHECK_THROWS(parse_xml("<a>\x01</a>"));
  CHECK_THROWS(parse_xml("<a>"));
}

// README.md, docs/diagnostics.md (exit codes): CI runs `iamsim check scenarios/`; exit 0 means
// every expectation holds.
TEST_CASE("iamsim check: every whole-world scenario of tests/scenarios holds", "[cli][check][scenarios]") {
  const auto r = run_process(iamsim::test::iamsim_binary(), {"check", scenarios_dir().string()});
  INFO("iamsim ended with " << r.how_it_ended() << "\nstdout:\n" << r.out << "\nstderr:\n" << r.err);
  REQUIRE_FALSE(r.timed_out);
  REQUIRE(r.signal == 0);
  CHECK(r.exit_code == 0);
  // No diagnostics, not even warnings, but the one a world must provoke: P8's world needs an
  // Allow with NotPrincipal, which every load warns about (policy.notprincipal-allow).
  std::istringstream err(r.err);
  for (std::string line; std::getline(err, line);) {
    const bool expected = line.find("aws-managed/aws-managed.yaml:") != std::string::npos &&
                          line.find("warning[policy.notprincipal-allow]") != std::string::npos;
    CHECK((expected ? "" : line) == "");
  }
  CHECK(r.out.find(" 0 failed\n") != std::string::npos);
  CHECK(r.out.find("FAIL") == std::string::npos);

  // Every scenario file of the folder was found and checked: one "ok" line each.
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(scenarios_dir()))
    if (entry.is_regular_file() && entry.path().extension() == ".yaml" &&
        read_file(entry.path()).find("apiVersion: iamsim/v1") != std::string::npos)
      ++files;
  CHECK(files >= 6);
  CHECK(count_of(r.out, "ok   ") == files);
}

// `-j N` changes the parallelism, never the answer or the report.
TEST_CASE("iamsim check: the report does not depend on -j", "[cli][check][scenarios]") {
  const auto parallel =
      run_process(iamsim::test::iamsim_binary(), {"check", scenarios_dir().string(), "--format", "json"});
  const auto serial =
      run_process(iamsim::test::iamsim_binary(), {"check", scenarios_dir().string(), "--format", "json", "-j", "1"});
  REQUIRE(parallel.exit_code == 0);
  REQUIRE(serial.exit_code == 0);
  CHECK(parallel.out == serial.out);
}

TEST_CASE("iamsim check --junit: a well-formed report with a failure per broken expectation", "[cli][check][junit]") {
  TempDir tmp;
  const fs::path junit = tmp.path() / "results.xml";
  // tests/cli/check/failing-world: 6 expectations, 3 fail; passing-world: 2 files, 6 hold.
  const auto r = run_process(iamsim::test::iamsim_binary(),
                             {"check", failing_world().string(), passing_worlds().string(), "--junit", junit.string()});
  INFO("iamsim ended with " << r.how_it_ended() << "\nstdout:\n" << r.out << "\nstderr:\n" << r.err);
  REQUIRE(r.signal == 0);
  CHECK(r.exit_code == 1);  // an expectation failed
  REQUIRE(fs::exists(junit));
  const std::string xml = read_file(junit);
  INFO("JUnit report:\n" << xml);

  std::unique_ptr<XmlElement> root;
  REQUIRE_NOTHROW(root = parse_xml(xml));
  CHECK(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 0) == 0);
  CHECK(root->name == "testsuites");
  CHECK(root->attribute("tests") == "12");
  CHECK(root->attribute("failures") == "3");

  // One <testsuite> per scenario file, named after the scenario.
  const auto suites = root->all("testsuite");
  REQUIRE(suites.size() == 3);
  std::map<std::string, const XmlElement*> by_name;
  for (const auto* s : suites) by_name[s->attribute("name")] = s;
  REQUIRE(by_name.count("failing-world"));
  REQUIRE(by_name.count("passing-pod-identity"));
  REQUIRE(by_name.count("passing-user"));
  CHECK(by_name["failing-world"]->attribute("tests") == "6");
  CHECK(by_name["failing-world"]->attribute("failures") == "3");
  CHECK(by_name["passing-pod-identity"]->attribute("tests") == "4");
  CHECK(by_name["passing-pod-identity"]->attribute("failures") == "0");
  CHECK(by_name["passing-user"]->attribute("tests") == "2");

  // One <testcase> per expectation, and a <failure> only in those that fail.
  const auto cases = root->all("testcase");
  CHECK(cases.size() == 12);
  CHECK(root->all("failure").size() == 3);
  std::map<std::string, const XmlElement*> failing_cases;
  for (const auto* c : by_name["failing-world"]->all("testcase")) {
    CHECK(c->attribute("classname").find("failing-world/world.yaml") != std::string::npos);
    if (const auto* f = c->child("failure")) failing_cases[c->attribute("name")] = f;
  }
  for (const auto* c : by_name["passing-user"]->all("testcase")) CHECK(c->child("failure") == nullptr);

  // The expectation's name when it has one, else its one-line form.
  REQUIRE(failing_cases.size() == 3);
  REQUIRE(failing_cases.count("the batch job reads models"));
  REQUIRE(failing_cases.count("the loader cannot overwrite models"));
  REQUIRE(
      failing_cases.count("explicit_deny sa:ml-prod/kserve/loader s3:DeleteObject s3://models/flowers/saved_model.pb"));

  // The message says what was expected and what came; the body locates the expectation
  // (file:line:col) and names the hop that refused (K1, T1: the trust pins :sub).
  const auto* batch = failing_cases["the batch job reads models"];
  CHECK(batch->attribute("message") == "expected allow, got implicit_deny");
  CHECK(batch->text.find("world.yaml:47:5: allow sa:ml-prod/analytics/batch") != std::string::npos);
  CHECK(batch->text.find("via web identity (IRSA)") != std::string::npos);
  CHECK(batch->text.find("role's trust policy") != std::string::npos);  // &apos; resolved
  CHECK(failing_cases["the loader cannot overwrite models"]->attribute("message") == "expected deny, got allow");
  CHECK(failing_cases["explicit_deny sa:ml-prod/kserve/loader s3:DeleteObject s3://models/flowers/saved_model.pb"]
            ->attribute("message") == "expected explicit_deny, got implicit_deny");
}

// What CI test views read (Jenkins, GitLab, GitHub test reporters): time per case and suite,
// the run's timestamp, the skipped and errors counts, names unique within a suite (a view
// merges cases of one name), and each failure's type and message.
TEST_CASE("iamsim check --junit: times, timestamp, counts, unique names, failure type", "[cli][check][junit]") {
  TempDir tmp;
  write_file(tmp.path() / "world.yaml",
             "apiVersion: iamsim/v1\n"
             "name: junit-attributes\n"
             "accounts:\n"
             "  - id: \"111111111111\"\n"
             "    users: [{name: ana}]\n"
             "    buckets: [{name: data, region: us-east-1}]\n"
             "expectations:\n"
             "  - deny arn:aws:iam::111111111111:user/ana s3:GetObject s3://data/x\n"
             "  - deny arn:aws:iam::111111111111:user/ana s3:GetObject s3://data/x\n"
             "  - allow arn:aws:iam::111111111111:user/ana s3:GetObject s3://data/x\n");
  const fs::path junit = tmp.path() / "results.xml";
  const auto r = run_process(iamsim::test::iamsim_binary(),
                             {"check", (tmp.path() / "world.yaml").string(), "--junit", junit.string()});
  REQUIRE(r.exit_code == 1);
  const std::string xml = read_file(junit);
  INFO("JUnit report:\n" << xml);
  std::unique_ptr<XmlElement> root;
  REQUIRE_NOTHROW(root = parse_xml(xml));
  auto is_seconds = [](const std::string& t) {
    return !t.empty() && t.find_first_not_of("0123456789.") == std::string::npos && std::stod(t) >= 0;
  };
  for (const XmlElement* e : std::vector<const XmlElement*>{root.get(), root->all("testsuite").at(0)}) {
    CHECK(is_seconds(e->attribute("time")));
    CHECK(e->attribute("skipped") == "0");
    CHECK(e->attribute("errors") == "0");
    const std::string ts = e->attribute("timestamp");  // 2026-12-01T20:52:15
    CHECK(ts.size() == 19);
    CHECK(ts[4] == '-');
    CHECK(ts[10] == 'T');
  }
  const auto cases = root->all("testcase");
  REQUIRE(cases.size() == 3);
  std::set<std::string> names;
  for (const auto* c : cases) {
    CHECK(is_seconds(c->attribute("time")));
    CHECK(c->attribute("file").find("world.yaml") != std::string::npos);
    names.insert(c->attribute("name"));
  }
  CHECK(names.size() == 3);  // the repeated one-line expectation is told apart by its line
  CHECK(names.count("deny arn:aws:iam::111111111111:user/ana s3:GetObject s3://data/x (line 9)") == 1);
  const auto* failure = cases[2]->child("failure");
  REQUIRE(failure != nullptr);
  CHECK(failure->attribute("type") == "expectation.failed");
  CHECK(failure->attribute("message") == "expected allow, got implicit_deny");
  CHECK(failure->text.find("world.yaml:10:5") != std::string::npos);
}

TEST_CASE("iamsim check --junit: a passing run writes a report without failures", "[cli][check][junit]") {
  TempDir tmp;
  const fs::path junit = tmp.path() / "results.xml";
  const auto r =
      run_process(iamsim::test::iamsim_binary(), {"check", scenarios_dir().string(), "--junit", junit.string()});
  REQUIRE(r.exit_code == 0);
  std::unique_ptr<XmlElement> root;
  REQUIRE_NOTHROW(root = parse_xml(read_file(junit)));
  CHECK(root->attribute("failures") == "0");
  CHECK(root->all("failure").empty());
  CHECK(root->all("testcase").size() == std::stoul(root->attribute("tests")));
  CHECK(root->all("testcase").size() > 100);
}

// Names come from the user's YAML: every character that XML gives a meaning must be escaped,
// and a control character (not allowed in XML 1.0) must not reach the file.
TEST_CASE("iamsim check --junit: names with XML special characters stay well-formed", "[cli][check][junit]") {
  TempDir tmp;
  write_file(tmp.path() / "world.yaml",
             "apiVersion: iamsim/v1\n"
             "name: \"Tom & Jerry's <world> \\\"quoted\\\"\"\n"
             "accounts:\n"
             "  - id: \"111111111111\"\n"
             "    users: [{name: ana}]\n"
             "    buckets: [{name: data, region: us-east-1}]\n"
             "expectations:\n"
             "  - name: \"a < b & c > d \\\"e\\\" 'f' \\x01 caf\\u00e9 ]]>\"\n"
             "    principal: arn:aws:iam::111111111111:user/ana\n"
             "    action: s3:GetObject\n"
             "    resource: s3://data/x\n"
             "    expect: allow\n");
  const fs::path junit = tmp.path() / "results.xml";
  const auto r = run_process(iamsim::test::iamsim_binary(),
                             {"check", (tmp.path() / "world.yaml").string(), "--junit", junit.string()});
  INFO("stdout:\n" << r.out << "\nstderr:\n" << r.err);
  REQUIRE(r.exit_code == 1);  // ana has no policy: implicit deny
  const std::string xml = read_file(junit);
  INFO("JUnit report:\n" << xml);
  std::unique_ptr<XmlElement> root;
  REQUIRE_NOTHROW(root = parse_xml(xml));
  const auto suites = root->all("testsuite");
  REQUIRE(suites.size() == 1);
  CHECK(suites[0]->attribute("name") == "Tom & Jerry's <world> \"quoted\"");
  const auto cases = root->all("testcase");
  REQUIRE(cases.size() == 1);
  const std::string name = cases[0]->attribute("name");
  CHECK(name.rfind("a < b & c > d \"e\" 'f' ", 0) == 0);
  CHECK(name.find("caf\xc3\xa9 ]]>") != std::string::npos);
  REQUIRE(cases[0]->child("failure") != nullptr);
}

TEST_CASE("iamsim check --junit: a report that cannot be written is bad input", "[cli][check][junit]") {
  TempDir tmp;
  const fs::path junit = tmp.path() / "no-such-folder" / "results.xml";
  const auto r =
      run_process(iamsim::test::iamsim_binary(), {"check", passing_worlds().string(), "--junit", junit.string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("results.xml") != std::string::npos);
}

// Regression: a byte that is not UTF-8 (a Latin-1 name) was once copied raw into the
// report, which declares UTF-8.
TEST_CASE("iamsim check --junit: a name that is not UTF-8 leaves the report well-formed", "[cli][check][junit]") {
  TempDir tmp;
  write_file(tmp.path() / "world.yaml",
             "apiVersion: iamsim/v1\n"
             "name: latin1\n"
             "accounts:\n"
             "  - id: \"111111111111\"\n"
             "    users: [{name: ana}]\n"
             "    buckets: [{name: data, region: us-east-1}]\n"
             "expectations:\n"
             "  - name: \"caf\xe9 in Latin-1\"\n"
             "    principal: arn:aws:iam::111111111111:user/ana\n"
             "    action: s3:GetObject\n"
             "    resource: s3://data/x\n"
             "    expect: deny\n");
  const fs::path junit = tmp.path() / "results.xml";
  const auto r = run_process(iamsim::test::iamsim_binary(),
                             {"check", (tmp.path() / "world.yaml").string(), "--junit", junit.string()});
  INFO("stdout:\n" << r.out << "\nstderr:\n" << r.err);
  REQUIRE(r.signal == 0);
  if (r.exit_code == 2) {
    CHECK(r.err.find("world.yaml:8") != std::string::npos);
    return;
  }
  CHECK(r.exit_code == 0);
  const std::string xml = read_file(junit);
  INFO("JUnit report:\n" << xml);
  // Well-formed also means: every byte sequence is UTF-8, as the declaration says.
  bool utf8 = true;
  for (std::size_t i = 0; i < xml.size();) {
    const auto c = static_cast<unsigned char>(xml[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > xml.size()) {
      utf8 = false;
      break;
    }
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(xml[i + k]) >> 6) != 0x2) utf8 = false;
    i += n;
  }
  CHECK(utf8);
  CHECK_NOTHROW(parse_xml(xml));
}
