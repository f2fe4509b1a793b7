"""Model and product names found by their shape, not by a list.

Launch coverage writes model names in Latin script even inside Chinese
text, and they have a recognisable form: a family word plus a version
(``Gemini 2.0 Flash``, ``Claude 3.5 Sonnet``), or a token mixing letters
and digits (``o3-mini``, ``GPT-4o``, ``Qwen3-235B``), optionally followed by
edition words. ``X API`` / ``X SDK`` are products.
"""
from __future__ import annotations

import re
from dataclasses import replace

from kg.extract.base import (
    CONF_PATTERN,
    CONF_STRONG_PATTERN,
    CONF_WEAK_PATTERN,
    OPENING_WORDS,
    GatedPattern,
    is_cjk,
    latin_boundary,
    mention,
)
from kg.extract.context import ExtractionContext
from kg.lexicon import EDITION_WORDS
from kg.extract.mentions.lexicon import match_lexicon
from kg.extract.mentions.orgs import publisher_mentions
from kg.text_units import title_mentions
from kg.models import Mention

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9·]*(?:[-.][A-Za-z0-9·]+)*")
_VERSION = re.compile(r"^(?:v?\d+(?:\.\d+)*[a-z]?|[A-Z]?\d+(?:\.\d+)*)$")
_HAS_LETTER = re.compile(r"[A-Za-z]")
_HAS_DIGIT = re.compile(r"\d")
_SIZE = re.compile(r"^\d+(?:\.\d+)?[BbKkMm]$|^\d+x\d+[Bb]$")
#: Capitalised words followed by a number that are not names.
_NOT_A_FAMILY = frozenset(
    "day days tier step part chapter page version level top round no q the in on at for and or "
    "of to is are figure table section season episode vol top series phase stage "
    # sentence-initial function words: "Both 2.5 models gain …", "Over 400 million …"
    "both all each every some these those its their our his her over under about around nearly "
    "only with from by after before since until up more than less new latest first last next "
    "now today it we they this that "
    # number formats and licences: "FP8 量化", "Apache 2.0 license"
    "fp int bf apache gpl lgpl mpl cc utf iso "
    # metrics read like names with a number: "WER 1.08", "BLEU 38.6"
    "wer cer bleu mos "
    # a model's generic noun: "Model 2" is the end of "Firefly Video Model 2"
    "model models "
    # dates: "launched Grok 5 on May 19"
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july august "
    "september october november december".split()
)
#: Capitalised words naming what a model makes or is, written between its
#: brand and version ("Firefly Video Model 2"); never a family of their own.
_MEDIUM_WORDS = frozenset("Image Video Audio Speech Music Voice Text Vision Embedding Embeddings Model".split())
_YEAR_NAMED = re.compile(r"^[A-Z][\w/&.-]*(?: [A-Z][\w/&.-]*){0,2} (?:19|20)\d\d$")
_AT_EVENT = re.compile(r"\b(?:at|during|ahead of|before|after|since|on stage at|keynote at)\s+(?:the\s+)?(?:[a-z]+\s+){0,2}$")
# Words around a letters-and-digits token that say it names a model; a
# score on a benchmark is said of models ("DeepSeek-R2 scores 84.9 on …").
_MODEL_CONTEXT = re.compile(r"模型|model|LLM|大模型|推理|参数|权重|开源|weights|checkpoint|\bscor(?:es|ed|ing)\b|"
                            r"outperform|\bbeats?\b|跑分|得分", re.I)
_LETTER_VERSION = re.compile(r"^[A-Z]\d{1,2}$")
_PRODUCT_SUFFIX = re.compile(r"\s?(API|SDK|App|app)\b")


