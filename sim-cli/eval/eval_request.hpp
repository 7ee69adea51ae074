// Stage: syntax (the eval contract, docs/eval-contract.md). One request document -> a
// Request and a PolicySet ready for authorize, with every problem located by input line
// and JSON pointer.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/compile/policy_cache.hpp"
#include "engine/eval/authorize.hpp"

namespace iamsim::cli {

struct EvalJob {
  std::string id;
  bool has_id = false;
  eval::Request request;
  eval::PolicySet policies;
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

// text must be followed by at least SIMDJSON_PADDING readable bytes (capacity counts
// them). where names the input; errors go to diagnostics and return false. The request is
// read into job, a fresh EvalJob, whose policies cite `source` (a PolicySource named by
// place, owned by the caller for as long as the job's decisions are used). Each thread keeps
// its own parser; simdjson types stay inside this file, whose SIMD flags differ.
// first_column is where the text starts on its first line (after leading blanks), for
// the columns of syntax errors.
bool read_eval_request(std::string_view text, std::size_t capacity, const SourceLocation& where,
                       compile::PolicyCache& cache, const eval::PolicySource& source, Diagnostics& diagnostics,
                       EvalJob& job, int first_column = 1);

// The same, returning the job (nullopt on errors).
std::optional<EvalJob> read_eval_request(std::string_view text, std::size_t capacity, const SourceLocation& where,
                                         compile::PolicyCache& cache, const eval::PolicySource& source,
                                         Diagnostics& diagnostics);

}  // namespace iamsim::cli
