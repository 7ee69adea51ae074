// Stage: report. Diffs grouped for review.
#include "sim-cli/render/diff_render.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "engine/syntax/arn_kind.hpp"
#include "sim-cli/render/access_graph.hpp"
#include "sim-cli/render/json_writer.hpp"

namespace iamsim::cli {
namespace {

// A bucket stands for its objects; anything else is named by its ARN.
std::string short_resource(const std::string& arn) {
  const auto view = syntax::split_arn(arn);
  if (view && syntax::is_s3(syntax::resource_arn_kind(*view))) return std::string(syntax::s3_bucket_name(*view));
  return arn;
}

std::string join(const std::vector<std::string>& items, std::string_view separator = ", ") {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : std::string(separator)) + i;
  return out;
}

std::string count_words(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

// "lost 3 actions on models (s3:DeleteObject, s3:PutObject, s3:PutObjectAcl)"; the actions are
// named when there are few.
std::string what_changed(const DiffGroup& g, std::size_t named = 5) {
  std::string out = std::string(g.widened ? "gained " : "lost ") + count_words(g.actions.size(), "action", "actions") +
                    " on " + join(g.resources);
  if (g.actions.size() <= named) out += " (" + join(g.actions) + ")";
  return out;
}

std::string cause_words(const DiffGroup& g) { return g.cause.empty() ? "(a saved matrix says no why)" : g.cause; }

// Markdown table cells: a pipe would end the cell, a line break the row.
std::string cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out;
}

std::string code(std::string_view s) {
  if (s.find('`') != std::string_view::npos) return cell(s);
  return "`" + cell(s) + "`";
}

}  // namespace

std::vector<DiffGroup> group_diff(const MatrixDiff& diff) {
  std::map<std::tuple<bool, std::string, std::string>, DiffGroup> groups;  // !widened first
  for (const auto& e : diff.changes) {
    const std::string cause = e.cause.empty() ? e.why : e.cause;
    auto& g = groups[{!e.widened, e.cell.principal, cause}];
    g.principal = e.cell.principal;
    g.widened = e.widened;
    g.cause = cause;
    g.changes.push_back(&e);
  }
  std::vector<DiffGroup> out;
  for (auto& [key, g] : groups) {
    std::set<std::string> actions, resources;
    for (const auto* e : g.changes) {
      actions.insert(e->cell.action);
      resources.insert(short_resource(e->cell.resource));
    }
    g.actions.assign(actions.begin(), actions.end());
    g.resources.assign(resources.begin(), resources.end());
    out.push_back(std::move(g));
  }
  return out;
}

void render_diff_text(std::string& out, const MatrixDiff& d, const std::string& old_name, const std::string& new_name,
                      bool verbose) {
  const auto groups = group_diff(d);
  out += "iamsim diff " + old_name + " -> " + new_name + ": " + std::to_string(d.widened()) + " widened, " +
         std::to_string(d.narrowed()) + " narrowed";
  if (!d.changes.empty()) out += ", in " + count_words(groups.size(), "group", "groups");
  out += "\n";
  for (const auto& g : groups) {
    out += std::string(g.widened ? "  WIDENED  " : "  narrowed ") + g.principal + " " + what_changed(g) + "\n";
    out += "           " + cause_words(g) + "\n";
    if (verbose)
      for (const auto* e : g.changes)
        out += std::string("             ") + (e->widened ? "deny -> allow  " : "allow -> deny  ") + e->cell.action +
               " " + e->cell.resource + (e->why != g.cause && !e->why.empty() ? ": " + e->why : "") + "\n";
  }
  if (!verbose && !d.changes.empty()) out += "(--verbose lists every decision)\n";
}

void render_diff_json(std::string& out, const MatrixDiff& d) {
  const auto groups = group_diff(d);
  JsonWriter w(out);
  w.begin_object();
  w.key("widened").value(d.widened());
  w.key("narrowed").value(d.narrowed());
  w.key("groups").begin_array();
  for (const auto& g : groups) {
    w.begin_object();
    w.key("change").value(g.widened ? "widened" : "narrowed");
    w.key("principal").value(g.principal);
    w.key("summary").value(g.principal + " " + what_changed(g, 0) + ": " + cause_words(g));
    w.key("cause").value(g.cause);
    w.key("actions").begin_array();
    for (const auto& a : g.actions) w.value(a);
    w.end_array();
    w.key("resources").begin_array();
    for (const auto& r : g.resources) w.value(r);
    w.end_array();
    w.key("decisions").value(g.changes.size());
    w.end_object();
  }
  w.end_array();
  w.key("changes").begin_array();
  for (const auto& e : d.changes) {
    w.begin_object();
    w.key("change").value(e.widened ? "widened" : "narrowed");
    w.key("principal").value(e.cell.principal);
    w.key("action").value(e.cell.action);
    w.key("resource").value(e.cell.resource);
    w.key("before").value(e.widened ? "deny" : "allow");
    w.key("after").value(e.widened ? "allow" : "deny");
    w.key("why").value(e.why);
    w.key("cause").value(e.cause.empty() ? e.why : e.cause);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  out += "\n";
}

void render_diff_markdown(std::string& out, const MatrixDiff& d, const std::string& old_name,
                          const std::string& new_name) {
  const auto groups = group_diff(d);
  out += "### iamsim diff: " + std::to_string(d.widened()) + " widened, " + std::to_string(d.narrowed()) +
         " narrowed\n\n" + code(old_name) + " → " + code(new_name) + "\n\n";
  if (d.changes.empty()) {
    out += "No decision changed.\n";
    return;
  }
  out += "| change | principal | what | why |\n| --- | --- | --- | --- |\n";
  for (const auto& g : groups)
    out += std::string("| ") + (g.widened ? "**widened**" : "narrowed") + " | " + code(g.principal) + " | " +
           cell(what_changed(g)) + " | " + cell(cause_words(g)) + " |\n";
  out += "\n<details><summary>Every decision (" + std::to_string(d.changes.size()) +
         ")</summary>\n\n| change | principal | action | resource |\n| --- | --- | --- | --- |\n";
  for (const auto& e : d.changes)
    out += std::string("| ") + (e.widened ? "deny → allow" : "allow → deny") + " | " + code(e.cell.principal) + " | " +
           code(e.cell.action) + " | " + code(e.cell.resource) + " |\n";
  out += "\n</details>\n";
}

void render_diff_mermaid(std::string& out, const MatrixDiff& d, const std::string& old_name,
                         const std::string& new_name) {
  AccessGraph graph;
  for (const auto& g : group_diff(d))
    for (const auto& resource : g.resources) {
      std::vector<std::string> actions;
      for (const auto* e : g.changes)
        if (short_resource(e->cell.resource) == resource &&
            std::find(actions.begin(), actions.end(), e->cell.action) == actions.end())
          actions.push_back(e->cell.action);
      std::string label = std::string(g.widened ? "+" : "-") + count_words(actions.size(), "action", "actions");
      if (actions.size() <= 3) label += ": " + join(actions);
      graph.add_change(g.principal, resource, label,
                       g.widened ? GraphEdge::Style::Widened : GraphEdge::Style::Narrowed);
    }
  render_mermaid(out, graph,
                 "iamsim diff " + old_name + " -> " + new_name + ": " + std::to_string(d.widened()) + " widened, " +
                     std::to_string(d.narrowed()) + " narrowed");
}

}  // namespace iamsim::cli
