// Tests: golden outputs of the iamsim command line (tests/cli/README.md). Every folder
// tests/cli/<command>/<name>/ that holds an `args` file is one Catch2 test case, named
// "cli golden: <command>/<name>": it runs the real executable (IAMSIM_BINARY) with those
// arguments and compares standard output, standard error and the exit code exactly with the
// files `stdout`, `stderr` and `exit_code` beside them.
//
// IAMSIM_UPDATE_GOLDEN=1 rewrites the expected files from what the program does now, except
// for the folders of known bugs below, whose expected files hold the correct behaviour and are
// written by hand.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "process.hpp"

namespace fs = std::filesystem;
using iamsim::test::read_file;
using iamsim::test::run_process;
using iamsim::test::write_file;

namespace {

// Folders whose golden files hold the correct behaviour, which the program does not have yet.
// Their tests are tagged [!shouldfail]: they pass while the bug is there, and fail once it is
// fixed, as a reminder to drop the entry here. Key: "<command>/<folder>".
const std::map<std::string, std::string>& known_bugs() {
  // Where the exact wording of the correct message is not fixed by a contract, the expected
  // file holds a proposal; what matters is what it names (line, column, pointer, problem).
  static const std::map<std::string, std::string> bugs = {};
  return bugs;
}

fs::path source_dir() { return fs::path(IAMSIM_SOURCE_DIR).lexically_normal(); }
fs::path golden_root() { return source_dir() / "tests" / "cli"; }

bool update_mode() {
  const char* v = std::getenv("IAMSIM_UPDATE_GOLDEN");
  return v && std::string(v) == "1";
}

// Every golden folder, "<command>/<name>", sorted.
std::vector<std::string> golden_folders() {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::is_directory(golden_root(), ec)) return out;
  for (const auto& command : fs::directory_iterator(golden_root()))
    if (command.is_directory())
      for (const auto& c : fs::directory_iterator(command.path()))
        if (c.is_directory()) out.push_back(command.path().filename().string() + "/" + c.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (std::size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
    text.replace(pos, from.size(), to);
}

// Machine-independent output: the case folder becomes {dir}, the source tree {src}.
std::string normalized(std::string text, const fs::path& dir) {
  replace_all(text, dir.string(), "{dir}");
  replace_all(text, source_dir().string(), "{src}");
  return text;
}

// One argument per line; a final newline does not start another argument.
std::vector<std::string> read_args(const fs::path& dir) {
  const std::string text = read_file(dir / "args");
  std::vector<std::string> args;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string arg = text.substr(pos, nl - pos);
    replace_all(arg, "{dir}", dir.string());
    args.push_back(std::move(arg));
    pos = nl + 1;
  }
  return args;
}

// Where two texts first differ, by line, quoted, for the failure message.
std::string first_difference(const std::string& expected, const std::string& actual) {
  std::size_t line = 1, start = 0;
  const std::size_t n = std::min(expected.size(), actual.size());
  std::size_t i = 0;
  for (; i < n && expected[i] == actual[i]; ++i)
    if (expected[i] == '\n') ++line, start = i + 1;
  auto line_at = [&](const std::string& s) {
    if (start >= s.size()) return std::string("<end of output>");
    const std::size_t end = s.find('\n', start);
    std::string l = s.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (l.size() > 400) l = l.substr(0, 400) + "...";
    return "\"" + l + "\"";
  };
  return "first difference on line " + std::to_string(line) + ":\n  expected " + line_at(expected) + "\n  actual   " +
         line_at(actual);
}

void check_same(const std::string& what, const std::string& expected, const std::string& actual) {
  if (expected == actual) return;
  constexpr std::size_t shown = 4000;
  const auto clip = [](const std::string& s) { return s.size() > shown ? s.substr(0, shown) + "\n..." : s; };
  FAIL_CHECK(what << " differs from the golden file; " << first_difference(expected, actual) << "\nexpected " << what
                  << ":\n"
                  << clip(expected) << "\nactual " << what << ":\n"
                  << clip(actual));
}

void run_golden_case(const std::string& name) {
  const fs::path dir = golden_root() / name;
  const auto args = read_args(dir);
  const fs::path stdin_file = fs::exists(dir / "stdin") ? dir / "stdin" : fs::path();
  const auto r = run_process(iamsim::test::iamsim_binary(), args, stdin_file);
  INFO("iamsim ended with " << r.how_it_ended() << " in " << r.elapsed.count() << " ms");
  REQUIRE_FALSE(r.timed_out);
  REQUIRE(r.signal == 0);

  const std::string out = normalized(r.out, dir);
  const std::string err = normalized(r.err, dir);
  const std::string code = std::to_string(r.exit_code) + "\n";
  const bool known_bug = known_bugs().count(name) > 0;
  const bool have_expected = fs::exists(dir / "stdout") && fs::exists(dir / "stderr") && fs::exists(dir / "exit_code");
  if (update_mode() && (!known_bug || !have_expected)) {
    write_file(dir / "stdout", out);
    write_file(dir / "stderr", err);
    write_file(dir / "exit_code", code);
    if (known_bug) WARN(name << " is a known bug: its new golden files show the wrong behaviour, edit them by hand");
    return;
  }
  INFO("golden folder " << dir.string() << " (IAMSIM_UPDATE_GOLDEN=1 rewrites the expected files)");
  REQUIRE(have_expected);
  check_same("exit code", read_file(dir / "exit_code"), code);
  check_same("stdout", read_file(dir / "stdout"), out);
  check_same("stderr", read_file(dir / "stderr"), err);
}

// Registers one test case per golden folder, before Catch2 starts.
struct GoldenInvoker : Catch::ITestInvoker {
  explicit GoldenInvoker(std::string n) : name(std::move(n)) {}
  void invoke() const override { run_golden_case(name); }
  std::string name;
};

struct GoldenRegistrar {
  GoldenRegistrar() {
    static std::deque<std::string> strings;  // NameAndTags holds references
    std::vector<std::string> folders;
    try {
      folders = golden_folders();
    } catch (const std::exception&) {
      // Reported by the completeness test below.
    }
    for (const auto& f : folders) {
      const std::string& test_name = strings.emplace_back("cli golden: " + f);
      const std::string& tags =
          strings.emplace_back(known_bugs().count(f) ? "[cli][golden][!shouldfail]" : "[cli][golden]");
      Catch::AutoReg(new GoldenInvoker(f), CATCH_INTERNAL_LINEINFO, Catch::StringRef(),
                     Catch::NameAndTags{Catch::StringRef(test_name), Catch::StringRef(tags)});
    }
  }
};
const GoldenRegistrar golden_registrar;

}  // namespace

TEST_CASE("cli golden folders are complete", "[cli][golden]") {
  const auto folders = golden_folders();
  REQUIRE(folders.size() > 0);
  for (const auto& f : folders) {
    INFO("golden folder tests/cli/" << f);
    CHECK(fs::exists(golden_root() / f / "args"));
  }
  for (const auto& [name, why] : known_bugs()) {
    INFO("known bug entry " << name << " names no golden folder");
    CHECK(std::find(folders.begin(), folders.end(), name) != folders.end());
  }
}
