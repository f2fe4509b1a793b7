"""Where a document's prose is: headings, code fences, and the spans worth extracting from.

Prose spans are the text minus everything that would make an extractor
find things the article does not say: front matter and metadata, image
syntax, link targets, bare URLs, and page furniture (GitBook tags, related-
topic lists, view counters, reprint notices). Each exclusion is one small
function returning character ranges; the spans are what is left, cut at
blank lines and at headings, trimmed, and never overlapping.

Everything runs in time linear in the text: rules either use anchored,
non-backtracking regular expressions over the whole text, or walk tokens
left to right without rescanning, so a 1 MB line or a 50 MB file is safe.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from kg.models import Heading, Span

Range = tuple[int, int]

_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})([^\n]*)$", re.MULTILINE)
_ATX = re.compile(r"^ {0,3}(#{1,6})(?=[ \t\n]|$)", re.MULTILINE)
_LIQUID_TAG = re.compile(r"^[ \t]*\{%[^\n]*%\}[ \t]*$", re.MULTILINE)
_RULE_LINE = re.compile(r"^[ \t]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$", re.MULTILINE)
_WIKI_LIST_ITEM = re.compile(r"^[ \t]*[-*+][ \t]+\[\[[^\]\n]*\]\][ \t]*$", re.MULTILINE)
_ORIGINAL_MARK = re.compile(r"^[ \t]*(?:原创|原創|Original)[ \t]*$", re.MULTILINE)
_BRACKET_TOKEN = re.compile(r"!\[|\[|\]\(|\]")
# A URL ends at whitespace, at CJK text or full-width punctuation (Chinese
# prose runs straight on after a URL), at quotes and angle brackets, and at
# a ")" it did not open: "![](https://…/640)o3 发布会" is an image followed by
# a caption. The two alternatives share no character, so no backtracking.
_URL_CHAR = "[^\\s<>\"'()\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
_BARE_URL = re.compile(
    rf"(?:https?://|www\.)(?:{_URL_CHAR}|\({_URL_CHAR}*\))+", re.IGNORECASE
)
# List bullets and quote markers: a list item is its own statement, and
# evidence reads better without the markup.
_LINE_MARKER = re.compile(
    r"^[ \t]*(?:(?:>[ \t]?)+(?:(?:[-*+]|\d{1,3}[.)])[ \t]+)?|(?:[-*+]|\d{1,3}[.)])[ \t]+)", re.MULTILINE
)
# Page counters: "1495 views", "评论 0", "已收藏". One hit could be prose;
# two on one line is a stats bar.
_COUNTER = re.compile(
    r"\d[\d,.]*[ \t]*(?:views?|comments?|collects?|likes?|shares?|浏览|评论|收藏|点赞|阅读|在看|转发)"
    r"|(?:浏览|评论|收藏|点赞|阅读|在看)[ \t]*\d+|已收藏|已赞|赞赏",
    re.IGNORECASE,
)
# Reprint notices and image credits: about the page, not about the subject.
_NOTICE = re.compile(r"禁止转载|转载请注明|题图来自|封面图来自|All rights reserved", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_HAS_WORD = re.compile(r"[^\W_]")
_SENTENCE_PUNCT = re.compile(r"[。，！？；,.!?;:：]")

#: Longest prose span handed to the extractors. Prose without blank lines
#: (a 1 MB line, a scrape whose line breaks were stripped) is cut into
#: pieces of at most this many characters, at a sentence end or a space
#: where there is one, so that no sentence and no evidence passage grows
#: with the file. Real paragraphs are far shorter (the seeds' longest: 260).
MAX_SPAN_CHARS = 4000
_SENTENCE_BREAK = re.compile(r"[。！？!?；;.]+")
_SPACE_BREAK = re.compile(r"\s+")

#: Sections that list metadata or links to other pages rather than content.
BOILERPLATE_SECTIONS = frozenset({
    "文档信息", "文章信息", "关联主题", "相关主题", "相关链接", "相关文章", "相关阅读",
    "推荐阅读", "延伸阅读", "related", "related topics", "related posts", "related articles",
    "see also", "tags",
})


@dataclass(frozen=True)
class Fence:
    """A fenced code block: its opening and closing marker lines.

    The markers are furniture; the content between them is kept as prose
    (in seed 000 the feature lists live inside ```bash fences).
    """

    open_start: int
    open_end: int
    close_start: int  # == len(text) for an unclosed fence
    close_end: int


# --- structure ---------------------------------------------------------------


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def find_fences(text: str, start: int = 0) -> tuple[Fence, ...]:
    """Fenced code blocks from ``start`` on, CommonMark-style.

    A closing fence uses the opening's character, at least as many of them,
    and nothing else; an unclosed fence runs to the end of the text.
    """
    fences: list[Fence] = []
    opening: re.Match[str] | None = None
    for match in _FENCE.finditer(text, start):
        marker, rest = match.group(1), match.group(2)
        if opening is None:
            if marker[0] == "`" and "`" in rest:
                continue  # inline code such as ```x``` is not a fence
            opening = match
            continue
        open_marker = opening.group(1)
        if marker[0] == open_marker[0] and len(marker) >= len(open_marker) and not rest.strip():
            fences.append(Fence(opening.start(), opening.end(), match.start(), match.end()))
            opening = None
    if opening is not None:
        fences.append(Fence(opening.start(), opening.end(), len(text), len(text)))
    return tuple(fences)


def _outside_fences(positions: Iterable[re.Match[str]], fences: Sequence[Fence]) -> Iterator[re.Match[str]]:
    """Matches that do not start inside a fence (both sorted: one merged walk)."""
    index = 0
    for match in positions:
        pos = match.start()
        while index < len(fences) and fences[index].close_end < pos:
            index += 1
        if index < len(fences) and fences[index].open_start <= pos <= fences[index].close_end:
            continue
        yield match


def _heading_text(text: str, marker_end: int) -> tuple[int, int, int]:
    """(text start, text end, line end) of an ATX heading whose ``#``s end at ``marker_end``."""
    line_end = _line_end(text, marker_end)
    start, end = marker_end, line_end
    while start < end and text[start] in " \t":
        start += 1
    while end > start and text[end - 1] in " \t":
        end -= 1
    # An optional closing run of "#" counts only when a space precedes it.
    hashes = end
    while hashes > start and text[hashes - 1] == "#":
        hashes -= 1
    if hashes < end and (hashes == start or text[hashes - 1] in " \t"):
        end = hashes
        while end > start and text[end - 1] in " \t":
            end -= 1
    return start, end, line_end


def find_headings(text: str, start: int, fences: Sequence[Fence]) -> tuple[Heading, ...]:
    """Every ATX heading (``#`` … ``######`` plus a space) after ``start``, outside fences.

    A line that is entirely ``**bold**`` is not a heading: WeChat articles
    use bold lines for emphasis and pull quotes as often as for titles.
    ``section_end`` is where the next heading of the same or a higher level
    starts (its line start), or the end of the text.
    """
    found: list[tuple[int, int, int, int]] = []  # (level, line start, text start, text end)
    for match in _outside_fences(_ATX.finditer(text, start), fences):
        text_start, text_end, _ = _heading_text(text, match.end())
        if text_end > text_start:
            found.append((len(match.group(1)), match.start(), text_start, text_end))
    section_ends = [len(text)] * len(found)
    open_sections: list[int] = []  # indexes of headings whose section is still open
    for index, (level, line_start, _, _) in enumerate(found):
        while open_sections and found[open_sections[-1]][0] >= level:
            section_ends[open_sections.pop()] = line_start
        open_sections.append(index)
    return tuple(
        Heading(level=level, start=text_start, end=text_end, section_end=section_end)
        for (level, _, text_start, text_end), section_end in zip(found, section_ends)
    )


def heading_line_start(text: str, heading: Heading) -> int:
    """Offset of the start of the line a heading is on."""
    return text.rfind("\n", 0, heading.start) + 1


# --- exclusion rules -----------------------------------------------------------


def _fence_marker_lines(fences: Sequence[Fence]) -> Iterator[Range]:
    """The ``` lines themselves; their content stays prose."""
    for fence in fences:
        yield fence.open_start, fence.open_end
        if fence.close_start < fence.close_end:
            yield fence.close_start, fence.close_end


def _heading_markup(text: str, headings: Sequence[Heading]) -> Iterator[Range]:
    """The ``#``s before a heading's text, and anything after it up to and including
    the newline, so that a heading is always a span of its own."""
    for heading in headings:
        yield heading_line_start(text, heading), heading.start
        yield heading.end, min(len(text), _line_end(text, heading.end) + 1)


def _boilerplate_sections(text: str, headings: Sequence[Heading]) -> Iterator[Range]:
    """Whole sections like ``## 关联主题`` (a list of wiki links) or ``## 文档信息``."""
    for heading in headings:
        name = text[heading.start:heading.end].strip("*_ \t:：").lower()
        if name in BOILERPLATE_SECTIONS:
            yield heading_line_start(text, heading), heading.section_end


def _regex_lines(pattern: re.Pattern[str], text: str, start: int) -> Iterator[Range]:
    for match in pattern.finditer(text, start):
        yield match.start(), match.end()


def _liquid_tags(text: str, start: int) -> Iterator[Range]:
    """GitBook/Jekyll ``{% hint %}`` / ``{% endhint %}`` lines: template syntax, not text."""
    return _regex_lines(_LIQUID_TAG, text, start)


def _rule_lines(text: str, start: int) -> Iterator[Range]:
    """``---`` / ``* * *`` separators."""
    return _regex_lines(_RULE_LINE, text, start)


def _wiki_link_lists(text: str, start: int) -> Iterator[Range]:
    """``- [[00-元语/OpenAI]]`` items: tags of a notes vault, even outside their section."""
    return _regex_lines(_WIKI_LIST_ITEM, text, start)


def _lines_of(text: str, positions: Iterable[int]) -> Iterator[tuple[int, int]]:
    """(line start, line end) for sorted positions, one pair per hit.

    Each search starts where the previous line ended, so many hits on one
    1 MB line, or hits on many lines, cost one pass over the text.
    """
    line_start, line_end = 0, -1
    for pos in positions:
        if pos > line_end:
            line_start = text.rfind("\n", max(line_end, 0), pos) + 1
            line_end = _line_end(text, pos)
        yield line_start, line_end


def _counter_lines(text: str, start: int) -> Iterator[Range]:
    """Lines with two or more view/comment/like counters: a page's stats bar."""
    hits: dict[tuple[int, int], int] = {}
    for line in _lines_of(text, (m.start() for m in _COUNTER.finditer(text, start))):
        hits[line] = hits.get(line, 0) + 1
    return (line for line, count in hits.items() if count >= 2)


def _notice_lines(text: str, start: int) -> Iterator[Range]:
    """Reprint notices and image credits (``禁止转载``, ``题图来自 Unsplash``)."""
    seen: set[tuple[int, int]] = set()
    for line in _lines_of(text, (m.start() for m in _NOTICE.finditer(text, start))):
        if line not in seen:
            seen.add(line)
            yield line


def _original_headers(text: str, start: int) -> Iterator[Range]:
    """A WeChat header: a lone ``原创`` line and the author/account name lines under it.

    The names are metadata (and the byline says them again); as prose they
    would make the author look like a person the article is about.
    """
    for match in _ORIGINAL_MARK.finditer(text, start):
        yield match.start(), match.end()
        pos, taken = match.end() + 1, 0
        while pos < len(text) and taken < 2:
            end = _line_end(text, pos)
            line = text[pos:end].strip()
            if line:
                if len(line) > 20 or _SENTENCE_PUNCT.search(line) or line[0] in "!#[>*-":
                    break
                yield pos, end
                taken += 1
            pos = end + 1


def _links_and_images(text: str, start: int) -> Iterator[Range]:
    """Images ``![alt](url)`` whole; for links ``[text](url)``, the ``[`` and ``](url)``.

    Brackets are matched with a stack, reset at each newline, so nested
    ``[![](img)](url)`` and ``[[wiki]]`` work. The target runs to the first
    ``)`` on the line (plus one level of nested parentheses): scraped share
    links contain spaces and CJK text, which a stricter URL pattern would
    reject, leaving the URL in the prose.
    """
    stack: list[tuple[int, bool]] = []  # (position of "[" or "![", is image)
    line_end = -1
    no_close_until = -1  # no ")" between here and this line's end: skip quickly
    skip_until = start
    for token in _BRACKET_TOKEN.finditer(text, start):
        pos, kind = token.start(), token.group()
        if pos < skip_until:
            continue
        if pos > line_end:
            stack.clear()
            line_end = _line_end(text, pos)
        if kind in ("[", "!["):
            stack.append((pos, kind == "!["))
            continue
        if not stack:
            continue
        if kind == "]":
            stack.pop()
            continue
        target_start = pos + 2
        close = -1 if target_start <= no_close_until else _target_end(text, target_start, line_end)
        if close < 0:
            no_close_until = line_end
            opener, is_image = stack.pop()
            if is_image:
                yield opener, line_end  # a truncated image: its URL runs to the line's end
            continue
        opener, is_image = stack.pop()
        if is_image:
            yield opener, close + 1
        else:
            yield opener, opener + 1
            yield pos, close + 1
        skip_until = close + 1


def _target_end(text: str, start: int, line_end: int) -> int:
    """Index of the ``)`` closing a link target that starts at ``start``, or -1."""
    close = text.find(")", start, line_end)
    if close < 0:
        return -1
    opened = text.count("(", start, close)
    while opened > 0:
        nxt = text.find(")", close + 1, line_end)
        if nxt < 0:
            break
        close = nxt
        opened -= 1
    return close


def _line_markers(text: str, start: int) -> Iterator[Range]:
    """``- ``, ``* ``, ``1. `` and ``> `` at line starts."""
    return _regex_lines(_LINE_MARKER, text, start)


def _bare_urls(text: str, start: int) -> Iterator[Range]:
    """URLs written out in the text (``https://platform.openai.com/docs/...``)."""
    return _regex_lines(_BARE_URL, text, start)


# --- spans ---------------------------------------------------------------------


def _merge(ranges: Iterable[Range]) -> list[Range]:
    merged: list[Range] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _complement(excluded: list[Range], start: int, end: int) -> Iterator[Range]:
    pos = start
    for ex_start, ex_end in excluded:
        if ex_end <= pos:
            continue
        if ex_start > pos:
            yield pos, min(ex_start, end)
        pos = max(pos, ex_end)
        if pos >= end:
            return
    if pos < end:
        yield pos, end


def _paragraphs(text: str, piece: Range) -> Iterator[Range]:
    """Cut a kept piece at blank lines and trim whitespace; drop pieces with no word character."""
    start, end = piece
    cuts = [(m.start(), m.end()) for m in _BLANK_LINE.finditer(text, start, end)]
    for part_start, part_end in _complement(cuts, start, end):
        chunk = text[part_start:part_end]
        stripped = chunk.strip()
        if not stripped or not _HAS_WORD.search(stripped):
            continue
        left = part_start + (len(chunk) - len(chunk.lstrip()))
        yield from _bounded(text, left, left + len(stripped))


def _bounded(text: str, start: int, end: int) -> Iterator[Range]:
    """``[start, end)`` in pieces of at most ``MAX_SPAN_CHARS``, trimmed; linear in the length."""
    while end - start > MAX_SPAN_CHARS:
        limit = start + MAX_SPAN_CHARS
        floor = start + MAX_SPAN_CHARS // 2
        cut = limit
        for pattern in (_SENTENCE_BREAK, _SPACE_BREAK):
            last = None
            for last in pattern.finditer(text, floor, limit):
                pass
            if last is not None:
                cut = last.end()
                break
        piece = text[start:cut].rstrip()
        if piece and _HAS_WORD.search(piece):
            yield start, start + len(piece)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end and _HAS_WORD.search(text, start, end):
        yield start, end


def prose_spans(
    text: str,
    body_start: int,
    headings: Sequence[Heading],
    fences: Sequence[Fence],
    metadata: Sequence[Span] = (),
) -> tuple[Span, ...]:
    """Sorted, non-overlapping spans of ``text`` worth extracting entities from.

    ``body_start`` is where the front matter ends; ``metadata`` are spans the
    metadata reader consumed (info lists, label lines, bylines).
    """
    rules: list[Iterable[Range]] = [
        [(0, body_start)],
        ((span.start, span.end) for span in metadata),
        _fence_marker_lines(fences),
        _heading_markup(text, headings),
        _boilerplate_sections(text, headings),
        _liquid_tags(text, body_start),
        _rule_lines(text, body_start),
        _wiki_link_lists(text, body_start),
        _counter_lines(text, body_start),
        _notice_lines(text, body_start),
        _original_headers(text, body_start),
        _links_and_images(text, body_start),
        _bare_urls(text, body_start),
        _line_markers(text, body_start),
    ]
    excluded = _merge(r for rule in rules for r in rule)
    spans: list[Span] = []
    for piece in _complement(excluded, 0, len(text)):
        spans.extend(Span(a, b) for a, b in _paragraphs(text, piece))
    return tuple(spans)
