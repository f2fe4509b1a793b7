"""The registry of output formats: one entry per file a build writes.

Adding a format is one entry here (and its module under ``kg/export/``): the
build derives from this table which files it writes, the order it reports
them in, how it balances them across processes, and which it leaves out with
``--no-html``. Renderers are named as ``module:function`` and imported only
when a build renders, so that a rebuild that keeps its files, and the
command line, never import them.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from kg.graph.statements import BuiltGraph  # noqa: F401 - named in Renderer

#: A graph to the file's bytes, or to its text in pieces written as they are made.
Renderer = Callable[["BuiltGraph"], "bytes | Iterable[str]"]


@dataclass(frozen=True)
class OutputFormat:
    """One output file and how it is made."""

    name: str  # the stage is reported as "export <name>"
    file: str
    renderer: str  # "module:function", the function taking a BuiltGraph to bytes or text pieces
    #: Relative cost, used only to split the exports into two groups of about
    #: equal work on large graphs (seconds measured at 10,000 documents; see
    #: docs/PERFORMANCE.md).
    weight: float
    #: Left out by ``kg build --no-html``.
    view: bool = False

    @property
    def stage(self) -> str:
        """The stage name the build reports for this file."""
        return f"export {self.name}"

    def load(self) -> Renderer:
        """The renderer function, imported now."""
        module, _, function = self.renderer.partition(":")
        return getattr(importlib.import_module(module), function)


#: Every output format, in the order the build reports them.
OUTPUT_FORMATS: tuple[OutputFormat, ...] = (
    OutputFormat("ttl", "graph.ttl", "kg.export.turtle:turtle_chunks", 11.3),
    OutputFormat("graphml", "graph.graphml", "kg.export.graphml:graphml_chunks", 3.8),
    OutputFormat("trig", "graph.trig", "kg.export.trig:trig_chunks", 16.2),
    OutputFormat("html", "graph.html", "kg.export.html:html_document", 8.2, view=True),
)


def formats(*, html: bool = True) -> tuple[OutputFormat, ...]:
    """The formats a build writes: all, or all but the view."""
    return tuple(f for f in OUTPUT_FORMATS if html or not f.view)
