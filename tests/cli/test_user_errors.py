"""What users type by mistake gets a message that says what is wrong."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kg.cli.query import unknown_terms

ROOT = Path(__file__).resolve().parents[2]


def _kg(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_a_missing_query_file_is_named_as_missing(tmp_path):
    run = _kg("query", "nope.rq", "--graph", str(ROOT / "output" / "graph.ttl"), cwd=tmp_path)
    assert run.returncode == 2
    assert "query file not found: nope.rq" in run.stderr
    assert "syntax error" not in run.stderr


def test_an_empty_folder_says_no_documents_and_writes_nothing(tmp_path):
    empty = tmp_path / "emptydir"
    empty.mkdir()
    run = _kg("build", "emptydir", "-o", "out", cwd=tmp_path)
    assert run.returncode == 2
    assert "no documents found in emptydir" in run.stderr
    assert ".md" in run.stderr and ".txt" in run.stderr
    assert not (tmp_path / "out").exists()
    assert list(empty.iterdir()) == []


def test_a_misspelt_vocabulary_term_is_flagged_with_the_closest_one():
    (warning,) = unknown_terms("SELECT ?m WHERE { ?m a aikg:Modle }")
    assert "aikg:Modle is not in the vocabulary" in warning and "aikg:Model" in warning
    assert unknown_terms('SELECT ?m WHERE { ?m a aikg:Model ; rdfs:label "aikg:Nothing" } # aikg:Foo') == []
    # An IRI's "#" starts no comment: the term after it on the line is still read.
    assert len(unknown_terms("SELECT ?x WHERE { ?x a <https://w3id.org/aikg/ns#Model> ; aikg:Modle ?y }")) == 1


def test_the_warning_reaches_the_user(tmp_path):
    run = _kg("query", "SELECT ?m WHERE { ?m aikg:hasFeatures ?f }", "--graph", str(ROOT / "output" / "graph.ttl"),
              cwd=tmp_path)
    assert run.returncode == 0
    assert "warning: aikg:hasFeatures is not in the vocabulary (did you mean aikg:hasFeature?)" in run.stderr


def test_query_answers_with_oxigraph_by_default_and_says_so(tmp_path):
    graph = str(ROOT / "output" / "graph.ttl")
    query = str(ROOT / "queries" / "10_classes.rq")
    default = _kg("query", query, "--graph", graph, "--verbose", cwd=tmp_path)
    assert default.returncode == 0, default.stderr
    assert "answered by oxigraph in" in default.stderr
    other = _kg("query", query, "--graph", graph, "--engine", "rdflib", "-v", cwd=tmp_path)
    assert "answered by rdflib in" in other.stderr
    assert other.stdout == default.stdout
