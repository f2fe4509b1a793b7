"""Launch news written independently of the extractor (tests/fixtures/unseen_news):
eight articles with gold annotations, written to the shared gold format by
someone who had not seen kg/. Four (dev/) were looked at while the patterns
below were added; four (heldout/) were only scored, before and after.

The tests name what the dev articles taught (tables, versions written after
a Chinese family name, a product's plan tiers, "percent", short forms), each
also on a small article of its own where the shape matters more than the
article, and keep the measured quality on both halves from falling back."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, RDFS

from fixture_graphs import build_folder, node as _node, prices as _prices, scores as _scores  # tests/fixture_graphs.py
from kg.evaluate import evaluate, load_gold
from kg.vocab import AIKG

NEWS = Path(__file__).resolve().parents[1] / "fixtures" / "unseen_news"


@pytest.fixture(scope="module")
def dev(tmp_path_factory):
    return build_folder(NEWS / "dev" / "docs", tmp_path_factory.mktemp("news-dev"))


@pytest.fixture(scope="module")
def heldout(tmp_path_factory):
    return build_folder(NEWS / "heldout" / "docs", tmp_path_factory.mktemp("news-heldout"))


def _label(g: Graph, node) -> str:
    return str(g.value(node, RDFS.label))


def _build_text(tmp_path: Path, name: str, text: str) -> Graph:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / name).write_text(text, encoding="utf-8")
    return build_folder(folder, tmp_path / "out")


# --- what the dev articles taught ------------------------------------------


@pytest.mark.parametrize("item, amount, currency, unit", [
    # A price table: "| 阿里云 | Qwen-Max | 2.4 | 9.6 |" under "输入价格 | 输出价格",
    # its unit in the line above ("单位：元/百万 tokens").
    ("Qwen-Max", 9.6, "CNY", "1M output tokens"),
    ("Kimi K2", 16.0, "CNY", "1M output tokens"),
    # "豆包 1.6" in the same table is the model, not the 豆包 app.
    ("豆包 1.6", 8.0, "CNY", "1M output tokens"),
    ("文心 4.5 Turbo", 3.2, "CNY", "1M output tokens"),
    # "Le Chat Pro stays at $14.99 a month": the plan, not Le Chat.
    ("Le Chat Pro", 14.99, "USD", "month"),
    ("Mistral Small 3.2", 0.3, "USD", "1M output tokens"),
])
def test_prices_in_tables_and_of_versioned_names(dev, item, amount, currency, unit):
    assert (item, amount, currency, unit) in _prices(dev)


@pytest.mark.parametrize("model, bench, score, unit", [
    ("Phi-4-reasoning", "AIME 2024", 75.3, "percent"),   # "scores 75.3 percent on AIME 2024"
    # "Large 3 scored 86.4% on MMLU" after "Mistral Large 3": one model.
    ("Mistral Large 3", "MMLU", 86.4, "percent"),
])
def test_scores_of_spoken_percentages_and_short_forms(dev, model, bench, score, unit):
    assert (model, bench, score, unit) in _scores(dev)


def test_a_short_form_is_not_a_second_model(dev):
    assert not any(str(o) == "Large 3" for o in dev.objects(None, RDFS.label))


@pytest.mark.parametrize("label, cls", [
    ("Mistral Small 3.2", "Model"), ("Hunyuan Turbo S", "Model"),   # "混元 TurboS", a known model
    ("文心 X1 Turbo", "Model"), ("Le Chat Enterprise", "Product"),
])
def test_versioned_and_tiered_names(dev, label, cls):
    _node(dev, label, cls)


@pytest.mark.parametrize("item, amount, unit", [
    # A transcript says its prices: "Grok 3 in Foundry is three dollars per
    # million input tokens …; Grok 3 mini is thirty cents per million input".
    ("Grok 3", 3.0, "1M input tokens"), ("Grok 3", 15.0, "1M output tokens"), ("Grok 3 mini", 0.3, "None"),
    ("Microsoft 365 Copilot", 30.0, "user"),
])
def test_spoken_prices(dev, item, amount, unit):
    assert (item, amount, "USD", unit) in _prices(dev)


def test_capitalised_speakers_are_people(dev):
    # "ASHA SHARMA: On pricing, …" is Asha Sharma, one node with the body's mentions.
    for name in ("Asha Sharma", "Kevin Scott", "Thomas Dohmke"):
        _node(dev, name, "Person")


@pytest.mark.parametrize("label", ["智谱正", "谭待曾", "ASHA SHARMA"])
def test_no_person_from_a_name_and_the_next_word(dev, label):
    # "智谱正在推进", "谭待曾公开表示": a company, or a name, and an adverb.
    assert not any(str(o) == label for o in dev.objects(None, RDFS.label))


@pytest.mark.parametrize("words, value", [("three", 3), ("thirty-nine", 39), ("one hundred and twenty", 120),
                                          ("ninety nine", 99), ("seventeen", 17), ("thirty dozen", None)])
def test_spoken_numbers(words, value):
    from kg.extract.quantities.prose import spoken_number

    assert spoken_number(words) == value


def test_capitalised_headings_are_not_speakers(tmp_path):
    g = _build_text(tmp_path, "t.txt", "BREAKING NEWS: Arbor Labs released the Tamarind-5 model.\n\n"
                    "EDITOR NOTE: Updated with prices.\n\nMARA OKAFOR: Tamarind-5 is out today.\n")
    _node(g, "Mara Okafor", "Person")
    people = {_label(g, p) for p in g.subjects(RDF.type, AIKG.Person)}
    assert people == {"Mara Okafor"}


def test_a_letter_after_the_version_is_its_own_model(dev):
    # "高速版 GLM-4.5-X" is a variant, not a typo of GLM-4.5.
    assert _node(dev, "GLM-4.5-X", "Model") != _node(dev, "GLM-4.5", "Model")


# --- the same shapes on articles of their own -------------------------------


_BENCH_TABLE = """---
title: Arbor Labs posts its numbers
---

