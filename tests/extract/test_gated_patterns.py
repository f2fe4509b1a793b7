"""Gated patterns (kg.extract.base.GatedPattern) skip a text that holds none
of their needles: that is only right if every match holds one. Checked on
every text the tests have: the seeds and the fixtures, both languages."""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

import kg.extract
from kg.extract.base import GatedPattern

from conftest import ROOT, SEEDS


def _gated() -> dict[str, GatedPattern]:
    found = {}
    for info in pkgutil.walk_packages(kg.extract.__path__, "kg.extract."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, GatedPattern):
                found[f"{info.name.removeprefix('kg.extract.')}.{name}"] = value
    return found


GATED = _gated()
TEXTS = [p.read_text(encoding="utf-8", errors="replace")
         for folder in (SEEDS, ROOT / "tests" / "fixtures")
         for p in sorted(Path(folder).rglob("*")) if p.suffix in (".txt", ".md")]


def test_the_extractors_use_gated_patterns():
    assert len(GATED) >= 15
    assert len(TEXTS) >= 40


@pytest.mark.parametrize("name", sorted(GATED))
def test_every_match_holds_a_needle(name):
    gated = GATED[name]
    matches = [m.group(0) for text in TEXTS for m in gated.pattern.finditer(text)]
    missing = [m for m in matches if not gated.could_match(m)]
    assert not missing, f"{name} matched text without any of {gated.needles}: {missing[:5]}"


def test_matches_are_checked_for_most_patterns():
    """The check above means little for a pattern these texts never match."""
    matched = [name for name, gated in GATED.items() if any(gated.pattern.search(t) for t in TEXTS)]
    assert len(matched) >= len(GATED) - 3, sorted(set(GATED) - set(matched))


def test_a_text_without_needles_is_not_scanned():
    gated = GatedPattern(r"a+b", "b")
    assert [m.group() for m in gated.finditer("aab ab")] == ["aab", "ab"]
    assert list(gated.finditer("aaaa")) == []
    assert gated.search("aaaa") is None and gated.match("aaaa") is None
    assert gated.match("ab").group() == "ab"
    with pytest.raises(ValueError):
        GatedPattern(r"x")
    with pytest.raises(ValueError):
        GatedPattern(r"x", "")
