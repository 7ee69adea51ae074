// Stage: lint. A finding: what `iamsim lint` says about a policy or a world, with a stable
// rule id, a level, where it is (file, line and column, JSON pointer), a message, a fix, and,
// for findings a path proves, that path as AccessResolver found it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/diagnostic.hpp"
#include "model/paths/access.hpp"

namespace iamsim::lint {

enum class Level { Error, Warning, Note };
std::string_view to_string(Level level);  // "error", "warning", "note"

// One principal's path that proves a finding: who, in a few words, and the hops.
struct Evidence {
  std::string principal;  // "sa:ml-prod/analytics/batch-reporter"
  std::string summary;    // "annotated with arn:aws:iam::111111111111:role/kserve-model-loader (k8s/sa.yaml:7)"
  model::Access access;   // the path AccessResolver decided; no hops when the finding needs none
};

struct Finding {
  std::string rule;  // a rule id of rules.hpp
  Level level = Level::Warning;
  SourceLocation where;  // file (as given or as the scenario names it), line, column, JSON pointer
  std::string message;
  std::string fix;       // how to fix this one
  std::string resource;  // the ARN the finding is about, for --ignore ID@ARN; may be empty
  std::string subject;   // what else names it (a principal, an action), for stable fingerprints
  std::string world;     // the scenario files whose worlds prove it, ", "-separated; empty for a policy alone
  std::vector<Evidence> evidence;
};

}  // namespace iamsim::lint
