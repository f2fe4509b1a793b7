"""Launch events: a multi-day series, its days (``Day 9``, ``第九天``),
named conferences (``DevDay``, ``开发者大会``, ``Google I/O``), a year's
edition of one (``Microsoft Build 2025``, ``WWDC26``, ``Cohere Connect
2026``), and quoted Chinese event names (``举办“可灵AI两周年”发布会``).

A day is named after its series (``12 Days of OpenAI Day 9``) so that two
documents about the same day meet in one node; an edition after its year,
so that the 2026 keynote is not the series.
"""
from __future__ import annotations

import re

from kg.extract.base import CONF_PATTERN, CONF_STRONG_PATTERN, GatedPattern, mention
from kg.extract.context import ExtractionContext
from kg.extract.mentions.lexicon import match_lexicon
from kg.text_units import title_text
from kg.models import Mention

CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_DAY = GatedPattern(r"(?:\b(?:Day|DAY|day)\s*(\d{1,2})\b|第\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*天)",
                    "Day", "DAY", "day", "第")
# Both run over every sentence. Each leading lookahead names the characters
# a match can start with, so the engine skips to those instead of trying
# the whole pattern at every position: about 2x faster, the same matches.
_SERIES = re.compile(
    r"(?=[为\s\d十])(?:"
    # "7 月 11 日发布" is a date, not an 11-day launch: no number right after 月.
    r"(?:为期)?\s*(?<![月\d])(?<!月 )(\d{1,2}|十二|十)\s*(?:天|日|集|场|连发)(?:的)?\s*(?:连续)?\s*(?:AI\s*)?(?:重大)?\s*[“\"「]?"
    r"(?:产品)?(?:发布会|发布活动|发布|连发|直播)"
    r"|(?:\b(\d{1,2})\s+Days of\s+([A-Z][A-Za-z]+)))"
)
_CONFERENCE = re.compile(
    r"(?=[首第A-Z开发大峰])"
    r"(?:(首届|第[一二三四五六七八九十\d]+届)\s*)?([A-Z][A-Za-z]*\s?)?(开发者大会|开发者日|DevDay|Dev Day|发布会|大会|峰会|Conference|Summit)"
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
    companies = [m for m in ctx.shared(match_lexicon) if m.etype == "Company"]
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
                conf = CONF_STRONG_PATTERN if ctx.in_heading(start) else CONF_PATTERN
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
        out.extend(_year_editions(ctx, sentence))
        out.extend(_quoted_events(ctx, sentence))
    return out


# "Microsoft Build 2025", "LlamaCon 2026", "Cohere Connect 2026": capitalised
# words, then a year. Months and quarters are dates, not names.
_YEAR_EDITION = GatedPattern(
    r"(?<![\w/&.-])((?:[A-Z][\w/:&.-]*)(?: [A-Z][\w/:&.-]*){0,3}) ((?:19|20)\d\d)(?![\w%]|\.\d)",
    "19", "20",
)
# "WWDC26": a known event's name with two digits of the year run on.
_SHORT_YEAR_EDITION = re.compile(r"(?<![\w/&.-])([A-Z][A-Za-z]{1,15})([2-3]\d)(?![\w%.])")
_NOT_AN_EVENT_WORD = frozenset(
    "january february march april may june july august september october november december jan feb mar apr "
    "jun jul aug sep sept oct nov dec q1 q2 q3 q4 h1 h2 fy spring summer autumn fall winter in since by "
    "from until early late end mid at the during after before this last next our its".split()
)
# Words that end an event's name whatever its owner: "Cohere Connect 2026".
_EVENT_NAME_END = re.compile(
    r"(?:Con|Conf|Conference|Summit|Connect|Expo|Forum|Week|Day|Days|Live|Keynote|Hackathon|Festival|Fest|"
    r"Congress|Symposium|World|Unpacked|Ignite|Build|Next|Invent)$"
)
# Verbs and prepositions that place something at an event.
_EVENT_CUE_BEFORE = re.compile(
    r"\b(?:at|during|ahead of|before|after|since|opened|opens|kicked off|kicks off|hosted|hosts|held|holds|"
    r"keynote at|stage at|attend(?:ed|s)?)\s+(?:the\s+)?(?:[a-z]+\s+){0,2}$|(?:在|于)\s*$"
)

# Words after the year that make the name an event: "Adobe MAX London 2026 keynote".
_EVENT_CUE_AFTER = re.compile(r"\s+(?:opening |developer |developers' )?(?:keynote|conference|summit|livestream|"
                              r"expo|hackathon)\b", re.I)


def _year_editions(ctx: ExtractionContext, sentence) -> list[Mention]:
    """One year's edition of a conference: a known event's name and a year
    ("Microsoft Build 2025", "GTC 2026", "WWDC26"), or capitalised words and
    a year that the words' ending or the words before mark as an event
    ("Cohere Connect 2026", "at VivaTech 2025"). Named after the year, so
    that the 2026 keynote is not the series."""
    out = []
    text = ctx.doc.text
    for m in _YEAR_EDITION.finditer(sentence.text):
        words, year = m.group(1).split(" "), m.group(2)
        # "Live: Adobe MAX London 2026": a label before a colon is no part of the name.
        labelled = [k for k, w in enumerate(words) if w.endswith(":")]
        if labelled:
            words = words[labelled[-1] + 1:]
        while words and words[0].lower() in _NOT_AN_EVENT_WORD:
            words.pop(0)
        if not words or words[-1].lower() in _NOT_AN_EVENT_WORD:
            continue
        name = " ".join(words)
        start = sentence.start + m.end(1) - len(name)
        end = sentence.start + m.end()
        surface = text[start:end]
        known = ctx.lexicon.lookup(surface)
        if known is not None:
            if known.type == "Event":
                out.append(mention(ctx, start, end, "Event", known.name, CONF_STRONG_PATTERN, "event-edition"))
            continue
        series = _known_series(ctx, words)
        if series is not None:
            out.append(mention(ctx, start, end, "Event", f"{series} {year}", CONF_STRONG_PATTERN, "event-edition"))
        elif ctx.lexicon.lookup(name) is None and (
                _EVENT_NAME_END.search(name) or _EVENT_CUE_BEFORE.search(text[max(sentence.start, start - 24):start])
                or _EVENT_CUE_AFTER.match(text, end)):
            out.append(mention(ctx, start, end, "Event", None, CONF_PATTERN, "event-edition"))
    for m in _SHORT_YEAR_EDITION.finditer(sentence.text):
        entry = ctx.lexicon.lookup(m.group(1), "Event")
        if entry is not None and entry.type == "Event":
            start, end = sentence.start + m.start(), sentence.start + m.end()
            known = ctx.lexicon.lookup(text[start:end], "Event")
            out.append(mention(ctx, start, end, "Event", known.name if known else None, CONF_STRONG_PATTERN,
                               "event-edition"))
    return out


def _known_series(ctx: ExtractionContext, words: list[str]) -> str | None:
    """The lexicon's event named by ``words`` or by their last ones ("GTC"
    of "the GTC"), the longest first."""
    for k in range(len(words)):
        entry = ctx.lexicon.lookup(" ".join(words[k:]), "Event")
        if entry is not None and entry.type == "Event":
            return entry.name
    return None


# "在北京举办的“智谱 Open Day”上", "举办“可灵AI两周年”发布会": a quoted name
# that the words around it make an event.
_QUOTED = r"[“\"「]([^”\"」\n]{2,30})[”\"」]"
_QUOTED_EVENT = re.compile(
    rf"(?:举办|召开|举行|主办)(?:的)?\s*{_QUOTED}|{_QUOTED}\s*(?:发布会|大会|峰会|开幕|活动上|现场|上\s*(?:正式)?(?:发布|推出|宣布|亮相))"
)
_EVENT_IN_NAME = re.compile(r"大会|峰会|发布会|开放日|开发者日|论坛|年会|周年|嘉年华|Open Day|Summit|Conference|DevDay|Dev Day",
                            re.I)


def _quoted_events(ctx: ExtractionContext, sentence) -> list[Mention]:
    """Quoted event names in Chinese prose: after 举办/召开, or before 发布会/大会
    or 上发布 (「MiniMax 开发者日 2026」上发布)."""
    out = []
    for m in _QUOTED_EVENT.finditer(sentence.text):
        group = 1 if m.group(1) is not None else 2
        name = m.group(group).strip()
        if not name or (group == 2 and not _EVENT_IN_NAME.search(name) and "举办" not in sentence.text):
            continue
        known = ctx.lexicon.lookup(name)
        if known is not None and known.type != "Event":
            continue
        start = sentence.start + m.start(group)
        start += len(m.group(group)) - len(m.group(group).lstrip())
        out.append(mention(ctx, start, start + len(name), "Event", known.name if known else None, CONF_STRONG_PATTERN,
                           "event-quoted"))
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


def day_number(name: str) -> int | None:
    """The day number in a day event's canonical name (``… Day 9`` → 9)."""
    m = re.search(r"Day (\d+)$", name)
    return int(m.group(1)) if m else None
