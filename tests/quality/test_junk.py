"""Junk a new user found on real launch articles, held as cases with
invented text in the same forms: a date read as a launch series, a
licence's organisation, field labels and headings taken for people, an
opening word with a possessive taken for a person, and a person given the
company the article is about instead of the one the text names."""
from __future__ import annotations

import pytest
from rdflib.namespace import RDF, RDFS

from fixture_graphs import build_texts, related, scores
from kg.vocab import AIKG

ARTICLE = """# Zephyr Z3 发布

星河智能（Xinghe AI）于 2026 年 3 月 12 日发布 Zephyr Z3 模型。

许可：修改版MIT许可协议

## Nimbus 4 Sonnet

Visible Scratch Pad: Nimbus 4 Sonnet can show its reasoning step by step.

As Orrery's Chief Scientist Mara Ellis put it, the model thinks longer.

τ-bench: Nimbus 4 Sonnet 81.2%, OpenAI o1 73.5%
"""


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    return build_texts(tmp_path_factory.mktemp("junk"), {"article.md": ARTICLE})


def _labelled(graph, cls: str) -> set[str]:
    return {str(label) for s in graph.subjects(RDF.type, AIKG[cls]) for label in graph.objects(s, RDFS.label)}


def test_a_date_is_no_launch_series(graph):
    # "3 月 12 日发布" once made an event "12 Days of Xinghe AI".
    assert not any("Days of" in label or "日发布" in label for label in _labelled(graph, "Event"))


def test_a_licence_is_not_the_university(graph):
    assert not {"MIT", "麻省理工学院"} & _labelled(graph, "Organization")


@pytest.mark.parametrize("junk", ["许可", "Visible Scratch Pad", "As Orrery's Chief", "Orrery's Chief"])
def test_labels_headings_and_opening_words_are_no_people(graph, junk):
    assert junk not in _labelled(graph, "Person")


def test_the_person_works_for_the_company_the_text_names(graph):
    assert "Mara Ellis" in _labelled(graph, "Person")
    people = {str(graph.value(s, RDFS.label)): s for s in graph.subjects(RDF.type, AIKG.Person)}
    employers = {str(graph.value(o, RDFS.label)) for o in graph.objects(people["Mara Ellis"], AIKG.worksFor)}
    assert "Xinghe AI" not in employers and "星河智能" not in employers


def test_each_score_stays_with_its_model(graph):
    found = scores(graph)
    assert ("Nimbus 4 Sonnet", "τ-bench", 81.2, "percent") in found
    assert ("o1", "τ-bench", 73.5, "percent") in found
    assert not any(model == "Nimbus 4 Sonnet" and score == 73.5 for model, _, score, _ in found)
