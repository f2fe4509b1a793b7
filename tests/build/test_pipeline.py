"""The whole path from seeds/ to the three output files, checked with real
components: rdflib and Oxigraph for Turtle, networkx for GraphML."""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF

from kg.export.graphml import to_networkx
from kg.build.pipeline import run_build
from kg.validate.shapes import validate_graph
from kg.vocab import AIKG, ENTITY_CLASSES, RELATION_PROPERTIES

from conftest import ROOT, SEEDS

SEED_FILES = sorted(p.name for p in SEEDS.glob("*.txt"))


def test_every_seed_is_a_document(seed_graph):
    paths = {str(p) for p in seed_graph.objects(None, AIKG.path)}
    assert paths == {f"seeds/{name}" for name in SEED_FILES}


@pytest.mark.parametrize("name", SEED_FILES)
def test_evidence_equals_text_at_offsets(seed_graph, seed_texts, name):
    path = f"seeds/{name}"
    doc = next(s for s, o in seed_graph.subject_objects(AIKG.path) if str(o) == path)
    text = seed_texts[path]
    nodes = list(seed_graph.subjects(PROV.wasDerivedFrom, doc))
    assert nodes, f"nothing derived from {name}"
    for node in nodes:
        ev = str(seed_graph.value(node, AIKG.evidence))
        start = int(seed_graph.value(node, AIKG.startOffset))
        end = int(seed_graph.value(node, AIKG.endOffset))
        assert text[start:end] == ev, (name, node)


@pytest.mark.parametrize("name", SEED_FILES)
def test_document_sha256_matches_normalised_text(seed_graph, seed_texts, name):
    path = f"seeds/{name}"
    doc = next(s for s, o in seed_graph.subject_objects(AIKG.path) if str(o) == path)
    raw = (SEEDS / name).read_bytes().decode("utf-8").lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    assert seed_texts[path] == raw
    assert str(seed_graph.value(doc, AIKG.sha256)) == hashlib.sha256(raw.encode("utf-8")).hexdigest()


@pytest.mark.parametrize("name", SEED_FILES)
def test_every_seed_yields_entities_and_relations(seed_graph, name):
    path = f"seeds/{name}"
    doc = next(s for s, o in seed_graph.subject_objects(AIKG.path) if str(o) == path)
    entities = set(seed_graph.subjects(AIKG.mentionedIn, doc))
    assert len(entities) >= 10
    relations = [st for st in seed_graph.subjects(PROV.wasDerivedFrom, doc)
                 if str(seed_graph.value(st, RDF.predicate)).rsplit("#", 1)[-1] in RELATION_PROPERTIES]
    assert relations


def test_every_entity_has_mentioned_in_and_its_statement(seed_graph):
    for cls in ENTITY_CLASSES:
        for e in seed_graph.subjects(RDF.type, AIKG[cls]):
            docs = set(seed_graph.objects(e, AIKG.mentionedIn))
            assert docs, e
            for d in docs:
                stmts = [st for st in seed_graph.subjects(RDF.subject, e)
                         if (st, RDF.predicate, AIKG.mentionedIn) in seed_graph and (st, RDF.object, d) in seed_graph]
                assert stmts, (e, d)
                for st in stmts:
                    assert (st, PROV.wasDerivedFrom, d) in seed_graph


def test_every_relation_triple_is_reified(seed_graph):
    for prop in RELATION_PROPERTIES:
        for s, o in seed_graph.subject_objects(AIKG[prop]):
            found = [st for st in seed_graph.subjects(RDF.subject, s)
                     if (st, RDF.predicate, AIKG[prop]) in seed_graph and (st, RDF.object, o) in seed_graph]
            assert found, (s, prop, o)


