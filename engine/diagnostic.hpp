// Stage: shared by every stage. A problem found in the input, with where it is.
#pragma once

#include <string>
#include <vector>

namespace iamsim {

enum class Severity { Error, Warning };

// Where a problem is: a file (or "<stdin>", "input line 3"), then either a JSON pointer
// into the document, or a line and column (1-based; 0 when unknown), or both.
struct SourceLocation {
  std::string file;
  std::string pointer;
  int line = 0;
  int column = 0;
};

struct Diagnostic {
  Severity severity = Severity::Error;
  std::string code;  // stable id, e.g. "policy.unknown-element"
  SourceLocation where;
  std::string message;
};

// "file:line:col: error[code]: message (at /json/pointer)"
std::string format_diagnostic(const Diagnostic& d);

class Diagnostics {
 public:
  void error(std::string code, SourceLocation where, std::string message) {
    items_.push_back({Severity::Error, std::move(code), std::move(where), std::move(message)});
  }
  void warning(std::string code, SourceLocation where, std::string message) {
    items_.push_back({Severity::Warning, std::move(code), std::move(where), std::move(message)});
  }
  void append(const Diagnostics& other) { items_.insert(items_.end(), other.items_.begin(), other.items_.end()); }
  bool has_errors() const {
    for (const auto& d : items_)
      if (d.severity == Severity::Error) return true;
    return false;
  }
  const std::vector<Diagnostic>& items() const { return items_; }
  bool empty() const { return items_.empty(); }

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace iamsim
