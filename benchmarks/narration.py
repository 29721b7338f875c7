"""Narrative person, tense and point of view: the development set and PDNC.

    python benchmarks/narration.py [--pdnc ../shared/data/pdnc] [--cache .cache/parses]

1. The development set in tests/data/narration/ (scenes written for it, plus
   our annotation of the scenes of the two stories in ../shared/data/stories):
   runs ``ficlens analyze`` on each text and scores POV, person and tense per
   scene with ../shared/eval/score.py.
2. PDNC: ``narration.person`` of each novel against the "Narrative Person"
   column of PDNC-Novel-Index.csv.

Writes the results into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
from common import analyze, write_section  # noqa: E402
from ficlens.stages.coref import FIRST_PERSON, PRONOUN_SETS  # noqa: E402

DEV = REPO / "tests" / "data" / "narration"
RESULTS = REPO / "benchmarks" / "results" / "narration.json"
PERSON = {"1.0": "first", "2.0": "second", "3.0": "third"}
_WORD = re.compile(r"[A-Za-z]+")


def narration_i(pred: dict[str, Any]) -> dict[str, float]:
    """How much "I" the narration holds: first-person pronouns outside the
    quotations ficlens found (speech and non-speech), per 10,000 narration words
    and as a share of the narration's first- and third-person singular pronouns.
    It shows why an index label can be out of reach: a third-person novel with a
    few narrator asides and one the index calls first person can hold as little."""
    text = pred["text"]
    keep = bytearray(b"\x01") * len(text)
    for q in [*pred["quotes"], *pred.get("non_speech", [])]:
        keep[q["start"] : q["end"]] = bytes(q["end"] - q["start"])
    words = [m.group().lower() for m in _WORD.finditer(text) if keep[m.start()]]
    first = sum(w in FIRST_PERSON for w in words)
    third = sum(PRONOUN_SETS.get(w) in ("he", "she") for w in words)
    return {
        "i_per_10k": round(first * 1e4 / max(1, len(words)), 1),
        "i_share": round(first / max(1, first + third), 3),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pdnc", type=Path, default=REPO.parent / "shared" / "data" / "pdnc")
    ap.add_argument("--cache", type=Path, default=None)
    args = ap.parse_args()
    sys.path.insert(0, str(args.pdnc.parents[1] / "eval"))
    import score  # type: ignore[import-not-found]

    env = dict(os.environ)
    if args.cache:
        env["FICLENS_PARSE_CACHE"] = str(args.cache)
    dev: dict[str, Any] = {}
    totals = {"scenes": 0, "pov": 0.0, "person": 0.0, "tense": 0.0}
    for gold_path in sorted(DEV.glob("*.gold.json")):
        gold = score.load_gold(gold_path)
        if gold["text"] is None:
            print(f"skipping {gold_path.name}: its text is absent", file=sys.stderr)
            continue
        pred = analyze((gold_path.parent / json.loads(gold_path.read_text())["text_file"]).resolve(), env)
        r = score.score(gold, pred)
        n = len(gold["scenes"])
        dev[gold_path.name] = {"scenes": n, **{k: r[f"{k}_accuracy"] for k in ("pov", "person", "tense")}}
        totals["scenes"] += n
        for k in ("pov", "person", "tense"):
            totals[k] += r[f"{k}_accuracy"] * n
        print(gold_path.name, dev[gold_path.name], flush=True)
    pooled = {k: round(totals[k] / totals["scenes"], 4) for k in ("pov", "person", "tense")}
    pdnc: dict[str, Any] = {}
    with open(args.pdnc / "PDNC-Novel-Index.csv", encoding="utf-8") as fh:
        index = {
            row["Folder Name"]: PERSON.get(row["Narrative Person"], row["Narrative Person"])
            for row in csv.DictReader(fh)
        }
    for folder, expected in sorted(index.items()):
        if not (args.pdnc / folder / "novel_text.txt").exists():
            continue
        pred = analyze(args.pdnc / folder / "novel_text.txt", env)
        got = pred["narration"]
        pdnc[folder] = {
            "expected": expected,
            "found": got["person"],
            "tense": got["tense"],
            **narration_i(pred),
        }
        print(folder, pdnc[folder], flush=True)
    right = sum(v["expected"] == v["found"] for v in pdnc.values())
    summary = {"dev_scenes": totals["scenes"], "dev": pooled, "pdnc_person": f"{right}/{len(pdnc)}"}
    print(json.dumps(summary, indent=1))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps({"dev": dev, "pdnc": pdnc, "summary": summary}, indent=1) + "\n", encoding="utf-8"
    )
    lines = [
        "Command: `python benchmarks/narration.py`.",
        "",
        f"Development set ({totals['scenes']} scenes in {len(dev)} texts): POV **{pooled['pov']:.3f}**, "
        f"person **{pooled['person']:.3f}**, tense **{pooled['tense']:.3f}**.",
        "",
        "| text | scenes | POV | person | tense |",
        "|---|---|---|---|---|",
        *(
            f"| {k} | {v['scenes']} | {v['pov']:.2f} | {v['person']:.2f} | {v['tense']:.2f} |"
            for k, v in dev.items()
        ),
        "",
        f"PDNC `narration.person` against the novel index: **{right}/{len(pdnc)}** right.",
        "",
        "| novel | index | found | tense found | narration I per 10k words | I share of I/he/she |",
        "|---|---|---|---|---|---|",
        *(
            f"| {k} | {v['expected']} | {v['found']} | {v['tense']} | {v['i_per_10k']} | {v['i_share']} |"
            for k, v in pdnc.items()
        ),
    ]
    write_section("narration", "Person, tense and point of view", "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
