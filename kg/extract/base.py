"""Shared pieces of the extraction components: a registry and small helpers.

A component is a pure function ``(ExtractionContext) -> list[Mention]``,
registered under a name like spaCy's pipeline components; the mention stage
runs them all and keeps the best non-overlapping candidates.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from kg.extract.context import ExtractionContext
from kg.text_units import CJK, CJK_RE, is_cjk  # noqa: F401 - the components read them from here
from kg.vocab import extractor_id
from kg.models import Mention

MentionComponent = Callable[[ExtractionContext], list[Mention]]

#: Confidence by how a mention was found: a lexicon hit beats a pattern,
#: a pattern beats an inference from context alone.
CONF_LEXICON = 0.95
CONF_STRONG_PATTERN = 0.85
CONF_PATTERN = 0.75
CONF_WEAK_PATTERN = 0.6
CONF_INFERENCE = 0.5

#: English job titles, a pattern fragment for case-insensitive use ``(?i:…)``:
#: the people, organisation and company-relation components read the same
#: titles ("chief product officer", "head of robotics", "principal analyst").
JOB_TITLE_EN = (r"(?:co-?founder|founder|chief\s+[a-z]+(?:\s+[a-z]+)?\s+officer|chief\s+(?:executive|scientist)|"
                r"CEO|CTO|COO|CFO|CPO|CSO|CMO|(?:(?:senior\s+)?vice\s+)?president(?:\s+of\s+[a-z]+(?:\s+[a-z]+)?)?|"
                r"VP(?:\s+of\s+[a-z]+(?:\s+[a-z]+)?)?|head\s+of\s+[a-z]+(?:\s+[a-z]+)?|director|"
                r"(?:general|product)\s+manager|(?:principal\s+|senior\s+|lead\s+|chief\s+)?"
                r"(?:analyst|scientist|engineer|researcher)|professor)")
#: Words one of which every ``JOB_TITLE_EN`` match holds, lowercased: a
#: cheap test before trying the pattern on a sentence.
JOB_TITLE_HINTS = ("officer", "chief", "ceo", "cto", "coo", "cfo", "cpo", "cso", "cmo", "founder", "president", "vp",
                   "head", "director", "manager", "analyst", "scientist", "engineer", "researcher", "professor")

#: Capitalised words that open sentences and clauses, not names: "Meanwhile,
#: the company's new agent …", "With Copilot Tuning, a company can …".
OPENING_WORDS = frozenset(
    "The This That These Those It Its Their Our We They He She You I In On At For And But Or A An As If When "
    "While After Before Since With Meanwhile However Today Now Also Additionally Finally Separately Instead "
    "Still Yet Then Later Earlier Overall Notably Previously Currently Last Next Here There Similarly Besides "
    "Moreover Furthermore Indeed Thus Therefore Again Initially Eventually Ultimately Recently Yesterday "
    "Tomorrow First Second Third Plus Unlike Like Despite Although Though Because Once So Well Yes No Specifically "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July "
    "August September October November December".split()
)

#: The nouns of "the second generation of its …", "the latest version of
#: its …": they stand between a name's article and the possessive that says
#: whose it is ("North 2.0, the second generation of its secure AI workspace").
GENERATION_WORDS = r"(?:generation|version|release|edition)"

LATIN_ALNUM = re.compile(r"[A-Za-z0-9]")


class GatedPattern:
    """A compiled pattern behind a cheap test: every match of ``pattern``
    holds one of ``needles`` in its matched text, so a text that holds none
    cannot match and is not scanned. ``needle in text`` runs in C and beats
    starting the regex engine on most of the sentences a component sees.

    The needles are part of the pattern's definition: a test checks, on
    the seeds and the unseen fixtures, that every match holds one.
    """

    __slots__ = ("pattern", "needles")

    def __init__(self, pattern: str, *needles: str):
        if not needles or not all(needles):
            raise ValueError("a gated pattern needs at least one non-empty needle")
        # No flags: under re.I a needle would have to be matched without
        # case too, and str.lower is not how re folds case.
        self.pattern = re.compile(pattern)
        self.needles = needles

    def could_match(self, text: str) -> bool:
        """Does ``text`` hold one of the needles?"""
        for needle in self.needles:
            if needle in text:
                return True
        return False

    def finditer(self, text: str):
        """``re.Pattern.finditer``, or nothing when ``text`` holds no needle."""
        return self.pattern.finditer(text) if self.could_match(text) else iter(())

    def search(self, text: str) -> re.Match[str] | None:
        """``re.Pattern.search``, or None when ``text`` holds no needle."""
        return self.pattern.search(text) if self.could_match(text) else None

    def match(self, text: str) -> re.Match[str] | None:
        """``re.Pattern.match``, or None when ``text`` holds no needle."""
        return self.pattern.match(text) if self.could_match(text) else None


def latin_boundary(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` is not glued to Latin letters or digits
    on either side (Chinese characters next to it are fine)."""
    if start > 0 and LATIN_ALNUM.match(text[start - 1]) and LATIN_ALNUM.match(text[start]):
        return False
    if end < len(text) and LATIN_ALNUM.match(text[end]) and LATIN_ALNUM.match(text[end - 1]):
        return False
    # "GPT-4" inside "GPT-4-mini" or "o1" inside "o1.5": part of a longer name.
    if end + 1 < len(text) and text[end] in "-." and LATIN_ALNUM.match(text[end + 1]) and LATIN_ALNUM.match(text[end - 1]):
        return False
    if start >= 2 and text[start - 1] in "-." and LATIN_ALNUM.match(text[start - 2]) and LATIN_ALNUM.match(text[start]):
        return False
    return True


def mention(
    ctx: ExtractionContext,
    start: int,
    end: int,
    etype: str,
    canonical: str | None,
    confidence: float,
    component: str,
    surface: str | None = None,
) -> Mention:
    """A Mention of ``ctx.doc.text[start:end]``."""
    return Mention(
        doc_id=ctx.doc.doc_id,
        start=start,
        end=end,
        surface=(surface if surface is not None else ctx.doc.text[start:end]).strip(),
        etype=etype,
        canonical=canonical,
        confidence=confidence,
        extractor=extractor_id(component),
    )
