"""Inference after resolution: relations a document supports without
stating them in one cue-bearing sentence.

- ``o3-mini`` and ``o3`` both mentioned: the name says variantOf.
- ``Google Drive``, ``DeepSeek-V3``, ``阿里云百炼`` where the document names
  Google, DeepSeek, 阿里云 as companies: the name says developedBy.
- a lexicon fact (developer, variant_of, successor_of, works_for) whose two
  ends the document both mentions; the passage naming both is the evidence.
- things a document says were launched at an event, by the company the
  document is about, when nothing else names their maker.
- a family's members (variants, successors, the same brand before a
  version: "Command A2 Mini" beside "Command A2") by the one maker the
  document names for the family.

Each carries a lower confidence than a stated relation, so
``kg build --min-confidence`` can leave them out.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from kg.text_units import is_cjk
from kg.vocab import extractor_id
from kg.lexicon_index import LexiconIndex
from kg.lexicon import EDITION_WORDS
from kg.text_units import SentenceIndex, sentence_index, title_text
from kg.models import Document, Evidence, Fact
from kg.resolve.entities import RELATION_TYPES, Resolution, UnionFind
from kg.vocab import SYMMETRIC_PROPERTIES

# A product's plans are its variants too ("Le Chat Enterprise" of "Le Chat").
_TAIL_WORDS = "|".join(sorted(EDITION_WORDS | {"enterprise", "team", "business", "premium", "edu"},
                              key=len, reverse=True))
_EDITION_TAIL = re.compile(
    r"^(?:" + _TAIL_WORDS + r"|pro mode|v\d+(?:\.\d+)?|\d+[kK]|\d+[bB])\+?"
    r"(?:[ -](?:" + _TAIL_WORDS + r"|\d+[kK])\+?)*$",
    re.I,
)
_PREVIEW = re.compile(r"^(?:preview|beta|alpha|experimental|exp)$", re.I)
CONF_NAME = 0.6
CONF_LEXICON_COOCCUR = 0.7
CONF_LEXICON_DOC = 0.5
CONF_LAUNCH = 0.45


def infer_facts(docs: Sequence[Document], resolution: Resolution, lexicon: LexiconIndex,
                sentences: dict[str, SentenceIndex] | None = None) -> tuple[Fact, ...]:
    """Facts inferred per document, not already among the resolution's facts.
    ``sentences``: each document's sentence index, shared with later stages."""
    existing = {(f.subject, f.predicate, f.object, f.evidence.doc_id) for f in resolution.facts}
    doc_by_id = {d.doc_id: d for d in docs}
    per_doc: dict[str, dict[tuple[str, str], list]] = defaultdict(lambda: defaultdict(list))
    for ent in resolution.entities:
        for m in ent.mentions:
            per_doc[m.doc_id][(ent.etype, ent.key)].append(m)
    # Indexed once: scanning every fact for every document grew with the
    # square of the corpus.
    facts_by_doc: dict[str, list[Fact]] = defaultdict(list)
    for f in resolution.facts:
        facts_by_doc[f.evidence.doc_id].append(f)
    out: list[Fact] = []
    for doc_id in sorted(per_doc):
        doc = doc_by_id[doc_id]
        present = per_doc[doc_id]
        index = sentence_index(doc, sentences)
        ctx = _DocFacts(doc, index, present, existing, out)
        _name_variants(ctx)
        _name_makers(ctx)
        _lexicon_facts(ctx, lexicon)
        _launch_makers(ctx, facts_by_doc.get(doc_id, []))
        _family_makers(ctx, facts_by_doc.get(doc_id, []), lexicon)
    return tuple(out)


