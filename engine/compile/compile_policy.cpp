// Stage: compile. PolicyAst -> CompiledPolicy. Every typed value is read here, once; a value
// that cannot be read is an error at its pointer, as AWS rejects such a policy.
#include <algorithm>

#include "engine/compile/compiled_policy.hpp"
#include "engine/syntax/arn.hpp"
#include "engine/syntax/arn_kind.hpp"
#include "engine/syntax/parse_policy.hpp"
#include "engine/text.hpp"

namespace iamsim::compile {
namespace {

struct OperatorInfo {
  ValueType type;
  Comparison comparison;
  bool negated;
};

std::optional<OperatorInfo> base_operator(std::string_view op) {
  struct Entry {
    std::string_view name;
    OperatorInfo info;
  };
  static const Entry table[] = {
      {"StringEquals", {ValueType::String, Comparison::Equals, false}},
      {"StringNotEquals", {ValueType::String, Comparison::Equals, true}},
      {"StringEqualsIgnoreCase", {ValueType::String, Comparison::EqualsIgnoreCase, false}},
      {"StringNotEqualsIgnoreCase", {ValueType::String, Comparison::EqualsIgnoreCase, true}},
      {"StringLike", {ValueType::String, Comparison::Like, false}},
      {"StringNotLike", {ValueType::String, Comparison::Like, true}},
      {"NumericEquals", {ValueType::Numeric, Comparison::Equals, false}},
      {"NumericNotEquals", {ValueType::Numeric, Comparison::Equals, true}},
      {"NumericLessThan", {ValueType::Numeric, Comparison::LessThan, false}},
      {"NumericLessThanEquals", {ValueType::Numeric, Comparison::LessThanEquals, false}},
      {"NumericGreaterThan", {ValueType::Numeric, Comparison::GreaterThan, false}},
      {"NumericGreaterThanEquals", {ValueType::Numeric, Comparison::GreaterThanEquals, false}},
      {"DateEquals", {ValueType::Date, Comparison::Equals, false}},
      {"DateNotEquals", {ValueType::Date, Comparison::Equals, true}},
      {"DateLessThan", {ValueType::Date, Comparison::LessThan, false}},
      {"DateLessThanEquals", {ValueType::Date, Comparison::LessThanEquals, false}},
      {"DateGreaterThan", {ValueType::Date, Comparison::GreaterThan, false}},
      {"DateGreaterThanEquals", {ValueType::Date, Comparison::GreaterThanEquals, false}},
      {"Bool", {ValueType::Bool, Comparison::Equals, false}},
      {"BinaryEquals", {ValueType::Binary, Comparison::Equals, false}},
      {"IpAddress", {ValueType::Ip, Comparison::Equals, false}},
      {"NotIpAddress", {ValueType::Ip, Comparison::Equals, true}},
      {"ArnEquals", {ValueType::Arn, Comparison::Like, false}},  // C13: ArnEquals is ArnLike
      {"ArnLike", {ValueType::Arn, Comparison::Like, false}},
      {"ArnNotEquals", {ValueType::Arn, Comparison::Like, true}},
      {"ArnNotLike", {ValueType::Arn, Comparison::Like, true}},
      {"Null", {ValueType::Null, Comparison::Equals, false}},
  };
  for (const auto& e : table)
    if (e.name == op) return e.info;
  return std::nullopt;
}

bool is_multivalued_key(std::string_view lower_key) {
  static const std::string_view keys[] = {"aws:calledvia", "aws:principalorgpaths", "aws:resourceorgpaths",
                                          "aws:tagkeys", "aws:principalservicenameslist"};
  return std::find(std::begin(keys), std::end(keys), lower_key) != std::end(keys);
}

class Compiler {
 public:
  Compiler(const syntax::PolicyAst& ast, const Semantics& semantics, const SourceLocation& origin, Diagnostics& diags)
      : ast_(ast), semantics_(semantics), origin_(origin), diags_(diags) {}

  std::shared_ptr<const CompiledPolicy> run() {
    auto policy = std::make_shared<CompiledPolicy>();
    policy->kind = ast_.kind;
    policy->variables_enabled = ast_.version == "2012-10-17";
    variables_ = policy->variables_enabled;
    for (const auto& st : ast_.statements) policy->statements.push_back(statement(st));
    if (failed_) return nullptr;
    return policy;
  }

