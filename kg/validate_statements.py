"""SHACL checks for the many statement nodes, compiled from ``shapes.ttl``.

Reified statements are nine in ten nodes of a large graph, and all alike;
pyshacl validates about 10,000 triples a second, which made validation the
slowest stage of a large build. ``StatementChecker`` reads the
``rdf:Statement`` node shape from the shapes graph and evaluates its
property shapes directly, in one pass over the statements. It supports the
constraint components that shape uses (min/maxCount, nodeKind, in, class,
datatype, minLength, min/maxInclusive, pattern, lessThan) and refuses to
compile a shape with any other, so a new constraint in ``shapes.ttl`` can
never be skipped silently. The violations it reports carry the shape's own
``sh:message``, as pyshacl's do.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from kg.statements import STATEMENT_PROPERTIES, LiteralMemo, StatementRow

#: Constraint parameters this checker evaluates; anything else is refused.
_SUPPORTED = frozenset({
    SH.path, SH.minCount, SH.maxCount, SH.nodeKind, SH["in"], SH["class"], SH.datatype, SH.minLength,
    SH.minInclusive, SH.maxInclusive, SH.pattern, SH.lessThan, SH.message, RDF.type, SH.name,
    SH.description,
})


class UnsupportedShape(ValueError):
    """The shape uses a constraint this checker does not evaluate."""


@dataclass(frozen=True)
class PropertyCheck:
    """One compiled property shape."""

    path: URIRef
    message: str
    min_count: int | None = None
    max_count: int | None = None
    node_kind_iri: bool = False
    allowed: frozenset[Node] | None = None
    cls: URIRef | None = None
    datatype: URIRef | None = None
    min_length: int | None = None
    min_inclusive: Decimal | None = None
    max_inclusive: Decimal | None = None
    pattern: re.Pattern[str] | None = None
    less_than: URIRef | None = None


def _int(value: Node | None) -> int | None:
    return int(value) if value is not None else None


def _dec(value: Node | None) -> Decimal | None:
    return Decimal(str(value)) if value is not None else None


def compile_property(shapes: Graph, prop: Node) -> PropertyCheck:
    """A property shape as a ``PropertyCheck``; ``UnsupportedShape`` for other constraints."""
    unknown = {p for p in shapes.predicates(prop) if p not in _SUPPORTED}
    if unknown:
        raise UnsupportedShape(f"{prop}: unsupported constraint(s) {sorted(map(str, unknown))}")
    path = shapes.value(prop, SH.path)
    if not isinstance(path, URIRef):
        raise UnsupportedShape(f"{prop}: only simple predicate paths are supported")
    messages = sorted(shapes.objects(prop, SH.message), key=lambda m: (getattr(m, "language", None) != "en", str(m)))
    in_list = shapes.value(prop, SH["in"])
    pattern = shapes.value(prop, SH.pattern)
    node_kind = shapes.value(prop, SH.nodeKind)
    if node_kind is not None and node_kind != SH.IRI:
        raise UnsupportedShape(f"{prop}: only sh:nodeKind sh:IRI is supported")
    return PropertyCheck(
        path=path,
        message=str(messages[0]) if messages else "constraint failed",
        min_count=_int(shapes.value(prop, SH.minCount)),
        max_count=_int(shapes.value(prop, SH.maxCount)),
        node_kind_iri=node_kind == SH.IRI,
        allowed=frozenset(Collection(shapes, in_list)) if in_list is not None else None,
        cls=shapes.value(prop, SH["class"]),
        datatype=shapes.value(prop, SH.datatype),
        min_length=_int(shapes.value(prop, SH.minLength)),
        min_inclusive=_dec(shapes.value(prop, SH.minInclusive)),
        max_inclusive=_dec(shapes.value(prop, SH.maxInclusive)),
        pattern=re.compile(str(pattern)) if pattern is not None else None,
        less_than=shapes.value(prop, SH.lessThan),
    )


def _number(value: Node) -> Decimal | None:
    if not isinstance(value, Literal):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _value_problem(check: PropertyCheck, value: Node, has_type) -> bool:
    """True when ``value`` breaks a value-type or value-range constraint of ``check``."""
    if check.node_kind_iri and not isinstance(value, URIRef):
        return True
    if check.allowed is not None and value not in check.allowed:
        return True
    if check.cls is not None and not has_type(value, check.cls):
        return True
    if check.datatype is not None:
        if not isinstance(value, Literal) or value.language is not None:
            return True
        if (value.datatype or XSD.string) != check.datatype or getattr(value, "ill_typed", False):
            return True
    if check.min_length is not None and (isinstance(value, BNode) or len(str(value)) < check.min_length):
        return True
    if check.min_inclusive is not None or check.max_inclusive is not None:
        number = _number(value)
        if number is None or (check.min_inclusive is not None and number < check.min_inclusive) \
                or (check.max_inclusive is not None and number > check.max_inclusive):
            return True
    if check.pattern is not None and (isinstance(value, BNode) or not check.pattern.search(str(value))):
        return True
    return False


class StatementChecker:
    """The ``sh:targetClass`` node shape for ``target``, compiled; checks nodes of one graph."""

    def __init__(self, shapes: Graph, target: URIRef = RDF.Statement):
        node_shapes = sorted(shapes.subjects(SH.targetClass, target))
        if len(node_shapes) != 1:
            raise UnsupportedShape(f"expected one node shape targeting {target}, found {len(node_shapes)}")
        self.shape = node_shapes[0]
        unknown = {p for p in shapes.predicates(self.shape) if p not in (RDF.type, SH.targetClass, SH.property)}
        if unknown:
            raise UnsupportedShape(f"{self.shape}: unsupported node constraint(s) {sorted(map(str, unknown))}")
        self.target = target
        self.checks = tuple(compile_property(shapes, p)
                            for p in sorted(shapes.objects(self.shape, SH.property)))

    def violations(self, data: Graph) -> list[tuple[Node, URIRef, str, Node | None]]:
        """(focus node, path, message, offending value or None) for every failed constraint."""
        found: list[tuple[Node, URIRef, str, Node | None]] = []
        has_type = lambda node, cls: (node, RDF.type, cls) in data  # noqa: E731
        for node in data.subjects(RDF.type, self.target):
            self._check(node, lambda path, node=node: list(data.objects(node, path)), has_type, found)
        return found

    def row_violations(self, rows: Iterable[StatementRow], types: Graph
                       ) -> list[tuple[Node, URIRef, str, Node | None]]:
        """``violations`` for statement rows; ``types`` answers ``sh:class`` checks."""
        if self.target != RDF.Statement:
            raise UnsupportedShape(f"statement rows are rdf:Statement nodes, not {self.target}")
        found: list[tuple[Node, URIRef, str, Node | None]] = []
        has_type = lambda node, cls: (node, RDF.type, cls) in types  # noqa: E731
        literals = LiteralMemo()
        for row in rows:
            values = dict(zip(STATEMENT_PROPERTIES, row.values(literals)))
            self._check(row.node, lambda path, values=values: [values[path]] if path in values else [],
                        has_type, found)
        return found

    def _check(self, node: Node, objects, has_type, found: list) -> None:
        values: dict[Node, list[Node]] = {}
        for check in self.checks:
            if check.path not in values:
                values[check.path] = objects(check.path)
            vs = values[check.path]
            if check.min_count is not None and len(vs) < check.min_count:
                found.append((node, check.path, check.message, None))
            if check.max_count is not None and len(vs) > check.max_count:
                found.append((node, check.path, check.message, None))
            for v in vs:
                if _value_problem(check, v, has_type):
                    found.append((node, check.path, check.message, v))
            if check.less_than is not None:
                if check.less_than not in values:
                    values[check.less_than] = objects(check.less_than)
                for v in vs:
                    for w in values[check.less_than]:
                        a, b = _number(v), _number(w)
                        if a is None or b is None or not a < b:
                            found.append((node, check.path, check.message, v))
