"""The worker processes behind ``kg serve``: admission, deadlines, replacement.

A fixed number of worker processes (``kg.query.worker``) each hold the
store open and answer one task at a time; that number is the bound on the
queries that run at once. A request takes an idle worker, or waits for one
in a first-come first-served queue of bounded length for a bounded time;
beyond either bound it is refused (``Busy``: the front answers 503 with
Retry-After).

The front waits for a worker's reply with a deadline. A worker that misses
it, whose client hung up meanwhile, or that died, is killed and replaced by a
fresh process: that is the only way to stop a running pyoxigraph query.

Workers are started with the "forkserver" method where the platform has it
("spawn" elsewhere), never by forking the threaded HTTP server: a fork
copies locks other threads may hold. The fork server preloads the worker
module, so a replacement is ready in milliseconds.
"""
from __future__ import annotations

import multiprocessing
import socket
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path

from kg.query.worker import Reply, Task, worker_main
from kg.query.store import StoreError

#: How long a new worker may take to import and open the store.
START_SECONDS = 60.0
#: How long a stopping worker may take to finish before it is killed.
STOP_SECONDS = 2.0


class Busy(Exception):
    """No worker is free and the queue is full, or the wait for one ran out."""


class Deadline(Exception):
    """The worker did not answer within the time limit; it has been replaced."""


class ClientGone(Exception):
    """The client closed its connection while its query ran; the worker has been replaced."""


class WorkerLost(Exception):
    """The worker died while answering (or the pool is closing)."""


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        # Only read when the fork server starts (once per process); the
        # workers then start from an interpreter that has imported kg.query.engine.
        ctx.set_forkserver_preload(["kg.query.worker"])
        return ctx
    return multiprocessing.get_context("spawn")


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection


@dataclass(eq=False)
class _Waiter:
    event: threading.Event = field(default_factory=threading.Event)
    worker: _Worker | None = None


def client_hung_up(sock: socket.socket) -> bool:
    """Whether a readable client socket was closed (rather than sent more bytes)."""
    try:
        return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except (BlockingIOError, InterruptedError):
        return False
    except OSError:  # reset
        return True


