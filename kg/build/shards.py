"""Builds split over machines: ``kg build --shard I/N`` and ``kg merge``.

A shard loads and extracts every N-th input (ids are still assigned over
all inputs, so they do not depend on the slicing) and writes a folder:

- ``facts.nq``: the shard's own graph as N-Quads, one named graph per
  document, for inspection or early loading;
- ``extractions.pkl``: its documents and their extractions, which is what
  ``kg merge`` combines;
- ``shard.json``: which slice it is, the extractor fingerprint, the
  documents and the skipped inputs.

Merging resolves entities over all shards' mentions at once, exactly as a
single build does, so the final files are byte-identical to a one-machine
build of the same inputs, and no IRI depends on which shard saw a name
first. (A shard's own ``facts.nq`` resolves names within that shard only:
where another shard's documents would change an entity's canonical name,
its IRI there differs from the merged graph's. Load the merged output.)
"""
from __future__ import annotations

import json
import pickle
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.atomic import atomic_write_files
from kg.export.nquads import render_nquads
from kg.build.cache import extractor_fingerprint
from kg.models import Document, DocumentExtraction, Skipped
from kg.build.pipeline import (
    BuildError,
    BuildReport,
    GraphCounts,
    OutputError,
    Progress,
    StageClock,
    finish_build,
    graph_from_extractions,
    load_and_extract,
    prepare_output_dir,
    skip_message,
)
from kg.parallel.worker_pool import default_jobs

SHARD_MANIFEST = "shard.json"
SHARD_DATA = "extractions.pkl"
SHARD_QUADS = "facts.nq"
_FORMAT = 1


def parse_shard(spec: str) -> tuple[int, int]:
    """``"I/N"`` → ``(I, N)``, with 1 ≤ I ≤ N; ValueError with a usable message otherwise."""
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", spec)
    if not m:
        raise ValueError(f"--shard wants I/N (e.g. 2/8), got {spec!r}")
    index, count = int(m[1]), int(m[2])
    if count < 1 or not 1 <= index <= count:
        raise ValueError(f"--shard {spec}: I must be between 1 and N (N ≥ 1)")
    return index, count


@dataclass
class ShardReport:
    """What one shard read and wrote."""

    shard: tuple[int, int]
    build: BuildReport
    quads: int


