"""Character coreference on LitBank (PER entities), scored by ../shared/eval/coref.py.

    python benchmarks/coref.py [--litbank ../shared/data/litbank] [--jobs 2]

Runs ``ficlens analyze`` on every ``coref/tsv/ID.txt`` as it is, and scores
its ``mentions`` with the reference implementation of MUC, B³, CEAF-e and the
CoNLL F1 (their mean), for all gold PER mentions and for names and pronouns
only. Reports the mean over the excerpts and writes the table into
docs/benchmarks.md. No model here was trained on LitBank.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
from common import analyze, write_section  # noqa: E402

RESULTS = REPO / "benchmarks" / "results" / "coref.json"
METRICS = ("muc", "b3", "ceafe", "conll_f1", "mention_recall")


def score_one(root: Path, ident: str, env: dict[str, str]) -> dict[str, Any]:
    pred = analyze(root / "coref" / "tsv" / f"{ident}.txt", env)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "a.json"
        out.write_text(json.dumps(pred), encoding="utf-8")
        done = subprocess.run(
            [
                sys.executable,
                str(root.parents[1] / "eval" / "coref.py"),
                str(root),
                ident,
                str(out),
                "--json",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def f1_of(value: Any) -> float:
    """The F1 of a metric entry, whether scored as a number or as {p, r, f1}."""
    if isinstance(value, dict):
        return float(value.get("f1", 0.0))
    return float(value or 0.0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--litbank", type=Path, default=REPO.parent / "shared" / "data" / "litbank")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    tsv = args.litbank / "coref" / "tsv"
    if not tsv.is_dir():
        print(f"LitBank not found at {args.litbank}", file=sys.stderr)
        return 2
    idents = sorted(p.stem for p in tsv.glob("*.ann"))
    env = dict(os.environ)

    def one(ident: str) -> tuple[str, dict[str, Any]]:
        return ident, score_one(args.litbank, ident, env)

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = dict(pool.map(one, idents))
    settings = sorted({s for r in results.values() for s in r if isinstance(r[s], dict)})
    mean: dict[str, dict[str, float]] = {}
    for setting in settings:
        mean[setting] = {
            m: round(sum(f1_of(r[setting][m]) for r in results.values()) / len(results), 4)
            for m in METRICS
            if all(m in r.get(setting, {}) for r in results.values())
        }
    print(json.dumps(mean, indent=1))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"excerpts": results, "mean": mean}, indent=1) + "\n", encoding="utf-8")
    lines = [
        f"Command: `python benchmarks/coref.py` ({len(results)} LitBank excerpts, mean F1 over excerpts).",
        "",
        "| setting | MUC | B³ | CEAF-e | CoNLL F1 | mention recall |",
        "|---|---|---|---|---|---|",
    ]
    for setting, row in mean.items():
        lines.append(
            f"| {setting} | {row.get('muc', 0):.3f} | {row.get('b3', 0):.3f} | {row.get('ceafe', 0):.3f} "
            f"| **{row.get('conll_f1', 0):.3f}** | {row.get('mention_recall', 0):.3f} |"
        )
    write_section("coref", "Character coreference on LitBank", "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
