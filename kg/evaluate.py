"""Scoring a built graph against gold annotations, by the rules of the gold
README: entities of the five core classes matched by normalised name and a
compatible type (each gold entity matched once; a second node matching it is
a duplicate, counted as a false positive), relations read from the reified
statements of each document and mapped through that matching, benchmark
results and prices compared on their mapped subject and number, and the
evidence of every statement checked against the document's text."""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from kg.lexicon import normalize_name
from kg.vocab import AIKG, RELATION_PROPERTIES, SYMMETRIC_PROPERTIES, class_family

CORE = {"Model", "Product", "Feature", "Person", "Company", "Organization"}


@dataclass
class Counts:
    """True positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class DocumentScore:
    """One document's results, with the items behind the counts."""

    document: str
    entities: Counts = field(default_factory=Counts)
    entities_by_class: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    relations: Counts = field(default_factory=Counts)
    relations_by_property: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    benchmarks: Counts = field(default_factory=Counts)
    prices: Counts = field(default_factory=Counts)
    predicted_entities: int = 0
    duplicates: int = 0
    evidence_checked: int = 0
    evidence_exact: int = 0
    missed: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)


@dataclass
class EvaluationReport:
    """Per-document scores and their micro-averaged totals."""

    documents: list[DocumentScore]

    def total(self, attr: str) -> Counts:
        c = Counts()
        for d in self.documents:
            c.add(getattr(d, attr))
        return c

    def total_by(self, attr: str) -> dict[str, Counts]:
        out: dict[str, Counts] = defaultdict(Counts)
        for d in self.documents:
            for k, v in getattr(d, attr).items():
                out[k].add(v)
        return dict(sorted(out.items()))

    @property
    def split_rate(self) -> float:
        n = sum(d.predicted_entities for d in self.documents)
        return sum(d.duplicates for d in self.documents) / n if n else 0.0

    @property
    def evidence_fidelity(self) -> float:
        n = sum(d.evidence_checked for d in self.documents)
        return sum(d.evidence_exact for d in self.documents) / n if n else 1.0


def load_gold(gold_dir: Path) -> list[dict]:
    """Every ``*.json`` gold file of a folder, sorted by name."""
    files = sorted(Path(gold_dir).glob("*.json"))
    if not files:
        raise FileNotFoundError(f"no gold *.json files in {gold_dir}")
    return [json.loads(f.read_text(encoding="utf-8")) for f in files]


def _local(term) -> str:
    return str(term).rsplit("#", 1)[-1]


def _names(g: Graph, node) -> set[str]:
    return {normalize_name(str(l)) for p in (RDFS.label, SKOS.altLabel) for l in g.objects(node, p)} - {""}


def _gold_items(gold: dict, key: str) -> list[dict]:
    return [dict(e, names=[normalize_name(n) for n in e["names"]], canonical=e["names"][0])
            for e in gold.get(key, [])]


def _find_document(g: Graph, name: str):
    for doc in g.subjects(RDF.type, AIKG.Document):
        path = str(g.value(doc, AIKG.path) or "")
        if path == name or path.endswith("/" + name):
            return doc
    return None


def evaluate(g: Graph, golds: Iterable[dict], texts: dict[str, str] | None = None) -> EvaluationReport:
    """Score the graph ``g`` against each gold document.

    ``texts`` maps a document path (as in ``aikg:path``) to the normalised
    text its offsets index, for the evidence-fidelity check.
    """
    return EvaluationReport([_score_document(g, gold, texts or {}) for gold in golds])


