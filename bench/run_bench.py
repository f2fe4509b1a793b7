"""Benchmark ``kg build`` on synthetic corpora of growing size.

``python bench/run_bench.py [--sizes 100,1000,10000] [--jobs N] [--work DIR] [--markdown FILE]``

For each size: generate the corpus (``bench/make_corpus.py``; reused when
already generated with the same size, seed and generator), run ``kg build``
as a subprocess with ``--stats-json`` while polling the whole process tree's
resident memory, and print the builder's per-stage times next to the
throughput in MB of source text per second. The same corpus is also scanned
once with a pyahocorasick automaton of the lexicon's keywords: the floor cost
of merely finding known names, against which the pipeline's speed is shown.
Optional extras: an incremental rebuild (one document added, then removed)
with the extraction cache, and a byte-for-byte determinism check of
``--jobs 1`` against ``--jobs N``.

Exit status: 0 all went well; 1 a build failed; 3 builds succeeded but an
output differed where it must be identical (determinism or cache check).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.make_corpus import SEEDS_DIR, doc_name, generate_document, make_corpus, seed_passages  # noqa: E402

#: Files whose bytes must not depend on --jobs or on the cache.
GRAPH_FILES = ("graph.ttl", "graph.graphml", "graph.html", "graph.trig")
POLL_SECONDS = 0.05
AC_KEYWORDS = 1000
MB = 1_000_000  # text throughput: decimal megabytes of UTF-8 source
MIB = 1024 * 1024  # memory: what the builder's stats call "MB" (ru_maxrss / 1024)


# --- measuring one build ---------------------------------------------------------

@dataclass
class BuildRun:
    """One ``kg build`` subprocess: its exit status, times and memory."""

    label: str
    returncode: int
    wall_seconds: float
    tree_peak_rss_mib: float  # peak of the summed memory of the process and all its descendants (_tree_rss)
    stats: dict  # the builder's --stats-json, {} when it wrote none
    out_dir: Path
    log: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and bool(self.stats)


def _process_memory(p: psutil.Process) -> int:
    """PSS where the OS reports it, else RSS. Forked workers share the
    parent's pages; RSS would count those once per process, PSS divides them."""
    try:
        return p.memory_full_info().pss
    except (AttributeError, psutil.AccessDenied):
        return p.memory_info().rss


def _tree_rss(proc: psutil.Process) -> int:
    """Summed memory (PSS, else RSS) of ``proc`` and its descendants; processes may vanish meanwhile."""
    total = 0
    try:
        members = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for p in members:
        try:
            total += _process_memory(p)
        except psutil.Error:
            pass
    return total


