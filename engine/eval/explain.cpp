// Stage: decision. Codes to text. Placeholders in a text: {action}, {account}, {level},
// {key}, {value}, {expected}, {operator}.
#include "engine/eval/explain.hpp"

#include <array>
#include <charconv>

#include "engine/assert.hpp"

namespace iamsim::eval {
namespace {

constexpr std::array<CodeInfo, 19> codes = {{
    {Code::ScpLevelWithoutAllow, "S3.scp-level-without-allow", "no SCP at {level} allows the action"},
    {Code::EndpointWithoutAllow, "V1.endpoint-without-allow", "the VPC endpoint policy does not allow the request"},
    {Code::NoCrossAccountGrant, "X1.no-cross-account-grant",
     "the resource is in account {account} and no statement of its policy grants this principal, as a cross-account "
     "request needs"},
    {Code::TrustWithoutGrant, "T1.trust-without-grant",
     "the role's trust policy does not allow this principal to {action}"},
    {Code::KeyPolicyWithoutGrant, "KM1.key-policy-without-grant",
     "the key policy neither grants this principal nor enables IAM policies for its account"},
    {Code::NoResourceGrant, "E5.no-resource-grant", "no resource policy statement grants this caller"},
    {Code::NoIdentityAllow, "E7.no-identity-allow", "no identity-based policy allows the action"},
    {Code::BoundaryWithoutAllow, "E8.boundary-without-allow", "the permissions boundary does not allow the action"},
    {Code::SessionWithoutAllow, "E9.session-without-allow", "the session policy does not allow the action"},
    {Code::FederatedWithoutSessionPolicy, "E9.federated-without-session-policy",
     "a federated user's session without a session policy is allowed nothing"},
    {Code::RootCannotAssumeRole, "T3.root-cannot-assume-role", "the root user cannot call sts:AssumeRole"},
    {Code::CrossPartition, "X4.cross-partition",
     "the principal and the resource are in different partitions: never allowed"},
    {Code::UnmodifiableRole, "T14.unmodifiable-role",
     "IAM refuses {action} on a role AWS manages (under /aws-reserved/, or a service-linked role), whatever the "
     "policies say"},
    {Code::ReservedAlias, "KM6.reserved-alias",
     "aliases under alias/aws/ are reserved for AWS managed keys: AWS refuses {action} on them, whatever the policies "
     "say"},
    {Code::UnreadableContextValue, "E10.unreadable-context-value",
     "context key {key} has value \"{value}\", which is not {expected} for {operator}: resolved to the safe side (an "
     "Allow does not apply, a Deny does)",
     true},
    {Code::ScpNotApplicable, "S1.scp-not-applicable",
     "SCPs apply only to IAM users and roles of member accounts: ignored for this caller", true},
    {Code::UnresolvedVariable, "PV7.unresolved-variable",
     "a policy variable in \"{value}\" has no value in this request: read literally it would widen the Allow, so the "
     "statement does not apply",
     true},
    {Code::NoPermissionNeeded, "T12.no-permission-needed",
     "sts:GetCallerIdentity needs no permission and cannot be denied: allowed whatever the policies say (they alone "
     "give {value})",
     true},
    {Code::WalkBudgetExceeded, "E10.walk-budget-exceeded",
     "{operator} {key}: {value} against patterns tried one by one (ARNs, or strings with '?', an inner '*' or a "
     "variable) pass the walk budget (their characters times the values', at most 100,000,000): resolved to the safe "
     "side (an Allow does not apply, a Deny does)",
     true},
}};

// A nearly matching statement, appended to its reason's text.
constexpr std::string_view near_miss_text = ": {statement} matches but for its condition {operator} {key}";
constexpr std::string_view key_not_given_text = ", whose key is not given";

struct Fill {
  std::string_view name, value;
};

std::string filled(std::string_view text, std::initializer_list<Fill> fills) {
  std::string out;
  out.reserve(text.size() + 32);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{') {
      const std::size_t close = text.find('}', i);
      IAMSIM_ASSERT(close != std::string_view::npos, "an unclosed placeholder in a message text");
      const std::string_view name = text.substr(i + 1, close - i - 1);
      bool found = false;
      for (const auto& f : fills)
        if (f.name == name) {
          out += f.value;
          found = true;
          break;
        }
      IAMSIM_ASSERT(found, "a message placeholder without a value");
      i = close;
      continue;
    }
    out += text[i];
  }
  return out;
}

void append_number(std::string& out, std::uint64_t n) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out.append(digits, end);
}

