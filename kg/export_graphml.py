"""GraphML export: entities, documents and quantities as nodes; relations,
``mentionedIn`` and quantity links as edges. Statement nodes are not drawn:
their evidence is summarised on the edge they support."""
from __future__ import annotations

import io
import re
from collections import defaultdict
from pathlib import Path

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from kg.atomic import atomic_write_bytes
from kg.statements import BuiltGraph, as_built
from kg.vocab import AIKG, ALL_CLASSES, RELATION_PROPERTIES

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_EDGE_PROPERTIES = RELATION_PROPERTIES + ("mentionedIn", "model", "benchmark", "priceOf")
_CLASS_IRIS = {AIKG[c]: c for c in ALL_CLASSES}


def _clean(value: str) -> str:
    return _XML_BAD.sub(" ", value)


def _label(g: Graph, node: URIRef) -> str:
    labels = sorted(g.objects(node, RDFS.label), key=lambda l: (l.language != "en", str(l)))
    if labels:
        return str(labels[0])
    title = g.value(node, DCTERMS.title)
    return str(title) if title else str(node).rsplit("/", 1)[-1]


def to_networkx(graph: Graph | BuiltGraph) -> nx.MultiDiGraph:
    """The drawable part of the RDF graph as a networkx multigraph."""
    built = as_built(graph)
    g = built.graph
    out = nx.MultiDiGraph()
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
        out.add_node(str(node), **{k: _clean(v) for k, v in attrs.items()})
    edges = []
    for prop in _EDGE_PROPERTIES:
        p = AIKG[prop]
        for s, o in g.subject_objects(p):
            if s in typed and o in typed:
                edges.append((str(s), prop, str(o), len(support.get((s, p, o), ()))))
    for s, o in g.subject_objects(PROV.wasDerivedFrom):
        if s in typed and o in typed:
            edges.append((str(s), "wasDerivedFrom", str(o), 1))
    for s, prop, o, n in sorted(edges):
        out.add_edge(s, o, key=prop, predicate=prop, sources=n)
    return out


def render_graphml(g: Graph | BuiltGraph) -> tuple[bytes, int, int]:
    """The GraphML document as bytes; returns (data, nodes, edges)."""
    nxg = to_networkx(g)
    buf = io.BytesIO()
    nx.write_graphml(nxg, buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue(), nxg.number_of_nodes(), nxg.number_of_edges()


def write_graphml(g: Graph | BuiltGraph, path: Path) -> tuple[int, int, int]:
    """Write the GraphML file atomically; returns (bytes, nodes, edges)."""
    data, nodes, edges = render_graphml(g)
    atomic_write_bytes(path, data)
    return len(data), nodes, edges
