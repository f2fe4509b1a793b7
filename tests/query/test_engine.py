"""kg query: the queries in queries/, both engines, output formats, errors."""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib

from kg.cli import query as cli_query
from kg.query.engine import (
    ENGINES,
    GraphFileError,
    QueryError,
    canonical_term,
    declared_prefixes,
    load_graph,
    run_query,
    with_prefixes,
)
from kg.query.results import XSD, QueryResult, Term, display_width, format_table
from kg.vocab import PREFIXES

from conftest import load_query_fixture

ROOT = Path(__file__).resolve().parents[2]
QUERIES = sorted((ROOT / "queries").glob("*.rq"))


fixture = load_query_fixture()

#: Runs the sub-commands of kg/cli_query.py alone, the way kg.cli.main does, so
#: these tests do not depend on the other commands' modules importing.
CLI = (
    "import argparse, sys\n"
    "from kg.cli import query as cli_query\n"
    "parser = argparse.ArgumentParser(prog='kg')\n"
    "cli_query.register(parser.add_subparsers(dest='command'))\n"
    "args = parser.parse_args(sys.argv[1:])\n"
    "sys.exit(args.func(args))\n"
)


def main(argv: list[str]) -> int:
    """``kg`` with only the query sub-commands registered."""
    parser = argparse.ArgumentParser(prog="kg")
    cli_query.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return int(args.func(args))


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory) -> Path:
    return fixture.write_graph(tmp_path_factory.mktemp("graph") / "graph.ttl")


@pytest.fixture(scope="module")
def engines(graph_file):
    return {engine: load_graph(graph_file, engine) for engine in ENGINES}


def comparable(result: QueryResult) -> list:
    """Rows (or triples) as sorted tuples, numbers compared by value."""

    def cell(term: Term | None):
        if term is None:
            return None
        if term.kind == "literal" and term.datatype in {XSD + "integer", XSD + "decimal", XSD + "double", XSD + "float"}:
            return ("number", Decimal(term.value))
        return (term.kind, term.value, term.datatype or "", term.lang or "")

    if result.form == "ASK":
        return [result.boolean]
    rows = result.triples if result.form == "GRAPH" else result.rows
    return sorted((tuple(cell(t) for t in row) for row in rows), key=repr)


def labels(result: QueryResult, var: str) -> list[str | None]:
    i = result.variables.index(var)
    return [None if row[i] is None else row[i].value for row in result.rows]


def test_there_are_at_least_ten_commented_queries():
    assert len(QUERIES) >= 10
    for path in QUERIES:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# "), path.name


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.name)
def test_every_query_answers_the_same_on_both_engines(path, engines):
    text = path.read_text(encoding="utf-8")
    results = {engine: run_query(text, source) for engine, source in engines.items()}
    assert comparable(results["rdflib"]) == comparable(results["oxigraph"])
    assert results["rdflib"].variables == results["oxigraph"].variables
    # The fixture is built so that every query has something to say.
    result = results["rdflib"]
    assert result.rows or result.triples


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.name)
def test_every_query_prints_identically_on_both_engines(path, graph_file, capsys):
    outputs = []
    for engine in ENGINES:
        assert main(["query", str(path), "--graph", str(graph_file), "--engine", engine]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]


def _run(name: str, engines) -> QueryResult:
    return run_query((ROOT / "queries" / name).read_text(encoding="utf-8"), engines["rdflib"])


def test_twelve_days_in_day_order(engines):
    result = _run("01_twelve_days.rq", engines)
    assert labels(result, "n") == ["1", "1", "2", "9", "9", "10", "12", "12"]
    day9 = {row[3].value for row in result.rows if row[0].value == "9"}
    assert day9 == {"Realtime API", "preference fine-tuning"}
    assert set(labels(result, "event")) == {"12 Days of OpenAI"}


