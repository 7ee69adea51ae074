// Stage: syntax. The policy AST: what a policy document says, element by element, each
// element with its JSON pointer (relative to the policy's root) for diagnostics.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace iamsim::syntax {

// The kind decides which elements are legal (docs/rules.md G2, G7, G8, P7, S6, R6, V3).
enum class PolicyKind { Identity, Boundary, Session, Resource, RoleTrust, KmsKey, Scp, Rcp, VpcEndpoint };

std::string_view to_string(PolicyKind kind);

enum class Effect { Allow, Deny };

struct Located {
  std::string value;
  std::string pointer;
};

// One entry of a Principal/NotPrincipal map: {"AWS": "..."}; type is AWS, Federated,
// Service or CanonicalUser. A bare "*" is stored as type AWS, value "*" (P1).
struct PrincipalEntry {
  std::string type;
  Located value;
};

struct PrincipalAst {
  bool present = false;
  bool negated = false;  // NotPrincipal
  std::vector<PrincipalEntry> entries;
  std::string pointer;
};

struct ConditionAst {
  std::string op;               // as written, e.g. "ForAnyValue:StringLikeIfExists"
  std::string key;              // as written
  std::vector<Located> values;  // scalars are kept as their JSON text for numbers/bools
  std::string pointer;          // of the key, e.g. /Statement/0/Condition/StringEquals/aws:SourceVpce
};

struct StatementAst {
  std::size_t index = 0;
  std::string pointer;
  std::string sid;
  bool has_sid = false;
  Effect effect = Effect::Allow;
  PrincipalAst principal;
  bool not_action = false;
  std::vector<Located> actions;
  bool has_resource = false;  // false: applies to the resource the policy is attached to (G7)
  bool not_resource = false;
  std::vector<Located> resources;
  std::vector<ConditionAst> conditions;
};

struct PolicyAst {
  PolicyKind kind = PolicyKind::Identity;
  bool has_version = false;
  std::string version;
  bool has_id = false;
  std::string id;
  std::vector<StatementAst> statements;
  std::size_t text_size = 0;             // bytes of the document as given
  std::size_t non_whitespace_chars = 0;  // Q1 counts characters excluding whitespace
};

}  // namespace iamsim::syntax
