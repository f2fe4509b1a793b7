"""SHACL Core shapes compiled to Python checks, for graphs too large for pyshacl.

pyshacl is slow on large graphs: on a 1,000-document build it was a third
of the build. ``ShapesChecker`` reads every
node shape that has a target from the shapes graph, compiles it once, and
evaluates it over indexes built in one pass per predicate, reading
``rdf:Statement`` rows (``kg.graph.statements``) without turning them into RDF.

It evaluates the constraint components ``ontology/shapes.ttl`` uses, with
pyshacl's semantics and messages (each result carries its shape's
``sh:message``, the offending value where pyshacl gives one):

- targets: ``sh:targetClass`` (instances of subclasses included, from
  ``rdfs:subClassOf`` in the data), ``sh:targetSubjectsOf``;
- value type and range: ``sh:class``, ``sh:datatype``, ``sh:nodeKind``,
  ``sh:in``, ``sh:minLength``, ``sh:pattern``, ``sh:languageIn``,
  ``sh:minInclusive``, ``sh:maxInclusive``, ``sh:or`` of such shapes;
- on property shapes (simple predicate paths only): ``sh:minCount``,
  ``sh:maxCount``, ``sh:uniqueLang``, ``sh:lessThan``,
  ``sh:qualifiedValueShape`` with ``sh:qualifiedMinCount`` / ``MaxCount``.

Anything else in a shape (another path form, ``sh:node``, SPARQL
constraints, a shape with no ``sh:message``...) raises ``UnsupportedShape``
when compiling, so a new constraint can never be skipped silently; the
caller then falls back to pyshacl. ``tests/validate/test_shapes.py`` checks that
both report the same results on every kind of broken graph it builds.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from kg.graph.statements import ROW_FIELDS, STATEMENT_PROPERTIES, BuiltGraph, LiteralMemo, literal_key, row_term

#: (focus node, path or None, message, offending value or None, severity name)
Result = tuple[Node, "URIRef | None", str, "Node | None", str]

_VALUE_PARAMS = frozenset({
    SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.minLength, SH.pattern, SH.languageIn,
    SH.minInclusive, SH.maxInclusive, SH["or"],
})
_PROPERTY_PARAMS = frozenset({
    SH.path, SH.minCount, SH.maxCount, SH.uniqueLang, SH.lessThan, SH.qualifiedValueShape,
    SH.qualifiedMinCount, SH.qualifiedMaxCount,
})
_TARGET_PARAMS = frozenset({SH.targetClass, SH.targetSubjectsOf})
#: Read for the result (message, severity) or not at all.
_ANNOTATIONS = frozenset({RDF.type, SH.message, SH.severity, SH.name, SH.description, RDFS.comment, RDFS.label})
_SEVERITY_NAMES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_NODE_KINDS = {
    SH.IRI: (URIRef,), SH.Literal: (Literal,), SH.BlankNode: (BNode,),
    SH.BlankNodeOrIRI: (BNode, URIRef), SH.BlankNodeOrLiteral: (BNode, Literal), SH.IRIOrLiteral: (URIRef, Literal),
}
#: What a literal's Python value must be for ``sh:datatype`` to hold, as pyshacl checks it.
_DATATYPE_VALUES = {
    XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: (int,), XSD.float: (float,),
    XSD.decimal: (Decimal,), XSD.boolean: (bool,), XSD.date: (date,), XSD.time: (time,), XSD.dateTime: (datetime,),
}
_STATEMENT_INDEX = {prop: i for i, prop in enumerate(STATEMENT_PROPERTIES)}


class UnsupportedShape(ValueError):
    """The shapes use something this checker does not evaluate."""


@dataclass(frozen=True)
class ValueCheck:
    """The constraints of one shape that each value node must meet on its own."""

    kinds: tuple[type, ...] | None = None
    allowed: frozenset[Node] | None = None
    classes: tuple[URIRef, ...] = ()
    datatype: URIRef | None = None
    min_length: int | None = None
    pattern: re.Pattern[str] | None = None
    languages: frozenset[str] | None = None
    min_inclusive: Literal | None = None
    max_inclusive: Literal | None = None
    any_of: tuple[ValueCheck, ...] | None = None


@dataclass(frozen=True)
class PropertyCheck:
    """One compiled property shape."""

    path: URIRef
    message: str
    severity: str
    values: ValueCheck | None = None
    min_count: int | None = None
    max_count: int | None = None
    unique_lang: bool = False
    less_than: tuple[URIRef, ...] = ()
    qualified: ValueCheck | None = None
    qualified_min: int | None = None
    qualified_max: int | None = None


@dataclass(frozen=True)
class NodeCheck:
    """One compiled node shape with targets."""

    shape: Node
    target_classes: tuple[URIRef, ...]
    target_subjects_of: tuple[URIRef, ...]
    properties: tuple[PropertyCheck, ...]
    values: ValueCheck | None = None  # node-level constraints, checked on the focus node itself
    message: str = ""
    severity: str = "Violation"


# ---------------------------------------------------------------------------
# Compiling
# ---------------------------------------------------------------------------

def _one(shapes: Graph, shape: Node, param: URIRef) -> Node | None:
    values = list(shapes.objects(shape, param))
    if len(values) > 1 and param != SH["class"]:
        raise UnsupportedShape(f"{shape}: more than one {param}")
    return values[0] if values else None


def _int(shapes: Graph, shape: Node, param: URIRef) -> int | None:
    value = _one(shapes, shape, param)
    return int(value) if value is not None else None


def _message(shapes: Graph, shape: Node) -> str:
    messages = sorted(shapes.objects(shape, SH.message), key=lambda m: (getattr(m, "language", None) != "en", str(m)))
    if not messages:
        # pyshacl would write a generated text; only the shape's own can be reproduced.
        raise UnsupportedShape(f"{shape}: a shape that reports results needs an sh:message")
    return str(messages[0])


def _severity(shapes: Graph, shape: Node) -> str:
    severity = _one(shapes, shape, SH.severity)
    return "Violation" if severity is None else _SEVERITY_NAMES.get(severity, str(severity))


def _refuse_unknown(shapes: Graph, shape: Node, allowed: frozenset) -> None:
    unknown = {p for p in shapes.predicates(shape) if p not in allowed and p not in _ANNOTATIONS}
    if unknown:
        raise UnsupportedShape(f"{shape}: unsupported constraint(s) {sorted(map(str, unknown))}")


def compile_values(shapes: Graph, shape: Node) -> ValueCheck | None:
    """The value-node constraints of ``shape`` (None when it has none)."""
    if not any(p in _VALUE_PARAMS for p in shapes.predicates(shape)):
        return None
    kind = _one(shapes, shape, SH.nodeKind)
    if kind is not None and kind not in _NODE_KINDS:
        raise UnsupportedShape(f"{shape}: unknown sh:nodeKind {kind}")
    in_list = _one(shapes, shape, SH["in"])
    languages = _one(shapes, shape, SH.languageIn)
    alternatives = _one(shapes, shape, SH["or"])
    pattern = _one(shapes, shape, SH.pattern)
    datatype = _one(shapes, shape, SH.datatype)
    if datatype is not None and datatype not in _DATATYPE_VALUES:
        raise UnsupportedShape(f"{shape}: sh:datatype {datatype} is not one this checker knows")
    return ValueCheck(
        kinds=_NODE_KINDS[kind] if kind is not None else None,
        allowed=frozenset(Collection(shapes, in_list)) if in_list is not None else None,
        classes=tuple(sorted(shapes.objects(shape, SH["class"]))),
        datatype=datatype,
        min_length=_int(shapes, shape, SH.minLength),
        pattern=re.compile(str(pattern)) if pattern is not None else None,
        languages=(frozenset(str(lang).lower() for lang in Collection(shapes, languages))
                   if languages is not None else None),
        min_inclusive=_one(shapes, shape, SH.minInclusive),
        max_inclusive=_one(shapes, shape, SH.maxInclusive),
        any_of=(tuple(_compile_member(shapes, member) for member in Collection(shapes, alternatives))
                if alternatives is not None else None),
    )


def _compile_member(shapes: Graph, shape: Node) -> ValueCheck:
    """A shape used inside ``sh:or`` or as ``sh:qualifiedValueShape``: value constraints only."""
    _refuse_unknown(shapes, shape, _VALUE_PARAMS)
    return compile_values(shapes, shape) or ValueCheck()


def compile_property(shapes: Graph, prop: Node) -> PropertyCheck:
    """A property shape as a ``PropertyCheck``; ``UnsupportedShape`` for what it cannot evaluate."""
    _refuse_unknown(shapes, prop, _VALUE_PARAMS | _PROPERTY_PARAMS)
    path = _one(shapes, prop, SH.path)
    if not isinstance(path, URIRef):
        raise UnsupportedShape(f"{prop}: only simple predicate paths are supported")
    qualified = _one(shapes, prop, SH.qualifiedValueShape)
    unique_lang = _one(shapes, prop, SH.uniqueLang)
    return PropertyCheck(
        path=path,
        message=_message(shapes, prop),
        severity=_severity(shapes, prop),
        values=compile_values(shapes, prop),
        min_count=_int(shapes, prop, SH.minCount),
        max_count=_int(shapes, prop, SH.maxCount),
        unique_lang=unique_lang is not None and bool(unique_lang.toPython()),
        less_than=tuple(sorted(shapes.objects(prop, SH.lessThan))),
        qualified=_compile_member(shapes, qualified) if qualified is not None else None,
        qualified_min=_int(shapes, prop, SH.qualifiedMinCount),
        qualified_max=_int(shapes, prop, SH.qualifiedMaxCount),
    )


def compile_node_shape(shapes: Graph, shape: Node) -> NodeCheck:
    """A node shape with targets as a ``NodeCheck``."""
    _refuse_unknown(shapes, shape, _VALUE_PARAMS | _TARGET_PARAMS | {SH.property})
    values = compile_values(shapes, shape)
    return NodeCheck(
        shape=shape,
        target_classes=tuple(sorted(shapes.objects(shape, SH.targetClass))),
        target_subjects_of=tuple(sorted(shapes.objects(shape, SH.targetSubjectsOf))),
        properties=tuple(compile_property(shapes, p) for p in sorted(shapes.objects(shape, SH.property))),
        values=values,
        message=_message(shapes, shape) if values is not None else "",
        severity=_severity(shapes, shape),
    )


# ---------------------------------------------------------------------------
# The data, indexed
# ---------------------------------------------------------------------------

class _Data:
    """Lookups over a ``BuiltGraph``: objects by predicate and subject, classes of a node."""

    def __init__(self, built: BuiltGraph, predicates: Iterable[URIRef]):
        graph = built.graph
        self.rows = built.statements
        self.by_path: dict[URIRef, dict[Node, list[Node]]] = {}
        for p in set(predicates) | {RDF.type}:
            index: dict[Node, list[Node]] = defaultdict(list)
            for s, o in graph.subject_objects(p):
                index[s].append(o)
            self.by_path[p] = dict(index)
        self.types = self.by_path[RDF.type]
        self.supers = _superclasses(graph)
        self._row_nodes: frozenset[Node] | None = None

    def objects(self, node: Node, path: URIRef) -> list[Node]:
        return self.by_path[path].get(node, [])

    def is_instance(self, node: Node, cls: URIRef) -> bool:
        """``node rdf:type/rdfs:subClassOf* cls`` in the data (statement rows included)."""
        for t in self.types.get(node, ()):
            if t == cls or cls in self.supers.get(t, ()):
                return True
        if self.rows and (cls == RDF.Statement or cls in self.supers.get(RDF.Statement, ())):
            if self._row_nodes is None:
                self._row_nodes = frozenset(row.node for row in self.rows)
            return node in self._row_nodes
        return False

    def instances(self, cls: URIRef) -> Iterator[Node]:
        """Graph nodes typed ``cls`` or one of its subclasses (rows not included)."""
        wanted = {cls} | {sub for sub, sups in self.supers.items() if cls in sups}
        for node, types in self.types.items():
            if any(t in wanted for t in types):
                yield node

    def rows_are(self, cls: URIRef) -> bool:
        """Whether statement rows are instances of ``cls``."""
        return cls == RDF.Statement or cls in self.supers.get(RDF.Statement, ())


def _superclasses(graph: Graph) -> dict[Node, frozenset[Node]]:
    """Each class with a ``rdfs:subClassOf`` triple → all its superclasses."""
    direct: dict[Node, set[Node]] = defaultdict(set)
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        direct[sub].add(sup)
    closure: dict[Node, frozenset[Node]] = {}
    for start in direct:
        seen: set[Node] = set()
        stack = list(direct[start])
        while stack:
            c = stack.pop()
            if c not in seen:
                seen.add(c)
                stack.extend(direct.get(c, ()))
        closure[start] = frozenset(seen)
    return closure


# ---------------------------------------------------------------------------
# Evaluating
# ---------------------------------------------------------------------------

def _compare(value: Node, bound: Literal) -> int | None:
    """-1, 0 or 1 for ``value`` against a numeric or date bound; None when not comparable."""
    if not isinstance(value, Literal):
        return None
    a, b = value.value, bound.value
    if a is None or isinstance(a, (str, bytes)) != isinstance(b, (str, bytes)):
        return None
    try:
        return -1 if a < b else (1 if a > b else 0)
    except TypeError:
        return None


def conforms(check: ValueCheck, value: Node, data: _Data) -> bool:
    """Whether ``value`` meets every constraint of ``check`` on its own."""
    if check.kinds is not None and not isinstance(value, check.kinds):
        return False
    if check.allowed is not None and value not in check.allowed:
        return False
    for cls in check.classes:
        if not data.is_instance(value, cls):
            return False
    if check.datatype is not None and not _has_datatype(value, check.datatype):
        return False
    if check.min_length is not None and (isinstance(value, BNode) or len(str(value)) < check.min_length):
        return False
    if check.pattern is not None and (isinstance(value, BNode) or not check.pattern.search(str(value))):
        return False
    if check.languages is not None and not _language_in(value, check.languages):
        return False
    if check.min_inclusive is not None:
        order = _compare(value, check.min_inclusive)
        if order is None or order < 0:
            return False
    if check.max_inclusive is not None:
        order = _compare(value, check.max_inclusive)
        if order is None or order > 0:
            return False
    if check.any_of is not None and not any(conforms(member, value, data) for member in check.any_of):
        return False
    return True


def _has_datatype(value: Node, datatype: URIRef) -> bool:
    if not isinstance(value, Literal):
        return False
    if value.datatype == datatype:
        if getattr(value, "ill_typed", None) is True:
            return False
    elif not ((value.datatype is None and value.language is None and datatype == XSD.string)
              or (datatype == RDF.langString and value.language)):
        return False
    return isinstance(value.value, _DATATYPE_VALUES[datatype])


def _language_in(value: Node, languages: frozenset[str]) -> bool:
    if not isinstance(value, Literal) or not value.language:
        return False
    lang = value.language.lower()
    return "*" in languages or lang in languages or lang.split("-")[0] in languages


def _less_than(a: Node, b: Node) -> bool:
    """``a < b`` as pyshacl's sh:lessThan compares: strings with strings, values with values."""
    a_str, b_str = _as_string(a), _as_string(b)
    if (a_str is None) != (b_str is None):
        return False
    if a_str is not None:
        return a_str < b_str
    try:
        return bool(a.value < b.value)  # type: ignore[union-attr]
    except (TypeError, AttributeError):
        return False


