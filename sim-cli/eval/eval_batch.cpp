// Stage: authorize (eval command). Splits the input, reads each request, authorizes it and
// renders the result.
#include "sim-cli/eval/eval_batch.hpp"

#include <cstring>

#include <simdjson.h>
#include <tbb/parallel_for.h>

#include "engine/syntax/json_errors.hpp"
#include "sim-cli/eval/eval_request.hpp"
#include "sim-cli/render/decision_render.hpp"
#include "sim-cli/render/json_writer.hpp"

namespace iamsim::cli {

namespace {

// The end of the JSON object starting at buf[pos] == '{' (one past its '}'), or npos when
// the input ends first. Counts the newlines it passes.
std::size_t object_end(std::string_view buf, std::size_t pos, int& newlines) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = pos; i < buf.size(); ++i) {
    const char c = buf[i];
    if (in_string) {
      // Jump to the closing quote with memchr: policies are mostly strings.
      const void* quote = std::memchr(buf.data() + i, '"', buf.size() - i);
      if (!quote) return std::string_view::npos;
      i = static_cast<std::size_t>(static_cast<const char*>(quote) - buf.data());
      std::size_t backslashes = 0;
      while (buf[i - 1 - backslashes] == '\\') ++backslashes;
      if (backslashes % 2 == 0) in_string = false;
      continue;
    }
    if (c == '\n') ++newlines;
    else if (c == '"') in_string = true;
    else if (c == '{' || c == '[') ++depth;
    else if ((c == '}' || c == ']') && --depth == 0) return i + 1;
  }
  return std::string_view::npos;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

std::vector<DocumentSpan> split_documents(std::string_view buf, const std::string& file, Diagnostics& diagnostics) {
  std::vector<DocumentSpan> docs;
  std::size_t pos = 0;
  int line = 1;
  auto skip_space = [&]() {
    while (pos < buf.size() && is_space(buf[pos])) {
      if (buf[pos] == '\n') ++line;
      ++pos;
    }
  };
  skip_space();
  if (pos == buf.size()) {
    diagnostics.error("eval.empty", {file, "", 0, 0}, "the input holds no request (expected a JSON object, or one per line)");
    return docs;
  }
  // JSON Lines unless the first line opens an object that spans lines: then every line is
  // one request (JSON has no raw newline inside a document), found with memchr. Whether a
  // line holds exactly one object is checked when the line is read, in parallel.
  int first_newlines = 0;
  const std::size_t first_end = buf[pos] == '{' ? object_end(buf, pos, first_newlines) : std::string_view::npos;
  if (buf[pos] != '{' || (first_end != std::string_view::npos && first_newlines == 0)) {
    while (pos < buf.size()) {
      const void* nl = std::memchr(buf.data() + pos, '\n', buf.size() - pos);
      const std::size_t end = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - buf.data()) : buf.size();
      std::size_t last = end;
      while (last > pos && is_space(buf[last - 1])) --last;
      if (last > pos) docs.push_back({pos, last - pos, line, {}});
      ++line;
      pos = end + 1;
      while (pos < buf.size() && is_space(buf[pos]) && buf[pos] != '\n') ++pos;
    }
    return docs;
  }
  // Otherwise one or more objects that may span lines (pretty-printed).
  while (pos < buf.size()) {
    const int start_line = line;
    if (buf[pos] != '{') {
      const std::size_t start = pos;
      while (pos < buf.size() && buf[pos] != '\n') ++pos;
      docs.push_back({start, pos - start, start_line,
                      "expected a JSON object ('{'), found " + syntax::printable_utf8(buf.substr(start, 1))});
      skip_space();
      continue;
    }
    int newlines = 0;
    const std::size_t end = object_end(buf, pos, newlines);
    if (end == std::string_view::npos) {
      docs.push_back({pos, buf.size() - pos, start_line,
                      "the JSON object that starts here is not closed before the end of the input"});
      break;
    }
    docs.push_back({pos, end - pos, start_line, {}});
    line += newlines;
    pos = end;
    while (pos < buf.size() && (buf[pos] == ' ' || buf[pos] == '\t' || buf[pos] == '\r')) ++pos;
    if (pos < buf.size() && buf[pos] != '\n') {
      const std::size_t start = pos;
      while (pos < buf.size() && buf[pos] != '\n') ++pos;
      docs.push_back({start, pos - start, line, "unexpected text after the JSON object on this line"});
    }
    skip_space();
  }
  return docs;
}

namespace {

EvalResult evaluate_document(std::string_view text, std::size_t capacity,
                             const SourceLocation& where, compile::PolicyCache& cache, const EvalSettings& settings) {
  EvalResult result;
  auto job = read_eval_request(text, capacity, where, cache, result.diagnostics);
  if (!job) return result;
  const auto decision = eval::authorize(job->request, job->policies, settings.semantics);
  if (settings.text_format)
    render_decision_text(result.output, job->id, job->request, decision, job->all_warnings());
  else
    render_decision_json(result.output, job->has_id ? std::optional<std::string_view>(job->id) : std::nullopt, decision,
                         job->all_warnings());
  result.ok = true;
  return result;
}

}  // namespace

std::vector<EvalResult> evaluate_batch(std::string_view buffer, const std::vector<DocumentSpan>& documents,
                                       const std::string& file, const EvalSettings& settings) {
  std::vector<EvalResult> results(documents.size());
  compile::PolicyCache cache(settings.semantics);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, documents.size(), 16), [&](const auto& range) {
    for (std::size_t i = range.begin(); i != range.end(); ++i) {
      const auto& doc = documents[i];
      if (!doc.error.empty()) {
        results[i].diagnostics.error("eval.input", {file, "", doc.line, 0}, doc.error);
        continue;
      }
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
  if (docs.size() != 1 || diagnostics.has_errors() || !docs[0].error.empty()) {
    EvalResult r;
    r.diagnostics = diagnostics;
    if (docs.size() > 1) r.diagnostics.error("eval.input", {"<test>", "", 0, 0}, "expected one request");
    if (docs.size() == 1) r.diagnostics.error("eval.input", {"<test>", "", docs[0].line, 0}, docs[0].error);
    return r;
  }
  auto results = evaluate_batch(body, docs, "<test>", settings);
  return std::move(results[0]);
}

}  // namespace iamsim::cli
