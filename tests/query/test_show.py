"""kg show: one entity by any of its names, with the passages behind every fact."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.query.engine import load_graph
from kg.query.show import NotFound, describe, find_entities, to_json, to_text

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def store(seed_build):
    return load_graph(seed_build[0] / "graph.ttl", "oxigraph")


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    from kg.load.documents import load_document

    return {f"seeds/{p.name}": load_document(p, ROOT, p.stem).text for p in sorted((ROOT / "seeds").glob("*.txt"))}


def test_an_entity_is_found_by_any_label_or_alias_in_either_language(store):
    assert find_entities(store, "Sam Altman") == find_entities(store, "奥特曼") == find_entities(store, "sam-altman")


def test_every_relation_and_figure_comes_with_its_exact_passage(store, texts):
    (iri,) = find_entities(store, "o3")
    view = describe(store, iri)
    assert view.classes == ["Model"]
    assert {("out", "developedBy", "OpenAI"), ("out", "successorOf", "o1"), ("in", "variantOf", "o3-mini")} <= {
        (s.direction, s.property, s.other_label) for s in view.statements}
    assert any(f.kind == "score" and f.what == "AIME" and f.value == "96.7" for f in view.figures)
    for passage in [s.passage for s in view.statements] + [f.passage for f in view.figures]:
        assert texts[passage.path][passage.start:passage.end] == passage.evidence


def test_a_price_is_shown_on_what_it_prices(store):
    (iri,) = find_entities(store, "ChatGPT Pro")
    view = describe(store, iri)
    assert any(f.kind == "price" and f.value == "200" and f.currency == "USD" for f in view.figures)


def test_a_name_that_matches_nothing_suggests_the_closest_labels(store):
    with pytest.raises(NotFound) as caught:
        find_entities(store, "o33")
    assert "o3" in caught.value.suggestions


def test_text_and_json_say_the_same(store):
    views = [describe(store, iri) for iri in find_entities(store, "o3")]
    data = json.loads(to_json(views))
    assert data[0]["iri"] == views[0].iri
    assert len(data[0]["statements"]) == len(views[0].statements)
    text = to_text(views)
    assert "successorOf → o1" in text and "← variantOf o3-mini" in text


def test_the_command(seed_build, tmp_path):
    graph = str(seed_build[0] / "graph.ttl")
    run = [sys.executable, "-m", "kg", "show"]
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    ok = subprocess.run(run + ["奥特曼", "--graph", graph, "--format", "json"], capture_output=True, text=True,
                        cwd=tmp_path, env=env)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)[0]["iri"].endswith("/person/sam-altman")
    missing = subprocess.run(run + ["o33", "--graph", graph], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert missing.returncode == 2
    assert "no entity is named 'o33'; did you mean o3" in missing.stderr
