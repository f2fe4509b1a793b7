"""The mention stage: run every registered component, then keep the best
non-overlapping candidates, then add names found by coordination with them
("Warp、Xcode、JetBrains IDEs、TextMate" share the type of the known ones)."""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property

import ahocorasick

from kg.extract.base import CONF_WEAK_PATTERN, OPENING_WORDS, MentionComponent, is_cjk, latin_boundary, mention
from kg.extract.context import ExtractionContext
from kg.extract.mentions.appositive import find_appositive_mentions
from kg.extract.mentions.benchmarks import find_benchmark_mentions
from kg.extract.mentions.events import find_event_mentions
from kg.extract.mentions.features import find_feature_mentions
from kg.extract.mentions.lexicon import find_lexicon_mentions
from kg.extract.mentions.names import find_name_mentions, name_plans
from kg.extract.mentions.orgs import find_org_mentions
from kg.extract.mentions.people import find_people_mentions
from kg.models import Mention

#: The registry of mention components, by name (order does not matter:
#: overlaps are settled by score, ties by this order).
MENTION_COMPONENTS: dict[str, MentionComponent] = {
    "lexicon": find_lexicon_mentions,
    "name-shape": find_name_mentions,
    "org-suffix": find_org_mentions,
    "person": find_people_mentions,
    "feature": find_feature_mentions,
    "event": find_event_mentions,
    "benchmark": find_benchmark_mentions,
    "appositive": find_appositive_mentions,
}


@dataclass
class Selection:
    """What the later passes read: the document, every candidate, the
    mentions kept so far (each pass adds to them) and the document's list runs."""

    ctx: ExtractionContext
    candidates: list[tuple[int, Mention]]
    chosen: list[Mention]

    @cached_property
    def runs(self) -> list[list[re.Match[str]]]:
        return _list_runs(self.ctx.doc.text)


#: Passes after the overlap selection, in the order they run: each sees what
#: the ones before it added ("Warp、Xcode、TextMate" are coordinated with a
#: known product before a list under a 功能 heading is read).
MENTION_PASSES: tuple[tuple[str, Callable[[Selection], list[Mention]]], ...] = (
    ("event-owners", lambda s: _event_owners(s.ctx, s.candidates, s.chosen)),
    ("coordinated", lambda s: _coordinated(s.ctx, s.chosen)),
    ("listed", lambda s: _listed(s.ctx, s.chosen, s.runs)),
    ("feature-heads", lambda s: _feature_heads(s.ctx, s.chosen, s.runs)),
    ("repeated", lambda s: _repeated(s.ctx, s.chosen)),
    ("authors", lambda s: _author_mentions(s.ctx, s.chosen)),
)


def find_mentions(ctx: ExtractionContext) -> list[Mention]:
    """All accepted mentions of one document, sorted by offset."""
    candidates: list[tuple[int, Mention]] = []
    for rank, component in enumerate(MENTION_COMPONENTS.values()):
        candidates.extend((rank, m) for m in component(ctx))
    selection = Selection(ctx, candidates, _named_events(_defined_types(select_non_overlapping(candidates))))
    for _name, run in MENTION_PASSES:
        selection.chosen.extend(run(selection))
    return sorted(name_plans(ctx, selection.chosen), key=lambda m: (m.start, m.end, m.etype))


#: Mention components that guess a type from a name's shape alone.
_SHAPE_GUESSES = ("name-shape@",)
_DEFINABLE = ("Model", "Product", "Feature")


def _defined_types(kept: list[Mention]) -> list[Mention]:
    """A name its document defines ("North 2.0, the second generation of its
    secure AI workspace") has the defined type wherever the document names
    it, not the type its shape suggested (a version number reads as a
    model). Only where the document defines the name one way."""
    defined: dict[str, set[str]] = {}
    for m in kept:
        if m.extractor.startswith("appositive@") and m.etype in _DEFINABLE:
            defined.setdefault(m.surface, set()).add(m.etype)
    if not defined:
        return kept
    out = []
    for m in kept:
        # "North 2.0 Enterprise" is a tier of the defined "North 2.0".
        types = defined.get(m.surface) or defined.get(m.surface.rsplit(" ", 1)[0])
        if types and len(types) == 1 and m.extractor.startswith(_SHAPE_GUESSES) and m.etype in _DEFINABLE \
                and m.etype not in types:
            m = replace(m, etype=next(iter(types)))
        out.append(m)
    return out


