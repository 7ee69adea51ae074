// Fuzz target: arbitrary bytes as an ARN. Invariants: a parsed ARN reassembles to its text
// and agrees with the fast split (split_arn_parts, split_arn); a failure names a column
// inside the text (or its end) and caret_line puts the caret under that column; the kinds
// of principal and resource agree with the engine's principal reader; principals and
// resources built from the same text do not crash.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/eval/request.hpp"
#include "engine/syntax/arn.hpp"
#include "engine/syntax/arn_kind.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace iamsim;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  syntax::ArnError err;
  const auto arn = syntax::parse_arn(text, &err);
  std::array<std::string_view, 6> parts;
  const bool six = syntax::split_arn_parts(text, parts);
  const auto view = syntax::split_arn(text);
  FUZZ_CHECK(view.has_value() == (six && parts[0] == "arn"));
  if (arn) {
    FUZZ_CHECK(!arn->partition.empty() && !arn->service.empty() && !arn->resource.empty());
    for (std::string_view p : {arn->partition, arn->service, arn->region, arn->account})
      FUZZ_CHECK(p.find(':') == std::string_view::npos);
    const std::string joined = "arn:" + std::string(arn->partition) + ":" + std::string(arn->service) + ":" +
                               std::string(arn->region) + ":" + std::string(arn->account) + ":" +
                               std::string(arn->resource);
    FUZZ_CHECK(joined == text);
    FUZZ_CHECK(view && view->resource.data() == arn->resource.data());
    FUZZ_CHECK(six);
    FUZZ_CHECK(parts[0] == "arn" && parts[1] == arn->partition && parts[2] == arn->service && parts[3] == arn->region &&
               parts[4] == arn->account && parts[5] == arn->resource);
  } else {
    FUZZ_CHECK(!err.message.empty());
    FUZZ_CHECK(err.column <= text.size());
    const std::string line = syntax::caret_line(text, err.column);
    const auto newline = line.find('\n');
    FUZZ_CHECK(newline != std::string::npos);
    FUZZ_CHECK(!line.empty() && line.back() == '^');
    // The caret's offset in the second line names the column's character in the first.
    const std::size_t caret = line.size() - 1 - (newline + 1);
    if (err.column < text.size() && text.find('\n') == std::string_view::npos) {
      FUZZ_CHECK(caret < newline);
      FUZZ_CHECK(line[caret] == text[err.column]);
    }
  }

  std::string error;
  const auto principal = eval::parse_principal(text, error);
  FUZZ_CHECK(principal.has_value() == error.empty());
  if (principal && principal->is_session() && principal->session_known) FUZZ_CHECK(!principal->session_name.empty());
  // A principal ARN the engine reads has a kind in the vocabulary, and the same names.
  if (principal && arn) {
    const auto named = syntax::principal_arn(*arn);
    FUZZ_CHECK(named.has_value());
    if (named->kind == syntax::PrincipalArnKind::User || named->kind == syntax::PrincipalArnKind::Role ||
        named->kind == syntax::PrincipalArnKind::AssumedRole)
      FUZZ_CHECK(principal->name == named->name);
  }
  const auto kind = syntax::resource_arn_kind(text);
  if (!view) FUZZ_CHECK(kind == (text == "*" ? syntax::ResourceArnKind::Any : syntax::ResourceArnKind::Other));

  eval::Request r;
  r.set_resource(text);
  if (r.resource_is_arn) FUZZ_CHECK(r.resource_parts[0] == "arn");
  const eval::Request copy(r);
  FUZZ_CHECK(copy.resource_is_arn == r.resource_is_arn && copy.resource_parts == r.resource_parts);
  return 0;
}