def _as_string(term: Node) -> str | None:
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, Literal) and isinstance(term.value, str):
        return term.value
    return None


def _check_property(prop: PropertyCheck, node: Node, values: list[Node], objects, data: _Data,
                    found: list[Result]) -> None:
    path, message, severity = prop.path, prop.message, prop.severity
    if prop.min_count is not None and len(values) < prop.min_count:
        found.append((node, path, message, None, severity))
    if prop.max_count is not None and len(values) > prop.max_count:
        found.append((node, path, message, None, severity))
    if prop.values is not None:
        for v in values:
            if not conforms(prop.values, v, data):
                found.append((node, path, message, v, severity))
    if prop.unique_lang:
        langs = [v.language.lower() for v in values if isinstance(v, Literal) and v.language]
        if len(set(langs)) < len(langs):
            found.append((node, path, message, None, severity))
    for other in prop.less_than:
        bounds = objects(other)
        for v in values:
            if any(not _less_than(v, w) for w in bounds):
                found.append((node, path, message, v, severity))
    if prop.qualified is not None:
        count = sum(1 for v in values if conforms(prop.qualified, v, data))
        if prop.qualified_max is not None and count > prop.qualified_max:
            found.append((node, path, message, None, severity))
        if prop.qualified_min is not None and count < prop.qualified_min:
            found.append((node, path, message, None, severity))


