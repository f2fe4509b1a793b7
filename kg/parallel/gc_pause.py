"""Keeping Python's cyclic garbage collector out of a build's way.

A build makes millions of objects that live until it ends (documents,
extractions, the graph) and almost no reference cycles: the collector's
full passes find nothing to free, yet they revisit every object and grow
with the heap (a quarter of the graph stage at 10,000 documents); and a
forked worker whose collector walks the objects it
inherited writes to their pages, which the kernel must then copy.
Checked: 500 extracted documents leave no cyclic garbage at all, and what
the collector finds after a whole build is that build's own rdflib graph
(its store and terms), which lives until the build ends anyway.
"""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Freeze what exists now and switch the cyclic collector off until the
    block ends; processes forked inside inherit both. Undone on the way
    out, so that a long-lived caller (a test session) collects as before.
    Inside another such block (the collector already off) it does nothing:
    unfreezing there would undo the outer block's freeze."""
    if not gc.isenabled():
        yield
        return
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.enable()
