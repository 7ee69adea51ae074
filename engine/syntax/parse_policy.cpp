// Stage: syntax. Reads a policy document element by element; every problem becomes a
// diagnostic at the element's JSON pointer, and nothing unknown is ignored.
#include "engine/syntax/parse_policy.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <string_view>
#include <unordered_map>

#include <boost/container/small_vector.hpp>

#include "engine/syntax/arn.hpp"
#include "engine/syntax/arn_kind.hpp"
#include "engine/syntax/json_errors.hpp"

namespace iamsim::syntax {

std::string_view to_string(PolicyKind kind) {
  switch (kind) {
    case PolicyKind::Identity: return "identity policy";
    case PolicyKind::Boundary: return "permissions boundary";
    case PolicyKind::Session: return "session policy";
    case PolicyKind::Resource: return "resource policy";
    case PolicyKind::RoleTrust: return "role trust policy";
    case PolicyKind::KmsKey: return "KMS key policy";
    case PolicyKind::Scp: return "SCP";
    case PolicyKind::Rcp: return "RCP";
    case PolicyKind::VpcEndpoint: return "VPC endpoint policy";
  }
  return "policy";
}

std::string with_article(PolicyKind kind) {
  const bool vowel = kind == PolicyKind::Identity || kind == PolicyKind::Scp || kind == PolicyKind::Rcp;
  return (vowel ? "an " : "a ") + std::string(to_string(kind));
}

std::string json_pointer_escape(std::string_view key) {
  std::string out;
  out.reserve(key.size() + 1);
  out += '/';
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

bool is_iam_kind(PolicyKind k) {
  return k == PolicyKind::Identity || k == PolicyKind::Boundary || k == PolicyKind::Session ||
         k == PolicyKind::RoleTrust;
}
bool is_identity_like(PolicyKind k) {
  return k == PolicyKind::Identity || k == PolicyKind::Boundary || k == PolicyKind::Session || k == PolicyKind::Scp;
}
bool needs_principal(PolicyKind k) {
  return k == PolicyKind::Resource || k == PolicyKind::RoleTrust || k == PolicyKind::KmsKey || k == PolicyKind::Rcp ||
         k == PolicyKind::VpcEndpoint;
}

std::string_view type_name(element_type t) {
  switch (t) {
    case element_type::ARRAY: return "an array";
    case element_type::OBJECT: return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return "a number";
    case element_type::STRING: return "a string";
    case element_type::BOOL: return "a boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "a value";
}

// G10: only TAB, LF, CR and U+0020-U+00FF. In UTF-8 the latter are ASCII >= 0x20 and the
// two-byte sequences led by 0xC2 or 0xC3.
std::optional<std::size_t> first_disallowed_char(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20) {
      if (c != '\t' && c != '\n' && c != '\r') return i;
    } else if (c == 0x7F) {
      continue;
    } else if (c >= 0x80) {
      if (c != 0xC2 && c != 0xC3) return i;
      ++i;  // the continuation byte (simdjson validated the UTF-8)
    }
  }
  return std::nullopt;
}

class PolicyParser {
 public:
  PolicyParser(PolicyKind kind, const Semantics& semantics, const SourceLocation& origin, Diagnostics& diagnostics)
      : kind_(kind), semantics_(semantics), origin_(origin), diags_(diagnostics) {}

