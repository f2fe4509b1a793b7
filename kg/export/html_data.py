"""Turn the built RDF graph into the data the HTML view draws.

Pure functions over an rdflib graph: what the view shows as nodes (entities,
documents, quantities), as edges (every plain triple between two such nodes),
and the evidence passages behind each edge, taken from the reified
statements and the quantities' own provenance. Statement nodes feed the
evidence table and are never drawn.

Everything is sorted so that the same graph always gives the same data.
"""
from __future__ import annotations

import hashlib
from decimal import Decimal
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from kg.graph.statements import BuiltGraph, StatementRow, as_built
from kg.vocab import AIKG, ALL_CLASSES, QUANTITY_CLASSES, SYMMETRIC_PROPERTIES

#: Which class wins when a node has several: the most specific first
#: (a node typed both Company and Organization is drawn as a Company).
CLASS_PRIORITY: tuple[str, ...] = (
    "Document",
    "BenchmarkResult",
    "Price",
    "Model",
    "Product",
    "Feature",
    "Person",
    "Company",
    "Event",
    "Benchmark",
    "Organization",
)
assert set(CLASS_PRIORITY) == set(ALL_CLASSES)

#: Edge kinds, drawn differently.
RELATION, PROVENANCE, QUANTITY_LINK = "relation", "provenance", "quantity"
_PROVENANCE_PREDICATES = frozenset({AIKG.mentionedIn, PROV.wasDerivedFrom})
_CANVAS_LABEL_MAX = 40
#: Edges a page draws at most. The 1,000-document corpus has 31,000 edges
#: among its 2,000 best-connected nodes (four in five mentionedIn lines),
#: a 26 MB page; vis-network stays responsive at about this many.
DEFAULT_EDGE_BUDGET = 10_000
_DOCUMENT_LABEL_MAX = 28


@dataclass(frozen=True)
class EvidenceItem:
    """One passage a drawn edge or quantity was read from."""

    doc: str | None  # view id of the Document node, when it is known
    text: str
    start: int | None
    end: int | None
    confidence: str | None
    extractor: str | None


@dataclass(frozen=True)
class ViewNode:
    """A drawn node and what its tooltip and side panel say about it."""

    id: str
    cls: str
    label: str  # short, for the canvas
    name: str  # full display name
    labels: tuple[tuple[str, str], ...]  # (language, preferred label), sorted
    aliases: tuple[str, ...]
    docs: tuple[str, ...]  # view ids of the documents it is sourced from
    facts: tuple[tuple[str, str], ...]  # extra (key, value) rows for the panel
    degree: int  # in the whole graph, before any budget cut


@dataclass(frozen=True)
class ViewEdge:
    """A drawn edge: one plain triple (both directions for symmetric ones)."""

    source: str
    target: str
    predicate: str  # local name
    kind: str  # RELATION, PROVENANCE or QUANTITY_LINK
    symmetric: bool
    evidence: tuple[int, ...]  # indices into ViewData.evidence


@dataclass(frozen=True)
class ViewData:
    """Everything the page shows, already cut to the node budget."""

    nodes: tuple[ViewNode, ...]
    edges: tuple[ViewEdge, ...]
    evidence: tuple[EvidenceItem, ...]
    nodes_total: int
    edges_total: int
    edges_between: int  # edges among the drawn nodes, before the edge budget

    @property
    def nodes_cut(self) -> bool:
        """Whether the node budget left some nodes out."""
        return len(self.nodes) < self.nodes_total

    @property
    def edges_cut(self) -> bool:
        """Whether the edge budget left out edges between drawn nodes."""
        return self.edges_between > len(self.edges)

    @property
    def truncated(self) -> bool:
        """Whether a budget left something out."""
        return self.nodes_cut or self.edges_cut


def local_name(term: Node) -> str:
    """The part of an IRI after its last ``#`` or ``/``."""
    text = str(term)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1] if isinstance(term, URIRef) else text


