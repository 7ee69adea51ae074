// Stage: report. The internal error exit (internal_error.hpp).
#include "sim-cli/commands/internal_error.hpp"

#include <cstdio>
#include <cstdlib>
#include <new>
#include <ostream>
#include <stdexcept>
#include <thread>

#include <tbb/parallel_for.h>

#include "engine/assert.hpp"

namespace iamsim::cli {

std::string internal_error_message(std::exception_ptr error) {
  std::string what = "an unknown exception";
  try {
    if (error) std::rethrow_exception(error);
    what = "the program was terminated without an exception";
  } catch (const std::bad_alloc&) {
    what = "out of memory";
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
  }
  return "iamsim: internal error: " + what +
         " (this is a bug in iamsim, not in the input: please report it with the command and its input; exit "
         "code 3, docs/diagnostics.md)\n";
}

int report_internal_error(std::exception_ptr error, std::ostream& out) {
  out << internal_error_message(error) << std::flush;
  return exit_internal_error;
}

namespace {
[[noreturn]] void on_terminate() {
  const std::string message = internal_error_message(std::current_exception());
  std::fputs(message.c_str(), stderr);
  std::fflush(stderr);
  std::_Exit(exit_internal_error);  // no destructors: the state is broken
}
}  // namespace

void install_internal_error_handler() { std::set_terminate(on_terminate); }

bool fail_on_purpose(const std::string& kind) {
  if (kind == "assert") IAMSIM_ASSERT(kind.empty(), "--internal-error-test assert");
  if (kind == "unreachable") unreachable();
  if (kind == "exception") throw std::out_of_range("--internal-error-test exception");
  if (kind == "worker")
    tbb::parallel_for(0, 64, [](int i) {
      if (i == 37) IAMSIM_ASSERT(i != 37, "--internal-error-test worker");
    });
  if (kind == "terminate") std::thread([] { throw std::runtime_error("--internal-error-test terminate"); }).join();
  return false;
}

}  // namespace iamsim::cli
