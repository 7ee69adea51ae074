// Stage: report. The iamsim command line: dispatches to one command per file in
// sim-cli/commands/, and is the only place that decides the process's exit code.
#include <exception>
#include <iostream>
#include <map>

#include "sim-cli/commands/commands.hpp"
#include "sim-cli/commands/common.hpp"
#include "sim-cli/commands/internal_error.hpp"

int main(int argc, char** argv) {
  using namespace iamsim::cli;
  install_internal_error_handler();  // an exception that ends the process elsewhere also exits 3
  CLI::App app{"iamsim: an offline simulator of AWS authorization"};
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 success / allowed / all expectations hold; 1 denied / an expectation failed; 2 bad input; "
      "3 internal error (a bug in iamsim). Every code: docs/diagnostics.md.");
  // Hidden (no group): makes the program fail on purpose, for the tests of the exit path.
  std::string internal_error_test;
  app.add_option("--internal-error-test", internal_error_test)->group("");
  std::map<std::string, CommandRunner> runners;
  runners["check"] = add_check_command(app);
  runners["can"] = add_can_command(app);
  runners["who-can"] = add_who_can_command(app);
  runners["matrix"] = add_matrix_command(app);
  runners["diff"] = add_diff_command(app);
  runners["eval"] = add_eval_command(app);
  runners["lint"] = add_lint_command(app);
  runners["merge"] = add_merge_command(app);
  runners["prove"] = add_prove_command(app);
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
    if (!internal_error_test.empty() && !fail_on_purpose(internal_error_test)) {
      std::cerr << "iamsim: --internal-error-test: unknown kind '" << internal_error_test << "'\n";
      return exit_bad_input;
    }
    for (auto* sub : app.get_subcommands()) {
      const int code = runners.at(sub->get_name())();
      // An answer that did not reach its reader is no answer: a failed write is exit 2.
      return finish_standard_output() ? code : exit_bad_input;
    }
  } catch (const std::bad_alloc&) {
    std::cerr << "iamsim: out of memory\n";
    return exit_bad_input;
  } catch (...) {
    return report_internal_error(std::current_exception(), std::cerr);
  }
  return report_internal_error(nullptr, std::cerr);  // a parsed command line always names a subcommand
}