class _DocFacts:
    def __init__(self, doc, index, present, existing, out):
        self.doc, self.index, self.present, self.existing, self.out = doc, index, present, existing, out
        self.first = len(out)  # this document's inferred facts are out[first:]

    def add(self, s, p, o, conf: float, component: str, require_both: bool = False) -> None:
        dom, rng = RELATION_TYPES[p]
        if s[0] not in dom or o[0] not in rng or s == o:
            return
        if p in SYMMETRIC_PROPERTIES:
            s, o = sorted((s, o))
        key = (s, p, o, self.doc.doc_id)
        if key in self.existing:
            return
        ev = self._evidence(s, o, conf, component, require_both)
        if ev is None:
            return
        self.existing.add(key)
        self.out.append(Fact(s, p, o, ev))

    def _evidence(self, s, o, conf, component, require_both: bool) -> Evidence | None:
        s_sents = {id(x): x for x in (self.index.at(m.start) for m in self.present[s]) if x is not None}
        o_starts = {x.start for x in (self.index.at(m.start) for m in self.present.get(o, [])) if x is not None}
        both = sorted((x for x in s_sents.values() if x.start in o_starts), key=lambda x: x.start)
        if both:
            sent = both[0]
        elif require_both:
            return None
        else:
            firsts = sorted(s_sents.values(), key=lambda x: x.start)
            if not firsts:
                return None
            sent = firsts[0]
            conf = min(conf, CONF_LEXICON_DOC)
        return Evidence(self.doc.doc_id, sent.start, sent.end, sent.text, round(conf, 2), extractor_id(component))


def _name_variants(ctx: _DocFacts) -> None:
    names = sorted(k for k in ctx.present if k[0] in ("Model", "Product"))
    for a in names:
        for b in names:
            if a == b or not a[1].lower().startswith(b[1].lower()):
                continue
            rest = a[1][len(b[1]):]
            if rest[:1] in (" ", "-") and _PREVIEW.match(rest[1:]):
                # "o1-preview" came before "o1": the release succeeds its preview.
                ctx.add(b, "successorOf", a, CONF_NAME, "infer-name")
            elif rest[:1] in (" ", "-") and _EDITION_TAIL.match(rest[1:]):
                ctx.add(a, "variantOf", b, CONF_NAME, "infer-name")
    _name_generations(ctx, names)


_VERSION = re.compile(r"(?<![A-Za-z])(\d+(?:\.\d+)?)(?![\d.])")


def _name_generations(ctx: _DocFacts, names: list[tuple[str, str]]) -> None:
    """"Mistral Large 3" and "Mistral Large 2", "GLM-4.5" and "GLM-4" in one
    passage: the same name with the next higher version number is the next
    generation. Only the nearest lower version in the document (3.7 after
    3.5, not after 3.0 as well), and only where one passage names both."""
    by_stem: dict[tuple[str, str, str], list[tuple[float, tuple[str, str]]]] = defaultdict(list)
    for key in names:
        found = list(_VERSION.finditer(key[1]))
        if len(found) != 1:
            continue
        v = found[0]
        stem = (key[0], key[1][:v.start()].lower().rstrip(" -"), key[1][v.end():].lower())
        by_stem[stem].append((float(v.group(1)), key))
    for versions in by_stem.values():
        versions.sort()
        for (v_old, older), (v_new, newer) in zip(versions, versions[1:]):
            if v_new > v_old:
                ctx.add(newer, "successorOf", older, CONF_NAME, "infer-name", require_both=True)


def _name_makers(ctx: _DocFacts) -> None:
    """A model or product whose name starts with a company's name, as the
    document writes that company, was made by it (the longest such name:
    "阿里云百炼" is 阿里云's, not 阿里's)."""
    names: list[tuple[str, tuple[str, str]]] = []
    for key, ms in ctx.present.items():
        if key[0] == "Company":
            names.extend((n, key) for n in {key[1], *(m.surface for m in ms)} if len(n) >= 2)
    names.sort(key=lambda t: (-len(t[0]), t[0], t[1]))
    for key in sorted(k for k in ctx.present if k[0] in ("Model", "Product")):
        for name, company in names:
            rest = key[1][len(name):]
            if key[1].startswith(name) and rest and (rest[0] in " -" or (is_cjk(rest[0]) and is_cjk(name[-1]))):
                ctx.add(key, "developedBy", company, CONF_NAME, "infer-name")
                break


def _lexicon_facts(ctx: _DocFacts, lexicon: LexiconIndex) -> None:
    by_name = {k[1]: k for k in ctx.present}
    for key in sorted(ctx.present):
        entry = lexicon.entry(key[1], key[0])
        if entry is None:
            continue
        refs = (
            ("developedBy", [entry.developer] if entry.developer else []),
            ("variantOf", [entry.variant_of] if entry.variant_of else []),
            ("successorOf", [entry.successor_of] if entry.successor_of else []),
            ("worksFor", _as_list(getattr(entry, "works_for", None))),
            ("partOf", _as_list(getattr(entry, "part_of", None))),
        )
        for predicate, targets in refs:
            for target in targets:
                other = by_name.get(target)
                if other is not None:
                    # World knowledge counts only where the text names both
                    # ends in one passage that a reader can check.
                    ctx.add(key, predicate, other, CONF_LEXICON_COOCCUR, "infer-lexicon", require_both=True)


