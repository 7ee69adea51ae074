// Stage: report. `iamsim eval FILE|-`: the request-level contract of design.md section 4.
#include <iostream>

#include <simdjson.h>

#include "sim-cli/commands/commands.hpp"
#include "sim-cli/commands/common.hpp"
#include "sim-cli/eval/eval_batch.hpp"
#include "sim-cli/render/json_writer.hpp"

namespace iamsim::cli {
namespace {

struct EvalArgs {
  std::string input;
  std::string format = "json";
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
  Diagnostics split_diagnostics;
  const auto documents = split_documents(data->text(), file, split_diagnostics);
  ParallelismLimit limit(args.common.jobs);
  const auto results = evaluate_batch(data->text(), documents, file, settings);

  bool all_ok = !split_diagnostics.has_errors();
  print_diagnostics(split_diagnostics);
  std::string out;
  out.reserve(results.size() * 512);
  for (const auto& r : results) {
    if (r.ok) {
      out += r.output;
    } else {
      all_ok = false;
      print_diagnostics(r.diagnostics);
      // Keep one output line per input: a bad input answers with its error.
      const std::string message =
          r.diagnostics.items().empty() ? std::string("bad input") : format_diagnostic(r.diagnostics.items()[0]);
      if (settings.text_format) {
        out += "error: " + message;
      } else {
        JsonWriter w(out);
        w.begin_object().key("error").value(message);
        w.end_object();
      }
    }
    out += '\n';
    if (out.size() > (1u << 20)) {
      std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
      out.clear();
    }
  }
  std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
  std::cout.flush();
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
      "Input: one JSON object, or one per line, as design.md section 4 describes:\n"
      "  {\"id\", \"principal\", \"action\", \"resource\", \"resource_account\", \"context\",\n"
      "   \"policies\": {\"identity\", \"boundary\", \"session\", \"resource\", \"scp\", \"rcp\", \"vpc_endpoint\"},\n"
      "   \"principal_context\": {\"management_account\", \"service_linked_role\", \"unique_id\"},\n"
      "   \"resource_context\": {\"management_account\", \"aws_managed_key\"}}\n"
      "Output: one result line per input, in order. Exit 0: all evaluated; 2: bad input.");
  cmd->add_option("input", args->input, "request file, or - for standard input")->required();
  cmd->add_option("--format", args->format, "json (default) or text")->check(CLI::IsMember({"json", "text"}));
  add_common_options(*cmd, args->common);
  return [args]() { return run_eval(*args); };
}

}  // namespace iamsim::cli
