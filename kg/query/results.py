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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import unquote
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import rdflib
from wcwidth import wcwidth

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True)
class Term:
    """One RDF term as the SPARQL JSON results format models it.

    ``kind`` is ``"uri"``, ``"literal"`` or ``"bnode"``. ``datatype`` is None
    for plain strings (``xsd:string``) and language-tagged strings.
    """

    kind: str
    value: str
    datatype: str | None = None
    lang: str | None = None


def term_from_rdflib(node: Any) -> Term:
    """An rdflib term as a ``Term``, lexical form kept as parsed."""
    if isinstance(node, rdflib.URIRef):
        return Term("uri", str(node))
    if isinstance(node, rdflib.BNode):
        return Term("bnode", str(node))
    if isinstance(node, rdflib.Literal):
        return Term("literal", str(node), str(node.datatype) if node.datatype else None, node.language)
    raise TypeError(f"unsupported rdflib term {node!r}")


Row = tuple[Term | None, ...]
Triple = tuple[Term, Term, Term]


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
# Turtle / N-Triples term syntax (shared with the TriG exporter)

_PN_LOCAL_SAFE = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?\Z")
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_DECIMAL = re.compile(r"[+-]?[0-9]*\.[0-9]+\Z")
_DOUBLE = re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+\Z")
_BARE_LITERAL = {
    XSD + "integer": _INTEGER,
    XSD + "decimal": _DECIMAL,
    XSD + "double": _DOUBLE,
}
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def quote_string(text: str) -> str:
    """A Turtle/N-Triples ``"..."`` string; control characters escaped."""
    if not _NEEDS_ESCAPE.search(text):
        return '"' + text + '"'
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def iri_ref(iri: str) -> str:
    """``<iri>`` with the characters Turtle forbids inside IRIREF escaped."""
    return "<" + _IRI_FORBIDDEN.sub(lambda m: f"\\u{ord(m.group()):04X}", iri) + ">"


@lru_cache(maxsize=64)
def _by_namespace_length(items: frozenset[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    # Longest namespace first, so "id:" never shadows a more specific one.
    return tuple(sorted(items, key=lambda kv: (-len(kv[1]), kv[0])))


def namespace_order(prefixes: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    """(prefix, namespace) pairs in the order ``compact_iri`` tries them.

    A writer that compacts many IRIs with the same prefixes takes this once
    and calls ``compact_in_order``: making the lookup key of the order costs
    more than the rest of ``compact_iri``."""
    return _by_namespace_length(frozenset((prefixes or {}).items()))


def compact_in_order(iri: str, order: tuple[tuple[str, str], ...]) -> str | None:
    """``compact_iri`` with the namespaces already in ``namespace_order``."""
    for prefix, ns in order:
        if iri.startswith(ns):
            local = iri[len(ns):]
            if local == "" or _PN_LOCAL_SAFE.match(local):
                return f"{prefix}:{local}"
    return None


def compact_iri(iri: str, prefixes: Mapping[str, str] | None) -> str | None:
    """``prefix:local`` when the local part is a safe PN_LOCAL, else None."""
    if not prefixes:
        return None
    return compact_in_order(iri, namespace_order(prefixes))


def turtle_iri(iri: str, order: tuple[tuple[str, str], ...]) -> str:
    """An IRI as ``turtle_term`` writes it, the prefixes already in ``namespace_order``."""
    return compact_in_order(iri, order) or iri_ref(iri)


def turtle_term(term: Term, prefixes: Mapping[str, str] | None = None) -> str:
    """A term in Turtle syntax (N-Triples syntax when ``prefixes`` is None)."""
    if term.kind == "uri":
        return turtle_iri(term.value, namespace_order(prefixes))
    if term.kind == "bnode":
        return "_:" + term.value
    if term.lang:
        return quote_string(term.value) + "@" + term.lang
    if term.datatype is None:
        return quote_string(term.value)
    if prefixes is not None:
        bare = _BARE_LITERAL.get(term.datatype)
        if bare is not None and bare.match(term.value):
            return term.value
        if term.datatype == XSD + "boolean" and term.value in ("true", "false"):
            return term.value
    return quote_string(term.value) + "^^" + turtle_term(Term("uri", term.datatype), prefixes)


def group_by_subject(triples: Sequence[Triple]) -> list[tuple[Term, list[Triple]]]:
    groups: list[tuple[Term, list[Triple]]] = []
    for triple in triples:
        if groups and groups[-1][0] == triple[0]:
            groups[-1][1].append(triple)
        else:
            groups.append((triple[0], [triple]))
    return groups


def prefix_block(prefixes: Mapping[str, str], *, sparql: bool = False) -> str:
    """``@prefix`` (or SPARQL ``PREFIX``) lines, sorted by prefix."""
    if sparql:
        return "".join(f"PREFIX {p}: {iri_ref(ns)}\n" for p, ns in sorted(prefixes.items()))
    return "".join(f"@prefix {p}: {iri_ref(ns)} .\n" for p, ns in sorted(prefixes.items()))


def turtle_body(triples: Sequence[Triple], prefixes: Mapping[str, str], indent: str = "",
                memo: dict[Term, str] | None = None) -> str:
    """Triples (already in output order) as Turtle statements grouped by subject.

    ``memo`` (term → text) may be shared between calls with the same prefixes.
    """
    memo = {} if memo is None else memo

    def text(term: Term) -> str:
        written = memo.get(term)
        if written is None:
            written = memo[term] = turtle_term(term, prefixes)
        return written

    lines: list[str] = []
    for subject, group in group_by_subject(triples):
        lines.append(indent + text(subject))
        for i, (_, p, o) in enumerate(group):
            pred = "a" if p.kind == "uri" and p.value == _RDF_TYPE else text(p)
            end = " ." if i == len(group) - 1 else " ;"
            lines.append(f"{indent}    {pred} {text(o)}{end}")
    return "".join(line + "\n" for line in lines)


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def format_turtle(triples: Sequence[Triple], prefixes: Mapping[str, str]) -> str:
    """A CONSTRUCT/DESCRIBE result as Turtle (only the prefixes it uses)."""
    used = _used_prefixes(triples, prefixes)
    head = prefix_block(used)
    body = turtle_body(triples, used)
    return head + ("\n" if head and body else "") + body


def _used_prefixes(triples: Iterable[Triple], prefixes: Mapping[str, str]) -> dict[str, str]:
    used: dict[str, str] = {}
    for triple in triples:
        for term in triple:
            for iri in (term.value if term.kind == "uri" else None, term.datatype):
                if iri is None:
                    continue
                name = compact_iri(iri, prefixes)
                if name is not None:
                    prefix = name.split(":", 1)[0]
                    used[prefix] = prefixes[prefix]
    return used


def format_ntriples(triples: Sequence[Triple]) -> str:
    """A CONSTRUCT/DESCRIBE result as N-Triples."""
    return "".join(
        f"{turtle_term(s)} {turtle_term(p)} {turtle_term(o)} .\n" for s, p, o in triples
    )


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
