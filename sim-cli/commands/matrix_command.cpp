// Stage: report. `iamsim matrix WORLD`: the access matrix, as stable JSON.
#include <iostream>

#include "model/queries/who_can.hpp"
#include "sim-cli/commands/commands.hpp"
#include "sim-cli/commands/common.hpp"
#include "sim-cli/commands/world_loading.hpp"
#include "sim-cli/render/matrix_render.hpp"
#include "sim-cli/render/progress.hpp"

namespace iamsim::cli {
namespace {

struct MatrixArgs {
  std::string world, output;
  std::vector<std::string> principals, actions, resources;
  CommonOptions common;
};

int run_matrix(const MatrixArgs& args) {
  Semantics semantics;
  if (!build_semantics(args.common, semantics)) return exit_bad_input;
  ParallelismLimit limit(args.common.jobs);
  auto world = load_compiled_world(args.world, semantics);
  if (!world) {
    remove_stale_report(args.output);  // a stale matrix must not pass for this world's
    return exit_bad_input;
  }
  const model::AccessResolver resolver(world);
  const auto axes = model::filter_axes(model::default_axes(*world), args.principals, args.actions, args.resources);
  model::Matrix matrix;
  {
    Progress progress("matrix", model::matrix_pairs(axes));
    matrix = model::build_matrix(resolver, axes, &progress.counter());
  }
  std::string out;
  render_matrix_json(out, matrix);
  if (args.output.empty()) {
    write_output(out);
  } else {
    std::string error;
    if (!write_report_file(args.output, out, error)) {
      std::cerr << "iamsim matrix: " << error << "\n";
      return exit_bad_input;
    }
  }
  return exit_ok;
}

}  // namespace

CommandRunner add_matrix_command(CLI::App& app) {
  auto args = std::make_shared<MatrixArgs>();
  auto* cmd = app.add_subcommand("matrix", "The access matrix of a world (principals x actions x resources) as JSON");
  cmd->footer(
      "Example:\n"
      "  iamsim matrix scenarios/kserve-cross-account/1-direct-grant.yaml --action s3: -o matrix.json\n"
      "Axes: the world's principals; the actions its policies name (wildcards expanded against S3, KMS,\n"
      "STS and IAM actions); its buckets, the objects its expectations name (or BUCKET/object), keys, roles.\n"
      "Each filter keeps the axis entries containing the text (repeatable). Cells not listed are denied;\n"
      "cells may name chains (A -> ROLE) that trust policies make possible.");
  cmd->add_option("world", args->world, "scenario file, or a folder holding one")->required();
  cmd->add_option("--principal", args->principals, "keep principals containing this text");
  cmd->add_option("--action", args->actions, "keep actions containing this text");
  cmd->add_option("--resource", args->resources, "keep resources containing this text");
  cmd->add_option("-o,--output", args->output, "write the matrix to this file instead of standard output");
  add_common_options(*cmd, args->common);
  add_outside_files_option(*cmd);
  return [args]() { return run_matrix(*args); };
}

}  // namespace iamsim::cli
