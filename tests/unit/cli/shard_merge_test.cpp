// Tests: `--shard I/N` and `iamsim merge` (docs/scale-out.md). For N = 1..5, the outputs of
// the N shards of check (JSON and JUnit), matrix, who-can and eval, merged, are the bytes the
// unsharded run prints, with its exit code; merge refuses shards that do not fit together.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "process.hpp"

namespace fs = std::filesystem;
using iamsim::test::ProcessResult;
using iamsim::test::read_file;
using iamsim::test::run_process;
using iamsim::test::TempDir;
using iamsim::test::write_file;

namespace {

fs::path source_dir() { return fs::path(IAMSIM_SOURCE_DIR).lexically_normal(); }

ProcessResult run_iamsim(const std::vector<std::string>& args,
                         std::chrono::milliseconds limit = std::chrono::seconds(60)) {
  auto r = run_process(iamsim::test::iamsim_binary(), args, {}, limit);
  REQUIRE_FALSE(r.timed_out);
  REQUIRE(r.signal == 0);
  return r;
}

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// JUnit times and the start timestamp differ from run to run; everything else must not.
std::string without_times(const std::string& xml) {
  static const std::regex times(R"re( (time|timestamp)="[^"]*")re");
  return std::regex_replace(xml, times, " $1=\"-\"");
}

// Each suite's time (and the total) is the sum of its cases' times as printed.
void check_junit_times_add_up(const std::string& xml) {
  static const std::regex time(R"re(<(testsuites|testsuite|testcase) [^>]*time="(\d+)\.(\d{6})")re");
  long long total = -1, suite = -1, suite_sum = 0, all_cases = 0;
  auto close_suite = [&] {
    if (suite >= 0) CHECK(suite == suite_sum);
  };
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), time); it != std::sregex_iterator(); ++it) {
    const long long us = std::stoll((*it)[2]) * 1000000 + std::stoll((*it)[3]);
    if ((*it)[1] == "testsuites") {
      total = us;
    } else if ((*it)[1] == "testsuite") {
      close_suite();
      suite = us;
      suite_sum = 0;
    } else {
      suite_sum += us;
      all_cases += us;
    }
  }
  close_suite();
  CHECK(total == all_cases);
}

// Runs `args` whole, then as N shards for N = 1..5, and merges each set. `out_flag`, when
// given (e.g. "--junit"), makes each run also write a report file, which is merged too.
void check_shards_merge_to_whole(const std::vector<std::string>& args, const std::string& report_flag = {}) {
  TempDir dir;
  const auto whole_report = (dir.path() / "whole.report").string();
  const auto whole = run_iamsim(report_flag.empty() ? args : with(args, {report_flag, whole_report}));
  INFO("whole run: " << whole.how_it_ended() << "\n" << whole.err);
  REQUIRE(whole.exit_code >= 0);
  REQUIRE(whole.exit_code <= 2);
  for (int n = 1; n <= 5; ++n) {
    std::vector<std::string> outs, reports;
    for (int i = 1; i <= n; ++i) {
      const auto shard = std::to_string(i) + "/" + std::to_string(n);
      auto shard_args = with(args, {"--shard", shard});
      const auto report = (dir.path() / ("part-" + std::to_string(i) + ".report")).string();
      if (!report_flag.empty()) shard_args = with(shard_args, {report_flag, report});
      const auto part = run_iamsim(shard_args);
      INFO("shard " << shard << ": " << part.how_it_ended() << "\n" << part.err);
      CHECK(part.exit_code <= whole.exit_code);  // a part fails only where the whole does
      const auto out = (dir.path() / ("part-" + std::to_string(i) + ".out")).string();
      write_file(out, part.out);
      outs.push_back(out);
      reports.push_back(report);
    }
    // Any order of the files: merge orders them by their index.
    std::reverse(outs.begin(), outs.end());
    const auto merged = run_iamsim(with({"merge"}, outs));
    INFO("N = " << n << ": merge " << merged.how_it_ended() << "\n" << merged.err);
    CHECK(merged.err == "");
    CHECK(merged.exit_code == whole.exit_code);
    CHECK(merged.out == whole.out);
    if (!report_flag.empty()) {
      const auto merged_report = (dir.path() / "merged.report").string();
      const auto m = run_iamsim(with(with({"merge", "-o", merged_report}, reports), {}));
      INFO("N = " << n << ": merge of the reports " << m.how_it_ended() << "\n" << m.err);
      CHECK(m.exit_code == whole.exit_code);
      const auto expected = read_file(whole_report), got = read_file(merged_report);
      CHECK(without_times(got) == without_times(expected));
      check_junit_times_add_up(got);
    }
  }
}

