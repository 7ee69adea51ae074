// Stage: report. How the program ends on a programmer error (docs/diagnostics.md, exit
// codes): "iamsim: internal error: WHAT (this is a bug ...)" on standard error and exit code 3,
// whether the error is an IAMSIM_ASSERT, an unreachable(), any other exception that reaches
// main, or one that ends the process through std::terminate (a worker thread, a noexcept
// function). Bad input never comes here: it is reported as diagnostics with exit code 2.
#pragma once

#include <exception>
#include <iosfwd>
#include <string>

namespace iamsim::cli {

inline constexpr int exit_internal_error = 3;

// The line printed for `error` (null: an unknown reason), with its newline.
std::string internal_error_message(std::exception_ptr error);

// Prints internal_error_message(error) to `out` and returns exit_internal_error.
int report_internal_error(std::exception_ptr error, std::ostream& out);

// Makes std::terminate print the message for the exception in flight and exit with code 3.
void install_internal_error_handler();

// The hidden option --internal-error-test KIND of main.cpp: fails on purpose, the way KIND
// says (assert, unreachable, exception, worker, terminate), so tests can see the exit path.
// Returns false for an unknown KIND.
bool fail_on_purpose(const std::string& kind);

}  // namespace iamsim::cli
