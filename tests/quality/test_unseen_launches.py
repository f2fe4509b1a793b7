"""Launch coverage the builder was not tuned on, written like news
(tests/fixtures/unseen_launches): Google I/O, Anthropic, Qwen, Kimi and
Doubao, plus two launches by made-up companies (Orbital Labs, 云帆科技) whose
names no lexicon holds, so that finding them proves the patterns.

Each test names the sentence shape it covers."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS

from fixture_graphs import build_folder, labels as _labels, node as _node, prices as _prices, scores as _scores  # tests/fixture_graphs.py
from kg.vocab import AIKG

LAUNCHES = Path(__file__).resolve().parents[1] / "fixtures" / "unseen_launches"


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    return build_folder(LAUNCHES, tmp_path_factory.mktemp("launches"))


@pytest.mark.parametrize("model, bench, score, unit", [
    # "scored 71.2% on SWE-bench Verified and 88.1% on GPQA Diamond": the second
    # score of a coordination belongs to the benchmark after it.
    ("Helios-2 Pro", "SWE-bench Verified", 71.2, "percent"),
    ("Helios-2 Pro", "GPQA Diamond", 88.1, "percent"),
    ("Gemini 2.5 Pro", "GPQA Diamond", 84.0, "percent"),
    ("Claude 3.7 Sonnet", "τ-bench", 81.2, "percent"),        # "…, and 81.2% on TAU-bench"
    ("Gemini 2.5 Pro", "MMMU", 80.4, "percent"),
    ("Gemini 2.5 Pro", "USAMO", 49.4, "percent"),            # "the 2025 USAMO math benchmark"
    # "在代码能力评测LiveCodeBench中，云帆-2得分65.2": a bare number after 得分.
    ("云帆-2", "LiveCodeBench", 65.2, "points"),
    ("Qwen3-235B-A22B", "LiveCodeBench", 70.7, "points"),
    ("云帆-2", "Arena-Hard", 90.1, "points"),                 # "在ArenaHard测评中"
    ("Kimi k1.5", "Codeforces", 94.0, "percentile"),         # "达到94百分位"
])
def test_scores_in_news_sentences(graph, model, bench, score, unit):
    assert (model, bench, score, unit) in _scores(graph)


def test_a_second_score_for_the_same_benchmark_is_not_taken(graph):
    # "62.3% on SWE-bench Verified, rising to 70.3% with a custom scaffold"
    assert not any(s[2] == 70.3 for s in _scores(graph))


def test_lower_case_math_is_no_mention_of_the_MATH_benchmark(graph):
    with pytest.raises(AssertionError):
        _node(graph, "MATH", "Benchmark")


@pytest.mark.parametrize("item, amount, currency, unit", [
    # "价格为每百万输入tokens 0.8元": the unit written before the amount.
    ("Doubao-1.5-pro", 0.8, "CNY", "1M input tokens"),
    ("Doubao-1.5-pro", 2.0, "CNY", "1M output tokens"),
    ("云帆-2", 1.0, "CNY", "1M input tokens"),
    ("云帆-2", 4.0, "CNY", "1M output tokens"),
    ("Gemini 2.5 Pro", 1.25, "USD", "1M input tokens"),
])
def test_prices_with_their_units(graph, item, amount, currency, unit):
    assert (item, amount, currency, unit) in _prices(graph)


@pytest.mark.parametrize("label, cls", [
    ("Google I/O 2025", "Event"),   # "its annual I/O developer conference" in a Google story of 2025
    ("Launchpad", "Event"),         # made up: "its annual Launchpad developer conference"
    ("Jules", "Product"),           # "Jules, the company's asynchronous coding agent"
    ("Flow", "Product"),            # "a new AI filmmaking tool called Flow"
    ("Deep Think", "Feature"),      # "Deep Think, an experimental enhanced reasoning mode"
    ("Nova Agent", "Product"),      # made up: "Nova Agent, the company's asynchronous coding agent"
    ("Loomwright", "Product"),      # made up: "a browser tool called Loomwright." (no full stop)
    ("Hyperfocus", "Feature"),      # made up: "Hyperfocus, a new long-horizon reasoning mode"
    ("云帆-2", "Model"),             # made up: "发布云帆-2大模型"
    ("云帆科技", "Company"),          # made up: "云帆科技正式发布", "云帆科技总裁"
    ("谭待", "Person"),              # "总裁谭待介绍": not 谭待介
    ("李明", "Person"),              # made up, same shape
    ("Vertex AI", "Product"),
])
def test_names_defined_by_their_sentence(graph, label, cls):
    _node(graph, label, cls)


def test_the_google_event_is_the_year_the_document_dates(graph):
    veo = _node(graph, "Veo 3", "Model")
    events = {str(graph.value(e, RDFS.label)) for e in graph.objects(veo, AIKG.announcedAt)}
    assert events == {"Google I/O 2025"}


def test_a_word_describing_a_launch_is_not_launched(graph):
    # "released Veo 3, a video generation model": Veo 3 was announced, the
    # capability its description names was not.
    video = _node(graph, "Video Generation", "Feature")
    assert graph.value(video, AIKG.announcedAt) is None


@pytest.mark.parametrize("label", [
    "Both 2.5", "Both 2.0",            # "Both 2.5 models gain …"
    "Pro", "Enterprise", "Free",       # plan tiers in "the Free, Pro and Enterprise plans"
    "Google Cloud's Vertex AI",
    "谭待介", "李明介",
    "Meanwhile",
])
def test_no_entity_from_sentence_furniture(graph, label):
    assert (None, RDFS.label, Literal(label, lang="en")) not in graph
    assert (None, RDFS.label, Literal(label, lang="zh")) not in graph
    assert all(label not in _labels(graph, s) for s in set(graph.subjects(RDFS.label, None)))


def _title_evidence(g: Graph, entity) -> list[str]:
    """Evidence passages of ``entity``'s mentionedIn statements."""
    return [str(g.value(st, AIKG.evidence)) for st in g.subjects(RDF.subject, entity)
            if g.value(st, RDF.predicate) == AIKG.mentionedIn]


@pytest.mark.parametrize("label, cls, title", [
    ("Helios-2 Pro", "Model", "Orbital Labs ships Helios-2 Pro and a coding agent at Launchpad"),
    ("Kimi k1.5", "Model", "月之暗面发布Kimi k1.5，字节豆包大模型1.5 Pro同日亮相"),
])
def test_the_front_matter_title_is_read_for_names(graph, label, cls, title):
    assert title in _title_evidence(graph, _node(graph, label, cls))


def test_no_price_or_relation_read_from_a_headline(graph):
    # The Google title "…, Veo 3 arrives, and a $249.99 AI Ultra plan" puts the
    # price next to Veo 3, and the Kimi one 豆包 after 月之暗面发布: a headline's
    # grammar is read for names only.
    assert not any(item == "Veo 3" for item, *_ in _prices(graph))
    doubao = _node(graph, "Doubao-1.5-pro", "Model")
    makers = {str(graph.value(o, RDFS.label)) for o in graph.objects(doubao, AIKG.developedBy)}
    assert "Moonshot AI" not in makers
