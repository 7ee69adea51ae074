// Stage: syntax. The ARN grammar (RS1): six colon-separated parts; the first four cannot
// contain a colon, the resource part may.
#include "engine/syntax/arn.hpp"

#include <boost/spirit/home/x3.hpp>

#include <algorithm>

namespace iamsim::syntax {
namespace {

namespace x3 = boost::spirit::x3;

// The grammar only checks and locates; the parts are then the fast split's (arn_view.hpp),
// which the grammar's five colons make the same.
const auto segment = x3::rule<struct segment_tag>{"an ARN part without ':'"} = *(x3::char_ - ':');
const auto partition = x3::rule<struct partition_tag>{"a partition (aws, aws-cn, ...)"} = +(x3::char_ - ':');
const auto service = x3::rule<struct service_tag>{"a service name (s3, iam, ...)"} = +(x3::char_ - ':');
const auto resource = x3::rule<struct resource_tag>{"a resource part"} = +x3::char_;
const auto colon = x3::rule<struct colon_tag>{"':'"} = x3::lit(':');

const auto arn_rule = x3::rule<struct arn_tag>{"an ARN"} =
    x3::lit("arn") > colon > partition > colon > service > colon > segment > colon > segment > colon > resource;

}  // namespace

std::optional<ArnView> parse_arn(std::string_view text, ArnError* error) {
  auto first = text.begin();
  const auto last = text.end();
  try {
    if (x3::parse(first, last, arn_rule) && first == last) return split_arn(text);
    if (error) *error = {0, "expected an ARN of the form arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE"};
  } catch (const x3::expectation_failure<std::string_view::const_iterator>& e) {
    if (error) {
      error->column = static_cast<std::size_t>(e.where() - text.begin());
      error->message = "expected " + e.which() + " in ARN";
      const auto colons = std::count(text.begin(), text.end(), ':');
      if (e.where() == text.end() && colons < 5)
        error->message =
            "an ARN has six parts, arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, separated by five ':'; "
            "this one has " +
            std::to_string(colons);
    }
  }
  return std::nullopt;
}

std::string caret_line(std::string_view text, std::size_t column) {
  // Long texts are cut to a window around the column, so a message stays a line.
  constexpr std::size_t window = 60;
  std::size_t start = column > window ? column - window : 0;
  std::size_t end = std::min(text.size(), column + window);
  std::string out = "  ";
  if (start > 0) out += "...";
  out += text.substr(start, end - start);
  if (end < text.size()) out += "...";
  out += "\n  ";
  out.append(column - start + (start > 0 ? 3 : 0), ' ');
  out += '^';
  return out;
}

}  // namespace iamsim::syntax
