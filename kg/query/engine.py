"""Run a SPARQL 1.1 query on the graph with rdflib or pyoxigraph.

The project's prefixes (``vocab.PREFIXES``) are predeclared: PREFIX lines are
prepended for those the query does not declare itself, and error positions
are shifted back so they point into the text the user wrote.

Both engines' answers are converted to one representation
(``result_format.QueryResult``) with canonical literal forms, so that a query
prints the same on either engine, and rows are put in a deterministic order:
sorted when the query has no ORDER BY, ties broken when it has one.
"""
from __future__ import annotations

import math
import re
import sys
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from pyparsing import ParseBaseException
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from kg.query.results import QueryResult
from kg.rdf_syntax import RDF_LANGSTRING, XSD, Row, Term, Triple, term_from_rdflib
from kg.vocab import PREFIXES

ENGINES = ("rdflib", "oxigraph")

# rdflib's SPARQL grammar is one pyparsing object shared by the process, and
# pyparsing is not thread-safe: the first calls of a parse action guess its
# arity, and two threads guessing at once leave it wrong for good (every later
# parse fails with "Param.postParse2() missing 1 required positional
# argument"). Parsing is a few milliseconds, so one lock costs little.
_PARSE_LOCK = threading.Lock()


class QueryError(Exception):
    """The query (or update) could not be parsed or prepared.

    ``line`` and ``column`` (1-based) point into the user's own text, when the
    parser said where.
    """

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return f"line {self.line}, column {self.column}: {self.message}"


class GraphFileError(Exception):
    """The graph file is missing or cannot be parsed."""


class EvaluationError(Exception):
    """The engine failed while evaluating a well-formed query."""


# --------------------------------------------------------------------------
# Query text: reading and predeclared prefixes

_PROLOGUE_ITEM = re.compile(
    r"""(?:\s+|\#[^\n]*(?:\n|\Z))*           # whitespace and comments
        (?:(?P<base>BASE\s*<[^>]*>)
          |PREFIX\s*(?P<prefix>[A-Za-z\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*)?:\s*<[^>]*>)""",
    re.IGNORECASE | re.VERBOSE,
)


def declared_prefixes(query: str) -> set[str]:
    """The prefix names the query's own prologue declares."""
    names: set[str] = set()
    pos = 0
    while (m := _PROLOGUE_ITEM.match(query, pos)) is not None:
        if m.group("base") is None:
            names.add(m.group("prefix") or "")
        pos = m.end()
    return names


@dataclass(frozen=True)
class PreparedText:
    """Query text with predeclared prefixes, and how many lines were added."""

    text: str
    added_lines: int


def with_prefixes(query: str, prefixes: Mapping[str, str] = PREFIXES) -> PreparedText:
    """Prepend one PREFIX line per predeclared prefix the query lacks."""
    own = declared_prefixes(query)
    lines = [f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()) if p not in own]
    return PreparedText("".join(lines) + query, len(lines))


#: Endings that make an argument a query file, never query text.
QUERY_FILE_SUFFIXES = (".rq", ".sparql", ".ru")


def read_query_argument(arg: str) -> str:
    """The query text: the file's content when ``arg`` names a file, else ``arg``.

    An argument that reads as a file name (``name.rq``, no spaces) but names
    no file raises ``FileNotFoundError`` rather than being parsed as a query."""
    if arg == "-":
        return sys.stdin.read()
    try:
        path = Path(arg)
        if path.is_file():
            return path.read_text(encoding="utf-8-sig")
    except (OSError, ValueError):  # text too long or odd to be a path
        pass
    if arg.lower().endswith(QUERY_FILE_SUFFIXES) and not any(c.isspace() or c in "{}?" for c in arg):
        raise FileNotFoundError(f"query file not found: {arg}")
    return arg


# --------------------------------------------------------------------------
# Loading the graph into an engine

_RDFLIB_FORMATS = {".ttl": "turtle", ".nt": "nt", ".trig": "trig", ".nq": "nquads"}
_QUAD_SUFFIXES = {".trig", ".nq"}


