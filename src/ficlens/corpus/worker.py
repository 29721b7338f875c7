"""What runs in a worker process, for the local pool and for Dask alike.

The pipeline (and so the spaCy model) is loaded once per process and kept in
a module-level cache; each task reads one work by path, analyses it, writes
its JSON atomically (the "done" mark, written last) and returns the table
rows and counts to the driver. A bad work never raises: its error comes back
as a result, so one work cannot stop a batch of millions.
"""

from __future__ import annotations

import os
import resource
import sys
import threading
import time
from dataclasses import dataclass, field

from ficlens import __version__
from ficlens.corpus import tables
from ficlens.corpus.inputs import WorkInput
from ficlens.corpus.store import json_path
from ficlens.errors import ErrorCode, FiclensError
from ficlens.pipeline import Pipeline, default_pipeline
from ficlens.readers import read_bytes
from ficlens.writers import json as json_writer
from ficlens.writers import write_atomic

_PIPELINE: Pipeline | None = None


@dataclass(slots=True)
class WorkResult:
    """A finished work as the driver sees it: rows on success, a coded error otherwise."""

    work: WorkInput
    rows: tables.Rows | None = None
    code: str | None = None
    message: str | None = None
    tokens: int = 0
    words: int = 0
    seconds: float = 0.0
    pid: int = field(default_factory=os.getpid)
    #: The worker process's peak resident memory so far, in bytes.
    peak_rss: int = 0


def peak_rss() -> int:
    """This process's peak resident set size in bytes (Linux reports KiB)."""
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def pipeline() -> Pipeline:
    """The standard pipeline, built (and spaCy loaded) once per process."""
    global _PIPELINE
    if _PIPELINE is None:
        from ficlens import nlp

        nlp.load()
        _PIPELINE = default_pipeline()
    return _PIPELINE


def worker_version() -> str:
    """The ficlens version a worker runs (the Dask engine checks it matches the driver's)."""
    return __version__


def _exit_with_parent(parent: int) -> None:
    """A pool worker whose driver was killed (SIGKILL) ends itself instead of
    running on as an orphan that writes into a folder a rerun now owns."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(1)


def init_local_worker(parent: int) -> None:
    """Initializer of a local pool process: watch the driver, load the models."""
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    pipeline()


def failure(work: WorkInput, err: BaseException) -> WorkResult:
    """The result of a work that could not be analysed, with its error code."""
    if isinstance(err, FiclensError):
        return WorkResult(work, code=err.code.name, message=err.at(work.display).message)
    first = str(err).splitlines()[0] if str(err) else ""
    reason = FiclensError(ErrorCode.E014, f"{type(err).__name__}: {first}", work.display)
    return WorkResult(work, code=reason.code.name, message=reason.message)


def analyse(work: WorkInput, outdir: str) -> WorkResult:
    """Analyse one work: write its JSON, return its rows (or its failure)."""
    start = time.perf_counter()
    try:
        doc = pipeline().run(read_bytes(work.read(), work.suffix()))
        analysis = doc.to_dict()
        rows = tables.rows_for(work, work.work_id, analysis)
        target = json_path(outdir, work.work_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, json_writer.dumps(analysis))
    except Exception as err:
        result = failure(work, err)
    else:
        result = WorkResult(
            work,
            rows=rows,
            tokens=len(doc.tokens) if doc.tokens is not None else 0,
            words=rows["works"]["n_words"][0],
        )
    result.seconds = time.perf_counter() - start
    result.peak_rss = peak_rss()
    return result
