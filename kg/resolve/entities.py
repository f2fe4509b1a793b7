"""The resolution stage: mentions from every document become entities.

One real-world thing is one node. Mentions merge when their names agree
after normalisation (``o1 preview`` = ``o1-preview``, ``GPT4-Turbo`` =
``GPT-4 Turbo``), when the lexicon maps them to one entry (奥特曼 = Sam
Altman), when a text pairs them in parentheses or across a slash
(``函数调用（Function Calling）``, ``Emotion tags / 情感标签``), when one is an
obvious typo of a known name (``GPT-40`` → ``GPT-4o``), and when a
transcript calls a speaker by first name.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from kg.text_units import CJK_RE
from kg.lexicon_index import LexiconIndex
from kg.lexicon import normalize_name
from kg.models import (
    Document,
    DocumentExtraction,
    Entity,
    Fact,
    Mention,
    Quantity,
)
from kg.vocab import RELATIONS, SYMMETRIC_PROPERTIES, class_family, entity_iri

# Words that wrap a name in Chinese without changing what it names.
_ZH_WRAPPERS = re.compile(
    r"(?:\s*(?:模型正式版|正式版本|正式版|模型|大模型|系列|功能|计划|方案|服务|工具|协作工具|视频生成工具|"
    r"应用|平台|产品|技术|特性|能力|支持|集成|项目管理|版本|版))+$"
)
_EN_WRAPPERS = re.compile(r"(?:\s+(?:model|models|feature|plan|series|support|app))+$", re.I)
# Edition words that do change what is named, rendered the usual English way.
_ZH_EDITIONS = (("预览版", "preview"), ("专业模式", "pro mode"), ("迷你版", "mini"), ("专业版", "Pro"))
_DESCRIPTIVE_TAIL = re.compile(r"(?:编辑|支持|能力|服务|功能|特性|工具|方法)$")

#: (domain, range) of each relation, from the one relation table in kg.vocab.
RELATION_TYPES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    name: (r.domain, r.range) for name, r in RELATIONS.items()
}


@dataclass(frozen=True)
class Resolution:
    """The resolved corpus: entities, and every statement tied to them."""

    entities: tuple[Entity, ...]
    facts: tuple[Fact, ...]
    quantities: tuple[Quantity, ...]
    #: (etype, key) of the entity each mention became, by mention identity.
    mention_entity: dict[Mention, tuple[str, str]]


def clean_name(surface: str) -> str:
    """A mention's surface without wrapper words, editions spelled in English."""
    name = " ".join(surface.split()).strip("“”\"'「」『』*")
    for zh, en in _ZH_EDITIONS:
        if name.endswith(zh) and len(name) > len(zh):
            name = name[: -len(zh)].rstrip() + " " + en
    base = _ZH_WRAPPERS.sub("", name).strip()
    if len(base) >= 2:
        name = base
    base = _EN_WRAPPERS.sub("", name).strip()
    if len(base) >= 2:
        name = base
    return name


class UnionFind:
    """Disjoint sets of hashable, orderable items; the smallest item of a set is its root."""

    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # Deterministic: the smaller key is the root.
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


def resolve(docs: Sequence[Document], extractions: Sequence[DocumentExtraction], lexicon: LexiconIndex) -> Resolution:
    """Merge mentions of all documents into entities and map statements onto them."""
    # Mentions are worked on by position: hashing a Mention (a frozen
    # dataclass hashes all eight fields every time) is costly on large
    # corpora. ``order`` keeps every mention in corpus order, equal mentions
    # sharing one slot of ``uniq``.
    slot: dict[Mention, int] = {}
    order = [slot.setdefault(m, len(slot)) for ex in extractions for m in ex.mentions]
    uniq = list(slot)
    # Each answer computed once per build: a corpus repeats the same few
    # thousand names many times over.
    normalized = cache(normalize_name)

    # 1. A name for every mention: the lexicon's canonical name where known,
    # a series event's edition by year, obvious typos fixed, short forms
    # read as the longer name they end.
    named: list[tuple[str, str, bool]] = [_name_mention(m, lexicon) for m in uniq]  # (etype, name, from_lexicon)
    _year_editions(docs, uniq, order, named, lexicon)
    _fix_typos(order, named, lexicon, normalized)
    _short_forms(uniq, order, named, normalized)

    # 2. Group by normalised name (one node per name, whatever the type
    # guesses), then join names a document pairs up.
    uf = UnionFind()
    group_key = [normalized(name) or name for _, name, _ in named]
    for key in group_key:
        uf.find(key)
    texts = {d.doc_id: d.text for d in docs}
    by_doc: dict[str, list[int]] = defaultdict(list)
    for j in order:
        by_doc[uniq[j].doc_id].append(j)
    for doc_id, js in by_doc.items():
        js.sort(key=lambda j: uniq[j].start)
        _join_pairs(texts[doc_id], js, uniq, named, group_key, uf)
        _join_first_names(js, named, group_key, uf)

    # 3. One entity per group.
    entities, entity_of = _entities(uniq, order, named, group_key, uf, lexicon)
    return Resolution(tuple(entities), _facts(extractions, entity_of), _quantities(extractions, entity_of), entity_of)


