"""What a document says about itself: title, author, outlet, date, original URL.

Scraped articles carry this in several forms, often more than one per file:
YAML front matter, a ``## 文档信息`` list, ``**Author:**``-style label lines
(GitBook exports) and WeChat bylines (``作者 | 某某 编辑 | 某某``). Each form
has its own small reader; ``read_metadata`` merges them, earlier forms
winning, and reports where the metadata sits so that the prose stage can
leave it out. Nothing here raises on bad input: what cannot be read becomes
a warning.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, replace

import yaml

from kg.models import DocumentMeta, Span

#: Metadata lives at a document's head; bounding the search keeps a 50 MB
#: file as cheap as a small one and stops body text that happens to say
#: "作者：" from overriding the real byline.
HEAD_CHARS = 65536
#: Bylines sit within the first screenful of a WeChat-style article.
BYLINE_HEAD_LINES = 40

# Zero-width and bidi-control characters: invisible, legitimately present in
# scraped text, and fatal to a key lookup ("\u200btitle" != "title"). The
# joiners U+200C/U+200D are left in values: emoji sequences (👩\u200d💻) and
# some scripts need them; keys drop them too.
_INVISIBLE = re.compile("[\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]")
_JOINERS = re.compile("[\u200c\u200d]")

_FM_OPEN = re.compile(r"---[ \t]*(?:\n|\Z)")
_FM_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
# One "key: value" line, read without YAML when YAML fails. Keys are short;
# bounding them keeps the match linear on a 1 MB line.
_KEY_VALUE = re.compile(r"^[ \t]*([^\s:：#\-][^:：\n]{0,40}?)[ \t]*[:：][ \t]*([^\n]*)$")
_YAML_CONTINUATION = re.compile(r"^(?:[ \t]+\S|[ \t]*-[ \t])")

_INFO_HEADING = re.compile(
    r"^#{1,6}[ \t]*(?:文档信息|文章信息|元信息|document info(?:rmation)?|metadata)[ \t]*#*[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"^[ \t]*[-*+][ \t]+([^:：\n]{1,40}?)[ \t]*[:：][ \t]*([^\n]*)$")
_BOLD_LABEL = re.compile(
    r"^[ \t>]*(?:[-*+][ \t]+)?\*\*([^*:：\n]{1,30}?)[ \t]*(?:[:：][ \t]*\*\*|\*\*[ \t]*[:：])[ \t]*([^\n]*)$",
    re.MULTILINE,
)
_MD_LINK = re.compile(r"\[([^\]\n]*)\]\(([^)\s]+)[^)\n]*\)")
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
# Role markers of a Chinese byline. Longest first so "责任编辑" is not read
# as "编辑"; "文" alone is too common a character to be a marker.
_BYLINE_ROLE = re.compile(r"(作者|撰文|责任编辑|责编|编辑|出品|来源|排版|校对|审核|策划|视觉|设计|摄影)[ \t]*[|｜丨:：]")
_SENTENCE_PUNCT = re.compile(r"[。，！？；,!?;]")

_TITLE_KEYS = ("title", "标题", "题目")
_AUTHOR_KEYS = ("author", "authors", "作者", "creator", "byline", "by", "撰文")
#: Publication date keys, most specific first; ``fetch_date`` and
#: ``updated`` are deliberately absent (they are not when it was published).
_DATE_KEYS = (
    "pubdatetime", "pubdate", "publishdate", "publishedat", "published", "publishtime",
    "date", "发布日期", "发布时间", "发表日期", "发表时间", "日期", "时间",
)
_URL_KEYS = (
    "sourceurl", "originalurl", "canonicalurl", "url", "link", "permalink",
    "原文链接", "原文地址", "原文", "链接", "original",
)
#: The outlet, unless the value is a URL (then it is where the text came from).
_OUTLET_KEYS = ("publisher", "source", "来源", "出处", "outlet", "media", "公众号", "出品", "site")


@dataclass(frozen=True)
class FrontMatter:
    """The YAML block at a file's start: its raw lines and where the body begins."""

    block: str  # the lines between the delimiters
    end: int  # offset of the first character after the block (the body's start)
    closed: bool  # False when no closing delimiter was found