def node_classes(graph: Graph) -> dict[Node, str]:
    """Every node the view draws, with the one class it is drawn as."""
    found: dict[Node, set[str]] = defaultdict(set)
    classes = {AIKG[name]: name for name in ALL_CLASSES}
    for subject, cls in graph.subject_objects(RDF.type):
        if cls in classes:
            found[subject].add(classes[cls])
    rank = {name: i for i, name in enumerate(CLASS_PRIORITY)}
    return {node: min(names, key=rank.__getitem__) for node, names in found.items()}


def _canonical(term: Node) -> str:
    """A term's text that survives a Turtle round trip (``200`` == ``200.0``)."""
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            return f"{Decimal(value).normalize():f}"
        if isinstance(value, float):
            return repr(value)
    return term.n3()


def stable_ids(graph: Graph, nodes: Iterable[Node]) -> dict[Node, str]:
    """A view id per node: the IRI, or for a blank node a hash of its content.

    rdflib renames blank nodes on every parse, so their labels would make the
    page differ between two builds of the same graph.
    """
    ids: dict[Node, str] = {}
    blanks: list[tuple[str, BNode]] = []
    for node in nodes:
        if isinstance(node, BNode):
            rows = sorted(
                f"{p.n3()} {_canonical(o)}"
                for p, o in graph.predicate_objects(node)
                if not isinstance(o, BNode)
            )
            blanks.append((hashlib.sha1("\n".join(rows).encode("utf-8")).hexdigest()[:20], node))
        else:
            ids[node] = str(node)
    seen: dict[str, int] = defaultdict(int)
    for digest, node in sorted(blanks, key=lambda item: item[0]):
        seen[digest] += 1
        suffix = "" if seen[digest] == 1 else f"-{seen[digest]}"
        ids[node] = f"_:{digest}{suffix}"
    return ids


def _text(value: Node | None) -> str | None:
    return None if value is None else str(value)


def _int(value: Node | None) -> int | None:
    if isinstance(value, Literal):
        try:
            return int(str(value))
        except ValueError:
            return None
    return None


def _first(graph: Graph, subject: Node, predicate: URIRef) -> Node | None:
    """The smallest value (deterministic when a property is repeated)."""
    values = sorted(graph.objects(subject, predicate), key=lambda v: (str(v), v.n3()))
    return values[0] if values else None


class _EvidenceTable:
    """Deduplicated, index-addressed evidence items."""

    def __init__(self) -> None:
        self.items: list[EvidenceItem] = []
        self._index: dict[EvidenceItem, int] = {}

    def add(self, item: EvidenceItem) -> int:
        if item not in self._index:
            self._index[item] = len(self.items)
            self.items.append(item)
        return self._index[item]


def _passages(graph: Graph, holder: Node, ids: dict[Node, str]) -> list[EvidenceItem]:
    """Evidence passages carried by a statement or quantity node."""
    docs = sorted(ids.get(d, str(d)) for d in graph.objects(holder, PROV.wasDerivedFrom))
    texts = sorted(str(t) for t in graph.objects(holder, AIKG.evidence))
    if not texts:
        return []
    start = _int(_first(graph, holder, AIKG.startOffset))
    end = _int(_first(graph, holder, AIKG.endOffset))
    raw_confidence = _first(graph, holder, AIKG.confidence)
    confidence = None if raw_confidence is None else _number(raw_confidence)
    extractor = _text(_first(graph, holder, AIKG.extractor))
    # The contract gives one source per statement; with several the passage
    # cannot be tied to one of them, so it is shown without a document.
    doc = docs[0] if len(docs) == 1 else None
    single = len(texts) == 1
    return [
        EvidenceItem(doc, text, start if single else None, end if single else None, confidence, extractor)
        for text in texts
    ]


