"""Features, found by the words that introduce them.

A feature is a named capability: what follows 支持/新增/推出/引入 … (功能),
a quoted term before 功能/模式/方法, ``X 模式`` / ``X mode``, API parameters
written as code (``seed``), and the items of a list under a heading such as
核心功能 / 功能特点 / Features.
"""
from __future__ import annotations

import re

from kg.extract.base import CJK, CONF_PATTERN, CONF_STRONG_PATTERN, CONF_WEAK_PATTERN, GatedPattern, mention
from kg.extract.context import ExtractionContext
from kg.models import Mention

_INTRO = re.compile(
    r"(?:支持|新增|推出|引入|加入|提供|上线|开放|增加|带来|包括|包含|发布|具备|拥有|内置|introduc(?:es|ed|ing)|adds?|added|supports?|launch(?:es|ed)?)"
    r"(?:了|对)?\s*"
)
_LIST_END = re.compile(r"(?:等)?(?:新)?(?:功能|能力|特性|features?|capabilit(?:y|ies))|[。；;！!？?\n]")
_SPLIT = re.compile(r"\s*(?:、|，|,|以及|及|和|与|跟|并且|and|or|/)\s*")
_PAREN = re.compile(r"[（(][^）)]{0,60}[）)]")
_LEAD = re.compile(r"^(?:了|对|新的|全新的|全新|新|官方的|官方|一个|一种|更多的?|多个|多种|各种|的|the |a |an |new )+", re.I)
_TRAIL = re.compile(r"(?:功能|能力|特性|支持|等|的|技术|feature|features|support)+$", re.I)
_VERBISH = re.compile(
    r"的|且|可以|可|能够|能|让|使|将|是|在|了|更|很|非常|大幅|我们|你|他|它|这|那|个|即|并|被|把|会|要|也|都|就|"
    r"还|已|正|从|向|为|到|对|用|给|只|不|没|无|有|后|前|中|上|下|里|该|此|其|及|于|得|着|过|吗|呢|吧|啊|"
    r"一|些|较|令|免费|每|东西|以上|以下|左右|\d"
)
# Characters a named capability does not contain (prices, ratios, ranges).
_NOT_IN_NAME = re.compile(r"[:：$￥%/／|=<>@#]")
_QUOTED = GatedPattern(r"[“\"「『]([^”\"」』\n]{2,16})[”\"」』]\s*(?:的)?\s*(?:新)?(?:功能|模式|方法|技术|特性|参数|能力)",
                       "功能", "模式", "方法", "技术", "特性", "参数", "能力")
_CALLED = GatedPattern(r"(?:称为|叫做|名为|叫|called|named)\s*[“\"「『]([^”\"」』\n]{2,16})[”\"」』]",
                       "称为", "叫", "名为", "called", "named")
_MODE = GatedPattern(r"(?<![A-Za-z0-9])([A-Z][A-Za-z0-9]*(?:[ -][A-Za-z0-9]+)?)\s?(?:模式|mode|Mode)(?![A-Za-z])",
                     "模式", "mode", "Mode")
_CODE_PARAM = GatedPattern(r"`([a-z_][a-z0-9_]{1,30})`", "`")
_PARAM = GatedPattern(r"(?<![A-Za-z0-9_])([a-z_][a-z0-9_]{1,30})\s?参数", "参数")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+•]|\d+[.、)])\s+(.*)$", re.M)
_BOLD_LEAD = re.compile(r"^\*\*([^*]{1,30})\*\*")
_BOLD_LABEL = re.compile(r"^\*\*([^*\n]{2,40})\*\*\s*[:：]|^\*\*([^*\n]{2,40})[:：]\*\*")
_SLASH = re.compile(r"[^/／]+")
# Labels of a release note's items that are not capabilities.
_NOT_A_FEATURE_LABEL = frozenset(
    "price,pricing,prices,availability,available,benchmarks,benchmark,note,notes,languages,language,status,context,"
    "release date,regions,region,license,licence,limits,limitations,requirements,deprecation,deprecated,"
    "breaking change,breaking changes,fixes,fixed,bug fixes,known issues,docs,documentation,sdk,api,model,models,"
    "who,when,where,why,what,how,价格,定价,上线时间,可用性,说明,注意,备注,适用,限制,语言,地区,文档".split(",")
)
_EN_PREPOSITION = re.compile(r"\s+(?:on|in|for|to|with|at|from|by|into|across|via)\s+", re.I)
_EN_STOP = frozenset("a an the new this that its their our your more most all any some it".split())
_CONTEXT_SIZE = GatedPattern(
    r"(?<![\w.])(\d+(?:\.\d+)?\s?[KkMm])(?:[- ]tokens?)?\s?(?:的)?\s?(?:context window|context|上下文窗口|上下文长度|上下文)",
    "context", "上下文",
)
_FEATURE_HEAD = re.compile(r"功能|特性|特点|能力|亮点|features?|capabilit", re.I)


