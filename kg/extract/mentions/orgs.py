"""Companies and organisations found by their name's suffix and context.

``Rogo AI``, ``Epoch AI``, ``Mistral Labs``, ``Acme Inc.``; ``生数科技``,
``面壁智能``, ``澜码科技``, ``XX公司``, ``XX集团``, ``XX大学``.
"""
from __future__ import annotations

import re

from kg.extract.base import (CJK, CONF_PATTERN, CONF_WEAK_PATTERN, JOB_TITLE_EN, JOB_TITLE_HINTS, GatedPattern,
                             mention)
from kg.extract.context import ExtractionContext
from kg.models import Mention

_LATIN_ORG = re.compile(
    r"(?<![A-Za-z0-9])((?:[A-Z][A-Za-z0-9&'-]*)(?: [A-Z][A-Za-z0-9&'-]*){0,2}) "
    r"(AI|Labs?|Inc\.?|Corp\.?|Corporation|Technologies|Ltd\.?|LLC|GmbH|Research)"
    # "Toyota Research Institute" is one name; "Isaac Lab 3" and "Jupyter
    # AI 2" are products with a version, not organisations.
    r"( (?:Institute|Center|Centre|Laboratory|Foundation))?(?![A-Za-z0-9])(?![ \t]+v?\d)"
)
_CJK_ORG = GatedPattern(f"([{CJK}]{{2,4}})(科技|智能|公司|集团|实验室|研究院|大学|学院)",
                        "科技", "智能", "公司", "集团", "实验室", "研究院", "大学", "学院")
_CJK_ORG_TYPE = {"大学": "Organization", "学院": "Organization", "研究院": "Organization"}
# Stems that make "X科技/X智能/X公司" a common noun, not a name.
_GENERIC_STEMS = frozenset(
    "人工 通用人工 金融 科技 互联网 创业 大模型 模型 上市 头部 初创 科创 智能 数字 信息 网络 软件 "
    "硬件 芯片 国内 国外 海外 中国 美国 全球 各大 多家 一家 这家 该 某 我们 他们 你们 母 子 分 "
    "总 本 贵 其 每家 其他 相关 人工智能 机器 高新 黑 前沿 未来 新兴 传统 独角兽 明星 领先 头部".split()
)
_BAD_LEFT = set("家个该这那某每各其本贵的")
_LEFT_VERBS = frozenset("来自 位于 包括 携手 联合 收购 加入 任职 毕业 入股 投资 领投 牵手 联手".split())
_FUNCTION_CHARS = set("了的是在与和及由被对将把向从为就也都而或等让给用以个更加很越非常通过集成第次有使")
# "X智能"/"X科技" is also an adjective phrase ("更加智能"); as a name it is
# followed by what companies do or have.
_ORG_CUE_AFTER = re.compile(r"^\s*(?:(?:正式|今日|今天|日前|近日|再次|首次|也)?(?:发布|推出|宣布)|公司|创始人|联合创始人|"
                            r"CEO|CTO|COO|首席|总裁|副总裁|董事长|旗下|团队|表示|称|"
                            r"开发|研发|打造|上线|开源|融资|、|，|,|和|与|及|等|的[\u4e00-\u9fff]{0,6}(?:模型|产品|团队|创始人|CEO))")
_LATIN_STOP = frozenset("The This That Open Generative General Artificial Conversational Responsible "
                        "Our Your Their Its His Her My We New Every Each All Any Some".split())
# "Hannah Lee, chief product officer of ServiceNow", "head of robotics at
# Toyota Research Institute": the employer named after a job title.
_TITLE_OF = re.compile(
    r"\b(?i:" + JOB_TITLE_EN + r") (?:of|at) "
    r"((?:[A-Z][A-Za-z0-9&'-]*)(?: (?:[A-Z][A-Za-z0-9&'-]*|of|and|&)){0,4}?)(?=[,.;:!?)]|\s(?:and|said|who|where|to|in|on|\()|$)"
)
_ORGANIZATION_WORDS = re.compile(r"\b(?:Institute|University|College|Lab|Labs|Laboratory|Foundation|Center|Centre|School|Academy)\b")


# Parts of a publisher's name or address that name no company.
_NOT_A_BRAND = frozenset(
    "docs doc blog blogs news newsroom press www com cn net org io ai dev developer developers relations team "
    "example changelog medium substack github weixin http https official site help support about media "
    "editorial staff the community release releases notes update updates".split()
)
# "Nimbral Developer Relations", "Tessary Newsroom": a company's own desk.
_OWN_DESK = re.compile(r"^([A-Z][A-Za-z0-9]+) (?:Developer Relations|Newsroom|Blog|Team|Editorial|Press|Communications)\b")


