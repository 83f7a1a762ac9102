"""Run a function over a stream of items on several processes, results in input order.

The items are cut into chunks and at most a few chunks per worker are in flight,
so neither the parent nor a worker ever holds more than a window of results,
however long the stream is. Results come back in exactly the order of the
items, so the output of a run does not depend on the number of processes.

Spawn-safe: workers receive the function (by reference) and its arguments once,
through the pool's initializer, and rely on nothing inherited from a fork.
``multiprocessing`` is imported only when a pool is really started.
"""
from __future__ import annotations

import itertools
import math
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from policylint.errors import PolicylintError

T = TypeVar("T")
R = TypeVar("R")

# Below this many files, starting processes costs more than it saves: two forked
# workers take 20-70 ms to start and stop on a 2-CPU machine (spawned ones, which
# import everything again, ~0.6 s), about the time of linting 50 files once the
# per-file cost is in the low milliseconds. Revisit with bench/run.py.
AUTO_MIN_ITEMS = 50
# How far ahead of the run the planner looks to count the items.
LOOKAHEAD = 512
# A chunk is the unit of work sent to a worker: big enough that inter-process
# traffic is noise, small enough that the last chunks balance across workers.
MAX_CHUNK = 32
# Chunks in flight per worker: enough to keep every worker busy while the
# parent writes output, few enough that memory stays bounded.
WINDOW_PER_WORKER = 4
# None: the platform's default start method (fork is used on Linux when safe).
START_METHOD: str | None = None


def cpu_count() -> int:
    """CPUs this process may run on (the affinity mask, not the machine's total)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def plan(jobs: int | None, items: Iterable[T]) -> tuple[int, int, Iterator[T]]:
    """Workers and chunk size for a run, and the items (of which a few were looked at).

    ``jobs`` None means: every CPU when there are at least AUTO_MIN_ITEMS
    items, one process otherwise. An explicit ``jobs`` is an upper bound: a run
    with fewer chunks than workers starts fewer workers.
    """
    stream = iter(items)
    head = list(itertools.islice(stream, LOOKAHEAD))
    rest: Iterator[T] = itertools.chain(head, stream)
    total = len(head) if len(head) < LOOKAHEAD else None  # None: more than we looked at
    if jobs is None:
        jobs = cpu_count() if total is None or total >= AUTO_MIN_ITEMS else 1
    if jobs <= 1 or (total is not None and total <= 1):
        return 1, total or 1, rest
    if total is None:
        return jobs, MAX_CHUNK, rest
    chunk = max(1, min(MAX_CHUNK, math.ceil(total / (jobs * WINDOW_PER_WORKER))))
    return min(jobs, math.ceil(total / chunk)), chunk, rest


def _start_method() -> str | None:
    if START_METHOD:
        return START_METHOD
    # fork starts a worker in milliseconds instead of re-importing everything,
    # but is only safe on Linux in a process without other threads.
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return "fork"
    return None


# --- worker side -----------------------------------------------------------------

_job: tuple[Callable[..., Any], tuple[Any, ...]] | None = None


def _init_worker(func: Callable[..., Any], args: tuple[Any, ...]) -> None:
    global _job
    # Ctrl-C reaches every process of the terminal's group; only the parent
    # should react to it (and then stops the workers), or each worker would
    # print its own traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _job = (func, args)


def _run_chunk(chunk: list[Any]) -> list[Any]:
    assert _job is not None, "worker used before its initializer ran"
    func, args = _job
    return [func(item, *args) for item in chunk]


# --- parent side -----------------------------------------------------------------


def _chunks(items: Iterator[T], size: int) -> Iterator[list[T]]:
    while chunk := list(itertools.islice(items, size)):
        yield chunk


def _stop(executor: Any) -> None:
    """Terminate the workers now (not after their current chunk) and reap them."""
    terminate = getattr(executor, "terminate_workers", None)  # Python 3.14+
    if terminate is not None:
        terminate()
    else:
        for process in list(getattr(executor, "_processes", {}).values()):
            process.terminate()
    executor.shutdown(wait=True, cancel_futures=True)


def _describe(chunk: list[Any]) -> str:
    names = [str(item) for item in chunk[:3]]
    return ", ".join(names) + (f" and {len(chunk) - 3} more" if len(chunk) > 3 else "")


def map_ordered(func: Callable[..., R], args: tuple[Any, ...], items: Iterable[T], workers: int,
                chunk_size: int, start_method: str | None = None) -> Iterator[R]:
    """``func(item, *args)`` for each item, computed by ``workers`` processes, in item order.

    ``func`` must be a module-level function and ``args`` picklable. Closing the
    iterator early, an exception or Ctrl-C stops and reaps every worker; a worker
    that dies (killed, out of memory) ends the run with a PolicylintError
    instead of leaving it waiting forever.
    """
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context(start_method or _start_method())
    executor = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(func, args))
    chunks = _chunks(iter(items), chunk_size)
    pending: deque[tuple[list[T], Future[list[R]]]] = deque()

    def submit(chunk: list[T]) -> None:
        try:
            future = executor.submit(_run_chunk, chunk)
        except BrokenProcessPool as exc:  # a worker died since the last submission
            future = Future()
            future.set_exception(exc)
        pending.append((chunk, future))

    finished = False
    try:
        # Workers start on the first submissions. A Ctrl-C before a worker's
        # initializer ran would give that worker a traceback, so they inherit
        # "ignore SIGINT" from this window; the parent handles Ctrl-C alone.
        in_main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if in_main_thread else None
        try:
            for chunk in itertools.islice(chunks, workers * WINDOW_PER_WORKER):
                submit(chunk)
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)
        while pending:
            chunk, future = pending.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                # Chunks that finished before the death still count; the culprit is
                # in this chunk or one submitted after it.
                last = pending[-1][0] if pending else chunk
                raise PolicylintError(
                    f"a worker process stopped unexpectedly (killed, or out of memory?) while linting "
                    f"the files from {chunk[0]} to {last[-1]}; run with --jobs 1 to find the file") from None
            # Refill before handing results out, so workers never wait on the writer.
            following = next(chunks, None)
            if following is not None:
                submit(following)
            yield from results
        finished = True
    finally:
        if finished:
            executor.shutdown(wait=True)
        else:
            _stop(executor)