class _StatementEvidence:
    """The passages behind each plain triple, made only for triples asked about.

    A large graph has hundreds of thousands of statements, of which the
    page shows the few behind its drawn edges; the rest are only asked
    which documents they come from.
    """

    def __init__(self, built: BuiltGraph, ids: dict[Node, str]):
        self.ids = ids
        self.rows: dict[tuple[Node, Node, Node], list[StatementRow]] = defaultdict(list)
        for row in built.statements:
            self.rows[row.stated].append(row)
        # Statements held in the rdflib part (a graph that did not come as rows).
        self.nodes: dict[tuple[Node, Node, Node], list[EvidenceItem]] = defaultdict(list)
        graph = built.graph
        for statement in graph.subjects(RDF.type, RDF.Statement):
            s = graph.value(statement, RDF.subject)
            p = graph.value(statement, RDF.predicate)
            o = graph.value(statement, RDF.object)
            if s is None or p is None or o is None:
                continue
            self.nodes[(s, p, o)].extend(_passages(graph, statement, ids))
        self._confidences: dict[str, str] = {}

    def items(self, triple: tuple[Node, Node, Node]) -> list[EvidenceItem]:
        """Every passage stating ``triple``."""
        found = list(self.nodes.get(triple, ()))
        for row in self.rows.get(triple, ()):
            key = str(row.confidence)
            confidence = self._confidences.get(key)
            if confidence is None:
                confidence = self._confidences[key] = _number(Literal(row.confidence, datatype=XSD.decimal))
            doc = self.ids.get(row.document, str(row.document))
            found.append(EvidenceItem(doc, row.evidence, row.start, row.end, confidence, row.extractor))
        return found

    def docs(self, triple: tuple[Node, Node, Node]) -> Iterator[str]:
        """The document of each passage stating ``triple`` (those tied to one)."""
        for item in self.nodes.get(triple, ()):
            if item.doc is not None:
                yield item.doc
        for row in self.rows.get(triple, ()):
            yield self.ids.get(row.document, str(row.document))


def _labels(graph: Graph, node: Node) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """Preferred label per language, and every other surface form."""
    by_lang: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for label in graph.objects(node, RDFS.label):
        if isinstance(label, Literal):
            tag = (label.language or "").lower()
            by_lang[tag.split("-", 1)[0]].append((tag, str(label)))
    preferred: list[tuple[str, str]] = []
    others: set[str] = set()
    for lang, found in sorted(by_lang.items()):
        # An exact "en"/"zh" tag beats "en-us"; then the alphabetically first.
        ranked = sorted(found, key=lambda tl: (tl[0] != lang, tl[1]))
        if lang:
            preferred.append((lang, ranked[0][1]))
            others.update(text for _, text in ranked[1:])
        else:
            others.update(text for _, text in ranked)
    chosen = {text for _, text in preferred}
    others.update(str(a) for a in graph.objects(node, SKOS.altLabel))
    return tuple(preferred), tuple(sorted(others - chosen))


def _display_name(labels: tuple[tuple[str, str], ...], aliases: tuple[str, ...], fallback: str) -> str:
    by_lang = dict(labels)
    for lang in ("en", "zh"):
        if lang in by_lang:
            return by_lang[lang]
    if labels:
        return labels[0][1]
    return aliases[0] if aliases else fallback


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _number(value: Node | None) -> str:
    """A decimal literal as a person writes it: ``2727``, ``0.5``."""
    if value is None:
        return "?"
    text = str(value)
    if "." in text and "e" not in text.lower():
        text = text.rstrip("0").rstrip(".")
    return text


