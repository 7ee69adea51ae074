// Stage: shared. Renders a diagnostic the way compilers do, so editors can jump to it.
#include "engine/diagnostic.hpp"

namespace iamsim {

std::string format_diagnostic(const Diagnostic& d) {
  std::string out = d.where.file.empty() ? std::string("<input>") : d.where.file;
  if (d.where.line > 0) {
    out += ":" + std::to_string(d.where.line);
    if (d.where.column > 0) out += ":" + std::to_string(d.where.column);
  }
  out += d.severity == Severity::Error ? ": error[" : ": warning[";
  // The pointer goes at the end of the first line: messages may add a caret line below.
  const auto newline = d.message.find('\n');
  out += d.code + "]: " + d.message.substr(0, newline);
  if (!d.where.pointer.empty()) out += " (at " + d.where.pointer + ")";
  if (newline != std::string::npos) out += d.message.substr(newline);
  return out;
}

}  // namespace iamsim
