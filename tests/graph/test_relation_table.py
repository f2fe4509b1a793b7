"""The relation table in kg.vocab is the one statement of each relation's
domain and range: the ontology, the SHACL shapes and resolution agree with it,
and the vocabulary is closed."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Namespace
from rdflib.collection import Collection

from kg.resolve.entities import RELATION_TYPES
from kg.vocab import AIKG, DATA_PROPERTIES, PROVENANCE_PROPERTY, RELATION_PROPERTIES, RELATIONS, SYMMETRIC_PROPERTIES

ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology"
SH = Namespace("http://www.w3.org/ns/shacl#")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY / "aikg.ttl")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY / "shapes.ttl")


def _classes(g: Graph, node) -> set[str]:
    """A class, or an owl:unionOf of classes, as local names; Organization
    stands for Company and Organization (Company ⊑ Organization)."""
    union = g.value(node, OWL.unionOf)
    members = list(Collection(g, union)) if union is not None else [node]
    names = {str(m).rsplit("#", 1)[-1] for m in members}
    return names | {"Company"} if "Organization" in names else names


@pytest.mark.parametrize("name", RELATION_PROPERTIES)
def test_the_ontology_states_the_tables_domain_and_range(ontology, name):
    relation = RELATIONS[name]
    prop = AIKG[name]
    assert (prop, RDF.type, OWL.ObjectProperty) in ontology
    assert _classes(ontology, ontology.value(prop, RDFS.domain)) == set(relation.domain)
    assert _classes(ontology, ontology.value(prop, RDFS.range)) == set(relation.range)
    assert ((prop, RDF.type, OWL.SymmetricProperty) in ontology) == relation.symmetric


def _shape_classes(g: Graph, node) -> set[str]:
    """The classes a shape's sh:class or sh:or of sh:class admits."""
    direct = g.value(node, SH["class"])
    if direct is not None:
        return {str(direct).rsplit("#", 1)[-1]}
    alternatives = g.value(node, SH["or"])
    assert alternatives is not None, f"no sh:class or sh:or on {node}"
    return {str(g.value(alt, SH["class"])).rsplit("#", 1)[-1] for alt in Collection(g, alternatives)}


@pytest.mark.parametrize("name", RELATION_PROPERTIES)
def test_the_shapes_check_the_tables_domain_and_range(shapes, name):
    relation = RELATIONS[name]
    (shape,) = shapes.subjects(SH.targetSubjectsOf, AIKG[name])
    assert _shape_classes(shapes, shape) == set(relation.domain)
    (prop_shape,) = [p for p in shapes.objects(shape, SH.property) if shapes.value(p, SH.path) == AIKG[name]]
    assert _shape_classes(shapes, prop_shape) == set(relation.range)


def test_the_statement_shape_lists_every_relation(shapes):
    (lists,) = [o for s, o in shapes.subject_objects(SH["in"]) if AIKG.developedBy in list(Collection(shapes, o))]
    listed = [str(t).rsplit("#", 1)[-1] for t in Collection(shapes, lists)]
    assert listed == list(RELATION_PROPERTIES) + [PROVENANCE_PROPERTY]


def test_resolution_reads_the_table():
    assert RELATION_TYPES == {name: (r.domain, r.range) for name, r in RELATIONS.items()}
    assert SYMMETRIC_PROPERTIES == {"integratesWith", "competesWith"}


def test_every_vocabulary_term_is_declared_in_the_ontology(ontology):
    declared = {str(s).rsplit("#", 1)[-1] for s in ontology.subjects() if str(s).startswith(str(AIKG))}
    for term in RELATION_PROPERTIES + (PROVENANCE_PROPERTY,) + DATA_PROPERTIES:
        assert term in declared, term


def test_the_vocabulary_is_closed():
    assert str(AIKG.hasFeature).endswith("#hasFeature")
    with pytest.raises((KeyError, AttributeError)):
        AIKG["Modle"]
    with pytest.raises((KeyError, AttributeError)):
        AIKG.hasFeatures