@dataclass(frozen=True)
class MetaResult:
    """Merged metadata, the spans it was read from, and what went wrong."""

    meta: DocumentMeta
    spans: tuple[Span, ...]  # metadata that is not prose (info list, label lines, bylines)
    warnings: tuple[str, ...]


class _NoDatesLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader that leaves timestamps as strings.

    PyYAML turns ``2025-01-04T23:45:34.000+08:00`` into a datetime and drops
    the ``.000`` and the original spelling; keeping the string lets us keep
    the source's own (valid) lexical form. Built on libyaml's parser where
    PyYAML has it (the pure-Python one took a third of the load stage).
    """


_NoDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def strip_invisible(value: str) -> str:
    """``value`` without zero-width and bidi-control characters."""
    return _INVISIBLE.sub("", value)


def _norm_key(key: object) -> str:
    """Lookup form of a metadata key: invisible chars, case, and separators ignored."""
    return re.sub(r"[\s_\-]+", "", _JOINERS.sub("", strip_invisible(str(key)))).lower()


# --- front matter -----------------------------------------------------------


def find_front_matter(text: str) -> FrontMatter | None:
    """The front matter block at the very start of ``text``, or None.

    Invisible characters before the opening ``---`` are tolerated (editors
    leave them). The closing delimiter is searched for only in the head: a
    document that merely starts with a ``---`` rule must not lose its body.
    A block without a single ``key: value`` line was two rules around prose.
    An unclosed block ends at the first line that is not ``key: value`` (or
    a YAML continuation); if there is no such key line it was a rule, not
    front matter.
    """
    lead = len(text) - len(text.lstrip("\u200b\u200c\u200d\u2060\ufeff"))
    opening = _FM_OPEN.match(text, lead)
    if not opening:
        return None
    start = opening.end()
    closing = _FM_CLOSE.search(text, start, min(len(text), start + HEAD_CHARS))
    if closing:
        block = text[start:closing.start()]
        if block.strip() and not any(_KEY_VALUE.match(strip_invisible(line)) for line in block.split("\n")):
            return None  # two "---" rules around prose, not metadata
        end = closing.end()
        if end < len(text) and text[end] == "\n":
            end += 1
        return FrontMatter(block=block, end=end, closed=True)
    pos = start
    keys = 0
    while pos < len(text) and pos - start < HEAD_CHARS:
        nl = text.find("\n", pos)
        line_end = len(text) if nl < 0 else nl
        line = strip_invisible(text[pos:line_end])
        if _KEY_VALUE.match(line):
            keys += 1
        elif not (keys and _YAML_CONTINUATION.match(line)):
            break
        pos = line_end + 1 if nl >= 0 else line_end
    if not keys:
        return None
    return FrontMatter(block=text[start:pos], end=min(pos, len(text)), closed=False)


def _read_key_values(block: str) -> dict[str, str]:
    """Line-by-line ``key: value`` reading, for front matter YAML cannot parse."""
    found: dict[str, str] = {}
    for line in block.split("\n"):
        match = _KEY_VALUE.match(strip_invisible(line))
        if match:
            found.setdefault(_norm_key(match.group(1)), match.group(2))
    return found


def _parse_front_matter(fm: FrontMatter) -> tuple[dict[str, object], list[str]]:
    """Front matter as {normalized key: value}; falls back to line reading with a warning."""
    warnings: list[str] = []
    block = strip_invisible(fm.block)
    if not fm.closed:
        warnings.append("front matter is not closed (no closing '---'); read its key: value lines")
        return dict(_read_key_values(block)), warnings
    try:
        data = yaml.load(block, Loader=_NoDatesLoader)  # noqa: S506 - a SafeLoader subclass
    except (yaml.YAMLError, RecursionError, ValueError) as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or type(err).__name__
        warnings.append(f"front matter is not valid YAML ({problem}{where}); read it line by line")
        return dict(_read_key_values(block)), warnings
    if data is None:
        return {}, warnings
    if not isinstance(data, dict):
        warnings.append("front matter is not a YAML mapping; read it line by line")
        return dict(_read_key_values(block)), warnings
    result: dict[str, object] = {}
    for key, value in data.items():
        result.setdefault(_norm_key(key), value)
    return result, warnings


# --- values -----------------------------------------------------------------


def _scalar_text(value: object) -> str | None:
    """A metadata value as clean text; lists of scalars are joined; anything else is dropped.

    Only scalars are accepted so that a hostile alias-heavy YAML structure is
    never stringified.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (list, tuple)):
        parts = [_scalar_text(v) for v in value if not isinstance(v, (list, tuple, dict))]
        joined = ", ".join(p for p in parts if p)
        return joined or None
    if isinstance(value, (str, int, float, _dt.date)):
        text = strip_invisible(str(value)).strip()
        text = text.strip("*").strip()
        if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
            text = text[1:-1].strip()
        return text or None
    return None


