// Stage: report. `iamsim merge FILE...`: joins the outputs of `--shard I/N` runs into exactly
// what the unsharded run prints (docs/scale-out.md). It refuses shards of different commands,
// formats, worlds or counts, and a missing or repeated shard; summaries and counts are
// recomputed, and the exit code is the one the unsharded run would have had.
#include <algorithm>
#include <charconv>
#include <iostream>
#include <map>
#include <optional>

#include <simdjson.h>
#include <nlohmann/json.hpp>

#include "sim-cli/commands/commands.hpp"
#include "sim-cli/commands/common.hpp"
#include "sim-cli/commands/shard.hpp"
#include "sim-cli/render/check_render.hpp"
#include "sim-cli/render/matrix_render.hpp"

namespace iamsim::cli {
namespace {

struct MergeArgs {
  std::vector<std::string> files;
  std::string output;
};

// A problem with one input, or with the set of them: the message names the file.
struct MergeError {
  std::string message;
};

// One shard's output, read. Which of the parts is filled follows from info.format and
// info.command.
struct ShardOutput {
  std::string path;
  InputBuffer data;
  ShardInfo info;
  std::string_view body;                // JSON Lines: the lines after the header
  std::vector<CheckJsonFile> check;     // check, JSON
  std::string timestamp;                // check, JUnit
  std::vector<JunitSuite> suites;       // check, JUnit
  JunitProperties properties;           // check, JUnit: those of the first suite
  std::optional<model::Matrix> matrix;  // matrix
};

[[noreturn]] void fail(const std::string& message) { throw MergeError{message}; }

// ---- the shard metadata -----------------------------------------------------------------

ShardInfo read_info(const nlohmann::json& j, const std::string& path) {
  auto bad = [&](const std::string& what) { fail(path + ": malformed shard metadata: " + what); };
  if (!j.is_object()) bad("iamsim_shard must be an object");
  auto text = [&](const char* key) {
    if (!j.contains(key) || !j[key].is_string()) bad(std::string("/iamsim_shard/") + key + " must be a string");
    return j[key].get<std::string>();
  };
  auto number = [&](const char* key) {
    if (!j.contains(key) || !j[key].is_number_unsigned())
      bad(std::string("/iamsim_shard/") + key + " must be a whole number");
    return j[key].get<std::size_t>();
  };
  ShardInfo info;
  info.command = text("command");
  info.format = text("format");
  info.shard = {number("index"), number("count")};
  info.world_digest = text("world_digest");
  info.items = number("items");
  info.total = number("total");
  return info;
}

ShardInfo info_from_properties(const JunitProperties& properties, const std::string& path) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [name, value] : properties) {
    const std::string prefix = "iamsim_shard.";
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string key = name.substr(prefix.size());
    const bool numeric = key == "index" || key == "count" || key == "items" || key == "total";
    if (numeric) {
      std::size_t n = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || end != value.data() + value.size() || value.empty())
        fail(path + ": malformed shard metadata: property " + name + " must be a whole number");
      j[key] = n;
    } else {
      j[key] = value;
    }
  }
  return read_info(j, path);
}

// ---- JSON Lines (eval, who-can) ---------------------------------------------------------

// {"iamsim_shard":{...}} alone on the first line: the header of a shard's JSON Lines.
std::optional<nlohmann::json> header_line(std::string_view text) {
  const auto first_line = text.substr(0, text.find('\n'));
  auto j = nlohmann::json::parse(first_line, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.size() != 1 || !j.contains("iamsim_shard")) return std::nullopt;
  return j["iamsim_shard"];
}

void read_json_lines(ShardOutput& s) {
  const auto text = s.data.text();
  const auto nl = text.find('\n');
  s.body = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  if (!s.body.empty() && s.body.back() != '\n') fail(s.path + ": the last line is cut short (no newline at its end)");
  const auto lines = static_cast<std::size_t>(std::count(s.body.begin(), s.body.end(), '\n'));
  if (lines != s.info.items)
    fail(s.path + ": its header announces " + std::to_string(s.info.items) + " result lines, the file holds " +
         std::to_string(lines) + " (was the run cut short?)");
}

// ---- check JSON -------------------------------------------------------------------------

std::string_view trimmed(std::string_view raw) {
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t'))
    raw.remove_suffix(1);
  return raw;
}