#: Components that guess a product from a company's name and the words after it.
_PRODUCT_GUESSES = _SHAPE_GUESSES + ("name-company-product@",)


def _named_events(kept: list[Mention]) -> list[Mention]:
    """A name the document shows to be a year's event ("Adobe MAX London 2026
    keynote") is that event wherever the document names it, not the product
    that a company's name and capitalised words suggested elsewhere."""
    events = {m.surface for m in kept if m.etype == "Event" and m.extractor.startswith("event-edition@")}
    if not events:
        return kept
    return [replace(m, etype="Event", canonical=None)
            if m.surface in events and m.etype != "Event" and m.extractor.startswith(_PRODUCT_GUESSES) else m
            for m in kept]


def _event_owners(ctx: ExtractionContext, candidates: list[tuple[int, Mention]], kept: list[Mention]) -> list[Mention]:
    """The company that opens the name of a year's event a title, heading or first line names
    ("Helix Labs" of "Helix Labs Summit 2026 — Opening Keynote"): the one
    mention allowed inside another, as a transcript's heading is often the
    only place that names its host."""
    first_line = ctx.doc.text.find("\n")
    spans = [(h.start, h.end) for h in ctx.doc.headings] + [(0, first_line if first_line >= 0 else len(ctx.doc.text))]
    if ctx.doc.title is not None:
        spans.append((ctx.doc.title.start, ctx.doc.title.end))
    events = [m for m in kept if m.extractor.startswith("event-edition@") and any(a <= m.start < b for a, b in spans)]
    if not events:
        return []
    starts = {m.start: m for m in events}
    owners: dict[tuple[int, int], Mention] = {}
    for _, c in sorted(candidates, key=lambda rm: (-rm[1].confidence, rm[0], rm[1].end)):
        event = starts.get(c.start)
        if c.etype in ("Company", "Organization") and event is not None and c.end < event.end \
                and (c.start, c.end) not in owners:
            owners[(c.start, c.end)] = c
    return list(owners.values())


def _occupied(length: int, mentions: list[Mention]) -> bytearray:
    """One byte per character of the text, set where a mention already sits."""
    taken = bytearray(length)
    for m in mentions:
        taken[m.start:m.end] = b"\x01" * (m.end - m.start)
    return taken


def select_non_overlapping(candidates: list[tuple[int, Mention]]) -> list[Mention]:
    """Greedy: longer and surer first; a candidate overlapping a kept one is dropped."""
    ordered = sorted(
        candidates,
        key=lambda rm: (-max(rm[1].end - rm[1].start, len(rm[1].surface)) * rm[1].confidence,
                        -rm[1].confidence, rm[0],
                        rm[1].start, rm[1].etype, rm[1].canonical or ""),
    )
    taken = bytearray(max((m.end for _, m in candidates), default=0))
    kept: list[Mention] = []
    for _, m in ordered:
        if any(taken[m.start:m.end]):
            continue
        taken[m.start:m.end] = b"\x01" * (m.end - m.start)
        kept.append(m)
    return kept


_LIST_SEP = re.compile(r"[、，]|,(?!\d{3})|(?:\s*(?:和|及|以及|与|或)\s*)|(?:\s*(?<![A-Za-z])(?:and|or)(?![A-Za-z])\s*)")
_LATIN_ITEM = re.compile(r"^[A-Z][A-Za-z0-9.+#]*(?: [A-Z][A-Za-z0-9.+#]*){0,2}$")
_COORD_TYPES = ("Product", "Company", "Model")
_EN_WORD = re.compile(r"(?<![A-Za-z])[a-z]{2,}(?![A-Za-z])")
_DATELINE = re.compile(r"^[A-Z][A-Z.]+(?: [A-Z][A-Z.]+)*(?:(?:,| and) [A-Z][A-Z.]+(?: [A-Z][A-Z.]+)*)*,[^—–]{0,40}?\d{4}\s*[—–-]+\s*")
_RUN_ON = re.compile(r" (?:starting|from|in|on|at|for|with|by|to|as|later|this|next|via|through|under)\b")


