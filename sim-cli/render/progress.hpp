// Stage: report. A progress bar on standard error for long runs: shown only when standard
// error is a terminal and the run has lasted about a second, with a rate and an estimate
// of the time left. Piped output never sees it.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace iamsim::cli {

class Progress {
 public:
  Progress(std::string what, std::size_t total);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void add(std::size_t n = 1) { done_.fetch_add(n, std::memory_order_relaxed); }
  std::atomic<std::size_t>& counter() { return done_; }

 private:
  void run();

  std::string what_;
  std::size_t total_;
  std::atomic<std::size_t> done_{0};
  std::mutex mutex_;
  std::condition_variable stop_signal_;
  bool stop_ = false;
  bool drawn_ = false;
  std::thread thread_;
};

}  // namespace iamsim::cli