// The layer's key in the eval contract's "policies" object.
std::string_view layer_key(Layer l) { return to_string(l); }

bool listed_layer(Layer l) { return l == Layer::Identity; }
bool levelled_layer(Layer l) { return l == Layer::Scp || l == Layer::Rcp; }

}  // namespace

const CodeInfo& info(Code code) {
  const auto& entry = codes[static_cast<std::size_t>(code)];
  IAMSIM_ASSERT(entry.code == code, "the code table is out of the enum's order");
  return entry;
}

std::span<const CodeInfo> all_codes() { return codes; }

std::string_view policy_name(const StatementRef& ref, std::string& buffer) {
  IAMSIM_ASSERT(ref.source, "a statement reference without its policy's source");
  if (!ref.source->named_by_place) return ref.source->name;
  buffer.assign(layer_key(ref.layer));
  if (levelled_layer(ref.layer)) {
    buffer += '[';
    append_number(buffer, static_cast<std::uint64_t>(ref.level));
    buffer += ']';
  }
  if (levelled_layer(ref.layer) || listed_layer(ref.layer)) {
    buffer += '[';
    append_number(buffer, ref.position);
    buffer += ']';
  }
  return buffer;
}

std::string_view document_pointer(const StatementRef& ref, std::string& buffer) {
  IAMSIM_ASSERT(ref.source, "a statement reference without its policy's source");
  if (!ref.source->named_by_place) return ref.source->pointer;
  buffer.assign("/policies/");
  buffer += layer_key(ref.layer);
  if (levelled_layer(ref.layer)) {
    buffer += '/';
    append_number(buffer, static_cast<std::uint64_t>(ref.level));
  }
  if (levelled_layer(ref.layer) || listed_layer(ref.layer)) {
    buffer += '/';
    append_number(buffer, ref.position);
  }
  return buffer;
}

std::string statement_words(const StatementRef& ref) {
  const auto& st = ref.compiled();
  std::string out = "statement ";
  if (st.sid.empty()) {
    out += '#';
    append_number(out, ref.statement);
  } else {
    out += '"';
    out += st.sid;
    out += '"';
  }
  std::string buffer;
  out += " of ";
  out += policy_name(ref, buffer);
  return out;
}

std::string message(const Reason& reason, const Request& request) {
  std::string level;
  if (!reason.level_name.empty()) {
    level = reason.level_name;
  } else if (reason.level >= 0) {
    level = "level ";
    append_number(level, static_cast<std::uint64_t>(reason.level));
  }
  std::string out = filled(info(reason.code).text,
                           {{"action", request.action}, {"account", request.resource_account}, {"level", level}});
  if (reason.near_miss) {
    const auto& c = reason.near_miss.compiled().conditions[reason.condition];
    out += filled(near_miss_text,
                  {{"statement", statement_words(reason.near_miss)}, {"operator", c.op_text}, {"key", c.key_text}});
    if (const ContextEntry* given = request.context.find(c.key)) {
      // The request's values, so a reader sees why the condition failed.
      out += " (given ";
      for (std::size_t i = 0; i < given->values.size(); ++i) {
        if (i == 3) {
          out += ", ...";
          break;
        }
        if (i > 0) out += ", ";
        out += '"';
        out += given->values[i].text;
        out += '"';
      }
      out += ')';
    } else {
      out += key_not_given_text;
    }
  }
  return out;
}

std::string message(const Warning& warning) {
  std::string_view key, op;
  if (warning.has_condition()) {
    const auto& c = warning.statement.compiled().conditions[warning.condition];
    key = c.key_text;
    op = c.op_text;
  }
  return filled(info(warning.code).text,
                {{"key", key}, {"value", warning.value}, {"expected", warning.expected}, {"operator", op}});
}

std::string_view to_string(ResourcePolicyKind kind) {
  switch (kind) {
    case ResourcePolicyKind::Ordinary: return "resource";
    case ResourcePolicyKind::RoleTrust: return "role_trust";
    case ResourcePolicyKind::KmsKey: return "kms_key";
  }
  iamsim::unreachable();
}

}  // namespace iamsim::eval