_MEMO_LIMIT = 200_000
#: Row values that key the memo as they are: strings and IRIs (equal means
#: the same text) and ints (not bools; Decimals differ: 0.8 == 0.80).
_SELF_KEYED = frozenset({str, int, URIRef})


def _check_row_property(prop: PropertyCheck, rows, data: _Data, literals: LiteralMemo,
                        found: list[Result]) -> None:
    """``_check_property`` for every statement row at once."""
    path, message, severity = prop.path, prop.message, prop.severity
    index = _STATEMENT_INDEX.get(path)
    count = 0 if index is None else 1
    for bound, broken in ((prop.min_count, lambda n: n < prop.min_count),
                          (prop.max_count, lambda n: n > prop.max_count)):
        if bound is not None and broken(count):
            found.extend((row.node, path, message, None, severity) for row in rows)
    if prop.qualified is not None and index is None:
        if (prop.qualified_min or 0) > 0:
            found.extend((row.node, path, message, None, severity) for row in rows)
        return
    if index is None:
        return  # no values: nothing else can fail (sh:lessThan compares value by value)
    seen: dict[object, tuple[Node, bool, bool]] = {}
    bounds = [(_STATEMENT_INDEX[other], ROW_FIELDS[_STATEMENT_INDEX[other]]) for other in prop.less_than
              if other in _STATEMENT_INDEX]
    field = ROW_FIELDS[index]
    for row in rows:
        raw = getattr(row, field) if field is not None else RDF.Statement
        # A value of one of these types makes one literal or IRI, and equal
        # values make the same one: its own key, without literal_key's tuple.
        key = raw if type(raw) in _SELF_KEYED else literal_key(raw)
        known = seen.get(key)
        if known is None:
            if len(seen) > _MEMO_LIMIT:
                seen.clear()  # evidence is mostly unique: keep the memo bounded
            term = row_term(index, raw, literals)
            known = seen[key] = (
                term,
                prop.values is None or conforms(prop.values, term, data),
                prop.qualified is not None and conforms(prop.qualified, term, data),
            )
        term, value_ok, qualified_ok = known
        if not value_ok:
            found.append((row.node, path, message, term, severity))
        if prop.qualified is not None:
            n = 1 if qualified_ok else 0
            if (prop.qualified_max is not None and n > prop.qualified_max) or \
                    (prop.qualified_min is not None and n < prop.qualified_min):
                found.append((row.node, path, message, None, severity))
        for other, other_field in bounds:
            other_raw = getattr(row, other_field) if other_field else RDF.Statement
            if type(raw) is int and type(other_raw) is int:
                ok = raw < other_raw  # two xsd:integer literals (the offsets) compare as their values
            else:
                ok = _less_than(term, row_term(other, other_raw, literals))
            if not ok:
                found.append((row.node, path, message, term, severity))


