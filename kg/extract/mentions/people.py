"""People, found by how texts introduce them.

Speaker turns in transcripts (``Olivier Godement: …``), self-introductions
(``我是X``, ``I'm X``), titles next to a name (``创始人兼 CEO 周健``,
``首席产品官 Kevin Weil``, ``副教授刘知远``), bylines (``作者 | 黎诗韵``),
and transliterated names written with ``·`` (``山姆·奥特曼``).
"""
from __future__ import annotations

import re
from collections import Counter

from kg.extract.base import OPENING_WORDS, CJK, CONF_PATTERN, CONF_STRONG_PATTERN, JOB_TITLE_EN, GatedPattern, mention
from kg.extract.context import ExtractionContext
from kg.models import Mention

# Common Chinese surnames (a general resource): a 2–3 character name must
# start with one, which keeps "小鹿" or "今天" from becoming people.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄"
    "窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池"
    "查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆"
    "朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫"
    "杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧"
    "闭由"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "尉迟", "长孙", "宇文", "司徒")

# Latin-1 letters too: "Timothée Lacroix", "Clément Delangue".
_LATIN_NAME = r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?:[-'][A-Z]?[a-zß-öø-ÿ]+)?(?: [A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?:[-'][A-Z]?[a-zß-öø-ÿ]+)?){0,2}"
_CJK_NAME = f"[{CJK}]{{2,3}}"
_SPEAKER = re.compile(rf"^(?:\*\*)?({_LATIN_NAME}|{_CJK_NAME})(?:\*\*)?\s*[:：](?:\*\*)?\s*\S", re.M)
# Transcripts often set the speaker in capitals: "SATYA NADELLA: Good morning".
# Two or three words, so that "NOTE:" or "Q:" are not people.
_SPEAKER_CAPS = re.compile(r"^(?:\*\*)?([A-Z][A-Z'-]+(?: [A-Z][A-Z'-]+){1,2})(?:\*\*)?\s*:\s*\S", re.M)
_NOT_SPEAKER_WORDS = frozenset("NEWS UPDATE NOTE EDITOR EDITORS BREAKING DISCLAIMER SOURCE SOURCES SUMMARY "
                               "QUESTION ANSWER AUDIENCE MODERATOR HOST PANEL UPDATED KEY TAKEAWAY TAKEAWAYS "
                               "TL DR FAQ".split())
_SELF_INTRO = re.compile(rf"(?:我是|我叫|I'm |I am |my name is )({_LATIN_NAME}|{_CJK_NAME})")
_TITLES = (
    r"联合创始人兼\s*CEO|创始人兼\s*CEO|创始人兼\s*首席执行官|联合创始人|创始人|董事长|首席执行官|首席技术官|首席科学家|"
    r"首席[\u4e00-\u9fff]{1,4}官|CEO|CTO|COO|CPO|总裁|副总裁|总经理|副教授|教授|研究员|科学家|工程师|负责人|主任|院长|总监|"
    r"产品经理|研究主管"
)
_TITLE_THEN_NAME = re.compile(rf"(?:{_TITLES})\s*(?:[、,，]\s*)?({_LATIN_NAME}|{_CJK_NAME})")
# English titles before a name ("chief executive Arthur Mensch", "Professor
# Jane Doe") in a pattern of their own, tried only where a title word occurs:
# in one alternation with the Chinese titles, their lowercase first letters
# made that pattern several times slower on every sentence.
_EN_TITLE_THEN_NAME = re.compile(
    # The title in any case ("Chief Scientist" in a headline or a quote), the
    # name after it capitalised.
    r"(?i:chief executive|chief [a-z]+ officer|chief scientist|co-?founder|founder|professor|director|"
    rf"(?:principal |senior |lead )?(?:analyst|engineer|researcher))\s*(?:,\s*)?({_LATIN_NAME})")
