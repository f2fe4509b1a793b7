"""The load stage: source files → ``Document`` values (or ``Skipped`` with a reason).

This module only orchestrates: decoding lives in ``load_text``, metadata in
``load_meta``, headings and prose spans in ``load_prose``, input discovery
in ``inputs``. It also names documents: ``doc_id`` is the file stem, made
unique deterministically when two inputs share one.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from kg.load.inputs import discover_inputs, display_path
from kg.load.meta import find_front_matter, read_metadata, strip_invisible
from kg.load.prose import Fence, find_fences, find_headings, prose_spans
from kg.load.text import UnreadableFile, decode_text
from kg.models import Document, Heading, Skipped, Span
from kg.vocab import slugify
from kg.parallel.worker_pool import map_in_workers

if TYPE_CHECKING:  # the cache belongs to the build stage, which calls the loader with it
    from kg.build.cache import DocumentCache

__all__ = ["assign_doc_ids", "discover_inputs", "display_path", "load_document", "load_documents"]


def _read_bytes(path: Path, shown: str) -> bytes | Skipped:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return Skipped(shown, "does not exist")
    except OSError as err:
        return Skipped(shown, f"cannot read: {err.strerror}")
    if stat.S_ISDIR(info.st_mode):
        return Skipped(shown, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        # Reading a pipe or device would block or never end.
        return Skipped(shown, "not a regular file (device, pipe or socket)")
    try:
        return path.read_bytes()
    except OSError as err:
        return Skipped(shown, f"cannot read: {err.strerror}")


def load_document(path: Path, root: Path, doc_id: str, cache: DocumentCache | None = None) -> Document | Skipped:
    """Read, decode and analyse one file; a ``Skipped`` says why it cannot be used.

    The text is normalized as the graph contract says (UTF-8, no BOM, ``\\n``
    newlines); see ``load_text.decode_text`` for the encodings and fixes it
    also accepts, each recorded in ``Document.warnings``. With ``cache``, a
    file whose bytes, shown path and id were loaded before is not analysed again.
    """
    path = Path(path)
    shown = display_path(path, root)
    data = _read_bytes(path, shown)
    if isinstance(data, Skipped):
        return data
    if not data:
        return Skipped(shown, "empty file")
    if cache is None:
        return _analyse(data, shown, doc_id)
    key = cache.key(data, shown, doc_id)
    found = cache.get(key)
    if found is not None:
        return found
    result = _analyse(data, shown, doc_id)
    if isinstance(result, Document):
        cache.put(key, result)
    return result


def _analyse(data: bytes, shown: str, doc_id: str) -> Document | Skipped:
    try:
        decoded = decode_text(data)
    except UnreadableFile as err:
        return Skipped(shown, str(err))
    text = decoded.text
    if not text.strip():
        return Skipped(shown, "empty (only whitespace)")

    front_matter = find_front_matter(text)
    body_start = front_matter.end if front_matter else 0
    fences = find_fences(text, body_start)
    headings = find_headings(text, body_start, fences)
    first_h1 = next((h for h in headings if h.level == 1), None)
    fallback_title = None
    if first_h1 is not None:
        fallback_title = heading_title(text, first_h1) or None
    elif front_matter is None:
        fallback_title = first_line_title(text, fences)
    meta = read_metadata(text, front_matter, fallback_title)
    prose = prose_spans(text, body_start, headings, fences, meta.spans)
    title = front_matter_title(text, body_start, meta.meta.title, headings)
    if title is not None:
        prose = (title,) + prose

    warnings = list(decoded.warnings) + list(meta.warnings)
    if front_matter and not text[body_start:].strip():
        warnings.append("no body text: the file holds only front matter")
    elif not prose:
        warnings.append("no prose found (only markup, links or boilerplate)")
    return Document(
        doc_id=doc_id,
        path=shown,
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        meta=meta.meta,
        prose=prose,
        headings=headings,
        warnings=tuple(warnings),
        title=title,
    )


def heading_title(text: str, heading: Heading) -> str:
    """A heading's text as a title: invisible characters and emphasis marks removed."""
    return strip_invisible(text[heading.start:heading.end]).strip("*_ \t")


# Headlines may end with ? or ! ("…实测比 Cursor 香吗？"); a sentence's stop,
# a colon or a comma says the line is prose.
_TITLE_LINE_END = re.compile(r"[.。:：;；,，、…\]」”\"']$")
_LABEL = re.compile(r"^[^:：\s]{1,12}\s?[:：]")  # "公众号：AI前哨站" is metadata


