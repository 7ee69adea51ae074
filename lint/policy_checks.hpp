// Stage: lint. Checks of one policy document on its own: what the parser and compiler say
// (errors, size, Version...), and what AWS's service catalogue shows (unknown actions and
// condition keys, operators of the wrong type, actions whose resource types the statement
// cannot match), and the grants that are too wide (s3:*, iam:PassRole on *, public
// policies, trusts open to a foreign account).
#pragma once

#include <string>
#include <vector>

#include "engine/semantics.hpp"
#include "engine/syntax/ast.hpp"
#include "lint/finding.hpp"

namespace iamsim::lint {

// What is known of where the policy is used. A bare policy file knows only its kind.
struct PolicyContext {
  syntax::PolicyKind kind = syntax::PolicyKind::Identity;
  std::string owner_arn;                  // the role, bucket or key the policy belongs to (or a user, group...)
  std::string owner_account;              // that owner's account, when known
  std::vector<std::string> used_actions;  // the actions the scenario's `allow` expectations ask
};

// The findings, with `where.pointer` relative to the document and no file yet (SourceMap
// places them). `text` is the document's JSON.
std::vector<Finding> check_policy(std::string_view text, const PolicyContext& context, const Semantics& semantics);

// The kind of a policy file that says nothing else: a trust policy when it allows an
// sts:AssumeRole* action to a Principal, a resource policy when it has a Principal, an
// identity policy otherwise.
syntax::PolicyKind guess_policy_kind(std::string_view text);

}  // namespace iamsim::lint
