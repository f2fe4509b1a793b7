"""graph.graphml is written directly, not through networkx's ElementTree
writer; it must stay the very bytes networkx writes for the same graph,
and read back in networkx with every attribute intact."""
from __future__ import annotations

import io

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from kg.export.graphml import graphml_chunks, render_graphml, to_networkx
from kg.vocab import AIKG

ID = "https://w3id.org/aikg/id/"


def networkx_bytes(graph) -> bytes:
    buf = io.BytesIO()
    nx.write_graphml(to_networkx(graph), buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


def small_graph(*, edges: bool = True, results: bool = True) -> Graph:
    g = Graph()
    model, company, doc = URIRef(ID + "model/m"), URIRef(ID + "org/c"), URIRef(ID + "doc/d")
    g.add((model, RDF.type, AIKG.Model))
    # Characters XML escapes differently in text and in attributes.
    g.add((model, RDFS.label, Literal('M & "N" <1>\tx\ny', lang="en")))
    g.add((company, RDF.type, AIKG.Company))
    g.add((company, RDFS.label, Literal("公司", lang="zh")))
    g.add((doc, RDF.type, AIKG.Document))
    g.add((doc, DCTERMS.title, Literal("A title")))
    if results:
        result = URIRef(ID + "result/r")
        g.add((result, RDF.type, AIKG.BenchmarkResult))
        g.add((result, AIKG.score, Literal("71.7", datatype=XSD.decimal)))  # no unit: an empty attribute
        g.add((result, AIKG.model, model))
    if edges:
        g.add((model, AIKG.developedBy, company))
        g.add((model, AIKG.mentionedIn, doc))
        g.add((company, AIKG.mentionedIn, doc))
        g.add((model, PROV.wasDerivedFrom, doc))
    return g


@pytest.mark.parametrize("kwargs", [{}, {"edges": False}, {"results": False}, {"edges": False, "results": False}],
                         ids=["full", "no-edges", "no-results", "nodes-only"])
def test_same_bytes_as_networkx(kwargs):
    graph = small_graph(**kwargs)
    data, nodes, edges = render_graphml(graph)
    assert data == networkx_bytes(graph)
    assert "".join(graphml_chunks(graph)).encode("utf-8") == data
    back = nx.read_graphml(io.BytesIO(data))
    assert (back.number_of_nodes(), back.number_of_edges()) == (nodes, edges)


def test_empty_graph_same_bytes_as_networkx():
    assert render_graphml(Graph())[0] == networkx_bytes(Graph())


def test_attributes_read_back_exactly():
    back = nx.read_graphml(io.BytesIO(render_graphml(small_graph())[0]))
    model = back.nodes[ID + "model/m"]
    assert model["label"] == 'M & "N" <1>\tx\ny'
    assert back.nodes[ID + "org/c"]["label"] == "公司"
    assert back.nodes[ID + "result/r"]["unit"] == ""
    assert back.nodes[ID + "result/r"]["score"] == "71.7"
    keyed = {key: data for _, _, key, data in back.edges(keys=True, data=True)}
    assert keyed["developedBy"]["predicate"] == "developedBy"
    assert isinstance(keyed["developedBy"]["sources"], int)


def test_several_edges_between_two_nodes_keep_networkx_order():
    graph = small_graph()
    model, company = URIRef(ID + "model/m"), URIRef(ID + "org/c")
    graph.add((model, AIKG.competesWith, company))
    graph.add((model, AIKG.integratesWith, company))
    assert render_graphml(graph)[0] == networkx_bytes(graph)


def test_seed_build_same_bytes_as_networkx(seed_build):
    from kg.build.pipeline import extract_documents, graph_from_extractions

    docs, extractions, _, _ = extract_documents(seed_build[1].documents)
    built = graph_from_extractions(docs, extractions)
    assert (seed_build[0] / "graph.graphml").read_bytes() == networkx_bytes(built)


def test_parsed_seed_graph_same_bytes_as_networkx(seed_graph):
    # Statements as rdf:Statement triples in one rdflib graph, not as rows.
    assert render_graphml(seed_graph)[0] == networkx_bytes(seed_graph)
