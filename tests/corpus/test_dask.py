"""The Dask engine on a LocalCluster gives the same outputs as the local pool."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from rich.console import Console

from ficlens.corpus import BatchSummary, run_batch
from ficlens.corpus.dask_engine import DaskEngine
from ficlens.errors import FiclensError
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


class _Client:
    """A stand-in for a dask Client whose workers run another ficlens, or none."""

    def __init__(self, answer: dict[str, str] | Exception) -> None:
        self.answer = answer
        self.closed = False

    def run(self, function: object) -> dict[str, str]:
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer

    def close(self) -> None:
        self.closed = True


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ({"tcp://w1": "0.0.1"}, "workers run ficlens 0.0.1"),
        (ModuleNotFoundError("No module named 'ficlens'"), "a worker cannot import ficlens"),
    ],
)
def test_workers_that_cannot_run_this_ficlens_stop_the_batch_at_once(
    answer: dict[str, str] | Exception, reason: str
) -> None:
    engine = DaskEngine(1, "tcp://scheduler:8786")
    client = engine.client = _Client(answer)
    with pytest.raises(FiclensError) as err:
        engine._check_workers()
    assert err.value.code.name == "E017" and reason in err.value.message
    assert client.closed