def _link_parts(value: str) -> tuple[str, str | None]:
    """(visible text, url) of a value that may be a Markdown link, ``<url>`` or bare URL."""
    match = _MD_LINK.search(value)
    if match:
        return match.group(1).strip(), match.group(2)
    bare = value.strip("<>").strip()
    if _URL.match(bare):
        return bare, bare
    return value, None


def _as_url(value: object) -> str | None:
    text = _scalar_text(value)
    if text is None:
        return None
    _, url = _link_parts(text)
    if url and url.lower().startswith("www."):
        url = "https://" + url
    return url


def _as_name(value: object) -> str | None:
    text = _scalar_text(value)
    if text is None:
        return None
    shown, _ = _link_parts(text)
    return shown.strip() or None


# --- dates ------------------------------------------------------------------

_DATE_ONLY = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DATE_TIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?"
    r"[ \t]*(Z|[+-]\d{2}:?\d{2})?"
)


def normalize_date(value: object) -> str | None:
    """An ISO ``YYYY-MM-DD`` date or ``xsd:dateTime`` lexical form, or None if it is no date.

    The source's precision is kept: a date stays a date; a dateTime keeps
    its fraction and time zone as written (``+0800`` becomes ``+08:00``,
    missing seconds become ``:00``, a space becomes ``T``).
    """
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = strip_invisible(str(value)).strip().strip("\"'").strip()
    match = _DATE_TIME.fullmatch(text)
    if match:
        return _date_time(match)
    match = _DATE_ONLY.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        try:
            return _dt.date(year, month, day).isoformat()
        except ValueError:
            return None
    return None


def _date_time(match: re.Match[str]) -> str | None:
    year, month, day, hour, minute = (int(match.group(i)) for i in range(1, 6))
    second = int(match.group(6) or 0)
    fraction = match.group(7) or ""
    zone = match.group(8) or ""
    try:
        _dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    if zone and zone != "Z":
        digits = zone[1:].replace(":", "")
        zone_hours, zone_minutes = int(digits[:2]), int(digits[2:])
        if zone_hours > 14 or zone_minutes > 59:
            return None
        zone = f"{zone[0]}{digits[:2]}:{digits[2:]}"
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}{fraction}{zone}"


# --- the head's other metadata forms -----------------------------------------


