"""A persistent Oxigraph store holding the graph, for ``kg serve`` and fast queries.

``kg load`` replaces the store's whole content with one graph file;
``open_store`` opens an existing store, read-only unless asked otherwise.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

#: RocksDB writes this file into every store directory; its absence tells a
#: store from some other folder the user named by mistake.
_STORE_MARKER = "CURRENT"


class StoreError(Exception):
    """The store directory cannot be used (missing, not a store, locked)."""


@dataclass(frozen=True)
class LoadReport:
    """What ``load_store`` did."""

    triples: int
    seconds: float


def is_store_dir(path: Path) -> bool:
    """Whether ``path`` is an existing Oxigraph (RocksDB) store directory."""
    return (Path(path) / _STORE_MARKER).is_file()


def check_store_dir(path: Path) -> Path:
    """``path``, if it is a store made by ``kg load``; else ``StoreError`` saying how to make one."""
    path = Path(path)
    if not is_store_dir(path):
        raise StoreError(f"no Oxigraph store at {path} (create one with `kg load --store {path}`)")
    return path


def open_store(path: Path, *, read_only: bool = True) -> ox.Store:
    """Open an existing store made by ``kg load``."""
    path = check_store_dir(path)
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:
        raise StoreError(f"cannot open the store at {path}: {exc}") from exc


def load_store(store_dir: Path, graph_path: Path) -> LoadReport:
    """Replace the store's content with the triples of ``graph_path``.

    The directory is created if needed; an existing non-empty directory must
    already be a store (nothing else is ever overwritten). Loading uses
    Oxigraph's bulk loader; the count is of the store's quads afterwards.
    """
    store_dir, graph_path = Path(store_dir), Path(graph_path)
    if not graph_path.is_file():
        raise FileNotFoundError(f"graph file not found: {graph_path} (run `kg build` first to write it, or pass --graph)")
    fmt = ox.RdfFormat.from_extension(graph_path.suffix.lstrip(".").lower())
    if fmt is None:
        raise ValueError(f"unsupported graph file type: {graph_path}")
    if store_dir.exists() and any(store_dir.iterdir()) and not is_store_dir(store_dir):
        raise StoreError(f"{store_dir} is not empty and is not an Oxigraph store; refusing to write into it")
    store_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    try:
        store = ox.Store(str(store_dir))
    except OSError as exc:
        raise StoreError(f"cannot open the store at {store_dir} for writing (is `kg serve` using it?): {exc}") from exc
    store.clear()
    store.bulk_load(path=str(graph_path), format=fmt)
    store.flush()
    count = len(store)
    seconds = time.perf_counter() - start
    del store  # releases the RocksDB lock before returning
    return LoadReport(count, seconds)
