// Stage: report. Each command registers its options on the CLI11 app and runs from them;
// main.cpp only dispatches.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace iamsim::cli {

// Registers a subcommand; the returned function runs it and gives the exit code.
using CommandRunner = std::function<int()>;

CommandRunner add_eval_command(CLI::App& app);
CommandRunner add_can_command(CLI::App& app);
CommandRunner add_check_command(CLI::App& app);
CommandRunner add_who_can_command(CLI::App& app);
CommandRunner add_matrix_command(CLI::App& app);
CommandRunner add_diff_command(CLI::App& app);
CommandRunner add_lint_command(CLI::App& app);
CommandRunner add_merge_command(CLI::App& app);
CommandRunner add_prove_command(CLI::App& app);

}  // namespace iamsim::cli