  std::optional<PolicyAst> parse(element root) {
    PolicyAst policy;
    policy.kind = kind_;
    simdjson::dom::object obj;
    if (root.get_object().get(obj)) {
      error("policy.not-object", "",
            std::string("a policy must be a JSON object, not ") + std::string(type_name(root.type())));
      return std::nullopt;
    }
    bool has_statement = false;
    for (auto [key, value] : fields(obj, "")) {
      const std::string ptr = json_pointer_escape(key);
      if (key == "Version") {
        policy.has_version = true;
        if (auto s = string_value(value, ptr, "Version")) {
          policy.version = *s;
          if (policy.version != "2012-10-17" && policy.version != "2008-10-17")
            error("policy.version", ptr,
                  "Version must be \"2012-10-17\" or \"2008-10-17\", not \"" + policy.version + "\" (G3)");
        }
      } else if (key == "Id") {
        policy.has_id = true;
        if (auto s = string_value(value, ptr, "Id")) policy.id = *s;
        if (kind_ == PolicyKind::Identity || kind_ == PolicyKind::Boundary || kind_ == PolicyKind::Session)
          error("policy.id-in-identity", ptr, "Id is not allowed in an identity-based policy (G2)");
        else if (kind_ == PolicyKind::Scp || kind_ == PolicyKind::Rcp)
          warning("policy.id-in-org-policy", ptr,
                  "Id is not part of the " + std::string(to_string(kind_)) + " grammar");
      } else if (key == "Statement") {
        has_statement = true;
        parse_statements(value, ptr, policy);
      } else {
        error("policy.unknown-element", ptr,
              "unknown policy element \"" + std::string(key) + "\" (expected Version, Id, Statement)");
      }
    }
    if (!has_statement) error("policy.no-statement", "", "a policy needs a Statement (G1)");
    if (kind_ == PolicyKind::Rcp && policy.version != "2012-10-17")
      error("policy.rcp-version", policy.has_version ? "/Version" : "", "an RCP must have Version \"2012-10-17\" (R6)");
    if (!policy.has_version) warning("policy.no-version", "", "no Version: policy variables are literal text (G3)");
    check_sids(policy);
    return failed_ ? std::nullopt : std::optional<PolicyAst>(std::move(policy));
  }

 private:
  // Object fields in order, with G1's duplicate-key check. Few objects have more than 16.
  using Fields = boost::container::small_vector<std::pair<std::string_view, element>, 16>;
  Fields fields(simdjson::dom::object obj, const std::string& ptr) {
    Fields out;
    for (auto field : obj) {
      if (string_problem(field.key)) check_string(field.key, child(ptr, field.key), true);
      for (const auto& seen : out)
        if (seen.first == field.key)
          error("policy.duplicate-key", child(ptr, field.key),
                "duplicate key \"" + std::string(field.key) + "\" in one object (G1)");
      out.emplace_back(field.key, field.value);
    }
    return out;
  }

  static std::string child(const std::string& ptr, std::string_view key) {
    std::string out;
    out.reserve(ptr.size() + key.size() + 1);
    out += ptr;
    out += json_pointer_escape(key);
    return out;
  }

  // Is the string too long, or does it hold characters G10 forbids? (cheap: no allocation)
  static bool string_problem(std::string_view s) {
    return s.size() > max_policy_string_bytes || first_disallowed_char(s).has_value();
  }

  // False when the string is too long to be read further (reported once, here).
  bool check_string(std::string_view s, const std::string& ptr, bool is_key) {
    if (!string_problem(s)) return true;
    if (s.size() > max_policy_string_bytes) {
      error("policy.string-too-long", ptr,
            std::string(is_key ? "key" : "string") + " of " + std::to_string(s.size()) +
                " bytes is longer than any policy may be (" + std::to_string(max_policy_string_bytes) + " bytes)");
      return false;
    }
    if (auto at = first_disallowed_char(s))
      error("policy.character", ptr,
            "character at byte " + std::to_string(*at) +
                " is outside TAB, LF, CR and U+0020-U+00FF, which policies may not contain (G10)");
    return true;
  }

  std::optional<std::string> string_value(element v, const std::string& ptr, std::string_view what) {
    std::string_view s;
    if (v.get_string().get(s)) {
      error("policy.type", ptr, std::string(what) + " must be a string, not " + std::string(type_name(v.type())));
      return std::nullopt;
    }
    if (!check_string(s, ptr, false)) return std::nullopt;
    return std::string(s);
  }

