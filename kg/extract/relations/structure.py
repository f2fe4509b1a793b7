"""Relations read from document structure rather than from one sentence.

A ``Day N`` heading governs what is introduced under it (announcedAt) and
belongs to the series (partOf); a heading naming one product governs the
feature list under it (hasFeature); a transcript's speakers work for the
company that runs the event (worksFor); a document about one event
announces what it says was launched (announcedAt).
"""
from __future__ import annotations

import re

from kg.extract.base import CONF_INFERENCE, CONF_PATTERN, CONF_WEAK_PATTERN
from kg.extract.context import ExtractionContext
from kg.extract.mentions.find import FEATURE_HEADING
from kg.extract.mentions.events import _DAY
from kg.extract.mentions.names import PLAN_COMPONENT, plan_owner
from kg.extract.relations.common import ENTITY_LIKE, ORGS, PRODUCTISH, MentionIndex, mention_key, relation, sentence_evidence
from kg.models import Mention, RelationMention

_LAUNCH = re.compile(r"推出|发布(?!会)|新增|上线|开放|宣布|引入|带来|亮相|开源|官宣|launch|announc|introduc|releas|unveil|debut")
_INTEGRATION_HEAD = re.compile(r"集成|整合|协作|接入|integrat|works? with")
# An event still to come names no launch yet: "将于 9 月举办首届开发者大会".
_FUTURE_EVENT = re.compile(r"\bwill\b|\bplans? to\b|\bnext (?:week|month|year)\b|将于|将在|计划|届时|即将")
# A capability a later release will bring was not launched now: "后续版本会开放
# “分段续写”能力", "will roll out … later this year". (A plan announced at the
# event was: "并计划上线GPT Store" is GPT Store announced at DevDay.)
_LATER_RELEASE = re.compile(r"(?<!发布)会(?:开放|推出|上线|发布)|将(?:会)?(?:开放|推出|上线|发布)|后续|\bwill\b|\bplans? to\b|"
                            r"\blater this\b|\bcoming (?:weeks|months)\b")


def find_structure_relations(ctx: ExtractionContext, index: MentionIndex) -> list[RelationMention]:
    """Relations implied by headings, sections and transcript turns."""
    out: list[RelationMention] = []
    out.extend(_days(ctx, index))
    out.extend(_section_features(ctx, index))
    out.extend(_section_integrations(ctx, index))
    out.extend(_speakers(ctx, index))
    out.extend(_document_event(ctx, index))
    out.extend(_sentence_events(ctx, index))
    out.extend(_plans(ctx, index))
    return [r for r in out if r is not None]


def _plans(ctx: ExtractionContext, index: MentionIndex):
    """A Chinese plan ("个人专业版") is a variant of its product."""
    for m in index.mentions:
        if not m.extractor.startswith(PLAN_COMPONENT):
            continue
        sentence = ctx.sentence_index.at(m.start)
        owner = plan_owner(m, index.in_sentence(sentence) if sentence is not None else [], index.title_product)
        if owner is not None and mention_key(owner) != mention_key(m):
            yield relation(m, "variantOf", owner, sentence_evidence(ctx, m.start, CONF_WEAK_PATTERN, "structure-plan"))


def _day_headings(ctx: ExtractionContext, index: MentionIndex):
    for h in ctx.doc.headings:
        if not _DAY.match(ctx.doc.text[h.start:h.end]):
            continue
        days = [m for m in index.heading_mentions(h) if m.etype == "Event" and m.extractor.startswith("event-day")]
        if days:
            yield h, days[0]


def _launched_here(ctx: ExtractionContext, index: MentionIndex, m: Mention) -> bool:
    """Could the document's company have launched this? Not when the lexicon
    says another company makes it (Xcode, WhatsApp, Windows in a list of
    supported apps), nor for names only known from a list."""
    if m.extractor.startswith("coordination"):
        return False
    entry = ctx.lexicon.entry(m.canonical, m.etype) if m.canonical else None
    company = index.subject_company
    if entry is not None and entry.developer and company is not None:
        name = company.canonical or company.surface
        # A unit named after its parent launches for it ("Google DeepMind" for Google).
        return entry.developer == name or entry.developer.startswith(name + " ")
    return True


_DESCRIBES_PREVIOUS = re.compile(r"^\s*[,，]\s*(?:an?|the)\s[^,;，；]*$")


def _describes_previous(ctx: ExtractionContext, index: MentionIndex, m: Mention) -> bool:
    """True when ``m`` is a word of the description that follows another
    name: "Veo 3, a video generation model" launches Veo 3, not video generation."""
    before = [x for x in index.in_range(max(0, m.start - 80), m.start) if x.end <= m.start and x is not m]
    # Any name before, not only the nearest: "Embed 5, a multimodal embedding
    # model" where "multimodal" is a name of its own.
    return any(_DESCRIBES_PREVIOUS.match(ctx.doc.text[x.end:m.start]) for x in before)


