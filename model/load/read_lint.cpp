// Stage: model (load), reading. The scenario's `lint:` section: the findings `iamsim lint` is
// told to leave out, `ignore: [ID, ID@RESOURCE_PATTERN, {id, resource, reason}]`. The ids
// are checked by lint, which knows them.
#include "model/load/scenario_reader.hpp"

namespace iamsim::model::load {

void read_lint_section(ScenarioReader& r, const YamlNode& n) {
  FieldReader& in = r.in;
  if (!in.is_map(n, "lint")) return;
  Fields f(in, n, "lint", {"ignore"});
  for (const auto& item : in.list(f["ignore"], "lint ignore")) {
    LintIgnore ignore;
    ignore.where = in.at(item);
    if (item.is_scalar()) {
      const std::string& text = item.scalar();
      const auto at_sign = text.find('@');
      ignore.rule = text.substr(0, at_sign);
      if (at_sign != std::string::npos) ignore.resource = text.substr(at_sign + 1);
    } else if (in.is_map(item, "a lint ignore")) {
      Fields g(in, item, "a lint ignore", {"id", "resource", "reason"});
      if (!in.require(g, item, "id", "a lint ignore")) continue;
      if (auto id = in.text(g["id"], "id")) ignore.rule = *id;
      if (g.has("resource"))
        if (auto resource = in.text(g["resource"], "resource")) ignore.resource = *resource;
      if (g.has("reason"))
        if (auto reason = in.text(g["reason"], "reason")) ignore.reason = *reason;
    } else {
      continue;
    }
    if (ignore.rule.empty()) {
      in.error("scenario.bad-value", item, "a lint ignore needs a finding id");
      continue;
    }
    r.world.lint_ignores.push_back(std::move(ignore));
  }
}

}  // namespace iamsim::model::load
