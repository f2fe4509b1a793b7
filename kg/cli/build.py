"""``kg build``: documents in, graph files out, with progress and a summary."""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from kg.parallel.worker_pool import default_jobs

if TYPE_CHECKING:
    from kg.build.pipeline import BuildReport
    from kg.build.shards import ShardReport

# The pipeline (rdflib, the extractor and its lexicon) is imported when a
# build runs, not when the parser is made: ``kg --help`` and ``kg query``
# do not pay for it.

# Control characters and bidi overrides from file names or metadata would be
# interpreted by the terminal (colours, cursor moves, reordered text).
_UNPRINTABLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _printable(text: str) -> str:
    """``text`` with terminal-active characters shown as ``\\uXXXX`` escapes."""
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _err(msg: str) -> None:
    print(_printable(msg), file=sys.stderr, flush=True)


def register(subparsers) -> None:
    """Add the ``build`` sub-command."""
    p = subparsers.add_parser(
        "build",
        help="build the knowledge graph from documents",
        description=(
            "Read launch coverage (UTF-8 text or Markdown; Chinese or English), extract models, "
            "products, features, people, companies, events, benchmarks, scores and prices, and "
            "write output/graph.ttl (Turtle), output/graph.graphml, output/graph.trig (one named "
            "graph per document) and output/graph.html (interactive view, works offline). "
            "Every fact keeps the passage it came from, by character offsets. Files that cannot "
            "be read are skipped with a reason; the build goes on."
        ),
        epilog="Exit codes: 0 every document built; 1 some inputs were skipped (listed in the "
               "summary); 2 usage error or nothing could be built.",
    )
    p.add_argument("inputs", nargs="*", type=Path, metavar="INPUT",
                   help="files or folders to read (folders recursively: .txt, .md, .markdown); default: seeds/")
    add_output_options(p)
    p.add_argument("--root", type=Path, default=Path("."),
                   help="folder that document paths in the graph are relative to (default: current folder)")
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                   help=f"worker processes that load and extract documents (default: all cores, here {default_jobs()}); "
                        f"with N > 1 a large graph is also validated and exported in two processes at once; "
                        f"the output is the same for every N")
    p.add_argument("--cache-dir", type=Path, default=None, metavar="DIR",
                   help="where extractions (and loaded documents) are cached, keyed by each document's "
                        "sha256 and the extractor version, so a rebuild re-reads and re-extracts only new "
                        "or changed documents (default: OUTPUT_DIR/.kg-cache)")
    p.add_argument("--no-cache", action="store_true",
                   help="neither read nor write the extraction cache, and build everything again even "
                        "when nothing changed since the last build")
    p.add_argument("--shard", metavar="I/N", default=None,
                   help="extract only the I-th of N slices of the inputs and write a shard folder "
                        "(facts.nq, extractions.pkl, shard.json) to OUTPUT_DIR; combine the N shard "
                        "folders with `kg merge`")
    p.set_defaults(func=run)


def add_output_options(p: argparse.ArgumentParser) -> None:
    """The options ``kg build`` and ``kg merge`` share: what to write, where, how verbosely."""
    p.add_argument("-o", "--output", type=Path, default=Path("output"), metavar="OUTPUT_DIR",
                   help="folder to write the graph files into (default: output/); files are replaced atomically")
    p.add_argument("--min-confidence", type=float, default=0.0, metavar="X",
                   help="leave out statements whose confidence is below X, in [0, 1] "
                        "(lexicon hits ≈0.95, patterns 0.6–0.85, inferences 0.45–0.7; default 0: keep all)")
    p.add_argument("--no-html", action="store_true", help="skip the HTML view (faster on very large corpora)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines, summary only")
    p.add_argument("--stats-json", type=Path, default=None, metavar="FILE",
                   help="also write per-stage seconds and peak memory, source size and triples as JSON "
                        "(used by bench/)")


def min_confidence_error(command: str, value: float) -> str | None:
    """The usage error for a --min-confidence outside [0, 1], else None."""
    if 0.0 <= value <= 1.0:
        return None
    return f"kg {command}: --min-confidence must be between 0 and 1, got {value}"


