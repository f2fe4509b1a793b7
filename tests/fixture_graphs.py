"""Building a folder of test documents and finding nodes in the result,
shared by the tests on documents the builder was not tuned on."""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF, RDFS, SKOS

from kg.build.pipeline import run_build
from kg.vocab import AIKG


def build_folder(folder: Path, out: Path) -> Graph:
    """Build ``folder`` (paths relative to its parent) into ``out`` without
    the HTML view, and return graph.ttl parsed."""
    run_build([folder], folder.parent, out, html=False)
    g = Graph()
    g.parse(out / "graph.ttl", format="turtle")
    return g


def build_texts(root: Path, texts: dict[str, str]) -> Graph:
    """Write ``texts`` (file name → content) into ``root/docs`` and build them."""
    folder = root / "docs"
    folder.mkdir()
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return build_folder(folder, root / "out")


def labels(g: Graph, node) -> set[str]:
    """Every rdfs:label and skos:altLabel of ``node``, as plain strings."""
    return {str(o) for p in (RDFS.label, SKOS.altLabel) for o in g.objects(node, p)}


def node(g: Graph, label: str, cls: str):
    """The node of class ``cls`` with ``label`` among its labels; fails the test if none."""
    for s in g.subjects(RDF.type, AIKG[cls]):
        if label in labels(g, s):
            return s
    raise AssertionError(f"no {cls} labelled {label!r}")


def scores(g: Graph) -> set[tuple[str, str, float, str]]:
    """Every BenchmarkResult as (model label, benchmark label, score, unit)."""
    return {(str(g.value(g.value(r, AIKG.model), RDFS.label)), str(g.value(g.value(r, AIKG.benchmark), RDFS.label)),
             float(g.value(r, AIKG.score)), str(g.value(r, AIKG.unit)))
            for r in g.subjects(RDF.type, AIKG.BenchmarkResult)}


def prices(g: Graph) -> set[tuple[str, float, str, str]]:
    """Every Price as (item label, amount, currency, unit; "None" when it has none)."""
    return {(str(g.value(g.value(p, AIKG.priceOf), RDFS.label)), float(g.value(p, AIKG.amount)),
             str(g.value(p, AIKG.currency)), str(g.value(p, AIKG.unit)))
            for p in g.subjects(RDF.type, AIKG.Price)}


def related(g: Graph, s: tuple[str, str], predicate: str, o: tuple[str, str]) -> bool:
    """Whether the nodes ``s`` and ``o`` (label, class) stand in ``predicate``;
    either way round for the symmetric integratesWith and competesWith."""
    a, b = node(g, *s), node(g, *o)
    p = AIKG[predicate]
    return (a, p, b) in g or (predicate in ("integratesWith", "competesWith") and (b, p, a) in g)
