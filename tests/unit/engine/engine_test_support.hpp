// Tests: helpers shared by the engine unit tests (tests/unit/engine/*.cpp): compiling a
// policy text, finding a diagnostic by code and JSON pointer, printing diagnostics.
#pragma once

#include <catch2/catch.hpp>

#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/compile/compiled_policy.hpp"
#include "engine/diagnostic.hpp"
#include "engine/eval/conditions.hpp"
#include "engine/eval/decision.hpp"
#include "engine/semantics.hpp"
#include "engine/syntax/ast.hpp"

namespace iamsim::test {

// Every diagnostic on its own line, for INFO() when an assertion fails.
inline std::string describe(const Diagnostics& d) {
  std::string out;
  for (const auto& item : d.items())
    out += std::string(item.severity == Severity::Error ? "error " : "warning ") + item.code + " at '" +
           item.where.pointer + "': " + item.message + "\n";
  return out.empty() ? "(no diagnostics)" : out;
}

// Is there a diagnostic with this code, pointer and severity?
inline bool has_diag(const Diagnostics& d, std::string_view code, std::string_view pointer,
                     Severity severity = Severity::Error) {
  for (const auto& item : d.items())
    if (item.code == code && item.where.pointer == pointer && item.severity == severity) return true;
  return false;
}

inline bool has_code(const Diagnostics& d, std::string_view code) {
  for (const auto& item : d.items())
    if (item.code == code) return true;
  return false;
}

inline std::size_t error_count(const Diagnostics& d) {
  std::size_t n = 0;
  for (const auto& item : d.items()) n += item.severity == Severity::Error;
  return n;
}

struct Compiled {
  std::shared_ptr<const compile::CompiledPolicy> policy;
  Diagnostics diags;
};

inline Compiled compile_text(std::string_view json, syntax::PolicyKind kind, const Semantics& semantics = {}) {
  Compiled out;
  out.policy = compile::compile_policy_text(json, kind, semantics, SourceLocation{}, out.diags);
  return out;
}

// Compiles a policy that must be valid; fails the test with the diagnostics otherwise.
inline std::shared_ptr<const compile::CompiledPolicy> compile_ok(std::string_view json, syntax::PolicyKind kind,
                                                                 const Semantics& semantics = {}) {
  auto c = compile_text(json, kind, semantics);
  INFO(json);
  INFO(describe(c.diags));
  REQUIRE(c.policy != nullptr);
  return c.policy;
}

// Owns the compiled policies and the sources that AttachedPolicy points to.
class Policies {
 public:
  eval::AttachedPolicy attach(const std::string& json, syntax::PolicyKind kind, std::string name,
                              const Semantics& s = {}) {
    auto p = compile_ok(json, kind, s);
    keep_.push_back(p);
    const std::string& kept_name = names_.emplace_back(std::move(name));
    return {p.get(), &sources_.emplace_back(eval::PolicySource{kept_name, "", "", 0, false})};
  }
  eval::AttachedPolicy identity(const std::string& statements, std::string name = "identity[0]") {
    return attach(R"({"Version":"2012-10-17","Statement":[)" + statements + "]}", syntax::PolicyKind::Identity,
                  std::move(name));
  }

 private:
  std::vector<std::shared_ptr<const compile::CompiledPolicy>> keep_;
  std::deque<std::string> names_;  // deques: the sources and names keep their addresses
  std::deque<eval::PolicySource> sources_;
};

}  // namespace iamsim::test

// Readable enum values in Catch's failure messages.
namespace Catch {
template <>
struct StringMaker<iamsim::eval::Tri> {
  static std::string convert(iamsim::eval::Tri t) {
    switch (t) {
      case iamsim::eval::Tri::False: return "Tri::False";
      case iamsim::eval::Tri::True: return "Tri::True";
      case iamsim::eval::Tri::Unknown: return "Tri::Unknown";
    }
    return "Tri::?";
  }
};
template <>
struct StringMaker<iamsim::compile::MatchResult> {
  static std::string convert(iamsim::compile::MatchResult m) {
    switch (m) {
      case iamsim::compile::MatchResult::NoMatch: return "NoMatch";
      case iamsim::compile::MatchResult::Match: return "Match";
      case iamsim::compile::MatchResult::Unresolved: return "Unresolved";
    }
    return "?";
  }
};
template <>
struct StringMaker<iamsim::eval::Outcome> {
  static std::string convert(iamsim::eval::Outcome o) { return std::string(iamsim::eval::to_string(o)); }
};
template <>
struct StringMaker<iamsim::eval::LayerResult> {
  static std::string convert(iamsim::eval::LayerResult r) { return std::string(iamsim::eval::to_string(r)); }
};
}  // namespace Catch
