"""Turtle export: deterministic, readable, linear in the graph's size.

rdflib's own Turtle serializer is not guaranteed stable in its ordering and
grows faster than linearly on large graphs, so this module writes Turtle
itself: subjects grouped and sorted, prefixed names where the local part is
a safe PN_LOCAL, every literal escaped per the Turtle 1.1 grammar.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Hashable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.atomic import atomic_write_text
from kg.graph.statements import (STATEMENT_PROPERTIES, WRITE_ORDER, BuiltGraph, StatementRow, as_built, block_template,
                           integer_text,
                           literal_key)
from kg.rdf_syntax import compact_in_order, escape_string, iri_ref, namespace_order
from kg.vocab import PREFIXES

class TermWriter:
    """Renders terms with the prefixes it was given (longest namespace first)."""

    def __init__(self, prefixes: dict[str, str]):
        self.order = namespace_order(prefixes)
        # Entity, document and property IRIs recur thousands of times.
        self._written: dict[str, str] = {}

    def iri(self, term: URIRef, remember: bool = True) -> str:
        """``term`` as a prefixed name or ``<IRI>``; ``remember=False`` for
        an IRI that will not come again (kept out of the memo)."""
        value = str(term)
        written = self._written.get(value)
        if written is None:
            written = self._iri(value)
            if remember:
                self._written[value] = written
        return written

    def _iri(self, value: str) -> str:
        return compact_in_order(value, self.order, percent_locals=True) or iri_ref(value)

    def term(self, term) -> str:
        if isinstance(term, URIRef):
            return self.iri(term)
        if isinstance(term, BNode):
            return f"_:{term}"
        if isinstance(term, Literal):
            return self.literal(term)
        raise TypeError(f"cannot write {term!r} as Turtle")

    def literal(self, lit: Literal) -> str:
        if lit.datatype == XSD.integer and re.fullmatch(r"[+-]?\d+", str(lit)):
            return str(lit)
        if lit.datatype == XSD.decimal and re.fullmatch(r"[+-]?\d*\.\d+", _decimal_text(lit)):
            return _decimal_text(lit)
        body = f'"{escape_string(str(lit))}"'
        if lit.language:
            return f"{body}@{lit.language}"
        if lit.datatype and lit.datatype != XSD.string:
            return f"{body}^^{self.iri(lit.datatype)}"
        return body


def _decimal_text(lit: Literal) -> str:
    text = str(lit)
    try:
        d = Decimal(text)
    except Exception:
        return text
    out = format(d, "f")
    if "." not in out:
        out += ".0"
    return out


def _subject_rank(g: Graph, s) -> int:
    """Documents, then entities, then quantities, then statements."""
    types = set(g.objects(s, RDF.type))
    if RDF.Statement in types:
        return 3
    names = {str(t).rsplit("#", 1)[-1] for t in types}
    if "Document" in names:
        return 0
    if names & {"BenchmarkResult", "Price"}:
        return 2
    return 1


def serialize_turtle(graph: Graph | BuiltGraph, prefixes: dict[str, str] | None = None) -> str:
    """The graph as deterministic Turtle text."""
    return "".join(turtle_chunks(graph, prefixes))


def turtle_chunks(graph: Graph | BuiltGraph, prefixes: dict[str, str] | None = None,
                  lines_per_chunk: int = 20_000) -> Iterator[str]:
    """``serialize_turtle``'s text in pieces, for writing without holding it all."""
    batch: list[str] = []
    first = True
    for line in _turtle_lines(graph, prefixes):
        batch.append(line)
        if len(batch) >= lines_per_chunk:
            yield ("" if first else "\n") + "\n".join(batch)
            batch, first = [], False
    if batch or first:
        yield ("" if first else "\n") + "\n".join(batch)


def _turtle_lines(graph: Graph | BuiltGraph, prefixes: dict[str, str] | None) -> Iterator[str]:
    built = as_built(graph)
    if built.statements and (None, RDF.type, RDF.Statement) in built.graph:
        built = as_built(built.to_rdflib())  # statements in both halves: one sort over all
    g = built.graph
    prefixes = dict(PREFIXES if prefixes is None else prefixes)
    writer = TermWriter(prefixes)
    by_subject: dict = defaultdict(lambda: defaultdict(list))
    for s, p, o in g:
        by_subject[s][p].append(o)
    yield from (f"@prefix {p}: <{ns}> ." for p, ns in sorted(prefixes.items()))
    yield ""
    keyed = sorted(by_subject, key=lambda s: (_subject_rank(g, s), str(s)))
    for s in keyed:
        preds = by_subject[s]
        order = sorted(preds, key=lambda p: (p != RDF.type, str(p)))
        yield writer.term(s)
        for i, p in enumerate(order):
            objs = sorted({writer.term(o) for o in preds[p]})
            pname = "a" if p == RDF.type else writer.iri(p)
            end = " ." if i == len(order) - 1 else " ;"
            yield f"    {pname} {', '.join(objs)}{end}"
        yield ""
    # Statement subjects rank last, sorted by IRI, as the rows already are.
    yield from _statement_lines(built.statements, writer)


def _statement_lines(rows: Sequence[StatementRow], writer: TermWriter) -> Iterator[str]:
    """The subject blocks of statement rows, as the generic path writes them."""
    names = ["a" if STATEMENT_PROPERTIES[i] == RDF.type else writer.iri(STATEMENT_PROPERTIES[i])
             for i in WRITE_ORDER]
    # Offsets, confidences and extractor names repeat: each distinct one is
    # rendered once, by the same code as any literal.
    memo: dict[Hashable, str] = {}

    def literal(value, datatype=None) -> str:
        key = literal_key(value, datatype)
        found = memo.get(key)
        if found is None:
            found = memo[key] = writer.literal(Literal(value, datatype=datatype))
        return found

    # Namespace attributes (RDF.Statement, XSD.decimal) are looked up by a
    # Python __getattr__: once here, not twice a row.
    statement, decimal = writer.iri(RDF.Statement), XSD.decimal
    # One string per block (lines joined inside): the text is the same.
    template = block_template(names) + "\n"
    for row in rows:
        # A statement node occurs once: not worth a memo entry.
        yield template.format(writer.iri(row.node, remember=False), statement, writer.iri(row.subject),
                              writer.iri(row.predicate), writer.iri(row.object), writer.iri(row.document),
                              f'"{escape_string(row.evidence)}"', integer_text(row.start), integer_text(row.end),
                              literal(row.confidence, decimal), literal(row.extractor))


def write_turtle(g: Graph | BuiltGraph, path: Path) -> int:
    """Write ``g`` as Turtle to ``path`` atomically; returns the byte size."""
    text = serialize_turtle(g)
    atomic_write_text(path, text)
    return len(text.encode("utf-8"))
