"""Candidate pairs for the relation model: two mentions of one passage whose
classes some relation admits, in either order."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.extract.context import ExtractionContext
from kg.extract.relations.common import MentionIndex, mention_key
from kg.models import Mention
from kg.text_units import Sentence
from kg.vocab import RELATIONS

#: Passages longer than this are flattened tables or run-on text, where
#: nearness says little; their pairs are left to the rules.
MAX_PASSAGE = 600
#: A passage naming more mentions than this is a list or a table row.
MAX_MENTIONS = 16
#: (subject class, object class) pairs some relation admits.
ADMISSIBLE = frozenset((s, o) for r in RELATIONS.values() for s in r.domain for o in r.range)


@dataclass(frozen=True)
class Candidate:
    """A subject and an object mention in one passage (``sentence``), or a
    list item's mention and the heading above it (``heading`` set)."""

    sentence: Sentence
    subject: Mention
    object: Mention
    others: tuple[Mention, ...]  # the passage's other mentions, in order
    heading: bool = False


def _distinct(mentions: list[Mention]) -> list[Mention]:
    """One mention per span (the same span can be typed twice), in text order."""
    seen: dict[tuple[int, int], Mention] = {}
    for m in sorted(mentions, key=lambda m: (m.start, m.end, m.etype)):
        seen.setdefault((m.start, m.end), m)
    return list(seen.values())


_BULLET_BEFORE = re.compile(r"(?:^|\n)[ \t]*(?:[-*+•]|\d{1,2}[.)、])[ \t]*$")
#: How far above a list item its lead-in line may be.
LEAD_IN_REACH = 800


def _is_list_item(text: str, sentence: Sentence) -> bool:
    line_start = text.rfind("\n", 0, sentence.start) + 1
    return bool(_BULLET_BEFORE.search(text, line_start - 1 if line_start else 0, sentence.start))


def candidate_pairs(ctx: ExtractionContext, index: MentionIndex) -> Iterator[Candidate]:
    """Every ordered pair of distinct entities named in one statement passage,
    then each list item's mentions with those of what governs the list: the
    heading above it, or else the line that leads into it ("Gemini 2.0 Flash
    支持：" over "- 代码执行")."""
    text = ctx.doc.text
    lead_in: list[Mention] = []
    lead_in_end = -1
    for sentence in ctx.statement_sentences:
        if sentence.end - sentence.start > MAX_PASSAGE:
            continue
        mentions = _distinct(index.in_sentence(sentence))
        if 2 <= len(mentions) <= MAX_MENTIONS:
            yield from _pairs(sentence, mentions, mentions, heading=False)
        if not _is_list_item(text, sentence):
            if mentions:
                lead_in, lead_in_end = mentions, sentence.end
            continue
        governing = index.governing(sentence.start)
        above = _distinct(index.heading_mentions(governing[0])) if governing else (
            lead_in if sentence.start - lead_in_end <= LEAD_IN_REACH else [])
        if mentions and 0 < len(above) <= 3:
            yield from _pairs(sentence, above, mentions, heading=True)
            yield from _pairs(sentence, mentions, above, heading=True)


def _pairs(sentence: Sentence, subjects: list[Mention], objects: list[Mention], *, heading: bool) -> Iterator[Candidate]:
    passage = subjects if subjects is objects else subjects + objects
    for s in subjects:
        for o in objects:
            if s is o or mention_key(s) == mention_key(o) or (s.etype, o.etype) not in ADMISSIBLE:
                continue
            others = tuple(m for m in passage if m is not s and m is not o)
            yield Candidate(sentence, s, o, others, heading)
