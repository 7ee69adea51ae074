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

// nullopt with a message when the file cannot be read.
std::optional<InputBuffer> read_input(const std::string& path, std::size_t padding, std::string& error);

struct CommonOptions {
  int jobs = 0;                        // 0: all cores
  std::vector<std::string> semantics;  // KEY=VALUE
};

void add_common_options(CLI::App& cmd, CommonOptions& options);

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

void print_diagnostics(const Diagnostics& diagnostics);

}  // namespace iamsim::cli
