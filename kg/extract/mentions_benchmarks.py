"""Benchmarks named by the words around them: ``X 基准测试``, ``X 测试``,
``X benchmark``, ``在 X 上/中`` next to a score."""
from __future__ import annotations

import re

from kg.extract.base import CONF_PATTERN, CONF_STRONG_PATTERN, latin_boundary, mention
from kg.extract.context import ExtractionContext
from kg.models import Mention

_BENCH = re.compile(
    r"[“\"「]?((?:[A-Z][A-Za-z0-9\-]*|[A-Z]{2,}[A-Za-z0-9\-]*)(?:[ \-][A-Z0-9][A-Za-z0-9\-]*){0,2})[”\"」]?\s?"
    # "the USAMO math benchmark": one word of what it tests may come between.
    r"(?:(?:math|maths|coding|code|reasoning|science|agentic|multimodal|knowledge|vision|video|agent) )?"
    r"(?:基准测试|基准|测试集|测试|评测|测评|评估|榜单|排行榜|benchmark|Benchmark|leaderboard|eval)"
)
_SKIP = frozenset({"API", "AI", "A/B", "AB", "Beta", "Alpha", "Demo"})


def find_benchmark_mentions(ctx: ExtractionContext) -> list[Mention]:
    """Latin-script names followed by a benchmark word."""
    out: list[Mention] = []
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
