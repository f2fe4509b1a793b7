"""The graph stage: resolved entities, facts and quantities become RDF.

Every relation and every ``mentionedIn`` edge is written twice: as a plain
triple (so GraphML and the HTML view show it) and as an ``rdf:Statement``
carrying the evidence passage, its offsets, a confidence and the extractor.
The statements are kept as rows beside the rdflib graph (``kg.graph.statements``).
Statement and quantity nodes get IRIs hashed from their content, never
blank nodes or counters, so rebuilds and shards agree byte for byte.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from kg.text_units import CJK_RE
from kg.text_units import SentenceIndex, sentence_index
from kg.models import Document, Entity, Evidence, Fact, Mention, Quantity
from kg.graph.statements import BuiltGraph, StatementRow, unique_rows
from kg.vocab import (AIKG, ALL_CLASSES, PREFIXES, PROVENANCE_PROPERTY, RELATION_PROPERTIES, document_iri,
                      entity_iri, hashed_iri)

#: mentionedIn statements kept per (entity, document): the first passages.
MAX_MENTION_PASSAGES = 3
#: Statements kept per (relation triple, document), and identical quantities
#: kept per document: the first passages. A scrape that repeats itself (or
#: a 50 MB document) would otherwise grow the graph with its length rather
#: than with what it says; the seeds never come near these bounds.
MAX_FACT_PASSAGES = 10
MAX_QUANTITY_REPEATS = 3
_SAFE_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
# Each ``AIKG.x`` or ``AIKG[x]`` makes and validates a new URIRef: the hot
# loops below take these, made once.
_MENTIONED_IN = AIKG[PROVENANCE_PROPERTY]
_CLASS_IRIS = {name: AIKG[name] for name in ALL_CLASSES}
_RELATION_IRIS = {name: AIKG[name] for name in RELATION_PROPERTIES}


def new_graph() -> Graph:
    """An empty graph with the project's prefixes bound."""
    # SimpleMemory keeps three plain indexes and no per-triple contexts; the
    # default Memory store spends most of its time on contexts we never use.
    g = Graph(store=SimpleMemory(), bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    return g


def build_graph(
    docs: Sequence[Document],
    entities: Sequence[Entity],
    facts: Sequence[Fact],
    quantities: Sequence[Quantity],
    min_confidence: float = 0.0,
) -> Graph:
    """The whole RDF graph of a build, as one rdflib graph."""
    return build_knowledge_graph(docs, entities, facts, quantities, min_confidence).to_rdflib()


def build_knowledge_graph(
    docs: Sequence[Document],
    entities: Sequence[Entity],
    facts: Sequence[Fact],
    quantities: Sequence[Quantity],
    min_confidence: float = 0.0,
    sentences: dict[str, SentenceIndex] | None = None,
) -> BuiltGraph:
    """The graph of a build: statement nodes as rows, the rest in rdflib.
    ``sentences``: each document's sentence index, if an earlier stage made them."""
    return add_statements(graph_of_entities(docs, entities, min_confidence, sentences), facts, quantities,
                          min_confidence)


@dataclass
class EntityGraph:
    """The first part of the graph: documents, entities and their mentions,
    before any fact or quantity (facts wait for inference, which may run
    beside this part)."""

    graph: Graph
    rows: _StatementRows
    #: The entities kept, by key, with their IRIs: facts and quantities reuse
    #: them (slugging a name is not free, and facts repeat names).
    kept: dict[tuple[str, str], URIRef]


def graph_of_entities(docs: Sequence[Document], entities: Sequence[Entity], min_confidence: float = 0.0,
                      sentences: dict[str, SentenceIndex] | None = None) -> EntityGraph:
    """The documents, the entities (at or above ``min_confidence``) and their
    ``mentionedIn`` statements. ``sentences``: as ``build_knowledge_graph``'s."""
    g = new_graph()
    rows = _StatementRows()
    doc_by_id = {d.doc_id: d for d in docs}
    # Built once per document and shared by all its entities: splitting a
    # 50 MB text per entity made this stage quadratic.
    sentence_indexes: dict[str, SentenceIndex] = {} if sentences is None else sentences
    for doc in docs:
        _add_document(g, doc)
    kept: dict[tuple[str, str], URIRef] = {}
    mentioned: dict[str, list[tuple[URIRef, list[Mention]]]] = defaultdict(list)
    for ent in entities:
        iri = _add_entity(g, ent, mentioned, min_confidence)
        if iri is not None:
            kept[(ent.etype, ent.key)] = iri
    # Document by document rather than entity by entity: a document's text
    # and sentences stay in the CPU's caches while every entity it mentions
    # is written.
    for doc_id in sorted(mentioned):
        _add_mentions(g, rows, doc_by_id[doc_id], mentioned[doc_id], sentence_indexes)
    return EntityGraph(g, rows, kept)


def add_statements(part: EntityGraph, facts: Sequence[Fact], quantities: Sequence[Quantity],
                   min_confidence: float = 0.0) -> BuiltGraph:
    """``part`` with the facts and quantities whose ends it kept: the whole graph."""
    g, rows, kept = part.graph, part.rows, part.kept
    facts = [f for f in facts
             if f.evidence.confidence >= min_confidence and f.subject in kept and f.object in kept]
    for fact in _first_passages(facts, lambda f: (f.subject, f.predicate, f.object), MAX_FACT_PASSAGES):
        s, o = kept[fact.subject], kept[fact.object]
        p = _RELATION_IRIS[fact.predicate]
        g.add((s, p, o))
        rows.add(s, p, o, fact.evidence)
    quantities = [q for q in quantities if q.evidence.confidence >= min_confidence and q.subject in kept
                  and not (q.benchmark and q.benchmark not in kept)]
    same_quantity = lambda q: (q.kind, q.subject, q.benchmark, q.value, q.unit, q.currency)  # noqa: E731
    for q in _first_passages(quantities, same_quantity, MAX_QUANTITY_REPEATS):
        _add_quantity(g, q, kept)
    return BuiltGraph(g, unique_rows(rows.rows))


def _first_passages(items: Sequence, key, limit: int) -> list:
    """``items`` (facts or quantities) with at most ``limit`` distinct passages
    per (``key``, document): the earliest in the text, whatever the input order."""
    groups: dict[tuple, dict[tuple[int, int], list]] = defaultdict(dict)
    for item in items:
        ev = item.evidence
        groups[(key(item), ev.doc_id)].setdefault((ev.start, ev.end), []).append(item)
    out = []
    for passages in groups.values():
        for span in sorted(passages)[:limit]:
            out.extend(passages[span])
    return out


def _lang(text: str) -> str:
    return "zh" if CJK_RE.search(text) else "en"


def _add_document(g: Graph, doc: Document) -> None:
    d = document_iri(doc.doc_id)
    g.add((d, RDF.type, AIKG.Document))
    g.add((d, AIKG.path, Literal(doc.path)))
    g.add((d, AIKG.sha256, Literal(doc.sha256)))
    meta = doc.meta
    if meta.title:
        g.add((d, DCTERMS.title, Literal(meta.title)))
        g.add((d, RDFS.label, Literal(meta.title, lang=_lang(meta.title))))
    else:
        g.add((d, RDFS.label, Literal(doc.path, lang="en")))
    if meta.author:
        g.add((d, DCTERMS.creator, Literal(meta.author)))
    if meta.publisher:
        g.add((d, DCTERMS.publisher, Literal(meta.publisher)))
    if meta.date:
        dtype = XSD.dateTime if "T" in meta.date else XSD.date
        g.add((d, DCTERMS.date, Literal(meta.date, datatype=dtype)))
    if meta.source_url:
        url = meta.source_url.strip()
        g.add((d, DCTERMS.source, URIRef(url) if _SAFE_URL.match(url) else Literal(url)))


def _add_entity(g: Graph, ent: Entity, mentioned: dict[str, list[tuple[URIRef, list[Mention]]]],
                min_confidence: float = 0.0) -> URIRef | None:
    """Add an entity's type and labels and return its IRI; its mentions at or
    above ``min_confidence`` go to ``mentioned``, by document. None, and
    nothing added, when no mention is left."""
    mentions = [m for m in ent.mentions if m.confidence >= min_confidence]
    if not mentions:
        return None
    e = entity_iri(ent.etype, ent.key)
    g.add((e, RDF.type, _CLASS_IRIS[ent.etype]))
    for lang, label in ent.labels:
        g.add((e, RDFS.label, Literal(label, lang=lang)))
    for alt in ent.alt_labels:
        g.add((e, SKOS.altLabel, Literal(alt, lang=_lang(alt))))
    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_doc[m.doc_id].append(m)
    for doc_id, doc_mentions in by_doc.items():
        mentioned[doc_id].append((e, doc_mentions))
    return e


def _add_mentions(g: Graph, rows: _StatementRows, doc: Document, mentioned: list[tuple[URIRef, list[Mention]]],
                  sentence_indexes: dict[str, SentenceIndex]) -> None:
    """The ``mentionedIn`` edges to ``doc`` of each (entity IRI, its mentions
    there), with a statement per passage."""
    d = rows.document(doc.doc_id)
    index = sentence_index(doc, sentence_indexes) if doc.prose else None
    for e, mentions in mentioned:
        g.add((e, _MENTIONED_IN, d))
        for ev in _mention_passages(doc, mentions, index):
            rows.add(e, _MENTIONED_IN, d, ev)


def _mention_passages(doc: Document, mentions: list[Mention], index: SentenceIndex | None) -> list[Evidence]:
    """The sentences holding the first few mentions (the mention itself when
    it lies outside prose, e.g. an author in front matter)."""
    out: list[Evidence] = []
    seen: set[tuple[int, int]] = set()
    for m in sorted(mentions, key=lambda m: m.start):
        s = index.at(m.start) if index else None
        start, end = (s.start, s.end) if s and s.end >= m.end else (m.start, m.end)
        if (start, end) in seen:
            continue
        seen.add((start, end))
        out.append(Evidence(doc.doc_id, start, end, doc.text[start:end], m.confidence, m.extractor))
        if len(out) >= MAX_MENTION_PASSAGES:
            break
    return out


class _StatementRows:
    """The statement rows of one build. A passage backs many statements (every
    entity its sentence mentions): one string per passage, not one per row."""

    def __init__(self) -> None:
        self.rows: list[StatementRow] = []
        self._passages: dict[tuple[str, int, int, str], str] = {}
        self._documents: dict[str, URIRef] = {}
        # A handful of distinct confidences and extractor names across half a
        # million rows at 10,000 documents: one object each, not one per row.
        self._confidences: dict[tuple[type, float], Decimal] = {}
        self._extractors: dict[str, str] = {}

    def add(self, s: URIRef, p: URIRef, o: URIRef, ev: Evidence) -> None:
        text = self._passages.setdefault((ev.doc_id, ev.start, ev.end, ev.text), ev.text)
        doc = self.document(ev.doc_id)
        key = (type(ev.confidence), ev.confidence)  # 1 == 1.0, but their Decimals differ
        confidence = self._confidences.get(key)
        if confidence is None:
            confidence = self._confidences[key] = Decimal(str(ev.confidence))
        self.rows.append(StatementRow(
            node=hashed_iri("stmt", s, p, o, ev.doc_id, ev.start, ev.end), subject=s, predicate=p, object=o,
            document=doc, evidence=text, start=ev.start, end=ev.end,
            confidence=confidence, extractor=self._extractors.setdefault(ev.extractor, ev.extractor)))

    def document(self, doc_id: str) -> URIRef:
        """The IRI of document ``doc_id``, made once per build."""
        doc = self._documents.get(doc_id)
        if doc is None:
            doc = self._documents[doc_id] = document_iri(doc_id)
        return doc


def _add_provenance(g: Graph, node: URIRef, ev: Evidence) -> None:
    g.add((node, PROV.wasDerivedFrom, document_iri(ev.doc_id)))
    g.add((node, AIKG.evidence, Literal(ev.text)))
    g.add((node, AIKG.startOffset, Literal(ev.start, datatype=XSD.integer)))
    g.add((node, AIKG.endOffset, Literal(ev.end, datatype=XSD.integer)))
    g.add((node, AIKG.confidence, Literal(Decimal(str(ev.confidence)), datatype=XSD.decimal)))
    g.add((node, AIKG.extractor, Literal(ev.extractor)))


def _add_quantity(g: Graph, q: Quantity, iris: dict[tuple[str, str], URIRef]) -> None:
    """``iris``: the kept entities' IRIs, by key (the quantity's ends among them)."""
    subject = iris[q.subject]
    if q.kind == "BenchmarkResult":
        bench = iris[q.benchmark]
        node = hashed_iri("result", subject, bench, q.value, q.unit, q.evidence.doc_id, q.evidence.start)
        g.add((node, RDF.type, AIKG.BenchmarkResult))
        g.add((node, AIKG.model, subject))
        g.add((node, AIKG.benchmark, bench))
        g.add((node, AIKG.score, Literal(Decimal(q.value), datatype=XSD.decimal)))
    else:
        node = hashed_iri("price", subject, q.value, q.currency, q.unit, q.evidence.doc_id, q.evidence.start)
        g.add((node, RDF.type, AIKG.Price))
        g.add((node, AIKG.priceOf, subject))
        g.add((node, AIKG.amount, Literal(Decimal(q.value), datatype=XSD.decimal)))
        g.add((node, AIKG.currency, Literal(q.currency)))
    if q.unit:
        g.add((node, AIKG.unit, Literal(q.unit)))
    _add_provenance(g, node, q.evidence)