def _info_list(text: str, start: int) -> tuple[dict[str, str], Span | None]:
    """Key/value items of a ``## 文档信息`` list, and the span of heading plus list."""
    heading = _INFO_HEADING.search(text, start, min(len(text), start + HEAD_CHARS))
    if not heading:
        return {}, None
    found: dict[str, str] = {}
    pos = heading.end() + 1
    end = heading.end()
    while pos < len(text):
        nl = text.find("\n", pos)
        line_end = len(text) if nl < 0 else nl
        line = text[pos:line_end]
        item = _LIST_ITEM.match(strip_invisible(line))
        if item:
            found.setdefault(_norm_key(item.group(1)), item.group(2))
            end = line_end
        elif line.strip() and not line.lstrip().startswith(("-", "*", "+")):
            break  # the list is over: prose or the next heading
        if nl < 0:
            break
        pos = nl + 1
    return found, Span(heading.start(), end)


#: The keys a label line may carry that the metadata reads.
_LABEL_KEYS = frozenset(_TITLE_KEYS + _AUTHOR_KEYS + _DATE_KEYS + _URL_KEYS + _OUTLET_KEYS)
_PLAIN_LABEL = re.compile(r"[ \t]*([^:：\n*#>|-][^:：\n]{0,11}?)[ \t]*[:：][ \t]*(\S[^\n]*?)[ \t]*(?:\n|$)")


def _plain_labels(text: str, start: int) -> tuple[dict[str, str], list[Span]]:
    """``标题：…`` / ``Source: …`` lines opening the document, one after
    another, as 公众号 reposts and wire copy carry their metadata. Only the
    opening run counts (a "时间：" line in the body is prose); the title line
    stays prose, the others are furniture."""
    found: dict[str, str] = {}
    spans: list[Span] = []
    pos = start
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    while True:
        match = _PLAIN_LABEL.match(text, pos)
        if match is None:
            break
        key = _norm_key(match.group(1))
        if key not in _LABEL_KEYS:
            break
        found.setdefault(key, match.group(2))
        if key not in _TITLE_KEYS:
            spans.append(Span(match.start(), match.end(2)))
        pos = match.end()
    if len(found) < 2:
        return {}, []  # one "Note: …" line is prose, not a metadata block
    return found, spans


def _bold_labels(text: str, start: int) -> tuple[dict[str, str], list[Span]]:
    """``**Author:** …`` lines in the head, with their spans (only those with known keys)."""
    found: dict[str, str] = {}
    spans: list[Span] = []
    ignored = {"category", "categories", "stats", "tags", "tag", "分类", "标签", "字数", "阅读"}
    for match in _BOLD_LABEL.finditer(text, start, min(len(text), start + HEAD_CHARS)):
        key = _norm_key(match.group(1))
        if key in _LABEL_KEYS:
            found.setdefault(key, match.group(2))
        if key in _LABEL_KEYS or key in ignored:
            spans.append(Span(match.start(), match.end()))
    return found, spans


@dataclass(frozen=True)
class Byline:
    """A ``作者|… 编辑|…`` run: where it is and the name after each role."""

    start: int
    end: int
    roles: dict[str, str]


def find_bylines(text: str, start: int) -> list[Byline]:
    """Chinese bylines in the first lines after ``start``.

    Emphasis asterisks are blanked (not removed) before reading so that
    ``**作者 | 黎诗韵****编辑**`` splits into names without shifting offsets.
    A byline may trail a sentence on the same line (seed 003), so it is the
    run from the first role marker to the line's end.
    """
    bylines: list[Byline] = []
    pos = start
    for _ in range(BYLINE_HEAD_LINES):
        if pos >= len(text) or pos - start > HEAD_CHARS:
            break
        nl = text.find("\n", pos)
        line_end = len(text) if nl < 0 else nl
        line = text[pos:line_end].replace("*", " ")
        byline = _read_byline(line, pos)
        if byline:
            bylines.append(byline)
        pos = line_end + 1
    return bylines


