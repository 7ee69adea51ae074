// Stage: authorize (eval command). Splits the input, reads each request, authorizes it and
// renders the result.
#include "sim-cli/eval/eval_batch.hpp"

#include <cstring>

#include <simdjson.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/parallel_pipeline.h>

#include "engine/contract/eval_request.hpp"
#include "engine/syntax/json_errors.hpp"
#include "sim-cli/commands/input_limits.hpp"
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
    if (c == '\n')
      ++newlines;
    else if (c == '"')
      in_string = true;
    else if (c == '{' || c == '[')
      ++depth;
    else if ((c == '}' || c == ']') && --depth == 0)
      return i + 1;
  }
  return std::string_view::npos;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// JSON Lines unless the first line opens an object that spans lines: then every line is
// one request (JSON has no raw newline inside a document). Whether a line holds exactly
// one object is checked when the line is read, in parallel. first: the first non-space byte.
bool is_json_lines(std::string_view buf, std::size_t first) {
  if (buf[first] != '{') return true;
  int newlines = 0;
  return object_end(buf, first, newlines) != std::string_view::npos && newlines == 0;
}

// Calls visit(span) for each non-blank line that starts in buf[begin, end), trimmed, its
// line numbered from 1 at the first line that starts there. Returns how many lines start
// there. A line may run past end; the range that holds its start reads it.
template <class Visit>
int for_each_line(std::string_view buf, std::size_t begin, std::size_t end, Visit&& visit) {
  std::size_t pos = begin;
  if (pos > 0 && buf[pos - 1] != '\n') {
    const void* nl = std::memchr(buf.data() + pos, '\n', end - pos);
    if (!nl) return 0;
    pos = static_cast<std::size_t>(static_cast<const char*>(nl) - buf.data()) + 1;
  }
  int lines = 0;
  while (pos < end) {
    ++lines;
    const void* nl = std::memchr(buf.data() + pos, '\n', buf.size() - pos);
    const std::size_t line_end = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - buf.data()) : buf.size();
    std::size_t first = pos, last = line_end;
    while (first < last && is_space(buf[first])) ++first;
    while (last > first && is_space(buf[last - 1])) --last;
    if (last > first) visit(DocumentSpan{first, last - first, lines, static_cast<int>(first - pos) + 1, {}});
    pos = line_end + 1;
  }
  return lines;
}

// The 1-based column of buf[pos] in its line.
int column_at(std::string_view buf, std::size_t pos) {
  const std::size_t line_start = pos == 0 ? std::string_view::npos : buf.rfind('\n', pos - 1);
  return static_cast<int>(pos - (line_start == std::string_view::npos ? 0 : line_start + 1)) + 1;
}

// One or more objects that may span lines (pretty-printed), from buf[pos], which is at
// line `line`.
std::vector<DocumentSpan> split_pretty(std::string_view buf, std::size_t pos, int line) {
  std::vector<DocumentSpan> docs;
  auto skip_space = [&]() {
    while (pos < buf.size() && is_space(buf[pos])) {
      if (buf[pos] == '\n') ++line;
      ++pos;
    }
  };
  while (pos < buf.size()) {
    const int start_line = line;
    if (buf[pos] != '{') {
      const std::size_t start = pos;
      while (pos < buf.size() && buf[pos] != '\n') ++pos;
      docs.push_back({start, pos - start, start_line, column_at(buf, start),
                      "expected a JSON object ('{'), found " + syntax::printable_utf8(buf.substr(start, 1))});
      skip_space();
      continue;
    }
    int newlines = 0;
    const std::size_t end = object_end(buf, pos, newlines);
    if (end == std::string_view::npos) {
      docs.push_back({pos, buf.size() - pos, start_line, column_at(buf, pos),
                      "the JSON object that starts here is not closed before the end of the input"});
      break;
    }
    docs.push_back({pos, end - pos, start_line, column_at(buf, pos), {}});
    line += newlines;
    pos = end;
    while (pos < buf.size() && (buf[pos] == ' ' || buf[pos] == '\t' || buf[pos] == '\r')) ++pos;
    if (pos < buf.size() && buf[pos] != '\n') {
      const std::size_t start = pos;
      while (pos < buf.size() && buf[pos] != '\n') ++pos;
      docs.push_back(
          {start, pos - start, line, column_at(buf, start), "unexpected text after the JSON object on this line"});
    }
    skip_space();
  }
  return docs;
}

