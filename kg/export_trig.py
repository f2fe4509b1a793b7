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
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import rdflib
from rdflib import BNode, URIRef
from rdflib.namespace import PROV, RDF

from kg.query import term_from_rdflib
from kg.result_format import Term, prefix_block, turtle_body, turtle_term
from kg.vocab import AIKG, PREFIXES

RdfTriple = tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]

_QUANTITY_TYPES = (AIKG.BenchmarkResult, AIKG.Price)


def partition(graph: rdflib.Graph) -> dict[URIRef | None, set[RdfTriple]]:
    """Split the graph's triples into named graphs per document (None: default).

    Every triple of ``graph`` lands in the default graph or in at least one
    document graph; a triple may be in several document graphs.
    """
    named: dict[URIRef | None, set[RdfTriple]] = defaultdict(set)
    assigned: set[RdfTriple] = set()
    sources: dict[rdflib.term.Node, list[URIRef]] = defaultdict(list)
    for node, doc in graph.subject_objects(PROV.wasDerivedFrom):
        if isinstance(doc, URIRef):
            sources[node].append(doc)
    for node, docs in sources.items():
        is_statement = (node, RDF.type, RDF.Statement) in graph
        if not is_statement and not any((node, RDF.type, t) in graph for t in _QUANTITY_TYPES):
            continue
        own = [(node, p, o) for p, o in graph.predicate_objects(node)]
        if is_statement:
            stated = _stated_triple(graph, node)
            if stated is not None and stated in graph:
                own.append(stated)
        for doc in docs:
            named[doc].update(own)
        assigned.update(own)
    named[None] = {t for t in graph if t not in assigned}
    return dict(named)


def _stated_triple(graph: rdflib.Graph, statement: rdflib.term.Node) -> RdfTriple | None:
    parts = [list(graph.objects(statement, p)) for p in (RDF.subject, RDF.predicate, RDF.object)]
    if any(len(values) != 1 for values in parts):
        return None
    return (parts[0][0], parts[1][0], parts[2][0])


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


def _sorted_triples(triples: Iterable[RdfTriple], labels: dict[BNode, str]) -> list[tuple[Term, Term, Term]]:
    converted = [tuple(_term(t, labels) for t in triple) for triple in triples]
    rdf_type = str(RDF.type)

    def key(triple: tuple[Term, Term, Term]) -> tuple:
        s, p, o = triple
        return (s.kind, s.value, p.value != rdf_type, p.value, turtle_term(o))

    return sorted(converted, key=key)  # type: ignore[arg-type]


def render_trig(graph: rdflib.Graph) -> tuple[str, int]:
    """The TriG text for ``graph`` and the number of quads it holds."""
    parts = partition(graph)
    labels = _canonical_bnode_labels(graph)
    out = [prefix_block(PREFIXES)]
    count = 0
    default = _sorted_triples(parts.get(None, ()), labels)
    if default:
        out.append("\n" + turtle_body(default, PREFIXES))
        count += len(default)
    documents = sorted((d for d in parts if d is not None), key=str)
    for doc in documents:
        triples = _sorted_triples(parts[doc], labels)
        paths = sorted(str(p) for p in graph.objects(doc, AIKG.path))
        comment = "# " + " ".join(paths[0].split()) + "\n" if paths else ""
        out.append(f"\n{comment}{turtle_term(Term('uri', str(doc)), PREFIXES)} {{\n")
        out.append(turtle_body(triples, PREFIXES, indent="    "))
        out.append("}\n")
        count += len(triples)
    return "".join(out), count


def write_trig(graph: rdflib.Graph, path: Path) -> int:
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
