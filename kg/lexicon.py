"""The curated AI-industry lexicon (``kg/data/lexicon.yaml``): load, validate, look up.

The lexicon is data about the industry at large (companies, people, models,
products, features, events, benchmarks with their Chinese and English surface
forms). The extractor uses it to find and type mentions; relations recorded
here (``developer``, ``variant_of``, ...) are hints that the builder asserts
only when the text supports them.

``normalize_name`` is the matching normalization shared with the gold scoring:
NFKC, case-folded, with spaces, hyphens, underscores, dots, middle dots and
quotes removed.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any, Literal, get_args

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    PrivateAttr,
    SkipValidation,
    ValidationError,
    field_validator,
    model_validator,
)

from kg.vocab import class_family

EntityType = Literal[
    "Model", "Product", "Feature", "Person", "Company", "Organization", "Event", "Benchmark"
]
ENTITY_TYPES: tuple[str, ...] = get_args(EntityType)

#: Words that follow a model name and belong to it (tiers, sizes, editions).
EDITION_WORDS = frozenset(
    "mini pro turbo flash sonnet opus haiku ultra max plus lite nano preview instruct "
    "chat vision coder omni thinking reasoner exp experimental large medium small base "
    "air edge deep research".split()
)

# Company ⊑ Organization and the gold scoring counts them as one family, so
# uniqueness and collision checks treat them as one type.

# Which reference keys an entry of a given type may carry, and which types the
# named entry may have.
_ORGS = frozenset({"Company", "Organization"})
_MADE_THINGS = frozenset({"Model", "Product"})
_DEVELOPER_SOURCES = frozenset({"Model", "Product", "Feature", "Benchmark", "Event"})
_LINEAGE_SOURCES = frozenset({"Model", "Product", "Benchmark"})

# Characters the normalization drops: whitespace (including zero-width and the
# ideographic space), hyphen/dash variants, underscores, dots and middle dots,
# straight and typographic quotes. NFKC already folds full-width forms
# (＿ － ． ＂ ＇) into their ASCII counterparts before this runs.
_DROPPED = re.compile(
    "[\\s\u200b\u200c\u200d\u2060\ufeff"
    "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212"
    "_"
    ".\u3002\u00b7\u30fb\u2027\u2022\u2219\u22c5"
    "'\"`\u00b4\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2032\u2033"
    "\u00ab\u00bb\u2039\u203a\u300c\u300d\u300e\u300f\u301d\u301e]+"
)


def normalize_name(s: str) -> str:
    """Return the matching key of a name: NFKC, casefold, and drop spaces,
    hyphens, underscores, dots, ``·`` and quotes.

    ``normalize_name("GPT-4o mini") == normalize_name("gpt 4o-mini") == "gpt4omini"``.
    """
    return _DROPPED.sub("", unicodedata.normalize("NFKC", s).casefold())


class LexiconError(ValueError):
    """The lexicon file cannot be read or does not validate."""


def _as_tuple(value: Any) -> Any:
    """Accept a single string where a list of strings is expected."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return value


