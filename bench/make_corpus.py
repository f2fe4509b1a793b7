"""Synthetic benchmark corpus: seed paragraphs recombined, with fresh names.

``python bench/make_corpus.py N OUT_DIR [--seed S] [--seeds-dir seeds]``
writes ``doc_000000.txt`` ... ``doc_{N-1}.txt`` into OUT_DIR.

Each document gets a metadata header in one of the five styles the seeds
use (YAML front matter in three flavours, a ``## 文档信息`` list, a GitBook
``{% hint %}`` block), then 4–12 passages drawn from all seeds. Company,
model, product and person names are rewritten per document so that, as in a
real corpus, a few names recur in many documents while new ones keep
appearing: an extractor and a resolver see a growing vocabulary, not the
five seeds' names repeated. Names keep the shape of real ones
(``Korvan-6o``, ``r5-mini``, ``Helix AI``, ``深蓝智能``) so the
pattern-based extraction finds them.

Every document depends only on (seed, index): ``random.Random`` is seeded
per document from a string, so a corpus of N+1 documents is the corpus of N
plus one file, and the same arguments give byte-identical files.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import random
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"

#: Passages are whole blocks (paragraphs, lists, code fences, a heading with
#: its first paragraph) merged until at least this many UTF-8 bytes, so that
#: 4–12 of them make a document of about 5 KB, like a short news article.
MIN_PASSAGE_BYTES = 450
MIN_PASSAGES, MAX_PASSAGES = 4, 12

# --- name material ------------------------------------------------------------
# Hand-picked names fill the first indices: they are the "big players" that
# the Zipf-weighted choice below makes recur across many documents.

_CURATED_COMPANIES = (
    "Helix AI", "Nimbus Labs", "深蓝智能", "Quanta Minds", "Aurora Research", "星河科技",
    "Vertex Intelligence", "Lumen Labs", "云帆智能", "Cobalt AI", "Zephyr Systems", "灵犀智元",
    "Orbital Dynamics", "Meridian AI", "天穹数智", "Solace Labs", "Polaris Intelligence",
    "Kestrel AI", "极光智能", "Tessera Research",
)
_ONSETS = (
    "Ka", "Ne", "Lu", "Vo", "Ze", "Ori", "Ta", "Mi", "Sol", "Ver", "Quin", "Aur", "Bel", "Cor",
    "Dra", "El", "Fen", "Gal", "Hel", "Ion", "Jun", "Kel", "Lyr", "Mar", "Nov", "Pax", "Rho",
    "Syl", "Tor", "Ul",
)
_NUCLEI = (
    "ra", "lo", "vi", "ne", "ta", "mo", "ri", "xa", "den", "lis", "phi", "ron", "sa", "tri",
    "va", "zen", "co", "ma", "ni", "qua",
)
_CODAS = ("", "n", "x", "s", "l", "r", "th", "m")
_COMPANY_SUFFIXES = (
    "AI", "Labs", "Intelligence", "Systems", "Research", "Dynamics", "Technologies", "Robotics",
    "Tech", "Minds",
)
_ZH_FIRST = "深星云灵天极青赤玄墨天启明远凌睿智鸿澜昊磐曜宸海岚北辰观澄弈枢"
_ZH_SECOND = "蓝河帆犀穹光岩羽核芯海石川渊图界维衡象境舟原域峰流火澜晨"
_ZH_SUFFIXES = ("智能", "科技", "智元", "数智", "AI", "智算", "人工智能", "模型")
_FIRST_NAMES = (
    "Alice", "Ben", "Clara", "Daniel", "Elena", "Felix", "Grace", "Henry", "Iris", "Jonas",
    "Karen", "Liam", "Maya", "Noah", "Olivia", "Paul", "Quinn", "Rosa", "Samuel", "Tara",
    "Victor", "Wendy", "Xavier", "Yara", "Zoe", "Adrian", "Bianca", "Caleb", "Dora", "Ethan",
    "Fiona", "Gavin", "Hannah", "Isaac", "Julia", "Kevin", "Lena", "Marco", "Nina", "Oscar",
    "Priya", "Rafael", "Sofia", "Theo", "Uma", "Vera", "Wesley", "Ximena", "Yusuf", "Zara",
)
_LAST_NAMES = (
    "Ashford", "Brennan", "Castillo", "Dalton", "Eriksen", "Fairbanks", "Galloway", "Hartman",
    "Ingram", "Jansen", "Kowalski", "Lindqvist", "Mercer", "Nakamura", "Okafor", "Prescott",
    "Quintero", "Rasmussen", "Sorensen", "Thornton", "Underwood", "Vasquez", "Whitfield",
    "Yamada", "Zimmerman", "Abbott", "Beaumont", "Chandler", "Delgado", "Ellison", "Fitzgerald",
    "Gallagher", "Holloway", "Iverson", "Kaplan", "Lockwood", "Montague", "Novak", "Osei",
    "Pemberton", "Reinholt", "Sinclair", "Tanaka", "Valdez", "Winslow", "Xu", "Yildiz", "Zhou",
    "Albright", "Blackwood", "Crane", "Draper", "Everett", "Fleming", "Granger", "Hale", "Keller",
    "Lowell", "Marsh", "Nolan",
)
_ZH_TRANSLIT = "奥特曼凯文韦尔马克莱恩斯顿布朗哈里森艾伦娜丽莎卡罗维拉诺亚伊登索菲"
_ZH_SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁沈任姚卢傅钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常"
_ZH_GIVEN = "明远思宇浩然子涵欣怡雨桐嘉懿梓轩一诺晨曦俊杰诗韵佳琪志强文博天佑若溪书瑶泽楷语嫣昊天逸凡可馨景行"
_OUTLETS = (
    "极客公园", "量子位", "机器之心", "36氪", "新智元", "雷峰网", "爱范儿", "虎嗅", "钛媒体",
    "InfoQ", "品玩", "甲子光年", "AI科技评论", "智东西", "数字生命卡兹克", "宝玉的分享",
    "产业家", "硅星人", "APPSO", "晚点LatePost",
)
_SITES = (
    "mp.weixin.qq.com/s", "www.woshipm.com/ai", "baoyu.io/blog", "www.36kr.com/p",
    "www.jiqizhixin.com/articles", "www.qbitai.com/2025", "www.huxiu.com/article",
    "www.infoq.cn/article", "www.leiphone.com/category/ai", "www.ifanr.com",
)
_TOPICS = (
    "行业的四个关键问题", "对产业落地的五大启示", "开发者生态的新变化", "推理模型的下一步",
    "多模态竞争进入下半场", "大模型价格战的真实成本", "智能体落地的三道门槛", "AGI 叙事背后的商业逻辑",
    "一文汇总", "全部更新要点", "我们和内行人聊了聊", "企业用户最该关注什么",
)
_EVENTS = ("发布会", "开发者大会", "12天连续发布", "春季发布会", "年度技术峰会", "Dev Day")

_TAGS = ("AI", "LLM", "多模态", "推理模型", "开发者", "智能体", "AIGC", "行业观察")


# --- name generators ----------------------------------------------------------
# Each maps an index to a name through a bijective scramble of a mixed-radix
# number, so distinct indices give distinct names (tens of thousands exist)
# and neighbouring indices do not look alike.

def _scramble(i: int, modulus: int, mult: int) -> int:
    """A permutation of ``range(modulus)`` (``mult`` is coprime to it)."""
    return (i * mult + 7) % modulus


def _core_word(i: int, mult: int = 7919) -> str:
    """A capitalised pronounceable word, e.g. ``Korvan``; 4,800 distinct ones."""
    n = len(_ONSETS) * len(_NUCLEI) * len(_CODAS)
    k = _scramble(i, n, mult)
    a, k = k % len(_ONSETS), k // len(_ONSETS)
    b, c = k % len(_NUCLEI), k // len(_NUCLEI)
    return _ONSETS[a] + _NUCLEI[b] + _CODAS[c]


def company_name(index: int) -> str:
    """The company with this index: curated names first, then generated ones.

    One in four generated companies has a Chinese name (``星岩智元``), the
    rest a Latin one (``Korvan Labs``).
    """
    if index < len(_CURATED_COMPANIES):
        return _CURATED_COMPANIES[index]
    i = index - len(_CURATED_COMPANIES)
    if i % 4 == 3:
        j = i // 4
        n = len(_ZH_FIRST) * len(_ZH_SECOND) * len(_ZH_SUFFIXES)
        k = _scramble(j, n, 1009) if j < n else j
        a, k = k % len(_ZH_FIRST), k // len(_ZH_FIRST)
        b, c = k % len(_ZH_SECOND), k // len(_ZH_SECOND)
        return _ZH_FIRST[a] + _ZH_SECOND[b] + _ZH_SUFFIXES[c % len(_ZH_SUFFIXES)]
    words = len(_ONSETS) * len(_NUCLEI) * len(_CODAS)
    k = _scramble(i, words * len(_COMPANY_SUFFIXES), 104_729)
    return f"{_core_word(k % words)} {_COMPANY_SUFFIXES[k // words]}"


def model_family(company_index: int) -> str:
    """The model family word a company ships (``GPT`` is rewritten to it)."""
    return _core_word(company_index * 3 + 1, mult=4099)


def product_name(company_index: int, slot: int) -> str:
    """One of a company's product names (``Sora``, ``DALL·E`` are rewritten to these)."""
    return _core_word(company_index * 5 + slot + 2, mult=3001)