def _describe(graph: Graph, node: Node, cls: str, names: dict[Node, str]) -> tuple[str, str, list[tuple[str, str]]]:
    """(canvas label, full name, panel facts) for documents and quantities."""
    if cls == "Document":
        title = _text(_first(graph, node, DCTERMS.title))
        path = _text(_first(graph, node, AIKG.path))
        name = title or path or local_name(node)
        facts = [
            ("title", title),
            ("path", path),
            ("creator", _text(_first(graph, node, DCTERMS.creator))),
            ("publisher", _text(_first(graph, node, DCTERMS.publisher))),
            ("date", _text(_first(graph, node, DCTERMS.date))),
            ("source", _text(_first(graph, node, DCTERMS.source))),
        ]
        return _shorten(name, _DOCUMENT_LABEL_MAX), name, [(k, v) for k, v in facts if v]
    if cls == "BenchmarkResult":
        model = _first(graph, node, AIKG.model)
        bench = _first(graph, node, AIKG.benchmark)
        unit = _text(_first(graph, node, AIKG.unit))
        score = _number(_first(graph, node, AIKG.score))
        value = f"{score} {unit}" if unit else score
        model_name = names.get(model, "?") if model is not None else "?"
        bench_name = names.get(bench, "?") if bench is not None else "?"
        facts = [("model", model_name), ("benchmark", bench_name), ("score", score), ("unit", unit)]
        return value, f"{model_name} · {bench_name} · {value}", [(k, v) for k, v in facts if v]
    # Price
    item = _first(graph, node, AIKG.priceOf)
    amount = _number(_first(graph, node, AIKG.amount))
    currency = _text(_first(graph, node, AIKG.currency))
    unit = _text(_first(graph, node, AIKG.unit))
    value = " ".join(x for x in (amount, currency) if x)
    per = f"per {unit}" if unit else ""
    item_name = names.get(item, "?") if item is not None else "?"
    facts = [("price of", item_name), ("amount", amount), ("currency", currency), ("unit", unit)]
    # Two lines on the canvas keep the round pill small.
    label = f"{value}\n{per}" if per else value
    return label, f"{item_name} · {value} {per}".rstrip(), [(k, v) for k, v in facts if v]


def build_view_data(graph: Graph | BuiltGraph, node_budget: int = 2000,
                    edge_budget: int = DEFAULT_EDGE_BUDGET) -> ViewData:
    """What the page draws: nodes, edges and evidence, cut to the budgets.

    Above ``node_budget`` the most connected nodes are kept (degree over all
    drawn edges, ties broken by id) and only edges between kept nodes remain.
    Above ``edge_budget`` edges among them, relations are kept first, then
    quantity links, then provenance lines, each kind from its best-connected
    ends down.
    """
    if node_budget < 1:
        raise ValueError(f"node_budget must be at least 1, got {node_budget}")
    if edge_budget < 0:
        raise ValueError(f"edge_budget must not be negative, got {edge_budget}")
    built = as_built(graph)
    graph = built.graph
    classes = node_classes(graph)
    ids = stable_ids(graph, classes)
    stated = _StatementEvidence(built, ids)
    # Evidence a quantity carries itself; its links share it.
    quantity_evidence: dict[Node, list[EvidenceItem]] = {
        node: _passages(graph, node, ids) for node, cls in classes.items() if cls in QUANTITY_CLASSES
    }
    edge_map = _edge_map(graph, classes, ids)
    degree: dict[str, int] = defaultdict(int)
    for source, _, target in edge_map:
        degree[source] += 1
        degree[target] += 1
    all_ids = sorted(ids.values())
    kept = set(sorted(all_ids, key=lambda i: (-degree[i], i))[:node_budget])
    docs_of = _sources_of_kept(edge_map, kept, stated, quantity_evidence)
    nodes = _view_nodes(graph, classes, ids, kept, docs_of, degree)
    between = [key for key in edge_map if key[0] in kept and key[2] in kept]
    edges_between = len(between)
    if len(between) > edge_budget:
        # Relations say the most, then quantity links, then the many
        # mentionedIn lines to documents (a node's source count and the
        # document filter use ViewNode.docs, taken from every edge); within a
        # kind, edges between well-connected nodes first.
        rank = {RELATION: 0, QUANTITY_LINK: 1, PROVENANCE: 2}
        between = sorted(between, key=lambda k: (rank[edge_map[k]["kind"]], -min(degree[k[0]], degree[k[2]]), k))
        between = between[:edge_budget]
    table = _EvidenceTable()
    edges = _view_edges(sorted(between), edge_map, stated, quantity_evidence, table)
    return ViewData(tuple(nodes), tuple(edges), tuple(table.items), len(all_ids), len(edge_map), edges_between)


