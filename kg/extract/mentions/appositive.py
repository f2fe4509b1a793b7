"""Names that English coverage defines in passing, typed by the noun that
defines them: "Deep Think, an experimental enhanced reasoning mode for …",
"Jules, the company's asynchronous coding agent", "a new AI filmmaking tool
called Flow", "a new feature called Thought Summaries", "Tessary, the
enterprise AI company".

The name must be written as a name (capitalised words); the defining noun
decides the class. Chinese coverage introduces names with 名为/称为 and
quotes, which ``mentions_features`` reads.
"""
from __future__ import annotations

import re

from kg.extract.base import (CONF_PATTERN, CONF_STRONG_PATTERN, GENERATION_WORDS, OPENING_WORDS, GatedPattern,
                             latin_boundary, mention)
from kg.extract.context import ExtractionContext
from kg.models import Mention

_NAME = r"[A-Z][A-Za-z0-9.+-]*(?: [A-Z0-9][A-Za-z0-9.+-]*){0,2}"
# The defining nouns, by the class they give.
_HEAD_CLASS = {
    "mode": "Feature", "feature": "Feature", "capability": "Feature", "function": "Feature",
    "tool": "Product", "agent": "Product", "assistant": "Product", "app": "Product",
    "application": "Product", "service": "Product", "platform": "Product", "plan": "Product",
    "subscription": "Product", "chatbot": "Product", "product": "Product", "device": "Product",
    "project": "Product", "offering": "Product", "framework": "Product", "library": "Product", "sdk": "Product",
    "api": "Product", "suite": "Product", "extension": "Product", "toolkit": "Product", "console": "Product",
    "workspace": "Product", "system": "Product", "engine": "Product", "browser": "Product", "editor": "Product",
    "model": "Model",
    "company": "Company", "startup": "Company", "firm": "Company",
}
# Companies are read by _COMPANY_AFTER alone: "Jules, the company's coding
# agent" must not stop at "the company".
_HEADS = "|".join(sorted((h for h, c in _HEAD_CLASS.items() if c != "Company"), key=len, reverse=True))
# "the second generation of its …", "the latest version of its …": the
# noun after that defines the name.
_MODIFIERS = r"(?:(?:[a-z]+ )?" + GENERATION_WORDS + r" of (?:its|their|our|the) )?(?:[A-Za-z][A-Za-z-]*,? ){0,5}"
# "Jules, the company's asynchronous coding agent," / "Deep Think, an … mode for"
_DEFINED_AFTER = re.compile(
    rf"(?<![A-Za-z0-9])({_NAME}), (?:an?|the|its|their|our|(?:the )?[A-Z][A-Za-z]+(?:'s|’s)|the company(?:'s|’s)) "
    rf"{_MODIFIERS}({_HEADS})s?\b"
)
# "Tessary, the enterprise AI company," / "Kelvar, a Paris-based startup": at
# least one word before the noun ("Monday, the company said" names no company),
# and no possessive after it ("Vantor 2, the Berlin-based startup's new model").
_COMPANY_AFTER = GatedPattern(
    rf"(?<![A-Za-z0-9])({_NAME}), (?:an?|the) (?:[A-Za-z][A-Za-z-]*,? ){{1,4}}(company|startup|firm)\b(?!['’])",
    "company", "startup", "firm",
)
# "Echo is our new flagship text-to-speech model and …": a name that opens
# its sentence, defined by what it is.
_DEFINED_BY_COPULA = re.compile(
    rf"^\s*({_NAME}) (?:is|was) (?:now )?(?:an?|the|its|their|our|the company(?:'s|’s)) {_MODIFIERS}({_HEADS})s?\b"
)
# "a new AI filmmaking tool called Flow"
_CALLED = GatedPattern(rf"\b({_HEADS})s? (?:called|named|dubbed) ({_NAME})", "called", "named", "dubbed")


def find_appositive_mentions(ctx: ExtractionContext) -> list[Mention]:
    """Capitalised names followed by ", a … <noun>" or preceded by
    "<noun> called", typed by the noun."""
    out: list[Mention] = []
    text = ctx.doc.text
    for sentence in ctx.sentences:
        found = [(m.start(1), m.end(1), m.group(2)) for m in _DEFINED_AFTER.finditer(sentence.text)]
        found += [(m.start(1), m.end(1), m.group(2)) for m in _COMPANY_AFTER.finditer(sentence.text)]
        found += [(m.start(2), m.end(2), m.group(1)) for m in _CALLED.finditer(sentence.text)]
        found += [(m.start(1), m.end(1), m.group(2)) for m in _DEFINED_BY_COPULA.finditer(sentence.text)]
        for a, b, head in found:
            # A name's own dots are inside it ("Node.js"); a sentence's full stop is not.
            while b > a and sentence.text[b - 1] == ".":
                b -= 1
            start, end = sentence.start + a, sentence.start + b
            name = text[start:end]
            if name.split()[0] in OPENING_WORDS or ctx.lexicon.is_generic(name):
                continue
            if not latin_boundary(text, start, end) or not ctx.in_prose(start, end):
                continue
            # A known name is typed by the lexicon; the definition is the cue an
            # ambiguous one ("Jules", "Flow") waits for. Its exact canonical
            # name first: "Deep Think" (Google) before "DeepThink" (DeepSeek).
            entry = ctx.lexicon.entry(name) or ctx.lexicon.lookup(name)
            if entry is not None:
                out.append(mention(ctx, start, end, entry.type, entry.name, CONF_STRONG_PATTERN, "appositive"))
            else:
                out.append(mention(ctx, start, end, _HEAD_CLASS[head.lower()], None, CONF_PATTERN, "appositive"))
    return out