def person_name(index: int) -> str:
    """A Latin ``First Last`` name; 3,000 distinct ones, then they repeat."""
    n = len(_FIRST_NAMES) * len(_LAST_NAMES)
    k = _scramble(index, n, 1237)
    return f"{_FIRST_NAMES[k % len(_FIRST_NAMES)]} {_LAST_NAMES[k // len(_FIRST_NAMES)]}"


def _zh_translit(rng: random.Random) -> str:
    return "".join(rng.choice(_ZH_TRANSLIT) for _ in range(rng.randint(2, 3)))


def _zh_person(rng: random.Random) -> str:
    return rng.choice(_ZH_SURNAMES) + "".join(rng.choice(_ZH_GIVEN) for _ in range(rng.randint(1, 2)))


def _zipf_index(rng: random.Random, size: int) -> int:
    """An index in ``range(size)`` with weight 1/(k+1): a few very common ones."""
    return rng.choices(range(size), weights=[1 / (k + 1) for k in range(size)])[0]


def pick_company(rng: random.Random, doc_index: int) -> int:
    """The company a document is about.

    Half the documents are about one of 40 big players (Zipf weights, so the
    first few appear in a large share of the corpus); the other half draw
    from a range that grows with the document index, so names seen once or
    twice keep appearing however large the corpus gets.
    """
    head = 40
    if rng.random() < 0.5:
        return _zipf_index(rng, head)
    return head + rng.randrange(2 * doc_index + 2)


