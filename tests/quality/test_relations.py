"""Relations that launch coverage states through lists, possessives and
back-references, each on a small article with invented names (so that the
lexicon cannot supply what the pattern must find). What the dev half of
tests/fixtures/unseen_news showed missing: "available in A, B and C",
"connect X to A, B and C", "runs on A and B", "pits X against A and B",
"X, its coding assistant", "chief executive Y said", "Y, now its chief
scientist", a company's name opening a product's ("Google Drive"), an
event named with its year ("LaunchCon 2026"), and metadata in plain
``标题：`` lines or a transcript's first line."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from fixture_graphs import build_folder, build_texts, node, prices, related, scores
from kg.evaluate import evaluate, load_gold
from kg.load.documents import load_document

ORBIS = """---
title: "Orbis AI unveils Vantor 2 at LaunchCon 2026"
date: 2026-03-03
---

Orbis AI used its keynote at LaunchCon 2026 on Tuesday to introduce Vantor 2, the Berlin-based startup's new reasoning model. Vantor 2 is available from day one in Azure AI Foundry, Amazon Bedrock and Google Cloud's Vertex AI.

"Customers asked for this," chief executive Lena Hartmann said. Hartmann co-founded the company with Marek Olsen, now its chief scientist.

Orbis AI also expanded Quill Studio, its writing assistant, which runs on the Vantor 2 and Vantor-2 Mini models and plugs into VS Code and JetBrains IDEs. Administrators can connect Quill Studio to Google Drive, SharePoint and Gmail.

The launch pits Orbis AI more directly against OpenAI and Anthropic. Google said it would test Vantor 2 internally.
"""

XINGHENG = """标题：星衡科技发布衡山-3大模型，已接入钉钉、飞书和企业微信
来源：示例日报
作者：周明

星衡科技今天发布衡山-3大模型，已接入钉钉和飞书，企业用户可以直接调用。

星衡科技 CTO 王立伟表示，衡山-3 对标 GPT-4o 和 Claude 3.5 Sonnet。
"""

# A connector list written one item per line, with names the lexicon lacks
# (Quorra, Tesselate) among ones it knows; a product's plans (the plan
# names are read after a product the lexicon knows); two generations of one
# model named in one sentence.
PALISADE = """# Palisade Chat now connects to your tools

Palisade Chat, the assistant from Orbis AI, now reaches the apps your team uses. At launch we support these services:

- **Slack** — search channels and threads.
- **Quorra** — read tickets and create new ones.
- **Google Drive** and **Tesselate** — find and cite documents.
- **Gmail** — draft replies.

Palisade Chat also comes inside Le Chat, and its connectors are available on every plan:

- **Le Chat Team** — $20 per user per month.
- **Le Chat Enterprise** — $40 per user per month.

Vantor 3 doubles the context window of Vantor 2, the model it replaces.
"""

QWEN_ZH = """阿里巴巴发布新一代通义千问模型Qwen9，并宣布全系列开源。
"""

# A keynote transcript: scores said aloud, a price in thousands said aloud,
# guests introduced with their employers, the host named in the title.
KEYNOTE = """Helix Labs Summit 2026 — Opening Keynote (transcript)
Austin, May 5, 2026

MARA ELLIS: Good morning and welcome. Today we're launching Corvex 5, our new open model. On GPQA Diamond, Corvex 5 scores eighty-one point four percent. On MATH-500 it scores ninety-two point seven.

MARA ELLIS: One of our first partners is Quillstream. Please welcome Jonas Berg, chief product officer of Quillstream.

JONAS BERG: Thank you, Mara. Our analysts love it.

MARA ELLIS: We also worked with Halden Robotics Institute. Please welcome Ana Ruiz, head of robotics at Halden Robotics Institute.

ANA RUIZ: Thanks, Mara.

MARA ELLIS: For production, Corvex 5 is part of NVIDIA AI Enterprise, which is four thousand five hundred dollars per GPU per year. Our chief scientist, Émile Durand, will show the rest.
"""

# A 公众号 review: a headline title ending in ？, a features section of bold
# numbered lines, and a comparison heading listing rivals.
LINGMA = """通义灵码 9.0 全面上线，实测比 Cursor 香吗？

