"""The interactive HTML view, checked in Debian's headless Chromium.

Fixture graphs are built here with rdflib, following GRAPH_CONTRACT.md:
entities with English/Chinese labels and aliases, documents, reified
statements with evidence passages (offsets into the documents' text), a
BenchmarkResult and a Price. Expected counts are computed from the RDF
directly, not through the code under test.
"""
from __future__ import annotations

import json
import re
import struct
import time
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
import rdflib.namespace as rdfns  # XSD not bound here: pytest's collection trips rdflib's warning
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from kg.export.html import HtmlStats, render_html, write_html
from kg.export.html_assets import json_for_script
from kg.export.screenshot import screenshot
from kg.vocab import AIKG, ALL_CLASSES, document_iri, entity_iri, hashed_iri
from browser import launch_browser, open_page  # tests/browser.py

SAM = entity_iri("Person", "Sam Altman")
OPENAI = entity_iri("Company", "OpenAI")
APPLE = entity_iri("Company", "Apple")
O3 = entity_iri("Model", "o3")
CHATGPT = entity_iri("Product", "ChatGPT")
CHATGPT_PRO = entity_iri("Product", "ChatGPT Pro")
SIRI = entity_iri("Product", "Siri")
FUNCTION_CALLING = entity_iri("Feature", "function calling")
CODEFORCES = entity_iri("Benchmark", "Codeforces")
DAY12 = entity_iri("Event", "12 Days of OpenAI")
TSINGHUA = entity_iri("Organization", "清华大学")
DOC_ZH = document_iri("001_seed")
DOC_EN = document_iri("002_seed")

TEXT_ZH = (
    "OpenAI 12天重大发布汇总\n"
    "奥特曼宣布了 o3 模型。o3 由 OpenAI 开发，在 Codeforces 上得分 2727。\n"
    "ChatGPT Pro 是 ChatGPT 的专业版，月费 200 美元。\n"
)
TEXT_EN = (
    "Sam Altman, CEO of OpenAI, opened the 12 Days of OpenAI.\n"
    "ChatGPT now supports function calling. ChatGPT integrates with Siri on Apple devices.\n"
    "OpenAI competes with Apple in assistants.\n"
)

SYMMETRIC = {AIKG.integratesWith, AIKG.competesWith}


class GraphBuilder:
    """Adds contract-shaped triples; every relation gets a reified statement."""

    def __init__(self) -> None:
        self.g = Graph()
        self.g.bind("aikg", AIKG)
        self.texts: dict[URIRef, str] = {}

    def entity(self, iri, cls, en=None, zh=None, aliases=()):
        self.g.add((iri, RDF.type, AIKG[cls]))
        if en is not None:
            self.g.add((iri, RDFS.label, Literal(en, lang="en")))
        if zh is not None:
            self.g.add((iri, RDFS.label, Literal(zh, lang="zh")))
        for alias in aliases:
            self.g.add((iri, SKOS.altLabel, Literal(alias)))
        return iri

    def document(self, iri, title, path, text):
        self.g.add((iri, RDF.type, AIKG.Document))
        self.g.add((iri, DCTERMS.title, Literal(title)))
        self.g.add((iri, AIKG.path, Literal(path)))
        self.g.add((iri, DCTERMS.date, Literal("2024-12-20", datatype=rdfns.XSD.date)))
        self.texts[iri] = text
        return iri

    def _provenance(self, node, doc, passage):
        text = self.texts[doc]
        start = text.index(passage)
        self.g.add((node, PROV.wasDerivedFrom, doc))
        self.g.add((node, AIKG.evidence, Literal(passage)))
        self.g.add((node, AIKG.startOffset, Literal(start, datatype=rdfns.XSD.integer)))
        self.g.add((node, AIKG.endOffset, Literal(start + len(passage), datatype=rdfns.XSD.integer)))

    def fact(self, s, p, o, doc, passage, confidence="0.9"):
        self.g.add((s, p, o))
        st = hashed_iri("st", s, p, o, doc, passage)
        self.g.add((st, RDF.type, RDF.Statement))
        self.g.add((st, RDF.subject, s))
        self.g.add((st, RDF.predicate, p))
        self.g.add((st, RDF.object, o))
        self._provenance(st, doc, passage)
        self.g.add((st, AIKG.confidence, Literal(Decimal(confidence), datatype=rdfns.XSD.decimal)))
        self.g.add((st, AIKG.extractor, Literal("test@1")))

    def mention(self, entity, doc, passage):
        self.fact(entity, AIKG.mentionedIn, doc, doc, passage, "1.0")

    def benchmark_result(self, node, model, bench, score, unit, doc, passage):
        self.g.add((node, RDF.type, AIKG.BenchmarkResult))
        self.g.add((node, AIKG.model, model))
        self.g.add((node, AIKG.benchmark, bench))
        self.g.add((node, AIKG.score, Literal(Decimal(score), datatype=rdfns.XSD.decimal)))
        self.g.add((node, AIKG.unit, Literal(unit)))
        self._provenance(node, doc, passage)

    def price(self, node, item, amount, currency, unit, doc, passage):
        self.g.add((node, RDF.type, AIKG.Price))
        self.g.add((node, AIKG.priceOf, item))
        self.g.add((node, AIKG.amount, Literal(Decimal(amount), datatype=rdfns.XSD.decimal)))
        self.g.add((node, AIKG.currency, Literal(currency)))
        self.g.add((node, AIKG.unit, Literal(unit)))
        self._provenance(node, doc, passage)


