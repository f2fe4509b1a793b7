"""Parallel, incremental and sharded builds give the same graph as one plain build.

Speed is measured by bench/run_bench.py, never here; these tests check what
must hold whatever the speed: byte-identical outputs for any --jobs, a cache
that re-extracts only what changed, changes.json, and shard + merge.
"""
from __future__ import annotations

import json
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph
from rdflib.namespace import PROV, RDF

from kg.lexicon_index import LexiconIndex
from kg.build.cache import LEXICON_ENTRY, ExtractionCache, extractor_fingerprint
from kg.models import DocumentExtraction
from kg.build.pipeline import BuildError, run_build
from kg.build.shards import run_merge, run_shard
from kg.vocab import AIKG

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
GRAPH_FILES = ("graph.ttl", "graph.graphml", "graph.trig", "graph.html")


def _copy_seeds(dest: Path, names: list[str] | None = None) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for path in sorted(SEEDS.glob("*.txt")):
        if names is None or path.name[:3] in names:
            shutil.copy(path, dest / path.name)
    return dest


def _same_graph_files(a: Path, b: Path) -> None:
    for name in GRAPH_FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def _changes(out: Path) -> dict:
    return json.loads((out / "changes.json").read_text(encoding="utf-8"))


def _statement_sources(graph: Graph) -> dict[tuple, set[str]]:
    """(subject, predicate, object) of each reified statement → the documents stating it."""
    out: dict[tuple, set[str]] = {}
    for st in graph.subjects(RDF.type, RDF.Statement):
        key = tuple(graph.value(st, p) for p in (RDF.subject, RDF.predicate, RDF.object))
        out.setdefault(key, set()).add(str(graph.value(st, PROV.wasDerivedFrom)))
    return out


def test_output_is_identical_for_any_number_of_jobs(seed_build, tmp_path):
    report = run_build([SEEDS], ROOT, tmp_path / "j1", jobs=1, use_cache=False)
    assert report.extract_stats.jobs == 1 and report.extract_stats.extracted == 5
    report = run_build([SEEDS], ROOT, tmp_path / "j3", jobs=3, use_cache=False)
    assert report.extract_stats.jobs == 3
    _same_graph_files(tmp_path / "j1", tmp_path / "j3")
    _same_graph_files(tmp_path / "j1", seed_build[0])
    assert (tmp_path / "j1" / "changes.json").read_bytes() == (tmp_path / "j3" / "changes.json").read_bytes()


def test_adding_a_document_extracts_only_that_document(tmp_path):
    corpus = _copy_seeds(tmp_path / "in", ["000", "001", "002", "003"])
    out = tmp_path / "out"
    first = run_build([corpus], tmp_path, out, jobs=2)
    assert (first.extract_stats.extracted, first.extract_stats.cached) == (4, 0)
    assert _changes(out)["previous_build"] is False
    assert _changes(out)["summary"]["statements"]["added"] == _changes(out)["summary"]["statements"]["total"]

    again = run_build([corpus], tmp_path, out, jobs=2, keep_unchanged=False)
    assert (again.extract_stats.extracted, again.extract_stats.cached) == (0, 4)
    unchanged = _changes(out)
    assert unchanged["previous_build"] is True
    assert unchanged["entities"] == {"added": [], "removed": []}
    assert unchanged["statements"] == {"added": [], "removed": []}

    _copy_seeds(corpus, ["004"])
    grown = run_build([corpus], tmp_path, out, jobs=2)
    assert (grown.extract_stats.extracted, grown.extract_stats.cached) == (1, 4)
    changes = _changes(out)
    added = changes["statements"]["added"]
    assert added and changes["summary"]["statements"]["added"] == len(added)
    new_doc = "https://w3id.org/aikg/id/doc/004_0f2d7bf6da736e97"
    assert {s["document"] for s in added} == {new_doc}
    # The cached build is the build a fresh run without cache makes.
    run_build([corpus], tmp_path, tmp_path / "fresh", use_cache=False)
    _same_graph_files(out, tmp_path / "fresh")


def test_removing_a_document_removes_only_what_it_alone_supported(tmp_path):
    corpus = _copy_seeds(tmp_path / "in")
    out = tmp_path / "out"
    run_build([corpus], tmp_path, out)
    before = Graph().parse(out / "graph.ttl")
    gone = "https://w3id.org/aikg/id/doc/001_dbb4ad8a9bd4544b"
    (corpus / "001_dbb4ad8a9bd4544b.txt").unlink()
    report = run_build([corpus], tmp_path, out)
    assert report.extract_stats.extracted == 0 and report.extract_stats.cached == 4
    after = Graph().parse(out / "graph.ttl")
    run_build([corpus], tmp_path, tmp_path / "fresh", use_cache=False)
    _same_graph_files(out, tmp_path / "fresh")

    changes = _changes(out)
    removed = changes["statements"]["removed"]
    assert removed and {s["document"] for s in removed} >= {gone}
    assert not changes["statements"]["added"] or all(s["document"] != gone for s in changes["statements"]["added"])
    assert not any(str(d) == gone for d in after.subjects(RDF.type, AIKG.Document))
    assert not any(str(d) == gone for d in after.objects(None, PROV.wasDerivedFrom))
    # A fact that another document also stated stays, with its remaining sources.
    kept_sources = _statement_sources(after)
    shared = {k: v for k, v in _statement_sources(before).items() if gone in v and len(v) > 1}
    assert shared, "the seeds share facts between documents"
    still_there = [k for k in shared if k in kept_sources]
    assert len(still_there) >= len(shared) // 2
    for key in still_there:
        assert kept_sources[key] == shared[key] - {gone}
        assert key in after  # the plain triple too
    # Facts only the removed document stated are gone.
    only_gone = [k for k, v in _statement_sources(before).items() if v == {gone}]
    assert only_gone and not any(k in kept_sources for k in only_gone)


