"""A SPARQL 1.1 Protocol endpoint over a pyoxigraph store, on the standard library.

Endpoints ``/sparql`` and ``/query`` accept

- ``GET ?query=...``,
- ``POST`` with ``Content-Type: application/sparql-query`` (the body is the query),
- ``POST`` with ``Content-Type: application/x-www-form-urlencoded`` and ``query=...``;

and answer by content negotiation: SPARQL results JSON (default), XML, CSV
or TSV for SELECT/ASK; Turtle (default) or N-Triples for CONSTRUCT/DESCRIBE.
The project's prefixes are predeclared, as in ``kg query``.

Read-only by default: a SPARQL Update (``application/sparql-update`` or an
``update=`` form field) gets 403 unless the server was made with
``allow_update=True``. Bad queries get 400 with the parser's message.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from kg import __version__
from kg.query.engine import EvaluationError, QueryError, run_query, run_update
from kg.query.results import (
    QueryResult,
    format_csv,
    format_json,
    format_ntriples,
    format_tsv,
    format_turtle,
    format_xml,
)
from kg.vocab import PREFIXES

ENDPOINT_PATHS = ("/sparql", "/query")
#: Request bodies larger than this are refused (413); queries are small.
MAX_BODY_BYTES = 4 * 1024 * 1024

Formatter = Callable[[QueryResult], str]

#: Media types offered for solutions / booleans, server preference first.
RESULT_TYPES: dict[str, Formatter] = {
    "application/sparql-results+json": format_json,
    "application/sparql-results+xml": format_xml,
    "text/csv": format_csv,
    "text/tab-separated-values": format_tsv,
    "application/json": format_json,
    "application/xml": format_xml,
    "text/xml": format_xml,
}
#: Media types offered for CONSTRUCT/DESCRIBE graphs.
GRAPH_TYPES: dict[str, Formatter] = {
    "text/turtle": lambda r: format_turtle(r.triples, PREFIXES),
    "application/n-triples": lambda r: format_ntriples(r.triples),
    "text/plain": lambda r: format_ntriples(r.triples),
}
#: ``format=`` shortcuts for browsers and curl users.
FORMAT_ALIASES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
}


def negotiate(accept: str | None, offered: Mapping[str, Formatter]) -> str | None:
    """The offered media type the ``Accept`` header likes best, or None.

    Quality values are honoured; among equals, an exact type beats a
    wildcard and the server's order of preference decides the rest.
    """
    default = next(iter(offered))
    if not accept or not accept.strip():
        return default
    best: tuple[float, int, int] | None = None
    choice = None
    for rank, media in enumerate(offered):
        mtype, msub = media.split("/")
        for item in accept.split(","):
            parts = [p.strip() for p in item.split(";")]
            rng = parts[0].lower()
            if "/" not in rng:
                continue
            q = 1.0
            for param in parts[1:]:
                if param.lower().startswith("q="):
                    try:
                        q = float(param[2:])
                    except ValueError:
                        q = 0.0
            rtype, rsub = rng.split("/", 1)
            if (rtype, rsub) == (mtype, msub):
                specificity = 2
            elif rsub == "*" and rtype in (mtype, "*"):
                specificity = 1 if rtype == mtype else 0
            else:
                continue
            if q <= 0:
                continue
            score = (q, specificity, -rank)
            if best is None or score > best:
                best, choice = score, media
    return choice


@dataclass(frozen=True)
class Response:
    """An HTTP answer, before it is written."""

    status: int
    body: str
    content_type: str = "text/plain; charset=utf-8"


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server: holds the store and the server's settings."""

    def __init__(self, address: tuple[str, int], store: ox.Store, *, allow_update: bool = False, quiet: bool = False):
        super().__init__(address, SparqlRequestHandler)
        self.store = store
        self.allow_update = allow_update
        self.quiet = quiet

    @property
    def url(self) -> str:
        """The endpoint's URL, with the port actually bound."""
        host, port = self.server_address[:2]
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{port}/sparql"


