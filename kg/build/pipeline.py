"""The build, stage by stage: load → extract → resolve → infer → graph →
validate → export. Each stage is timed; the caller gets a BuildReport."""
from __future__ import annotations

import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib.namespace import RDF

from kg.atomic import commit_staged, discard_staged, remove_stale_temps, stage_file
from kg.build.state import STATE_NAME, SavedBuild, build_key, file_stamps, unchanged_build, write_state
from kg.export.registry import OUTPUT_FORMATS, formats
from kg.build.changes import (
    CHANGES_NAME,
    INDEX_NAME,
    changes_pieces,
    graph_index,
    index_pieces,
    read_index,
    unchanged_changes,
)
from kg.build.cache import ExtractionCache
from kg.parallel.forked_tasks import Task, can_fork, run_groups
from kg.parallel.gc_pause import collector_paused
from kg.load.inputs import TEXT_SUFFIXES, discover_inputs
from kg.load.documents import load_documents
from kg.models import Document, DocumentExtraction, Skipped
from kg.graph.statements import BuiltGraph
from kg.validate.shapes import ValidationReport, Violation, validate_graph
from kg.vocab import AIKG, ALL_CLASSES, RELATION_PROPERTIES
from kg.parallel.worker_pool import default_jobs

if TYPE_CHECKING:
    from kg.lexicon_index import LexiconIndex
    from kg.build.extraction import ExtractStats

# The extraction, resolution and inference modules are imported by the
# stages that run them: compiling their patterns and reading the lexicon
# would be a large part of a rebuild that finds nothing changed and keeps its
# files.

Progress = Callable[[str], None]

#: Every file a build may write; their stale temporary files are cleaned up.
OUTPUT_NAMES = tuple(f.file for f in OUTPUT_FORMATS) + (CHANGES_NAME, INDEX_NAME, STATE_NAME)
#: Default folder of the extraction cache, inside the output folder.
CACHE_DIR_NAME = ".kg-cache"

#: Name of the file that proves the output folder writable (removed at once).
_PROBE = "kg-write-test"

#: What to do about a skipped input, by the start of its reason. Reasons
#: from the decoder already end with advice ("re-save the file as UTF-8").
_SKIP_HINTS = (
    ("does not exist", "check the path (relative to the current folder) or the link it goes through"),
    ("empty", "add text to it or remove it from the inputs"),
    ("is a folder", "name the folder itself as an input"),
    ("not a regular file", "copy its content into a .txt or .md file"),
    ("cannot read", "check its permissions"),
    ("unsupported file type", "rename it to .txt or .md if it is text, else leave it out"),
    ("not a text file", "remove it from the inputs"),
    ("symlink loop", "nothing to do unless that folder should be read: then name it directly"),
    ("broken or looping symlink", "fix or remove the link"),
)


@dataclass(frozen=True)
class GraphCounts:
    """What a built graph holds, as the build summary prints it."""

    entities_by_class: dict[str, int] = field(default_factory=dict)
    relations_by_property: dict[str, int] = field(default_factory=dict)
    statements: int = 0
    benchmark_results: int = 0
    prices: int = 0
    triples: int = 0

    @classmethod
    def of(cls, built: BuiltGraph) -> "GraphCounts":
        """Count a built graph's entities, relations, statements and quantities."""
        graph = built.graph
        classes = Counter()
        for cls_name in ALL_CLASSES:
            n = sum(1 for _ in graph.subjects(RDF.type, AIKG[cls_name]))
            if n:
                classes[cls_name] = n
        return cls(
            entities_by_class=dict(sorted(classes.items())),
            relations_by_property={p: n for p in RELATION_PROPERTIES
                                   if (n := sum(1 for _ in graph.subject_objects(AIKG[p])))},
            statements=sum(1 for _ in graph.subjects(RDF.type, RDF.Statement)) + len(built.statements),
            benchmark_results=classes.get("BenchmarkResult", 0),
            prices=classes.get("Price", 0),
            triples=len(built),
        )

    @classmethod
    def from_summary(cls, summary: dict) -> "GraphCounts":
        """The counts a saved build state recorded."""
        return cls(dict(summary["entities_by_class"]), dict(summary["relations_by_property"]),
                   *(int(summary[name]) for name in ("statements", "benchmark_results", "prices", "triples")))