// The check report's files, each expectation kept as the JSON text the shard wrote.
void read_check_json(ShardOutput& s, simdjson::ondemand::object& top) {
  using namespace simdjson;
  auto need = [&](auto&& result, const std::string& where) {
    if (result.error())
      fail(s.path + ": not a check report written by iamsim check --shard: " + where + ": " +
           error_message(result.error()));
    return std::move(result).value_unsafe();
  };
  for (auto field_result : top) {
    auto field = need(std::move(field_result), "/");
    const std::string_view key = need(field.unescaped_key(), "/");
    if (key != "files") continue;
    auto files = need(field.value().get_array(), "/files");
    std::size_t i = 0;
    for (auto file_result : files) {
      const std::string where = "/files/" + std::to_string(i++);
      auto file = need(need(std::move(file_result), where).get_object(), where);
      auto& part = s.check.emplace_back();
      bool failed_seen = false;
      for (auto member_result : file) {
        auto member = need(std::move(member_result), where);
        const std::string_view name = need(member.unescaped_key(), where);
        auto value = member.value();
        if (name == "file" || name == "name") {
          // Kept as the shard wrote it, quoted and escaped, to be written back as it is.
          const auto raw = trimmed(value.raw_json_token());
          if (raw.size() < 2 || raw.front() != '"' || raw.back() != '"')
            fail(s.path + ": " + where + "/" + std::string(name) + " must be a string");
          (name == "file" ? part.file : part.name) = raw;
        } else if (name == "failed") {
          part.failed = static_cast<std::size_t>(need(value.get_uint64(), where + "/failed"));
          failed_seen = true;
        } else if (name == "expectations") {
          auto list = need(value.get_array(), where + "/expectations");
          for (auto e : list) {
            auto object = need(need(std::move(e), where + "/expectations").get_object(), where + "/expectations");
            part.expectations.emplace_back(trimmed(need(object.raw_json(), where + "/expectations")));
          }
        }
      }
      if (part.file.empty() || !failed_seen) fail(s.path + ": " + where + " lacks \"file\" or \"failed\"");
    }
  }
}

// A JSON document: a check report or a matrix, with its "iamsim_shard" key.
void read_json_document(ShardOutput& s) {
  using namespace simdjson;
  ondemand::parser parser;
  ondemand::document doc;
  const auto text = s.data.text();
  auto not_shard = [&] {
    fail(s.path + ": not the output of a --shard run (a JSON document without \"iamsim_shard\", JSON Lines " +
         "without a header line, or a JUnit report without iamsim_shard properties)");
  };
  if (parser.iterate(text.data(), text.size(), text.size() + SIMDJSON_PADDING).get(doc)) not_shard();
  ondemand::object top;
  if (doc.get_object().get(top)) not_shard();
  std::optional<nlohmann::json> info;
  for (auto field : top) {
    std::string_view key;
    if (field.unescaped_key().get(key)) not_shard();
    if (key != "iamsim_shard") continue;
    std::string_view raw;
    ondemand::object value;
    if (field.value().get_object().get(value) || value.raw_json().get(raw)) not_shard();
    info = nlohmann::json::parse(raw, nullptr, false);
    break;
  }
  if (!info || info->is_discarded()) not_shard();
  s.info = read_info(*info, s.path);
  if (s.info.command == "matrix") {
    std::string error;
    s.matrix = read_matrix_json(std::string(text), error, true);
    if (!s.matrix) fail(s.path + ": " + error);
    return;
  }
  if (s.info.command != "check") fail(s.path + ": a JSON document of `" + s.info.command + "`, which writes none");
  // Again from the top: the metadata need not come first.
  if (parser.iterate(text.data(), text.size(), text.size() + SIMDJSON_PADDING).get(doc) || doc.get_object().get(top))
    not_shard();
  read_check_json(s, top);
}

// ---- check JUnit ------------------------------------------------------------------------

std::string xml_unescaped(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    static const std::pair<std::string_view, char> entities[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    bool known = false;
    for (const auto& [entity, c] : entities)
      if (text.substr(i, entity.size()) == entity) {
        out += c;
        i += entity.size() - 1;
        known = true;
        break;
      }
    if (!known) out += '&';
  }
  return out;
}

// The value of attribute `name` in a tag iamsim wrote on one line; values never hold a
// quote (it is written &quot;), so ` name="` cannot occur inside one.
std::optional<std::string> xml_attribute(std::string_view tag, std::string_view name) {
  const std::string open = " " + std::string(name) + "=\"";
  const auto at = tag.find(open);
  if (at == std::string_view::npos) return std::nullopt;
  const auto start = at + open.size();
  const auto end = tag.find('"', start);
  if (end == std::string_view::npos) return std::nullopt;
  return xml_unescaped(tag.substr(start, end - start));
}

