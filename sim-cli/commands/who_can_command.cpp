// Stage: report. `iamsim who-can WORLD ACTION RESOURCE...`: every principal of the world that
// is allowed, each with its path; for several resources, one answer each (JSON: one line each).
#include <iostream>

#include "lint/world_checks.hpp"
#include "model/queries/who_can.hpp"
#include "sim-cli/commands/commands.hpp"
#include "sim-cli/commands/common.hpp"
#include "sim-cli/commands/keep_until_exit.hpp"
#include "sim-cli/commands/phase_clock.hpp"
#include "sim-cli/commands/question.hpp"
#include "sim-cli/commands/shard.hpp"
#include "sim-cli/commands/world_loading.hpp"
#include "sim-cli/render/access_graph.hpp"
#include "sim-cli/render/access_render.hpp"
#include "sim-cli/render/json_writer.hpp"
#include "sim-cli/render/terminal_text.hpp"

namespace iamsim::cli {
namespace {

struct WhoCanArgs {
  std::string world, action;
  std::vector<std::string> resources;
  std::vector<std::string> context;
  std::string format = "text";
  bool timings = false;
  ShardOption shard;
  CommonOptions common;
};

std::string path_words(const model::Access& access) {
  std::string out;
  for (const auto& h : access.hops) {
    if (h.kind == model::HopKind::Request || h.kind == model::HopKind::Kms) continue;
    out += (out.empty() ? "" : ", then ") + h.title;
  }
  return out.empty() ? "its own credentials" : out;
}

// One resource's answer: a block of text, one JSON line, or a picture.
void render_answer(std::string& out, const std::string& format, const model::World& world,
                   const model::Question& question, const std::vector<model::AllowedPrincipal>& allowed) {
  if (format == "mermaid" || format == "dot") {
    AccessGraph graph;
    for (const auto& a : allowed) graph.add_path(world, a.principal, a.access, question.resource_arn);
    const std::string title = "who can " + question.action + " on " + question.resource_arn + ": " +
                              std::to_string(allowed.size()) + (allowed.size() == 1 ? " principal" : " principals");
    if (format == "mermaid")
      render_mermaid(out, graph, title);
    else
      render_dot(out, graph, title);
  } else if (format == "json") {
    JsonWriter w(out);
    w.begin_object();
    w.key("action").value(question.action);
    w.key("resource").value(question.resource_arn);
    w.key("principals").begin_array();
    for (const auto& a : allowed) {
      w.begin_object();
      w.key("principal").value(model::to_string(a.principal));
      w.key("path").begin_array();
      for (const auto& h : a.access.hops) w.value(h.title);
      w.end_array();
      w.key("granted_by").value(allow_reasons(a.access));
      w.end_object();
    }
    w.end_array();
    w.end_object();
    out += "\n";
  } else {
    out += std::to_string(allowed.size()) + (allowed.size() == 1 ? " principal" : " principals") + " can " +
           question.action + " on " + question.resource_arn + "\n";
    for (const auto& a : allowed) {
      out += "  " + model::to_string(a.principal) + "\n";
      out += "      via " + path_words(a.access) + "\n";
      out += "      " + allow_reasons(a.access) + "\n";
    }
  }
}

int run_who_can(const WhoCanArgs& args) {
  Semantics semantics;
  if (!build_semantics(args.common, semantics)) return exit_bad_input;
  if ((args.format == "mermaid" || args.format == "dot") && args.resources.size() > 1) {
    std::cerr << "iamsim who-can: --format " << args.format << " draws the paths to one resource; "
              << args.resources.size() << " were given (use text or json for several)\n";
    return exit_bad_input;
  }
  ParallelismLimit limit(args.common.jobs);
  PhaseClock clock("who-can", args.timings);
  const auto shard = args.shard.get();
  prepare_world_digest(shard);
  auto world = load_compiled_world(args.world, semantics, model::LoadScope::world_only, &clock);
  if (!world) return exit_bad_input;
  // Every resource is checked, a shard's or not, so every shard stops on the same bad input.
  // The same checks as `can`, with anonymous standing in for the principal.
  std::vector<model::Question> questions;
  for (const auto& resource : args.resources) {
    auto question = parse_question(world->world(), "anonymous", args.action, resource, args.context);
    if (!question) return exit_bad_input;
    for (const auto& f : lint::check_question(question->action, question->resource_arn))
      std::cerr << terminal_safe("iamsim: warning[" + f.rule + "]: " + f.message + " (" + f.fix + ")") << "\n";
    questions.push_back(std::move(*question));
  }
  const auto& resolver = keep_until_exit<model::AccessResolver>(world);
  const auto& index = keep_until_exit<model::PrincipalIndex>(resolver);
  clock.lap("index");
  // A shard answers its run of the resources, in the order given (shard.hpp).
  const ShardRange part = shard_range(shard, questions.size());
  std::string out;
  if (shard && args.format == "json") {
    std::vector<std::string> arguments{"action=" + args.action};
    for (const auto& kv : args.common.semantics) arguments.push_back("semantics=" + kv);
    for (const auto& r : args.resources) arguments.push_back("resource=" + r);
    for (const auto& c : args.context) arguments.push_back("context=" + c);
    const std::string digest = world_digest("who-can", arguments);
    out += "{\"iamsim_shard\":" + shard_info_json({"who-can", "jsonl", *shard, digest, part.size(), questions.size()}) +
           "}\n";
  }
  for (std::size_t i = part.begin; i < part.end; ++i) {
    const auto& q = questions[i];
    render_answer(out, args.format, world->world(), q, index.who_can(q.action, q.resource_arn, q.context));
  }
  clock.lap("query");
  write_output(out);
  return exit_ok;
}

}  // namespace

CommandRunner add_who_can_command(CLI::App& app) {
  auto args = std::make_shared<WhoCanArgs>();
  auto* cmd = app.add_subcommand("who-can", "List every principal of a world allowed to do an action on a resource");
  cmd->footer(
      "Example:\n"
      "  iamsim who-can scenarios/kserve-cross-account/1-direct-grant.yaml s3:GetObject \\\n"
      "      s3://ml-models-prod/models/flowers/saved_model.pb\n"
      "Principals: IAM users and roles, service accounts and workloads (through IRSA or Pod Identity),\n"
      "and one-role chains (A -> ROLE) that trust policies make possible.");
  cmd->add_option("world", args->world, "scenario file, or a folder holding one")->required();
  cmd->add_option("action", args->action, "service:Action")->required();
  cmd->add_option("resource", args->resources, "ARN or s3://BUCKET/KEY (several: one answer each, in order)")
      ->required();
  cmd->add_option("--context", args->context, "condition key for the request (repeatable)")->type_name("KEY=VALUE");
  cmd->add_option("--format", args->format, "text (default), json, or a picture of every path: mermaid or dot")
      ->check(CLI::IsMember({"text", "json", "mermaid", "dot"}));
  add_shard_option(*cmd, args->shard, "resources");
  cmd->add_flag("--timings", args->timings, "print the seconds spent loading, compiling and answering");
  add_common_options(*cmd, args->common);
  add_outside_files_option(*cmd);
  return [args]() { return run_who_can(*args); };
}

}  // namespace iamsim::cli