@dataclass(frozen=True)
class Loaded:
    """What the load stage read: the documents, what it skipped, their size."""

    documents: list[Document]
    skipped: list[Skipped]
    source_bytes: int


@dataclass(frozen=True)
class BuildReport:
    """What a build read, found and wrote: assembled once, from what the stages returned."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    counts: GraphCounts = field(default_factory=GraphCounts)
    validation: ValidationReport | None = None
    files: dict[str, int] = field(default_factory=dict)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    stage_peak_rss_mb: dict[str, float] = field(default_factory=dict)
    source_bytes: int = 0
    extract_stats: ExtractStats | None = None
    #: Validation and the exports ran in two processes at once (their stage times overlap).
    parallel_stages: bool = False
    #: Nothing the outputs depend on changed since the build that wrote them:
    #: they were kept, and only ``changes.json`` was written.
    unchanged: bool = False

    @classmethod
    def assemble(cls, counts: GraphCounts, stages: "StageClock", **rest) -> "BuildReport":
        """A report from the graph's counts, the stages' clock and the rest of what they returned."""
        return cls(counts=counts, stage_seconds=dict(stages.seconds), stage_peak_rss_mb=dict(stages.peak_rss_mb),
                   **rest)


class BuildError(Exception):
    """A build that cannot go on (no documents, graph not conforming)."""


class OutputError(BuildError):
    """The output folder cannot be created or written; nothing was replaced."""


def skip_message(skipped: Skipped) -> str:
    """One line for a skipped input: the file, why, and what to do."""
    reason = skipped.reason
    hint = next((h for prefix, h in _SKIP_HINTS if reason.startswith(prefix)), None)
    return f"skipped {skipped.path}: {reason}" + (f"; {hint}" if hint else "")


def prepare_output_dir(out_dir: Path) -> None:
    """Create ``out_dir`` and prove it is writable, before any work is done.

    Also removes temporary files a killed build left there. Raises
    ``OutputError`` with a message that names the folder and the cause.
    """
    out_dir = Path(out_dir)
    advice = "choose another folder with -o"
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"output {out_dir} exists and is not a folder; {advice}")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise OutputError(f"cannot create output folder {out_dir}: a part of that path is a file, "
                          f"not a folder; {advice}") from None
    except OSError as err:
        raise OutputError(f"cannot create output folder {out_dir}: {err.strerror or err}; {advice}") from None
    for name in OUTPUT_NAMES:
        if (out_dir / name).is_dir():
            raise OutputError(f"{out_dir / name} is a folder, where the build writes a file; "
                              f"remove it or {advice}")
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{_PROBE}.{os.getpid()}-", suffix=".tmp", dir=out_dir)
        os.close(fd)
        os.unlink(probe)
    except OSError as err:
        raise OutputError(f"cannot write in output folder {out_dir}: {err.strerror or err}; {advice}") from None
    remove_stale_temps(out_dir, OUTPUT_NAMES + (_PROBE,))


def _peak_rss_mb() -> float:
    """High-water resident memory so far of this process plus its largest finished worker, in MB."""
    try:
        import resource
    except ImportError:  # not on POSIX
        return 0.0
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round((own + children) / 1024, 1)  # ru_maxrss is in KiB on Linux


class StageClock:
    """Times each stage and records the memory high-water mark after it."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.peak_rss_mb: dict[str, float] = {}
        self.started = time.perf_counter()

    def done(self, name: str) -> None:
        now = time.perf_counter()
        self.record(name, self.seconds.get(name, 0.0) + now - self.started, _peak_rss_mb())
        self.started = now

    def record(self, name: str, seconds: float, peak_rss_mb: float) -> None:
        """A stage timed elsewhere (in a child process, or inside another stage)."""
        self.seconds[name] = seconds
        self.peak_rss_mb[name] = peak_rss_mb


