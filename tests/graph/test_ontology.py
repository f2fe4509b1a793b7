"""The ontology and the shapes: parse everywhere, declare every contract term."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, XSD

from kg.validate.shapes import ONTOLOGY_FILE, SHAPES_FILE, ontology_dir
from kg.vocab import AIKG, ALL_CLASSES, PROVENANCE_PROPERTY, RELATION_PROPERTIES, SYMMETRIC_PROPERTIES

ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology"
ONTOLOGY_IRI = URIRef("https://w3id.org/aikg/ns")

# Contract: subject classes → object classes. Company ⊑ Organization, so the
# contract's "Company/Organization" is the single class Organization; the
# symmetric integratesWith has the same set on both ends.
RELATION_DOMAIN_RANGE = {
    "developedBy": ({"Model", "Product", "Feature"}, {"Organization"}),
    "hasFeature": ({"Model", "Product"}, {"Feature"}),
    "successorOf": ({"Model", "Product"}, {"Model", "Product"}),
    "variantOf": ({"Model", "Product"}, {"Model", "Product"}),
    "integratesWith": ({"Product", "Model"}, {"Product", "Model"}),
    "basedOn": ({"Product", "Feature"}, {"Model"}),
    "worksFor": ({"Person"}, {"Organization"}),
    "announcedAt": ({"Model", "Product", "Feature"}, {"Event"}),
    "partOf": ({"Event"}, {"Event"}),
    "competesWith": ({"Company", "Product", "Model"}, {"Company", "Product", "Model"}),
}
# Object properties outside the relation table, with their ranges.
OTHER_OBJECT_PROPERTIES = {
    PROVENANCE_PROPERTY: {"Document"},
    "model": {"Model"},
    "benchmark": {"Benchmark"},
    "priceOf": {"Product", "Model", "Feature"},
}
DATATYPE_PROPERTIES = {
    "evidence": XSD.string,
    "startOffset": XSD.integer,
    "endOffset": XSD.integer,
    "confidence": XSD.decimal,
    "extractor": XSD.string,
    "score": XSD.decimal,
    "unit": XSD.string,
    "amount": XSD.decimal,
    "currency": XSD.string,
    "path": XSD.string,
    "sha256": XSD.string,
}
ALL_PROPERTIES = tuple(RELATION_PROPERTIES) + tuple(OTHER_OBJECT_PROPERTIES) + tuple(DATATYPE_PROPERTIES)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY / ONTOLOGY_FILE, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY / SHAPES_FILE, format="turtle")


def _via_oxigraph(path: Path) -> Graph:
    """Parse with Oxigraph, hand over as N-Triples, so the two parsers can be compared."""
    triples = pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    ntriples = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return Graph().parse(data=ntriples, format="nt")


@pytest.mark.parametrize("name", [ONTOLOGY_FILE, SHAPES_FILE])
def test_parses_in_rdflib_and_oxigraph_alike(name: str) -> None:
    with_rdflib = Graph().parse(ONTOLOGY / name, format="turtle")
    with_oxigraph = _via_oxigraph(ONTOLOGY / name)
    assert len(with_rdflib) > 100
    assert isomorphic(with_rdflib, with_oxigraph)


def test_package_resolves_the_same_folder() -> None:
    assert ontology_dir() == ONTOLOGY


def test_header(onto: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    assert onto.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    assert onto.value(ONTOLOGY_IRI, OWL.versionIRI) is not None
    titles = {t.language for t in onto.objects(ONTOLOGY_IRI, DCTERMS.title)}
    assert titles == {"en", "zh"}
    assert onto.value(ONTOLOGY_IRI, DCTERMS.license) is not None
    assert not list(onto.objects(ONTOLOGY_IRI, OWL.imports))


def _labels(g: Graph, term: URIRef) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for label in g.objects(term, RDFS.label):
        assert isinstance(label, Literal) and label.language, f"{term}: untagged label {label!r}"
        found.setdefault(label.language, []).append(str(label))
    return found


@pytest.mark.parametrize("name", ALL_CLASSES)
def test_class_declared_with_bilingual_labels(onto: Graph, name: str) -> None:
    term = AIKG[name]
    assert (term, RDF.type, OWL.Class) in onto
    labels = _labels(onto, term)
    assert set(labels) == {"en", "zh"} and all(len(v) == 1 for v in labels.values()), labels
    assert any(c.language == "en" for c in onto.objects(term, RDFS.comment))
    assert (term, RDFS.isDefinedBy, ONTOLOGY_IRI) in onto


@pytest.mark.parametrize("name", ALL_PROPERTIES)
def test_property_declared_with_bilingual_labels(onto: Graph, name: str) -> None:
    term = AIKG[name]
    kind = OWL.DatatypeProperty if name in DATATYPE_PROPERTIES else OWL.ObjectProperty
    assert (term, RDF.type, kind) in onto
    labels = _labels(onto, term)
    assert set(labels) == {"en", "zh"} and all(len(v) == 1 for v in labels.values()), labels
    assert any(c.language == "en" for c in onto.objects(term, RDFS.comment))
    assert onto.value(term, RDFS.domain) is not None
    assert onto.value(term, RDFS.range) is not None


def test_property_list_covers_vocab() -> None:
    assert set(RELATION_PROPERTIES) <= set(ALL_PROPERTIES)
    assert PROVENANCE_PROPERTY in ALL_PROPERTIES


def _class_set(g: Graph, node) -> set[str]:
    """Local names of a named class or of an owl:unionOf list."""
    if isinstance(node, URIRef):
        return {node[len(AIKG):]} if node.startswith(AIKG) else {node.n3()}
    union = g.value(node, OWL.unionOf)
    assert union is not None, "anonymous domain/range must be an owl:unionOf"
    assert (node, RDF.type, OWL.Class) in g
    return set().union(*(_class_set(g, member) for member in Collection(g, union)))


@pytest.mark.parametrize("name", sorted(RELATION_DOMAIN_RANGE))
def test_relation_domain_and_range_follow_the_contract(onto: Graph, name: str) -> None:
    domain, range_ = RELATION_DOMAIN_RANGE[name]
    assert _class_set(onto, onto.value(AIKG[name], RDFS.domain)) == domain
    assert _class_set(onto, onto.value(AIKG[name], RDFS.range)) == range_


@pytest.mark.parametrize("name", sorted(OTHER_OBJECT_PROPERTIES))
def test_other_object_property_ranges(onto: Graph, name: str) -> None:
    assert _class_set(onto, onto.value(AIKG[name], RDFS.range)) == OTHER_OBJECT_PROPERTIES[name]


@pytest.mark.parametrize("name", sorted(DATATYPE_PROPERTIES))
def test_datatype_property_ranges(onto: Graph, name: str) -> None:
    assert onto.value(AIKG[name], RDFS.range) == DATATYPE_PROPERTIES[name]


def test_symmetric_properties_match_vocab(onto: Graph) -> None:
    declared = {str(p)[len(AIKG):] for p in onto.subjects(RDF.type, OWL.SymmetricProperty)}
    assert declared == set(SYMMETRIC_PROPERTIES)


def test_company_is_an_organization_and_nothing_is_equivalent(onto: Graph) -> None:
    assert (AIKG.Company, RDFS.subClassOf, AIKG.Organization) in onto
    assert not list(onto.triples((None, OWL.equivalentClass, None)))


def test_mentioned_in_is_not_derivation(onto: Graph) -> None:
    # prov:wasDerivedFrom is reserved for statement → document; see the ontology comment.
    prov_derived = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
    assert (AIKG.mentionedIn, RDFS.subPropertyOf, prov_derived) not in onto
    assert (AIKG.mentionedIn, RDFS.range, AIKG.Document) in onto


def _aikg_terms(g: Graph) -> set[URIRef]:
    return {
        term
        for triple in g
        for term in triple
        if isinstance(term, URIRef) and term.startswith(str(AIKG)) and term != URIRef(str(AIKG))
    }


def test_every_used_term_is_declared(onto: Graph, shapes: Graph) -> None:
    declared = {
        s for s, o in onto.subject_objects(RDF.type)
        if isinstance(s, URIRef) and o in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    }
    assert {AIKG[n] for n in ALL_CLASSES + ALL_PROPERTIES} == declared
    assert _aikg_terms(onto) <= declared
    assert _aikg_terms(shapes) <= declared, sorted(_aikg_terms(shapes) - declared)


def test_shapes_are_well_formed_shacl(shapes: Graph) -> None:
    # meta_shacl validates the shapes graph against SHACL-SHACL first and
    # raises if it does not conform.
    conforms, _, text = shacl_validate(Graph(), shacl_graph=shapes, meta_shacl=True, inference="none")
    assert conforms, text


def test_statement_predicates_are_the_reified_properties(shapes: Graph) -> None:
    shape = URIRef("https://w3id.org/aikg/shapes#StatementPredicate")
    allowed = {str(t)[len(AIKG):] for t in Collection(shapes, shapes.value(shape, SH["in"]))}
    assert allowed == set(RELATION_PROPERTIES) | {PROVENANCE_PROPERTY}


def test_every_relation_has_a_shape(shapes: Graph) -> None:
    targeted = {str(p)[len(AIKG):] for p in shapes.objects(None, SH.targetSubjectsOf)}
    assert targeted == set(RELATION_PROPERTIES) | {PROVENANCE_PROPERTY}


def test_entity_shape_targets_every_entity_class(shapes: Graph) -> None:
    shape = URIRef("https://w3id.org/aikg/shapes#EntityShape")
    targets = {str(c)[len(AIKG):] for c in shapes.objects(shape, SH.targetClass)}
    assert targets == set(ALL_CLASSES) - {"Document", "BenchmarkResult", "Price"}


def test_shapes_use_no_sparql_or_inference_hooks(shapes: Graph) -> None:
    assert not list(shapes.triples((None, SH.sparql, None)))
    assert not list(shapes.triples((None, SH.target, None)))


def _expand(classes: set[str]) -> set[str]:
    # The contract's Organization covers its subclass Company.
    return classes | {"Company"} if "Organization" in classes else classes


@pytest.mark.parametrize("prop", sorted(RELATION_DOMAIN_RANGE))
def test_the_resolver_keeps_only_what_the_contract_allows(prop: str) -> None:
    # A relation whose ends the resolver accepts but the shapes refuse stops
    # the build (a university as a company's rival did, found by hypothesis).
    from kg.resolve.entities import RELATION_TYPES

    domain, range_ = RELATION_DOMAIN_RANGE[prop]
    subjects, objects = RELATION_TYPES[prop]
    assert subjects <= _expand(domain)
    assert objects <= _expand(range_)


def test_a_university_beside_a_company_is_no_rival(tmp_path: Path) -> None:
    from kg.build.pipeline import run_build

    doc = tmp_path / "in" / "00.md"
    doc.parent.mkdir()
    doc.write_text("生数科技对标生数科技清华大学", encoding="utf-8")
    report = run_build([doc.parent], tmp_path, tmp_path / "out", html=False)
    assert report.validation.conforms
