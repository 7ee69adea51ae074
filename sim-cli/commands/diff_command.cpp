// Stage: report. `iamsim diff OLD NEW`: every decision that changed between two worlds (or
// two saved matrices), widened first, each with the statement behind its new answer.
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include <tbb/parallel_for.h>

#include "model/queries/who_can.hpp"
#include "sim-cli/commands/commands.hpp"
#include "sim-cli/commands/common.hpp"
#include "sim-cli/commands/world_loading.hpp"
#include "sim-cli/render/access_render.hpp"
#include "sim-cli/render/diff_render.hpp"
#include "sim-cli/render/matrix_render.hpp"

namespace iamsim::cli {
namespace {

struct DiffArgs {
  std::string old_path, new_path, format = "text", fail_on;
  bool verbose = false;
  std::vector<std::string> principals, actions, resources;
  CommonOptions common;
};

// One side: a saved matrix, or a world whose matrix is computed on the shared axes.
struct Side {
  std::shared_ptr<const model::CompiledWorld> world;
  std::optional<model::Matrix> saved;
};

std::optional<Side> load_side(const std::string& path, const Semantics& semantics) {
  Side side;
  if (path.size() > 5 && path.substr(path.size() - 5) == ".json") {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    std::string error;
    if (text.str().find("\"iamsim-matrix/v1\"") != std::string::npos) {
      side.saved = read_matrix_json(text.str(), error);
      if (!side.saved) {
        std::cerr << path << ": " << error << "\n";
        return std::nullopt;
      }
      return side;
    }
  }
  side.world = load_compiled_world(path, semantics);
  if (!side.world) return std::nullopt;
  return side;
}

std::vector<std::string> merged(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::set<std::string> all(a.begin(), a.end());
  all.insert(b.begin(), b.end());
  return {all.begin(), all.end()};
}

int run_diff(const DiffArgs& args) {
  Semantics semantics;
  if (!build_semantics(args.common, semantics)) return exit_bad_input;
  ParallelismLimit limit(args.common.jobs);
  auto old_side = load_side(args.old_path, semantics);
  auto new_side = load_side(args.new_path, semantics);
  if (!old_side || !new_side) return exit_bad_input;

  auto axes_of = [](const Side& s) { return s.saved ? s.saved->axes : model::default_axes(*s.world); };
  const auto old_axes = axes_of(*old_side), new_axes = axes_of(*new_side);
  model::MatrixAxes axes{merged(old_axes.principals, new_axes.principals), merged(old_axes.actions, new_axes.actions),
                         merged(old_axes.resources, new_axes.resources)};
  axes = model::filter_axes(std::move(axes), args.principals, args.actions, args.resources);
  auto matrix_of = [&](const Side& s) {
    if (s.saved) {
      model::Matrix m = *s.saved;
      m.axes = axes;
      model::restrict_to_axes(m);
      return m;
    }
    return model::build_matrix(model::AccessResolver(s.world), axes);
  };
  auto diff = diff_matrices(matrix_of(*old_side), matrix_of(*new_side));

  // Each change explained by the new world's answer (a saved matrix has no statements).
  if (new_side->world) {
    const model::AccessResolver resolver(new_side->world);
    const model::World& w = new_side->world->world();
    tbb::parallel_for(std::size_t(0), diff.changes.size(), [&](std::size_t i) {
      auto& e = diff.changes[i];
      auto ref = model::parse_principal_ref(e.cell.principal);
      if (!ref || model::find_reference_problem(w, *ref.value)) {
        e.why = e.cause = "the principal is not in the new world";
        return;
      }
      const auto access = resolver.decide({*ref.value, e.cell.action, e.cell.resource, {}});
      e.why = access.allowed() ? allow_reasons(access) : one_line_reason(access);
      e.cause = access_cause(access);
    });
  }
  std::string out;
  if (args.format == "json")
    render_diff_json(out, diff);
  else if (args.format == "markdown")
    render_diff_markdown(out, diff, args.old_path, args.new_path);
  else if (args.format == "mermaid")
    render_diff_mermaid(out, diff, args.old_path, args.new_path);
  else
    render_diff_text(out, diff, args.old_path, args.new_path, args.verbose);
  write_output(out);
  if (args.fail_on == "widened" && diff.widened() > 0) return exit_failed;
  if (args.fail_on == "any" && !diff.changes.empty()) return exit_failed;
  return exit_ok;
}

}  // namespace

CommandRunner add_diff_command(CLI::App& app) {
  auto args = std::make_shared<DiffArgs>();
  auto* cmd = app.add_subcommand("diff", "Every access decision that changed between two worlds or saved matrices");
  cmd->footer(
      "Example:\n"
      "  iamsim diff before/world.yaml after/world.yaml --fail-on widened\n"
      "OLD and NEW are scenario files (or folders holding one) or matrices saved by `iamsim matrix`.\n"
      "Changes are grouped by principal and cause, widened (deny -> allow) first; --verbose lists each\n"
      "decision. Exit 1 with --fail-on when such changes exist.");
  cmd->add_option("old", args->old_path, "the world or matrix before")->required();
  cmd->add_option("new", args->new_path, "the world or matrix after")->required();
  cmd->add_option("--format", args->format,
                  "text (default), json, markdown (a pull-request comment) or mermaid (the changed edges)")
      ->check(CLI::IsMember({"text", "json", "markdown", "mermaid"}));
  cmd->add_flag("--verbose", args->verbose, "list every decision under its group");
  cmd->add_option("--fail-on", args->fail_on, "widened or any: exit 1 when such changes exist")
      ->check(CLI::IsMember({"widened", "any"}));
  cmd->add_option("--principal", args->principals, "keep principals containing this text");
  cmd->add_option("--action", args->actions, "keep actions containing this text");
  cmd->add_option("--resource", args->resources, "keep resources containing this text");
  add_common_options(*cmd, args->common);
  add_outside_files_option(*cmd);
  return [args]() { return run_diff(*args); };
}

}  // namespace iamsim::cli
