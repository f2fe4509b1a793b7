"""export_trig: one named graph per source document, deterministic bytes."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import PROV, RDF

from kg.export.trig import partition, write_trig
from kg.vocab import AIKG, RELATION_PROPERTIES

from conftest import load_query_fixture

ROOT = Path(__file__).resolve().parents[2]


fixture = load_query_fixture()


def _turtle_graph(tmp_path: Path) -> tuple[Path, rdflib.Graph]:
    ttl = fixture.write_graph(tmp_path / "graph.ttl")
    return ttl, rdflib.Graph().parse(ttl, format="turtle")


def _named_graphs(dataset: rdflib.Dataset) -> dict[str, rdflib.Graph]:
    return {
        str(g.identifier): g
        for g in dataset.graphs()
        if g.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID and len(g)
    }


def test_trig_parses_in_rdflib_and_oxigraph(tmp_path):
    _, graph = _turtle_graph(tmp_path)
    out = tmp_path / "graph.trig"
    count = write_trig(graph, out)

    dataset = rdflib.Dataset()
    dataset.parse(out, format="trig")
    assert len(list(dataset.quads())) == count

    store = ox.Store()
    store.load(path=str(out), format=ox.RdfFormat.TRIG)
    assert len(store) == count
    docs = {str(d) for d in graph.subjects(RDF.type, AIKG.Document)}
    assert {g.value for g in store.named_graphs()} == docs


def test_named_graphs_hold_every_relation_triple(tmp_path):
    _, graph = _turtle_graph(tmp_path)
    out = tmp_path / "graph.trig"
    write_trig(graph, out)
    dataset = rdflib.Dataset()
    dataset.parse(out, format="trig")
    named = _named_graphs(dataset)
    union = set()
    for g in named.values():
        union.update(g)
    relations = {AIKG[p] for p in (*RELATION_PROPERTIES, "mentionedIn")}
    relation_triples = {t for t in graph if t[1] in relations}
    assert relation_triples and relation_triples <= union
    # Everything else is in the default graph: nothing is lost.
    default = set(dataset.graph(rdflib.graph.DATASET_DEFAULT_GRAPH_ID))
    plain = {t for t in graph if not any(isinstance(x, rdflib.BNode) for x in t)}
    assert plain <= union | default
    assert len(graph) <= len(union | default)


def test_each_graph_holds_what_its_document_supports(tmp_path):
    _, graph = _turtle_graph(tmp_path)
    out = tmp_path / "graph.trig"
    write_trig(graph, out)
    dataset = rdflib.Dataset()
    dataset.parse(out, format="trig")
    named = _named_graphs(dataset)
    doc_a = str(fixture.DOC_A)
    doc_b = str(fixture.DOC_B)
    o1 = fixture.ID["model/o1"]
    fc = fixture.ID["feature/function-calling"]
    # A fact from two documents is in both graphs.
    assert (o1, AIKG.hasFeature, fc) in named[doc_a]
    assert (o1, AIKG.hasFeature, fc) in named[doc_b]
    # A fact only document A states is only in A's graph.
    so = fixture.ID["feature/structured-outputs"]
    assert (o1, AIKG.hasFeature, so) in named[doc_a]
    assert (o1, AIKG.hasFeature, so) not in named[doc_b]
    # Statement nodes and quantities travel with their document.
    for doc, g in named.items():
        for node in g.subjects(PROV.wasDerivedFrom, None):
            assert set(g.objects(node, PROV.wasDerivedFrom)) == {rdflib.URIRef(doc)}
    prices = {doc: len(list(g.subjects(RDF.type, AIKG.Price))) for doc, g in named.items()}
    assert prices[doc_b] == 1 and prices[doc_a] == 0
    # Labels and types stay in the default graph.
    default = dataset.graph(rdflib.graph.DATASET_DEFAULT_GRAPH_ID)
    assert (o1, RDF.type, AIKG.Model) in default
    assert all((o1, RDF.type, AIKG.Model) not in g for g in named.values())


def test_output_is_byte_identical_across_parses_and_processes(tmp_path):
    ttl, first = _turtle_graph(tmp_path)
    second = rdflib.Graph().parse(ttl, format="turtle")  # fresh blank node ids
    a, b = tmp_path / "a.trig", tmp_path / "b.trig"
    write_trig(first, a)
    write_trig(second, b)
    assert a.read_bytes() == b.read_bytes()
    assert b"_:b" in a.read_bytes()  # the fixture's blank nodes got stable labels
    code = (
        "import sys, rdflib; from pathlib import Path; from kg.export.trig import write_trig;"
        "write_trig(rdflib.Graph().parse(sys.argv[1], format='turtle'), Path(sys.argv[2]))"
    )
    for seed in ("0", "7"):
        out = tmp_path / f"seed{seed}.trig"
        subprocess.run([sys.executable, "-c", code, str(ttl), str(out)], cwd=ROOT, check=True,
                       env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"})
        assert out.read_bytes() == a.read_bytes()


def test_partition_puts_unsourced_triples_in_the_default_graph():
    g = rdflib.Graph()
    s, o = rdflib.URIRef("http://ex/s"), rdflib.URIRef("http://ex/o")
    g.add((s, AIKG.partOf, o))  # no statement: cannot be attributed to a document
    parts = partition(g)
    assert parts == {None: {(s, AIKG.partOf, o)}}
