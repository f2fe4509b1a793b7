"""Shared fixtures: one build of the seeds per test session (it takes a few
seconds), reused by every test that only reads its outputs."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = Path(__file__).resolve().parent / "fixtures" / "gold"


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """(output folder, BuildReport) of a build of seeds/ with default options."""
    from kg.build.pipeline import run_build

    out = tmp_path_factory.mktemp("seed-build")
    report = run_build([SEEDS], ROOT, out)
    return out, report


@pytest.fixture(scope="session")
def seed_graph(seed_build):
    """The seeds' graph.ttl parsed with rdflib."""
    from rdflib import Graph

    g = Graph()
    g.parse(seed_build[0] / "graph.ttl", format="turtle")
    return g


@pytest.fixture(scope="session")
def seed_texts(seed_build):
    """Normalised text of each seed, keyed by its aikg:path."""
    return {d.path: d.text for d in seed_build[1].documents}


def load_query_fixture():
    """tests/fixtures/query_graph.py as a module: the contract-shaped graph
    the query, endpoint and TriG tests share (fixtures/ is no package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("query_graph_fixture",
                                                  Path(__file__).resolve().parent / "fixtures" / "query_graph.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