def fixture_graph() -> Graph:
    b = GraphBuilder()
    b.document(DOC_ZH, "OpenAI 12天重大发布汇总", "seeds/001_seed.txt", TEXT_ZH)
    b.document(DOC_EN, "Day 12: o3 and the holiday recap", "seeds/002_seed.txt", TEXT_EN)
    b.entity(SAM, "Person", en="Sam Altman", zh="萨姆·奥尔特曼", aliases=("奥特曼", "Altman"))
    b.entity(OPENAI, "Company", en="OpenAI")
    b.entity(APPLE, "Company", en="Apple", zh="苹果")
    b.entity(O3, "Model", en="o3", aliases=("o3 模型",))
    b.entity(CHATGPT, "Product", en="ChatGPT")
    b.entity(CHATGPT_PRO, "Product", en="ChatGPT Pro", zh="ChatGPT 专业版")
    b.entity(SIRI, "Product", en="Siri")
    b.entity(FUNCTION_CALLING, "Feature", en="function calling", zh="函数调用")
    b.entity(CODEFORCES, "Benchmark", en="Codeforces")
    b.entity(DAY12, "Event", en="12 Days of OpenAI", zh="OpenAI 12天")
    b.entity(TSINGHUA, "Organization", zh="清华大学")  # Chinese label only, no edges

    b.fact(O3, AIKG.developedBy, OPENAI, DOC_ZH, "o3 由 OpenAI 开发")
    b.fact(SAM, AIKG.worksFor, OPENAI, DOC_EN, "Sam Altman, CEO of OpenAI")
    b.fact(CHATGPT_PRO, AIKG.variantOf, CHATGPT, DOC_ZH, "ChatGPT Pro 是 ChatGPT 的专业版")
    b.fact(CHATGPT, AIKG.hasFeature, FUNCTION_CALLING, DOC_EN, "ChatGPT now supports function calling")
    b.fact(O3, AIKG.announcedAt, DAY12, DOC_ZH, "奥特曼宣布了 o3 模型")
    b.fact(CHATGPT, AIKG.integratesWith, SIRI, DOC_EN, "ChatGPT integrates with Siri")
    # A symmetric relation stated in both directions is one edge in the view.
    b.fact(OPENAI, AIKG.competesWith, APPLE, DOC_EN, "OpenAI competes with Apple")
    b.fact(APPLE, AIKG.competesWith, OPENAI, DOC_EN, "OpenAI competes with Apple")

    b.mention(SAM, DOC_ZH, "奥特曼")
    b.mention(SAM, DOC_EN, "Sam Altman")
    b.mention(OPENAI, DOC_ZH, "OpenAI")
    b.mention(OPENAI, DOC_EN, "OpenAI")
    b.mention(APPLE, DOC_EN, "Apple")
    b.mention(O3, DOC_ZH, "o3 模型")
    b.mention(CHATGPT, DOC_ZH, "ChatGPT")
    b.mention(CHATGPT, DOC_EN, "ChatGPT")
    b.mention(CHATGPT_PRO, DOC_ZH, "ChatGPT Pro")
    b.mention(SIRI, DOC_EN, "Siri")
    b.mention(FUNCTION_CALLING, DOC_EN, "function calling")
    b.mention(CODEFORCES, DOC_ZH, "Codeforces")
    b.mention(DAY12, DOC_EN, "12 Days of OpenAI")

    b.benchmark_result(
        hashed_iri("result", "o3", "Codeforces", "2727"), O3, CODEFORCES, "2727", "elo",
        DOC_ZH, "在 Codeforces 上得分 2727",
    )
    # A blank-node quantity, as the contract's example writes it.
    b.price(BNode(), CHATGPT_PRO, "200", "USD", "month", DOC_ZH, "月费 200 美元")
    return b.g