def _score_document(g: Graph, gold: dict, texts: dict[str, str]) -> DocumentScore:
    score = DocumentScore(gold["document"])
    doc = _find_document(g, gold["document"])
    gold_entities = _gold_items(gold, "entities")
    optional = _gold_items(gold, "optional_entities")
    if doc is None:
        score.missed.append(f"document {gold['document']} is not in the graph")
        for e in gold_entities:
            if set(e["types"]) & CORE:
                score.entities.fn += 1
        score.relations.fn += len(gold.get("relations", []))
        score.benchmarks.fn += len(gold.get("benchmarks", []))
        score.prices.fn += len(gold.get("prices", []))
        return score
    nodes = _DocumentNodes(g, doc)
    node_to_gold = nodes.match(gold_entities)
    node_name: dict = {n: item["canonical"] for n, item in node_to_gold.items()}
    for n in nodes.nodes:
        if n not in node_name:
            opt = next((o for o in optional if nodes.matches(n, o)), None)
            if opt is not None:
                node_name[n] = opt["canonical"]
    _score_entities(g, nodes, gold_entities, optional, node_to_gold, score)
    _score_relations(g, doc, gold, node_name, score)
    _score_quantities(g, doc, gold, node_name, score)
    _score_evidence(g, doc, texts, score)
    return score


class _DocumentNodes:
    """The nodes a document mentions, with their classes and names, and how
    they match gold entities."""

    def __init__(self, g: Graph, doc) -> None:
        self.nodes = sorted(set(g.subjects(AIKG.mentionedIn, doc)), key=str)
        self.types = {n: {_local(t) for t in g.objects(n, RDF.type)} for n in self.nodes}
        self.names = {n: _names(g, n) for n in self.nodes}

    def matches(self, node, item) -> bool:
        """A name in common and a class of the same family."""
        fams = {class_family(t) for t in self.types[node]}
        return bool(self.names[node] & set(item["names"])) and bool(fams & {class_family(t) for t in item["types"]})

    def match(self, gold_entities: list[dict]) -> dict:
        """Node → gold entity, by a maximum matching over all classes (so that
        relations to events and benchmarks map too). Among equally large
        matchings, nodes sharing more names with the gold entity are
        preferred, so the choice between a node and its duplicate is not arbitrary."""
        bip = nx.Graph()
        for i, item in enumerate(gold_entities):
            for n in self.nodes:
                if self.matches(n, item):
                    shared = len(self.names[n] & set(item["names"]))
                    bip.add_edge(("n", str(n)), ("g", i), weight=1000 + shared)
        pairs = nx.max_weight_matching(bip, maxcardinality=True) if bip.number_of_edges() else set()
        by_iri = {str(n): n for n in self.nodes}
        node_to_gold: dict = {}
        for a, b in pairs:
            node_side, gold_side = (a, b) if a[0] == "n" else (b, a)
            node_to_gold[by_iri[node_side[1]]] = gold_entities[gold_side[1]]
        return node_to_gold


def _score_entities(g: Graph, nodes: _DocumentNodes, gold_entities: list[dict], optional: list[dict],
                    node_to_gold: dict, score: DocumentScore) -> None:
    """Entity scores, for the five core classes only."""
    matched_gold = {id(item) for item in node_to_gold.values()}
    for n in nodes.nodes:
        core_types = nodes.types[n] & CORE
        if not core_types:
            continue
        score.predicted_entities += 1
        cls = sorted(core_types)[0]
        if n in node_to_gold:
            gold_cls = _class_of(node_to_gold[n])
            if gold_cls in CORE:
                score.entities.tp += 1
                score.entities_by_class[_fam_name(cls)].tp += 1
                continue
        if any(nodes.matches(n, item) for item in gold_entities):
            score.duplicates += 1
            score.entities.fp += 1
            score.entities_by_class[_fam_name(cls)].fp += 1
            score.false_positives.append(f"entity (duplicate) {cls} {_show(g, n)}")
        elif any(nodes.matches(n, o) for o in optional):
            continue
        else:
            score.entities.fp += 1
            score.entities_by_class[_fam_name(cls)].fp += 1
            score.false_positives.append(f"entity {cls} {_show(g, n)}")
    for item in gold_entities:
        cls = _class_of(item)
        if cls in CORE and id(item) not in matched_gold:
            score.entities.fn += 1
            score.entities_by_class[_fam_name(cls)].fn += 1
            score.missed.append(f"entity {'/'.join(item['types'])} {item['canonical']}")


def _class_of(item: dict) -> str:
    core = [t for t in item["types"] if t in CORE]
    return core[0] if core else item["types"][0]


def _fam_name(cls: str) -> str:
    return "Company/Organization" if cls in ("Company", "Organization") else cls