def _year_editions(docs: Sequence[Document], uniq: list[Mention], order: list[int],
                   named: list[tuple[str, str, bool]], lexicon: LexiconIndex) -> None:
    """A series event is that year's edition when the lexicon knows the
    edition and the year is written next to it (in its sentence or the
    document's title: "2023年首届OpenAI开发者大会"); then every mention of the
    series in that document is the edition. Updates ``named``."""
    texts_by_doc = {d.doc_id: d for d in docs}
    editions: dict[tuple[str, str], str] = {}
    for j in order:
        etype, name, from_lexicon = named[j]
        if etype != "Event" or not from_lexicon:
            continue
        m = uniq[j]
        doc = texts_by_doc[m.doc_id]
        context = doc.text[max(0, m.start - 40):m.end + 40] + " " + (doc.meta.title or "")
        for year in sorted(set(re.findall(r"(?<!\d)(20\d\d)(?!\d)", context))):
            edition = lexicon.entry(f"{name} {year}", "Event")
            if edition is not None and edition.type == "Event":
                editions.setdefault((m.doc_id, name), edition.name)
    for j in order:
        etype, name, _ = named[j]
        if etype == "Event" and (uniq[j].doc_id, name) in editions:
            named[j] = ("Event", editions[(uniq[j].doc_id, name)], True)


def _fix_typos(order: list[int], named: list[tuple[str, str, bool]], lexicon: LexiconIndex,
               normalized: Callable[[str], str]) -> None:
    """Obvious typos: "GPT-40" → GPT-4o, "ARC-AG" → ARC-AGI, towards a known
    name only; or 0/o towards a name another mention uses. Updates ``named``."""
    by_key = {normalized(n): (t, n, lx) for t, n, lx in named}
    typo_fix = cache(lexicon.typo_fix)
    for j in order:
        etype, name, from_lexicon = named[j]
        if from_lexicon or etype in ("Person", "Event"):
            continue
        key = normalized(name)
        entry = typo_fix(key, etype)
        if entry is not None:
            named[j] = (entry.type, entry.name, True)
            continue
        for i, ch in enumerate(key):
            swap = {"0": "o", "o": "0"}.get(ch)
            other = by_key.get(key[:i] + swap + key[i + 1:]) if swap else None
            if other is not None and class_family(other[0]) == class_family(etype):
                named[j] = other
                break


def _join_pairs(text: str, js: list[int], uniq: list[Mention], named: list[tuple[str, str, bool]],
                group_key: list[str], uf: UnionFind) -> None:
    """Parenthesised pairs ("函数调用（Function Calling）") and bilingual
    labels ("Emotion tags / 情感标签") of one document, ``js`` in text order."""
    for ja, jb in zip(js, js[1:]):
        a, b = uniq[ja], uniq[jb]
        gap = text[a.end:b.start]
        after = text[b.end:b.end + 1]
        na, nb = named[ja], named[jb]
        # Events are left out: "第9天（Dev Day）" describes the day, it
        # does not rename it.
        paired = gap.strip() in ("（", "(") and after in ("）", ")")
        # A bilingual document names a thing in both languages at once.
        paired = paired or (gap.strip() in ("/", "／")
                            and bool(CJK_RE.search(a.surface)) != bool(CJK_RE.search(b.surface)))
        if paired and class_family(na[0]) == class_family(nb[0]) and na[0] != "Event":
            if not (na[2] and nb[2] and na[1] != nb[1]):
                uf.union(group_key[ja], group_key[jb])


