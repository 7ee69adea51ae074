// Stage: syntax. ARNs: arn:partition:service:region:account:resource (RS1), parsed by a
// Boost.Spirit X3 grammar. The resource part is everything after the fifth colon.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace iamsim::syntax {

struct ArnParts {
  std::string partition;
  std::string service;
  std::string region;
  std::string account;
  std::string resource;
};

struct ArnError {
  std::size_t column = 0;  // 0-based offset of the offending character
  std::string message;
};

// Splits an ARN into its six parts. Wildcards and variables are not interpreted here.
std::optional<ArnParts> parse_arn(std::string_view text, ArnError* error = nullptr);

// "  arn:aws:s3\n        ^" : the text with a caret under column.
std::string caret_line(std::string_view text, std::size_t column);

}  // namespace iamsim::syntax