  // G9: a string or an array of strings; never empty.
  std::vector<Located> string_list(element v, const std::string& ptr, std::string_view what) {
    std::vector<Located> out;
    if (v.type() == element_type::ARRAY) {
      std::size_t i = 0;
      for (element item : simdjson::dom::array(v.get_array().value_unsafe())) {
        const std::string item_ptr = ptr + "/" + std::to_string(i++);
        if (auto s = string_value(item, item_ptr, what)) out.push_back({std::move(*s), item_ptr});
      }
      if (i == 0) error("policy.empty-list", ptr, std::string(what) + " must not be an empty list");
    } else if (auto s = string_value(v, ptr, what)) {
      out.push_back({std::move(*s), ptr});
    }
    return out;
  }

  void parse_statements(element v, const std::string& ptr, PolicyAst& policy) {
    if (v.type() == element_type::OBJECT) {  // G4: a single statement object
      parse_statement(v, ptr, 0, policy);
      return;
    }
    if (v.type() != element_type::ARRAY) {
      error("policy.type", ptr,
            "Statement must be an object or an array of objects, not " + std::string(type_name(v.type())));
      return;
    }
    std::size_t i = 0;
    for (element item : simdjson::dom::array(v.get_array().value_unsafe())) {
      parse_statement(item, ptr + "/" + std::to_string(i), i, policy);
      ++i;
    }
    if (i == 0) warning("policy.empty-statement", ptr, "Statement is empty: the policy allows and denies nothing");
  }

  void parse_statement(element v, const std::string& ptr, std::size_t index, PolicyAst& policy) {
    simdjson::dom::object obj;
    if (v.get_object().get(obj)) {
      error("policy.type", ptr, "a statement must be an object, not " + std::string(type_name(v.type())));
      return;
    }
    StatementAst st;
    st.index = index;
    st.pointer = ptr;
    bool has_effect = false, has_action = false, has_not_action = false, has_resource = false, has_not_resource = false;
    for (auto [key, value] : fields(obj, ptr)) {
      const std::string p = child(ptr, key);
      if (key == "Sid") {
        st.has_sid = true;
        if (auto s = string_value(value, p, "Sid")) st.sid = *s;
      } else if (key == "Effect") {
        has_effect = true;
        if (auto s = string_value(value, p, "Effect")) {
          if (*s == "Allow")
            st.effect = Effect::Allow;
          else if (*s == "Deny")
            st.effect = Effect::Deny;
          else
            error("policy.effect", p,
                  "Effect must be exactly \"Allow\" or \"Deny\" (case-sensitive), not \"" + *s + "\" (G6)");
        }
      } else if (key == "Principal" || key == "NotPrincipal") {
        if (st.principal.present)
          error("policy.principal-and-notprincipal", p, "a statement may have Principal or NotPrincipal, not both");
        parse_principal(value, p, key == "NotPrincipal", st.principal);
      } else if (key == "Action" || key == "NotAction") {
        (key == "Action" ? has_action : has_not_action) = true;
        st.not_action = key == "NotAction";
        st.actions = string_list(value, p, key);
        for (const auto& a : st.actions) check_action(a);
      } else if (key == "Resource" || key == "NotResource") {
        (key == "Resource" ? has_resource : has_not_resource) = true;
        st.has_resource = true;
        st.not_resource = key == "NotResource";
        st.resources = string_list(value, p, key);
        for (const auto& r : st.resources) check_resource(r, policy);
      } else if (key == "Condition") {
        parse_condition(value, p, st);
      } else {
        error("policy.unknown-element", p,
              "unknown statement element \"" + std::string(key) +
                  "\" (expected Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource, NotResource, "
                  "Condition)");
      }
    }
    if (!has_effect) error("policy.no-effect", ptr, "a statement needs an Effect (G6)");
    if (has_action && has_not_action)
      error("policy.action-and-notaction", ptr, "a statement may have Action or NotAction, not both (G7)");
    if (!has_action && !has_not_action)
      error("policy.no-action", ptr, "a statement needs an Action or a NotAction (G7)");
    if (has_resource && has_not_resource)
      error("policy.resource-and-notresource", ptr, "a statement may have Resource or NotResource, not both (G7)");
    check_kind_rules(st, has_resource || has_not_resource);
    policy.statements.push_back(std::move(st));
  }