def _join_first_names(js: list[int], named: list[tuple[str, str, bool]], group_key: list[str], uf: UnionFind) -> None:
    """First names of speakers: "Olivier" is "Olivier Godement" in this
    document, when only one person of the document has that first name."""
    by_first: dict[str, set[str]] = defaultdict(set)
    for j in js:
        if named[j][0] == "Person" and " " in named[j][1]:
            by_first[named[j][1].split()[0]].add(group_key[j])
    for j in js:
        if named[j][0] == "Person" and " " not in named[j][1] and re.fullmatch(r"[A-Z][a-z]+", named[j][1]):
            owners = set(by_first.get(named[j][1], ()))
            if len(owners) == 1:
                uf.union(group_key[j], owners.pop())


def _entities(uniq: list[Mention], order: list[int], named: list[tuple[str, str, bool]], group_key: list[str],
              uf: UnionFind, lexicon: LexiconIndex) -> tuple[list[Entity], dict[Mention, tuple[str, str]]]:
    """One entity per group, in root order, and the entity each mention became."""
    groups: dict[str, list[int]] = defaultdict(list)
    for j in order:
        groups[uf.find(group_key[j])].append(j)
    entity_of: dict[Mention, tuple[str, str]] = {}
    entities: list[Entity] = []
    used_iris: dict[str, str] = {}
    for root in sorted(groups):
        js = sorted(groups[root], key=lambda j: (uniq[j].doc_id, uniq[j].start))
        ms = [uniq[j] for j in js]
        etype, canonical = _choose_identity(ms, [named[j] for j in js])
        iri = str(entity_iri(etype, canonical))
        if iri in used_iris and used_iris[iri] != root:
            canonical = f"{canonical} ({root})"
        used_iris[str(entity_iri(etype, canonical))] = root
        entry = lexicon.entry(canonical, etype)
        labels, alts = _labels(canonical, entry.zh if entry else None, ms)
        entities.append(Entity(key=canonical, etype=etype, labels=labels, alt_labels=alts, mentions=tuple(ms)))
        for m in ms:
            entity_of[m] = (etype, canonical)
    return entities, entity_of


def _name_mention(m: Mention, lexicon: LexiconIndex) -> tuple[str, str, bool]:
    """(etype, name, from_lexicon) of one mention on its own."""
    if m.canonical:
        # The entry of the mention's own type first: "Warp" names both a
        # company and its terminal.
        entry = lexicon.entry(m.canonical, m.etype)
        return (entry.type if entry else m.etype, m.canonical, entry is not None)
    cleaned = clean_name(m.surface)
    entry = lexicon.lookup(cleaned, m.etype) or lexicon.lookup(cleaned)
    if entry is None and _DESCRIPTIVE_TAIL.search(cleaned):
        # "视频混合编辑" is the known "视频混合" described a little further.
        shorter = _DESCRIPTIVE_TAIL.sub("", cleaned)
        if len(shorter) >= 2:
            entry = lexicon.lookup(shorter, m.etype)
    if entry is not None and _compatible(m.etype, entry.type):
        return (entry.type, entry.name, True)
    return (m.etype, cleaned, False)


# A Latin short form is a name's last words, one of them a version: "Large 3"
# after "Mistral Large 3" (the family word dropped once the article named it);
# or the part after the brand's hyphen: "M3" after "MiniMax-M3".
_LATIN_SHORT_FORM = re.compile(r"^(?=.*\d)[A-Za-z][\w.-]*(?: [\w.-]+)+$")
_HYPHEN_TAIL = re.compile(r"^[A-Za-z]{1,3}\d[\w.]*(?: [\w.]+)*$")
_GENERIC_NOUN = re.compile(r"(?<=\S) Model (?=\S)")


def _short_forms(uniq: list[Mention], order: list[int], named: list[tuple[str, str, bool]],
                 normalized: Callable[[str], str]) -> None:
    by_doc: dict[str, list[int]] = defaultdict(list)
    for j in order:
        if named[j][0] in ("Feature", "Product", "Model"):
            by_doc[uniq[j].doc_id].append(j)
    for js in by_doc.values():
        names = {normalized(named[j][1]): named[j] for j in js}
        surfaces = {normalized(uniq[j].surface): named[j] for j in js}
        # Forms by their last character: only those can end with a short form
        # (a scan of every form for every short one grew with their product).
        by_last: dict[str, list[tuple[str, tuple[str, str, bool]]]] = defaultdict(list)
        # "Image 5" re-mentions "Firefly Image Model 5": the generic noun dropped too.
        without_noun = {normalized(_GENERIC_NOUN.sub(" ", named[j][1])): named[j] for j in js
                        if _GENERIC_NOUN.search(named[j][1])}
        for k, v in {**without_noun, **names, **surfaces}.items():
            if k:
                by_last[k[-1]].append((k, v))
        hyphened = {uniq[j].surface.split("-", 1)[1]: named[j] for j in js
                    if "-" in uniq[j].surface and not named[j][2]}
        for j in js:
            surface = uniq[j].surface
            short = normalized(surface)
            if _HYPHEN_TAIL.match(surface) and not named[j][2] and surface in hyphened:
                # "M3" names "MiniMax-M3", whichever type its shape suggested.
                named[j] = hyphened[surface]
                continue
            if len(short) < 2 or not (CJK_RE.search(surface) or _LATIN_SHORT_FORM.match(surface)):
                continue
            targets = {v for k, v in by_last.get(short[-1], ()) if len(k) > len(short) and k.endswith(short)
                       and v[1] != named[j][1] and class_family(v[0]) == class_family(named[j][0])}
            if len(targets) == 1:
                named[j] = targets.pop()