Arbor Labs released its Tamarind-5 and Tamarind-5 Mini models on Tuesday and compared them with GPT-4o.

| Benchmark | Tamarind-5 | Tamarind-5 Mini | GPT-4o |
|---|---|---|---|
| MMLU | **88.1** | 80.2 | 88.7 |
| GPQA Diamond | 61.0 | 47.5 | 53.6 |
"""

_MODEL_ROWS = """Arbor Labs released the Tamarind-5 model on Tuesday. Scores (%):

| Model | MMLU | HumanEval |
|:--|--:|--:|
| Tamarind-5 | 88.1 | 90.4 |
| GPT-4o | 88.7 | 90.2 |

Pricing:

| Model | Input ($/1M tokens) | Output ($/1M tokens) |
|---|---|---|
| Tamarind-5 | 1.25 | 5 |
"""


def test_a_benchmark_table_with_a_column_per_model(tmp_path):
    scores = _scores(_build_text(tmp_path, "arbor.md", _BENCH_TABLE))
    assert {("Tamarind-5", "MMLU", 88.1, "points"), ("Tamarind-5 Mini", "GPQA Diamond", 47.5, "points"),
            ("GPT-4o", "MMLU", 88.7, "points")} <= scores
    assert len(scores) == 6


def test_a_benchmark_table_with_a_row_per_model_and_a_price_table(tmp_path):
    g = _build_text(tmp_path, "arbor.md", _MODEL_ROWS)
    assert {("Tamarind-5", "HumanEval", 90.4, "percent"), ("GPT-4o", "MMLU", 88.7, "percent")} <= _scores(g)
    assert _prices(g) == {("Tamarind-5", 1.25, "USD", "1M input tokens"), ("Tamarind-5", 5.0, "USD", "1M output tokens")}


def test_a_table_of_other_numbers_is_no_price_or_score(tmp_path):
    g = _build_text(tmp_path, "arbor.md", "Arbor Labs released the Tamarind-5 model on Tuesday.\n\n"
                    "| Model | Parameters | Context |\n|---|---|---|\n| Tamarind-5 | 70 | 128 |\n")
    assert not _prices(g) and not _scores(g)


# --- measured quality, so that it does not fall back ----------------------


def _report(g: Graph, half: str):
    return evaluate(g, load_gold(NEWS / half / "gold"))


def test_dev_articles_quality_floor(dev):
    # Measured on the dev half when these tests were written: entities F1
    # 0.79, prices F1 0.76, benchmark results F1 0.63.
    report = _report(dev, "dev")
    assert report.total("entities").f1 >= 0.75
    assert report.total("prices").f1 >= 0.70
    assert report.total("benchmarks").f1 >= 0.55


def test_heldout_articles_quality_floor(heldout):
    # Never tuned on; see the README for the figures before and after.
    report = _report(heldout, "heldout")
    assert report.total("entities").f1 >= 0.65
    assert report.total("prices").f1 >= 0.50
