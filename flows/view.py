"""A self-contained interactive HTML page of a subgraph: nodes coloured by type, edges
labelled by relationship type, and a click on an edge shows its evidence sentences.

The graph library is vis-network, vendored from npm (tools/graph-view) and inlined into
the page, so the page works offline and can be mailed around."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import Any

from flows import cypher
from flows.errors import ConfigError
from flows.settings import REPO_ROOT
from flows.store import GraphStore

VIS_JS = REPO_ROOT / "tools/graph-view/node_modules/vis-network/standalone/umd/vis-network.min.js"
# Entity types take these in the ontology's (sorted) order, so Location, Organization and
# Person are green, orange and blue, and a new type gets the next colour; the graph's own
# labels have theirs. Colours from Neo4j Browser's palette.
ENTITY_PALETTE = ("#57C785", "#F79767", "#4C8EDA", "#DA7194", "#8DCC93", "#D9C8AE", "#6DCE9E")
GRAPH_COLORS = {"Article": "#C990C0", "Statement": "#FFC454"}
OTHER_COLOR = "#A5ABB6"


def colors(entity_types: Sequence[str]) -> dict[str, str]:
    """The colour of each node type: entity types from the ontology, then the graph's."""
    palette = {t: ENTITY_PALETTE[i % len(ENTITY_PALETTE)] for i, t in enumerate(entity_types)}
    return {**palette, **GRAPH_COLORS}


@dataclass
class Subgraph:
    nodes: dict[Any, dict[str, Any]] = field(default_factory=dict)
    edges: dict[Any, dict[str, Any]] = field(default_factory=dict)

    def add(self, value: Any) -> None:
        """Collect every node, relationship and path found in a query result value."""
        if isinstance(value, dict) and "labels" in value and "id" in value:
            self.nodes[value["id"]] = value
        elif isinstance(value, dict) and "type" in value and "start" in value:
            self.edges[value["id"]] = value
        elif isinstance(value, dict) and "nodes" in value and "edges" in value:
            for item in value["nodes"] + value["edges"]:
                self.add(item)
        elif isinstance(value, list):
            for item in value:
                self.add(item)

    @classmethod
    def from_rows(cls, rows: list[dict[str, Any]]) -> Subgraph:
        graph = cls()
        for row in rows:
            for value in row.values():
                graph.add(value)
        # An edge is drawn only between nodes the page has.
        graph.edges = {
            k: e
            for k, e in graph.edges.items()
            if e["start"] in graph.nodes and e["end"] in graph.nodes
        }
        return graph


def _node_type(node: dict[str, Any]) -> str:
    labels = [label for label in node["labels"] if label != "Entity"]
    return labels[0] if labels else (node["labels"][0] if node["labels"] else "Node")


def _identity(node: dict[str, Any]) -> str:
    return str(node["properties"].get("key") or node["properties"].get("id") or "")


def _caption(node: dict[str, Any]) -> str:
    props = node["properties"]
    text = props.get("name") or props.get("title") or props.get("predicate") or props.get("id")
    return str(text or _node_type(node))[:60]


def evidence(store: GraphStore, graph: Subgraph) -> dict[str, list[dict[str, str]]]:
    """Evidence sentences for every entity-to-entity edge on the page."""
    wanted = []
    for edge_id, edge in graph.edges.items():
        start, end = graph.nodes[edge["start"]], graph.nodes[edge["end"]]
        if "Entity" in start["labels"] and "Entity" in end["labels"]:
            wanted.append(
                {
                    "id": str(edge_id),
                    "subject": start["properties"].get("key"),
                    "predicate": edge["type"],
                    "object": end["properties"].get("key"),
                }
            )
    found: dict[str, list[dict[str, str]]] = {}
    if wanted:
        for row in store.read(cypher.EDGE_EVIDENCE, {"edges": wanted}):
            found.setdefault(str(row["edge"]), []).append(
                {"sentence": row["sentence"], "article": row["article"], "title": row["title"]}
            )
    return found


