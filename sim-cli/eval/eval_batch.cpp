// Stage: authorize (eval command). Splits the input, reads each request, authorizes it and
// renders the result.
#include "sim-cli/eval/eval_batch.hpp"

#include <simdjson.h>
#include <tbb/parallel_for.h>

#include "sim-cli/eval/eval_request.hpp"
#include "sim-cli/render/decision_render.hpp"
#include "sim-cli/render/json_writer.hpp"

namespace iamsim::cli {

std::vector<DocumentSpan> split_documents(std::string_view buf, const std::string& file, Diagnostics& diagnostics) {
  std::vector<DocumentSpan> docs;
  std::size_t pos = 0;
  int line = 1;
  auto skip_space = [&]() {
    while (pos < buf.size() && (buf[pos] == ' ' || buf[pos] == '\t' || buf[pos] == '\r' || buf[pos] == '\n')) {
      if (buf[pos] == '\n') ++line;
      ++pos;
    }
  };
  auto skip_line = [&]() {
    while (pos < buf.size() && buf[pos] != '\n') ++pos;
  };
  skip_space();
  if (pos == buf.size()) {
    diagnostics.error("eval.empty", {file, "", 0, 0}, "the input holds no request (expected a JSON object, or one per line)");
    return docs;
  }
  while (pos < buf.size()) {
    const int start_line = line;
    if (buf[pos] != '{') {
      diagnostics.error("eval.not-object", {file, "", start_line, 0},
                        "expected a JSON object ('{'), found '" + std::string(1, buf[pos]) + "'");
      skip_line();
      skip_space();
      continue;
    }
    // Find the matching '}' outside strings. Newlines inside are counted for positions.
    const std::size_t start = pos;
    int depth = 0;
    bool in_string = false;
    std::size_t i = pos;
    int newlines = 0;
    for (; i < buf.size(); ++i) {
      const char c = buf[i];
      if (c == '\n') ++newlines;
      if (in_string) {
        if (c == '\\') ++i;
        else if (c == '"') in_string = false;
        continue;
      }
      if (c == '"') in_string = true;
      else if (c == '{' || c == '[') ++depth;
      else if (c == '}' || c == ']') {
        if (--depth == 0) break;
      }
    }
    if (i >= buf.size()) {
      diagnostics.error("eval.truncated", {file, "", start_line, 0},
                        "the JSON object that starts here is not closed before the end of the input");
      break;
    }
    docs.push_back({start, i + 1 - start, start_line});
    line += newlines;
    pos = i + 1;
    // Anything after the object on its own line is an error (JSON Lines: one object a line).
    while (pos < buf.size() && (buf[pos] == ' ' || buf[pos] == '\t' || buf[pos] == '\r')) ++pos;
    if (pos < buf.size() && buf[pos] != '\n') {
      diagnostics.error("eval.trailing", {file, "", line, 0}, "unexpected text after the JSON object on this line");
      skip_line();
    }
    skip_space();
  }
  return docs;
}

namespace {

EvalResult evaluate_document(std::string_view text, std::size_t capacity,
                             const SourceLocation& where, PolicyCache& cache, const EvalSettings& settings) {
  EvalResult result;
  auto job = read_eval_request(text, capacity, where, cache, result.diagnostics);
  if (!job) return result;
  const auto decision = eval::authorize(job->request, job->policies, settings.semantics);
  if (settings.text_format)
    render_decision_text(result.output, job->id, job->request, decision, job->warnings);
  else
    render_decision_json(result.output, job->id, job->has_id, decision, job->warnings);
  result.ok = true;
  return result;
}

}  // namespace

std::vector<EvalResult> evaluate_batch(std::string_view buffer, const std::vector<DocumentSpan>& documents,
                                       const std::string& file, const EvalSettings& settings) {
  std::vector<EvalResult> results(documents.size());
  PolicyCache cache(settings.semantics);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, documents.size(), 16), [&](const auto& range) {
    for (std::size_t i = range.begin(); i != range.end(); ++i) {
      const auto& doc = documents[i];
      const std::string_view text = buffer.substr(doc.offset, doc.size);
      const std::size_t capacity = buffer.size() + simdjson::SIMDJSON_PADDING - doc.offset;
      results[i] = evaluate_document(text, capacity, {file, "", doc.line, 0}, cache, settings);
    }
  });
  return results;
}

EvalResult evaluate_one(std::string_view text, const EvalSettings& settings) {
  std::string buffer(text);
  buffer.append(simdjson::SIMDJSON_PADDING, ' ');
  const std::string_view body(buffer.data(), text.size());
  Diagnostics diagnostics;
  auto docs = split_documents(body, "<test>", diagnostics);
  if (docs.size() != 1 || diagnostics.has_errors()) {
    EvalResult r;
    r.diagnostics = diagnostics;
    if (docs.size() > 1) r.diagnostics.error("eval.input", {"<test>", "", 0, 0}, "expected one request");
    return r;
  }
  auto results = evaluate_batch(body, docs, "<test>", settings);
  return std::move(results[0]);
}

}  // namespace iamsim::cli
