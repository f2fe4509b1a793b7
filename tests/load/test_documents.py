"""Load stage: decoding, metadata, prose spans, headings and doc ids, on real files."""
from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from kg.load.documents import assign_doc_ids, load_document, load_documents
from kg.load.meta import normalize_date
from kg.load.text import UnreadableFile, decode_text
from kg.models import Document, Skipped
from kg.vocab import slugify

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "load"

IMAGE_URL = re.compile(r"https?://\S*(?:\.png|\.jpe?g|\.gif|wx_fmt=|mmbiz\.qpic)", re.IGNORECASE)


def load(path: Path, root: Path = ROOT) -> Document:
    result = load_document(path, root, path.stem)
    assert isinstance(result, Document), result
    return result


def skipped(path: Path) -> Skipped:
    result = load_document(path, ROOT, path.stem)
    assert isinstance(result, Skipped), result
    return result


def prose_texts(doc: Document) -> list[str]:
    return [doc.text[s.start:s.end] for s in doc.prose]


def assert_prose_invariants(doc: Document) -> None:
    """Sorted, non-overlapping, inside the text, trimmed, and free of image URLs."""
    previous_end = 0
    for span in doc.prose:
        assert previous_end <= span.start < span.end <= len(doc.text), span
        previous_end = span.end
        piece = doc.text[span.start:span.end]
        assert piece == piece.strip()
        assert not IMAGE_URL.search(piece), piece
        assert "![" not in piece


def assert_heading_invariants(doc: Document) -> None:
    line_starts = {h: doc.text.rfind("\n", 0, h.start) + 1 for h in doc.headings}
    for index, heading in enumerate(doc.headings):
        assert doc.text[line_starts[heading]:heading.start].strip() == "#" * heading.level
        later = [h for h in doc.headings[index + 1:] if h.level <= heading.level]
        expected = line_starts[later[0]] if later else len(doc.text)
        assert heading.section_end == expected


# --- seeds -----------------------------------------------------------------------

SEED_META = {
    "000_6488b7824c9f93ac": dict(
        title="OpenAI 12天重大发布汇总", author="ZHQ", publisher=None,
        date="2025-01-04T23:45:34.000+08:00", source_url=None,
    ),
    "001_dbb4ad8a9bd4544b": dict(
        title="OpenAI 连续 12 天 AI 发布会：第九天 —— Dev Day", author="宝玉", publisher=None,
        date="2024-12-17", source_url="https://baoyu.io/blog/openai-dev-day-9",
    ),
    "002_2c917f2757f00905": dict(
        title="从 OpenAI 12 天发布会里，我们看到了行业的四个关键问题", author="黎诗韵",
        publisher="极客公园", date="2024-12-24",
        source_url="https://mp.weixin.qq.com/s?__biz=MTMwNDMwODQ0MQ==&mid=2653070482&idx=1"
        "&sn=ec080509e608768596040619b205a3ff&chksm=7e57d92449205032f895628143adabb07f420e3"
        "09a93b9f77bb1b2af3d5d2545f832b360bf91&scene=58&subscene=0#rd",
    ),
    "003_535e86c61087261c": dict(
        title="OpenAI 12集“发布会”背后：对中国产业AI落地的五大启示", author="产业家",
        publisher="产业家", date="2025-01-03", source_url="https://www.woshipm.com/it/6166292.html",
    ),
    "004_0f2d7bf6da736e97": dict(
        title="AI春晚OpenAI开发者大会一文汇总 - 迈向通用AGI的第一步", author="数字生命卡兹克",
        publisher="微信公众号", date="2023-11-07",
        source_url="https://mp.weixin.qq.com/s?__biz=MzIyMzA5NjEyMA==&mid=2647660224&idx=1"
        "&sn=dbb602d0883edb502e36e3baeb590414&chksm=f17c877e35341bf7b8a644e493959107160b2964"
        "e2893cad065504626d49a2ebc7efb19be815",
    ),
}


@pytest.mark.parametrize("stem", sorted(SEED_META))
def test_seed_metadata(stem: str) -> None:
    doc = load(SEEDS / f"{stem}.txt")
    assert doc.meta.__dict__ == SEED_META[stem]
    assert doc.warnings == ()


@pytest.mark.parametrize("stem", sorted(SEED_META))
def test_seed_text_path_and_hash(stem: str) -> None:
    path = SEEDS / f"{stem}.txt"
    doc = load(path)
    assert doc.path == f"seeds/{stem}.txt"
    assert doc.doc_id == stem
    assert doc.text == path.read_bytes().decode("utf-8")  # seeds are plain UTF-8 with \n
    assert doc.sha256 == hashlib.sha256(doc.text.encode("utf-8")).hexdigest()


