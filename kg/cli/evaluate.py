"""``kg evaluate``: precision, recall and F1 of a graph against gold annotations."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.evaluate import Counts, EvaluationReport


def register(subparsers) -> None:
    """Add the ``evaluate`` sub-command."""
    p = subparsers.add_parser(
        "evaluate",
        help="score a built graph against gold annotations",
        description="Print precision, recall and F1 for entities (overall and per class), relations "
                    "(overall and per property), benchmark results and prices, the share of nodes that "
                    "split one real thing in two, and evidence fidelity (evidence == text[start:end]), "
                    "micro-averaged over the gold documents, following the gold README's scoring rules.",
    )
    p.add_argument("gold_dir", type=Path, metavar="GOLD_DIR", help="folder of gold *.json files")
    p.add_argument("--graph", type=Path, default=Path("output/graph.ttl"), help="graph to score (default: output/graph.ttl)")
    p.add_argument("--root", type=Path, default=Path("."),
                   help="folder the graph's document paths are relative to, to check evidence offsets (default: .)")
    p.add_argument("--split", choices=("train", "dev", "test"),
                   help="score only the gold documents of this split of the corpus (by a fixed hash of the id; "
                        "see corpus/README.md)")
    p.add_argument("-v", "--verbose", action="store_true", help="list misses and false positives of each document")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Evaluate and print the report."""
    # Imported here: the evaluator brings networkx and rdflib, which no other command needs at start.
    from rdflib import Graph

    from kg.evaluate import evaluate, load_gold
    from kg.load.documents import load_document
    from kg.vocab import AIKG

    if not args.graph.is_file():
        print(f"kg evaluate: graph {args.graph} not found; run `kg build` first or pass --graph", file=sys.stderr)
        return 2
    try:
        golds = load_gold(args.gold_dir)
    except (FileNotFoundError, ValueError) as exc:
        print(f"kg evaluate: {exc}", file=sys.stderr)
        return 2
    if args.split:
        from kg.corpus import split_of

        golds = [g for g in golds if split_of(Path(g["document"]).stem) == args.split]
        if not golds:
            print(f"kg evaluate: no gold document of {args.gold_dir} is in the {args.split} split", file=sys.stderr)
            return 2
    g = Graph()
    g.parse(args.graph, format="turtle")
    texts = {}
    for path in g.objects(None, AIKG.path):
        file = args.root / str(path)
        if file.is_file():
            doc = load_document(file, args.root, file.stem)
            if hasattr(doc, "text"):
                texts[str(path)] = doc.text
    report = evaluate(g, golds, texts)
    print_report(report, verbose=args.verbose)
    return 0


def _row(name: str, c: Counts) -> str:
    return f"  {name:<22} P {c.precision:6.3f}  R {c.recall:6.3f}  F1 {c.f1:6.3f}   (tp {c.tp}, fp {c.fp}, fn {c.fn})"


def _recall(c: Counts) -> str:
    """Recall, or "n/a" where the gold has nothing to find."""
    return f"{c.recall:.3f}" if c.tp + c.fn else "  n/a"


def print_report(report: EvaluationReport, verbose: bool = False, out=sys.stdout) -> None:
    """The report as text."""
    print(f"documents: {', '.join(d.document for d in report.documents)}", file=out)
    print("entities:", file=out)
    print(_row("all", report.total("entities")), file=out)
    for cls, c in report.total_by("entities_by_class").items():
        print(_row(cls, c), file=out)
    print("relations:", file=out)
    print(_row("all", report.total("relations")), file=out)
    for prop, c in report.total_by("relations_by_property").items():
        print(_row(prop, c), file=out)
    print("quantities:", file=out)
    print(_row("benchmark results", report.total("benchmarks")), file=out)
    print(_row("prices", report.total("prices")), file=out)
    print(f"split nodes (duplicates): {report.split_rate:.2%} of predicted entities", file=out)
    print(f"evidence fidelity: {report.evidence_fidelity:.2%}", file=out)
    print("per document (F1):", file=out)
    for d in report.documents:
        print(f"  {d.document:<28} entities {d.entities.f1:.3f}  relations {d.relations.f1:.3f}  "
              f"benchmarks R {_recall(d.benchmarks)}  prices R {_recall(d.prices)}", file=out)
    if verbose:
        for d in report.documents:
            print(f"\n== {d.document}: entities F1 {d.entities.f1:.3f}, relations F1 {d.relations.f1:.3f}", file=out)
            for line in d.missed:
                print(f"  MISS {line}", file=out)
            for line in d.false_positives:
                print(f"  FP   {line}", file=out)
