"""Reported numbers: benchmark scores and prices, each tied to the model or
item the sentence (or, failing that, the governing heading) names."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from kg.extract.base import CONF_PATTERN, CONF_WEAK_PATTERN
from kg.extract.context import ExtractionContext
from kg.extract.relations.common import MentionIndex, evidence_for
from kg.models import Mention, QuantityMention

# Keyed by the unit as written, spaces removed ("per cent", "th percentile").
_UNITS = {"%": "percent", "％": "percent", "percent": "percent", "分": "points", "百分位": "percentile",
          "percentile": "percentile", "thpercentile": "percentile"}
# Between a benchmark and a bare score: "LiveCodeBench中得分", or one
# comma after a "在…中" frame: "在LiveCodeBench中，云帆-2得分".
_BARE_AFTER_BENCH = re.compile(r"[^，,；;。:：]*$|\s*(?:测试|评测|测评|基准)?\s*[中上里]\s*[，,][^，,；;。:：]{0,24}$")
# "63.8% on SWE-bench Verified": the benchmark follows its score.
_BENCH_FOLLOWS = re.compile(r"\s*(?:on|in|at|for|across)\s+(?:the\s+)?(?:\d{4}\s+)?$")
_CURRENCY_SYMBOL = {"$": "USD", "US$": "USD", "＄": "USD", "￥": "CNY", "¥": "CNY", "€": "EUR", "£": "GBP"}
_CURRENCY_WORD = {"美元": "USD", "美金": "USD", "元": "CNY", "人民币": "CNY", "块": "CNY", "欧元": "EUR",
                  "英镑": "GBP", "日元": "JPY", "USD": "USD", "CNY": "CNY", "RMB": "CNY", "EUR": "EUR", "dollars": "USD"}
# What a price is per: "1M input tokens", "月", "seat" (the captured group).
_PER_WHAT = r"\s*((?:1\s*[kKmM]|百万|千|million|thousand|1,000|1000|1,000,000|一百万|100万)?\s*(?:input |output |输入|输出)?\s*(?:tokens?|token|个\s*tokens?)|月|month|mo|年|year|次|session|GB|小时|hour|分钟|minute|张|image|秒|second|天|day|人|user|seat)"
_PER = r"\s*(?:/|每|per|一|an?(?= ))" + _PER_WHAT  # "$14.99 a month"
_PRICE_SYMBOL = re.compile(r"(US\$|\$|＄|￥|¥|€|£)\s?(\d[\d,]*(?:\.\d+)?)(?:" + _PER + r")?")
_PRICE_WORD = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s?(美元|美金|人民币|欧元|英镑|日元|元|USD|CNY|RMB|EUR|dollars)(?:" + _PER + r")?")
# Prices said aloud, as transcripts print them: "three dollars per million
# input tokens", "thirty-nine dollars a month", "thirty cents".
_SMALL = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
_BELOW_1000 = (r"(?:(?:" + "|".join(_TENS) + r")(?:[- ](?:" + "|".join(list(_SMALL)[1:10]) + r"))?|"
               + "|".join(sorted(_SMALL, key=len, reverse=True)) + r")(?: hundred(?: and)?(?: (?:"
               + "|".join(_TENS) + "|" + "|".join(sorted(_SMALL, key=len, reverse=True)) + r")(?:[- ]\w+)?)?)?")
# "three thousand nine hundred ninety-nine"
_NUMBER_WORDS = _BELOW_1000 + r"(?: thousand(?:,? (?:and )?" + _BELOW_1000 + r")?)?"
_PRICE_SPOKEN = re.compile(r"(?<![\w-])(" + _NUMBER_WORDS + r") (dollars|cents)\b(?:" + _PER + r")?", re.I)


_DIGIT_WORDS = list(_SMALL)[:10]  # zero … nine
_SCORE = re.compile(
    r"(\d{1,5}(?:\.\d+)?)\s*(%|％|百分位|(?:th )?percentile|per\s?cent\b|分|points?|pts)"
    r"|(\d{3,5})\s*(?:的\s*)?(?:Elo|ELO|elo)(?:\s*(?:分|评分|rating))?"
    r"|(?:Elo|ELO|elo)\s*(?:评分|分数|rating|score)?\s*(?:为|达到|达|of|:|：)?\s*(\d{3,5})"
    # "得分70.7", "斩获81.5", "scores 84.9 on GPQA Diamond": a bare number
    # after a scoring verb is points.
    r"|(?:得分|得到|取得了?|获得了?|斩获了?|拿下了?|(?<![A-Za-z])(?:scores?|scored|scoring|hits|achieves|achieved)\s+(?:an?\s+)?)"
    r"\s*(?:为\s*)?(\d{1,5}(?:\.\d+)?)(?![\d.]|\s*(?:%|％|分|百分|per\s?cent|points?|pts|[Ee]lo|ELO))"
    # Transcripts: "eighty-seven point one percent", "ninety-four point three".
    # Only with "point": a number said without decimals is too often no score.
    r"|(?<![\w-])((?i:" + _NUMBER_WORDS + r") point(?: (?:" + "|".join(_DIGIT_WORDS) + r"))+)(?:\s+(percent|per cent)\b)?"
)


def spoken_number(words: str) -> int | None:
    """The value of an English number in words below a million
    ("thirty-nine" → 39, "three thousand nine hundred ninety-nine" → 3999)."""
    thousands, value = 0, 0
    for w in re.split(r"[-, ]+", words.lower()):
        if w == "and":
            continue
        if w in _SMALL:
            value += _SMALL[w]
        elif w in _TENS:
            value += _TENS[w]
        elif w == "hundred" and value:
            value *= 100
        elif w == "thousand" and value and not thousands:
            thousands, value = value * 1000, 0
        else:
            return None
    return thousands + value


def spoken_decimal(words: str | None) -> str | None:
    """"eighty-seven point one" → "87.1"; None when the words are no number."""
    if not words:
        return None
    whole, _, digits = words.lower().partition(" point ")
    value = spoken_number(whole)
    if value is None:
        return None
    return f"{value}." + "".join(str(_SMALL[d]) for d in digits.split())


_MONTHLY = re.compile(r"月费|每月|per month|/月|a month|monthly")
_NOT_PRICE = re.compile(r"收入|营收|估值|融资|市值|工资|薪|亿|revenue|valuation|funding|income")
_INPUT_OUTPUT = re.compile(r"(输入|input)|(输出|output)", re.I)


def decimal_text(s: str) -> str | None:
    """A number as written ("1,000.50") as a normalized decimal literal ("1000.5")."""
    try:
        d = Decimal(s.replace(",", ""))
    except InvalidOperation:
        return None
    text = format(d.normalize(), "f")
    return text


def find_quantities(ctx: ExtractionContext, index: MentionIndex) -> list[QuantityMention]:
    """Benchmark results and prices, one per stated number."""
    out: list[QuantityMention] = []
    for sentence in ctx.statement_sentences:
        ms = sorted(index.in_sentence(sentence), key=lambda m: m.start)
        benches = [m for m in ms if m.etype == "Benchmark"]
        if benches:
            out.extend(_scores(ctx, index, sentence, ms, benches))
        out.extend(_prices(ctx, index, sentence, ms))
    return out


_COMPARED = re.compile(r"比|较|相比|相较|超过?|超越|胜过|优于|高于|低于|than|versus|\bvs\b|outperform|beat")
_PRONOUN = re.compile(r"^(?:It|It's|Its|The model|This model|The new model|The company|它|其|该模型|这款模型|此模型|新模型)\b|^(?:它|其|该模型|这款模型|此模型|新模型)")


def _subject(index: MentionIndex, ms: list[Mention], before: int, types: tuple[str, ...], offset: int) -> Mention | None:
    """What a number is about: the nearest mention of ``types`` before it in
    the sentence, else in its paragraph (not the object of a comparison:
    "比 GPT-4 便宜 3 倍"), else the single such entity the governing heading
    names."""
    text = index.ctx.doc.text

    def usable(m: Mention) -> bool:
        if m.etype not in types or m.end > before:
            return False
        # Not what its clause compares against: "超GPT-3和GPT-4o" names rivals.
        # Only the last 30 characters are read: a clause break further back
        # changes nothing, and searching back to the start of a long
        # document for each mark grew with the square of its length.
        window = max(0, m.start - 30)
        clause_start = max(text.rfind(p, window, m.start) for p in "，,。；;：:\n") + 1
        return not _COMPARED.search(text[max(clause_start, window):m.start])

    cands = [m for m in ms if usable(m)]
    if cands:
        return cands[-1]
    para = index.paragraph_of(offset)
    sentence = index.ctx.sentence_index.at(offset)
    if para is not None and sentence is not None and _PRONOUN.match(sentence.text):
        # "It scores 59.4% …", "The model costs $3 …", "该模型…": the
        # paragraph's topic, its first model or product.
        topic = [m for m in index.in_range(para[0], sentence.start) if m.etype in types]
        if topic:
            return topic[0]
    if para is not None:
        cands = [m for m in index.in_range(para[0], before) if usable(m)]
        if cands:
            return cands[-1]
    found = index.innermost_heading_with(offset, types)
    if found:
        heading, named = found
        if len({(n.etype, n.canonical or n.surface) for n in named}) == 1:
            return named[0]
    return None


def _scores(ctx, index, sentence, ms, benches) -> list[QuantityMention]:
    out = []
    used_bench: set[int] = set()
    text = ctx.doc.text
    for m in _SCORE.finditer(sentence.text):
        start, end = sentence.start + m.start(), sentence.start + m.end()
        if any(b.start <= start < b.end for b in benches):
            continue  # a number inside a benchmark name ("Goodness@0.1")
        value = m.group(1) or m.group(3) or m.group(4) or m.group(5) or spoken_decimal(m.group(6))
        unit = "elo" if m.group(3) or m.group(4) else _UNITS.get(re.sub(r"\s", "", m.group(2) or m.group(7) or ""), "points")
        prior = [b for b in benches if b.end <= start]
        after = [b for b in benches if b.start >= end]
        if m.group(5) and not (prior and _BARE_AFTER_BENCH.match(text[prior[-1].end:start])) \
                and not (after and _BENCH_FOLLOWS.fullmatch(text[end:after[0].start])):
            continue  # a bare number counts only beside its benchmark, in its clause or the next
        if after and _BENCH_FOLLOWS.fullmatch(text[end:after[0].start]):
            bench = after[0]
        else:
            bench = prior[-1] if prior else benches[0]
        models_before = [x for x in ms if x.etype == "Model" and x.end <= start]
        direct = models_before and start - models_before[-1].end <= 6
        if id(bench) in used_bench and not direct:
            continue  # a second number for the same benchmark: a comparison (human experts, …)
        model = models_before[-1] if direct else _subject(index, ms, start, ("Model",), start)
        if model is None:
            continue
        used_bench.add(id(bench))
        d = decimal_text(value)
        if d is None:
            continue
        ev = evidence_for(ctx, sentence.start, sentence.end, CONF_PATTERN if model in ms else CONF_WEAK_PATTERN, "quantity-score")
        out.append(QuantityMention("BenchmarkResult", model, bench, d, unit, None, ev))
    return out


def _prices(ctx, index, sentence, ms) -> list[QuantityMention]:
    out = []
    if _NOT_PRICE.search(sentence.text):
        return out
    for rx, kind in ((_PRICE_SYMBOL, "symbol"), (_PRICE_WORD, "word"), (_PRICE_SPOKEN, "spoken")):
        for m in rx.finditer(sentence.text):
            start = sentence.start + m.start()
            per = m.group(3)
            if kind == "symbol":
                currency = _CURRENCY_SYMBOL[m.group(1)]
                amount = decimal_text(m.group(2))
            elif kind == "word":
                currency = _CURRENCY_WORD[m.group(2)]
                amount = decimal_text(m.group(1))
            else:
                value = spoken_number(m.group(1))
                currency = "USD"
                cents = m.group(2).lower() == "cents"
                amount = None if value is None else decimal_text(f"{value / 100:.2f}" if cents else str(value))
            if amount is None:
                continue
            # A model or product is what is priced; a feature only when
            # nothing else is named (a per-session tool price).
            item = _subject(index, ms, start, ("Model", "Product"), start) or \
                _subject(index, ms, start, ("Feature",), start)
            if item is None:
                continue
            unit = _unit(per, sentence.text[: m.start()])
            ev = evidence_for(ctx, sentence.start, sentence.end, CONF_PATTERN if item in ms else CONF_WEAK_PATTERN, "quantity-price")
            out.append(QuantityMention("Price", item, None, amount, unit, currency, ev))
    return out


# "价格为每百万输入tokens 2元": the unit written before the amount.
_PER_BEFORE = re.compile(r"(?:每|per)" + _PER_WHAT + r"[^\d，,。；;]{0,8}$")


def _unit(per: str | None, before: str) -> str | None:
    if not per:
        lead = _PER_BEFORE.search(before[-30:])
        if lead and re.search(r"token", lead.group(1), re.I):
            per = lead.group(1)
        else:
            return "month" if _MONTHLY.search(before[-12:]) else None
    per = per.strip()
    if re.search(r"token", per, re.I):
        scale = "1M" if re.search(r"\b1\s*[mM]\b|million|百万|1,000,000|100万", per) else (
            "1K" if re.search(r"\b1\s*[kK]\b|thousand|千|1,000|1000", per) else "")
        if re.search(r"input|输入", per):
            return f"{scale} input tokens".strip()
        if re.search(r"output|输出", per):
            return f"{scale} output tokens".strip()
        io = _INPUT_OUTPUT.findall(before[-20:])
        kind = ""
        if io:
            last = io[-1]
            kind = " input" if last[0] else " output"
        return f"{scale}{kind} tokens".strip()
    return {"月": "month", "mo": "month", "年": "year", "次": "session", "小时": "hour", "分钟": "minute",
            "张": "image", "秒": "second", "天": "day", "人": "user"}.get(per, per)
