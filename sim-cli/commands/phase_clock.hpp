// Stage: report. Seconds spent in each phase of a command, printed on request (--timings)
// to standard error, so that large runs can be measured phase by phase.
#pragma once

#include <chrono>
#include <iostream>
#include <string>

namespace iamsim::cli {

class PhaseClock {
 public:
  PhaseClock(std::string command, bool enabled) : command_(std::move(command)), enabled_(enabled) {}
  // Prints the time since the previous lap (or since the clock started).
  void lap(const char* phase) {
    const auto now = std::chrono::steady_clock::now();
    if (enabled_)
      std::cerr << "iamsim " << command_ << ": " << phase << " " << std::chrono::duration<double>(now - last_).count()
                << " s\n";
    last_ = now;
  }

 private:
  std::string command_;
  bool enabled_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

}  // namespace iamsim::cli
