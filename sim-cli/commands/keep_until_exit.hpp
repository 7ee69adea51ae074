// Stage: report. Objects that live until the process ends and are never destroyed.
#pragma once

#include <utility>

namespace iamsim::cli {

// A large world is freed object by object, which takes a good part of a second; the
// operating system takes the memory back at once when the process ends. Commands build
// their world-sized objects here, constructed from `args`, and never free them.
template <typename T, typename... Args>
T& keep_until_exit(Args&&... args) {
  return *new T(std::forward<Args>(args)...);
}

}  // namespace iamsim::cli