def test_turtle_parses_in_rdflib_and_oxigraph_alike(seed_build, seed_graph):
    store = pyoxigraph.Store()
    store.bulk_load(path=str(seed_build[0] / "graph.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(seed_graph) > 1000


def test_graph_conforms_to_shapes(seed_graph, seed_build):
    report = validate_graph(seed_graph)
    assert report.conforms, report.summary()
    assert seed_build[1].validation.conforms


def test_graphml_reads_back_with_expected_counts(seed_build, seed_graph):
    back = nx.read_graphml(seed_build[0] / "graph.graphml")
    # Expected counts computed from the RDF, independently of the exporter.
    typed = {s for cls in ENTITY_CLASSES + ("Document", "BenchmarkResult", "Price")
             for s in seed_graph.subjects(RDF.type, AIKG[cls])}
    assert back.number_of_nodes() == len(typed)
    expected_edges = 0
    for prop in RELATION_PROPERTIES + ("mentionedIn", "model", "benchmark", "priceOf"):
        expected_edges += sum(1 for s, o in seed_graph.subject_objects(AIKG[prop]) if s in typed and o in typed)
    expected_edges += sum(1 for s, o in seed_graph.subject_objects(PROV.wasDerivedFrom) if s in typed and o in typed)
    assert back.number_of_edges() == expected_edges
    for _, data in back.nodes(data=True):
        assert data["label"] and data["type"] and data["iri"]
    for _, _, data in back.edges(data=True):
        assert data["predicate"]
    assert to_networkx(seed_graph).number_of_edges() == expected_edges


def test_two_builds_are_byte_identical(seed_build, tmp_path):
    out2 = tmp_path / "again"
    run_build([SEEDS], ROOT, out2)
    for name in ("graph.ttl", "graph.graphml", "graph.html"):
        assert (seed_build[0] / name).read_bytes() == (out2 / name).read_bytes(), name


def test_committed_output_is_what_the_code_builds(seed_build):
    for name in ("graph.ttl", "graph.graphml", "graph.html"):
        committed = ROOT / "output" / name
        assert committed.is_file(), f"output/{name} missing: run scripts/build.sh"
        assert committed.read_bytes() == (seed_build[0] / name).read_bytes(), (
            f"output/{name} is stale: run scripts/build.sh and commit output/")


def test_cli_builds_a_small_new_document(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "launch.md").write_text(
        "---\ntitle: Anthropic 发布 Claude 3.5 Sonnet\nauthor: 张伟\ndate: 2024-06-21\n---\n\n"
        "# Anthropic 发布 Claude 3.5 Sonnet\n\nAnthropic 今天推出了 Claude 3.5 Sonnet 模型，支持 Artifacts 功能。"
        "Claude 3.5 Sonnet 在 GPQA Diamond 测试中取得了 59.4% 的成绩。Anthropic 的 CEO Dario Amodei 表示……\n",
        encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "kg", "build", str(docs), "-o", str(out), "--root", str(tmp_path)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr
    for name in ("graph.ttl", "graph.graphml", "graph.html"):
        assert (out / name).stat().st_size > 0
    assert "documents read: 1" in proc.stdout
    g = Graph()
    g.parse(out / "graph.ttl", format="turtle")
    labels = {str(o) for o in g.objects(None, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
    assert "Claude 3.5 Sonnet" in labels
    assert "Anthropic" in labels


def test_min_confidence_leaves_out_weaker_statements(seed_build, tmp_path):
    out = tmp_path / "strict"
    report = run_build([SEEDS], ROOT, out, min_confidence=0.8, html=False)
    assert report.validation.conforms
    g = Graph()
    g.parse(out / "graph.ttl", format="turtle")
    confidences = [float(c) for c in g.objects(None, AIKG.confidence)]
    assert confidences and min(confidences) >= 0.8
    assert report.counts.statements < seed_build[1].counts.statements
    # Every entity kept still has its provenance.
    for cls in ENTITY_CLASSES:
        for e in g.subjects(RDF.type, AIKG[cls]):
            assert (e, AIKG.mentionedIn, None) in g


def test_cli_rejects_a_confidence_outside_0_1(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "kg", "build", str(SEEDS), "-o", str(tmp_path / "o"),
                           "--min-confidence", "1.5"], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 2
    assert "--min-confidence" in proc.stderr