def first_line_title(text: str, fences: Sequence[Fence] = ()) -> str | None:
    """A plain-text document's first line, when it reads as a title: short,
    with more text after it, not ending like a sentence ("Microsoft Build
    2025 — Day 1 Keynote (partial transcript)"). Transcripts and wire copy
    carry their title this way, with no markup to say so."""
    stripped = text.lstrip()
    start = len(text) - len(stripped)
    if any(f.open_start <= start < f.close_end for f in fences):
        return None
    line, _, rest = stripped.partition("\n")
    line = strip_invisible(line).strip()
    if (not rest.strip() or not 8 <= len(line) <= 150 or line[:1] in "#>-*+|!<[{`" or _TITLE_LINE_END.search(line)
            or _LABEL.match(line)):
        return None
    return line


def front_matter_title(text: str, body_start: int, title: str | None,
                       headings: Sequence[Heading]) -> Span | None:
    """Where the front matter states the title, when the body does not repeat it.

    A title often names the launch the article is about ("Google I/O 2025:
    Gemini 2.5 …"); without this span it would be the one line nothing is
    extracted from. A title repeated as a heading is read there already.
    """
    if not title or body_start == 0:
        return None
    if any(heading_title(text, h) == title for h in headings):
        return None
    start = text.find(title, 0, body_start)
    return Span(start, start + len(title)) if start >= 0 else None


def assign_doc_ids(shown_paths: Sequence[str]) -> dict[str, str]:
    """Unique, deterministic ``doc_id`` for each display path.

    The id is the file stem (``000_6488b7824c9f93ac``). Stems that would
    name the same IRI (equal after ``vocab.slugify``, which also folds case)
    each get ``_`` plus 8 hex digits of the SHA-256 of their display path:
    stable across runs and argument orders, and unlike a counter it does not
    change when a third file with that stem is added.
    """
    unique = sorted(set(shown_paths))
    stems = {p: PurePosixPath(p).stem or PurePosixPath(p).name for p in unique}
    by_slug: dict[str, list[str]] = {}
    for shown in unique:
        by_slug.setdefault(slugify(stems[shown]), []).append(shown)
    ids: dict[str, str] = {}
    for group in by_slug.values():
        for shown in group:
            ids[shown] = stems[shown] if len(group) == 1 else _hashed_id(stems[shown], shown, 8)
    # A hashed id could still meet another file's plain stem (a file really
    # named "notes_1a2b3c4d"); lengthen the hash until no two ids clash.
    for digits in (16, 64):
        seen: dict[str, list[str]] = {}
        for shown, doc_id in ids.items():
            seen.setdefault(slugify(doc_id), []).append(shown)
        clashes = [shown for group in seen.values() if len(group) > 1 for shown in group]
        if not clashes:
            break
        for shown in clashes:
            ids[shown] = _hashed_id(stems[shown], shown, digits)
    return ids


def _hashed_id(stem: str, shown: str, digits: int) -> str:
    return f"{stem}_{hashlib.sha256(shown.encode('utf-8')).hexdigest()[:digits]}"


#: Below this many files one process loads them: forking workers costs more.
PARALLEL_LOAD_ABOVE = 200


def _load_one(job: tuple[Path, Path, str, DocumentCache | None]) -> Document | Skipped:
    return load_document(*job)


def load_documents(paths: Sequence[Path], root: Path, shard: tuple[int, int] | None = None,
                   cache: DocumentCache | None = None, jobs: int = 1) -> tuple[list[Document], list[Skipped]]:
    """Load many files; documents and skips come back sorted by display path.

    One file named twice (or reached through a link) is loaded once. Ids are
    assigned over all inputs, before any is read, so whether one file loads
    never changes another's id. ``shard=(i, n)`` loads only the i-th (1-based)
    of n slices: every n-th input in display-path order, starting at the
    i-th. Ids are still assigned over all inputs, so a document's id does not
    depend on the slicing. ``cache`` keeps analysed documents for the next build.
    With ``jobs`` > 1, many files are loaded in that many worker processes;
    the result is the same.
    """
    chosen: dict[object, tuple[str, Path]] = {}
    for path in paths:
        shown = display_path(path, root)
        try:
            info = os.stat(path)
            identity: object = (info.st_dev, info.st_ino)
        except OSError:
            identity = shown
        if identity not in chosen or shown < chosen[identity][0]:
            chosen[identity] = (shown, Path(path))
    inputs = sorted(chosen.values())
    ids = assign_doc_ids([shown for shown, _ in inputs])
    documents: list[Document] = []
    skipped: list[Skipped] = []
    if shard is not None:
        index, count = shard
        inputs = inputs[index - 1::count]
    work = [(path, root, ids[shown], cache) for shown, path in inputs]
    if jobs > 1 and len(work) > PARALLEL_LOAD_ABOVE:
        results: Iterable[Document | Skipped] = map_in_workers(_load_one, work, jobs, chunksize=32)
    else:
        results = map(_load_one, work)
    for result in results:
        (skipped if isinstance(result, Skipped) else documents).append(result)
    return documents, skipped
