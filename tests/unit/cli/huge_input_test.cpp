// Tests: `iamsim eval` on huge, hostile inputs (deep nesting, giant strings). The inputs are
// generated into a temporary folder at test time, never checked in. Each must be rejected
// with exit code 2 within a few seconds, with a message that says where (input line and/or
// JSON pointer), and must never crash, hang or echo the giant input back.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "process.hpp"

namespace fs = std::filesystem;
using iamsim::test::run_process;
using iamsim::test::TempDir;
using iamsim::test::write_file;

namespace {

constexpr std::size_t depth = 200000;               // nesting levels
constexpr std::size_t giant = 60u * 1024u * 1024u;  // 60 MB
constexpr auto time_budget = std::chrono::seconds(5);
constexpr std::size_t max_message_bytes = 64 * 1024;  // stderr must not echo the giant input

const std::string head = R"({"id":"huge","principal":"arn:aws:iam::111111111111:user/alice","action":"s3:GetObject",)"
                         R"("resource":"arn:aws:s3:::data-bucket/reports/q1.csv")";
const std::string good_line = head + R"(,"policies":{"identity":[{"Version":"2012-10-17","Statement":[)"
                                     R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}]}})";

std::string nested_arrays(std::size_t n) { return std::string(n, '[') + std::string(n, ']'); }

std::string policy_with(const std::string& statement_fields) {
  return R"(,"policies":{"identity":[{"Version":"2012-10-17","Statement":[{)" + statement_fields + "}]}]}";
}

struct Outcome {
  iamsim::test::ProcessResult r;
  std::string file;  // the input path as the program names it
};

// Writes `text` to a fresh file and runs `iamsim eval` on it (or on standard input).
Outcome run_eval(const TempDir& tmp, const std::string& text, bool via_stdin = false) {
  const fs::path input = tmp.path() / "input.jsonl";
  write_file(input, text);
  Outcome o;
  if (via_stdin) {
    o.r = run_process(iamsim::test::iamsim_binary(), {"eval", "-"}, input, std::chrono::seconds(30));
    o.file = "<stdin>";
  } else {
    o.r = run_process(iamsim::test::iamsim_binary(), {"eval", input.string()}, {}, std::chrono::seconds(30));
    o.file = input.string();
  }
  return o;
}

// Exit 2 in time, no crash, a short message naming the place and holding every key word.
void check_rejected(const Outcome& o, const std::vector<std::string>& key_words) {
  const auto& r = o.r;
  INFO("iamsim ended with " << r.how_it_ended() << " after " << r.elapsed.count() << " ms");
  INFO("stderr (first 2000 bytes): " << r.err.substr(0, 2000));
  REQUIRE_FALSE(r.timed_out);
  REQUIRE(r.signal == 0);
  CHECK(r.exit_code == 2);
  CHECK(r.elapsed < time_budget);
  CHECK(r.err.size() < max_message_bytes);
  CHECK(r.out.size() < max_message_bytes);
  for (const auto& word : key_words) {
    INFO("key word: " << word);
    CHECK(r.err.find(word) != std::string::npos);
  }
}

}  // namespace

TEST_CASE("eval rejects 200,000 nested arrays inside a context value", "[cli][huge]") {
  TempDir tmp;
  const auto o = run_eval(tmp, head + R"(,"context":{"aws:TagKeys":)" + nested_arrays(depth) + "}}\n");
  check_rejected(o, {o.file + ":1:", "/context/aws:TagKeys", "context value"});
}

TEST_CASE("eval rejects 200,000 nested arrays inside a policy", "[cli][huge]") {
  TempDir tmp;
  const auto o = run_eval(
      tmp,
      head + policy_with(R"("Effect":"Allow","Action":"s3:GetObject","Resource":)" + nested_arrays(depth)) + "}\n");
  check_rejected(o, {o.file + ":1:", "/policies/identity/0", "deep"});
}

TEST_CASE("eval rejects 200,000 nested arrays inside a condition of a policy", "[cli][huge]") {
  TempDir tmp;
  const auto o = run_eval(tmp, head +
                                   policy_with(R"("Effect":"Allow","Action":"s3:GetObject","Resource":"*",)"
                                               R"("Condition":{"StringEquals":{"aws:username":)" +
                                               nested_arrays(depth) + "}}") +
                                   "}\n");
  check_rejected(o, {o.file + ":1:", "/policies/identity/0"});
}

TEST_CASE("eval rejects 200,000 nested arrays as the whole line", "[cli][huge]") {
  TempDir tmp;
  const auto o = run_eval(tmp, nested_arrays(depth) + "\n");
  check_rejected(o, {o.file + ":1:", "JSON object"});
}

