// Stage: compile. The immutable IR of one policy: patterns precompiled with their case
// rules (A1, RS1, RS3, C13), condition values parsed to their types, variables pre-split.
// Evaluation reads it and never parses, lower-cases or allocates per statement.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/compile/pattern.hpp"
#include "engine/diagnostic.hpp"
#include "engine/semantics.hpp"
#include "engine/syntax/ast.hpp"
#include "engine/syntax/values.hpp"

namespace iamsim::compile {

using syntax::Effect;
using syntax::PolicyKind;

struct ActionPattern {
  Pattern pattern;
  bool case_sensitive = false;  // SCPs under scp_syntax=2022 (S6)
};

// Resource or NotResource: "*" or an ARN pattern matched part by part (RS1, RS2).
struct ResourcePattern {
  bool any = false;
  std::array<Pattern, 5> parts;  // partition, service, region, account, resource
  Pattern whole;                 // used when '*' may cross ':' (resource_wildcard_crosses_colon)
  // When the first four parts hold no wildcard (the common case, "aws:s3:::"), they are
  // also kept as one text with their colons: one comparison with the request's ARN head
  // decides them together (eval/authorize.cpp, resource_matches).
  bool fixed_head = false;
  std::string head;
};

enum class ResourceScope : std::uint8_t { Listed, NotListed, Attached };

struct CompiledPrincipal {
  bool present = false;
  bool negated = false;               // NotPrincipal
  bool everyone = false;              // "*" or {"AWS": "*"}
  std::vector<std::string> accounts;  // "123456789012" and arn:...:root
  std::vector<std::string> user_arns;
  struct Role {
    std::string account, name, arn;
  };
  std::vector<Role> roles;                // role ARNs: match the role's sessions
  std::vector<std::string> session_arns;  // assumed-role and federated-user ARNs
  std::vector<std::string> unique_ids;
  std::vector<std::string> federated;
  std::vector<std::string> services;
  std::vector<std::string> canonical_users;
};

enum class ValueType : std::uint8_t { String, Numeric, Date, Bool, Binary, Ip, Arn, Null };
enum class Comparison : std::uint8_t {
  Equals,
  EqualsIgnoreCase,
  Like,
  LessThan,
  LessThanEquals,
  GreaterThan,
  GreaterThanEquals
};
enum class SetQualifier : std::uint8_t { None, ForAllValues, ForAnyValue };

struct CompiledCondition {
  ValueType type = ValueType::String;
  Comparison comparison = Comparison::Equals;
  bool negated = false;                         // StringNotEquals, NotIpAddress, ArnNotLike, ... (C2, C4)
  bool if_exists = false;                       // C5
  SetQualifier qualifier = SetQualifier::None;  // C14
  std::string key;                              // lower-cased (C3)
  std::string op_text;                          // as written, for explanations
  std::string key_text;
  std::string pointer;
  std::vector<Pattern> strings;              // String, Bool with variables
  std::vector<std::array<Pattern, 6>> arns;  // Arn: the six parts (C13)
  std::vector<double> numbers;
  std::vector<std::int64_t> instants;
  std::vector<syntax::Cidr> cidrs;
  std::vector<std::string> binaries;
  std::vector<bool> bools;  // Bool and Null
  // String: `strings` ready for lookup when there are many (pattern.hpp). The size of the
  // patterns tried one by one, for the walk budget: String, those only a walk can match
  // (compile::walked_size); Arn, all of them (characters plus one a pattern).
  std::shared_ptr<const StringLookup> lookup;
  std::size_t walked_size = 0;
};

struct CompiledStatement {
  Effect effect = Effect::Allow;
  std::uint32_t index = 0;
  std::string sid;
  std::string pointer;
  bool not_action = false;
  std::vector<ActionPattern> actions;
  ResourceScope resource_scope = ResourceScope::Attached;
  std::vector<ResourcePattern> resources;
  CompiledPrincipal principal;
  std::vector<CompiledCondition> conditions;
  // "Principal": "*" narrowed by aws:PrincipalArn acts as a grant to that principal (E5).
  bool conditions_name_principal_arn = false;

  // "Sid" or "#index" for messages.
  std::string label() const { return sid.empty() ? "#" + std::to_string(index) : sid; }
};

struct CompiledPolicy {
  PolicyKind kind = PolicyKind::Identity;
  bool variables_enabled = false;  // Version 2012-10-17 (G3, PV1)
  std::vector<CompiledStatement> statements;
  std::vector<Diagnostic> warnings;  // found while parsing and compiling (pointers relative)
};

// Compiles a parsed policy. Malformed typed values (CIDR, date, number, base64, Null),
// unknown operators and misplaced variables are errors at their pointer (docs/rules.md
// choice 10); returns nullptr when there are errors.
std::shared_ptr<const CompiledPolicy> compile_policy(const syntax::PolicyAst& ast, const Semantics& semantics,
                                                     const SourceLocation& origin, Diagnostics& diagnostics);

// Parse and compile in one step, from JSON text.
std::shared_ptr<const CompiledPolicy> compile_policy_text(std::string_view json, PolicyKind kind,
                                                          const Semantics& semantics, const SourceLocation& origin,
                                                          Diagnostics& diagnostics);

// Size quotas (Q1, Q3, Q5, Q6, Q7, S5, KM4, V3) as warnings.
void check_policy_size(PolicyKind kind, std::size_t bytes, std::size_t non_whitespace_chars,
                       const SourceLocation& origin, Diagnostics& diagnostics);

}  // namespace iamsim::compile
