// Stage: shared by every stage. Programmer errors, kept apart from bad input
// (docs/diagnostics.md, exit codes): IAMSIM_ASSERT checks an invariant in every build, release included, and
// unreachable() marks the end of an exhaustive switch. Both throw InternalError, which the
// command line reports as "internal error: ... this is a bug" with exit code 3; bad input
// is reported as diagnostics, exit code 2, and never goes through here.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace iamsim {

class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// Where in iamsim's code: std::source_location without <source_location>, which Clang 14
// cannot compile with libstdc++ 12 (it lacks __builtin_source_location); GCC and Clang both
// have __builtin_FILE and __builtin_LINE, evaluated at the caller as default arguments are.
struct CodeLocation {
  const char* file = "";
  unsigned line = 0;
  static constexpr CodeLocation current(const char* file = __builtin_FILE(), unsigned line = __builtin_LINE()) {
    return {file, line};
  }
  const char* file_name() const { return file; }
};

// "file:line: what" (the file relative to the source tree when it can be).
[[noreturn]] void fail_internal(std::string_view what, CodeLocation where = CodeLocation::current());

[[noreturn]] inline void unreachable(CodeLocation where = CodeLocation::current()) {
  fail_internal("reached code that an exhaustive switch should never reach", where);
}

}  // namespace iamsim

// The condition is evaluated once; the message is a string literal or a std::string.
#define IAMSIM_ASSERT(condition, message)                                                     \
  do {                                                                                        \
    if (!(condition)) [[unlikely]]                                                            \
      ::iamsim::fail_internal(std::string("assertion failed: " #condition ": ") + (message)); \
  } while (false)