@pytest.mark.parametrize("stem", sorted(SEED_META))
def test_seed_prose_and_headings(stem: str) -> None:
    doc = load(SEEDS / f"{stem}.txt")
    assert len(doc.prose) > 20
    assert_prose_invariants(doc)
    assert_heading_invariants(doc)
    joined = "\n".join(prose_texts(doc))
    for furniture in ("http://", "https://", "](", "{%", "[[", "```", "pubDatetime", "原文链接:"):
        assert furniture not in joined, furniture


def test_seed_000_front_matter_out_fenced_lists_in() -> None:
    doc = load(SEEDS / "000_6488b7824c9f93ac.txt")
    texts = prose_texts(doc)
    # From the front matter only its title, which the body does not repeat:
    # read for names, not for relations (Document.title).
    assert texts[0] == "OpenAI 12天重大发布汇总" and doc.title == doc.prose[0]
    assert doc.prose[1].start > doc.text.index("\n---\n")
    assert "月费: $200/月" in texts  # inside a ```bash fence, kept
    assert "故事板功能" in texts
    # "# 主要特点" inside a fence is a shell comment, not a heading
    heading_texts = [doc.text[h.start:h.end] for h in doc.headings]
    assert "主要特点" not in heading_texts
    assert "Day 1: o1 模型正式版与 ChatGPT Pro" in heading_texts
    assert {h.level for h in doc.headings} == {2, 3, 4}


def test_seed_001_info_list_and_related_topics_are_not_prose() -> None:
    doc = load(SEEDS / "001_dbb4ad8a9bd4544b.txt")
    joined = "\n".join(prose_texts(doc))
    assert "发布日期" not in joined and "宝玉" not in joined
    assert "00-元语" not in joined and "关联主题" not in joined and "文档信息" not in joined
    assert "OpenAI 连续 12 天 AI 发布会：第九天 —— Dev Day" in prose_texts(doc)
    assert any("Olivier Godement" in t for t in prose_texts(doc))


def test_seed_002_wechat_header_and_byline_are_not_prose() -> None:
    doc = load(SEEDS / "002_2c917f2757f00905.txt")
    texts = prose_texts(doc)
    assert "原创" not in texts and "黎诗韵" not in texts and "极客公园" not in texts
    assert not any("作者" in t and "编辑" in t for t in texts)
    # captions glued to an image stay, without the image
    assert "o3 发布会｜图片来源：OpenAI" in texts
    assert "o1-preview、o1、o3 的代码能力对比 | 图片来源：OpenAI" in texts


def test_seed_003_gitbook_hint_counters_and_trailing_byline() -> None:
    doc = load(SEEDS / "003_535e86c61087261c.txt")
    texts = prose_texts(doc)
    joined = "\n".join(texts)
    for furniture in ("**Author:**", "**Stats:**", "1495 浏览", "views", "禁止转载", "题图来自", "已收藏"):
        assert furniture not in joined, furniture
    # the byline trailing a sentence is cut off; the sentence stays
    assert "AI大模型将进一步融入企业的日常工作流程，推动企业乃至产业的升级进化。" in texts
    assert "斗斗" not in joined


def test_seed_004_bare_url_is_not_prose() -> None:
    doc = load(SEEDS / "004_0f2d7bf6da736e97.txt")
    joined = "\n".join(prose_texts(doc))
    assert "platform.openai.com" not in joined
    assert "具体的API文档可以看OpenAI的官方文档：" in prose_texts(doc)


def test_seed_ids_from_load_documents() -> None:
    paths = sorted(SEEDS.glob("*.txt"))
    docs, skips = load_documents(list(reversed(paths)), ROOT)
    assert skips == []
    assert [d.doc_id for d in docs] == [p.stem for p in paths]


# --- normalization and encodings ---------------------------------------------


@pytest.mark.parametrize("name", ["crlf.md", "cr_only.md"])
def test_newlines_normalized(name: str) -> None:
    doc = load(FIXTURES / name)
    assert doc.text == "# Title\n\nLine one.\nLine two.\n"
    assert "\r" not in doc.text
    assert prose_texts(doc) == ["Title", "Line one.\nLine two."]


def test_bom_dropped_and_crlf() -> None:
    doc = load(FIXTURES / "bom_crlf.md")
    assert doc.text == "# 标题\n\n正文 o1。\n"
    assert doc.sha256 == hashlib.sha256("# 标题\n\n正文 o1。\n".encode("utf-8")).hexdigest()


