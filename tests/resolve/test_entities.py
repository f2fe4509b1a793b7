"""Resolution's rules one by one, on hand-made mentions (no extraction):
names merged by normalisation, wrapper words, parenthesised and bilingual
pairs, typos towards known names, short forms, speakers' first names, a
series' edition by year, and relations kept only where the classes fit."""
from __future__ import annotations

import pytest

from kg.lexicon import load_lexicon
from kg.lexicon_index import LexiconIndex
from kg.models import Document, DocumentExtraction, Evidence, Mention, RelationMention, Span
from kg.resolve.entities import UnionFind, clean_name, resolve


@pytest.fixture(scope="module")
def lexicon() -> LexiconIndex:
    return LexiconIndex(load_lexicon())


def _doc(text: str, doc_id: str = "d", title: str | None = None) -> Document:
    from kg.models import DocumentMeta

    return Document(doc_id, f"{doc_id}.md", text, "0" * 64, meta=DocumentMeta(title=title), prose=(Span(0, len(text)),))


def _mention(doc: Document, surface: str, etype: str, nth: int = 0, canonical: str | None = None) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(surface, start + 1)
    return Mention(doc.doc_id, start, start + len(surface), surface, etype, canonical, 0.8, "test@0")


def _entities(lexicon, doc: Document, mentions: list[Mention], relations=()) -> dict[str, tuple[str, set[str]]]:
    res = resolve([doc], [DocumentExtraction(doc.doc_id, tuple(mentions), tuple(relations))], lexicon)
    return {e.key: (e.etype, {m.surface for m in e.mentions}) for e in res.entities}


def test_clean_name_drops_wrapper_words_and_spells_editions():
    assert clean_name("「o1 模型」") == "o1"
    assert clean_name("Canvas 功能") == "Canvas"
    assert clean_name("o1 正式版") == "o1"


def test_union_find_roots_at_the_smallest_key_whatever_the_order():
    a, b = UnionFind(), UnionFind()
    a.union("b", "a"); a.union("c", "b")
    b.union("c", "a"); b.union("b", "c")
    assert {a.find(x) for x in "abc"} == {"a"} == {b.find(x) for x in "abc"}


def test_names_equal_after_normalisation_are_one_entity(lexicon):
    doc = _doc("Zephyr-9 Mini ships. zephyr 9 mini is fast.")
    ents = _entities(lexicon, doc, [_mention(doc, "Zephyr-9 Mini", "Model"), _mention(doc, "zephyr 9 mini", "Model")])
    assert len(ents) == 1
    (etype, surfaces), = ents.values()
    assert etype == "Model" and surfaces == {"Zephyr-9 Mini", "zephyr 9 mini"}


def test_a_parenthesised_pair_is_one_entity(lexicon):
    doc = _doc("支持函数调用（Function Calling）。")
    ents = _entities(lexicon, doc, [_mention(doc, "函数调用", "Feature"), _mention(doc, "Function Calling", "Feature")])
    assert len(ents) == 1


def test_a_bilingual_label_is_one_entity_but_two_latin_names_are_not(lexicon):
    doc = _doc("**Emotion tags / 情感标签**: new. Also Frobnicate / Quux here.")
    ents = _entities(lexicon, doc, [_mention(doc, "Emotion tags", "Feature"), _mention(doc, "情感标签", "Feature"),
                                    _mention(doc, "Frobnicate", "Feature"), _mention(doc, "Quux", "Feature")])
    assert len(ents) == 3


def test_an_event_in_parentheses_keeps_its_own_node(lexicon):
    doc = _doc("第9天（Dev Day）发布。")
    ents = _entities(lexicon, doc, [_mention(doc, "第9天", "Event"), _mention(doc, "Dev Day", "Event")])
    assert len(ents) == 2


def test_a_typo_of_a_known_name_is_that_name(lexicon):
    doc = _doc("OpenAI 发布 GPT-40 模型。")
    ents = _entities(lexicon, doc, [_mention(doc, "GPT-40", "Model")])
    assert "GPT-4o" in ents


def test_a_speakers_first_name_is_the_speaker(lexicon):
    doc = _doc("Olivier Godement: hello. Later Olivier said more.")
    ents = _entities(lexicon, doc, [_mention(doc, "Olivier Godement", "Person"), _mention(doc, "Olivier", "Person", 1)])
    assert len(ents) == 1


def test_a_first_name_two_speakers_share_stays_apart(lexicon):
    doc = _doc("Anna Berg and Anna Lind spoke. Anna agreed.")
    ents = _entities(lexicon, doc, [_mention(doc, "Anna Berg", "Person"), _mention(doc, "Anna Lind", "Person"),
                                    _mention(doc, "Anna", "Person", 2)])
    assert len(ents) == 3


def test_a_short_form_re_mentions_the_longer_name_it_ends(lexicon):
    doc = _doc("Vantor Large 3 is out. Large 3 beats its rivals.")
    ents = _entities(lexicon, doc, [_mention(doc, "Vantor Large 3", "Model"), _mention(doc, "Large 3", "Model", 1)])
    assert len(ents) == 1


def test_a_relation_whose_classes_do_not_fit_is_dropped(lexicon):
    doc = _doc("Helix Labs made Zephyr-9. Zephyr-9 by Ana Ruiz.")
    helix, zephyr = _mention(doc, "Helix Labs", "Company"), _mention(doc, "Zephyr-9", "Model")
    ana = _mention(doc, "Ana Ruiz", "Person")
    ev = Evidence("d", 0, 24, doc.text[0:24], 0.8, "test@0")
    res = resolve([doc], [DocumentExtraction("d", (helix, zephyr, ana), (
        RelationMention(zephyr, "developedBy", helix, ev),
        RelationMention(zephyr, "developedBy", ana, ev),  # a person is no developer in the contract
    ))], lexicon)
    assert [(f.subject[1], f.predicate, f.object[1]) for f in res.facts] == [("Zephyr-9", "developedBy", "Helix Labs")]
