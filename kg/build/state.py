"""Knowing when a rebuild would write the very files already there.

A build with the cache leaves ``.kg-build.json`` beside its outputs: a key
made of everything those files depend on (each document's path, id and
text hash, the inputs skipped and why, the options, the code of ``kg``,
the ontology and the versions of the libraries that write or check the
files), each output's size and modification time, and the summary the
build printed. The next build into that folder compares: when the key is
the same and no output was touched since, resolution, the graph,
validation and the exports would reproduce the same bytes, so the build
writes only ``changes.json`` (nothing added or removed) and stops. Any
difference, or a missing or unreadable state file, means a whole build.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from kg import __version__
from kg.atomic import commit_staged, stage_file
from kg.build.cache import hash_files
from kg.models import Document, Skipped

STATE_NAME = ".kg-build.json"
#: Bump when the state file's layout changes.
_FORMAT = 1

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the kg package
#: Libraries whose release can change the bytes of an output or the verdict on it.
_LIBRARIES = ("rdflib", "pyvis", "networkx", "pyshacl", "pyoxigraph")


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A hash of every file of the ``kg`` package, the ontology and the libraries' versions."""
    from kg.validate.shapes import ontology_dir

    h = hashlib.sha256(f"kg {__version__} state {_FORMAT} python {sys.version}\n".encode())
    for name in _LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        h.update(f"{name} {version}\n".encode())
    hash_files(h, sorted(p for p in _PACKAGE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts),
               _PACKAGE_DIR)
    ontology = ontology_dir()
    hash_files(h, sorted(p for p in ontology.glob("*.ttl") if p.is_file()), ontology)
    return h.hexdigest()


def build_key(docs: Sequence[Document], skipped: Iterable[Skipped], *, min_confidence: float, html: bool) -> str:
    """What a build's files depend on, hashed: its documents, its skipped
    inputs, its options and the code (``code_digest``)."""
    h = hashlib.sha256(f"{code_digest()}\nmin_confidence {min_confidence!r}\nhtml {html}\n".encode())
    for doc in docs:
        h.update("\0".join((doc.path, doc.doc_id, doc.sha256, *doc.warnings)).encode("utf-8", "backslashreplace"))
        h.update(b"\n")
    for s in sorted(set(skipped), key=lambda s: (s.path, s.reason)):
        h.update(f"skipped\0{s.path}\0{s.reason}\n".encode("utf-8", "backslashreplace"))
    return h.hexdigest()


@dataclass(frozen=True)
class SavedBuild:
    """What the state file says of the build that wrote the folder."""

    key: str
    #: Output file name → (size in bytes, modification time in ns) when written.
    outputs: dict[str, tuple[int, int]]
    #: The build's printed summary (see ``kg.build.pipeline.BuildReport``).
    summary: dict


def file_stamps(out_dir: Path, names: Iterable[str]) -> dict[str, tuple[int, int]]:
    """(size, modification time in ns) of each of ``names`` in ``out_dir`` that exists."""
    stamps = {}
    for name in names:
        try:
            info = os.stat(Path(out_dir) / name)
        except OSError:
            continue
        stamps[name] = (info.st_size, info.st_mtime_ns)
    return stamps


def write_state(out_dir: Path, key: str, outputs: dict[str, tuple[int, int]], summary: dict) -> None:
    """Write the state file, after the files it describes: a build killed
    before this leaves the previous state, whose sizes and times no longer
    match the files. It only saves work, so a failure to write it removes
    the old one and goes on."""
    doc = {"format": _FORMAT, "key": key, "outputs": {k: list(v) for k, v in sorted(outputs.items())},
           "summary": summary}
    data = (json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
    try:
        commit_staged([stage_file(Path(out_dir) / STATE_NAME, data)])
    except OSError:
        try:
            os.unlink(Path(out_dir) / STATE_NAME)
        except OSError:
            pass


def read_state(out_dir: Path) -> SavedBuild | None:
    """The state the last build left in ``out_dir``; None when absent, unreadable or of another format."""
    try:
        doc = json.loads((Path(out_dir) / STATE_NAME).read_text(encoding="utf-8"))
        if doc.get("format") != _FORMAT:
            return None
        outputs = {str(k): (int(v[0]), int(v[1])) for k, v in doc["outputs"].items()}
        return SavedBuild(str(doc["key"]), outputs, dict(doc["summary"]))
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def unchanged_build(out_dir: Path, key: str, required: Iterable[str]) -> SavedBuild | None:
    """The saved build when it had this ``key`` and every one of ``required``
    is still there as it wrote it (same size and modification time); else None."""
    saved = read_state(out_dir)
    if saved is None or saved.key != key:
        return None
    required = list(required)
    if any(name not in saved.outputs for name in required):
        return None
    now = file_stamps(out_dir, required)
    return saved if all(now.get(name) == saved.outputs[name] for name in required) else None

