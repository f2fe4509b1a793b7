"""The compiled domain lexicon: an Aho-Corasick automaton over every surface
form of every entry, built once per process and read-only afterwards.

Extraction matches it against each document; resolution and inference look
names up in it. It lives beside the lexicon, not in a stage, because every
stage from extraction on reads it.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property

import ahocorasick

from kg.lexicon import Lexicon, LexiconEntry, normalize_name
from kg.vocab import class_family

_LATIN = re.compile(r"[A-Za-z0-9]")


def lowered_same_length(text: str) -> str:
    """``text.lower()`` with offsets preserved (a few code points grow when
    lowered, e.g. 'İ'; those are kept as they are)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _holds_ambiguous_word(entry: LexiconEntry, surface: str) -> bool:
    """True when ``surface`` contains, as a word, a Latin form the entry
    flags ambiguous: "MATH benchmark" must be written in capitals too, or
    "the USAMO math benchmark" names the MATH benchmark."""
    return any(
        _LATIN.search(form) and form != surface
        and re.search(rf"(?<![A-Za-z0-9]){re.escape(form)}(?![A-Za-z0-9])", surface)
        for form in entry.ambiguous_forms
    )


@dataclass(frozen=True)
class LexiconHit:
    """A surface form of a lexicon entry, as the automaton stores it."""

    surface: str
    entry: LexiconEntry
    case_sensitive: bool
    ambiguous: bool


