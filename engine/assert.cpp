// Stage: shared. Building the message of an internal error.
#include "engine/assert.hpp"

namespace iamsim {

void fail_internal(std::string_view what, CodeLocation where) {
  std::string_view file = where.file_name();
  // Name the file from the stage folder on: the build's absolute paths say nothing.
  for (std::string_view stage : {"engine/", "model/", "lint/", "sim-cli/", "bench/", "tests/"})
    if (const auto at = file.rfind(stage); at != std::string_view::npos) {
      file = file.substr(at);
      break;
    }
  throw InternalError(std::string(file) + ":" + std::to_string(where.line) + ": " + std::string(what));
}

}  // namespace iamsim
