// Stage: report. Shared command plumbing.
#include "sim-cli/commands/common.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <tbb/global_control.h>

namespace iamsim::cli {

InputBuffer& InputBuffer::operator=(InputBuffer&& other) noexcept {
  std::swap(data_, other.data_);
  std::swap(size_, other.size_);
  std::swap(owned_, other.owned_);
  std::swap(mapped_bytes_, other.mapped_bytes_);
  return *this;
}

InputBuffer::~InputBuffer() {
  if (mapped_bytes_) munmap(data_, mapped_bytes_);
}

std::optional<InputBuffer> read_input(const std::string& path, std::size_t padding, std::string& error) {
  InputBuffer buffer;
  if (path != "-") {
    const int fd = open(path.c_str(), O_RDONLY);
    if (fd < 0) {
      error = path + ": cannot open the file (" + std::strerror(errno) + ")";
      return std::nullopt;
    }
    struct stat st {};
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
      close(fd);
      error = path + ": is a folder, not a file of requests";
      return std::nullopt;
    }
    const long page = sysconf(_SC_PAGESIZE);
    const bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
    const auto size = static_cast<std::size_t>(st.st_size);
    if (regular && page > 0 && size % static_cast<std::size_t>(page) != 0 &&
        static_cast<std::size_t>(page) - size % static_cast<std::size_t>(page) >= padding) {
      // Not MAP_POPULATE: the pages are faulted in by the threads that read them, in
      // parallel, instead of all by this one before the work starts.
      void* map = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
      if (map != MAP_FAILED) {
        close(fd);
        buffer.data_ = static_cast<char*>(map);
        buffer.size_ = size;
        buffer.mapped_bytes_ = size;
        return buffer;
      }
    }
    close(fd);
  }
  FILE* file = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (!file) {
    error = path + ": cannot open the file";
    return std::nullopt;
  }
  std::size_t capacity = 1 << 16;
  buffer.owned_.reset(new char[capacity + padding]);
  for (;;) {
    if (buffer.size_ == capacity) {
      std::unique_ptr<char[]> bigger(new char[capacity * 2 + padding]);
      std::memcpy(bigger.get(), buffer.owned_.get(), buffer.size_);
      buffer.owned_ = std::move(bigger);
      capacity *= 2;
    }
    const std::size_t got = std::fread(buffer.owned_.get() + buffer.size_, 1, capacity - buffer.size_, file);
    buffer.size_ += got;
    if (got == 0) break;
  }
  const bool failed = std::ferror(file);
  if (file != stdin) std::fclose(file);
  if (failed) {
    error = path + ": cannot read the file";
    return std::nullopt;
  }
  std::memset(buffer.owned_.get() + buffer.size_, ' ', padding);
  buffer.data_ = buffer.owned_.get();
  return buffer;
}

void add_common_options(CLI::App& cmd, CommonOptions& options) {
  cmd.add_option("-j,--jobs", options.jobs, "worker threads (default: all cores)")
      ->check(CLI::Range(0, 4096).description("a number of threads from 0 (all cores) to 4096"));
  std::string help = "switch an uncertain rule (repeatable): ";
  for (const auto& o : semantics_options())
    help += "\n  " + std::string(o.name) + " [" + std::string(o.rule) + "] " + std::string(o.meaning);
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
