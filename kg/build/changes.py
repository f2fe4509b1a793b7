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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from kg.graph.statements import BuiltGraph, as_built
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
    return "".join(index_pieces(index)).encode("utf-8")


def index_pieces(index: BuildIndex) -> Iterator[str]:
    """``render_index``'s text in pieces, for writing without holding it all
    (120 MB at 10,000 documents)."""
    yield _HEADER
    for batch in _batches(sorted(index.entities.items())):
        yield "".join(f"E\t{iri}\t{cls}\t{_clean(label)}\n" for iri, (cls, label) in batch)
    for batch in _batches(sorted(index.statements.items())):
        yield "".join(f"S\t{iri}\t" + "\t".join(_clean(f) for f in fields) + "\n" for iri, fields in batch)


def _batches(items: list, size: int = 4096) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


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


def render_changes(previous: BuildIndex | None, current: BuildIndex) -> bytes:
    """``changes.json``: what ``current`` adds to and removes from ``previous``."""
    return "".join(changes_pieces(previous, current)).encode("utf-8")


#: The fields of a listed entity and statement, in the order they are written.
_ENTITY_FIELDS = ("iri", "class", "label")
_STATEMENT_FIELDS = ("iri", "subject", "predicate", "object", "document")


def changes_pieces(previous: BuildIndex | None, current: BuildIndex) -> Iterator[str]:
    """``render_changes``'s text in pieces: the very text of
    ``json.dumps(document, ensure_ascii=False, indent=1)``, written a batch
    of rows at a time. A first build lists the whole graph (600,000
    statements at 10,000 documents); json's indenting encoder is pure
    Python, and the document as dicts and one string took most of a gigabyte."""
    before = previous or BuildIndex({}, {})
    added_e = sorted(current.entities.keys() - before.entities.keys())
    removed_e = sorted(before.entities.keys() - current.entities.keys())
    added_s = sorted(current.statements.keys() - before.statements.keys())
    removed_s = sorted(before.statements.keys() - current.statements.keys())
    lists = [
        (added_e, lambda iri: (iri, *current.entities[iri]), _ENTITY_FIELDS),
        (removed_e, lambda iri: (iri, *before.entities[iri]), _ENTITY_FIELDS),
        (added_s, lambda iri: (iri, *current.statements[iri]), _STATEMENT_FIELDS),
        (removed_s, lambda iri: (iri, *before.statements[iri]), _STATEMENT_FIELDS),
    ]
    # The document's frame, each list standing in as a marker string (json
    # writes it "\u0000<n>"); besides them the frame holds only counts, so
    # each marker is found exactly where its list goes.
    marks = [f"\0{n}" for n in range(len(lists))]
    frame = {
        "previous_build": previous is not None,
        "summary": {
            "entities": {"added": len(added_e), "removed": len(removed_e), "total": len(current.entities)},
            "statements": {"added": len(added_s), "removed": len(removed_s), "total": len(current.statements)},
        },
        "entities": {"added": marks[0], "removed": marks[1]},
        "statements": {"added": marks[2], "removed": marks[3]},
    }
    text = json.dumps(frame, ensure_ascii=False, indent=1) + "\n"
    for mark, (iris, fields_of, names) in zip(marks, lists):
        head, text = text.split(json.dumps(mark), 1)
        yield head
        yield from _json_list(iris, fields_of, names)
    yield text


def unchanged_changes(entities: int, statements: int) -> bytes:
    """``changes.json`` of a build whose graph is the previous one, which
    held ``entities`` entities and ``statements`` statements: the text
    ``render_changes`` gives for two equal indexes, without either."""
    frame = {
        "previous_build": True,
        "summary": {
            "entities": {"added": 0, "removed": 0, "total": entities},
            "statements": {"added": 0, "removed": 0, "total": statements},
        },
        "entities": {"added": [], "removed": []},
        "statements": {"added": [], "removed": []},
    }
    return (json.dumps(frame, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# Each listed row sits at depth 3 of the document: what json.dumps(indent=1) gives there.
_ROW_OPEN, _ROW_KEY, _ROW_CLOSE, _LIST_CLOSE = "   {\n", "    ", "\n   }", "\n  ]"


def _json_list(iris: list[str], fields_of: Callable[[str], tuple[str, ...]], names: tuple[str, ...]) -> Iterator[str]:
    """A list of row objects as json.dumps(indent=1) writes it at depth 2."""
    if not iris:
        yield "[]"
        return
    keys = [_ROW_KEY + _json_string(name) + ": " for name in names]
    first = True
    for batch in _batches(iris):
        rows = []
        for iri in batch:
            values = fields_of(iri)
            rows.append(_ROW_OPEN + ",\n".join(k + _json_string(v) for k, v in zip(keys, values)) + _ROW_CLOSE)
        yield ("[\n" if first else ",\n") + ",\n".join(rows)
        first = False
    yield _LIST_CLOSE


# json's own string encoder (its C version where there is one): the same text json.dumps writes for a str.
_json_string = json.encoder.encode_basestring