def load_graph(path: Path, engine: str) -> rdflib.Graph | ox.Store:
    """Parse an RDF file into an in-memory rdflib graph or pyoxigraph store.

    TriG/N-Quads files are queried with the union of their graphs as the
    default graph (rdflib ``Dataset(default_union=True)``; for Oxigraph the
    same is asked at query time).
    """
    path = Path(path)
    if not path.is_file():
        raise GraphFileError(
            f"graph file not found: {path} (run `kg build` first to write it, or pass --graph)"
        )
    suffix = path.suffix.lower()
    if suffix not in _RDFLIB_FORMATS:
        raise GraphFileError(f"unsupported graph file type {suffix!r}: {path} (use .ttl, .nt, .trig or .nq)")
    try:
        if engine == "rdflib":
            if suffix in _QUAD_SUFFIXES:
                graph: rdflib.Graph = rdflib.Dataset(default_union=True)
            else:
                graph = rdflib.Graph()
            graph.parse(path, format=_RDFLIB_FORMATS[suffix])
            return graph
        if engine == "oxigraph":
            store = ox.Store()
            store.load(path=str(path), format=ox.RdfFormat.from_extension(suffix[1:]))
            return store
    except Exception as exc:  # each parser has its own exception types
        raise GraphFileError(f"cannot parse {path}: {exc}") from exc
    raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")


# --------------------------------------------------------------------------
# Term conversion and canonical literal forms

_INTEGER_TYPES = frozenset(
    XSD + t
    for t in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt",
        "unsignedShort", "unsignedByte",
    )
)
_TEMPORAL_TYPES = frozenset(XSD + t for t in ("dateTime", "dateTimeStamp", "time", "date", "gYear", "gYearMonth"))
_FRACTION = re.compile(r"(\d\d:\d\d:\d\d)\.(\d+)")
_ZERO_OFFSET = re.compile(r"[+-]00:00\Z")


