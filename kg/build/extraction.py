"""Run the extraction stage over many documents: cached, and in parallel.

Documents are independent until resolution, so each is extracted on its
own, in worker processes when ``jobs > 1``. Results come back in input
order whatever the number of workers, so the graph is byte-identical for
every ``jobs``. A document whose extraction raises is reported, not fatal.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kg.extract import extract_document
from kg.lexicon_index import LexiconIndex
from kg.build.cache import ExtractionCache
from kg.parallel.gc_pause import collector_paused
from kg.models import Document, DocumentExtraction
from kg.parallel.worker_pool import map_in_workers

Progress = Callable[[str], None]

#: Documents handed to a worker at a time: large enough to keep the
#: inter-process traffic small, small enough to balance uneven documents.
_CHUNK = 8


@dataclass(frozen=True)
class ExtractOutcome:
    """One document's extraction, or why it failed."""

    doc: Document
    extraction: DocumentExtraction | None
    error: str | None = None
    cached: bool = False


@dataclass(frozen=True)
class ExtractStats:
    """How the extraction stage went: what was extracted and what came from the cache."""

    extracted: int
    cached: int
    failed: int
    jobs: int


def _extract_one(doc: Document, lexicon: LexiconIndex) -> tuple[DocumentExtraction | None, str | None]:
    try:
        return extract_document(doc, lexicon), None
    except Exception as err:  # noqa: BLE001 - one bad document must not sink the build
        return None, f"{type(err).__name__}: {err}"


# Each worker process builds the lexicon automaton once, in its initializer.
_worker_lexicon: LexiconIndex | None = None


def _init_worker(lexicon: LexiconIndex) -> None:
    global _worker_lexicon  # noqa: PLW0603 - per-process worker state, set once
    _worker_lexicon = lexicon


def _work(doc: Document) -> tuple[DocumentExtraction | None, str | None]:
    assert _worker_lexicon is not None
    return _extract_one(doc, _worker_lexicon)


def extract_all(docs: Sequence[Document], lexicon: LexiconIndex, *, jobs: int = 1,
                cache: ExtractionCache | None = None,
                progress: Progress | None = None) -> tuple[list[ExtractOutcome], ExtractStats]:
    """Extract every document (cache first), in input order."""
    say = progress or (lambda _msg: None)
    outcomes: list[ExtractOutcome | None] = [None] * len(docs)
    todo: list[int] = []
    # Workers (forked inside) inherit the paused collector: they neither
    # rescan nor touch the documents they were forked with, and the parent
    # does not rescan the extractions it gathers or reads from the cache
    # (see kg.parallel.gc_pause): unpickling many cached extractions with the
    # collector on costs twice as much, its passes growing with the heap.
    with collector_paused():
        for i, doc in enumerate(docs):
            hit = cache.get(doc) if cache else None
            if hit is not None:
                outcomes[i] = ExtractOutcome(doc, hit, cached=True)
            else:
                todo.append(i)
        jobs = max(1, min(jobs, len(todo))) if todo else 1
        if jobs == 1:
            results = (_extract_one(docs[i], lexicon) for i in todo)
        else:
            results = map_in_workers(_work, [docs[i] for i in todo], jobs, chunksize=_CHUNK,
                                     initializer=_init_worker, initargs=(lexicon,))
        outcomes = _collect(docs, todo, results, outcomes, cache, say)
    done = [o for o in outcomes if o is not None]
    failed = sum(1 for o in done if o.extraction is None)
    cached = sum(1 for o in done if o.cached)
    return done, ExtractStats(extracted=len(todo) - failed, cached=cached, failed=failed, jobs=jobs)


def _collect(docs, todo, results, outcomes, cache, say) -> list[ExtractOutcome | None]:
    n = len(docs)
    for i, (extraction, error) in zip(todo, results):
        doc = docs[i]
        outcomes[i] = ExtractOutcome(doc, extraction, error)
        if extraction is not None:
            if cache:
                cache.put(doc, extraction)
            say(f"[{i + 1}/{n}] {doc.path}: {len(extraction.mentions)} mentions, "
                f"{len(extraction.relations)} relations, {len(extraction.quantities)} quantities")
    return outcomes
