"""Query a batch's tables with DuckDB: each table is a view over its Parquet parts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa

from ficlens.corpus import tables
from ficlens.corpus.store import Store
from ficlens.errors import ErrorCode, FiclensError

#: The columns of failures.jsonl, queried as the view ``failures``.
FAILURES = pa.schema(
    [("work_id", pa.string()), ("path", pa.string()), ("code", pa.string()), ("message", pa.string())]
)


def connect(outdir: str | Path) -> Any:
    """An in-memory DuckDB connection with a view per table (``works``, ``quotes``, …)
    and ``failures`` over failures.jsonl."""
    import duckdb

    store = Store(outdir)
    if not store.tables_dir.is_dir():
        reason = "it has no tables/ folder (run `ficlens batch` first)"
        raise FiclensError(ErrorCode.E015, reason, str(outdir))
    con = duckdb.connect()
    for name in tables.TABLES:
        files = ", ".join("'" + str(p).replace("'", "''") + "'" for p in store.table_files(name))
        if files:
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet([{files}])")
        else:  # no work finished yet: an empty table with the documented columns
            con.register(f"_{name}_empty", tables.SCHEMAS[name].empty_table())
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM _{name}_empty")
    failures = store.failures()  # small: one line per failed work
    con.register("_failures", pa.Table.from_pylist(list(failures.values()), schema=FAILURES))
    con.execute("CREATE VIEW failures AS SELECT * FROM _failures")
    return con


def query(outdir: str | Path, sql: str) -> Any:
    """Run ``sql`` over the tables of ``outdir``; the result as a pyarrow Table."""
    import duckdb

    con = connect(outdir)
    try:
        return con.sql(sql).to_arrow_table()
    except duckdb.Error as err:
        raise FiclensError(ErrorCode.E016, str(err).splitlines()[0]) from None
    finally:
        con.close()


def print_result(result: Any, fmt: str = "table") -> None:
    """Print a query result to stdout as an aligned table, CSV or JSON lines."""
    import csv
    import json
    import sys

    names: list[str] = result.column_names
    rows: list[dict[str, Any]] = result.to_pylist()
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(names)
        writer.writerows([row[n] for n in names] for row in rows)
    elif fmt == "jsonl":
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(*names)
        for row in rows:
            table.add_row(*("" if row[n] is None else str(row[n]) for n in names))
        Console(width=max(80, 24 * len(names))).print(table)
