"""Typed data passed between the pipeline's stages.

load → ``Document``; extract → ``Mention`` / ``RelationMention`` /
``QuantityMention``; resolve → ``Entity`` / ``Fact`` / ``BenchmarkResult`` /
``Price``; build → rdflib graph. Frozen dataclasses: every stage returns new
values and never mutates its input.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DocumentMeta:
    """What a file says about itself (front matter, info lists, bylines)."""

    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    date: str | None = None  # ISO 8601 date or dateTime, already validated
    source_url: str | None = None


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` of a document's text."""

    start: int
    end: int


@dataclass(frozen=True)
class Heading:
    """A Markdown heading: its level, its text's span, and the section it governs."""

    level: int
    start: int
    end: int
    section_end: int  # where the next heading of the same or a higher level starts


@dataclass(frozen=True)
class Document:
    """One loaded source file, its text normalized as the contract says.

    ``text`` is what every offset in the graph indexes. ``prose`` lists the
    spans worth extracting from (front matter, image lines, link targets and
    page boilerplate are left out); offsets still count from the text's start.
    """

    doc_id: str  # unique within one build; names the Document IRI
    path: str  # relative to the project root where possible, POSIX separators
    text: str
    sha256: str  # of ``text`` encoded as UTF-8
    meta: DocumentMeta = DocumentMeta()
    prose: tuple[Span, ...] = ()
    headings: tuple[Heading, ...] = ()
    warnings: tuple[str, ...] = ()
    #: The title as the front matter states it, when the body does not repeat
    #: it as a heading: also in ``prose``, read for names but not for relations
    #: or quantities (a headline's telegraphic grammar misleads those patterns).
    title: Span | None = None


@dataclass(frozen=True)
class Skipped:
    """An input the loader could not use, and why (for the build summary)."""

    path: str
    reason: str


@dataclass(frozen=True)
class Evidence:
    """The passage a statement was read from, with how sure we are."""

    doc_id: str
    start: int
    end: int
    text: str  # == document.text[start:end], always
    confidence: float
    extractor: str  # "component@version"


@dataclass(frozen=True)
class Mention:
    """One surface form of an entity found in a document."""

    doc_id: str
    start: int
    end: int
    surface: str
    etype: str  # one of vocab.ENTITY_CLASSES
    canonical: str | None  # canonical name when a lexicon entry or rule knows it
    confidence: float
    extractor: str


@dataclass(frozen=True)
class RelationMention:
    """A relation stated in one passage, between two mentions' surface forms."""

    subject: Mention
    predicate: str  # one of vocab.RELATION_PROPERTIES
    object: Mention
    evidence: Evidence


@dataclass(frozen=True)
class QuantityMention:
    """A benchmark score or a price stated in one passage."""

    kind: str  # "BenchmarkResult" or "Price"
    subject: Mention  # the model (score) or the item (price)
    benchmark: Mention | None
    value: str  # decimal literal as written, normalized ("2727", "0.01")
    unit: str | None
    currency: str | None
    evidence: Evidence


@dataclass(frozen=True)
class DocumentExtraction:
    """Everything extracted from one document, before resolution."""

    doc_id: str
    mentions: tuple[Mention, ...] = ()
    relations: tuple[RelationMention, ...] = ()
    quantities: tuple[QuantityMention, ...] = ()


@dataclass(frozen=True)
class Entity:
    """One real-world thing after resolution: one graph node."""

    key: str  # canonical name; with etype it makes the IRI
    etype: str
    labels: tuple[tuple[str, str], ...]  # (lang, preferred label), one per language
    alt_labels: tuple[str, ...]
    mentions: tuple[Mention, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Fact:
    """A relation triple between two resolved entities, with its evidence."""

    subject: tuple[str, str]  # (etype, key)
    predicate: str
    object: tuple[str, str]
    evidence: Evidence


@dataclass(frozen=True)
class Quantity:
    """A resolved BenchmarkResult or Price."""

    kind: str
    subject: tuple[str, str]
    benchmark: tuple[str, str] | None
    value: str
    unit: str | None
    currency: str | None
    evidence: Evidence