def render(
    graph: Subgraph,
    evidence_by_edge: dict[str, list[dict[str, str]]],
    title: str,
    entity_types: Sequence[str],
) -> str:
    by_type = colors(entity_types)
    if not VIS_JS.is_file():
        raise ConfigError(
            f"the graph library is missing ({VIS_JS.relative_to(REPO_ROOT)}); "
            "run 'npm ci' in tools/graph-view (make run and make test do it)"
        )
    nodes = [
        {
            "id": str(node_id),
            "label": _caption(node),
            "group": _node_type(node),
            "color": by_type.get(_node_type(node), OTHER_COLOR),
            "title": f"{_node_type(node)}: {_identity(node)}",
        }
        for node_id, node in graph.nodes.items()
    ]
    edges = [
        {
            "id": str(edge_id),
            "from": str(edge["start"]),
            "to": str(edge["end"]),
            "label": edge["type"],
            "arrows": "to",
        }
        for edge_id, edge in graph.edges.items()
    ]
    legend = "".join(
        f'<span class="key" style="background:{color}">{html.escape(name)}</span>'
        for name, color in by_type.items()
    )
    return _PAGE.substitute(
        title=html.escape(title),
        legend=legend,
        node_count=len(nodes),
        edge_count=len(edges),
        vis_js=VIS_JS.read_text(encoding="utf-8"),
        data=json.dumps({"nodes": nodes, "edges": edges, "evidence": evidence_by_edge}).replace(
            "</", "<\\/"
        ),
    )


def write_view(
    store: GraphStore,
    rows: list[dict[str, Any]],
    title: str,
    out: Path,
    entity_types: Sequence[str],
) -> Subgraph:
    graph = Subgraph.from_rows(rows)
    page = render(graph, evidence(store, graph), title, entity_types)
    out.write_text(page, encoding="utf-8")
    return graph


_PAGE = Template("""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>$title</title>
<style>
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px system-ui, sans-serif; display: flex; height: 100vh;
         overflow: hidden; }
  #main { flex: 1; display: flex; flex-direction: column; min-width: 0; }
  header { padding: 8px 12px; border-bottom: 1px solid #ddd; }
  header code { color: #555; }
  .key { display: inline-block; padding: 1px 8px; margin-right: 6px; border-radius: 8px;
         color: #fff; font-size: 12px; }
  #graph { flex: 1; min-height: 300px; }
  #evidence { width: 340px; overflow: auto; border-left: 1px solid #ddd; padding: 8px 12px; }
  #evidence blockquote { margin: 8px 0; padding-left: 8px; border-left: 3px solid #FFC454; }
  #evidence .article { color: #777; font-size: 12px; }
</style>
</head>
<body>
<div id="main">
  <header><strong>$title</strong><br>
    <span id="node-count">$node_count</span> nodes,
    <span id="edge-count">$edge_count</span> relationships &nbsp; $legend
    <span id="drawn" hidden></span>
  </header>
  <div id="graph"></div>
</div>
<aside id="evidence"><p>Click a relationship to see the sentences behind it.</p></aside>
<script>$vis_js</script>
<script>
  const data = $data;
  const network = new vis.Network(
    document.getElementById("graph"),
    { nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges) },
    { nodes: { shape: "dot", size: 16, font: { size: 14 } },
      edges: { font: { size: 11, align: "middle" }, color: "#999", smooth: { type: "dynamic" } },
      physics: { stabilization: { iterations: 200 } } }
  );
  network.once("afterDrawing", () => {
    const drawn = document.getElementById("drawn");
    drawn.textContent = String(network.body.data.nodes.length);
    drawn.dataset.ready = "true";
  });
  const panel = document.getElementById("evidence");
  network.on("click", (event) => {
    if (!event.edges.length || event.nodes.length) return;
    const edge = data.edges.find((e) => e.id === event.edges[0]);
    const items = data.evidence[edge.id] || [];
    panel.replaceChildren();
    const heading = document.createElement("h3");
    const count = items.length + (items.length === 1 ? " sentence" : " sentences");
    heading.textContent = edge.label + " (" + count + ")";
    panel.append(heading);
    for (const item of items) {
      const quote = document.createElement("blockquote");
      quote.textContent = item.sentence;
      const source = document.createElement("div");
      source.className = "article";
      source.textContent = item.article + " \\u2014 " + item.title;
      quote.append(source);
      panel.append(quote);
    }
  });
</script>
</body>
</html>
""")
