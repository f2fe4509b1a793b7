"""Validation and exports side by side in forked processes (kg.parallel.forked_tasks)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import kg.build.pipeline
import kg.export.graphml
from kg.parallel.forked_tasks import can_fork, run_groups
from kg.build.pipeline import run_build

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"

needs_fork = pytest.mark.skipif(not can_fork(), reason="this platform cannot fork")


def _pid_task(tag: str):
    return lambda: (tag, os.getpid())


def test_each_group_runs_in_order_and_all_results_come_back():
    results = run_groups([[("a", _pid_task("a")), ("b", _pid_task("b"))], [("c", _pid_task("c"))]])
    assert sorted(results) == ["a", "b", "c"]
    assert all(results[name][0][0] == name and results[name][1] >= 0 for name in results)
    assert results["a"][0][1] == results["b"][0][1] == os.getpid()


@needs_fork
def test_the_second_group_runs_in_another_process():
    results = run_groups([[("a", _pid_task("a"))], [("c", _pid_task("c"))]])
    assert results["c"][0][1] != os.getpid()


def test_a_single_group_needs_no_child():
    assert run_groups([[("a", _pid_task("a"))]])["a"][0][1] == os.getpid()


def test_a_task_error_reaches_the_caller_with_its_own_type():
    def fails():
        raise KeyError("broken export")

    with pytest.raises(KeyError, match="broken export"):
        run_groups([[("a", _pid_task("a"))], [("b", fails)]])


@needs_fork
def test_a_child_that_dies_has_its_group_run_here():
    parent = os.getpid()

    def dies_in_a_child():
        if os.getpid() != parent:
            os._exit(9)  # as an out-of-memory kill would
        return "done here"

    results = run_groups([[("a", _pid_task("a"))], [("b", dies_in_a_child)]])
    assert results["b"][0] == "done here"


@needs_fork
def test_a_build_with_parallel_stages_writes_the_same_files(seed_build, tmp_path, monkeypatch):
    monkeypatch.setattr(kg.build.pipeline, "PARALLEL_STAGES_ABOVE", 0)
    report = run_build([SEEDS], ROOT, tmp_path / "out", jobs=2, use_cache=False)
    assert report.parallel_stages
    assert report.validation.conforms
    assert {"validate", "export ttl", "export graphml", "export trig", "export html", "changes"} <= set(
        report.stage_seconds)
    for name in ("graph.ttl", "graph.graphml", "graph.trig", "graph.html", "changes.json"):
        assert (tmp_path / "out" / name).read_bytes() == (seed_build[0] / name).read_bytes(), name


@pytest.mark.parametrize("jobs", [1, pytest.param(2, marks=needs_fork)])
def test_inference_beside_the_graph_writes_the_same_files(seed_build, tmp_path, monkeypatch, jobs):
    import kg.resolve.infer

    real, pids = kg.resolve.infer.infer_facts, tmp_path / "pids"

    def recorded(*args, **kwargs):
        with open(pids, "a", encoding="utf-8") as fh:  # a forked child's memory is not ours: a file is
            fh.write(f"{os.getpid()}\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(kg.resolve.infer, "infer_facts", recorded)
    monkeypatch.setattr(kg.build.pipeline, "PARALLEL_INFERENCE_ABOVE", 0)
    run_build([SEEDS], ROOT, tmp_path / "out", jobs=jobs, use_cache=False)
    ran_in = pids.read_text(encoding="utf-8").split()
    assert len(ran_in) == 1 and (ran_in[0] == str(os.getpid())) == (jobs == 1)
    for name in ("graph.ttl", "graph.graphml", "graph.trig", "graph.html", "changes.json"):
        assert (tmp_path / "out" / name).read_bytes() == (seed_build[0] / name).read_bytes(), name


def test_stages_are_split_into_groups_of_about_equal_work():
    from kg.build.pipeline import _stage_weights, split_stages

    _STAGE_WEIGHTS = _stage_weights(html=True)
    split = split_stages(list(_STAGE_WEIGHTS), _STAGE_WEIGHTS)
    assert sorted(n for group in split for n in group) == sorted(_STAGE_WEIGHTS)
    loads = [sum(_STAGE_WEIGHTS[n] for n in group) for group in split]
    assert max(loads) - min(loads) <= max(_STAGE_WEIGHTS.values())
    assert split_stages(["a", "b", "c", "d"], {"a": 5, "b": 4, "c": 3, "d": 2}) == [["a", "d"], ["b", "c"]]
    assert split_stages(["x"], {"x": 1}) == [["x"], []]
    # Longest first, each to the lighter group, would give 3 + 2 + 2 = 7 against 3 + 2.
    assert split_stages(list("abcde"), {"a": 3, "b": 3, "c": 2, "d": 2, "e": 2}) == [["a", "b"], ["c", "d", "e"]]


def test_one_job_keeps_every_stage_in_this_process(tmp_path, monkeypatch):
    monkeypatch.setattr(kg.build.pipeline, "PARALLEL_STAGES_ABOVE", 0)
    report = run_build([SEEDS], ROOT, tmp_path / "out", jobs=1, use_cache=False)
    assert not report.parallel_stages


@needs_fork
def test_an_export_failing_in_the_child_leaves_no_file_behind(seed_build, tmp_path, monkeypatch):
    out = tmp_path / "out"
    run_build([SEEDS], ROOT, out, jobs=1)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    monkeypatch.setattr(kg.build.pipeline, "PARALLEL_STAGES_ABOVE", 0)
    # The second heaviest stage goes to the child.
    weights = dict.fromkeys(kg.build.pipeline._stage_weights(html=True), 1.0) | {"export trig": 10.0, "export graphml": 9.0}
    monkeypatch.setattr(kg.build.pipeline, "_stage_weights", lambda html: weights)
    assert "export graphml" in kg.build.pipeline.split_stages(list(weights), weights)[1]

    def broken(_graph):
        raise RuntimeError("exporter crashed halfway")

    # The output registry imports each renderer when a build renders.
    monkeypatch.setattr(kg.export.graphml, "graphml_chunks", broken)
    with pytest.raises(RuntimeError, match="crashed halfway"):
        run_build([SEEDS], ROOT, out, jobs=2, keep_unchanged=False)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


@pytest.mark.parametrize("jobs", [1, pytest.param(2, marks=needs_fork)])
def test_a_graph_that_does_not_conform_replaces_no_file(tmp_path, monkeypatch, jobs):
    """The change index and changes.json are staged with the exports (in the
    child, with two jobs): a failed validation must leave all of them out."""
    from kg.build.pipeline import BuildError
    from kg.validate.shapes import ValidationReport

    out = tmp_path / "out"
    run_build([SEEDS], ROOT, out, jobs=1)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert {".kg-index.tsv", "changes.json"} <= set(before)
    monkeypatch.setattr(kg.build.pipeline, "PARALLEL_STAGES_ABOVE", 0)
    monkeypatch.setattr(kg.build.pipeline, "validate_graph", lambda _graph: ValidationReport(False, ()))
    with pytest.raises(BuildError, match="does not conform"):
        run_build([SEEDS], ROOT, out, jobs=jobs, keep_unchanged=False)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