# --- seed passages --------------------------------------------------------------

@dataclass(frozen=True)
class Passage:
    """A run of whole blocks from one seed's body."""

    seed: str  # the seed file's name
    index: int  # position among that seed's passages
    text: str


_FENCE = re.compile(r"^\s*(```|~~~)")
_HINT = re.compile(r"\{%.*?%\}")


def strip_header(text: str) -> str:
    """The body of a seed: its front matter / title / info block removed."""
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
    if text.startswith("---\n"):
        close = text.find("\n---\n", 4)
        if close >= 0:
            text = text[close + 5:]
    lines = text.split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i < len(lines) and lines[i].startswith("# "):
        i += 1  # the title line; each generated document gets its own
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i < len(lines) and lines[i].startswith("{%"):
        while i < len(lines) and "endhint" not in lines[i]:
            i += 1
        i += 1
    elif i < len(lines) and re.match(r"^##\s*文档信息", lines[i]):
        i += 1
        while i < len(lines) and not lines[i].startswith("## "):
            i += 1
    return "\n".join(lines[i:])


def split_blocks(body: str) -> list[str]:
    """Blank-line separated blocks, keeping code fences whole."""
    blocks: list[str] = []
    current: list[str] = []
    in_fence = False
    for line in body.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
        if not in_fence and not line.strip():
            if current:
                blocks.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks


