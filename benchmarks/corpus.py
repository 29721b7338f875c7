"""Throughput of `ficlens batch` on a corpus of AO3-sized works, with 1 and 2 workers.

    python benchmarks/corpus.py [--works 300] [--words 3000] [--jobs 1 2] [--pdnc ../shared/data/pdnc]

Makes a corpus in a temporary folder (never committed) by cutting the PDNC
novels at paragraph breaks into works of about ``--words`` words, taken from
the novels in turn, then runs the batch (local engine) once per ``--jobs``
value into a fresh output folder. Reports works/s, tokens/s (spaCy tokens),
the speedup over the first ``--jobs`` value, the peak RSS of each worker
process, and the hours one million works of this size would take here.
Writes benchmarks/results/corpus.json and the "corpus" section of
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
from common import save_results, write_section  # noqa: E402

RESULTS = REPO / "benchmarks" / "results" / "corpus.json"


def make_corpus(pdnc: Path, folder: Path, works: int, words: int) -> int:
    """Write ``works`` chunks of about ``words`` words, cut at paragraph breaks,
    taking one chunk from each novel in turn; return the number of words written."""
    novels = [p.read_text(encoding="utf-8") for p in sorted(pdnc.glob("*/novel_text.txt"))]
    if not novels:
        raise SystemExit(f"no PDNC novels under {pdnc}")
    paragraphs = [[p for p in text.split("\n\n") if p.strip()] for text in novels]
    cursor = [0] * len(novels)
    written = 0
    for n in range(works):
        k = n % len(novels)
        chunk: list[str] = []
        count = 0
        while count < words:
            if cursor[k] >= len(paragraphs[k]):
                cursor[k] = 0  # a short novel starts again: still distinct works by name
            paragraph = paragraphs[k][cursor[k]]
            cursor[k] += 1
            chunk.append(paragraph)
            count += len(paragraph.split())
        (folder / f"work{n:06d}.txt").write_text("\n\n".join(chunk) + "\n", encoding="utf-8")
        written += count
    return written


def run(corpus: Path, jobs: int) -> dict[str, Any]:
    from rich.console import Console

    from ficlens.corpus import run_batch

    with tempfile.TemporaryDirectory() as out:
        t0, cpu0, workers0 = time.perf_counter(), time.process_time(), _children_cpu()
        summary = run_batch([corpus], out, jobs=jobs, console=Console(stderr=True), live=False)
        seconds, driver_cpu = time.perf_counter() - t0, time.process_time() - cpu0
        workers_cpu = _children_cpu() - workers0
    works = summary.analysed + summary.failed
    return {
        "jobs": jobs,
        "works": works,
        "failed": summary.failed,
        "tokens": summary.tokens,
        "words": summary.words,
        "seconds": round(seconds, 1),
        "works_per_second": round(works / seconds, 3),
        "tokens_per_second": round(summary.tokens / seconds),
        "peak_rss_mib_per_worker": sorted(round(v / 2**20) for v in summary.peak_rss.values()),
        "driver_cpu_seconds": round(driver_cpu, 1),
        "workers_cpu_seconds": round(workers_cpu, 1),
    }


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (the batch's worker processes)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def write_markdown(result: dict[str, Any]) -> None:
    rows = [
        f"| {r['jobs']} | {r['works']} | {r['seconds']} | {r['works_per_second']:.2f} | "
        f"{r['tokens_per_second']:,} | {r['speedup']:.2f}× | "
        f"{', '.join(str(m) for m in r['peak_rss_mib_per_worker'])} | {r['driver_cpu_seconds']} "
        f"| {r['workers_cpu_seconds']} | {r['hours_per_million']:,.0f} |"
        for r in result["runs"]
    ]
    body = "\n".join(
        [
            f"Command: `{result['command']}` ({result['works']} works of about {result['words_per_work']:,} "
            f"words, {result['cpus']} cores, {result['date']}).",
            "",
            "| workers | works | seconds | works/s | tokens/s | speedup | peak RSS per worker (MiB) "
            "| driver CPU s | workers' CPU s | hours per 10⁶ works |",
            "|---|---|---|---|---|---|---|---|---|---|",
            *rows,
            "",
            "Seconds are wall time of the whole batch, including starting the workers and loading "
            "their models. CPU seconds: the driver's, and the worker processes' summed; when the wall "
            "time is well above workers' CPU ÷ workers, the workers were waiting for a core (other "
            "jobs on the machine). Hours per 10⁶ works: one million works of this size at this rate on this "
            "machine; with *n* workers elsewhere, divide the one-worker figure by *n* times the "
            "parallel efficiency measured here (speedup ÷ workers).",
        ]
    )
    write_section("corpus", "Corpus batch throughput", body)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pdnc", type=Path, default=REPO.parent / "shared" / "data" / "pdnc")
    ap.add_argument("--works", type=int, default=300)
    ap.add_argument("--words", type=int, default=3000)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        words = make_corpus(args.pdnc, corpus, args.works, args.words)
        for jobs in args.jobs:
            runs.append(run(corpus, jobs))
            print(json.dumps(runs[-1]), file=sys.stderr)
    for r in runs:
        r["speedup"] = round(r["works_per_second"] / runs[0]["works_per_second"], 2)
        r["hours_per_million"] = round(1e6 / r["works_per_second"] / 3600, 1)
    result = {
        "command": "python benchmarks/corpus.py "
        + " ".join(f"--{k} {v}" for k, v in (("works", args.works), ("words", args.words)))
        + " --jobs "
        + " ".join(map(str, args.jobs)),
        "works": args.works,
        "words_per_work": round(words / args.works),
        "cpus": os.cpu_count(),
        "date": time.strftime("%Y-%m-%d"),
        "runs": runs,
    }
    save_results(RESULTS, result)
    write_markdown(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