def test_model_features_with_passages(engines):
    result = _run("02_model_features.rq", engines)
    pairs = set(zip(labels(result, "feature"), labels(result, "path")))
    assert pairs == {
        ("function calling", "seeds/000_6488b7824c9f93ac.txt"),
        ("function calling", "seeds/001_dbb4ad8a9bd4544b.txt"),
        ("structured outputs", "seeds/001_dbb4ad8a9bd4544b.txt"),
        ("vision input", "seeds/001_dbb4ad8a9bd4544b.txt"),
    }
    assert len(result.rows) == 5  # vision input has two passages
    assert "o1 可以\"看\"图" in labels(result, "evidence")


def test_o3_results_and_sources(engines):
    result = _run("03_o3_benchmarks.rq", engines)
    got = sorted(zip(labels(result, "benchmark"), map(Decimal, labels(result, "score")), labels(result, "path")))
    assert got == [
        ("AIME", Decimal("96.7"), "seeds/000_6488b7824c9f93ac.txt"),
        ("Codeforces", Decimal("2724"), "seeds/002_2c917f2757f00905.txt"),
        ("Codeforces", Decimal("2727"), "seeds/000_6488b7824c9f93ac.txt"),
    ]


def test_people_and_employers(engines):
    result = _run("04_people_employers.rq", engines)
    got = {(r[0].value, r[1].value if r[1] else None, int(r[2].value)) for r in result.rows}
    assert got == {("Sam Altman", "OpenAI", 2), ("刘知远", "面壁智能", 1), ("ZHQ", None, 0)}


def test_facts_with_two_sources(engines):
    result = _run("05_multi_source_facts.rq", engines)
    got = {(r[0].value, r[1].value.rsplit("#", 1)[1], r[2].value) for r in result.rows}
    assert got == {
        ("o1", "hasFeature", "function calling"),
        ("o1", "developedBy", "OpenAI"),
        ("Sam Altman", "worksFor", "OpenAI"),
    }
    assert all(r[3].value == "2" for r in result.rows)


def test_disagreements(engines):
    result = _run("06_conflicting_facts.rq", engines)
    got = {(r[0].value, r[1].value, r[2].value, r[3].value, r[5].value) for r in result.rows}
    assert got == {
        ("benchmark score", "o3", "Codeforces", "2724", "2727"),
        ("price", "ChatGPT Pro", "USD per month", "20", "200"),
        ("relation", "Sora", "developedBy", "生数科技", "OpenAI"),
    }


def test_everything_from_one_document(engines):
    result = _run("07_document_facts.rq", engines)
    starts = [int(s) for s in labels(result, "start")]
    assert starts == sorted(starts)
    # 17 statements of the fixture cite document A; nothing from B or C.
    assert len(result.rows) == 17
    assert "OpenAI 与谷歌竞争" in labels(result, "evidence")
    assert "AIME 96.7%" not in labels(result, "evidence")


def test_provenance_coverage(engines):
    result = _run("16_provenance_coverage.rq", engines)
    rows = {r[0].value.rsplit("#", 1)[1]: tuple(int(t.value) for t in r[1:]) for r in result.rows}
    assert rows["hasFeature"] == (3, 3, 5)
    assert rows["mentionedIn"][0] == rows["mentionedIn"][1] > 30
    assert all(triples == sourced for triples, sourced, _ in rows.values())


def test_aliases_and_rivals(engines):
    aliases = _run("08_aliases.rq", engines)
    o1 = {(r[2].value, r[3].value) for r in aliases.rows if r[1].value.endswith("/model/o1")}
    assert o1 == {("label", "o1"), ("label", "o1 模型"), ("altLabel", "O1"), ("altLabel", "满血版o1")}
    rivals = _run("09_rivals.rq", engines)
    assert {(r[0].value, r[1].value, r[2].value) for r in rivals.rows} == {("Google", "OpenAI", "2"), ("Gemini", "o1", "1")}


