// Stage: report. What every command shares: reading input files, the -j and --semantics
// options, and exit codes (docs/diagnostics.md).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "engine/diagnostic.hpp"
#include "engine/semantics.hpp"
#include "sim-cli/commands/input_limits.hpp"

namespace iamsim::cli {

enum ExitCode : int { exit_ok = 0, exit_failed = 1, exit_bad_input = 2 };

// The whole of a file ("-" for standard input), with `padding` spare bytes after it for
// simdjson. Not zero-filled first: inputs can be hundreds of megabytes.
// A regular file is mapped rather than copied when the page after its end has room for
// the padding (reading past the mapping's last page would fault).
class InputBuffer {
 public:
  InputBuffer() = default;
  InputBuffer(InputBuffer&& other) noexcept { *this = std::move(other); }
  InputBuffer& operator=(InputBuffer&& other) noexcept;
  ~InputBuffer();
  std::string_view text() const { return {data_, size_}; }

 private:
  friend std::optional<InputBuffer> read_input(const std::string& path, std::size_t padding, std::string& error);
  char* data_ = nullptr;
  std::size_t size_ = 0;
  std::unique_ptr<char[]> owned_;
  std::size_t mapped_bytes_ = 0;  // non-zero: data_ is an mmap of this many bytes
};

// nullopt with a message when the file cannot be read. Only regular files, pipes and
// standard input are read: a device (`/dev/zero`), a socket, a /proc or /sys file is refused
// without a read.
std::optional<InputBuffer> read_input(const std::string& path, std::size_t padding, std::string& error);

struct CommonOptions {
  int jobs = 0;                        // 0: all cores
  std::vector<std::string> semantics;  // KEY=VALUE
};

void add_common_options(CLI::App& cmd, CommonOptions& options);

// --allow-outside-files, for commands that read scenarios: let `file:` and `manifests:`
// lead outside the tree that holds the scenario (docs/scenario-format.md).
void add_outside_files_option(CLI::App& cmd);

// Flushes standard output and says whether everything written to it arrived; if not,
// prints why (main then exits 2).
bool finish_standard_output();

// Writes a report (-o, --junit) whole or not at all: into a temporary file in the same
// folder, renamed over `path` once written and closed, so a run that fails or is killed
// never leaves half a report where a good one was. A path that is no regular file (a
// device, a pipe) is written in place. False, with `error` saying why, when it fails.
bool write_report_file(const std::string& path, std::string_view text, std::string& error);

// Removes a report a run could not write (bad input), so that CI never reads the previous
// run's; only a regular file is removed.
void remove_stale_report(const std::string& path);

// Applies --semantics; prints the error and returns false on a bad one.
bool build_semantics(const CommonOptions& options, Semantics& out);

// Caps oneTBB's threads at -j for the rest of the process.
class ParallelismLimit {
 public:
  explicit ParallelismLimit(int jobs);
  ~ParallelismLimit();

 private:
  struct Impl;
  Impl* impl_;
};

// Diagnostics to standard error, control characters escaped (terminal_text.hpp).
void print_diagnostics(const Diagnostics& diagnostics);
void print_diagnostic(const Diagnostic& diagnostic);

// A command's output to standard output, control characters escaped (terminal_text.hpp).
void write_output(std::string_view text);

}  // namespace iamsim::cli