def find_feature_mentions(ctx: ExtractionContext) -> list[Mention]:
    """Capabilities named after introducing words, in quotes, as modes,
    as API parameters, and as items of feature lists."""
    out: list[Mention] = []
    for sentence in ctx.sentences:
        _intro_lists(ctx, sentence, out)
        base = sentence.start
        for rx, conf in ((_QUOTED, CONF_STRONG_PATTERN), (_CALLED, CONF_PATTERN)):
            for m in rx.finditer(sentence.text):
                _add_phrase(ctx, out, base + m.start(1), base + m.end(1), conf, "feature-quoted", strict=False)
        for m in _MODE.finditer(sentence.text):
            start, end = base + m.start(), base + m.end()
            _add_phrase(ctx, out, start, end, CONF_PATTERN, "feature-mode", strict=False, keep_suffix=True)
        for rx in (_CODE_PARAM, _PARAM):
            for m in rx.finditer(sentence.text):
                _add_phrase(ctx, out, base + m.start(1), base + m.end(1), CONF_PATTERN, "feature-parameter", strict=False)
    _feature_lists(ctx, out)
    out.extend(_context_sizes(ctx))
    return out


def _context_sizes(ctx: ExtractionContext) -> list[Mention]:
    """"128k上下文窗口", "200K token context window": a context size is a feature."""
    out = []
    for sentence in ctx.sentences:
        for m in _CONTEXT_SIZE.finditer(sentence.text):
            start, end = sentence.start + m.start(), sentence.start + m.end()
            size = m.group(1).replace(" ", "").upper()
            entry = ctx.lexicon.lookup(f"{size} Context Window", "Feature")
            out.append(mention(ctx, start, end, "Feature", entry.name if entry else f"{size} Context Window",
                               CONF_STRONG_PATTERN, "feature-context-size"))
    return out


def _intro_lists(ctx: ExtractionContext, sentence, out: list[Mention]) -> None:
    text = sentence.text
    for m in _INTRO.finditer(text):
        tail_start = m.end()
        end_m = _LIST_END.search(text, tail_start)
        tail_end = end_m.start() if end_m else len(text)
        closed = bool(end_m and not re.match(r"[。；;！!？?\n]", end_m.group()))
        if tail_end - tail_start > 120:
            continue
        segment = text[tail_start:tail_end]
        # Blank out parentheticals with the same length so offsets hold.
        masked = _PAREN.sub(lambda p: " " * len(p.group()), segment)
        pos = 0
        for piece in _SPLIT.split(masked):
            idx = masked.find(piece, pos)
            if idx < 0 or not piece.strip():
                continue
            pos = idx + len(piece)
            start = sentence.start + tail_start + idx
            _add_phrase(ctx, out, start, start + len(piece),
                        CONF_PATTERN if closed else CONF_WEAK_PATTERN, "feature-intro",
                        strict=not closed)


