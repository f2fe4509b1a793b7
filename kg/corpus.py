"""The annotated corpus's fixed train/dev/test split.

A document's split follows from its id alone (sha256 of ``aikg-split:<id>``,
the first eight hex digits as a number, modulo 100: below 60 train, below 80
dev, the rest test), so adding documents never moves one to another split
and nobody chooses which articles are held out. The test split is scored,
never read for misses.
"""
from __future__ import annotations

import hashlib

SPLITS = ("train", "dev", "test")
_BOUNDS = ((60, "train"), (80, "dev"), (100, "test"))


def split_of(doc_id: str) -> str:
    """``train``, ``dev`` or ``test`` for a document id (its file stem)."""
    bucket = int(hashlib.sha256(f"aikg-split:{doc_id}".encode()).hexdigest()[:8], 16) % 100
    return next(name for bound, name in _BOUNDS if bucket < bound)
