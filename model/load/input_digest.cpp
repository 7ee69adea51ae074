// Stage: model (load). The digest of the files a run read.
#include "model/load/input_digest.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <utility>
#include <vector>

namespace iamsim::model {
namespace {

constexpr std::uint64_t fnv_prime = 0x100000001b3ull;

struct NotedInputs {
  std::atomic<bool> on{false};
  std::mutex mutex;
  std::vector<std::pair<std::string, std::uint64_t>> files;  // path, hash of the bytes
};

NotedInputs& noted() {
  static NotedInputs inputs;
  return inputs;
}

}  // namespace

std::uint64_t stable_hash(std::string_view bytes, std::uint64_t hash) {
  std::size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    std::uint64_t word = 0;
    for (int b = 7; b >= 0; --b)
      word = (word << 8) | static_cast<unsigned char>(bytes[i + static_cast<std::size_t>(b)]);
    hash = (hash ^ word) * fnv_prime;
  }
  for (; i < bytes.size(); ++i) hash = (hash ^ static_cast<unsigned char>(bytes[i])) * fnv_prime;
  // The length last: "ab" then "c" and "a" then "bc" hash apart when callers chain pieces.
  return (hash ^ static_cast<std::uint64_t>(bytes.size())) * fnv_prime;
}

void start_noting_inputs() { noted().on.store(true, std::memory_order_release); }

std::string inputs_digest() {
  auto& inputs = noted();
  std::vector<std::pair<std::string, std::uint64_t>> files;
  {
    std::lock_guard lock(inputs.mutex);
    files = inputs.files;
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  std::uint64_t hash = stable_hash("iamsim-inputs/1");
  for (const auto& [path, bytes_hash] : files) {
    hash = stable_hash(path, hash);
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(bytes_hash));
    hash = stable_hash(hex, hash);
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(hash));
  return out;
}

namespace load {

void note_input(const std::filesystem::path& path, std::string_view bytes) {
  auto& inputs = noted();
  if (!inputs.on.load(std::memory_order_acquire)) return;
  const std::uint64_t hash = stable_hash(bytes);  // outside the lock: loading is parallel
  std::lock_guard lock(inputs.mutex);
  inputs.files.emplace_back(path.string(), hash);
}

}  // namespace load
}  // namespace iamsim::model
