"""Tests for the curated domain lexicon (kg/data/lexicon.yaml) and its loader."""
from __future__ import annotations

import re
import textwrap
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from kg.lexicon import (
    ENTITY_TYPES,
    Lexicon,
    LexiconEntry,
    LexiconError,
    load_lexicon,
    normalize_name,
)

LEXICON_FILE = Path(__file__).resolve().parents[1] / "kg" / "data" / "lexicon.yaml"
ORGS = {"Company", "Organization"}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


@pytest.fixture(scope="module")
def raw() -> dict:
    """The file as plain YAML, independent of the loader's own checks."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(LEXICON_FILE.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - safe loader


def _family(etype: str) -> str:
    return "Organization" if etype in ORGS else etype


def _forms(entry: dict) -> list[str]:
    return [entry["name"], *([entry["zh"]] if entry.get("zh") else []), *entry.get("aliases", [])]


def _as_list(value) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


# -- the packaged file --------------------------------------------------------


def test_packaged_file_loads_with_breadth(lexicon: Lexicon) -> None:
    assert lexicon.version == 1
    assert len(lexicon.entries) >= 600
    counts = defaultdict(int)
    for e in lexicon.entries:
        counts[e.type] += 1
    assert set(counts) == set(ENTITY_TYPES)
    assert counts["Feature"] >= 100 and counts["Person"] >= 100 and counts["Benchmark"] >= 50
    assert len(lexicon.generic_terms) >= 50


def test_default_load_equals_explicit_path(lexicon: Lexicon) -> None:
    again = load_lexicon(LEXICON_FILE)
    assert again.entries == lexicon.entries
    assert again.generic_terms == lexicon.generic_terms
    # Deterministic: the same mapping, in the same order, on every load.
    assert list(again.surface_forms()) == list(lexicon.surface_forms())


def test_raw_file_has_the_agreed_shape(raw: dict) -> None:
    assert set(raw) == {"version", "entries", "generic_terms"}
    assert raw["version"] == 1
    allowed = {"name", "type", "zh", "aliases", "developer", "variant_of", "successor_of",
               "works_for", "part_of", "ambiguous", "ambiguous_forms"}
    for entry in raw["entries"]:
        assert set(entry) <= allowed, entry
        assert entry["type"] in ENTITY_TYPES, entry
        for form in _forms(entry):
            assert isinstance(form, str) and form == form.strip() and form, entry


def test_every_reference_names_an_entry_of_a_fitting_type(raw: dict) -> None:
    types_by_name: dict[str, set[str]] = defaultdict(set)
    for entry in raw["entries"]:
        types_by_name[entry["name"]].add(entry["type"])
    problems = []
    for entry in raw["entries"]:
        lineage = {"Benchmark"} if entry["type"] == "Benchmark" else {"Model", "Product"}
        wanted = {
            "developer": ORGS,
            "variant_of": lineage,
            "successor_of": lineage,
            "works_for": ORGS,
            "part_of": {"Event"},
        }
        for key, allowed in wanted.items():
            for target in _as_list(entry.get(key)):
                if not types_by_name.get(target, set()) & allowed:
                    problems.append(f"{entry['name']}: {key} {target!r}")
    assert problems == []


def test_relation_keys_sit_on_fitting_types(raw: dict) -> None:
    for entry in raw["entries"]:
        t = entry["type"]
        if "works_for" in entry:
            assert t == "Person", entry
        if "developer" in entry:
            assert t not in ORGS | {"Person"}, entry
        if "part_of" in entry:
            assert t == "Event", entry
        if "variant_of" in entry or "successor_of" in entry:
            assert t in {"Model", "Product", "Benchmark"}, entry


def test_no_unflagged_surface_form_shared_within_a_type(raw: dict) -> None:
    owners: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for entry in raw["entries"]:
        for key in {normalize_name(f) for f in _forms(entry)}:
            owners[(_family(entry["type"]), key)].append(entry)

    def flagged(entry: dict, key: str) -> bool:
        return bool(entry.get("ambiguous")) or key in {normalize_name(f) for f in entry.get("ambiguous_forms", [])}

    clashes = [
        (key, [e["name"] for e in entries])
        for (_, key), entries in owners.items()
        if len(entries) > 1 and not all(flagged(e, key) for e in entries)
    ]
    assert clashes == []


def test_canonical_names_unique_within_a_type(raw: dict) -> None:
    seen: dict[tuple[str, str], str] = {}
    for entry in raw["entries"]:
        key = (_family(entry["type"]), normalize_name(entry["name"]))
        assert key not in seen, (entry["name"], seen.get(key))
        seen[key] = entry["name"]


def test_generic_terms_are_never_entities(raw: dict, lexicon: Lexicon) -> None:
    names = {normalize_name(e["name"]) for e in raw["entries"]}
    forms = {normalize_name(f) for e in raw["entries"] for f in _forms(e)}
    for term in raw["generic_terms"]:
        assert normalize_name(term) not in names, term
        assert normalize_name(term) not in forms, term
    for term in ("AI", "大模型", "模型", "开发者", "用户", "API", "LLM"):
        assert lexicon.is_generic(term), term
        assert lexicon.lookup(term) == [], term


def test_ambiguous_forms_belong_to_their_entry(raw: dict) -> None:
    for entry in raw["entries"]:
        own = {normalize_name(f) for f in _forms(entry)}
        for form in entry.get("ambiguous_forms", []):
            assert normalize_name(form) in own, (entry["name"], form)


def test_features_carry_chinese_names(lexicon: Lexicon) -> None:
    # Chinese coverage names features in Chinese; nearly all need a CJK form.
    features = [e for e in lexicon.entries if e.type == "Feature"]
    with_cjk = [e for e in features if any(CJK.search(f) for f in e.surface_forms)]
    assert len(with_cjk) / len(features) >= 0.9


# -- spot checks ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "name", "etype"),
    [
        ("函数调用", "Function Calling", "Feature"),
        ("奥特曼", "Sam Altman", "Person"),
        ("山姆·奥特曼", "Sam Altman", "Person"),
        ("深度求索", "DeepSeek", "Company"),
        ("月之暗面", "Moonshot AI", "Company"),
        ("北京智谱华章科技", "Zhipu AI", "Company"),
        ("通义千问", "Qwen", "Model"),
        ("强化学习微调", "Reinforcement Fine-Tuning", "Feature"),
        ("RFT", "Reinforcement Fine-Tuning", "Feature"),
        ("文生视频", "Text-to-Video", "Feature"),
        ("图片转视频", "Image-to-Video", "Feature"),
        ("结构化输出", "Structured Outputs", "Feature"),
        ("高级语音模式", "Advanced Voice Mode", "Feature"),
        ("世界人工智能大会", "WAIC", "Event"),
        ("GPT4o", "GPT-4o", "Model"),
        ("gpt-4o-mini", "GPT-4o mini", "Model"),
        ("Dalle3", "DALL·E 3", "Model"),
        ("清华大学", "Tsinghua University", "Organization"),
        ("Humanity's Last Exam", "Humanity's Last Exam", "Benchmark"),
    ],
)
def test_surface_form_resolves(lexicon: Lexicon, form: str, name: str, etype: str) -> None:
    found = lexicon.lookup(form)
    assert [(e.name, e.type) for e in found] == [(name, etype)]
    assert found[0] in lexicon.surface_forms()[form]


def test_relation_hints(lexicon: Lexicon) -> None:
    sonnet = lexicon.by_name("Claude 3.5 Sonnet")
    assert sonnet is not None and sonnet.type == "Model" and sonnet.developer == "Anthropic"
    mini = lexicon.by_name("GPT-4o mini", "Model")
    assert mini is not None and mini.variant_of == "GPT-4o"
    assert lexicon.by_name("o3").successor_of == "o1"
    assert lexicon.by_name("ChatGPT Pro").variant_of == "ChatGPT"
    assert "OpenAI" in lexicon.by_name("Sam Altman").works_for
    assert lexicon.by_name("OpenAI DevDay 2023").part_of == "OpenAI DevDay"


def test_by_name_normalizes_and_filters_by_type(lexicon: Lexicon) -> None:
    assert lexicon.by_name("claude 3.5-sonnet").name == "Claude 3.5 Sonnet"
    assert lexicon.by_name("Warp", "Company").type == "Company"
    assert lexicon.by_name("Warp", "Product").type == "Product"
    assert lexicon.by_name("Warp", ["Feature", "Person"]) is None
    assert lexicon.by_name("no such thing") is None
    with pytest.raises(ValueError, match="unknown entity type"):
        lexicon.by_name("OpenAI", "Compnay")


def test_ambiguity_flags(lexicon: Lexicon) -> None:
    assert lexicon.by_name("Canvas").is_ambiguous_form("Canvas")
    spark = lexicon.by_name("Spark", "Model")
    assert spark.is_ambiguous_form("星火")
    assert not spark.is_ambiguous_form("讯飞星火")
    assert not lexicon.by_name("OpenAI").is_ambiguous_form("OpenAI")


def test_surface_forms_cover_name_zh_and_aliases(lexicon: Lexicon) -> None:
    forms = lexicon.surface_forms()
    fc = lexicon.by_name("Function Calling")
    for form in (fc.name, fc.zh, *fc.aliases):
        assert fc in forms[form]
    # A fresh copy each call: callers cannot corrupt the index.
    forms.clear()
    assert lexicon.surface_forms()


def test_collisions_report_cross_type_sharing(lexicon: Lexicon) -> None:
    shared = lexicon.collisions()
    assert {e.type for e in shared["warp"]} == {"Company", "Product"}
    assert all(len(v) > 1 for v in shared.values())


# -- normalization -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("GPT-4o mini", "gpt 4o-mini"),
        ("DALL·E 3", "dall-e 3"),
        ("DALL·E 3", "DALLE3"),
        ("ＧＰＴ－４ｏ", "gpt4o"),
        ("Humanity’s Last Exam", "Humanitys Last Exam"),
        ('"Canvas"', "canvas"),
        ("o1 模型", "o1模型"),
        ("reasoning_effort", "Reasoning Effort"),
        ("GPT\u200b-4", "GPT4"),
        ("Character.AI", "character ai"),
        ("Claude 3.5 Sonnet", "claude35sonnet"),
    ],
)
def test_normalize_name_equates_variants(a: str, b: str) -> None:
    assert normalize_name(a) == normalize_name(b)


def test_normalize_name_keeps_distinctions() -> None:
    assert normalize_name("GPT-4o") != normalize_name("GPT-4")
    assert normalize_name("o1") != normalize_name("o1-mini")
    assert normalize_name("Grok") != normalize_name("Groq")
    assert normalize_name("Straße") == "strasse"


# -- validation errors -------------------------------------------------------------


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "lexicon.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def test_unknown_type_is_rejected_naming_the_entry(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        version: 1
        entries:
          - {name: OpenAI, type: Company}
          - {name: Gizmo, type: Gadget}
        """)
    with pytest.raises(LexiconError, match=r"entry #1 \('Gizmo'\).*type"):
        load_lexicon(path)


