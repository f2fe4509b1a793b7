"""Relations to the company a document is about, through the words that
point back to it rather than naming it.

"Mistral Code, its coding assistant", "La Plateforme, the company's
developer API", "our new model Phi-4" → developedBy that company;
"chief executive Arthur Mensch said", "Guillaume Lample, now its chief
scientist", "智谱 COO 张帆" (named, handled by the pair rules) → worksFor.
Launch coverage introduces a company once and then says "its" and "the
company"; the pair rules, which need both names in one short span, miss
these.
"""
from __future__ import annotations

import re

from kg.extract.base import CONF_WEAK_PATTERN, GENERATION_WORDS, JOB_TITLE_EN
from kg.extract.context import ExtractionContext
from kg.extract.relations.common import ORGS, PRODUCTISH, MentionIndex, relation, sentence_evidence
from kg.models import RelationMention

_BACK_REF = r"(?:its|their|our|the company's|the company’s|the (?:[\w-]+ ){0,3}(?:startup|company|firm|lab|group)['’]s|该公司的?|公司的)"
#: "X, its coding assistant", "X, the Paris-based startup's new flagship model",
#: "X, the second generation of its secure AI workspace".
_OWNED_AFTER = re.compile(r"^\s*[,，(（]\s*(?:now\s+|also\s+)?"
                          r"(?:the\s+(?:[a-z]+\s+)?" + GENERATION_WORDS + r"\s+of\s+)?" + _BACK_REF + r"\s*\S")
#: "its coding assistant Mistral Code", "our new model Phi-4" (no comma:
#: "…, the company's developer API, Mistral Large 3 is priced" describes
#: the name before the comma, not this one).
_OWNED_BEFORE = re.compile(r"(?:^|\s)" + _BACK_REF + r"\s+(?:(?:new|latest|own|first|next|flagship|open|open-weight|"
                           r"[a-z]+(?:-[a-z]+)*)\s+){0,4}$")

_TITLE = r"(?:" + JOB_TITLE_EN + r"|联合创始人|创始人|首席执行官|首席技术官|首席科学家|首席运营官|董事长|总裁|副总裁|总经理)"
#: "chief executive Arthur Mensch said", "its CTO, Timothée Lacroix".
_TITLE_BEFORE = re.compile(r"(?:^|[\s,，;:：])(?:" + _BACK_REF + r"\s+)?(?:and\s+)?" + _TITLE + r"\s*[,，]?\s*$", re.I)
#: "Guillaume Lample, now its chief scientist".
_TITLE_AFTER = re.compile(r"^\s*[,，]\s*(?:now\s+|also\s+|who\s+is\s+|the\s+)?(?:" + _BACK_REF + r"\s+)?(?:co-|former\s+)?"
                          + _TITLE + r"\b", re.I)
_FORMER = re.compile(r"\bformer\b|\bex-|前任|曾任")


def find_company_relations(ctx: ExtractionContext, index: MentionIndex) -> list[RelationMention]:
    """developedBy and worksFor to the document's company, where the text
    points to it with "its", "the company's" or a bare job title."""
    company = index.subject_company
    if company is None:
        return []
    out: list[RelationMention] = []
    text = ctx.doc.text
    for sentence in ctx.statement_sentences:
        ms = sorted(index.in_sentence(sentence), key=lambda m: m.start)
        orgs = [m for m in ms if m.etype in ORGS]
        for m in ms:
            before = text[max(sentence.start, m.start - 80):m.start]
            after = text[m.end:min(sentence.end, m.end + 80)]
            if m.etype in PRODUCTISH and (_OWNED_AFTER.match(after) or _OWNED_BEFORE.search(before)):
                out.append(relation(m, "developedBy", company,
                                    sentence_evidence(ctx, m.start, CONF_WEAK_PATTERN, "rel-company-own")))
            elif m.etype == "Person" and _employed(before, after, bool(orgs)):
                out.append(relation(m, "worksFor", company,
                                    sentence_evidence(ctx, m.start, CONF_WEAK_PATTERN, "rel-company-title")))
    return [r for r in out if r is not None]


def _employed(before: str, after: str, orgs_named: bool) -> bool:
    """A title points to the document's company: through "its"/"our" even
    when other companies are named, bare only when none is ("NVIDIA chief
    executive Jensen Huang" is NVIDIA's; the pair rules read that)."""
    for hit in (_TITLE_BEFORE.search(before), _TITLE_AFTER.match(after)):
        if hit is None or _FORMER.search(hit.group()):
            continue
        if re.search(_BACK_REF, hit.group()) or not orgs_named:
            return True
    return False