_EN_TITLE_WORDS = ("chief", "founder", "professor", "director", "analyst", "engineer", "researcher")
# "said Dario Amodei, CEO of Anthropic": the name before ", CEO of".
_NAME_COMMA_TITLE = re.compile(rf"({_LATIN_NAME}), (?:the )?(?:co-?founder|founder|CEO|CTO|chief \w+ officer|president|head) (?:and \w+ )?(?:of|at)\b")
# Case-insensitive for the title only: a name still starts with a capital.
# "Guillaume Lample, now its chief scientist", "Rowan Kessler, principal analyst at …".
_NAME_THEN_TITLE = re.compile(rf"({_LATIN_NAME}),? (?i:(?:now |also )?(?:its |their |our |the company's )?(?:the )?)"
                              r"(?i:" + JOB_TITLE_EN + r")(?![a-z])")
# "Marguerite Olsen, Adobe's chief product officer": the employer's possessive
# between the comma and the title ("As GitHub's CEO" has no comma: no name).
_NAME_POSSESSOR_TITLE = re.compile(rf"({_LATIN_NAME}), [A-Z][\w&.-]*(?: [A-Z][\w&.-]*)?['’]s (?i:" + JOB_TITLE_EN
                                   + r")(?![a-z])")
_BYLINE = re.compile(rf"(?:作者|编辑|撰文|文|出品|责编|记者)\s*[|｜:：丨]\s*({_CJK_NAME}|{_LATIN_NAME})")
_TRANSLITERATED = GatedPattern(f"[{CJK}]{{1,5}}·[{CJK}]{{1,6}}(?:·[{CJK}]{{1,6}})?", "·")
_NOT_NAMES = frozenset(
    "Note Notes Example Examples Update Step Tip Tips Warning Summary Source Day Q A Answer Question "
    "Demo Title Author Published Original Category Tags Stats Image Link Input Output User Assistant "
    "System Prompt Response Example Features Pricing Price Model Models Reference References Hint "
    "Introduction Conclusion Background Overview Abstract Keywords Date Time Location Speaker "
    "Our Your Their Its His Her My We They These Those".split()
)
# Chinese words that look like 2–3 character names but are not.
_CJK_NOT_NAMES = frozenset("今天 明天 昨天 现在 大家 我们 你们 他们 首先 其次 最后 然后 总之 所以 但是 因此 同时 另外 "
                           "演示 主持人 观众 旁白 记者 笑声 掌声 音乐 字幕 提问 回答 说明 注意 总结 摘要 来源 作者 编辑".split())


def find_people_mentions(ctx: ExtractionContext) -> list[Mention]:
    """People introduced by speaker turns, self-introductions, titles and bylines."""
    text = ctx.doc.text
    out: list[Mention] = []
    for sentence in ctx.sentences:
        base = sentence.start
        for m in _SELF_INTRO.finditer(sentence.text):
            _add(ctx, out, base + m.start(1), base + m.end(1), CONF_STRONG_PATTERN, "person-intro")
        for m in _TITLE_THEN_NAME.finditer(sentence.text):
            _add(ctx, out, base + m.start(1), base + m.end(1), CONF_PATTERN, "person-title")
        low = sentence.text.lower()
        if any(w in low for w in _EN_TITLE_WORDS):
            for m in _EN_TITLE_THEN_NAME.finditer(sentence.text):
                _add(ctx, out, base + m.start(1), base + m.end(1), CONF_PATTERN, "person-title")
        possessive = "'s " in sentence.text or "’s " in sentence.text
        for m in (*_NAME_THEN_TITLE.finditer(sentence.text), *_NAME_COMMA_TITLE.finditer(sentence.text),
                  *(_NAME_POSSESSOR_TITLE.finditer(sentence.text) if possessive else ())):
            _add(ctx, out, base + m.start(1), base + m.end(1), CONF_PATTERN, "person-title")
        for m in _TRANSLITERATED.finditer(sentence.text):
            _add(ctx, out, base + m.start(), base + m.end(), CONF_PATTERN, "person-transliterated")
    turns = [m for m in _SPEAKER.finditer(text) if ctx.in_prose(m.start(1), m.end(1))]
    labels = Counter(m.group(1) for m in turns)
    for m in turns:
        name = m.group(1)
        # A name that starts one line and is never named again is a label
        # ("License: MIT", "Visible Scratch Pad: …", "许可：…"); a speaker
        # takes several turns or is introduced elsewhere in the text.
        if labels[name] < 2 and not _named_elsewhere(text, name, labels[name]):
            continue
        _add(ctx, out, m.start(1), m.end(1), CONF_STRONG_PATTERN, "person-speaker")
    for m in _SPEAKER_CAPS.finditer(text):
        words = m.group(1).split()
        if any(w in _NOT_SPEAKER_WORDS for w in words):
            continue
        name = " ".join(w.capitalize() for w in words)  # "ASHA SHARMA" is Asha Sharma
        _add(ctx, out, m.start(1), m.end(1), CONF_STRONG_PATTERN, "person-speaker", canonical=name)
    for m in _BYLINE.finditer(text):
        _add(ctx, out, m.start(1), m.end(1), CONF_PATTERN, "person-byline", allow_outside_prose=True)
    return out


