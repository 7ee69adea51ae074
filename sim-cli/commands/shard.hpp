// Stage: report. `--shard I/N` (docs/scale-out.md): which part of a run's work this process
// does, and the metadata its output carries so that `iamsim merge` can join the parts into
// exactly what the unsharded run prints. The only place that splits work: check, matrix,
// who-can and eval all take their part from shard_range.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

namespace iamsim::cli {

struct Shard {
  std::size_t index = 1;  // 1-based
  std::size_t count = 1;
};

// "I/N" with 1 <= I <= N; nothing, with `error` saying why, otherwise.
std::optional<Shard> parse_shard(std::string_view text, std::string& error);

// The --shard option: its text is checked when the command line is parsed (exit 2, naming
// the option and the value).
struct ShardOption {
  std::string text;
  std::optional<Shard> get() const;
};
void add_shard_option(CLI::App& cmd, ShardOption& option, std::string_view what);

// The items [begin, end) of `total` that shard I of N does: the I-th of N contiguous runs of
// the canonical order, sizes differing by at most one. Every shard of the same total gets a
// disjoint run and together they cover [0, total). Without a shard: everything.
struct ShardRange {
  std::size_t begin = 0, end = 0;
  std::size_t size() const { return end - begin; }
  bool contains(std::size_t i) const { return i >= begin && i < end; }
};
ShardRange shard_range(const std::optional<Shard>& shard, std::size_t total);

// Begins noting the files the loader reads, when the run is sharded (before loading).
void prepare_world_digest(const std::optional<Shard>& shard);

// What a shard's output says about itself.
struct ShardInfo {
  std::string command;  // check, matrix, who-can, eval
  std::string format;   // json (one document), jsonl (JSON Lines) or junit
  Shard shard;
  std::string world_digest;  // world_digest() of the run
  std::size_t items = 0;     // the items this shard did
  std::size_t total = 0;     // the items of the whole run
};

// The digest of the files read since prepare_world_digest and of the arguments that change
// the answer (each given as NAME=VALUE, in a fixed order), as "fnv1a64:" and 16 hex digits.
std::string world_digest(std::string_view command, const std::vector<std::string>& arguments);
// The same for eval, whose world is its input: the bytes read and the arguments.
std::string input_digest(std::string_view command, std::string_view input, const std::vector<std::string>& arguments);

// {"command":...,"index":I,"count":N,"world_digest":...,"items":K,"total":T}: the value of
// the "iamsim_shard" key that a shard's JSON document starts with, and of the header line
// {"iamsim_shard":{...}} that a shard's JSON Lines start with.
std::string shard_info_json(const ShardInfo& info);
// The same as JUnit properties (name, value), each named "iamsim_shard.KEY".
std::vector<std::pair<std::string, std::string>> shard_info_properties(const ShardInfo& info);

}  // namespace iamsim::cli
