"""Map a function over many items in forked worker processes.

Both per-document stages, loading and extraction, are independent per
document until resolution. Workers are forked, so they start with the
loaded code (and whatever an initializer hands them) without re-importing;
results come back in input order whatever the number of workers, so what
a build makes from them does not depend on ``jobs``. The cyclic collector
stays paused while the pool runs (see ``kg.parallel.gc_pause``).
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any, TypeVar

from kg.parallel.forked_tasks import can_fork
from kg.parallel.gc_pause import collector_paused


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


T = TypeVar("T")
R = TypeVar("R")


def map_in_workers(fn: Callable[[T], R], items: Iterable[T], jobs: int, *, chunksize: int,
                   initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = ()) -> Iterator[R]:
    """``fn`` over ``items`` in ``jobs`` worker processes, yielded in input order.

    The pool lives while the iterator is consumed; consume it whole (or
    close it) before relying on the workers having stopped. ``fn`` must be
    a module-level function: the items and results travel by pickle.
    """
    # fork where the platform has it: workers inherit the loaded code.
    ctx = get_context("fork") if can_fork() else get_context()
    with collector_paused(), ProcessPoolExecutor(jobs, mp_context=ctx, initializer=initializer,
                                                 initargs=initargs) as pool:
        yield from pool.map(fn, items, chunksize=chunksize)
