"""A SPARQL 1.1 Protocol endpoint over a persistent pyoxigraph store.

Endpoints ``/sparql`` and ``/query`` accept

- ``GET ?query=...``,
- ``POST`` with ``Content-Type: application/sparql-query`` (the body is the query),
- ``POST`` with ``Content-Type: application/x-www-form-urlencoded`` and ``query=...``;

and answer by content negotiation: SPARQL results JSON (default), XML, CSV
or TSV for SELECT/ASK; Turtle (default) or N-Triples for CONSTRUCT/DESCRIBE.
The project's prefixes are predeclared, as in ``kg query``.

Built for several clients at once. The HTTP front is a thread per
connection (standard library); queries run in a pool of worker processes
(``kg.query.pool``, ``kg.query.worker``), each with the store open:

- at most ``max_concurrent`` queries run at once (one per worker; default:
  the cores this process may use); up to ``max_queue`` more wait, first come
  first served, at most ``timeout`` seconds for a worker. Beyond that the
  answer is 503 with ``Retry-After``;
- a query that runs longer than ``timeout`` seconds is stopped by killing its
  worker, which is replaced; the client gets 504 with a message naming the
  limit. So does a query whose client hangs up: its worker is freed at once;
- a query that does not parse gets 400 with the parser's message (line and
  column in the user's text); a request body over ``MAX_BODY_BYTES`` gets 413.

Read-only by default: each worker opens the store read-only, and a SPARQL
Update (``application/sparql-update`` or an ``update=`` form field) gets 403.
With ``allow_update=True`` there is exactly one worker, which opens the store
read-write (Oxigraph lets one process write a store) and runs queries and
updates one at a time in arrival order; an update is applied whole or not
at all, including one stopped at the time limit.

One log line per request goes to stderr unless ``quiet``: time, client,
method, path, status, milliseconds, bytes of query or update text. Clients'
mistakes leave no traceback.
"""
from __future__ import annotations

import math
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from urllib.parse import parse_qs, urlsplit

from kg import __version__
from kg.query.pool import Busy, ClientGone, Deadline, WorkerLost, WorkerPool
from kg.query.worker import FORMAT_ALIASES, GRAPH_TYPES, RESULT_TYPES, Reply, Task, negotiate  # noqa: F401 - re-exported
from kg.query.store import check_store_dir
from kg.vocab import PREFIXES
from kg.parallel.worker_pool import default_jobs

ENDPOINT_PATHS = ("/sparql", "/query")
#: Request bodies larger than this are refused (413); queries are small.
MAX_BODY_BYTES = 4 * 1024 * 1024
#: ``kg serve --timeout``: long enough for any of queries/*.rq on a big
#: graph, short enough that a runaway query does not hold a core for long.
DEFAULT_TIMEOUT = 30.0
#: Waiting requests per worker (``--max-queue`` is this times
#: ``--max-concurrent``): a wait costs a thread and no CPU, and scaling with
#: the workers keeps the expected wait the same on any machine.
QUEUE_PER_WORKER = 16
#: What a refused client is told to wait before trying again.
RETRY_AFTER_SECONDS = 1
#: A connection that sends nothing for this long is closed.
IDLE_CONNECTION_SECONDS = 60
#: After refusing a body (413), read and drop what the client still sends
#: for up to this long, so that it reads the 413 instead of a reset.
LINGER_SECONDS = 2.0

_log_lock = threading.Lock()


