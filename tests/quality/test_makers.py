"""Makers, types and integrations that a press release states once for a
family of names, each on a small article with invented names (so the
lexicon cannot supply them). What the dev half of tests/fixtures/unseen_news3
showed missing: the smaller sibling or next tier of a model whose maker the
text names ("Quill-3 Mini" beside Tessary's "Quill-3"); a versioned name
the text defines as a product ("Harbor 2.0, the second generation of its
secure AI workspace") typed a model by its version everywhere else; an
availability list that repeats its preposition ("through the Tessary API
and on Amazon Bedrock"); a versioned name after a known company's
possessive ("Amazon's Vantor 2")."""
from __future__ import annotations

import pytest
from rdflib import Graph

from fixture_graphs import build_texts, node, related
from kg.resolve.infer import family_stem
from kg.vocab import AIKG

PRESS = """---
title: "Tessary Unveils Quill-3 and Harbor 2.0 for Regulated Industries"
date: 2026-03-17
---

# Tessary Unveils Quill-3 and Harbor 2.0 for Regulated Industries

OSLO, March 17, 2026 — Tessary, the enterprise AI company, today announced Quill-3, its new flagship language model, together with Harbor 2.0, the second generation of its secure AI workspace.

Quill-3 comes in two sizes: Quill-3 itself and Quill-3 Mini, a smaller variant that runs on a single GPU. Quill-3 Mini scored 71.8% on BFCL.

Harbor 2.0 runs on Quill-3 by default. A Harbor 2.0 Enterprise tier with on-premises deployment is available at custom pricing.

Quill-3 and Quill-3 Mini are available today through the Tessary API and on Amazon Bedrock.

The company positions Quill-3 against Amazon's Vantor 2 and Vantor 2 Lite.
"""

# Two makers for one family: the family says nothing about the third member.
TWO_MAKERS = """# Two labs, one name

Kelvar AI released Strix-2, its new model. Strix-2 Pro was released by Dunmore Labs, a rival lab, the same week.

Analysts compared Strix-2 Max with both.
"""


@pytest.fixture(scope="module")
def graph(tmp_path_factory) -> Graph:
    return build_texts(tmp_path_factory.mktemp("makers"), {"press.md": PRESS, "two.md": TWO_MAKERS})


@pytest.mark.parametrize("s, predicate, o", [
    # Stated: the flagship is Tessary's.
    (("Quill-3", "Model"), "developedBy", ("Tessary", "Company")),
    # The sibling and the product's tier share the maker of their family.
    (("Quill-3 Mini", "Model"), "developedBy", ("Tessary", "Company")),
    (("Harbor 2.0 Enterprise", "Product"), "developedBy", ("Tessary", "Company")),
    # "Amazon's Vantor 2 and Vantor 2 Lite": the first by the possessive, the second by family.
    (("Vantor 2", "Model"), "developedBy", ("Amazon", "Company")),
    (("Vantor 2 Lite", "Model"), "developedBy", ("Amazon", "Company")),
    # "through the Tessary API and on Amazon Bedrock": both platforms.
    (("Quill-3", "Model"), "integratesWith", ("Tessary API", "Product")),
    (("Quill-3", "Model"), "integratesWith", ("Amazon Bedrock", "Product")),
    (("Quill-3 Mini", "Model"), "integratesWith", ("Amazon Bedrock", "Product")),
])
def test_relation_found(graph, s, predicate, o):
    assert related(graph, s, predicate, o)


def test_a_defined_product_is_a_product_wherever_it_is_named(graph):
    # Defined once as a workspace; its version number made it a model elsewhere.
    node(graph, "Harbor 2.0", "Product")
    node(graph, "Harbor 2.0 Enterprise", "Product")
    with pytest.raises(AssertionError):
        node(graph, "Harbor 2.0", "Model")


def test_a_family_with_two_makers_gives_none_to_the_rest(graph):
    strix = node(graph, "Strix-2", "Model")
    pro = node(graph, "Strix-2 Pro", "Model")
    maximum = node(graph, "Strix-2 Max", "Model")
    assert list(graph.objects(strix, AIKG.developedBy)) == [node(graph, "Kelvar AI", "Company")]
    assert list(graph.objects(pro, AIKG.developedBy)) == [node(graph, "Dunmore Labs", "Company")]
    assert list(graph.objects(maximum, AIKG.developedBy)) == []


@pytest.mark.parametrize("name, stem", [
    ("Quill-3 Mini", "Quill"),
    ("Claude Opus 4", "Claude Opus"),
    ("Qwen4-Coder-Flash", "Qwen"),
    ("可灵3.0", "可灵"),
    ("Le Chat Pro", None),  # no version: no family to tell
    ("o3-mini", None),  # a brand too short (and lowercase) to tell families apart
    ("灵3", None),
])
def test_family_stem(name, stem):
    assert family_stem(name) == stem
