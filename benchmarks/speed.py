"""Throughput of the whole pipeline on one core, on a PDNC novel.

    python benchmarks/speed.py [--novel Emma] [--pdnc ../shared/data/pdnc] [--runs 1]

Runs ``ficlens analyze`` in-process (reading, structure, quotes, spaCy parse,
characters, coreference, speakers, JSON writing) with one thread and the
process pinned to one CPU, with no parse cache, and reports tokens per second
(spaCy tokens of the analysed paragraphs) and the time of each stage.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"
os.environ.pop("FICLENS_PARSE_CACHE", None)

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
from common import save_results, write_section  # noqa: E402

RESULTS = REPO / "benchmarks" / "results" / "speed.json"


def write_markdown(result: dict[str, Any]) -> None:
    stages = result["stages"]
    rows = " | ".join(f"{k} {v:.2f} s" for k, v in stages.items())
    body = "\n".join(
        [
            "| novel | characters | tokens | seconds | tokens/s |",
            "|---|---|---|---|---|",
            f"| {result['novel']} | {result['characters']:,} | {result['tokens']:,} | {result['seconds']} "
            f"| **{result['tokens_per_second']:,}** |",
            "",
            f"Time by stage: {rows}.",
        ]
    )
    write_section("speed", "Speed", body)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pdnc", type=Path, default=REPO.parent / "shared" / "data" / "pdnc")
    ap.add_argument("--novel", default="Emma")
    args = ap.parse_args()
    path = args.pdnc / args.novel / "novel_text.txt"
    if not path.exists():
        print(f"{path} not found", file=sys.stderr)
        return 2
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    from ficlens import nlp, writers
    from ficlens.pipeline import default_pipeline
    from ficlens.readers import read_path
    from ficlens.stages import structure

    nlp.load()  # model loading is a one-off per process, not per work
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    source = read_path(path)
    doc = structure.build(source)
    timings["read+structure"] = time.perf_counter() - t0
    for stage in default_pipeline().stages:
        t = time.perf_counter()
        doc = stage(doc)
        timings[stage.name] = time.perf_counter() - t
    t = time.perf_counter()
    writers.render(doc, "json")
    timings["write json"] = time.perf_counter() - t
    total = time.perf_counter() - t0
    tokens = len(doc.tokens) if doc.tokens is not None else 0
    result = {
        "novel": args.novel,
        "characters": len(doc.text),
        "tokens": tokens,
        "seconds": round(total, 2),
        "tokens_per_second": round(tokens / total),
        "stages": {k: round(v, 2) for k, v in timings.items()},
        "cpu": os.uname().machine,
    }
    save_results(RESULTS, result)
    write_markdown(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
