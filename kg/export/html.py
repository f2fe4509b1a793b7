"""Write the interactive HTML view of the graph (``output/graph.html``).

pyvis computes the vis-network node, edge and option objects; the page
itself comes from our own template (``kg/html/``), not pyvis's. pyvis 0.3.2's
template links Bootstrap and tom-select from a CDN whatever
``cdn_resources`` says, loads ``lib/`` files next to the page in "local"
mode, and writes hover text into the DOM with ``innerHTML``; patching its
output would hang on the exact text of that template. Our template inlines
vis-network (the copy shipped inside pyvis) and needs nothing else, so the
file opens from disk with the network off, and untrusted text only ever
reaches the page as escaped JSON rendered with ``textContent``.
"""
from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pyvis.network import Network
from rdflib import Graph

from kg.export.html_assets import content_security_policy, fill_template_chunks, json_for_script_chunks, load_assets
from kg.export.html_data import DEFAULT_EDGE_BUDGET, PROVENANCE, QUANTITY_LINK, RELATION, ViewData, build_view_data
from kg.graph.statements import BuiltGraph

#: Fixed seed for vis-network's initial layout: same graph, same picture.
LAYOUT_SEED = 20241205
#: Stabilization iterations are bounded so that large graphs settle in seconds.
MAX_STABILIZATION_ITERATIONS = 400
MIN_STABILIZATION_ITERATIONS = 120
#: Layout forces (pyvis's names). Strong enough central gravity keeps the
#: small disconnected clusters close to the main one.
FORCE_ATLAS = {
    "gravity": -90,
    "central_gravity": 0.03,
    "spring_length": 130,
    "spring_strength": 0.06,
    "damping": 0.5,
    "overlap": 0.2,
}
NODE_FONT_SIZE = 17
#: Above this many nodes the costlier niceties are switched off.
LARGE_GRAPH_NODES = 300

FONT_FACE = (
    "system-ui, -apple-system, 'Segoe UI', 'Noto Sans CJK SC', 'Noto Sans SC', "
    "'WenQuanYi Micro Hei', 'PingFang SC', 'Microsoft YaHei', sans-serif"
)


@dataclass(frozen=True)
class ClassStyle:
    """How one class is drawn and named in the legend."""

    name: str
    color: str
    border: str
    shape: str
    legend: str  # English name with the Chinese one
    font_color: str = "#222222"

    @property
    def vis_shape(self) -> str:
        """vis-network shape; our own glyphs are drawn as images (see ``_icon``)."""
        return "image" if self.shape in _ICON_PATHS else self.shape


#: One colour and one shape per class, in legend order. Documents are dark
#: boxes so the sources stand out; benchmark results are small labelled
#: pills and prices tags.
CLASS_STYLES: tuple[ClassStyle, ...] = (
    ClassStyle("Model", "#4e79a7", "#2c4a6b", "dot", "Model 模型"),
    ClassStyle("Product", "#f28e2b", "#a85d14", "square", "Product 产品"),
    ClassStyle("Feature", "#59a14f", "#356530", "triangle", "Feature 功能"),
    ClassStyle("Person", "#e15759", "#92292b", "star", "Person 人物"),
    ClassStyle("Company", "#76b7b2", "#3f7d78", "hexagon", "Company 公司"),
    ClassStyle("Organization", "#edc948", "#a3861c", "triangleDown", "Organization 机构"),
    ClassStyle("Event", "#b07aa1", "#74476a", "diamond", "Event 活动"),
    ClassStyle("Benchmark", "#ff9da7", "#c2606b", "database", "Benchmark 基准"),
    ClassStyle("Document", "#2f3640", "#0f1216", "box", "Document 来源文档", "#ffffff"),
    ClassStyle("BenchmarkResult", "#e9dccf", "#9c755f", "ellipse", "Benchmark result 评测成绩"),
    ClassStyle("Price", "#b5dfb9", "#3f7a46", "tag", "Price 价格"),
)
_STYLE = {style.name: style for style in CLASS_STYLES}
_LABEL_INSIDE = frozenset({"box", "database", "ellipse", "circle", "text"})
#: Glyphs vis-network lacks, as SVG on a 40x40 box (label drawn below).
_ICON_PATHS: dict[str, tuple[str, ...]] = {
    "database": ("M5 9C5 2 35 2 35 9V31C35 38 5 38 5 31Z", "M5 9C5 16 35 16 35 9"),
    "tag": ("M2 20L14 7H38V33H14Z", "M11 20a3 3 0 1 0 6 0a3 3 0 1 0 -6 0"),
}