作者：小周

## 一、核心功能：这 3 个更新最值得关注

**1. 跨仓检索**

一句话找到所有仓库里的相关代码。

**2. 提交说明生成**

自动写好提交说明。

## 二、实测对比：和 Cursor、Trae 比怎么样？

- **Cursor**：体验最好，但价格贵。
- **Trae**：国内版免费。
"""

SUMMIT = """Acme Summit 2026 — Opening Keynote (transcript)
Denver, April 2, 2026

JANE PARK: Welcome to Acme Summit. Today we are launching Acme Relay, a workflow platform.
"""


@pytest.fixture(scope="module")
def graph(tmp_path_factory) -> Graph:
    return build_texts(tmp_path_factory.mktemp("relations"), {
        "orbis.md": ORBIS, "xingheng.md": XINGHENG, "palisade.md": PALISADE, "qwen.md": QWEN_ZH,
        "keynote.txt": KEYNOTE, "lingma.md": LINGMA})


@pytest.mark.parametrize("s, predicate, o", [
    # "available from day one in A, B and Google Cloud's Vertex AI": every item, the owned one too.
    (("Vantor 2", "Model"), "integratesWith", ("Azure AI Foundry", "Product")),
    (("Vantor 2", "Model"), "integratesWith", ("Amazon Bedrock", "Product")),
    (("Vantor 2", "Model"), "integratesWith", ("Vertex AI", "Product")),
    # "which runs on the A and B models and plugs into C and D".
    (("Quill Studio", "Product"), "basedOn", ("Vantor 2", "Model")),
    (("Quill Studio", "Product"), "basedOn", ("Vantor-2 Mini", "Model")),
    (("Quill Studio", "Product"), "integratesWith", ("VS Code", "Product")),
    (("Quill Studio", "Product"), "integratesWith", ("JetBrains IDEs", "Product")),
    # "connect Quill Studio to Google Drive, SharePoint and Gmail".
    (("Quill Studio", "Product"), "integratesWith", ("Google Drive", "Product")),
    # "pits Orbis AI more directly against OpenAI and Anthropic".
    (("Orbis AI", "Company"), "competesWith", ("OpenAI", "Company")),
    (("Orbis AI", "Company"), "competesWith", ("Anthropic", "Company")),
    # Back-references to the company the article is about.
    (("Vantor 2", "Model"), "developedBy", ("Orbis AI", "Company")),
    (("Quill Studio", "Product"), "developedBy", ("Orbis AI", "Company")),
    (("Lena Hartmann", "Person"), "worksFor", ("Orbis AI", "Company")),
    (("Marek Olsen", "Person"), "worksFor", ("Orbis AI", "Company")),
    # An event named with its year, and what was introduced there.
    (("Vantor 2", "Model"), "announcedAt", ("LaunchCon 2026", "Event")),
    # Chinese: a list after 接入, rivals after 对标, a title between company and name.
    (("衡山-3", "Model"), "integratesWith", ("飞书", "Product")),
    (("衡山-3", "Model"), "competesWith", ("Claude 3.5 Sonnet", "Model")),
    (("王立伟", "Person"), "worksFor", ("星衡科技", "Company")),
    # "At launch we support these services:" and a list: each item's names,
    # the unknown ones typed by the known ones they are listed with.
    (("Palisade Chat", "Product"), "integratesWith", ("Slack", "Product")),
    (("Palisade Chat", "Product"), "integratesWith", ("Quorra", "Product")),
    (("Palisade Chat", "Product"), "integratesWith", ("Tesselate", "Product")),
    (("Palisade Chat", "Product"), "integratesWith", ("Gmail", "Product")),
    # A plan is a variant of its product; a higher version named with a
    # lower one in one sentence is its next generation.
    (("Le Chat Enterprise", "Product"), "variantOf", ("Le Chat", "Product")),
    (("Vantor 3", "Model"), "successorOf", ("Vantor 2", "Model")),
    # "发布新一代通义千问模型Qwen9": the family before the name does not block it.
    (("Qwen9", "Model"), "developedBy", ("阿里巴巴", "Company")),
    # Guests' employers, named after their titles (not known to the lexicon).
    (("Jonas Berg", "Person"), "worksFor", ("Quillstream", "Company")),
    (("Ana Ruiz", "Person"), "worksFor", ("Halden Robotics Institute", "Organization")),
    (("Mara Ellis", "Person"), "worksFor", ("Helix Labs", "Company")),
    (("Émile Durand", "Person"), "worksFor", ("Helix Labs", "Company")),
    # A features section naming no product describes the one the title names;
    # "通义灵码 9.0" is a release of the product 通义灵码, not a new model.
    (("通义灵码 9.0", "Product"), "hasFeature", ("跨仓检索", "Feature")),
    (("通义灵码 9.0", "Product"), "hasFeature", ("提交说明生成", "Feature")),
    # "和 Cursor、Trae 比": rivals of the reviewed product.
    (("通义灵码 9.0", "Product"), "competesWith", ("Cursor", "Product")),
    (("通义灵码 9.0", "Product"), "competesWith", ("Trae", "Product")),
])
def test_relation_found(graph, s, predicate, o):
    assert related(graph, s, predicate, o)


@pytest.mark.parametrize("s, predicate, o", [
    # The owner before 's is not a list item.
    (("Vantor 2", "Model"), "integratesWith", ("Google Cloud", "Product")),
    # A name listed after "runs on" is not the subject of "plugs into".
    (("Vantor-2 Mini", "Model"), "integratesWith", ("VS Code", "Product")),
    # "星衡科技发布衡山-3大模型，已接入钉钉": only the launched model is the company's.
    (("钉钉", "Product"), "developedBy", ("星衡科技", "Company")),
    # "available on every plan:" lists plans, not integrations.
    (("Le Chat", "Product"), "integratesWith", ("Le Chat Team", "Product")),
    # Guests on stage are not the host's staff, and a speaker's label is no
    # employer cue ("MARA ELLIS: One of our first partners is Quillstream").
    (("Jonas Berg", "Person"), "worksFor", ("Helix Labs", "Company")),
    (("Mara Ellis", "Person"), "worksFor", ("Quillstream", "Company")),
])
def test_relation_not_found(graph, s, predicate, o):
    assert not related(graph, s, predicate, o)


def test_scores_and_prices_said_aloud(graph):
    assert ("Corvex 5", "GPQA Diamond", 81.4, "percent") in scores(graph)
    assert ("Corvex 5", "MATH-500", 92.7, "points") in scores(graph)
    assert any(p[:3] == ("NVIDIA AI Enterprise", 4500.0, "USD") for p in prices(graph))


@pytest.mark.parametrize("label", ["Our", "Our analysts", "Product for Le Chat"])
def test_no_person_or_company_from_a_pronoun_or_a_job_area(graph, label):
    for cls in ("Person", "Company", "Organization"):
        with pytest.raises(AssertionError):
            node(graph, label, cls)


def test_google_drive_is_googles(graph):
    """A company's name opening a product's name says who makes it (where
    the document names that company on its own too: inside "Google Drive"
    Google is no mention of its own)."""
    assert related(graph, ("Google Drive", "Product"), "developedBy", ("Google", "Company"))


def test_an_alias_followed_by_a_number_is_another_model(tmp_path):
    """"Nimbus 5" is not the model the alias "Nimbus" names: the name
    patterns read the longer name."""
    from kg.extract import extract_document
    from kg.lexicon_index import LexiconIndex
    from kg.lexicon import load_lexicon
    lexicon_file = tmp_path / "lexicon.yaml"
    lexicon_file.write_text("version: 1\nentries:\n  - {name: Zeta-4, type: Model, aliases: [Nimbus]}\n",
                            encoding="utf-8")
    doc_file = tmp_path / "d.md"
    doc_file.write_text("Nimbus 5 scores 80% on MMLU, a new model.\n", encoding="utf-8")
    doc = load_document(doc_file, tmp_path, "d")
    found = {(m.surface, m.canonical) for m in extract_document(doc, LexiconIndex(load_lexicon(lexicon_file))).mentions}
    assert ("Nimbus 5", None) in found
    assert not any(canonical == "Zeta-4" for _, canonical in found)


def test_plain_label_lines_are_metadata(tmp_path):
    path = tmp_path / "x.md"
    path.write_text(XINGHENG, encoding="utf-8")
    doc = load_document(path, tmp_path, "x")
    assert doc.meta.title == "星衡科技发布衡山-3大模型，已接入钉钉、飞书和企业微信"
    assert (doc.meta.author, doc.meta.publisher) == ("周明", "示例日报")
    # The title line stays prose (names are read there); the others do not.
    first_prose = doc.text[doc.prose[0].start:doc.prose[0].end]
    assert first_prose.startswith("标题：星衡科技") or "星衡科技发布衡山-3大模型" in first_prose
    assert all("示例日报" not in doc.text[p.start:p.end] for p in doc.prose)


def test_a_transcripts_first_line_is_its_title(tmp_path):
    path = tmp_path / "summit.txt"
    path.write_text(SUMMIT, encoding="utf-8")
    assert load_document(path, tmp_path, "s").meta.title == "Acme Summit 2026 — Opening Keynote (transcript)"


@pytest.mark.parametrize("first_line", [
    "OpenAI released a new model today.",       # a sentence
    "公众号：AI前哨站",                           # a label line
    "- a list item",
])
def test_a_first_line_that_is_no_title(tmp_path, first_line):
    path = tmp_path / "x.txt"
    path.write_text(first_line + "\n\nMore text follows here.\n", encoding="utf-8")
    assert load_document(path, tmp_path, "x").meta.title is None



def test_a_plain_document_with_a_code_fence_keeps_its_first_line_title(tmp_path):
    # Found by the property test in CI: the fence check read attributes a
    # Fence does not have, so any untitled document with a fence crashed.
    path = tmp_path / "fenced.txt"
    path.write_text("Acme Toolkit 2 release notes\n\nInstall it:\n\n```bash\npip install acme\n```\n",
                    encoding="utf-8")
    assert load_document(path, tmp_path, "f").meta.title == "Acme Toolkit 2 release notes"


def test_a_first_line_inside_a_code_fence_is_no_title(tmp_path):
    path = tmp_path / "code.txt"
    path.write_text("~~~\nAcme Toolkit 2 release notes\n~~~\n\nMore text follows here.\n", encoding="utf-8")
    result = load_document(path, tmp_path, "c")
    assert result.meta.title is None

# --- measured relation quality on independent articles ---------------------

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.mark.parametrize("corpus, floor", [
    # Relation F1 measured when these floors were set (README, "On articles
    # written without sight of the extractor"); the floors sit a little
    # below, so that the next change may trade a little but not fall back
    # to the 0.20–0.35 of the pair rules alone.
    ("unseen_news/dev", 0.50),       # measured 0.560 (0.350 before these patterns)
    ("unseen_news/heldout", 0.32),   # measured 0.353 (0.280)
    ("unseen_news2/dev", 0.40),      # measured 0.442 (0.201)
    ("unseen_news2/heldout", 0.24),  # measured 0.267 (0.221)
    ("unseen_news3/dev", 0.30),      # measured 0.325 (0.279 when the set arrived)
    ("unseen_news3/heldout", 0.20),  # measured 0.227 (0.210)
    ("unseen_news4/dev", 0.30),      # measured 0.340 (0.217 when the set arrived)
    ("unseen_news4/heldout", 0.12),  # measured 0.139 (0.124)
])
def test_relation_quality_floor(tmp_path, corpus, floor):
    folder = FIXTURES / corpus
    g = build_folder(folder / "docs", tmp_path / "out")
    report = evaluate(g, load_gold(folder / "gold"))
    assert report.total("relations").f1 >= floor


def test_a_product_release_is_the_product(graph):
    """"通义灵码 9.0" names the product 通义灵码 (its family names no model),
    unlike "豆包 1.6", a model of a family that has models."""
    product = node(graph, "通义灵码 9.0", "Product")
    assert node(graph, "通义灵码", "Product") == product
    with pytest.raises(AssertionError):
        node(graph, "通义灵码 9.0", "Model")
