"""Relations stated inside one sentence, found by cue words between two
mentions: 支持/新增 → hasFeature, 下一代 → successorOf, 基于 → basedOn,
集成/整合/与…协作 → integratesWith, rivals → competesWith, 推出/发布 by a
company → developedBy, 创始人兼 CEO → worksFor."""
from __future__ import annotations

import re

from kg.extract.base import CONF_PATTERN, CONF_STRONG_PATTERN, CONF_WEAK_PATTERN, JOB_TITLE_EN
from kg.extract.context import ExtractionContext
from kg.extract.relations.common import (ORGS, PRODUCTISH, PRONOUN_START, MentionIndex, evidence_for, paragraph_topic,
                                         relation, sentence_evidence)
from kg.models import Mention, RelationMention

_FEATURE_CUE = re.compile(r"支持|新增|推出|引入|加入|具备|提供|带来|上线|开放|内置|增加|加入了|的|supports?|adds?|introduc|with"
                          r"|bundles?|includ|offers?|gains?|brings?|ships?")
_SUCCESSOR = re.compile(r"下一代|新一代|继任|接替|升级版|successor|next[- ]generation")
_PREVIOUS = re.compile(r"之前的|前代|上一代|旧版|改进了|相比|比|predecessor|previous")
_BASED = re.compile(r"基于|依托|采用|搭载|由.{0,12}驱动|built on|based on|powered by")
_INTEGRATE = re.compile(r"集成|整合|接入|嵌入|协作|结合|打通|联动|integrat|inside|works with")
_RIVAL = re.compile(r"竞争|对手|抗衡|替代|取代|对标|叫板|PK|rival|compet|versus|\bvs\.?")
_MAKER = re.compile(r"推出|发布|开发|打造|研发|上线|开源|旗下|宣布|launch|release|announce|introduc|unveil|from|by")
_EMPLOY = re.compile(r"创始人|CEO|CTO|COO|CFO|CPO|首席|负责|工作|团队|加入|任职|来自|总裁|经理|总监|研究员|工程师|科学家|分析师|教授|"
                     r"founder|chief|head|joined|president|director|manager|officer|analyst|scientist|engineer|at |of ")

# After "Person, Company": the company's possessive, then a job title
# ("Marguerite Olsen, Adobe's chief product officer").
_POSSESSED_TITLE = re.compile(r"['’]s\s+(?:[a-z-]+\s+){0,2}" + JOB_TITLE_EN, re.I)

_PASSIVE_MAKER = re.compile(
    r"^\s*,?\s*(?:which |that )?(?:(?:was|were|is|are|has been|have been|had been|being)\s+)?"
    r"(?:(?:first|originally|jointly|also|now|recently|quietly)\s+)?"
    r"(?:released|developed|built|made|launched|introduced|created|trained|open-sourced|published|unveiled|announced)"
    r"\s+by\s+(?:(?:the|its)\s+)?$")
#: "Anthropic's Claude Sonnet 4", "Microsoft's new Phi-4".
_POSSESSIVE = re.compile(r"^['’]s\s+(?:(?:new|latest|own|open-weight|open-source|flagship|first|next)\s+)*$")


def find_sentence_relations(ctx: ExtractionContext, index: MentionIndex) -> list[RelationMention]:
    """Relations between mentions of the same sentence."""
    out: list[RelationMention] = []
    for sentence in ctx.statement_sentences:
        ms = sorted(index.in_sentence(sentence), key=lambda m: m.start)
        if len(ms) < 2:
            continue
        out.extend(_features_of(ctx, ms, sentence.start))
        out.extend(_pronoun_relations(ctx, index, sentence, ms))
        text = ctx.doc.text
        for i, a in enumerate(ms):
            named_between = False  # a model or product between a and b
            for b in ms[i + 1:]:
                between = text[a.end:b.start]
                if len(between) > 40:
                    break  # mentions are sorted: every later one is farther
                for rel in _pair_relations(ctx, a, b, between, sentence.start, named_between):
                    if rel is not None:
                        out.append(rel)
                named_between = named_between or b.etype in PRODUCTISH
    return out


