// Bench: iamsim-genworld, the synthetic world generator. Writes a realistic organization
// (accounts, EKS clusters, service accounts, roles, buckets, keys, SCPs and an RCP) with
// expectations whose answers the generator knows from how it built each path, not from
// iamsim: a generated world is both a load test and a correctness test of the simulator.
//
//   iamsim-genworld --accounts 200 --service-accounts 20000 --expectations 100000 --seed 7 --out DIR
//   iamsim check DIR
//
// With --emit exports the world is written as AWS CLI and kubectl outputs (docs/exports.md)
// under DIR/export/, and DIR/world.yaml imports it and states the expectations.
//
// The same arguments give the same files, byte for byte.
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>

#include "genworld/build.hpp"
#include "genworld/emit.hpp"
#include "genworld/expectations.hpp"
#include "genworld/oracle.hpp"
#include "genworld/rng.hpp"

namespace {

constexpr const char* usage =
    "Usage: iamsim-genworld --out DIR [--accounts N] [--service-accounts K] [--expectations E] [--seed S]\n"
    "                       [--emit yaml|exports]\n"
    "\n"
    "Writes a synthetic world to DIR: world.yaml (the scenario, with E expectations), policy JSON\n"
    "files under policies/, one Kubernetes manifest per cluster under k8s/, and\n"
    "genworld-summary.json (what was generated, expectations per kind). The same arguments give\n"
    "the same files.\n"
    "\n"
    "  --accounts N          AWS accounts, at least 6 (default 20)\n"
    "  --service-accounts K  Kubernetes service accounts over all clusters (default 500)\n"
    "  --expectations E      expectations to write (default 2000)\n"
    "  --seed S              random seed, an unsigned 64-bit number (default 1)\n"
    "  --out DIR             output folder (created; world.yaml, policies/, k8s/, export/ are replaced)\n"
    "  --emit yaml|exports   yaml (default): the scenario above; exports: the same world as the\n"
    "                        export layout of docs/exports.md (what aws and kubectl print) under\n"
    "                        DIR/export/, and DIR/world.yaml importing it with the expectations\n"
    "\n"
    "Example:\n"
    "  iamsim-genworld --accounts 200 --service-accounts 20000 --expectations 100000 --seed 7 --out /tmp/world\n"
    "  iamsim check /tmp/world\n";

template <class T>
bool parse_number(std::string_view text, T& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

int main(int argc, char** argv) {
  genworld::Params params;
  bool have_out = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::cout << usage;
      return 0;
    }
    auto value = [&](std::string_view name) -> std::string_view {
      if (i + 1 >= argc) {
        std::cerr << "iamsim-genworld: " << name << " needs a value\n" << usage;
        std::exit(2);
      }
      return argv[++i];
    };
    auto number = [&](std::string_view name, auto& out) {
      const std::string_view v = value(name);
      if (!parse_number(v, out)) {
        std::cerr << "iamsim-genworld: " << name << " must be a number, found '" << v << "'\n";
        std::exit(2);
      }
    };
    if (arg == "--accounts")
      number(arg, params.accounts);
    else if (arg == "--service-accounts")
      number(arg, params.service_accounts);
    else if (arg == "--expectations")
      number(arg, params.expectations);
    else if (arg == "--seed")
      number(arg, params.seed);
    else if (arg == "--emit") {
      const std::string_view v = value(arg);
      if (v != "yaml" && v != "exports") {
        std::cerr << "iamsim-genworld: --emit is yaml or exports, found '" << v << "'\n";
        return 2;
      }
      params.emit_exports = v == "exports";
    } else if (arg == "--out") {
      params.out = std::string(value(arg));
      have_out = true;
    } else {
      std::cerr << "iamsim-genworld: unknown argument '" << arg << "'\n" << usage;
      return 2;
    }
  }
  if (!have_out || params.out.empty()) {
    std::cerr << "iamsim-genworld: --out DIR is required\n" << usage;
    return 2;
  }
  try {
    const genworld::World world = genworld::build_world(params);
    const genworld::Oracle oracle(world);
    const auto expectations =
        genworld::make_expectations(world, oracle, genworld::Rng(params.seed).fork(0xe7e7), params.expectations);
    const auto stats =
        params.emit_exports ? genworld::emit_exports(world, expectations) : genworld::emit_world(world, expectations);
    std::cout << "wrote " << params.out.string() << ": " << world.accounts.size() << " accounts, "
              << world.clusters.size() << " clusters, " << world.roles.size() << " roles, " << expectations.size()
              << " expectations, " << stats.files << " files, " << stats.bytes / 1024 << " KiB\n";
    if (static_cast<int>(expectations.size()) < params.expectations) {
      std::cerr << "iamsim-genworld: the world holds only " << expectations.size()
                << " distinct questions of the known kinds; raise --service-accounts\n";
      return 1;
    }
  } catch (const std::invalid_argument& e) {
    std::cerr << "iamsim-genworld: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "iamsim-genworld: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
