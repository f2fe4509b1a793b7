"""Load test of ``kg serve``: many concurrent clients, a mix of good and bad requests.

``python bench/load_sparql.py [--store DIR | --graph output/graph.ttl] [--clients 32] [--requests 2000]``

Starts ``python -m kg serve`` on the store as a subprocess (127.0.0.1, a free
port), then ``--clients`` threads send ``--requests`` requests between them,
each on a fresh connection, in a shuffled but reproducible (``--seed``) mix:

- good: the ready queries in ``queries/*.rq`` and a few of this script's own
  (counts, feature lookups, a ``FILTER(CONTAINS(...))`` scan, a 3-hop join with
  LIMIT, ASK) sent as GET, POST ``application/sparql-query`` or a POST form,
  asking for JSON, CSV, XML, Turtle or N-Triples. Each answer is compared with
  the same query run in this process by ``kg.query.engine.run_query`` and formatted
  by ``kg.query.results``: a 200 whose body differs is a wrong answer;
- malformed (``--malformed`` share, one in five by default): expects 400
  with the parser's line and column;
- slow (``--slow`` of them, spread over the run): a cross product that runs
  for hours; expects the server's timeout answer (503 or 504 naming the limit);
- oversized (``--oversized`` share): a ``--oversize-mb`` MB body; expects 413;
- updates (``--updates`` share): INSERT DATA and DELETE WHERE against the
  read-only server, as POST and GET; expects 403. After the run the store
  must still hold what it held before.

Bounded: every request has a client timeout (``--client-timeout``), and the
clients stop taking requests after ``--max-seconds``. The server is only ever
bound to 127.0.0.1.

Afterwards it checks that the server still answers (a count query, compared
with the in-process answer), measures the CPU the server's processes use in
the ``--idle-seconds`` after the run (a runaway query shows as a busy core),
counts tracebacks in the server's log, and stops the server with SIGTERM.

It prints two Markdown tables: the figures, and the statuses per kind of
request. Exit status: 0 no wrong answers and the server still answers;
1 otherwise; 2 the server did not start.

When ``kg serve`` has ``--timeout`` the script passes ``--server-timeout``
to it (the code before issue 27 has no such option and gets nothing);
``--serve-arg`` passes more options through (repeatable).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import pyoxigraph as ox  # noqa: E402

from kg.query.engine import QueryError, run_query  # noqa: E402
from kg.query.results import QueryResult, format_csv, format_json, format_ntriples, format_turtle, format_xml  # noqa: E402
from kg.query.store import load_store  # noqa: E402
from kg.vocab import PREFIXES  # noqa: E402

HOST = "127.0.0.1"
ENDPOINT = "/sparql"

SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

#: This script's own good queries, next to queries/*.rq.
OWN_QUERIES = {
    "count-all": COUNT_QUERY,
    "count-models": "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a aikg:Model }",
    "contains-scan": (
        'SELECT ?s ?label WHERE { ?s rdfs:label ?label . FILTER(CONTAINS(LCASE(STR(?label)), "gpt")) }'
    ),
    "three-hops": (
        "SELECT ?stmt ?x ?doc ?title WHERE { ?stmt rdf:subject ?x . ?x aikg:mentionedIn ?doc . "
        "?doc dcterms:title ?title } LIMIT 50"
    ),
    "ask-model": "ASK { ?m a aikg:Model }",
    "ask-nothing": "ASK { ?m a aikg:NoSuchClass }",
}
#: Feature lookups are made for this many features of the store.
FEATURE_LOOKUPS = 4

MALFORMED = [
    "SELECT ?x WHERE { ?x ?y }",
    "SELECT ?x\nWHERE {\n  ?x ?y ?z .\n}\nLIMIT ?x",
    "SELEC ?x WHERE { ?x ?y ?z }",
    "SELECT ?x WHERE { ?x a aikg:Model . FILTER(CONTAINS(?x, )) }",
    "PREFIX : <http://example.org/>\nASK { :a :b }",
]
UPDATES = [
    'INSERT DATA { <http://example.org/load-test/s> <http://example.org/load-test/p> "written" }',
    "DELETE WHERE { ?s ?p ?o }",
]
#: Asked after the run: the inserts above must not be there.
WRITTEN_PROBE = "ASK { <http://example.org/load-test/s> ?p ?o }"

SELECT_FORMATS = {
    "application/sparql-results+json": format_json,
    "text/csv": format_csv,
    "application/sparql-results+xml": format_xml,
}
GRAPH_FORMATS = {
    "text/turtle": lambda r: format_turtle(r.triples, PREFIXES),
    "application/n-triples": lambda r: format_ntriples(r.triples),
}


@dataclass
class Request:
    """One request of the mix and what a correct answer is."""

    kind: str  # good, malformed, slow, oversized, update
    name: str
    method: str
    target: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    expected_body: str | None = None  # good: the in-process answer, formatted
    expected_type: str | None = None


@dataclass
class Outcome:
    """What became of one request."""

    request: Request
    status: int | None  # None: no HTTP answer
    verdict: str  # correct, wrong, unexpected, dropped, timeout
    seconds: float
    detail: str = ""


# -- the mix -----------------------------------------------------------------------


def good_queries(store: ox.Store) -> dict[str, str]:
    """Name -> query text: queries/*.rq, this script's own and some feature lookups."""
    out = {p.name: p.read_text(encoding="utf-8") for p in sorted((REPO / "queries").glob("*.rq"))}
    out.update(OWN_QUERIES)
    features = run_query("SELECT DISTINCT ?f WHERE { ?x aikg:hasFeature ?f } ORDER BY ?f", store)
    rows = features.rows
    for i in range(min(FEATURE_LOOKUPS, len(rows))):
        iri = rows[i * len(rows) // FEATURE_LOOKUPS][0].value
        out[f"feature-{i}"] = (
            f"SELECT ?x ?label WHERE {{ ?x aikg:hasFeature <{iri}> . OPTIONAL {{ ?x rdfs:label ?label }} }}"
        )
    return out


def _query_request(kind: str, name: str, text: str, style: int, accept: str | None) -> Request:
    headers = {"Accept": accept} if accept else {}
    if style == 0:
        return Request(kind, name, "GET", ENDPOINT + "?" + urllib.parse.urlencode({"query": text}), None, headers)
    if style == 1:
        return Request(kind, name, "POST", ENDPOINT, text.encode("utf-8"),
                       {**headers, "Content-Type": "application/sparql-query"})
    return Request(kind, name, "POST", ENDPOINT, urllib.parse.urlencode({"query": text}).encode("ascii"),
                   {**headers, "Content-Type": "application/x-www-form-urlencoded"})


def build_mix(args: argparse.Namespace, store: ox.Store) -> list[Request]:
    """The requests, shuffled reproducibly; the slow ones spread evenly."""
    rng = random.Random(args.seed)
    queries = good_queries(store)
    answers: dict[str, QueryResult] = {name: run_query(text, store) for name, text in queries.items()}
    names = sorted(queries)
    n_slow = min(args.slow, args.requests)
    rest = args.requests - n_slow
    n_malformed = round(rest * args.malformed)
    n_updates = round(rest * args.updates)
    n_oversized = round(rest * args.oversized)
    n_good = rest - n_malformed - n_updates - n_oversized
    mix: list[Request] = []
    for i in range(n_good):
        name = names[i % len(names)]
        result = answers[name]
        formats = GRAPH_FORMATS if result.form == "GRAPH" else SELECT_FORMATS
        # One in four asks for nothing and gets the default, the first format.
        accept = None if rng.random() < 0.25 else rng.choice(list(formats))
        request = _query_request("good", name, queries[name], rng.randrange(3), accept)
        request.expected_type = accept or next(iter(formats))
        request.expected_body = formats[request.expected_type](result)
        mix.append(request)
    for i in range(n_malformed):
        mix.append(_query_request("malformed", f"malformed-{i % len(MALFORMED)}", MALFORMED[i % len(MALFORMED)],
                                  rng.randrange(3), None))
    for i in range(n_updates):
        text = UPDATES[i % len(UPDATES)]
        if i % 3 == 2:
            mix.append(Request("update", "update-get", "GET", ENDPOINT + "?" + urllib.parse.urlencode({"update": text})))
        elif i % 3 == 1:
            mix.append(Request("update", "update-form", "POST", ENDPOINT,
                               urllib.parse.urlencode({"update": text}).encode("ascii"),
                               {"Content-Type": "application/x-www-form-urlencoded"}))
        else:
            mix.append(Request("update", "update-post", "POST", ENDPOINT, text.encode("utf-8"),
                               {"Content-Type": "application/sparql-update"}))
    big = ("SELECT * WHERE { ?s ?p ?o } #" + "x" * int(args.oversize_mb * 1_000_000)).encode("ascii")
    for _ in range(n_oversized):
        mix.append(Request("oversized", "oversized", "POST", ENDPOINT, big, {"Content-Type": "application/sparql-query"}))
    rng.shuffle(mix)
    for k in range(n_slow):
        slow = _query_request("slow", "cross-product", SLOW_QUERY, k % 3, None)
        mix.insert(min(len(mix), (k * 2 + 1) * len(mix) // (2 * n_slow) + k), slow)
    return mix


# -- one request -----------------------------------------------------------------


def send(port: int, request: Request, timeout: float) -> tuple[int, str, str]:
    """(status, content type, body) of one request on a fresh connection."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        try:
            conn.request(request.method, request.target, body=request.body, headers=request.headers)
        except (BrokenPipeError, ConnectionResetError):
            # The server may answer (413) and close before the body is sent:
            # its answer can still be waiting in our socket.
            pass
        response = conn.getresponse()
        data = response.read()
        return response.status, response.getheader("Content-Type", ""), data.decode("utf-8", "replace")
    finally:
        conn.close()


def judge(request: Request, status: int, ctype: str, body: str) -> tuple[str, str]:
    """(verdict, detail) of an answer."""
    kind = request.kind
    if kind == "good":
        if status != 200:
            return "unexpected", body[:200]
        if not ctype.startswith(request.expected_type or ""):
            return "wrong", f"content type {ctype}, wanted {request.expected_type}"
        if request.expected_type in ("application/sparql-results+json",):
            same = json.loads(body) == json.loads(request.expected_body or "")
        else:
            same = body == request.expected_body
        return ("correct", "") if same else ("wrong", f"body differs from the in-process answer ({len(body)} chars)")
    if kind == "malformed":
        if status == 400 and re.search(r"line \d+, column \d+", body):
            return "correct", ""
        return ("wrong" if 200 <= status < 300 else "unexpected"), body[:200]
    if kind == "update":
        if status == 403:
            return "correct", ""
        return ("wrong" if 200 <= status < 300 else "unexpected"), body[:200]
    if kind == "oversized":
        return ("correct", "") if status == 413 else ("unexpected", body[:200])
    if kind == "slow":
        if status in (503, 504) and re.search(r"\d+(\.\d+)? ?s", body):
            return "correct", ""
        return ("wrong" if 200 <= status < 300 else "unexpected"), body[:200]
    raise ValueError(kind)


def attempt(port: int, request: Request, timeout: float) -> Outcome:
    """Send one request and judge the answer."""
    start = time.perf_counter()
    try:
        status, ctype, body = send(port, request, timeout)
    except (TimeoutError, socket.timeout):
        return Outcome(request, None, "timeout", time.perf_counter() - start)
    except (ConnectionError, http.client.HTTPException, OSError) as exc:
        return Outcome(request, None, "dropped", time.perf_counter() - start, type(exc).__name__)
    seconds = time.perf_counter() - start
    verdict, detail = judge(request, status, ctype, body)
    return Outcome(request, status, verdict, seconds, detail)


def run_clients(port: int, mix: list[Request], clients: int, timeout: float, max_seconds: float) -> tuple[list[Outcome], float]:
    """Send the mix from ``clients`` threads; (outcomes, wall seconds)."""
    todo: queue.Queue[Request] = queue.Queue()
    for request in mix:
        todo.put(request)
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    start = time.monotonic()

    def client() -> None:
        while time.monotonic() - start < max_seconds:
            try:
                request = todo.get_nowait()
            except queue.Empty:
                return
            outcome = attempt(port, request, timeout)
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max_seconds + timeout + 5)
    return outcomes, time.monotonic() - start


# -- the server --------------------------------------------------------------------


@dataclass
class Server:
    """The ``kg serve`` subprocess."""

    proc: subprocess.Popen
    port: int
    log: Path


def serve_supports(option: str) -> bool:
    """Whether this checkout's ``kg serve`` has ``option``."""
    out = subprocess.run([sys.executable, "-m", "kg", "serve", "--help"], cwd=REPO, capture_output=True, text=True)
    return option in out.stdout


def start_server(store_dir: Path, log: Path, extra: list[str]) -> Server:
    """Start ``kg serve`` on a free port of 127.0.0.1 and wait for its URL."""
    cmd = [sys.executable, "-m", "kg", "serve", "--store", str(store_dir), "--host", HOST, "--port", "0", *extra]
    with open(log, "wb") as err:
        proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=err, text=True,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})
    first: list[str] = []
    reader = threading.Thread(target=lambda: first.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(60)
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", first[0] if first else "")
    if m is None:
        proc.kill()
        proc.wait()
        raise RuntimeError(f"kg serve did not start: {first!r}; log: {log.read_text(errors='replace')[-2000:]}")
    threading.Thread(target=proc.stdout.read, daemon=True).start()  # keep its stdout drained
    return Server(proc, int(m.group(1)), log)


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its live descendants."""
    total = 0.0
    try:
        root = psutil.Process(pid)
        for p in [root, *root.children(recursive=True)]:
            try:
                t = p.cpu_times()
                total += t.user + t.system
            except psutil.NoSuchProcess:
                pass
    except psutil.NoSuchProcess:
        pass
    return total


def stop_server(server: Server, wait: float = 15.0) -> str:
    """SIGTERM, then kill if needed; how it ended."""
    start = time.monotonic()
    children = []
    try:
        children = psutil.Process(server.proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        pass
    server.proc.send_signal(signal.SIGTERM)
    try:
        code = server.proc.wait(wait)
        how = f"exit status {code} in {time.monotonic() - start:.1f} s"
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait()
        how = f"still running after {wait:.0f} s; killed"
    _, alive = psutil.wait_procs(children, timeout=5)
    for p in alive:
        p.kill()
    if alive:
        how += f"; {len(alive)} child process(es) left behind, killed"
    return how


# -- report ------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def _ms(values: list[float]) -> str:
    if not values:
        return "-"
    return f"{percentile(values, 50) * 1000:.0f} / {percentile(values, 99) * 1000:.0f}"


def report(outcomes: list[Outcome], planned: int, wall: float, after: dict[str, str]) -> str:
    """The two Markdown tables."""
    answered = [o for o in outcomes if o.status is not None]
    verdicts = Counter(o.verdict for o in outcomes)
    statuses = Counter(o.status for o in answered)
    good = [o for o in answered if o.request.kind == "good"]
    lines = [
        "| figure | value |",
        "|---|---|",
        f"| requests sent / planned | {len(outcomes)} / {planned} |",
        f"| answered (any HTTP status) | {len(answered)} |",
        f"| correct answers (as expected for the kind) | {verdicts['correct']} |",
        f"| wrong answers | {verdicts['wrong']} |",
        f"| unexpected status | {verdicts['unexpected']} |",
        f"| dropped connections (closed or reset, no answer) | {verdicts['dropped']} |",
        f"| client timeouts (no answer in time) | {verdicts['timeout']} |",
        "| answers by status | " + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())) + " |",
        f"| p50 / p99 latency, all answered (ms) | {_ms([o.seconds for o in answered])} |",
        f"| p50 / p99 latency, good queries answered (ms) | {_ms([o.seconds for o in good])} |",
        f"| wall time of the run | {wall:.1f} s |",
    ]
    lines += [f"| {k} | {v} |" for k, v in after.items()]
    kinds = ["good", "malformed", "slow", "oversized", "update"]
    columns = sorted({o.status for o in answered})
    head = ["kind", "sent", *[str(s) for s in columns], "dropped", "timeout", "wrong"]
    lines += ["", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for kind in kinds:
        mine = [o for o in outcomes if o.request.kind == kind]
        if not mine:
            continue
        per = Counter(o.status for o in mine)
        row = [kind, str(len(mine)), *[str(per.get(s, 0)) for s in columns],
               str(sum(o.verdict == "dropped" for o in mine)), str(sum(o.verdict == "timeout" for o in mine)),
               str(sum(o.verdict == "wrong" for o in mine))]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0] + " See the module docstring (or bench/README.md) for the mix.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--store", type=Path, help="an existing store made by `kg load` (served read-only)")
    source.add_argument("--graph", type=Path, default=REPO / "output" / "graph.ttl",
                        help="graph file loaded into a temporary store when --store is not given")
    parser.add_argument("--clients", type=int, default=32, help="concurrent client threads")
    parser.add_argument("--requests", type=int, default=2000, help="requests in all")
    parser.add_argument("--malformed", type=float, default=0.2, help="share of malformed queries")
    parser.add_argument("--updates", type=float, default=0.03, help="share of update requests")
    parser.add_argument("--oversized", type=float, default=0.02, help="share of oversized bodies")
    parser.add_argument("--oversize-mb", type=float, default=5.0, help="size of an oversized body in MB")
    parser.add_argument("--slow", type=int, default=8, help="number of runaway cross-product queries")
    parser.add_argument("--server-timeout", type=float, default=5.0,
                        help="passed to `kg serve --timeout` when the server has that option")
    parser.add_argument("--serve-arg", action="append", default=[], metavar="ARG",
                        help="another argument for `kg serve` (repeatable, e.g. --serve-arg=--max-concurrent=2)")
    parser.add_argument("--client-timeout", type=float, default=30.0, help="seconds a client waits for one answer")
    parser.add_argument("--max-seconds", type=float, default=300.0, help="clients take no new request after this")
    parser.add_argument("--idle-seconds", type=float, default=3.0, help="how long to watch the server's CPU after the run")
    parser.add_argument("--seed", type=int, default=0, help="seed of the shuffled mix")
    parser.add_argument("--keep-log", type=Path, help="copy the server's log here")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.requests < 1:
        parser.error("--clients and --requests must be at least 1")

    work = Path(tempfile.mkdtemp(prefix="kg-load-"))
    try:
        if args.store:
            store_dir = args.store
        else:
            store_dir = work / "store"
            load_store(store_dir, args.graph)
        store = ox.Store.read_only(str(store_dir))
        mix = build_mix(args, store)
        expected_count = format_json(run_query(COUNT_QUERY, store))
        del store

        extra = list(args.serve_arg)
        if serve_supports("--timeout"):
            extra += ["--timeout", str(args.server_timeout)]
        log = work / "serve.log"
        try:
            server = start_server(store_dir, log, extra)
        except RuntimeError as exc:
            print(f"load_sparql: {exc}", file=sys.stderr)
            return 2
        print(f"kg serve {' '.join(extra) or '(default options)'} on port {server.port}: "
              f"{len(mix)} requests from {args.clients} clients", file=sys.stderr)
        try:
            outcomes, wall = run_clients(server.port, mix, args.clients, args.client_timeout, args.max_seconds)
            cpu_before = tree_cpu_seconds(server.proc.pid)
            time.sleep(args.idle_seconds)
            busy = (tree_cpu_seconds(server.proc.pid) - cpu_before) / args.idle_seconds
            probe = Request("good", "after", "GET", ENDPOINT + "?" + urllib.parse.urlencode({"query": COUNT_QUERY}),
                            expected_body=expected_count, expected_type="application/sparql-results+json")
            check = attempt(server.port, probe, 10.0)
        finally:
            how = stop_server(server)
        log_text = log.read_text(encoding="utf-8", errors="replace")
        if args.keep_log:
            shutil.copy(log, args.keep_log)
        still = "yes" if check.verdict == "correct" else f"no ({check.verdict}, status {check.status})"
        store = ox.Store.read_only(str(store_dir))
        unchanged = format_json(run_query(COUNT_QUERY, store)) == expected_count and not run_query(WRITTEN_PROBE, store).boolean
        del store
        after = {
            "server answers afterwards (count query, compared)": still,
            "store unchanged afterwards": "yes" if unchanged else "no",
            f"server CPU in the {args.idle_seconds:.0f} s after the run": f"{busy:.0%} of a core",
            "tracebacks in the server log": str(log_text.count("Traceback")),
            "server log lines": str(log_text.count("\n")),
            "SIGTERM": how,
        }
        print(report(outcomes, len(mix), wall, after))
        dropped = Counter(f"{o.request.kind}: {o.detail}" for o in outcomes if o.verdict == "dropped")
        for what, n in sorted(dropped.items()):
            print(f"dropped: {n} x {what}", file=sys.stderr)
        wrong = [o for o in outcomes if o.verdict == "wrong"]
        for o in wrong[:5]:
            print(f"wrong: {o.request.kind} {o.request.name}: {o.detail}", file=sys.stderr)
        return 0 if not wrong and check.verdict == "correct" else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
