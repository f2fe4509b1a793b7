"""Benchmark scores and prices stated in Markdown tables.

Launch posts put their numbers in tables far more often than in sentences:
a header row of benchmarks over one row per model, the same turned on its
side (a row per benchmark, a column per model), or a price list (a row per
model, columns "输入价格 / 输出价格" or "Input ($/1M tokens)"). A number is
read when its row and its column name, between them, a model and a
benchmark, or a priced model or product and a price column whose currency
the cell, the header or the line above the table states. The evidence is
the passage from the header row through the number's row.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.base import CONF_PATTERN
from kg.extract.context import ExtractionContext
from kg.extract.quantities.prose import decimal_text
from kg.extract.relations.common import MentionIndex, evidence_for
from kg.models import Mention, QuantityMention

_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.M)
_RULE_CELL = re.compile(r"^\s*:?-{2,}:?\s*$")
# A cell that is one number, maybe bold, with a currency or percent sign:
# "**91.0**", "$2.50", "0.8 元", "84.6%".
_NUMBER_CELL = re.compile(r"^[*_\s]*(US\$|\$|＄|￥|¥|€|£)?\s*(\d[\d,]*(?:\.\d+)?)\s*(%|％|元|美元|USD|CNY)?[*_\s]*$")
_PRICE_HEADER = re.compile(r"价格|价|费用|定价|price|pricing|cost|input|output|输入|输出|\$|¥|￥|元|/\s*(?:1\s*)?M\b", re.I)
_CURRENCY = (("美元", "USD"), ("USD", "USD"), ("US$", "USD"), ("$", "USD"), ("＄", "USD"), ("人民币", "CNY"),
             ("元", "CNY"), ("CNY", "CNY"), ("RMB", "CNY"), ("￥", "CNY"), ("¥", "CNY"), ("€", "EUR"), ("EUR", "EUR"),
             ("£", "GBP"))
_PERCENT = re.compile(r"%|％|percent|百分比")
_MONTH = re.compile(r"月|month|/mo\b", re.I)
_TOKENS = re.compile(r"token", re.I)
_MILLION = re.compile(r"百万|million|1\s*M\b|100万|/\s*M\b", re.I)


@dataclass(frozen=True)
class _Cell:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Table:
    caption: str  # the line just above the table ("单位：元/百万 tokens")
    header: tuple[_Cell, ...]
    rows: tuple[tuple[_Cell, ...], ...]
    header_start: int
    row_ends: tuple[int, ...]


def find_table_quantities(ctx: ExtractionContext, index: MentionIndex) -> list[QuantityMention]:
    """Scores and prices from every Markdown table of the document."""
    out: list[QuantityMention] = []
    for table in _tables(ctx.doc.text):
        out.extend(_table_quantities(ctx, index, table))
    return out


def _tables(text: str) -> list[_Table]:
    """Header row, rule row, then data rows: each block of pipe rows that has them."""
    tables: list[_Table] = []
    lines = [(m.start(), m.end()) for m in _ROW.finditer(text)]
    i = 0
    while i + 1 < len(lines):
        (hs, he), (rs, re_) = lines[i], lines[i + 1]
        rule = _cells(text, rs, re_)
        if rs != he + 1 or not rule or not all(_RULE_CELL.match(c.text) for c in rule):
            i += 1
            continue
        rows, ends, j, prev_end = [], [], i + 2, re_
        while j < len(lines) and lines[j][0] == prev_end + 1:
            rows.append(_cells(text, *lines[j]))
            ends.append(lines[j][1])
            prev_end = lines[j][1]
            j += 1
        above = text[:hs].rstrip()
        caption = above[above.rfind("\n") + 1:]
        tables.append(_Table(caption, tuple(_cells(text, hs, he)), tuple(rows), hs, tuple(ends)))
        i = j
    return tables


def _cells(text: str, start: int, end: int) -> tuple[_Cell, ...]:
    """The cells of one pipe row, each trimmed, with its offsets."""
    line = text[start:end]
    first = line.index("|")
    last = line.rindex("|")
    cells = []
    pos = first + 1
    for piece in line[first + 1:last].split("|"):
        lead = len(piece) - len(piece.lstrip())
        body = piece.strip()
        cells.append(_Cell(start + pos + lead, start + pos + lead + len(body), body))
        pos += len(piece) + 1
    return tuple(cells)


def _named(index: MentionIndex, cells: tuple[_Cell, ...], types: tuple[str, ...]) -> Mention | None:
    """The first mention of ``types`` inside any of ``cells`` (not numbers)."""
    for cell in cells:
        if _NUMBER_CELL.match(cell.text):
            continue
        for m in index.in_range(cell.start, cell.end):
            if m.etype in types:
                return m
    return None


def _currency(*texts: str) -> str | None:
    for text in texts:
        for mark, code in _CURRENCY:
            if mark in text:
                return code
    return None


def _table_quantities(ctx: ExtractionContext, index: MentionIndex, table: _Table) -> list[QuantityMention]:
    out: list[QuantityMention] = []
    header = table.header
    # What each column's header names, found once for all rows.
    col_models = [_named(index, (head,), ("Model",)) for head in header]
    col_benches = [_named(index, (head,), ("Benchmark",)) for head in header]
    col_items = [model or _named(index, (head,), ("Product",)) for model, head in zip(col_models, header)]
    for r, row in enumerate(table.rows):
        labels = tuple(c for c in row if not _NUMBER_CELL.match(c.text))
        row_model = _named(index, labels, ("Model",))
        row_item = row_model or _named(index, labels, ("Product",))
        row_bench = _named(index, labels, ("Benchmark",))
        label_text = " ".join(c.text for c in labels)
        ev = evidence_for(ctx, table.header_start, table.row_ends[r], CONF_PATTERN, "quantity-table")
        for c, cell in enumerate(row):
            number = _NUMBER_CELL.match(cell.text)
            if not number or c >= len(header):
                continue
            head = header[c]
            value = decimal_text(number.group(2))
            if value is None:
                continue
            model, bench = (row_model, col_benches[c]) if row_model and col_benches[c] else (col_models[c], row_bench)
            if model is not None and bench is not None:
                unit = "percent" if _PERCENT.search(cell.text + head.text + label_text + table.caption) else "points"
                out.append(QuantityMention("BenchmarkResult", model, bench, value, unit, None, ev))
                continue
            if row_item is not None and _PRICE_HEADER.search(head.text):
                priced, column = row_item, head.text
            else:
                if col_items[c] is None or not _PRICE_HEADER.search(label_text):
                    continue
                priced, column = col_items[c], label_text
            currency = _currency(number.group(1) or "", number.group(3) or "", head.text, label_text, table.caption)
            if currency is None:
                continue
            out.append(QuantityMention("Price", priced, None, value, _price_unit(column, table.caption), currency, ev))
    return out


def _price_unit(column: str, caption: str) -> str | None:
    """What a price column is per: its header (or row label) says input or
    output, the header or the table's caption what the price is per."""
    text = column + " " + caption
    if _TOKENS.search(text) or _MILLION.search(text):
        scale = "1M " if _MILLION.search(text) else ""
        kind = "input " if re.search(r"输入|input", column, re.I) else (
            "output " if re.search(r"输出|output", column, re.I) else "")
        return f"{scale}{kind}tokens"
    if _MONTH.search(text):
        return "month"
    return None

