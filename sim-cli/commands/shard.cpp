// Stage: report. --shard I/N and the metadata of a shard's output.
#include "sim-cli/commands/shard.hpp"

#include <charconv>
#include <cstdio>

#include "model/load/input_digest.hpp"
#include "sim-cli/render/json_writer.hpp"

namespace iamsim::cli {
namespace {

// More shards than this is a typo, not a fleet.
constexpr std::size_t max_shards = 100000;

std::optional<std::size_t> whole_number(std::string_view text) {
  std::size_t n = 0;
  if (text.empty() || text.size() > 9) return std::nullopt;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

std::string hex_digest(std::uint64_t hash) {
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(hash));
  return std::string("fnv1a64:") + out;
}

std::uint64_t hash_arguments(std::uint64_t hash, std::string_view command, const std::vector<std::string>& arguments) {
  hash = model::stable_hash(command, hash);
  for (const auto& a : arguments) hash = model::stable_hash(a, hash);
  return hash;
}

}  // namespace

std::optional<Shard> parse_shard(std::string_view text, std::string& error) {
  const auto slash = text.find('/');
  const auto index = slash == std::string_view::npos ? std::nullopt : whole_number(text.substr(0, slash));
  const auto count = slash == std::string_view::npos ? std::nullopt : whole_number(text.substr(slash + 1));
  if (!index || !count) {
    error = "expected I/N, two whole numbers such as 2/5 (shard 2 of 5), not '" + std::string(text) + "'";
    return std::nullopt;
  }
  if (*count < 1 || *count > max_shards) {
    error =
        "the shard count N of I/N must be from 1 to " + std::to_string(max_shards) + ", not " + std::to_string(*count);
    return std::nullopt;
  }
  if (*index < 1 || *index > *count) {
    error = "the shard index I of I/N counts from 1 to N = " + std::to_string(*count) + ", so " +
            std::to_string(*index) + " is no shard of " + std::to_string(*count);
    return std::nullopt;
  }
  return Shard{*index, *count};
}

std::optional<Shard> ShardOption::get() const {
  if (text.empty()) return std::nullopt;
  std::string ignored;
  return parse_shard(text, ignored);  // checked when the command line was parsed
}

void add_shard_option(CLI::App& cmd, ShardOption& option, std::string_view what) {
  cmd.add_option("--shard", option.text,
                 "do part I of N (I from 1) of the " + std::string(what) +
                     ", for runs spread over machines; iamsim merge joins the parts")
      ->type_name("I/N")
      ->check(CLI::Validator(
          [](std::string& value) {
            std::string error;
            parse_shard(value, error);
            return error;
          },
          ""));
}

ShardRange shard_range(const std::optional<Shard>& shard, std::size_t total) {
  if (!shard) return {0, total};
  // floor((I-1)T/N) .. floor(IT/N): contiguous, disjoint, covering, sizes within one.
  auto edge = [&](std::size_t i) {
    return static_cast<std::size_t>(static_cast<unsigned __int128>(total) * i / shard->count);
  };
  return {edge(shard->index - 1), edge(shard->index)};
}

void prepare_world_digest(const std::optional<Shard>& shard) {
  if (shard) model::start_noting_inputs();
}

std::string world_digest(std::string_view command, const std::vector<std::string>& arguments) {
  return hex_digest(hash_arguments(model::stable_hash(model::inputs_digest()), command, arguments));
}

std::string input_digest(std::string_view command, std::string_view input, const std::vector<std::string>& arguments) {
  return hex_digest(hash_arguments(model::stable_hash(input), command, arguments));
}

std::string shard_info_json(const ShardInfo& info) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("command").value(info.command);
  w.key("format").value(info.format);
  w.key("index").value(info.shard.index);
  w.key("count").value(info.shard.count);
  w.key("world_digest").value(info.world_digest);
  w.key("items").value(info.items);
  w.key("total").value(info.total);
  w.end_object();
  return out;
}

std::vector<std::pair<std::string, std::string>> shard_info_properties(const ShardInfo& info) {
  return {{"iamsim_shard.command", info.command},
          {"iamsim_shard.format", info.format},
          {"iamsim_shard.index", std::to_string(info.shard.index)},
          {"iamsim_shard.count", std::to_string(info.shard.count)},
          {"iamsim_shard.world_digest", info.world_digest},
          {"iamsim_shard.items", std::to_string(info.items)},
          {"iamsim_shard.total", std::to_string(info.total)}};
}

}  // namespace iamsim::cli