# ---- expectations computed from the RDF, independently of the view code ----

def expected_nodes(g: Graph) -> set:
    classes = {AIKG[c] for c in ALL_CLASSES}
    return {s for s, o in g.subject_objects(RDF.type) if o in classes}


def expected_edges(g: Graph) -> set:
    nodes = expected_nodes(g)
    edges = set()
    for s, p, o in g:
        if p == RDF.type or s not in nodes or o not in nodes:
            continue
        edges.add((p, frozenset((s, o))) if p in SYMMETRIC else (p, s, o))
    return edges


# ---- helpers ----

def start_tags(html: str) -> list[str]:
    """Element names in document order, as an HTML parser reads them."""
    from html.parser import HTMLParser

    class Collect(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[str] = []

        def handle_starttag(self, tag, attrs) -> None:
            self.tags.append(tag)

    parser = Collect()
    parser.feed(html)
    return parser.tags


def wait_settled(page, timeout: int = 120_000) -> None:
    page.wait_for_function("() => Boolean(window.kgView && window.kgView.stabilized)", timeout=timeout)


def node_dom_position(page, node_id: str) -> tuple[float, float]:
    """Page coordinates of a node's centre on the canvas."""
    pos = page.evaluate(
        """(id) => {
            const v = window.kgView.network;
            const p = v.getPositions([id])[id];
            const d = v.canvasToDOM(p);
            const r = document.getElementById('kg-network').getBoundingClientRect();
            return [r.left + d.x, r.top + d.y];
        }""",
        node_id,
    )
    return pos[0], pos[1]


@pytest.fixture
def browser():
    # Per test: Playwright's sync API allows one instance at a time, and the
    # screenshot helper starts its own.
    with launch_browser() as b:
        yield b


@pytest.fixture(scope="module")
def fixture_page_path(tmp_path_factory) -> tuple[Path, HtmlStats]:
    path = tmp_path_factory.mktemp("html") / "graph.html"
    stats = write_html(fixture_graph(), path)
    return path, stats


# ---- tests without a browser ----

def test_stats_match_the_graph(fixture_page_path):
    _, stats = fixture_page_path
    g = fixture_graph()
    assert stats.nodes_total == len(expected_nodes(g)) == 15
    assert stats.nodes_shown == stats.nodes_total
    assert stats.edges_shown == len(expected_edges(g))
    assert stats.truncated is False


def test_same_graph_gives_byte_identical_html(tmp_path):
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    write_html(fixture_graph(), first)
    # Round-trip through Turtle: blank nodes get new labels, triples a new order.
    reparsed = Graph().parse(data=fixture_graph().serialize(format="turtle"), format="turtle")
    write_html(reparsed, second)
    assert first.read_bytes() == second.read_bytes()


def test_page_has_no_external_references(fixture_page_path):
    html = fixture_page_path[0].read_text(encoding="utf-8")
    # The markup outside inline scripts and styles links nothing.
    markup = re.sub(r"<(script|style)\b[^>]*>.*?</\1>", "", html, flags=re.S)
    assert [t for t in start_tags(html) if t in ("script", "style", "link")] == [
        "style", "style", "script", "script", "script"]
    assert not re.search(r"\b(src|href)\s*=", markup)
    assert "<link" not in markup
    # Styles fetch nothing: every url() is a data: URI.
    for style in re.findall(r"<style>(.*?)</style>", html, flags=re.S):
        assert all(u.startswith(("data:", '"data:', "'data:")) for u in re.findall(r"url\(\s*([^)]*)", style))
    # vis-network is inlined, not linked.
    assert "vis-network" in html and "https://cdn" not in markup


def test_json_for_script_escapes_markup_and_line_separators():
    text = json_for_script({"a": "</script><img src=x onerror=alert(2)>&\u2028\u2029"})
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == {"a": "</script><img src=x onerror=alert(2)>&\u2028\u2029"}


def test_budget_keeps_most_connected_nodes_deterministically():
    g = synthetic_graph(200, seed=3)
    html, stats = render_html(g, node_budget=50)
    assert stats.nodes_total == len(expected_nodes(g))
    assert stats.nodes_shown == 50 and stats.truncated
    assert f"Showing 50 of {stats.nodes_total} nodes" in html
    assert render_html(g, node_budget=50)[0] == html


def test_edge_budget_keeps_relations_first_and_says_so():
    from kg.export.html_data import PROVENANCE, QUANTITY_LINK, RELATION, build_view_data

    g = synthetic_graph(200, seed=3)
    whole = build_view_data(g, node_budget=50)
    assert not whole.edges_cut and whole.edges_between == len(whole.edges)
    relations = {(e.source, e.predicate, e.target) for e in whole.edges if e.kind == RELATION}
    quantities = {(e.source, e.predicate, e.target) for e in whole.edges if e.kind == QUANTITY_LINK}
    assert relations and len(whole.edges) > len(relations) + len(quantities) + 3
    budget = len(relations) + len(quantities) + 3
    cut = build_view_data(g, node_budget=50, edge_budget=budget)
    kept = {(e.source, e.predicate, e.target): e.kind for e in cut.edges}
    assert len(kept) == budget and cut.edges_cut and cut.edges_between == len(whole.edges)
    assert relations | quantities <= set(kept)
    assert sum(kind == PROVENANCE for kind in kept.values()) == 3
    assert [n.id for n in cut.nodes] == [n.id for n in whole.nodes]  # nodes are not cut by edges
    # Source counts and the document filter read ViewNode.docs: not cut with the edges.
    assert [n.docs for n in cut.nodes] == [n.docs for n in whole.nodes]
    # Edges still come in key order, and only evidence of drawn edges is carried.
    assert list(kept) == sorted(kept)
    assert len(cut.evidence) <= len(whole.evidence)
    html, stats = render_html(g, node_budget=50, edge_budget=budget)
    assert stats.edges_shown == budget and stats.truncated
    assert f"Showing 50 of {stats.nodes_total} nodes and {budget} of {len(whole.edges)} edges among them" in html
    assert "(node and edge budgets)" in html
    assert render_html(g, node_budget=50, edge_budget=budget)[0] == html


def test_edge_budget_alone_is_reported():
    g = synthetic_graph(200, seed=3)
    html, stats = render_html(g, node_budget=10_000, edge_budget=5)
    assert stats.nodes_shown == stats.nodes_total and stats.edges_shown == 5 and stats.truncated
    assert f"Showing {stats.nodes_total} of {stats.nodes_total} nodes and 5 of " in html
    assert "(edge budget)" in html
    with pytest.raises(ValueError, match="edge_budget"):
        render_html(g, edge_budget=-1)


# ---- synthetic graphs for size and budget ----

def synthetic_graph(n_nodes: int, seed: int = 1) -> Graph:
    """A contract-shaped graph of about ``n_nodes`` nodes with a skewed degree."""
    import random

    rng = random.Random(seed)
    b = GraphBuilder()
    n_docs = max(3, n_nodes // 40)
    docs = []
    for i in range(n_docs):
        doc = document_iri(f"doc{i:03d}")
        text = " ".join(f"entity{j} works with entity{j + 1}." for j in range(n_nodes))
        b.document(doc, f"Synthetic source {i}", f"seeds/{i:03d}.txt", text)
        docs.append(doc)
    classes = ["Model", "Product", "Feature", "Person", "Company", "Event", "Benchmark"]
    preds = [AIKG.developedBy, AIKG.hasFeature, AIKG.integratesWith, AIKG.basedOn, AIKG.variantOf]
    n_entities = n_nodes - n_docs - n_nodes // 20
    entities = []
    for j in range(n_entities):
        cls = classes[j % len(classes)]
        iri = entity_iri(cls, f"entity{j}")
        b.entity(iri, cls, en=f"Entity {j}", zh=f"实体{j}", aliases=(f"e{j}",))
        entities.append(iri)
        b.mention(iri, docs[rng.randrange(n_docs)], f"entity{j} ")
    for j, iri in enumerate(entities[1:], start=1):
        # Preferential attachment: a few hubs, a long tail.
        target = entities[int(rng.random() ** 2 * j)]
        b.fact(iri, preds[j % len(preds)], target, docs[rng.randrange(n_docs)], f"entity{j} works")
    for k in range(n_nodes - n_docs - n_entities):
        model = entities[rng.randrange(n_entities)]
        bench = entities[rng.randrange(n_entities)]
        b.benchmark_result(
            hashed_iri("result", k), model, bench, str(50 + k), "percent", docs[k % n_docs], f"entity{k} works"
        )
    return b.g


# ---- browser tests ----

def test_page_loads_offline_and_holds_every_node_and_edge(browser, fixture_page_path):
    path, stats = fixture_page_path
    page, log = open_page(browser, path)
    wait_settled(page)
    counts = page.evaluate("() => [window.kgView.nodes.length, window.kgView.edges.length]")
    g = fixture_graph()
    assert counts == [len(expected_nodes(g)), len(expected_edges(g))]
    assert log.requests, "the request hook saw nothing"
    assert log.blocked == []
    assert [u for u in log.requests if not u.startswith("file:")] == []
    assert log.console_errors == [] and log.page_errors == []
    # The legend lists the classes present, with their counts.
    legend = page.inner_text("#kg-legend")
    for name in ("Person", "Company", "Document", "Benchmark result", "Price"):
        assert name in legend
    page.context.close()


def test_physics_stops_after_stabilization(browser, fixture_page_path):
    page, log = open_page(browser, fixture_page_path[0])
    wait_settled(page)
    before = page.evaluate("() => window.kgView.network.getPositions()")
    page.wait_for_timeout(400)
    after = page.evaluate("() => window.kgView.network.getPositions()")
    assert page.evaluate("() => window.kgView.network.physics.options.enabled") is False
    assert before == after
    page.context.close()


def test_search_by_chinese_alias_selects_the_person(browser, fixture_page_path):
    page, log = open_page(browser, fixture_page_path[0])
    wait_settled(page)
    page.fill("#kg-search", "奥特曼")
    assert page.evaluate("() => window.kgView.network.getSelectedNodes()") == [str(SAM)]
    panel = page.locator("#kg-panel")
    assert panel.is_visible()
    text = panel.inner_text()
    assert "Sam Altman" in text and "萨姆·奥尔特曼" in text and "奥特曼" in text
    # Its relation and the passage it came from, with the document's title.
    assert "worksFor" in text and "Sam Altman, CEO of OpenAI" in text
    assert "Day 12: o3 and the holiday recap" in text
    # English prefix search lists it too.
    page.fill("#kg-search", "sam alt")
    assert "Sam Altman" in page.inner_text("#kg-results")
    assert log.console_errors == [] and log.page_errors == []
    page.context.close()


def test_hover_shows_class_labels_aliases_and_sources(browser, fixture_page_path):
    page, log = open_page(browser, fixture_page_path[0])
    wait_settled(page)
    x, y = node_dom_position(page, str(SAM))
    page.mouse.move(x - 30, y - 30)
    page.mouse.move(x, y, steps=5)
    tip = page.locator("div.vis-tooltip")
    tip.wait_for(state="visible", timeout=5000)
    text = tip.inner_text()
    for expected in ("Person", "Sam Altman", "萨姆·奥尔特曼", "奥特曼", "Altman", "2 documents"):
        assert expected in text
    page.context.close()


def test_clicking_a_node_shows_its_evidence(browser, fixture_page_path):
    page, log = open_page(browser, fixture_page_path[0])
    wait_settled(page)
    x, y = node_dom_position(page, str(O3))
    page.mouse.click(x, y)
    page.locator("#kg-panel").wait_for(state="visible")
    text = page.inner_text("#kg-panel")
    assert page.evaluate("() => window.kgView.selected") == str(O3)
    assert "developedBy" in text and "o3 由 OpenAI 开发" in text
    assert "OpenAI 12天重大发布汇总" in text  # the passage's document
    assert "2727 elo" in text and "在 Codeforces 上得分 2727" in text  # its benchmark result
    page.context.close()


def test_document_panel_lists_what_was_derived_from_it(browser, fixture_page_path):
    page, log = open_page(browser, fixture_page_path[0])
    wait_settled(page)
    page.evaluate("(id) => window.kgView.select(id)", str(DOC_ZH))
    text = page.inner_text("#kg-panel")
    assert "seeds/001_seed.txt" in text
    for passage in ("o3 由 OpenAI 开发", "ChatGPT Pro 是 ChatGPT 的专业版", "月费 200 美元", "奥特曼宣布了 o3 模型"):
        assert passage in text
    assert "Day 12: o3 and the holiday recap" not in text.split("Derived from")[1].split("Mentions")[0]
    page.context.close()


def test_filters_by_class_and_by_document(browser, fixture_page_path):
    page, log = open_page(browser, fixture_page_path[0])
    wait_settled(page)
    hidden = "() => window.kgView.nodes.get({filter: n => n.hidden === true}).map(n => n.id).sort()"
    page.uncheck("#kg-legend input[data-cls='Person']")
    assert page.evaluate(hidden) == [str(SAM)]
    page.check("#kg-legend input[data-cls='Person']")
    assert page.evaluate(hidden) == []
    page.select_option("#kg-doc-filter", str(DOC_EN))
    shown = set(page.evaluate(
        "() => window.kgView.nodes.get({filter: n => !n.hidden}).map(n => n.id)"))
    assert str(DOC_EN) in shown and str(SIRI) in shown and str(SAM) in shown
    assert str(DOC_ZH) not in shown and str(CODEFORCES) not in shown and str(TSINGHUA) not in shown
    # Edges to hidden nodes are hidden too.
    visible_edges = page.evaluate(
        "() => window.kgView.edges.get({filter: e => !e.hidden}).map(e => [e.from, e.to])")
    assert all(a in shown and b in shown for a, b in visible_edges)
    page.context.close()


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "</script>",
    "\"double\" 'single' `back`",
    "back\\slash \\u003c \\n",
    "line\u2028separator\u2029para",
    "<!-- comment <script>",
    "@@DATA@@ ${x} {{y}}",
]


def hostile_graph() -> Graph:
    b = GraphBuilder()
    evil = " | ".join(HOSTILE)
    doc = document_iri("evil")
    b.document(doc, "Title " + evil, "seeds/evil.txt", "Intro. " + evil + " End.")
    person = entity_iri("Person", "Mallory")
    company = entity_iri("Company", "EvilCorp")
    b.entity(person, "Person", en="Mallory " + HOSTILE[0], zh="马洛里 " + HOSTILE[1], aliases=tuple(HOSTILE))
    b.entity(company, "Company", en=HOSTILE[2] + " Corp", zh=HOSTILE[5])
    b.fact(person, AIKG.worksFor, company, doc, evil)
    b.mention(person, doc, evil)
    b.mention(company, doc, evil)
    return b.g


def test_hostile_text_renders_as_text_and_runs_nothing(browser, tmp_path):
    path = tmp_path / "evil.html"
    write_html(hostile_graph(), path)
    html = path.read_text(encoding="utf-8")
    data_block = html.split('<script type="application/json" id="kg-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data_block and "\u2028" not in data_block
    page, log = open_page(browser, path)
    wait_settled(page)
    person = str(entity_iri("Person", "Mallory"))
    page.evaluate("(id) => window.kgView.select(id)", person)
    panel_text = page.evaluate("() => document.getElementById('kg-panel').textContent")
    for raw in HOSTILE:
        assert raw in panel_text
    # The document panel shows the raw title too.
    page.evaluate("(id) => window.kgView.select(id)", str(document_iri("evil")))
    assert ("Title " + " | ".join(HOSTILE)) in page.evaluate(
        "() => document.getElementById('kg-panel').textContent")
    # Hover tooltips are built from text as well.
    x, y = node_dom_position(page, person)
    page.mouse.move(x - 30, y - 30)
    page.mouse.move(x, y, steps=5)
    page.locator("div.vis-tooltip").wait_for(state="visible", timeout=5000)
    assert HOSTILE[1] in page.evaluate("() => document.querySelector('div.vis-tooltip').textContent")
    # Search input with markup selects by alias, still as text.
    page.fill("#kg-search", HOSTILE[1])
    assert page.evaluate("() => window.kgView.network.getSelectedNodes()") == [person]
    page.wait_for_timeout(300)
    assert log.dialogs == []
    assert page.evaluate("() => document.querySelectorAll('img').length") == 0
    assert page.evaluate("() => document.scripts.length") == 3
    assert log.console == [] and log.page_errors == []
    assert log.blocked == []
    page.context.close()


def test_budget_page_shows_most_connected_part_and_notice(browser, tmp_path):
    g = synthetic_graph(200, seed=3)
    path = tmp_path / "budget.html"
    stats = write_html(g, path, node_budget=50)
    total = len(expected_nodes(g))
    assert (stats.nodes_shown, stats.nodes_total, stats.truncated) == (50, total, True)

    # The 50 most connected nodes, ties by IRI, computed from the RDF here.
    nodes = expected_nodes(g)
    degree = {n: 0 for n in nodes}
    for key in expected_edges(g):
        ends = tuple(key[1]) if len(key) == 2 else key[1:]
        for end in (ends if len(ends) == 2 else ends * 2):
            degree[end] += 1
    top = sorted(nodes, key=lambda n: (-degree[n], str(n)))[:50]
    kept = set(map(str, top))
    expected_edge_count = sum(
        1 for key in expected_edges(g)
        if all(str(e) in kept for e in (tuple(key[1]) if len(key) == 2 else key[1:]))
    )

    page, log = open_page(browser, path)
    wait_settled(page)
    ids = set(page.evaluate("() => window.kgView.nodes.getIds()"))
    assert ids == kept
    assert page.evaluate("() => window.kgView.edges.length") == expected_edge_count
    notice = page.inner_text("#kg-notice")
    assert f"Showing 50 of {total} nodes" in notice
    assert page.locator("#kg-notice").is_visible()
    assert log.blocked == [] and log.console_errors == []
    page.context.close()


def test_edge_budget_page_draws_only_the_budget(browser, tmp_path):
    g = synthetic_graph(200, seed=3)
    path = tmp_path / "edges.html"
    stats = write_html(g, path, node_budget=50, edge_budget=40)
    assert stats.edges_shown == 40 and stats.edges_between > 40
    page, log = open_page(browser, path)
    wait_settled(page)
    assert page.evaluate("() => window.kgView.edges.length") == 40
    assert len(page.evaluate("() => window.kgView.nodes.getIds()")) == 50
    notice = page.inner_text("#kg-notice")
    assert f"and 40 of {stats.edges_between} edges among them" in notice
    assert log.blocked == [] and log.console_errors == []
    page.context.close()


def test_two_thousand_nodes_settle_and_stop(browser, tmp_path, record_property):
    g = synthetic_graph(2000, seed=7)
    path = tmp_path / "big.html"
    started = time.perf_counter()
    stats = write_html(g, path)
    write_seconds = time.perf_counter() - started
    assert stats.nodes_shown == len(expected_nodes(g)) >= 1990 and not stats.truncated
    page, log = open_page(browser, path)
    loaded = time.perf_counter()
    wait_settled(page, timeout=300_000)
    wall = time.perf_counter() - loaded
    assert page.evaluate("() => window.kgView.physicsEnabled") is False
    assert page.evaluate("() => window.kgView.network.physics.options.enabled") is False
    # Responsiveness: time one full redraw (reported, not asserted).
    redraw_ms = page.evaluate(
        "() => { const t = performance.now(); window.kgView.network.redraw(); return performance.now() - t; }")
    in_page = page.evaluate("() => window.kgView.stabilizationMs")
    record_property("stabilization_ms", in_page)
    print(f"\n2000-node graph: write_html {write_seconds:.2f}s, stabilized in {in_page} ms "
          f"(wall {wall:.1f}s), redraw {redraw_ms:.0f} ms, {stats.edges_shown} edges")
    assert page.evaluate("() => window.kgView.nodes.length") == stats.nodes_shown
    assert log.blocked == [] and log.console_errors == []
    page.context.close()


def test_screenshot_writes_a_png(tmp_path, fixture_page_path):
    png = tmp_path / "graph.png"
    screenshot(fixture_page_path[0], png, width=1200, height=800)
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24])
    assert (width, height) == (1200, 800)


