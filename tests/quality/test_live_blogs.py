"""A live blog and a digest, each a small article with invented names. What
the dev half of tests/fixtures/unseen_news4 showed wrong: a conference
edition named before "keynote" read as the company's product; a title's
label ("Live:") taken into the event's name; "Adobe's" read as a person
from "Marguerite Olsen, Adobe's chief product officer" (and her employer
missed); and a digest that covers two companies alike treated as about the
one mentioned a little more, so that "its" gave that company other models.
"""
from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from fixture_graphs import build_texts, labels, node, related
from kg.vocab import AIKG

LIVEBLOG = """---
title: "Live: Adobe Relay Paris 2026 keynote — Canvas Draft 3 and Canvas Reel"
author: Noor Aziz
---

**09:55** — The hall fills up. About 3,000 people registered for Adobe Relay Paris 2026, plus many more on the stream.

**10:02** — Lena Ortiz, Adobe's chief technology officer, opens the show with Canvas Draft 3, a new image model.

**10:20** — A customer on stage. As Vantal's CEO I get to say the fun part, he jokes.

**11:30** — That's a wrap on Adobe Relay Paris 2026.
"""

DIGEST = """# The Weekly Stack #12

Meta shipped Llama 9 this week, and Meta says Llama 9 is the largest open model yet. Meta will host a demo day.

Amazon released Nova 9 Pro on Bedrock. Amazon did not share scores. Amazon priced it low.

Kestrel Mini, its smallest model, arrived quietly on Friday.
"""


@pytest.fixture(scope="module")
def graph(tmp_path_factory) -> Graph:
    return build_texts(tmp_path_factory.mktemp("liveblog"), {"liveblog.md": LIVEBLOG, "digest.md": DIGEST})


def _labels_of(g: Graph, cls: str) -> set[str]:
    return {label for s in g.subjects(RDF.type, AIKG[cls]) for label in labels(g, s)}


def test_an_edition_before_keynote_is_an_event_wherever_named(graph):
    node(graph, "Adobe Relay Paris 2026", "Event")
    assert "Adobe Relay Paris 2026" not in _labels_of(graph, "Product")
    assert not any(label.startswith("Live") for label in _labels_of(graph, "Event"))


def test_a_name_before_the_employers_possessive_and_title_is_a_person(graph):
    node(graph, "Lena Ortiz", "Person")
    assert related(graph, ("Lena Ortiz", "Person"), "worksFor", ("Adobe", "Company"))
    people = _labels_of(graph, "Person")
    assert "Adobe's" not in people and "As" not in people


def test_a_digest_of_two_companies_alike_gives_neither_the_other_models(graph):
    makers = {str(o) for o in graph.objects(node(graph, "Kestrel Mini", "Model"), AIKG.developedBy)}
    assert not makers