 private:
  CompiledStatement statement(const syntax::StatementAst& st) {
    CompiledStatement out;
    out.effect = st.effect;
    out.index = static_cast<std::uint32_t>(st.index);
    out.sid = st.sid;
    out.pointer = st.pointer;
    out.not_action = st.not_action;
    const bool case_sensitive_actions = ast_.kind == PolicyKind::Scp && !semantics_.scp_current_syntax;
    for (const auto& a : st.actions)
      out.actions.push_back(
          {Pattern::from_text(a.value, true, semantics_.action_question_mark_glob, !case_sensitive_actions),
           case_sensitive_actions});
    out.resource_scope = !st.has_resource  ? ResourceScope::Attached
                         : st.not_resource ? ResourceScope::NotListed
                                           : ResourceScope::Listed;
    for (const auto& r : st.resources) out.resources.push_back(resource(r));
    out.principal = principal(st.principal);
    if (out.principal.negated && st.effect == Effect::Allow)
      warning("policy.notprincipal-allow", st.principal.pointer,
              "NotPrincipal with Allow is unsupported by AWS and grants to nearly everyone (P7)");
    for (const auto& c : st.conditions) {
      if (auto compiled = condition(c)) {
        if (compiled->key == "aws:principalarn" && !compiled->negated) out.conditions_name_principal_arn = true;
        out.conditions.push_back(std::move(*compiled));
      }
    }
    return out;
  }

  // `warn`: false when the same text was already split (and warned about) once.
  std::vector<syntax::TextPiece> pieces(const syntax::Located& v, bool warn = true) {
    if (!variables_) return {syntax::TextPiece{syntax::TextPiece::Kind::Text, v.value, false, {}}};
    auto split = syntax::split_variables(v.value);
    if (!warn) return split.pieces;
    if (!split.malformed.empty())
      warning("policy.variable-syntax", v.pointer,
              "\"" + split.malformed + "\" is not a well-formed ${key}: kept as text (PV1)");
    for (const auto& p : split.pieces)
      if (p.kind == syntax::TextPiece::Kind::Variable && is_multivalued_key(ascii_lowered(p.text)))
        warning("policy.variable-multivalued", v.pointer,
                "${" + p.text + "} names a multivalued key, which cannot be a variable: it never has a value (PV2)");
    return split.pieces;
  }

  ResourcePattern resource(const syntax::Located& r) {
    ResourcePattern out;
    if (r.value == "*") {
      out.any = true;
      return out;
    }
    auto arn = syntax::parse_arn(r.value);  // validated by the parser
    if (!arn) return out;
    const std::string_view parts[] = {arn->partition, arn->service, arn->region, arn->account};
    for (int i = 0; i < 4; ++i) out.parts[i] = Pattern::from_text(parts[i], true, true, false);
    out.fixed_head = true;
    for (std::string_view part : parts) {
      out.fixed_head = out.fixed_head && part.find_first_of("*?") == std::string_view::npos;
      out.head += part;
      out.head += ':';
    }
    // The resource part is a piece of the whole: its variables are warned about once.
    out.whole = Pattern::from_pieces(pieces(r), true, true, false);
    out.parts[4] = Pattern::from_pieces(pieces({std::string(arn->resource), r.pointer}, false), true, true, false);
    return out;
  }

  CompiledPrincipal principal(const syntax::PrincipalAst& p) {
    CompiledPrincipal out;
    out.present = p.present;
    out.negated = p.negated;
    for (const auto& e : p.entries) {
      const std::string& v = e.value.value;
      if (e.type == "Federated")
        out.federated.push_back(v);
      else if (e.type == "Service")
        out.services.push_back(v);
      else if (e.type == "CanonicalUser")
        out.canonical_users.push_back(v);
      else if (v == "*")
        out.everyone = true;
      else if (syntax::is_account_id(v))
        out.accounts.push_back(v);
      else if (v.rfind("arn:", 0) != 0)
        out.unique_ids.push_back(v);
      else if (auto arn = syntax::parse_arn(v)) {
        // The parser let through only root, user, role, assumed-role and federated-user.
        const auto named = syntax::principal_arn(*arn);
        const auto kind = named ? named->kind : syntax::PrincipalArnKind::AssumedRole;
        if (kind == syntax::PrincipalArnKind::Root)
          out.accounts.emplace_back(arn->account);
        else if (kind == syntax::PrincipalArnKind::User)
          out.user_arns.push_back(v);
        else if (kind == syntax::PrincipalArnKind::Role)
          out.roles.push_back({std::string(arn->account), std::string(named->name), v});
        else
          out.session_arns.push_back(v);
      }
    }
    return out;
  }

