"""Write the graph as TriG: one named graph per source document.

Each document's named graph (named by the document's IRI) holds what was
derived from it: every relation or ``mentionedIn`` triple that one of its
reified statements states, those statement nodes' own triples, and the
BenchmarkResult / Price nodes read from it. A fact found in two documents is
in both graphs. The default graph holds the rest: entity types and labels,
the documents themselves, anything not derived from one source.

The output is written here, sorted, rather than by an RDF library's
serializer, so that it is byte-identical across runs: blank nodes get labels
computed from their surroundings, not the parser's random ones.
"""
from __future__ import annotations

import hashlib
import heapq
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator
from pathlib import Path

import rdflib
from rdflib import BNode, URIRef
from rdflib.namespace import PROV, RDF, XSD

from kg.rdf_syntax import (Term, group_by_subject, namespace_order, prefix_block, term_from_rdflib, turtle_body,
                              turtle_iri, turtle_term)
from kg.graph.statements import (STATEMENT_PROPERTIES, TRIPLES_PER_STATEMENT, WRITE_ORDER, BuiltGraph, LiteralMemo,
                           StatementRow, as_built, block_template, integer_text,
                           literal_key)
from kg.vocab import AIKG, PREFIXES

RdfTriple = tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]

_QUANTITY_TYPES = (AIKG.BenchmarkResult, AIKG.Price)
# Looked up once: a namespace attribute is a Python __getattr__ call, and every row needs this one.
_DECIMAL = XSD.decimal


def partition(graph: rdflib.Graph | BuiltGraph) -> dict[URIRef | None, set[RdfTriple]]:
    """Split the graph's triples into named graphs per document (None: default).

    Every triple of ``graph`` lands in the default graph or in at least one
    document graph; a triple may be in several document graphs.
    """
    named, rows = split_by_document(as_built(graph))
    literals = LiteralMemo()
    for doc, doc_rows in rows.items():
        for row in doc_rows:
            named.setdefault(doc, set()).update(row.triples(literals))
    return named


def split_by_document(built: BuiltGraph) -> tuple[dict[URIRef | None, set[RdfTriple]],
                                                  dict[URIRef, list[StatementRow]]]:
    """``partition``, with the statement rows kept apart: the rdflib part's
    triples per graph (None: default), and each document graph's rows."""
    # One pass over the triples; every later question is a dict lookup
    # (the store's own pattern lookups made this stage the slowest export).
    everything = set(built.graph)
    by_subject: dict[rdflib.term.Node, list[RdfTriple]] = defaultdict(list)
    for triple in everything:
        by_subject[triple[0]].append(triple)
    named: dict[URIRef | None, set[RdfTriple]] = defaultdict(set)
    assigned: set[RdfTriple] = set()
    derived_from = PROV.wasDerivedFrom  # a namespace lookup, not one per triple
    for node, own in by_subject.items():
        docs = [o for _, p, o in own if p == derived_from and isinstance(o, URIRef)]
        if not docs:
            continue
        types = {o for _, p, o in own if p == RDF.type}
        is_statement = RDF.Statement in types
        if not is_statement and not types.intersection(_QUANTITY_TYPES):
            continue
        own = list(own)
        if is_statement:
            parts = [[o for _, p, o in own if p == prop] for prop in (RDF.subject, RDF.predicate, RDF.object)]
            if all(len(values) == 1 for values in parts):
                stated = (parts[0][0], parts[1][0], parts[2][0])
                if stated in everything:
                    own.append(stated)
        for doc in docs:
            named[doc].update(own)
        assigned.update(own)
    rows: dict[URIRef, list[StatementRow]] = defaultdict(list)
    for row in built.statements:
        rows[row.document].append(row)
        stated = row.stated
        if stated in everything:
            named[row.document].add(stated)
            assigned.add(stated)
    named[None] = everything - assigned
    return dict(named), dict(rows)


def _canonical_bnode_labels(triples: Iterable[RdfTriple]) -> dict[BNode, str]:
    """Stable labels for blank nodes, from what surrounds them.

    Two rounds of neighbourhood hashing (colour refinement): a node's label
    depends on its own edges and its neighbours' edges, never on the parser's
    random ids. Nodes still alike after that are interchangeable for output.
    """
    triples = list(triples)
    bnodes = sorted({t for triple in triples for t in (triple[0], triple[2]) if isinstance(t, BNode)}, key=str)
    if not bnodes:
        return {}
    colour = {b: "" for b in bnodes}

    def text(term: rdflib.term.Node) -> str:
        return "_:" + colour[term] if isinstance(term, BNode) else term.n3()

    for _ in range(2):
        edges: dict[BNode, list[str]] = defaultdict(list)
        for s, p, o in triples:
            if isinstance(s, BNode):
                edges[s].append(f"> {p.n3()} {text(o)}")
            if isinstance(o, BNode):
                edges[o].append(f"< {text(s)} {p.n3()}")
        colour = {
            b: hashlib.sha1("\n".join(sorted(edges[b])).encode("utf-8")).hexdigest()[:16] for b in bnodes
        }
    ordered = sorted(bnodes, key=lambda b: colour[b])
    return {b: f"b{i}" for i, b in enumerate(ordered)}


def _term(node: rdflib.term.Node, labels: dict[BNode, str]) -> Term:
    if isinstance(node, BNode):
        return Term("bnode", labels[node])
    return term_from_rdflib(node)


