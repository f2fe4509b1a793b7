"""The build, stage by stage: load → extract → resolve → infer → graph →
validate → export. Each stage is timed; the caller gets a BuildReport."""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF

from kg.export_graphml import write_graphml
from kg.export_turtle import write_turtle
from kg.extract import LexiconIndex, extract_document
from kg.infer import infer_facts
from kg.inputs import discover_inputs
from kg.lexicon import load_lexicon
from kg.load import load_documents
from kg.models import Document, Skipped
from kg.resolve import resolve
from kg.validate import ValidationReport, validate_graph
from kg.vocab import AIKG, ALL_CLASSES, RELATION_PROPERTIES

Progress = Callable[[str], None]


@dataclass
class BuildReport:
    """What a build read, found and wrote."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    entities_by_class: dict[str, int] = field(default_factory=dict)
    relations_by_property: dict[str, int] = field(default_factory=dict)
    statements: int = 0
    benchmark_results: int = 0
    prices: int = 0
    triples: int = 0
    validation: ValidationReport | None = None
    files: dict[str, int] = field(default_factory=dict)
    stage_seconds: dict[str, float] = field(default_factory=dict)


class BuildError(Exception):
    """A build that cannot go on (no documents, graph not conforming)."""


def build_graph_from_documents(docs: Sequence[Document], *, min_confidence: float = 0.0,
                               progress: Progress | None = None,
                               timings: dict[str, float] | None = None) -> Graph:
    """Extract, resolve, infer and build the RDF graph of loaded documents."""
    from kg.graph_build import build_graph

    say = progress or (lambda _msg: None)
    timings = timings if timings is not None else {}
    t0 = time.perf_counter()
    lexicon = LexiconIndex(load_lexicon())
    extractions = []
    for i, doc in enumerate(docs, 1):
        ex = extract_document(doc, lexicon)
        extractions.append(ex)
        say(f"[{i}/{len(docs)}] {doc.path}: {len(ex.mentions)} mentions, "
            f"{len(ex.relations)} relations, {len(ex.quantities)} quantities")
    t1 = time.perf_counter()
    resolution = resolve(docs, extractions, lexicon)
    inferred = infer_facts(docs, resolution, lexicon)
    t2 = time.perf_counter()
    graph = build_graph(docs, resolution.entities, resolution.facts + inferred, resolution.quantities,
                        min_confidence=min_confidence)
    t3 = time.perf_counter()
    timings.update({"extract": t1 - t0, "resolve": t2 - t1, "graph": t3 - t2})
    return graph


def run_build(inputs: Sequence[Path], root: Path, out_dir: Path, *, min_confidence: float = 0.0,
              html: bool = True, progress: Progress | None = None) -> BuildReport:
    """A whole build from input paths to the files in ``out_dir``."""
    say = progress or (lambda _msg: None)
    report = BuildReport()
    t = time.perf_counter()
    paths, skipped_inputs = discover_inputs(inputs, root)
    docs, skipped_docs = load_documents(paths, root)
    report.documents, report.skipped = docs, skipped_inputs + skipped_docs
    report.stage_seconds["load"] = time.perf_counter() - t
    for s in report.skipped:
        say(f"skipped {s.path}: {s.reason}")
    if not docs:
        raise BuildError("no documents could be read from the inputs; nothing to build")
    graph = build_graph_from_documents(docs, min_confidence=min_confidence, progress=say,
                                       timings=report.stage_seconds)
    t = time.perf_counter()
    report.validation = validate_graph(graph)
    report.stage_seconds["validate"] = time.perf_counter() - t
    if not report.validation.conforms:
        raise BuildError("the graph does not conform to the SHACL shapes:\n" + report.validation.summary())
    _count(graph, report)
    out_dir.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    report.files["graph.ttl"] = write_turtle(graph, out_dir / "graph.ttl")
    report.stage_seconds["export turtle"] = time.perf_counter() - t
    t = time.perf_counter()
    report.files["graph.graphml"] = write_graphml(graph, out_dir / "graph.graphml")[0]
    report.stage_seconds["export graphml"] = time.perf_counter() - t
    for name, writer in _optional_writers(html):
        t = time.perf_counter()
        report.files[name] = writer(graph, out_dir / name)
        report.stage_seconds[f"export {name.rsplit('.', 1)[-1]}"] = time.perf_counter() - t
    return report


def _optional_writers(html: bool):
    """Exports written by modules that may be absent while under way."""
    writers = []
    try:
        from kg.export_trig import write_trig
        writers.append(("graph.trig", write_trig))
    except ImportError:
        pass
    if html:
        from kg.export_html import write_html

        def _html(graph: Graph, path: Path) -> int:
            write_html(graph, path)
            return path.stat().st_size

        writers.append(("graph.html", _html))
    return writers


def _count(graph: Graph, report: BuildReport) -> None:
    classes = Counter()
    for cls in ALL_CLASSES:
        n = sum(1 for _ in graph.subjects(RDF.type, AIKG[cls]))
        if n:
            classes[cls] = n
    report.entities_by_class = dict(sorted(classes.items()))
    report.benchmark_results = classes.get("BenchmarkResult", 0)
    report.prices = classes.get("Price", 0)
    report.relations_by_property = {
        p: n for p in RELATION_PROPERTIES if (n := sum(1 for _ in graph.subject_objects(AIKG[p])))
    }
    report.statements = sum(1 for _ in graph.subjects(RDF.type, RDF.Statement))
    report.triples = len(graph)