def run_kg_build(label: str, corpus: Path, out_dir: Path, *, jobs: int, cache_dir: Path | None,
                 module: str = "kg", previous: Path | None = None) -> BuildRun:
    """Run ``python -m kg build`` on ``corpus`` and measure it.

    Without ``cache_dir`` the build runs with ``--no-cache``. Output and the
    builder's stdout/stderr go under ``out_dir`` (``build.log``). The graph
    folder starts empty, as a first build's does, or (``previous``: an earlier
    build's graph folder) as a copy of that one, as a user's rebuild finds it
    (``changes.json`` is then a diff, not the whole graph); the copy is not timed.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out_dir / "graph", ignore_errors=True)
    if previous is not None:
        shutil.copytree(previous, out_dir / "graph")
    stats_path = out_dir / "stats.json"
    stats_path.unlink(missing_ok=True)
    log = out_dir / "build.log"
    cmd = [sys.executable, "-m", module, "build", str(corpus), "-o", str(out_dir / "graph"),
           "--root", str(corpus), "-q", "--jobs", str(jobs), "--stats-json", str(stats_path)]
    cmd += ["--no-cache"] if cache_dir is None else ["--cache-dir", str(cache_dir)]
    peak = 0
    with open(log, "wb") as sink:
        sink.write(("$ " + " ".join(cmd) + "\n").encode())
        sink.flush()
        started = time.perf_counter()
        # cwd=REPO: "-m kg" finds the package even when it is not installed.
        child = subprocess.Popen(cmd, cwd=REPO, stdout=sink, stderr=subprocess.STDOUT)
        try:
            proc = psutil.Process(child.pid)
            while child.poll() is None:
                peak = max(peak, _tree_rss(proc))
                time.sleep(POLL_SECONDS)
        except psutil.Error:
            pass
        finally:
            child.wait()
        wall = time.perf_counter() - started
    stats: dict = {}
    if stats_path.is_file():
        try:
            stats = json.loads(stats_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stats = {}
    return BuildRun(label, child.returncode, wall, peak / MIB, stats, out_dir / "graph", log)


def _log_tail(run: BuildRun, lines: int = 15) -> str:
    try:
        return "\n".join(run.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# --- corpora -------------------------------------------------------------------------

def _generator_digest(seeds_dir: Path) -> str:
    """Changes whenever the generator or the seeds change: a reused corpus must match."""
    h = hashlib.sha256((REPO / "bench" / "make_corpus.py").read_bytes())
    for p in sorted(Path(seeds_dir).iterdir()):
        if p.is_file():
            h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:16]


def ensure_corpus(work: Path, n: int, seed: int, seeds_dir: Path) -> Path:
    """The corpus of ``n`` documents under ``work``, generated unless already there.

    A manifest beside the folder (not inside: the builder reads the folder)
    records size, seed and generator digest; it is written last, so an
    interrupted generation is redone.
    """
    corpus = work / f"corpus-{n}-seed{seed}"
    manifest = work / f"corpus-{n}-seed{seed}.json"
    want = {"documents": n, "seed": seed, "generator": _generator_digest(seeds_dir)}
    if manifest.is_file() and corpus.is_dir():
        try:
            if json.loads(manifest.read_text(encoding="utf-8")) == want and \
                    sum(1 for _ in corpus.glob("doc_*.txt")) == n:
                return corpus
        except ValueError:
            pass
    manifest.unlink(missing_ok=True)
    shutil.rmtree(corpus, ignore_errors=True)
    make_corpus(n, corpus, seed=seed, seeds_dir=seeds_dir)
    manifest.write_text(json.dumps(want, sort_keys=True) + "\n", encoding="utf-8")
    return corpus


def corpus_bytes(corpus: Path) -> int:
    """Bytes of source text in the corpus (the files as stored: UTF-8)."""
    return sum(p.stat().st_size for p in corpus.glob("doc_*.txt"))


# --- Aho-Corasick floor --------------------------------------------------------------

@dataclass(frozen=True)
class AhoResult:
    keywords: int
    seconds: float
    matches: int
    source_bytes: int

    @property
    def mb_per_s(self) -> float:
        return self.source_bytes / MB / self.seconds if self.seconds > 0 else float("inf")


def lexicon_keywords(limit: int = AC_KEYWORDS) -> list[str]:
    """The lexicon's surface forms (names, Chinese labels, aliases), sorted, first ``limit``."""
    from kg.lexicon import load_lexicon

    forms = {form for entry in load_lexicon().entries for form in entry.surface_forms}
    return sorted(forms)[:limit]


def aho_pass(corpus: Path, keywords: Sequence[str]) -> AhoResult:
    """Time one ``Automaton.iter`` pass over every document's text.

    Reading and decoding the files and building the automaton are left out:
    this is the bare cost of finding known keywords in text already in memory.
    """
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for i, word in enumerate(keywords):
        automaton.add_word(word, i)
    automaton.make_automaton()
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("doc_*.txt"))]
    size = sum(len(t.encode("utf-8")) for t in texts)
    matches = 0
    started = time.perf_counter()
    for text in texts:
        for _ in automaton.iter(text):
            matches += 1
    return AhoResult(len(keywords), time.perf_counter() - started, matches, size)


# --- comparisons ---------------------------------------------------------------------

def same_files(a: Path, b: Path, names: Sequence[str] = GRAPH_FILES) -> dict[str, bool]:
    """For each output file name: True when both folders hold it with identical bytes."""
    out = {}
    for name in names:
        fa, fb = a / name, b / name
        out[name] = fa.is_file() and fb.is_file() and fa.read_bytes() == fb.read_bytes()
    return out