def _sorted_triples(triples: Iterable[RdfTriple], labels: dict[BNode, str],
                    terms: dict | None = None) -> list[tuple[Term, Term, Term]]:
    terms = {} if terms is None else terms  # rdflib node → Term, shared across calls

    def term(node: rdflib.term.Node) -> Term:
        found = terms.get(node)
        if found is None:
            found = terms[node] = _term(node, labels)
        return found

    converted = [(term(s), term(p), term(o)) for s, p, o in triples]
    rdf_type = str(RDF.type)
    object_text: dict[Term, str] = {}

    def key(triple: tuple[Term, Term, Term]) -> tuple:
        s, p, o = triple
        text = object_text.get(o)
        if text is None:
            text = object_text[o] = turtle_term(o)
        return (s.kind, s.value, p.value != rdf_type, p.value, text)

    return sorted(converted, key=key)  # type: ignore[arg-type]


def render_trig(graph: rdflib.Graph | BuiltGraph) -> tuple[str, int]:
    """The TriG text for ``graph`` and the number of quads it holds."""
    quads: list[int] = []
    text = "".join(trig_chunks(graph, quads))
    return text, quads[0]


def trig_chunks(graph: rdflib.Graph | BuiltGraph, quads: list[int] | None = None) -> Iterator[str]:
    """``render_trig``'s text in pieces (one per named graph at most), for
    writing without holding it all; the quad count is appended to ``quads``."""
    built = as_built(graph)
    parts, rows = split_by_document(built)
    graph = built.graph
    # Statement rows hold no blank nodes, and built graphs none at all: look
    # in the triples already split rather than walk the store again.
    has_bnodes = any(isinstance(t[0], BNode) or isinstance(t[2], BNode) for part in parts.values() for t in part)
    labels = _canonical_bnode_labels(set().union(*parts.values())) if has_bnodes else {}
    out = [prefix_block(PREFIXES)]
    count = 0
    terms: dict = {}
    memo: dict[Term, str] = {}
    default = _sorted_triples(parts.get(None, ()), labels, terms)
    if default:
        out.append("\n" + turtle_body(default, PREFIXES, memo=memo))
        count += len(default)
    row_writer = _RowWriter(memo)
    documents = sorted({d for d in parts if d is not None} | set(rows), key=str)
    for doc in documents:
        triples = _sorted_triples(parts.get(doc, ()), labels, terms)
        doc_rows = rows.get(doc, [])
        paths = sorted(str(p) for p in graph.objects(doc, AIKG.path))
        comment = "# " + " ".join(paths[0].split()) + "\n" if paths else ""
        out.append(f"\n{comment}{turtle_term(Term('uri', str(doc)), PREFIXES)} {{\n")
        # Subject blocks in subject order, as one sort of all the triples
        # would give: the rows are sorted by node already, so merge.
        blocks = [((s.kind, s.value), group) for s, group in group_by_subject(triples)]
        row_blocks = [(("uri", str(row.node)), row) for row in doc_rows]
        for _, item in heapq.merge(blocks, row_blocks, key=lambda b: b[0]):
            if isinstance(item, StatementRow):
                out.append(row_writer.block(item, "    "))
            else:
                out.append(turtle_body(item, PREFIXES, indent="    ", memo=memo))
        out.append("}\n")
        count += len(triples) + TRIPLES_PER_STATEMENT * len(doc_rows)
        yield "".join(out)
        out = []
    if out:
        yield "".join(out)
    if quads is not None:
        quads.append(count)


class _RowWriter:
    """Writes a statement row as ``turtle_body`` writes the same node's triples."""

    def __init__(self, memo: dict[Term, str]):
        self.memo = memo
        # Keyed by the IRI string and the Python value: hashing those is
        # cheaper than hashing Terms, and rows repeat both.
        self.iris: dict[str, str] = {}
        self.literals: dict[Hashable, str] = {}
        self.names = ["a" if STATEMENT_PROPERTIES[i] == RDF.type else self.iri(STATEMENT_PROPERTIES[i])
                      for i in WRITE_ORDER]
        self.statement = self.iri(RDF.Statement)
        self.order = namespace_order(PREFIXES)
        self.templates: dict[str, str] = {}  # by indent

    def text(self, term: Term) -> str:
        written = self.memo.get(term)
        if written is None:
            written = self.memo[term] = turtle_term(term, PREFIXES)
        return written

    def iri(self, node: URIRef) -> str:
        written = self.iris.get(node)
        if written is None:
            written = self.iris[node] = self.text(Term("uri", str(node)))
        return written

    def literal(self, value: object, datatype: URIRef | None = None) -> str:
        key = literal_key(value, datatype)
        written = self.literals.get(key)
        if written is None:
            written = self.literals[key] = self.text(term_from_rdflib(rdflib.Literal(value, datatype=datatype)))
        return written

    def block(self, row: StatementRow, indent: str) -> str:
        template = self.templates.get(indent)
        if template is None:
            template = self.templates[indent] = block_template(self.names, indent) + "\n"
        iri = self.iri
        return template.format(
            turtle_iri(str(row.node), self.order),  # without turtle_term's per-call prefix lookup
            self.statement, iri(row.subject), iri(row.predicate), iri(row.object), iri(row.document),
            # the evidence and the node are unique to their row: not worth a memo entry
            turtle_term(Term("literal", row.evidence), PREFIXES),
            integer_text(row.start), integer_text(row.end), self.literal(row.confidence, _DECIMAL),
            self.literal(row.extractor))


def write_trig(graph: rdflib.Graph | BuiltGraph, path: Path) -> int:
    """Write ``graph`` as TriG with one named graph per source document.

    Returns the number of quads written (a triple in two document graphs
    counts twice). Same graph in, same bytes out.
    """
    text, count = render_trig(graph)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    return count
