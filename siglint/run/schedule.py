"""Running one function over many items, on several cores when that pays off, in input order.

Results come back in the order of the items whatever the scheduling, so output stays
deterministic. A worker process that dies breaks its pool, so the chunks left unfinished are run
again one process each: only the chunk whose process dies again gets `on_lost(item)` results, and
the run goes on.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

# multiprocessing and concurrent.futures cost ~15 ms to import: only a parallel run imports them.

Item = TypeVar("Item")
Result = TypeVar("Result")

# A process costs a few ms to start and a small model about a millisecond to check: below this
# many items one process is faster.
MIN_ITEMS_PER_PROCESS = 64
CHUNKS_PER_PROCESS = 8  # small chunks balance the load; each costs a round trip


def available_cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def processes_for(items: int, jobs: int | None) -> int:
    """How many processes to use for `items` items: `jobs` (None: one per CPU) at most, and one
    unless each would get MIN_ITEMS_PER_PROCESS."""
    limit = available_cpus() if jobs is None else max(jobs, 1)
    return max(1, min(limit, items // MIN_ITEMS_PER_PROCESS))


def run(
    function: Callable[[Sequence[Item]], list[Result]],
    items: Sequence[Item],
    *,
    jobs: int | None,
    on_lost: Callable[[Item], Result],
    progress: Callable[[int, int], None] | None = None,
) -> list[Result]:
    """`function`, which maps a chunk of items to their results (one each, and picklable, as is
    `function`), over `items`."""
    processes = processes_for(len(items), jobs)
    if processes == 1:
        results: list[Result] = []
        for item in items:
            results += function([item])
            if progress:
                progress(len(results), len(items))
        return results
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    size = max(1, -(-len(items) // (processes * CHUNKS_PER_PROCESS)))
    chunks = [items[start : start + size] for start in range(0, len(items), size)]
    with ProcessPoolExecutor(processes, mp_context=_context(), initializer=exit_with_parent, initargs=(os.getpid(),)) as pool:
        futures = [pool.submit(function, chunk) for chunk in chunks]
        _wait_all(futures, chunks, len(items), progress)
    results = []
    for future, chunk in zip(futures, chunks):
        try:
            results += future.result()
        except BrokenProcessPool:
            results += _alone(function, chunk, on_lost)
    return results


def exit_with_parent(parent: int) -> None:
    """A worker's first act: make sure it dies with its parent. A CI job's timeout kills
    `siglint check` with SIGKILL, which no handler can see, and its workers would otherwise wait
    on their queue forever. Linux sends the signal itself (PR_SET_PDEATHSIG); elsewhere, and as a
    fallback, a thread checks the parent is still there twice a second."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)
    import threading

    threading.Thread(target=_watch_parent, args=(parent,), name="siglint-parent-watch", daemon=True).start()


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _watch_parent(parent: int) -> None:
    import time

    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _context() -> Any:
    import multiprocessing

    # fork starts a worker in milliseconds with siglint already imported; macOS and Windows
    # cannot fork safely, and use their default (spawn).
    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)


def _wait_all(
    futures: list[Future[Any]],
    chunks: list[Sequence[Any]],
    total: int,
    progress: Callable[[int, int], None] | None,
) -> None:
    from concurrent.futures import FIRST_COMPLETED, wait

    sizes = {future: len(chunk) for future, chunk in zip(futures, chunks)}
    pending, done_items = set(futures), 0
    while pending:
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        done_items += sum(sizes[future] for future in done)
        if progress:
            progress(done_items, total)


def _alone(
    function: Callable[[Sequence[Item]], list[Result]],
    chunk: Sequence[Item],
    on_lost: Callable[[Item], Result],
) -> list[Result]:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(1, mp_context=_context(), initializer=exit_with_parent, initargs=(os.getpid(),)) as pool:
        try:
            return pool.submit(function, chunk).result()
        except BrokenProcessPool:
            return [on_lost(item) for item in chunk]