def _keep(block: str) -> bool:
    """False for blocks that would be odd mid-document: H1 titles, template tags."""
    first = block.lstrip().split("\n", 1)[0]
    return not (first.startswith("# ") and "\n" not in block.strip()) and not _HINT.search(block)


def seed_passages(seeds_dir: Path = SEEDS_DIR) -> list[Passage]:
    """All seeds' bodies cut into passages of at least ``MIN_PASSAGE_BYTES``.

    A heading, a rule or a short line never ends a passage: it is merged with
    what follows, so no passage is a dangling heading.
    """
    out: list[Passage] = []
    files = sorted(p for p in Path(seeds_dir).iterdir() if p.is_file() and p.suffix in (".txt", ".md"))
    if not files:
        raise FileNotFoundError(f"no seed .txt/.md files in {seeds_dir}")
    for path in files:
        blocks = [b for b in split_blocks(strip_header(path.read_text(encoding="utf-8"))) if _keep(b)]
        run: list[str] = []
        size = 0
        n = 0
        for block in blocks:
            run.append(block)
            size += len(block.encode("utf-8"))
            if size >= MIN_PASSAGE_BYTES:
                out.append(Passage(path.name, n, "\n\n".join(run)))
                n += 1
                run, size = [], 0
        if run:
            out.append(Passage(path.name, n, "\n\n".join(run)))
    return out


# --- per-document rewriting ---------------------------------------------------------

@dataclass(frozen=True)
class Names:
    """The names one document uses in place of the seeds' names."""

    company: str
    chat_product: str  # for ChatGPT
    family: str  # for GPT
    version_shift: int  # added to GPT / 4o version numbers
    reasoning_letter: str  # for the "o" of o1 / o3
    reasoning_shift: int
    products: tuple[str, str, str]  # for Sora, DALL·E, Whisper
    people: dict[str, str]  # seed person name -> replacement (full and first names)


# Seed people (full names first: their first names are rewritten consistently).
_SEED_PEOPLE = ("Sam Altman", "Michelle Pogras", "Brian John", "Olivier Godement", "Kevin Weil",
                "Mark Chen")
_SEED_FIRST_ONLY = ("Sean", "Andrew")
_ZH_SEED_PEOPLE = ("奥特曼", "凯文·韦尔")


def pick_names(rng: random.Random, doc_index: int) -> Names:
    """Choose the document's company and the names derived from it.

    The company's model family, products and CEO are functions of the company,
    so a company keeps its names across documents; version numbers and staff
    vary per document, as coverage of successive launches would.
    """
    c = pick_company(rng, doc_index)
    company = company_name(c)
    short = company.split(" ")[0] if " " in company else _core_word(c * 7 + 3, mult=2003)
    family = "GPT" if rng.random() < 0.15 else model_family(c)
    people: dict[str, str] = {}
    for k, seed_person in enumerate(_SEED_PEOPLE):
        if k == 0:
            new = person_name(c)  # the CEO belongs to the company
        elif rng.random() < 0.5:
            new = person_name(c * 11 + k)  # company staff: recur with the company
        else:
            new = person_name(rng.randrange(1_000_000))
        people[seed_person] = new
        people[seed_person.split(" ")[0]] = new.split(" ")[0]
    for seed_person in _SEED_FIRST_ONLY:
        people[seed_person] = person_name(rng.randrange(1_000_000)).split(" ")[0]
    for seed_person in _ZH_SEED_PEOPLE:
        new = _zh_translit(rng)
        people[seed_person] = new if "·" not in seed_person else f"{new}·{_zh_translit(rng)}"
    return Names(
        company=company,
        chat_product=rng.choice((f"{short}Chat", f"{short} Chat", f"Chat{short}", f"{short}Assistant")),
        family=family,
        version_shift=rng.randrange(0, 5),
        reasoning_letter=rng.choice("oorqk"),
        reasoning_shift=rng.randrange(0, 7),
        products=(product_name(c, rng.randrange(3)), product_name(c, 3), product_name(c, 4)),
        people=people,
    )


