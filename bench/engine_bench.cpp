// Benchmarks of the engine and the world: compiled decisions (the two requests of
// bench/requests), parsing and compiling policies, reading eval requests, loading a world
// and checking its expectations. Decisions per second are reported as items_per_second.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <simdjson.h>

#include "engine/contract/eval_request.hpp"
#include "engine/eval/authorize.hpp"
#include "model/load/scenario_loader.hpp"
#include "model/paths/access.hpp"
#include "sim-cli/eval/eval_batch.hpp"

namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string request_text(const char* name) {
  return read_file(fs::path(IAMSIM_SOURCE_DIR) / "bench" / "requests" / (std::string(name) + ".json"));
}

// A request read once through the eval contract, so its policies are compiled once.
struct PreparedRequest {
  iamsim::Semantics semantics;
  iamsim::compile::PolicyCache cache{semantics};
  std::string padded;
  iamsim::eval::PolicySource source{{}, "bench", {}, 0, true};
  iamsim::contract::ReaderMemory memory;
  iamsim::contract::EvalJob job;

  explicit PreparedRequest(const char* name) : padded(request_text(name)) {
    const std::size_t size = padded.size();
    padded.append(simdjson::SIMDJSON_PADDING, ' ');
    iamsim::Diagnostics diagnostics;
    auto read = iamsim::contract::read_eval_request(std::string_view(padded.data(), size), padded.size(),
                                                    {name, "", 1, 0}, cache, source, memory, diagnostics);
    if (!read) throw std::runtime_error(std::string("cannot read bench request ") + name);
    job = std::move(*read);
  }
};

void authorize_prepared(benchmark::State& state, const char* name) {
  PreparedRequest prepared(name);
  for (auto _ : state) {
    auto decision = iamsim::eval::authorize(prepared.job.request, prepared.job.policies, prepared.semantics);
    benchmark::DoNotOptimize(decision);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_authorize_basic(benchmark::State& state) { authorize_prepared(state, "basic"); }
void BM_authorize_heavy(benchmark::State& state) { authorize_prepared(state, "heavy"); }
BENCHMARK(BM_authorize_basic);
BENCHMARK(BM_authorize_heavy);

// The eval contract end to end for one request text with a fresh policy cache each time:
// read, parse and compile every policy, decide, render (the cost when no policy repeats).
void eval_one(benchmark::State& state, const char* name) {
  iamsim::cli::EvalSettings settings;
  const std::string text = request_text(name);
  for (auto _ : state) {
    auto result = iamsim::cli::evaluate_one(text, settings);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
void BM_eval_uncached_basic(benchmark::State& state) { eval_one(state, "basic"); }
void BM_eval_uncached_heavy(benchmark::State& state) { eval_one(state, "heavy"); }
BENCHMARK(BM_eval_uncached_basic);
BENCHMARK(BM_eval_uncached_heavy);

// Parsing and compiling the heavy identity policy (20 statements with conditions).
void BM_compile_policy_heavy(benchmark::State& state) {
  simdjson::dom::parser parser;
  const std::string text = request_text("heavy");
  simdjson::dom::element root = parser.parse(text);
  const std::string policy = simdjson::minify(root["policies"]["identity"].at(0));
  iamsim::Semantics semantics;
  for (auto _ : state) {
    iamsim::Diagnostics diagnostics;
    auto compiled =
        iamsim::compile::compile_policy_text(policy, iamsim::compile::PolicyKind::Identity, semantics, {}, diagnostics);
    benchmark::DoNotOptimize(compiled);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * policy.size()));
}
BENCHMARK(BM_compile_policy_heavy);

fs::path kserve_scenario() {
  return fs::path(IAMSIM_SOURCE_DIR) / "scenarios" / "kserve-cross-account" / "1-direct-grant.yaml";
}

void BM_load_world_kserve(benchmark::State& state) {
  iamsim::Semantics semantics;
  for (auto _ : state) {
    auto loaded = iamsim::model::load_world(kserve_scenario());
    iamsim::Diagnostics diagnostics;
    auto compiled = iamsim::model::CompiledWorld::compile(loaded.world, semantics, diagnostics);
    benchmark::DoNotOptimize(compiled);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_load_world_kserve)->Unit(benchmark::kMicrosecond);

// Every expectation of the KServe scenario through a resolver whose sessions are warm.
void BM_check_kserve_expectations(benchmark::State& state) {
  iamsim::Semantics semantics;
  auto loaded = iamsim::model::load_world(kserve_scenario());
  iamsim::Diagnostics diagnostics;
  auto compiled = iamsim::model::CompiledWorld::compile(loaded.world, semantics, diagnostics);
  iamsim::model::AccessResolver resolver(compiled);
  const auto& expectations = loaded.world->expectations;
  for (auto _ : state)
    for (const auto& e : expectations) {
      auto access = resolver.decide({e.principal, e.action, e.resource_arn, e.context});
      benchmark::DoNotOptimize(access);
    }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * expectations.size()));
}
BENCHMARK(BM_check_kserve_expectations);

}  // namespace