def test_seed_build_page_loads_offline_with_every_node(browser, seed_build, seed_graph):
    """The page the pipeline writes for the real seeds, against its graph.ttl."""
    path = seed_build[0] / "graph.html"
    page, log = open_page(browser, path)
    wait_settled(page)
    counts = page.evaluate("() => [window.kgView.nodes.length, window.kgView.edges.length]")
    assert counts == [len(expected_nodes(seed_graph)), len(expected_edges(seed_graph))]
    assert counts[0] > 50
    assert [u for u in log.requests if not u.startswith("file:")] == []
    assert log.console_errors == [] and log.page_errors == []
    # Every evidence passage shown for a statement is a passage of the graph.
    passages = {str(t) for t in seed_graph.objects(None, AIKG.evidence)}
    shown = page.evaluate("() => window.kgView.data.evidence.map(e => e.text)")
    assert shown and set(shown) <= passages
    page.context.close()


def test_most_specific_class_wins_and_untyped_ends_are_not_drawn():
    from kg.export.html_data import build_view_data

    g = Graph()
    org = entity_iri("Company", "OpenAI")
    g.add((org, RDF.type, AIKG.Organization))
    g.add((org, RDF.type, AIKG.Company))
    g.add((org, RDFS.label, Literal("OpenAI", lang="en")))
    g.add((org, AIKG.competesWith, URIRef("https://example.org/untyped")))
    view = build_view_data(g)
    assert [(n.id, n.cls, n.name) for n in view.nodes] == [(str(org), "Company", "OpenAI")]
    assert view.edges == ()


