// Stage: model (load). A stable digest of what a run read: every file the loader read (its
// path as read and its bytes), for `--shard`, so that `iamsim merge` can tell shards of the
// same world from shards of another (docs/scale-out.md, "The world digest").
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace iamsim::model {

// A 64-bit FNV-1a hash of `bytes` continued from `hash` (FNV's offset basis when not given),
// fed 8 bytes at a time as little-endian words, then the remaining bytes one by one, then
// the length: the same on every machine, and fast enough for hundreds of megabytes.
std::uint64_t stable_hash(std::string_view bytes, std::uint64_t hash = 0xcbf29ce484222325ull);

// From now on every file the loader reads is noted with a hash of its bytes. Off by default:
// only a sharded run needs the digest.
void start_noting_inputs();

// The digest of the files noted so far: each distinct (path, bytes) once, in path order,
// as 16 hex digits. The same files with the same contents give the same digest, in
// whatever order threads read them.
std::string inputs_digest();

namespace load {
// Called by read_text_file for every file it read whole.
void note_input(const std::filesystem::path& path, std::string_view bytes);
}  // namespace load

}  // namespace iamsim::model