def publisher_brands(ctx: ExtractionContext) -> set[str]:
    """Lower-cased words that name the company publishing the document: from
    its address ("docs.nimbral.example/changelog") or a desk of its own as
    author or publisher ("Nimbral Developer Relations")."""
    meta = ctx.doc.meta
    brands: set[str] = set()
    for value in (meta.publisher, meta.source_url):
        if value and re.match(r"^(?:https?://)?[\w-]+(?:\.[\w-]+)+(?:/|$)", value):
            host = re.sub(r"^https?://", "", value).split("/")[0]
            brands.update(w for w in host.lower().split(".") if len(w) >= 4 and w not in _NOT_A_BRAND)
    for value in (meta.author, meta.publisher):
        desk = _OWN_DESK.match(value or "")
        if desk and desk.group(1).lower() not in _NOT_A_BRAND:
            brands.add(desk.group(1).lower())
    return brands


def publisher_mentions(ctx: ExtractionContext) -> list[Mention]:
    """The publisher's brand wherever the body names it on its own ("Nimbral"
    of "docs.nimbral.example"): a company no lexicon knows, named by the
    address it publishes at."""
    brands = publisher_brands(ctx)
    if not brands:
        return []
    out = []
    for m in re.finditer(r"(?<![\w.-])([A-Z][A-Za-z0-9]{3,})(?![\w-]|\.\w)", ctx.doc.text):
        word = m.group(1)
        if word.lower() not in brands or not ctx.in_prose(m.start(), m.end()):
            continue
        entry = ctx.lexicon.lookup(word)
        if entry is not None and entry.type not in ("Company", "Organization"):
            continue
        out.append(mention(ctx, m.start(), m.end(), "Company", entry.name if entry else None, CONF_PATTERN,
                           "org-publisher"))
    return out


def find_org_mentions(ctx: ExtractionContext) -> list[Mention]:
    """Organisation names recognised by suffix, and the publisher's own brand."""
    out: list[Mention] = list(ctx.shared(publisher_mentions))
    text = ctx.doc.text
    for sentence in ctx.sentences:
        for m in _LATIN_ORG.finditer(sentence.text):
            # "Google Cloud's Vertex AI": the name is what follows the possessive.
            cut = max(m.group(0).rfind("'s "), m.group(0).rfind("’s "))
            cut = cut + 3 if cut >= 0 else 0
            name, stem = m.group(0)[cut:], m.group(1)[cut:]
            if not stem or stem.split()[0] in _LATIN_STOP:
                continue
            start, end = sentence.start + m.start() + cut, sentence.start + m.end()
            entry = ctx.lexicon.lookup(name)
            if entry is not None:
                continue  # the lexicon component finds it, typed right
            if ctx.lexicon.lookup(stem) is not None and m.group(2) == "AI":
                continue  # "Meta AI", "Google AI": a known name plus "AI" is a product line
            etype = "Organization" if m.group(3) else "Company"
            out.append(mention(ctx, start, end, etype, None, CONF_PATTERN, "org-suffix"))
        low = sentence.text.lower()
        for m in (_TITLE_OF.finditer(sentence.text) if any(w in low for w in JOB_TITLE_HINTS) else ()):
            name = m.group(1)
            if name.split()[0] in _LATIN_STOP or ctx.lexicon.lookup(name) is not None or ctx.lexicon.is_generic(name):
                continue
            start = sentence.start + m.start(1)
            etype = "Organization" if _ORGANIZATION_WORDS.search(name) else "Company"
            out.append(mention(ctx, start, start + len(name), etype, None, CONF_WEAK_PATTERN, "org-title"))
        for m in _CJK_ORG.finditer(sentence.text):
            stem, suffix = m.group(1), m.group(2)
            start = sentence.start + m.start()
            # The stem may have swallowed a verb or particle on the left
            # ("推出了面壁智能"): keep what follows the last function character.
            best = 0
            for k, ch in enumerate(stem):
                if ch in _FUNCTION_CHARS:
                    best = k + 1
            if len(stem) - best < 2:
                continue
            if best == 0 and start > 0 and text[start - 1] in _BAD_LEFT:
                continue
            # "来自清华大学", "携手星桥科技": a two-character verb before the name.
            if stem[best:best + 2] in _LEFT_VERBS and len(stem) - best - 2 >= 2:
                best += 2
            trimmed = stem[best:]
            # Any generic tail ("大模型公司", "金融科技") makes it a common noun.
            if any(trimmed[k:] in _GENERIC_STEMS for k in range(len(trimmed))):
                continue
            if ctx.lexicon.is_generic(trimmed + suffix) or ctx.lexicon.is_generic(trimmed):
                continue
            s_start = start + best
            s_end = sentence.start + m.end()
            if suffix in ("智能", "科技") and not _ORG_CUE_AFTER.match(text[s_end:s_end + 12]):
                continue
            name = text[s_start:s_end]
            if ctx.lexicon.lookup(name) is not None:
                continue
            etype = _CJK_ORG_TYPE.get(suffix, "Company")
            conf = CONF_PATTERN if best == 0 else CONF_WEAK_PATTERN
            out.append(mention(ctx, s_start, s_end, etype, None, conf, "org-suffix"))
    return out