// "12.000345" -> 12000345.
std::optional<long long> microseconds_of(std::string_view text) {
  const auto dot = text.find('.');
  if (dot == std::string_view::npos || dot == 0 || text.size() - dot - 1 != 6) return std::nullopt;
  long long us = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == dot) continue;
    if (text[i] < '0' || text[i] > '9' || us > 1'000'000'000'000'000LL) return std::nullopt;
    us = us * 10 + (text[i] - '0');
  }
  return us;
}

// The report that `iamsim check --junit` writes (check_render.cpp), line by line: every '<'
// of a text is written &lt;, so a line that starts a structure is one.
void read_junit(ShardOutput& s) {
  const auto text = s.data.text();
  std::size_t line_number = 0;
  auto bad = [&](const std::string& what) {
    fail(s.path + ":" + std::to_string(line_number) + ": not a JUnit report of iamsim check --shard: " + what);
  };
  std::vector<std::string_view> lines;
  for (std::size_t pos = 0; pos < text.size();) {
    const auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos) {
      line_number = lines.size() + 1;
      bad("the last line is cut short");
    }
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  auto starts = [](std::string_view line, std::string_view prefix) { return line.substr(0, prefix.size()) == prefix; };
  std::size_t i = 0;
  auto next = [&]() -> std::string_view {
    if (i == lines.size()) {
      line_number = lines.size();
      bad("it ends before </testsuites>");
    }
    line_number = i + 1;
    return lines[i++];
  };
  if (next() != "<?xml version=\"1.0\" encoding=\"UTF-8\"?>") bad("expected the XML declaration");
  const auto top = next();
  if (!starts(top, "<testsuites ")) bad("expected <testsuites>");
  const auto timestamp = xml_attribute(top, "timestamp");
  if (!timestamp) bad("<testsuites> has no timestamp");
  s.timestamp = *timestamp;
  bool have_properties = false;
  for (auto line = next(); line != "</testsuites>"; line = next()) {
    if (!starts(line, "  <testsuite ")) bad("expected <testsuite> or </testsuites>");
    auto& suite = s.suites.emplace_back();
    const auto name = xml_attribute(line, "name");
    const auto file = xml_attribute(line, "file");
    if (!name || !file) bad("<testsuite> lacks its name or file");
    suite.name = *name;
    suite.file = *file;
    JunitProperties properties;
    line = next();
    if (line == "    <properties>") {
      for (line = next(); line != "    </properties>"; line = next()) {
        const auto pname = xml_attribute(line, "name");
        const auto pvalue = xml_attribute(line, "value");
        if (!starts(line, "      <property ") || !pname || !pvalue) bad("expected <property name=... value=.../>");
        properties.emplace_back(*pname, *pvalue);
      }
      line = next();
    }
    if (!have_properties) {
      s.properties = properties;
      have_properties = true;
    } else if (properties != s.properties) {
      bad("the suites' iamsim_shard properties differ");
    }
    for (; line != "  </testsuite>"; line = next()) {
      if (!starts(line, "    <testcase ")) bad("expected <testcase> or </testsuite>");
      auto& c = suite.cases.emplace_back();
      const auto time = xml_attribute(line, "time");
      const auto us = time ? microseconds_of(*time) : std::nullopt;
      if (!us) bad("<testcase> has no time in seconds with six decimals");
      c.microseconds = *us;
      c.xml.append(line).append("\n");
      if (line.size() >= 2 && line.substr(line.size() - 2) == "/>") continue;
      c.failed = true;
      do {
        line = next();
        c.xml.append(line).append("\n");
      } while (line != "    </testcase>");
    }
  }
  if (i != lines.size()) {
    line_number = i + 1;
    bad("text after </testsuites>");
  }
  if (!have_properties || s.properties.empty())
    fail(s.path + ": a JUnit report without iamsim_shard properties: not the output of a --shard run");
  s.info = info_from_properties(s.properties, s.path);
}

// ---- reading and checking the set ----------------------------------------------------------

ShardOutput read_shard(const std::string& path) {
  ShardOutput s;
  s.path = path;
  std::string error;
  auto data = read_input(path, simdjson::SIMDJSON_PADDING, error);
  if (!data) fail(error);
  s.data = std::move(*data);
  const auto text = s.data.text();
  bool fits = false;  // does the metadata say what the file holds?
  if (text.substr(0, 5) == "<?xml") {
    read_junit(s);
    fits = s.info.format == "junit" && s.info.command == "check";
  } else if (auto header = header_line(text)) {
    s.info = read_info(*header, path);
    read_json_lines(s);
    fits = s.info.format == "jsonl" && (s.info.command == "eval" || s.info.command == "who-can");
  } else {
    read_json_document(s);
    fits = s.info.format == "json" && (s.info.command == "check" || s.info.command == "matrix");
  }
  if (!fits)
    fail(path + ": its metadata says `" + s.info.command + "` in format " + s.info.format +
         ", which is not what the file holds");
  return s;
}

