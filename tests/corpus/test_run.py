"""Batch runs end to end: JSON per work, failures.jsonl, tables against the
JSON, rerunning, retrying, repairing rows after a crash, and `ficlens sql`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ficlens.corpus import query, tables
from ficlens.corpus.inputs import enumerate_works
from ficlens.corpus.progress import BatchSummary
from tests.conftest import REPO, assert_valid
from tests.corpus.conftest import GOOD, analyses, assert_one_row_set_per_work, batch, read_table


def test_every_good_work_has_a_valid_json(done: tuple[Path, BatchSummary], corpus: dict[str, Path]) -> None:
    outdir, summary = done
    assert (summary.total, summary.analysed, summary.failed) == (GOOD + 1, GOOD, 1)
    assert summary.tokens > 1000 and summary.works_per_second > 0
    assert len(summary.peak_rss) == 1  # --jobs 1: one worker process (one model load) did every work
    ids = {w.work_id for w in enumerate_works([corpus["folder"], corpus["zip"]]) if "bad" not in w.key}
    found = analyses(outdir)
    assert set(found) == ids
    for analysis in found.values():
        assert_valid(analysis)


def test_a_bad_work_is_recorded_once_in_failures(done: tuple[Path, BatchSummary]) -> None:
    outdir, _ = done
    lines = (outdir / "failures.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["path"].endswith("bad.txt") and entry["code"] == "E001"
    assert "[E001] not a text document" in entry["message"]
    assert not list(outdir.glob(f"works/*/{entry['work_id']}.json"))


def test_tables_match_the_json(done: tuple[Path, BatchSummary]) -> None:
    outdir, _ = done
    assert_one_row_set_per_work(outdir, GOOD)
    assert len(list((outdir / "tables" / "works").glob("part-*.parquet"))) == 3  # --part-works 2
    for name in tables.TABLES:
        for part in (outdir / "tables" / name).glob("*.parquet"):
            assert pq.read_schema(part) == tables.SCHEMAS[name]
    works = {r["key"]: r for r in read_table(outdir, "works")}
    ao3 = works["fics/sub/oneshot.html"]
    assert ao3["source_format"] == "ao3-html" and ao3["fandoms"] == ["Night Bus (Radio)"]
    assert ao3["ao3_id"] and ao3["title"] == "Small Hours" and ao3["words_stated"]
    assert works["archive.zip!/works/zipped1.txt"]["path"].endswith("archive.zip!/works/zipped1.txt")


def test_sql_queries_the_tables(done: tuple[Path, BatchSummary]) -> None:
    outdir, _ = done
    result = query(outdir, "select count(*) as n, sum(n_quotes) as q from works").to_pylist()
    assert result == [{"n": GOOD, "q": len(read_table(outdir, "quotes"))}]
    assert query(outdir, "select code from failures").to_pylist() == [{"code": "E001"}]
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "ficlens",
            "sql",
            str(outdir),
            "select key from works order by key",
            "-f",
            "csv",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert cli.returncode == 0, cli.stderr
    assert cli.stdout.splitlines()[:2] == ["key", "archive.zip!/works/zipped1.txt"]
    bad = subprocess.run(
        [sys.executable, "-m", "ficlens", "sql", str(outdir), "select nope from works"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert bad.returncode == 2 and "[E016]" in bad.stderr and "Traceback" not in bad.stderr


def test_a_rerun_skips_finished_and_failed_works(
    done: tuple[Path, BatchSummary], corpus: dict[str, Path], tmp_path: Path
) -> None:
    outdir = tmp_path / "out"
    shutil.copytree(done[0], outdir)
    inputs = [corpus["folder"], corpus["zip"]]
    again = batch(inputs, outdir)
    assert (again.already_done, again.failed_before, again.analysed, again.failed) == (GOOD, 1, 0, 0)
    retried = batch(inputs, outdir, retry_failures=True)
    assert (retried.analysed, retried.failed) == (0, 1)
    assert len((outdir / "failures.jsonl").read_text(encoding="utf-8").splitlines()) == 1
    assert_one_row_set_per_work(outdir, GOOD)


def test_lost_and_duplicated_rows_are_repaired(
    done: tuple[Path, BatchSummary], corpus: dict[str, Path], tmp_path: Path
) -> None:
    """A kill after a JSON was written but before its part (rows lost), a work
    analysed twice (rows duplicated) and a JSON deleted by hand all end with
    the tables mirroring works/: one row set per JSON."""
    outdir = tmp_path / "out"
    shutil.copytree(done[0], outdir)
    for name in tables.TABLES:
        (outdir / "tables" / name / "part-000001.parquet").unlink()  # lost
        folder = outdir / "tables" / name
        shutil.copy(folder / "part-000002.parquet", folder / "part-000007.parquet")  # duplicated
    (outdir / "tables" / "quotes" / "part-000009.parquet").write_bytes(b"half a part")  # orphan child part
    zipped = {r["work_id"] for r in read_table(outdir, "works") if r["key"].startswith("archive.zip")}
    (outdir / "works" / min(zipped)[:2] / f"{min(zipped)}.json").unlink()  # removed by hand
    summary = batch([corpus["folder"]], outdir)  # the zip is no longer an input
    assert (summary.analysed, summary.rebuilt) == (0, 2)
    assert not (outdir / "tables" / "quotes" / "part-000009.parquet").exists()
    assert_one_row_set_per_work(outdir, GOOD - 1)


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["MISSING"], "no such file or folder"),
        (["--jobs", "0"], "--jobs must be at least 1"),
        (["--engine", "spark"], "unknown engine 'spark'"),
        (["--scheduler", "tcp://localhost:1"], "--scheduler needs --engine dask"),
    ],
)
def test_bad_arguments_exit_2_before_touching_outdir(
    args: list[str], reason: str, corpus: dict[str, Path], tmp_path: Path
) -> None:
    inputs = [str(tmp_path / "missing")] if args == ["MISSING"] else [str(corpus["folder"]), *args]
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "ficlens", "batch", *inputs, "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 2 and "[E013]" in result.stderr and reason in result.stderr, result.stderr
    assert not out.exists()


def test_a_works_json_is_what_analyze_gives(done: tuple[Path, BatchSummary], corpus: dict[str, Path]) -> None:
    from ficlens.pipeline import analyze_path

    outdir, _ = done
    rows = {r["key"]: r["work_id"] for r in read_table(outdir, "works")}
    for key in ("fics/sub/oneshot.html", "fics/story2.txt"):
        path = corpus["folder"] / key.removeprefix("fics/")
        assert analyses(outdir)[rows[key]] == analyze_path(path).to_dict(), key


def test_one_batch_at_a_time_per_outdir(corpus: dict[str, Path], tmp_path: Path) -> None:
    from ficlens.corpus.store import Store
    from ficlens.errors import FiclensError

    running = Store(tmp_path / "out")
    running.open()
    try:
        with pytest.raises(FiclensError) as err:
            batch([corpus["folder"]], tmp_path / "out")
        assert err.value.code.name == "E015" and "another batch" in err.value.message
    finally:
        running.close()
    assert not list((tmp_path / "out" / "works").iterdir())