def _compatible(found: str, known: str) -> bool:
    if found == known or class_family(found) == class_family(known):
        return True
    # Shape patterns guess Model/Product/Feature; the lexicon knows better.
    return {found, known} <= {"Model", "Product", "Feature"}


def _choose_identity(ms: list[Mention], named: list[tuple[str, str, bool]]) -> tuple[str, str]:
    """The type and canonical name of a group: ``named[i]`` is what ``ms[i]`` was named."""
    lexical = [(n, m.confidence) for m, n in zip(ms, named) if n[2]]
    if lexical:
        score: Counter[tuple[str, str]] = Counter()
        for (t, n, _), conf in lexical:
            score[(t, n)] += conf
        (etype, name), _ = sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        return etype, name
    type_score: Counter[str] = Counter()
    name_score: Counter[str] = Counter()
    for m, (etype, name, _) in zip(ms, named):
        type_score[etype] += m.confidence
        # Prefer Latin spellings as the canonical name, then frequency.
        name_score[name] += m.confidence + (0.01 if not CJK_RE.search(name) else 0)
    etype = sorted(type_score.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    name = sorted(name_score.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]
    return etype, name


def _labels(canonical: str, zh: str | None, ms: list[Mention]) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    labels: dict[str, str] = {}
    if CJK_RE.search(canonical):
        labels["zh"] = canonical
    else:
        labels["en"] = canonical
    if zh and "zh" not in labels:
        labels["zh"] = zh
    if "zh" not in labels:
        cjk_forms = Counter(_tidy(m.surface) for m in ms if CJK_RE.search(m.surface))
        if cjk_forms:
            labels["zh"] = sorted(cjk_forms.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0][0]
    preferred = set(labels.values())
    alts = sorted({_tidy(m.surface) for m in ms} - preferred - {""})
    return tuple(sorted(labels.items())), tuple(alts)


def _tidy(surface: str) -> str:
    return " ".join(surface.split())


def _facts(extractions: Sequence[DocumentExtraction], entity_of: dict[Mention, tuple[str, str]]) -> tuple[Fact, ...]:
    seen: set[tuple] = set()
    out: list[Fact] = []
    for ex in extractions:
        for r in ex.relations:
            s, o = entity_of.get(r.subject), entity_of.get(r.object)
            if s is None or o is None or s == o:
                continue
            dom, rng = RELATION_TYPES[r.predicate]
            if r.predicate in SYMMETRIC_PROPERTIES:
                if s[0] not in dom or o[0] not in rng:
                    continue
                s, o = sorted((s, o))
            elif s[0] not in dom or o[0] not in rng:
                continue
            key = (s, r.predicate, o, r.evidence.doc_id, r.evidence.start, r.evidence.end)
            if key in seen:
                continue
            seen.add(key)
            out.append(Fact(s, r.predicate, o, r.evidence))
    return tuple(out)


def _quantities(extractions: Sequence[DocumentExtraction], entity_of: dict[Mention, tuple[str, str]]) -> tuple[Quantity, ...]:
    seen: set[tuple] = set()
    out: list[Quantity] = []
    for ex in extractions:
        for q in ex.quantities:
            subject = entity_of.get(q.subject)
            bench = entity_of.get(q.benchmark) if q.benchmark else None
            if subject is None:
                continue
            if q.kind == "BenchmarkResult" and (subject[0] != "Model" or bench is None or bench[0] != "Benchmark"):
                continue
            key = (q.kind, subject, bench, q.value, q.unit, q.currency, q.evidence.doc_id, q.evidence.start)
            if key in seen:
                continue
            seen.add(key)
            out.append(Quantity(q.kind, subject, bench, q.value, q.unit, q.currency, q.evidence))
    return tuple(out)
