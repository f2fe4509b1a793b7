"""The ready queries in queries/ run unchanged in any SPARQL store: each
declares every prefix it uses, so neither engine needs kg's predeclared ones."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.query.engine import load_graph, run_query

ROOT = Path(__file__).resolve().parents[2]
QUERIES = sorted((ROOT / "queries").glob("*.rq"))


@pytest.fixture(scope="module")
def stores(seed_build):
    out = seed_build[0]
    return {engine: load_graph(out / "graph.ttl", engine) for engine in ("oxigraph", "rdflib")}


def test_there_are_ready_queries():
    assert len(QUERIES) >= 16


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.name)
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_ready_query_needs_no_predeclared_prefix(stores, path, engine):
    text = path.read_text(encoding="utf-8")
    alone = run_query(text, stores[engine], prefixes={})
    assert alone == run_query(text, stores[engine])
