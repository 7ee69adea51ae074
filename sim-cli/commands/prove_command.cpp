// Stage: report. `iamsim prove WORLD 'CLAIM'`: a claim over every request (docs/claims.md).
// Exit 0: it holds; 1: refuted (with the request that does it) or unknown (never passes).
#include <iostream>
#include <optional>

#include <tbb/parallel_for.h>

#include "model/paths/access.hpp"
#include "prove/claims/claim.hpp"
#include "sim-cli/commands/commands.hpp"
#include "sim-cli/commands/common.hpp"
#include "sim-cli/commands/compared_worlds.hpp"
#include "sim-cli/commands/world_loading.hpp"
#include "sim-cli/render/claim_render.hpp"
#include "sim-cli/render/terminal_text.hpp"

namespace iamsim::cli {
namespace {

struct ProveArgs {
  std::string world;
  std::vector<std::string> claims;
  std::string format = "text";
  CommonOptions common;
};

int run_prove(const ProveArgs& args) {
  Semantics semantics;
  if (!build_semantics(args.common, semantics)) return exit_bad_input;
  ParallelismLimit limit(args.common.jobs);
  std::string error;
  std::vector<prove::Claim> claims;
  for (const auto& text : args.claims) {
    auto claim = prove::parse_claim(text, error);
    if (!claim) {
      std::cerr << terminal_safe("iamsim: error: claim '" + text + "': " + error) << "\n";
      return exit_bad_input;
    }
    claims.push_back(std::move(*claim));
  }
  auto world = load_compiled_world(args.world, semantics, model::LoadScope::world_only);
  if (!world) return exit_bad_input;
  // no_new_access claims bring their two worlds, read against WORLD's folder.
  std::vector<std::unique_ptr<ComparedWorlds>> compared(claims.size());
  for (std::size_t i = 0; i < claims.size(); ++i) {
    const auto& c = claims[i];
    if (c.kind == prove::Claim::Kind::NoNewAccess) {
      compared[i] = load_compared_worlds(c, args.world, world->world(), semantics, error);
      if (!compared[i]) {
        std::cerr << terminal_safe("iamsim: error: claim '" + c.text + "': " + error) << "\n";
        return exit_bad_input;
      }
    } else if (!world->world().find_bucket(c.bucket)) {
      std::cerr << terminal_safe("iamsim: error: claim '" + c.text + "': the world has no bucket '" + c.bucket + "'")
                << "\n";
      return exit_bad_input;
    }
  }
  // The claims are independent: decided in parallel, printed in the order given.
  const model::AccessResolver resolver(world);
  const model::PrincipalIndex index(resolver);
  std::vector<std::optional<prove::ClaimResult>> results(claims.size());
  tbb::parallel_for(std::size_t{0}, claims.size(), [&](std::size_t i) {
    std::string ignored;
    results[i] = compared[i] ? compared[i]->decide(claims[i]) : prove::decide_claim(claims[i], index, ignored);
  });
  std::string out;
  bool all_hold = true;
  if (args.format == "json" && claims.size() > 1) out += "[";
  for (std::size_t i = 0; i < claims.size(); ++i) {
    all_hold &= results[i]->verdict == prove::ClaimResult::Verdict::Holds;
    if (args.format == "json") {
      if (i) out += ",";
      render_claim_json(out, args.world, args.claims[i], *results[i]);
    } else {
      render_claim_text(out, args.world, args.claims[i], *results[i]);
    }
  }
  if (args.format == "json" && claims.size() > 1) out += "]\n";
  write_output(out);
  return all_hold ? exit_ok : exit_failed;
}

}  // namespace

CommandRunner add_prove_command(CLI::App& app) {
  auto args = std::make_shared<ProveArgs>();
  auto* cmd = app.add_subcommand("prove", "Prove a claim over every request, or refute it with a request that does it");
  cmd->footer(
      "Example:\n"
      "  iamsim prove scenarios/kserve-cross-account/3-pinned-trust.yaml \\\n"
      "      'never outside-org s3:GetObject s3://ml-models-prod/*'\n"
      "CLAIM: never PRINCIPALS ACTION s3://BUCKET/KEY-PATTERN [at TIME], PRINCIPALS one of outside-org,\n"
      "       outside-account:ACCOUNT, anonymous, anyone, a reference or [REF, ...] ('*' patterns);\n"
      "       only [REF, ...] ACTION s3://BUCKET/KEY-PATTERN [at TIME]; no_public_access s3://BUCKET;\n"
      "       no_new_access OLD NEW [ACTION s3://BUCKET/KEY-PATTERN], OLD and NEW two scenario files or two\n"
      "       policy files (NEW in OLD's place in WORLD), read against WORLD's folder (docs/claims.md).\n"
      "       Exit 0: every claim holds; 1: one is refuted or unknown; 2: bad input.");
  cmd->add_option("world", args->world, "scenario file, or a folder holding one")->required();
  cmd->add_option("claims", args->claims, "the claims, each quoted (several are decided in parallel)")->required();
  cmd->add_option("--format", args->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  add_common_options(*cmd, args->common);
  add_outside_files_option(*cmd);
  return [args]() { return run_prove(*args); };
}

}  // namespace iamsim::cli