_PRONOUN_SUCCESSOR = re.compile(r"^\S{0,6}?(?:是|is)\s*$")
_PRONOUN_FEATURE = re.compile(r"支持|新增|具备|提供|内置|带来|supports?|offers?|adds?|comes with|features?")


def _pronoun_relations(ctx: ExtractionContext, index: MentionIndex, sentence, ms: list[Mention]) -> list[RelationMention]:
    """"它是 o1 的下一代推理模型", "It supports function calling": the subject
    is the paragraph's topic, its first model or product; the evidence runs
    from the topic's sentence to this one, so it names both."""
    m = PRONOUN_START.match(sentence.text)
    found = paragraph_topic(ctx, index, sentence) if m else None
    if found is None:
        return []
    topic, start = found
    ev = evidence_for(ctx, start, sentence.end, CONF_WEAK_PATTERN, "rel-pronoun")
    out = []
    for x in ms:
        head = ctx.doc.text[sentence.start + m.end():x.start]
        if x.etype == topic.etype and _PRONOUN_SUCCESSOR.match(head) and _SUCCESSOR.search(ctx.doc.text[x.end:x.end + 10]):
            out.append(relation(topic, "successorOf", x, ev))
        elif x.etype == "Feature" and _PRONOUN_FEATURE.search(head) and len(head) <= 60:
            out.append(relation(topic, "hasFeature", x, ev))
    return [r for r in out if r is not None]


def _features_of(ctx: ExtractionContext, ms: list[Mention], offset: int) -> list[RelationMention]:
    """A model or product, a cue (支持/新增/推出/的 …), then one or more
    features: each listed feature belongs to it ("新增视觉输入、函数调用、
    结构化输出以及推理深度功能")."""
    out = []
    owner: Mention | None = None
    cue_seen = False
    last_end = 0
    for m in ms:
        if m.etype in PRODUCTISH:
            owner, cue_seen, last_end = m, False, m.end
            continue
        if owner is None:
            continue
        gap = ctx.doc.text[last_end:m.start]
        # "GPT-4微调", "o1 函数调用": a feature written right after the model is its own.
        adjacent = last_end == owner.end and gap.strip() == ""
        cue_seen = cue_seen or adjacent or bool(_FEATURE_CUE.search(gap))
        if m.etype == "Feature" and cue_seen and m.start - owner.end <= 160:
            rel = relation(owner, "hasFeature", m, sentence_evidence(ctx, offset, CONF_PATTERN, "rel-hasFeature"))
            if rel is not None:
                out.append(rel)
        last_end = m.end
    return out