def extract_documents(docs: Sequence[Document], *, jobs: int = 1, cache: ExtractionCache | None = None,
                      progress: Progress | None = None, lexicon: LexiconIndex | None = None,
                      ) -> tuple[list[Document], list[DocumentExtraction], list[Skipped], ExtractStats]:
    """The extraction stage over loaded documents: the documents kept, their
    extractions (same order), the failed ones with the reason, and the stats."""
    from kg.build.extraction import extract_all

    say = progress or (lambda _msg: None)
    lexicon = lexicon or _lexicon_index()
    outcomes, stats = extract_all(docs, lexicon, jobs=jobs, cache=cache, progress=say)
    kept: list[Document] = []
    extractions: list[DocumentExtraction] = []
    failed: list[Skipped] = []
    for i, outcome in enumerate(outcomes, 1):
        if outcome.extraction is None:
            reason = (f"extraction failed ({outcome.error}); this is a bug in kg, "
                      f"please report it with this file")
            failed.append(Skipped(outcome.doc.path, reason))
            say(f"[{i}/{len(outcomes)}] {outcome.doc.path}: {reason}")
            continue
        kept.append(outcome.doc)
        extractions.append(outcome.extraction)
    if stats.cached:
        say(f"{stats.cached} of {len(outcomes)} document(s) unchanged since the last build: "
            f"extractions taken from the cache")
    return kept, extractions, failed, stats


def graph_from_extractions(docs: Sequence[Document], extractions: Sequence[DocumentExtraction], *,
                           min_confidence: float = 0.0, timings: dict[str, float] | None = None,
                           lexicon: LexiconIndex | None = None, progress: Progress | None = None,
                           jobs: int = 1) -> BuiltGraph:
    """Resolve, infer and build the RDF graph of extracted documents (same
    order); ``progress`` gets a line as each of the two stages starts.
    ``timings`` gets "resolve" (resolution, and every document split into
    sentences) and "graph" (inference and the graph). With ``jobs`` > 1 and
    many documents, inference runs in a forked child while this process
    writes the documents, entities and mentions; the graph is the same."""
    from kg.text_units import sentence_index
    from kg.graph.build import add_statements, graph_of_entities
    from kg.resolve.infer import infer_facts
    from kg.resolve.entities import resolve

    say = progress or (lambda _msg: None)
    timings = timings if timings is not None else {}
    t1 = time.perf_counter()
    say(f"resolving entities across {len(docs)} document(s)")
    lexicon = lexicon or _lexicon_index()
    resolution = resolve(docs, extractions, lexicon)
    # Each document split into sentences once, before a fork: inference and
    # the graph's passages both read them, and a child sees them as they are.
    sentences: dict = {}
    for doc in docs:
        sentence_index(doc, sentences)
    t2 = time.perf_counter()
    say(f"building the graph of {len(resolution.entities)} entities")
    infer: Task = ("infer", lambda: infer_facts(docs, resolution, lexicon, sentences))
    entities: Task = ("entities", lambda: graph_of_entities(docs, resolution.entities, min_confidence, sentences))
    # Neither reads what the other makes: only the inferred facts travel back.
    beside = jobs > 1 and len(docs) > PARALLEL_INFERENCE_ABOVE
    done = run_groups([[entities], [infer]] if beside else [[infer, entities]])
    inferred, part = done["infer"][0], done["entities"][0]
    graph = add_statements(part, resolution.facts + inferred, resolution.quantities, min_confidence)
    t3 = time.perf_counter()
    timings.update({"resolve": t2 - t1, "graph": t3 - t2})
    return graph


def _lexicon_index() -> LexiconIndex:
    """The domain lexicon, indexed for extraction and resolution."""
    from kg.lexicon_index import LexiconIndex
    from kg.lexicon import load_lexicon

    return LexiconIndex(load_lexicon())


def open_cache(out_dir: Path, cache_dir: Path | None, use_cache: bool) -> ExtractionCache | None:
    if not use_cache:
        return None
    folder = Path(cache_dir) if cache_dir is not None else Path(out_dir) / CACHE_DIR_NAME
    try:
        return ExtractionCache.open(folder)
    except OSError as err:
        raise OutputError(f"cannot use the extraction cache {folder}: {err.strerror or err}; "
                          f"choose another with --cache-dir, or build with --no-cache") from None


