// Stage: contract (docs/eval-contract.md). One request document of `iamsim eval` -> a
// Request and a PolicySet ready for authorize, with every problem located by input line
// and JSON pointer. One function reads it, by a fast path first when it can. The memory the
// reads keep from one request to the next (the JSON parser, the policy texts used last) is
// the caller's, one ReaderMemory per thread: the engine and its PolicyCache keep none.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/compile/policy_cache.hpp"
#include "engine/eval/authorize.hpp"

namespace iamsim::contract {

struct EvalJob {
  std::string id;
  bool has_id = false;
  eval::Request request;
  eval::PolicyLayers layers;  // the policies, owned
  eval::PolicySet policies;   // views layers
  // The compiled policies (kept alive here) with where each sits in the request; their
  // warnings are echoed in the result.
  struct OwnedPolicy {
    std::shared_ptr<const compile::CachedPolicy> cached;
    std::string pointer;
  };
  std::vector<OwnedPolicy> owned;
  struct Warning {
    std::string_view code;  // "eval.resource-account-assumed", "eval.empty-scp-level"
    std::string message;
  };
  std::vector<Warning> warnings;  // about the request itself
};

// What a reader keeps from one request to the next: simdjson's parser, the fast path's
// buffer, and the policy texts it used last. Not thread-safe: one per thread.
class ReaderMemory {
 public:
  ReaderMemory();
  ~ReaderMemory();
  ReaderMemory(const ReaderMemory&) = delete;
  ReaderMemory& operator=(const ReaderMemory&) = delete;

  // How many requests the fast path has read (for tests and benchmarks).
  std::size_t fast_reads() const;

  struct State;  // eval_request.cpp: simdjson's types stay in that file, whose SIMD flags differ
  State& state() { return *state_; }

 private:
  std::unique_ptr<State> state_;
};

// FastFirst: a batch repeats its policies, and they are most of its bytes. So simdjson
// first reads only what comes before "policies" (most requests end with it), and the
// policies are matched byte for byte with texts this memory used recently. When that fails
// for any reason, the ordinary read reads the whole text, and reports any problem.
// Ordinary: that read alone. Both give the same result (tests/fuzz/fuzz_eval_request.cpp).
enum class ReadPath { FastFirst, Ordinary };

// text must be followed by at least SIMDJSON_PADDING readable bytes (capacity counts
// them). where names the input; errors go to diagnostics and return false. The request is
// read into job, a fresh EvalJob, whose policies cite `source` (a PolicySource named by
// place, owned by the caller for as long as the job's decisions are used). first_column is
// where the text starts on its first line (after leading blanks), for the columns of
// syntax errors.
bool read_eval_request(std::string_view text, std::size_t capacity, const SourceLocation& where,
                       compile::PolicyCache& cache, const eval::PolicySource& source, ReaderMemory& memory,
                       Diagnostics& diagnostics, EvalJob& job, ReadPath path = ReadPath::FastFirst,
                       int first_column = 1);

// The same, returning the job (nullopt on errors).
std::optional<EvalJob> read_eval_request(std::string_view text, std::size_t capacity, const SourceLocation& where,
                                         compile::PolicyCache& cache, const eval::PolicySource& source,
                                         ReaderMemory& memory, Diagnostics& diagnostics,
                                         ReadPath path = ReadPath::FastFirst);

}  // namespace iamsim::contract
