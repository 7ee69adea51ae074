// Stage: report. `iamsim check PATH...`: every expectation of every scenario file, decided
// in parallel; a summary, each failure with its reason, JSON and JUnit for CI.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <iostream>
#include <map>
#include <memory>

#include <tbb/parallel_for.h>

#include "engine/assert.hpp"
#include "lint/world_checks.hpp"
#include "model/load/scenario_loader.hpp"
#include "model/queries/who_can.hpp"
#include "prove/claims/claim.hpp"
#include "sim-cli/commands/commands.hpp"
#include "sim-cli/commands/common.hpp"
#include "sim-cli/commands/compared_worlds.hpp"
#include "sim-cli/commands/keep_until_exit.hpp"
#include "sim-cli/commands/phase_clock.hpp"
#include "sim-cli/commands/shard.hpp"
#include "sim-cli/render/access_render.hpp"
#include "sim-cli/render/check_render.hpp"
#include "sim-cli/render/claim_render.hpp"
#include "sim-cli/render/progress.hpp"
#include "sim-cli/render/sarif_render.hpp"

namespace iamsim::cli {
namespace {

struct CheckArgs {
  std::vector<std::string> paths;
  std::string format = "text";
  std::string junit;
  bool explain_failures = false;
  bool timings = false;
  bool verbose = false;
  ShardOption shard;
  CommonOptions common;
};

// Now, as JUnit writes it: 2026-12-01T20:52:15 (UTC, no zone).
std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &utc);
  return buf;
}

// A claim expectation (docs/claims.md): decided by the proof engine; it passes when its verdict
// is the one expected ("unknown" never passes).
void record_claim(ExpectationResult& result, const prove::Claim& claim, const model::PrincipalIndex& index,
                  const ComparedWorlds* compared) {
  const auto& e = *result.expectation;
  std::string error;
  const auto decided = compared ? std::optional(compared->decide(claim)) : prove::decide_claim(claim, index, error);
  IAMSIM_ASSERT(decided.has_value(), "a claim's bucket that was found before the run is gone");
  using V = prove::ClaimResult::Verdict;
  result.verdict = std::string(verdict_word(decided->verdict));
  result.holds = e.claim->expect_refuted ? decided->verdict == V::Refuted : decided->verdict == V::Holds;
  const std::string& world = e.where.file;
  result.reason = claim_reason(world, *decided);
  if (!result.passed()) {
    render_claim_text(result.details, world, e.claim->text, *decided);
    if (decided->verdict == V::Refuted) result.statement_where = claim_statement_location(*decided);
  }
}

