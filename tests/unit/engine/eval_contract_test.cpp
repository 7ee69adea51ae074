// Tests: the eval contract's request reader (engine/contract/, docs/eval-contract.md), without
// the command line: one function reads a request; the fast path, which matches policies with
// texts the caller's ReaderMemory used recently, takes over when a batch repeats its policies
// and gives what the ordinary read gives; anything it cannot take falls back to the ordinary
// read, which reports the problem.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include <simdjson.h>

#include "engine/contract/eval_request.hpp"
#include "engine/eval/authorize.hpp"

using namespace iamsim;

namespace {

const std::string request_text =
    R"({"id":"r1","principal":"arn:aws:iam::111111111111:user/alice","action":"s3:GetObject",)"
    R"("resource":"arn:aws:s3:::data-bucket/reports/q1.csv","resource_account":"111111111111",)"
    R"("policies":{"identity":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",)"
    R"("Resource":"arn:aws:s3:::data-bucket/*"}]}],"scp":[[{"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
    R"("Action":"*","Resource":"*"}]}]]}})";

struct Reader {
  Semantics semantics;
  compile::PolicyCache cache{semantics};
  contract::ReaderMemory memory;
  eval::PolicySource source{{}, "test", {}, 0, true};

  bool read(const std::string& text, contract::EvalJob& job, Diagnostics& diagnostics,
            contract::ReadPath path = contract::ReadPath::FastFirst) {
    std::string padded = text;
    padded.append(simdjson::SIMDJSON_PADDING, ' ');
    padded_ = std::move(padded);
    return contract::read_eval_request(std::string_view(padded_.data(), text.size()), padded_.size(),
                                       {"test", "", 1, 0}, cache, source, memory, diagnostics, job, path);
  }
  std::string padded_;
};

}  // namespace

TEST_CASE("eval contract: a batch that repeats its policies is read by the fast path, with the same result",
          "[engine][contract]") {
  Reader reader;
  contract::EvalJob first, second, ordinary;
  Diagnostics diagnostics;
  REQUIRE(reader.read(request_text, first, diagnostics));
  CHECK(reader.memory.fast_reads() == 0);  // nothing known yet: the ordinary read
  REQUIRE(reader.read(request_text, second, diagnostics));
  CHECK(reader.memory.fast_reads() == 1);  // the policies are known now
  REQUIRE(reader.read(request_text, ordinary, diagnostics, contract::ReadPath::Ordinary));
  CHECK(reader.memory.fast_reads() == 1);
  CHECK(diagnostics.items().empty());

  for (const auto* job : {&second, &ordinary}) {
    CHECK(job->id == "r1");
    CHECK(job->request.principal.arn == "arn:aws:iam::111111111111:user/alice");
    REQUIRE(job->policies.identity.size() == 1);
    CHECK(job->policies.identity[0].policy == first.policies.identity[0].policy);  // compiled once, shared
    REQUIRE(job->policies.scp);
    CHECK(job->policies.scp->size() == 1);
    REQUIRE(job->owned.size() == 2);
    CHECK(job->owned[0].pointer == "/policies/identity/0");
    CHECK(job->owned[1].pointer == "/policies/scp/0/0");
    CHECK(eval::authorize(job->request, job->policies, reader.semantics).allowed());
  }
}

TEST_CASE("eval contract: a memory of its own per reader: another memory knows no policies", "[engine][contract]") {
  Reader reader;
  contract::EvalJob job;
  Diagnostics diagnostics;
  REQUIRE(reader.read(request_text, job, diagnostics));
  contract::ReaderMemory other;
  contract::EvalJob again;
  std::string padded = request_text + std::string(simdjson::SIMDJSON_PADDING, ' ');
  REQUIRE(contract::read_eval_request(std::string_view(padded.data(), request_text.size()), padded.size(),
                                      {"test", "", 1, 0}, reader.cache, reader.source, other, diagnostics, again));
  CHECK(other.fast_reads() == 0);
}

TEST_CASE("eval contract: what the fast path cannot take is read the ordinary way, and its problem reported",
          "[engine][contract]") {
  Reader reader;
  contract::EvalJob job;
  Diagnostics diagnostics;
  REQUIRE(reader.read(request_text, job, diagnostics));
  // Known policies, but a field after "policies" that the contract does not have.
  std::string bad = request_text;
  bad.insert(bad.size() - 1, R"(,"extra":1)");
  contract::EvalJob refused;
  Diagnostics problems;
  CHECK_FALSE(reader.read(bad, refused, problems));
  CHECK(reader.memory.fast_reads() == 0);
  REQUIRE(problems.items().size() == 1);
  CHECK(problems.items()[0].code == "eval.input");
  CHECK(problems.items()[0].message.find("unknown field \"extra\"") != std::string::npos);
  CHECK(problems.items()[0].where.pointer == "/extra");
}
