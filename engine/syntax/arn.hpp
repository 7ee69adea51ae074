// Stage: syntax. The ARN grammar: arn:partition:service:region:account:resource (RS1),
// checked by a Boost.Spirit X3 grammar that says where a text goes wrong. The resource
// part is everything after the fifth colon. The parts themselves are an ArnView.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/syntax/arn_view.hpp"

namespace iamsim::syntax {

struct ArnError {
  std::size_t column = 0;  // 0-based offset of the offending character
  std::string message;
};

// Checks an ARN against the grammar (the partition, service and resource are not empty)
// and returns its parts as views into `text`. Wildcards and variables are not interpreted.
std::optional<ArnView> parse_arn(std::string_view text, ArnError* error = nullptr);

// "  arn:aws:s3\n        ^" : the text with a caret under column.
std::string caret_line(std::string_view text, std::size_t column);

}  // namespace iamsim::syntax