  std::optional<CompiledCondition> condition(const syntax::ConditionAst& c) {
    CompiledCondition out;
    out.op_text = c.op;
    out.key_text = c.key;
    out.key = ascii_lowered(c.key);
    out.pointer = c.pointer;
    std::string_view op = c.op;
    if (op.rfind("ForAllValues:", 0) == 0) {
      out.qualifier = SetQualifier::ForAllValues;
      op.remove_prefix(13);
    } else if (op.rfind("ForAnyValue:", 0) == 0) {
      out.qualifier = SetQualifier::ForAnyValue;
      op.remove_prefix(12);
    }
    if (op.size() > 8 && op.substr(op.size() - 8) == "IfExists") {
      out.if_exists = true;
      op.remove_suffix(8);
    }
    const auto info = base_operator(op);
    const std::string op_pointer = c.pointer.substr(0, c.pointer.rfind('/'));
    if (!info) {
      error("policy.unknown-operator", op_pointer,
            "unknown condition operator \"" + c.op +
                "\" (C1; see the String, Numeric, Date, Bool, BinaryEquals, "
                "IpAddress, Arn and Null operators, with ForAllValues:/ForAnyValue: and ...IfExists)");
      return std::nullopt;
    }
    if (info->type == ValueType::Null && out.if_exists) {
      error("policy.unknown-operator", op_pointer, "Null cannot take IfExists (C5)");
      return std::nullopt;
    }
    out.type = info->type;
    out.comparison = info->comparison;
    out.negated = info->negated;
    if (out.qualifier == SetQualifier::None && is_multivalued_key(out.key) && out.type != ValueType::Null)
      warning("policy.multivalued-key", c.pointer,
              c.key + " is multivalued: use ForAnyValue: or ForAllValues: to say how its values combine (C14, C15)");
    for (const auto& v : c.values) value(out, v);
    if (out.type == ValueType::String) {
      out.walked_size = walked_size(out.strings);
      if (out.strings.size() >= StringLookup::min_patterns)
        out.lookup = std::make_shared<const StringLookup>(out.strings, out.comparison == Comparison::EqualsIgnoreCase);
    }
    if (out.type == ValueType::Arn)  // every ARN pattern is tried, part by part
      for (const auto& parts : out.arns) {
        out.walked_size += 1;
        for (const auto& p : parts) out.walked_size += p.source().size();
      }
    return out;
  }

  bool has_variable_text(const syntax::Located& v) { return variables_ && v.value.find("${") != std::string::npos; }

  void value(CompiledCondition& out, const syntax::Located& v) {
    auto bad = [&](std::string what) {
      std::string msg = "\"" + v.value + "\" is not " + what + " for " + out.op_text;
      if (has_variable_text(v)) msg += "; policy variables are not allowed with this operator (PV2)";
      error("policy.condition-value", v.pointer, msg);
    };
    switch (out.type) {
      case ValueType::String:
        out.strings.push_back(Pattern::from_pieces(pieces(v), out.comparison == Comparison::Like, true,
                                                   out.comparison == Comparison::EqualsIgnoreCase));
        return;
      case ValueType::Arn: {
        if (v.value == "*") {
          std::array<Pattern, 6> any;
          for (auto& p : any) p = Pattern::from_text("*", true, true, false);
          out.arns.push_back(std::move(any));
          return;
        }
        auto parts = arn_parts(pieces(v));
        if (!parts) return bad("an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE) (C13)");
        out.arns.push_back(std::move(*parts));
        return;
      }
      case ValueType::Numeric:
        if (auto n = syntax::parse_number(v.value))
          out.numbers.push_back(*n);
        else
          bad("a number (C8)");
        return;
      case ValueType::Date:
        if (auto t = syntax::parse_instant(v.value))
          out.instants.push_back(*t);
        else
          bad("an ISO 8601 date or epoch seconds (C9)");
        return;
      case ValueType::Bool:
        if (auto b = syntax::parse_bool(v.value, semantics_.bool_case_sensitive)) {
          out.bools.push_back(*b);
        } else if (has_variable_text(v) && semantics_.bool_allows_variables) {
          out.strings.push_back(Pattern::from_pieces(pieces(v), false, false, false));
        } else if (syntax::parse_bool(v.value, false)) {
          // bool_case_sensitive: "True" is kept as text that only "True" matches (C10).
          out.strings.push_back(Pattern::from_text(v.value, false, false, false));
        } else {
          bad("\"true\" or \"false\" (C10)");
        }
        return;
      case ValueType::Binary:
        if (auto bytes = syntax::decode_base64(v.value))
          out.binaries.push_back(std::move(*bytes));
        else
          bad("base64 (C11)");
        return;
      case ValueType::Ip:
        if (auto cidr = syntax::parse_cidr(v.value))
          out.cidrs.push_back(*cidr);
        else
          bad("an IPv4 or IPv6 address or CIDR (C12)");
        return;
      case ValueType::Null:
        if (auto b = syntax::parse_bool(v.value, false))
          out.bools.push_back(*b);
        else
          bad("\"true\" or \"false\" (C6)");
        return;
    }
  }

