"""Engine-neutral query results and their text serializations.

Both query engines (rdflib and pyoxigraph) are converted to the same
``QueryResult`` (see ``kg.query.engine``), so everything printed or served is
written by the functions here and looks the same whichever engine ran.

Formats: an aligned text table (display width aware: CJK characters take two
terminal columns), SPARQL 1.1 Query Results CSV, TSV, JSON and XML, and
Turtle / N-Triples for CONSTRUCT and DESCRIBE results.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from wcwidth import wcwidth

# Terms and the Turtle/N-Triples writers live in kg.rdf_syntax, shared with
# the exporters; the query API hands these out from here too.
from kg.rdf_syntax import (  # noqa: F401 - re-exported
    XSD,
    Row,
    Triple,
    Term,
    format_ntriples,
    format_turtle,
    namespace_order,
    turtle_term,
)

@dataclass(frozen=True)
class QueryResult:
    """What a query returned: solutions, a boolean, or triples.

    ``form`` is ``"SELECT"``, ``"ASK"`` or ``"GRAPH"`` (CONSTRUCT/DESCRIBE).
    """

    form: str
    variables: tuple[str, ...] = ()
    rows: tuple[Row, ...] = ()
    boolean: bool | None = None
    triples: tuple[Triple, ...] = ()


# --------------------------------------------------------------------------
# Text table


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes (wide CJK characters count 2)."""
    return sum(max(wcwidth(ch), 0) for ch in text)


def _truncate(text: str, width: int) -> str:
    if width <= 0 or display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = max(wcwidth(ch), 0)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - display_width(text))
    return gap + text if right else text + gap


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NUMERIC_TYPES = frozenset(
    XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "short")
)


def display_term(term: Term | None, prefixes: Mapping[str, str] | None = None) -> str:
    """How a term reads in a table cell: compact IRIs, bare literal values.

    IRIs under a known prefix are shortened to ``prefix:rest`` (percent
    escapes decoded, so Chinese slugs read as Chinese); language-tagged
    literals keep their tag as ``text@lang``; line breaks show as ``⏎``.
    """
    if term is None:
        return ""
    if term.kind == "uri":
        for prefix, ns in namespace_order(prefixes):
            if term.value.startswith(ns):
                text = f"{prefix}:{unquote(term.value[len(ns):])}"
                break
        else:
            text = term.value
    elif term.kind == "bnode":
        text = "_:" + term.value
    else:
        text = term.value + (f"@{term.lang}" if term.lang else "")
    text = text.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎").replace("\t", " ")
    return _CONTROL.sub("�", text)


def format_table(
    result: QueryResult,
    prefixes: Mapping[str, str] | None = None,
    max_width: int = 0,
    max_rows: int = 0,
) -> str:
    """An aligned plain-text table of a SELECT result, with a row count.

    Columns are padded by display width; numeric columns are right-aligned.
    ``max_width`` (> 0) truncates long cells with ``…``; ``max_rows`` (> 0)
    shows only the first rows and says how many were left out.
    """
    if result.form == "ASK":
        return ("true" if result.boolean else "false") + "\n"
    if result.form == "GRAPH":
        return format_turtle(result.triples, prefixes or {})
    shown = result.rows[:max_rows] if max_rows > 0 else result.rows
    cells = [[_truncate(display_term(t, prefixes), max_width) for t in row] for row in shown]
    headers = list(result.variables)
    widths = [display_width(h) for h in headers]
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], display_width(cell))
    numeric = [
        bool(shown)
        and all(row[i] is None or (row[i].kind == "literal" and row[i].datatype in _NUMERIC_TYPES) for row in shown)
        for i in range(len(headers))
    ]
    lines = [
        "  ".join(_pad(h, w, n) for h, w, n in zip(headers, widths, numeric)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    for row in cells:
        lines.append("  ".join(_pad(c, w, n) for c, w, n in zip(row, widths, numeric)).rstrip())
    count = len(result.rows)
    footer = f"({count} row{'s' if count != 1 else ''})"
    if len(shown) < count:
        footer = f"… {count - len(shown)} more; {footer}"
    lines.append(footer)
    return "".join(line + "\n" for line in lines)


# --------------------------------------------------------------------------
# SPARQL 1.1 Query Results formats


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    return "_:" + term.value if term.kind == "bnode" else term.value


def format_csv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results CSV (RFC 4180, CRLF line ends)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if result.form == "ASK":
        writer.writerow(["_askResult"])
        writer.writerow(["true" if result.boolean else "false"])
        return buf.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_csv_value(t) for t in row])
    return buf.getvalue()


def format_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results TSV (terms in Turtle syntax)."""
    if result.form == "ASK":
        return "?_askResult\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join("?" + v for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if t is None else turtle_term(t, {}) for t in row))
    return "".join(line + "\n" for line in lines)


def term_json(term: Term) -> dict[str, str]:
    """One binding's value in SPARQL 1.1 Query Results JSON."""
    out = {"type": term.kind, "value": term.value}
    if term.lang:
        out["xml:lang"] = term.lang
    elif term.kind == "literal" and term.datatype:
        out["datatype"] = term.datatype
    return out


def format_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON, indented, keys in a fixed order."""
    if result.form == "ASK":
        doc: dict = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [
            {v: term_json(t) for v, t in zip(result.variables, row) if t is not None}
            for row in result.rows
        ]
        doc = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def format_xml(result: QueryResult) -> str:
    """SPARQL Query Results XML Format."""
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.form == "ASK":
        out += ["  <head/>", f"  <boolean>{'true' if result.boolean else 'false'}</boolean>"]
    else:
        out.append("  <head>")
        out += [f"    <variable name={quoteattr(v)}/>" for v in result.variables]
        out += ["  </head>", "  <results>"]
        for row in result.rows:
            out.append("    <result>")
            for var, term in zip(result.variables, row):
                if term is not None:
                    out.append(f"      <binding name={quoteattr(var)}>{_xml_term(term)}</binding>")
            out.append("    </result>")
        out.append("  </results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


def _xml_text(text: str) -> str:
    # XML 1.0 cannot carry most control characters, even escaped.
    return xml_escape(_CONTROL.sub(lambda m: m.group() if m.group() in "\t\n\r" else "\ufffd", text))


def _xml_term(term: Term) -> str:
    if term.kind == "uri":
        return f"<uri>{_xml_text(term.value)}</uri>"
    if term.kind == "bnode":
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    attr = ""
    if term.lang:
        attr = f" xml:lang={quoteattr(term.lang)}"
    elif term.datatype:
        attr = f" datatype={quoteattr(term.datatype)}"
    return f"<literal{attr}>{_xml_text(term.value)}</literal>"