@pytest.mark.parametrize("name", ["utf16le_bom.md", "utf16be_bom.md"])
def test_utf16_with_bom(name: str) -> None:
    doc = load(FIXTURES / name)
    assert doc.text == "# UTF-16 标题\n\nOpenAI 发布了 o3。\n"
    assert doc.meta.title == "UTF-16 标题"


def test_utf16_without_bom_is_recognized() -> None:
    decoded = decode_text("# Plain ASCII in UTF-16\nOpenAI o1\n".encode("utf-16-le"))
    assert decoded.text == "# Plain ASCII in UTF-16\nOpenAI o1\n"
    assert decoded.warnings


def test_gb18030_chinese_decodes() -> None:
    doc = load(FIXTURES / "gb18030.txt")
    assert doc.text == "# 生数科技发布 Vidu\n\n生数科技与清华大学联合发布视频模型 Vidu，作者：张三。\n"
    assert any("GB18030" in w for w in doc.warnings)


@pytest.mark.parametrize("name", ["latin1.txt", "garbage.txt"])
def test_undecodable_bytes_are_skipped_with_advice(name: str) -> None:
    reason = skipped(FIXTURES / name).reason
    assert "UTF-8" in reason and "re-save" in reason


def test_damaged_utf8_keeps_the_document() -> None:
    doc = load(FIXTURES / "damaged_utf8.md")
    assert doc.text.endswith("\ufffd\n")
    assert doc.text.startswith("OpenAI 发布了 o3 模型")
    assert any("U+FFFD" in w for w in doc.warnings)


@pytest.mark.parametrize(("name", "kind"), [("image.txt", "PNG image"), ("archive.md", "zip archive")])
def test_binary_files_are_skipped_naming_the_format(name: str, kind: str) -> None:
    reason = skipped(FIXTURES / name).reason
    assert reason.startswith("binary file") and kind in reason


def test_text_that_merely_starts_like_a_magic_number_is_text() -> None:
    decoded = decode_text(b"MZ-series notes: GIF89a is a format.\n")
    assert decoded.text.startswith("MZ-series")


def test_empty_and_whitespace_only_are_skipped() -> None:
    assert skipped(FIXTURES / "empty.md").reason.startswith("empty")
    assert skipped(FIXTURES / "whitespace.md").reason.startswith("empty")


def test_nul_and_control_characters_become_spaces() -> None:
    raw = (FIXTURES / "nul_bytes.md").read_bytes()
    doc = load(FIXTURES / "nul_bytes.md")
    assert len(doc.text) == len(raw.decode("utf-8"))  # same length: offsets line up
    assert "\x00" not in doc.text and "\x01" not in doc.text
    assert "OpenAI  released  o3" in doc.text
    assert any("control character" in w for w in doc.warnings)


def test_bom_that_does_not_decode_is_reported() -> None:
    with pytest.raises(UnreadableFile):
        decode_text(b"\xff\xfe\xfd\xfc not text \x80")  # UTF-16 BOM, odd length: undecodable


def test_zero_width_and_bidi_kept_in_text_but_not_in_metadata() -> None:
    doc = load(FIXTURES / "zero_width.md")
    assert doc.meta.title == "Zero width"
    assert doc.meta.author == "赵六"
    assert doc.meta.date == "2024-12-09"
    assert "Open\u200bAI \u202eo3\u202c 发布。\u2066RTL\u2069" in prose_texts(doc)
    assert doc.warnings == ()


def test_emoji_survive_and_offsets_count_code_points() -> None:
    doc = load(FIXTURES / "emoji.md")
    assert doc.meta.title == "🚀 Launch 👩\u200d💻"
    sentence = "😀 OpenAI 发布 o3 🎉，价格 $200/月。"
    assert sentence in prose_texts(doc)
    start = doc.text.index(sentence)
    assert doc.text[start:start + len(sentence)] == sentence
    assert start == 16  # code points, not UTF-8 bytes or UTF-16 units


# --- metadata edge cases --------------------------------------------------------


def test_only_front_matter_is_a_document_with_a_warning() -> None:
    doc = load(FIXTURES / "only_front_matter.md")
    assert (doc.meta.title, doc.meta.author, doc.meta.date) == ("Only metadata", "Someone", "2024-12-17")
    assert prose_texts(doc) == ["Only metadata"]  # the title alone
    assert any("no body text" in w for w in doc.warnings)