# "… today announced Command A2, its new flagship …, together with North
# 2.0": a second launch joined to the first.
_JOINED_LAUNCH = re.compile(r"(?:together with|along with|alongside|as well as|同时(?:发布|推出)了?)\s*$")


def _launch_cue_before(ctx: ExtractionContext, m: Mention, window: int = 24) -> bool:
    sentence = ctx.sentence_index.at(m.start)
    if sentence is None:
        return False
    before = ctx.doc.text[max(sentence.start, m.start - window):m.start]
    if _LAUNCH.search(before):
        return True
    return bool(_JOINED_LAUNCH.search(before)) and bool(_LAUNCH.search(ctx.doc.text[sentence.start:m.start]))


def _days(ctx: ExtractionContext, index: MentionIndex):
    series = [m for m in index.mentions if m.extractor.startswith("event-series")]
    for h, day in _day_headings(ctx, index):
        if series:
            yield relation(day, "partOf", series[0], sentence_evidence(ctx, day.start, CONF_PATTERN, "structure-day"))
        for m in index.in_range(h.start, h.section_end):
            if m.etype not in ENTITY_LIKE or not _launched_here(ctx, index, m):
                continue
            first = index.first_mention[mention_key(m)]
            in_heading = index.heading_at(m.start) is not None
            if in_heading or (first is m and _launch_cue_before(ctx, m)):
                conf = CONF_PATTERN if in_heading else CONF_WEAK_PATTERN
                yield relation(m, "announcedAt", day, sentence_evidence(ctx, m.start, conf, "structure-day"))
    # Days named in prose ("第9天") belong to the series too.
    for m in index.mentions:
        if m.extractor.startswith("event-day") and series:
            yield relation(m, "partOf", series[0], sentence_evidence(ctx, m.start, CONF_WEAK_PATTERN, "structure-day"))


def _section_features(ctx: ExtractionContext, index: MentionIndex):
    for m in index.mentions:
        if m.etype != "Feature":
            continue
        found = index.innermost_heading_with(m.start, PRODUCTISH)
        if not found:
            # "## 一、核心功能", "## More in this release": a features section
            # naming no product describes the one the title names.
            owner = index.title_product
            if owner is not None and any(FEATURE_HEADING.search(ctx.doc.text[h.start:h.end]) and not h.start <= m.start < h.end
                                         for h in index.governing(m.start)):
                yield relation(owner, "hasFeature", m, sentence_evidence(ctx, m.start, CONF_WEAK_PATTERN, "structure-section"))
            continue
        heading, named = found
        owners = {mention_key(n) for n in named}
        if len(owners) != 1 or heading.start <= m.start < heading.end:
            continue
        yield relation(named[0], "hasFeature", m, sentence_evidence(ctx, m.start, CONF_WEAK_PATTERN, "structure-section"))


def _section_integrations(ctx: ExtractionContext, index: MentionIndex):
    dominant = index.dominant.get("Product")
    for h in ctx.doc.headings:
        head_text = ctx.doc.text[h.start:h.end]
        if not _INTEGRATION_HEAD.search(head_text):
            continue
        named = [m for m in index.heading_mentions(h) if m.etype in ("Product", "Model")]
        owner = named[0] if len({mention_key(n) for n in named}) == 1 else dominant
        if owner is None:
            continue
        for m in index.in_range(h.start, h.section_end):
            if m.etype == "Product" and mention_key(m) != mention_key(owner):
                yield relation(owner, "integratesWith", m, sentence_evidence(ctx, m.start, CONF_WEAK_PATTERN, "structure-section"))


_INTRODUCED_AT = re.compile(r"^\s*[,，]\s*[^,.;:\n]{0,60}?\b(?:of|at|from)\s+$")


def _employed_elsewhere(ctx: ExtractionContext, index: MentionIndex, company: Mention) -> set[tuple[str, str]]:
    """People introduced as another company's ("Please welcome Hannah Lee,
    chief product officer of ServiceNow"): guests on stage, not the host's
    staff."""
    out = set()
    for m in index.mentions:
        if m.etype != "Person":
            continue
        for org in index.in_range(m.end, m.end + 80):
            if org.etype in ORGS and _INTRODUCED_AT.match(ctx.doc.text[m.end:org.start]):
                if mention_key(org) != mention_key(company):
                    out.add(mention_key(m))
                break
    return out


def _speakers(ctx: ExtractionContext, index: MentionIndex):
    company = index.subject_company
    if company is None:
        return
    seen = _employed_elsewhere(ctx, index, company)
    for m in index.mentions:
        if m.etype == "Person" and m.extractor.startswith(("person-speaker", "person-intro")):
            key = mention_key(m)
            if key in seen:
                continue
            seen.add(key)
            yield relation(m, "worksFor", company, sentence_evidence(ctx, m.start, CONF_INFERENCE, "structure-speaker"))


