"""What the relation model sees of a candidate pair: the classes, their
order and distance, the words between and around them, and how their names
relate. Every feature is a readable string; values are 1.0."""
from __future__ import annotations

import re

from kg.extract.learned.candidates import Candidate
from kg.text_units import CJK

_LATIN_WORD = re.compile(r"[A-Za-z]+")
_CJK_RUN = re.compile(f"[{CJK}]+")
_MARKS = frozenset("：:，,、；;（()）—–-/|·「」“”\"'")
#: Tokens kept from each end of a long gap.
_EDGE_TOKENS = 4


def tokens(text: str) -> list[str]:
    """Lower-cased Latin words and Chinese character pairs, in text order,
    with the punctuation marks that separate clauses."""
    out: list[tuple[int, str]] = [(m.start(), m.group().lower()) for m in _LATIN_WORD.finditer(text)]
    for m in _CJK_RUN.finditer(text):
        run = m.group()
        if len(run) == 1:
            out.append((m.start(), run))
        out.extend((m.start() + i, run[i:i + 2]) for i in range(len(run) - 1))
    out.extend((i, ch) for i, ch in enumerate(text) if ch in _MARKS)
    return [t for _, t in sorted(out)]


def _gap_bucket(chars: int) -> str:
    for bound, name in ((0, "0"), (3, "1-3"), (10, "4-10"), (30, "11-30"), (80, "31-80")):
        if chars <= bound:
            return name
    return "80+"


def _head(name: str) -> str:
    m = re.match(r"[A-Za-z]+|[\u4e00-\u9fff]{1,2}", name)
    return m.group().lower() if m else ""


def pair_features(text: str, candidate: Candidate) -> dict[str, float]:
    """The features of one candidate pair of the document ``text``."""
    s, o = candidate.subject, candidate.object
    first, second = (s, o) if s.start < o.start else (o, s)
    types = f"{s.etype}>{o.etype}"
    feats = {f"types={types}": 1.0, f"order={'so' if s is first else 'os'}|{types}": 1.0}
    if candidate.heading:
        # A heading and an item under it: the words between are the whole
        # section, so the item's own words speak instead.
        feats[f"under_heading|{types}"] = 1.0
        feats[f"under_heading|order={'so' if s is first else 'os'}"] = 1.0
        for tok in tokens(text[candidate.sentence.start:candidate.sentence.end])[:6]:
            feats[f"item={tok}"] = 1.0
        return feats
    gap = text[first.end:second.start] if first.end <= second.start else ""
    feats[f"gap={_gap_bucket(len(gap))}"] = 1.0
    between = tokens(gap)
    if len(between) > 2 * _EDGE_TOKENS:
        between = between[:_EDGE_TOKENS] + between[-_EDGE_TOKENS:]
    for tok in between:
        feats[f"btw={tok}"] = 1.0
        feats[f"btw={tok}|{types}"] = 1.0
    sent = candidate.sentence
    left = tokens(text[max(sent.start, first.start - 24):first.start])[-2:]
    right = tokens(text[second.end:min(sent.end, second.end + 24)])[:2]
    for tok in left:
        feats[f"left={tok}"] = 1.0
    for tok in right:
        feats[f"right={tok}"] = 1.0
    inside = sum(1 for m in candidate.others if first.end <= m.start and m.end <= second.start)
    feats[f"mentions_between={min(inside, 3)}"] = 1.0
    s_name, o_name = (s.canonical or s.surface).lower(), (o.canonical or o.surface).lower()
    if o_name and o_name in s_name:
        feats["object_name_in_subject"] = 1.0
    if s_name and s_name in o_name:
        feats["subject_name_in_object"] = 1.0
    if _head(s_name) and _head(s_name) == _head(o_name):
        feats["same_head_word"] = 1.0
    for side, m in (("s", s), ("o", o)):
        if m.canonical:
            feats[f"{side}_known"] = 1.0
        feats[f"{side}_by={m.extractor.split('@', 1)[0]}"] = 1.0
    if len(candidate.others) >= 3:
        feats["crowded"] = 1.0
    return feats
