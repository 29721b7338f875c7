"""Kill a real `ficlens batch` with SIGKILL mid-run, run it again, and check
that nothing was lost, nothing repeated and every work has one row set."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

from tests.conftest import REPO
from tests.corpus.conftest import story
from tests.corpus.test_run import assert_one_row_set_per_work

WORKS = 16


def command(inputs: Path, outdir: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "ficlens",
        "batch",
        str(inputs),
        "-o",
        str(outdir),
        "-j",
        "2",
        "--part-works",
        "1",
    ]


def test_resume_after_sigkill(tmp_path: Path) -> None:
    inputs = tmp_path / "fics"
    inputs.mkdir()
    for k in range(WORKS):
        (inputs / f"work{k:02d}.txt").write_text(story(k, chars=3500), encoding="utf-8")
    outdir = tmp_path / "out"
    proc = subprocess.Popen(
        command(inputs, outdir),
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while len(list(outdir.glob("works/*/*.json"))) < 3:
        assert proc.poll() is None, "the batch ended before it could be killed"
        assert time.monotonic() < deadline, "no work finished in time"
        time.sleep(0.02)
    workers = psutil.Process(proc.pid).children(recursive=True)
    assert workers, "the batch runs its works in worker processes"
    os.kill(proc.pid, signal.SIGKILL)  # the driver, at any moment
    proc.wait()
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, "worker processes outlived their killed driver"
    finished = {p: p.stat().st_mtime_ns for p in outdir.glob("works/*/*.json")}
    assert 3 <= len(finished) < WORKS, "the kill must land mid-run"

    rerun = subprocess.run(command(inputs, outdir), cwd=REPO, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    skipped = re.search(r"already done \(skipped\)\D*(\d+)", rerun.stderr)
    assert skipped and int(skipped.group(1)) == len(finished), rerun.stderr
    assert {p: p.stat().st_mtime_ns for p in finished} == finished, "a finished work was analysed again"
    assert not (outdir / "failures.jsonl").read_text(encoding="utf-8")
    assert_one_row_set_per_work(outdir, WORKS)
    assert not list(outdir.glob("**/.*.tmp"))