def _version(number: str, shift: int) -> str:
    whole, dot, frac = number.partition(".")
    return f"{int(whole) + shift}{dot}{frac}"


def make_rewriter(names: Names) -> Callable[[str], str]:
    """A function replacing the seeds' names with ``names`` in one pass.

    One combined regex, so a replacement is never rewritten again (a person
    called "Sean Ashford" is not touched by the "Sean" rule).
    """
    people = sorted(names.people, key=len, reverse=True)
    alternatives = [
        r"(?P<company>OpenAI)",
        r"(?P<chat>ChatGPT)",
        r"(?<![A-Za-z0-9])(?P<gpt>GPT)(?:(?P<gptsep>-?)(?P<gptv>\d+(?:\.\d+)?))?",
        r"(?<![A-Za-z0-9.\-/])(?P<four>4)(?=o(?![A-Za-z0-9]))",
        r"(?<![A-Za-z0-9_/=\-])o(?P<reason>[13])(?![0-9A-Za-z])",
        r"(?P<sora>Sora)",
        r"(?P<dalle>DALL·E)",
        r"(?P<whisper>Whisper)",
        r"(?<![A-Za-z])(?P<person>" + "|".join(re.escape(p) for p in people) + r")(?![A-Za-z])",
    ]
    pattern = re.compile("|".join(alternatives))

    def replace(m: re.Match[str]) -> str:
        kind = "gpt" if m.group("gpt") is not None else m.lastgroup
        if kind == "company":
            return names.company
        if kind == "chat":
            return names.chat_product
        if kind == "gpt":
            v = m.group("gptv")
            return names.family + (f"{m.group('gptsep')}{_version(v, names.version_shift)}" if v else "")
        if kind == "four":
            return str(4 + names.version_shift)
        if kind == "reason":
            return f"{names.reasoning_letter}{int(m.group('reason')) + names.reasoning_shift}"
        if kind == "sora":
            return names.products[0]
        if kind == "dalle":
            return names.products[1]
        if kind == "whisper":
            return names.products[2]
        return names.people[m.group("person")]

    return lambda text: pattern.sub(replace, text)


# --- headers -------------------------------------------------------------------------

def _title(rng: random.Random, names: Names, rewrite: Callable[[str], str]) -> str:
    model = rewrite(rng.choice(("GPT-4o", "o1", "o3", "GPT-4 Turbo", "o1 pro", "GPT-5", "o3-mini")))
    product = rng.choice(names.products[:2] + (names.chat_product,))
    company = names.company
    templates = (
        f"{company} 发布 {model}：{rng.choice(_TOPICS)}",
        f"从 {company} {rng.choice(_EVENTS)}里，我们看到了{rng.choice(_TOPICS)}",
        f"{company}{rng.choice(_EVENTS)}一文汇总 - {model} 与 {product} 全面升级",
        f"{model} 正式上线，{company} 再谈{rng.choice(_TOPICS)}",
        f"{company} 连续 12 天发布会：第{rng.choice('一二三四五六七八九十')}天 —— {product}",
        f"{company} unveils {model} and {product} at {rng.choice(('Dev Day', 'its launch event', 'a livestream'))}",
    )
    return rng.choice(templates)


def _url(rng: random.Random) -> str:
    return f"https://{rng.choice(_SITES)}/{rng.getrandbits(48):012x}"


