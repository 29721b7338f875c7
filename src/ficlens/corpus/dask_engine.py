"""Run a batch's works on a Dask distributed cluster.

Each work is one task, `ficlens.corpus.worker.analyse`, which loads the
pipeline once per worker process (a module-level cache) and reads its input
and writes its JSON by path: inputs and OUTDIR must be on storage every worker
sees (docs/corpus.md). The driver keeps a bounded number of tasks in flight
and writes the tables and failures itself, exactly as with the local engine.
A task whose worker keeps dying (Dask's ``KilledWorker`` after its allowed
retries) is recorded as a failure.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from typing import Any

from ficlens import __version__
from ficlens.corpus.inputs import WorkInput
from ficlens.corpus.worker import WorkResult, analyse, failure, worker_version
from ficlens.errors import ErrorCode, FiclensError


class DaskEngine:
    """Tasks on the cluster at ``scheduler``, or on a LocalCluster of ``jobs`` processes."""

    def __init__(self, jobs: int, scheduler: str | None = None) -> None:
        self.jobs = jobs
        self.scheduler = scheduler
        self.client: Any = None
        self.cluster: Any = None

    def __enter__(self) -> DaskEngine:
        from dask.distributed import Client, LocalCluster

        if self.scheduler:
            self.client = Client(self.scheduler)  # type: ignore[no-untyped-call]
        else:
            self.cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=self.jobs,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            self.client = Client(self.cluster)  # type: ignore[no-untyped-call]
        self._check_workers()
        return self

    def _check_workers(self) -> None:
        """Fail at once, not once per work, when workers cannot import this ficlens:
        a misconfigured cluster must not fill failures.jsonl with every work."""
        try:
            versions: dict[str, str] = self.client.run(worker_version)
        except Exception as err:
            self.__exit__()
            raise FiclensError(ErrorCode.E017, f"a worker cannot import ficlens ({err})") from None
        wrong = sorted({v for v in versions.values() if v != __version__})
        if wrong:
            self.__exit__()
            raise FiclensError(
                ErrorCode.E017, f"workers run ficlens {', '.join(wrong)}, this driver {__version__}"
            )

    def __exit__(self, *_: object) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        self.client = self.cluster = None

    def results(self, works: Iterable[WorkInput], outdir: str) -> Iterator[WorkResult]:
        from dask.distributed import as_completed
        from distributed.scheduler import KilledWorker

        client = self.client
        assert client is not None, "use the engine as a context manager"
        pending = iter(works)
        flight: dict[str, WorkInput] = {}
        queue = as_completed()  # type: ignore[no-untyped-call]
        limit, checked = 0, float("-inf")

        def fill() -> None:
            """Keep two tasks per worker thread in flight; workers may join (or leave)
            during the run, so their number is asked again every few seconds."""
            nonlocal limit, checked
            if time.monotonic() - checked > 5:
                limit, checked = 2 * max(1, sum(client.nthreads().values())), time.monotonic()
            while len(flight) < limit and (work := next(pending, None)) is not None:
                future = client.submit(analyse, work, outdir, key=f"ficlens-analyse-{work.work_id}")
                flight[future.key] = work
                queue.add(future)  # type: ignore[no-untyped-call]

        fill()
        for future in queue:
            work = flight.pop(future.key)
            try:
                result: WorkResult = future.result()
            except KilledWorker as err:  # the work kept killing its workers: it fails, the batch goes on
                result = failure(work, err)
            except Exception as err:  # a lost scheduler: stop; a rerun resumes
                raise FiclensError(ErrorCode.E017, f"{type(err).__name__}: {err}") from None
            future.release()
            yield result
            fill()
