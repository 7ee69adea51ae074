// Stage: authorize (for the eval command). A batch of request documents, evaluated in
// parallel with oneTBB, results written in input order.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/diagnostic.hpp"
#include "engine/semantics.hpp"

namespace iamsim::cli {

// One JSON document inside the input buffer.
struct DocumentSpan {
  std::size_t offset = 0;
  std::size_t size = 0;
  int line = 1;       // where it starts
  int column = 1;     // and in that line, after leading blanks
  std::string error;  // set when this part of the input is no request at all
};

// JSON Lines (one object a line) or one or more pretty-printed objects: finds each top-level
// object. Text between objects that is not one keeps its place as a span with an error, so
// every input still gets its result line.
std::vector<DocumentSpan> split_documents(std::string_view buffer, const std::string& file, Diagnostics& diagnostics);

struct EvalResult {
  std::string output;  // a JSON line or an explanation, without trailing newline
  bool ok = false;     // false: bad input (the diagnostics say why)
  Diagnostics diagnostics;
};

struct EvalSettings {
  Semantics semantics;
  bool text_format = false;
};

// Where a batch's results go, in input order.
struct BatchOutput {
  std::function<void(std::string_view)> write;     // result lines, each ending in '\n'
  std::function<void(const Diagnostics&)> report;  // why an input is bad, before its line
};

// How many requests buffer holds, each with its result line: its non-blank lines (JSON
// Lines), or its pretty-printed objects and the stretches of text between them that are none.
std::size_t count_requests(std::string_view buffer);

// Which requests to evaluate, by index in input order: a shard's run (--shard); all by default.
struct RequestRange {
  std::size_t begin = 0, end = static_cast<std::size_t>(-1);
};

// Evaluates every request of buffer (JSON Lines, or pretty-printed objects) in parallel and
// writes one result line per request, in input order; a bad request answers with its error.
// Only the requests of `range` are evaluated; their messages name their lines in buffer.
// buffer must have SIMDJSON_PADDING readable bytes after its end. False when any input was
// bad.
bool evaluate_batch(std::string_view buffer, const std::string& file, const EvalSettings& settings,
                    const BatchOutput& output, RequestRange range = {});

// One document, for tests: text is copied into a padded buffer.
EvalResult evaluate_one(std::string_view text, const EvalSettings& settings);

}  // namespace iamsim::cli
