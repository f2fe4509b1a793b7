"""SHACL validation: a hand-built valid graph conforms, broken ones fail by name."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Namespace, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from kg.validate.shapes import (
    ShapeViolationError,
    ValidationReport,
    Violation,
    default_shapes_path,
    load_shapes,
    reification_violations,
    validate_graph,
    validate_or_raise,
)
from kg.vocab import AIKG, AIKG_ID, RELATION_PROPERTIES, document_iri, entity_iri, hashed_iri

from kg.namespaces import AIKG_NS  # noqa: E402

#: Terms in our namespace that the vocabulary does not declare, as foreign
#: data could hold them (the closed ``AIKG`` refuses to make them).
OUTSIDE = Namespace(AIKG_NS)

AIKG_SHAPES = __import__("rdflib").Namespace("https://w3id.org/aikg/shapes#")

REPO = Path(__file__).resolve().parents[2]

DOC = document_iri("001_dbb4ad8a9bd4544b")
TEXT = "OpenAI 发布 o3。Sam Altman 说 o3 在 Codeforces 上得分 2727。ChatGPT Pro 每月 200 美元。"

OPENAI = entity_iri("Company", "OpenAI")
O3 = entity_iri("Model", "o3")
ALTMAN = entity_iri("Person", "Sam Altman")
CODEFORCES = entity_iri("Benchmark", "Codeforces")
CHATGPT_PRO = entity_iri("Product", "ChatGPT Pro")
RESULT = hashed_iri("result", "o3", "Codeforces", "2727")
PRICE = hashed_iri("price", "ChatGPT Pro", "200", "USD")


def _dec(value: str) -> Literal:
    return Literal(value, datatype=XSD.decimal)


def _int(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def _evidence(g: Graph, node: URIRef, needle: str) -> None:
    """Provenance of a statement/quantity node: the first occurrence of ``needle``."""
    start = TEXT.index(needle)
    g.add((node, PROV.wasDerivedFrom, DOC))
    g.add((node, AIKG.evidence, Literal(needle)))
    g.add((node, AIKG.startOffset, _int(start)))
    g.add((node, AIKG.endOffset, _int(start + len(needle))))


def _fact(g: Graph, s: URIRef, p: URIRef, o: URIRef, needle: str) -> URIRef:
    """A plain triple plus its reified statement; returns the statement node."""
    g.add((s, p, o))
    st = hashed_iri("st", s, p, o, DOC, needle)
    g.add((st, RDF.type, RDF.Statement))
    g.add((st, RDF.subject, s))
    g.add((st, RDF.predicate, p))
    g.add((st, RDF.object, o))
    _evidence(g, st, needle)
    g.add((st, AIKG.confidence, _dec("0.9")))
    g.add((st, AIKG.extractor, Literal("lexicon@0.1.0")))
    return st


def _entity(g: Graph, node: URIRef, cls: str, labels: dict[str, str], needle: str) -> None:
    g.add((node, RDF.type, AIKG[cls]))
    for lang, label in labels.items():
        g.add((node, RDFS.label, Literal(label, lang=lang)))
    _fact(g, node, AIKG.mentionedIn, DOC, needle)


def valid_graph() -> Graph:
    """Small graph that follows the contract in every respect."""
    g = Graph()
    g.add((DOC, RDF.type, AIKG.Document))
    g.add((DOC, AIKG.path, Literal("seeds/001_dbb4ad8a9bd4544b.txt")))
    g.add((DOC, AIKG.sha256, Literal("a" * 64)))
    g.add((DOC, DCTERMS.title, Literal("o3 发布", lang="zh")))
    g.add((DOC, DCTERMS.date, Literal("2024-12-20", datatype=XSD.date)))

    _entity(g, OPENAI, "Company", {"en": "OpenAI", "zh": "OpenAI"}, "OpenAI")
    _entity(g, O3, "Model", {"en": "o3"}, "o3")
    g.add((O3, SKOS.altLabel, Literal("o3 模型")))
    _entity(g, ALTMAN, "Person", {"en": "Sam Altman", "zh": "萨姆·奥尔特曼"}, "Sam Altman")
    _entity(g, CODEFORCES, "Benchmark", {"en": "Codeforces"}, "Codeforces")
    _entity(g, CHATGPT_PRO, "Product", {"en": "ChatGPT Pro"}, "ChatGPT Pro")

    _fact(g, O3, AIKG.developedBy, OPENAI, "OpenAI 发布 o3")
    _fact(g, ALTMAN, AIKG.worksFor, OPENAI, "OpenAI 发布 o3。Sam Altman")

    g.add((RESULT, RDF.type, AIKG.BenchmarkResult))
    g.add((RESULT, AIKG.model, O3))
    g.add((RESULT, AIKG.benchmark, CODEFORCES))
    g.add((RESULT, AIKG.score, _dec("2727")))
    g.add((RESULT, AIKG.unit, Literal("elo")))
    _evidence(g, RESULT, "o3 在 Codeforces 上得分 2727")

    g.add((PRICE, RDF.type, AIKG.Price))
    g.add((PRICE, AIKG.priceOf, CHATGPT_PRO))
    g.add((PRICE, AIKG.amount, _dec("200")))
    g.add((PRICE, AIKG.currency, Literal("USD")))
    g.add((PRICE, AIKG.unit, Literal("month")))
    _evidence(g, PRICE, "ChatGPT Pro 每月 200 美元")
    return g


def _statement(g: Graph, s: URIRef, p: URIRef, o: URIRef) -> URIRef:
    return next(st for st in g.subjects(RDF.subject, s) if (st, RDF.predicate, p) in g and (st, RDF.object, o) in g)


# --------------------------------------------------------------------------- #


def test_shapes_file_is_found_in_the_source_tree() -> None:
    assert default_shapes_path() == REPO / "ontology" / "shapes.ttl"
    shapes = load_shapes()
    assert len(shapes) > 100


def test_valid_graph_conforms() -> None:
    report = validate_graph(valid_graph())
    assert report.conforms, report.summary()
    assert report.violations == ()
    assert "conforms" in report.summary()


def test_explicit_shapes_path_is_used(tmp_path: Path) -> None:
    # A shapes file demanding something the graph lacks proves the argument is honoured.
    custom = tmp_path / "shapes.ttl"
    custom.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix aikg: <https://w3id.org/aikg/ns#> .\n"
        "[] a sh:NodeShape ; sh:targetClass aikg:Model ;\n"
        "   sh:property [ sh:path aikg:nickname ; sh:minCount 1 ; sh:message \"needs a nickname\" ] .\n",
        encoding="utf-8",
    )
    report = validate_graph(valid_graph(), shapes_path=custom)
    assert not report.conforms
    assert [(v.focus_node, v.message) for v in report.violations] == [(str(O3), "needs a nickname")]


def test_validation_does_not_touch_the_input() -> None:
    g = valid_graph()
    g.remove((O3, RDFS.label, None))  # make it fail, so results are produced
    before = set(g)
    validate_graph(g)
    assert set(g) == before


def _drop_labels(g: Graph) -> URIRef:
    g.remove((O3, RDFS.label, None))
    return O3


def _untagged_label(g: Graph) -> URIRef:
    g.remove((O3, RDFS.label, None))
    g.add((O3, RDFS.label, Literal("o3")))
    return O3


def _french_label(g: Graph) -> URIRef:
    g.add((CODEFORCES, RDFS.label, Literal("Codeforces", lang="fr")))
    return CODEFORCES


def _two_english_labels(g: Graph) -> URIRef:
    g.add((ALTMAN, RDFS.label, Literal("Samuel Altman", lang="en")))
    return ALTMAN


def _no_mention(g: Graph) -> URIRef:
    st = _statement(g, CODEFORCES, AIKG.mentionedIn, DOC)
    g.remove((st, None, None))
    g.remove((CODEFORCES, AIKG.mentionedIn, None))
    return CODEFORCES


def _two_entity_classes(g: Graph) -> URIRef:
    g.add((O3, RDF.type, AIKG.Product))
    return O3


def _evidence_missing(g: Graph) -> URIRef:
    st = _statement(g, O3, AIKG.developedBy, OPENAI)
    g.remove((st, AIKG.evidence, None))
    return st


def _confidence_too_high(g: Graph) -> URIRef:
    st = _statement(g, O3, AIKG.developedBy, OPENAI)
    g.set((st, AIKG.confidence, _dec("1.5")))
    return st


def _confidence_as_double(g: Graph) -> URIRef:
    st = _statement(g, O3, AIKG.developedBy, OPENAI)
    g.set((st, AIKG.confidence, Literal(0.5)))  # xsd:double, not xsd:decimal
    return st


def _offsets_reversed(g: Graph) -> URIRef:
    st = _statement(g, ALTMAN, AIKG.worksFor, OPENAI)
    g.set((st, AIKG.startOffset, _int(99)))
    return st


def _negative_offset(g: Graph) -> URIRef:
    st = _statement(g, ALTMAN, AIKG.worksFor, OPENAI)
    g.set((st, AIKG.startOffset, _int(-1)))
    return st


def _two_sources(g: Graph) -> URIRef:
    st = _statement(g, ALTMAN, AIKG.worksFor, OPENAI)
    other = document_iri("other")
    g.add((other, RDF.type, AIKG.Document))
    g.add((other, AIKG.path, Literal("seeds/other.txt")))
    g.add((other, AIKG.sha256, Literal("b" * 64)))
    g.add((st, PROV.wasDerivedFrom, other))
    return st


def _bad_extractor(g: Graph) -> URIRef:
    st = _statement(g, ALTMAN, AIKG.worksFor, OPENAI)
    g.set((st, AIKG.extractor, Literal("rules")))
    return st


def _unknown_predicate(g: Graph) -> URIRef:
    st = _statement(g, ALTMAN, AIKG.worksFor, OPENAI)
    g.set((st, RDF.predicate, OUTSIDE.likes))
    return st


def _currency_lower_case(g: Graph) -> URIRef:
    g.set((PRICE, AIKG.currency, Literal("usd")))
    return PRICE


def _negative_amount(g: Graph) -> URIRef:
    g.set((PRICE, AIKG.amount, _dec("-5")))
    return PRICE


def _price_without_source(g: Graph) -> URIRef:
    g.remove((PRICE, PROV.wasDerivedFrom, None))
    return PRICE


def _score_as_string(g: Graph) -> URIRef:
    g.set((RESULT, AIKG.score, Literal("2727")))
    return RESULT


def _result_benchmark_is_a_model(g: Graph) -> URIRef:
    g.set((RESULT, AIKG.benchmark, O3))
    return RESULT


def _works_for_a_model(g: Graph) -> URIRef:
    _fact(g, ALTMAN, AIKG.worksFor, O3, "Sam Altman")
    return ALTMAN


def _developed_by_a_person(g: Graph) -> URIRef:
    _fact(g, O3, AIKG.developedBy, ALTMAN, "Sam Altman")
    return O3


def _mentioned_in_a_model(g: Graph) -> URIRef:
    _fact(g, ALTMAN, AIKG.mentionedIn, O3, "Sam Altman")
    return ALTMAN


def _price_mentioned_in(g: Graph) -> URIRef:
    g.add((PRICE, AIKG.mentionedIn, DOC))
    return PRICE


def _bad_sha256(g: Graph) -> URIRef:
    g.set((DOC, AIKG.sha256, Literal("ABC")))
    return DOC


def _date_as_plain_string(g: Graph) -> URIRef:
    g.set((DOC, DCTERMS.date, Literal("2024-12-20")))
    return DOC


def _document_without_path(g: Graph) -> URIRef:
    g.remove((DOC, AIKG.path, None))
    return DOC


def _triple_without_statement(g: Graph) -> URIRef:
    g.add((O3, AIKG.successorOf, entity_iri("Model", "o1")))
    o1 = entity_iri("Model", "o1")
    _entity(g, o1, "Model", {"en": "o1"}, "o3")
    return O3


def _statement_without_triple(g: Graph) -> URIRef:
    st = _statement(g, ALTMAN, AIKG.worksFor, OPENAI)
    g.remove((ALTMAN, AIKG.worksFor, OPENAI))
    return st


BROKEN = {
    "missing label": (_drop_labels, "no rdfs:label"),
    "label without language": (_untagged_label, "tagged @en or @zh"),
    "label in another language": (_french_label, "tagged @en or @zh"),
    "two English labels": (_two_english_labels, "one preferred label per language"),
    "no mentionedIn": (_no_mention, "no aikg:mentionedIn"),
    "two entity classes": (_two_entity_classes, "exactly one entity class"),
    "statement evidence missing": (_evidence_missing, "aikg:evidence"),
    "confidence 1.5": (_confidence_too_high, "[0, 1]"),
    "confidence as double": (_confidence_as_double, "xsd:decimal"),
    "start after end": (_offsets_reversed, "less than aikg:endOffset"),
    "negative offset": (_negative_offset, ">= 0"),
    "statement with two sources": (_two_sources, "exactly one prov:wasDerivedFrom"),
    "extractor without version": (_bad_extractor, "name@version"),
    "unknown predicate": (_unknown_predicate, "rdf:predicate"),
    "currency usd": (_currency_lower_case, "ISO 4217"),
    "negative amount": (_negative_amount, ">= 0"),
    "price without source": (_price_without_source, "prov:wasDerivedFrom"),
    "score as string": (_score_as_string, "aikg:score"),
    "benchmark is a model": (_result_benchmark_is_a_model, "aikg:benchmark, a Benchmark"),
    "worksFor a Model": (_works_for_a_model, "worksFor must point to a Company or Organization"),
    "developedBy a Person": (_developed_by_a_person, "developedBy must point to"),
    "mentionedIn not a Document": (_mentioned_in_a_model, "aikg:Document"),
    "mentionedIn on a non-entity": (_price_mentioned_in, "subject of aikg:mentionedIn must be an entity"),
    "sha256 not hex": (_bad_sha256, "aikg:sha256"),
    "date without datatype": (_date_as_plain_string, "dcterms:date"),
    "document without path": (_document_without_path, "aikg:path"),
    "triple without statement": (_triple_without_statement, "no reified rdf:Statement"),
    "statement without triple": (_statement_without_triple, "not asserted"),
}


@pytest.mark.parametrize("breakage", sorted(BROKEN))
def test_broken_graph_fails_and_names_the_node(breakage: str) -> None:
    g = valid_graph()
    mutate, expected_message = BROKEN[breakage]
    offender = mutate(g)
    report = validate_graph(g)
    assert not report.conforms
    assert str(offender) in report.offending_nodes()
    summary = report.summary()
    assert f"<{offender}>" in summary
    assert any(
        v.focus_node == str(offender) and expected_message in v.message for v in report.violations
    ), summary
    assert "does not conform" in summary


def test_works_for_a_model_names_the_value_and_path() -> None:
    g = valid_graph()
    _works_for_a_model(g)
    report = validate_graph(g)
    [violation] = [v for v in report.violations if v.path == str(AIKG.worksFor)]
    assert violation.focus_node == str(ALTMAN)
    assert violation.value == O3.n3()
    assert violation.severity == "Violation"
    assert "aikg:worksFor" in report.summary()
    # The value is shown compacted with the project's prefixes (whichever they are).
    assert re.search(r"\(value [\w:/-]*o3\)", report.summary()), report.summary()


def test_summary_compacts_literal_datatypes() -> None:
    g = valid_graph()
    _confidence_too_high(g)
    assert '(value "1.5"^^xsd:decimal)' in validate_graph(g).summary()


# Contract table: subject class → object class that conform, then a wrong
# subject class and a wrong object class for each property.
RELATIONS = {
    "developedBy": ("Feature", "Organization", "Person", "Person"),
    "hasFeature": ("Product", "Feature", "Feature", "Model"),
    "successorOf": ("Model", "Model", "Company", "Feature"),
    "variantOf": ("Product", "Product", "Feature", "Event"),
    "integratesWith": ("Model", "Product", "Person", "Company"),
    "basedOn": ("Feature", "Model", "Model", "Product"),
    "worksFor": ("Person", "Organization", "Company", "Model"),
    "announcedAt": ("Product", "Event", "Person", "Benchmark"),
    "partOf": ("Event", "Event", "Product", "Model"),
    "competesWith": ("Company", "Company", "Person", "Person"),
}


def test_relation_table_covers_the_vocabulary() -> None:
    assert set(RELATIONS) == set(RELATION_PROPERTIES)


def _pair_graph(prop: str, subject_cls: str, object_cls: str) -> tuple[Graph, URIRef, URIRef]:
    g = valid_graph()
    s = entity_iri(subject_cls, "subject thing")
    o = entity_iri(object_cls, "object thing")
    if s == o:  # Company and Organization share an IRI segment
        o = entity_iri(object_cls, "object thing 2")
    _entity(g, s, subject_cls, {"en": "subject"}, "o3")
    _entity(g, o, object_cls, {"en": "object"}, "o3")
    _fact(g, s, AIKG[prop], o, "o3")
    return g, s, o


@pytest.mark.parametrize("prop", sorted(RELATIONS))
def test_relation_with_contract_classes_conforms(prop: str) -> None:
    subject_cls, object_cls, _, _ = RELATIONS[prop]
    g, _, _ = _pair_graph(prop, subject_cls, object_cls)
    report = validate_graph(g)
    assert report.conforms, report.summary()


@pytest.mark.parametrize("prop", sorted(RELATIONS))
def test_relation_with_wrong_object_fails(prop: str) -> None:
    subject_cls, _, _, wrong = RELATIONS[prop]
    g, s, _ = _pair_graph(prop, subject_cls, wrong)
    report = validate_graph(g)
    assert not report.conforms
    assert any(v.focus_node == str(s) and v.path == str(AIKG[prop]) for v in report.violations)


@pytest.mark.parametrize("prop", sorted(RELATIONS))
def test_relation_with_wrong_subject_fails(prop: str) -> None:
    _, object_cls, wrong, _ = RELATIONS[prop]
    g, s, _ = _pair_graph(prop, wrong, object_cls)
    report = validate_graph(g)
    assert not report.conforms
    assert any(
        v.focus_node == str(s) and v.path is None and f"subject of aikg:{prop}" in v.message
        for v in report.violations
    )


def test_validate_or_raise_carries_the_report() -> None:
    g = valid_graph()
    _currency_lower_case(g)
    with pytest.raises(ShapeViolationError) as caught:
        validate_or_raise(g)
    assert isinstance(caught.value.report, ValidationReport)
    assert str(PRICE) in str(caught.value)
    assert validate_or_raise(valid_graph()).conforms


def test_summary_is_limited_and_sorted() -> None:
    g = valid_graph()
    for node in (O3, ALTMAN, CODEFORCES, CHATGPT_PRO, OPENAI):
        g.remove((node, RDFS.label, None))
    report = validate_graph(g)
    assert len(report.violations) == 5
    assert list(report.violations) == sorted(report.violations, key=lambda v: v.focus_node)
    summary = report.summary(limit=2)
    assert summary.count("\n- ") == 2
    assert "3 more" in summary


def test_reification_check_alone() -> None:
    assert reification_violations(valid_graph()) == ()
    g = valid_graph()
    g.remove((O3, AIKG.developedBy, OPENAI))
    [v] = reification_violations(g)
    assert isinstance(v, Violation)
    assert v.focus_node.startswith(str(AIKG_ID))
    assert re.search(r"\S*o3 aikg:developedBy \S*openai$", v.message), v.message


def _break(graph, how: str):
    from rdflib import Literal
    from rdflib.namespace import PROV, RDF, XSD

    from kg.vocab import AIKG

    g = graph.__class__()
    for t in graph:
        g.add(t)
    st = sorted(g.subjects(RDF.type, RDF.Statement))[7]
    if how == "confidence out of range":
        g.set((st, AIKG.confidence, Literal("1.5", datatype=XSD.decimal)))
    elif how == "no extractor":
        g.remove((st, AIKG.extractor, None))
    elif how == "bad extractor":
        g.set((st, AIKG.extractor, Literal("no version")))
    elif how == "empty span":
        g.set((st, AIKG.endOffset, g.value(st, AIKG.startOffset)))
    elif how == "two subjects":
        g.add((st, RDF.subject, OUTSIDE.Other))
    elif how == "literal object":
        g.set((st, RDF.object, Literal("x")))
    elif how == "predicate outside the contract":
        g.set((st, RDF.predicate, OUTSIDE.likes))
    elif how == "source not a document":
        g.set((st, PROV.wasDerivedFrom, OUTSIDE.Nowhere))
    elif how == "negative offset":
        g.set((st, AIKG.startOffset, Literal(-1, datatype=XSD.integer)))
    elif how == "evidence with a language tag":
        g.set((st, AIKG.evidence, Literal("text", lang="en")))
    return g


@pytest.mark.parametrize("how", [
    "confidence out of range", "no extractor", "bad extractor", "empty span", "two subjects", "literal object",
    "predicate outside the contract", "source not a document", "negative offset", "evidence with a language tag",
])
def test_native_statement_check_reports_what_pyshacl_reports(seed_graph, how):
    broken = _break(seed_graph, how)
    by_pyshacl = validate_graph(broken, native=False)
    native = validate_graph(broken, native=True)
    assert not by_pyshacl.conforms and not native.conforms
    assert native.violations == by_pyshacl.violations


def test_native_statement_check_passes_the_seed_graph(seed_graph):
    assert validate_graph(seed_graph, native=True).conforms


def test_native_check_refuses_a_shape_it_cannot_evaluate():
    from rdflib import Literal
    from rdflib.namespace import RDF, SH

    from kg.validate.native import ShapesChecker, UnsupportedShape

    shapes = load_shapes()
    prop = sorted(shapes.objects(sorted(shapes.subjects(SH.targetClass, RDF.Statement))[0], SH.property))[0]
    shapes.add((prop, SH.maxLength, Literal(5)))
    with pytest.raises(UnsupportedShape, match="maxLength"):
        ShapesChecker(shapes)


def test_the_project_shapes_compile_whole():
    """Else the native path would quietly be pyshacl and the comparisons below vacuous."""
    from rdflib.namespace import SH

    from kg.validate.native import ShapesChecker

    shapes = load_shapes()
    checker = ShapesChecker(shapes)
    targeted = set(shapes.subjects(SH.targetClass, None)) | set(shapes.subjects(SH.targetSubjectsOf, None))
    assert {check.shape for check in checker.checks} == targeted
    assert sum(len(check.properties) for check in checker.checks) == sum(
        1 for shape in targeted for _ in shapes.objects(shape, SH.property))


def test_native_check_refuses_a_shape_without_its_own_message():
    from rdflib.namespace import SH

    from kg.validate.native import ShapesChecker, UnsupportedShape

    shapes = load_shapes()
    shapes.remove((AIKG_SHAPES.LabelRequired, SH.message, None))
    with pytest.raises(UnsupportedShape, match="sh:message"):
        ShapesChecker(shapes)


def test_shapes_the_compiler_refuses_still_validate_by_pyshacl(tmp_path):
    """A user's shapes with a constraint the compiler lacks are not skipped."""
    from rdflib import Literal
    from rdflib.namespace import SH

    shapes = load_shapes()
    shapes.add((AIKG_SHAPES.LabelRequired, SH.maxLength, Literal(1)))
    path = tmp_path / "shapes.ttl"
    shapes.serialize(path, format="turtle")
    report = validate_graph(valid_graph(), shapes_path=path, native=True)
    assert not report.conforms
    assert str(O3) in report.offending_nodes()