def load_stage(paths: Sequence[Path], skipped_inputs: Sequence[Skipped], root: Path, tell: Progress,
               shard: tuple[int, int] | None = None, cache: ExtractionCache | None = None,
               jobs: int = 1, progress: Progress | None = None) -> Loaded:
    """Load the discovered input files (one slice with ``shard``)."""
    if progress is not None and paths:
        progress(f"found {len(paths)} file(s); reading slice {shard[0]}/{shard[1]} of them" if shard
                 else f"reading {len(paths)} file(s)")
    docs, skipped_docs = load_documents(paths, root, shard=shard, cache=cache.documents() if cache else None,
                                        jobs=jobs)
    skipped = list(skipped_inputs) + skipped_docs
    for s in skipped:
        tell(skip_message(s))
    for doc in docs:
        for w in doc.warnings:
            tell(f"warning: {doc.path}: {w}")
    return Loaded(docs, skipped, sum(len(d.text.encode("utf-8")) for d in docs))


@dataclass(frozen=True)
class Extracted:
    """What the extraction stage returned: the documents kept, their
    extractions, the documents that failed, the lexicon index (reused by
    resolution) and the stage's counts."""

    documents: list[Document]
    extractions: list[DocumentExtraction]
    failed: list[Skipped]
    lexicon: LexiconIndex
    stats: ExtractStats


def load_and_extract(inputs: Sequence[Path], root: Path, out_dir: Path, *,
                     shard: tuple[int, int] | None = None, jobs: int | None = None,
                     cache_dir: Path | None = None, use_cache: bool = True,
                     progress: Progress | None = None, warn: Progress | None = None,
                     require_documents: bool = False,
                     ) -> tuple[StageClock, Loaded, Extracted]:
    """The stages a build and a shard share: prepare ``out_dir``, load (one
    slice with ``shard``), extract with the cache."""
    tell = warn or (lambda _msg: None)
    jobs = jobs or default_jobs()
    stages, loaded, cache = load_inputs(inputs, root, out_dir, shard=shard, jobs=jobs, cache_dir=cache_dir,
                                        use_cache=use_cache, warn=tell, require_documents=require_documents,
                                        progress=progress)
    return stages, loaded, extract_stage(loaded.documents, stages, cache, jobs=jobs, progress=progress, warn=tell)


def load_inputs(inputs: Sequence[Path], root: Path, out_dir: Path, *,
                shard: tuple[int, int] | None, jobs: int, cache_dir: Path | None, use_cache: bool,
                warn: Progress, require_documents: bool, progress: Progress | None = None,
                ) -> tuple[StageClock, Loaded, ExtractionCache | None]:
    """Find the inputs, prepare ``out_dir``, open the cache and load the
    inputs (one slice with ``shard``). Inputs that hold no document at all
    are refused before anything is written."""
    stages = StageClock()
    paths, skipped_inputs = discover_inputs(inputs, root)
    if require_documents and not paths:
        for s in skipped_inputs:
            warn(skip_message(s))
        named = ", ".join(str(p) for p in inputs)
        raise BuildError(f"no documents found in {named}; nothing to build: kg build reads files ending in "
                         f"{', '.join(sorted(TEXT_SUFFIXES))} (in folders, recursively)")
    prepare_output_dir(out_dir)
    cache = open_cache(out_dir, cache_dir, use_cache)
    loaded = load_stage(paths, skipped_inputs, root, warn, shard=shard, cache=cache, jobs=jobs, progress=progress)
    stages.done("load")
    if require_documents and not loaded.documents:
        raise BuildError("no documents could be read from the inputs; nothing to build: name .txt or .md "
                         "files, or folders that hold them (see the skipped inputs above)")
    return stages, loaded, cache


def extract_stage(docs: list[Document], stages: StageClock, cache: ExtractionCache | None,
                  *, jobs: int, progress: Progress | None, warn: Progress) -> Extracted:
    """Extract ``docs`` (cache first)."""
    say = progress or (lambda _msg: None)
    lexicon = cache.lexicon_index() if cache else _lexicon_index()
    kept, extractions, failed, stats = extract_documents(docs, jobs=jobs, cache=cache,
                                                         progress=say, lexicon=lexicon)
    stages.done("extract")
    for s in failed:
        warn(skip_message(s))
    return Extracted(kept, extractions, failed, lexicon, stats)


