"""kg serve: the SPARQL 1.1 Protocol endpoint, exercised over real HTTP."""
from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from http.client import HTTPConnection
from pathlib import Path

import psutil
import pyoxigraph as ox
import pytest
import rdflib

from kg.query.engine import QueryError, load_graph, run_query
from kg.query.results import QueryResult, Term
from kg.query.server import DEFAULT_TIMEOUT, MAX_BODY_BYTES, make_server, negotiate, RESULT_TYPES
from kg.query.store import StoreError, load_store, open_store

from conftest import load_query_fixture

ROOT = Path(__file__).resolve().parents[2]
QUERIES = sorted((ROOT / "queries").glob("*.rq"))
SRX = "{http://www.w3.org/2005/sparql-results#}"


fixture = load_query_fixture()


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory) -> Path:
    return fixture.write_graph(tmp_path_factory.mktemp("graph") / "graph.ttl")


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory, graph_file) -> Path:
    path = tmp_path_factory.mktemp("store") / "db"
    load_store(path, graph_file)
    return path


#: Runs for hours on any store: the stand-in for a runaway query.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?m a aikg:Model }"
#: COUNT's answer on the fixture, as CSV.
FIVE = "n\r\n5\r\n"


def _start(store_dir, **kwargs):
    kwargs.setdefault("quiet", True)
    server = make_server(store_dir, "127.0.0.1", 0, **kwargs)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def _stop(server, thread):
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)
    assert not thread.is_alive()


@pytest.fixture(scope="module")
def endpoint(store_dir):
    # A generous limit: the queries here are quick, but the machine may be busy.
    server, thread = _start(store_dir, timeout=120)
    yield server.url
    _stop(server, thread)


