"""What changed since the previous build: entities and statements added and removed.

A build writes an index of what its graph holds (``.kg-index.tsv``, one
sorted line per entity and per statement) beside the graph files. The next
build into the same folder compares its own index with that one and writes
``changes.json``. Statements are the reified ``rdf:Statement`` nodes and the
BenchmarkResult / Price nodes: each is one fact read from one passage, so
removing a document removes exactly the statements read from it, and a fact
other documents also state keeps their statements.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from kg.statements import BuiltGraph, as_built
from kg.vocab import AIKG, ENTITY_CLASSES

INDEX_NAME = ".kg-index.tsv"
CHANGES_NAME = "changes.json"
_HEADER = "# kg build index v1: E<TAB>iri<TAB>class<TAB>label | S<TAB>iri<TAB>subject<TAB>predicate<TAB>object<TAB>document\n"


@dataclass(frozen=True)
class BuildIndex:
    """What one build's graph holds, by IRI: entity → (class, label); statement → fields."""

    entities: dict[str, tuple[str, str]]
    statements: dict[str, tuple[str, str, str, str]]


def _clean(value: str) -> str:
    return value.replace("\t", " ").replace("\n", " ").replace("\r", " ")


def graph_index(built: Graph | BuiltGraph) -> BuildIndex:
    """The entities and statements of a built graph."""
    built = as_built(built)
    graph = built.graph
    entities: dict[str, tuple[str, str]] = {}
    classes = {AIKG[c]: c for c in ENTITY_CLASSES}
    for s, cls in graph.subject_objects(RDF.type):
        if cls in classes and isinstance(s, URIRef):
            labels = sorted(str(label) for label in graph.objects(s, RDFS.label))
            entities[str(s)] = (classes[cls], labels[0] if labels else "")
    statements: dict[str, tuple[str, str, str, str]] = {}
    for node, doc in graph.subject_objects(PROV.wasDerivedFrom):
        if not isinstance(node, URIRef):
            continue
        if (node, RDF.type, RDF.Statement) in graph:
            fields = tuple(str(graph.value(node, p)) for p in (RDF.subject, RDF.predicate, RDF.object))
        elif (node, RDF.type, AIKG.BenchmarkResult) in graph:
            fields = (str(graph.value(node, AIKG.model)), str(AIKG.score), str(graph.value(node, AIKG.score)))
        elif (node, RDF.type, AIKG.Price) in graph:
            fields = (str(graph.value(node, AIKG.priceOf)), str(AIKG.amount), str(graph.value(node, AIKG.amount)))
        else:
            continue
        statements[str(node)] = (*fields, str(doc))  # type: ignore[assignment]
    for row in built.statements:
        statements[str(row.node)] = (str(row.subject), str(row.predicate), str(row.object), str(row.document))
    return BuildIndex(entities, statements)


def render_index(index: BuildIndex) -> bytes:
    """The index file's bytes: sorted, one line per entity and statement."""
    lines = [_HEADER]
    lines += [f"E\t{iri}\t{cls}\t{_clean(label)}\n" for iri, (cls, label) in sorted(index.entities.items())]
    lines += [f"S\t{iri}\t" + "\t".join(_clean(f) for f in fields) + "\n"
              for iri, fields in sorted(index.statements.items())]
    return "".join(lines).encode("utf-8")


def read_index(path: Path) -> BuildIndex | None:
    """The index a previous build left at ``path``; None when there is none (or it is unreadable)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if not text.startswith(_HEADER):
        return None
    entities: dict[str, tuple[str, str]] = {}
    statements: dict[str, tuple[str, str, str, str]] = {}
    for line in text[len(_HEADER):].splitlines():
        parts = line.split("\t")
        if parts[0] == "E" and len(parts) == 4:
            entities[parts[1]] = (parts[2], parts[3])
        elif parts[0] == "S" and len(parts) == 6:
            statements[parts[1]] = (parts[2], parts[3], parts[4], parts[5])
    return BuildIndex(entities, statements)


def _entity_rows(iris: Iterable[str], index: BuildIndex) -> list[dict[str, str]]:
    return [{"iri": iri, "class": index.entities[iri][0], "label": index.entities[iri][1]} for iri in sorted(iris)]


def _statement_rows(iris: Iterable[str], index: BuildIndex) -> list[dict[str, str]]:
    out = []
    for iri in sorted(iris):
        s, p, o, doc = index.statements[iri]
        out.append({"iri": iri, "subject": s, "predicate": p, "object": o, "document": doc})
    return out


def render_changes(previous: BuildIndex | None, current: BuildIndex) -> bytes:
    """``changes.json``: what ``current`` adds to and removes from ``previous``."""
    before = previous or BuildIndex({}, {})
    added_e = current.entities.keys() - before.entities.keys()
    removed_e = before.entities.keys() - current.entities.keys()
    added_s = current.statements.keys() - before.statements.keys()
    removed_s = before.statements.keys() - current.statements.keys()
    doc = {
        "previous_build": previous is not None,
        "summary": {
            "entities": {"added": len(added_e), "removed": len(removed_e), "total": len(current.entities)},
            "statements": {"added": len(added_s), "removed": len(removed_s), "total": len(current.statements)},
        },
        "entities": {"added": _entity_rows(added_e, current), "removed": _entity_rows(removed_e, before)},
        "statements": {"added": _statement_rows(added_s, current), "removed": _statement_rows(removed_s, before)},
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
