// Fuzz target: arbitrary bytes as a catalogue file, as an ARN form with a text, and as
// lookups in the embedded catalogue. Invariants: the reader refuses or reads without
// crashing, and what it reads answers lookups; a concrete ARN a form admits is also admitted
// as a pattern (a text without wildcards means itself); a form admits itself read as a
// pattern (its ${...} are wildcards there); lookups of any text do not crash, and a key or
// action found is found again in another case.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/catalog/arn_format.hpp"
#include "engine/catalog/aws_catalog.hpp"
#include "engine/text.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace iamsim;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  std::string error;
  if (auto c = catalog::Catalog::parse(text, error)) {
    for (const auto& s : c->services()) {
      FUZZ_CHECK(c->find_service(s.prefix) == &s);
      for (const auto& a : s.actions) FUZZ_CHECK(c->find_action(a.full_name()) != nullptr);
    }
    (void)c->expand("*");
  } else {
    FUZZ_CHECK(!error.empty());
  }

  // FORM \n TEXT
  const auto nl = text.find('\n');
  if (nl != std::string_view::npos && text.size() < 512) {
    const std::string_view form = text.substr(0, nl), arn = text.substr(nl + 1);
    const bool concrete = catalog::arn_format_admits(form, arn, false);
    if (concrete && arn.find_first_of("*?") == std::string_view::npos && arn.find("${") == std::string_view::npos)
      FUZZ_CHECK(catalog::arn_format_admits(form, arn, true));
    (void)catalog::arn_format_admits(form, form, true);
  }

  if (size < 256) {
    const auto& aws = catalog::Catalog::aws();
    if (const auto* a = aws.find_action(text)) FUZZ_CHECK(aws.find_action(ascii_lowered(text)) == a);
    if (const auto* k = aws.find_condition_key(text)) FUZZ_CHECK(aws.find_condition_key(ascii_lowered(text)) == k);
    (void)aws.expand(text);
    (void)aws.resource_types_of(text);
    if (size < 64) {
      (void)aws.closest_action(text);
      (void)aws.closest_condition_key(text);
    }
  }
  return 0;
}
