// Fuzz target: arbitrary bytes as an eval request (docs/eval-contract.md), read the ordinary
// way and then by the fast path, which matches the policies byte for byte with texts the
// reader used recently (the ordinary read just used them, so the fast path gets its chance).
// Invariants: both accept or both refuse the input, with the same diagnostics; when they
// accept, the jobs agree field by field (id, request, every policy in its layer and level,
// the same compiled policy, its pointer, the warnings) and so do the decisions made with them.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "engine/contract/eval_request.hpp"
#include "engine/eval/authorize.hpp"
#include "engine/eval/explain.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

using namespace iamsim;

std::string diagnostics_text(const Diagnostics& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics.items()) out += format_diagnostic(d) + "\n";
  return out;
}

bool same_policy(const eval::AttachedPolicy& a, const eval::AttachedPolicy& b) {
  return a.policy == b.policy && a.source == b.source;
}

template <typename T>
bool same_optional(const std::optional<T>& a, const std::optional<T>& b) {
  return a.has_value() == b.has_value() && (!a || same_policy(*a, *b));
}

bool same_levels(std::span<const eval::PolicyLevel> a, std::span<const eval::PolicyLevel> b) {
  if (a.size() != b.size()) return false;
  for (std::size_t l = 0; l < a.size(); ++l) {
    if (a[l].size() != b[l].size()) return false;
    for (std::size_t i = 0; i < a[l].size(); ++i)
      if (!same_policy(a[l][i], b[l][i])) return false;
  }
  return true;
}

bool same_principal(const eval::Principal& a, const eval::Principal& b) {
  return a.kind == b.kind && a.arn == b.arn && a.partition == b.partition && a.account == b.account &&
         a.name == b.name && a.role_arn == b.role_arn && a.session_name == b.session_name &&
         a.session_known == b.session_known && a.unique_id == b.unique_id &&
         a.management_account == b.management_account && a.service_linked_role == b.service_linked_role &&
         a.has_boundary == b.has_boundary;
}

bool same_context(const eval::Context& a, const eval::Context& b) {
  if (a.entries().size() != b.entries().size()) return false;
  for (std::size_t i = 0; i < a.entries().size(); ++i) {
    const auto &x = a.entries()[i], &y = b.entries()[i];
    if (x.key != y.key || x.name != y.name || x.multivalued != y.multivalued || x.values.size() != y.values.size())
      return false;
    for (std::size_t v = 0; v < x.values.size(); ++v)
      if (x.values[v].text != y.values[v].text) return false;
  }
  return true;
}

bool same_statement(const eval::StatementRef& a, const eval::StatementRef& b) {
  return a.policy == b.policy && a.source == b.source && a.statement == b.statement && a.layer == b.layer &&
         a.level == b.level && a.position == b.position;
}

bool same_decision(const eval::Decision& a, const eval::Decision& b, const eval::Request& request) {
  if (a.outcome != b.outcome || a.layers != b.layers || a.blocked_by != b.blocked_by || a.grant != b.grant ||
      a.determining.size() != b.determining.size() || a.reasons.size() != b.reasons.size() ||
      a.warnings.size() != b.warnings.size() || a.missing_context_keys != b.missing_context_keys)
    return false;
  for (std::size_t i = 0; i < a.determining.size(); ++i)
    if (!same_statement(a.determining[i], b.determining[i])) return false;
  for (std::size_t i = 0; i < a.reasons.size(); ++i)
    if (a.reasons[i].code != b.reasons[i].code || !same_statement(a.reasons[i].near_miss, b.reasons[i].near_miss) ||
        eval::message(a.reasons[i], request) != eval::message(b.reasons[i], request))
      return false;
  for (std::size_t i = 0; i < a.warnings.size(); ++i)
    if (a.warnings[i].code != b.warnings[i].code || a.warnings[i].value != b.warnings[i].value) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Semantics semantics;
  // Shared by every input, as a batch shares it: the fast path also finds texts of earlier inputs.
  static compile::PolicyCache cache(semantics);
  static contract::ReaderMemory memory;
  static const eval::PolicySource source{"request", "", "", 0, true};
  std::string padded(reinterpret_cast<const char*>(data), size);
  padded.append(simdjson::SIMDJSON_PADDING, ' ');
  const std::string_view text(padded.data(), size);
  const SourceLocation where{"fuzz", "", 1, 0};

  Diagnostics ordinary_diagnostics, fast_diagnostics;
  contract::EvalJob ordinary, fast;
  const bool ordinary_ok = contract::read_eval_request(text, padded.size(), where, cache, source, memory,
                                                       ordinary_diagnostics, ordinary, contract::ReadPath::Ordinary);
  const bool fast_ok = contract::read_eval_request(text, padded.size(), where, cache, source, memory, fast_diagnostics,
                                                   fast, contract::ReadPath::FastFirst);
  FUZZ_CHECK(ordinary_ok == fast_ok);
  FUZZ_CHECK(diagnostics_text(ordinary_diagnostics) == diagnostics_text(fast_diagnostics));
  FUZZ_CHECK(ordinary_ok == !ordinary_diagnostics.has_errors());
  if (!ordinary_ok) return 0;

  FUZZ_CHECK(ordinary.id == fast.id && ordinary.has_id == fast.has_id);
  const auto &a = ordinary.request, &b = fast.request;
  FUZZ_CHECK(same_principal(a.principal, b.principal));
  FUZZ_CHECK(a.action == b.action && a.action_lower == b.action_lower && a.resource == b.resource);
  FUZZ_CHECK(a.resource_account == b.resource_account);
  FUZZ_CHECK(a.resource_in_management_account == b.resource_in_management_account);
  FUZZ_CHECK(a.resource_is_aws_managed_key == b.resource_is_aws_managed_key);
  FUZZ_CHECK(same_context(a.context, b.context));

  const auto &p = ordinary.policies, &q = fast.policies;
  FUZZ_CHECK(p.identity.size() == q.identity.size());
  for (std::size_t i = 0; i < p.identity.size(); ++i) FUZZ_CHECK(same_policy(p.identity[i], q.identity[i]));
  FUZZ_CHECK(same_optional(p.boundary, q.boundary) && same_optional(p.session, q.session));
  FUZZ_CHECK(same_optional(p.resource, q.resource) && same_optional(p.vpc_endpoint, q.vpc_endpoint));
  FUZZ_CHECK(p.scp.has_value() == q.scp.has_value() && (!p.scp || same_levels(*p.scp, *q.scp)));
  FUZZ_CHECK(same_levels(p.rcp, q.rcp));

  FUZZ_CHECK(ordinary.owned.size() == fast.owned.size());
  for (std::size_t i = 0; i < ordinary.owned.size(); ++i)
    FUZZ_CHECK(ordinary.owned[i].cached == fast.owned[i].cached && ordinary.owned[i].pointer == fast.owned[i].pointer);
  FUZZ_CHECK(ordinary.warnings.size() == fast.warnings.size());
  for (std::size_t i = 0; i < ordinary.warnings.size(); ++i)
    FUZZ_CHECK(ordinary.warnings[i].code == fast.warnings[i].code &&
               ordinary.warnings[i].message == fast.warnings[i].message);

  FUZZ_CHECK(same_decision(eval::authorize(a, p, semantics), eval::authorize(b, q, semantics), a));
  return 0;
}
