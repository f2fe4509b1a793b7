"""``kg merge``: shard folders in, the final graph files out."""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from kg.cli_build import _err, print_summary, write_stats
from kg.pipeline import BuildError
from kg.shards import run_merge


def register(subparsers) -> None:
    """Add the ``merge`` sub-command."""
    p = subparsers.add_parser(
        "merge",
        help="combine shard folders (kg build --shard I/N) into the final graph files",
        description=(
            "Combine the folders written by `kg build --shard I/N -o DIR` (all N of them) into "
            "graph.ttl, graph.graphml, graph.trig, graph.html and changes.json. Entities are "
            "resolved over all shards at once, so the files are identical to a single `kg build` "
            "of the same inputs."
        ),
        epilog="Exit codes: 0 merged; 1 some inputs were skipped by the shards; 2 usage error, "
               "a shard missing or unreadable.",
    )
    p.add_argument("shards", nargs="+", type=Path, metavar="SHARD_DIR", help="the shard folders, all N of them")
    p.add_argument("-o", "--output", type=Path, default=Path("output"), metavar="OUTPUT_DIR",
                   help="folder to write the graph files into (default: output/)")
    p.add_argument("--min-confidence", type=float, default=0.0, metavar="X",
                   help="leave out statements whose confidence is below X, in [0, 1] (default 0: keep all)")
    p.add_argument("--no-html", action="store_true", help="skip the HTML view")
    p.add_argument("-q", "--quiet", action="store_true", help="summary only")
    p.add_argument("--stats-json", type=Path, default=None, metavar="FILE",
                   help="also write per-stage seconds and peak memory as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Merge the shards and print the build summary; returns the exit code."""
    if not 0.0 <= args.min_confidence <= 1.0:
        _err(f"kg merge: --min-confidence must be between 0 and 1, got {args.min_confidence}")
        return 2
    started = time.perf_counter()
    try:
        report = run_merge(args.shards, args.output, min_confidence=args.min_confidence,
                           html=not args.no_html, progress=None if args.quiet else _err,
                           warn=lambda msg: _err(f"kg merge: {msg}"))
    except BuildError as exc:
        _err(f"kg merge: {exc}")
        return 2
    print_summary(report, args.output, time.perf_counter() - started)
    if args.stats_json is not None:
        write_stats(args.stats_json, report, time.perf_counter() - started, 1)
    return 1 if report.skipped else 0
