"""Property-based build test: generated documents that mix Chinese, Latin
names, markup, numbers and control characters always build, and the
outputs keep their invariants.

For every generated set of documents: the build raises nothing (unless
every document is blank, when it says so with ``BuildError``); graph.ttl
parses in rdflib and Oxigraph, graph.graphml in networkx, graph.html loads
in Chromium without running anything injected; every evidence passage is
its document's text at its offsets; a second build into another folder is
byte-identical.
"""
from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.namespace import PROV

from kg.build.state import STATE_NAME
from kg.build.pipeline import BuildError, run_build
from kg.vocab import AIKG

CHINESE = ["生数科技", "清华大学", "刘知远", "面壁智能", "发布了", "视频大模型", "支持", "的", "。", "，", "首席科学家", "对标"]
LATIN = ["OpenAI", "o3", "o3-mini", "GPT-4o", "GPT-40", "ChatGPT Pro", "Sam Altman", "Apple", "Siri", "Codeforces",
         "Vidu", "Sora", "released", "scores", "costs", "per month", "a variant of", "integrates", "."]
MARKUP = ["# ", "## ", "**", "- ", "> ", "1. ", "[link](https://example.com/a?b=1&c=<d>)", "![img](x.png)",
          "```\n", "---\n", "<script>alert(1)</script>", "</script>", "]]>", "<img src=x onerror=alert(1)>",
          "| a | b |\n", "{x}", "\\", "^", "`", '"', "'", "&amp;", "<!--", "%00", "title: x\n"]
NUMBERS = ["2727", "$200", "87.5%", "2024-12-20", "1,000", "0.01", "１２３", "¥20", "3.5亿"]
CONTROLS = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b[31m", "\x7f", "\x85", "\r\n", "\r", "\n", "\n\n", "\t",
            "\u200b", "\u200d", "\u202e", "\u2066", "\ufeff", "\u2028", "\ufffe", "\uffff", "🤖", "👩\u200d💻"]

_token = st.one_of(
    st.sampled_from(CHINESE), st.sampled_from(LATIN), st.sampled_from(MARKUP),
    st.sampled_from(NUMBERS), st.sampled_from(CONTROLS), st.text(max_size=6),
)
_body = st.builds(lambda tokens, sep: sep.join(tokens), st.lists(_token, max_size=50), st.sampled_from(["", " ", "\n"]))
_front_matter = st.one_of(
    st.just(""),
    st.builds(lambda t: f"---\ntitle: {t}\n---\n", st.text(max_size=20)),
    st.builds(lambda t: f"---\ntitle: {t}\ndate: {t}\n", st.text(max_size=10)),  # unclosed
)
_document = st.builds(lambda fm, body: fm + body, _front_matter, _body)
# File names: anything a POSIX file system takes, made unique by a prefix.
_name = st.text(st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), max_size=12)
_corpus = st.lists(st.tuples(_name, _document), min_size=1, max_size=3)

_NOT_XML = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def contract_text(raw: str) -> str:
    """The normalization the contract fixes, plus the loader's control-character spaces."""
    text = raw.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub(" ", text)


@pytest.fixture(scope="module")
def browser():
    from browser import launch_browser

    with launch_browser() as b:
        yield b


def check_turtle(path: Path) -> Graph:
    g = Graph()
    g.parse(path, format="turtle")
    store = pyoxigraph.Store()
    store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(g)
    for quad in store:
        for term in (quad.subject, quad.predicate, quad.object):
            if isinstance(term, pyoxigraph.NamedNode):
                assert not _IRI_FORBIDDEN.search(term.value), term.value
    return g


def check_html(browser, path: Path, expected_nodes: int) -> None:
    from browser import open_page

    page, log = open_page(browser, path)
    try:
        page.wait_for_function("() => window.kgView && window.kgView.nodes", timeout=60_000)
        assert page.evaluate("() => window.kgView.nodes.length") == expected_nodes
        assert log.dialogs == [] and log.page_errors == [] and log.blocked == []
        assert page.evaluate("() => document.querySelectorAll('img[src=x]').length") == 0
    finally:
        page.context.close()


@settings(max_examples=25, deadline=None,
          # One Chromium for all examples: a module fixture, not a per-example one.
          suppress_health_check=[HealthCheck.too_slow])
@given(corpus=_corpus)
def test_generated_documents_build_with_invariants(browser, corpus) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files: dict[str, str] = {}
        for i, (name, text) in enumerate(corpus):
            file_name = f"{i:02d}{name}.md"
            (root / "in").mkdir(exist_ok=True)
            (root / "in" / file_name).write_bytes(text.encode("utf-8"))
            files[f"in/{file_name}"] = text
        paths = [root / shown for shown in files]
        try:
            report = run_build(paths, root, root / "out1")
        except BuildError as err:
            # Only when there is truly nothing to build.
            assert "no documents could be read" in str(err)
            assert all(not contract_text(t).strip() or "\x00" in t for t in files.values())
            return
        # Every input is either a document or skipped for a reason it deserves.
        built = {d.path: d for d in report.documents}
        assert set(built) | {s.path for s in report.skipped} == set(files)
        for s in report.skipped:
            raw = files[s.path]
            assert not contract_text(raw).strip() or (s.reason.startswith("binary file") and "\x00" in raw), (s, raw)
        for path, doc in built.items():
            if not any("decoded as" in w for w in doc.warnings):
                assert doc.text == contract_text(files[path])

        out1, out2 = root / "out1", root / "out2"
        g = check_turtle(out1 / "graph.ttl")
        if (out1 / "graph.trig").exists():
            trig = pyoxigraph.Store()
            trig.load(path=str(out1 / "graph.trig"), format=pyoxigraph.RdfFormat.TRIG)
        nxg = nx.read_graphml(out1 / "graph.graphml")
        assert all("label" in a and "type" in a for _, a in nxg.nodes(data=True))

        docs = {str(path): doc for doc, path in g.subject_objects(AIKG.path)}
        assert set(docs) == set(built)
        for path, doc in docs.items():
            text = built[path].text
            assert str(g.value(doc, AIKG.sha256)) == hashlib.sha256(text.encode("utf-8")).hexdigest()
        path_of = {doc: path for path, doc in docs.items()}
        for node, evidence in g.subject_objects(AIKG.evidence):
            text = built[path_of[g.value(node, PROV.wasDerivedFrom)]].text
            start, end = int(g.value(node, AIKG.startOffset)), int(g.value(node, AIKG.endOffset))
            assert text[start:end] == str(evidence)

        check_html(browser, out1 / "graph.html", nxg.number_of_nodes())

        run_build(paths, root, out2)
        # The build state records the files' modification times: the one file that differs by design.
        for name in sorted(p.name for p in out1.iterdir() if p.is_file() and p.name != STATE_NAME):
            assert (out1 / name).read_bytes() == (out2 / name).read_bytes(), name
