"""A rebuild with nothing changed keeps the files it would write again (kg.build.state)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.build.state import STATE_NAME, read_state
from kg.build.changes import INDEX_NAME, read_index, render_changes, unchanged_changes
from kg.build.pipeline import run_build

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
GRAPH_FILES = ("graph.ttl", "graph.graphml", "graph.trig", "graph.html", INDEX_NAME)


def _corpus(dest: Path, prefixes: tuple[str, ...] = ("004",)) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for path in sorted(SEEDS.glob("*.txt")):
        if path.name[:3] in prefixes:
            shutil.copy(path, dest / path.name)
    return dest


def _stamps(out: Path) -> dict[str, tuple[bytes, int]]:
    return {name: ((out / name).read_bytes(), (out / name).stat().st_mtime_ns) for name in GRAPH_FILES}


@pytest.fixture
def built(tmp_path):
    corpus = _corpus(tmp_path / "in")
    out = tmp_path / "out"
    first = run_build([corpus], tmp_path, out, jobs=1)
    assert not first.unchanged and first.extract_stats.extracted == 1
    return corpus, out, first


def test_a_rebuild_with_nothing_changed_keeps_the_files(built, tmp_path):
    corpus, out, first = built
    before = _stamps(out)
    again = run_build([corpus], tmp_path, out, jobs=1)
    assert again.unchanged and again.extract_stats is None
    assert _stamps(out) == before  # not rewritten: same bytes, same times
    # What the report says is what the build that wrote the files said.
    for field in ("counts", "validation", "documents", "skipped"):
        assert getattr(again, field) == getattr(first, field), field
    assert {k: v for k, v in again.files.items() if k != "changes.json"} == \
        {k: v for k, v in first.files.items() if k != "changes.json"}
    index = read_index(out / INDEX_NAME)
    assert (out / "changes.json").read_bytes() == render_changes(index, index)
    # A third build is kept too: the state follows the rewritten changes.json.
    assert run_build([corpus], tmp_path, out, jobs=1).unchanged
    assert read_state(out).outputs["changes.json"][0] == (out / "changes.json").stat().st_size


def test_unchanged_changes_is_the_diff_of_an_index_with_itself(built):
    _corpus_dir, out, _first = built
    index = read_index(out / INDEX_NAME)
    assert index.entities and index.statements
    assert unchanged_changes(len(index.entities), len(index.statements)) == render_changes(index, index)


@pytest.mark.parametrize("change", ["document", "added", "option", "touched output", "deleted output",
                                    "damaged state", "no cache", "forced"])
def test_anything_that_changes_the_files_builds_again(built, tmp_path, change):
    corpus, out, first = built
    options: dict = {}
    if change == "document":
        path = next(corpus.iterdir())
        path.write_text(path.read_text(encoding="utf-8") + "\nOpenAI released GPT-9 today.\n", encoding="utf-8")
    elif change == "added":
        _corpus(corpus, ("001",))
    elif change == "option":
        options["min_confidence"] = 0.5
    elif change == "touched output":
        ttl = out / "graph.ttl"
        ttl.write_bytes(ttl.read_bytes())  # same bytes, but written after the build
        os.utime(ttl, ns=(ttl.stat().st_atime_ns, ttl.stat().st_mtime_ns + 1_000_000_000))
    elif change == "deleted output":
        (out / "graph.graphml").unlink()
    elif change == "damaged state":
        (out / STATE_NAME).write_text("{not json", encoding="utf-8")
    elif change == "no cache":
        options["use_cache"] = False
    elif change == "forced":
        options["keep_unchanged"] = False
    again = run_build([corpus], tmp_path, out, jobs=1, **options)
    assert not again.unchanged
    assert again.extract_stats is not None
    assert (out / "graph.graphml").is_file()
    if change in ("touched output", "deleted output", "damaged state", "no cache", "forced"):
        # Built again from the same inputs: the same files.
        fresh = tmp_path / "fresh"
        run_build([corpus], tmp_path, fresh, jobs=1, use_cache=False)
        for name in GRAPH_FILES:
            assert (out / name).read_bytes() == (fresh / name).read_bytes(), name


def test_html_off_then_on_builds_the_view(built, tmp_path):
    corpus, out, _first = built
    (out / "graph.html").unlink()
    off = run_build([corpus], tmp_path, out, jobs=1, html=False)
    assert not off.unchanged and not (out / "graph.html").exists()
    assert run_build([corpus], tmp_path, out, jobs=1, html=False).unchanged
    on = run_build([corpus], tmp_path, out, jobs=1)
    assert not on.unchanged and (out / "graph.html").is_file()


def test_the_command_line_says_the_files_were_kept(tmp_path):
    corpus = _corpus(tmp_path / "in")
    cmd = [sys.executable, "-m", "kg", "build", str(corpus), "-o", str(tmp_path / "out"), "--root", str(tmp_path)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "nothing changed" not in first.stdout and "files written:" in first.stdout
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "nothing changed since the build that wrote these files" in again.stdout
    assert "files kept:" in again.stdout
    # The counts printed are the first build's.
    counts = [line for line in first.stdout.splitlines() if line.startswith(("triples:", "statements:", "  "))
              and "bytes" not in line]
    assert counts and all(line in again.stdout.splitlines() for line in counts)
    assert json.loads((tmp_path / "out" / "changes.json").read_text(encoding="utf-8"))["summary"]["entities"][
        "added"] == 0