@dataclass(frozen=True)
class Response:
    """An HTTP answer made by the front (the workers make ``Reply``)."""

    status: int
    body: bytes | str
    content_type: str = "text/plain; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = field(default=())


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server: holds the worker pool and the server's settings."""

    daemon_threads = True
    # The standard library's 5 overflows when dozens of clients connect at
    # once, and the kernel then resets some of them (seen under load).
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], store_path: Path, *, allow_update: bool = False,
                 quiet: bool = False, timeout: float = DEFAULT_TIMEOUT, max_concurrent: int | None = None,
                 max_queue: int | None = None):
        super().__init__(address, SparqlRequestHandler)
        self.store_path = Path(store_path)
        self.allow_update = allow_update
        self.quiet = quiet
        self.query_timeout = timeout
        workers = 1 if allow_update else (max_concurrent or default_jobs())
        if max_queue is None:
            max_queue = QUEUE_PER_WORKER * workers
        try:
            self.pool = WorkerPool(self.store_path, workers=workers, read_only=not allow_update,
                                   timeout=timeout, max_queue=max_queue)
        except BaseException:
            super().server_close()
            raise

    @property
    def url(self) -> str:
        """The endpoint's URL, with the port actually bound."""
        host, port = self.server_address[:2]
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{port}/sparql"

    def server_close(self) -> None:
        """Close the listening socket and stop the workers."""
        super().server_close()
        self.pool.close()

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001 - stdlib signature
        # A client that goes away mid-answer is not the server's problem;
        # anything else is a bug and keeps its traceback.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class SparqlRequestHandler(BaseHTTPRequestHandler):
    """One connection to the endpoint (one or more requests)."""

    server: SparqlServer
    server_version = f"kg-sparql/{__version__}"
    protocol_version = "HTTP/1.1"
    timeout = IDLE_CONNECTION_SECONDS

    # -- the log: one line per request ---------------------------------------------

    def handle_one_request(self) -> None:
        self._status: int | None = None
        self._started = time.perf_counter()
        self._query_bytes = 0
        try:
            super().handle_one_request()
        finally:
            if self._status is not None and not self.server.quiet:
                self._log_line()

    def parse_request(self) -> bool:
        self._started = time.perf_counter()  # not while an idle keep-alive connection waited
        return super().parse_request()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        try:
            self._status = int(code)
        except (TypeError, ValueError):
            self._status = None

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass  # the stdlib's lines (errors, timeouts) are covered by _log_line

    def _log_line(self) -> None:
        ms = (time.perf_counter() - self._started) * 1000
        path = urlsplit(getattr(self, "path", "") or "").path or "-"
        line = (f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {self.client_address[0]} {self.command or '-'} "
                f"{path} {self._status} {ms:.1f} ms {self._query_bytes} B\n")
        with _log_lock:
            sys.stderr.write(line)
            sys.stderr.flush()

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
            self._query_bytes = sum(len(u.encode("utf-8")) for u in params["update"])
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

    def handle_expect_100(self) -> bool:
        # A client that asks before sending a body learns of the limit before sending it.
        if self.command == "POST" and self._content_length() > MAX_BODY_BYTES:
            self._query_bytes = self._content_length()
            self.close_connection = True
            self._send(Response(413, _TOO_LARGE))
            return False
        return super().handle_expect_100()

    # -- work ---------------------------------------------------------------

    def _query(self, params: dict[str, list[str]]) -> Response | Reply | None:
        self._query_bytes = sum(len(q.encode("utf-8")) for q in params["query"])
        unsupported = [k for k in ("default-graph-uri", "named-graph-uri") if params.get(k)]
        if unsupported:
            return Response(400, f"{', '.join(unsupported)} is not supported by this endpoint\n")
        if len(params["query"]) != 1:
            return Response(400, "exactly one query parameter is allowed\n")
        forced = (params.get("format") or [None])[0]
        return self._run(Task("query", params["query"][0], self.headers.get("Accept"), forced))

    def _update(self, params: dict[str, list[str]]) -> Response | Reply | None:
        self._query_bytes = sum(len(u.encode("utf-8")) for u in params["update"])
        if not self.server.allow_update:
            return Response(403, _READ_ONLY)
        if len(params["update"]) != 1:
            return Response(400, "exactly one update parameter is allowed\n")
        return self._run(Task("update", params["update"][0]))

    def _run(self, task: Task) -> Response | Reply | None:
        """The worker pool's answer, or the front's when the pool could not give one."""
        retry = (("Retry-After", str(RETRY_AFTER_SECONDS)),)
        limit = f"{self.server.query_timeout:g} s"
        try:
            return self.server.pool.submit(task, client=self.connection)
        except Busy as exc:
            return Response(503, f"the server is busy: {exc}; try again later\n", headers=retry)
        except Deadline:
            what = "the update ran" if task.kind == "update" else "the query ran"
            tail = " (an update is applied whole or not at all)" if task.kind == "update" else ""
            return Response(504, f"{what} longer than this server's time limit of {limit} "
                                 f"(kg serve --timeout) and was stopped{tail}\n")
        except ClientGone:
            # Nobody to answer; the log still gets its line.
            self._status = 499
            self.close_connection = True
            return None
        except WorkerLost as exc:
            return Response(503, f"the query could not be answered: {exc}; try again\n", headers=retry)

    # -- I/O ----------------------------------------------------------------

    def _content_length(self) -> int:
        try:
            return int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return -1

    def _read_body(self) -> str | None:
        if self.headers.get("Transfer-Encoding"):
            # Unread chunks would be taken for the next request.
            self.close_connection = True
            self._send(Response(411, "send the body with a Content-Length, not chunked\n"))
            self._linger(-1)
            return None
        length = self._content_length()
        if length < 0 or length > MAX_BODY_BYTES:
            self._query_bytes = max(length, 0)
            self.close_connection = True
            self._send(Response(413 if length > 0 else 400,
                                _TOO_LARGE if length > 0 else "bad Content-Length\n"))
            self._linger(length)
            return None
        raw = self.rfile.read(length)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            self._query_bytes = len(raw)
            self._send(Response(400, "the request body is not UTF-8\n"))
            return None

    def _discard_body(self) -> None:
        length = self._content_length()
        if 0 < length <= MAX_BODY_BYTES:
            self.rfile.read(length)
        elif length != 0:
            self.close_connection = True

    def _linger(self, length: int) -> None:
        """Read and drop up to ``length`` body bytes for a bounded time.

        Closing a socket with unread data sends a reset, and a client still
        busy sending would see that reset instead of the answer written before.
        """
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_WR)
            self.connection.settimeout(0.5)
            deadline = time.monotonic() + LINGER_SECONDS
            remaining = length if length > 0 else math.inf
            while remaining > 0 and time.monotonic() < deadline:
                chunk = self.rfile.read1(65536)
                if not chunk:
                    break
                remaining -= len(chunk)
        except OSError:
            pass

    def _send(self, response: Response | Reply | None) -> None:
        if response is None:
            return
        data = response.body.encode("utf-8") if isinstance(response.body, str) else response.body
        self.send_response(response.status)
        for name, value in getattr(response, "headers", ()):
            self.send_header(name, value)
        if response.status != 204:
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(data)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.send_header("Vary", "Accept")
        self.end_headers()
        if response.status != 204:
            self.wfile.write(data)


