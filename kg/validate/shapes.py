"""Check a built graph against the contract's SHACL shapes.

``validate_graph`` runs pyshacl with the shapes in ``ontology/shapes.ttl`` and
no inference, then adds the one contract rule SHACL Core cannot express
cheaply: every relation or ``mentionedIn`` triple is asserted both plainly and
as a reified ``rdf:Statement``. The result is a frozen ``ValidationReport``
whose ``summary()`` names the offending nodes.

Where the shapes file is found: ``ontology/`` sits next to the ``kg/``
package in the source tree (``<root>/kg/validate.py`` →
``<root>/ontology/shapes.ttl``). A plain checkout and ``pip install -e .``
both import ``kg`` from that tree, so resolving against this module's own
``__file__`` finds it with no packaging step and no dependence on the working
directory. A regular (non-editable) wheel would need the ``.ttl`` files
shipped inside the package as ``kg/ontology/``; that location is tried first,
so such a build works without code changes. ``shapes_path`` overrides both.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kg.graph.statements import BuiltGraph, as_built
from kg.validate.native import ShapesChecker, UnsupportedShape
from kg.vocab import AIKG, PREFIXES, PROVENANCE_PROPERTY, RELATION_PROPERTIES

SHAPES_FILE = "shapes.ttl"
ONTOLOGY_FILE = "aikg.ttl"

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the kg package
#: Candidate folders for the ontology files, most specific first.
_ONTOLOGY_DIRS = (_PACKAGE_DIR / "ontology", _PACKAGE_DIR.parent / "ontology")

_SEVERITY_NAMES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_REIFIED_PREDICATES = frozenset(AIKG[name] for name in RELATION_PROPERTIES + (PROVENANCE_PROPERTY,))


@dataclass(frozen=True)
class Violation:
    """One failed check: which node, along which property, and why."""

    focus_node: str  # IRI, or "_:id" for a blank node
    path: str | None  # property IRI; None for a check on the node itself
    message: str
    severity: str  # "Violation", "Warning" or "Info"
    value: str | None = None  # the offending value, in N-Triples form, when there is one


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating a graph; ``violations`` are sorted."""

    conforms: bool
    violations: tuple[Violation, ...]

    def offending_nodes(self) -> tuple[str, ...]:
        """Distinct focus nodes with at least one violation, sorted."""
        return tuple(sorted({v.focus_node for v in self.violations}))

    def summary(self, limit: int = 20) -> str:
        """Human-readable account: counts, then up to ``limit`` violations."""
        if self.conforms and not self.violations:
            return "graph conforms to the SHACL shapes"
        nodes = self.offending_nodes()
        head = (
            f"graph {'conforms, with notes' if self.conforms else 'does not conform'}: "
            f"{len(self.violations)} result(s) on {len(nodes)} node(s)"
        )
        lines = [head]
        for v in self.violations[:limit]:
            where = f" {_compact(v.path)}" if v.path else ""
            value = f" (value {_compact_value(v.value)})" if v.value else ""
            node = v.focus_node if v.focus_node.startswith("_:") else f"<{v.focus_node}>"
            lines.append(f"- [{v.severity}] {node}{where}: {v.message}{value}")
        hidden = len(self.violations) - limit
        if hidden > 0:
            lines.append(f"… and {hidden} more")
        return "\n".join(lines)


class ShapeViolationError(Exception):
    """Raised when a built graph does not conform; carries the report."""

    def __init__(self, report: ValidationReport) -> None:
        super().__init__(report.summary())
        self.report = report


def ontology_dir() -> Path:
    """Folder holding ``aikg.ttl`` and ``shapes.ttl`` (see the module docstring)."""
    for folder in _ONTOLOGY_DIRS:
        if (folder / SHAPES_FILE).is_file():
            return folder
    tried = ", ".join(str(folder) for folder in _ONTOLOGY_DIRS)
    raise FileNotFoundError(f"no {SHAPES_FILE} found; looked in {tried}")


def default_shapes_path() -> Path:
    """Path of the project's SHACL shapes file."""
    return ontology_dir() / SHAPES_FILE


def load_shapes(shapes_path: Path | None = None) -> Graph:
    """Parse the SHACL shapes (the project's own unless ``shapes_path`` is given)."""
    path = shapes_path if shapes_path is not None else default_shapes_path()
    return Graph().parse(path, format="turtle")


#: Above this many triples the shapes are evaluated by
#: ``validate_native.ShapesChecker`` instead of pyshacl (same shapes, same results).
NATIVE_CHECK_ABOVE = 20_000


def validate_graph(data: Graph | BuiltGraph, shapes_path: Path | None = None,
                   native: bool | None = None) -> ValidationReport:
    """Validate ``data`` against the SHACL shapes, without inference.

    ``data`` is not modified. Besides the shapes, checks that reified
    statements and plain relation/``mentionedIn`` triples match one to one
    (each triple has a statement, each statement's triple is asserted).
    With ``native`` (default: when the graph has more than
    ``NATIVE_CHECK_ABOVE`` triples), the shapes are compiled to Python and
    evaluated in linear passes (statement rows included, without turning
    them into RDF nodes); shapes that use a constraint the compiler does not
    know go to pyshacl, as every graph does without ``native``.
    """
    built = as_built(data)
    shapes = load_shapes(shapes_path)
    if native is None:
        native = len(built) > NATIVE_CHECK_ABOVE
    checker = _compiled(shapes) if native else None
    if checker is not None:
        shape_results = tuple(
            Violation(focus_node=_node_str(node), path=str(path) if path is not None else None, message=message,
                      severity=severity, value=value.n3() if value is not None else None)
            for node, path, message, value, severity in checker.violations(built))
        return _report(shape_results + reification_violations(built))
    return _report(_pyshacl_violations(built, shapes) + reification_violations(built))