def _show(g: Graph, n) -> str:
    labels = sorted(str(l) for l in g.objects(n, RDFS.label))
    return " / ".join(labels) or str(n)


def _rel_key(s: str, p: str, o: str) -> tuple[str, str, str]:
    if p in SYMMETRIC_PROPERTIES:
        s, o = sorted((s, o))
    return (s, p, o)


def _score_relations(g: Graph, doc, gold: dict, node_name: dict, score: DocumentScore) -> None:
    gold_rels = {_rel_key(r["s"], r["p"], r["o"]) for r in gold.get("relations", [])}
    optional = {_rel_key(r["s"], r["p"], r["o"]) for r in gold.get("optional_relations", [])}
    predicted: set[tuple] = set()
    unmapped: set[tuple] = set()
    for st in g.subjects(PROV.wasDerivedFrom, doc):
        if (st, RDF.type, RDF.Statement) not in g:
            continue
        p = _local(g.value(st, RDF.predicate))
        if p not in RELATION_PROPERTIES:
            continue
        s, o = g.value(st, RDF.subject), g.value(st, RDF.object)
        sn, on = node_name.get(s), node_name.get(o)
        if sn is None or on is None:
            unmapped.add((_show(g, s), p, _show(g, o)))
        else:
            predicted.add(_rel_key(sn, p, on))
    for key in sorted(predicted):
        if key in gold_rels:
            score.relations.tp += 1
            score.relations_by_property[key[1]].tp += 1
        elif key not in optional:
            score.relations.fp += 1
            score.relations_by_property[key[1]].fp += 1
            score.false_positives.append(f"relation {key[0]} {key[1]} {key[2]}")
    for s, p, o in sorted(unmapped):
        score.relations.fp += 1
        score.relations_by_property[p].fp += 1
        score.false_positives.append(f"relation {s} {p} {o} (unmatched entity)")
    for key in sorted(gold_rels - predicted):
        score.relations.fn += 1
        score.relations_by_property[key[1]].fn += 1
        score.missed.append(f"relation {key[0]} {key[1]} {key[2]}")


def _num(x) -> Decimal:
    return Decimal(str(x))


def _score_quantities(g: Graph, doc, gold: dict, node_name: dict, score: DocumentScore) -> None:
    results, prices = set(), set()
    for node in g.subjects(PROV.wasDerivedFrom, doc):
        types = {_local(t) for t in g.objects(node, RDF.type)}
        if "BenchmarkResult" in types:
            results.add((node_name.get(g.value(node, AIKG.model), "?"), node_name.get(g.value(node, AIKG.benchmark), "?"),
                         _num(g.value(node, AIKG.score))))
        elif "Price" in types:
            prices.add((node_name.get(g.value(node, AIKG.priceOf), "?"), _num(g.value(node, AIKG.amount)),
                        str(g.value(node, AIKG.currency))))
    gold_results = {(b["model"], b["benchmark"], _num(b["score"])) for b in gold.get("benchmarks", [])}
    gold_prices = {(p["item"], _num(p["amount"]), p["currency"]) for p in gold.get("prices", [])}
    for predicted, wanted, counts, what in ((results, gold_results, score.benchmarks, "benchmark result"),
                                            (prices, gold_prices, score.prices, "price")):
        counts.tp += len(predicted & wanted)
        counts.fp += len(predicted - wanted)
        counts.fn += len(wanted - predicted)
        score.missed.extend(f"{what} {x}" for x in sorted(map(str, wanted - predicted)))
        score.false_positives.extend(f"{what} {x}" for x in sorted(map(str, predicted - wanted)))


def _score_evidence(g: Graph, doc, texts: dict[str, str], score: DocumentScore) -> None:
    text = texts.get(str(g.value(doc, AIKG.path)))
    if text is None:
        return
    for node in g.subjects(PROV.wasDerivedFrom, doc):
        ev = g.value(node, AIKG.evidence)
        start, end = g.value(node, AIKG.startOffset), g.value(node, AIKG.endOffset)
        if ev is None or start is None or end is None:
            continue
        score.evidence_checked += 1
        if text[int(start):int(end)] == str(ev):
            score.evidence_exact += 1
