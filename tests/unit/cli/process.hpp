// Tests: runs the real iamsim executable (IAMSIM_BINARY) as a child process, with its
// standard input read from a file, and collects what it wrote and how it ended.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace iamsim::test {

struct ProcessResult {
  std::string out;         // everything written to standard output
  std::string err;         // everything written to standard error
  int exit_code = -1;      // the exit status when the process exited normally, else -1
  int signal = 0;          // the signal that ended it, 0 when it exited normally
  bool timed_out = false;  // killed because it ran longer than the time limit
  std::chrono::milliseconds elapsed{0};

  // "exit code 2", "killed by signal 11", "killed after the 10 s limit": for messages.
  std::string how_it_ended() const;
};

// Runs `program` with argv[0] = "iamsim" (so usage texts do not hold the build path) and
// `args`, standard input from `stdin_file` (or /dev/null when empty). Waits at most
// `limit`, then kills the child. Standard output and error go to files in a fresh temporary
// folder, so a child that writes a lot never blocks on a full pipe.
ProcessResult run_process(const std::filesystem::path& program, const std::vector<std::string>& args,
                          const std::filesystem::path& stdin_file = {},
                          std::chrono::milliseconds limit = std::chrono::seconds(10));

// The path of the iamsim executable under test.
std::filesystem::path iamsim_binary();

// A fresh folder under the system's temporary folder, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, std::string_view text);

}  // namespace iamsim::test
