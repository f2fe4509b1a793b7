"""``kg query``, ``kg load`` and ``kg serve``: SPARQL over the built graph."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from kg.namespaces import PREFIXES

if TYPE_CHECKING:
    from kg.query.results import QueryResult

# The query engines (rdflib's SPARQL parser, pyoxigraph) are imported when a
# command runs: every other ``kg`` command builds this parser too.

DEFAULT_GRAPH = Path("output/graph.ttl")
OUTPUT_FORMATS = ("table", "csv", "json")
#: ``kg.query.engine.ENGINES``, named here so that making the parser imports no engine (a test keeps them equal).
ENGINE_CHOICES = ("rdflib", "oxigraph")
#: ``kg.query.server.DEFAULT_TIMEOUT``, named here for the same reason (a test keeps them equal).
SERVE_TIMEOUT = 30.0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``query``, ``load`` and ``serve`` sub-commands."""
    q = subparsers.add_parser(
        "query",
        help="run a SPARQL 1.1 query on the graph",
        description=(
            "Run a SPARQL 1.1 query on the built graph. The project's prefixes ("
            + ", ".join(sorted(PREFIXES))
            + ") are predeclared. SELECT prints rows (sorted when the query has no "
            "ORDER BY), ASK prints true/false, CONSTRUCT/DESCRIBE print Turtle."
        ),
    )
    q.add_argument("query", metavar="QUERY_OR_FILE", help="a .rq file, or the query text itself ('-' reads standard input)")
    q.add_argument("--graph", type=Path, default=DEFAULT_GRAPH, help=f"Turtle (or TriG) file to query (default: {DEFAULT_GRAPH})")
    q.add_argument("--store", type=Path, metavar="DIR", help="query a persistent store made by `kg load` instead of --graph (Oxigraph)")
    q.add_argument("--engine", choices=ENGINE_CHOICES, default="oxigraph",
                   help="query engine for --graph (default: oxigraph, the faster and more complete one; "
                        "rdflib gives the same rows where it can run the query)")
    q.add_argument("-v", "--verbose", action="store_true", help="say on stderr which engine answered and how long it took")
    q.add_argument("--format", choices=OUTPUT_FORMATS, default="table", help="table (default), or SPARQL 1.1 results csv / json")
    q.add_argument("--max-width", type=int, default=0, metavar="N", help="table only: cut cells longer than N columns with …")
    q.set_defaults(func=cmd_query)

    sh = subparsers.add_parser(
        "show",
        help="print one entity: its names, sources, relations with their passages, scores and prices",
        description=(
            "Print everything the graph says about one entity, found by any of its labels or aliases "
            "in either language (case, spaces, hyphens and dots ignored): class, names, source documents, "
            "every relation in and out with the passage, document and offsets that support it, and its "
            "benchmark scores and prices. A name that matches nothing gets the closest labels."
        ),
    )
    sh.add_argument("name", metavar="NAME", help="a label or alias, e.g. o3, 奥特曼, \"GPT-4o mini\"")
    sh.add_argument("--graph", type=Path, default=DEFAULT_GRAPH, help=f"graph file (default: {DEFAULT_GRAPH})")
    sh.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json for scripts")
    sh.set_defaults(func=cmd_show)

    ld = subparsers.add_parser(
        "load",
        help="bulk-load the graph into a persistent Oxigraph store",
        description=(
            "Bulk-load a graph file into a persistent Oxigraph store at DIR. "
            "This REPLACES everything the store held before. A non-empty "
            "directory that is not an Oxigraph store is refused."
        ),
    )
    ld.add_argument("--store", type=Path, required=True, metavar="DIR", help="store directory (created if missing; its content is replaced)")
    ld.add_argument("--graph", type=Path, default=DEFAULT_GRAPH, help=f"graph file to load (default: {DEFAULT_GRAPH})")
    ld.set_defaults(func=cmd_load)

    sv = subparsers.add_parser(
        "serve",
        help="serve a store as a SPARQL 1.1 Protocol endpoint",
        description=(
            "Serve the store at DIR as a SPARQL 1.1 Protocol endpoint at /sparql "
            "(GET ?query=, POST application/sparql-query, POST form query=). "
            "Results by content negotiation: SPARQL JSON, XML, CSV, TSV; Turtle "
            "or N-Triples for CONSTRUCT. Queries run in worker processes, each "
            "with the store open: at most --max-concurrent at once, up to "
            "--max-queue more wait (at most --timeout seconds), the rest get 503 "
            "with Retry-After. A query running past --timeout is stopped (its "
            "worker is replaced) and answered 504. A malformed query gets 400 "
            "with its line and column. Read-only unless --allow-update, which "
            "runs ONE worker that opens the store read-write and takes queries "
            "and updates one at a time, in arrival order. One log line per "
            "request on stderr. Ctrl-C or SIGTERM stops it."
        ),
    )
    sv.add_argument("--store", type=Path, required=True, metavar="DIR", help="store made by `kg load`")
    sv.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)")
    sv.add_argument("--port", type=int, default=7878, help="port (default: 7878; 0 picks a free one)")
    sv.add_argument("--timeout", type=_positive_float, default=SERVE_TIMEOUT, metavar="SECONDS",
                    help="stop a query (or update) that runs longer, answering 504; also the longest a "
                         "request waits for a worker (default: %(default)g)")
    sv.add_argument("--max-concurrent", type=_positive_int, metavar="N",
                    help="queries that run at once, one worker process each (default: the number of cores; "
                         "always 1 with --allow-update)")
    sv.add_argument("--max-queue", type=_non_negative_int, metavar="N",
                    help="requests that may wait for a worker; more get 503 with Retry-After "
                         "(default: 16 per worker; 0 refuses at once when all are busy)")
    sv.add_argument("--allow-update", action="store_true",
                    help="accept SPARQL Update requests (refused with 403 otherwise); runs a single "
                         "read-write worker, so queries and updates run one at a time")
    sv.add_argument("--quiet", action="store_true", help="do not log each request")
    sv.set_defaults(func=cmd_serve)


