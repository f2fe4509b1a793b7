"""The benchmark's read-back check of the outputs (bench/run_bench.py)."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.run_bench import check_outputs  # noqa: E402


def test_outputs_of_the_seed_build_read_back_as_built(seed_build):
    out, report = seed_build
    check = check_outputs(out)
    assert check.ttl_triples == report.triples
    assert check.trig_triples == report.triples and check.trig_quads >= report.triples
    assert check.graphml_nodes > 0 and check.graphml_edges > 0
    assert not check.html_says_cut  # the seeds fit the node budget
    assert check.ok(report.triples)
    assert not check.ok(report.triples + 1)


def test_a_damaged_turtle_file_does_not_pass(seed_build, tmp_path):
    out, _ = seed_build
    for name in ("graph.ttl", "graph.trig", "graph.graphml", "graph.html"):
        shutil.copy(out / name, tmp_path / name)
    text = (tmp_path / "graph.ttl").read_text(encoding="utf-8")
    (tmp_path / "graph.ttl").write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(SyntaxError):
        check_outputs(tmp_path)