def http(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, str, str]:
    """(status, content type, body) of one request; errors are answers too."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read().decode("utf-8")


def count(url: str) -> tuple[int, str]:
    """(status, CSV body) of COUNT."""
    status, _, body = http(f"{url}?{urllib.parse.urlencode({'query': COUNT})}", headers={"Accept": "text/csv"})
    return status, body


# -- turning each format back into comparable rows -------------------------------


def _cell(term: Term | None):
    if term is None:
        return None
    if term.kind == "literal" and term.datatype and term.datatype.endswith(("#integer", "#decimal", "#double")):
        return ("number", float(term.value))
    return (term.kind, term.value, term.datatype or "", term.lang or "")


def expected_rows(result: QueryResult) -> list:
    return sorted((tuple(_cell(t) for t in row) for row in result.rows), key=repr)


def rows_from_json(body: str, variables) -> list:
    doc = json.loads(body)
    assert doc["head"]["vars"] == list(variables)
    out = []
    for binding in doc["results"]["bindings"]:
        row = []
        for var in variables:
            b = binding.get(var)
            row.append(None if b is None else _cell(Term(b["type"], b["value"], b.get("datatype"), b.get("xml:lang"))))
        out.append(tuple(row))
    return sorted(out, key=repr)


def rows_from_xml(body: str, variables) -> list:
    root = ET.fromstring(body)
    assert [v.get("name") for v in root.iter(SRX + "variable")] == list(variables)
    out = []
    for result in root.iter(SRX + "result"):
        found = {}
        for binding in result.findall(SRX + "binding"):
            (node,) = list(binding)
            kind = node.tag[len(SRX):]
            term = Term(
                {"uri": "uri", "literal": "literal", "bnode": "bnode"}[kind],
                node.text or "",
                node.get("datatype"),
                node.get("{http://www.w3.org/XML/1998/namespace}lang"),
            )
            found[binding.get("name")] = _cell(term)
        out.append(tuple(found.get(v) for v in variables))
    return sorted(out, key=repr)


def csv_rows(result: QueryResult) -> list:
    def value(t: Term | None) -> str:
        if t is None:
            return ""
        return "_:" + t.value if t.kind == "bnode" else t.value

    return sorted(([value(t) for t in row] for row in result.rows), key=repr)


# -- the queries in queries/ over HTTP ---------------------------------------------


@pytest.fixture(scope="module")
def in_process(store_dir, graph_file):
    """Each query's answer in-process, on the served store and on rdflib."""
    store = open_store(store_dir)
    graph = load_graph(graph_file, "rdflib")
    answers = {}
    for path in QUERIES:
        text = path.read_text(encoding="utf-8")
        on_store = run_query(text, store)
        on_rdflib = run_query(text, graph)
        if on_store.form == "SELECT":
            assert expected_rows(on_store) == expected_rows(on_rdflib)
        answers[path.name] = (text, on_store)
    return answers


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.name)
def test_every_query_over_get_and_post(path, endpoint, in_process):
    text, expected = in_process[path.name]
    encoded = urllib.parse.urlencode({"query": text})
    if expected.form == "GRAPH":
        status, ctype, body = http(f"{endpoint}?{encoded}", headers={"Accept": "text/turtle"})
        assert status == 200 and ctype.startswith("text/turtle")
        got = rdflib.Graph().parse(data=body, format="turtle")
        assert len(got) == len(expected.triples) > 0
        status, ctype, body = http(endpoint, data=text.encode(), headers={
            "Content-Type": "application/sparql-query", "Accept": "application/n-triples"})
        assert status == 200 and ctype.startswith("application/n-triples")
        assert len(rdflib.Graph().parse(data=body, format="nt")) == len(expected.triples)
        return
    if expected.form == "ASK":
        status, _, body = http(f"{endpoint}?{encoded}")
        assert status == 200 and json.loads(body) == {"head": {}, "boolean": expected.boolean}
        status, _, body = http(endpoint, data=encoded.encode(), headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+xml"})
        assert ET.fromstring(body).find(SRX + "boolean").text == str(expected.boolean).lower()
        return

    want = expected_rows(expected)
    assert want, "the fixture should give every SELECT query some rows"
    # GET, JSON (the default)
    status, ctype, body = http(f"{endpoint}?{encoded}")
    assert status == 200 and ctype.startswith("application/sparql-results+json")
    assert rows_from_json(body, expected.variables) == want
    # POST application/sparql-query, CSV
    status, ctype, body = http(endpoint, data=text.encode("utf-8"), headers={
        "Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert status == 200 and ctype.startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body, newline="")))
    assert rows[0] == list(expected.variables)
    assert sorted(rows[1:], key=repr) == csv_rows(expected)
    # POST form, XML, on the /query alias
    status, ctype, body = http(endpoint.replace("/sparql", "/query"), data=encoded.encode("ascii"), headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+xml"})
    assert status == 200 and ctype.startswith("application/sparql-results+xml")
    assert rows_from_xml(body, expected.variables) == want
    # GET, JSON again: the same bytes (deterministic order)
    assert http(f"{endpoint}?{encoded}")[2] == http(f"{endpoint}?{encoded}")[2]


# -- protocol details -------------------------------------------------------------


def test_ask_over_http(endpoint):
    for query, answer in (("ASK { ?m a aikg:Model }", True), ("ASK { ?m a aikg:Nothing }", False)):
        encoded = urllib.parse.urlencode({"query": query})
        status, ctype, body = http(f"{endpoint}?{encoded}")
        assert status == 200 and ctype.startswith("application/sparql-results+json")
        assert json.loads(body) == {"head": {}, "boolean": answer}
        status, ctype, body = http(endpoint, data=query.encode(), headers={
            "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+xml"})
        assert ET.fromstring(body).find(SRX + "boolean").text == str(answer).lower()


def test_updates_are_refused_when_read_only(endpoint):
    update = "INSERT DATA { <http://ex/s> <http://ex/p> <http://ex/o> }"
    status, _, body = http(endpoint, data=update.encode(), headers={"Content-Type": "application/sparql-update"})
    assert status == 403 and "read-only" in body
    status, _, _ = http(endpoint, data=urllib.parse.urlencode({"update": update}).encode(),
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403
    status, _, _ = http(endpoint + "?" + urllib.parse.urlencode({"update": update}))
    assert status == 403
    ask = urllib.parse.urlencode({"query": "ASK { <http://ex/s> ?p ?o }"})
    assert json.loads(http(f"{endpoint}?{ask}")[2])["boolean"] is False


def test_updates_are_applied_with_allow_update(tmp_path, graph_file):
    store_dir = tmp_path / "rw"
    load_store(store_dir, graph_file)
    server, thread = _start(store_dir, allow_update=True)
    try:
        update = "INSERT DATA { model:new a aikg:Model }"  # predeclared prefixes work here too
        status, _, _ = http(server.url, data=update.encode(), headers={"Content-Type": "application/sparql-update"})
        assert status == 204
        ask = urllib.parse.urlencode({"query": "ASK { model:new a aikg:Model }"})
        assert json.loads(http(f"{server.url}?{ask}")[2])["boolean"] is True
        status, _, body = http(server.url, data=b"INSERT DATA { oops", headers={"Content-Type": "application/sparql-update"})
        assert status == 400 and "line 1" in body
        # Writers and readers at once: the single read-write worker takes them in turn.
        statuses = []

        def write(i: int) -> None:
            statuses.append(http(server.url, data=f"INSERT DATA {{ model:w{i} a aikg:Model }}".encode(),
                                 headers={"Content-Type": "application/sparql-update"})[0])
            statuses.append(http(f"{server.url}?{ask}")[0])

        threads = [threading.Thread(target=write, args=(i,)) for i in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(statuses) == [200] * 12 + [204] * 12
        q = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?m a aikg:Model FILTER(STRSTARTS(STR(?m), STR(model:w))) }"})
        assert http(f"{server.url}?{q}", headers={"Accept": "text/csv"})[2] == "n\r\n12\r\n"
    finally:
        _stop(server, thread)


def test_bad_query_is_400_with_the_position(endpoint):
    query = "SELECT ?x\nWHERE {\n  ?x ?y ?z .\n}\nLIMIT ?x"
    status, ctype, body = http(endpoint + "?" + urllib.parse.urlencode({"query": query}))
    assert status == 400 and ctype.startswith("text/plain")
    assert "line 5" in body


def test_content_negotiation(endpoint):
    q = urllib.parse.urlencode({"query": "SELECT ?m WHERE { ?m a aikg:Model }"})
    status, ctype, _ = http(f"{endpoint}?{q}", headers={"Accept": "text/csv;q=0.5, application/sparql-results+xml"})
    assert status == 200 and ctype.startswith("application/sparql-results+xml")
    status, ctype, body = http(f"{endpoint}?{q}", headers={"Accept": "text/tab-separated-values"})
    assert ctype.startswith("text/tab-separated-values") and body.startswith("?m\n<https://w3id.org/aikg/id/model/")
    status, ctype, _ = http(f"{endpoint}?{q}", headers={"Accept": "*/*"})
    assert ctype.startswith("application/sparql-results+json")
    status, _, body = http(f"{endpoint}?{q}", headers={"Accept": "image/png"})
    assert status == 406 and "application/sparql-results+json" in body
    status, ctype, _ = http(f"{endpoint}?{q}&format=csv", headers={"Accept": "image/png"})
    assert status == 200 and ctype.startswith("text/csv")
    assert negotiate("text/*;q=0.9, application/sparql-results+json;q=0.1", RESULT_TYPES) == "text/csv"


def test_other_paths_and_methods(endpoint):
    root = endpoint.rsplit("/", 1)[0]
    assert http(root + "/nothing")[0] == 404
    assert http(root + "/")[0] == 200
    status, _, _ = http(endpoint, data=b"query", headers={"Content-Type": "text/plain"})
    assert status == 415
    status, _, body = http(endpoint, data=b"x=1", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400
    status, _, body = http(endpoint + "?" + urllib.parse.urlencode({
        "query": "ASK {}", "default-graph-uri": "http://ex/g"}))
    assert status == 400 and "default-graph-uri" in body


_CLI = (
    "import argparse, sys\n"
    "from kg.cli import query as cli_query\n"
    "parser = argparse.ArgumentParser(prog='kg')\n"
    "cli_query.register(parser.add_subparsers(dest='command'))\n"
    "args = parser.parse_args(sys.argv[1:])\n"
    "sys.exit(args.func(args))\n"
)
_LOG_LINE = re.compile(r"^\S+ 127\.0\.0\.1 (GET|POST) (/\S*) (\d{3}) \d+\.\d ms (\d+) B$")


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_serve_command_starts_answers_logs_and_stops(store_dir, stop):
    proc = subprocess.Popen(
        [sys.executable, "-c", _CLI, "serve", "--store", str(store_dir), "--port", "0",
         "--timeout", "1", "--max-concurrent", "2"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        line = proc.stdout.readline()
        assert "http://127.0.0.1:" in line, line + proc.stderr.read()
        url = line.split()[3]
        workers = psutil.Process(proc.pid).children(recursive=True)
        q = urllib.parse.urlencode({"query": COUNT})
        status, _, body = http(f"{url}?{q}", headers={"Accept": "text/csv"})
        assert status == 200 and body == "n\r\n5\r\n"
        assert http(url, data=b"SELECT ?x WHERE { ?x ?y }", headers={"Content-Type": "application/sparql-query"})[0] == 400
        assert http(url, data=SLOW.encode(), headers={"Content-Type": "application/sparql-query"})[0] == 504
        assert http(url.replace("/sparql", "/nothing"))[0] == 404
        assert http(f"{url}?{q}", headers={"Accept": "text/csv"})[2] == "n\r\n5\r\n"
        proc.send_signal(stop)
        assert proc.wait(timeout=30) == 0
        log = proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    assert "Traceback" not in log
    lines = [m.groups() for m in map(_LOG_LINE.match, log.splitlines()) if m]
    assert [(method, path, status) for method, path, status, _ in lines] == [
        ("GET", "/sparql", "200"), ("POST", "/sparql", "400"), ("POST", "/sparql", "504"),
        ("GET", "/nothing", "404"), ("GET", "/sparql", "200")]
    assert [int(size) for *_, size in lines] == [len(COUNT), 25, len(SLOW), 0, len(COUNT)]
    assert "stopping" in log.splitlines()
    # The workers went with it (the killed one was replaced, and that one went too).
    gone, alive = psutil.wait_procs(workers, timeout=10)
    assert not [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]


def test_serve_needs_a_store(tmp_path, capsys):
    import argparse

    from kg.cli import query as cli_query

    parser = argparse.ArgumentParser(prog="kg")
    cli_query.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["serve", "--store", str(tmp_path / "none"), "--port", "0"])
    assert args.func(args) == 2
    err = capsys.readouterr().err
    assert "kg load --store" in err
    assert args.host == "127.0.0.1"
    assert args.timeout == DEFAULT_TIMEOUT  # the parser names it without importing the server
    with pytest.raises(StoreError):
        make_server(tmp_path / "none", port=0)
    with pytest.raises(TypeError):
        make_server(ox.Store(), port=0)  # the workers open the store themselves: give its directory


# -- several clients, limits -----------------------------------------------------------


MALFORMED = ["SELECT ?x WHERE { ?x ?y }", "SELECT ?x\nWHERE {\n  ?x ?y ?z .\n}\nLIMIT ?x",
             "SELEC ?x WHERE { ?x ?y ?z }", "ASK { ?x a aikg:Model . FILTER(?x = ) }"]


def _check_answer(text: str, expected: QueryResult | QueryError, status: int, body: str) -> None:
    """A JSON answer (or 400) over HTTP is the in-process answer of run_query."""
    if isinstance(expected, QueryError):
        assert (status, body) == (400, f"query error: {expected}\n"), text
    elif expected.form == "ASK":
        assert status == 200 and json.loads(body)["boolean"] == expected.boolean, text
    elif expected.form == "GRAPH":
        assert status == 200, text
        assert len(rdflib.Graph().parse(data=body, format="turtle")) == len(expected.triples), text
    else:
        assert status == 200 and rows_from_json(body, expected.variables) == expected_rows(expected), text


def test_concurrent_good_and_bad_queries_are_all_answered_correctly(endpoint, store_dir, in_process):
    store = open_store(store_dir)
    expected: dict[str, QueryResult | QueryError] = {text: answer for text, answer in in_process.values()}
    for text in MALFORMED:
        with pytest.raises(QueryError) as info:
            run_query(text, store)
        expected[text] = info.value
    texts = sorted(expected)
    update = "INSERT DATA { model:intruder a aikg:Model }"
    failures: list[str] = []

    def client(k: int) -> None:
        rng = random.Random(k)
        try:
            for i in range(8):
                text = rng.choice(texts)
                if i % 3 == 0:
                    status, _, body = http(f"{endpoint}?{urllib.parse.urlencode({'query': text})}")
                else:
                    status, _, body = http(endpoint, data=text.encode(), headers={"Content-Type": "application/sparql-query"})
                _check_answer(text, expected[text], status, body)
                if i == 4:
                    assert http(endpoint, data=update.encode(), headers={"Content-Type": "application/sparql-update"})[0] == 403
        except AssertionError as exc:
            failures.append(str(exc)[:500])

    threads = [threading.Thread(target=client, args=(k,)) for k in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    ask = urllib.parse.urlencode({"query": "ASK { model:intruder ?p ?o }"})
    assert json.loads(http(f"{endpoint}?{ask}")[2])["boolean"] is False


def test_a_slow_query_ends_at_the_time_limit_and_the_server_still_answers(store_dir):
    server, thread = _start(store_dir, timeout=1, max_concurrent=1)
    try:
        (before,) = [w.process.pid for w in server.pool._idle]
        status, _, body = http(server.url, data=SLOW.encode(), headers={"Content-Type": "application/sparql-query"})
        assert status == 504
        assert "time limit of 1 s" in body
        # The runaway's process is gone, not left spinning; a fresh worker answers.
        assert not psutil.pid_exists(before) or psutil.Process(before).status() == psutil.STATUS_ZOMBIE
        q = urllib.parse.urlencode({"query": COUNT})
        assert count(server.url) == (200, FIVE)
        assert server.pool.counts()["idle"] == 1
    finally:
        _stop(server, thread)


def _send_and_hold(url: str, query: str) -> socket.socket:
    """Send a query on a raw connection and leave it waiting for the answer."""
    parts = urllib.parse.urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port))
    body = query.encode()
    sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                 + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    return sock


def _wait_for(condition, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.02)


def test_beyond_the_bounds_a_query_gets_503_with_retry_after(store_dir):
    server, thread = _start(store_dir, max_concurrent=1, max_queue=0)
    try:
        held = _send_and_hold(server.url, SLOW)
        _wait_for(lambda: server.pool.counts()["busy"] == 1, "the slow query to start")
        q = urllib.parse.urlencode({"query": COUNT})
        request = urllib.request.Request(f"{server.url}?{q}")
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(request, timeout=30)
        assert info.value.code == 503
        assert int(info.value.headers["Retry-After"]) >= 1
        assert "busy" in info.value.read().decode()
        # The client of the slow query gives up: its worker is freed at once, not at the time limit.
        held.close()
        _wait_for(lambda: server.pool.counts()["idle"] == 1, "the worker to be replaced")
        assert count(server.url) == (200, FIVE)
    finally:
        _stop(server, thread)


def test_within_the_queue_bound_a_query_waits_for_its_turn(store_dir):
    server, thread = _start(store_dir, max_concurrent=1, max_queue=2)
    try:
        held = _send_and_hold(server.url, SLOW)
        _wait_for(lambda: server.pool.counts()["busy"] == 1, "the slow query to start")
        answers: list = []
        q = urllib.parse.urlencode({"query": COUNT})
        waiters = [threading.Thread(target=lambda: answers.append(http(f"{server.url}?{q}", headers={"Accept": "text/csv"})))
                   for _ in range(2)]
        for t in waiters:
            t.start()
        _wait_for(lambda: server.pool.counts()["waiting"] == 2, "two requests to wait")
        over = urllib.request.Request(f"{server.url}?{q}")
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(over, timeout=30)
        assert info.value.code == 503 and info.value.headers["Retry-After"]  # the third would exceed the queue
        held.close()
        for t in waiters:
            t.join(60)
        assert [(s, b) for s, _, b in answers] == [(200, "n\r\n5\r\n")] * 2
    finally:
        _stop(server, thread)


def test_oversized_and_broken_requests_do_not_break_the_server(endpoint):
    parts = urllib.parse.urlsplit(endpoint)
    # A body over the limit, sent whole: 413, read by the client.
    conn = HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request("POST", "/sparql", body=b"#" * (MAX_BODY_BYTES + 1), headers={"Content-Type": "application/sparql-query"})
    response = conn.getresponse()
    assert response.status == 413 and str(MAX_BODY_BYTES) in response.read().decode()
    conn.close()

    def raw(data: bytes, hang_up: bool = False) -> bytes:
        with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
            sock.sendall(data)
            if hang_up:
                sock.shutdown(socket.SHUT_WR)
            out = b""
            while chunk := sock.recv(65536):
                out += chunk
            return out

    # Announced with Expect: 100-continue, refused before the body is sent.
    big = raw(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
              b"Content-Length: 50000000\r\nExpect: 100-continue\r\n\r\n")
    assert big.startswith(b"HTTP/1.1 413")
    assert raw(b"GET /a space HTTP/1.1\r\n\r\n").startswith(b"HTTP/1.1 400")
    assert raw(b"POST /sparql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
               b"Content-Type: application/sparql-query\r\n\r\n5\r\nASK {\r\n0\r\n\r\n").startswith(b"HTTP/1.1 411")
    raw(b"GET /sparql?query=ASK%20%7B%7D HTTP/1.1\r\nHost: x\r\nContent-", hang_up=True)  # whatever it gets
    q = urllib.parse.urlencode({"query": COUNT})
    assert count(endpoint) == (200, FIVE)