def _positive_float(text: str) -> float:
    value = float(text)
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds: {text}")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text}")
    return value


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {text}")
    return value


def render(result: QueryResult, fmt: str, max_width: int = 0) -> str:
    """A result as ``kg query`` prints it."""
    from kg.query.results import format_csv, format_json, format_table

    if result.form == "GRAPH" or fmt == "table":
        return format_table(result, PREFIXES, max_width=max_width)
    if fmt == "csv":
        return format_csv(result)
    return format_json(result)


def cmd_query(args: argparse.Namespace) -> int:
    """Run one query; 2 for a bad query or missing graph, 1 if evaluation failed."""
    from kg.query.engine import EvaluationError, GraphFileError, QueryError, load_graph, read_query_argument, run_query
    from kg.query.store import StoreError, open_store

    try:
        text = read_query_argument(args.query)
    except FileNotFoundError as exc:
        print(f"kg query: {exc}", file=sys.stderr)
        return 2
    for warning in unknown_terms(text):
        print(f"kg query: warning: {warning}", file=sys.stderr)
    try:
        source = open_store(args.store) if args.store else load_graph(args.graph, args.engine)
        engine = "oxigraph (store)" if args.store else args.engine
    except (GraphFileError, StoreError) as exc:
        print(f"kg query: {exc}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        result = run_query(text, source)
    except QueryError as exc:
        print(f"kg query: syntax error at {exc}" if exc.line else f"kg query: {exc}", file=sys.stderr)
        if exc.line:
            _show_position(text, exc.line, exc.column)
        return 2
    except EvaluationError as exc:
        print(f"kg query: {exc}", file=sys.stderr)
        return 1
    if args.verbose:
        print(f"kg query: answered by {engine} in {time.perf_counter() - started:.3f} s", file=sys.stderr)
    sys.stdout.write(render(result, args.format, args.max_width))
    return 0


def _show_position(text: str, line: int, column: int | None) -> None:
    lines = text.splitlines()
    if 1 <= line <= len(lines):
        print(f"  {lines[line - 1]}", file=sys.stderr)
        if column:
            print("  " + " " * (column - 1) + "^", file=sys.stderr)


def cmd_show(args: argparse.Namespace) -> int:
    """Print one entity; 2 when no entity has that name or the graph is missing."""
    from kg.query.engine import GraphFileError, load_graph
    from kg.query.show import NotFound, describe, find_entities, to_json, to_text

    try:
        source = load_graph(args.graph, "oxigraph")
        views = [describe(source, iri) for iri in find_entities(source, args.name)]
    except (GraphFileError, NotFound) as exc:
        print(f"kg show: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(to_json(views) if args.format == "json" else to_text(views))
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    """Bulk-load the graph into the store, replacing its content."""
    from kg.query.store import StoreError, load_store

    try:
        report = load_store(args.store, args.graph)
    except FileNotFoundError as exc:
        print(f"kg load: {exc}", file=sys.stderr)
        return 2
    except StoreError as exc:
        print(f"kg load: {exc}", file=sys.stderr)
        return 2
    except (SyntaxError, ValueError, OSError) as exc:
        print(f"kg load: loading {args.graph} failed, the store may be incomplete: {exc}", file=sys.stderr)
        return 1
    print(f"loaded {report.triples} triples from {args.graph} into {args.store} in {report.seconds:.2f} s")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the store until Ctrl-C or SIGTERM; 2 when the store or the address cannot be used."""
    from kg.query.server import make_server, serve
    from kg.query.store import StoreError

    if args.allow_update and args.max_concurrent not in (None, 1):
        print("kg serve: --allow-update runs one worker (Oxigraph lets one process write the store); "
              "--max-concurrent is ignored", file=sys.stderr)
    try:
        server = make_server(args.store, args.host, args.port, allow_update=args.allow_update, quiet=args.quiet,
                             timeout=args.timeout, max_concurrent=args.max_concurrent, max_queue=args.max_queue)
    except StoreError as exc:
        print(f"kg serve: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"kg serve: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2
    serve(server)
    return 0


def unknown_terms(query: str) -> list[str]:
    """A warning for each ``aikg:`` term of the query that the vocabulary
    does not declare (``aikg:Modle``), naming the closest declared term: such
    a query runs, and silently finds nothing."""
    import difflib
    import re

    from kg.vocab import ALL_CLASSES, DATA_PROPERTIES, PROVENANCE_PROPERTY, RELATION_PROPERTIES

    known = ALL_CLASSES + RELATION_PROPERTIES + (PROVENANCE_PROPERTY,) + DATA_PROPERTIES
    # Strings, IRIs and comments are not terms (an IRI's "#" starts no comment).
    code = re.sub(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*', " ", query)
    out = []
    for term in sorted(set(re.findall(r"(?<![\w:])aikg:([A-Za-z_][\w-]*)", code))):
        if term not in known:
            close = difflib.get_close_matches(term, known, n=1)
            hint = f" (did you mean aikg:{close[0]}?)" if close else ""
            out.append(f"aikg:{term} is not in the vocabulary{hint}; the query will find nothing by it")
    return out
