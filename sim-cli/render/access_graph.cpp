// Stage: report. Paths as graphs, and the two ways to write them.
#include "sim-cli/render/access_graph.hpp"

#include <algorithm>

#include "engine/syntax/arn.hpp"
#include "sim-cli/render/access_render.hpp"

namespace iamsim::cli {
namespace {

using Kind = GraphNode::Kind;
using Style = GraphEdge::Style;

// The ARN a hop reaches: the role assumed, the resource asked, the key S3 calls.
std::string hop_target(const model::Hop& h) {
  if (!h.evaluated) return "";
  return h.evaluated->request.resource;
}

std::string short_action(const model::Hop& h) { return h.evaluated ? h.evaluated->request.action : ""; }

}  // namespace

std::size_t AccessGraph::node(const std::string& id, std::string label, Kind kind) {
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    if (nodes_[i].id == id) return i;
  nodes_.push_back({id, std::move(label), kind});
  return nodes_.size() - 1;
}

void AccessGraph::edge(std::size_t from, std::size_t to, std::string label, Style style) {
  for (const auto& e : edges_)
    if (e.from == from && e.to == to && e.label == label && e.style == style) return;
  edges_.push_back({from, to, std::move(label), style});
}

void AccessGraph::add_path(const model::World& world, const model::PrincipalRef& principal, const model::Access& access,
                           const std::string& resource_arn) {
  using K = model::PrincipalRef::Kind;
  model::PrincipalRef base = principal;
  base.chain.clear();
  const std::string who = model::to_string(base);
  std::size_t at = node(who, who,
                        principal.kind == K::Workload                          ? Kind::Workload
                        : principal.kind == K::ServiceAccount                  ? Kind::ServiceAccount
                        : principal.arn_kind == syntax::PrincipalArnKind::Role ? Kind::Role
                                                                               : Kind::Principal);
  std::string service_account;
  if (principal.kind == K::Workload)
    if (const auto* w = world.find_workload(principal.cluster, principal.namespace_name, principal.name))
      service_account = "sa:" + principal.cluster + "/" + principal.namespace_name + "/" + w->service_account();
  std::size_t resource_node = static_cast<std::size_t>(-1);
  std::size_t before = at;  // the node an assume hop started from: Pod Identity's TagSession starts there too
  for (const auto& h : access.hops) {
    const Style style = h.allowed() ? Style::Allowed : Style::Refused;
    const std::string reason = hop_reason(h);
    switch (h.kind) {
      case model::HopKind::Credentials: {
        if (!h.evaluated && h.allowed() && !service_account.empty()) {
          const std::size_t sa = node(service_account, service_account, Kind::ServiceAccount);
          edge(at, sa, "runs as", Style::Allowed);
          at = sa;
        } else if (!h.allowed()) {
          const std::size_t none = node("missing:" + who, "no AWS credentials", Kind::Missing);
          edge(at, none, h.missing_link ? h.missing_link->message : std::string(), Style::Refused);
        }
        break;
      }
      case model::HopKind::TagSession: edge(before, at, short_action(h) + "\n" + reason, style); break;
      case model::HopKind::WebIdentity:
      case model::HopKind::PodIdentity:
      case model::HopKind::InstanceMetadata:
      case model::HopKind::AssumeRole: {
        std::string role = hop_target(h);
        if (role.empty()) {  // a missing link before any request: the role the title names
          const auto arn = h.title.find("arn:");
          role = arn == std::string::npos ? h.title : h.title.substr(arn, h.title.find(' ', arn) - arn);
        }
        const std::size_t to = node(role, role, Kind::Role);
        const std::string action = h.evaluated ? short_action(h) : "";
        edge(at, to, (action.empty() ? "" : action + "\n") + reason, style);
        before = at;
        at = to;
        break;
      }
      case model::HopKind::Request: {
        const std::string target = hop_target(h).empty() ? resource_arn : hop_target(h);
        resource_node = node(target, target, Kind::Resource);
        edge(at, resource_node, short_action(h) + "\n" + reason, style);
        break;
      }
      case model::HopKind::Kms: {
        const std::string key = hop_target(h);
        const std::size_t from = resource_node == static_cast<std::size_t>(-1) ? at : resource_node;
        edge(from, node(key, key, Kind::Key), short_action(h) + " (S3 calls KMS as the caller)\n" + reason, style);
        break;
      }
    }
    if (!h.allowed()) break;
  }
}

void AccessGraph::add_change(const std::string& principal, const std::string& resource, std::string label,
                             Style style) {
  const std::size_t from = node(principal, principal, Kind::Principal);
  const std::size_t to = node(resource, resource, Kind::Resource);
  edge(from, to, std::move(label), style);
}

namespace {

// Mermaid labels are quoted strings: quotes become an entity, line breaks <br/>.
std::string mermaid_text(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"': out += "#quot;"; break;
      case '<': out += "#lt;"; break;
      case '>': out += "#gt;"; break;
      case '\n': out += "<br/>"; break;
      default: out += c;
    }
  }
  return out;
}