def _as_list(value) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)


def _subject_company(ctx: _DocFacts) -> tuple[str, str] | None:
    """The company a document is about: named in its title, else the most
    mentioned one (with at least three mentions)."""
    title = title_text(ctx.doc)
    companies = {k: v for k, v in ctx.present.items() if k[0] == "Company"}
    in_title = sorted((min(m.start for m in v), k) for k, v in companies.items()
                      if k[1] in title or any(m.surface in title for m in v))
    if in_title:
        return in_title[0][1]
    ranked = sorted(((-len(v), k) for k, v in companies.items()))
    if ranked and -ranked[0][0] >= 3:
        return ranked[0][1]
    return None


def _makers(ctx: _DocFacts, doc_facts: Sequence[Fact]) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """Who made what in this document so far: stated (``doc_facts``) and inferred."""
    makers: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for f in [*doc_facts, *ctx.out[ctx.first:]]:
        if f.predicate == "developedBy":
            makers[f.subject].add(f.object)
    return makers


def _launch_makers(ctx: _DocFacts, doc_facts: Sequence[Fact]) -> None:
    """``doc_facts``: the resolution's facts read from this document."""
    top = _subject_company(ctx)
    if top is None:
        return
    made = _makers(ctx, doc_facts)
    launched = sorted({f.subject for f in doc_facts if f.predicate == "announcedAt"})
    for s in launched:
        if s not in made:
            ctx.add(s, "developedBy", top, CONF_LAUNCH, "infer-launch")


# The brand before a name's first version: "Command" of "Command A2 Mini",
# "Weave" of "Weave-2 Vision", "Qwen" of "Qwen4-Coder-Flash", "可灵" of "可灵3.0".
_FAMILY_STEM = re.compile(r"^([^\W\d_][^\W\d_ .-]*(?:[ -][^\W\d_][^\W\d_ .-]*)*?)[ -]?(?=[A-Za-z]?\d)")


def family_stem(name: str) -> str | None:
    """The brand words before a versioned name's first version, or None
    (no version, or a brand too short to tell one family from another)."""
    match = _FAMILY_STEM.match(name)
    if match is None:
        return None
    stem = match.group(1)
    if is_cjk(stem[0]):
        return stem if len(stem) >= 2 else None
    return stem if len(stem) >= 3 and stem[0].isupper() else None


def _family_makers(ctx: _DocFacts, doc_facts: Sequence[Fact], lexicon: LexiconIndex) -> None:
    """Variants, successors and same-brand versions share their maker: when
    the document says who made one member of a family ("Command A2" by
    Cohere) and nothing about another ("Command A2 Mini", "Command A"), the
    other has the same maker, unless the lexicon knows a different one.
    Only a maker that is the one maker the document gives the family."""
    makers = _makers(ctx, doc_facts)
    family = UnionFind()
    for f in [*doc_facts, *ctx.out[ctx.first:]]:
        if f.predicate in ("variantOf", "successorOf"):
            family.union(f.subject, f.object)
    stems: dict[tuple[str, str], tuple[str, str]] = {}
    for key in sorted(k for k in ctx.present if k[0] in ("Model", "Product")):
        stem = family_stem(key[1])
        if stem is None:
            continue
        stem_key = (key[0], stem.lower())
        if stem_key in stems:
            family.union(stems[stem_key], key)
        else:
            stems[stem_key] = key
    members: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for key in sorted(family.parent):
        if key in ctx.present:
            members[family.find(key)].append(key)
    for group in members.values():
        made_by = set().union(*(makers.get(k, set()) for k in group))
        if len(made_by) != 1:
            continue
        maker = next(iter(made_by))
        for key in sorted(group):
            if makers.get(key):
                continue
            entry = lexicon.entry(key[1], key[0])
            if entry is not None and entry.developer and entry.developer != maker[1]:
                continue
            ctx.add(key, "developedBy", maker, CONF_LAUNCH, "infer-family")

