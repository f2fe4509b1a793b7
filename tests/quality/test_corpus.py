"""The annotated corpus: every text has its manifest line and a gold file
that passes the annotation guide's checks, and the split is fixed by the id."""
from __future__ import annotations

import hashlib
import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

from kg.corpus import SPLITS, split_of

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
IDS = sorted(p.stem for p in (CORPUS / "texts").glob("*.txt"))


def _checker():
    spec = importlib.util.spec_from_file_location("check_gold", ROOT / "scripts" / "check_gold.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_corpus_is_large_enough_and_half_chinese():
    manifest = [json.loads(line) for line in (CORPUS / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [m["id"] for m in sorted(manifest, key=lambda m: m["id"])] == IDS
    assert len(IDS) >= 300
    languages = Counter(m["language"] for m in manifest)
    assert languages["zh"] >= 0.4 * len(IDS)
    for m in manifest:
        data = (CORPUS / "texts" / f"{m['id']}.txt").read_bytes()
        assert hashlib.sha256(data).hexdigest() == m["sha256"], m["id"]
        assert m["source"].startswith("http"), m["id"]


def test_every_text_has_a_gold_file_that_passes_the_checks():
    check = _checker()
    problems = {}
    for doc_id in IDS:
        gold = json.loads((CORPUS / "gold" / f"{doc_id}.json").read_text(encoding="utf-8"))
        assert gold["document"] == f"{doc_id}.txt"
        assert "review" in gold, f"{doc_id} has no second-pass review"
        found = check.problems(gold, check.read_text(CORPUS / "texts" / f"{doc_id}.txt"))
        if found:
            problems[doc_id] = found
    assert not problems


def test_the_checker_finds_a_quote_that_is_not_in_the_text():
    check = _checker()
    gold = {"entities": [{"names": ["Foo-1"], "types": ["Model"]}, {"names": ["Bar"], "types": ["Company"]}],
            "relations": [{"s": "Foo-1", "p": "developedBy", "o": "Bar", "evidence": "Bar made Foo-1"}]}
    assert check.problems(gold, "Bar released Foo-1.") == ["relations: Foo-1 developedBy Bar: evidence is not in the text: 'Bar made Foo-1'"]
    assert check.problems(gold, "Bar made Foo-1.") == []


def test_the_split_is_fixed_by_the_id():
    assert split_of("a01") == split_of("a01")
    counts = Counter(split_of(i) for i in IDS)
    assert set(counts) == set(SPLITS)
    assert counts["test"] >= 60
    # About 60/20/20: far from it would mean the hash is not spreading ids.
    assert 0.5 < counts["train"] / len(IDS) < 0.7


@pytest.mark.parametrize("doc_id, split", [("a01", split_of("a01")), ("zz-new", split_of("zz-new"))])
def test_adding_documents_moves_no_other(doc_id, split):
    # The split of an id depends on that id alone.
    assert split_of(doc_id) == split
    assert split_of(doc_id + "x") in SPLITS
