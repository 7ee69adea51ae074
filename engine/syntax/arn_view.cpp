// Stage: syntax. The fast ARN split: string views at the first five colons, no allocation.
#include "engine/syntax/arn_view.hpp"

namespace iamsim::syntax {

bool split_arn_parts(std::string_view text, std::array<std::string_view, 6>& parts) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < 5; ++i) {
    const auto colon = text.find(':', start);
    if (colon == std::string_view::npos) {
      parts[i] = text.substr(start);
      for (std::size_t j = i + 1; j < 6; ++j) parts[j] = {};
      return false;
    }
    parts[i] = text.substr(start, colon - start);
    start = colon + 1;
  }
  parts[5] = text.substr(start);
  return true;
}

std::optional<ArnView> split_arn(std::string_view text) {
  std::array<std::string_view, 6> parts;
  if (!split_arn_parts(text, parts) || parts[0] != "arn") return std::nullopt;
  return ArnView{parts[1], parts[2], parts[3], parts[4], parts[5]};
}

}  // namespace iamsim::syntax
