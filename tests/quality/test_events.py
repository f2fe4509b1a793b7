"""Launch events and hosting platforms, each on a small article with
invented names (so the lexicon cannot supply them). What the dev halves of
tests/fixtures/unseen_news* showed missing: a year's edition of a
conference ("Cohere Connect 2026", "Microsoft Build 2025", "WWDC26") read
as a product or as the whole series; a quoted Chinese event name
("举办“可灵AI两周年”发布会"); the event a press release's lead paragraph
places the launch at ("The announcements were made on stage at …"); and a
company's platform where a model is put ("the weights are on Hugging Face",
"available on … and Groq") typed a company, so no integration could reach it.
"""
from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import RDFS, SKOS

from fixture_graphs import build_texts, node, related
from kg.vocab import AIKG

PRESS = """---
title: "Tessary Unveils Quill-3 and Harbor 2.0"
date: 2026-03-17
---

# Tessary Unveils Quill-3 and Harbor 2.0

*A new flagship model and a rebuilt workspace*

OSLO, March 17, 2026 — Tessary, the enterprise AI company, today announced Quill-3, its new flagship language model for agentic work in finance and healthcare, together with Harbor 2.0, the second generation of its secure AI workspace. The announcements were made on stage at Tessary Connect 2026, the company's annual customer conference.

Tessary also introduced Lumen 5, a multimodal embedding model.

Research weights for Quill-3 Mini are published on Hugging Face. Quill-3 Mini will ship to partners later this year.
"""

NEWSLETTER = """# The week in models

## 1. Vantor goes big

Vantor Labs opened VantorCon 2026 in Oslo with Strix 5. Strix 5 already powers the Vantor assistant in WhatsApp and Messenger, and the weights are on Hugging Face. Hosted versions are available on Amazon Bedrock, Google Cloud and Groq.

## 2. Apple

At WWDC26, Apple showed its new on-device model.

## 3. Microsoft

Microsoft Build 2026 opened with a keynote about agents.
"""

ZH = """# 快讯：砚池科技发布墨池2.0

6月10日，砚池科技在北京举办“砚池开放日”发布会，正式发布视频生成大模型墨池2.0，并同步上线图像模型墨图2.0。

就在一个月前，Google在I/O大会上发布了Veo 4。砚池科技方面表示，后续版本会推出墨池Studio。
"""


# The quoted name before 上发布: no 举办 and no 发布会 to mark it.
ZH_DAY = """# 实测墨池3.0

3 月 16 日，砚池科技在上海的「砚池开发者日 2026」上发布了新一代基座模型墨池3.0。
"""


@pytest.fixture(scope="module")
def graph(tmp_path_factory) -> Graph:
    return build_texts(tmp_path_factory.mktemp("events"),
                       {"press.md": PRESS, "news.md": NEWSLETTER, "zh.md": ZH, "zh_day.md": ZH_DAY})


@pytest.mark.parametrize("label", [
    "Tessary Connect 2026",   # capitalised words and a year, after "on stage at"
    "VantorCon 2026",         # ends in an event word, after "opened"
    "WWDC26",                 # a known series with the year run on
    "Microsoft Build 2026",   # a known series and a year: the edition, not the series
    "砚池开放日",               # quoted, after 举办
    "I/O大会",                 # the lexicon's event, written without a space
    "砚池开发者日 2026",          # quoted, before 上发布
])
def test_event_names(graph, label):
    node(graph, label, "Event")


def test_an_edition_is_not_the_series(graph):
    build = node(graph, "Microsoft Build 2026", "Event")
    assert str(graph.value(build, RDFS.label)) == "Microsoft Build 2026"


def test_the_company_opening_an_event_name_is_still_found(graph):
    node(graph, "Vantor Labs", "Company")


@pytest.mark.parametrize("s, predicate, o", [
    # The lead paragraph places the launch at the one event it names.
    (("Quill-3", "Model"), "announcedAt", ("Tessary Connect 2026", "Event")),
    (("Harbor 2.0", "Product"), "announcedAt", ("Tessary Connect 2026", "Event")),
    (("Lumen 5", "Model"), "announcedAt", ("Tessary Connect 2026", "Event")),
    (("墨池2.0", "Model"), "announcedAt", ("砚池开放日", "Event")),
    (("墨图2.0", "Model"), "announcedAt", ("砚池开放日", "Event")),
    (("墨池3.0", "Model"), "announcedAt", ("砚池开发者日 2026", "Event")),
    # Platforms where a model is put are products.
    (("Quill-3 Mini", "Model"), "integratesWith", ("Hugging Face Hub", "Product")),
    (("Strix 5", "Model"), "integratesWith", ("Hugging Face Hub", "Product")),
    (("Strix 5", "Model"), "integratesWith", ("Amazon Bedrock", "Product")),
    (("Strix 5", "Model"), "integratesWith", ("GroqCloud", "Product")),
])
def test_relation_found(graph, s, predicate, o):
    assert related(graph, s, predicate, o)


def _launches_at(graph: Graph, event_label: str) -> set[str]:
    """Every label (and alternative label) of what was announced at the event."""
    event = node(graph, event_label, "Event")
    return {str(label) for s in graph.subjects(AIKG.announcedAt, event)
            for p in (RDFS.label, SKOS.altLabel) for label in graph.objects(s, p)}


def test_what_the_event_did_not_launch(graph):
    launched = _launches_at(graph, "Tessary Connect 2026")
    # "Lumen 5, a multimodal embedding model": a word of the description.
    assert "embedding" not in launched
    zh = _launches_at(graph, "砚池开放日")
    # Another company's launch in the same article, a future one, and the
    # feature word that only describes the model ("视频生成大模型墨池2.0").
    assert {"Veo 4", "墨池Studio", "视频生成"}.isdisjoint(zh)


def test_a_platform_listed_with_a_clause_before_is_not_the_subject(graph):
    # "… in WhatsApp and Messenger, and the weights are on Hugging Face".
    assert not related(graph, ("Messenger", "Product"), "integratesWith", ("Hugging Face Hub", "Product"))