class WorkerPool:
    """``workers`` processes serving the store at ``store_path``; see the module docstring."""

    def __init__(self, store_path: Path, *, workers: int, read_only: bool, timeout: float,
                 max_queue: int, queue_timeout: float | None = None):
        if workers < 1:
            raise ValueError("a pool needs at least one worker")
        if timeout <= 0:
            raise ValueError("the time limit must be positive")
        self.store_path = str(store_path)
        self.read_only = read_only
        self.size = workers
        self.timeout = timeout
        self.max_queue = max(0, max_queue)
        self.queue_timeout = timeout if queue_timeout is None else queue_timeout
        self._ctx = _context()
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._waiters: deque[_Waiter] = deque()
        self._starting = 0
        self._closed = False
        try:
            for _ in range(workers):
                self._idle.append(self._start_worker())
        except BaseException:
            self.close()
            raise

    # -- processes -------------------------------------------------------------

    def _start_worker(self) -> _Worker:
        """A new worker that has opened the store; ``StoreError`` if it could not."""
        ours, theirs = self._ctx.Pipe()
        process = self._ctx.Process(target=worker_main, args=(theirs, self.store_path, self.read_only),
                                    name="kg-serve-worker", daemon=True)
        process.start()
        theirs.close()  # so that its death reads as EOF on our end
        worker = _Worker(process, ours)
        try:
            if not ours.poll(START_SECONDS):
                raise StoreError(f"a query worker did not open the store at {self.store_path} in {START_SECONDS:.0f} s")
            message = ours.recv()
        except (EOFError, OSError) as exc:
            self._kill(worker)
            raise StoreError(f"a query worker died while opening the store at {self.store_path} ({exc!r})") from exc
        except StoreError:
            self._kill(worker)
            raise
        if message[0] != "ready":
            self._kill(worker)
            raise StoreError(message[1])
        return worker

    @staticmethod
    def _kill(worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join(STOP_SECONDS)
        worker.conn.close()

    @staticmethod
    def _stop(worker: _Worker) -> None:
        try:
            worker.conn.send(None)
        except (OSError, ValueError):
            pass
        worker.process.join(STOP_SECONDS)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(STOP_SECONDS)
        worker.conn.close()

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker now and start its successor in the background."""
        with self._lock:
            self._busy.discard(worker)
            closed = self._closed
            if not closed:
                self._starting += 1
        self._kill(worker)
        if not closed:
            threading.Thread(target=self._restart, name="kg-serve-restart", daemon=True).start()

    def _restart(self) -> None:
        delay = 1.0
        while True:
            try:
                worker = self._start_worker()
            except StoreError as exc:
                with self._lock:
                    if self._closed:
                        self._starting -= 1
                        return
                print(f"kg serve: cannot start a query worker, trying again in {delay:.0f} s: {exc}",
                      file=sys.stderr, flush=True)
                time.sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            with self._lock:
                self._starting -= 1
            self._release(worker)
            return

    # -- admission ---------------------------------------------------------------

    def _acquire(self) -> _Worker:
        with self._lock:
            if self._closed:
                raise WorkerLost("the server is stopping")
            if self._idle and not self._waiters:
                worker = self._idle.pop()
                self._busy.add(worker)
                return worker
            if len(self._waiters) >= self.max_queue:
                raise Busy(f"all {self.size} query workers are busy and {len(self._waiters)} requests are waiting")
            waiter = _Waiter()
            self._waiters.append(waiter)
        waiter.event.wait(self.queue_timeout)
        with self._lock:
            if waiter.worker is not None:  # handed over, perhaps just as the wait ran out
                return waiter.worker
            try:
                self._waiters.remove(waiter)
            except ValueError:
                pass
            if self._closed:
                raise WorkerLost("the server is stopping")
        raise Busy(f"no query worker came free in {self.queue_timeout:g} s")

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            if not self._closed:
                if self._waiters:
                    waiter = self._waiters.popleft()
                    waiter.worker = worker
                    self._busy.add(worker)
                    waiter.event.set()
                else:
                    self._busy.discard(worker)
                    self._idle.append(worker)
                return
            self._busy.discard(worker)
        self._stop(worker)

    # -- the one public operation ---------------------------------------------------

    def submit(self, task: Task, client: socket.socket | None = None) -> Reply:
        """The worker's reply to ``task``.

        Raises ``Busy`` (refused at admission), ``Deadline`` (ran past the
        limit), ``ClientGone`` (``client`` closed its connection meanwhile) or
        ``WorkerLost``. A worker whose query had started is replaced in those
        three cases.
        """
        worker = self._acquire()
        if client is not None and wait([client], 0) and client_hung_up(client):
            self._release(worker)  # it gave up while waiting in the queue: no need to start
            raise ClientGone()
        try:
            worker.conn.send(task)
            deadline = time.monotonic() + self.timeout
            watched: list = [worker.conn] if client is None else [worker.conn, client]
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise Deadline(self.timeout)
                ready = wait(watched, remaining)
                if worker.conn in ready:
                    reply = worker.conn.recv()
                    break
                if client is not None and client in ready:
                    if client_hung_up(client):
                        raise ClientGone()
                    watched = [worker.conn]  # it sent more (pipelining): stop watching
        except (EOFError, OSError) as exc:
            self._replace(worker)
            raise WorkerLost(f"the query worker died ({exc!r})") from exc
        except BaseException:
            self._replace(worker)
            raise
        self._release(worker)
        return reply

    def counts(self) -> dict[str, int]:
        """Workers idle, busy and starting, and requests waiting (for tests and diagnostics)."""
        with self._lock:
            return {"idle": len(self._idle), "busy": len(self._busy), "starting": self._starting,
                    "waiting": len(self._waiters)}

    def close(self) -> None:
        """Refuse new work, wake the waiting, stop every worker (killing busy ones)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            idle, busy = list(self._idle), list(self._busy)
            self._idle.clear()
            waiters = list(self._waiters)
            self._waiters.clear()
        for waiter in waiters:
            waiter.event.set()
        for worker in busy:
            worker.process.kill()  # their request threads see EOF and give up
        for worker in idle:
            self._stop(worker)
        for worker in busy:
            worker.process.join(STOP_SECONDS)
