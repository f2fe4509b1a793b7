"""Mentions of known names: the curated domain lexicon, matched by
Aho-Corasick in one pass over the lower-cased text."""
from __future__ import annotations

from kg.extract.base import CJK_RE, CONF_LEXICON, is_cjk, latin_boundary, mention
from kg.extract.context import ExtractionContext
from kg.models import Mention

# Ambiguous names ("Canvas", "Projects", "Go") count only with a cue nearby
# that says a product or feature is meant.
_AMBIGUOUS_CUES = ("功能", "模式", "工具", "应用", "app", "App", "API", "SDK", "发布", "推出",
                   "集成", "支持", "feature", "launch", "版本", "模型", "平台")


def find_lexicon_mentions(ctx: ExtractionContext) -> list[Mention]:
    """Every lexicon surface form found in prose, with the entry's canonical name."""
    text = ctx.doc.text
    out: list[Mention] = []
    for start, end, hits in ctx.lexicon.iter_hits(ctx.lowered):
        if not ctx.in_prose(start, end):
            continue
        raw = text[start:end]
        if not is_cjk(raw[0]) or not is_cjk(raw[-1]):
            if not latin_boundary(text, start, end):
                continue
        for hit in hits:
            if hit.case_sensitive and raw != hit.surface:
                continue
            if hit.ambiguous and not _has_cue(ctx, start, end, raw):
                continue
            out.append(mention(ctx, start, end, hit.entry.type, hit.entry.name, CONF_LEXICON, "lexicon"))
    return out


def _has_cue(ctx: ExtractionContext, start: int, end: int, raw: str) -> bool:
    sentence = ctx.sentence_index.at(start)
    if sentence is None:
        return False
    if sentence.text.strip(" *：:") == raw:  # a heading or list item naming it
        return True
    # A capitalised Latin name inside Chinese prose is a name, not a word.
    if raw[:1].isupper() and CJK_RE.search(sentence.text):
        return True
    window = ctx.doc.text[max(sentence.start, start - 12): min(sentence.end, end + 12)]
    return any(cue in window for cue in _AMBIGUOUS_CUES)