@dataclass
class OutputCheck:
    """The outputs read back by other tools: what they hold, and whether it matches the builder."""

    ttl_triples: int  # graph.ttl parsed by Oxigraph
    trig_quads: int  # graph.trig parsed by Oxigraph
    trig_triples: int  # distinct triples over all its graphs
    graphml_nodes: int  # graph.graphml read by networkx
    graphml_edges: int
    html_bytes: int
    html_says_cut: bool  # the page carries the node-budget notice
    seconds: float

    def ok(self, triples: int | None) -> bool:
        """Turtle holds the builder's triple count, TriG the same triples, GraphML something."""
        return (triples is not None and self.ttl_triples == triples == self.trig_triples
                and self.graphml_nodes > 0 and self.html_bytes > 0)


def check_outputs(graph_dir: Path) -> OutputCheck:
    """Parse graph.ttl and graph.trig with Oxigraph, read graph.graphml with
    networkx and look into graph.html: proof the files stay valid at size."""
    import networkx as nx
    import pyoxigraph as ox

    started = time.perf_counter()
    ttl = sum(1 for _ in ox.parse(path=str(graph_dir / "graph.ttl"), format=ox.RdfFormat.TURTLE))
    quads = 0
    triples: set[tuple[str, str, str]] = set()
    for q in ox.parse(path=str(graph_dir / "graph.trig"), format=ox.RdfFormat.TRIG):
        quads += 1
        triples.add((str(q.subject), str(q.predicate), str(q.object)))
    g = nx.read_graphml(graph_dir / "graph.graphml")
    html = (graph_dir / "graph.html").read_bytes()
    return OutputCheck(ttl, quads, len(triples), g.number_of_nodes(), g.number_of_edges(), len(html),
                       b'id="kg-notice"' in html, time.perf_counter() - started)


# --- results -------------------------------------------------------------------------

@dataclass
class SizeResult:
    size: int
    corpus: Path
    source_bytes: int
    main: BuildRun
    aho: AhoResult | None = None
    determinism: dict[str, bool] | None = None
    determinism_jobs: tuple[int, int] | None = None
    outputs: OutputCheck | None = None


@dataclass
class IncrementalResult:
    size: int
    full: BuildRun
    add: BuildRun | None = None
    remove: BuildRun | None = None
    #: Built again with nothing changed: the floor under any rebuild
    #: (interpreter start, imports, hashing every input).
    unchanged: BuildRun | None = None
    restored: dict[str, bool] | None = None  # remove-rebuild vs the full cached build
    cache_vs_nocache: dict[str, bool] | None = None


@dataclass
class Report:
    jobs: int
    seed: int
    sizes: list[SizeResult] = field(default_factory=list)
    incremental: IncrementalResult | None = None
    failures: list[str] = field(default_factory=list)


def _rate(nbytes: int, seconds: float | None) -> float | None:
    if not seconds or seconds <= 0:
        return None
    return nbytes / MB / seconds


def _fmt(x: float | int | None, digits: int = 2) -> str:
    if x is None:
        return "-"
    if isinstance(x, int):
        return f"{x:,}"
    return f"{x:,.{digits}f}"


def _fmt_rate(x: float | None) -> str:
    """A throughput with three significant digits (rates here span 0.001 to 1000)."""
    if x is None:
        return "-"
    return f"{x:,.1f}" if x >= 100 else f"{x:.3g}"


def _pct(x: float | None) -> str:
    return "-" if x is None else (f"{x:.1%}" if x >= 0.01 else f"{x * 100:.3g}%")


def _yes(flags: dict[str, bool] | None) -> str:
    if flags is None:
        return "not checked"
    if all(flags.values()):
        return "yes"
    return "no (" + ", ".join(k for k, v in flags.items() if not v) + " differ)"