def _feature_lists(ctx: ExtractionContext, out: list[Mention]) -> None:
    text = ctx.doc.text
    lines = text.split("\n")
    offset = 0
    header_is_feature = False
    for line in lines:
        m = _LIST_ITEM.match(line)
        if m:
            item = m.group(1)
            item_start = offset + m.start(1)
            label = _BOLD_LABEL.match(item)
            text_of_label = label and (label.group(1) or label.group(2))
            if not header_is_feature and text_of_label and text_of_label.strip().lower() not in _NOT_A_FEATURE_LABEL \
                    and re.search(r"[A-Za-z]{2}", text_of_label) \
                    and ("/" in text_of_label or "／" in text_of_label or not re.search(f"[{CJK}]", text_of_label)):
                # "- **Emotion tags / 情感标签**: inline tags …": a release
                # note's item names its capability before the colon, in
                # English or in both languages (a Chinese label alone is
                # more often a summary: "**内容分析**：").
                for part in _SLASH.finditer(text_of_label):
                    _add_phrase(ctx, out, item_start + 2 + part.start(), item_start + 2 + part.end(),
                                CONF_PATTERN, "feature-label", strict=False)
            if header_is_feature:
                bold = _BOLD_LEAD.match(item)
                if bold:
                    _add_phrase(ctx, out, item_start + 2, item_start + 2 + len(bold.group(1)),
                                CONF_PATTERN, "feature-list", strict=False)
                elif len(item.strip()) <= 14:
                    _add_phrase(ctx, out, item_start, item_start + len(item.rstrip()),
                                CONF_PATTERN, "feature-list", strict=False)
        elif line.strip() and not line.strip().startswith("```"):
            header_is_feature = bool(_FEATURE_HEAD.search(line)) and len(line) < 40
        offset += len(line) + 1


_HEAD_NAME = re.compile(r"[A-Za-z][A-Za-z0-9.\-]*(?: [A-Za-z0-9.\-]+)?")


def _model_then_feature(ctx: ExtractionContext, start: int, end: int) -> list[Mention]:
    """"GPT-4微调" is the model GPT-4 and the feature 微调 (fine-tuning)."""
    text = ctx.doc.text
    m = _HEAD_NAME.match(text, start, end)
    if not m:
        return []
    head = ctx.lexicon.lookup(m.group())
    rest_start = m.end()
    while rest_start < end and text[rest_start] == " ":
        rest_start += 1
    feature = ctx.lexicon.lookup(text[rest_start:end], "Feature")
    if head is None or head.type not in ("Model", "Product") or feature is None:
        return []
    return [mention(ctx, start, m.end(), head.type, head.name, CONF_PATTERN, "feature-compound"),
            mention(ctx, rest_start, end, "Feature", feature.name, CONF_PATTERN, "feature-compound")]


def _add_phrase(ctx: ExtractionContext, out: list[Mention], start: int, end: int, conf: float,
                component: str, strict: bool, keep_suffix: bool = False) -> None:
    """Clean a candidate phrase and keep it if it reads like a named capability."""
    text = ctx.doc.text
    raw = text[start:end]
    lead = _LEAD.match(raw.strip())
    stripped_left = len(raw) - len(raw.lstrip())
    start += stripped_left + (lead.end() if lead else 0)
    phrase = text[start:end].rstrip(" *：:")
    end = start + len(phrase)
    if not keep_suffix:
        trail = _TRAIL.search(phrase)
        if trail and trail.start() >= 2:
            end = start + trail.start()
            phrase = text[start:end]
    phrase = phrase.strip()
    if len(phrase) < 2 or not ctx.in_prose(start, end):
        return
    entry = ctx.lexicon.lookup(phrase)
    if entry is not None:
        out.append(mention(ctx, start, end, entry.type, entry.name, max(conf, CONF_STRONG_PATTERN), component))
        return
    compound = _model_then_feature(ctx, start, end)
    if compound:
        out.extend(compound)
        return
    if ctx.lexicon.is_generic(phrase) or strict or _NOT_IN_NAME.search(phrase):
        return
    if re.search(f"[{CJK}]", phrase):
        cjk_part = re.sub(r"[A-Za-z0-9 \-]", "", phrase)
        if _VERBISH.search(cjk_part.replace("模式", "")) or len(phrase) > 10:
            return
        if len(cjk_part) < 3 and not re.search(r"[A-Za-z]", phrase):
            return  # two Chinese characters alone are too often a plain word
    else:
        # English: a capitalised name or a known term, cut before a
        # preposition ("Artifacts on Claude.ai" → "Artifacts").
        cut = _EN_PREPOSITION.search(phrase)
        if cut:
            phrase = phrase[:cut.start()]
            end = start + len(phrase)
        words = phrase.split()
        if not words or len(words) > 4 or not re.match(r"[A-Za-z]", phrase):
            return
        if not any(w[0].isupper() for w in words) or all(w.lower() in _EN_STOP for w in words):
            return
    out.append(mention(ctx, start, end, "Feature", None, conf, component))