  void check_kind_rules(const StatementAst& st, bool has_resource_element) {
    const std::string& ptr = st.pointer;
    if (st.principal.present) {
      if (is_identity_like(kind_))
        error("policy.principal-not-allowed", st.principal.pointer,
              (st.principal.negated ? "NotPrincipal" : "Principal") + std::string(" is not allowed in ") +
                  with_article(kind_) + " (G8)");
      if (st.principal.negated && (kind_ == PolicyKind::RoleTrust || kind_ == PolicyKind::Rcp))
        error("policy.notprincipal-not-allowed", st.principal.pointer,
              "NotPrincipal is not allowed in " + with_article(kind_) + " (P7, R6)");
    } else if (needs_principal(kind_)) {
      error("policy.principal-required", ptr, with_article(kind_) + " statement needs a Principal (G8, V3)");
    }
    if (!has_resource_element && !needs_principal(kind_))
      error("policy.no-resource", ptr, "a statement needs a Resource or a NotResource (G7)");
    if (has_resource_element && kind_ == PolicyKind::RoleTrust)
      error("policy.resource-in-trust", ptr,
            "a role trust policy may not have Resource or NotResource: it applies to its role");
    if (kind_ == PolicyKind::Rcp) {
      if (st.not_action) error("policy.rcp-notaction", ptr, "NotAction is not allowed in an RCP (R6)");
      if (st.effect == Effect::Allow && !is_full_access(st))
        error("policy.rcp-allow", ptr, "an RCP may only Deny: Allow is supported only in RCPFullAWSAccess (R2)");
      for (const auto& e : st.principal.entries)
        if (!(e.type == "AWS" && e.value.value == "*")) {
          const std::string msg = "an RCP Principal should be \"*\"; narrow it with conditions (R6)";
          if (semantics_.rcp_principal_must_be_star)
            error("policy.rcp-principal", e.value.pointer, msg);
          else
            warning("policy.rcp-principal", e.value.pointer, msg);
        }
    }
    if (kind_ == PolicyKind::Scp && !semantics_.scp_current_syntax) check_scp_2022(st);
  }

  static bool is_full_access(const StatementAst& st) {
    auto all_star = [](const std::vector<Located>& v) { return v.size() == 1 && v[0].value == "*"; };
    return !st.not_action && all_star(st.actions) &&
           (!st.has_resource || (!st.not_resource && all_star(st.resources))) && st.conditions.empty();
  }

  // S6, ORG22: Allow only with Resource "*" and no Condition; NotAction only with Deny;
  // no NotResource; action wildcards alone or at the end.
  void check_scp_2022(const StatementAst& st) {
    const std::string& ptr = st.pointer;
    if (st.not_resource) error("policy.scp-2022", ptr, "NotResource is not allowed in an SCP (S6, scp_syntax=2022)");
    if (st.effect == Effect::Allow) {
      if (!st.conditions.empty())
        error("policy.scp-2022", ptr, "an SCP Allow may not have a Condition (S6, scp_syntax=2022)");
      if (!(st.resources.size() == 1 && st.resources[0].value == "*"))
        error("policy.scp-2022", ptr, "an SCP Allow must have Resource \"*\" (S6, scp_syntax=2022)");
      if (st.not_action)
        error("policy.scp-2022", ptr, "NotAction is allowed only with Deny in an SCP (S6, scp_syntax=2022)");
    }
    for (const auto& a : st.actions) {
      auto star = a.value.find('*');
      if (star != std::string::npos && star + 1 != a.value.size())
        error("policy.scp-2022", a.pointer,
              "an SCP action may have a wildcard '*' only at its end (S6, scp_syntax=2022)");
    }
  }

