"""Launch events: a multi-day series, its days (``Day 9``, ``第九天``), and
named conferences (``DevDay``, ``开发者大会``, ``Google I/O``).

A day is named after its series (``12 Days of OpenAI Day 9``) so that two
documents about the same day meet in one node.
"""
from __future__ import annotations

import re

from kg.extract.base import CJK, CONF_PATTERN, CONF_STRONG_PATTERN, mention
from kg.extract.context import ExtractionContext
from kg.extract.text_units import title_text
from kg.models import Mention

CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_DAY = re.compile(r"(?:\b(?:Day|DAY|day)\s*(\d{1,2})\b|第\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*天)")
_SERIES = re.compile(
    r"(?:为期)?\s*(\d{1,2}|十二|十)\s*(?:天|日|集|场|连发)(?:的)?\s*(?:连续)?\s*(?:AI\s*)?(?:重大)?\s*[“\"「]?"
    r"(?:产品)?(?:发布会|发布活动|发布|连发|直播)"
    r"|(?:\b(\d{1,2})\s+Days of\s+([A-Z][A-Za-z]+))"
)
_CONFERENCE = re.compile(
    rf"(?:(首届|第[一二三四五六七八九十\d]+届)\s*)?([A-Z][A-Za-z]*\s?)?(开发者大会|开发者日|DevDay|Dev Day|发布会|大会|峰会|Conference|Summit)"
)

# "its annual I/O developer conference", "Microsoft's Build developer
# conference": a short name between an owner and a conference word.
_OWNED_CONFERENCE = re.compile(
    r"\b(its|their|the company's|([A-Z][A-Za-z]+)(?:'s|’s)) (?:(?:annual|yearly|flagship|first|\d{4}) )*"
    r"([A-Z][A-Za-z0-9/:.]*(?: [A-Z0-9][A-Za-z0-9/:.]*)?) (developers?'? |developer's )?(?:conference|summit|keynote)\b"
)


def cn_number(token: str) -> int | None:
    """``"9"`` / ``"九"`` / ``"十二"`` → 9 / 9 / 12."""
    if token.isdigit():
        return int(token)
    if not token or any(c not in CN_DIGITS for c in token):
        return None
    if token == "十":
        return 10
    if token.startswith("十"):
        return 10 + CN_DIGITS[token[1]]
    if token.endswith("十"):
        return CN_DIGITS[token[0]] * 10
    if "十" in token:
        a, b = token.split("十")
        return CN_DIGITS[a] * 10 + CN_DIGITS[b]
    return CN_DIGITS[token] if len(token) == 1 else None


def series_name(ctx: ExtractionContext) -> str | None:
    """The canonical name of the multi-day launch series the document covers."""
    for start, end, hits in ctx.lexicon.iter_hits(ctx.lowered):
        for hit in hits:
            if hit.entry.type == "Event" and re.search(r"\d+\s*Days|\d+\s*天", hit.entry.name + " " + " ".join(hit.entry.aliases)):
                if _SERIES.search(hit.entry.name) or re.search(r"Days of", hit.entry.name):
                    return hit.entry.name
    m = _SERIES.search(ctx.doc.text)
    if not m:
        return None
    n = cn_number(m.group(1) or m.group(2) or "")
    org = m.group(3) or _dominant_company_name(ctx)
    if n is None:
        return None
    return f"{n} Days of {org}" if org else f"{n}-day launch series"


def _dominant_company_name(ctx: ExtractionContext) -> str | None:
    """The company the document is about: named in its title, else the most mentioned."""
    companies = [m for m in ctx.lexicon_mentions if m.etype == "Company"]
    title = title_text(ctx.doc)
    in_title = [m.canonical for m in companies if m.surface in title]
    if in_title:
        return in_title[0]
    counts: dict[str, int] = {}
    for m in companies:
        counts[m.canonical] = counts.get(m.canonical, 0) + 1
    if not counts:
        return None
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def find_event_mentions(ctx: ExtractionContext) -> list[Mention]:
    """The series, its days, and named conferences."""
    out: list[Mention] = []
    text = ctx.doc.text
    series = series_name(ctx)
    heading_days = any(_DAY.match(text[h.start:h.end]) for h in ctx.doc.headings)
    for sentence in ctx.sentences:
        for m in _SERIES.finditer(sentence.text):
            if series:
                start, end = sentence.start + m.start(), sentence.start + m.end()
                s_text = text[start:end].lstrip()
                start = end - len(s_text)
                out.append(mention(ctx, start, end, "Event", series, CONF_PATTERN, "event-series"))
        if series or heading_days:
            for m in _DAY.finditer(sentence.text):
                n = cn_number(m.group(1) or m.group(2))
                if n is None or n > 31:
                    continue
                start, end = sentence.start + m.start(), sentence.start + m.end()
                name = f"{series} Day {n}" if series else f"Day {n}"
                conf = CONF_STRONG_PATTERN if _is_heading(ctx, start) else CONF_PATTERN
                out.append(mention(ctx, start, end, "Event", name, conf, "event-day"))
        for m in _CONFERENCE.finditer(sentence.text):
            kind = m.group(3)
            if kind in ("发布会", "大会", "峰会") and not m.group(2):
                continue  # a bare "发布会" is a common noun
            start = sentence.start + (m.start(2) if m.group(2) else m.start(3))
            end = sentence.start + m.end()
            entry = ctx.lexicon.lookup(text[start:end], "Event")
            if entry is not None:
                out.append(mention(ctx, start, end, "Event", entry.name, CONF_STRONG_PATTERN, "event-conference"))
            elif m.group(2) and ctx.lexicon.lookup(m.group(2).strip()) is not None:
                out.append(mention(ctx, start, end, "Event", None, CONF_PATTERN, "event-conference"))
        out.extend(_owned_conferences(ctx, sentence))
    return out


def _owned_conferences(ctx: ExtractionContext, sentence) -> list[Mention]:
    """Conferences named after their owner's possessive: the lexicon's
    event under the short name or under "owner name" ("Google I/O"); an
    unknown name only when the text says it is a developer conference."""
    out = []
    for m in _OWNED_CONFERENCE.finditer(sentence.text):
        name = m.group(3)
        entry = ctx.lexicon.lookup(name, "Event")
        if entry is None:
            owner = m.group(2) or _dominant_company_name(ctx)  # "its": the company the document is about
            if owner:
                entry = ctx.lexicon.lookup(f"{owner} {name}", "Event")
        start, end = sentence.start + m.start(3), sentence.start + m.end(3)
        if entry is not None:
            out.append(mention(ctx, start, end, "Event", entry.name, CONF_STRONG_PATTERN, "event-conference"))
        elif m.group(4) and ctx.lexicon.lookup(name) is None:
            out.append(mention(ctx, start, end, "Event", None, CONF_PATTERN, "event-conference"))
    return out


def _is_heading(ctx: ExtractionContext, offset: int) -> bool:
    return any(h.start <= offset < h.end for h in ctx.doc.headings)


def day_number(name: str) -> int | None:
    """The day number in a day event's canonical name (``… Day 9`` → 9)."""
    m = re.search(r"Day (\d+)$", name)
    return int(m.group(1)) if m else None