def test_unknown_key_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        version: 1
        entries:
          - {name: OpenAI, type: Company, devloper: OpenAI}
        """)
    with pytest.raises(LexiconError, match="OpenAI.*devloper"):
        load_lexicon(path)


def test_repeated_key_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        version: 1
        entries:
          - {name: OpenAI, type: Company, aliases: [Open AI], aliases: [OAI]}
        """)
    with pytest.raises(LexiconError, match="aliases.*repeated"):
        load_lexicon(path)


def test_non_string_name_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        version: 1
        entries:
          - {name: 360, type: Company}
        """)
    with pytest.raises(LexiconError, match="entry #0"):
        load_lexicon(path)


def test_duplicate_canonical_name_same_family_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        version: 1
        entries:
          - {name: Zoom, type: Company}
          - {name: zoom, type: Organization}
        """)
    with pytest.raises(LexiconError, match="duplicate canonical name 'zoom'"):
        load_lexicon(path)


def test_same_name_across_types_is_allowed(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        version: 1
        entries:
          - {name: Zoom, type: Company}
          - {name: Zoom, type: Product, developer: Zoom}
        """)
    lx = load_lexicon(path)
    assert [e.type for e in lx.lookup("zoom")] == ["Company", "Product"]
    assert lx.by_name("Zoom", "Product").developer == "Zoom"


def test_shared_alias_needs_ambiguity_flags(tmp_path: Path) -> None:
    body = """\
        version: 1
        entries:
          - {name: Microsoft Copilot, type: Product, aliases: [Copilot]%s}
          - {name: GitHub Copilot, type: Product, aliases: [Copilot]%s}
        """
    with pytest.raises(LexiconError, match="'copilot' is shared by"):
        load_lexicon(_write(tmp_path, body % (", ambiguous_forms: [Copilot]", "")))
    lx = load_lexicon(_write(tmp_path, body % ((", ambiguous_forms: [Copilot]",) * 2)))
    assert len(lx.lookup("Copilot")) == 2
    assert "copilot" in lx.collisions()


def test_dangling_or_mistyped_reference_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        version: 1
        entries:
          - {name: Sam Altman, type: Person}
          - {name: GPT-4o, type: Model, developer: OpenAI}
          - {name: GPT-4o mini, type: Model, variant_of: Sam Altman}
        """)
    with pytest.raises(LexiconError) as info:
        load_lexicon(path)
    message = str(info.value)
    assert "developer 'OpenAI' names no entry" in message
    assert "variant_of 'Sam Altman' names an entry of the wrong type" in message