def run_build(inputs: Sequence[Path], root: Path, out_dir: Path, *, min_confidence: float = 0.0,
              html: bool = True, progress: Progress | None = None,
              warn: Progress | None = None, jobs: int | None = None,
              cache_dir: Path | None = None, use_cache: bool = True,
              keep_unchanged: bool = True) -> BuildReport:
    """A whole build from input paths to the files in ``out_dir``.

    ``progress`` gets one line per document; ``warn`` gets one line per
    skipped input and per problem found in a document that was still built
    (each naming the file). The output files are all replaced together, at
    the end, and only if the build got that far: a failed or killed build
    leaves the previous ones as they were. ``jobs`` worker processes extract
    documents (default: all cores); extractions are cached in ``cache_dir``
    (default ``out_dir/.kg-cache``) unless ``use_cache`` is false, so a
    rebuild re-extracts only new or changed documents. With the cache on,
    a rebuild whose documents, options and code are those of the build
    that wrote ``out_dir`` keeps its files (``kg.build.state``) and writes
    only ``changes.json``; ``report.unchanged`` says so. ``keep_unchanged``
    false builds them again all the same.
    """
    tell = warn or (lambda _msg: None)
    jobs = jobs or default_jobs()
    stages, loaded, cache = load_inputs(inputs, root, out_dir, shard=None, jobs=jobs, cache_dir=cache_dir,
                                        use_cache=use_cache, warn=tell, require_documents=True, progress=progress)
    if cache is not None and keep_unchanged:
        key = build_key(loaded.documents, loaded.skipped, min_confidence=min_confidence, html=html)
        # changes.json is rewritten anyway: the others must be as that build left them.
        saved = unchanged_build(out_dir, key, [n for n in _written_outputs(html) if n != CHANGES_NAME])
        if saved is not None:
            return keep_build(saved, loaded, out_dir, stages)
    extracted = extract_stage(loaded.documents, stages, cache, jobs=jobs, progress=progress, warn=tell)
    return finish_build(extracted.documents, extracted.extractions, loaded.skipped + extracted.failed, out_dir,
                        stages, source_bytes=loaded.source_bytes, extract_stats=extracted.stats,
                        min_confidence=min_confidence, html=html, tell=tell, lexicon=extracted.lexicon, jobs=jobs,
                        progress=progress)


def keep_build(saved: SavedBuild, loaded: Loaded, out_dir: Path, stages: StageClock) -> BuildReport:
    """End a build whose files are already in ``out_dir``: write ``changes.json``
    (nothing added or removed) and report from the saved summary."""
    summary = saved.summary
    validation = ValidationReport(conforms=bool(summary["conforms"]),
                                  violations=tuple(Violation(**v) for v in summary["violations"]))
    staged = [stage_file(out_dir / CHANGES_NAME, unchanged_changes(*summary["index_totals"]))]
    try:
        commit_staged(staged)
    except OSError as err:
        discard_staged(staged)
        raise _output_error(err, out_dir) from None
    outputs = {**saved.outputs, **file_stamps(out_dir, [CHANGES_NAME])}
    write_state(out_dir, saved.key, outputs, summary)
    stages.done("write")
    return BuildReport.assemble(
        GraphCounts.from_summary(summary), stages, documents=list(loaded.documents), skipped=loaded.skipped,
        validation=validation, files={name: size for name, (size, _mtime) in outputs.items() if name != INDEX_NAME},
        source_bytes=loaded.source_bytes, unchanged=True)


def finish_build(docs: list[Document], extractions: list[DocumentExtraction], skipped: list[Skipped],
                 out_dir: Path, stages: StageClock, *, source_bytes: int, min_confidence: float, html: bool,
                 tell: Progress, extract_stats: ExtractStats | None = None, lexicon: LexiconIndex | None = None,
                 jobs: int | None = None, progress: Progress | None = None) -> BuildReport:
    """Resolve, build, validate and write: everything after extraction.

    ``progress`` gets a line as each stage starts: at 10,000 documents they
    run for over a minute after the last document is extracted.
    With ``jobs`` > 1 (default: all cores) and a large graph, validation and
    the exports run in two processes at once; the files are the same.
    ``extractions`` is emptied once the graph is built: at 10,000 documents
    they hold most of a gigabyte that validation and export do not need."""
    skipped = sorted(set(skipped), key=lambda s: (s.path, s.reason))
    if not docs:
        raise BuildError("no document could be built; nothing to write")
    with collector_paused():
        counts, written = _finish(docs, extractions, skipped, out_dir, stages, min_confidence=min_confidence,
                                  html=html, tell=tell, lexicon=lexicon, jobs=jobs,
                                  say=progress or (lambda _msg: None))
    return BuildReport.assemble(counts, stages, documents=list(docs), skipped=skipped, source_bytes=source_bytes,
                                extract_stats=extract_stats, **written)