#: Edge looks per kind: relations dark and labelled, provenance thin grey dashes.
EDGE_STYLES: dict[str, dict] = {
    RELATION: {"color": {"color": "#5b6470", "highlight": "#1f2a36", "hover": "#1f2a36"}, "width": 1.6},
    QUANTITY_LINK: {"color": {"color": "#9c755f", "highlight": "#5e4333", "hover": "#5e4333"}, "width": 1.2},
    PROVENANCE: {
        "color": {"color": "#c3c7cc", "highlight": "#7d848c", "hover": "#7d848c", "opacity": 0.8},
        "width": 0.6,
        "dashes": [4, 4],
        # Longer springs: documents sit at the rim with their fans of
        # mentions, and the relations shape the middle.
        "length": 220,
    },
}


@dataclass(frozen=True)
class HtmlStats:
    """What the written page shows."""

    nodes_shown: int
    edges_shown: int
    nodes_total: int
    truncated: bool  # a budget left nodes or edges out
    edges_between: int = 0  # edges among the drawn nodes, before the edge budget


def _icon(style: ClassStyle) -> str:
    """The class's glyph as an SVG data: URI.

    vis-network has seven shapes that keep the label outside the shape, one
    short of the classes; the others are inline SVG images (allowed by the
    page's ``img-src data:`` policy; no request leaves the page for them).
    The first path is filled, the rest are outlines.
    """
    first, *rest = _ICON_PATHS[style.shape]
    paths = [f'<path d="{first}" fill="{style.color}" stroke="{style.border}" stroke-width="2.5"/>']
    paths += [f'<path d="{d}" fill="none" stroke="{style.border}" stroke-width="2.5"/>' for d in rest]
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40">'
        + "".join(paths)
        + "</svg>"
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("ascii")).decode("ascii")


def _groups() -> dict[str, dict]:
    groups = {}
    for style in CLASS_STYLES:
        groups[style.name] = {
            "shape": style.vis_shape,
            "color": {
                "background": style.color,
                "border": style.border,
                "highlight": {"background": style.color, "border": "#000000"},
                "hover": {"background": style.color, "border": "#000000"},
            },
            "font": {"color": style.font_color},
        }
    # Label-inside shapes: the white halo that keeps outside labels readable
    # over edges would blur text drawn on a fill.
    groups["Document"].update(
        {"borderWidth": 2, "margin": 8, "font": {"color": "#ffffff", "size": 22, "strokeWidth": 0}}
    )
    for style in CLASS_STYLES:
        if style.shape in _ICON_PATHS:
            groups[style.name]["image"] = _icon(style)
    groups["BenchmarkResult"].update({"margin": 4, "font": {"color": "#3b2a20", "size": 11, "strokeWidth": 0}})
    groups["Price"]["font"] = {"color": "#1f4424", "size": 12}
    return groups


