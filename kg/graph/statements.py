"""Reified statements kept as rows beside the RDF graph.

Nine triples in ten of a built graph belong to ``rdf:Statement`` nodes: one
node per fact and passage, always the same ten properties. Held in rdflib
they cost about a kilobyte a triple and every export walks them through the
store's pattern lookups. A ``BuiltGraph`` therefore keeps them as
``StatementRow`` values next to an rdflib graph of everything else; each
stage that reads statements (validation, the exports, the change index)
reads the rows, and ``to_rdflib()`` gives the one graph they stand for.

The rows are the graph, not a copy: ``BuiltGraph(g, rows).to_rdflib()``
exported by the generic code path gives the same bytes as ``BuiltGraph`` by
the row path (tested for every output).
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD
from rdflib.term import Node

from kg.vocab import AIKG

RdfTriple = tuple

#: Every property a statement row carries, in the order ``triples`` yields them.
STATEMENT_PROPERTIES = (RDF.type, RDF.subject, RDF.predicate, RDF.object, PROV.wasDerivedFrom,
                        AIKG.evidence, AIKG.startOffset, AIKG.endOffset, AIKG.confidence, AIKG.extractor)
TRIPLES_PER_STATEMENT = len(STATEMENT_PROPERTIES)
#: The ``StatementRow`` field behind each of ``STATEMENT_PROPERTIES`` (None:
#: ``rdf:type``, whose value is always ``rdf:Statement``).
ROW_FIELDS = (None, "subject", "predicate", "object", "document", "evidence", "start", "end", "confidence",
              "extractor")
#: Indexes into ``STATEMENT_PROPERTIES`` in the order Turtle and TriG write a
#: node's properties: ``rdf:type`` first, then by IRI, as they sort any node's.
WRITE_ORDER = tuple(sorted(range(TRIPLES_PER_STATEMENT),
                           key=lambda i: (STATEMENT_PROPERTIES[i] != RDF.type, str(STATEMENT_PROPERTIES[i]))))


def block_template(names: Sequence[str], indent: str = "") -> str:
    """A ``str.format`` template of a statement node's Turtle block, without
    the last line end: field 0 is the node, field ``k + 1`` the written
    value of ``STATEMENT_PROPERTIES[k]``; ``names`` are the properties'
    written names in ``WRITE_ORDER``. One C-level ``format`` per row
    instead of a line per property: half a million rows at 10,000 documents."""
    last = len(names) - 1
    lines = [indent + "{0}"] + [
        f"{indent}    {name.replace('{', '{{').replace('}', '}}')} {{{WRITE_ORDER[k] + 1}}}"
        f"{' .' if k == last else ' ;'}" for k, name in enumerate(names)]
    return "\n".join(lines)


def integer_text(value: int) -> str:
    """How Turtle writes ``Literal(value, datatype=XSD.integer)`` for a Python
    int: the bare numeral (the offsets of every statement row)."""
    return str(value)


@dataclass(frozen=True, slots=True)
class StatementRow:
    """One ``rdf:Statement`` node: the triple it states and the passage it was read from."""

    node: URIRef
    subject: URIRef
    predicate: URIRef
    object: URIRef
    document: URIRef
    evidence: str
    start: int
    end: int
    confidence: Decimal
    extractor: str

    @property
    def stated(self) -> RdfTriple:
        """The plain triple this statement reifies."""
        return (self.subject, self.predicate, self.object)

    def values(self, literals: LiteralMemo | None = None) -> tuple:
        """The object of each of ``STATEMENT_PROPERTIES``, as RDF terms.

        ``literals`` shares the offset, confidence and extractor literals
        between rows (building rdflib literals is the cost of this call).
        """
        make = literals or LiteralMemo()
        return tuple(row_term(i, getattr(self, field) if field else RDF.Statement, make)
                     for i, field in enumerate(ROW_FIELDS))

    def triples(self, literals: LiteralMemo | None = None) -> Iterator[RdfTriple]:
        """The ten triples of this statement node."""
        node = self.node
        for prop, value in zip(STATEMENT_PROPERTIES, self.values(literals)):
            yield (node, prop, value)


#: How ``values`` makes each field's term: the IRI as it is (None), a plain
#: literal of its own ("text": evidence is rarely repeated), or a shared
#: literal of that datatype ("" for a plain one).
_TERM_KINDS = (None, None, None, None, None, "text", XSD.integer, XSD.integer, XSD.decimal, "")


def row_term(index: int, raw: object, literals: LiteralMemo) -> Node:
    """The RDF term ``StatementRow.values`` gives for a Python value of field ``ROW_FIELDS[index]``."""
    kind = _TERM_KINDS[index]
    if kind is None:
        return raw  # type: ignore[return-value]
    if kind == "text":
        return Literal(raw)
    return literals(raw, kind or None)


def literal_key(value: object, datatype: URIRef | None = None) -> Hashable:
    """A dict key for the literal ``Literal(value, datatype=datatype)`` would make.

    Equal Python values can make different literals: ``Decimal("1") == 1 ==
    True``, hence the type; ``Decimal("0.8") == Decimal("0.80")``, hence the
    text of decimals and floats. Other values key by themselves (cheaper
    to hash than their text). A plain string is its own key: equal strings
    make the same literal, and no other key is a ``str``; the writers ask
    for the extractor name of every statement row.
    """
    if datatype is None and type(value) is str:
        return value
    return (datatype, type(value), str(value) if isinstance(value, (Decimal, float)) else value)


class LiteralMemo:
    """Makes each distinct literal once; call it as ``Literal(value, datatype=...)``."""

    def __init__(self) -> None:
        self._made: dict[Hashable, Literal] = {}

    def __call__(self, value: object, datatype: URIRef | None = None) -> Literal:
        key = literal_key(value, datatype)
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = Literal(value, datatype=datatype)
        return made


@dataclass
class BuiltGraph:
    """A built knowledge graph: an rdflib graph plus the statement rows.

    ``statements`` are sorted by node IRI, one row per node, and no row's
    node is a subject in ``graph``.
    """

    graph: Graph
    statements: Sequence[StatementRow] = ()

    def __len__(self) -> int:
        return len(self.graph) + TRIPLES_PER_STATEMENT * len(self.statements)

    def to_rdflib(self) -> Graph:
        """The whole graph as one rdflib graph (prefixes kept)."""
        if not self.statements:
            return self.graph
        g = Graph(bind_namespaces="none")
        for prefix, ns in self.graph.namespaces():
            g.bind(prefix, ns, override=True)
        for triple in self.graph:
            g.add(triple)
        literals = LiteralMemo()
        for row in self.statements:
            for triple in row.triples(literals):
                g.add(triple)
        return g


def as_built(graph: Graph | BuiltGraph) -> BuiltGraph:
    """``graph`` as a BuiltGraph; an rdflib graph keeps its statements inside it."""
    return graph if isinstance(graph, BuiltGraph) else BuiltGraph(graph, ())


def unique_rows(rows: Iterable[StatementRow]) -> list[StatementRow]:
    """Rows sorted by node IRI, one per node.

    A node IRI is hashed from the stated triple, the document and the
    offsets, so two rows share one only when two extractors read the same
    fact from the same passage; the most confident reading is kept (as one
    RDF node it would otherwise carry two confidences, against the shapes).
    """
    best: dict[URIRef, StatementRow] = {}
    for row in rows:
        kept = best.get(row.node)
        if kept is None or (-row.confidence, row.extractor, row.evidence) < (-kept.confidence, kept.extractor,
                                                                            kept.evidence):
            best[row.node] = row
    # By the IRI text: the order URIRef's own comparison gives, at C speed.
    return [best[node] for node in sorted(best, key=str)]