def find_name_mentions(ctx: ExtractionContext) -> list[Mention]:
    """Model- and product-shaped names in prose."""
    out: list[Mention] = []
    text = ctx.doc.text
    families = ctx.lexicon.model_families
    product_families = ctx.lexicon.product_families
    # Families this document calls models somewhere, and the names of that
    # shape in sentences that do not say so: "Weave-2 的多模态版本 Weave-2
    # Vision" is a model because Weave-2 is one two paragraphs earlier.
    context_families: set[str] = set()
    waiting: list[tuple[int, int, str]] = []
    benchmark_sentences = _benchmark_sentences(ctx)
    for sentence in ctx.sentences:
        tokens = [(m.start() + sentence.start, m.end() + sentence.start, m.group())
                  for m in _TOKEN.finditer(sentence.text)]
        i = 0
        while i < len(tokens):
            found = _name_at(text, tokens, i)
            if found is None:
                i += 1
                continue
            j, family = found
            j = _tier_word(ctx, text, tokens, j)
            start, end = tokens[i][0], tokens[j][1]
            if not latin_boundary(text, start, end) or not ctx.in_prose(start, end):
                i = j + 1
                continue
            surface = text[start:end]
            entry = ctx.lexicon.lookup(surface)
            if entry is not None:
                out.append(mention(ctx, start, end, entry.type, entry.name, CONF_STRONG_PATTERN, "name-shape"))
            elif _YEAR_NAMED.match(surface) and family not in families:
                # "VivaTech 2025", "Build 2025": a year is no model version.
                if _AT_EVENT.search(text[max(sentence.start, start - 24):start]):
                    out.append(mention(ctx, start, end, "Event", None, CONF_PATTERN, "name-shape-event"))
            elif family in families:
                out.append(mention(ctx, start, end, "Model", None, CONF_STRONG_PATTERN, "name-shape"))
            elif family in product_families:
                out.append(mention(ctx, start, end, "Product", None, CONF_PATTERN, "name-shape"))
            elif _HAS_DIGIT.search(surface):
                if _MODEL_CONTEXT.search(sentence.text) or sentence.start in benchmark_sentences:
                    out.append(mention(ctx, start, end, "Model", None, CONF_WEAK_PATTERN, "name-shape"))
                    context_families.add(family)
                else:
                    waiting.append((start, end, family))
            i = j + 1
        out.extend(_api_products(ctx, sentence))
        out.extend(_shared_suffix_products(ctx, sentence))
        out.extend(_quoted_models(ctx, sentence))
        out.extend(_cjk_versioned_models(ctx, sentence))
        out.extend(_cjk_family_versions(ctx, sentence))
        out.extend(_suffixed_products(ctx, sentence))
    possessed = _possessed_products(ctx)
    # "Amazon's Vantor 2 and Vantor 2 Lite": the possessive names the family.
    context_families.update(family_word(m.surface.split(" ")[0]) for m in possessed if m.etype == "Model")
    out.extend(mention(ctx, start, end, "Model", None, CONF_WEAK_PATTERN, "name-shape")
               for start, end, family in waiting if family in context_families)
    out.extend(_product_tiers(ctx))
    out.extend(_cjk_plans(ctx))
    out.extend(possessed)
    out.extend(_company_products(ctx))
    return out


_QUOTED_MODEL = re.compile(r"[“\"「《]([^”\"」》\n]{1,24})[”\"」》]\s*(?:系列)?\s*(?:大模型|模型|大语言模型|推理模型|model)")
_PRODUCT_NOUN = GatedPattern(
    r"(?<![A-Za-z0-9])([A-Z][A-Za-z0-9]*(?: [A-Z][A-Za-z0-9]*){0,3})\s?(平台|应用|App|app|助手|插件|浏览器|编辑器|终端|客户端)",
    "平台", "应用", "pp", "助手", "插件", "浏览器", "编辑器", "终端", "客户端",
)


# "发布云帆-2大模型", "，盘古5.5模型": a Chinese name with a version, after a
# launch verb or a break, before 模型. The left edge must be such a boundary,
# or the name would swallow the verb ("发布云帆").
_CJK_VERSIONED_MODEL = GatedPattern(
    r"(?:(?<=发布)|(?<=推出)|(?<=上线)|(?<=开源)|(?<=亮相)|(?<=升级)|(?<=了)|(?<=[，。、：:；\s“\"「《（(])|^)"
    r"([\u4e00-\u9fff]{2,4}[-‐]?\d+(?:\.\d+)?(?:\s?(?:Pro|Max|Turbo|Plus|Ultra|Lite|Mini|mini|pro|max|Flash))?)"
    r"\s?(?:系列)?(?:大模型|模型|大语言模型|推理模型)",
    "模型",
)