def _coordinated(ctx: ExtractionContext, kept: list[Mention]) -> list[Mention]:
    """Latin names listed together with known products/companies take their type."""
    by_start = {m.start: m for m in kept}
    taken = _occupied(len(ctx.doc.text), kept)
    out: list[Mention] = []
    for sentence in ctx.sentences:
        if "、" not in sentence.text and sentence.text.count(",") + sentence.text.count("，") < 2:
            continue
        items: list[tuple[int, int, str]] = []
        # "TORONTO and SAN FRANCISCO, March 17, 2026 — Cohere, …": a press
        # release's dateline is places, not a list of names.
        dateline = _DATELINE.match(sentence.text)
        pos = dateline.end() if dateline else 0
        before = ""
        for sep in _LIST_SEP.finditer(sentence.text, pos):
            items.append((pos, sep.start(), before))
            pos = sep.end()
            before = sep.group().strip()
        items.append((pos, len(sentence.text), before))
        known_types = []
        unknown = []
        for a, b, before in items:
            raw = sentence.text[a:b]
            # The list's last item may run on into the sentence: "sold by
            # Dell, HP, Lenovo and ASUS starting in July".
            runs_on = before in ("and", "or")
            for lead, name in _edge_names(raw):
                start = sentence.start + a + lead
                end = start + len(name)
                m = by_start.get(start)
                if m is not None and m.end == end:
                    if m.etype in _COORD_TYPES:
                        known_types.append(m.etype)
                    continue
                # The item must be the name plus glue, not English prose
                # ("Alongside the model" is no list item of products).
                rest = raw[:lead] + raw[lead + len(name):]
                prose = _EN_WORD.search(rest) and not (runs_on and lead == len(raw) - len(raw.lstrip())
                                                       and _RUN_ON.match(raw, lead + len(name)))
                if _LATIN_ITEM.match(name) and not any(taken[start:end]) and not prose:
                    unknown.append((start, end))
                    break
        if not known_types or not unknown:
            continue
        etype = max(set(known_types), key=lambda t: (known_types.count(t), t))
        for start, end in unknown:
            name = ctx.doc.text[start:end]
            if ctx.lexicon.is_generic(name) or not latin_boundary(ctx.doc.text, start, end):
                continue
            # Short capitals are mostly acronyms of things (API, GPU); among
            # two or more known companies they are companies too (HP, ASUS).
            company_acronym = name.isupper() and etype == "Company" and known_types.count("Company") >= 2
            if (len(name) < 3 or name.isupper() and len(name) <= 4) and not company_acronym:
                continue
            out.append(mention(ctx, start, end, etype, None, CONF_WEAK_PATTERN, "coordination"))
            taken[start:end] = b"\x01" * (end - start)
    return out


_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,2}[.)])[ \t]+(.+)$", re.M)
_ITEM_HEAD_END = re.compile(r"\s[—–-]\s|[:：，,（(]|\s\(|$")
_BOLD = re.compile(r"\*\*([^*\n]{1,40})\*\*")


def _list_runs(text: str) -> list[list[re.Match[str]]]:
    """Bullet or numbered list items, grouped into runs of consecutive lines."""
    runs: list[list[re.Match[str]]] = []
    for item in _LIST_ITEM.finditer(text):
        if runs and text[runs[-1][-1].end():item.start()] == "\n":
            runs[-1].append(item)
        else:
            runs.append([item])
    return [r for r in runs if len(r) >= 3]


