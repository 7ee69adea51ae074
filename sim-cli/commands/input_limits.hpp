// Stage: report. What `eval` reads (docs/eval-contract.md, "Limits"): a line of at most
// max_request_bytes, and from a pipe or standard input at most max_stream_bytes in all, so
// that an endless input (`eval - < /dev/zero`, a writer that never stops) ends the read
// with a message instead of taking all memory. A regular file is as long as it is, but no
// request in it is longer than max_request_bytes.
#pragma once

#include <cstddef>

namespace iamsim::cli {

inline constexpr std::size_t max_request_bytes = std::size_t{64} << 20;  // 64 MiB
inline constexpr std::size_t max_stream_bytes = std::size_t{1} << 30;    // 1 GiB

}  // namespace iamsim::cli
