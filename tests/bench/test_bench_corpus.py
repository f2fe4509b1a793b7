"""The benchmark corpus generator: deterministic, mixed, with varied names."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.make_corpus import (
    company_name,
    doc_name,
    generate_document,
    make_corpus,
    seed_passages,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_NAMES = ("OpenAI", "ChatGPT", "Sora", "Michelle Pogras", "Brian John", "Olivier Godement")


@pytest.fixture(scope="module")
def passages():
    return seed_passages(SEEDS)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    return make_corpus(20, out, seed=0, seeds_dir=SEEDS)


def test_files_named_in_order(corpus):
    assert [p.name for p in corpus] == [f"doc_{i:06d}.txt" for i in range(20)]
    assert sorted(p.name for p in corpus[0].parent.iterdir()) == [p.name for p in corpus]


def test_same_seed_gives_identical_bytes(corpus, tmp_path):
    again = make_corpus(20, tmp_path, seed=0, seeds_dir=SEEDS)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in corpus]


def test_document_does_not_depend_on_corpus_size(corpus, tmp_path):
    # The runner's incremental check adds document N to a corpus of N.
    smaller = make_corpus(5, tmp_path, seed=0, seeds_dir=SEEDS)
    assert [p.read_bytes() for p in smaller] == [p.read_bytes() for p in corpus[:5]]


def test_different_seeds_differ(corpus, tmp_path):
    other = make_corpus(20, tmp_path, seed=1, seeds_dir=SEEDS)
    differing = sum(a.read_bytes() != b.read_bytes() for a, b in zip(corpus, other))
    assert differing == 20


def test_utf8_and_sizes_sane(corpus):
    sizes = [len(p.read_bytes()) for p in corpus]
    for p in corpus:
        text = p.read_bytes().decode("utf-8")  # raises if not UTF-8
        assert text.endswith("\n") and "\r" not in text
    assert all(1_000 <= s <= 20_000 for s in sizes), sizes
    assert 3_000 <= sum(sizes) / len(sizes) <= 7_500


def test_sizes_average_about_5kb_on_a_larger_sample(passages):
    sizes = [len(generate_document(i, passages).text.encode("utf-8")) for i in range(300)]
    assert 4_000 <= sum(sizes) / len(sizes) <= 6_000


def test_each_document_mixes_passages_from_several_seeds(passages):
    for i in range(20):
        doc = generate_document(i, passages)
        assert len({seed for seed, _ in doc.sources}) >= 2
        assert 4 <= len(doc.sources) <= 12
        assert len(set(doc.sources)) == len(doc.sources), "a passage used twice in one document"


def test_passage_text_is_in_the_written_file(corpus, passages):
    # Runs of text without Latin letters, digits or seed person names are never
    # rewritten: they must appear verbatim in the file, from at least two seeds,
    # proving the mix is in what was written and not only in the bookkeeping.
    by_key = {(p.seed, p.index): p for p in passages}
    unrewritten = re.compile(r"[A-Za-z0-9]+|奥特曼|凯文·韦尔")
    for i, path in enumerate(corpus):
        text = path.read_text(encoding="utf-8")
        doc = generate_document(i, passages)
        assert doc.text == text
        seeds_seen = set()
        for key in doc.sources:
            run = max(unrewritten.split(by_key[key].text), key=len)
            assert len(run) >= 8, key
            assert run in text, (path.name, key)
            seeds_seen.add(key[0])
        assert len(seeds_seen) >= 2, path.name


def test_all_seeds_contribute_across_the_corpus(passages):
    used = {seed for i in range(20) for seed, _ in generate_document(i, passages).sources}
    assert used == {p.name for p in SEEDS.iterdir() if p.suffix == ".txt"}


def test_seed_names_are_replaced_by_synthetic_ones(corpus, passages):
    companies = []
    for i, path in enumerate(corpus):
        text = path.read_text(encoding="utf-8")
        for name in SEED_NAMES:
            assert name not in text, (path.name, name)
        doc = generate_document(i, passages)
        assert doc.company in text
        companies.append(doc.company)
    assert len(set(companies)) > 5


def test_companies_recur_and_new_ones_keep_appearing(passages):
    companies = [generate_document(i, passages).company for i in range(400)]
    counts = {c: companies.count(c) for c in set(companies)}
    assert max(counts.values()) >= 20  # a big player covered again and again
    assert sum(1 for c in counts.values() if c == 1) >= 50  # and many seen once
    late_new = set(companies[300:]) - set(companies[:300])
    assert len(late_new) >= 20  # the vocabulary still grows late in the corpus


def test_name_generator_has_thousands_of_distinct_names():
    names = {company_name(i) for i in range(5000)}
    assert len(names) >= 4500


def test_model_names_keep_their_shape(corpus):
    text = "\n".join(p.read_text(encoding="utf-8") for p in corpus)
    # "<Capitalised>-<version>" models (GPT-4o rewritten) and o1/o3-style names.
    versioned = set(re.findall(r"\b[A-Z][a-z]+-\d+(?:\.\d+)?[a-z]*\b", text))
    reasoning = set(re.findall(r"(?<![A-Za-z0-9])[orqk]\d(?:-mini|-preview)?(?![A-Za-z0-9])", text))
    assert len(versioned) >= 5
    assert len(reasoning) >= 3


def test_header_has_title_and_date(corpus):
    for path in corpus:
        head = path.read_text(encoding="utf-8")[:800]
        assert re.search(r"^(?:title: |# )", head, re.M), path.name
        assert re.search(r"20\d\d-\d\d-\d\d", head), path.name


def test_doc_name():
    assert doc_name(123) == "doc_000123.txt"
