// Stage: eval. One condition against the request context (C1-C16), in three-valued logic:
// Unknown means a request value could not be read as the operator's type, and the caller
// resolves it to the safe side (docs/rules.md, choice 10).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

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

// warnings receives a message for each unreadable value (may be null).
Tri evaluate_condition(const compile::CompiledCondition& condition, const Request& request, const Semantics& semantics,
                       std::vector<std::string>* warnings);

}  // namespace iamsim::eval
