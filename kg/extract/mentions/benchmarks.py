"""Benchmarks named by the words around them: ``X 基准测试``, ``X 测试``,
``X benchmark``, ``在 X 上/中`` next to a score; and a known benchmark's
edition by its year (``AIME 2026``)."""
from __future__ import annotations

import re

from kg.extract.base import CONF_PATTERN, CONF_STRONG_PATTERN, GatedPattern, latin_boundary, mention
from kg.extract.context import ExtractionContext
from kg.extract.mentions.lexicon import match_lexicon
from kg.models import Mention

_BENCH = GatedPattern(
    r"[“\"「]?((?:[A-Z][A-Za-z0-9\-]*|[A-Z]{2,}[A-Za-z0-9\-]*)(?:[ \-][A-Z0-9][A-Za-z0-9\-]*){0,2})[”\"」]?\s?"
    # "the USAMO math benchmark": one word of what it tests may come between.
    r"(?:(?:math|maths|coding|code|reasoning|science|agentic|multimodal|knowledge|vision|video|agent) )?"
    r"(?:基准测试|基准|测试集|测试|评测|测评|评估|榜单|排行榜|benchmark|Benchmark|leaderboard|eval)",
    "基准", "测试", "评测", "测评", "评估", "榜单", "排行榜", "enchmark", "leaderboard", "eval",
)
_SKIP = frozenset({"API", "AI", "A/B", "AB", "Beta", "Alpha", "Demo"})


# "AIME 2026": a yearly benchmark's edition, written after its name.
_YEAR_AFTER = re.compile(r"[ \t]?((?:19|20)\d\d)(?![\d.%])")


def _editions(ctx: ExtractionContext) -> list[Mention]:
    """A known benchmark followed by a year is that year's edition ("AIME
    2026"), named so unless the lexicon knows the edition ("AIME 2025")."""
    out = []
    text = ctx.doc.text
    for m in ctx.shared(match_lexicon):
        if m.etype != "Benchmark" or any(ch.isdigit() for ch in m.surface):
            continue
        year = _YEAR_AFTER.match(text, m.end)
        if year is None or not latin_boundary(text, m.start, year.end()):
            continue
        known = ctx.lexicon.lookup(text[m.start:year.end()], "Benchmark")
        name = known.name if known is not None else f"{m.canonical} {year.group(1)}"
        out.append(mention(ctx, m.start, year.end(), "Benchmark", name, CONF_STRONG_PATTERN, "benchmark-edition"))
    return out


def find_benchmark_mentions(ctx: ExtractionContext) -> list[Mention]:
    """Latin-script names followed by a benchmark word, and known benchmarks
    followed by a year."""
    out: list[Mention] = _editions(ctx)
    text = ctx.doc.text
    for sentence in ctx.sentences:
        for m in _BENCH.finditer(sentence.text):
            name = m.group(1)
            if name in _SKIP:
                continue
            start, end = sentence.start + m.start(1), sentence.start + m.end(1)
            if not latin_boundary(text, start, end):
                continue
            entry = ctx.lexicon.lookup(name)
            if entry is not None:
                if entry.type == "Benchmark":
                    out.append(mention(ctx, start, end, "Benchmark", entry.name, CONF_STRONG_PATTERN, "benchmark-context"))
                continue
            out.append(mention(ctx, start, end, "Benchmark", None, CONF_PATTERN, "benchmark-context"))
    return out
