// Stage: report. Text for a terminal or a CI log: what a policy or scenario says must not
// steer the reader's terminal (an escape sequence, a carriage return that rewrites a line).
#pragma once

#include <string>
#include <string_view>

namespace iamsim::cli {

// `text` with every control character but line feed and tab written as \uXXXX (U+0000-U+001F,
// U+007F and U+0080-U+009F), and bytes that are not UTF-8 as <0xXX>. Inside a JSON string \uXXXX means the same
// character, so JSON output passes through unchanged in meaning.
std::string terminal_safe(std::string_view text);

}  // namespace iamsim::cli
