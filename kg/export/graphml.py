"""GraphML export: entities, documents and quantities as nodes; relations,
``mentionedIn`` and quantity links as edges. Statement nodes are not drawn:
their evidence is summarised on the edge they support.

The file is written directly, element by element, in exactly the bytes
``networkx.write_graphml`` (pretty-printed) gives for ``to_networkx``'s
graph — tested on every build of the seeds. networkx builds an
ElementTree of the whole document first and infers each attribute's type
per element, most of this export's time, with the whole document held in
memory."""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from kg.atomic import atomic_write_bytes
from kg.graph.statements import BuiltGraph, as_built
from kg.vocab import AIKG, ALL_CLASSES, RELATION_PROPERTIES

if TYPE_CHECKING:
    import networkx as nx

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_EDGE_PROPERTIES = RELATION_PROPERTIES + ("mentionedIn", "model", "benchmark", "priceOf")
_CLASS_IRIS = {AIKG[c]: c for c in ALL_CLASSES}

_HEADER = ("<?xml version='1.0' encoding='utf-8'?>\n"
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
           'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">')
#: Elements written per chunk: big enough that joining dominates yielding.
_CHUNK = 2000


@dataclass(frozen=True)
class Drawing:
    """The drawable part of a graph, in the order GraphML lists it."""

    #: (node id, attributes), sorted by node id.
    nodes: list[tuple[str, dict[str, str]]]
    #: (source, target, predicate, number of supporting documents).
    edges: list[tuple[str, str, str, int]]


def _clean(value: str) -> str:
    return _XML_BAD.sub(" ", value)


def _label(g: Graph, node: URIRef) -> str:
    labels = sorted(g.objects(node, RDFS.label), key=lambda l: (l.language != "en", str(l)))
    if labels:
        return str(labels[0])
    title = g.value(node, DCTERMS.title)
    return str(title) if title else str(node).rsplit("/", 1)[-1]


def drawing(graph: Graph | BuiltGraph) -> Drawing:
    """Nodes and edges to draw: typed resources, and the links between them,
    each edge with how many documents support it."""
    built = as_built(graph)
    g = built.graph
    typed: dict[URIRef, str] = {}
    for s, cls in g.subject_objects(RDF.type):
        if cls in _CLASS_IRIS and isinstance(s, URIRef):
            typed[s] = _CLASS_IRIS[cls]
    support: dict[tuple, set] = defaultdict(set)
    for st in g.subjects(RDF.type, RDF.Statement):
        key = (g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object))
        doc = g.value(st, PROV.wasDerivedFrom)
        if doc is not None:
            support[key].add(doc)
    for row in built.statements:
        support[row.stated].add(row.document)
    nodes = []
    for node in sorted(typed, key=str):
        attrs = {"label": _clean(_label(g, node)), "type": typed[node], "iri": str(node)}
        if typed[node] == "BenchmarkResult":
            attrs["score"] = str(g.value(node, AIKG.score) or "")
            attrs["unit"] = str(g.value(node, AIKG.unit) or "")
            attrs["label"] = f"{attrs['score']} {attrs['unit']}".strip()
        elif typed[node] == "Price":
            attrs["label"] = " ".join(str(x) for x in (g.value(node, AIKG.amount), g.value(node, AIKG.currency),
                                                        g.value(node, AIKG.unit)) if x is not None)
        # Every attribute, not just the label: units and scores are source text too.
        nodes.append((str(node), {k: _clean(v) for k, v in attrs.items()}))
    found = []
    for prop in _EDGE_PROPERTIES:
        p = AIKG[prop]
        for s, o in g.subject_objects(p):
            if s in typed and o in typed:
                found.append((str(s), prop, str(o), len(support.get((s, p, o), ()))))
    for s, o in g.subject_objects(PROV.wasDerivedFrom):
        if s in typed and o in typed:
            found.append((str(s), "wasDerivedFrom", str(o), 1))
    # A multigraph lists a node's edges target by target (first seen
    # first), each target's by key: the order networkx keeps them in.
    by_source: dict[str, dict[str, dict[str, int]]] = {}
    for s, prop, o, n in sorted(found):
        by_source.setdefault(s, {}).setdefault(o, {})[prop] = n
    edges = [(s, o, prop, n) for s in by_source for o, keyed in by_source[s].items() for prop, n in keyed.items()]
    return Drawing(nodes, edges)


