"""The benchmark's read-back check of the outputs (bench/run_bench.py)."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.run_bench import (BuildRun, IncrementalResult, check_outputs, incremental_rows,  # noqa: E402
                             load_and_extract_seconds)


def test_outputs_of_the_seed_build_read_back_as_built(seed_build):
    out, report = seed_build
    check = check_outputs(out)
    assert check.ttl_triples == report.counts.triples
    assert check.trig_triples == report.counts.triples and check.trig_quads >= report.counts.triples
    assert check.graphml_nodes > 0 and check.graphml_edges > 0
    assert not check.html_says_cut  # the seeds fit the node budget
    assert check.ok(report.counts.triples)
    assert not check.ok(report.counts.triples + 1)


def test_a_damaged_turtle_file_does_not_pass(seed_build, tmp_path):
    out, _ = seed_build
    for name in ("graph.ttl", "graph.trig", "graph.graphml", "graph.html"):
        shutil.copy(out / name, tmp_path / name)
    text = (tmp_path / "graph.ttl").read_text(encoding="utf-8")
    (tmp_path / "graph.ttl").write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(SyntaxError):
        check_outputs(tmp_path)


def _run(label: str, wall: float, stages: dict[str, float]) -> BuildRun:
    stats = {"total_seconds": sum(stages.values()), "stages": [{"name": k, "seconds": v} for k, v in stages.items()]}
    return BuildRun(label, 0, wall, 1.0, stats, Path("out"), Path("log"))


def test_incremental_rows_show_each_rebuild_against_the_full_build():
    full = _run("full", 10.0, {"load": 1.0, "extract": 4.0, "resolve": 2.0})
    add = _run("add", 5.0, {"load": 0.25, "extract": 0.5, "resolve": 2.0})
    same = _run("same", 1.0, {"load": 0.5, "write": 0.01})
    assert load_and_extract_seconds(add) == 0.75 and load_and_extract_seconds(same) == 0.5
    assert load_and_extract_seconds(_run("none", 1.0, {})) is None
    rows = incremental_rows(IncrementalResult(1000, full, add=add, unchanged=same))
    assert [r[0] for r in rows] == ["full build, cold cache", "add 1 document", "nothing changed"]
    assert [r[2] for r in rows] == ["100.0%", "50.0%", "10.0%"]
    assert rows[1][4] == "0.750"
