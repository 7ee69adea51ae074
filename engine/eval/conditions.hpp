// Stage: eval. One condition against the request context (C1-C16), in three-valued logic:
// Unknown means a request value could not be read as the operator's type, and the caller
// resolves it to the safe side (docs/rules.md, choice 10).
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/compile/compiled_policy.hpp"
#include "engine/eval/request.hpp"

namespace iamsim::eval {

enum class Tri : std::uint8_t { False, True, Unknown };

inline Tri tri_not(Tri t) { return t == Tri::Unknown ? t : (t == Tri::True ? Tri::False : Tri::True); }
inline Tri tri_and(Tri a, Tri b) {
  if (a == Tri::False || b == Tri::False) return Tri::False;
  if (a == Tri::Unknown || b == Tri::Unknown) return Tri::Unknown;
  return Tri::True;
}

// The walk budget of a string or ARN condition. Its patterns that are tried one by one (of a
// string condition those only a walk can match: '?', an inner '*', a variable; of an ARN
// condition all) cost, against a request value, at most about the product of the two
// lengths; a string condition's others are looked up at the cost of the value's length
// (compile::StringLookup). When the request values' characters (plus one each) times the
// tried patterns' (CompiledCondition::walked_size) exceed this budget, they are not tried:
// a value that no looked-up pattern matches makes the condition Unknown, so an Allow does
// not apply and a Deny does (E10, docs/rules.md choice 15). Real policies stay far below
// it: 50 tag keys of 128 characters against a 10 KB policy of nothing but wildcard
// patterns is about 4e7.
inline constexpr std::uint64_t walk_budget = 100'000'000;

// The first request value that could not be read as the condition's type; or (PV7) the
// policy value of a negated operator whose variable has no value, which makes it Unknown;
// or that the condition's values went past the walk budget, which makes it Unknown too.
struct Unreadable {
  const ContextValue* value = nullptr;
  std::string_view expected;  // "a number", "an IP address"
  const compile::Pattern* unresolved = nullptr;
  bool over_budget = false;
};

// entry: the request's values for the condition's key, or null when the request lacks it.
// unreadable (may be null) receives the first value that made the result Unknown.
Tri evaluate_condition(const compile::CompiledCondition& condition, const ContextEntry* entry, const Request& request,
                       const Semantics& semantics, Unreadable* unreadable);

inline Tri evaluate_condition(const compile::CompiledCondition& condition, const Request& request,
                              const Semantics& semantics, Unreadable* unreadable = nullptr) {
  return evaluate_condition(condition, request.context.find(condition.key), request, semantics, unreadable);
}

}  // namespace iamsim::eval
