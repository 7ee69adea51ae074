// Tests: an internal error (a failed IAMSIM_ASSERT, unreachable(), any other exception,
// in the main thread, a worker thread or through std::terminate) ends iamsim with exit
// code 3 and "internal error: ... this is a bug"; bad input stays exit code 2
// (docs/diagnostics.md#internal-error). The real binary fails on purpose through the hidden
// option --internal-error-test.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <string>

#include "engine/assert.hpp"
#include "process.hpp"
#include "sim-cli/commands/internal_error.hpp"

using iamsim::test::iamsim_binary;
using iamsim::test::run_process;

namespace {
std::string kserve_world() {
  return (std::filesystem::path(IAMSIM_SOURCE_DIR) / "scenarios" / "kserve-cross-account" / "1-direct-grant.yaml")
      .string();
}
}  // namespace

TEST_CASE("internal error: the handler names the error, says it is a bug and returns 3", "[cli][internal-error]") {
  std::ostringstream out;
  int code = 0;
  try {
    IAMSIM_ASSERT(1 + 1 == 3, "arithmetic holds");
  } catch (...) {
    code = iamsim::cli::report_internal_error(std::current_exception(), out);
  }
  CHECK(code == 3);
  CHECK(out.str().starts_with("iamsim: internal error: "));
  CHECK(out.str().find("assertion failed: 1 + 1 == 3: arithmetic holds") != std::string::npos);
  CHECK(out.str().find("internal_error_test.cpp:") != std::string::npos);  // where it was checked
  CHECK(out.str().find("this is a bug") != std::string::npos);
  CHECK(out.str().ends_with("\n"));
  CHECK(iamsim::cli::internal_error_message(nullptr).find("this is a bug") != std::string::npos);
  CHECK(iamsim::cli::internal_error_message(std::make_exception_ptr(42)).find("unknown exception") !=
        std::string::npos);
}

TEST_CASE("internal error: every way the program can fail exits 3 with the message", "[cli][internal-error]") {
  for (const std::string kind : {"assert", "unreachable", "exception", "worker", "terminate"}) {
    for (const std::string command : {"check", "eval"}) {
      INFO(kind << " in " << command);
      const auto result = run_process(
          iamsim_binary(), {"--internal-error-test", kind, command, command == "check" ? kserve_world() : "-"});
      CHECK(result.how_it_ended() == "exit code 3");
      CHECK(result.err.find("iamsim: internal error: ") != std::string::npos);
      CHECK(result.err.find("this is a bug") != std::string::npos);
      // What failed, and where: unreachable() says only where.
      CHECK(result.err.find(kind == "unreachable" ? "sim-cli/commands/internal_error.cpp:"
                                                  : "--internal-error-test " + kind) != std::string::npos);
    }
  }
}

TEST_CASE("internal error: bad input stays exit code 2", "[cli][internal-error]") {
  const auto unknown_kind = run_process(iamsim_binary(), {"--internal-error-test", "nonsense", "check", "x"});
  CHECK(unknown_kind.how_it_ended() == "exit code 2");
  const auto missing = run_process(iamsim_binary(), {"check", "/nonexistent/world.yaml"});
  CHECK(missing.how_it_ended() == "exit code 2");
  CHECK(missing.err.find("internal error") == std::string::npos);
}

TEST_CASE("internal error: --help documents exit code 3", "[cli][internal-error]") {
  const auto help = run_process(iamsim_binary(), {"--help"});
  CHECK(help.how_it_ended() == "exit code 0");
  CHECK(help.out.find("3 internal error") != std::string::npos);
}
