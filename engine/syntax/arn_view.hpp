// Stage: syntax. The one vocabulary of ARNs: an ARN's parts as views into its text, the
// fast split at the first five colons (C13, the evaluation path: no allocation), and
// account ids. The grammar that checks an ARN and says where it is wrong is arn.hpp.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace iamsim::syntax {

// arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE (RS1). The views point into the text the
// view was made from, which must outlive it.
struct ArnView {
  std::string_view partition;
  std::string_view service;
  std::string_view region;
  std::string_view account;
  std::string_view resource;  // everything after the fifth ':', colons included
};

// Splits a text into six parts at its first five colons (C13); fewer parts leave the rest
// empty and return false. Nothing else is checked: parts[0] need not be "arn".
bool split_arn_parts(std::string_view text, std::array<std::string_view, 6>& parts);

// The view of a text that starts with "arn:" and has five colons; nullopt otherwise. No
// part is checked beyond that: parse_arn (arn.hpp) checks and reports.
std::optional<ArnView> split_arn(std::string_view text);

// Twelve ASCII digits: an AWS account id (P1, and the account part of IAM ARNs).
constexpr bool is_account_id(std::string_view s) {
  if (s.size() != 12) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// X6: the account field "aws" (arn:aws:iam::aws:policy/ReadOnlyAccess) is AWS's own
// namespace, not an account: no account owns such a resource.
constexpr bool is_aws_namespace(std::string_view account) { return account == "aws"; }

}  // namespace iamsim::syntax
