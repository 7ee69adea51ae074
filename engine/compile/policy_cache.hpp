// Stage: compile. Compiles each distinct (kind, policy text) once and shares the result
// across threads: a batch of requests, or a world that attaches one policy to many roles,
// repeats the same texts. A hit costs a hash and one comparison of the text.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/compile/compiled_policy.hpp"
#include "engine/text.hpp"

namespace iamsim::compile {

struct CachedPolicy {
  std::shared_ptr<const CompiledPolicy> policy;
  std::vector<Diagnostic> warnings;  // pointers relative to the policy's root
};

class PolicyCache;
struct CacheEntry;

// The cache entries one reader used last, kept by that reader (one per thread, the caller's
// memory, not the cache's): a batch repeats the same policies, and comparing a few texts is
// cheaper than hashing one.
class RecentPolicies {
 public:
  // A text of these entries that input starts with (the cache's own copy, valid while the
  // cache lives), or "". A reader of a batch finds where a repeated policy document ends by
  // comparing its bytes with the known text, instead of walking its tokens; get() given this
  // very copy then skips comparing the text again.
  std::string_view prefix_of(std::string_view input) const;

 private:
  friend class PolicyCache;
  static constexpr std::size_t kind_count = 9, count = 8;
  const CacheEntry* entries_[kind_count][count] = {};
  std::size_t next_[kind_count] = {};
};

// Keys are views of the entry's own copy of the text, so a lookup copies nothing.
struct CacheEntry {
  std::string text;
  std::shared_ptr<const CachedPolicy> compiled;
};

class PolicyCache {
 public:
  explicit PolicyCache(const Semantics& semantics, std::size_t max_bytes = 256u << 20)
      : semantics_(semantics), max_bytes_(max_bytes) {}

  // Compiles text as a policy of this kind, or returns the earlier result. Errors are not
  // cached: they go to diagnostics with origin's location, and nullptr is returned. With
  // `recent`, the caller's entries are looked at first and the entry found is remembered there.
  std::shared_ptr<const CachedPolicy> get(std::string_view text, PolicyKind kind, const SourceLocation& origin,
                                          Diagnostics& diagnostics, RecentPolicies* recent = nullptr);

 private:
  static constexpr std::size_t shard_count = 16;
  static constexpr std::size_t kind_count = RecentPolicies::kind_count;
  struct TextHash {
    std::size_t operator()(std::string_view s) const { return fast_hash(s); }
  };
  struct Shard {
    std::shared_mutex mutex;
    std::unordered_map<std::string_view, std::unique_ptr<CacheEntry>, TextHash> entries[kind_count];
  };
  const Semantics& semantics_;
  std::size_t max_bytes_;
  std::atomic<std::size_t> bytes_{0};
  Shard shards_[shard_count];
};

}  // namespace iamsim::compile
