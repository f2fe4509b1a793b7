"""Building a folder of test documents and finding nodes in the result,
shared by the tests on documents the builder was not tuned on."""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF, RDFS, SKOS

from kg.pipeline import run_build
from kg.vocab import AIKG


def build_folder(folder: Path, out: Path) -> Graph:
    """Build ``folder`` (paths relative to its parent) into ``out`` without
    the HTML view, and return graph.ttl parsed."""
    run_build([folder], folder.parent, out, html=False)
    g = Graph()
    g.parse(out / "graph.ttl", format="turtle")
    return g


def labels(g: Graph, node) -> set[str]:
    """Every rdfs:label and skos:altLabel of ``node``, as plain strings."""
    return {str(o) for p in (RDFS.label, SKOS.altLabel) for o in g.objects(node, p)}


def node(g: Graph, label: str, cls: str):
    """The node of class ``cls`` with ``label`` among its labels; fails the test if none."""
    for s in g.subjects(RDF.type, AIKG[cls]):
        if label in labels(g, s):
            return s
    raise AssertionError(f"no {cls} labelled {label!r}")