// Every corpus request, one a line, with blank lines and (when `with_bad`) bad lines among them.
std::string corpus_batch(bool with_bad, bool pretty) {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(source_dir() / "tests" / "corpus"))
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::string batch;
  int k = 0;
  for (const auto& f : files) {
    const auto j = nlohmann::json::parse(read_file(f), nullptr, false);
    // The requests that are good input (the corpus also holds ones that must be refused).
    if (j.is_discarded() || !j.is_object() || !j.contains("request") || !j.contains("expect") ||
        !j["expect"].contains("decision") || j.contains("semantics"))
      continue;
    batch += pretty ? j["request"].dump(2) + "\n" : j["request"].dump() + "\n";
    if (++k % 7 == 0) batch += "\n";
    if (with_bad && k % 23 == 0) batch += pretty ? "[1, 2]\n" : "{\"principal\": 5}\n";
  }
  REQUIRE(k > 50);
  return batch;
}

}  // namespace

TEST_CASE("sharded runs: check of tests/scenarios merges to the unsharded JSON and JUnit", "[cli][shard]") {
  check_shards_merge_to_whole({"check", (source_dir() / "tests" / "scenarios").string(), "--format", "json"},
                              "--junit");
}

TEST_CASE("sharded runs: check of scenarios/ merges to the unsharded JSON and JUnit", "[cli][shard]") {
  check_shards_merge_to_whole({"check", (source_dir() / "scenarios").string(), "--format", "json"}, "--junit");
}

TEST_CASE("sharded runs: a failing check merges to exit code 1 and the same failures", "[cli][shard]") {
  const auto world = source_dir() / "tests" / "cli" / "check" / "failing-world" / "world.yaml";
  REQUIRE(run_iamsim({"check", world.string()}).exit_code == 1);
  check_shards_merge_to_whole(
      {"check", world.string(), (source_dir() / "tests" / "scenarios" / "irsa").string(), "--format", "json"},
      "--junit");
}

TEST_CASE("sharded runs: matrix merges to the unsharded matrix", "[cli][shard]") {
  check_shards_merge_to_whole(
      {"matrix", (source_dir() / "scenarios" / "kserve-cross-account" / "2-role-chaining.yaml").string()});
  check_shards_merge_to_whole(
      {"matrix", (source_dir() / "tests" / "scenarios" / "k8-node-role").string(), "--action", "s3:"});
}

TEST_CASE("sharded runs: who-can of several resources merges to the unsharded answers", "[cli][shard]") {
  const auto world = (source_dir() / "scenarios" / "kserve-cross-account" / "1-direct-grant.yaml").string();
  const std::vector<std::string> args{"who-can",
                                      world,
                                      "s3:GetObject",
                                      "s3://ml-models-prod/models/flowers/saved_model.pb",
                                      "s3://ml-models-prod/other",
                                      "arn:aws:s3:::ml-models-prod/x/y",
                                      "--format",
                                      "json"};
  check_shards_merge_to_whole(args);
  // One resource: the answer is today's single JSON object.
  const auto one = run_iamsim({"who-can", world, "s3:GetObject", "s3://ml-models-prod/other", "--format", "json"});
  const auto three = run_iamsim(args);
  REQUIRE(one.exit_code == 0);
  CHECK(three.out.find(one.out) != std::string::npos);
  CHECK(std::count(three.out.begin(), three.out.end(), '\n') == 3);
}

TEST_CASE("sharded runs: an eval batch merges to the unsharded JSON Lines and exit code", "[cli][shard]") {
  TempDir dir;
  for (const bool bad : {false, true})
    for (const bool pretty : {false, true}) {
      const auto input = (dir.path() / ("batch-" + std::to_string(bad) + std::to_string(pretty) + ".jsonl")).string();
      write_file(input, corpus_batch(bad, pretty));
      INFO("bad lines: " << bad << ", pretty: " << pretty);
      REQUIRE(run_iamsim({"eval", input}).exit_code == (bad ? 2 : 0));
      check_shards_merge_to_whole({"eval", input});
    }
}

TEST_CASE("sharded runs: shards are disjoint and cover every expectation", "[cli][shard]") {
  const auto scenarios = (source_dir() / "tests" / "scenarios").string();
  const auto whole = nlohmann::json::parse(run_iamsim({"check", scenarios, "--format", "json"}).out);
  std::size_t total = whole["passed"].get<std::size_t>() + whole["failed"].get<std::size_t>();
  REQUIRE(total > 20);
  std::size_t seen = 0, smallest = total, largest = 0;
  for (int i = 1; i <= 4; ++i) {
    const auto part = nlohmann::json::parse(
        run_iamsim({"check", scenarios, "--format", "json", "--shard", std::to_string(i) + "/4"}).out);
    const auto& meta = part["iamsim_shard"];
    CHECK(meta["command"] == "check");
    CHECK(meta["index"] == i);
    CHECK(meta["count"] == 4);
    CHECK(meta["total"] == total);
    CHECK(meta["world_digest"].get<std::string>().rfind("fnv1a64:", 0) == 0);
    const std::size_t items = part["passed"].get<std::size_t>() + part["failed"].get<std::size_t>();
    CHECK(meta["items"] == items);
    seen += items;
    smallest = std::min(smallest, items);
    largest = std::max(largest, items);
  }
  CHECK(seen == total);
  CHECK(largest - smallest <= 1);
}