def test_a_title_the_body_repeats_as_a_heading_is_read_there_only() -> None:
    doc = load(SEEDS / "002_2c917f2757f00905.txt")
    assert doc.title is None
    assert doc.meta.title in prose_texts(doc)  # as the heading
    assert all(span.start > doc.text.index("\n---\n") for span in doc.prose)  # not from the front matter


def test_unclosed_front_matter_keeps_readable_keys() -> None:
    doc = load(FIXTURES / "unclosed_front_matter.md")
    assert (doc.meta.title, doc.meta.author, doc.meta.date) == ("Unclosed", "王五", "2024-12-05")
    assert any("not closed" in w for w in doc.warnings)
    assert prose_texts(doc) == ["Unclosed", "Heading", "Body text about o1."]


def test_invalid_yaml_falls_back_to_line_reading() -> None:
    doc = load(FIXTURES / "invalid_yaml.md")
    assert doc.meta.title == "OpenAI: 12 Days recap"
    assert doc.meta.date == "2024-12-20"
    assert any("not valid YAML" in w for w in doc.warnings)
    assert prose_texts(doc) == ["OpenAI: 12 Days recap", "Body about Sora."]


def test_bad_date_is_dropped_with_a_warning() -> None:
    doc = load(FIXTURES / "bad_date.md")
    assert doc.meta.date is None
    assert (doc.meta.title, doc.meta.author, doc.meta.source_url) == (
        "Bad date", "李四", "https://example.com/post")
    assert any("2024-13-45" in w for w in doc.warnings)


def test_leading_rule_is_not_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "rules.md"
    path.write_text("---\nOpenAI released o3 today.\n---\n\nMore text.\n", encoding="utf-8")
    doc = load(path)
    assert prose_texts(doc) == ["OpenAI released o3 today.", "More text."]
    assert doc.warnings == ()


def test_source_key_is_outlet_or_url(tmp_path: Path) -> None:
    outlet = tmp_path / "outlet.md"
    outlet.write_text("---\nsource: 机器之心\nlink: https://example.com/a\n---\nBody.\n", encoding="utf-8")
    url = tmp_path / "url.md"
    url.write_text("---\n来源: https://example.com/b\n---\nBody.\n", encoding="utf-8")
    assert (load(outlet).meta.publisher, load(outlet).meta.source_url) == ("机器之心", "https://example.com/a")
    assert (load(url).meta.publisher, load(url).meta.source_url) == (None, "https://example.com/b")


def test_wechat_bylines() -> None:
    doc = load(FIXTURES / "bylines.md")
    assert doc.meta.author == "黎诗韵"
    assert prose_texts(doc) == ["标题", "正文说 o3 很强。"]
    trailing = load(FIXTURES / "trailing_byline.md")
    assert (trailing.meta.author, trailing.meta.publisher) == ("斗斗", "产业家")
    assert prose_texts(trailing) == ["标题", "开篇一句话。", "正文。"]


def test_label_lines_and_hint_block() -> None:
    doc = load(FIXTURES / "labels.md")
    assert doc.meta.author == "某作者"
    assert doc.meta.date == "2025-01-03"
    assert doc.meta.source_url == "https://example.com/it/1.html"
    assert prose_texts(doc) == ["标题", "正文。"]


@pytest.mark.parametrize(("raw", "expected"), [
    ("2025-01-04T23:45:34.000+08:00", "2025-01-04T23:45:34.000+08:00"),
    ("2024-12-17", "2024-12-17"),
    ("2024-12-17 10:30", "2024-12-17T10:30:00"),
    ("2024-12-17T10:30:00Z", "2024-12-17T10:30:00Z"),
    ("2024-12-17T10:30:00+0800", "2024-12-17T10:30:00+08:00"),
    ("2023年11月7日", "2023-11-07"),
    ("2024/1/5", "2024-01-05"),
    ("20241217", "2024-12-17"),
    ("2024-02-30", None),
    ("2024-13-45", None),
    ("yesterday", None),
    ("2024", None),
    ("2024-12-17T25:00:00", None),
])
def test_normalize_date(raw: str, expected: str | None) -> None:
    assert normalize_date(raw) == expected


def test_normalize_date_accepts_python_dates() -> None:
    import datetime as dt
    assert normalize_date(dt.date(2024, 12, 24)) == "2024-12-24"
    zone = dt.timezone(dt.timedelta(hours=8))
    assert normalize_date(dt.datetime(2025, 1, 4, 23, 45, 34, tzinfo=zone)) == "2025-01-04T23:45:34+08:00"


def test_datetime_with_space_in_front_matter() -> None:
    assert load(FIXTURES / "datetime_forms.md").meta.date == "2024-12-17T10:30:00"