class LexiconEntry(BaseModel):
    """One entity of the lexicon with its surface forms and relation hints."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    type: EntityType
    zh: str | None = None
    aliases: tuple[str, ...] = ()
    developer: str | None = None
    variant_of: str | None = None
    successor_of: str | None = None
    works_for: tuple[str, ...] = ()
    part_of: str | None = None
    ambiguous: bool = False
    ambiguous_forms: tuple[str, ...] = ()

    # normalize_name of each surface form, computed once at validation
    _keys: tuple[str, ...] = PrivateAttr(default=())
    _ambiguous_keys: frozenset[str] = PrivateAttr(default=frozenset())

    @field_validator("aliases", "works_for", "ambiguous_forms", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return _as_tuple(value)

    @model_validator(mode="after")
    def _check(self) -> LexiconEntry:
        texts = [self.name, *self.aliases, *self.works_for, *self.ambiguous_forms]
        texts += [v for v in (self.zh, self.developer, self.variant_of, self.successor_of, self.part_of) if v is not None]
        for text in texts:
            if text != text.strip() or not normalize_name(text):
                raise ValueError(f"blank or padded string {text!r}")
        t = self.type
        if self.developer is not None and t not in _DEVELOPER_SOURCES:
            raise ValueError(f"'developer' is not used on a {t}")
        if (self.variant_of or self.successor_of) and t not in _LINEAGE_SOURCES:
            raise ValueError(f"'variant_of'/'successor_of' are not used on a {t}")
        if self.works_for and t != "Person":
            raise ValueError(f"'works_for' is only used on a Person, not a {t}")
        if self.part_of is not None and t != "Event":
            raise ValueError(f"'part_of' is only used on an Event, not a {t}")
        keys = tuple(dict.fromkeys(normalize_name(f) for f in self.surface_forms))
        flagged = frozenset(normalize_name(f) for f in self.ambiguous_forms)
        stray = flagged - set(keys)
        if stray:
            raise ValueError(f"ambiguous_forms {sorted(stray)} are not among its surface forms")
        self._keys = keys
        self._ambiguous_keys = frozenset(keys) if self.ambiguous else flagged
        return self

    @property
    def surface_forms(self) -> tuple[str, ...]:
        """Name, Chinese label and aliases, in that order, without exact repeats."""
        forms = [self.name, *([self.zh] if self.zh else []), *self.aliases]
        return tuple(dict.fromkeys(forms))

    @property
    def normalized_forms(self) -> tuple[str, ...]:
        """``normalize_name`` of each surface form, without repeats."""
        return self._keys

    @property
    def family(self) -> str:
        """The type, with Company and Organization folded into one family."""
        return class_family(self.type)

    def is_ambiguous_form(self, form: str) -> bool:
        """True when ``form`` is also a common word and needs context to accept."""
        return normalize_name(form) in self._ambiguous_keys

    def label(self) -> str:
        """``name (type)``, for messages."""
        return f"{self.name!r} ({self.type})"


def _entry_error(index: int, raw: Any, err: ValidationError) -> str:
    name = raw.get("name") if isinstance(raw, dict) else None
    where = f"entry #{index} ({name!r})" if name is not None else f"entry #{index}"
    parts = []
    for e in err.errors(include_url=False):
        loc = ".".join(str(p) for p in e["loc"])
        parts.append(f"{loc}: {e['msg']}" if loc else e["msg"])
    return f"{where}: " + "; ".join(parts)


class Lexicon(BaseModel):
    """The validated lexicon with lookup indexes.

    Validation rejects: unknown types and keys; two entries of one type family
    with the same (normalized) canonical name; references (``developer``,
    ``variant_of``, ``successor_of``, ``works_for``, ``part_of``) that do not
    name an entry of a fitting type; a surface form shared by entries of one
    type family unless every one of them flags it ambiguous; a generic term
    that is a surface form of an entry.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1]
    # Entries are validated one by one in ``_validate_each`` (so errors name
    # the entry); SkipValidation keeps pydantic from validating them twice.
    entries: tuple[SkipValidation[LexiconEntry], ...]
    generic_terms: tuple[str, ...] = ()

    _forms: dict[str, tuple[LexiconEntry, ...]] = PrivateAttr(default_factory=dict)
    _norm: dict[str, tuple[LexiconEntry, ...]] = PrivateAttr(default_factory=dict)
    _names: dict[str, tuple[LexiconEntry, ...]] = PrivateAttr(default_factory=dict)
    _generic: frozenset[str] = PrivateAttr(default_factory=frozenset)

    @field_validator("entries", mode="before")
    @classmethod
    def _validate_each(cls, value: Any) -> Any:
        # Validate entry by entry so an error names the entry it is about.
        if not isinstance(value, (list, tuple)):
            raise ValueError("'entries' must be a list")
        out: list[LexiconEntry] = []
        for i, raw in enumerate(value):
            if isinstance(raw, LexiconEntry):
                out.append(raw)
                continue
            try:
                out.append(LexiconEntry.model_validate(raw))
            except ValidationError as err:
                raise ValueError(_entry_error(i, raw, err)) from None
        return tuple(out)

    @field_validator("generic_terms", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return _as_tuple(value)

    @model_validator(mode="after")
    def _index_and_check(self) -> Lexicon:
        forms: dict[str, list[LexiconEntry]] = {}
        norm: dict[str, list[LexiconEntry]] = {}
        names: dict[str, list[LexiconEntry]] = {}
        for entry in self.entries:
            names.setdefault(entry.normalized_forms[0], []).append(entry)
            for form in entry.surface_forms:
                forms.setdefault(form, []).append(entry)
            for key in entry.normalized_forms:
                norm.setdefault(key, []).append(entry)
        self._forms = {k: tuple(v) for k, v in forms.items()}
        self._norm = {k: tuple(v) for k, v in norm.items()}
        self._names = {k: tuple(v) for k, v in names.items()}
        self._generic = frozenset(normalize_name(t) for t in self.generic_terms)

        problems = (
            self._duplicate_names()
            + self._bad_references()
            + self._unflagged_collisions()
            + self._generic_clashes()
        )
        if problems:
            shown = "\n  ".join(problems[:40])
            more = f"\n  ... and {len(problems) - 40} more" if len(problems) > 40 else ""
            raise ValueError(f"{len(problems)} lexicon problem(s):\n  {shown}{more}")
        return self

    # -- checks ------------------------------------------------------------

    def _duplicate_names(self) -> list[str]:
        problems = []
        for key, entries in self._names.items():
            by_family: dict[str, list[LexiconEntry]] = {}
            for e in entries:
                by_family.setdefault(e.family, []).append(e)
            for same in by_family.values():
                if len(same) > 1:
                    labels = ", ".join(e.label() for e in same)
                    problems.append(f"duplicate canonical name {key!r}: {labels}")
        return problems

    def _bad_references(self) -> list[str]:
        problems = []
        for e in self.entries:
            refs: list[tuple[str, str, frozenset[str]]] = []
            if e.developer:
                refs.append(("developer", e.developer, _ORGS))
            lineage = frozenset({"Benchmark"}) if e.type == "Benchmark" else _MADE_THINGS
            for key in ("variant_of", "successor_of"):
                target = getattr(e, key)
                if target:
                    refs.append((key, target, lineage))
            refs += [("works_for", w, _ORGS) for w in e.works_for]
            if e.part_of:
                refs.append(("part_of", e.part_of, frozenset({"Event"})))
            for key, target, allowed in refs:
                found = [x for x in self._names.get(normalize_name(target), ()) if x.name == target]
                fitting = [x for x in found if x.type in allowed]
                if not fitting:
                    why = "names no entry" if not found else "names an entry of the wrong type"
                    problems.append(f"{e.label()}: {key} {target!r} {why} (needs {'/'.join(sorted(allowed))})")
                elif any(x is e for x in fitting):
                    problems.append(f"{e.label()}: {key} names the entry itself")
        return problems

    def _unflagged_collisions(self) -> list[str]:
        problems = []
        for key, entries in self._norm.items():
            by_family: dict[str, list[LexiconEntry]] = {}
            for e in entries:
                by_family.setdefault(e.family, []).append(e)
            for same in by_family.values():
                if len(same) < 2:
                    continue
                unflagged = [e for e in same if key not in e._ambiguous_keys]
                if unflagged:
                    labels = ", ".join(e.label() for e in same)
                    problems.append(
                        f"surface form {key!r} is shared by {labels}; flag it ambiguous in each or drop it"
                    )
        return problems

    def _generic_clashes(self) -> list[str]:
        return [
            f"generic term {term!r} is a surface form of {', '.join(e.label() for e in self._norm[key])}"
            for term in self.generic_terms
            if (key := normalize_name(term)) in self._norm
        ]

    # -- lookups -----------------------------------------------------------

    def surface_forms(self) -> dict[str, list[LexiconEntry]]:
        """Every surface form (name, zh, aliases) exactly as written, mapped to
        the entries that carry it, in file order. A fresh dict on each call."""
        return {form: list(entries) for form, entries in self._forms.items()}

    def normalized_forms(self) -> dict[str, list[LexiconEntry]]:
        """Like ``surface_forms`` but keyed by ``normalize_name`` of each form."""
        return {key: list(entries) for key, entries in self._norm.items()}

    def lookup(self, text: str, etype: str | Iterable[str] | None = None) -> list[LexiconEntry]:
        """Entries having a surface form equal to ``text`` after normalization,
        optionally only of the given type(s), in file order."""
        found = self._norm.get(normalize_name(text), ())
        wanted = _types(etype)
        return [e for e in found if wanted is None or e.type in wanted]

    def by_name(self, name: str, etype: str | Iterable[str] | None = None) -> LexiconEntry | None:
        """The entry whose canonical name matches ``name`` (normalized), of the
        given type(s) if any; the first in file order when several types share
        the name and no type is given; ``None`` when there is none."""
        wanted = _types(etype)
        for e in self._names.get(normalize_name(name), ()):
            if wanted is None or e.type in wanted:
                return e
        return None

    def is_generic(self, text: str) -> bool:
        """True when ``text`` is a generic term (normalized comparison)."""
        return normalize_name(text) in self._generic

    def collisions(self) -> dict[str, list[LexiconEntry]]:
        """Normalized surface forms that map to more than one entry: across
        types (Perplexity the company and the product) or flagged ambiguous."""
        return {k: list(v) for k, v in self._norm.items() if len(v) > 1}


def _types(etype: str | Iterable[str] | None) -> frozenset[str] | None:
    if etype is None:
        return None
    wanted = frozenset([etype] if isinstance(etype, str) else etype)
    unknown = wanted - set(ENTITY_TYPES)
    if unknown:
        raise ValueError(f"unknown entity type(s): {', '.join(sorted(unknown))}")
    return wanted


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML loading (libyaml when available) that rejects repeated keys,
    which plain YAML loading would silently overwrite."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    out: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            mark = key_node.start_mark
            raise LexiconError(f"line {mark.line + 1}: key {key!r} repeated in one mapping")
        out[key] = loader.construct_object(value_node, deep=True)
    return out


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _default_text() -> tuple[str, str]:
    resource = resources.files(__package__ or "kg") / "data" / "lexicon.yaml"
    return resource.read_text(encoding="utf-8"), "kg/data/lexicon.yaml"


def load_lexicon(path: Path | None = None) -> Lexicon:
    """Load and validate the lexicon; by default the one packaged with ``kg``.

    Raises ``LexiconError`` naming the file and the offending entry.
    """
    if path is None:
        text, source = _default_text()
    else:
        text, source = Path(path).read_text(encoding="utf-8"), str(path)
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a safe loader
    except LexiconError as err:
        raise LexiconError(f"{source}: {err}") from None
    except yaml.YAMLError as err:
        raise LexiconError(f"{source}: invalid YAML: {err}") from None
    if not isinstance(data, dict):
        raise LexiconError(f"{source}: expected a mapping with 'version' and 'entries'")
    try:
        return Lexicon.model_validate(data)
    except ValidationError as err:
        raise LexiconError(f"{source}: {_summarize(err)}") from None


def _summarize(err: ValidationError) -> str:
    lines = []
    for e in err.errors(include_url=False):
        loc = ".".join(str(p) for p in e["loc"])
        msg = e["msg"].removeprefix("Value error, ")
        lines.append(f"{loc}: {msg}" if loc else msg)
    return "\n".join(lines)
