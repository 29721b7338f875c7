"""Run a batch: enumerate works, skip finished ones, analyse the rest in
parallel, record rows and failures as results arrive, then reconcile.

The driver is the only writer of tables and failures.jsonl; workers write
only their own works' JSON. Engines differ only in how tasks reach worker
processes: `LocalEngine` (a process pool on this machine) or
`ficlens.corpus.dask_engine.DaskEngine` (a Dask distributed cluster).
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path
from types import TracebackType
from typing import Protocol

from rich.console import Console

from ficlens.corpus import tables
from ficlens.corpus.inputs import WorkInput, enumerate_works
from ficlens.corpus.progress import BatchProgress, BatchSummary
from ficlens.corpus.store import Store
from ficlens.corpus.worker import WorkResult, analyse, failure, init_local_worker
from ficlens.errors import ErrorCode, FiclensError

#: A part is committed after this many finished works, or this many seconds.
PART_WORKS = 500
PART_SECONDS = 60.0


class Engine(Protocol):
    """Runs `ficlens.corpus.worker.analyse` over works, yielding results as they finish."""

    def __enter__(self) -> Engine: ...

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    def results(self, works: Iterable[WorkInput], outdir: str) -> Iterator[WorkResult]: ...


class WorkerDied(FiclensError):
    """A worker process died (killed, out of memory, crashed) while analysing this work alone."""

    def __init__(self) -> None:
        super().__init__(ErrorCode.E014, "the worker process died (out of memory, or killed)")


class LocalEngine:
    """A pool of ``jobs`` worker processes (spawned, each loading the models once).

    At most two tasks per worker are in flight, so memory does not grow with
    the corpus. When a worker dies, the pool is rebuilt and the works that were
    in flight are retried one at a time: a work that kills a worker alone is
    recorded as a failure, and the others go on.
    """

    def __init__(
        self,
        jobs: int,
        task: Callable[[WorkInput, str], WorkResult] = analyse,
        initializer: Callable[[int], None] = init_local_worker,
    ) -> None:
        self.jobs = jobs
        self.task = task
        self.initializer = initializer
        self.pool: ProcessPoolExecutor | None = None

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=get_context("spawn"),
            initializer=self.initializer,
            initargs=(os.getpid(),),
        )

    def __enter__(self) -> LocalEngine:
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(var, "1")  # one core per worker: no oversubscription
        self.pool = self._new_pool()
        return self

    def __exit__(self, *_: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def results(self, works: Iterable[WorkInput], outdir: str) -> Iterator[WorkResult]:
        assert self.pool is not None, "use the engine as a context manager"
        pending = iter(works)
        suspects: deque[WorkInput] = deque()
        flight: dict[Future[WorkResult], WorkInput] = {}
        isolated = False  # True while a suspect runs alone
        while True:
            if suspects:
                if not flight:
                    work = suspects.popleft()
                    flight[self.pool.submit(self.task, work, outdir)] = work
                    isolated = True
            else:
                isolated = False
                while len(flight) < 2 * self.jobs and (new := next(pending, None)) is not None:
                    flight[self.pool.submit(self.task, new, outdir)] = new
            if not flight:
                return
            done, _ = wait(flight, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                work = flight.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    if isolated:
                        yield failure(work, WorkerDied())
                    else:
                        suspects.append(work)
                    broken = True
            if broken:
                for future, work in flight.items():
                    if future.done() and future.exception() is None:
                        yield future.result()
                    else:
                        suspects.append(work)
                flight.clear()
                self.pool.shutdown(wait=False, cancel_futures=True)
                self.pool = self._new_pool()


def available_cores() -> int:
    """The cores this process may run on (a container's or a job's share, not the machine's)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def make_engine(engine: str, jobs: int, scheduler: str | None) -> Engine:
    if engine == "local":
        if scheduler:
            raise FiclensError(ErrorCode.E013, "--scheduler needs --engine dask")
        return LocalEngine(jobs)
    if engine == "dask":
        from ficlens.corpus.dask_engine import DaskEngine

        return DaskEngine(jobs, scheduler)
    raise FiclensError(ErrorCode.E013, f"unknown engine {engine!r}; choose local or dask")


def run_batch(
    inputs: Iterable[str | Path],
    outdir: str | Path,
    *,
    jobs: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    retry_failures: bool = False,
    part_works: int = PART_WORKS,
    console: Console | None = None,
    live: bool | None = None,
) -> BatchSummary:
    """Analyse every work of ``inputs`` into ``outdir``; safe to rerun after any kill.

    Finished works (their JSON exists) are skipped; works recorded in
    failures.jsonl are skipped unless ``retry_failures``. ``live`` forces the
    progress bar on or off (default: on when the console is a terminal).
    """
    jobs = available_cores() if jobs is None else jobs
    if jobs < 1:
        raise FiclensError(ErrorCode.E013, f"--jobs must be at least 1, not {jobs}")
    runner = make_engine(engine, jobs, scheduler)
    works = {w.work_id: w for w in enumerate_works(inputs)}
    console = console or Console(stderr=True)
    store = Store(outdir)
    store.open()
    try:
        done = store.done_ids()
        kept = store.drop_failures(done | (works.keys() if retry_failures else set()))
        failed = works.keys() & kept.keys()
        todo = [w for w in works.values() if w.work_id not in done and w.work_id not in failed]
        summary = BatchSummary(
            str(outdir),
            total=len(works),
            already_done=len(works.keys() & done),
            failed_before=len(failed),
        )
        buffer = tables.empty_rows()
        flushed = time.monotonic()
        with BatchProgress(summary, console, live) as bar, runner:
            bar.start(len(todo))
            try:
                for result in runner.results(todo, str(store.root.absolute())):
                    if result.rows is None:
                        store.record_failure(result.work, result.code or "", result.message or "")
                        summary.failed += 1
                    else:
                        tables.extend(buffer, result.rows)
                        summary.analysed += 1
                        summary.tokens += result.tokens
                        summary.words += result.words
                    summary.peak_rss[result.pid] = max(result.peak_rss, summary.peak_rss.get(result.pid, 0))
                    bar.advance()
                    if tables.row_count(buffer) >= part_works or time.monotonic() - flushed > PART_SECONDS:
                        store.write_part(buffer)
                        buffer, flushed = tables.empty_rows(), time.monotonic()
            finally:
                store.write_part(buffer)  # rows of finished works, even when interrupted
        summary.rebuilt = store.reconcile(works)
        return summary
    finally:
        store.close()