def _edge_map(graph: Graph, classes: dict[Node, str], ids: dict[Node, str]) -> dict[tuple[str, str, str], dict]:
    """Each drawable edge (source id, property, target id) and the plain
    triples behind it; passages come later, for the edges that survive the budget."""
    edge_map: dict[tuple[str, str, str], dict] = {}
    for subject in classes:
        for predicate, obj in graph.predicate_objects(subject):
            if predicate == RDF.type or obj not in classes:
                continue
            name = local_name(predicate)
            symmetric = predicate.startswith(str(AIKG)) and name in SYMMETRIC_PROPERTIES
            source, target = ids[subject], ids[obj]
            if symmetric and target < source:
                source, target = target, source
            if predicate in _PROVENANCE_PREDICATES:
                kind = PROVENANCE
            elif classes[subject] in QUANTITY_CLASSES:
                kind = QUANTITY_LINK
            else:
                kind = RELATION
            entry = edge_map.setdefault(
                (source, name, target),
                {"kind": kind, "symmetric": symmetric, "triples": []},
            )
            entry["triples"].append((subject, predicate, obj))
    return edge_map


def _sources_of_kept(edge_map: dict[tuple[str, str, str], dict], kept: set[str], stated: "_StatementEvidence",
                     quantity_evidence: dict[Node, list[EvidenceItem]]) -> dict[str, set[str]]:
    """Sources of each drawn node: documents it is mentioned in or has evidence from."""
    docs_of: dict[str, set[str]] = defaultdict(set)
    for (source, _name, target), entry in edge_map.items():
        if source not in kept and target not in kept:
            continue
        for triple in entry["triples"]:
            sources = set(stated.docs(triple))
            sources.update(item.doc for item in quantity_evidence.get(triple[0], ()) if item.doc is not None)
            docs_of[source].update(sources)
            docs_of[target].update(sources)
        if entry["kind"] == PROVENANCE:
            docs_of[source].add(target)
    return docs_of


def _view_nodes(graph: Graph, classes: dict[Node, str], ids: dict[Node, str], kept: set[str],
                docs_of: dict[str, set[str]], degree: dict[str, int]) -> list[ViewNode]:
    """The drawn nodes, with their labels, sources and facts, in id order."""
    names: dict[Node, str] = {}
    label_info: dict[Node, tuple[tuple[tuple[str, str], ...], tuple[str, ...]]] = {}
    for node in classes:
        labels, aliases = _labels(graph, node)
        label_info[node] = (labels, aliases)
        names[node] = _display_name(labels, aliases, local_name(node))
    doc_ids = {ids[n] for n, c in classes.items() if c == "Document"}
    nodes: list[ViewNode] = []
    for node, cls in classes.items():
        node_id = ids[node]
        if node_id not in kept:
            continue
        labels, aliases = label_info[node]
        if cls == "Document" or cls in QUANTITY_CLASSES:
            label, name, facts = _describe(graph, node, cls, names)
        else:
            name = names[node]
            label, facts = _shorten(name, _CANVAS_LABEL_MAX), []
        docs = tuple(sorted(d for d in docs_of[node_id] if d in doc_ids and d != node_id))
        nodes.append(
            ViewNode(node_id, cls, label, name, labels, aliases, docs, tuple(facts), degree[node_id])
        )
    nodes.sort(key=lambda n: n.id)
    return nodes


def _view_edges(keys: list[tuple[str, str, str]], edge_map: dict[tuple[str, str, str], dict],
                stated: "_StatementEvidence", quantity_evidence: dict[Node, list[EvidenceItem]],
                table: "_EvidenceTable") -> list[ViewEdge]:
    """The drawn edges, each with its passages added to the evidence table."""
    edges: list[ViewEdge] = []
    for source, name, target in keys:
        entry = edge_map[(source, name, target)]
        found: set[EvidenceItem] = set()
        for triple in entry["triples"]:
            found.update(stated.items(triple))
            found.update(quantity_evidence.get(triple[0], ()))
        ordered = sorted(
            found,
            key=lambda e: (e.doc or "", e.start if e.start is not None else -1, e.end or -1, e.text, e.confidence or "", e.extractor or ""),
        )
        evidence = tuple(table.add(item) for item in ordered)
        edges.append(ViewEdge(source, target, name, entry["kind"], entry["symmetric"], evidence))
    return edges
