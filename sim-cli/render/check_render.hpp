// Stage: report. The results of `iamsim check` as a summary for people, JSON, and JUnit XML.
#pragma once

#include <string>
#include <string_view>
#include <utility>
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
  // A claim (docs/claims.md): its verdict ("holds", "refuted", "unknown"), the whole answer as
  // `iamsim prove` prints it, and the statement that let the refuting request in.
  std::string verdict;
  std::string details;
  std::optional<SourceLocation> statement_where;
  double seconds = 0;   // how long deciding it took
  bool holds = false;   // K9: on every place the pod may run
  bool varies = false;  // K9: the outcome differs by where the pod runs

  void record(model::Access decided);
  bool passed() const { return holds; }
  // "allow", or "allow on some places only" when the outcome differs by place (K9).
  std::string got() const {
    if (!verdict.empty()) return verdict;
    return std::string(eval::to_string(outcome)) + (varies ? " on some places only" : "");
  }
};

struct FileResult {
  std::string file, name;
  std::vector<ExpectationResult> results;
  // Every expectation of the file; results hold those from index `first` on (all of them
  // unless the run is one shard). JUnit case names are made unique over all of them, so a
  // shard names its cases as the whole run does.
  const std::vector<model::Expectation>* expectations = nullptr;
  std::size_t first = 0;
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
// `shard_info`, when not empty, is the value of a first key "iamsim_shard" (shard.hpp).
void render_check_json(std::string& out, const CheckReport& report, std::string_view shard_info = {});
// JUnit XML as CI test views read it (Jenkins, GitLab, GitHub test reporters): per suite and
// case `time` and `timestamp`, `tests`, `failures`, `errors` and `skipped` counts, case names
// unique within a suite, each failure with its type and message and the explanation in its body.
// `properties`, when given, open every suite (a shard's metadata, shard.hpp).
using JunitProperties = std::vector<std::pair<std::string, std::string>>;
void render_check_junit(std::string& out, const CheckReport& report, const JunitProperties& properties = {});

// ---- the documents from their parts: what the renderers write and `iamsim merge` joins --
// Both write through these, so a merged report has the bytes of the unsharded one.

struct CheckJsonFile {
  std::string file, name;                 // JSON strings, quoted
  std::vector<std::string> expectations;  // JSON objects, in order
  std::size_t failed = 0;
};
void write_check_json(std::string& out, const std::vector<CheckJsonFile>& files, std::string_view shard_info);

struct JunitCase {
  std::string xml;  // the <testcase> element, indented, each line ending in '\n'
  long long microseconds = 0;
  bool failed = false;
};
struct JunitSuite {
  std::string name, file;
  std::vector<JunitCase> cases;
};
// Times add up in whole microseconds, as each case's time is written, so a suite's time is
// the sum of its cases' as printed.
void write_check_junit(std::string& out, const std::string& timestamp, const std::vector<JunitSuite>& suites,
                       const JunitProperties& properties);
// "12.000345" from microseconds, as JUnit's time attributes are written.
std::string junit_seconds(long long microseconds);
// The JUnit report of a run that stopped on bad input: one case in error, with what
// stopped it (`why`, one problem a line), so CI shows a failed run rather than an old report.
void render_check_junit_stopped(std::string& out, const std::string& timestamp, const std::vector<std::string>& why);

// "allow sa:... s3:GetObject arn:..."
std::string expectation_text(const model::Expectation& e);
// What the expectation expects: "allow", ..., or a claim's "holds" or "refuted".
std::string expected_text(const model::Expectation& e);

}  // namespace iamsim::cli
