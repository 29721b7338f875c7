"""Corpus-scale batch runs: many works in, per-work JSON and Parquet tables out.

`run_batch` is the API behind ``ficlens batch``; `query` behind ``ficlens
sql``. docs/corpus.md documents the output folder, the tables and resuming.
"""

from __future__ import annotations

from ficlens.corpus.progress import BatchSummary
from ficlens.corpus.run import run_batch
from ficlens.corpus.sql import connect, query

__all__ = ["BatchSummary", "connect", "query", "run_batch"]