def test_cache_misses_on_another_extractor_or_a_damaged_entry(tmp_path):
    cache_root = tmp_path / "cache"
    stale = cache_root / ("0" * len(extractor_fingerprint()))
    stale.mkdir(parents=True)
    (stale / "old.pkl").write_bytes(b"old")
    corpus = _copy_seeds(tmp_path / "in", ["004"])
    run_build([corpus], tmp_path, tmp_path / "out", cache_dir=cache_root)
    assert not stale.exists()
    folder = cache_root / extractor_fingerprint()
    entries = [e for e in folder.rglob("*.pkl")
               if "documents" not in e.relative_to(folder).parts and e.name != LEXICON_ENTRY]
    assert len(entries) == 1
    entries[0].write_bytes(b"not a pickle")
    lexicon_entry = folder / LEXICON_ENTRY
    assert isinstance(pickle.loads(lexicon_entry.read_bytes()), LexiconIndex)
    first = (tmp_path / "out" / "graph.ttl").read_bytes()
    lexicon_entry.write_bytes(pickle.dumps({"not": "an index"}))
    report = run_build([corpus], tmp_path, tmp_path / "out", cache_dir=cache_root, keep_unchanged=False)
    assert report.extract_stats.extracted == 1 and report.extract_stats.cached == 0
    assert isinstance(pickle.loads(entries[0].read_bytes()), DocumentExtraction)  # rewritten whole
    assert isinstance(pickle.loads(lexicon_entry.read_bytes()), LexiconIndex)  # rebuilt, not trusted
    assert (tmp_path / "out" / "graph.ttl").read_bytes() == first


def test_unchanged_files_are_not_analysed_again(tmp_path, monkeypatch):
    import kg.load.documents

    corpus = _copy_seeds(tmp_path / "in", ["000", "001", "004"])
    # A GB18030 file: its decoding warning must come back from the cache too.
    gb = corpus / "gb.txt"
    gb.write_bytes((SEEDS / "001_dbb4ad8a9bd4544b.txt").read_text(encoding="utf-8").encode("gb18030"))
    out = tmp_path / "out"
    first = run_build([corpus], tmp_path, out)
    analysed: list[str] = []
    real = kg.load.documents._analyse

    def counting(data, shown, doc_id):
        analysed.append(shown)
        return real(data, shown, doc_id)

    monkeypatch.setattr(kg.load.documents, "_analyse", counting)
    again = run_build([corpus], tmp_path, out)
    assert analysed == []
    assert again.documents == first.documents
    assert any("GB18030" in w for d in again.documents for w in d.warnings)

    changed = corpus / "004_0f2d7bf6da736e97.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nOpenAI released GPT-9 today.\n", encoding="utf-8")
    (corpus / "000_6488b7824c9f93ac.txt").rename(corpus / "moved.txt")  # new path, new id: analysed again
    grown = run_build([corpus], tmp_path, out)
    assert sorted(analysed) == ["in/004_0f2d7bf6da736e97.txt", "in/moved.txt"]
    assert "GPT-9" in next(d.text for d in grown.documents if d.path.endswith("004_0f2d7bf6da736e97.txt"))
    monkeypatch.undo()
    run_build([corpus], tmp_path, tmp_path / "fresh", use_cache=False)
    _same_graph_files(out, tmp_path / "fresh")


def test_a_damaged_document_entry_is_loaded_again(tmp_path):
    corpus = _copy_seeds(tmp_path / "in", ["004"])
    cache_root = tmp_path / "cache"
    first = run_build([corpus], tmp_path, tmp_path / "out", cache_dir=cache_root)
    entries = list((cache_root / extractor_fingerprint() / "documents").rglob("*.pkl"))
    assert len(entries) == 1
    entries[0].write_bytes(b"not a pickle")
    again = run_build([corpus], tmp_path, tmp_path / "out", cache_dir=cache_root)
    assert again.documents == first.documents
    assert pickle.loads(entries[0].read_bytes()) == first.documents[0]  # rewritten whole