std::string describe(const ShardInfo& i) {
  return "`iamsim " + i.command + " --shard`" +
         (i.format == "junit"   ? " (JUnit)"
          : i.format == "jsonl" ? " (JSON Lines)"
                                : " (JSON)");
}

// The shards in index order, once each, all of one run; else why not.
std::vector<ShardOutput*> check_set(std::vector<ShardOutput>& shards) {
  const auto& first = shards.front();
  std::map<std::size_t, ShardOutput*> by_index;
  for (auto& s : shards) {
    const auto& i = s.info;
    if (i.command != first.info.command || i.format != first.info.format)
      fail(s.path + ": the output of " + describe(i) + ", " + first.path + " of " + describe(first.info) +
           ": only shards of one command and format merge");
    if (i.world_digest != first.info.world_digest)
      fail(s.path + ": world digest " + i.world_digest + ", " + first.path + ": " + first.info.world_digest +
           ": these are shards of different worlds or arguments (or the files changed between the runs)");
    if (i.shard.count != first.info.shard.count || i.total != first.info.total)
      fail(s.path + ": shard " + std::to_string(i.shard.index) + "/" + std::to_string(i.shard.count) + " of " +
           std::to_string(i.total) + " items, " + first.path + ": shard " + std::to_string(first.info.shard.index) +
           "/" + std::to_string(first.info.shard.count) + " of " + std::to_string(first.info.total) +
           ": shards of different splits");
    if (i.shard.index < 1 || i.shard.index > i.shard.count)
      fail(s.path + ": shard index " + std::to_string(i.shard.index) + " is not in 1.." +
           std::to_string(i.shard.count));
    const auto expected = shard_range(i.shard, i.total).size();
    if (i.items != expected)
      fail(s.path + ": shard " + std::to_string(i.shard.index) + "/" + std::to_string(i.shard.count) + " of " +
           std::to_string(i.total) + " items holds " + std::to_string(expected) + ", its metadata says " +
           std::to_string(i.items));
    auto [it, fresh] = by_index.emplace(i.shard.index, &s);
    if (!fresh)
      fail(s.path + " and " + it->second->path + " are both shard " + std::to_string(i.shard.index) + "/" +
           std::to_string(i.shard.count));
  }
  std::string missing;
  for (std::size_t k = 1; k <= first.info.shard.count; ++k)
    if (!by_index.count(k)) missing += (missing.empty() ? "" : ", ") + std::to_string(k);
  if (!missing.empty())
    fail("shard" + std::string(missing.find(',') == std::string::npos ? " " : "s ") + missing + " of " +
         std::to_string(first.info.shard.count) + " missing: give every shard's output");
  std::vector<ShardOutput*> ordered;
  for (auto& [index, s] : by_index) ordered.push_back(s);
  return ordered;
}

// ---- joining ------------------------------------------------------------------------------

// Every shard of a check lists every scenario file, in the same order.
template <class Part, class Key>
void same_files(const ShardOutput& a, const std::vector<Part>& a_files, const ShardOutput& b,
                const std::vector<Part>& b_files, Key key) {
  bool same = a_files.size() == b_files.size();
  for (std::size_t k = 0; same && k < a_files.size(); ++k) same = key(a_files[k]) == key(b_files[k]);
  if (!same) fail(b.path + ": lists other scenario files than " + a.path);
}

int join_check_json(const std::vector<ShardOutput*>& shards, std::string& out) {
  auto files = shards.front()->check;
  for (auto& f : files) f.expectations.clear(), f.failed = 0;
  for (const auto* s : shards) {
    same_files(*shards.front(), shards.front()->check, *s, s->check,
               [](const CheckJsonFile& f) { return std::pair(f.file, f.name); });
    for (std::size_t k = 0; k < files.size(); ++k) {
      auto& from = s->check[k];
      files[k].expectations.insert(files[k].expectations.end(), std::make_move_iterator(from.expectations.begin()),
                                   std::make_move_iterator(from.expectations.end()));
      files[k].failed += from.failed;
    }
  }
  std::size_t failed = 0;
  for (const auto& f : files) failed += f.failed;
  write_check_json(out, files, {});
  return failed ? exit_failed : exit_ok;
}

