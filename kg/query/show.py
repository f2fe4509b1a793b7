"""One entity as a person asks about it: ``kg show NAME``.

The entity is found by any of its labels or aliases, in either language
(names compared as the gold scoring compares them: NFKC, case-folded,
spaces, hyphens and dots ignored). Everything comes from SPARQL over the
graph, so ``kg show`` sees exactly what a query would.
"""
from __future__ import annotations

import difflib
import json
from dataclasses import asdict, dataclass, field

from kg.query.engine import run_query
from kg.rdf_syntax import Term

_NAMES = """
SELECT ?e ?name WHERE {
  ?e a ?cls ; rdfs:label|skos:altLabel ?name .
  FILTER(?cls IN (aikg:Model, aikg:Product, aikg:Feature, aikg:Person, aikg:Company, aikg:Organization,
                  aikg:Event, aikg:Benchmark))
}"""
_ABOUT = """
SELECT ?cls ?label ?alt WHERE {
  <%(e)s> a ?cls .
  OPTIONAL { <%(e)s> rdfs:label ?label }
  OPTIONAL { <%(e)s> skos:altLabel ?alt }
}"""
_SOURCES = """
SELECT ?path ?title WHERE {
  <%(e)s> aikg:mentionedIn ?doc .
  ?doc aikg:path ?path . OPTIONAL { ?doc dcterms:title ?title }
}"""
_STATEMENTS = """
SELECT ?direction ?p ?other ?otherLabel ?evidence ?path ?start ?end ?confidence ?extractor WHERE {
  { ?st rdf:subject <%(e)s> ; rdf:object ?other . BIND("out" AS ?direction) }
  UNION
  { ?st rdf:object <%(e)s> ; rdf:subject ?other . BIND("in" AS ?direction) }
  ?st rdf:predicate ?p ; aikg:evidence ?evidence ; aikg:startOffset ?start ; aikg:endOffset ?end ;
      aikg:confidence ?confidence ; aikg:extractor ?extractor ; prov:wasDerivedFrom ?doc .
  ?doc aikg:path ?path .
  FILTER(?p != aikg:mentionedIn)
  OPTIONAL { ?other rdfs:label ?otherLabel FILTER(lang(?otherLabel) = "en") }
}"""
_QUANTITIES = """
SELECT ?kind ?what ?value ?unit ?currency ?evidence ?path ?start ?end WHERE {
  { ?q aikg:model <%(e)s> ; aikg:benchmark ?b ; aikg:score ?value . ?b rdfs:label ?what .
    OPTIONAL { ?q aikg:unit ?unit } BIND("score" AS ?kind) }
  UNION
  { ?q aikg:priceOf <%(e)s> ; aikg:amount ?value ; aikg:currency ?currency .
    OPTIONAL { ?q aikg:unit ?unit } BIND("price" AS ?kind) BIND("" AS ?what) }
  ?q aikg:evidence ?evidence ; aikg:startOffset ?start ; aikg:endOffset ?end ; prov:wasDerivedFrom ?doc .
  ?doc aikg:path ?path .
}"""


@dataclass(frozen=True)
class Passage:
    """Where a fact was read: the passage, its document and offsets."""

    evidence: str
    path: str
    start: int
    end: int


@dataclass(frozen=True)
class Statement:
    """A relation of the entity, in or out, with one passage that supports it."""

    direction: str  # "out": the entity is the subject; "in": the object
    property: str
    other: str  # the other entity's IRI
    other_label: str
    confidence: str
    extractor: str
    passage: Passage


@dataclass(frozen=True)
class Figure:
    """A benchmark score or a price reported for the entity."""

    kind: str  # "score" or "price"
    what: str  # the benchmark ("" for a price)
    value: str
    unit: str
    currency: str
    passage: Passage


@dataclass(frozen=True)
class EntityView:
    """Everything the graph says about one entity."""

    iri: str
    classes: list[str]
    labels: list[str]
    aliases: list[str]
    sources: list[str]
    statements: list[Statement] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


