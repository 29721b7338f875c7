"""Small hand-made corpora for the batch tests: short stories, an AO3 download,
a zip archive of works, and one input that is not text at all."""

from __future__ import annotations

import json
import random
import sys
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from rich.console import Console

from ficlens.corpus import BatchSummary, run_batch
from tests.conftest import FIXTURES, REPO

EXAMPLE = (REPO / "examples" / "the_lamp_room.txt").read_text(encoding="utf-8")
#: Name swaps that make distinct works out of the example story.
CASTS = [("Mara", "Tobias"), ("Ada", "Felix"), ("Nell", "Oscar"), ("Ruth", "Silas"), ("Iris", "Hugo")]
GOOD = 6  # in make_corpus: 3 stories, the AO3 one-shot, 2 zipped stories


def story(k: int, chars: int = 2500) -> str:
    """A short story: the example's opening with the k-th pair of names."""
    she, he = CASTS[k % len(CASTS)]
    text = EXAMPLE[:chars].replace("Mara", she).replace("Tobias", he)
    return f"{text}\n\nThe end of story {k}.\n"


def make_corpus(root: Path, stories: int = 3) -> dict[str, Path]:
    """A folder (with a sub-folder, an AO3 HTML file and a bad file) and a zip of two works."""
    folder = root / "fics"
    (folder / "sub").mkdir(parents=True)
    for k in range(stories):
        (folder / ("sub" if k % 2 else ".") / f"story{k}.txt").write_text(story(k), encoding="utf-8")
    (folder / "sub" / "oneshot.html").write_bytes((FIXTURES / "ao3" / "oneshot.html").read_bytes())
    (folder / "bad.txt").write_bytes(random.Random(6).randbytes(3000) + b"\0")
    (folder / ".hidden.txt").write_text("not a work", encoding="utf-8")
    (folder / "notes.json").write_text("{}", encoding="utf-8")  # not a work suffix: skipped
    archive = root / "archive.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("works/zipped1.txt", story(3))
        z.writestr("works/zipped2.txt", story(4))
        z.writestr("__MACOSX/._zipped1.txt", "junk")
    return {"folder": folder, "zip": archive}


def read_table(outdir: Path, name: str) -> list[dict[str, Any]]:
    """Every row of a table, from its part files."""
    rows: list[dict[str, Any]] = []
    for part in sorted((outdir / "tables" / name).glob("part-*.parquet")):
        rows.extend(pq.read_table(part).to_pylist())
    return rows


def analyses(outdir: Path) -> dict[str, dict[str, Any]]:
    """Every per-work JSON of a batch, by work id."""
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in outdir.glob("works/*/*.json")}


def batch(inputs: list[Path], outdir: Path, **kwargs: Any) -> BatchSummary:
    """`run_batch` with one local worker, no live bar."""
    return run_batch(inputs, outdir, jobs=1, console=Console(file=sys.stderr), live=False, **kwargs)


def assert_one_row_set_per_work(outdir: Path, expected: int) -> None:
    """Exactly one works row per JSON, and every table's rows per work as in its JSON."""
    found = analyses(outdir)
    works = read_table(outdir, "works")
    assert len(found) == expected
    assert sorted(r["work_id"] for r in works) == sorted(found)
    for name in ("characters", "quotes", "scenes", "mentions"):
        per_work = Counter(r["work_id"] for r in read_table(outdir, name))
        assert {w: per_work.get(w, 0) for w in found} == {w: len(a[name]) for w, a in found.items()}, name


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="session")
def done(corpus: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BatchSummary]:
    """The corpus analysed once by the local engine, two works per part."""
    outdir = tmp_path_factory.mktemp("batch") / "out"
    return outdir, batch([corpus["folder"], corpus["zip"]], outdir, part_works=2)
