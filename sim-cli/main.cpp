// Stage: report. The iamsim command line: dispatches to one command per file in
// sim-cli/commands/, and is the only place that decides the process's exit code.
#include <exception>
#include <iostream>
#include <map>

#include "sim-cli/commands/commands.hpp"
#include "sim-cli/commands/common.hpp"

int main(int argc, char** argv) {
  using namespace iamsim::cli;
  CLI::App app{"iamsim: an offline simulator of AWS authorization"};
  app.require_subcommand(1);
  app.footer("Exit codes: 0 success / allowed / all expectations hold; 1 denied / an expectation failed; 2 bad input.");
  std::map<std::string, CommandRunner> runners;
  runners["check"] = add_check_command(app);
  runners["can"] = add_can_command(app);
  runners["who-can"] = add_who_can_command(app);
  runners["matrix"] = add_matrix_command(app);
  runners["diff"] = add_diff_command(app);
  runners["eval"] = add_eval_command(app);
  runners["lint"] = add_lint_command(app);
  // Name a mistyped command rather than CLI11's "A subcommand is required".
  if (argc > 1 && argv[1][0] != '-' && !runners.count(argv[1])) {
    std::cerr << "iamsim: unknown command '" << argv[1] << "'\nRun with --help for more information.\n";
    return exit_bad_input;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_bad_input;  // usage errors are bad input (docs/diagnostics.md, exit codes)
  }
  try {
    for (auto* sub : app.get_subcommands()) {
      const int code = runners.at(sub->get_name())();
      // An answer that did not reach its reader is no answer: a failed write is exit 2.
      return finish_standard_output() ? code : exit_bad_input;
    }
  } catch (const std::bad_alloc&) {
    std::cerr << "iamsim: out of memory\n";
    return exit_bad_input;
  } catch (const std::exception& e) {
    std::cerr << "iamsim: internal error: " << e.what() << '\n';
    return exit_bad_input;
  }
  return exit_bad_input;
}
