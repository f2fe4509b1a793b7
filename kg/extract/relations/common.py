"""Shared helpers of the relation components: which mentions sit in which
sentence and section, and how to cut an evidence passage."""
from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property

from kg.extract.base import extractor_id
from kg.extract.context import ExtractionContext
from kg.text_units import Sentence, title_mentions, title_text
from kg.models import Evidence, Heading, Mention, RelationMention

ENTITY_LIKE = ("Model", "Product", "Feature")
PRODUCTISH = ("Model", "Product")
ORGS = ("Company", "Organization")


@dataclass
class MentionIndex:
    """Mentions of one document grouped by sentence and section."""

    ctx: ExtractionContext
    mentions: list[Mention]

    @cached_property
    def by_sentence(self) -> dict[int, list[Mention]]:
        groups: dict[int, list[Mention]] = defaultdict(list)
        for m in self.mentions:
            s = self.ctx.sentence_index.at(m.start)
            if s is not None:
                groups[s.start].append(m)
        return groups

    def in_sentence(self, sentence: Sentence) -> list[Mention]:
        return self.by_sentence.get(sentence.start, [])

    def in_range(self, start: int, end: int) -> list[Mention]:
        lo = bisect.bisect_left(self._starts, start)
        hi = bisect.bisect_left(self._starts, end)
        return self._sorted[lo:hi]

    @cached_property
    def _sorted(self) -> list[Mention]:
        return sorted(self.mentions, key=lambda m: m.start)

    @cached_property
    def _starts(self) -> list[int]:
        return [m.start for m in self._sorted]

    @cached_property
    def _prose_starts(self) -> list[int]:
        return [sp.start for sp in self.ctx.doc.prose]

    def paragraph_of(self, offset: int) -> tuple[int, int] | None:
        """The prose span (a paragraph or list item) holding ``offset``."""
        spans = self.ctx.doc.prose
        i = bisect.bisect_right(self._prose_starts, offset) - 1
        if i >= 0 and spans[i].start <= offset < spans[i].end:
            return spans[i].start, spans[i].end
        return None

    def heading_mentions(self, heading: Heading) -> list[Mention]:
        return self.in_range(heading.start, heading.end)

    @cached_property
    def _heading_starts(self) -> list[int]:
        return [h.start for h in self.ctx.doc.headings]

    @cached_property
    def _heading_parent(self) -> list[int]:
        """Index of each heading's enclosing heading (-1 at top level)."""
        parents, stack = [], []
        for i, h in enumerate(self.ctx.doc.headings):
            while stack and self.ctx.doc.headings[stack[-1]].level >= h.level:
                stack.pop()
            parents.append(stack[-1] if stack else -1)
            stack.append(i)
        return parents

    def governing(self, offset: int) -> list[Heading]:
        """Headings whose section holds ``offset``, innermost first."""
        headings = self.ctx.doc.headings
        i = bisect.bisect_right(self._heading_starts, offset) - 1
        out = []
        while i >= 0:
            if headings[i].start <= offset < headings[i].section_end:
                out.append(headings[i])
            i = self._heading_parent[i] if i >= 0 else -1
        return out

    def heading_at(self, offset: int) -> Heading | None:
        """The heading whose own text holds ``offset``."""
        i = bisect.bisect_right(self._heading_starts, offset) - 1
        if i >= 0 and offset < self.ctx.doc.headings[i].end:
            return self.ctx.doc.headings[i]
        return None

    @cached_property
    def first_mention(self) -> dict[tuple[str, str], Mention]:
        first: dict[tuple[str, str], Mention] = {}
        for m in self.mentions:
            first.setdefault(mention_key(m), m)
        return first

    @cached_property
    def mention_counts(self) -> Counter[tuple[str, str]]:
        """How often the document mentions each entity, by ``mention_key``."""
        return Counter(mention_key(m) for m in self.mentions)

    @cached_property
    def dominant(self) -> dict[str, Mention | None]:
        """The most mentioned entity of each class (ties by name), with its first mention."""
        ranked = sorted(self.mention_counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1]))
        out: dict[str, Mention | None] = {}
        for (etype, key), n in ranked:
            if etype not in out and n >= 2:
                out[etype] = self.first_mention[(etype, key)]
        return out

    @cached_property
    def subject_company(self) -> Mention | None:
        """The company the document is about: one its title names, else the
        most mentioned one when it leads the next well (``_SUBJECT_LEAD``)."""
        title = title_text(self.ctx.doc)
        named = [m for m in self.mentions if m.etype == "Company"
                 and (m.surface in title or (m.canonical and m.canonical in title))]
        if named:
            return named[0]
        # A digest of several companies' launches is about none of them: the
        # most mentioned company counts only well ahead of the next one.
        ranked = sorted((n for (etype, _), n in self.mention_counts.items() if etype == "Company"), reverse=True)
        if len(ranked) > 1 and ranked[0] < _SUBJECT_LEAD * ranked[1]:
            return None
        return self.dominant.get("Company")

    @cached_property
    def title_product(self) -> Mention | None:
        """The model or product the document's title names first, else the
        most mentioned product: what a document's feature sections describe."""
        named = title_mentions(self.ctx.doc, self._sorted, PRODUCTISH)
        return named[0] if named else self.dominant.get("Product")

    def innermost_heading_with(self, offset: int, types: tuple[str, ...]) -> tuple[Heading, list[Mention]] | None:
        """The innermost governing heading that names entities of ``types``."""
        for h in self.governing(offset):
            named = [m for m in self.heading_mentions(h) if m.etype in types]
            if named:
                return h, named
        return None