@pytest.mark.parametrize("breakage", sorted(BROKEN))
def test_native_check_reports_what_pyshacl_reports(breakage: str) -> None:
    g = valid_graph()
    BROKEN[breakage][0](g)
    by_pyshacl = validate_graph(g, native=False)
    native = validate_graph(g, native=True)
    assert not native.conforms
    assert native.violations == by_pyshacl.violations


@pytest.mark.parametrize("prop", sorted(RELATIONS))
@pytest.mark.parametrize("end", ["subject", "object"])
def test_native_relation_checks_report_what_pyshacl_reports(prop: str, end: str) -> None:
    subject_cls, object_cls, wrong_subject, wrong_object = RELATIONS[prop]
    if end == "subject":
        g, _, _ = _pair_graph(prop, wrong_subject, object_cls)
    else:
        g, _, _ = _pair_graph(prop, subject_cls, wrong_object)
    by_pyshacl = validate_graph(g, native=False)
    native = validate_graph(g, native=True)
    assert not native.conforms
    assert native.violations == by_pyshacl.violations


def test_native_check_follows_subclasses_in_the_data():
    """sh:class and sh:targetClass see rdfs:subClassOf in the data, as pyshacl does."""
    g = valid_graph()
    frontier = OUTSIDE.FrontierModel
    g.add((frontier, RDFS.subClassOf, AIKG.Model))
    g.remove((O3, RDF.type, AIKG.Model))
    g.add((O3, RDF.type, frontier))
    by_pyshacl = validate_graph(g, native=False)
    native = validate_graph(g, native=True)
    assert native.violations == by_pyshacl.violations
    assert not native.conforms  # o3 is no longer one of the eight entity classes
