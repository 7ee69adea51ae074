// Stage: report. Decisions for machines (JSON) and for people (text).
#include "sim-cli/render/decision_render.hpp"

#include "engine/assert.hpp"
#include "engine/eval/explain.hpp"
#include "sim-cli/render/json_writer.hpp"

namespace iamsim::cli {

using eval::Decision;
using eval::Layer;
using eval::LayerResult;

RenderedStatement describe_statement(const eval::StatementRef& ref) {
  IAMSIM_ASSERT(ref.policy && ref.source, "a determining statement without its policy");
  RenderedStatement out;
  out.layer = std::string(eval::to_string(ref.layer));
  out.index = ref.statement;
  out.level = ref.level;
  const auto& st = ref.compiled();
  std::string buffer;
  out.policy = std::string(eval::policy_name(ref, buffer));
  out.sid = st.sid;
  out.pointer = std::string(eval::document_pointer(ref, buffer)) + st.pointer;
  out.effect = st.effect == compile::Effect::Allow ? "Allow" : "Deny";
  out.file = std::string(ref.source->file);
  return out;
}

std::string_view outcome_words(eval::Outcome o) {
  switch (o) {
    case eval::Outcome::Allow: return "allowed";
    case eval::Outcome::ExplicitDeny: return "explicitly denied";
    case eval::Outcome::ImplicitDeny: return "implicitly denied";
  }
  unreachable();
}

std::string reason_text(const eval::Reason& reason, const eval::Request& request) {
  return eval::message(reason, request) + " (" + std::string(eval::code_id(reason.code)) + ")";
}

std::string warning_text(const eval::Warning& warning) {
  return eval::message(warning) + " (" + std::string(eval::code_id(warning.code)) + ")";
}

std::string missing_key_text(std::string_view key) { return "depends on " + std::string(key) + ", not given"; }

namespace {

// A statement as the contract writes it: written from the statement itself, without
// copies, since every eval result has some. name_buffer and pointer_buffer are scratch.
void write_statement(JsonWriter& w, const eval::StatementRef& ref, std::string& name_buffer,
                     std::string& pointer_buffer) {
  IAMSIM_ASSERT(ref.policy && ref.source, "a cited statement without its policy");
  const compile::CompiledStatement& st = ref.compiled();
  w.begin_object();
  w.key("layer").value(eval::to_string(ref.layer));
  w.key("policy").value(eval::policy_name(ref, name_buffer));
  w.key("statement");
  if (st.sid.empty())
    w.null();
  else
    w.value(st.sid);
  w.key("index").value(static_cast<long long>(ref.statement));
  w.key("effect").value(st.effect == compile::Effect::Allow ? "Allow" : "Deny");
  w.key("pointer").value_joined({eval::document_pointer(ref, pointer_buffer), st.pointer});
  if (ref.level >= 0) w.key("level").value(ref.level);
  // A world's policy names its file (an eval request is its own file, named by place).
  if (!ref.source->named_by_place && !ref.source->file.empty()) {
    w.key("file").value(ref.source->file);
    if (ref.source->line > 0) w.key("line").value(ref.source->line);
  }
  w.end_object();
}

void write_condition(JsonWriter& w, const eval::StatementRef& ref, std::uint32_t index) {
  const auto& c = ref.compiled().conditions[index];
  w.begin_object();
  w.key("index").value(static_cast<long long>(index));
  w.key("operator").value(c.op_text);
  w.key("key").value(c.key_text);
  w.end_object();
}

}  // namespace

void render_decision_json(std::string& out, std::optional<std::optional<std::string_view>> id,
                          const eval::Request& request, const Decision& d,
                          std::span<const InputWarning> extra_warnings) {
  JsonWriter w(out);
  std::string name_buffer, pointer_buffer;
  w.begin_object();
  if (id) {
    w.key("id");
    if (*id)
      w.value(**id);
    else
      w.null();
  }
  w.key("decision").value(eval::to_string(d.outcome));
  w.key("blocked_by").begin_array();
  for (Layer l : eval::all_layers)
    if (d.blocked(l)) w.value(eval::to_string(l));
  w.end_array();
  w.key("layers").begin_object();
  for (Layer l : eval::all_layers) w.key(eval::to_string(l)).value(eval::to_string(d.layer(l)));
  w.end_object();
  w.key("determining").begin_array();
  for (const auto& ref : d.determining) write_statement(w, ref, name_buffer, pointer_buffer);
  w.end_array();
  w.key("reasons").begin_array();
  for (const auto& r : d.reasons) {
    w.begin_object();
    w.key("code").value(eval::code_id(r.code));
    w.key("message").value(eval::message(r, request));
    w.key("layer").value(eval::to_string(r.layer));
    if (r.layer == Layer::Resource) w.key("policy_kind").value(eval::to_string(r.resource_kind));
    if (r.level >= 0) w.key("level").value(r.level);
    if (!r.level_name.empty()) w.key("level_name").value(r.level_name);
    if (r.near_miss) {
      w.key("statement");
      write_statement(w, r.near_miss, name_buffer, pointer_buffer);
      w.key("condition");
      write_condition(w, r.near_miss, r.condition);
    }
    w.end_object();
  }
  w.end_array();
  w.key("warnings").begin_array();
  for (const auto& m : extra_warnings) {
    w.begin_object();
    w.key("code").value(m.code);
    w.key("message").value(m.message);
    if (m.located) w.key("pointer").value_joined({m.pointer, m.inner_pointer});
    w.end_object();
  }
  for (const auto& m : d.warnings) {
    w.begin_object();
    w.key("code").value(eval::code_id(m.code));
    w.key("message").value(eval::message(m));
    if (m.statement) {
      w.key("statement");
      write_statement(w, m.statement, name_buffer, pointer_buffer);
    }
    if (m.has_condition()) {
      w.key("condition");
      write_condition(w, m.statement, m.condition);
      w.key("key").value(m.statement.compiled().conditions[m.condition].key_text);
    }
    if (!m.value.empty()) w.key("value").value(m.value);
    w.end_object();
  }
  w.end_array();
  w.key("missing_context_keys").begin_array();
  for (std::string_view key : d.missing_context_keys) w.value(key);
  w.end_array();
  w.end_object();
}

void render_decision_text(std::string& out, std::string_view id, const eval::Request& r, const Decision& d,
                          std::span<const InputWarning> extra_warnings, std::string_view indent) {
  auto line = [&](const std::string& text) {
    out += indent;
    out += text;
    out += '\n';
  };
  line((id.empty() ? std::string("request") : "request " + std::string(id)) + ": " +
       std::string(outcome_words(d.outcome)));
  line("  principal " + r.principal.arn +
       (r.principal.account.empty() ? "" : " (account " + r.principal.account + ")"));
  line("  action    " + r.action);
  line("  resource  " + r.resource + (r.resource_account.empty() ? "" : " (account " + r.resource_account + ")"));
  line("  layers:");
  for (Layer l : eval::all_layers) {
    std::string text = "    ";
    std::string name(eval::to_string(l));
    text += name + std::string(14 - name.size(), ' ');
    std::string result(eval::to_string(d.layer(l)));
    text += result;
    if (d.blocked(l)) text += "  <- blocked here";
    for (const auto& ref : d.determining)
      if (ref.layer == l) {
        const auto s = describe_statement(ref);
        text += "\n" + std::string(indent) + "        " + s.effect + " by " + s.policy + " statement " +
                (s.sid.empty() ? "#" + std::to_string(s.index) : "\"" + s.sid + "\"") + " at " + s.pointer;
        if (!s.file.empty()) text += " in " + s.file;
      }
    for (const auto& why : d.reasons)
      if (l == Layer::Scp && why.code == eval::Code::ScpLevelWithoutAllow)
        text += "\n" + std::string(indent) + "        no Allow at SCP level " + std::to_string(why.level);
    line(text);
  }
  for (const auto& why : d.reasons) line("  why: " + reason_text(why, r));
  for (const auto& m : extra_warnings) {
    std::string text = "  warning: " + std::string(m.message) + " (" + std::string(m.code);
    if (m.located) text += " at " + std::string(m.pointer) + std::string(m.inner_pointer);
    line(text + ")");
  }
  for (const auto& m : d.warnings) line("  warning: " + warning_text(m));
  for (std::string_view key : d.missing_context_keys) line("  " + missing_key_text(key));
}

}  // namespace iamsim::cli
