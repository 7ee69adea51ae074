// Stage: report. What every command shares: reading input files, the -j and --semantics
// options, and exit codes (design.md section 3).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "engine/diagnostic.hpp"
#include "engine/semantics.hpp"

namespace iamsim::cli {

enum ExitCode : int { exit_ok = 0, exit_failed = 1, exit_bad_input = 2 };

// The whole file ("-" for standard input), followed by `padding` spare bytes that are not
// part of the returned size. nullopt with a message when it cannot be read.
std::optional<std::string> read_input(const std::string& path, std::size_t padding, std::string& error);

struct CommonOptions {
  int jobs = 0;  // 0: all cores
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
