"""The scorer follows the gold README's rules, checked on a tiny hand-made
graph where every count is known."""
from __future__ import annotations

from decimal import Decimal

from rdflib import Graph, Literal
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from kg.evaluate import evaluate
from kg.vocab import AIKG, document_iri, entity_iri, hashed_iri


def _graph():
    g = Graph()
    doc = document_iri("d1")
    g.add((doc, RDF.type, AIKG.Document))
    g.add((doc, AIKG.path, Literal("seeds/d1.txt")))
    nodes = {}
    for etype, name, alts in [
        ("Model", "o1", ["o1 模型"]),
        ("Model", "o1 model", ["满血版o1"]),      # a split: second node for the same thing
        ("Company", "OpenAI", []),
        ("Feature", "函数调用", ["Function Calling"]),
        ("Product", "Python", []),              # optional in the gold: neither rewarded nor penalised
        ("Feature", "更智能", []),               # not in the gold: a false positive
        ("Person", "OpenAI", []),               # right name, wrong type: no match
    ]:
        n = entity_iri(etype, name + etype)
        g.add((n, RDF.type, AIKG[etype]))
        g.add((n, RDFS.label, Literal(name, lang="en")))
        for a in alts:
            g.add((n, SKOS.altLabel, Literal(a, lang="zh")))
        g.add((n, AIKG.mentionedIn, doc))
        nodes[(etype, name)] = n

    def stmt(s, p, o, start):
        st = hashed_iri("stmt", s, p, o, start)
        g.add((st, RDF.type, RDF.Statement))
        g.add((st, RDF.subject, s))
        g.add((st, RDF.predicate, AIKG[p]))
        g.add((st, RDF.object, o))
        g.add((st, PROV.wasDerivedFrom, doc))
        g.add((st, AIKG.evidence, Literal("o1 由 OpenAI 发布")))
        g.add((st, AIKG.startOffset, Literal(start, datatype=XSD.integer)))
        g.add((st, AIKG.endOffset, Literal(start + len("o1 由 OpenAI 发布"), datatype=XSD.integer)))

    stmt(nodes[("Model", "o1")], "developedBy", nodes[("Company", "OpenAI")], 0)
    stmt(nodes[("Model", "o1")], "hasFeature", nodes[("Feature", "函数调用")], 0)
    stmt(nodes[("Model", "o1")], "hasFeature", nodes[("Feature", "更智能")], 0)
    r = hashed_iri("result", 1)
    g.add((r, RDF.type, AIKG.BenchmarkResult))
    g.add((r, AIKG.model, nodes[("Model", "o1")]))
    g.add((r, AIKG.benchmark, entity_iri("Benchmark", "AIME")))
    g.add((r, AIKG.score, Literal(Decimal("83.3"), datatype=XSD.decimal)))
    g.add((r, PROV.wasDerivedFrom, doc))
    return g


GOLD = {
    "document": "d1.txt",
    "entities": [
        {"names": ["o1", "o1 模型", "满血版o1"], "types": ["Model"]},
        {"names": ["OpenAI"], "types": ["Company", "Organization"]},
        {"names": ["function calling", "函数调用"], "types": ["Feature"]},
        {"names": ["Sam Altman"], "types": ["Person"]},
    ],
    "optional_entities": [{"names": ["Python"], "types": ["Product"]}],
    "relations": [
        {"s": "o1", "p": "developedBy", "o": "OpenAI"},
        {"s": "o1", "p": "hasFeature", "o": "function calling"},
        {"s": "Sam Altman", "p": "worksFor", "o": "OpenAI"},
    ],
    "benchmarks": [{"model": "o1", "benchmark": "AIME", "score": 83.3}],
    "prices": [{"item": "o1", "amount": 15, "currency": "USD"}],
}


def test_entity_counts_follow_the_rules():
    d = evaluate(_graph(), [GOLD], {}).documents[0]
    # o1, OpenAI, 函数调用 match; the second o1 node is a duplicate; 更智能 and
    # the Person "OpenAI" are false positives; Python (optional) is ignored;
    # Sam Altman is missed.
    assert (d.entities.tp, d.entities.fp, d.entities.fn) == (3, 3, 1)
    assert d.duplicates == 1
    assert d.predicted_entities == 7  # every core-class node mentioned in the document


def test_relations_map_through_the_matching():
    d = evaluate(_graph(), [GOLD], {}).documents[0]
    assert (d.relations.tp, d.relations.fp, d.relations.fn) == (2, 1, 1)


def test_benchmark_attached_to_unmatched_benchmark_node_does_not_count():
    d = evaluate(_graph(), [GOLD], {}).documents[0]
    # The benchmark node is not mentioned in the document, so it maps to no
    # gold name and the result is a false positive; the price is missed.
    assert (d.benchmarks.tp, d.benchmarks.fp, d.benchmarks.fn) == (0, 1, 1)
    assert (d.prices.tp, d.prices.fn) == (0, 1)


def test_evidence_fidelity_is_checked_against_text():
    good = evaluate(_graph(), [GOLD], {"seeds/d1.txt": "o1 由 OpenAI 发布，支持函数调用"})
    assert good.evidence_fidelity == 1.0
    bad = evaluate(_graph(), [GOLD], {"seeds/d1.txt": "xx" + "o1 由 OpenAI 发布"})
    assert bad.evidence_fidelity == 0.0


def test_missing_document_counts_everything_missed():
    g = Graph()
    d = evaluate(g, [GOLD], {}).documents[0]
    assert d.entities.fn == 4 and d.relations.fn == 3 and d.benchmarks.fn == 1
