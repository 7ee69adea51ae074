// Benchmarks of AWS's service catalogue (engine/catalog): reading the embedded file, which
// every process that needs it pays once (target: under 20 ms), and the lookups that lint and
// the access matrix make.
#include <benchmark/benchmark.h>

#include <stdexcept>

#include "engine/catalog/aws_catalog.hpp"

namespace {

using iamsim::catalog::Catalog;

void BM_catalog_load(benchmark::State& state) {
  const auto text = iamsim::catalog::embedded_catalog_text();
  for (auto _ : state) {
    std::string error;
    auto catalog = Catalog::parse(text, error);
    if (!catalog) throw std::runtime_error(error);
    benchmark::DoNotOptimize(catalog);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_catalog_load)->Unit(benchmark::kMillisecond);

void BM_catalog_find_action(benchmark::State& state) {
  const Catalog& c = Catalog::aws();
  for (auto _ : state) benchmark::DoNotOptimize(c.find_action("s3:GetObject"));
}
BENCHMARK(BM_catalog_find_action);

void BM_catalog_expand_s3(benchmark::State& state) {
  const Catalog& c = Catalog::aws();
  for (auto _ : state) benchmark::DoNotOptimize(c.expand("s3:*"));
}
BENCHMARK(BM_catalog_expand_s3)->Unit(benchmark::kMicrosecond);

void BM_catalog_resource_types_of_object(benchmark::State& state) {
  const Catalog& c = Catalog::aws();
  for (auto _ : state)
    benchmark::DoNotOptimize(c.resource_types_of("arn:aws:s3:::ml-models-prod/models/flowers/saved_model.pb"));
}
BENCHMARK(BM_catalog_resource_types_of_object)->Unit(benchmark::kMicrosecond);

void BM_catalog_find_condition_key(benchmark::State& state) {
  const Catalog& c = Catalog::aws();
  for (auto _ : state) benchmark::DoNotOptimize(c.find_condition_key("aws:ResourceTag/team"));
}
BENCHMARK(BM_catalog_find_condition_key)->Unit(benchmark::kMicrosecond);

}  // namespace
