"""What a ``kg serve`` worker process does: answer one request at a time on its own store.

The HTTP front (``kg.query.server``) hands a ``Task`` to an idle worker
and gets back a ``Reply`` that is ready to write: status, body bytes, media
type. Running, content negotiation and formatting all happen here, so the
front only moves bytes, and a query that runs too long can be ended by
killing the process that runs it (pyoxigraph cannot interrupt a query from
another thread, and has no time limit of its own).

Each worker opens the store itself (read-only, or read-write for the single
worker of an ``--allow-update`` server) and runs in one thread, so rdflib's
parser, which ``run_query`` uses to learn the query's shape, is never shared.
"""
from __future__ import annotations

import os
import signal
import sys
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection

import pyoxigraph as ox

from kg.query.engine import EvaluationError, QueryError, run_query, run_update
from kg.query.results import (
    QueryResult,
    format_csv,
    format_json,
    format_ntriples,
    format_tsv,
    format_turtle,
    format_xml,
)
from kg.query.store import StoreError, open_store
from kg.vocab import PREFIXES

Formatter = Callable[[QueryResult], str]

#: Media types offered for solutions / booleans, server preference first.
RESULT_TYPES: dict[str, Formatter] = {
    "application/sparql-results+json": format_json,
    "application/sparql-results+xml": format_xml,
    "text/csv": format_csv,
    "text/tab-separated-values": format_tsv,
    "application/json": format_json,
    "application/xml": format_xml,
    "text/xml": format_xml,
}
#: Media types offered for CONSTRUCT/DESCRIBE graphs.
GRAPH_TYPES: dict[str, Formatter] = {
    "text/turtle": lambda r: format_turtle(r.triples, PREFIXES),
    "application/n-triples": lambda r: format_ntriples(r.triples),
    "text/plain": lambda r: format_ntriples(r.triples),
}
#: ``format=`` shortcuts for browsers and curl users.
FORMAT_ALIASES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
}
TEXT = "text/plain; charset=utf-8"


def negotiate(accept: str | None, offered: Mapping[str, Formatter]) -> str | None:
    """The offered media type the ``Accept`` header likes best, or None.

    Quality values are honoured; among equals, an exact type beats a
    wildcard and the server's order of preference decides the rest.
    """
    default = next(iter(offered))
    if not accept or not accept.strip():
        return default
    best: tuple[float, int, int] | None = None
    choice = None
    for rank, media in enumerate(offered):
        mtype, msub = media.split("/")
        for item in accept.split(","):
            parts = [p.strip() for p in item.split(";")]
            rng = parts[0].lower()
            if "/" not in rng:
                continue
            q = 1.0
            for param in parts[1:]:
                if param.lower().startswith("q="):
                    try:
                        q = float(param[2:])
                    except ValueError:
                        q = 0.0
            rtype, rsub = rng.split("/", 1)
            if (rtype, rsub) == (mtype, msub):
                specificity = 2
            elif rsub == "*" and rtype in (mtype, "*"):
                specificity = 1 if rtype == mtype else 0
            else:
                continue
            if q <= 0:
                continue
            score = (q, specificity, -rank)
            if best is None or score > best:
                best, choice = score, media
    return choice


@dataclass(frozen=True)
class Task:
    """One query or update, as the front received it."""

    kind: str  # "query" or "update"
    text: str
    accept: str | None = None  # the Accept header
    forced_format: str | None = None  # the format= parameter, which beats Accept


@dataclass(frozen=True)
class Reply:
    """An HTTP answer, ready to write."""

    status: int
    body: bytes
    content_type: str = TEXT


def _text(status: int, message: str) -> Reply:
    return Reply(status, message.encode("utf-8"))


def answer(task: Task, store: ox.Store) -> Reply:
    """Run a task on the store and format the answer (errors included) as HTTP."""
    if task.kind == "update":
        try:
            run_update(task.text, store)
        except QueryError as exc:
            return _text(400, f"update error: {exc}\n")
        except EvaluationError as exc:
            return _text(500, f"{exc}\n")
        return Reply(204, b"")
    try:
        result = run_query(task.text, store)
    except QueryError as exc:
        return _text(400, f"query error: {exc}\n")
    except EvaluationError as exc:
        return _text(500, f"{exc}\n")
    offered = GRAPH_TYPES if result.form == "GRAPH" else RESULT_TYPES
    forced = task.forced_format
    accept = FORMAT_ALIASES.get(forced, forced) if forced else task.accept
    media = negotiate(accept, offered)
    if media is None:
        return _text(406, "can answer with: " + ", ".join(offered) + "\n")
    charset = "" if media in ("application/sparql-results+json", "application/json") else "; charset=utf-8"
    return Reply(200, offered[media](result).encode("utf-8"), media + charset)


def worker_main(conn: Connection, store_path: str, read_only: bool) -> None:
    """A worker process's life: open the store, say so, answer tasks until told to stop.

    The first message is ``("ready", pid)`` or ``("error", message)``; then a
    ``Reply`` for each ``Task`` received. ``None`` or a closed pipe ends it.
    """
    # Ctrl-C reaches the whole process group; the front decides when we stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        store = open_store(store_path, read_only=read_only)
    except StoreError as exc:
        conn.send(("error", str(exc)))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            reply = answer(task, store)
        except Exception:  # a bug here, not the client's fault: keep the traceback
            traceback.print_exc(file=sys.stderr)
            reply = _text(500, "internal error while answering; see the server's log\n")
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return