# --- prose and headings -------------------------------------------------------------


def test_links_keep_text_drop_targets_and_images() -> None:
    doc = load(FIXTURES / "links.md")
    texts = prose_texts(doc)
    assert_prose_invariants(doc)
    assert "OpenAI 官网" in texts and "发布的 o3。" in texts
    assert "图注：模型架构" in texts and "产业家" in texts
    assert "分享到微博" in texts and "完" in texts  # a target with spaces and CJK is still cut out
    joined = "\n".join(texts)
    assert "openai.com" not in joined and "架构图" not in joined and "weibo" not in joined
    assert "platform.openai.com" not in joined


def test_headings_outside_fences_with_sections() -> None:
    doc = load(FIXTURES / "headings.md")
    shown = [(h.level, doc.text[h.start:h.end]) for h in doc.headings]
    assert shown == [(1, "Title"), (2, "A"), (3, "A.1"), (2, "B")]
    assert_heading_invariants(doc)
    title, a, a1, b = doc.headings
    assert title.section_end == len(doc.text)
    assert a.section_end == a1.section_end == doc.text.index("## B")
    assert "Bold line, not a heading" not in [doc.text[h.start:h.end] for h in doc.headings]
    assert "item in fence" in prose_texts(doc)


# --- ids ---------------------------------------------------------------------------


def test_same_stem_in_two_folders_gets_distinct_stable_ids() -> None:
    a = FIXTURES / "same_stem" / "a" / "notes.md"
    b = FIXTURES / "same_stem" / "b" / "notes.md"
    other = FIXTURES / "emoji.md"
    docs1, _ = load_documents([a, b, other], ROOT)
    docs2, _ = load_documents([other, b, a, a], ROOT)
    ids1 = {d.path: d.doc_id for d in docs1}
    ids2 = {d.path: d.doc_id for d in docs2}
    assert ids1 == ids2 and len(docs2) == 3
    assert ids1["tests/fixtures/load/emoji.md"] == "emoji"
    a_id = ids1["tests/fixtures/load/same_stem/a/notes.md"]
    b_id = ids1["tests/fixtures/load/same_stem/b/notes.md"]
    assert a_id != b_id and a_id.startswith("notes_") and b_id.startswith("notes_")
    assert [d.path for d in docs1] == sorted(d.path for d in docs1)


def test_ids_unique_under_iri_slugging() -> None:
    ids = assign_doc_ids(["x/Notes.md", "y/notes.txt", "z/notes_md.md", "report.md"])
    assert len({slugify(i) for i in ids.values()}) == 4
    assert ids["report.md"] == "report"


def test_path_outside_root_is_absolute(tmp_path: Path) -> None:
    target = tmp_path / "outside.md"
    shutil.copy(FIXTURES / "crlf.md", target)
    doc = load(target, root=ROOT)
    assert doc.path == target.as_posix()


def test_missing_file_is_skipped() -> None:
    assert skipped(FIXTURES / "no_such_file.md").reason == "does not exist"


# --- size ----------------------------------------------------------------------------


def test_one_megabyte_single_line(tmp_path: Path) -> None:
    unit = "OpenAI 发布 o3，[官网](https://openai.com/x) ![图](https://img.example.com/y.png) 见 https://a.b/c 。"
    line = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
    path = tmp_path / "one_line.md"
    path.write_text(line, encoding="utf-8")
    doc = load(path)
    assert len(doc.text) == 1_000_000
    assert_prose_invariants(doc)
    assert sum("OpenAI 发布 o3" in t for t in prose_texts(doc)) >= 1000


@pytest.mark.parametrize("line", ["[" * 1_000_000, "](" * 500_000, "作者|" * 250_000, "https://a.b/(" * 80_000])
def test_pathological_single_lines_load(tmp_path: Path, line: str) -> None:
    path = tmp_path / "bad_line.md"
    path.write_text(line, encoding="utf-8")
    doc = load(path)
    assert doc.text == line
    assert_prose_invariants(doc)


def test_fifty_megabyte_document(tmp_path: Path) -> None:
    body = "".join((SEEDS / f"{stem}.txt").read_text(encoding="utf-8") for stem in sorted(SEED_META))
    copies = 50_000_000 // len(body.encode("utf-8")) + 1
    text = "---\ntitle: Big\n---\n" + body * copies
    path = tmp_path / "big.md"
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size >= 50_000_000
    doc = load(path)
    assert doc.text == text
    assert doc.meta.title == "Big"
    assert doc.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert_prose_invariants(doc)
    assert len(doc.headings) >= copies * 70
