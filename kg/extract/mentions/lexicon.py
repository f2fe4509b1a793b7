"""Mentions of known names: the curated domain lexicon, matched by
Aho-Corasick in one pass over the lower-cased text."""
from __future__ import annotations

import re

from kg.extract.base import CJK_RE, CONF_LEXICON, is_cjk, latin_boundary, mention
from kg.extract.context import ExtractionContext
from kg.models import Mention

# Ambiguous names ("Canvas", "Projects", "Go") count only with a cue nearby
# that says a product or feature is meant.
_AMBIGUOUS_CUES = ("功能", "模式", "工具", "应用", "app", "App", "API", "SDK", "发布", "推出",
                   "集成", "支持", "feature", "launch", "版本", "模型", "平台")


def find_lexicon_mentions(ctx: ExtractionContext) -> list[Mention]:
    """Every lexicon surface form found in prose, with the entry's canonical name."""
    return list(ctx.shared(match_lexicon))


def match_lexicon(ctx: ExtractionContext) -> list[Mention]:
    """One Aho-Corasick pass of the lexicon over the document (see
    ``ExtractionContext.shared``, which keeps it for the document)."""
    text = ctx.doc.text
    out: list[Mention] = []
    for start, end, hits in ctx.lexicon.iter_hits(ctx.lowered):
        if not ctx.in_prose(start, end):
            continue
        raw = text[start:end]
        if not is_cjk(raw[0]) or not is_cjk(raw[-1]):
            if not latin_boundary(text, start, end):
                continue
        usable = [h for h in hits if not (h.case_sensitive and raw != h.surface)
                  and not (h.ambiguous and not _has_cue(ctx, start, end, raw))]
        # "MIT 许可协议", "Apache License": a licence named after an
        # organisation is no mention of the organisation.
        if _LICENCE_AFTER.match(text, end):
            usable = [h for h in usable if h.entry.type not in ("Company", "Organization")]
        # "Orion 5" is a fifth Orion, not GPT-4.5, which the alias "Orion"
        # names: an alias without a version, followed by a number, is left to
        # the name patterns. (A canonical name stays: "Stable Diffusion 1.0"
        # is still Stable Diffusion where no pattern reads the longer name.)
        if _VERSION_AFTER.match(text, end) and not any(c.isdigit() for c in raw):
            usable = [h for h in usable if h.entry.type not in ("Model", "Product") or raw.lower() == h.entry.name.lower()]
        if len({h.entry.type for h in usable}) > 1:
            usable = _by_context(ctx, start, end, usable)
        for hit in usable:
            out.append(mention(ctx, start, end, hit.entry.type, hit.entry.name, CONF_LEXICON, "lexicon"))
    return out


_LICENCE_AFTER = re.compile(r"[ \t-]?(?:许可|协议|开源协议|License|license|Licence|licence)")
_VERSION_AFTER = re.compile(r"[ \t-][A-Z]\d{1,2}\b|[ \t]\d{1,3}(?:\.\d{1,2})?(?![\d%]|[.,]\d)(?![ \t]*[\u4e00-\u9fff%])(?![ \t]*(?:days?|months?|years?|"
                            r"hours?|minutes?|million|billion|percent|users?|people|times|x)\b)")


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


_PRODUCT_CONTEXT = re.compile(r"工具|终端|应用|软件|编辑器|浏览器|平台|插件|客户端|IDE|App|app|tool|editor|terminal")
_COMPANY_CONTEXT = re.compile(r"公司|创始人|CEO|旗下|融资|估值|团队|company|founder|startup|Inc")


# Where a model is put: "weights on Hugging Face", "available on AWS and
# Groq", "在 Hugging Face 上开源". Names of a company and of its platform
# (Hugging Face, Groq, AWS) mean the platform there.
_HOST_BEFORE = re.compile(r"(?:\b(?:on|via|through|from|to)\s+(?:the\s+)?|在\s*|登陆\s*|上架\s*|接入\s*)$")
_HOST_AFTER = re.compile(r"^\s*(?:上|平台|页面)")
_HOST_SENTENCE = re.compile(r"\bavailable\b|\bhosted\b|\bweights\b|\bcheckpoints?\b|\bdownload|\bpublished on\b|"
                            r"开源|上架|登陆|接入|下载")


def _by_context(ctx: ExtractionContext, start: int, end: int, hits: list) -> list:
    """One name, several kinds of thing (Warp the company and the terminal):
    the words around it decide; without a cue, all stay candidates."""
    text = ctx.doc.text
    window = text[max(0, start - 10):end + 10]
    company_cue = _COMPANY_CONTEXT.search(window) is not None
    if not company_cue and (
            _HOST_BEFORE.search(text[max(0, start - 12):start]) or _HOST_AFTER.match(text[end:end + 4])
            or _in_hosting_sentence(ctx, start)):
        hosted = [h for h in hits if h.entry.type == "Product"]
        if hosted:
            return hosted
    if _PRODUCT_CONTEXT.search(window):
        chosen = [h for h in hits if h.entry.type in ("Product", "Model")]
    elif company_cue:
        chosen = [h for h in hits if h.entry.type in ("Company", "Organization")]
    else:
        chosen = []
    return chosen or hits


def _in_hosting_sentence(ctx: ExtractionContext, start: int) -> bool:
    sentence = ctx.sentence_index.at(start)
    return sentence is not None and bool(_HOST_SENTENCE.search(sentence.text))
