// Stage: report. The results of `iamsim check` as a summary for people, JSON, and JUnit XML.
#pragma once

#include <string>
#include <vector>

#include "model/paths/access.hpp"

namespace iamsim::cli {

// What an expectation got. A passing one keeps only its outcome and one-line reason; a
// failing one keeps every hop for the explanation. Memory stays with the world, not with
// the number of expectations.
struct ExpectationResult {
  const model::Expectation* expectation = nullptr;
  eval::Outcome outcome = eval::Outcome::ImplicitDeny;
  std::string reason;
  model::Access access;  // the hops, kept for failures only
  // E11: (hop index, key) for each key a hop depended on and the request lacked; the keys
  // view the compiled world's policies, which live until the report is written.
  std::vector<std::pair<std::size_t, std::string_view>> missing_keys;
  double seconds = 0;   // how long deciding it took
  bool holds = false;   // K9: on every place the pod may run
  bool varies = false;  // K9: the outcome differs by where the pod runs

  void record(model::Access decided);
  bool passed() const { return holds; }
  // "allow", or "allow on some places only" when the outcome differs by place (K9).
  std::string got() const { return std::string(eval::to_string(outcome)) + (varies ? " on some places only" : ""); }
};

struct FileResult {
  std::string file, name;
  std::vector<ExpectationResult> results;
  std::size_t failed() const;
};

struct CheckReport {
  std::vector<FileResult> files;
  std::string timestamp;  // when the run started, UTC, ISO 8601 (JUnit's timestamp)
  std::size_t passed() const;
  std::size_t failed() const;
};

// One line a file, each failure with its reason; ends with "N passed, M failed".
void render_check_text(std::string& out, const CheckReport& report, bool explain_failures);
void render_check_json(std::string& out, const CheckReport& report);
// JUnit XML as CI test views read it (Jenkins, GitLab, GitHub test reporters): per suite and
// case `time` and `timestamp`, `tests`, `failures`, `errors` and `skipped` counts, case names
// unique within a suite, each failure with its type and message and the explanation in its body.
void render_check_junit(std::string& out, const CheckReport& report);

// "allow sa:... s3:GetObject arn:..."
std::string expectation_text(const model::Expectation& e);

}  // namespace iamsim::cli
