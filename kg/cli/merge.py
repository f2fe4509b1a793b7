"""``kg merge``: shard folders in, the final graph files out."""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from kg.cli.build import _err, add_output_options, min_confidence_error, print_summary, write_stats
from kg.parallel.worker_pool import default_jobs


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
    add_output_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Merge the shards and print the build summary; returns the exit code."""
    from kg.build.pipeline import BuildError
    from kg.build.shards import run_merge

    if (error := min_confidence_error("merge", args.min_confidence)) is not None:
        _err(error)
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
        # Validation and exports of the merged graph use every core (finish_build's default).
        write_stats(args.stats_json, report, time.perf_counter() - started, default_jobs())
    return 1 if report.skipped else 0