def stage_rows(r: SizeResult) -> list[list[str]]:
    """Per-stage rows: stage, seconds, share of the build, MB of source per second, peak RSS after it."""
    rows = []
    total = r.main.stats.get("total_seconds")
    share = lambda secs: _pct(secs / total) if secs is not None and total else "-"  # noqa: E731
    for st in r.main.stats.get("stages", []):
        secs = st.get("seconds")
        rows.append([str(st.get("name", "?")), _fmt(secs, 3), share(secs), _fmt_rate(_rate(r.source_bytes, secs)),
                     _fmt(st.get("peak_rss_mb"), 1)])
    rows.append(["total (builder)", _fmt(total, 3), share(total), _fmt_rate(_rate(r.source_bytes, total)),
                 _fmt(r.main.stats.get("peak_rss_mb"), 1)])
    rows.append(["wall (process)", _fmt(r.main.wall_seconds, 3), "",
                 _fmt_rate(_rate(r.source_bytes, r.main.wall_seconds)),
                 _fmt(r.main.tree_peak_rss_mib, 1) + " (tree, PSS)"])
    return rows


STAGE_HEADERS = ["stage", "seconds", "share", "MB/s", "peak RSS MiB"]
SUMMARY_HEADERS = ["documents", "source MB", "triples", "wall s", "MB/s", "MB/s/core",
                   "peak RSS MiB (builder)", "peak PSS MiB (tree)", "AC MB/s", "pipeline / AC",
                   "jobs 1 = jobs N"]


def summary_row(r: SizeResult, cores: int) -> list[str]:
    rate = _rate(r.source_bytes, r.main.wall_seconds)
    ac = r.aho.mb_per_s if r.aho else None
    return [
        _fmt(r.size), _fmt(r.source_bytes / MB, 2), _fmt(r.main.stats.get("triples")),
        _fmt(r.main.wall_seconds, 2), _fmt_rate(rate), _fmt_rate(rate / cores if rate else None),
        _fmt(r.main.stats.get("peak_rss_mb"), 1), _fmt(r.main.tree_peak_rss_mib, 1),
        _fmt_rate(ac), _pct(rate / ac if rate and ac else None),
        _yes(r.determinism) if r.determinism is not None else "-",
    ]


def scaling_ratio(report: Report, small: int = 1000, large: int = 10000) -> float | None:
    """Wall time of the ``large`` build over the ``small`` one, when both ran."""
    by = {r.size: r for r in report.sizes if r.main.ok}
    if small in by and large in by and by[small].main.wall_seconds > 0:
        return by[large].main.wall_seconds / by[small].main.wall_seconds
    return None


def incremental_rows(inc: IncrementalResult) -> list[list[str]]:
    full = inc.full.wall_seconds
    rows = []
    for name, run in (("full build, cold cache", inc.full), ("add 1 document", inc.add),
                      ("remove it again", inc.remove), ("nothing changed", inc.unchanged)):
        if run is not None:
            rows.append([name, _fmt(run.wall_seconds, 3), _pct(run.wall_seconds / full) if full else "-",
                         _fmt(run.stats.get("total_seconds"), 3), _fmt(load_and_extract_seconds(run), 3)])
    return rows


def load_and_extract_seconds(run: BuildRun) -> float | None:
    """The builder's seconds up to the end of extraction: what a rebuild
    spends before resolution (hashing the inputs, reading the cache)."""
    secs = [st.get("seconds") or 0.0 for st in run.stats.get("stages", []) if st.get("name") in ("load", "extract")]
    return sum(secs) if secs else None


INCREMENTAL_HEADERS = ["build", "wall s", "% of full", "builder s", "load + extract s"]


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], markdown: bool = False) -> str:
    """An aligned plain-text table, or a Markdown one."""
    if markdown:
        lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h) for i, h in enumerate(headers)]
    fmt = lambda row: "  ".join(c.ljust(w) if i == 0 else c.rjust(w)  # noqa: E731
                                 for i, (c, w) in enumerate(zip(row, widths)))
    return "\n".join([fmt(list(headers)), fmt(["-" * w for w in widths]), *(fmt(r) for r in rows)])


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine_lines(markdown: bool = False) -> list[str]:
    mem = psutil.virtual_memory().total / (1024 ** 3)
    return [
        f"machine: {os.cpu_count()} cores (os.cpu_count()), {_cpu_model()}, {mem:.1f} GiB RAM, "
        f"{platform.system()} {platform.release()}",
        f"python: {platform.python_version()}" + ("" if markdown else f" ({sys.executable})"),
        f"date: {_dt.date.today().isoformat()}",
    ]


