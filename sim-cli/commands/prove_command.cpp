// Stage: report. `iamsim prove WORLD 'CLAIM'`: a claim over every request (docs/claims.md).
// Exit 0: it holds; 1: refuted (with the request that does it) or unknown (never passes).
#include <iostream>

#include "model/paths/access.hpp"
#include "prove/claims/claim.hpp"
#include "sim-cli/commands/commands.hpp"
#include "sim-cli/commands/common.hpp"
#include "sim-cli/commands/world_loading.hpp"
#include "sim-cli/render/claim_render.hpp"
#include "sim-cli/render/terminal_text.hpp"

namespace iamsim::cli {
namespace {

struct ProveArgs {
  std::string world, claim;
  std::string format = "text";
  CommonOptions common;
};

int run_prove(const ProveArgs& args) {
  Semantics semantics;
  if (!build_semantics(args.common, semantics)) return exit_bad_input;
  std::string error;
  auto claim = prove::parse_claim(args.claim, error);
  if (!claim) {
    std::cerr << terminal_safe("iamsim: error: claim '" + args.claim + "': " + error) << "\n";
    return exit_bad_input;
  }
  auto world = load_compiled_world(args.world, semantics, model::LoadScope::world_only);
  if (!world) return exit_bad_input;
  const model::AccessResolver resolver(world);
  auto result = prove::decide_claim(*claim, resolver, error);
  if (!result) {
    std::cerr << terminal_safe("iamsim: error: claim '" + args.claim + "': " + error) << "\n";
    return exit_bad_input;
  }
  std::string out;
  if (args.format == "json")
    render_claim_json(out, args.world, args.claim, *result);
  else
    render_claim_text(out, args.world, args.claim, *result);
  write_output(out);
  return result->verdict == prove::ClaimResult::Verdict::Holds ? exit_ok : exit_failed;
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
      "       only [REF, ...] ACTION s3://BUCKET/KEY-PATTERN [at TIME] (docs/claims.md).\n"
      "       Exit 0: holds; 1: refuted or unknown; 2: bad input.");
  cmd->add_option("world", args->world, "scenario file, or a folder holding one")->required();
  cmd->add_option("claim", args->claim, "the claim, quoted")->required();
  cmd->add_option("--format", args->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  add_common_options(*cmd, args->common);
  add_outside_files_option(*cmd);
  return [args]() { return run_prove(*args); };
}

}  // namespace iamsim::cli