def to_networkx(graph: Graph | BuiltGraph) -> nx.MultiDiGraph:
    """The drawable part of the RDF graph as a networkx multigraph."""
    # Imported here: a build streams its GraphML without networkx, whose
    # import is slow (pyvis still imports it for the HTML view).
    import networkx as nx

    drawn = drawing(graph)
    out = nx.MultiDiGraph()
    for node, attrs in drawn.nodes:
        out.add_node(node, **attrs)
    for s, o, prop, n in drawn.edges:
        out.add_edge(s, o, key=prop, predicate=prop, sources=n)
    return out


def _text(value: str) -> str:
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    return value


def _attr(value: str) -> str:
    value = _text(value)
    for char, ref in (('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;")):
        if char in value:
            value = value.replace(char, ref)
    return value


def _data(key: str, value: str, tail: str) -> str:
    """A ``<data>`` element and the whitespace after it (empty text: the short form)."""
    return f'<data key="{key}">{_text(value)}</data>{tail}' if value else f'<data key="{key}" />{tail}'


# Whitespace after an element, by depth: ElementTree's pretty-printing as
# networkx applies it (a last child is followed by its parent's indent).
_NEXT_CHILD = "\n      "
_LAST_CHILD = "\n    "
_NEXT_ELEMENT = "\n    "
_LAST_ELEMENT = "\n  "


def graphml_chunks(graph: Graph | BuiltGraph) -> Iterator[str]:
    """The GraphML document in pieces of text (UTF-8 when written)."""
    return _chunks(drawing(graph))


def _chunks(drawn: Drawing) -> Iterator[str]:
    # Key ids in the order attributes are first met (nodes, then edges);
    # declared newest first, as networkx inserts each before the others.
    keys: dict[tuple[str, str], str] = {}
    for _, attrs in drawn.nodes:
        for name in attrs:
            keys.setdefault(("node", name), f"d{len(keys)}")
    if drawn.edges:
        keys[("edge", "predicate")] = f"d{len(keys)}"
        keys[("edge", "sources")] = f"d{len(keys)}"
    yield _HEADER
    for (scope, name), key in reversed(keys.items()):
        kind = "long" if (scope, name) == ("edge", "sources") else "string"
        yield f'\n  <key id="{key}" for="{scope}" attr.name="{name}" attr.type="{kind}" />'
    if not drawn.nodes:
        yield '\n  <graph edgedefault="directed" />\n</graphml>\n'
        return
    yield '\n  <graph edgedefault="directed">\n    '
    node_keys = {name: key for (scope, name), key in keys.items() if scope == "node"}
    elements = len(drawn.nodes) + len(drawn.edges)
    pieces: list[str] = []
    for i, (node, attrs) in enumerate(drawn.nodes):
        pieces.append(f'<node id="{_attr(node)}">{_NEXT_CHILD}')
        last = len(attrs) - 1
        pieces.extend(_data(node_keys[name], value, _LAST_CHILD if j == last else _NEXT_CHILD)
                      for j, (name, value) in enumerate(attrs.items()))
        pieces.append("</node>" + (_LAST_ELEMENT if i == elements - 1 else _NEXT_ELEMENT))
        if len(pieces) >= _CHUNK:
            yield "".join(pieces)
            pieces.clear()
    if drawn.edges:
        predicate, sources = keys[("edge", "predicate")], keys[("edge", "sources")]
        for i, (s, o, prop, n) in enumerate(drawn.edges, len(drawn.nodes)):
            pieces.append(f'<edge source="{_attr(s)}" target="{_attr(o)}" id="{_attr(prop)}">{_NEXT_CHILD}'
                          + _data(predicate, prop, _NEXT_CHILD) + _data(sources, str(n), _LAST_CHILD)
                          + "</edge>" + (_LAST_ELEMENT if i == elements - 1 else _NEXT_ELEMENT))
            if len(pieces) >= _CHUNK:
                yield "".join(pieces)
                pieces.clear()
    pieces.append("</graph>\n</graphml>\n")
    yield "".join(pieces)


def render_graphml(g: Graph | BuiltGraph) -> tuple[bytes, int, int]:
    """The GraphML document as bytes; returns (data, nodes, edges)."""
    drawn = drawing(g)
    return "".join(_chunks(drawn)).encode("utf-8"), len(drawn.nodes), len(drawn.edges)


def write_graphml(g: Graph | BuiltGraph, path: Path) -> tuple[int, int, int]:
    """Write the GraphML file atomically; returns (bytes, nodes, edges)."""
    data, nodes, edges = render_graphml(g)
    atomic_write_bytes(path, data)
    return len(data), nodes, edges