def render(report: Report, markdown: bool = False) -> str:
    """The whole report, as plain text or Markdown."""
    cores = os.cpu_count() or 1
    h = (lambda s: f"### {s}") if markdown else (lambda s: f"\n== {s} ==")
    out = []
    if markdown:
        out.append("## kg build benchmark")
        out.append("\n".join([*(f"- {line}" for line in machine_lines(markdown=True)),
                               f"- builds: `--jobs {report.jobs} --no-cache`, corpus seed {report.seed}"]))
    else:
        out += machine_lines()
        out.append(f"builds: --jobs {report.jobs} --no-cache, corpus seed {report.seed}")
    for r in report.sizes:
        out.append(h(f"{r.size:,} documents, {r.source_bytes / MB:.2f} MB of source text"))
        if not r.main.ok:
            out.append(f"build FAILED (exit {r.main.returncode}); log: {r.main.log}")
            continue
        out.append(table(STAGE_HEADERS, stage_rows(r), markdown))
        extra = [f"triples: {_fmt(r.main.stats.get('triples'))}",
                 f"end-to-end: {_fmt_rate(_rate(r.source_bytes, r.main.wall_seconds))} MB/s, "
                 f"{_fmt_rate((_rate(r.source_bytes, r.main.wall_seconds) or 0) / cores)} MB/s per core "
                 f"({cores} cores)"]
        if r.aho:
            rate = _rate(r.source_bytes, r.main.wall_seconds) or 0
            extra.append(f"Aho-Corasick pass ({r.aho.keywords} lexicon keywords, {r.aho.matches:,} hits): "
                         f"{r.aho.seconds:.3f} s, {_fmt_rate(r.aho.mb_per_s)} MB/s; pipeline at "
                         f"{_pct(rate / r.aho.mb_per_s)} of it")
        if r.outputs:
            o = r.outputs
            extra.append(f"outputs read back ({o.seconds:.1f} s): graph.ttl {o.ttl_triples:,} triples (Oxigraph), "
                         f"graph.trig {o.trig_quads:,} quads / {o.trig_triples:,} distinct triples (Oxigraph), "
                         f"graph.graphml {o.graphml_nodes:,} nodes / {o.graphml_edges:,} edges (networkx), "
                         f"graph.html {o.html_bytes / MB:.1f} MB"
                         f"{', node-budget notice shown' if o.html_says_cut else ''}; "
                         f"match the build: {'yes' if o.ok(r.main.stats.get('triples')) else 'NO'}")
        if r.determinism is not None:
            j1, jn = r.determinism_jobs or (1, report.jobs)
            extra.append(f"identical outputs, --jobs {j1} vs --jobs {jn}: {_yes(r.determinism)}")
        out.append("\n".join(f"- {e}" for e in extra) if markdown else "\n".join(extra))
    ok_sizes = [r for r in report.sizes if r.main.ok]
    if ok_sizes:
        out.append(h("summary"))
        out.append(table(SUMMARY_HEADERS, [summary_row(r, cores) for r in ok_sizes], markdown))
    ratio = scaling_ratio(report)
    if ratio is not None:
        out.append(("" if markdown else "\n") + f"build time 10,000 docs / 1,000 docs: {ratio:.2f} (10.00 = linear)")
    inc = report.incremental
    if inc is not None:
        out.append(h(f"incremental rebuild, {inc.size:,} documents, with the extraction cache"))
        out.append(table(INCREMENTAL_HEADERS, incremental_rows(inc), markdown))
        notes = [f"after removing the added document, outputs identical to the full build: {_yes(inc.restored)}",
                 f"cached full build identical to the --no-cache build: {_yes(inc.cache_vs_nocache)}"]
        if inc.unchanged is not None and inc.unchanged.ok:
            kept = inc.unchanged.stats.get("unchanged")
            notes.append("nothing changed: " + ("the files were kept, only changes.json written" if kept
                                                else "the files were built again") +
                         "; its wall time is the floor under any rebuild (start-up, imports, hashing the inputs)")
        out.append("\n".join(f"- {n}" for n in notes) if markdown else "\n".join(notes))
    if report.failures:
        out.append(h("failures"))
        out.append("\n".join(f"- {f}" for f in report.failures))
    return ("\n\n" if markdown else "\n").join(out) + "\n"


