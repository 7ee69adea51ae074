// Stage: report. `iamsim matrix WORLD`: the access matrix, as stable JSON.
#include <iostream>

#include "model/queries/who_can.hpp"
#include "sim-cli/commands/commands.hpp"
#include "sim-cli/commands/common.hpp"
#include "sim-cli/commands/shard.hpp"
#include "sim-cli/commands/world_loading.hpp"
#include "sim-cli/render/matrix_render.hpp"
#include "sim-cli/render/progress.hpp"

namespace iamsim::cli {
namespace {

struct MatrixArgs {
  std::string world, output;
  std::vector<std::string> principals, actions, resources;
  ShardOption shard;
  CommonOptions common;
};

int run_matrix(const MatrixArgs& args) {
  Semantics semantics;
  if (!build_semantics(args.common, semantics)) return exit_bad_input;
  ParallelismLimit limit(args.common.jobs);
  const auto shard = args.shard.get();
  prepare_world_digest(shard);
  auto world = load_compiled_world(args.world, semantics);
  if (!world) {
    remove_stale_report(args.output);  // a stale matrix must not pass for this world's
    return exit_bad_input;
  }
  const model::AccessResolver resolver(world);
  const auto axes = model::filter_axes(model::default_axes(*world), args.principals, args.actions, args.resources);
  // A shard decides its run of the (action, resource) pairs (shard.hpp); every shard lists
  // the whole axes, so the merged matrix is the one the whole run writes.
  const std::size_t total = model::matrix_pairs(axes);
  const ShardRange part = shard_range(shard, total);
  model::Matrix matrix;
  {
    Progress progress("matrix", part.size());
    matrix = model::build_matrix(resolver, axes, &progress.counter(), part.begin, part.end);
  }
  std::string info;
  if (shard) {
    std::vector<std::string> arguments;
    for (const auto& kv : args.common.semantics) arguments.push_back("semantics=" + kv);
    for (const auto& p : args.principals) arguments.push_back("principal=" + p);
    for (const auto& a : args.actions) arguments.push_back("action=" + a);
    for (const auto& r : args.resources) arguments.push_back("resource=" + r);
    info = shard_info_json({"matrix", "json", *shard, world_digest("matrix", arguments), part.size(), total});
  }
  std::string out;
  render_matrix_json(out, matrix, info);
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
  add_shard_option(*cmd, args->shard, "(action, resource) pairs");
  add_common_options(*cmd, args->common);
  add_outside_files_option(*cmd);
  return [args]() { return run_matrix(*args); };
}

}  // namespace iamsim::cli