class LexiconIndex:
    """An Aho-Corasick automaton over every surface form of the lexicon."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self.generic = frozenset(normalize_name(t) for t in lexicon.generic_terms)
        self._automaton = ahocorasick.Automaton()
        by_key: dict[str, list[LexiconHit]] = {}
        for surface, entries in sorted(lexicon.surface_forms().items()):
            surface = surface.strip()
            if not surface or normalize_name(surface) in self.generic:
                continue
            for entry in entries:
                # Short Latin forms and common words ("Go", "Canvas") match
                # only as written; longer names match in any case.
                ambiguous = entry.is_ambiguous_form(surface)
                case_sensitive = ambiguous or (len(surface) <= 3 and bool(_LATIN.search(surface))) \
                    or _holds_ambiguous_word(entry, surface)
                by_key.setdefault(surface.lower(), []).append(
                    LexiconHit(surface, entry, case_sensitive, ambiguous)
                )
        for key, hits in by_key.items():
            self._automaton.add_word(key, tuple(hits))
        if by_key:
            self._automaton.make_automaton()
        self._empty = not by_key
        self.by_normalized: dict[tuple[str, str], LexiconEntry] = {}
        for entry in lexicon.entries:
            for form in (entry.name, entry.zh, *entry.aliases):
                if form:
                    self.by_normalized.setdefault((normalize_name(form), entry.type), entry)
        self.by_name: dict[str, LexiconEntry] = {}
        self._by_name_type: dict[tuple[str, str], LexiconEntry] = {}
        for entry in lexicon.entries:
            self.by_name.setdefault(entry.name, entry)
            self._by_name_type.setdefault((entry.name, entry.type), entry)
        #: Leading words of known model / product names ("gpt", "claude",
        #: "qwen", "o"): a new version of a known family is recognised by shape.
        self.model_families = frozenset(_families(lexicon, "Model"))
        self.product_families = frozenset(_families(lexicon, "Product")) - self.model_families
        #: Chinese forms of model names ("豆包大模型", "豆包1.5 Pro"): a Chinese
        #: product name whose family also names models ("豆包 1.6") is a model,
        #: one whose family does not ("通义灵码 3.0") a product version.
        self._cjk_model_forms = tuple(sorted({f for e in lexicon.entries if e.type == "Model"
                                              for f in (e.zh, *e.aliases) if f and _CJK_START.match(f)}))

    def names_models(self, stem: str) -> bool:
        """Does a known model's Chinese name start with ``stem``?"""
        i = bisect.bisect_left(self._cjk_model_forms, stem)
        return i < len(self._cjk_model_forms) and self._cjk_model_forms[i].startswith(stem)

    def iter_hits(self, lowered: str):
        """Yield ``(start, end, hits)`` for every surface form in ``lowered``."""
        if self._empty:
            return
        for end_index, hits in self._automaton.iter(lowered):
            length = len(hits[0].surface)
            yield end_index + 1 - length, end_index + 1, hits

    def entry(self, name: str, etype: str | None = None) -> LexiconEntry | None:
        """The entry with this canonical name, of ``etype`` when one exists
        ("Warp" names both a company and its terminal)."""
        if etype is not None:
            found = self._by_name_type.get((name, etype))
            if found is not None:
                return found
        return self.by_name.get(name)

    def lookup(self, name: str, etype: str | None = None) -> LexiconEntry | None:
        """The entry a name normalizes to, optionally of one type."""
        key = normalize_name(name)
        if etype:
            return self.by_normalized.get((key, etype))
        for t in ("Model", "Product", "Company", "Organization", "Feature", "Person", "Event", "Benchmark"):
            hit = self.by_normalized.get((key, t))
            if hit:
                return hit
        return None

    @cached_property
    def _deletions(self) -> dict[str, set[tuple[str, str]]]:
        """Every known form (6+ characters) with one letter deleted →
        the entries it belongs to: a typo index (SymSpell's idea)."""
        index: dict[str, set[tuple[str, str]]] = {}
        for (key, etype), entry in self.by_normalized.items():
            if len(key) < 6:
                continue
            for i, ch in enumerate(key):
                if ch.isalpha():
                    index.setdefault(key[:i] + key[i + 1:], set()).add((entry.name, entry.type))
        return index

    def typo_fix(self, key: str, etype: str) -> LexiconEntry | None:
        """The one known entry a normalised name is an obvious typo of:
        "gpt40" → GPT-4o (0 for o), "arcag" → ARC-AGI, "condeforces" →
        Codeforces (one letter added, dropped or changed in a long name).
        Digits are never changed: "Llama 3.3" is no typo of "Llama 3.1"."""
        want = class_family(etype)
        if etype in ("Model", "Product", "Feature"):
            want_types = {"Model", "Product", "Feature"}
        else:
            want_types = {t for t in ("Model", "Product", "Feature", "Person", "Company", "Organization",
                                      "Event", "Benchmark") if class_family(t) == want}
        found: set[tuple[str, str]] = set()
        for i, ch in enumerate(key):
            swap = {"0": "o", "o": "0", "1": "l", "l": "1"}.get(ch)
            if swap:
                for t in want_types:
                    entry = self.by_normalized.get((key[:i] + swap + key[i + 1:], t))
                    if entry is not None:
                        found.add((entry.name, entry.type))
        deletions = self._deletions
        if len(key) >= 5:  # a letter dropped from a known name of 6+
            found |= {c for c in deletions.get(key, ()) if c[1] in want_types}
        if len(key) >= 6:
            for i, ch in enumerate(key):
                # A letter after the version is a variant, not a typo:
                # "GLM-4.5-X", like "GPT-4o", is not GLM-4.5.
                if ch.isalpha() and not (i == len(key) - 1 and key[i - 1].isdigit()):
                    d = key[:i] + key[i + 1:]
                    for t in want_types:
                        entry = self.by_normalized.get((d, t))
                        if entry is not None:
                            found.add((entry.name, entry.type))
                    found |= {c for c in deletions.get(d, ()) if c[1] in want_types}
        if len(found) != 1:
            return None
        name, etype_found = found.pop()
        return self.by_normalized.get((normalize_name(name), etype_found))

    def is_generic(self, name: str) -> bool:
        """True for words that must never become entities (AI, 模型, …)."""
        return normalize_name(name) in self.generic


_CJK_START = re.compile(r"[\u4e00-\u9fff]")


def _families(lexicon: Lexicon, etype: str) -> set[str]:
    out = set()
    for entry in lexicon.entries:
        if entry.type != etype:
            continue
        for form in (entry.name, *entry.aliases):
            m = re.match(r"([A-Za-z]+)[-. ]?\d", form)
            if m:
                out.add(m.group(1).lower())
    return out