TEST_CASE("sharded runs: a bad value is a usage error naming the option", "[cli][shard]") {
  const auto world = (source_dir() / "scenarios" / "kserve-cross-account" / "1-direct-grant.yaml").string();
  for (const std::string value : {"0/3", "4/3", "x/y", "3/0", "3", "1/3/4", "-1/3", "+1/3", "1/ 3", ""}) {
    for (const auto& cmd : std::vector<std::vector<std::string>>{
             {"check", world}, {"matrix", world}, {"who-can", world, "s3:GetObject", "s3://b/k"}, {"eval", "-"}}) {
      const auto r = run_iamsim(with(cmd, {"--shard", value}));
      INFO(cmd[0] << " --shard '" << value << "': " << r.how_it_ended() << "\n" << r.err);
      CHECK(r.exit_code == 2);
      CHECK(r.err.find("--shard") != std::string::npos);
      CHECK(r.out == "");
    }
  }
  const auto r = run_iamsim({"check", world, "--shard", "4/3"});
  CHECK(r.err.find("4 is no shard of 3") != std::string::npos);
}

TEST_CASE("iamsim merge refuses shards that do not fit together", "[cli][shard]") {
  TempDir dir;
  const auto world1 = (source_dir() / "scenarios" / "kserve-cross-account" / "1-direct-grant.yaml").string();
  const auto world2 = (source_dir() / "scenarios" / "kserve-cross-account" / "2-role-chaining.yaml").string();
  auto shard_file = [&](const std::vector<std::string>& args, const std::string& name) {
    const auto r = run_iamsim(args);
    REQUIRE(r.exit_code <= 1);
    const auto path = (dir.path() / name).string();
    write_file(path, r.out);
    return path;
  };
  const auto a1 = shard_file({"check", world1, "--format", "json", "--shard", "1/2"}, "a1.json");
  const auto a2 = shard_file({"check", world1, "--format", "json", "--shard", "2/2"}, "a2.json");
  const auto b2 = shard_file({"check", world2, "--format", "json", "--shard", "2/2"}, "b2.json");
  const auto a3 = shard_file({"check", world1, "--format", "json", "--shard", "2/3"}, "a3.json");
  const auto m1 = shard_file({"matrix", world1, "--shard", "1/2"}, "m1.json");
  const auto whole = shard_file({"check", world1, "--format", "json"}, "whole.json");
  auto refused = [&](const std::vector<std::string>& files, const std::string& says) {
    const auto r = run_iamsim(with({"merge"}, files));
    INFO("merge of " << files.size() << " files: " << r.how_it_ended() << "\n" << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out == "");
    CHECK(r.err.find(says) != std::string::npos);
  };
  CHECK(run_iamsim({"merge", a1, a2}).exit_code == 0);
  refused({a1}, "shard 2 of 2 missing");
  refused({a1, a1, a2}, "are both shard 1/2");
  refused({a1, b2}, "world digest");
  refused({a1, a3}, "shards of different splits");
  refused({a1, m1}, "only shards of one command and format merge");
  refused({a1, whole}, "not the output of a --shard run");
  refused({a1, (dir.path() / "none.json").string()}, "cannot open");

  // A shard's JSON Lines cut short (the last lines lost) are refused, not merged short.
  const auto e = (dir.path() / "requests.jsonl").string();
  write_file(e, corpus_batch(false, false));
  const auto e1 = shard_file({"eval", e, "--shard", "1/2"}, "e1.jsonl");
  const auto e2 = shard_file({"eval", e, "--shard", "2/2"}, "e2.jsonl");
  CHECK(run_iamsim({"merge", e1, e2}).exit_code == 0);
  auto text = read_file(e2);
  text.resize(text.rfind('\n', text.size() - 2) + 1);
  write_file(e2, text);
  refused({e1, e2}, "result lines");

  // A matrix shard is not a matrix: diff refuses it rather than read its missing cells as denied.
  const auto d = run_iamsim({"diff", m1, m1});
  CHECK(d.exit_code == 2);
  CHECK(d.err.find("join them with iamsim merge first") != std::string::npos);
}
