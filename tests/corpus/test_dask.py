"""The Dask engine on a LocalCluster gives the same outputs as the local pool."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rich.console import Console

from ficlens.corpus import BatchSummary, run_batch
from tests.corpus.conftest import GOOD, analyses, assert_one_row_set_per_work, read_table


def test_dask_local_cluster_matches_the_local_engine(
    corpus: dict[str, Path], done: tuple[Path, BatchSummary], tmp_path: Path
) -> None:
    outdir = tmp_path / "out"
    summary = run_batch(
        [corpus["folder"], corpus["zip"]],
        outdir,
        jobs=1,
        engine="dask",
        console=Console(file=sys.stderr),
        live=False,
    )
    assert (summary.analysed, summary.failed) == (GOOD, 1)
    assert_one_row_set_per_work(outdir, GOOD)
    local = done[0]
    assert analyses(outdir) == analyses(local)
    for name in ("works", "quotes", "characters"):
        key = sorted(read_table(outdir, name), key=json.dumps)
        assert key == sorted(read_table(local, name), key=json.dumps), name
    failure = json.loads((outdir / "failures.jsonl").read_text(encoding="utf-8"))
    assert failure["code"] == "E001"