# "豆包 1.6", "文心 4.5 Turbo", "混元 TurboS", "文心 X1 Turbo": a version or
# tier written after a Chinese family name, with or without a space.
_CJK_FAMILY_VERSION = re.compile(
    r"(?<=[\u4e00-\u9fff])\s?"
    r"((?:[A-Z]?\d+(?:\.\d+)*|(?:Turbo|Pro|Max|Plus|Lite|Ultra|Flash|Air)S?)"
    r"(?:[\s-]?(?:Turbo|Pro|Max|Plus|Lite|Ultra|Flash|Air|Mini|mini|Thinking)S?\b)*)(?![A-Za-z0-9.])"
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def _cjk_family_versions(ctx: ExtractionContext, sentence) -> list[Mention]:
    """A known Chinese model or product family name followed by a version or
    tier: the versioned model ("豆包 1.6" is a model, not the 豆包 app), or
    the product itself where no model carries the family's name ("通义灵码
    3.0" is 通义灵码)."""
    out = []
    text = sentence.text
    # The version is matched first and the Chinese before it read back:
    # matching the Chinese run first backtracked at every Chinese character.
    for m in _CJK_FAMILY_VERSION.finditer(text):
        if _YEAR.match(m.group(1)):
            continue
        run_end = m.start()
        run_start = run_end
        while run_start > max(0, run_end - 6) and is_cjk(text[run_start - 1]):
            run_start -= 1
        run = text[run_start:run_end]
        # The longest tail of the Chinese run that names a known family:
        # "推出豆包" → "豆包".
        stem = next((run[k:] for k in range(len(run) - 1) if _is_family(ctx, run[k:])), None)
        if stem is None:
            continue
        start = sentence.start + run_end - len(stem)
        end = sentence.start + m.end(1)
        if not ctx.in_prose(start, end):
            continue
        family = ctx.lexicon.lookup(stem)
        if family is not None and family.type == "Product" and not ctx.lexicon.names_models(stem) \
                and ctx.lexicon.lookup(ctx.doc.text[start:end]) is None:
            # "通义灵码 3.0": a release of a product whose family names no model
            # is that product (its version becomes one of its labels).
            out.append(mention(ctx, start, end, "Product", family.name, CONF_PATTERN, "name-versioned"))
            continue
        out.append(_model_or_known(ctx, ctx.doc.text[start:end], start, end, "name-versioned"))
    return out


# A plan or edition word after a known product: "Le Chat Enterprise",
# "Copilot Pro+", "Claude Team".
_TIER_AFTER = re.compile(r"[ \t](Pro|Plus|Enterprise|Team|Business|Max|Premium|Ultra|Edu)\+?(?![A-Za-z0-9])")


def _known_followed_by(ctx: ExtractionContext, etype: str, pattern: re.Pattern[str]):
    """Latin-ending lexicon mentions of ``etype`` that ``pattern`` continues
    at once, within prose: (mention, match) pairs."""
    text = ctx.doc.text
    for m in ctx.shared(match_lexicon):
        if m.etype != etype or is_cjk(text[m.end - 1]):
            continue
        hit = pattern.match(text, m.end)
        if hit is not None and ctx.in_prose(m.start, hit.end()):
            yield m, hit


def _product_tiers(ctx: ExtractionContext) -> list[Mention]:
    """A known product named with its plan: the plan's own Product."""
    out = []
    text = ctx.doc.text
    for m, tier in _known_followed_by(ctx, "Product", _TIER_AFTER):
        name = text[m.start:tier.end()]
        entry = ctx.lexicon.lookup(name)
        if entry is not None and entry.type != "Product":
            continue
        out.append(mention(ctx, m.start, tier.end(), "Product", entry.name if entry else None,
                           CONF_STRONG_PATTERN, "name-tier"))
    return out


def _is_family(ctx: ExtractionContext, name: str) -> bool:
    entry = ctx.lexicon.lookup(name)
    return entry is not None and entry.type in ("Model", "Product")


# After the noun: "发布视频生成大模型墨池2.0", "上线图像模型墨图2.0". The
# name ends at punctuation or a space, and is not a measure ("模型参数70，").
_MODEL_THEN_CJK_VERSIONED = GatedPattern(
    r"(?:大模型|模型|大语言模型|推理模型)\s?"
    r"((?!参数|性能|速度|能力|得分|分数|成本|价格|上下文|时长|长度|规模|版本)[\u4e00-\u9fff]{2,4}[-‐]?\d+(?:\.\d+)?"
    r"(?:\s?(?:Pro|Max|Turbo|Plus|Ultra|Lite|Mini|mini|pro|max|Flash))?)(?=[\s，。、；;,!！?？）)]|$)",
    "模型",
)


def _cjk_versioned_models(ctx: ExtractionContext, sentence) -> list[Mention]:
    """Chinese model names with a version number, before 模型 ("云帆-2大模型")
    or right after it ("图像模型墨图2.0")."""
    out = []
    found = [*_CJK_VERSIONED_MODEL.finditer(sentence.text), *_MODEL_THEN_CJK_VERSIONED.finditer(sentence.text)]
    for m in found:
        name = m.group(1)
        start, end = sentence.start + m.start(1), sentence.start + m.end(1)
        if ctx.lexicon.is_generic(name) or not ctx.in_prose(start, end):
            continue
        out.append(_model_or_known(ctx, name, start, end, "name-versioned"))
    return out


def _model_or_known(ctx: ExtractionContext, name: str, start: int, end: int, component: str) -> Mention:
    """A name that the words around it say is a model: typed and named by
    the lexicon where it knows the name, else a new Model."""
    entry = ctx.lexicon.lookup(name)
    return mention(ctx, start, end, entry.type if entry else "Model", entry.name if entry else None,
                   CONF_PATTERN, component)


def _quoted_models(ctx: ExtractionContext, sentence) -> list[Mention]:
    """A quoted name followed by 模型 / 大模型: "星河智能发布了“天枢”大模型"."""
    out = []
    for m in _QUOTED_MODEL.finditer(sentence.text):
        name = m.group(1).strip()
        if not name or ctx.lexicon.is_generic(name):
            continue
        start, end = sentence.start + m.start(1), sentence.start + m.end(1)
        out.append(_model_or_known(ctx, name, start, end, "name-quoted"))
    return out


def _suffixed_products(ctx: ExtractionContext, sentence) -> list[Mention]:
    """A Latin name followed by a product noun: "Tianshu Studio 平台", "Warp 终端"."""
    out = []
    for m in _PRODUCT_NOUN.finditer(sentence.text):
        name = m.group(1)
        if name.split()[0].lower() in _NOT_A_FAMILY or ctx.lexicon.is_generic(name) or len(name) < 2:
            continue
        entry = ctx.lexicon.lookup(name, "Product")
        if entry is None and ctx.lexicon.lookup(name) is not None:
            continue  # a known model or company: the lexicon types it
        start, end = sentence.start + m.start(1), sentence.start + m.end(1)
        # A known product named with its product noun beats a same-named
        # company from the lexicon ("Warp 终端" is the terminal, not the firm).
        conf = 0.96 if entry is not None else CONF_PATTERN
        out.append(mention(ctx, start, end, "Product", entry.name if entry else None, conf, "name-product-noun"))
    return out


_SHARED_SUFFIX = GatedPattern(
    r"(?<![A-Za-z0-9])([A-Z][A-Za-z0-9+#.]*)\s*(?:和|与|及|、|and|,|，)\s*([A-Z][A-Za-z0-9+#.]*)"
    r"\s*(?:的)?\s*(?:官方)?\s*(?:的)?\s*(?:版本)?\s*(?:的)?\s*(?:官方)?\s*(?:的)?\s*(SDK|开发工具包|API|客户端|插件)",
    "SDK", "开发工具包", "API", "客户端", "插件",
)
_SUFFIX_EN = {"开发工具包": "SDK", "客户端": "client", "插件": "plugin"}


def _shared_suffix_products(ctx: ExtractionContext, sentence) -> list[Mention]:
    """"Go 和 Java 的官方 SDK" names two products, Go SDK and Java SDK."""
    out = []
    for m in _SHARED_SUFFIX.finditer(sentence.text):
        suffix = _SUFFIX_EN.get(m.group(3), m.group(3))
        for g in (1, 2):
            start, end = sentence.start + m.start(g), sentence.start + m.end(g)
            name = f"{m.group(g)} {suffix}"
            entry = ctx.lexicon.lookup(name, "Product")
            out.append(mention(ctx, start, end, "Product", entry.name if entry else name,
                               CONF_PATTERN, "name-shape", surface=name))
    return out


def family_word(token: str) -> str:
    """The family a name's first token stands for: "gpt" of "GPT-4o", "vantor" of "Vantor"."""
    return re.split(r"[-.\d]", token.lower(), maxsplit=1)[0] or token.lower()


def _name_at(text: str, tokens: list[tuple[int, int, str]], i: int) -> tuple[int, str] | None:
    """If a model-shaped name starts at token ``i``, its last token index and family."""
    start, end, tok = tokens[i]
    family = family_word(tok)
    if family in _NOT_A_FAMILY:
        return None
    j = i
    mixed = bool(_HAS_LETTER.search(tok) and _HAS_DIGIT.search(tok)) and tok[0].isalpha()
    if not mixed:
        if not tok[0].isupper():
            return None
        # Family word then a version: "Gemini 2.0", "Claude 3.5", "DALL·E 3";
        # or with its tier between: "Mistral Large 3", "Claude Opus 4".
        k = i + 1
        while k < len(tokens) and k - i <= 2 and tokens[k][2].lower() in EDITION_WORDS \
                and _adjacent(text, tokens[k - 1], tokens[k]):
            k += 1
        # Or with what it makes between: "Firefly Image Model 5", "Titan Text Embeddings 2".
        if k == i + 1:
            while k < len(tokens) and k - i <= 2 and tokens[k][2] in _MEDIUM_WORDS \
                    and _adjacent(text, tokens[k - 1], tokens[k]):
                k += 1
        if k < len(tokens) and _adjacent(text, tokens[k - 1], tokens[k]) and _VERSION.match(tokens[k][2]):
            j = k
        else:
            return None
    # A letter-and-number generation after a mixed token: "GR00T N2".
    elif j + 1 < len(tokens) and _adjacent(text, tokens[j], tokens[j + 1]) and _LETTER_VERSION.match(tokens[j + 1][2]):
        j += 1
    # Editions and sizes that belong to the name: "mini", "Pro", "70B".
    while j + 1 < len(tokens) and _adjacent(text, tokens[j], tokens[j + 1]):
        nxt = tokens[j + 1][2]
        if nxt.lower() in EDITION_WORDS or _SIZE.match(nxt):
            j += 1
        else:
            break
    return j, family


_TIER_WORD = re.compile(r"^[A-Z][a-z]{3,}$")


def _tier_word(ctx: ExtractionContext, text: str, tokens: list[tuple[int, int, str]], j: int) -> int:
    """One capitalised word after a version names the model's tier even
    when it is no usual edition word: "Llama 5 Maverick", "Nova 2 Premier".
    Not when another capitalised word follows (a name starts there) or the
    word is a known name or a sentence opener."""
    if not _HAS_DIGIT.search(tokens[j][2]) or j + 1 >= len(tokens) or text[tokens[j][1]:tokens[j + 1][0]] != " ":
        return j
    word = tokens[j + 1][2]
    if not _TIER_WORD.match(word) or word in OPENING_WORDS or word.lower() in _NOT_A_FAMILY \
            or ctx.lexicon.lookup(word) is not None:
        return j
    if j + 2 < len(tokens) and text[tokens[j + 1][1]:tokens[j + 2][0]] == " " and tokens[j + 2][2][:1].isupper():
        return j
    return j + 1


def _adjacent(text: str, a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    gap = text[a[1]:b[0]]
    return gap in ("", " ", "-", "\n")


_API = GatedPattern(r"(?<![A-Za-z0-9])((?:[A-Z][A-Za-z0-9]*)(?: [A-Z][A-Za-z0-9]*){0,2}) (API|SDK)(?![A-Za-z0-9])",
                    "API", "SDK")


def _api_products(ctx: ExtractionContext, sentence) -> list[Mention]:
    """``Realtime API``, ``Python SDK``: a capitalised name plus API/SDK."""
    out = []
    for m in _API.finditer(sentence.text):
        head = m.group(1)
        if head.split()[0].lower() in _NOT_A_FAMILY or head.isupper() and len(head) <= 3:
            continue
        start = sentence.start + m.start()
        end = sentence.start + m.end()
        entry = ctx.lexicon.lookup(m.group(0))
        if entry is not None:
            out.append(mention(ctx, start, end, entry.type, entry.name, CONF_STRONG_PATTERN, "name-shape"))
        elif ctx.lexicon.lookup(head, "Model") is None:
            out.append(mention(ctx, start, end, "Product", None, CONF_PATTERN, "name-shape"))
    return out


# What a capitalised word after a company's name is when it is not one of
# its products: the company's own longer name or unit, a title, a date, a
# verb of a headline-cased line, or a function word.
_NOT_A_PRODUCT_WORD = frozenset(
    "inc corp corporation ltd llc co labs lab research cloud deepmind group holdings ventures capital "
    "foundation technologies technology software systems services brain health ai "
    "ceo cto coo cfo cpo chief president founder co-founder cofounder executive vice head senior director "
    "team staff engineers researchers employees customers users developers partners investors board "
    "today tomorrow yesterday monday tuesday wednesday thursday friday saturday sunday january february "
    "march april may june july august september october november december "
    "on in at and or but the this that it is was are were has had have will would can could also now "
    "said says announced announces launched launches unveiled unveils released releases introduced "
    "introduces debuted debuts opens opened plans planned".split()
)
# "Snowflake Cortex AI": a name may end in AI, not in the other words.
_NOT_A_NAME_END = _NOT_A_PRODUCT_WORD - {"ai"}
_AFTER_COMPANY = re.compile(r" ((?:[A-Z][A-Za-z0-9+]*|\d+)(?: (?:[A-Z][A-Za-z0-9+]*|\d+)){0,2})(?![A-Za-z0-9])")
_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z]+")
_LOWER_WORD = re.compile(r"\b[a-z]{3,}\b")


def _company_products(ctx: ExtractionContext) -> list[Mention]:
    """A known company's name followed by capitalised words names one of its
    products: "Google Drive", "GitHub Actions", "Snowflake Cortex AI",
    "Microsoft 365 Copilot". Headline-cased lines are skipped, where every
    word is capitalised ("Microsoft Unveils …")."""
    out = []
    text = ctx.doc.text
    # A known product's name opens its own line's names the same way:
    # "DGX Station Mini", "Copilot Studio".
    known = [*_known_followed_by(ctx, "Company", _AFTER_COMPANY), *_known_followed_by(ctx, "Product", _AFTER_COMPANY)]
    # The publisher's own brand opens its products' names too ("Nimbral Echo").
    known += [(m, hit) for m in ctx.shared(publisher_mentions) if (hit := _AFTER_COMPANY.match(text, m.end)) is not None
              and ctx.in_prose(m.start, hit.end())]
    for m, after in known:
        words = after.group(1).split(" ")
        while words and words[-1].lower() in _NOT_A_NAME_END:
            words.pop()
        # "NVIDIA AI Enterprise", "Google AI Studio": "AI" opens a product name
        # when a name word follows it ("Meta AI" alone is the lexicon's).
        first_ok = words and (words[0].lower() not in _NOT_A_PRODUCT_WORD or (words[0] == "AI" and len(words) > 1))
        if not first_ok or words[0].isdigit() and len(words) == 1:
            continue
        end = m.end + 1 + len(" ".join(words))
        sentence = ctx.sentence_index.at(m.start)
        if sentence is None or len(_CAPITALISED.findall(sentence.text)) > 3 * len(_LOWER_WORD.findall(sentence.text)):
            continue
        name = text[m.start:end]
        if ctx.lexicon.lookup(name) is not None or ctx.lexicon.is_generic(name):
            continue  # the lexicon types what it knows
        out.append(mention(ctx, m.start, end, "Product", None, CONF_WEAK_PATTERN, "name-company-product"))
    return out


def _benchmark_sentences(ctx: ExtractionContext) -> set[int]:
    """Starts of the sentences where the lexicon found a benchmark: "DeepSeek-V4
    在 SWE-bench Verified 上为 70.1%" is said of a model."""
    found = set()
    for m in ctx.shared(match_lexicon):
        if m.etype == "Benchmark":
            sentence = ctx.sentence_index.at(m.start)
            if sentence is not None:
                found.add(sentence.start)
    return found


PLAN_COMPONENT = "name-cjk-plan"
# "个人专业版 59 元/月", "企业标准版", "免费版": a plan of the product the
# article is about. "版本" is a version, not a plan.
_CJK_PLAN = GatedPattern(
    r"(?:个人|企业|团队|家庭|学生|教育|商业|开发者)?"
    r"(?:(?:免费|专业|标准|专属|旗舰|基础|高级|尊享|入门|进阶|个人|企业|团队|家庭|学生|教育|商业)版(?!本)"
    r"|(?:标准|高级|黄金|铂金|钻石|白银|超级|年度|专业|尊享)会员)",
    "版", "会员",
)


def _cjk_plans(ctx: ExtractionContext) -> list[Mention]:
    """Chinese plan names ending in 版, as Products (named for their
    product once the mention stage knows it: ``name_plans``)."""
    out = []
    for sentence in ctx.sentences:
        for m in _CJK_PLAN.finditer(sentence.text):
            start, end = sentence.start + m.start(), sentence.start + m.end()
            if ctx.in_prose(start, end) and not ctx.lexicon.is_generic(m.group()):
                out.append(mention(ctx, start, end, "Product", m.group(), CONF_PATTERN, PLAN_COMPONENT))
    return out


def plan_owner(plan: Mention, sentence_mentions: list[Mention],
               title_product: Mention | None) -> Mention | None:
    """The product a plan belongs to: the one named right before it
    ("通义灵码个人专业版"), else the one the document is about."""
    before = [p for p in sentence_mentions if p.etype == "Product" and 0 <= plan.start - p.end <= 1
              and not p.extractor.startswith(PLAN_COMPONENT)]
    owner = before[-1] if before else title_product
    return owner if owner is not None and owner.etype == "Product" else None


def name_plans(ctx: ExtractionContext, kept: list[Mention]) -> list[Mention]:
    """``kept`` with each Chinese plan named for its product ("Trae 个人专业版"):
    "个人专业版" alone would be one node for every product's plan of that
    name. A short name is the one longer plan of the document it ends
    ("专业版全部权益" after "个人专业版")."""
    plans = [m for m in kept if m.extractor.startswith(PLAN_COMPONENT)]
    if not plans:
        return kept
    titled = title_mentions(ctx.doc, kept, ("Product", "Model"))
    title_product = titled[0] if titled else None
    names = {m.surface for m in plans}
    renamed = {}
    for m in plans:
        longer = [n for n in names if n != m.surface and n.endswith(m.surface)]
        plan = longer[0] if len(longer) == 1 else m.surface
        sentence = ctx.sentence_index.at(m.start)
        same = [x for x in kept if sentence is not None and sentence.start <= x.start < sentence.end]
        owner = plan_owner(m, same, title_product)
        owner_name = (owner.canonical or owner.surface) if owner is not None else None
        renamed[id(m)] = replace(m, canonical=f"{owner_name} {plan}" if owner_name else plan)
    return [renamed.get(id(m), m) for m in kept]


# "腾讯云的 CodeBuddy", "深度求索的 DeepSeek-V4": a Latin name a known
# company owns in Chinese prose.
_AFTER_DE = re.compile(r"的\s?([A-Z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*(?: [A-Z][A-Za-z0-9]*){0,2})(?![A-Za-z0-9])")
# "Amazon's Nova 2 Pro", "Meta's new Llama 5 Scout": English possessives name
# models only when the name has a version ("Microsoft's Build" is an event).
_AFTER_POSSESSIVE = re.compile(
    r"['’]s\s(?:(?:new|latest|own|flagship|open-weight|open-source)\s)*"
    r"([A-Z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*(?: (?:[A-Z][A-Za-z0-9]*|\d+(?:\.\d+)?)){0,3})(?![A-Za-z0-9.])")


def _possessed_products(ctx: ExtractionContext) -> list[Mention]:
    """A capitalised Latin name after "<company>的": one of its products (or
    models, which the name patterns type when the name has their shape);
    after "<company>'s" only a name with a version, a model."""
    out = []
    text = ctx.doc.text
    for m in ctx.shared(match_lexicon):
        if m.etype != "Company":
            continue
        after = _AFTER_DE.match(text, m.end)
        if after is None:
            after = _AFTER_POSSESSIVE.match(text, m.end)
            if after is not None and not _HAS_DIGIT.search(after.group(1)):
                continue
        if after is None or not ctx.in_prose(after.start(1), after.end(1)):
            continue
        name = after.group(1)
        if ctx.lexicon.lookup(name) is not None or ctx.lexicon.is_generic(name) or name.split()[0] in OPENING_WORDS:
            continue
        etype = "Model" if _HAS_DIGIT.search(name) and _HAS_LETTER.search(name) else "Product"
        out.append(mention(ctx, after.start(1), after.end(1), etype, None, CONF_WEAK_PATTERN, "name-possessed"))
    return out