def _compiled(shapes: Graph) -> ShapesChecker | None:
    try:
        return ShapesChecker(shapes)
    except UnsupportedShape:
        return None


def _report(violations: tuple[Violation, ...]) -> ValidationReport:
    # pyshacl's own verdict is the same rule: warnings and infos still conform.
    violations = tuple(sorted(set(violations), key=_sort_key))
    failed = any(v.severity == "Violation" for v in violations)
    return ValidationReport(conforms=not failed, violations=violations)


def _pyshacl_violations(built: BuiltGraph, shapes: Graph) -> tuple[Violation, ...]:
    """The shapes' results for ``built``, by pyshacl on the materialised graph."""
    shacl_data = built.to_rdflib()
    if not shacl_data.store.context_aware:
        # pyshacl wraps the data graph in a Dataset, which needs a store
        # with contexts; the build's graphs use SimpleMemory, which has none.
        copy = Graph()
        for triple in shacl_data:
            copy.add(triple)
        shacl_data = copy
    # Imported here: large graphs never reach pyshacl, and importing it
    # (with rdflib's SPARQL engine) would slow every run's start.
    from pyshacl import validate as shacl_validate

    # inplace=False and no inference: pyshacl only reads the data graph.
    conforms, results, _text = shacl_validate(
        shacl_data,
        shacl_graph=shapes,
        inference="none",
        inplace=False,
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=True,
        advanced=False,
        meta_shacl=False,
    )
    return _shacl_violations(results)


def validate_or_raise(data: Graph | BuiltGraph, shapes_path: Path | None = None) -> ValidationReport:
    """``validate_graph``, raising ``ShapeViolationError`` unless the graph conforms."""
    report = validate_graph(data, shapes_path)
    if not report.conforms:
        raise ShapeViolationError(report)
    return report


def reification_violations(data: Graph | BuiltGraph) -> tuple[Violation, ...]:
    """Relation/``mentionedIn`` triples without a statement, and the reverse.

    A join across two node sets, which SHACL Core cannot express and a
    SPARQL constraint would run as one query per statement; sets make it linear.
    """
    built = as_built(data)
    data = built.graph
    asserted = {
        (s, p, o)
        for p in _REIFIED_PREDICATES
        for s, o in data.subject_objects(p)
    }
    reified: set[tuple[Node, Node, Node]] = set()
    found: list[Violation] = []
    for st in data.subjects(RDF.type, RDF.Statement):
        s, p, o = (data.value(st, prop) for prop in (RDF.subject, RDF.predicate, RDF.object))
        if s is None or p is None or o is None:
            continue  # the shapes report the missing part
        reified.add((s, p, o))
        if p in _REIFIED_PREDICATES and (s, p, o) not in asserted:
            found.append(Violation(
                focus_node=_node_str(st),
                path=str(RDF.predicate),
                message=f"reified triple is not asserted in the graph: {_triple_str(s, p, o)}",
                severity="Violation",
            ))
    for row in built.statements:
        reified.add(row.stated)
        if row.predicate in _REIFIED_PREDICATES and row.stated not in asserted:
            found.append(Violation(
                focus_node=_node_str(row.node),
                path=str(RDF.predicate),
                message=f"reified triple is not asserted in the graph: {_triple_str(*row.stated)}",
                severity="Violation",
            ))
    for s, p, o in sorted(asserted - reified):
        found.append(Violation(
            focus_node=_node_str(s),
            path=str(p),
            message="triple has no reified rdf:Statement with its evidence",
            severity="Violation",
            value=o.n3(),
        ))
    return tuple(found)


def _shacl_violations(results: Graph) -> tuple[Violation, ...]:
    """Turn pyshacl's results graph into ``Violation`` values."""
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        severity = results.value(result, SH.resultSeverity)
        found.append(Violation(
            focus_node=_node_str(focus) if focus is not None else "",
            path=str(path) if isinstance(path, URIRef) else (None if path is None else "<complex path>"),
            message=_message(results, result),
            severity=_SEVERITY_NAMES.get(severity, str(severity)),
            value=value.n3() if value is not None else None,
        ))
    return tuple(found)


def _message(results: Graph, result: Node) -> str:
    """The English sh:message if present, else whatever message there is."""
    messages = sorted(results.objects(result, SH.resultMessage), key=lambda m: (m.language != "en", str(m)))
    return str(messages[0]) if messages else "constraint failed"


def _node_str(node: Node) -> str:
    return f"_:{node}" if isinstance(node, BNode) else str(node)


def _triple_str(s: Node, p: Node, o: Node) -> str:
    return " ".join(_compact_value(term.n3()) for term in (s, p, o))


def _compact(iri: str) -> str:
    """``aikg:worksFor`` for a project or well-known IRI, else ``<iri>``."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace) and iri != namespace:
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


def _compact_value(n3: str) -> str:
    """Shorten an N-Triples term for reading: IRIs and literal datatypes."""
    if n3.startswith("<") and n3.endswith(">"):
        return _compact(n3[1:-1])
    lexical, sep, datatype = n3.rpartition("^^")
    if sep and datatype.startswith("<") and datatype.endswith(">"):
        return f"{lexical}^^{_compact(datatype[1:-1])}"
    return n3


def _sort_key(v: Violation) -> tuple[str, str, str, str, str]:
    return (v.focus_node, v.path or "", v.message, v.value or "", v.severity)


__all__ = [
    "ONTOLOGY_FILE",
    "SHAPES_FILE",
    "ShapeViolationError",
    "ValidationReport",
    "Violation",
    "default_shapes_path",
    "load_shapes",
    "ontology_dir",
    "reification_violations",
    "validate_graph",
    "validate_or_raise",
]
