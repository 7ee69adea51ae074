// Stage: report. Shared command plumbing.
#include "sim-cli/commands/common.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include <fcntl.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <tbb/global_control.h>

#include "model/load/file_confinement.hpp"
#include "sim-cli/render/terminal_text.hpp"

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
  FILE* file = stdin;
  if (path != "-") {
    // Opened once: a second open of a FIFO would wait for a writer that has already gone.
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      error = path + ": cannot open the file (" + std::strerror(errno) + ")";
      return std::nullopt;
    }
    struct stat st {};
    struct statfs fs {};
    const char* refused = nullptr;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
      refused = "is a folder, not a file of requests";
    else if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
      refused = "is not a regular file or a pipe (a device or socket): nothing is read from it";
    else if (fstatfs(fd, &fs) == 0 && (fs.f_type == PROC_SUPER_MAGIC || fs.f_type == SYSFS_MAGIC))
      refused = "is a /proc or /sys file, not a file of requests";
    if (refused) {
      close(fd);
      error = path + ": " + refused;
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
    file = fdopen(fd, "rb");
    if (!file) {
      error = path + ": cannot open the file (" + std::strerror(errno) + ")";
      close(fd);
      return std::nullopt;
    }
  }
  // Read a MiB at a time, so that the limits are checked before the buffer grows past them.
  const std::string name = path == "-" ? "<stdin>" : path;
  struct stat in {};
  const bool stream = !(fstat(fileno(file), &in) == 0 && S_ISREG(in.st_mode));
  std::size_t capacity = 1 << 16;
  buffer.owned_.reset(new char[capacity + padding]);
  std::size_t line_start = 0;  // where the line being read starts
  for (;;) {
    const bool long_line = buffer.size_ - line_start > max_request_bytes;
    if (long_line || (stream && buffer.size_ >= max_stream_bytes)) {
      if (file != stdin) std::fclose(file);
      error = name + (long_line ? ": a line of more than " + std::to_string(max_request_bytes >> 20) +
                                      " MiB: no request is that long (an endless input such as /dev/zero?)"
                                : ": " + std::to_string(max_stream_bytes >> 20) +
                                      " MiB or more from a pipe or standard input: give a regular file, or fewer "
                                      "requests at a time");
      return std::nullopt;
    }
    if (buffer.size_ == capacity) {
      std::unique_ptr<char[]> bigger(new char[capacity * 2 + padding]);
      std::memcpy(bigger.get(), buffer.owned_.get(), buffer.size_);
      buffer.owned_ = std::move(bigger);
      capacity *= 2;
    }
    const std::size_t chunk = std::min(capacity - buffer.size_, std::size_t{1} << 20);
    const std::size_t got = std::fread(buffer.owned_.get() + buffer.size_, 1, chunk, file);
    if (const void* nl = memrchr(buffer.owned_.get() + buffer.size_, '\n', got))
      line_start = static_cast<std::size_t>(static_cast<const char*>(nl) - buffer.owned_.get()) + 1;
    buffer.size_ += got;
    if (got == 0) break;
  }
  const bool failed = std::ferror(file);
  if (file != stdin) std::fclose(file);
  if (failed) {
    error = name + ": cannot read the file";
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

void add_outside_files_option(CLI::App& cmd) {
  cmd.add_flag_callback(
      "--allow-outside-files", [] { model::allow_outside_files(true); },
      "let file: and manifests: references lead outside the tree that holds the scenario");
}

bool finish_standard_output() {
  errno = 0;
  std::cout.flush();
  const bool stream_failed = !std::cout;
  const bool flush_failed = std::fflush(stdout) != 0 || std::ferror(stdout);
  if (!stream_failed && !flush_failed) return true;
  const int error = errno;
  std::cerr << "iamsim: cannot write standard output: " << (error ? std::strerror(error) : "write failed") << '\n';
  return false;
}

bool write_report_file(const std::string& path, std::string_view text, std::string& error) {
  auto write_all = [&](int fd) {
    for (std::size_t done = 0; done < text.size();) {
      const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  };
  auto fail = [&](std::string_view what) {
    error = path + ": " + std::string(what) + " (" + std::strerror(errno) + ")";
    return false;
  };
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) {
      error = path + ": is a folder";
      return false;
    }
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return fail("cannot open");
    const bool written = write_all(fd);
    if (::close(fd) != 0 || !written) return fail("cannot write");
    return true;
  }
  const std::filesystem::path target(path);
  const std::filesystem::path folder = target.has_parent_path() ? target.parent_path() : ".";
  std::string temp = (folder / ("." + target.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) return fail("cannot create a temporary file beside it");
  const mode_t mask = ::umask(0);
  ::umask(mask);
  bool ok = ::fchmod(fd, 0666 & ~mask) == 0 && write_all(fd);
  ok = ::close(fd) == 0 && ok;
  if (!ok) {
    const int saved = errno;
    ::unlink(temp.c_str());
    errno = saved;
    return fail("cannot write");
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    ::unlink(temp.c_str());
    errno = saved;
    return fail("cannot replace");
  }
  return true;
}

void remove_stale_report(const std::string& path) {
  struct stat st {};
  if (!path.empty() && ::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) ::unlink(path.c_str());
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

void print_diagnostic(const Diagnostic& diagnostic) {
  std::cerr << terminal_safe(format_diagnostic(diagnostic)) << '\n';
}

void print_diagnostics(const Diagnostics& diagnostics) {
  for (const auto& d : diagnostics.items()) print_diagnostic(d);
}

void write_output(std::string_view text) { std::cout << terminal_safe(text); }

}  // namespace iamsim::cli
