// Stage: report. Shared command plumbing.
#include "sim-cli/commands/common.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>

#include <tbb/global_control.h>

namespace iamsim::cli {

std::optional<std::string> read_input(const std::string& path, std::size_t padding, std::string& error) {
  std::string data;
  if (path == "-") {
    data.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      error = path + ": cannot open the file";
      return std::nullopt;
    }
    in.seekg(0, std::ios::end);
    const auto size = in.tellg();
    if (size < 0) {
      error = path + ": cannot read the file";
      return std::nullopt;
    }
    in.seekg(0);
    data.resize(static_cast<std::size_t>(size));
    in.read(data.data(), size);
    if (!in) {
      error = path + ": cannot read the file";
      return std::nullopt;
    }
  }
  const std::size_t size = data.size();
  data.append(padding, ' ');
  data.resize(size + padding);
  // Keep the padding allocated but outside the logical size.
  data.resize(size);
  return data;
}

void add_common_options(CLI::App& cmd, CommonOptions& options) {
  cmd.add_option("-j,--jobs", options.jobs, "worker threads (default: all cores)")->check(CLI::NonNegativeNumber);
  std::string help = "switch an uncertain rule (repeatable): ";
  for (const auto& o : semantics_options()) help += "\n  " + std::string(o.name) + " [" + std::string(o.rule) + "] " + std::string(o.meaning);
  cmd.add_option("--semantics", options.semantics, help)->type_name("KEY=VALUE");
}

bool build_semantics(const CommonOptions& options, Semantics& out) {
  for (const auto& kv : options.semantics) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos) {
      std::cerr << "iamsim: --semantics takes KEY=VALUE, not '" << kv << "'\n";
      return false;
    }
    if (auto err = set_semantics_option(out, kv.substr(0, eq), kv.substr(eq + 1)); !err.empty()) {
      std::cerr << "iamsim: --semantics: " << err << "\n";
      return false;
    }
  }
  return true;
}

struct ParallelismLimit::Impl {
  std::optional<tbb::global_control> control;
};

ParallelismLimit::ParallelismLimit(int jobs) : impl_(new Impl) {
  if (jobs > 0) impl_->control.emplace(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(jobs));
}

ParallelismLimit::~ParallelismLimit() { delete impl_; }

void print_diagnostics(const Diagnostics& diagnostics) {
  for (const auto& d : diagnostics.items()) std::cerr << format_diagnostic(d) << '\n';
}

}  // namespace iamsim::cli
