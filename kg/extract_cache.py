"""A cache of per-document extractions, keyed by what decides them.

An extraction depends on the document's text (its sha256), its id (every
mention carries it) and the extractor: the code under ``kg/extract/``, the
loader that finds prose spans and headings, and the lexicon. All of these
are hashed into ``extractor_fingerprint()``; the cache keeps one folder per
fingerprint, so any change to the extractor misses the cache instead of
serving stale results. Entries are pickles written atomically: a killed
build leaves whole entries or none.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg import __version__
from kg.models import Document, DocumentExtraction

_PACKAGE_DIR = Path(__file__).resolve().parent
#: Sources whose change changes what is extracted from a document.
_EXTRACTOR_SOURCES = ("extract/*.py", "load*.py", "lexicon.py", "models.py", "data/*.yaml")
#: Bump when the entry layout changes.
_FORMAT = 1


@lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    """A short hash of the extractor's version, code and lexicon."""
    h = hashlib.sha256(f"kg {__version__} cache {_FORMAT}\n".encode())
    files = sorted({p for pattern in _EXTRACTOR_SOURCES for p in _PACKAGE_DIR.glob(pattern)})
    for path in files:
        h.update(path.relative_to(_PACKAGE_DIR).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def entry_key(doc: Document) -> str:
    """The cache key of one document: its text's sha256 and its id."""
    return hashlib.sha256(f"{doc.sha256}\0{doc.doc_id}".encode()).hexdigest()


@dataclass(frozen=True)
class ExtractionCache:
    """Extractions on disk under ``root/<fingerprint>/``."""

    root: Path
    fingerprint: str

    @classmethod
    def open(cls, root: Path) -> "ExtractionCache":
        """The cache at ``root`` for the current extractor; other versions' folders are removed."""
        root = Path(root)
        fingerprint = extractor_fingerprint()
        (root / fingerprint).mkdir(parents=True, exist_ok=True)
        for other in root.iterdir():
            if other.is_dir() and other.name != fingerprint and len(other.name) == len(fingerprint):
                shutil.rmtree(other, ignore_errors=True)
        return cls(root, fingerprint)

    def _path(self, doc: Document) -> Path:
        key = entry_key(doc)
        return self.root / self.fingerprint / key[:2] / f"{key}.pkl"

    def get(self, doc: Document) -> DocumentExtraction | None:
        """The cached extraction of ``doc``, or None (absent or unreadable)."""
        try:
            with open(self._path(doc), "rb") as fh:
                value = pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
            return None
        return value if isinstance(value, DocumentExtraction) and value.doc_id == doc.doc_id else None

    def put(self, doc: Document, extraction: DocumentExtraction) -> None:
        """Store ``extraction`` for ``doc``; a failed write only costs a later re-extraction."""
        path = self._path(doc)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".entry-", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(extraction, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            try:
                os.unlink(tmp)  # type: ignore[possibly-undefined]
            except (OSError, UnboundLocalError):
                pass