TEST_CASE("eval rejects 200,000 nested arrays on line 3 of JSON Lines and answers the others", "[cli][huge]") {
  TempDir tmp;
  const auto o = run_eval(tmp, good_line + "\n" + good_line + "\n" + nested_arrays(depth) + "\n" + good_line + "\n");
  check_rejected(o, {o.file + ":3:", "JSON object"});
  // One answer per line, in order: the good lines are still decided.
  std::vector<std::string> lines;
  for (std::size_t pos = 0; pos < o.r.out.size();) {
    const auto nl = o.r.out.find('\n', pos);
    lines.push_back(o.r.out.substr(pos, nl - pos));
    pos = nl == std::string::npos ? o.r.out.size() : nl + 1;
  }
  REQUIRE(lines.size() == 4);
  CHECK(lines[0].find(R"("decision":"allow")") != std::string::npos);
  CHECK(lines[1].find(R"("decision":"allow")") != std::string::npos);
  CHECK(lines[2].rfind(R"({"error":)", 0) == 0);
  CHECK(lines[3].find(R"("decision":"allow")") != std::string::npos);
}

TEST_CASE("eval rejects 200,000 nested objects as the whole line", "[cli][huge]") {
  TempDir tmp;
  std::string text;
  text.reserve(depth * 6 + 8);
  for (std::size_t i = 0; i < depth; ++i) text += R"({"a":)";
  text += '1';
  text.append(depth, '}');
  const auto o = run_eval(tmp, text + "\n");
  check_rejected(o, {o.file + ":1:", "/a"});
}

TEST_CASE("eval rejects a line that opens 200,000 arrays and never closes them", "[cli][huge]") {
  TempDir tmp;
  const auto o = run_eval(tmp, R"({"id":)" + std::string(depth, '[') + "\n");
  check_rejected(o, {o.file + ":1:"});
}

TEST_CASE("eval rejects a 60 MB id", "[cli][huge]") {
  TempDir tmp;
  const auto o =
      run_eval(tmp, R"({"id":")" + std::string(giant, 'x') + "\"," + head.substr(head.find("\"principal\"")) + "}\n");
  check_rejected(o, {o.file + ":1:", "/id", "longer than"});
}

TEST_CASE("eval rejects a 60 MB id read from standard input", "[cli][huge]") {
  TempDir tmp;
  const auto o =
      run_eval(tmp, R"({"id":")" + std::string(giant, 'x') + "\"," + head.substr(head.find("\"principal\"")) + "}\n",
               /*via_stdin=*/true);
  check_rejected(o, {"<stdin>:1:", "/id", "longer than"});
}

TEST_CASE("eval rejects a 60 MB context value", "[cli][huge]") {
  TempDir tmp;
  const auto o = run_eval(tmp, head + R"(,"context":{"aws:username":")" + std::string(giant, 'x') + "\"}}\n");
  check_rejected(o, {o.file + ":1:", "/context/aws:username", "longer than"});
}

TEST_CASE("eval rejects a 60 MB Sid", "[cli][huge]") {
  TempDir tmp;
  const auto o = run_eval(tmp, head +
                                   policy_with(R"("Sid":")" + std::string(giant, 'x') +
                                               R"(","Effect":"Allow","Action":"s3:GetObject","Resource":"*")") +
                                   "}\n");
  check_rejected(o, {o.file + ":1:", "/policies/identity/0/Statement/0/Sid", "longer than"});
}

// Regression: a 60 MB Resource was once reported twice, the second time quoting the whole
// string with a caret line under it, so standard error grew to 60 MB.
TEST_CASE("eval rejects a 60 MB Resource in a policy without echoing it", "[cli][huge]") {
  TempDir tmp;
  const auto o = run_eval(
      tmp,
      head + policy_with(R"("Effect":"Allow","Action":"s3:GetObject","Resource":")" + std::string(giant, 'x') + "\"") +
          "}\n");
  check_rejected(o, {o.file + ":1:", "/policies/identity/0/Statement/0/Resource", "longer than"});
}

// Regression: the 65,536-byte limit on request strings once missed context keys.
TEST_CASE("eval rejects a 60 MB context key", "[cli][huge]") {
  TempDir tmp;
  const auto o = run_eval(tmp, head + R"(,"context":{")" + std::string(giant, 'k') + "\":\"v\"}}\n");
  check_rejected(o, {o.file + ":1:", "/context", "longer than"});
}
