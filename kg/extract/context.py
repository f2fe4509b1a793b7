"""What every extraction component gets: the document, its sentences, the
compiled domain lexicon, and results several components share.

The lexicon index (``kg.lexicon_index``) is built once per process and
shared by all documents; a context memoises what its components compute for
one document and nothing else is mutated while extracting.
"""
from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

from kg.text_units import Sentence, SentenceIndex, split_sentences
from kg.lexicon_index import LexiconIndex, lowered_same_length
from kg.models import Document

T = TypeVar("T")


@dataclass
class ExtractionContext:
    """One document plus shared read-only resources."""

    doc: Document
    lexicon: LexiconIndex
    lowered: str = field(init=False)
    _shared: dict = field(init=False, default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.lowered = lowered_same_length(self.doc.text)

    @cached_property
    def sentences(self) -> list[Sentence]:
        return split_sentences(self.doc)

    @cached_property
    def statement_sentences(self) -> list[Sentence]:
        """The sentences relations and quantities are read from: all but a
        front-matter title (``Document.title``), which is read for names only."""
        title = self.doc.title
        if title is None:
            return self.sentences
        return [s for s in self.sentences if not (title.start <= s.start < title.end)]

    @cached_property
    def sentence_index(self) -> SentenceIndex:
        return SentenceIndex(self.sentences)

    @cached_property
    def _headings_by_start(self) -> tuple[list[int], list]:
        headings = sorted(self.doc.headings, key=lambda h: h.start)
        return [h.start for h in headings], headings

    def in_heading(self, offset: int) -> bool:
        """Is ``offset`` inside a heading's text? One bisect: headings are
        single lines, so at most the last one starting before it holds it
        (a scan of every heading per call grew with the square of a long
        document's length)."""
        starts, headings = self._headings_by_start
        i = bisect.bisect_right(starts, offset) - 1
        return i >= 0 and offset < headings[i].end

    def shared(self, compute: Callable[["ExtractionContext"], T]) -> T:
        """``compute(self)``, computed once per document: for a result several
        components read (the lexicon's hits, the publisher's brand). Keyed by
        the function, so the context needs to know none of them."""
        try:
            return self._shared[compute]
        except KeyError:
            value = self._shared[compute] = compute(self)
            return value

    @cached_property
    def prose_mask(self) -> bytearray:
        """1 for every offset inside a prose span."""
        mask = bytearray(len(self.doc.text))
        for span in self.doc.prose:
            mask[span.start:span.end] = b"\x01" * (span.end - span.start)
        return mask

    def in_prose(self, start: int, end: int) -> bool:
        """True when the whole range lies in prose."""
        return end > start and 0 not in self.prose_mask[start:end]
