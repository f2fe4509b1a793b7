"""kg serve: the SPARQL 1.1 Protocol endpoint, exercised over real HTTP."""
from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import rdflib

from kg.query.engine import load_graph, run_query
from kg.query.results import QueryResult, Term
from kg.query.server import make_server, negotiate, RESULT_TYPES
from kg.query.store import load_store, open_store

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


def _start(store, **kwargs):
    server = make_server(store, "127.0.0.1", 0, quiet=True, **kwargs)
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
    server, thread = _start(open_store(store_dir))
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
    server, thread = _start(open_store(store_dir, read_only=False), allow_update=True)
    try:
        update = "INSERT DATA { model:new a aikg:Model }"  # predeclared prefixes work here too
        status, _, _ = http(server.url, data=update.encode(), headers={"Content-Type": "application/sparql-update"})
        assert status == 204
        ask = urllib.parse.urlencode({"query": "ASK { model:new a aikg:Model }"})
        assert json.loads(http(f"{server.url}?{ask}")[2])["boolean"] is True
        status, _, body = http(server.url, data=b"INSERT DATA { oops", headers={"Content-Type": "application/sparql-update"})
        assert status == 400 and "line 1" in body
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


def test_serve_command_starts_answers_and_stops_on_ctrl_c(store_dir):
    code = (
        "import argparse, sys\n"
        "from kg.cli import query as cli_query\n"
        "parser = argparse.ArgumentParser(prog='kg')\n"
        "cli_query.register(parser.add_subparsers(dest='command'))\n"
        "args = parser.parse_args(sys.argv[1:])\n"
        "sys.exit(args.func(args))\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "serve", "--store", str(store_dir), "--port", "0", "--quiet"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        line = proc.stdout.readline()
        assert "http://127.0.0.1:" in line, line + proc.stderr.read()
        url = line.split()[3]
        q = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?m a aikg:Model }"})
        status, _, body = http(f"{url}?{q}", headers={"Accept": "text/csv"})
        assert status == 200 and body == "n\r\n5\r\n"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()


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