  void parse_principal(element v, const std::string& ptr, bool negated, PrincipalAst& out) {
    out.present = true;
    out.negated = negated;
    out.pointer = ptr;
    if (v.type() == element_type::STRING) {
      auto s = string_value(v, ptr, "Principal");
      if (!s) return;
      if (*s != "*")
        error("policy.principal", ptr,
              "a Principal string must be \"*\"; name principals as {\"AWS\": ...}, "
              "{\"Service\": ...}, {\"Federated\": ...} (P1)");
      out.entries.push_back({"AWS", {"*", ptr}});
      return;
    }
    simdjson::dom::object obj;
    if (v.get_object().get(obj)) {
      error("policy.type", ptr, "Principal must be \"*\" or an object, not " + std::string(type_name(v.type())));
      return;
    }
    for (auto [key, value] : fields(obj, ptr)) {
      const std::string p = child(ptr, key);
      if (key != "AWS" && key != "Federated" && key != "Service" && key != "CanonicalUser") {
        error("policy.principal-type", p,
              "unknown principal type \"" + std::string(key) + "\" (expected AWS, Federated, Service, CanonicalUser)");
        continue;
      }
      for (auto& item : string_list(value, p, key)) {
        if (key == "AWS")
          check_aws_principal(item);
        else if (item.value.find_first_of("*?") != std::string::npos && item.value != "*")
          error("policy.principal-wildcard", item.pointer,
                "a " + std::string(key) + " principal cannot contain wildcards: name it whole (P2)");
        out.entries.push_back({std::string(key), std::move(item)});
      }
    }
  }

