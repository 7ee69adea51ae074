// Stage: shared by every stage. Programmer errors, kept apart from bad input
// (docs/diagnostics.md, exit codes): IAMSIM_ASSERT checks an invariant in every build, release included, and
// unreachable() marks the end of an exhaustive switch. Both throw InternalError, which the
// command line reports as "internal error: ... this is a bug" with exit code 3; bad input
// is reported as diagnostics, exit code 2, and never goes through here.
#pragma once

#include <source_location>
#include <stdexcept>
#include <string>
#include <string_view>

namespace iamsim {

class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// "file:line: what" (the file relative to the source tree when it can be).
[[noreturn]] void fail_internal(std::string_view what, std::source_location where = std::source_location::current());

[[noreturn]] inline void unreachable(std::source_location where = std::source_location::current()) {
  fail_internal("reached code that an exhaustive switch should never reach", where);
}

}  // namespace iamsim

// The condition is evaluated once; the message is a string literal or a std::string.
#define IAMSIM_ASSERT(condition, message)                                                     \
  do {                                                                                        \
    if (!(condition)) [[unlikely]]                                                            \
      ::iamsim::fail_internal(std::string("assertion failed: " #condition ": ") + (message)); \
  } while (false)
