"""Companies and short names that only the document's own shape gives
away, on small articles with invented names (so the lexicon cannot supply
them). What the dev half of tests/fixtures/unseen_news4 showed missing: a
company no lexicon knows, publishing release notes at its own address
("docs.nimbral.example") and naming its products after itself; and the
part of a hyphenated name an article goes on to use alone ("M3" after
"MiniMax-M3"), typed a product by its shape and never joined to the model;
a name defined by "X is our new … model"; a release note's bold item label
("**Emotion tags / 情感标签**:"), one capability in two languages; a
yearly benchmark's edition ("AIME 2026").
"""
from __future__ import annotations

import pytest
from rdflib import Graph

from fixture_graphs import build_texts, labels, node, related

NOTES = """---
title: "Korvane Release Notes 2026.05"
source: docs.korvane.example/changelog
author: Korvane Developer Relations
date: 2026-05-14
---

# Release 2026.05

This release ships a new speech model and a redesigned Korvane Studio. All items were first shown at Korvane Sound Day 2026.

Korvane also cut the price of Korvane Relay by half. Relay-S1 scored WER 1.08 on Seed-TTS-eval.

## New models / 新模型

Chime is our new flagship text-to-speech model and the successor to Murmur 2.

- **Emotion tags / 情感标签**: inline tags such as whisper and laugh.
- **Pricing**: $0.02 per minute.
- **内容分析**：a Chinese summary label, not a capability.

Chime scored 88.2 on AIME 2026 and 61.0 on AIME.
"""

# The same word with no address or desk behind it names no company.
PLAIN = """# Speech roundup

Korvane Studio and Korvane Relay were compared in a review this week.
"""

REVIEW = """# 实测 Quarlo-M3

3 月 16 日，Quarlo 在上海发布了新一代基座模型 Quarlo-M3，同时推出更便宜的 Quarlo-M3 Flash。

M3 的输入价格为 1.2 元/百万 tokens，M3 Flash 输入 0.3 元。开发者可以通过开放平台调用 M3。
"""


@pytest.fixture(scope="module")
def graph(tmp_path_factory) -> Graph:
    return build_texts(tmp_path_factory.mktemp("brands"), {"notes.md": NOTES, "review.md": REVIEW})


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> Graph:
    return build_texts(tmp_path_factory.mktemp("plain"), {"plain.md": PLAIN})


def test_the_publishers_brand_is_a_company(graph):
    node(graph, "Korvane", "Company")


@pytest.mark.parametrize("label", ["Korvane Studio", "Korvane Relay"])
def test_products_named_after_the_publisher(graph, label):
    assert related(graph, (label, "Product"), "developedBy", ("Korvane", "Company"))


def test_a_metric_and_its_value_is_no_model(graph):
    with pytest.raises(AssertionError):
        node(graph, "WER 1.08", "Model")


def test_no_company_without_the_publisher(plain):
    with pytest.raises(AssertionError):
        node(plain, "Korvane", "Company")


@pytest.mark.parametrize("short, full", [("M3", "Quarlo-M3"), ("M3 Flash", "Quarlo-M3 Flash")])
def test_the_tail_of_a_hyphenated_name_is_that_name(graph, short, full):
    model = node(graph, full, "Model")
    assert short in labels(graph, model)
    with pytest.raises(AssertionError):
        node(graph, short, "Product")


def test_a_name_defined_by_what_it_is(graph):
    node(graph, "Chime", "Model")


def test_a_bold_item_label_is_one_feature_in_two_languages(graph):
    feature = node(graph, "Emotion tags", "Feature")
    assert "情感标签" in labels(graph, feature)
    for label in ("Pricing", "内容分析"):
        with pytest.raises(AssertionError):
            node(graph, label, "Feature")


def test_a_benchmark_edition_is_named_by_its_year(graph):
    edition = node(graph, "AIME 2026", "Benchmark")
    assert edition != node(graph, "AIME", "Benchmark")
