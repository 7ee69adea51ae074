// Stage: report. Decisions for machines (JSON) and for people (text).
#include "sim-cli/render/decision_render.hpp"

#include "sim-cli/render/json_writer.hpp"

namespace iamsim::cli {

using eval::Decision;
using eval::Layer;
using eval::LayerResult;

RenderedStatement describe_statement(const eval::StatementRef& ref) {
  RenderedStatement out;
  out.layer = std::string(eval::to_string(ref.layer));
  out.index = ref.statement;
  out.level = ref.level;
  if (ref.policy && ref.policy->policy) {
    const auto& st = ref.policy->policy->statements[ref.statement];
    out.policy = ref.policy->name;
    out.sid = st.sid;
    out.pointer = ref.policy->pointer + st.pointer;
    out.effect = st.effect == compile::Effect::Allow ? "Allow" : "Deny";
    out.file = std::string(ref.policy->file);
  }
  return out;
}

std::string_view outcome_words(eval::Outcome o) {
  switch (o) {
    case eval::Outcome::Allow: return "allowed";
    case eval::Outcome::ExplicitDeny: return "explicitly denied";
    case eval::Outcome::ImplicitDeny: return "implicitly denied";
  }
  return "";
}

void render_decision_json(std::string& out, std::optional<std::optional<std::string_view>> id, const Decision& d,
                          std::span<const InputWarning> extra_warnings) {
  JsonWriter w(out);
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
  // Written from the statement itself, as describe_statement reads it, without copies:
  // every eval result has these.
  for (const auto& ref : d.determining) {
    const compile::CompiledStatement* st =
        ref.policy && ref.policy->policy ? &ref.policy->policy->statements[ref.statement] : nullptr;
    w.begin_object();
    w.key("layer").value(eval::to_string(ref.layer));
    w.key("policy").value(st ? std::string_view(ref.policy->name) : std::string_view());
    w.key("statement");
    if (!st || st->sid.empty())
      w.null();
    else
      w.value(st->sid);
    w.key("index").value(static_cast<long long>(ref.statement));
    w.key("effect").value(!st ? "" : st->effect == compile::Effect::Allow ? "Allow" : "Deny");
    if (st)
      w.key("pointer").value_joined({ref.policy->pointer, st->pointer});
    else
      w.key("pointer").value("");
    if (ref.level >= 0) w.key("level").value(ref.level);
    w.end_object();
  }
  w.end_array();
  w.key("reasons").begin_array();
  for (auto r : d.reasons) w.value(eval::to_string(r));
  w.end_array();
  w.key("warnings").begin_array();
  for (const auto& m : extra_warnings) {
    if (m.located)
      w.value_joined({m.message, " (at ", m.pointer, m.inner_pointer, ")"});
    else
      w.value(m.message);
  }
  for (const auto& m : d.warnings) w.value(m);
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
    if (l == Layer::Scp && d.scp_level_without_allow >= 0)
      text += "\n" + std::string(indent) + "        no Allow at SCP level " + std::to_string(d.scp_level_without_allow);
    line(text);
  }
  for (auto why : d.reasons) line("  why: " + std::string(eval::to_string(why)));
  for (const auto& m : extra_warnings) {
    std::string text = "  warning: " + std::string(m.message);
    if (m.located) text += " (at " + std::string(m.pointer) + std::string(m.inner_pointer) + ")";
    line(text);
  }
  for (const auto& m : d.warnings) line("  warning: " + m);
}

}  // namespace iamsim::cli