def _pair_relations(ctx: ExtractionContext, a: Mention, b: Mention, between: str, offset: int,
                    named_between: bool = False):
    ev = lambda conf, comp: sentence_evidence(ctx, offset, conf, comp)  # noqa: E731
    # "X 是 Y 的下一代", "Y 的下一代模型 X".
    if a.etype in PRODUCTISH and b.etype == a.etype and _SUCCESSOR.search(between + ctx.doc.text[b.end:b.end + 8]):
        # "X 是 Y 的下一代", "X, the next generation of Y", "X, successor to Y".
        if re.search(r"是|\bis\b|\bas\b|(?:generation|successor|version)\s+(?:of|to)\b", between):
            yield relation(a, "successorOf", b, ev(CONF_PATTERN, "rel-successorOf"))
        else:
            yield relation(b, "successorOf", a, ev(CONF_PATTERN, "rel-successorOf"))
    # "基于 Y 的 X" / "X 基于 Y".
    if _BASED.search(between):
        if a.etype in ("Product", "Feature") and b.etype == "Model":
            yield relation(a, "basedOn", b, ev(CONF_PATTERN, "rel-basedOn"))
    lead = ctx.doc.text[max(offset, a.start - 6):a.start]
    if _BASED.search(lead) and a.etype == "Model" and b.etype in ("Product", "Feature"):
        yield relation(b, "basedOn", a, ev(CONF_WEAK_PATTERN, "rel-basedOn"))
    # "X 与 Y 的集成", "X 已集成到 Y 中".
    # "A 集成到 B", "A 与 B 集成", "A works with B": the cue sits between
    # the two, or right after them when they are joined by 与/和/with.
    if a.etype in PRODUCTISH and b.etype in PRODUCTISH:
        after = ctx.doc.text[b.end:b.end + 8]
        joined = re.fullmatch(r"\s*(?:将|会|已经|已|可以|可|也)?\s*(?:与|和|跟|同|及|with|and)\s*", between)
        if (_INTEGRATE.search(between) and len(between) <= 16) or (joined and _INTEGRATE.match(after.lstrip(" 的"))):
            yield relation(a, "integratesWith", b, ev(CONF_PATTERN, "rel-integratesWith"))
    # Rivals: two of the same family of things with a rivalry cue.
    # "A 与 B 竞争", "A 对标 B", "用于替代 B 的 A": the cue between them, or
    # just before the first when the second is what replaces it.
    if (a.etype in ORGS and b.etype in ORGS) or (a.etype in PRODUCTISH and b.etype in PRODUCTISH):
        before = ctx.doc.text[max(offset, a.start - 4):a.start]
        if _RIVAL.search(between) or (_RIVAL.search(before) and re.search(r"的|，|,", between)):
            yield relation(a, "competesWith", b, ev(CONF_WEAK_PATTERN, "rel-competesWith"))
    # "OpenAI 推出了 o1": a company, a maker cue, then its product.
    # A bare "的" counts only right between them ("Apple 的 Vision Pro").
    maker_cue = _MAKER.search(between.replace("的", "")) or between.strip() == "的" or _POSSESSIVE.match(between)
    # Not past another name and a clause break: in "星衡科技发布衡山-3大模型，已接入
    # 钉钉" 钉钉 is not 星衡科技's ("发布新一代通义千问模型Qwen3" still makes
    # Qwen3 the company's; lists after the cue are read in relations_lists).
    if a.etype in ORGS and b.etype in PRODUCTISH + ("Feature",) and maker_cue and len(between) <= 20 \
            and not (named_between and re.search(r"[，,；;：:]", between)):
        yield relation(b, "developedBy", a, ev(CONF_PATTERN, "rel-developedBy"))
    # "Strix-2 Pro was released by Dunmore Labs", "Mistral Small, developed by Mistral AI".
    if a.etype in PRODUCTISH + ("Feature",) and b.etype in ORGS and _PASSIVE_MAKER.match(between):
        yield relation(a, "developedBy", b, ev(CONF_PATTERN, "rel-developedBy"))
    # "X 的创始人兼 CEO Y", "Y, CEO of X", "我是Y，负责X的…".
    if a.etype in ORGS and b.etype == "Person" and _EMPLOY.search(between):
        yield relation(b, "worksFor", a, ev(CONF_STRONG_PATTERN if "创始人" in between or "CEO" in between else CONF_PATTERN, "rel-worksFor"))
    # Not from a transcript's speaker label: "MARA ELLIS: One of our partners is Quillstream".
    if a.etype == "Person" and b.etype in ORGS and _EMPLOY.search(between) and not between.lstrip().startswith((":", "：")):
        yield relation(a, "worksFor", b, ev(CONF_PATTERN, "rel-worksFor"))
    # "Marguerite Olsen, Adobe's chief product officer": the employer's possessive, then the title.
    elif a.etype == "Person" and b.etype in ORGS and re.fullmatch(r",\s*(?:now\s+)?", between) \
            and _POSSESSED_TITLE.match(ctx.doc.text, b.end):
        yield relation(a, "worksFor", b, ev(CONF_PATTERN, "rel-worksFor"))