def _read_byline(line: str, offset: int) -> Byline | None:
    markers = list(_BYLINE_ROLE.finditer(line))
    if not markers or not any(m.group(1) in ("作者", "撰文") for m in markers):
        return None
    roles: dict[str, str] = {}
    for marker, following in zip(markers, markers[1:] + [None]):
        value_end = following.start() if following else len(line)
        value = re.split(r"[ \t]{2,}", line[marker.end():value_end].strip(" \t|｜丨"))[0].strip()
        if value and len(value) <= 30 and not _SENTENCE_PUNCT.search(value):
            roles.setdefault(marker.group(1), value)
    if "作者" not in roles and "撰文" not in roles:
        return None
    first = markers[0].start()
    # Take the emphasis that opened the byline along with it.
    while first > 0 and line[first - 1] == " ":
        first -= 1
    return Byline(start=offset + first, end=offset + len(line.rstrip()), roles=roles)


# --- merging ----------------------------------------------------------------


def read_metadata(text: str, front_matter: FrontMatter | None, fallback_title: str | None) -> MetaResult:
    """Merge every metadata form found in ``text`` into one ``DocumentMeta``.

    Priority: front matter, then the info list, then ``**Label:**`` lines,
    then bylines; ``fallback_title`` (the first ``#`` heading) is used when
    none names a title. Invalid dates are dropped with a warning.
    """
    warnings: list[str] = []
    spans: list[Span] = []
    body_start = front_matter.end if front_matter else 0
    sources: list[tuple[str, dict]] = []
    if front_matter:
        data, fm_warnings = _parse_front_matter(front_matter)
        warnings.extend(fm_warnings)
        sources.append(("front matter", data))
    info, info_span = _info_list(text, body_start)
    if info_span:
        spans.append(info_span)
        sources.append(("info list", info))
    labels, label_spans = _bold_labels(text, body_start)
    spans.extend(label_spans)
    sources.append(("label line", labels))
    plain, plain_spans = _plain_labels(text, body_start)
    spans.extend(plain_spans)
    sources.append(("plain label line", plain))
    byline_roles: dict[str, str] = {}
    for byline in find_bylines(text, body_start):
        spans.append(Span(byline.start, byline.end))
        for role, name in byline.roles.items():
            byline_roles.setdefault(role, name)
    sources.append(("byline", byline_roles))

    meta = DocumentMeta(
        title=_field(sources, _TITLE_KEYS, _as_name),
        author=_field(sources, _AUTHOR_KEYS, _as_name),
        publisher=_outlet(sources, want_url=False),
        source_url=_field(sources, _URL_KEYS, _as_url) or _outlet(sources, want_url=True),
        date=_date(sources, warnings),
    )
    if meta.title is None and fallback_title:
        meta = replace(meta, title=fallback_title)
    return MetaResult(meta=meta, spans=tuple(sorted(spans, key=lambda s: (s.start, s.end))),
                      warnings=tuple(warnings))


def _field(sources: list[tuple[str, dict]], keys: tuple[str, ...], convert) -> str | None:
    for _, data in sources:
        for key in keys:
            if key in data:
                value = convert(data[key])
                if value:
                    return value
    return None


def _outlet(sources: list[tuple[str, dict]], want_url: bool) -> str | None:
    """The outlet name (``want_url=False``) or the URL given under an outlet key."""
    for _, data in sources:
        for key in _OUTLET_KEYS:
            if key not in data:
                continue
            url = _as_url(data[key])
            if want_url and url:
                return url
            if not want_url and not url:
                name = _as_name(data[key])
                if name:
                    return name
    return None


def _date(sources: list[tuple[str, dict]], warnings: list[str]) -> str | None:
    for name, data in sources:
        for key in _DATE_KEYS:
            if key not in data or data[key] in (None, ""):
                continue
            value = normalize_date(data[key])
            if value:
                return value
            shown = strip_invisible(str(data[key]))[:60]
            warnings.append(f"{name} '{key}' value {shown!r} is not a valid date; left out")
    return None
