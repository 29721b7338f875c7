"""The batch output folder, written so that a kill at any moment loses nothing.

Layout (docs/corpus.md)::

    OUTDIR/works/<id[:2]>/<work_id>.json   one analysis per work; its existence means "done"
    OUTDIR/tables/<table>/part-NNNNNN.parquet
    OUTDIR/failures.jsonl                  one line per failed work
    OUTDIR/.lock                           one batch at a time

Every file appears by an atomic rename. A *part* is a set of rows for some
finished works, one file per table with the same name; the ``works`` file is
written last, so a part is committed exactly when its ``works`` file exists,
and child files without it (a kill in between) are removed on the next run.
A work whose JSON exists but whose rows never reached a part (a kill before
the flush) gets its rows rebuilt from the JSON by `Store.reconcile`; a work
in two parts (analysed again) keeps the rows of the newest part only. So
after every completed run each work has exactly one row set.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ficlens.corpus import tables
from ficlens.corpus.inputs import WorkInput
from ficlens.errors import ErrorCode, FiclensError
from ficlens.writers import write_atomic

_PART = re.compile(r"part-(\d{6,})\.parquet")


def json_path(outdir: str | Path, work_id: str) -> Path:
    """Where a work's analysis goes: sharded by the id's first two hex digits,
    so no folder holds more than 1/256 of a corpus of millions."""
    return Path(outdir) / "works" / work_id[:2] / f"{work_id}.json"


def _write_parquet_atomic(table: pa.Table, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class Store:
    """The output folder of one batch."""

    def __init__(self, outdir: str | Path) -> None:
        self.root = Path(outdir)
        self.works_dir = self.root / "works"
        self.tables_dir = self.root / "tables"
        self.failures_path = self.root / "failures.jsonl"
        self._lock: IO[bytes] | None = None

    # -- opening ---------------------------------------------------------

    def open(self) -> None:
        """Create the folders, take the lock and clear what a killed run left half-written."""
        try:
            for table in tables.TABLES:
                (self.tables_dir / table).mkdir(parents=True, exist_ok=True)
            self.works_dir.mkdir(parents=True, exist_ok=True)
            self._lock = (self.root / ".lock").open("wb")
        except OSError as err:
            raise FiclensError(ErrorCode.E008, err.strerror or str(err), str(self.root)) from None
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise FiclensError(ErrorCode.E015, "another batch is writing to it", str(self.root)) from None
        self._clean()

    def close(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def _clean(self) -> None:
        for tmp in [*self.tables_dir.glob("*/.*.tmp"), *self.works_dir.glob("*/.*.tmp")]:
            tmp.unlink(missing_ok=True)
        for table in tables.TABLES[1:]:
            for part in set(self._parts(table)) - set(self.table_files(table)):
                part.unlink()

    # -- works -----------------------------------------------------------

    def json_path(self, work_id: str) -> Path:
        return json_path(self.root, work_id)

    def done_ids(self) -> set[str]:
        """Works whose analysis is written: they are skipped on a rerun."""
        return {p.stem for p in self.works_dir.glob("*/*.json")}

    # -- parts -----------------------------------------------------------

    def _parts(self, table: str) -> list[Path]:
        return sorted(p for p in (self.tables_dir / table).glob("part-*.parquet") if _PART.fullmatch(p.name))

    def write_part(self, rows: tables.Rows) -> None:
        """Commit rows of finished works as a new part (children first, ``works`` last)."""
        if not tables.row_count(rows):
            return
        existing = [int(m.group(1)) for p in self._parts("works") if (m := _PART.fullmatch(p.name))]
        name = f"part-{max(existing, default=0) + 1:06d}.parquet"
        for table in (*tables.TABLES[1:], "works"):
            _write_parquet_atomic(tables.to_arrow(rows, table), self.tables_dir / table / name)

    def _ids_by_part(self) -> dict[str, list[str]]:
        return {
            p.name: pq.read_table(p, columns=["work_id"]).column("work_id").to_pylist()
            for p in self._parts("works")
        }

    def reconcile(self, inputs: Mapping[str, WorkInput]) -> int:
        """Give every finished work exactly one row set; return how many were rebuilt.

        Rows missing for a finished work are rebuilt from its JSON; rows of a
        work found in several parts are kept from the newest part only; rows of
        a work whose JSON was deleted are dropped: the tables mirror works/. The
        child files are rewritten before the ``works`` file, so a kill here is
        repaired by the next run doing the same again.
        """
        by_part = self._ids_by_part()
        done = self.done_ids()
        newest: dict[str, str] = {}
        for part, ids in by_part.items():  # sorted by name, so later parts win
            for work_id in ids:
                newest[work_id] = part
        for part, ids in by_part.items():
            stale = sorted({w for w in ids if newest[w] != part or w not in done})
            if stale:
                for table in (*tables.TABLES[1:], "works"):
                    path = self.tables_dir / table / part
                    data = pq.read_table(path, schema=tables.SCHEMAS[table])
                    keep = pc.invert(pc.is_in(data.column("work_id"), value_set=pa.array(stale)))
                    _write_parquet_atomic(data.filter(keep), path)
        missing = sorted(done - newest.keys())
        buffer = tables.empty_rows()
        for work_id in missing:
            analysis = json.loads(self.json_path(work_id).read_text(encoding="utf-8"))
            tables.extend(buffer, tables.rows_for(inputs.get(work_id), work_id, analysis))
            if tables.row_count(buffer) >= 500:
                self.write_part(buffer)
                buffer = tables.empty_rows()
        self.write_part(buffer)
        return len(missing)

    # -- failures --------------------------------------------------------

    def failures(self) -> dict[str, dict[str, Any]]:
        """Recorded failures by work id (a torn last line from a kill is ignored)."""
        found: dict[str, dict[str, Any]] = {}
        if self.failures_path.exists():
            for line in self.failures_path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(entry, dict) and "work_id" in entry:
                    found.setdefault(entry["work_id"], entry)
        return found

    def drop_failures(self, drop: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Rewrite failures.jsonl without these works' entries, one line per work;
        return the entries kept.

        Works since analysed and works about to be retried are dropped, so no
        work is ever recorded twice and a torn line from a kill is cleared.
        """
        gone = set(drop)
        entries = {k: v for k, v in self.failures().items() if k not in gone}
        write_atomic(self.failures_path, "".join(_jsonl(e) for e in entries.values()))
        return entries

    def record_failure(self, work: WorkInput, code: str, message: str) -> None:
        entry = {"work_id": work.work_id, "path": work.display, "code": code, "message": message}
        with self.failures_path.open("a", encoding="utf-8") as fh:
            fh.write(_jsonl(entry))
            fh.flush()
            os.fsync(fh.fileno())

    # -- reading ---------------------------------------------------------

    def table_files(self, table: str) -> list[Path]:
        """The committed part files of a table (a part whose ``works`` file is
        not written yet is left out, so a query during a run sees whole works)."""
        committed = {p.name for p in self._parts("works")}
        return [p for p in self._parts(table) if p.name in committed]


def _jsonl(entry: Mapping[str, Any]) -> str:
    return json.dumps(entry, ensure_ascii=False) + "\n"