def test_empty_graph_gives_a_working_page(browser, tmp_path):
    path = tmp_path / "empty.html"
    stats = write_html(Graph(), path)
    assert stats == HtmlStats(0, 0, 0, False)
    page, log = open_page(browser, path)
    wait_settled(page)
    assert page.evaluate("() => window.kgView.nodes.length") == 0
    assert log.console_errors == [] and log.page_errors == [] and log.blocked == []
    page.context.close()


def test_view_script_never_parses_markup():
    from kg.export.html_assets import load_assets

    script = load_assets().view_js
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script


@pytest.mark.parametrize("chunk_chars", [1, 3, 64, 1 << 20])
def test_json_in_pieces_joins_to_the_same_escaped_text(chunk_chars):
    from kg.export.html_assets import json_for_script_chunks

    value = {"a": ["</script>", "x&y", "\u2028\u2029", "中文 <b>"] * 5, "n": [1, 2.5, None, True]}
    pieces = list(json_for_script_chunks(value, chunk_chars=chunk_chars))
    assert "".join(pieces) == json_for_script(value)
    assert "<" not in "".join(pieces) and (chunk_chars > 64 or len(pieces) > 1)


@pytest.mark.parametrize("value", [
    {"b": [{"z": 1, "a": {"deep": ["</x>", {"k": 2}]}}, [], {}, ()], "a": {}, "c": [[1, [2, [3]]], "\u2028"]},
    [{"x": (1, 2)}, {3: "int key", 1: None}, [{"y": -0.5}]],
    {"only": "scalar"}, [], {}, "top-level string", 7,
], ids=["nested", "list-top", "flat", "empty-list", "empty-dict", "string", "number"])
def test_json_for_script_is_the_json_module_text_with_markup_escaped(value):
    """Streaming the top levels must give exactly json.dumps's bytes (sorted keys, tight separators)."""
    expected = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        expected = expected.replace(char, escape)
    assert json_for_script(value) == expected


def test_page_in_pieces_joins_to_the_page(seed_graph):
    from kg.export.html import html_pieces, render_html

    pieces, stats = html_pieces(seed_graph)
    pieces = list(pieces)
    page, same_stats = render_html(seed_graph)
    assert "".join(pieces) == page and len(pieces) > 3
    assert stats == same_stats