def _finish(docs: list[Document], extractions: list[DocumentExtraction], skipped: list[Skipped], out_dir: Path,
            stages: StageClock, *, min_confidence: float, html: bool, tell: Progress,
            lexicon: LexiconIndex | None, jobs: int | None, say: Progress) -> tuple[GraphCounts, dict]:
    """The stages after extraction; the graph's counts, and the validation,
    the files written and whether two processes ran (for the report)."""
    jobs = jobs or default_jobs()
    timings: dict[str, float] = {}
    graph = graph_from_extractions(docs, extractions, min_confidence=min_confidence, timings=timings,
                                   lexicon=lexicon, progress=say, jobs=jobs)
    extractions.clear()
    stages.record("resolve", timings["resolve"], _peak_rss_mb())
    stages.started += timings["resolve"]
    stages.done("graph")
    counts = GraphCounts.of(graph)
    groups = _stage_groups(graph, html, jobs, out_dir)
    files = [name for name in _written_outputs(html) if name != INDEX_NAME]
    say(f"validating {counts.triples:,} triples and writing {', '.join(files)}"
        + (" (two processes)" if len(groups) > 1 and can_fork() else ""))
    try:
        results = run_groups(groups)
    except BaseException as err:
        # Exports that finished before the failure left their temporary files.
        remove_stale_temps(out_dir, OUTPUT_NAMES, owner=os.getpid())
        if isinstance(err, OSError):
            raise _output_error(err, out_dir) from None
        raise
    stages.started = time.perf_counter()
    peak = _peak_rss_mb()  # children included: they have been waited for
    order = _stage_order(html)
    for name in sorted(results, key=order.index):
        stages.record(name, results[name][1], peak)
    # Each export is already on disk beside its target; nothing is renamed
    # into place unless the graph conforms and every file was written.
    staged = [results[name][0] for name in order if name.startswith("export ") and name in results]
    changes_staged, index_totals = results["changes"][0]
    staged += changes_staged  # changes.json, then the index
    validation: ValidationReport = results["validate"][0]
    try:
        if not validation.conforms:
            raise BuildError("the graph does not conform to the SHACL shapes:\n" + validation.summary())
        sizes = {path.name: os.path.getsize(tmp) for tmp, path in staged if path.name != INDEX_NAME}
        commit_staged(staged)
    except OSError as err:
        discard_staged(staged)
        raise _output_error(err, out_dir) from None
    except BaseException:
        discard_staged(staged)
        raise
    _save_state(docs, skipped, counts, validation, out_dir, index_totals, min_confidence=min_confidence, html=html)
    # A child whose task failed had its tasks rerun here; what it had staged is left over.
    remove_stale_temps(out_dir, OUTPUT_NAMES, owner=os.getpid())
    stages.done("write")
    if not html and (out_dir / "graph.html").exists():
        tell(f"warning: {out_dir / 'graph.html'} is left from an earlier build and does not show this graph; "
             f"delete it, or build without --no-html")
    return counts, {"validation": validation, "files": sizes, "parallel_stages": len(groups) > 1 and can_fork()}


def _save_state(docs: Sequence[Document], skipped: Sequence[Skipped], counts: GraphCounts,
                validation: ValidationReport, out_dir: Path, index_totals: tuple[int, int], *,
                min_confidence: float, html: bool) -> None:
    """Write the state file that lets the next build keep these files (``kg.build.state``)."""
    summary = {
        **asdict(counts),
        "conforms": validation.conforms,
        "violations": [asdict(v) for v in validation.violations],
        "index_totals": list(index_totals),
    }
    key = build_key(docs, skipped, min_confidence=min_confidence, html=html)
    write_state(out_dir, key, file_stamps(out_dir, _written_outputs(html)), summary)


def _written_outputs(html: bool) -> list[str]:
    """The files a build writes and its state records (all but the state itself)."""
    written = {f.file for f in formats(html=html)} | {CHANGES_NAME, INDEX_NAME}
    return [name for name in OUTPUT_NAMES if name in written]