# --- the run -------------------------------------------------------------------------

def _check(report: Report, run: BuildRun) -> bool:
    if run.ok:
        return True
    why = f"exit {run.returncode}" if run.returncode else "no stats JSON written"
    report.failures.append(f"{run.label}: build failed ({why}); log {run.log}")
    print(f"!! {run.label}: build failed ({why}); last lines of {run.log}:\n{_log_tail(run)}",
          file=sys.stderr, flush=True)
    return False


def run_incremental(report: Report, work: Path, corpus: Path, size: int, seed: int, seeds_dir: Path,
                    jobs: int, module: str, nocache_out: Path | None) -> IncrementalResult | None:
    """Full build with a fresh cache, then add one document, then remove it."""
    base = work / f"incremental-{size}"
    shutil.rmtree(base, ignore_errors=True)
    inc_corpus = base / "corpus"
    shutil.copytree(corpus, inc_corpus)
    cache = base / "cache"
    print(f"-- incremental {size}: full build with cache", flush=True)
    full = run_kg_build(f"incremental {size} full", inc_corpus, base / "full", jobs=jobs, cache_dir=cache,
                        module=module)
    result = IncrementalResult(size, full)
    if not _check(report, full):
        return result
    if nocache_out is not None:
        result.cache_vs_nocache = same_files(full.out_dir, nocache_out)
    extra = generate_document(size, seed_passages(seeds_dir), seed)  # the next document of the corpus
    added = inc_corpus / doc_name(size)
    added.write_bytes(extra.text.encode("utf-8"))
    print(f"-- incremental {size}: add {added.name}, rebuild", flush=True)
    result.add = run_kg_build(f"incremental {size} add", inc_corpus, base / "add", jobs=jobs, cache_dir=cache,
                              module=module, previous=full.out_dir)
    if not _check(report, result.add):
        return result
    added.unlink()
    print(f"-- incremental {size}: remove {added.name}, rebuild", flush=True)
    result.remove = run_kg_build(f"incremental {size} remove", inc_corpus, base / "remove", jobs=jobs,
                                 cache_dir=cache, module=module, previous=result.add.out_dir)
    if not _check(report, result.remove):
        return result
    result.restored = same_files(full.out_dir, result.remove.out_dir)
    print(f"-- incremental {size}: nothing changed, rebuild", flush=True)
    result.unchanged = run_kg_build(f"incremental {size} unchanged", inc_corpus, base / "unchanged", jobs=jobs,
                                    cache_dir=cache, module=module, previous=result.remove.out_dir)
    _check(report, result.unchanged)
    return result


