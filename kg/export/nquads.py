"""Write the graph as N-Quads: one line per quad, one named graph per document.

The partition into named graphs is TriG's (``export_trig.split_by_document``); the
default graph's triples have no fourth term. Lines are sorted, so the file
is deterministic and two N-Quads files concatenate into a valid one — the
form bulk loaders of large triple stores read fastest.
"""
from __future__ import annotations

import rdflib
from rdflib import BNode, Literal, URIRef

from kg.export.trig import split_by_document
from kg.graph.statements import STATEMENT_PROPERTIES, BuiltGraph, LiteralMemo, as_built
from kg.rdf_syntax import iri_ref, quote_string
from kg.vocab import AIKG



def nt_term(term: rdflib.term.Node) -> str:
    """A term in N-Triples syntax."""
    if isinstance(term, URIRef):
        return iri_ref(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        text = quote_string(str(term))
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and str(term.datatype) != "http://www.w3.org/2001/XMLSchema#string":
            return f"{text}^^{iri_ref(str(term.datatype))}"
        return text
    raise TypeError(f"not an RDF term: {term!r}")


def render_nquads(graph: rdflib.Graph | BuiltGraph) -> tuple[bytes, int]:
    """N-Quads bytes for ``graph`` and the number of quads written."""
    lines: list[str] = []
    named, rows = split_by_document(as_built(graph))
    for name, triples in named.items():
        suffix = f" <{name}> .\n" if name is not None else " .\n"
        lines.extend(f"{nt_term(s)} {nt_term(p)} {nt_term(o)}{suffix}" for s, p, o in triples)
    # Statement rows: every term but the node and the evidence repeats, so
    # each of those is written once.
    written: dict[rdflib.term.Node, str] = {}

    def nt(term: rdflib.term.Node) -> str:
        text = written.get(term)
        if text is None:
            text = written[term] = nt_term(term)
        return text

    unique = {STATEMENT_PROPERTIES.index(AIKG.evidence)}
    predicates = [nt(prop) for prop in STATEMENT_PROPERTIES]
    literals = LiteralMemo()
    for doc, doc_rows in rows.items():
        suffix = f" <{doc}> .\n"
        for row in doc_rows:
            node = nt_term(row.node)
            for i, value in enumerate(row.values(literals)):
                text = nt_term(value) if i in unique else nt(value)
                lines.append(f"{node} {predicates[i]} {text}{suffix}")
    lines.sort()
    return "".join(lines).encode("utf-8"), len(lines)
