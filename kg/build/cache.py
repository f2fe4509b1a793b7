"""A cache of per-document extractions (and of loaded documents), keyed by
what decides them.

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
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from kg import __version__
from kg.models import Document, DocumentExtraction

if TYPE_CHECKING:
    from kg.lexicon_index import LexiconIndex

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the kg package
#: Sources whose change changes what is extracted from a document.
_EXTRACTOR_SOURCES = ("extract/**/*.py", "extract/**/*.json", "load/*.py", "text_units.py", "lexicon.py", "lexicon_index.py",
                      "models.py", "vocab.py", "data/*.yaml")
#: Bump when the entry layout changes.
_FORMAT = 1
#: The entry that holds the lexicon's index, beside the extractions' folders.
LEXICON_ENTRY = "lexicon-index.pkl"


@lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    """A short hash of the extractor's version, code and lexicon."""
    h = hashlib.sha256(f"kg {__version__} cache {_FORMAT}\n".encode())
    hash_files(h, sorted({p for pattern in _EXTRACTOR_SOURCES for p in _PACKAGE_DIR.glob(pattern)}), _PACKAGE_DIR)
    return h.hexdigest()[:16]


def hash_files(h: "hashlib._Hash", files: Iterable[Path], base: Path) -> None:
    """Feed ``h`` each file's path relative to ``base`` and its bytes, in the order given."""
    for path in files:
        h.update(path.relative_to(base).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")


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
        value = read_entry(self._path(doc))
        return value if isinstance(value, DocumentExtraction) and value.doc_id == doc.doc_id else None

    def put(self, doc: Document, extraction: DocumentExtraction) -> None:
        """Store ``extraction`` for ``doc``; a failed write only costs a later re-extraction."""
        write_entry(self._path(doc), extraction)

    def lexicon_index(self) -> LexiconIndex:
        """The packaged lexicon's index, kept beside these extractions:
        parsing and validating the YAML is a noticeable part of every build. The
        lexicon and its index's code are part of the fingerprint, so a
        changed lexicon makes a new one."""
        from kg.lexicon_index import LexiconIndex
        from kg.lexicon import load_lexicon

        path = self.root / self.fingerprint / LEXICON_ENTRY
        index = read_entry(path)
        if not isinstance(index, LexiconIndex):
            index = LexiconIndex(load_lexicon())
            write_entry(path, index)
        return index

    def documents(self) -> "DocumentCache":
        """The loaded documents' cache that lives beside these extractions."""
        return DocumentCache(self.root / self.fingerprint / "documents")


@dataclass(frozen=True)
class DocumentCache:
    """Loaded documents on disk, keyed by the file's bytes, shown path and id.

    Loading parses front matter, headings and prose spans, the largest part
    of a rebuild of unchanged documents. The loader's code is part of the
    fingerprint of the folder this lives in, so a changed loader misses.
    """

    folder: Path

    @staticmethod
    def key(data: bytes, shown: str, doc_id: str) -> str:
        """What decides a loaded document: the raw bytes (decoding fixes
        become warnings), the path it is shown by, and its id."""
        h = hashlib.sha256(data)
        h.update(f"\0{shown}\0{doc_id}".encode())
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pkl"

    def get(self, key: str) -> Document | None:
        """The document loaded under ``key``, or None (absent or unreadable)."""
        value = read_entry(self._path(key))
        return value if isinstance(value, Document) else None

    def put(self, key: str, doc: Document) -> None:
        """Store ``doc``; a failed write only costs loading it again next time."""
        write_entry(self._path(key), doc)


def read_entry(path: Path) -> object | None:
    """The value pickled at ``path``; None when it is absent or unreadable."""
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
        return None


def write_entry(path: Path, value: object) -> None:
    """Pickle ``value`` to ``path`` atomically (a killed build leaves the whole
    entry or none); a failed write is ignored: the cache only saves work."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".entry-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)  # type: ignore[possibly-undefined]
        except (OSError, UnboundLocalError):
            pass