def run(sizes: Sequence[int], *, jobs: int, work: Path, seed: int = 0, seeds_dir: Path = SEEDS_DIR,
        incremental: bool | None = None, determinism: str = "smallest", aho: bool = True,
        module: str = "kg") -> Report:
    """Run the whole benchmark; see the module docstring."""
    work.mkdir(parents=True, exist_ok=True)
    report = Report(jobs=jobs, seed=seed)
    keywords = lexicon_keywords() if aho else []
    inc_size = 1000 if 1000 in sizes else None
    if incremental is None:
        incremental = inc_size is not None
    if incremental and inc_size is None:
        inc_size = min(sizes)
    smallest = min(sizes)
    for size in sizes:
        print(f"-- {size} documents: corpus", flush=True)
        corpus = ensure_corpus(work, size, seed, seeds_dir)
        nbytes = corpus_bytes(corpus)
        print(f"-- {size} documents ({nbytes / MB:.1f} MB): build --jobs {jobs}", flush=True)
        main = run_kg_build(f"{size} jobs {jobs}", corpus, work / f"run-{size}-jobs{jobs}", jobs=jobs,
                            cache_dir=None, module=module)
        result = SizeResult(size, corpus, nbytes, main)
        report.sizes.append(result)
        if not _check(report, main):
            continue
        if main.stats.get("source_bytes") and main.stats["source_bytes"] != nbytes:
            # The builder counts what it read; prefer that for MB/s when it differs.
            result.source_bytes = int(main.stats["source_bytes"])
        if aho:
            print(f"-- {size} documents: Aho-Corasick pass", flush=True)
            result.aho = aho_pass(corpus, keywords)
        print(f"-- {size} documents: reading the outputs back (Oxigraph, networkx)", flush=True)
        result.outputs = check_outputs(main.out_dir)
        if determinism == "all" or (determinism == "smallest" and size == smallest):
            other = 1 if jobs != 1 else 2
            print(f"-- {size} documents: build --jobs {other} for the determinism check", flush=True)
            check = run_kg_build(f"{size} jobs {other}", corpus, work / f"run-{size}-jobs{other}", jobs=other,
                                 cache_dir=None, module=module)
            if _check(report, check):
                result.determinism = same_files(main.out_dir, check.out_dir)
                result.determinism_jobs = (other, jobs)
        if incremental and size == inc_size:
            report.incremental = run_incremental(report, work, corpus, size, seed, seeds_dir, jobs, module,
                                                 main.out_dir)
    return report


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}") from None
    if not sizes or any(s <= 0 for s in sizes):
        raise argparse.ArgumentTypeError("sizes must be positive integers")
    return sizes


def main(argv: Sequence[str] | None = None) -> int:
    """Command line; returns the exit status."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0],
                                 epilog="Exit status: 0 ok; 1 a build failed; 3 outputs differed where they must not, "
                                        "or did not read back as the build reported.")
    ap.add_argument("--sizes", type=_sizes, default=[100, 1000, 10000],
                    help="corpus sizes in documents, comma-separated (default: 100,1000,10000)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="--jobs passed to kg build (default: os.cpu_count())")
    ap.add_argument("--work", type=Path, default=Path("/tmp/kg-bench"),
                    help="folder for corpora and build outputs (default: /tmp/kg-bench)")
    ap.add_argument("--seed", type=int, default=0, help="corpus seed (default: 0)")
    ap.add_argument("--seeds-dir", type=Path, default=SEEDS_DIR, help="seed articles (default: seeds/)")
    ap.add_argument("--incremental", action=argparse.BooleanOptionalAction, default=None,
                    help="measure an incremental rebuild (default: on when 1000 is among the sizes)")
    ap.add_argument("--determinism", choices=("smallest", "all", "none"), default="smallest",
                    help="compare --jobs 1 and --jobs N outputs byte for byte at these sizes (default: smallest)")
    ap.add_argument("--no-aho", action="store_true", help="skip the Aho-Corasick reference pass")
    ap.add_argument("--markdown", type=Path, metavar="FILE", help="also write the results as Markdown")
    ap.add_argument("--module", default="kg",
                    help="module run as 'python -m MODULE build ...' (default: kg; for testing the runner)")
    args = ap.parse_args(argv)
    if args.jobs < 1:
        ap.error("--jobs must be >= 1")
    report = run(args.sizes, jobs=args.jobs, work=args.work.resolve(), seed=args.seed,
                 seeds_dir=args.seeds_dir, incremental=args.incremental, determinism=args.determinism,
                 aho=not args.no_aho, module=args.module)
    print(render(report))
    (args.work / "results.json").write_text(json.dumps(asdict(report), default=str, indent=1, sort_keys=True) + "\n",
                                            encoding="utf-8")
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(render(report, markdown=True), encoding="utf-8")
        print(f"markdown written to {args.markdown}")
    if report.failures:
        return 1
    checks = [r.determinism for r in report.sizes if r.determinism is not None]
    if report.incremental is not None:
        checks += [c for c in (report.incremental.restored, report.incremental.cache_vs_nocache) if c is not None]
    if any(not all(c.values()) for c in checks):
        return 3
    if any(r.outputs is not None and not r.outputs.ok(r.main.stats.get("triples")) for r in report.sizes):
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
