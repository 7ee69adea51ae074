// Fuzz target: arbitrary bytes through the typed value readers (CIDR, instant, number,
// bool, base64). Invariants: prefixes are in range and a network contains its own
// address; base64 output has the length its input implies; bools are symmetric in case.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/syntax/values.hpp"
#include "engine/text.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace iamsim::syntax;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  if (const auto cidr = parse_cidr(text)) {
    FUZZ_CHECK(cidr->prefix >= 0 && cidr->prefix <= (cidr->v4 ? 32 : 128));
    FUZZ_CHECK(cidr->contains(*cidr));
    if (cidr->v4)
      for (std::size_t i = 4; i < 16; ++i) FUZZ_CHECK(cidr->bytes[i] == 0);
  }
  if (const auto instant = parse_instant(text)) {
    // Between 0000-01-01 and 9999-12-31T23:59:60 give or take a day of offset.
    FUZZ_CHECK(*instant > -62167219200000LL - 86400000LL && *instant < 253402300861000LL + 86400000LL);
  }
  (void)parse_number(text);
  const auto strict = parse_bool(text, true);
  const auto lax = parse_bool(text, false);
  if (strict) FUZZ_CHECK(lax == strict);
  FUZZ_CHECK(lax.has_value() == parse_bool(iamsim::ascii_lowered(text), true).has_value());
  if (const auto bytes = decode_base64(text)) {
    std::size_t pad = 0;
    if (!text.empty() && text.back() == '=') ++pad;
    if (text.size() > 1 && text[text.size() - 2] == '=') ++pad;
    FUZZ_CHECK(text.size() % 4 == 0);
    FUZZ_CHECK(bytes->size() == text.size() / 4 * 3 - pad);
  }
  return 0;
}