// The first non-space byte (buf.size() when there is none) and its line.
std::size_t first_text(std::string_view buf, int& line) {
  std::size_t pos = 0;
  for (; pos < buf.size() && is_space(buf[pos]); ++pos)
    if (buf[pos] == '\n') ++line;
  return pos;
}

void report_empty(const std::string& file, Diagnostics& diagnostics) {
  diagnostics.error("eval.empty", {file, "", 0, 0},
                    "the input holds no request (expected a JSON object, or one per line)");
}

}  // namespace

std::vector<DocumentSpan> split_documents(std::string_view buf, const std::string& file, Diagnostics& diagnostics) {
  int line = 1;
  const std::size_t pos = first_text(buf, line);
  if (pos == buf.size()) {
    report_empty(file, diagnostics);
    return {};
  }
  if (!is_json_lines(buf, pos)) return split_pretty(buf, pos, line);
  std::vector<DocumentSpan> docs;
  for_each_line(buf, 0, buf.size(), [&](DocumentSpan doc) { docs.push_back(std::move(doc)); });
  return docs;
}

namespace {

// Reads, authorizes and renders one request, appending its result line to out. False, with
// nothing written, when the request is bad: diagnostics say why.
bool evaluate_document(std::string_view buffer, const DocumentSpan& doc, const SourceLocation& where,
                       compile::PolicyCache& cache, contract::ReaderMemory& memory, const eval::PolicySource& source,
                       const EvalSettings& settings, std::string& out, Diagnostics& diagnostics) {
  if (!doc.error.empty()) {
    diagnostics.error("eval.input", where, doc.error);
    return false;
  }
  if (doc.size > max_request_bytes) {  // read_input bounds lines; a regular file, or a pretty document, may hold more
    diagnostics.error("eval.input", where,
                      "a request of " + std::to_string(doc.size) + " bytes is longer than the " +
                          std::to_string(max_request_bytes >> 20) + " MiB limit");
    return false;
  }
  const std::string_view text = buffer.substr(doc.offset, doc.size);
  const std::size_t capacity = buffer.size() + simdjson::SIMDJSON_PADDING - doc.offset;
  contract::EvalJob job;
  if (!contract::read_eval_request(text, capacity, where, cache, source, memory, diagnostics, job,
                                   contract::ReadPath::FastFirst, doc.column))
    return false;
  const auto decision = eval::authorize(job.request, job.policies, settings.semantics);
  // The input's warnings: the request's own, then each policy's where the policy sits.
  std::vector<InputWarning> warnings;
  for (const auto& w : job.warnings) warnings.push_back({w.code, w.message, false, {}, {}});
  for (const auto& o : job.owned)
    for (const auto& w : o.cached->warnings) warnings.push_back({w.code, w.message, true, o.pointer, w.where.pointer});
  if (settings.text_format)
    render_decision_text(out, job.id, job.request, decision, warnings);
  else
    render_decision_json(out, job.has_id ? std::optional<std::string_view>(job.id) : std::nullopt, job.request,
                         decision, warnings);
  out += '\n';
  return true;
}

// A bad input's answer: one output line with its first problem.
void render_error(std::string& out, const Diagnostics& diagnostics, bool text_format) {
  const std::string message =
      diagnostics.items().empty() ? std::string("bad input") : format_diagnostic(diagnostics.items()[0]);
  if (text_format) {
    out += "error: " + message;
  } else {
    JsonWriter w(out);
    w.begin_object().key("error").value(message);
    w.end_object();
  }
  out += '\n';
}

// A run of requests that one task evaluates: the JSON Lines that start in a byte range, or
// some of the pretty-printed objects. Good results are rendered in place. A bad request is
// only noted, and read again when the block is written: its messages name its input line,
// and the lines before the block are counted only then.
struct Block {
  std::size_t begin = 0, end = 0;  // JSON Lines: byte range
  std::vector<DocumentSpan> docs;  // pretty-printed: the objects, lines counted from the top
  int lines = 0;                   // JSON Lines: lines that start in the range
  std::string* output = nullptr;   // one of the reused buffers
  struct Failure {
    std::size_t output_at;  // where its error line goes in output
    DocumentSpan doc;       // JSON Lines: line counted within the block
  };
  std::vector<Failure> failures;
};

// Bytes of JSON Lines per block: enough to make a task's overhead small, few enough that
// the blocks spread evenly over the threads.
constexpr std::size_t block_bytes = 256u << 10;
constexpr std::size_t pretty_documents_per_block = 16;

// JSON Lines: where the lines of the requests [range.begin, range.end) start and end in buf
// (the start of request range.end's line, or the end), and how many lines come before.
struct LineSpan {
  std::size_t begin = 0, end = 0;
  int lines_before = 0;
};
LineSpan lines_of(std::string_view buf, RequestRange range) {
  LineSpan span{buf.size(), buf.size(), 0};
  std::size_t requests = 0;
  int lines = 0;
  for (std::size_t pos = 0; pos < buf.size(); ++lines) {
    const void* nl = std::memchr(buf.data() + pos, '\n', buf.size() - pos);
    const std::size_t line_end = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - buf.data()) : buf.size();
    std::size_t first = pos;
    while (first < line_end && is_space(buf[first])) ++first;
    if (first < line_end) {  // a request, as for_each_line reads it
      if (requests == range.begin) span = {pos, buf.size(), lines};
      if (requests == range.end) {
        span.end = pos;
        break;
      }
      ++requests;
    }
    pos = line_end + 1;
  }
  return span;
}

}  // namespace