std::string dot_text(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string mermaid_node(const GraphNode& n, std::size_t i) {
  const std::string id = "n" + std::to_string(i), label = "\"" + mermaid_text(n.label) + "\"";
  switch (n.kind) {
    case Kind::Workload: return id + "([" + label + "])";
    case Kind::ServiceAccount: return id + "([" + label + "])";
    case Kind::Role: return id + "[" + label + "]";
    case Kind::Resource: return id + "[(" + label + ")]";
    case Kind::Key: return id + "{{" + label + "}}";
    case Kind::Missing: return id + ">" + label + "]";
    case Kind::Principal: return id + "[" + label + "]";
  }
  return id;
}

std::string_view dot_shape(Kind k) {
  switch (k) {
    case Kind::Workload:
    case Kind::ServiceAccount: return "ellipse";
    case Kind::Role: return "box";
    case Kind::Resource: return "cylinder";
    case Kind::Key: return "hexagon";
    case Kind::Missing: return "note";
    case Kind::Principal: return "box";
  }
  return "box";
}

std::string_view color(Style s) {
  switch (s) {
    case Style::Allowed: return "";
    case Style::Refused:
    case Style::Narrowed: return "#d00000";
    case Style::Widened: return "#008000";
  }
  return "";
}

}  // namespace

void render_mermaid(std::string& out, const AccessGraph& graph, const std::string& title) {
  out += "---\ntitle: \"" + mermaid_text(title) + "\"\n---\nflowchart LR\n";
  for (std::size_t i = 0; i < graph.nodes().size(); ++i) out += "  " + mermaid_node(graph.nodes()[i], i) + "\n";
  for (const auto& e : graph.edges()) {
    const std::string arrow = e.style == Style::Refused || e.style == Style::Narrowed ? "-.->" : "-->";
    out += "  n" + std::to_string(e.from) + " " + arrow +
           (e.label.empty() ? "" : "|\"" + mermaid_text(e.label) + "\"|") + " n" + std::to_string(e.to) + "\n";
  }
  for (std::size_t i = 0; i < graph.edges().size(); ++i) {
    const auto c = color(graph.edges()[i].style);
    if (!c.empty())
      out += "  linkStyle " + std::to_string(i) + " stroke:" + std::string(c) + ",color:" + std::string(c) + "\n";
  }
}

void render_dot(std::string& out, const AccessGraph& graph, const std::string& title) {
  out += "digraph access {\n  label=\"" + dot_text(title) + "\";\n  labelloc=t;\n  rankdir=LR;\n";
  out += "  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n";
  for (std::size_t i = 0; i < graph.nodes().size(); ++i) {
    const auto& n = graph.nodes()[i];
    out += "  n" + std::to_string(i) + " [label=\"" + dot_text(n.label) +
           "\", shape=" + std::string(dot_shape(n.kind)) + (n.kind == Kind::Missing ? ", color=\"#d00000\"" : "") +
           "];\n";
  }
  for (const auto& e : graph.edges()) {
    out += "  n" + std::to_string(e.from) + " -> n" + std::to_string(e.to) + " [label=\"" + dot_text(e.label) + "\"";
    const auto c = color(e.style);
    if (!c.empty()) out += ", color=\"" + std::string(c) + "\", fontcolor=\"" + std::string(c) + "\"";
    if (e.style == Style::Refused || e.style == Style::Narrowed) out += ", style=dashed";
    out += "];\n";
  }
  out += "}\n";
}

}  // namespace iamsim::cli
