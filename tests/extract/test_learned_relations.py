"""The relation model: its candidates, its features, the model file and the
component, and the recipe that regenerates the committed file byte for byte."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract.context import ExtractionContext
from kg.extract.learned.candidates import candidate_pairs
from kg.extract.learned.features import pair_features, tokens
from kg.extract.learned.model import MODEL_FILE, NONE, LinearModel, load_model
from kg.extract.learned.relations import best_relation, find_learned_relations
from kg.extract.mentions.find import find_mentions
from kg.extract.relations.common import MentionIndex
from kg.lexicon import load_lexicon
from kg.lexicon_index import LexiconIndex
from kg.models import Document, Span

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def lexicon() -> LexiconIndex:
    return LexiconIndex(load_lexicon())


def _context(text: str, lexicon: LexiconIndex) -> tuple[ExtractionContext, MentionIndex]:
    doc = Document("t", "t.md", text, "0" * 64, prose=(Span(0, len(text)),))
    ctx = ExtractionContext(doc, lexicon)
    return ctx, MentionIndex(ctx, find_mentions(ctx))


def test_tokens_read_latin_words_chinese_pairs_and_clause_marks():
    assert tokens("Built by 谷歌发布, now") == ["built", "by", "谷歌", "歌发", "发布", ",", "now"]
    assert tokens("和") == ["和"]


def test_candidates_pair_mentions_of_one_sentence_both_ways(lexicon):
    ctx, index = _context("OpenAI released GPT-4o in May.", lexicon)
    pairs = {(c.subject.surface, c.object.surface) for c in candidate_pairs(ctx, index)}
    assert ("GPT-4o", "OpenAI") in pairs  # Model → Company (developedBy)
    assert ("OpenAI", "GPT-4o") in pairs  # Company ↔ Model (competesWith)


def test_a_list_item_is_paired_with_the_line_that_leads_into_it(lexicon):
    text = "GPT-4o supports the following:\n- function calling\n"
    ctx, index = _context(text, lexicon)
    heading_pairs = [(c.subject.surface, c.object.surface) for c in candidate_pairs(ctx, index) if c.heading]
    if not any(m.etype == "Feature" for m in index.mentions):
        pytest.fail(f"no feature mention in {[(m.surface, m.etype) for m in index.mentions]}")
    assert ("GPT-4o", "function calling") in heading_pairs


def test_features_say_classes_order_distance_and_words_between(lexicon):
    ctx, index = _context("GPT-4o was developed by OpenAI.", lexicon)
    (cand,) = [c for c in candidate_pairs(ctx, index) if c.subject.surface == "GPT-4o"]
    feats = pair_features(ctx.doc.text, cand)
    assert feats["types=Model>Company"] == 1.0
    assert "order=so|Model>Company" in feats
    assert {"btw=developed", "btw=by", "btw=by|Model>Company"} <= set(feats)
    assert "gap=11-30" in feats


def test_the_model_file_round_trips_and_gives_probabilities():
    model = LinearModel(("developedBy", NONE), (0.0, 1.0), {"a": (2.0, 0.0)}, 0.4, "t")
    again = LinearModel.from_json(model.to_json())
    assert again == model
    probs = again.probabilities({"a": 1.0, "unknown": 1.0})
    assert probs["developedBy"] == pytest.approx(2.718281828 / (2.718281828 + 1.0), rel=1e-6)
    assert sum(probs.values()) == pytest.approx(1.0)


def test_best_relation_keeps_to_what_the_classes_admit():
    probs = {"developedBy": 0.2, "hasFeature": 0.5, NONE: 0.3}
    assert best_relation(probs, "Model", "Company") == ("developedBy", 0.2)
    assert best_relation(probs, "Model", "Feature") == ("hasFeature", 0.5)
    assert best_relation(probs, "Person", "Feature") == (NONE, 0.0)


def test_the_component_gives_each_relation_the_models_probability(lexicon):
    model = load_model()
    assert model is not None, f"{MODEL_FILE} is missing: run python -m kg.extract.learned.train"
    ctx, index = _context("OpenAI released GPT-4o, built by OpenAI's team, today.", lexicon)
    found = find_learned_relations(ctx, index)
    for rel in found:
        assert rel.evidence.extractor.startswith("relation-model@")
        assert rel.evidence.confidence >= model.threshold
        assert ctx.doc.text[rel.evidence.start:rel.evidence.end] == rel.evidence.text


def test_the_recipe_regenerates_the_committed_model(tmp_path):
    """Training is deterministic: the command rewrites the committed file byte for byte."""
    from kg.extract.learned.train import train

    out = tmp_path / "relation_model.json"
    train(ROOT / "corpus", out, say=lambda _line: None)
    assert out.read_bytes() == MODEL_FILE.read_bytes()


def test_a_retrained_model_misses_the_extraction_cache(tmp_path, monkeypatch):
    """The model decides what is extracted, so its file is part of the
    extractor's fingerprint, like the code and the lexicon."""
    import shutil

    import kg.build.cache as cache

    package = tmp_path / "kg"
    shutil.copytree(ROOT / "kg", package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "_PACKAGE_DIR", package)
    cache.extractor_fingerprint.cache_clear()
    before = cache.extractor_fingerprint()
    model_file = package / "extract" / "learned" / "relation_model.json"
    model_file.write_text(model_file.read_text(encoding="utf-8").replace('"threshold": ', '"threshold": 0', 1),
                          encoding="utf-8")
    cache.extractor_fingerprint.cache_clear()
    try:
        assert cache.extractor_fingerprint() != before
    finally:
        cache.extractor_fingerprint.cache_clear()