std::size_t count_requests(std::string_view buffer) {
  int line = 1;
  const std::size_t first = first_text(buffer, line);
  if (first == buffer.size()) return 0;
  if (!is_json_lines(buffer, first)) return split_pretty(buffer, first, line).size();
  std::size_t n = 0;
  for_each_line(buffer, 0, buffer.size(), [&](const DocumentSpan&) { ++n; });
  return n;
}

bool evaluate_batch(std::string_view buffer, const std::string& file, const EvalSettings& settings,
                    const BatchOutput& output, RequestRange range) {
  int first_line = 1;
  const std::size_t first = first_text(buffer, first_line);
  if (first == buffer.size()) {
    Diagnostics diagnostics;
    report_empty(file, diagnostics);
    output.report(diagnostics);
    return false;
  }
  std::vector<Block> blocks;
  const bool json_lines = is_json_lines(buffer, first);
  int lines_before = 0;  // JSON Lines: lines that start before the block being written
  if (json_lines) {
    const LineSpan span =
        range.begin == 0 && range.end == RequestRange{}.end ? LineSpan{0, buffer.size(), 0} : lines_of(buffer, range);
    lines_before = span.lines_before;
    for (std::size_t begin = span.begin; begin < span.end; begin += block_bytes)
      blocks.push_back({begin, std::min(begin + block_bytes, span.end), {}, 0, {}, {}});
  } else {
    auto docs = split_pretty(buffer, first, first_line);
    const std::size_t from = std::min(range.begin, docs.size()), to = std::min(range.end, docs.size());
    for (std::size_t i = from; i < to; i += pretty_documents_per_block) {
      Block& b = blocks.emplace_back();
      const std::size_t n = std::min(pretty_documents_per_block, to - i);
      b.docs.assign(std::make_move_iterator(docs.begin() + i), std::make_move_iterator(docs.begin() + i + n));
    }
  }

  compile::PolicyCache cache(settings.semantics);
  // Each thread's reader memory (its parser, the policies it read last), owned here.
  tbb::enumerable_thread_specific<contract::ReaderMemory> memories;
  const SourceLocation unnumbered{file, "", 0, 0};         // good results name no line
  const eval::PolicySource source{{}, file, {}, 0, true};  // every policy is named by its place
  auto evaluate_block = [&](Block& b) {
    auto evaluate = [&](const DocumentSpan& doc) {
      Diagnostics ignored;  // the error is reported when the block is written
      if (!evaluate_document(buffer, doc, unnumbered, cache, memories.local(), source, settings, *b.output, ignored))
        b.failures.push_back({b.output->size(), doc});
    };
    if (json_lines)
      b.lines = for_each_line(buffer, b.begin, b.end, evaluate);
    else
      for (const auto& doc : b.docs) evaluate(doc);
  };

  bool all_ok = true;
  auto write_block = [&](Block& b) {
    std::size_t written = 0;
    for (const auto& f : b.failures) {
      output.write(std::string_view(*b.output).substr(written, f.output_at - written));
      written = f.output_at;
      // Read again with its line: this fails as it did, now with located messages.
      Diagnostics diagnostics;
      std::string unused;
      evaluate_document(buffer, f.doc, {file, "", lines_before + f.doc.line, 0}, cache, memories.local(), source,
                        settings, unused, diagnostics);
      output.report(diagnostics);
      std::string line;
      render_error(line, diagnostics, settings.text_format);
      output.write(line);
      all_ok = false;
    }
    output.write(std::string_view(*b.output).substr(written));
    lines_before += b.lines;
    b = Block{};  // its objects and failures are done with
  };

  // Blocks leave the pipeline in order and at most `live` are in it, so block k can take
  // output buffer k % live: the block before it there is written. Reused buffers keep their
  // memory; a fresh one for each block would be faulted in and zeroed by the kernel again.
  const std::size_t live = 4 * tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism);
  std::vector<std::string> outputs(live);
  std::size_t next = 0;
  tbb::parallel_pipeline(
      live,
      tbb::make_filter<void, Block*>(tbb::filter_mode::serial_in_order, [&](tbb::flow_control& control) -> Block* {
        if (next == blocks.size()) {
          control.stop();
          return nullptr;
        }
        Block& b = blocks[next];
        b.output = &outputs[next++ % live];
        b.output->clear();
        return &b;
      }) & tbb::make_filter<Block*, Block*>(tbb::filter_mode::parallel, [&](Block* b) {
        evaluate_block(*b);
        return b;
      }) & tbb::make_filter<Block*, void>(tbb::filter_mode::serial_in_order, [&](Block* b) { write_block(*b); }));
  return all_ok;
}

EvalResult evaluate_one(std::string_view text, const EvalSettings& settings) {
  std::string buffer(text);
  buffer.append(simdjson::SIMDJSON_PADDING, ' ');
  const std::string_view body(buffer.data(), text.size());
  EvalResult r;
  auto docs = split_documents(body, "<test>", r.diagnostics);
  if (docs.size() != 1 || r.diagnostics.has_errors() || !docs[0].error.empty()) {
    if (docs.size() > 1) r.diagnostics.error("eval.input", {"<test>", "", 0, 0}, "expected one request");
    if (docs.size() == 1) r.diagnostics.error("eval.input", {"<test>", "", docs[0].line, 0}, docs[0].error);
    return r;
  }
  compile::PolicyCache cache(settings.semantics);
  contract::ReaderMemory memory;
  const eval::PolicySource source{{}, "<test>", {}, 0, true};
  r.ok = evaluate_document(body, docs[0], {"<test>", "", docs[0].line, 0}, cache, memory, source, settings, r.output,
                           r.diagnostics);
  if (r.ok) r.output.pop_back();  // the newline
  return r;
}

}  // namespace iamsim::cli