def _canonical_decimal(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def canonical_term(term: Term) -> Term:
    """The engine-independent form of a term.

    Both engines must print identically, and Oxigraph stores numbers, booleans
    and date/times by value (``0.90`` comes back as ``0.9``, ``xsd:int`` as
    ``xsd:integer``, ``-00:00`` as ``Z``) and lower-cases language tags. The
    same normalization is applied to rdflib's terms here, by value, so the two
    meet; ill-formed lexical forms are left as they are.
    """
    if term.kind != "literal":
        return term
    if term.lang:
        return Term("literal", term.value, None, term.lang.lower())
    dt, lex = term.datatype, term.value
    if dt is None or dt in (XSD + "string", RDF_LANGSTRING):
        return Term("literal", lex)
    try:
        if dt in _INTEGER_TYPES and re.fullmatch(r"[+-]?\d+", lex):
            return Term("literal", str(int(lex)), XSD + "integer")
        if dt == XSD + "decimal" and re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", lex):
            return Term("literal", _canonical_decimal(Decimal(lex)), dt)
        if dt in (XSD + "double", XSD + "float"):
            number = float(lex.replace("INF", "inf"))
            if math.isnan(number):
                return Term("literal", "NaN", dt)
            if math.isinf(number):
                return Term("literal", "INF" if number > 0 else "-INF", dt)
            return Term("literal", _canonical_decimal(Decimal(repr(number))), dt)
    except (ValueError, InvalidOperation):
        return term
    if dt == XSD + "boolean" and lex in ("1", "0", "true", "false"):
        return Term("literal", "true" if lex in ("1", "true") else "false", dt)
    if dt in _TEMPORAL_TYPES:
        lex = _FRACTION.sub(lambda m: m.group(1) + ("." + m.group(2).rstrip("0") if m.group(2).rstrip("0") else ""), lex)
        return Term("literal", _ZERO_OFFSET.sub("Z", lex), dt)
    return term


def term_from_oxigraph(node: Any) -> Term:
    """A pyoxigraph term as a ``Term``."""
    if isinstance(node, ox.NamedNode):
        return Term("uri", node.value)
    if isinstance(node, ox.BlankNode):
        return Term("bnode", node.value)
    if isinstance(node, ox.Literal):
        return Term("literal", node.value, node.datatype.value if node.datatype else None, node.language)
    raise TypeError(f"unsupported pyoxigraph term {node!r}")


# --------------------------------------------------------------------------
# What the query asks for, as far as ordering is concerned


@dataclass(frozen=True)
class QueryShape:
    """Facts about a query that decide how its rows are ordered."""

    parsed: bool  # rdflib could parse it; the rest is only meaningful if so
    ordered: bool  # the outermost query has ORDER BY
    order_vars: frozenset[str] = frozenset()
    select_star: bool = False


def _variables(node: Any, out: set[str]) -> None:
    if isinstance(node, rdflib.Variable):
        out.add(str(node))
    elif isinstance(node, dict):
        for value in node.values():
            _variables(value, out)
    elif isinstance(node, (list, tuple)) or hasattr(node, "asList"):
        for value in node:
            _variables(value, out)


def _shape(parsed: Any) -> QueryShape:
    query = parsed[1]
    order = query.get("orderby") if isinstance(query, CompValue) else None
    names: set[str] = set()
    if order is not None:
        _variables(order, names)
    star = query.name == "SelectQuery" and "projection" not in query
    return QueryShape(True, order is not None, frozenset(names), star)


def _parse_position(prepared: PreparedText, line: int | None, column: int | None) -> tuple[int | None, int | None]:
    if line is None:
        return None, None
    if line > prepared.added_lines:
        return line - prepared.added_lines, column
    return line, column  # inside the prepended prologue: should not happen


def _rdflib_syntax_error(exc: ParseBaseException, prepared: PreparedText) -> QueryError:
    line, column = _parse_position(prepared, exc.lineno, exc.col)
    return QueryError(str(exc.msg), line, column)


_OX_POSITION = re.compile(r"error at (\d+):(\d+)(?:-\d+:\d+)?:?\s*")


def _shorten(message: str, limit: int = 240) -> str:
    # Oxigraph lists every expected character class; the start says enough.
    message = " ".join(message.split())
    return message if len(message) <= limit else message[: limit - 1] + "…"


def _oxigraph_syntax_error(exc: Exception, prepared: PreparedText) -> QueryError:
    message = str(exc)
    m = _OX_POSITION.search(message)
    if m is None:
        return QueryError(_shorten(message))
    line, column = _parse_position(prepared, int(m.group(1)), int(m.group(2)))
    return QueryError(_shorten(message[m.end():] or message), line, column)


_UNKNOWN_PREFIX = re.compile(r"Unknown namespace prefix\s*:\s*(\S+)")


def _translation_error(exc: Exception, user_text: str) -> QueryError:
    """rdflib reports an undeclared prefix without a position: find its first use."""
    message = str(exc)
    m = _UNKNOWN_PREFIX.search(message)
    if m is not None:
        use = re.search(r"(?<![\w:<])" + re.escape(m.group(1)) + ":", user_text)
        if use is not None:
            line = user_text.count("\n", 0, use.start()) + 1
            column = use.start() - (user_text.rfind("\n", 0, use.start()) + 1) + 1
            return QueryError(f"undeclared prefix {m.group(1)}:", line, column)
    return QueryError(_shorten(message))


# --------------------------------------------------------------------------
# Ordering


BnodeRanks = Mapping[str, int]


def _term_key(term: Term | None, ranks: BnodeRanks | None = None) -> tuple:
    """Sort key following SPARQL's ORDER BY spirit: unbound < bnode < IRI < literal.

    Blank node labels are arbitrary (they differ between engines and runs),
    so blank nodes sort by a rank computed from the rows they occur in.
    """
    if term is None:
        return (0,)
    if term.kind == "bnode":
        return (1, ranks.get(term.value, -1) if ranks else -1)
    if term.kind == "uri":
        return (2, term.value)
    number = _number(term)
    if number is not None:
        return (3, 0, number, term.value, term.datatype or "", term.lang or "")
    return (3, 1, 0.0, term.value, term.datatype or "", term.lang or "")


_NUMERIC = frozenset({XSD + "integer", XSD + "decimal", XSD + "double", XSD + "float"})


def _number(term: Term) -> float | None:
    if term.kind != "literal" or term.datatype not in _NUMERIC:
        return None
    try:
        value = float(term.value.replace("INF", "inf"))
    except ValueError:
        return None
    return math.inf if math.isnan(value) else value


def row_key(row: Sequence[Term | None], ranks: BnodeRanks | None = None) -> tuple:
    """Deterministic sort key of a row (numbers by value, blank nodes by rank)."""
    return tuple(_term_key(t, ranks) for t in row)


def _bnode_ranks(rows: Sequence[Sequence[Term | None]], rounds: int = 2) -> dict[str, int]:
    """Rank blank nodes by the rows they occur in, not by their labels.

    A node's signature is the sorted list of its rows, itself marked and other
    blank nodes shown by their previous rank (colour refinement). Nodes whose
    signatures still tie are interchangeable in the output.
    """
    nodes = sorted({t.value for row in rows for t in row if t is not None and t.kind == "bnode"})
    if not nodes:
        return {}
    ranks: dict[str, int] = {}
    for _ in range(rounds):
        signatures: dict[str, list[tuple]] = {n: [] for n in nodes}
        for row in rows:
            for t in row:
                if t is not None and t.kind == "bnode":
                    signatures[t.value].append(
                        tuple((1, -2) if u == t else _term_key(u, ranks) for u in row)
                    )
        keyed = {n: sorted(sig) for n, sig in signatures.items()}
        ordered = sorted(nodes, key=lambda n: keyed[n])
        ranks, rank = {}, 0
        for i, n in enumerate(ordered):
            if i and keyed[n] != keyed[ordered[i - 1]]:
                rank = i
            ranks[n] = rank
    return ranks


def _break_ties(rows: list[Row], key_columns: list[int], ranks: BnodeRanks) -> list[Row]:
    """Keep the engine's ORDER BY order; sort runs that tie on every order key."""
    out: list[Row] = []
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or any(rows[i][c] != rows[start][c] for c in key_columns):
            out.extend(sorted(rows[start:i], key=lambda r: row_key(r, ranks)))
            start = i
    return out


def _relabel_bnodes(rows: Iterable[Sequence[Term | None]]) -> list[tuple[Term | None, ...]]:
    labels: dict[str, str] = {}

    def fix(term: Term | None) -> Term | None:
        if term is None or term.kind != "bnode":
            return term
        return Term("bnode", labels.setdefault(term.value, f"b{len(labels)}"))

    return [tuple(fix(t) for t in row) for row in rows]


def _order_rows(rows: list[Row], variables: Sequence[str], shape: QueryShape) -> list[Row]:
    ranks = _bnode_ranks(rows)
    if not shape.parsed or not shape.ordered:
        rows = sorted(rows, key=lambda r: row_key(r, ranks))
    elif shape.order_vars <= set(variables):
        rows = _break_ties(rows, [variables.index(v) for v in sorted(shape.order_vars)], ranks)
    # else: ORDER BY on something not projected; the engine's order is all we have.
    return _relabel_bnodes(rows)


def _order_triples(triples: Iterable[Triple]) -> list[Triple]:
    unique = list(set(triples))
    ranks = _bnode_ranks(unique)
    unique.sort(key=lambda t: row_key(t, ranks))
    return [tuple(t) for t in _relabel_bnodes(unique)]  # type: ignore[misc]


# --------------------------------------------------------------------------
# Running


def run_query(
    query: str,
    source: rdflib.Graph | ox.Store,
    prefixes: Mapping[str, str] = PREFIXES,
) -> QueryResult:
    """Run a SPARQL 1.1 query on an rdflib graph or a pyoxigraph store.

    Raises ``QueryError`` for a query that does not parse (position in the
    user's text) and ``EvaluationError`` when the engine fails on it. Safe to
    call from several threads at once.
    """
    prepared = with_prefixes(query, prefixes)
    parsed = None
    parse_error: ParseBaseException | None = None
    try:
        with _PARSE_LOCK:
            parsed = parseQuery(prepared.text)
    except ParseBaseException as exc:
        parse_error = exc
    shape = _shape(parsed) if parsed is not None else QueryShape(False, False)

    if isinstance(source, ox.Store):
        return _run_oxigraph(prepared, source, shape)
    if isinstance(source, rdflib.Graph):
        if parse_error is not None:
            raise _rdflib_syntax_error(parse_error, prepared)
        return _run_rdflib(parsed, source, shape, query)
    raise TypeError(f"cannot query a {type(source).__name__}")


def _run_rdflib(parsed: Any, graph: rdflib.Graph, shape: QueryShape, user_text: str) -> QueryResult:
    try:
        algebra = translateQuery(parsed)
    except Exception as exc:  # rdflib raises plain Exception for unknown prefixes
        raise _translation_error(exc, user_text) from exc
    try:
        result = graph.query(algebra)
        if result.type == "ASK":
            return QueryResult("ASK", boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            triples = [
                (term_from_rdflib(s), term_from_rdflib(p), canonical_term(term_from_rdflib(o)))
                for s, p, o in result.graph
            ]
            return QueryResult("GRAPH", triples=tuple(_order_triples(triples)))
        variables = [str(v) for v in result.vars]
        rows = [
            tuple(None if t is None else canonical_term(term_from_rdflib(t)) for t in row)
            for row in result
        ]
    except Exception as exc:
        raise EvaluationError(f"rdflib failed to evaluate the query: {exc}") from exc
    return _select_result(variables, rows, shape)


def _run_oxigraph(prepared: PreparedText, store: ox.Store, shape: QueryShape) -> QueryResult:
    try:
        result = store.query(prepared.text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise _oxigraph_syntax_error(exc, prepared) from exc
    try:
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ASK", boolean=bool(result))
        if isinstance(result, ox.QueryTriples):
            triples = [
                (term_from_oxigraph(t.subject), term_from_oxigraph(t.predicate), canonical_term(term_from_oxigraph(t.object)))
                for t in result
            ]
            return QueryResult("GRAPH", triples=tuple(_order_triples(triples)))
        variables = [v.value for v in result.variables]
        rows = [
            tuple(None if solution[v] is None else canonical_term(term_from_oxigraph(solution[v])) for v in variables)
            for solution in result
        ]
    except Exception as exc:
        raise EvaluationError(f"oxigraph failed to evaluate the query: {exc}") from exc
    return _select_result(variables, rows, shape)


def _select_result(variables: list[str], rows: list[Row], shape: QueryShape) -> QueryResult:
    if shape.select_star:
        # SELECT * lists variables in an engine-specific order; fix one.
        order = sorted(range(len(variables)), key=lambda i: variables[i])
        variables = [variables[i] for i in order]
        rows = [tuple(row[i] for i in order) for row in rows]
    rows = _order_rows(rows, variables, shape)
    return QueryResult("SELECT", tuple(variables), tuple(rows))


def run_update(update: str, store: ox.Store, prefixes: Mapping[str, str] = PREFIXES) -> None:
    """Run a SPARQL 1.1 Update on a pyoxigraph store (prefixes predeclared)."""
    prepared = with_prefixes(update, prefixes)
    try:
        store.update(prepared.text)
    except SyntaxError as exc:
        raise _oxigraph_syntax_error(exc, prepared) from exc
    except (OSError, RuntimeError) as exc:
        raise EvaluationError(f"update failed: {exc}") from exc
