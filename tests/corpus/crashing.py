"""Worker tasks for testing the local engine without loading models: one work
kills its worker process, the others succeed at once."""

from __future__ import annotations

import os
import time

from ficlens.corpus import tables
from ficlens.corpus.inputs import WorkInput
from ficlens.corpus.worker import WorkResult


def no_models(parent: int) -> None:
    """A pool initializer that loads nothing."""


def crash_on_boom(work: WorkInput, outdir: str) -> WorkResult:
    if "boom" in work.key:
        time.sleep(0.1)  # dies while the other worker is busy with an innocent work
        os._exit(3)
    time.sleep(0.3)
    return WorkResult(work, rows=tables.empty_rows())
