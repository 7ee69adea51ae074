// Stage: report. `iamsim eval FILE|-`: the request-level contract of docs/eval-contract.md.
#include <iostream>

#include <simdjson.h>

#include "sim-cli/commands/commands.hpp"
#include "sim-cli/commands/common.hpp"
#include "sim-cli/commands/shard.hpp"
#include "sim-cli/eval/eval_batch.hpp"

namespace iamsim::cli {
namespace {

struct EvalArgs {
  std::string input;
  std::string format = "json";
  ShardOption shard;
  CommonOptions common;
};

int run_eval(const EvalArgs& args) {
  EvalSettings settings;
  if (!build_semantics(args.common, settings.semantics)) return exit_bad_input;
  settings.text_format = args.format == "text";
  std::string error;
  auto data = read_input(args.input, simdjson::SIMDJSON_PADDING, error);
  if (!data) {
    std::cerr << "iamsim eval: " << error << '\n';
    return exit_bad_input;
  }
  const std::string file = args.input == "-" ? "<stdin>" : args.input;
  ParallelismLimit limit(args.common.jobs);
  BatchOutput output;
  // JSON Lines escape every control character already; text is made safe for a terminal.
  if (settings.text_format)
    output.write = [](std::string_view lines) { write_output(lines); };
  else
    output.write = [](std::string_view lines) {
      std::cout.write(lines.data(), static_cast<std::streamsize>(lines.size()));
    };
  output.report = [](const Diagnostics& diagnostics) { print_diagnostics(diagnostics); };
  // A shard evaluates its run of the requests in input order (shard.hpp). Its JSON Lines
  // start with a header line, {"iamsim_shard": ...}, that only shard outputs have: the
  // result lines keep the contract of docs/eval-contract.md.
  RequestRange range;
  if (const auto shard = args.shard.get()) {
    const std::size_t total = count_requests(data->text());
    const ShardRange part = shard_range(shard, total);
    range = {part.begin, part.end};
    if (total > 0 && !settings.text_format) {  // an empty input is bad input, as unsharded
      std::vector<std::string> arguments{"file=" + file};
      for (const auto& kv : args.common.semantics) arguments.push_back("semantics=" + kv);
      const std::string digest = input_digest("eval", data->text(), arguments);
      output.write("{\"iamsim_shard\":" + shard_info_json({"eval", "jsonl", *shard, digest, part.size(), total}) +
                   "}\n");
    }
  }
  const bool all_ok = evaluate_batch(data->text(), file, settings, output, range);
  return all_ok ? exit_ok : exit_bad_input;
}

}  // namespace

CommandRunner add_eval_command(CLI::App& app) {
  auto args = std::make_shared<EvalArgs>();
  auto* cmd = app.add_subcommand("eval", "Decide requests given with every policy layer (JSON or JSON Lines)");
  cmd->footer(
      "Example:\n"
      "  iamsim eval request.json\n"
      "  iamsim eval --format text - < requests.jsonl\n"
      "Input: one JSON object, or one per line, as docs/eval-contract.md describes:\n"
      "  {\"id\", \"principal\", \"action\", \"resource\", \"resource_account\", \"context\",\n"
      "   \"policies\": {\"identity\", \"boundary\", \"session\", \"resource\", \"scp\", \"rcp\", \"vpc_endpoint\"},\n"
      "   \"principal_context\": {\"management_account\", \"service_linked_role\", \"unique_id\"},\n"
      "   \"resource_context\": {\"management_account\", \"aws_managed_key\"}}\n"
      "Output: one result line per input, in order. Exit 0: all evaluated; 2: bad input.");
  cmd->add_option("input", args->input, "request file, or - for standard input")->required();
  cmd->add_option("--format", args->format, "json (default) or text")->check(CLI::IsMember({"json", "text"}));
  add_shard_option(*cmd, args->shard, "requests, in input order");
  add_common_options(*cmd, args->common);
  return [args]() { return run_eval(*args); };
}

}  // namespace iamsim::cli