def test_same_text_under_two_names_keeps_each_documents_id(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    text = (SEEDS / "004_0f2d7bf6da736e97.txt").read_bytes()
    (corpus / "a.txt").write_bytes(text)
    (corpus / "b.txt").write_bytes(text)
    cache = ExtractionCache.open(tmp_path / "cache")
    run_build([corpus], tmp_path, tmp_path / "out", cache_dir=cache.root)
    report = run_build([corpus], tmp_path, tmp_path / "out", cache_dir=cache.root, keep_unchanged=False)
    assert report.extract_stats.cached == 2
    g = Graph().parse(tmp_path / "out" / "graph.ttl")
    sources = {str(d).rsplit("/", 1)[-1] for d in g.objects(None, PROV.wasDerivedFrom)}
    assert sources == {"a", "b"}


@pytest.mark.parametrize("count", [2, 3, 7])
def test_shards_merge_into_the_single_build(seed_build, tmp_path, count):
    shard_dirs = []
    for index in range(1, count + 1):
        folder = tmp_path / f"shard{index}"
        result = run_shard([SEEDS], ROOT, folder, (index, count), jobs=1)
        shard_dirs.append(folder)
        manifest = json.loads((folder / "shard.json").read_text(encoding="utf-8"))
        assert manifest["shard"] == [index, count]
        # The shard's facts load as N-Quads, one named graph per document.
        store = pyoxigraph.Store()
        if result.quads:
            store.load(path=str(folder / "facts.nq"), format=pyoxigraph.RdfFormat.N_QUADS)
            names = {str(g.value) for g in store.named_graphs()}
            assert names == {f"https://w3id.org/aikg/id/doc/{d['doc_id']}" for d in manifest["documents"]}
        assert len(store) == result.quads
    assert sum(len(json.loads((d / "shard.json").read_text())["documents"]) for d in shard_dirs) == 5
    # Merge order does not matter.
    run_merge(list(reversed(shard_dirs)), tmp_path / "merged")
    _same_graph_files(tmp_path / "merged", seed_build[0])


def test_merge_refuses_an_incomplete_or_mixed_set(tmp_path):
    for index in (1, 2):
        run_shard([SEEDS], ROOT, tmp_path / f"s{index}", (index, 3), jobs=1)
    with pytest.raises(BuildError, match=r"3/3 missing"):
        run_merge([tmp_path / "s1", tmp_path / "s2"], tmp_path / "out")
    with pytest.raises(BuildError, match="both slice 1/3"):
        run_merge([tmp_path / "s1", tmp_path / "s1"], tmp_path / "out")
    (tmp_path / "empty").mkdir()
    with pytest.raises(BuildError, match="not a shard folder"):
        run_merge([tmp_path / "empty"], tmp_path / "out")
    run_shard([SEEDS], ROOT, tmp_path / "t1", (1, 2), jobs=1)
    with pytest.raises(BuildError, match="different splits"):
        run_merge([tmp_path / "s1", tmp_path / "t1"], tmp_path / "out")
    assert not (tmp_path / "out" / "graph.ttl").exists()


def _kg(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600)


def test_cli_shard_merge_and_stats(tmp_path):
    corpus = _copy_seeds(tmp_path / "in", ["000", "004"])
    for index in (1, 2):
        r = _kg("build", "in", "--shard", f"{index}/2", "-o", f"s{index}", "-q", cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        assert f"shard {index}/2" in r.stdout
    r = _kg("merge", "s1", "s2", "-o", "merged", "-q", "--stats-json", "m.json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    r = _kg("build", "in", "-o", "single", "-q", "--jobs", "2", "--stats-json", "b.json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    _same_graph_files(tmp_path / "merged", tmp_path / "single")
    stats = json.loads((tmp_path / "b.json").read_text())
    assert stats["documents"] == 2 and stats["jobs"] == 2 and stats["triples"] > 0
    assert 0 < stats["source_bytes"] <= sum(p.stat().st_size for p in corpus.iterdir())
    names = [s["name"] for s in stats["stages"]]
    assert names[:2] == ["load", "extract"] and "validate" in names and "export ttl" in names
    assert all(s["peak_rss_mb"] > 0 for s in stats["stages"])
    assert stats["unchanged"] is False
    # Built again with nothing changed: the files are kept, and the stats say so.
    r = _kg("build", "in", "-o", "single", "-q", "--jobs", "2", "--stats-json", "again.json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    again = json.loads((tmp_path / "again.json").read_text())
    assert again["unchanged"] is True and [s["name"] for s in again["stages"]] == ["load", "write"]


@pytest.mark.parametrize("args, message", [
    (["build", "--jobs", "0"], "--jobs must be 1 or more"),
    (["build", "--shard", "3/2"], "I must be between 1 and N"),
    (["build", "--shard", "x"], "--shard wants I/N"),
    (["merge", "nowhere"], "not a shard folder"),
])
def test_cli_rejects_bad_scale_options(tmp_path, args, message):
    _copy_seeds(tmp_path / "seeds", ["004"])
    r = _kg(*args, cwd=tmp_path)
    assert r.returncode == 2
    assert message in r.stderr
