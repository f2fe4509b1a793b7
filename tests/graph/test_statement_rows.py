"""Statement rows (kg.graph.statements) stand for rdf:Statement nodes: every stage
that reads them must give what it gives for the same graph held all in rdflib."""
from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from rdflib import Namespace, URIRef
from rdflib.namespace import RDF

from kg.build.changes import graph_index
from kg.export.graphml import render_graphml
from kg.export.html import render_html
from kg.export.nquads import render_nquads
from kg.export.trig import render_trig
from kg.export.turtle import serialize_turtle
from kg.graph.statements import TRIPLES_PER_STATEMENT, BuiltGraph, as_built, unique_rows
from kg.validate.shapes import validate_graph
from kg.vocab import AIKG

from conftest import ROOT, SEEDS

from kg.namespaces import AIKG_NS  # noqa: E402

#: Terms in our namespace that the vocabulary does not declare, as foreign
#: data could hold them (the closed ``AIKG`` refuses to make them).
OUTSIDE = Namespace(AIKG_NS)


@pytest.fixture(scope="module")
def seed_built() -> BuiltGraph:
    from kg.load.inputs import discover_inputs
    from kg.load.documents import load_documents
    from kg.build.pipeline import extract_documents, graph_from_extractions

    paths, _ = discover_inputs([SEEDS], ROOT)
    docs, _ = load_documents(paths, ROOT)
    kept, extractions, failed, _ = extract_documents(docs)
    assert not failed
    return graph_from_extractions(kept, extractions)


@pytest.fixture(scope="module")
def seed_rdflib(seed_built):
    return seed_built.to_rdflib()


def test_rows_are_sorted_unique_and_apart_from_the_rdflib_part(seed_built):
    nodes = [row.node for row in seed_built.statements]
    assert nodes and nodes == sorted(set(nodes))
    assert not set(nodes) & set(seed_built.graph.subjects())
    assert (None, RDF.type, RDF.Statement) not in seed_built.graph


def test_length_counts_every_triple(seed_built, seed_rdflib):
    assert len(seed_built) == len(seed_rdflib)
    assert len(seed_rdflib) == len(seed_built.graph) + TRIPLES_PER_STATEMENT * len(seed_built.statements)
    assert len(set(seed_rdflib.subjects(RDF.type, RDF.Statement))) == len(seed_built.statements)


@pytest.mark.parametrize("render", [
    serialize_turtle,
    lambda g: render_trig(g)[0],
    lambda g: render_graphml(g)[0],
    lambda g: render_html(g)[0],
    lambda g: render_nquads(g)[0],
    graph_index,
], ids=["turtle", "trig", "graphml", "html", "nquads", "change-index"])
def test_rows_export_as_the_rdflib_graph_does(seed_built, seed_rdflib, render):
    assert render(seed_built) == render(seed_rdflib)


@pytest.mark.parametrize("native", [True, False])
def test_rows_validate_as_the_rdflib_graph_does(seed_built, seed_rdflib, native):
    by_rows = validate_graph(seed_built, native=native)
    by_rdflib = validate_graph(seed_rdflib, native=native)
    assert by_rows.conforms
    assert by_rows == by_rdflib


def _broken(built: BuiltGraph, **changes) -> BuiltGraph:
    rows = list(built.statements)
    rows[7] = dataclasses.replace(rows[7], **changes)
    return BuiltGraph(built.graph, rows)


@pytest.mark.parametrize("changes", [
    {"confidence": Decimal("1.5")},
    {"extractor": "no version"},
    {"end": 0, "start": 0},
    {"start": -1},
    {"document": OUTSIDE.Nowhere},
    {"predicate": OUTSIDE.likes},
    {"subject": URIRef("https://example.org/not-asserted")},
    {"evidence": ""},
], ids=["confidence", "extractor", "empty-span", "negative-start", "source", "predicate", "unasserted",
        "empty-evidence"])
def test_a_broken_row_is_reported_as_pyshacl_reports_its_node(seed_built, changes):
    broken = _broken(seed_built, **changes)
    by_rows = validate_graph(broken, native=True)
    by_pyshacl = validate_graph(broken.to_rdflib(), native=False)
    assert not by_rows.conforms
    assert by_rows.violations == by_pyshacl.violations
    assert str(broken.statements[7].node) in by_rows.offending_nodes()


def test_the_same_bad_value_in_many_rows_is_reported_for_each(seed_built):
    """The native check evaluates each distinct value once; every row holding it is still named."""
    rows = list(seed_built.statements)
    for i in (3, 7, 11):
        rows[i] = dataclasses.replace(rows[i], extractor="no version", confidence=Decimal("1.50"))
    broken = BuiltGraph(seed_built.graph, rows)
    by_rows = validate_graph(broken, native=True)
    by_pyshacl = validate_graph(broken.to_rdflib(), native=False)
    assert by_rows.violations == by_pyshacl.violations
    assert {str(rows[i].node) for i in (3, 7, 11)} == set(by_rows.offending_nodes())
    assert len(by_rows.violations) == 6


def test_row_terms_are_the_row_values(seed_built):
    from kg.graph.statements import ROW_FIELDS, LiteralMemo, row_term

    literals = LiteralMemo()
    for row in seed_built.statements[:200]:
        terms = tuple(row_term(i, getattr(row, field) if field else RDF.Statement, literals)
                      for i, field in enumerate(ROW_FIELDS))
        assert terms == row.values(literals)


def test_two_readings_of_one_passage_keep_the_most_confident(seed_built):
    row = seed_built.statements[0]
    weaker = dataclasses.replace(row, confidence=row.confidence - Decimal("0.1"), extractor="other@1")
    assert unique_rows([weaker, row]) == [row]
    assert unique_rows([row, weaker]) == [row]


def test_a_plain_rdflib_graph_keeps_its_statements(seed_rdflib):
    built = as_built(seed_rdflib)
    assert built.graph is seed_rdflib and not built.statements
    assert built.to_rdflib() is seed_rdflib


@pytest.mark.parametrize("lines_per_chunk", [1, 2, 7, 1000])
def test_turtle_in_pieces_joins_to_the_whole_text(seed_built, lines_per_chunk):
    from kg.export.turtle import turtle_chunks

    pieces = list(turtle_chunks(seed_built, lines_per_chunk=lines_per_chunk))
    assert "".join(pieces) == serialize_turtle(seed_built)
    assert lines_per_chunk > 100 or len(pieces) > 1


def test_trig_in_pieces_joins_to_the_whole_text_and_counts_quads(seed_built):
    from kg.export.trig import trig_chunks

    quads: list[int] = []
    pieces = list(trig_chunks(seed_built, quads))
    text, count = render_trig(seed_built)
    assert "".join(pieces) == text and len(pieces) > 1
    assert quads == [count] and count >= len(seed_built)


@pytest.mark.parametrize("value", [0, 7, 4794, -3, 10**15])
def test_offsets_are_written_as_both_writers_write_an_integer_literal(value):
    """The row writers print offsets with ``integer_text``, not through a literal."""
    from rdflib import Literal
    from rdflib.namespace import XSD

    from kg.export.turtle import TermWriter
    from kg.rdf_syntax import term_from_rdflib, turtle_term
    from kg.graph.statements import integer_text
    from kg.vocab import PREFIXES

    literal = Literal(value, datatype=XSD.integer)
    assert integer_text(value) == TermWriter(dict(PREFIXES)).literal(literal)
    assert integer_text(value) == turtle_term(term_from_rdflib(literal), PREFIXES)