int join_check_junit(const std::vector<ShardOutput*>& shards, std::string& out) {
  auto suites = shards.front()->suites;
  for (auto& s : suites) s.cases.clear();
  std::string timestamp = shards.front()->timestamp;  // the earliest start: the run's
  bool failed = false;
  for (const auto* s : shards) {
    same_files(*shards.front(), shards.front()->suites, *s, s->suites,
               [](const JunitSuite& f) { return std::pair(f.name, f.file); });
    timestamp = std::min(timestamp, s->timestamp);
    for (std::size_t k = 0; k < suites.size(); ++k)
      for (const auto& c : s->suites[k].cases) {
        suites[k].cases.push_back(c);
        failed |= c.failed;
      }
  }
  write_check_junit(out, timestamp, suites, {});
  return failed ? exit_failed : exit_ok;
}

int join_matrix(const std::vector<ShardOutput*>& shards, std::string& out) {
  model::Matrix m = *shards.front()->matrix;
  m.allowed.clear();
  for (const auto* s : shards) {
    const auto& part = *s->matrix;
    if (part.world != m.world || part.axes.principals != m.axes.principals || part.axes.actions != m.axes.actions ||
        part.axes.resources != m.axes.resources)
      fail(s->path + ": a matrix of other axes than " + shards.front()->path);
    m.allowed.insert(m.allowed.end(), part.allowed.begin(), part.allowed.end());
  }
  std::sort(m.allowed.begin(), m.allowed.end());
  render_matrix_json(out, m);
  return exit_ok;
}

// eval: a bad input's result line is {"error": ...}, and the run exits 2 (docs/eval-contract.md).
int join_json_lines(const std::vector<ShardOutput*>& shards, std::string& out) {
  bool bad_input = false;
  for (const auto* s : shards) {
    out += s->body;
    if (s->info.command != "eval") continue;
    for (std::size_t pos = 0; pos < s->body.size(); pos = s->body.find('\n', pos) + 1)
      bad_input |= s->body.substr(pos, 9) == "{\"error\":";
  }
  return bad_input ? exit_bad_input : exit_ok;
}

int run_merge(const MergeArgs& args) {
  std::string out;
  int code = exit_ok;
  bool raw = false;
  try {
    std::vector<ShardOutput> shards;
    for (const auto& path : args.files) shards.push_back(read_shard(path));
    const auto ordered = check_set(shards);
    const auto& info = ordered.front()->info;
    // As the unsharded run writes it: eval's lines and a JUnit file as they are, the others
    // made terminal-safe on standard output (-o writes every one as it is).
    raw = info.command == "eval" || info.format == "junit";
    if (info.format == "jsonl")
      code = join_json_lines(ordered, out);
    else if (info.command == "matrix")
      code = join_matrix(ordered, out);
    else if (info.format == "junit")
      code = join_check_junit(ordered, out);
    else
      code = join_check_json(ordered, out);
  } catch (const MergeError& e) {
    std::cerr << "iamsim merge: " << e.message << "\n";
    remove_stale_report(args.output);
    return exit_bad_input;
  }
  if (!args.output.empty()) {
    std::string error;
    if (!write_report_file(args.output, out, error)) {
      std::cerr << "iamsim merge: " << error << "\n";
      return exit_bad_input;
    }
  } else if (raw) {
    std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
  } else {
    write_output(out);
  }
  return code;
}

}  // namespace

CommandRunner add_merge_command(CLI::App& app) {
  auto args = std::make_shared<MergeArgs>();
  auto* cmd = app.add_subcommand("merge", "Join the outputs of --shard I/N runs into the unsharded output");
  cmd->footer(
      "Example:\n"
      "  for i in 1 2 3; do iamsim check scenarios/ --shard $i/3 --format json > part-$i.json; done\n"
      "  iamsim merge part-*.json > results.json\n"
      "Joins check JSON and JUnit (--junit), matrix JSON, who-can --format json and eval JSON Lines;\n"
      "every shard 1..N exactly once, of the same command, format and world digest.\n"
      "Exit code: the unsharded run's (check: 1 when an expectation failed; eval: 2 when an input\n"
      "was bad); 2 when the shards do not fit together.");
  cmd->add_option("files", args->files, "the shards' outputs, in any order")->required();
  cmd->add_option("-o,--output", args->output, "write the merged output to this file instead of standard output");
  return [args]() { return run_merge(*args); };
}

}  // namespace iamsim::cli