  // C13: six parts at the first five colons outside variables; each a wildcard pattern.
  std::optional<std::array<Pattern, 6>> arn_parts(const std::vector<syntax::TextPiece>& text) {
    std::array<std::vector<syntax::TextPiece>, 6> parts;
    std::size_t part = 0;
    for (const auto& piece : text) {
      if (piece.kind != syntax::TextPiece::Kind::Text) {
        parts[part].push_back(piece);
        continue;
      }
      std::size_t start = 0;
      for (std::size_t i = 0; i < piece.text.size(); ++i) {
        if (piece.text[i] != ':' || part == 5) continue;
        parts[part].push_back({syntax::TextPiece::Kind::Text, piece.text.substr(start, i - start), false, {}});
        ++part;
        start = i + 1;
      }
      parts[part].push_back({syntax::TextPiece::Kind::Text, piece.text.substr(start), false, {}});
    }
    if (part != 5) return std::nullopt;
    std::array<Pattern, 6> out;
    for (std::size_t i = 0; i < 6; ++i) out[i] = Pattern::from_pieces(parts[i], true, true, false);
    return out;
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

  const syntax::PolicyAst& ast_;
  const Semantics& semantics_;
  const SourceLocation& origin_;
  Diagnostics& diags_;
  bool variables_ = false;
  bool failed_ = false;
};

}  // namespace

std::shared_ptr<const CompiledPolicy> compile_policy(const syntax::PolicyAst& ast, const Semantics& semantics,
                                                     const SourceLocation& origin, Diagnostics& diagnostics) {
  return Compiler(ast, semantics, origin, diagnostics).run();
}

std::shared_ptr<const CompiledPolicy> compile_policy_text(std::string_view json, PolicyKind kind,
                                                          const Semantics& semantics, const SourceLocation& origin,
                                                          Diagnostics& diagnostics) {
  auto ast = syntax::parse_policy_text(json, kind, semantics, origin, diagnostics);
  if (!ast) return nullptr;
  check_policy_size(kind, ast->text_size, ast->non_whitespace_chars, origin, diagnostics);
  return compile_policy(*ast, semantics, origin, diagnostics);
}

void check_policy_size(PolicyKind kind, std::size_t bytes, std::size_t non_whitespace_chars,
                       const SourceLocation& origin, Diagnostics& diagnostics) {
  struct Limit {
    std::size_t max;
    bool whitespace_counts;
    const char* rule;
  };
  Limit limit{0, false, ""};
  switch (kind) {
    case PolicyKind::Identity:
    case PolicyKind::Boundary: limit = {6144, false, "Q1: managed policy, 6,144 characters without whitespace"}; break;
    case PolicyKind::RoleTrust:
      limit = {4096, false, "Q3: trust policy, 2,048 by default and at most 4,096 characters"};
      break;
    case PolicyKind::Session: limit = {2048, false, "Q5: session policy, 2,048 characters"}; break;
    case PolicyKind::Scp:
    case PolicyKind::Rcp: limit = {5120, true, "S5, Q6: 5,120 bytes"}; break;
    case PolicyKind::Resource: limit = {20480, true, "Q7: bucket policy, 20 KB"}; break;
    case PolicyKind::KmsKey: limit = {32768, true, "KM4: key policy, 32,768 bytes"}; break;
    case PolicyKind::VpcEndpoint:
      limit = {20480, true, "V3: endpoint policy, 20,480 characters with whitespace"};
      break;
  }
  const std::size_t size = limit.whitespace_counts ? bytes : non_whitespace_chars;
  if (size > limit.max)
    diagnostics.warning("policy.size", origin,
                        "the " + std::string(syntax::to_string(kind)) + " is " + std::to_string(size) +
                            (limit.whitespace_counts ? " bytes" : " characters") + ", over AWS's limit (" + limit.rule +
                            ")");
}

}  // namespace iamsim::compile