def make_header(rng: random.Random, title: str, date: _dt.date, names: Names) -> str:
    """A metadata block in one of the five styles of the seeds."""
    author = _zh_person(rng) if rng.random() < 0.8 else person_name(rng.randrange(1_000_000))
    outlet = rng.choice(_OUTLETS)
    url = _url(rng)
    iso = date.isoformat()
    style = rng.randrange(5)
    if style == 0:
        t = f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"
        tags = sorted(set(rng.sample(_TAGS, 2)))
        tag_lines = "".join(f"  - '{t_}'\n" for t_ in [*tags, names.company])
        return (f"---\nauthor: {author}\npubDatetime: {iso}T{t}.000+08:00\ntitle: '{title}'\n"
                f"featured: false\nslug: 'post-{rng.getrandbits(32):08x}'\ntags:\n{tag_lines}"
                f"description: '总结 {names.company} 最新发布中的重要更新，包括新模型、新功能和重要改进。'\n---\n\n")
    if style == 1:
        return f"# {title}\n\n## 文档信息\n- 来源：{url}\n- 发布日期：{iso}\n- 作者：{author}\n\n"
    if style == 2:
        fetched = date + _dt.timedelta(days=rng.randrange(1, 400))
        return (f"---\ntitle: {title}\nurl: {url}\nsource: {outlet}\ndate: {iso}\n"
                f"fetch_date: {fetched.isoformat()}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00\n---\n\n"
                f"# {title}\n\n")
    if style == 3:
        return (f"# {title}\n{{% hint style=\"info\" %}}\n**Category:** It\n**Author:** [{author}]({url})\n"
                f"**Published:** {iso}\n**Tags:** {names.company},{rng.choice(_TAGS[:-1])},行业观察\n"
                f"**Original:** [View on {url.split('/')[2]}]({url})\n{{% endhint %}}\n\n")
    return (f"---\ntitle: \"{title}\"\n发布日期: {iso}\n作者: \"{author}\"\n来源: \"{outlet}\"\n"
            f"原文链接: \"{url}\"\n---\n\n")


# --- documents -----------------------------------------------------------------------

@dataclass(frozen=True)
class GeneratedDoc:
    """One generated document and what it was made from."""

    name: str  # file name, doc_000123.txt
    text: str
    company: str
    sources: tuple[tuple[str, int], ...]  # (seed file, passage index), in document order


def doc_name(index: int) -> str:
    """File name of the document with this index."""
    return f"doc_{index:06d}.txt"


def _doc_rng(seed: int, index: int) -> random.Random:
    # A string seed is hashed with SHA-512 by ``random``: stable across runs
    # and Python processes, unlike hash().
    return random.Random(f"kg-bench:{seed}:{index}")


def generate_document(index: int, passages: Sequence[Passage], seed: int = 0) -> GeneratedDoc:
    """Document ``index`` of the corpus with this seed (independent of corpus size)."""
    rng = _doc_rng(seed, index)
    names = pick_names(rng, index)
    rewrite = make_rewriter(names)
    k = rng.randint(MIN_PASSAGES, min(MAX_PASSAGES, len(passages)))
    chosen = rng.sample(range(len(passages)), k)
    seeds_used = {passages[i].seed for i in chosen}
    if len(seeds_used) < 2 and len({p.seed for p in passages}) > 1:
        # Always mix: swap the last passage for one from another seed.
        others = [i for i, p in enumerate(passages) if p.seed not in seeds_used]
        chosen[-1] = rng.choice(others)
    date = _dt.date(2023, 1, 1) + _dt.timedelta(days=rng.randrange(3 * 365 + 1))
    title = _title(rng, names, rewrite)
    header = make_header(rng, title, date, names)
    body = "\n\n".join(rewrite(passages[i].text) for i in chosen)
    return GeneratedDoc(
        name=doc_name(index),
        text=header + body + "\n",
        company=names.company,
        sources=tuple((passages[i].seed, passages[i].index) for i in chosen),
    )


def make_corpus(n: int, out_dir: Path, seed: int = 0, seeds_dir: Path = SEEDS_DIR) -> list[Path]:
    """Write documents 0..n-1 into ``out_dir``; returns their paths in order.

    Files already there with other names are left alone; files with these
    names are overwritten (with identical bytes when nothing changed).
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    passages = seed_passages(seeds_dir)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        doc = generate_document(i, passages, seed)
        path = out_dir / doc.name
        path.write_bytes(doc.text.encode("utf-8"))
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``make_corpus.py N OUT_DIR [--seed S] [--seeds-dir DIR]``."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    ap.add_argument("n", type=int, help="number of documents")
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--seeds-dir", type=Path, default=SEEDS_DIR)
    args = ap.parse_args(argv)
    paths = make_corpus(args.n, args.out_dir, seed=args.seed, seeds_dir=args.seeds_dir)
    total = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} documents, {total:,} bytes ({total / max(len(paths), 1) / 1024:.1f} KB/doc) in {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