def _output_error(err: OSError, out_dir: Path) -> OutputError:
    return OutputError(
        f"cannot write {err.filename or out_dir}: {err.strerror or err}; the previous files in "
        f"{out_dir} are unchanged; free some space or choose another folder with -o")


#: Above this many documents, and with more than one job, inference runs in
#: a forked child beside the graph's entities (docs/PERFORMANCE.md has the
#: figures); the bound is kg.load.documents.PARALLEL_LOAD_ABOVE's, not
#: measured for this stage.
PARALLEL_INFERENCE_ABOVE = 200
#: Above this many triples, and with more than one job, validation and the
#: exports run in two processes at once (below it a fork costs more than it saves).
PARALLEL_STAGES_ABOVE = 20_000
#: Relative cost of the stages that are not exports (seconds at 10,000
#: documents, see docs/PERFORMANCE.md), beside the exports' own in the output
#: registry: used only to split the stages into two groups of about equal work
#: ("changes" includes writing the index and changes.json).
_OTHER_STAGE_WEIGHTS = {"validate": 9.0, "changes": 6.1}


def _stage_order(html: bool) -> tuple[str, ...]:
    """Stages run as tasks, in the order they are reported."""
    return ("validate",) + tuple(f.stage for f in formats(html=html)) + ("changes",)


def _stage_weights(html: bool) -> dict[str, float]:
    return {**_OTHER_STAGE_WEIGHTS, **{f.stage: f.weight for f in formats(html=html)}}


def _stage_groups(graph: BuiltGraph, html: bool, jobs: int, out_dir: Path) -> list[list[Task]]:
    """Validation, every export and the change index as tasks: one group, or
    two of about equal work when the graph is large and jobs allow. An
    export task writes its file to a temporary name beside the target and
    returns (temporary name, target), so that no file's bytes wait in memory."""
    owner = os.getpid()
    tasks: dict[str, Task] = {"validate": ("validate", lambda: validate_graph(graph))}
    for fmt in formats(html=html):
        render = fmt.load()
        tasks[fmt.stage] = (fmt.stage, lambda name=fmt.file, render=render: stage_file(out_dir / name, render(graph), owner))
    tasks["changes"] = ("changes", lambda: stage_changes(graph, out_dir, owner))
    if jobs < 2 or len(graph) <= PARALLEL_STAGES_ABOVE:
        return [list(tasks.values())]
    return [[tasks[name] for name in group] for group in split_stages(list(tasks), _stage_weights(html))]


def stage_changes(graph: BuiltGraph, out_dir: Path, owner: int | None = None,
                  ) -> tuple[list[tuple[str, Path]], tuple[int, int]]:
    """Stage ``changes.json`` (against the index the previous build left in
    ``out_dir``) and this build's index; returns both (temporary name,
    target), and how many entities and statements the index holds.

    A task of its own, so that at 10,000 documents reading, diffing and
    writing a 120 MB index runs beside the exports rather than after them,
    and the index never travels between processes."""
    index = graph_index(graph)
    return ([stage_file(out_dir / CHANGES_NAME, changes_pieces(read_index(out_dir / INDEX_NAME), index), owner),
             stage_file(out_dir / INDEX_NAME, index_pieces(index), owner)],
            (len(index.entities), len(index.statements)))


def split_stages(names: Sequence[str], weights: dict[str, float]) -> list[list[str]]:
    """``names`` in two groups whose larger summed weight is the least it
    can be, found by trying every split (a build has six stages): the
    heaviest stage in the first group, each group heaviest first. Of equal
    splits, the first tried is kept, so the answer does not vary."""
    order = sorted(names, key=lambda n: (-weights[n], n))
    if not order:
        return [[], []]
    head, rest = order[0], order[1:]
    best: tuple[float, list[str], list[str]] | None = None
    for mask in range(2 ** len(rest)):
        first = [head] + [n for i, n in enumerate(rest) if not mask >> i & 1]
        second = [n for i, n in enumerate(rest) if mask >> i & 1]
        load = max(sum(weights[n] for n in first), sum(weights[n] for n in second))
        if best is None or load < best[0]:
            best = (load, first, second)
    assert best is not None
    return [best[1], best[2]]
