// Stage: report. `iamsim prove WORLD 'CLAIM'`: a claim over every request (docs/claims.md).
// Exit 0: it holds; 1: refuted (with the request that does it) or unknown (never passes).
#include <iostream>

#include "engine/eval/explain.hpp"
#include "prove/claims/never_claim.hpp"
#include "sim-cli/commands/commands.hpp"
#include "sim-cli/commands/common.hpp"
#include "sim-cli/commands/world_loading.hpp"
#include "sim-cli/render/json_writer.hpp"
#include "sim-cli/render/terminal_text.hpp"

namespace iamsim::cli {
namespace {

struct ProveArgs {
  std::string world, claim;
  std::string format = "text";
  CommonOptions common;
};

std::string_view verdict_word(prove::ClaimResult::Verdict v) {
  switch (v) {
    case prove::ClaimResult::Verdict::Holds: return "holds";
    case prove::ClaimResult::Verdict::Refuted: return "refuted";
    case prove::ClaimResult::Verdict::Unknown: return "unknown";
  }
  return "unknown";
}

// The request as `iamsim can` arguments: the principal, action, resource and the context
// keys `can` does not derive itself from the world, the caller and the resource.
std::string can_line(const std::string& world, const eval::Request& r) {
  eval::Request derived;
  derived.principal = r.principal;
  derived.set_resource(r.resource);
  derived.resource_account = r.resource_account;
  derived.fill_derived_keys();
  std::string out = "iamsim can " + world + " " + r.principal.arn + " " + r.action + " " + r.resource;
  for (const auto& e : r.context.entries()) {
    std::string value;
    for (std::size_t i = 0; i < e.values.size(); ++i) value += (i ? "," : "") + e.values[i].text;
    if (e.multivalued) value = "[" + value + "]";
    const auto* same = derived.context.find(e.key);
    if (same && same->values.size() == 1 && e.values.size() == 1 && same->values[0].text == e.values[0].text) continue;
    if (e.key.starts_with("aws:resource") || (e.key == "aws:securetransport" && value == "true")) continue;
    out += " --context '" + e.name + "=" + value + "'";
  }
  return out;
}

void render_text(std::string& out, const ProveArgs& args, const prove::ClaimResult& r) {
  std::string word(verdict_word(r.verdict));
  for (auto& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  out += word + ": " + args.claim + "\n";
  if (r.witness) {
    out += "  " + r.witness_description + " is allowed:\n    " + can_line(args.world, *r.witness) + "\n";
    out += "  the caller's identity side is its own account's, assumed to allow (E7.outsider-identity-assumed)\n";
    for (const auto& ref : r.witness_decision.determining) out += "  let in by " + eval::statement_words(ref) + "\n";
  }
  if (r.verdict != prove::ClaimResult::Verdict::Refuted)
    for (const auto& why : r.unknown_reasons) out += "  not proven: " + why + "\n";
  if (r.verdict != prove::ClaimResult::Verdict::Refuted)
    for (const auto& why : r.holds_because) out += "  " + why + "\n";
  std::size_t none = 0;
  for (const auto& c : r.cases) none += c.search.verdict == prove::Search::Verdict::None;
  out += "  " + std::to_string(r.cases.size()) + " cases (caller form x action x origin), " + std::to_string(none) +
         " with no allowed request\n";
}

void render_json(std::string& out, const ProveArgs& args, const prove::ClaimResult& r) {
  JsonWriter j(out);
  j.begin_object().key("claim").value(args.claim).key("verdict").value(verdict_word(r.verdict));
  j.key("witness");
  if (r.witness) {
    j.begin_object()
        .key("principal")
        .value(r.witness->principal.arn)
        .key("action")
        .value(r.witness->action)
        .key("resource")
        .value(r.witness->resource)
        .key("context")
        .begin_object();
    for (const auto& e : r.witness->context.entries()) {
      j.key(e.name);
      if (e.multivalued) {
        j.begin_array();
        for (const auto& v : e.values) j.value(v.text);
        j.end_array();
      } else {
        j.value(e.values.empty() ? "" : e.values[0].text);
      }
    }
    j.end_object().key("can").value(can_line(args.world, *r.witness)).key("determining").begin_array();
    for (const auto& ref : r.witness_decision.determining) j.value(eval::statement_words(ref));
    j.end_array().end_object();
  } else {
    j.null();
  }
  j.key("unknown_reasons").begin_array();
  for (const auto& s : r.unknown_reasons) j.value(s);
  j.end_array().key("holds_because").begin_array();
  for (const auto& s : r.holds_because) j.value(s);
  j.end_array().key("cases").begin_array();
  for (const auto& c : r.cases) {
    const auto v = c.search.verdict;
    j.begin_object()
        .key("case")
        .value(c.description)
        .key("result")
        .value(v == prove::Search::Verdict::Found  ? "allowed request"
               : v == prove::Search::Verdict::None ? "no allowed request"
                                                   : "unknown")
        .key("not_modelled")
        .begin_array();
    for (const auto& h : c.search.havoc) j.value(h);
    j.end_array().end_object();
  }
  j.end_array().end_object();
  out += '\n';
}

int run_prove(const ProveArgs& args) {
  Semantics semantics;
  if (!build_semantics(args.common, semantics)) return exit_bad_input;
  std::string error;
  auto claim = prove::parse_never_claim(args.claim, error);
  if (!claim) {
    std::cerr << terminal_safe("iamsim: error: claim '" + args.claim + "': " + error) << "\n";
    return exit_bad_input;
  }
  auto world = load_compiled_world(args.world, semantics, model::LoadScope::world_only);
  if (!world) return exit_bad_input;
  auto result = prove::decide_never_claim(*claim, *world, error);
  if (!result) {
    std::cerr << terminal_safe("iamsim: error: claim '" + args.claim + "': " + error) << "\n";
    return exit_bad_input;
  }
  std::string out;
  if (args.format == "json")
    render_json(out, args, *result);
  else
    render_text(out, args, *result);
  write_output(out);
  return result->verdict == prove::ClaimResult::Verdict::Holds ? exit_ok : exit_failed;
}

}  // namespace

CommandRunner add_prove_command(CLI::App& app) {
  auto args = std::make_shared<ProveArgs>();
  auto* cmd = app.add_subcommand("prove", "Prove a claim over every request, or refute it with a request that does it");
  cmd->footer(
      "Example:\n"
      "  iamsim prove scenarios/kserve-cross-account/3-pinned-trust.yaml \\\n"
      "      'never outside-org s3:GetObject s3://ml-models-prod/*'\n"
      "CLAIM: never SET ACTION s3://BUCKET/KEY-PATTERN, SET one of outside-org, outside-account:ACCOUNT,\n"
      "       anonymous, anyone (docs/claims.md). Exit 0: holds; 1: refuted or unknown; 2: bad input.");
  cmd->add_option("world", args->world, "scenario file, or a folder holding one")->required();
  cmd->add_option("claim", args->claim, "the claim, quoted")->required();
  cmd->add_option("--format", args->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  add_common_options(*cmd, args->common);
  add_outside_files_option(*cmd);
  return [args]() { return run_prove(*args); };
}

}  // namespace iamsim::cli
