// Stage: eval. Condition operators. Positive operators ask "does some policy value match
// this request value"; negated ones are the negation of that (C2), set qualifiers combine
// per request value (C14), and missing keys follow C4-C6 and C14.
#include "engine/eval/conditions.hpp"

#include <algorithm>

#include "engine/syntax/arn_view.hpp"

namespace iamsim::eval {
namespace {

using compile::Comparison;
using compile::CompiledCondition;
using compile::MatchResult;
using compile::SetQualifier;
using compile::ValueType;

Tri tri_or(Tri a, Tri b) {
  if (a == Tri::True || b == Tri::True) return Tri::True;
  if (a == Tri::Unknown || b == Tri::Unknown) return Tri::Unknown;
  return Tri::False;
}

template <typename T>
bool compare(Comparison c, T request_value, T policy_value) {
  switch (c) {
    case Comparison::LessThan: return request_value < policy_value;
    case Comparison::LessThanEquals: return request_value <= policy_value;
    case Comparison::GreaterThan: return request_value > policy_value;
    case Comparison::GreaterThanEquals: return request_value >= policy_value;
    default: return request_value == policy_value;
  }
}

Tri unreadable(const ContextValue& v, std::string_view expected, Unreadable* out) {
  if (out && !out->value) *out = {&v, expected, nullptr};
  return Tri::Unknown;
}

// PV3 reads a variable without value as matching nothing: right for a positive operator,
// but a negated one would then hold, and an Allow would apply on a value nobody gave.
// Unknown instead: a Deny still applies (as PV3 says), an Allow does not (PV7).
Tri unresolved(const CompiledCondition& c, const compile::Pattern* p, Unreadable* out) {
  if (!p || !c.negated) return Tri::False;
  if (out && !out->value && !out->unresolved) out->unresolved = p;
  return Tri::Unknown;
}

// The one place where a string condition's patterns meet a request value: through the
// lookup when the condition has many patterns (compile::StringLookup: hashed, sorted,
// linear in the value), else tried in turn; both give the answers of the plain walk.
// walk false: the patterns only a walk can match are skipped (the walk budget).
compile::AnyMatch string_match(const CompiledCondition& c, std::string_view text, const Request& r, bool walk) {
  if (c.lookup) return c.lookup->match(text, &r, walk);
  return compile::match_each(c.strings, text, c.comparison == Comparison::EqualsIgnoreCase, &r, walk);
}

// Whether walking the condition's patterns over all these values stays within walk_budget.
bool within_walk_budget(const CompiledCondition& c, const ContextEntry& entry) {
  if (c.walked_size == 0) return true;
  std::uint64_t chars = 0;
  for (const auto& v : entry.values) chars += v.text.size() + 1;
  return chars <= walk_budget / c.walked_size;
}

// Does some policy value match this one request value? (the positive sense)
Tri value_matches(const CompiledCondition& c, const ContextValue& v, const Request& r, const Semantics& s, bool walk,
                  Unreadable* unreadable_out) {
  switch (c.type) {
    case ValueType::String: {
      const compile::AnyMatch m = string_match(c, v.text, r, walk);
      if (m.result == MatchResult::Match) return Tri::True;
      if (!walk) {  // a walked pattern might have matched: unknown, on the safe side
        if (unreadable_out) unreadable_out->over_budget = true;
        return Tri::Unknown;
      }
      return unresolved(c, m.unresolved, unreadable_out);
    }
    case ValueType::Numeric:
      if (!v.number) return unreadable(v, "a number", unreadable_out);
      for (double n : c.numbers)
        if (compare(c.comparison, *v.number, n)) return Tri::True;
      return Tri::False;
    case ValueType::Date:
      if (!v.instant) return unreadable(v, "a date", unreadable_out);
      for (auto t : c.instants)
        if (compare(c.comparison, *v.instant, t)) return Tri::True;
      return Tri::False;
    case ValueType::Bool: {
      // Text patterns (variables, or "True" under bool_case_sensitive) compare as text.
      for (const auto& p : c.strings)
        if (p.match(v.text, !s.bool_case_sensitive, &r) == MatchResult::Match) return Tri::True;
      const auto b = syntax::parse_bool(v.text, s.bool_case_sensitive);
      if (!b) {
        if (syntax::parse_bool(v.text, false)) return Tri::False;  // "True" under case-sensitive rules
        return unreadable(v, "a boolean", unreadable_out);
      }
      for (bool p : c.bools)
        if (p == *b) return Tri::True;
      return Tri::False;
    }
    case ValueType::Binary:
      for (const auto& p : c.binaries)
        if (p == v.text) return Tri::True;
      return Tri::False;
    case ValueType::Ip:
      if (!v.ip) return unreadable(v, "an IP address", unreadable_out);
      for (const auto& cidr : c.cidrs)
        if (cidr.contains(*v.ip)) return Tri::True;
      return Tri::False;
    case ValueType::Arn: {
      std::array<std::string_view, 6> parts;
      if (!syntax::split_arn_parts(v.text, parts) || parts[0] != "arn") return unreadable(v, "an ARN", unreadable_out);
      if (!walk) {  // past the walk budget: no pattern is tried, on the safe side
        if (unreadable_out) unreadable_out->over_budget = true;
        return Tri::Unknown;
      }
      const compile::Pattern* without_value = nullptr;
      for (const auto& pattern : c.arns) {
        bool all = true;
        for (std::size_t i = 0; i < 6 && all; ++i) {
          const MatchResult m = pattern[i].match(parts[i], false, &r);
          all = m == MatchResult::Match;
          if (m == MatchResult::Unresolved) without_value = &pattern[i];
        }
        if (all) return Tri::True;
      }
      return unresolved(c, without_value, unreadable_out);
    }
    case ValueType::Null: break;  // decided from presence alone, in evaluate_condition
  }
  return Tri::False;
}

}  // namespace

Tri evaluate_condition(const CompiledCondition& c, const ContextEntry* entry, const Request& r, const Semantics& s,
                       Unreadable* unreadable_out) {
  bool missing = entry == nullptr || entry->values.empty();  // C16: an empty set counts as null
  // C16: for the set operators, values that are all empty strings are a null data set too.
  if (!missing && c.qualifier != SetQualifier::None)
    missing =
        std::all_of(entry->values.begin(), entry->values.end(), [](const ContextValue& v) { return v.text.empty(); });
  if (c.type == ValueType::Null) {  // C6: "true" asks for absence, "false" for presence
    for (bool want_absent : c.bools)
      if (want_absent == missing) return Tri::True;
    return Tri::False;
  }
  if (missing) {
    if (c.qualifier == SetQualifier::ForAllValues) return Tri::True;  // C14: vacuous
    if (c.qualifier == SetQualifier::ForAnyValue) return Tri::False;  // C14
    if (c.if_exists) return Tri::True;                                // C5
    return c.negated ? Tri::True : Tri::False;                        // C4
  }
  const bool walk = within_walk_budget(c, *entry);
  if (c.qualifier == SetQualifier::None) {
    Tri any = Tri::False;
    for (const auto& v : entry->values) any = tri_or(any, value_matches(c, v, r, s, walk, unreadable_out));
    return c.negated ? tri_not(any) : any;
  }
  const bool for_all = c.qualifier == SetQualifier::ForAllValues;
  Tri result = for_all ? Tri::True : Tri::False;
  for (const auto& v : entry->values) {
    Tri one = value_matches(c, v, r, s, walk, unreadable_out);
    if (c.negated) one = tri_not(one);
    result = for_all ? tri_and(result, one) : tri_or(result, one);
  }
  return result;
}

}  // namespace iamsim::eval