def run(args: argparse.Namespace) -> int:
    """Run a build and print its summary; returns the exit code."""
    from kg.build.pipeline import BuildError, run_build

    # A file name in the summary must not crash a build run under a Latin-1
    # or ASCII locale; such characters are shown as escapes instead.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    if (error := min_confidence_error("build", args.min_confidence)) is not None:
        print(error, file=sys.stderr)
        return 2
    inputs = list(args.inputs) or [Path("seeds")]
    if not args.inputs and not Path("seeds").is_dir():
        print("kg build: no INPUT given and no seeds/ folder here; name the files or folders to read",
              file=sys.stderr)
        return 2
    if args.jobs is not None and args.jobs < 1:
        print(f"kg build: --jobs must be 1 or more, got {args.jobs}", file=sys.stderr)
        return 2
    shard = None
    if args.shard is not None:
        from kg.build.shards import parse_shard  # the N-Quads writer, only for shard builds

        try:
            shard = parse_shard(args.shard)
        except ValueError as exc:
            print(f"kg build: {exc}", file=sys.stderr)
            return 2
    out_dir: Path = args.output
    progress = None if args.quiet else _err
    # Skips and warnings name a file and say what to do: shown even with -q.
    warn = lambda msg: _err(f"kg build: {msg}")  # noqa: E731
    started = time.perf_counter()
    jobs = args.jobs or default_jobs()
    try:
        if shard is not None:
            from kg.build.shards import run_shard

            shard_report = run_shard(inputs, args.root.resolve(), out_dir, shard, jobs=jobs,
                                     cache_dir=args.cache_dir, use_cache=not args.no_cache,
                                     progress=progress, warn=warn)
            report = shard_report.build
            _print_shard_summary(shard_report, out_dir, time.perf_counter() - started)
        else:
            report = run_build(inputs, args.root.resolve(), out_dir, min_confidence=args.min_confidence,
                               html=not args.no_html, progress=progress, warn=warn, jobs=jobs,
                               cache_dir=args.cache_dir, use_cache=not args.no_cache)
            print_summary(report, out_dir, time.perf_counter() - started)
    except BuildError as exc:
        _err(f"kg build: {exc}")
        return 2
    if args.stats_json is not None:
        write_stats(args.stats_json, report, time.perf_counter() - started, jobs)
    if report.skipped:
        _err(f"kg build: {len(report.skipped)} input(s) skipped, {len(report.documents)} document(s) built; "
             f"see the list above")
    return 1 if report.skipped else 0


def write_stats(path: Path, report: BuildReport, seconds: float, jobs: int) -> None:
    """Per-stage seconds and memory high-water marks, as JSON (read by bench/)."""
    stages = [{"name": name, "seconds": round(secs, 4), "peak_rss_mb": report.stage_peak_rss_mb.get(name, 0.0)}
              for name, secs in report.stage_seconds.items()]
    stats = {
        "documents": len(report.documents),
        "source_bytes": report.source_bytes,
        "triples": report.counts.triples,
        "statements": report.counts.statements,
        "jobs": jobs,
        "extracted": report.extract_stats.extracted if report.extract_stats else None,
        "cached": report.extract_stats.cached if report.extract_stats else None,
        "stages": stages,
        "parallel_stages": report.parallel_stages,
        # the outputs were already those of these inputs: kept, only changes.json written
        "unchanged": report.unchanged,
        "total_seconds": round(seconds, 4),
        "peak_rss_mb": max((s["peak_rss_mb"] for s in stages), default=0.0),
        "files": report.files,
    }
    Path(path).write_text(json.dumps(stats, indent=1) + "\n", encoding="utf-8")


def _print_shard_summary(shard_report: ShardReport, out_dir: Path, seconds: float) -> None:
    report = shard_report.build
    index, count = shard_report.shard
    print(f"shard {index}/{count}: {len(report.documents)} document(s) extracted, "
          f"{shard_report.quads} quads", file=sys.stdout)
    for name, size in report.files.items():
        print(_printable(f"  {out_dir / name}  {size:,} bytes"), file=sys.stdout)
    print(f"time: {seconds:.2f}s; combine all {count} shard folders with: kg merge DIR ... -o OUTPUT_DIR",
          file=sys.stdout)


def print_summary(report: BuildReport, out_dir: Path, seconds: float) -> None:
    """The build summary: what was read, found and written, and how long each stage took."""
    from kg.build.pipeline import skip_message

    out = sys.stdout
    print(f"documents read: {len(report.documents)}", file=out)
    if report.unchanged:
        print("nothing changed since the build that wrote these files (documents, options and code): "
              "they are kept, and changes.json lists no change; --no-cache builds everything again", file=out)
    if report.extract_stats:
        st = report.extract_stats
        print(f"extraction: {st.extracted} document(s) extracted with {st.jobs} worker(s), "
              f"{st.cached} taken from the cache", file=out)
    if report.skipped:
        print(f"documents skipped: {len(report.skipped)}", file=out)
        for s in report.skipped:
            print(_printable(f"  {skip_message(s).removeprefix('skipped ')}"), file=out)
    print("entities by class:", file=out)
    for cls, n in report.counts.entities_by_class.items():
        if cls not in ("Document", "BenchmarkResult", "Price"):
            print(f"  {cls:<14} {n}", file=out)
    print("relations by property:", file=out)
    for prop, n in report.counts.relations_by_property.items():
        print(f"  {prop:<14} {n}", file=out)
    print(f"statements: {report.counts.statements}", file=out)
    print(f"benchmark results: {report.counts.benchmark_results}", file=out)
    print(f"prices: {report.counts.prices}", file=out)
    print(f"triples: {report.counts.triples}", file=out)
    v = report.validation
    print(f"SHACL: {'conforms' if v and v.conforms else 'does not conform'}", file=out)
    print("files kept:" if report.unchanged else "files written:", file=out)
    for name, size in report.files.items():
        print(_printable(f"  {out_dir / name}  {size:,} bytes"), file=out)
    stages = ", ".join(f"{k} {v:.2f}s" for k, v in report.stage_seconds.items())
    overlap = "; validation and exports ran in two processes, their times overlap" if report.parallel_stages else ""
    print(f"time: {seconds:.2f}s ({stages}{overlap})", file=out)