#: When a document's title names no company, the most mentioned company is
#: its subject only with at least this many times the next one's mentions.
_SUBJECT_LEAD = 1.5

#: A sentence that opens with a pronoun for the paragraph's topic.
PRONOUN_START = re.compile(r"^(?:它|其|该模型|这款模型|此模型|新模型|该产品|这款产品|两款模型|二者|两者|It|The model|This model|"
                           r"The new model|Both models|Both versions|The models|These models|They|The weights|Its weights|"
                           r"Hosted versions)(?![A-Za-z])")


def paragraph_topic(ctx: ExtractionContext, index: MentionIndex, sentence: Sentence) -> tuple[Mention, int] | None:
    """For a sentence opening with a pronoun ("它是…", "It supports…"): the
    paragraph's topic, its first model or product before the sentence, and
    where the topic's sentence starts (evidence from there names both).
    None for any other sentence, or when the topic is too far back."""
    if not PRONOUN_START.match(sentence.text):
        return None
    para = index.paragraph_of(sentence.start)
    if para is None:
        return None
    topic = next((x for x in index.in_range(para[0], sentence.start) if x.etype in PRODUCTISH), None)
    if topic is None:
        return None
    topic_sentence = ctx.sentence_index.at(topic.start)
    start = topic_sentence.start if topic_sentence else topic.start
    if sentence.end - start > 400:
        return None
    return topic, start


def mention_key(m: Mention) -> tuple[str, str]:
    """What resolution will merge on, before resolution: type plus name."""
    return (m.etype, m.canonical or m.surface)


def evidence_for(ctx: ExtractionContext, start: int, end: int, confidence: float, component: str) -> Evidence:
    """An Evidence over ``text[start:end]``."""
    return Evidence(ctx.doc.doc_id, start, end, ctx.doc.text[start:end], round(confidence, 2), extractor_id(component))


def sentence_evidence(ctx: ExtractionContext, offset: int, confidence: float, component: str) -> Evidence | None:
    """Evidence covering the sentence at ``offset``."""
    s = ctx.sentence_index.at(offset)
    if s is None:
        return None
    return evidence_for(ctx, s.start, s.end, confidence, component)


def relation(subject: Mention, predicate: str, obj: Mention, evidence: Evidence | None) -> RelationMention | None:
    """A RelationMention, or None for a self-loop or missing evidence."""
    if evidence is None or mention_key(subject) == mention_key(obj):
        return None
    return RelationMention(subject, predicate, obj, evidence)
