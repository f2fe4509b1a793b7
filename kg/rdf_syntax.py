"""RDF term syntax: the one way every writer spells an IRI, a string and a
literal in Turtle, TriG, N-Triples and N-Quads, and in query output.

``Term`` is the engine-neutral term of query results (the SPARQL JSON
results model); the exporters write rdflib terms through the same escaping
functions, so an IRI or a string is written alike in every file.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import rdflib

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


_PN_LOCAL_SAFE = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?\Z")
_PN_LOCAL_PERCENT = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.\-]|%[0-9A-Fa-f]{2})*(?<!\.)$")
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_DECIMAL = re.compile(r"[+-]?[0-9]*\.[0-9]+\Z")
_DOUBLE = re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+\Z")
_BARE_LITERAL = {
    XSD + "integer": _INTEGER,
    XSD + "decimal": _DECIMAL,
    XSD + "double": _DOUBLE,
}
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
#: What a STRING_LITERAL_QUOTE cannot hold as it is: quotes, backslashes,
#: control characters, and code points no parser accepts raw (lone
#: surrogates, the non-characters U+FFFE/U+FFFF).
_NEEDS_ESCAPE = re.compile('["\\\\\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]')
#: What an IRIREF cannot hold (Turtle, TriG, N-Triples and N-Quads agree).
_IRI_FORBIDDEN = re.compile('[\x00-\x20<>"{}|^`\\\\\ud800-\udfff]')


def _escape_char(m: re.Match[str]) -> str:
    ch = m.group()
    return _ESCAPES.get(ch) or f"\\u{ord(ch):04X}"


def escape_string(text: str) -> str:
    """The body of a Turtle/N-Triples ``"..."`` string for ``text``."""
    return _NEEDS_ESCAPE.sub(_escape_char, text) if _NEEDS_ESCAPE.search(text) else text


def quote_string(text: str) -> str:
    """A Turtle/N-Triples ``"..."`` string."""
    return '"' + escape_string(text) + '"'


def _percent(m: re.Match[str]) -> str:
    return "".join(f"%{b:02X}" for b in m.group().encode("utf-8", "surrogatepass"))


def iri_ref(iri: str) -> str:
    """``<iri>``, the characters an IRIREF forbids percent-encoded.

    Percent-encoding (rather than a ``\\u`` escape, which decodes back to the
    forbidden character) is what every parser accepts; the IRIs the builder
    mints never contain such characters, so this only guards odd input."""
    if _IRI_FORBIDDEN.search(iri):
        iri = _IRI_FORBIDDEN.sub(_percent, iri)
    return "<" + iri + ">"


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


def compact_in_order(iri: str, order: tuple[tuple[str, str], ...], *, percent_locals: bool = False) -> str | None:
    """``compact_iri`` with the namespaces already in ``namespace_order``.

    ``percent_locals`` also compacts a local part holding ``%XX`` escapes
    (legal PN_LOCAL, and what ``graph.ttl`` writes); TriG and query output
    write those IRIs whole, as they always have."""
    local_ok = _PN_LOCAL_PERCENT if percent_locals else _PN_LOCAL_SAFE
    for prefix, ns in order:
        if iri.startswith(ns):
            local = iri[len(ns):]
            if local == "" or local_ok.match(local):
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