def _document_event(ctx: ExtractionContext, index: MentionIndex):
    """A document about one event (named in its title, or the one event its
    lead paragraph places the news at) and without day headings: what it
    says was launched was announced at that event."""
    if any(True for _ in _day_headings(ctx, index)):
        return
    title_end = next((h.end for h in ctx.doc.headings if h.level == 1), 0)
    events = [m for m in index.mentions if m.etype == "Event" and (m.start < title_end or _in_title(ctx, m))]
    if not events:
        events = _lead_events(ctx, index, title_end)
    if not events:
        return
    day_events = [e for e in events if e.extractor.startswith("event-day")]
    event = day_events[0] if day_events else events[0]
    for sentence in ctx.statement_sentences:
        if not _LAUNCH.search(sentence.text):
            continue
        ms = index.in_sentence(sentence)
        for m in ms:
            if _launched_in(ctx, index, sentence, m) and not _launched_by_other(index, ms, m):
                yield relation(m, "announcedAt", event, sentence_evidence(ctx, m.start, CONF_WEAK_PATTERN, "structure-event"))


def _launched_in(ctx: ExtractionContext, index: MentionIndex, sentence, m: Mention) -> bool:
    """Does ``sentence`` say ``m`` is launched now? A launch verb just before
    it, not a word of another name's description, not a feature word that
    only describes the model after it, not a launch to come."""
    return m.etype in ENTITY_LIKE and not _modifies_model(ctx, m) and _launched_here(ctx, index, m) \
        and _launch_cue_before(ctx, m, 40) and not _describes_previous(ctx, index, m) \
        and not _LATER_RELEASE.search(ctx.doc.text[max(sentence.start, m.start - 40):m.start])


def _sentence_events(ctx: ExtractionContext, index: MentionIndex):
    """"Mistral AI used the main stage at VivaTech 2025 to introduce Mistral
    Large 3": what a sentence naming an event says was launched, was
    launched there (documents about several events, or whose title does
    not name the event, are not covered by ``_document_event``)."""
    for sentence in ctx.statement_sentences:
        if not _LAUNCH.search(sentence.text):
            continue
        ms = index.in_sentence(sentence)
        events = [m for m in ms if m.etype == "Event"]
        # A day of a series ("第9天（Dev Day）") is read by ``_days``.
        if len(events) != 1 or events[0].extractor.startswith(("event-day", "event-series")):
            continue
        for m in ms:
            if m.start > events[0].start and _launched_in(ctx, index, sentence, m):
                yield relation(m, "announcedAt", events[0], sentence_evidence(ctx, m.start, CONF_WEAK_PATTERN, "structure-event"))


#: How far into the body the lead paragraph may start.
_LEAD_WITHIN = 1500


def _lead_events(ctx: ExtractionContext, index: MentionIndex, title_end: int) -> list[Mention]:
    """The event the lead paragraph places the launch at ("… today announced
    Command A2 … The announcements were made on stage at Cohere Connect
    2026"): the first paragraph after the title with a launch verb, when it
    names one event and not as a future one."""
    text = ctx.doc.text
    body = ctx.doc.title.end if ctx.doc.title is not None else 0
    start = max(title_end, body)
    for para in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text[start:start + _LEAD_WITHIN]):
        a, b = start + para.start(), start + para.end()
        if index.heading_at(a) is not None or not ctx.in_prose(a, b) or not _LAUNCH.search(para.group()):
            continue
        events = [m for m in index.in_range(a, b) if m.etype == "Event"
                  and not m.extractor.startswith(("event-day", "event-series"))]
        sentences = {ctx.sentence_index.at(e.start) for e in events}
        if len({mention_key(e) for e in events}) == 1 and not any(
                s is not None and _FUTURE_EVENT.search(s.text) for s in sentences):
            return events
        return []
    return []


_MODEL_NOUN_AFTER = re.compile(r"\s*(?:大模型|模型|models?\b)")


def _modifies_model(ctx: ExtractionContext, m: Mention) -> bool:
    """A feature word that only describes the model named next: "发布视频生成大模型可灵3.0"."""
    return m.etype == "Feature" and bool(_MODEL_NOUN_AFTER.match(ctx.doc.text, m.end))


def _launched_by_other(index: MentionIndex, sentence_mentions: list[Mention], m: Mention) -> bool:
    """True when another company than the document's opens the sentence
    that launches ``m``: "就在一个月前，Google在I/O大会上发布了Veo 4" in an
    article about 快手's event."""
    company = index.subject_company
    if company is None:
        return False
    key = mention_key(company)
    name = company.canonical or company.surface
    # A unit named after its parent launches for it ("Google DeepMind also released Veo 3").
    return any(x.etype in ORGS and x.start < m.start and mention_key(x) != key
               and not (x.canonical or x.surface).startswith(name + " ") for x in sentence_mentions)


_YEAR_TAIL = re.compile(r"\s+(?:19|20)\d\d$")


def _in_title(ctx: ExtractionContext, m: Mention) -> bool:
    """The event is named in the title, with or without its year ("… at
    VivaTech" for VivaTech 2025)."""
    title = ctx.doc.meta.title or ""
    name = _YEAR_TAIL.sub("", m.surface)
    return bool(title) and len(name) >= 3 and name in title and m.start < 400