def _stabilization_iterations(node_count: int) -> int:
    # Work per iteration grows with the node count; keep the total bounded.
    return max(MIN_STABILIZATION_ITERATIONS, min(MAX_STABILIZATION_ITERATIONS, 240_000 // max(node_count, 1)))


class _IndexedNetwork(Network):
    """pyvis's ``Network`` answering ``get_nodes()`` with a set.

    ``add_edge`` checks both ends with ``in self.get_nodes()``, a list: with
    2,000 nodes and 30,000 edges that was two seconds of list scans. Nothing
    else reads ``get_nodes`` here.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._node_set: set = set()

    def add_node(self, n_id, *args, **kwargs):
        super().add_node(n_id, *args, **kwargs)
        self._node_set.add(n_id)

    def get_nodes(self):
        return self._node_set


def build_network(view: ViewData) -> Network:
    """The pyvis network (nodes, edges, options) for already-cut view data."""
    large = len(view.nodes) > LARGE_GRAPH_NODES
    net = _IndexedNetwork(directed=True, cdn_resources="in_line")
    for node in view.nodes:
        shape = _STYLE[node.cls].vis_shape
        # Size by degree only where the label sits outside the shape; the
        # others are sized by their label.
        sized = {} if shape in _LABEL_INSIDE else {"value": node.degree}
        net.add_node(node.id, label=node.label, shape=shape, group=node.cls, **sized)
    for index, edge in enumerate(view.edges):
        options = dict(EDGE_STYLES[edge.kind])
        options["id"] = f"e{index}"
        if edge.kind == PROVENANCE:
            options["arrows"] = {"to": {"enabled": False}}
        else:
            options["label"] = edge.predicate
            options["arrows"] = {"to": {"enabled": not edge.symmetric, "scaleFactor": 0.6}}
        net.add_edge(edge.source, edge.target, **options)

    net.force_atlas_2based(**FORCE_ATLAS)
    physics = net.options.physics
    # A coarser Barnes-Hut approximation halves the cost per iteration on
    # large graphs, at no visible loss in the settled picture.
    physics.forceAtlas2Based.theta = 0.9 if large else 0.5
    physics.stabilization.iterations = _stabilization_iterations(len(view.nodes))
    physics.stabilization.updateInterval = 25
    physics.minVelocity = 1.0
    physics.maxVelocity = 60
    net.options.edges.smooth.enabled = not large
    net.options.edges.smooth.type = "continuous"
    net.options.edges.color.inherit = False
    interaction = net.options.interaction
    interaction.hover = True
    interaction.tooltipDelay = 120
    interaction.hideEdgesOnDrag = large
    interaction.hideEdgesOnZoom = large
    return net


def _vis_payload(net: Network, node_count: int) -> dict:
    nodes, edges, _, _, _, options_json = net.get_network_data()
    options = json.loads(options_json)
    large = node_count > LARGE_GRAPH_NODES
    options["groups"] = _groups()
    options["layout"] = {"randomSeed": LAYOUT_SEED, "improvedLayout": node_count <= 150}
    # Labels are most of a frame's cost; on large graphs they appear only
    # once zoomed in far enough to read them (scaled font size >= threshold - 1).
    options["nodes"] = {
        "font": {"face": FONT_FACE, "size": NODE_FONT_SIZE, "strokeWidth": 3, "strokeColor": "#ffffff"},
        "scaling": {"min": 10, "max": 40, "label": {"enabled": False, "drawThreshold": 8 if large else 5}},
        "borderWidth": 1.5,
    }
    options["edges"]["scaling"] = {"label": {"drawThreshold": 9 if large else 7}}
    options["edges"]["font"] = {
        "face": FONT_FACE,
        "size": 10,
        "color": "#4a525c",
        "strokeWidth": 3,
        "strokeColor": "#ffffff",
        "align": "middle",
    }
    options["edges"]["selectionWidth"] = 2
    return {"nodes": nodes, "edges": edges, "options": options}


def page_payload(view: ViewData, node_budget: int, edge_budget: int = DEFAULT_EDGE_BUDGET) -> dict:
    """The JSON the page reads: view data, legend and vis objects."""
    counts: dict[str, int] = {}
    for node in view.nodes:
        counts[node.cls] = counts.get(node.cls, 0) + 1
    net = build_network(view)
    return {
        "meta": {
            "budget": node_budget,
            "edgeBudget": edge_budget,
            "edgesBetween": view.edges_between,
            "edgesShown": len(view.edges),
            "edgesTotal": view.edges_total,
            "nodesShown": len(view.nodes),
            "nodesTotal": view.nodes_total,
            "truncated": view.truncated,
        },
        "classes": [
            {"name": s.name, "legend": s.legend, "color": s.color, "border": s.border, "shape": s.shape,
             "count": counts.get(s.name, 0)}
            for s in CLASS_STYLES
        ],
        "edgeKinds": [
            {"kind": kind, "color": EDGE_STYLES[kind]["color"]["color"], "dashed": "dashes" in EDGE_STYLES[kind]}
            for kind in (RELATION, QUANTITY_LINK, PROVENANCE)
        ],
        "nodes": [
            {
                "id": n.id,
                "cls": n.cls,
                "label": n.label,
                "name": n.name,
                "labels": dict(n.labels),
                "aliases": list(n.aliases),
                "docs": list(n.docs),
                "facts": [list(f) for f in n.facts],
                "degree": n.degree,
            }
            for n in view.nodes
        ],
        "edges": [
            {"id": f"e{i}", "from": e.source, "to": e.target, "p": e.predicate, "kind": e.kind,
             "sym": e.symmetric, "ev": list(e.evidence)}
            for i, e in enumerate(view.edges)
        ],
        "evidence": [
            {"doc": ev.doc, "text": ev.text, "start": ev.start, "end": ev.end, "conf": ev.confidence,
             "extractor": ev.extractor}
            for ev in view.evidence
        ],
        "vis": _vis_payload(net, len(view.nodes)),
    }


def _notice(view: ViewData) -> str:
    # Only integers reach the markup here; everything textual goes via JSON.
    if not view.truncated:
        return ""
    edges = f" and {len(view.edges)} of {view.edges_between} edges among them" if view.edges_cut else ""
    budgets = {(True, False): "node budget", (False, True): "edge budget", (True, True): "node and edge budgets"}
    return (
        f'<p id="kg-notice" role="status">Showing {len(view.nodes)} of {view.nodes_total} nodes{edges}: '
        f"the most connected part of the graph ({budgets[(view.nodes_cut, view.edges_cut)]}).</p>"
    )


def render_html(graph: Graph | BuiltGraph, *, node_budget: int = 2000,
                edge_budget: int = DEFAULT_EDGE_BUDGET) -> tuple[str, HtmlStats]:
    """The page's text and what it shows; same graph, same text."""
    pieces, stats = html_pieces(graph, node_budget=node_budget, edge_budget=edge_budget)
    return "".join(pieces), stats


def html_pieces(graph: Graph | BuiltGraph, *, node_budget: int = 2000,
                edge_budget: int = DEFAULT_EDGE_BUDGET) -> tuple[Iterator[str], HtmlStats]:
    """``render_html``'s text as pieces made while they are written (the data
    of a large graph is tens of megabytes of JSON), and what the page shows."""
    view = build_view_data(graph, node_budget, edge_budget)
    assets = load_assets()
    scripts = (assets.vis_js, assets.view_js)
    pieces = fill_template_chunks(
        assets.template,
        {
            "CSP": content_security_policy(scripts),
            "VIS_CSS": assets.vis_css,
            "VIEW_CSS": assets.view_css,
            "NOTICE": _notice(view),
            "SUMMARY": f"{len(view.nodes)} nodes · {len(view.edges)} edges",
            "DATA": json_for_script_chunks(page_payload(view, node_budget, edge_budget)),
            "VIS_JS": assets.vis_js,
            "VIEW_JS": assets.view_js,
        },
    )
    stats = HtmlStats(len(view.nodes), len(view.edges), view.nodes_total, view.truncated, view.edges_between)
    return pieces, stats


def write_html(graph: Graph | BuiltGraph, path: Path, *, node_budget: int = 2000,
               edge_budget: int = DEFAULT_EDGE_BUDGET) -> HtmlStats:
    """Write the self-contained interactive view of ``graph`` to ``path``.

    Above ``node_budget`` nodes the page shows the most connected ones, and
    at most ``edge_budget`` edges among them (relations first), and says so.
    The file needs no network and is byte-identical for equal graphs.
    """
    page, stats = render_html(graph, node_budget=node_budget, edge_budget=edge_budget)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8", newline="\n")
    return stats


def html_document(graph: Graph | BuiltGraph) -> Iterator[str]:
    """The view's text in pieces, with the default budgets: the output
    registry's renderer for ``graph.html``."""
    return html_pieces(graph)[0]
