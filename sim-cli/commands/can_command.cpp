// Stage: report. `iamsim can WORLD PRINCIPAL ACTION RESOURCE`: one what-if question,
// answered hop by hop.
#include <iostream>

#include "lint/world_checks.hpp"
#include "sim-cli/commands/commands.hpp"
#include "sim-cli/commands/common.hpp"
#include "sim-cli/commands/question.hpp"
#include "sim-cli/commands/world_loading.hpp"
#include "sim-cli/render/access_graph.hpp"
#include "sim-cli/render/access_render.hpp"
#include "sim-cli/render/terminal_text.hpp"

namespace iamsim::cli {
namespace {

struct CanArgs {
  std::string world, principal, action, resource;
  std::vector<std::string> context;
  bool explain = false;
  std::string format = "text";
  CommonOptions common;
};

int run_can(const CanArgs& args) {
  Semantics semantics;
  if (!build_semantics(args.common, semantics)) return exit_bad_input;
  auto world = load_compiled_world(args.world, semantics, model::LoadScope::world_only);
  if (!world) return exit_bad_input;
  auto question = parse_question(world->world(), args.principal, args.action, args.resource, args.context);
  if (!question) return exit_bad_input;
  for (const auto& f : lint::check_question(question->action, question->resource_arn))
    std::cerr << terminal_safe("iamsim: warning[" + f.rule + "]: " + f.message + " (" + f.fix + ")") << "\n";
  const model::AccessResolver resolver(world);
  const auto access = resolver.decide(*question);
  std::string out;
  if (args.format == "json") {
    render_access_json(out, access);
    out += '\n';
  } else if (args.format == "mermaid" || args.format == "dot") {
    AccessGraph graph;
    graph.add_path(world->world(), question->principal, access, question->resource_arn);
    const std::string title = std::string(access.allowed() ? "ALLOWED" : "DENIED") + ": " + args.principal + " " +
                              question->action + " " + question->resource_arn;
    if (args.format == "mermaid")
      render_mermaid(out, graph, title);
    else
      render_dot(out, graph, title);
  } else {
    out += access.allowed()
               ? "ALLOWED"
               : (access.outcome == eval::Outcome::ExplicitDeny ? "DENIED (explicit)" : "DENIED (implicit)");
    out += ": " + args.principal + " " + question->action + " " + question->resource_arn + "\n";
    if (args.explain) {
      render_access_text(out, access, true);
    } else {
      if (!access.allowed()) out += "  " + one_line_reason(access) + "\n";
      render_missing_keys_text(out, access);  // E11: never silently depend on an absent key
      if (!access.allowed()) out += "  (--explain shows every hop)\n";
    }
  }
  write_output(out);
  return access.allowed() ? exit_ok : exit_failed;
}

}  // namespace

CommandRunner add_can_command(CLI::App& app) {
  auto args = std::make_shared<CanArgs>();
  auto* cmd = app.add_subcommand("can", "Ask whether a principal of a world may do an action on a resource");
  cmd->footer(
      "Example:\n"
      "  iamsim can scenarios/kserve-cross-account/1-direct-grant.yaml \\\n"
      "      sa:ml-prod/kserve/model-loader-sa s3:GetObject s3://ml-models-prod/models/flowers/saved_model.pb "
      "--explain\n"
      "PRINCIPAL: sa:CLUSTER/NS/NAME, workload:CLUSTER/NS/NAME, a user/role/assumed-role ARN, anonymous,\n"
      "           or A -> ROLE_ARN [-> ROLE_ARN ...] (role chaining).\n"
      "RESOURCE: an ARN or s3://BUCKET[/KEY]. Exit 0: allowed; 1: denied; 2: bad input.");
  cmd->add_option("world", args->world, "scenario file, or a folder holding one")->required();
  cmd->add_option("principal", args->principal, "who asks")->required();
  cmd->add_option("action", args->action, "service:Action")->required();
  cmd->add_option("resource", args->resource, "ARN or s3://BUCKET/KEY")->required();
  cmd->add_option("--context", args->context, "condition key for the request (repeatable); VALUE may be a JSON array")
      ->type_name("KEY=VALUE");
  cmd->add_flag("--explain", args->explain, "show every hop, layer and deciding statement");
  cmd->add_option("--format", args->format, "text (default), json, or a picture of the path: mermaid or dot")
      ->check(CLI::IsMember({"text", "json", "mermaid", "dot"}));
  add_common_options(*cmd, args->common);
  add_outside_files_option(*cmd);
  return [args]() { return run_can(*args); };
}

}  // namespace iamsim::cli
