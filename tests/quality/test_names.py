"""Names that launch coverage introduces without the words the older
patterns waited for, each in a small article with invented names (so the
lexicon cannot supply them). What the dev half of
tests/fixtures/unseen_news2 showed missing or mis-typed: a model named
only beside a benchmark score ("Nuvola-R2 scores 84.9 on GPQA Diamond"), a
letter-and-number generation ("Kest7 N2"), a product with a version whose
name ends like an organisation's ("Fabrik Lab 3, our … framework"), an
institute's full name, company acronyms in a list of companies, a list's
last item running on into the sentence, a product named after a known
one ("DGX Pocket"), a clause opener before a listed name ("With Loom
Tuning, …"), a model named later without model words ("Stratus-4
Vision"), Chinese plan names in a price table, "<company>的 <Name>",
and verbs or particles glued to Chinese names."""
from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from fixture_graphs import build_texts, labels, node, prices, scores
from kg.vocab import AIKG

KEYNOTE = """Corvane AI Summit 2026 — Opening Keynote (transcript)

MAYA IRWIN: Good morning. Today Corvane AI releases Stratus-4, our new open model. On GPQA Diamond, Stratus-4 scores eighty-seven point one percent. For comparison, Nuvola-R2 scores 84.9 on GPQA Diamond in our tests. The small Stratus-4 Mini model scored 71.5 percent on MMLU-Pro.

MAYA IRWIN: Stratus-4 weights ship under an Apache 2.0 license, with FP8 checkpoints for smaller GPUs. The models run on Microsoft Azure, Google Cloud, AWS and Vantage Cloud Platform.

MAYA IRWIN: The second announcement is Kest7 N2, the next generation of our foundation model for robots. Kest7 N2 adds whole-body control, and it is trained in Fabrik Lab 3, our robot learning framework. Later this year Kest7 N2 will run on every partner's arm.

MAYA IRWIN: Please welcome Ines Moreau, head of robotics at Okabe Research Institute. One of the labs we built Kest7 N2 with is Okabe Research Institute.

MAYA IRWIN: Next quarter we will ship Stratus-4 Vision, which reads screenshots and charts.

MAYA IRWIN: With Loom Tuning, a company can teach the assistant its own terms, in a low-code way, inside Copilot Studio.

MAYA IRWIN: Last announcement. So here it is: DGX Pocket. DGX Pocket will be sold by Dell, HP, Lenovo and ASUS starting in July, at $3,999.
"""

REVIEW_ZH = """# Trae 会员价格公布：个人专业版 59 元/月

另外腾讯云的 Skyloom 这次也更新了。深度求索的 Nuvola-V4 在 SWE-bench Verified 上为 70.1%。

## 会员价格

| 版本 | 价格 |
|---|---|
| 个人免费版 | 0 元 |
| 个人专业版 | 59 元/月 |
| 企业标准版 | 79 元/人/月 |

企业标准版包含专业版全部权益。这是一个开源版本。

## 生态

IDE 方面支持 JetBrains 全家桶（IntelliJ IDEA、PyCharm、Quillcode 等）。文档方面支持 Slack、Notion、Scribe Editor 等工具。

VoxLoom 创始人林沐将加入星桥智能，团队核心成员来自澄湖大学和浙江大学。
"""

# A press release's dateline, tiers that are no usual edition words, a
# date after a model's name, and Chinese membership plans.
RELEASE = """OSLO and BERGEN, March 17, 2026 — Fjordly AI, the enterprise AI company, today announced Skarv 3, its new large language model, available on Microsoft Azure, Google Cloud and Amazon Bedrock.

Fjordly AI shipped Skarv 3 on May 19 in a livestream. Skarv 3 Maverick scores 84.1 on GPQA Diamond, and Skarv 3 Premier reaches 79.5% on MMLU-Pro.
"""

VIDEO_ZH = """# 云帆视频 3.0 发布：黄金会员 66 元/月

云帆视频 3.0 今天上线。会员方面，黄金会员 66 元/月，铂金会员 266 元/月。
"""

# A brand, then what the model makes, then "Model" and a version; written
# later without the brand, or without the generic noun as well.
MEDIA = """# Vantal ships Lumora Image Model 3

Vantal today released Lumora Image Model 3 and Lumora Video Model 2. Image 3 replaces Lumora Image Model 2 as the default in the Lumora app. Video Model 2 scores 81.2% on VBench.
"""


@pytest.fixture(scope="module")
def graph(tmp_path_factory) -> Graph:
    return build_texts(tmp_path_factory.mktemp("names"), {
        "keynote.txt": KEYNOTE, "review.md": REVIEW_ZH, "release.txt": RELEASE, "video.md": VIDEO_ZH,
        "media.md": MEDIA})


def _all_labels(g: Graph, cls: str) -> set[str]:
    return {label for s in g.subjects(RDF.type, AIKG[cls]) for label in labels(g, s)}