  // P1, P2: "*", an account id, an IAM/STS ARN of a user, role, session or federated
  // user, or a unique id; wildcards only as a whole "*".
  void check_aws_principal(const Located& p) {
    const std::string& s = p.value;
    if (s == "*") return;
    if (is_account_id(s)) return;
    if (s.rfind("arn:", 0) == 0) {
      ArnError err;
      auto arn = parse_arn(s, &err);
      if (!arn) {
        error("policy.principal-arn", p.pointer, err.message + " in Principal\n" + caret_line(s, err.column));
        return;
      }
      if (s.find_first_of("*?") != std::string::npos) {
        error("policy.principal-wildcard", p.pointer,
              "a Principal ARN cannot contain wildcards; use \"*\" with an aws:PrincipalArn condition (P2)");
        return;
      }
      // Every name part must be there: user/, assumed-role//s and assumed-role/r/ name nobody.
      const std::string_view res = arn->resource;
      if ((!res.empty() && res.back() == '/') || res.find("//") != std::string_view::npos) {
        error("policy.principal-arn", p.pointer, "the principal ARN \"" + s + "\" has an empty name (P1, P2)");
        return;
      }
      // Identity providers are Federated principals, not AWS ones (P5).
      const auto named = principal_arn(*arn);
      if (!named || named->kind == PrincipalArnKind::OidcProvider || named->kind == PrincipalArnKind::SamlProvider)
        error(
            "policy.principal-arn", p.pointer,
            "\"" + s +
                "\" is not a principal: expected an account, user, role, assumed-role or federated-user ARN (P1, P5)");
      if (named && named->kind == PrincipalArnKind::AssumedRole && named->session.empty())
        error("policy.principal-arn", p.pointer,
              "an assumed-role principal must name one session: assumed-role/ROLE/SESSION (P2)");
      return;
    }
    if (s.size() >= 16 && s.size() <= 128 &&
        (s.rfind("AIDA", 0) == 0 || s.rfind("AROA", 0) == 0 || s.rfind("AIPA", 0) == 0) &&
        std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }))
      return;
    error("policy.principal", p.pointer,
          "\"" + s + "\" is not an AWS principal: expected \"*\", a 12-digit account id, an ARN or a unique id (P1)");
  }

  void check_action(const Located& a) {
    const std::string& s = a.value;
    if (s == "*") return;
    const auto colon = s.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == s.size()) {
      error("policy.action", a.pointer, "action \"" + s + "\" must have the form service:ActionName (A1)");
      return;
    }
    for (std::size_t i = 0; i < colon; ++i) {
      const char c = s[i];
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
        error("policy.action", a.pointer, "action \"" + s + "\" has an invalid service prefix (A1)");
        return;
      }
    }
    if (s.find(':', colon + 1) != std::string::npos)
      error("policy.action", a.pointer, "action \"" + s + "\" has more than one ':' (A1)");
  }

  void check_resource(const Located& r, const PolicyAst& policy) {
    const std::string& s = r.value;
    if (s == "*") return;
    ArnError err;
    auto arn = parse_arn(s, &err);
    if (!arn) {
      error("policy.resource-arn", r.pointer, err.message + "\n" + caret_line(s, err.column));
      return;
    }
    if (arn->service.find_first_of("*?") != std::string::npos)
      error("policy.resource-arn", r.pointer, "the service part of a resource ARN cannot hold wildcards (RS1)");
    const bool variables_active = policy.version == "2012-10-17";
    const std::size_t resource_start = s.size() - arn->resource.size();
    const auto var = s.find("${");
    if (variables_active && var != std::string::npos && var < resource_start)
      error("policy.variable-position", r.pointer,
            "policy variables are allowed only in the resource part of an ARN, after the fifth ':' (RS4)\n" +
                caret_line(s, var));
  }

  void parse_condition(element v, const std::string& ptr, StatementAst& st) {
    simdjson::dom::object ops;
    if (v.get_object().get(ops)) {
      error("policy.type", ptr,
            "Condition must be an object {Operator: {Key: value}}, not " + std::string(type_name(v.type())) + " (C1)");
      return;
    }
    for (auto [op, block] : fields(ops, ptr)) {
      const std::string op_ptr = child(ptr, op);
      simdjson::dom::object keys;
      if (block.get_object().get(keys)) {
        error("policy.type", op_ptr,
              "the block of operator " + std::string(op) + " must be an object {Key: value} (C1)");
        continue;
      }
      for (auto [key, value] : fields(keys, op_ptr)) {
        ConditionAst c;
        c.op = std::string(op);
        c.key = std::string(key);
        c.pointer = child(op_ptr, key);
        if (key.empty()) error("policy.condition-key", c.pointer, "a condition key cannot be empty");
        condition_values(value, c);
        st.conditions.push_back(std::move(c));
      }
    }
  }

  // C1, G9: a scalar or an array of scalars. Numbers and booleans keep their JSON text.
  void condition_values(element v, ConditionAst& c) {
    auto scalar = [&](element item, const std::string& p) {
      switch (item.type()) {
        case element_type::STRING: {
          std::string_view s = item.get_string().value_unsafe();
          if (check_string(s, p, false)) c.values.push_back({std::string(s), p});
          return;
        }
        case element_type::BOOL: c.values.push_back({item.get_bool().value_unsafe() ? "true" : "false", p}); return;
        case element_type::INT64: c.values.push_back({std::to_string(item.get_int64().value_unsafe()), p}); return;
        case element_type::UINT64: c.values.push_back({std::to_string(item.get_uint64().value_unsafe()), p}); return;
        case element_type::DOUBLE: {
          // Fixed notation: condition values never take exponents (C8), so 100000.0 must
          // read as "100000", not "1e+05".
          std::array<char, 400> buf{};
          auto res = std::to_chars(buf.data(), buf.data() + buf.size(), item.get_double().value_unsafe(),
                                   std::chars_format::fixed);
          c.values.push_back({std::string(buf.data(), res.ptr), p});
          return;
        }
        default:
          error("policy.type", p,
                "a condition value must be a string, number or boolean, not " + std::string(type_name(item.type())) +
                    " (C1)");
      }
    };
    if (v.type() == element_type::ARRAY) {
      std::size_t i = 0;
      for (element item : simdjson::dom::array(v.get_array().value_unsafe()))
        scalar(item, c.pointer + "/" + std::to_string(i++));
      if (i == 0) error("policy.empty-list", c.pointer, "a condition key needs at least one value");
    } else {
      scalar(v, c.pointer);
    }
  }

  // G5: IAM Sids are [A-Za-z0-9] and unique; KMS allows spaces; other services vary.
  void check_sids(const PolicyAst& policy) {
    const bool strict = is_iam_kind(kind_);
    std::unordered_map<std::string_view, std::size_t> first_with_sid;  // hashed: many statements stay linear
    for (std::size_t i = 0; i < policy.statements.size(); ++i) {
      const auto& st = policy.statements[i];
      if (!st.has_sid) continue;
      const std::string ptr = st.pointer + "/Sid";
      if (strict && !std::all_of(st.sid.begin(), st.sid.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
          }))
        error("policy.sid", ptr,
              "Sid \"" + st.sid + "\" may contain only A-Z, a-z and 0-9 in " + with_article(kind_) + " (G5)");
      if (auto [first, fresh] = first_with_sid.try_emplace(st.sid, i); !fresh && !st.sid.empty()) {
        const std::string msg =
            "Sid \"" + st.sid + "\" is used by statement " + std::to_string(first->second) + " too (G5)";
        if (strict)
          error("policy.duplicate-sid", ptr, msg);
        else
          warning("policy.duplicate-sid", ptr, msg);
      }
    }
  }

  SourceLocation at(const std::string& ptr) const {
    SourceLocation where = origin_;
    where.pointer = origin_.pointer + ptr;
    return where;
  }
  void error(const char* code, const std::string& ptr, std::string message) {
    failed_ = true;
    diags_.error(code, at(ptr), std::move(message));
  }
  void warning(const char* code, const std::string& ptr, std::string message) {
    diags_.warning(code, at(ptr), std::move(message));
  }

  PolicyKind kind_;
  const Semantics& semantics_;
  const SourceLocation& origin_;
  Diagnostics& diags_;
  bool failed_ = false;
};

}  // namespace