def test_key_on_wrong_type_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        version: 1
        entries:
          - {name: OpenAI, type: Company, works_for: OpenAI}
        """)
    with pytest.raises(LexiconError, match="works_for"):
        load_lexicon(path)


def test_ambiguous_form_must_be_a_surface_form(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        version: 1
        entries:
          - {name: Spark, type: Model, aliases: [星火], ambiguous_forms: [Sparks]}
        """)
    with pytest.raises(LexiconError, match="ambiguous_forms"):
        load_lexicon(path)


def test_generic_term_may_not_be_a_surface_form(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        version: 1
        entries:
          - {name: ChatGPT, type: Product, aliases: [聊天机器人]}
        generic_terms: [聊天机器人]
        """)
    with pytest.raises(LexiconError, match="generic term"):
        load_lexicon(path)


def test_entries_can_be_built_in_code() -> None:
    lx = Lexicon(
        version=1,
        entries=[
            {"name": "Anthropic", "type": "Company"},
            LexiconEntry(name="Claude", type="Model", developer="Anthropic", aliases=["克劳德"]),
        ],
        generic_terms=["AI"],
    )
    assert lx.lookup("克劳德")[0].developer == "Anthropic"
    assert lx.by_name("claude").works_for == ()


@pytest.mark.parametrize("written, etype, expected", [
    ("gpt40", "Model", "GPT-4o"),            # 0 for o
    ("condeforces", "Benchmark", "Codeforces"),  # one letter added
    ("glm45x", "Model", None),               # "GLM-4.5-X": a letter after the version is a variant
    ("llama34", "Model", None),              # digits are never changed (Llama 3.3 and 3.4 differ)
])
def test_typo_fix(lexicon, written, etype, expected):
    from kg.lexicon_index import LexiconIndex

    found = LexiconIndex(lexicon).typo_fix(written, etype)
    assert (found.name if found else None) == expected