@pytest.mark.parametrize("label, cls", [
    ("Nuvola-R2", "Model"),             # only a score says it is a model
    ("Nuvola-V4", "Model"),             # 深度求索的 Nuvola-V4 … 70.1%
    ("Kest7 N2", "Model"),              # a letter-and-number generation
    ("Stratus-4 Vision", "Model"),      # Stratus-4 is a model elsewhere in the text
    ("Fabrik Lab 3", "Product"),        # ", our robot learning framework"
    ("Okabe Research Institute", "Organization"),
    ("HP", "Company"),                  # listed with Dell and Lenovo
    ("ASUS", "Company"),                # the last item, running on: "… and ASUS starting in July"
    ("Vantage Cloud Platform", "Product"),
    ("DGX Pocket", "Product"),          # a known product's name opening a new one
    ("Loom Tuning", "Product"),
    ("Skyloom", "Product"),             # 腾讯云的 Skyloom
    ("个人专业版", "Product"),
    ("企业标准版", "Product"),
    ("Quillcode", "Product"),           # "（IntelliJ IDEA、PyCharm、Quillcode 等）"
    ("Scribe Editor", "Product"),       # "Editor" holds "or", which is no list separator
    ("林沐", "Person"),
    ("澄湖大学", "Organization"),
    ("Skarv 3 Maverick", "Model"),      # a capitalised tier after the version
    ("Skarv 3 Premier", "Model"),
    ("黄金会员", "Product"),
    ("铂金会员", "Product"),
    ("Lumora Image Model 3", "Model"),  # brand, medium, "Model", version
    ("Lumora Video Model 2", "Model"),
    ("Lumora Image Model 2", "Model"),
])
def test_name_found(graph, label, cls):
    node(graph, label, cls)


@pytest.mark.parametrize("label, cls", [
    ("N2", "Model"),
    ("Fabrik Lab", "Company"),
    ("Okabe Research", "Company"),
    ("Vantage Cloud Platform.", "Product"),
    ("With Loom Tuning", "Product"),
    ("Apache 2.0", "Model"),
    ("FP8", "Model"),
    ("林沐将", "Person"),
    ("来自澄湖大学", "Organization"),
    ("May 19", "Model"),                # "shipped Skarv 3 on May 19"
    ("Model 3", "Model"),               # the tail of "Lumora Image Model 3"
    ("Model 2", "Model"),
])
def test_name_not_found(graph, label, cls):
    assert label not in _all_labels(graph, cls)


@pytest.mark.parametrize("label", ["OSLO", "BERGEN"])
def test_a_datelines_places_are_no_names(graph, label):
    assert not any(label in _all_labels(graph, cls) for cls in ("Model", "Product", "Company", "Organization"))


def test_a_short_plan_name_is_the_longer_plans(graph):
    # "企业标准版包含专业版全部权益": 专业版 is 个人专业版, not a plan of its own.
    assert node(graph, "专业版", "Product") == node(graph, "个人专业版", "Product")


def test_a_short_form_without_the_brand_or_the_generic_noun_is_the_full_name(graph):
    full = node(graph, "Lumora Image Model 3", "Model")
    assert "Image 3" in labels(graph, full) or node(graph, "Image 3", "Model") == full
    assert ("Lumora Video Model 2", "VBench", 81.2, "percent") in scores(graph)


def test_relations_and_quantities_of_the_new_names(graph):
    def related(s, predicate, o):
        return (node(graph, *s), AIKG[predicate], node(graph, *o)) in graph

    assert related(("Skyloom", "Product"), "developedBy", ("腾讯云", "Company"))
    assert related(("Nuvola-V4", "Model"), "developedBy", ("深度求索", "Company"))
    assert related(("个人专业版", "Product"), "variantOf", ("Trae", "Product"))
    assert related(("企业标准版", "Product"), "variantOf", ("Trae", "Product"))
    assert related(("Fabrik Lab 3", "Product"), "developedBy", ("Corvane AI", "Company"))
    assert ("Nuvola-R2", "GPQA Diamond", 84.9, "points") in scores(graph) \
        or ("Nuvola-R2", "GPQA Diamond", 84.9, "percent") in scores(graph)
    assert ("Nuvola-V4", "SWE-bench Verified", 70.1, "percent") in scores(graph)
    # A scoring verb before a number does not take the number's unit away.
    assert ("Stratus-4 Mini", "MMLU-Pro", 71.5, "percent") in scores(graph)
    assert ("Skarv 3 Maverick", "GPQA Diamond", 84.1, "points") in scores(graph)
    assert ("Skarv 3 Premier", "MMLU-Pro", 79.5, "percent") in scores(graph)
    found = prices(graph)
    # A plan is named for its product: one "个人专业版" node per product.
    assert any(item == "Trae 个人专业版" and amount == 59 and currency == "CNY" for item, amount, currency, _ in found)
    assert any(item == "DGX Pocket" and amount == 3999 and currency == "USD" for item, amount, currency, _ in found)