def _named_elsewhere(text: str, name: str, as_label: int) -> bool:
    """Whether ``name`` occurs in ``text`` besides its ``as_label`` speaker
    labels, as a word of its own (not inside a longer Latin word or, for a
    Chinese name, followed by more Chinese characters that would make it
    another word: "许可" in "MIT许可协议")."""
    if re.fullmatch(f"[{CJK}]+", name):
        pattern = re.escape(name) + f"(?![{CJK}])"
    else:
        pattern = r"(?<![A-Za-z])" + re.escape(name) + r"(?![A-Za-z])"
    return len(re.findall(pattern, text)) > as_label


def _add(ctx: ExtractionContext, out: list[Mention], start: int, end: int, conf: float,
         component: str, allow_outside_prose: bool = False, canonical: str | None = None) -> None:
    """A Person mention of ``text[start:end]`` if it is a plausible name in
    prose; ``canonical`` is the name as it should read, when the text spells
    it otherwise ("ASHA SHARMA"), and is what is judged."""
    name = ctx.doc.text[start:end]
    name, end = _trim_cjk_name(name, start, end, ctx.doc.text[end:end + 1])
    if not name or not _plausible(ctx, canonical or name):
        return
    if not allow_outside_prose and not ctx.in_prose(start, end):
        return
    out.append(mention(ctx, start, end, "Person", canonical, conf, component))


# Two-character verbs of saying (and 正在): "谭待介绍" is 谭待 + 介绍, not 谭待介.
_SAYING = frozenset("介绍 指出 透露 强调 认为 宣布 解释 回应 提到 坦言 直言 告诉 补充 分享 谈到 演示 展示 回忆 预计 希望 "
                    "正在".split())


def _trim_cjk_name(name: str, start: int, end: int, following: str = "") -> tuple[str, int]:
    # A 3-character CJK match may have eaten a following particle ("周健表示")
    # or the first character of a verb ("谭待介绍").
    if len(name) == 3 and re.fullmatch(f"[{CJK}]+", name) and (
            name[2] in "的说是在和与等表称也就都对向给跟被让把从为曾将已还则" or name[2] + following in _SAYING):
        return name[:2], end - 1
    return name, end


def _plausible(ctx: ExtractionContext, name: str) -> bool:
    if ctx.lexicon.is_generic(name):
        return False
    entry = ctx.lexicon.lookup(name)
    if entry is not None and entry.type != "Person":
        return False
    if "·" in name:
        return True
    if re.fullmatch(f"[{CJK}]+", name):
        if name in _CJK_NOT_NAMES:
            return False
        # "智谱正在推进": a known company or product and the next character.
        head = ctx.lexicon.lookup(name[:2]) if len(name) == 3 else None
        if head is not None and head.type != "Person":
            return False
        return name[0] in SURNAMES or name[:2] in _COMPOUND_SURNAMES
    first = name.split()[0]
    # "Adobe's", "As Anthropic's Chief": a possessive names whose something
    # is, never a person, wherever it stands in the span.
    if re.search(r"['’]s\b", name):
        return False
    # A sentence's opening word ("As", "When", "Today") starts no name.
    if first in OPENING_WORDS and len(name.split()) > 1:
        return False
    return first not in _NOT_NAMES and name not in _NOT_NAMES
