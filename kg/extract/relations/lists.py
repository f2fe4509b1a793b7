"""Relations from a cue followed by a list of names.

"Large 3 is available in Azure AI Foundry, Amazon Bedrock and Google Cloud's
Vertex AI", "connect Le Chat Enterprise to Google Drive, SharePoint and
Gmail", "runs on the Codestral and Devstral models", "AutoGLM 已接入微信、美团
和小红书": one subject, one cue, and every name of the list that follows.
The pair rules of ``relations_sentence`` see only the first list item (the
others are too far from the cue, behind other names), which left most
integrations of launch coverage unread.

The subject is the nearest model or product before the cue (with the names
listed together with it: "Grok 3 and Grok 3 mini are coming to Foundry"),
or the one the cue names itself ("connect X to …").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.base import CONF_INFERENCE, CONF_PATTERN, CONF_WEAK_PATTERN
from kg.extract.context import ExtractionContext
from kg.extract.relations.common import (ORGS, PRODUCTISH, MentionIndex, evidence_for, paragraph_topic, relation,
                                         sentence_evidence)
from kg.models import Mention, RelationMention


@dataclass(frozen=True)
class ListCue:
    """A cue phrase whose list of names stands in ``predicate`` to the subject."""

    predicate: str
    pattern: re.Pattern[str]
    subject_types: tuple[str, ...]
    object_types: tuple[str, ...]
    confidence: float
    #: "connect X to …": the subject is named inside the cue, before ``to``.
    subject_inside: bool = False
    #: The relation runs from each listed name to the subject ("OpenAI
    #: launched A and B": A developedBy OpenAI).
    reverse: bool = False
    #: How far before the cue the subject may end, in characters.
    reach: int = 400
    #: What must follow the list ("和 Cursor、Trae 的对比": 的对比).
    tail: re.Pattern[str] | None = None
    #: The subject ends right before the cue ("GR00T N2 is open …"), not
    #: in the clause before ("… and Messenger, and the weights are on …").
    adjacent: bool = False
    #: The subject is the sentence's first name of ``subject_types``.
    opening_subject: bool = False
    #: With no subject in the sentence, the product the title names
    #: (a comparison section of a review compares the reviewed product).
    title_fallback: bool = False
    #: Words one of which the lowercased sentence must hold for the pattern
    #: to be tried: substring tests are far cheaper than the alternations,
    #: and most sentences hold none (extraction is the builder's largest stage).
    hints: tuple[str, ...] = ()


_CUES: tuple[ListCue, ...] = (
    ListCue("developedBy", re.compile(
        r"\b(?:launch(?:es|ed)?|releas(?:es|ed)|introduc(?:es|ed)|unveil(?:s|ed)|announc(?:es|ed)|open-sourc(?:es|ed))\s+"
        r"|(?:推出|发布|上线|开源|亮相)了?\s*"),
        ORGS, PRODUCTISH + ("Feature",), CONF_PATTERN, reverse=True, reach=30,
        hints=("launch", "releas", "introduc", "unveil", "announc", "open-sourc", "推出", "发布", "上线", "开源", "亮相")),
    ListCue("integratesWith", re.compile(
        r"\b(?:(?:is|are|now|also|becomes?|became|will be|went|goes|go)\s+)?available\s+(?:(?:from day one|today|now|first|"
        r"immediately|globally)\s+)*(?:in|on|through|via|inside)\s+"
        r"|\b(?:is|are)\s+coming\s+to\s+|\bplugs?\s+(?:in)?to\s+|\bplugged\s+into\s+"
        r"|\bintegrat(?:es|ed|ing|e)\s+(?:with|into)\s+|\bworks?\s+(?:with|inside)\s+|\bships?\s+(?:in|with)\s+"
        r"|\bbuilt\s+into\s+|\bembedded\s+in(?:to)?\s+|\bhosted\s+on\s+"
        r"|(?:已|已经|将|正式|陆续|同步|也|现已)?(?:接入|集成|整合|上架|登陆|入驻|打通|嵌入)(?:了|到|进)?\s*"),
        PRODUCTISH, PRODUCTISH, CONF_PATTERN,
        hints=("available", "coming", "plug", "integrat", "work", "ship", "built", "embedded", "hosted",
               "接入", "集成", "整合", "上架", "登陆", "入驻", "打通", "嵌入")),
    # "GR00T N2 is open for developers on Hugging Face", "Command A2 Mini
    # is published on Hugging Face": the name just before.
    ListCue("integratesWith", re.compile(
        r"\b(?:is|are)\s+(?:also\s+|now\s+)?(?:live\s+|open\s+(?:for\s+developers\s+)?)?on\s+"
        r"|\b(?:published|uploaded|open-sourced)\s+on\s+"), PRODUCTISH, PRODUCTISH, CONF_WEAK_PATTERN, reach=40,
        adjacent=True, hints=(" on ",)),
    # "Llama 5 already powers …, and the weights are on Hugging Face": the
    # weights of the name the sentence opens with.
    ListCue("integratesWith", re.compile(
        r"\b(?:weights|checkpoints)\s+(?:are|is)\s+(?:also\s+|now\s+)?(?:available\s+)?(?:on|via|through)\s+"),
        PRODUCTISH, PRODUCTISH, CONF_WEAK_PATTERN, opening_subject=True, hints=("weights", "checkpoints")),
    ListCue("integratesWith", re.compile(
        r"\bconnect(?:s|ed|ing)?\s+(?P<subject>.{1,60}?)\s+(?:to|with)\s+"), PRODUCTISH, PRODUCTISH, CONF_PATTERN,
        subject_inside=True, hints=("connect",)),
    ListCue("basedOn", re.compile(
        r"\b(?:runs?|running|built|is built|are built)\s+on\s+(?:top of\s+)?|\bpowered\s+by\s+|\bbased\s+on\s+"
        r"|(?<![A-Za-z])(?:基于|依托|搭载|采用了?)\s*"),
        ("Product", "Feature"), ("Model",), CONF_PATTERN,
        hints=("run", "built", "powered", "based", "基于", "依托", "搭载", "采用")),
    ListCue("competesWith", re.compile(
        r"\b(?:compet(?:e|es|ing)|goes|go|going|squares? off)\s+(?:head-to-head\s+)?(?:with|against)\s+"
        r"|\b(?:rivals?|versus|vs\.?)\s+|\bchalleng(?:e|es|ing)\s+"
        r"|(?:对标|叫板|抗衡|竞争对手(?:包括|有|是)?)\s*"),
        PRODUCTISH + ORGS, PRODUCTISH + ORGS, CONF_WEAK_PATTERN,
        hints=("compet", "go", "square", "rival", "versus", "vs", "challeng", "对标", "叫板", "抗衡", "竞争对手")),
    # "pits Orbis AI against OpenAI"; "pits the company against …" names no
    # subject inside and takes the one before.
    ListCue("competesWith", re.compile(r"\bpit(?:s|ted|ting)?\s+(?P<subject>.{1,60}?)\s+(?:\w+\s+){0,2}against\s+"),
            PRODUCTISH + ORGS, PRODUCTISH + ORGS, CONF_WEAK_PATTERN, subject_inside=True,
            hints=("pit",)),
    # Comparisons: "compared with A, B and C", "和 Cursor、Copilot、Trae 的对比".
    ListCue("competesWith", re.compile(
        r"\b(?:compared (?:with|to)|in comparison (?:with|to)|alternatives? to|(?:competitors|rivals) (?:such as|like|including))\s+"),
        PRODUCTISH + ORGS, PRODUCTISH + ORGS, CONF_WEAK_PATTERN, title_fallback=True,
        hints=("compar", "alternative", "competitors", "rivals")),
    ListCue("competesWith", re.compile(r"(?:和|与|跟|同)\s*"), PRODUCTISH, PRODUCTISH, CONF_WEAK_PATTERN,
            tail=re.compile(r"\s*(?:等)?\s*(?:产品|工具|模型)?\s*(?:的)?\s*(?:实测)?\s*(?:对比|比较|比|PK|横评)"),
            title_fallback=True, hints=("比", "pk", "横评")),
)

#: What may stand between two items of a list ("through the Cohere API and
#: on Amazon Bedrock" repeats the cue's preposition).
_ITEM_SEP = re.compile(
    r"^\s*(?:[,，、;；]\s*)?(?:(?:and|or|as well as|plus|with|and with|及|以及|和|与|或|、)\s*)?"
    r"(?:(?:on|in|through|via|to)\s+)?(?:(?:the|its|their|both)\s+)?$")
_ADJACENT_GAP = re.compile(r"^\s*(?:(?:models?|weights|checkpoints|versions?|family|itself)\s+)?(?:(?:are|is|were|was)\s+)?"
                           r"(?:(?:also|now)\s+)?$")
#: What may stand between a cue and its first item.
_LEAD = re.compile(r"^\s*(?:(?:the|its|their|both|all|every|our|a|an)\s+){0,2}$")
_POSSESSIVE = re.compile(r"^\s*(?:['’]s\s*|的\s*)$")


def find_list_relations(ctx: ExtractionContext, index: MentionIndex) -> list[RelationMention]:
    """Relations between a subject and every name of the list after a cue."""
    out: list[RelationMention] = []
    text = ctx.doc.text
    for sentence in ctx.statement_sentences:
        ms = sorted(index.in_sentence(sentence), key=lambda m: m.start)
        if not ms:
            continue
        low = sentence.text.lower()
        hits = sorted(((hit.start(), i, hit) for i, cue in enumerate(_CUES) if any(h in low for h in cue.hints)
                       for hit in cue.pattern.finditer(sentence.text)), key=lambda t: (t[0], t[1]))
        # "which runs on the Codestral and Devstral models and plugs into VS
        # Code": a name listed after one cue is not the subject of the next.
        listed: set[int] = set()
        for _, i, hit in hits:
            cue = _CUES[i]
            start, end = sentence.start + hit.start(), sentence.start + hit.end()
            items = _list_after(text, ms, end)
            objects = [m for m in items if m.etype in cue.object_types]
            if not objects or (cue.tail is not None and not cue.tail.match(text, items[-1].end)):
                continue
            listed.update(m.start for m in objects)
            ev = sentence_evidence(ctx, sentence.start, cue.confidence, f"rel-list-{cue.predicate}")
            types = cue.subject_types
            if cue.predicate == "competesWith":
                types = tuple(t for t in types if (t in ORGS) == (objects[0].etype in ORGS))
            inside = [m for m in ms if cue.subject_inside and sentence.start + hit.start("subject") <= m.start
                      and m.end <= sentence.start + hit.end("subject")]
            opening = [m for m in ms if m.start < start and m.etype in types][:1] if cue.opening_subject else []
            if inside:
                subjects = inside[-1:] if inside[-1].etype in types else []
            elif opening:
                subjects = opening
            else:
                candidates = [m for m in ms if m.start not in listed]
                subjects = [m for m in _subjects_before(text, candidates, start, types) if start - m.end <= cue.reach]
                if cue.adjacent and subjects and not _ADJACENT_GAP.match(text[subjects[-1].end:start]):
                    subjects = []
                topic = None if subjects else paragraph_topic(ctx, index, sentence)
                if topic is not None and topic[0].etype in types:
                    subjects = [topic[0]]
                    ev = evidence_for(ctx, topic[1], sentence.end, CONF_WEAK_PATTERN, f"rel-list-{cue.predicate}")
                elif not subjects and cue.title_fallback and index.title_product is not None \
                        and index.title_product.etype in types and index.title_product.start not in listed:
                    subjects = [index.title_product]
                    ev = sentence_evidence(ctx, sentence.start, CONF_INFERENCE, f"rel-list-{cue.predicate}")
            for s in subjects:
                for o in objects:
                    if _same_class(cue, s, o):
                        rel = relation(o, cue.predicate, s, ev) if cue.reverse else relation(s, cue.predicate, o, ev)
                        if rel is not None:
                            out.append(rel)
    return out


_LEAD_IN = re.compile(r"(?:support|connect|integrat|works? with|available (?:in|on)|plugs? into|支持|接入|集成|兼容|打通|对接)"
                      r"[^。.!?！？]*[:：]\s*$", re.I)
_ITEM_LINE = re.compile(r"[ \t]*(?:[-*+]|\d{1,2}[.)])[ \t]+[^\n]*(?:\n|$)")
#: A list item's name part ends at its description.
_ITEM_HEAD_END = re.compile(r"\s[—–-]\s|[:：，,]|\*\*\s*[—–-]|$")
_PLANS = re.compile(r"\bplans?\b|\btiers?\b|\beditions?\b|套餐|版本|会员")
#: Long lists are evidence too long to read; past this, items are left out.
_MAX_EVIDENCE = 1500


def find_lead_in_list_relations(ctx: ExtractionContext, index: MentionIndex) -> list[RelationMention]:
    """"At launch we support twelve services:" or "通义灵码 3.0 支持：" and
    then a bullet list: the names opening the items integrate with the
    product the sentence names (or the document's main product). The
    evidence runs from the lead-in sentence to the end of the item."""
    out: list[RelationMention] = []
    text = ctx.doc.text
    for sentence in ctx.statement_sentences:
        # "available on every plan:" lists plans, not integrations.
        if not sentence.text.rstrip().endswith((":", "：")) or not _LEAD_IN.search(sentence.text) \
                or _PLANS.search(sentence.text):
            continue
        ms = [m for m in index.in_sentence(sentence) if m.etype in PRODUCTISH]
        subject = ms[-1] if ms else index.dominant.get("Product")
        if subject is None:
            continue
        pos = sentence.end
        while pos < len(text) and text[pos] in " \t\r\n" and text.count("\n", sentence.end, pos + 1) <= 2:
            pos += 1
        while True:
            item = _ITEM_LINE.match(text, pos)
            if item is None or item.end() - sentence.start > _MAX_EVIDENCE:
                break
            line = text[item.start():item.end()].rstrip("\n")
            head_end = item.start() + _ITEM_HEAD_END.search(line, len(line) - len(line.lstrip(" \t-*+0123456789.)"))).start()
            ev = evidence_for(ctx, sentence.start, item.start() + len(line), CONF_WEAK_PATTERN, "rel-list-lead-in")
            for m in index.in_range(item.start(), head_end):
                if m.etype in PRODUCTISH and not (m.canonical or m.surface).startswith(subject.canonical or subject.surface):
                    rel = relation(subject, "integratesWith", m, ev)
                    if rel is not None:
                        out.append(rel)
            pos = item.end()
    return out


def _same_class(cue: ListCue, s: Mention, o: Mention) -> bool:
    """Rivals are of one kind: companies with companies, products and
    models with products and models."""
    if cue.predicate != "competesWith":
        return True
    return (s.etype in ORGS) == (o.etype in ORGS)


def _list_after(text: str, ms: list[Mention], offset: int) -> list[Mention]:
    """The names listed from ``offset`` on: the first must follow at once
    (after an article), the others only list glue. "Google Cloud's Vertex
    AI": the owner before 's is not an item, what it owns is."""
    items: list[Mention] = []
    last = offset
    owner: Mention | None = None
    for m in ms:
        if m.start < offset:
            continue
        gap = text[last:m.start]
        if owner is not None and not _POSSESSIVE.match(gap):
            break
        if owner is None and not (_LEAD if not items else _ITEM_SEP).match(gap):
            break
        owner = None
        if _POSSESSIVE.match(text[m.end:m.end + 2]):
            owner, last = m, m.end
            continue
        items.append(m)
        last = m.end
    if owner is not None:
        items.append(owner)  # "…和小红书的用户": the last item, not an owner
    return items


def _subjects_before(text: str, ms: list[Mention], offset: int, types: tuple[str, ...]) -> list[Mention]:
    """The nearest name of ``types`` before ``offset``, with the names listed
    together with it ("Grok 3 and Grok 3 mini are coming to …")."""
    before = [m for m in ms if m.end <= offset]
    idx = next((i for i in range(len(before) - 1, -1, -1) if before[i].etype in types), None)
    if idx is None:
        return []
    chosen = [before[idx]]
    for i in range(idx - 1, -1, -1):
        gap = text[before[i].end:chosen[-1].start]
        if before[i].etype != chosen[0].etype or not _ITEM_SEP.match(gap):
            break
        chosen.append(before[i])
    return list(reversed(chosen))

