// Stage: report. `iamsim lint PATH...`: findings about policies and worlds (design section 6),
// as text, JSON or SARIF; the exit code says whether any reached --fail-on.
#include <iostream>

#include "lint/lint.hpp"
#include "lint/rules.hpp"
#include "sim-cli/commands/commands.hpp"
#include "sim-cli/commands/common.hpp"
#include "sim-cli/render/lint_render.hpp"
#include "sim-cli/render/sarif_render.hpp"

namespace iamsim::cli {
namespace {

struct LintArgs {
  std::vector<std::string> paths;
  std::string format = "text";
  std::string fail_on = "error";
  std::vector<std::string> ignores;
  CommonOptions common;
};

int run_lint(const LintArgs& args) {
  Semantics semantics;
  if (!build_semantics(args.common, semantics)) return exit_bad_input;
  ParallelismLimit limit(args.common.jobs);
  std::vector<lint::Suppression> ignores;
  for (const auto& text : args.ignores) {
    std::string error;
    auto s = lint::parse_suppression(text, error);
    if (!s) {
      std::cerr << "iamsim lint: --ignore " << text << ": " << error << "\n";
      return exit_bad_input;
    }
    ignores.push_back(std::move(*s));
  }
  std::vector<std::filesystem::path> paths(args.paths.begin(), args.paths.end());
  const auto inputs = lint::read_lint_inputs(paths);
  const auto report = lint::run_lint(inputs, std::move(ignores), semantics);
  print_diagnostics(report.problems);
  if (report.files == 0 && !report.problems.has_errors()) {
    std::cerr << "iamsim lint: no scenario files or policy documents under";
    for (const auto& p : args.paths) std::cerr << " " << p;
    std::cerr << "\n";
    return exit_bad_input;
  }
  std::string out;
  if (args.format == "json")
    render_lint_json(out, report);
  else if (args.format == "sarif")
    render_lint_sarif(out, report);
  else
    render_lint_text(out, report);
  write_output(out);
  if (report.problems.has_errors()) return exit_bad_input;
  std::size_t failing = report.count(lint::Level::Error);
  if (args.fail_on != "error") failing += report.count(lint::Level::Warning);
  if (args.fail_on == "note") failing += report.count(lint::Level::Note);
  return failing > 0 ? exit_failed : exit_ok;
}

}  // namespace

CommandRunner add_lint_command(CLI::App& app) {
  auto args = std::make_shared<LintArgs>();
  auto* cmd = app.add_subcommand("lint", "Findings about policies and worlds, each with its location and a fix");
  cmd->footer(
      "Example:\n"
      "  iamsim lint scenarios/ --format sarif > iamsim.sarif\n"
      "PATH: scenario files, folders (searched for scenarios and policy documents), or policy JSON files.\n"
      "Findings a world's paths prove carry the paths as evidence. Suppress with `lint: ignore:` in a\n"
      "scenario or --ignore ID[@ARN_PATTERN]. The ids are listed in docs/lint.md.\n"
      "Exit 0: no finding at the --fail-on level or above; 1: some; 2: bad input.");
  cmd->add_option("paths", args->paths, "scenario files, folders or policy documents")->required();
  cmd->add_option("--format", args->format, "text (default), json or sarif")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  cmd->add_option("--fail-on", args->fail_on, "error (default), warning or note: the level that fails")
      ->check(CLI::IsMember({"error", "warning", "note"}));
  cmd->add_option("--ignore", args->ignores, "leave out a finding id, for every ARN or those matching the pattern")
      ->type_name("ID[@ARN]");
  add_common_options(*cmd, args->common);
  add_outside_files_option(*cmd);
  return [args]() { return run_lint(*args); };
}

}  // namespace iamsim::cli