std::optional<PolicyAst> parse_policy(element root, PolicyKind kind, const Semantics& semantics,
                                      const SourceLocation& origin, Diagnostics& diagnostics) {
  return PolicyParser(kind, semantics, origin, diagnostics).parse(root);
}

std::optional<PolicyAst> parse_policy_text(std::string_view json, PolicyKind kind, const Semantics& semantics,
                                           const SourceLocation& origin, Diagnostics& diagnostics) {
  thread_local simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  element root;
  if (auto err = parser.parse(padded).get(root)) {
    if (err == simdjson::DEPTH_ERROR) {
      diagnostics.error("json.syntax", origin,
                        "not valid JSON: arrays and objects are nested too deep (more than " +
                            std::to_string(parser.max_depth()) + " levels)");
      return std::nullopt;
    }
    // simdjson says only what kind of error; a person needs the line and column. A policy
    // file of its own (no line in its origin) gets them as the diagnostic's location.
    SourceLocation where = origin;
    std::string why = simdjson::error_message(err);
    if (const auto e = find_json_syntax_error(json, origin.line > 0 ? origin.line : 1)) {
      why = e->what;
      if (origin.line > 0) {
        why = "line " + std::to_string(e->line) + ", column " + std::to_string(e->column) + ": " + why;
      } else {
        where.line = e->line;
        where.column = e->column;
      }
    }
    diagnostics.error("json.syntax", where, "not valid JSON: " + why);
    return std::nullopt;
  }
  auto ast = parse_policy(root, kind, semantics, origin, diagnostics);
  if (ast) {
    ast->text_size = json.size();
    ast->non_whitespace_chars = static_cast<std::size_t>(std::count_if(
        json.begin(), json.end(), [](char c) { return c != ' ' && c != '\t' && c != '\n' && c != '\r'; }));
  }
  return ast;
}

}  // namespace iamsim::syntax