class SparqlRequestHandler(BaseHTTPRequestHandler):
    """One request to the endpoint."""

    server: SparqlServer
    server_version = f"kg-sparql/{__version__}"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        if not self.server.quiet:
            super().log_message(format, *args)

    # -- dispatch -----------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        url = urlsplit(self.path)
        if url.path == "/":
            self._send(Response(200, _HELP))
            return
        if url.path not in ENDPOINT_PATHS:
            self._send(Response(404, f"not found: {url.path}; the endpoint is {ENDPOINT_PATHS[0]}\n"))
            return
        params = parse_qs(url.query, keep_blank_values=True)
        if "update" in params:
            status = 405 if self.server.allow_update else 403
            self._send(Response(status, "updates must be sent with POST\n" if status == 405 else _READ_ONLY))
            return
        if "query" not in params:
            self._send(Response(200, _HELP))
            return
        self._send(self._query(params))

    def do_POST(self) -> None:  # noqa: N802 - stdlib naming
        url = urlsplit(self.path)
        if url.path not in ENDPOINT_PATHS:
            self._discard_body()
            self._send(Response(404, f"not found: {url.path}; the endpoint is {ENDPOINT_PATHS[0]}\n"))
            return
        body = self._read_body()
        if body is None:
            return
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(url.query, keep_blank_values=True)
        if ctype == "application/sparql-query":
            params["query"] = [body]
            self._send(self._query(params))
        elif ctype == "application/sparql-update":
            params["update"] = [body]
            self._send(self._update(params))
        elif ctype == "application/x-www-form-urlencoded":
            params.update(parse_qs(body, keep_blank_values=True))
            if "update" in params:
                self._send(self._update(params))
            elif "query" in params:
                self._send(self._query(params))
            else:
                self._send(Response(400, "missing query= or update= form field\n"))
        else:
            self._send(Response(415, "POST a query as application/sparql-query or application/x-www-form-urlencoded\n"))

    # -- work ---------------------------------------------------------------

    def _query(self, params: dict[str, list[str]]) -> Response:
        unsupported = [k for k in ("default-graph-uri", "named-graph-uri") if params.get(k)]
        if unsupported:
            return Response(400, f"{', '.join(unsupported)} is not supported by this endpoint\n")
        if len(params["query"]) != 1:
            return Response(400, "exactly one query parameter is allowed\n")
        try:
            # Oxigraph reads from snapshots and applies updates in
            # transactions, so concurrent requests need no lock here.
            result = run_query(params["query"][0], self.server.store)
        except QueryError as exc:
            return Response(400, f"query error: {exc}\n")
        except EvaluationError as exc:
            return Response(500, f"{exc}\n")
        offered = GRAPH_TYPES if result.form == "GRAPH" else RESULT_TYPES
        forced = (params.get("format") or [None])[0]
        accept = FORMAT_ALIASES.get(forced, forced) if forced else self.headers.get("Accept")
        media = negotiate(accept, offered)
        if media is None:
            return Response(406, "can answer with: " + ", ".join(offered) + "\n")
        charset = "" if media in ("application/sparql-results+json", "application/json") else "; charset=utf-8"
        return Response(200, offered[media](result), media + charset)

    def _update(self, params: dict[str, list[str]]) -> Response:
        if not self.server.allow_update:
            return Response(403, _READ_ONLY)
        if len(params["update"]) != 1:
            return Response(400, "exactly one update parameter is allowed\n")
        try:
            run_update(params["update"][0], self.server.store)
        except QueryError as exc:
            return Response(400, f"update error: {exc}\n")
        except EvaluationError as exc:
            return Response(500, f"{exc}\n")
        return Response(204, "")

    # -- I/O ----------------------------------------------------------------

    def _read_body(self) -> str | None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY_BYTES:
            self.close_connection = True
            self._send(Response(413 if length > 0 else 400, "bad or too large Content-Length\n"))
            return None
        raw = self.rfile.read(length)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            self._send(Response(400, "the request body is not UTF-8\n"))
            return None

    def _discard_body(self) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        if 0 < length <= MAX_BODY_BYTES:
            self.rfile.read(length)
        else:
            self.close_connection = True

    def _send(self, response: Response) -> None:
        data = response.body.encode("utf-8")
        self.send_response(response.status)
        if response.status != 204:
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(data)))
        self.send_header("Vary", "Accept")
        self.end_headers()
        if response.status != 204:
            self.wfile.write(data)


_READ_ONLY = "this endpoint is read-only (start `kg serve` with --allow-update to accept updates)\n"
_HELP = (
    "kg SPARQL 1.1 endpoint. Send queries to /sparql:\n"
    "  GET  /sparql?query=...\n"
    "  POST /sparql  (Content-Type: application/sparql-query, or form field query=)\n"
    "Results: application/sparql-results+json (default), application/sparql-results+xml,\n"
    "text/csv, text/tab-separated-values; text/turtle or application/n-triples for CONSTRUCT.\n"
    "Prefixes predeclared: " + ", ".join(sorted(PREFIXES)) + "\n"
)


def make_server(store: ox.Store, host: str = "127.0.0.1", port: int = 7878, *, allow_update: bool = False, quiet: bool = False) -> SparqlServer:
    """Bind the endpoint (port 0 picks a free port); call ``serve_forever`` to run it."""
    return SparqlServer((host, port), store, allow_update=allow_update, quiet=quiet)


def serve(server: SparqlServer) -> None:
    """Serve until Ctrl-C (or ``server.shutdown()``), then close the socket."""
    print(f"SPARQL endpoint at {server.url} ({'read-write' if server.allow_update else 'read-only'}); Ctrl-C stops", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr, flush=True)
    finally:
        server.server_close()