def _item_heads(text: str, item: re.Match[str]) -> list[tuple[int, int]]:
    """The names an item opens with: "**Gmail** and **Google Calendar** — …"
    gives both, "Visual Studio Code" the whole line, "Jira — …" Jira."""
    body_start = item.start(1)
    head = text[body_start:item.end(1)]
    cut = _ITEM_HEAD_END.search(head.replace("**", "  "))
    head = head[:cut.start()] if cut else head
    bold = [(body_start + b.start(1), body_start + b.end(1)) for b in _BOLD.finditer(head)]
    if bold:
        return bold
    name = _LEADING_LATIN.match(head)
    if name and name.end(1) == len(head.rstrip()):
        return [(body_start + name.start(1), body_start + name.end(1))]
    return []


def _listed(ctx: ExtractionContext, kept: list[Mention], runs: list[list[re.Match[str]]]) -> list[Mention]:
    """Names opening the items of a bullet list where known products open
    others take their type: a connector list "- **Slack** — …", "- **Google
    Drive** — …", "- **Jira** and **Confluence** — …" (the comma lists of
    ``_coordinated``, written one item per line)."""
    text = ctx.doc.text
    by_span = {(m.start, m.end): m for m in kept}
    taken = _occupied(len(text), kept)
    out: list[Mention] = []
    for run in runs:
        heads = [h for item in run for h in _item_heads(text, item)]
        known = [by_span[h].etype for h in heads if h in by_span and by_span[h].etype in _COORD_TYPES]
        unknown = [h for h in heads if h not in by_span and not any(taken[h[0]:h[1]])]
        # Most heads must already be known names: a list of feature
        # headings ("- **Memories** — …") is no list of products.
        if len(known) < 2 or 2 * len(known) < len(unknown) or not unknown:
            continue
        etype = max(set(known), key=lambda t: (known.count(t), t))
        for start, end in unknown:
            name = text[start:end]
            if not _LATIN_ITEM.match(name) or ctx.lexicon.is_generic(name) or len(name) < 3 \
                    or not ctx.in_prose(start, end):
                continue
            out.append(mention(ctx, start, end, etype, None, CONF_WEAK_PATTERN, "coordination-list"))
            taken[start:end] = b"\x01" * (end - start)
    return out


FEATURE_HEADING = re.compile(r"功能|特性|亮点|新能力|features?\b|capabilit|what['’]s new|new in\b|in this release|highlights",
                             re.I)
_BOLD_LINE = re.compile(r"^[ \t]*\*\*(?:\d{1,2}[.、)]\s*)?([^*\n]{2,40}?)\*\*[ \t]*$", re.M)
_NAME_ONLY = re.compile(r"[^（(：:，,。]+")


def _feature_heads(ctx: ExtractionContext, kept: list[Mention], runs: list[list[re.Match[str]]]) -> list[Mention]:
    """Under a heading about features ("## 一、核心功能", "## What's new"),
    the names that open bold lines ("**2. 下一步编辑预测（NES）**") and list
    items ("- **Memories** — …") are features, unless already known as
    something else."""
    text = ctx.doc.text
    taken = _occupied(len(text), kept)
    heads: list[tuple[int, int]] = []
    # The list items in text order, found by bisecting each section's span:
    # testing every item against every feature heading grew with the square
    # of a long document's length.
    items = sorted((item for run in runs for item in run), key=lambda item: item.start())
    starts = [item.start() for item in items]
    for h in ctx.doc.headings:
        if not FEATURE_HEADING.search(text[h.start:h.end]):
            continue
        for line in _BOLD_LINE.finditer(text, h.end, h.section_end):
            heads.append((line.start(1), line.end(1)))
        for item in items[bisect.bisect_left(starts, h.end):bisect.bisect_left(starts, h.section_end)]:
            heads.extend(_item_heads(text, item))
    out: list[Mention] = []
    for start, end in sorted(set(heads)):
        name = _NAME_ONLY.match(text, start, end)
        if name is None:
            continue
        start, end = name.start(), name.start() + len(name.group().rstrip())
        name_text = text[start:end]
        # "丰富的编辑" describes; a feature's name does not carry 的.
        if len(name_text) < 2 or "的" in name_text or any(taken[start:end]) or ctx.lexicon.is_generic(name_text) \
                or not ctx.in_prose(start, end):
            continue
        out.append(mention(ctx, start, end, "Feature", None, CONF_WEAK_PATTERN, "feature-heading"))
        taken[start:end] = b"\x01" * (end - start)
    return out


