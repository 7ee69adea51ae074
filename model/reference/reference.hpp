// Stage: model (reference). Principal references, resources and the one-line expectation
// form, as written in scenario files and on the command line; one Spirit X3 grammar.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/syntax/arn_kind.hpp"

namespace iamsim::model {

// What a scenario expects of a decision; `Deny` accepts either kind of deny.
enum class Expect { Allow, Deny, ExplicitDeny, ImplicitDeny };

// Who asks: a service account, a workload (through its service account), an IAM ARN or
// nobody; then each role of `chain` is assumed in turn and the last session asks.
struct PrincipalRef {
  enum class Kind { ServiceAccount, Workload, Arn, Anonymous };
  Kind kind = Kind::Anonymous;
  std::string cluster;         // ServiceAccount, Workload
  std::string namespace_name;  // ServiceAccount, Workload
  std::string name;            // ServiceAccount, Workload
  // ServiceAccount, Workload: `@node:GROUP`, the pod on that node group taking the node role
  // from its instance metadata (K8); empty: the SDK's default credential chain.
  std::string node_group;
  std::string arn;                                   // Arn
  std::optional<syntax::PrincipalArnKind> arn_kind;  // Arn: User, Role or AssumedRole
  std::string account_id;                            // Arn: the account in the ARN
  std::vector<std::string> chain;                    // role ARNs assumed in turn, in order

  friend bool operator==(const PrincipalRef&, const PrincipalRef&) = default;
};

// `allow|deny|explicit_deny|implicit_deny PRINCIPAL ACTION RESOURCE`.
struct ExpectationLine {
  Expect expect = Expect::Allow;
  PrincipalRef principal;
  std::string action;
  std::string resource_arn;  // s3:// already turned into an ARN
};

// A parse failure: `column` is 1-based in the input; `display` is the message, the input
// and a caret under the column, ready to print.
struct ReferenceError {
  int column = 0;
  std::string message;
  std::string display;
};

template <class T>
struct ParseResult {
  std::optional<T> value;
  ReferenceError error;  // meaningful when !value
  explicit operator bool() const { return value.has_value(); }
};

ParseResult<PrincipalRef> parse_principal_ref(std::string_view text);
// An ARN, `*`, or `s3://BUCKET[/KEY]` (returned as `arn:aws:s3:::BUCKET[/KEY]`). The whole
// text is the resource, so an object key may contain spaces here.
ParseResult<std::string> parse_resource(std::string_view text);
// `service:Action`, without wildcards: a request names one action.
ParseResult<std::string> parse_action(std::string_view text);
ParseResult<Expect> parse_expect(std::string_view text);
ParseResult<ExpectationLine> parse_expectation_line(std::string_view text);

std::string to_string(Expect e);
// The canonical text of a reference; parse_principal_ref(to_string(r)) == r.
std::string to_string(const PrincipalRef& r);
std::string to_string(const ExpectationLine& e);

}  // namespace iamsim::model
