// Stage: model (load). Checks of the forms AWS gives its names.
#include "model/load/aws_names.hpp"

#include <algorithm>
#include <cctype>

namespace iamsim::model::load {

bool is_iam_name(std::string_view s, std::size_t max) {
  if (s.empty() || s.size() > max) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("+=,.@_-").find(c) != std::string_view::npos;
  });
}

bool is_iam_path(std::string_view s) {
  if (s.empty() || s.size() > 512 || s.front() != '/' || s.back() != '/') return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x21 && c <= 0x7e; });
}

bool is_bucket_name(std::string_view s) {
  if (s.size() < 3 || s.size() > 63) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(s.front()) || !alnum(s.back())) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) { return alnum(c) || c == '.' || c == '-'; });
}

bool is_region(std::string_view s) {
  if (s.size() < 4) return false;
  if (!std::all_of(s.begin(), s.end(),
                   [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }))
    return false;
  auto dash = s.rfind('-');
  return dash != std::string_view::npos && dash + 1 < s.size() &&
         std::all_of(s.begin() + static_cast<long>(dash) + 1, s.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
         s.find('-') < dash;
}

bool is_cluster_name(std::string_view s) {
  if (s.empty() || s.size() > 100 || !std::isalnum(static_cast<unsigned char>(s.front()))) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; });
}

bool is_key_id(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; });
}

bool is_org_id(std::string_view s) {
  if (!s.starts_with("o-") || s.size() < 12 || s.size() > 34) return false;
  return std::all_of(s.begin() + 2, s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); });
}

}  // namespace iamsim::model::load
