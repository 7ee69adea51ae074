// Stage: report. Pictures of access: the hops of paths as a graph (pod -> service account ->
// role session -> chained role -> resource -> key), each edge with the policy that decided
// it, a refused hop in red; and the widened and narrowed edges of a diff. Written as Mermaid
// (rendered by GitHub in pull requests and job summaries) or Graphviz DOT.
#pragma once

#include <string>
#include <vector>

#include "model/paths/access.hpp"
#include "model/world.hpp"

namespace iamsim::cli {

struct GraphNode {
  std::string id;     // what the node is: "sa:ml-prod/kserve/loader", a role or resource ARN
  std::string label;  // shown
  enum class Kind { Workload, ServiceAccount, Principal, Role, Resource, Key, Missing } kind = Kind::Principal;
};

struct GraphEdge {
  std::size_t from = 0, to = 0;  // node positions
  std::string label;             // the action and the deciding policy
  enum class Style { Allowed, Refused, Widened, Narrowed } style = Style::Allowed;
};

class AccessGraph {
 public:
  // Adds the path of one answer, from its principal to the resource (or the refused hop).
  void add_path(const model::World& world, const model::PrincipalRef& principal, const model::Access& access,
                const std::string& resource_arn);
  // One edge between two named nodes (a diff's changes), with its style.
  void add_change(const std::string& principal, const std::string& resource, std::string label, GraphEdge::Style style);

  const std::vector<GraphNode>& nodes() const { return nodes_; }
  const std::vector<GraphEdge>& edges() const { return edges_; }

 private:
  std::size_t node(const std::string& id, std::string label, GraphNode::Kind kind);
  void edge(std::size_t from, std::size_t to, std::string label, GraphEdge::Style style);
  std::vector<GraphNode> nodes_;
  std::vector<GraphEdge> edges_;
};

// `flowchart LR` with one line per node and edge; refused and narrowed edges red, widened green.
void render_mermaid(std::string& out, const AccessGraph& graph, const std::string& title);
// `digraph access { ... }` for Graphviz.
void render_dot(std::string& out, const AccessGraph& graph, const std::string& title);

}  // namespace iamsim::cli