def run_shard(inputs: Sequence[Path], root: Path, out_dir: Path, shard: tuple[int, int], *,
              jobs: int | None = None, cache_dir: Path | None = None, use_cache: bool = True,
              progress: Progress | None = None, warn: Progress | None = None) -> ShardReport:
    """Extract the ``shard`` slice of ``inputs`` and write the shard folder ``out_dir``."""
    stages, loaded, extracted = load_and_extract(
        inputs, root, out_dir, shard=shard, jobs=jobs, cache_dir=cache_dir, use_cache=use_cache,
        progress=progress, warn=warn)
    kept, extractions = extracted.documents, extracted.extractions
    skipped = sorted(set(loaded.skipped + extracted.failed), key=lambda s: (s.path, s.reason))
    quads, count, triples = b"", 0, 0
    if kept:
        graph = graph_from_extractions(kept, extractions, lexicon=extracted.lexicon, jobs=jobs or default_jobs())
        quads, count = render_nquads(graph)
        triples = len(graph)
    stages.done("graph")
    manifest = {
        "format": _FORMAT,
        "shard": list(shard),
        "extractor": extractor_fingerprint(),
        "documents": [{"doc_id": d.doc_id, "path": d.path, "sha256": d.sha256} for d in kept],
        "skipped": [{"path": s.path, "reason": s.reason} for s in skipped],
    }
    files = {
        SHARD_QUADS: quads,
        SHARD_DATA: pickle.dumps({"documents": kept, "extractions": extractions},
                                 protocol=pickle.HIGHEST_PROTOCOL),
        SHARD_MANIFEST: (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8"),
    }
    try:
        atomic_write_files({out_dir / name: data for name, data in files.items()})
    except OSError as err:
        raise OutputError(f"cannot write {err.filename or out_dir}: {err.strerror or err}") from None
    stages.done("write")
    report = BuildReport.assemble(GraphCounts(triples=triples), stages, documents=kept, skipped=skipped,
                                  files={name: len(data) for name, data in files.items()},
                                  source_bytes=loaded.source_bytes, extract_stats=extracted.stats)
    return ShardReport(shard, report, count)


def _read_shard(folder: Path) -> tuple[dict, list[Document], list[DocumentExtraction]]:
    manifest_path = folder / SHARD_MANIFEST
    if not manifest_path.is_file():
        raise BuildError(f"{folder} is not a shard folder (no {SHARD_MANIFEST}); "
                         f"write one with: kg build --shard I/N -o {folder} INPUT ...")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        with open(folder / SHARD_DATA, "rb") as fh:
            data = pickle.load(fh)
        docs, extractions = list(data["documents"]), list(data["extractions"])
    except (OSError, ValueError, KeyError, EOFError, pickle.UnpicklingError) as err:
        raise BuildError(f"cannot read shard {folder}: {err}; rebuild it with kg build --shard") from None
    if manifest.get("format") != _FORMAT or len(docs) != len(extractions):
        raise BuildError(f"shard {folder} was written by another version of kg; rebuild it")
    return manifest, docs, extractions


def run_merge(shard_dirs: Sequence[Path], out_dir: Path, *, min_confidence: float = 0.0, html: bool = True,
              progress: Progress | None = None, warn: Progress | None = None) -> BuildReport:
    """Combine shard folders into the final graph files, as one build of all their inputs would."""
    say = progress or (lambda _msg: None)
    tell = warn or (lambda _msg: None)
    if not shard_dirs:
        raise BuildError("name the shard folders to merge")
    prepare_output_dir(out_dir)
    stages = StageClock()
    fingerprint = extractor_fingerprint()
    seen: dict[int, Path] = {}
    counts: set[int] = set()
    pairs: list[tuple[Document, DocumentExtraction]] = []
    skipped: list[Skipped] = []
    for folder in shard_dirs:
        manifest, docs, extractions = _read_shard(Path(folder))
        index, count = manifest["shard"]
        if manifest["extractor"] != fingerprint:
            raise BuildError(f"shard {folder} was extracted by another version of the extractor "
                             f"({manifest['extractor']}, this kg is {fingerprint}); rebuild it")
        if counts and count not in counts:
            raise BuildError(f"the shards come from different splits (N = {sorted(counts | {count})}); "
                             f"merge the folders of one split")
        if index in seen:
            raise BuildError(f"shards {seen[index]} and {folder} are both slice {index}/{count}")
        seen[index] = Path(folder)
        counts.add(count)
        pairs.extend(zip(docs, extractions))
        skipped.extend(Skipped(s["path"], s["reason"]) for s in manifest["skipped"])
        say(f"shard {index}/{count} ({folder}): {len(docs)} document(s)")
    count = counts.pop()
    missing = sorted(set(range(1, count + 1)) - seen.keys())
    if missing:
        raise BuildError(f"shard(s) {', '.join(f'{i}/{count}' for i in missing)} missing; "
                         f"the merged graph would lack their documents")
    pairs.sort(key=lambda pair: pair[0].path)
    ids = [d.doc_id for d, _ in pairs]
    if len(set(ids)) != len(ids):
        raise BuildError("two shards hold the same document; were they built from the same inputs?")
    source_bytes = sum(len(d.text.encode("utf-8")) for d, _ in pairs)
    stages.done("load")
    for s in skipped:
        tell(skip_message(s))
    docs = [d for d, _ in pairs]
    extractions = [e for _, e in pairs]
    del pairs  # finish_build frees the extractions once the graph is built; nothing else may hold them
    return finish_build(docs, extractions, skipped, out_dir, stages, source_bytes=source_bytes,
                        min_confidence=min_confidence, html=html, tell=tell, progress=say)