# A name's own dots sit between its characters ("Node.js"); a dot at its
# end is the sentence's full stop ("… and Oracle Cloud Infrastructure.").
_NAME_WORD = r"[A-Z](?:[A-Za-z0-9+#]|\.(?=[A-Za-z0-9]))*"
_TRAILING_LATIN = re.compile(rf"({_NAME_WORD}(?: {_NAME_WORD}){{0,2}})\.?\s*(?:等|等等)?\s*[）)]?\s*$")
_LEADING_LATIN = re.compile(rf"^\s*({_NAME_WORD}(?: {_NAME_WORD}){{0,2}})")


def _edge_names(item: str) -> list[tuple[int, str]]:
    """Names a list item holds at its edges, with their offsets in ``item``:
    "如 Warp" → Warp, "BBEdit 等" → BBEdit, "Quip 导入文本到 ChatGPT" → ChatGPT
    and Quip."""
    out: list[tuple[int, str]] = []
    for m in (_TRAILING_LATIN.search(item), _LEADING_LATIN.match(item)):
        if m is None:
            continue
        lead, name = m.start(1), m.group(1)
        # "With Copilot Tuning, a company can …": the opener is no part of the name.
        first, _, rest = name.partition(" ")
        if first in OPENING_WORDS and rest:
            lead, name = lead + len(first) + 1, rest
        if not out or lead != out[0][0]:
            out.append((lead, name))
    return out


_PROPAGATED_TYPES = ("Model", "Product", "Company", "Organization", "Person", "Benchmark")


def _repeated(ctx: ExtractionContext, kept: list[Mention]) -> list[Mention]:
    """A name recognised once is recognised everywhere in its document: a
    model named "Zephyr-3 Ultra" beside the word "model" is the same model
    in a sentence that lacks that word."""
    forms: dict[str, Mention] = {}
    for m in sorted(kept, key=lambda m: (-m.confidence, m.start)):
        surface = ctx.doc.text[m.start:m.end]
        if m.etype in _PROPAGATED_TYPES and len(surface) >= 2 and surface.strip() == surface:
            forms.setdefault(surface, m)
    if not forms:
        return []
    automaton = ahocorasick.Automaton()
    for surface in sorted(forms):
        automaton.add_word(surface, surface)
    automaton.make_automaton()
    taken = _occupied(len(ctx.doc.text), kept)
    found: list[Mention] = []
    text = ctx.doc.text
    candidates = sorted(((end + 1 - len(s), end + 1, s) for end, s in automaton.iter(text)),
                        key=lambda t: (t[0], -(t[1] - t[0])))
    for start, end, surface in candidates:
        if any(taken[start:end]) or not ctx.in_prose(start, end):
            continue
        if (not is_cjk(surface[0]) or not is_cjk(surface[-1])) and not latin_boundary(text, start, end):
            continue
        src = forms[surface]
        found.append(mention(ctx, start, end, src.etype, src.canonical, round(src.confidence * 0.95, 2), "repeat"))
        taken[start:end] = b"\x01" * (end - start)
    return found


def _author_mentions(ctx: ExtractionContext, kept: list[Mention]) -> list[Mention]:
    """The document's author, where its metadata names one, as a Person."""
    author = (ctx.doc.meta.author or "").strip()
    if not author or len(author) > 40 or ctx.lexicon.is_generic(author):
        return []
    if any(m.surface == author for m in kept):
        return []
    idx = ctx.doc.text.find(author)
    if idx < 0:
        return []
    entry = ctx.lexicon.lookup(author)
    if entry is not None and entry.type not in ("Person",):
        return []
    return [mention(ctx, idx, idx + len(author), "Person", None, 0.7, "document-author")]