_READ_ONLY = "this endpoint is read-only (start `kg serve` with --allow-update to accept updates)\n"
_TOO_LARGE = f"request body too large (at most {MAX_BODY_BYTES} bytes)\n"
_HELP = (
    "kg SPARQL 1.1 endpoint. Send queries to /sparql:\n"
    "  GET  /sparql?query=...\n"
    "  POST /sparql  (Content-Type: application/sparql-query, or form field query=)\n"
    "Results: application/sparql-results+json (default), application/sparql-results+xml,\n"
    "text/csv, text/tab-separated-values; text/turtle or application/n-triples for CONSTRUCT.\n"
    "Prefixes predeclared: " + ", ".join(sorted(PREFIXES)) + "\n"
    "Limits: a query runs at most the server's --timeout (then 504); when every worker is busy\n"
    "and the queue is full, 503 with Retry-After.\n"
)


def make_server(store_path: Path | str, host: str = "127.0.0.1", port: int = 7878, *,
                allow_update: bool = False, quiet: bool = False, timeout: float = DEFAULT_TIMEOUT,
                max_concurrent: int | None = None, max_queue: int | None = None) -> SparqlServer:
    """Bind the endpoint for the store at ``store_path`` and start its workers.

    Port 0 picks a free port; call ``serve_forever`` (or ``serve``) to run it
    and ``server_close`` to stop the workers. ``max_concurrent`` defaults to
    the usable cores (always 1 with ``allow_update``), ``max_queue`` to
    ``QUEUE_PER_WORKER`` times that. Raises ``StoreError`` when the store
    cannot be opened, ``OSError`` when the address cannot be bound. The
    workers are separate processes started by multiprocessing, so a script
    that calls this needs the usual ``if __name__ == "__main__":`` guard.
    """
    if not isinstance(store_path, (str, Path)):
        raise TypeError(f"make_server takes the store's directory, not a {type(store_path).__name__}")
    if timeout <= 0:
        raise ValueError("timeout must be positive")
    if max_concurrent is not None and max_concurrent < 1:
        raise ValueError("max_concurrent must be at least 1")
    check_store_dir(Path(store_path))
    return SparqlServer((host, port), Path(store_path), allow_update=allow_update, quiet=quiet,
                        timeout=timeout, max_concurrent=max_concurrent, max_queue=max_queue)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve(server: SparqlServer) -> None:
    """Serve until Ctrl-C, SIGTERM (or ``server.shutdown()``), then close the socket and stop the workers."""
    pool = server.pool
    mode = "read-write, 1 worker" if server.allow_update else f"read-only, {pool.size} workers"
    print(f"SPARQL endpoint at {server.url} ({mode}, {server.query_timeout:g} s limit per query, "
          f"{pool.max_queue} may wait); Ctrl-C stops", flush=True)
    previous = None
    if threading.current_thread() is threading.main_thread():
        # SIGTERM (service managers, docker stop) stops as cleanly as Ctrl-C.
        previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr, flush=True)
    finally:
        server.server_close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