class ShapesChecker:
    """Every targeted node shape of a shapes graph, compiled; validates a ``BuiltGraph``."""

    def __init__(self, shapes: Graph):
        targeted = {s for p in _TARGET_PARAMS for s in shapes.subjects(p, None)}
        for other in (SH.targetNode, SH.targetObjectsOf, SH.target):
            if any(True for _ in shapes.subject_objects(other)):
                raise UnsupportedShape(f"unsupported target kind {other}")
        for shape in targeted:
            if (shape, SH.path, None) in shapes:
                raise UnsupportedShape(f"{shape}: a property shape with its own target")
        self.checks = tuple(compile_node_shape(shapes, s) for s in sorted(targeted))

    def predicates(self) -> set[URIRef]:
        """Every predicate the checks read."""
        found = {RDF.type}
        for check in self.checks:
            found.update(check.target_subjects_of)
            for prop in check.properties:
                found.add(prop.path)
                found.update(prop.less_than)
        return found

    def violations(self, built: BuiltGraph) -> list[Result]:
        """Every result, in no particular order (duplicates possible, as from pyshacl)."""
        data = _Data(built, self.predicates())
        found: list[Result] = []
        for check in self.checks:
            graph_nodes: dict[Node, None] = {}
            for cls in check.target_classes:
                graph_nodes.update(dict.fromkeys(data.instances(cls)))
            for p in check.target_subjects_of:
                graph_nodes.update(dict.fromkeys(data.by_path[p]))
            for node in graph_nodes:
                self._check_node(check, node, lambda path, node=node: data.objects(node, path), data, found)
            if built.statements and (any(data.rows_are(c) for c in check.target_classes)
                                     or any(p in _STATEMENT_INDEX for p in check.target_subjects_of)):
                self._check_rows(check, built, data, found)
        return found

    def _check_rows(self, check: NodeCheck, built: BuiltGraph, data: _Data, found: list[Result]) -> None:
        # A row's node has no triples in the graph (BuiltGraph's invariant),
        # so its values are the row's own: one per row property, none for
        # any other path. Checked a property at a time, each distinct Python
        # value once: rows repeat offsets, confidences, extractors and IRIs.
        rows = built.statements
        if check.values is not None:
            for row in rows:
                if not conforms(check.values, row.node, data):
                    found.append((row.node, None, check.message, row.node, check.severity))
        literals = LiteralMemo()
        for prop in check.properties:
            _check_row_property(prop, rows, data, literals, found)

    @staticmethod
    def _check_node(check: NodeCheck, node: Node, objects, data: _Data, found: list[Result]) -> None:
        if check.values is not None and not conforms(check.values, node, data):
            found.append((node, None, check.message, node, check.severity))
        for prop in check.properties:
            _check_property(prop, node, objects(prop.path), objects, data, found)


__all__ = [
    "NodeCheck",
    "PropertyCheck",
    "ShapesChecker",
    "UnsupportedShape",
    "ValueCheck",
    "compile_node_shape",
    "compile_property",
    "compile_values",
    "conforms",
]