class NotFound(LookupError):
    """No entity has that name; ``suggestions`` are the closest labels."""

    def __init__(self, name: str, suggestions: list[str]):
        self.name, self.suggestions = name, suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no entity is named {name!r}{hint}")


def _key(name: str) -> str:
    from kg.lexicon import normalize_name

    return normalize_name(name)


def _text(term: Term | None) -> str:
    if term is None:
        return ""
    if term.lang:
        return f"{term.value}@{term.lang}"
    return term.value


def _local(term: Term) -> str:
    return term.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def find_entities(source, name: str) -> list[str]:
    """IRIs of the entities with ``name`` as a label or alias; raises ``NotFound``."""
    rows = run_query(_NAMES, source).rows
    wanted = _key(name)
    found = sorted({row[0].value for row in rows if _key(row[1].value) == wanted})
    if found:
        return found
    labels = sorted({row[1].value for row in rows})
    by_key: dict[str, str] = {}
    for label in labels:
        by_key.setdefault(_key(label), label)
    close = difflib.get_close_matches(wanted, list(by_key), n=5, cutoff=0.6)
    raise NotFound(name, [by_key[k] for k in close])


def describe(source, iri: str) -> EntityView:
    """What the graph says about the entity ``iri``."""
    about = run_query(_ABOUT % {"e": iri}, source).rows
    classes = sorted({_local(r[0]) for r in about if r[0].value.startswith("https://w3id.org/aikg/ns#")})
    labels = sorted({_text(r[1]) for r in about if r[1] is not None})
    aliases = sorted({r[2].value for r in about if r[2] is not None})
    sources = sorted({r[0].value for r in run_query(_SOURCES % {"e": iri}, source).rows})
    statements = [
        Statement(r[0].value, _local(r[1]), r[2].value, r[3].value if r[3] else _local(r[2]), r[8].value, r[9].value,
                  Passage(r[4].value, r[5].value, int(r[6].value), int(r[7].value)))
        for r in run_query(_STATEMENTS % {"e": iri}, source).rows
    ]
    statements.sort(key=lambda s: (s.direction != "out", s.property, s.other_label, s.passage.path, s.passage.start))
    figures = [
        Figure(r[0].value, r[1].value if r[1] else "", r[2].value, r[3].value if r[3] else "",
               r[4].value if r[4] else "", Passage(r[5].value, r[6].value, int(r[7].value), int(r[8].value)))
        for r in run_query(_QUANTITIES % {"e": iri}, source).rows
    ]
    figures.sort(key=lambda f: (f.kind, f.what, f.passage.path, f.passage.start))
    return EntityView(iri, classes, labels, aliases, sources, statements, figures)


def to_json(views: list[EntityView]) -> str:
    """The views as JSON, for scripts."""
    return json.dumps([asdict(v) for v in views], ensure_ascii=False, indent=1) + "\n"


def to_text(views: list[EntityView]) -> str:
    """The views as a person reads them."""
    out: list[str] = []
    for v in views:
        out.append(f"{' / '.join(v.labels) or v.iri}  ({', '.join(v.classes)})")
        out.append(f"  iri: {v.iri}")
        if v.aliases:
            out.append(f"  also: {', '.join(v.aliases)}")
        out.append(f"  sources ({len(v.sources)}): {', '.join(v.sources)}")
        if v.statements:
            out.append(f"  relations ({len(v.statements)} passages):")
            for s in v.statements:
                arrow = f"{s.property} → {s.other_label}" if s.direction == "out" else f"← {s.property} {s.other_label}"
                p = s.passage
                out.append(f"    {arrow}   [{p.path} {p.start}-{p.end}, {s.confidence}, {s.extractor}]")
                out.append(f"      “{_one_line(p.evidence)}”")
        if v.figures:
            out.append("  scores and prices:")
            for f in v.figures:
                what = f"{f.what}: {f.value} {f.unit}" if f.kind == "score" else f"{f.value} {f.currency} / {f.unit}"
                p = f.passage
                out.append(f"    {f.kind} {what.strip()}   [{p.path} {p.start}-{p.end}]")
                out.append(f"      “{_one_line(p.evidence)}”")
        out.append("")
    return "\n".join(out)


def _one_line(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
