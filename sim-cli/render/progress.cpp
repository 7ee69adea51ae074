// Stage: report. The progress bar's drawing thread.
#include "sim-cli/render/progress.hpp"

#include <chrono>
#include <cstdio>

#include <unistd.h>

namespace iamsim::cli {

Progress::Progress(std::string what, std::size_t total) : what_(std::move(what)), total_(total) {
  if (total_ > 0 && isatty(STDERR_FILENO)) thread_ = std::thread([this] { run(); });
}

Progress::~Progress() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  stop_signal_.notify_all();
  thread_.join();
}

void Progress::run() {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  std::unique_lock lock(mutex_);
  // Quiet for the first second: short runs print nothing.
  if (stop_signal_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_; })) return;
  for (;;) {
    const std::size_t done = done_.load(std::memory_order_relaxed);
    const double seconds = std::chrono::duration<double>(clock::now() - start).count();
    const double rate = seconds > 0 ? done / seconds : 0;
    const double left = rate > 0 ? (total_ - std::min(done, total_)) / rate : 0;
    constexpr int width = 30;
    const int filled = static_cast<int>(width * std::min(done, total_) / total_);
    std::fprintf(stderr, "\r%s [%.*s%*s] %zu/%zu  %.0f/s  about %.0f s left ", what_.c_str(), filled,
                 "##############################", width - filled, "", done, total_, rate, left);
    std::fflush(stderr);
    drawn_ = true;
    if (stop_signal_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stop_; })) break;
  }
  if (drawn_) {
    std::fprintf(stderr, "\r%*s\r", 100 + static_cast<int>(what_.size()), "");
    std::fflush(stderr);
  }
}

}  // namespace iamsim::cli