int run_check(const CheckArgs& args) {
  Semantics semantics;
  if (!build_semantics(args.common, semantics)) return exit_bad_input;
  ParallelismLimit limit(args.common.jobs);
  PhaseClock clock("check", args.timings);
  std::vector<std::filesystem::path> paths(args.paths.begin(), args.paths.end());
  const std::string started = utc_timestamp();
  // On bad input the JUnit report says the run failed: CI must never read the last good one.
  auto stopped = [&](const Diagnostics& diagnostics, std::string extra = {}) {
    if (args.junit.empty()) return exit_bad_input;
    std::vector<std::string> why;
    for (const auto& d : diagnostics.items()) why.push_back(format_diagnostic(d));
    if (!extra.empty()) why.push_back(std::move(extra));
    std::string xml, error;
    render_check_junit_stopped(xml, started, why);
    if (!write_report_file(args.junit, xml, error)) {
      std::cerr << "iamsim check: " << error << "\n";
      remove_stale_report(args.junit);
    }
    return exit_bad_input;
  };
  const auto shard = args.shard.get();
  prepare_world_digest(shard);
  auto& loaded = keep_until_exit<model::ScenarioLoad>(model::load_scenarios(paths));
  const Diagnostics load_diagnostics = loaded.all_diagnostics();
  print_diagnostics(load_diagnostics);
  if (!loaded.ok()) return stopped(load_diagnostics);
  if (loaded.files.empty()) {
    std::string message = "no scenario files (apiVersion: iamsim/v1) under";
    for (const auto& p : args.paths) message += " " + p;
    std::cerr << "iamsim check: " << message << "\n";
    return stopped(load_diagnostics, "iamsim check: " + message);
  }

  clock.lap("load");
  // What each scenario's own sections replaced of its imports (docs/scenario-format.md, import).
  if (args.verbose)
    for (const auto& file : loaded.files)
      for (const auto& line : file.world->import_overrides)
        std::cerr << file.world->scenario_file << ": import override: " << line << "\n";
  // Expectations that ask an action of a resource it cannot apply to, or name an unknown
  // action, still run; they are warned about (docs/lint.md, expectation.*).
  std::vector<lint::Finding> warnings;
  for (const auto& file : loaded.files)
    for (auto& f : lint::check_expectations(*file.world)) {
      print_diagnostic({Severity::Warning, f.rule, f.where, f.message + " (" + f.fix + ")"});
      warnings.push_back(std::move(f));
    }
  auto& report = keep_until_exit<CheckReport>();
  report.timestamp = started;
  auto& resolvers = keep_until_exit<std::vector<std::unique_ptr<model::AccessResolver>>>();
  bool compiled_ok = true;
  Diagnostics compile_diagnostics;
  // A shard decides its run of the expectations in file order (shard.hpp); it still compiles
  // every world, so that it stops on the same bad input as the whole run.
  std::size_t total = 0;
  for (const auto& file : loaded.files) total += file.world->expectations.size();
  const ShardRange part = shard_range(shard, total);
  std::size_t offset = 0;  // of the file's first expectation among all
  for (const auto& file : loaded.files) {
    const auto& all = file.world->expectations;
    const std::size_t first = std::clamp(part.begin, offset, offset + all.size()) - offset;
    const std::size_t last = std::clamp(part.end, offset, offset + all.size()) - offset;
    offset += all.size();
    Diagnostics diagnostics;
    auto compiled = model::CompiledWorld::compile(file.world, semantics, diagnostics);
    print_diagnostics(diagnostics);
    compile_diagnostics.append(diagnostics);
    if (!compiled) {
      compiled_ok = false;
      continue;
    }
    resolvers.push_back(std::make_unique<model::AccessResolver>(compiled));
    auto& f = report.files.emplace_back();
    f.file = file.world->scenario_file;
    f.name = file.world->scenario_name;
    f.expectations = &all;
    f.first = first;
    for (std::size_t e = first; e < last; ++e) f.results.emplace_back().expectation = &all[e];
  }
  if (!compiled_ok) return stopped(compile_diagnostics);
  // Claims are read before anything is decided: a claim that does not parse is bad input.
  // A file with claims gets one index of its principals, which all its claims share.
  Diagnostics claim_diagnostics;
  std::map<const model::Expectation*, prove::Claim> claims;
  std::map<const model::Expectation*, std::unique_ptr<ComparedWorlds>> compared;  // no_new_access
  std::vector<std::unique_ptr<model::PrincipalIndex>> indexes(report.files.size());
  for (std::size_t f = 0; f < report.files.size(); ++f)
    for (const auto& r : report.files[f].results) {
      const auto& e = *r.expectation;
      if (!e.claim) continue;
      std::string error;
      auto claim = prove::parse_claim(e.claim->text, error);
      if (!claim) {
        claim_diagnostics.error("scenario.bad-claim", e.where, "this claim does not parse: " + error);
      } else if (claim->kind == prove::Claim::Kind::NoNewAccess) {
        auto worlds = load_compared_worlds(*claim, e.where.file, resolvers[f]->world().world(), semantics, error);
        if (!worlds) {
          claim_diagnostics.error("scenario.bad-claim", e.where, "no_new_access: " + error);
        } else {
          compared.emplace(&e, std::move(worlds));
          claims.emplace(&e, std::move(*claim));
          if (!indexes[f]) indexes[f] = std::make_unique<model::PrincipalIndex>(*resolvers[f]);
        }
      } else if (!resolvers[f]->world().world().find_bucket(claim->bucket)) {
        claim_diagnostics.error("scenario.bad-claim", e.where, "the world has no bucket '" + claim->bucket + "'");
      } else {
        claims.emplace(&e, std::move(*claim));
        if (!indexes[f]) indexes[f] = std::make_unique<model::PrincipalIndex>(*resolvers[f]);
      }
    }
  if (!claim_diagnostics.empty()) {
    print_diagnostics(claim_diagnostics);
    return stopped(claim_diagnostics);
  }

  clock.lap("compile");
  // Every (file, expectation) pair is one task; sessions are shared through each resolver.
  std::vector<std::pair<std::size_t, std::size_t>> tasks;
  for (std::size_t f = 0; f < report.files.size(); ++f)
    for (std::size_t e = 0; e < report.files[f].results.size(); ++e) tasks.emplace_back(f, e);
  {
    Progress progress("checking", tasks.size());
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, tasks.size()), [&](const auto& range) {
      for (std::size_t i = range.begin(); i != range.end(); ++i) {
        auto& result = report.files[tasks[i].first].results[tasks[i].second];
        const auto& e = *result.expectation;
        const auto start = std::chrono::steady_clock::now();
        if (e.claim)
          record_claim(result, claims.at(&e), *indexes[tasks[i].first],
                       compared.count(&e) ? compared.at(&e).get() : nullptr);
        else
          result.record(resolvers[tasks[i].first]->decide({e.principal, e.action, e.resource_arn, e.context}));
        result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      }
      progress.add(range.size());
    });
  }

  clock.lap("evaluate");
  std::optional<ShardInfo> info;
  if (shard) {
    // The answer depends on the files read and the rule choices; the paths are in the files'.
    std::vector<std::string> arguments;
    for (const auto& kv : args.common.semantics) arguments.push_back("semantics=" + kv);
    info = ShardInfo{"check", "json", *shard, world_digest("check", arguments), part.size(), total};
  }
  std::string out;
  if (args.format == "json")
    render_check_json(out, report, info ? shard_info_json(*info) : std::string());
  else if (args.format == "sarif")
    render_check_sarif(out, report, warnings);
  else
    render_check_text(out, report, args.explain_failures);
  write_output(out);
  clock.lap("report");
  if (!args.junit.empty()) {
    std::string xml, error;
    JunitProperties properties;
    if (info) {
      info->format = "junit";
      properties = shard_info_properties(*info);
    }
    render_check_junit(xml, report, properties);
    if (!write_report_file(args.junit, xml, error)) {
      std::cerr << "iamsim check: " << error << "\n";
      return exit_bad_input;
    }
  }
  return report.failed() == 0 ? exit_ok : exit_failed;
}

}  // namespace

CommandRunner add_check_command(CLI::App& app) {
  auto args = std::make_shared<CheckArgs>();
  auto* cmd = app.add_subcommand("check", "Check every expectation of scenario files (folders are searched)");
  cmd->footer(
      "Example:\n"
      "  iamsim check scenarios/ --junit results.xml\n"
      "Exit 0: every expectation holds; 1: one failed; 2: bad input.");
  cmd->add_option("paths", args->paths, "scenario files or folders")->required();
  cmd->add_option("--format", args->format, "text (default), json, or sarif (failed expectations as results)")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  cmd->add_option("--junit", args->junit, "also write a JUnit XML report to this file");
  cmd->add_flag("--explain-failures", args->explain_failures, "show every hop of each failed expectation");
  cmd->add_flag("--verbose", args->verbose, "also list what each scenario's sections override of its imports");
  add_shard_option(*cmd, args->shard, "expectations, in file order");
  cmd->add_flag("--timings", args->timings, "print the seconds spent loading, compiling, evaluating, reporting");
  add_common_options(*cmd, args->common);
  add_outside_files_option(*cmd);
  return [args]() { return run_check(*args); };
}

}  // namespace iamsim::cli