def test_order_by_is_kept_and_rows_are_sorted_otherwise(engines):
    for source in engines.values():
        desc = run_query("SELECT ?s WHERE { ?r aikg:score ?s } ORDER BY DESC(?s)", source)
        assert [Decimal(v) for v in labels(desc, "s")] == [Decimal("2727"), Decimal("2724"), Decimal("96.7"), Decimal("83.3")]
        plain = run_query("SELECT ?s WHERE { ?r aikg:score ?s }", source)
        assert [Decimal(v) for v in labels(plain, "s")] == [Decimal("83.3"), Decimal("96.7"), Decimal("2724"), Decimal("2727")]


def test_output_is_the_same_under_other_hash_seeds(graph_file):
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run(
            [sys.executable, "-c", CLI, "query", query, "--graph", str(graph_file), "--format", "csv"],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True,
        )
        outputs.append(proc.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0].count("\n") > 300


#: Run in a fresh interpreter: rdflib's grammar goes wrong only while it is
#: cold (the first calls of each parse action), which the tests before this
#: one have long since made. Threads start together on a cold parser, then the
#: same queries run one by one and every answer must be the same.
_THREADS = """
import sys, threading
from kg.query.engine import QueryError, load_graph, run_query
graph = load_graph(sys.argv[1], sys.argv[2])
queries = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?m WHERE { ?m a aikg:Model } ORDER BY ?m",
    "SELECT ?x WHERE { ?x ?y }",
    "ASK { ?m a aikg:Model }",
    "CONSTRUCT { ?x aikg:hasFeature ?f } WHERE { ?x aikg:hasFeature ?f }",
    "SELECT ?s WHERE { ?r aikg:score ?s } ORDER BY DESC(?s)",
    "SELECT ?x\\nWHERE {\\n  ?x ?y ?z .\\n}\\nLIMIT ?x",
]
def answer(q):
    try:
        return run_query(q, graph)
    except QueryError as exc:
        return ("QueryError", str(exc))
    except Exception as exc:
        return ("crash", repr(exc))
got = []
start = threading.Barrier(16)
def client(k):
    start.wait()
    for i in range(3 * len(queries)):
        q = queries[(i + k) % len(queries)]
        got.append((q, answer(q)))
threads = [threading.Thread(target=client, args=(k,)) for k in range(16)]
for t in threads: t.start()
for t in threads: t.join()
want = {q: answer(q) for q in queries}
assert all(not (isinstance(a, tuple) and a[0] == "crash") for a in want.values()), want
bad = [(q, a) for q, a in got if a != want[q]]
print(len(got), len(bad), bad[:2])
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_run_query_from_many_threads_at_once(graph_file, engine):
    proc = subprocess.run([sys.executable, "-c", _THREADS, str(graph_file), engine],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.split()[:2] == ["336", "0"], proc.stdout

# -- output formats ----------------------------------------------------------


def test_json_output_is_sparql_results_json(graph_file, engines, capsys):
    query = str(ROOT / "queries" / "03_o3_benchmarks.rq")
    assert main(["query", query, "--graph", str(graph_file), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    expected = _run("03_o3_benchmarks.rq", engines)
    assert doc["head"]["vars"] == list(expected.variables)
    assert len(doc["results"]["bindings"]) == len(expected.rows)
    first = doc["results"]["bindings"][0]
    assert first["benchmark"] == {"type": "literal", "value": "AIME"}
    assert first["score"] == {"type": "literal", "value": "96.7", "datatype": XSD + "decimal"}


def test_csv_output(graph_file, capsys):
    assert main(["query", "SELECT ?doc ?title WHERE { ?doc dcterms:title ?title } ORDER BY ?title",
                 "--graph", str(graph_file), "--format", "csv", "--engine", "oxigraph"]) == 0
    out = capsys.readouterr().out
    assert "\r\n" in out
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["doc", "title"]
    assert rows[1] == ["https://w3id.org/aikg/id/doc/000_6488b7824c9f93ac", "OpenAI 12天重大发布汇总"]
    assert len(rows) == 4


def test_table_aligns_wide_characters(graph_file, capsys):
    query = "SELECT ?name ?lang WHERE { ?e rdfs:label ?l . BIND(STR(?l) AS ?name) BIND(LANG(?l) AS ?lang) } ORDER BY ?name"
    assert main(["query", query, "--graph", str(graph_file)]) == 0
    lines = capsys.readouterr().out.splitlines()
    header, rule, body, footer = lines[0], lines[1], lines[2:-1], lines[-1]
    column = display_width(rule.split("  ")[0]) + 2
    assert any(display_width(line) != len(line) for line in body)  # there are CJK rows
    for line in [header, *body]:
        chars, width = 0, 0
        while width < column:
            width += display_width(line[chars])
            chars += 1
        assert width == column and line[chars] != " ", line  # second column starts at the same place
    assert footer == f"({len(body)} rows)"


def test_ask_and_construct(graph_file, capsys):
    assert main(["query", "ASK { ?m a aikg:Model }", "--graph", str(graph_file)]) == 0
    assert capsys.readouterr().out == "true\n"
    assert main(["query", "ASK { ?m a aikg:Nothing }", "--graph", str(graph_file), "--engine", "oxigraph"]) == 0
    assert capsys.readouterr().out == "false\n"
    outs = []
    for engine in ENGINES:
        assert main(["query", str(ROOT / "queries" / "15_feature_graph.rq"), "--graph", str(graph_file), "--engine", engine]) == 0
        outs.append(capsys.readouterr().out)
    assert outs[0] == outs[1]
    g = rdflib.Graph().parse(data=outs[0], format="turtle")
    assert len(g) == 3 + 2  # 3 hasFeature edges of o1 and its en+zh labels


def test_table_truncates_on_request(engines):
    result = _run("02_model_features.rq", engines)
    text = format_table(result, PREFIXES, max_width=12)
    assert "…" in text
    assert all(display_width(cell) <= 12 for line in text.splitlines()[2:-1] for cell in line.split("  ") if cell)


# -- errors ------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_syntax_error_reports_the_position_in_the_users_text(graph_file, engine, capsys):
    query = "SELECT ?x\nWHERE {\n  ?x a aikg:Model\n  FILTER(?x = )\n}"
    code = main(["query", query, "--graph", str(graph_file), "--engine", engine])
    err = capsys.readouterr().err
    assert code == 2
    assert "syntax error at line " in err
    line = int(err.split("syntax error at line ")[1].split(",")[0])
    assert 1 <= line <= 5  # not shifted by the predeclared PREFIX lines
    assert "^" in err


@pytest.mark.parametrize("engine", ENGINES)
def test_error_line_is_shifted_back_by_the_prefix_lines(engine):
    source = rdflib.Graph() if engine == "rdflib" else __import__("pyoxigraph").Store()
    with pytest.raises(QueryError) as info:
        run_query("SELECT ?x\nWHERE {\n  ?x ?y ?z .\n}\nLIMIT ?x", source)
    assert info.value.line == 5


def test_undeclared_prefix_is_located(engines):
    with pytest.raises(QueryError) as info:
        run_query("SELECT ?x\nWHERE { ?x a nope:Thing }", engines["rdflib"])
    assert info.value.line == 2 and info.value.column == 14
    with pytest.raises(QueryError) as info:
        run_query("SELECT ?x\nWHERE { ?x a nope:Thing }", engines["oxigraph"])
    assert info.value.line == 2


def test_missing_graph_file(tmp_path, capsys):
    missing = tmp_path / "nowhere.ttl"
    assert main(["query", "ASK {}", "--graph", str(missing)]) == 2
    err = capsys.readouterr().err
    assert str(missing) in err and "kg build" in err
    with pytest.raises(GraphFileError):
        load_graph(missing, "oxigraph")


# -- prefixes and terms --------------------------------------------------------


def test_own_prefix_declarations_win():
    query = "# comment\nprefix aikg: <http://example.org/>\nBASE <http://b/>\nPREFIX : <http://e/>\nSELECT * { ?s a aikg:Model }"
    assert declared_prefixes(query) == {"aikg", ""}
    prepared = with_prefixes(query)
    assert prepared.added_lines == len(PREFIXES) - 1
    assert "PREFIX aikg:" not in prepared.text.split("# comment")[0]
    assert prepared.text.endswith(query)


def test_own_prefix_changes_the_answer(engines):
    for source in engines.values():
        mine = run_query("PREFIX aikg: <http://example.org/>\nSELECT ?m WHERE { ?m a aikg:Model }", source)
        assert mine.rows == ()
        ours = run_query("SELECT ?m WHERE { ?m a aikg:Model }", source)
        assert len(ours.rows) == 5


def test_query_argument_can_be_a_file(tmp_path, graph_file, capsys):
    path = tmp_path / "q.rq"
    path.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?m a aikg:Model }", encoding="utf-8")
    assert main(["query", str(path), "--graph", str(graph_file), "--format", "csv"]) == 0
    assert capsys.readouterr().out == "n\r\n5\r\n"


@pytest.mark.parametrize(
    ("lexical", "datatype", "expected"),
    [
        ("0.90", "decimal", ("0.9", "decimal")),
        ("2727.0", "decimal", ("2727", "decimal")),
        ("-0.0", "decimal", ("0", "decimal")),
        ("007", "long", ("7", "integer")),
        ("1.5e3", "double", ("1500", "double")),
        ("1", "boolean", ("true", "boolean")),
        ("2025-01-04T23:45:34.000+08:00", "dateTime", ("2025-01-04T23:45:34+08:00", "dateTime")),
        ("2025-01-04T23:45:34.50-00:00", "dateTime", ("2025-01-04T23:45:34.5Z", "dateTime")),
        ("abc", "integer", ("abc", "integer")),
    ],
)
def test_canonical_literals_match_oxigraph(lexical, datatype, expected):
    import pyoxigraph as ox

    ours = canonical_term(Term("literal", lexical, XSD + datatype))
    assert (ours.value, ours.datatype) == (expected[0], XSD + expected[1])
    store = ox.Store()
    store.load(f'<http://a> <http://p> "{lexical}"^^<{XSD}{datatype}> .', format=ox.RdfFormat.N_TRIPLES)
    (solution,) = list(store.query("SELECT ?o WHERE { ?s ?p ?o }"))
    assert (solution["o"].value, solution["o"].datatype.value) == (ours.value, ours.datatype)


def test_language_tags_are_lower_cased():
    assert canonical_term(Term("literal", "x", None, "zh-CN")) == Term("literal", "x", None, "zh-cn")
    assert canonical_term(Term("literal", "x", XSD + "string")) == Term("literal", "x")


# -- persistent store ----------------------------------------------------------


def test_load_then_query_the_store(tmp_path, graph_file, capsys):
    store = tmp_path / "store"
    assert main(["load", "--store", str(store), "--graph", str(graph_file)]) == 0
    out = capsys.readouterr().out
    triples = len(rdflib.Graph().parse(graph_file))
    assert f"loaded {triples} triples" in out
    # Loading again replaces, it does not add.
    assert main(["load", "--store", str(store), "--graph", str(graph_file)]) == 0
    assert f"loaded {triples} triples" in capsys.readouterr().out
    assert main(["query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--store", str(store), "--format", "csv"]) == 0
    assert capsys.readouterr().out == f"n\r\n{triples}\r\n"


def test_load_refuses_a_folder_that_is_not_a_store(tmp_path, graph_file, capsys):
    folder = tmp_path / "precious"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    assert main(["load", "--store", str(folder), "--graph", str(graph_file)]) == 2
    assert "not an Oxigraph store" in capsys.readouterr().err
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def test_load_help_says_it_replaces(capsys):
    with pytest.raises(SystemExit):
        main(["load", "--help"])
    assert "REPLACES" in capsys.readouterr().out
