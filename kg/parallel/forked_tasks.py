"""Run independent stages of one build side by side in forked processes.

Validation and the exports only read the finished graph. A forked child
sees that graph without copying or pickling it; only each task's result
(bytes of a file, a validation report) travels back through a pipe. Where
``fork`` is missing (Windows, macOS spawn defaults) every task runs in the
calling process, in the same order, with the same results.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.connection import Connection
from typing import Any

Task = tuple[str, Callable[[], Any]]
#: name → (result, seconds it took)
Results = dict[str, tuple[Any, float]]


def can_fork() -> bool:
    """True where worker processes can share the parent's memory by forking."""
    return "fork" in get_all_start_methods()


def _run_group(group: Sequence[Task]) -> Results:
    results: Results = {}
    for name, task in group:
        started = time.perf_counter()
        results[name] = (task(), time.perf_counter() - started)
    return results


def _child(group: Sequence[Task], conn: Connection) -> None:
    try:
        conn.send(("ok", _run_group(group)))
    except BaseException:  # noqa: BLE001 - the parent runs the group again and raises
        conn.send(("error", None))
    finally:
        conn.close()


def run_groups(groups: Sequence[Sequence[Task]]) -> Results:
    """Run each group of tasks in order; group 0 in this process, the others
    each in a forked child, all at once. Returns every task's result and time.

    A child that dies without answering (killed, out of memory) has its
    group run again here, so a result is never lost to the fork; so does a
    child whose task raised, so that the caller gets the task's own
    exception, as without children.
    """
    groups = [g for g in groups if g]
    if len(groups) <= 1 or not can_fork():
        return _run_group([task for group in groups for task in group])
    ctx = get_context("fork")
    children = []
    for group in groups[1:]:
        receive, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child, args=(group, send), daemon=True)
        proc.start()
        send.close()
        children.append((group, proc, receive))
    results = _run_group(groups[0])
    for group, proc, receive in children:
        try:
            status, payload = receive.recv()
        except EOFError:
            status, payload = "lost", None
        finally:
            receive.close()
            proc.join()
        if status == "ok":
            results.update(payload)
        else:
            results.update(_run_group(group))
    return results
