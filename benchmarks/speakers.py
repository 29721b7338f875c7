"""Speaker attribution end to end on PDNC, each novel scored by a model that never saw it.

    python benchmarks/speakers.py [--pdnc ../shared/data/pdnc] [--jobs 2] [--cache .cache/parses]
        [--markdown docs/benchmarks.md]

For every PDNC novel it runs ``ficlens analyze novel_text.txt`` as a user
would (no gold quotes, no gold characters), with FICLENS_QUOTE_MODEL and
FICLENS_SPEAKER_MODEL set to the models of the cross-validation fold that held
that novel out (benchmarks/models/, written by training/train_quotes.py and
training/train_speakers.py), and scores the
output with ../shared/eval/score.py. ``--cache`` reuses spaCy parses between
runs (it changes no result, only the time); speed is measured separately by
benchmarks/speed.py.

Reports speaker accuracy over all gold quotes (an undetected quote counts as
wrong), accuracy by quote type, quote detection P/R/F1 and the share of gold
speakers found as characters, per novel and pooled over all quotes.

Then LitBank's 80 excerpts (1,443 quotations; gold built by
training/litbank.py), each with the fold models that held it out, pooled over
all their quotes.

Then the two fan-fiction stories of ../shared/data/stories, with the shipped
models (no model was trained on them), against our line-by-line annotation
of every quote in tests/data/narration/*.gold.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "training"))
import litbank  # noqa: E402

from common import analyze, write_section  # noqa: E402

RESULTS = REPO / "benchmarks" / "results" / "speakers.json"
DEV = REPO / "tests" / "data" / "narration"


def fold_env(fold: int, cache: Path | None) -> dict[str, str]:
    """The environment that runs ficlens with one fold's held-out models."""
    models = REPO / "benchmarks" / "models"
    env = dict(
        os.environ,
        FICLENS_SPEAKER_MODEL=str(models / f"speakers_fold{fold}.lgb.txt"),
        FICLENS_QUOTE_MODEL=str(models / f"quotes_fold{fold}.lgb.txt"),
    )
    if cache is not None:
        env["FICLENS_PARSE_CACHE"] = str(cache)
    return env


def run_novel(folder: Path, fold: int, cache: Path | None, score: Any) -> dict[str, Any]:
    pred = analyze(folder / "novel_text.txt", fold_env(fold, cache))
    gold = score.load_gold(folder)
    result: dict[str, Any] = score.score(gold, pred)
    gold_types: dict[str, int] = {}
    for q in gold["quotes"]:
        gold_types[q["type"]] = gold_types.get(q["type"], 0) + 1
    result["type_counts"] = gold_types
    result["addressees"] = addressee_counts(folder, gold, pred, score)
    return result


def addressee_counts(folder: Path, gold: dict[str, Any], pred: dict[str, Any], score: Any) -> dict[str, int]:
    """(quote, addressee) pairs: gold ones, predicted ones and right ones, over the
    gold quotes that were detected. A gold pair counts only when the addressee is
    one of the character list's main names, as with speakers; a predicted
    addressee is right when it resolves (the scorer's alias rules) to a gold one."""
    import ast
    import csv

    csv.field_size_limit(1 << 30)
    text = gold["text"]
    resolver = score.Resolver(gold["characters"])
    main = {c["name"] for c in gold["characters"]}
    spans, wanted = [], []
    with open(folder / "quotation_info.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            names = set(ast.literal_eval(row["addressees"])) if row["addressees"].startswith("[") else set()
            for start, end in ast.literal_eval(row["quoteByteSpans"]):
                spans.append(score.trim((int(start), int(end)), text))
                wanted.append(names & main)
    chars = {c["id"]: c for c in pred["characters"]}
    quotes = [q for q in pred["quotes"] if isinstance(q.get("start"), int)]
    matched = score.match_spans(spans, [score.trim((q["start"], q["end"]), text) for q in quotes])
    counts = {"gold": 0, "predicted": 0, "right": 0}
    for g, k in matched.items():
        found = [resolver.gold_for(chars.get(a)) for a in quotes[k].get("addressees", [])]
        counts["gold"] += len(wanted[g])
        counts["predicted"] += len(found)  # one that is no gold character counts as wrong
        counts["right"] += len(set(found) & wanted[g])
    return counts


def pooled_quotes(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Speaker accuracy and quote detection, micro-averaged over all gold quotes of several works."""
    n_gold = sum(r["quotes_gold"] for r in results)
    n_pred = sum(r["quotes_pred"] for r in results)
    tp = sum(r["quote_detection"]["recall"] * r["quotes_gold"] for r in results)
    right = sum(r["speaker_accuracy"] * r["quotes_gold"] for r in results)
    p, rec = tp / max(1, n_pred), tp / max(1, n_gold)
    return {
        "speaker_accuracy": round(right / max(1, n_gold), 4),
        "quote_detection": {
            "precision": round(p, 4),
            "recall": round(rec, 4),
            "f1": round(2 * p * rec / max(p + rec, 1e-9), 4),
        },
        "quotes_gold": n_gold,
    }


def pooled(results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Micro-averages over all gold quotes of all novels."""
    quotes = pooled_quotes(list(results.values()))
    by_type: dict[str, list[float]] = {}
    for r in results.values():
        for t, n in r["type_counts"].items():
            acc = r.get("speaker_accuracy_by_type", {}).get(t.lower(), 0.0)
            by_type.setdefault(t.lower(), [0.0, 0.0])
            by_type[t.lower()][0] += acc * n
            by_type[t.lower()][1] += n
    return {
        "speaker_accuracy": quotes["speaker_accuracy"],
        "by_type": {t: round(c / n, 4) for t, (c, n) in sorted(by_type.items()) if n},
        "quote_detection": quotes["quote_detection"],
        "speaker_characters_found": round(
            sum(r["speaker_characters_found"] for r in results.values()) / len(results), 4
        ),
        "quotes_gold": quotes["quotes_gold"],
        "addressees": addressee_prf(results.values()),
    }


def addressee_prf(results: Any) -> dict[str, float]:
    counts = {k: sum(r["addressees"][k] for r in results) for k in ("gold", "predicted", "right")}
    p = counts["right"] / max(1, counts["predicted"])
    r = counts["right"] / max(1, counts["gold"])
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / max(p + r, 1e-9), 4)}


def markdown(results: dict[str, dict[str, Any]], total: dict[str, Any], command: str) -> str:
    lines = [
        f"Command: `{command}` (held-out folds; see benchmarks/models/folds.json).",
        "",
        "| novel | gold quotes | speaker acc. | explicit | anaphoric | implicit "
        "| quote P | quote R | quote F1 "
        "| speakers found | addressee F1 |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in sorted(results.items()):
        t = r.get("speaker_accuracy_by_type", {})
        d = r["quote_detection"]
        lines.append(
            f"| {name} | {r['quotes_gold']} | {r['speaker_accuracy']:.3f} | {t.get('explicit', 0):.3f} "
            f"| {t.get('anaphoric', 0):.3f} | {t.get('implicit', 0):.3f} "
            f"| {d['precision']:.3f} | {d['recall']:.3f} "
            f"| {d['f1']:.3f} | {r['speaker_characters_found']:.3f} "
            f"| {addressee_prf([r])['f1']:.3f} |"
        )
    t = total["by_type"]
    d = total["quote_detection"]
    lines.append(
        f"| **all (pooled)** | {total['quotes_gold']} | **{total['speaker_accuracy']:.3f}** "
        f"| **{t.get('explicit', 0):.3f}** | {t.get('anaphoric', 0):.3f} | {t.get('implicit', 0):.3f} "
        f"| {d['precision']:.3f} | {d['recall']:.3f} | **{d['f1']:.3f}** "
        f"| {total['speaker_characters_found']:.3f} | {total['addressees']['f1']:.3f} |"
    )
    a = total["addressees"]
    lines += [
        "",
        f"Addressees (pooled over the (quote, addressee) pairs of detected quotes): precision "
        f"{a['precision']:.3f}, recall {a['recall']:.3f}, F1 {a['f1']:.3f}.",
    ]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pdnc", type=Path, default=REPO.parent / "shared" / "data" / "pdnc")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--novels", nargs="*", help="only these novels (default: all)")
    args = ap.parse_args()
    if not args.pdnc.is_dir():
        print(f"PDNC not found at {args.pdnc}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(args.pdnc.parents[1] / "eval"))
    import score  # type: ignore[import-not-found]

    folds = json.loads((REPO / "benchmarks" / "models" / "folds.json").read_text(encoding="utf-8"))["folds"]
    novels = args.novels or sorted(folds)

    def one(name: str) -> tuple[str, dict[str, Any]]:
        r = run_novel(args.pdnc / name, folds[name], args.cache, score)
        print(f"{name:30s} acc {r['speaker_accuracy']:.3f} f1 {r['quote_detection']['f1']:.3f}", flush=True)
        return name, r

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = dict(pool.map(one, novels))
    total = pooled(results)
    print(json.dumps(total, indent=1))
    if args.novels:
        return 0
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"novels": results, "pooled": total}, indent=1) + "\n", encoding="utf-8")
    command = "python benchmarks/speakers.py" + (" --cache .cache/parses" if args.cache else "")
    write_section("speakers", "Speaker attribution on PDNC", markdown(results, total, command))
    litbank_root = args.pdnc.parent / "litbank"
    if (litbank_root / "quotations").is_dir():
        excerpts = on_litbank(litbank_root, args.jobs, args.cache, score)
        data = json.loads(RESULTS.read_text(encoding="utf-8"))
        RESULTS.write_text(json.dumps({**data, "litbank": excerpts}, indent=1) + "\n", encoding="utf-8")
        body = litbank_markdown(excerpts, command)
        write_section("litbank_speakers", "Speaker attribution on LitBank", body)
    write_section("fanfic_speakers", "Speaker attribution on the two fan-fiction stories", fan_fiction(score))
    return 0


def on_litbank(root: Path, jobs: int, cache: Path | None, score: Any) -> dict[str, Any]:
    """Every LitBank excerpt end to end with the fold models that held it out, pooled."""
    folds = json.loads((REPO / "benchmarks" / "models" / "folds.json").read_text(encoding="utf-8"))
    fold_of: dict[str, int] = folds.get("litbank_folds", {})

    def one(ident: str) -> dict[str, Any]:
        pred = analyze(litbank.text_path(root, ident), fold_env(fold_of.get(ident, 0), cache))
        result: dict[str, Any] = score.score(litbank.gold(root, ident), pred)
        return result

    idents = litbank.idents(root)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = [r for r in pool.map(one, idents) if r["quotes_gold"]]
    total = {"excerpts": len(results), **pooled_quotes(results)}
    print("LitBank", json.dumps(total), flush=True)
    return total


def litbank_markdown(pooled: dict[str, Any], command: str) -> str:
    d = pooled["quote_detection"]
    return "\n".join(
        [
            f"Command: `{command}` (the same run; each excerpt with its held-out fold's models).",
            "",
            "| excerpts | gold quotes | speaker acc. | quote P | quote R | quote F1 |",
            "|---|---|---|---|---|---|",
            f"| {pooled['excerpts']} | {pooled['quotes_gold']} | **{pooled['speaker_accuracy']:.3f}** "
            f"| {d['precision']:.3f} | {d['recall']:.3f} | {d['f1']:.3f} |",
        ]
    )


def fan_fiction(score: Any) -> str:
    """Speaker accuracy on the annotated stories, with the shipped models."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FICLENS_")}
    lines = [
        "Command: `python benchmarks/speakers.py` (shipped models; gold: tests/data/narration/*.gold.json,",
        "every quote annotated by reading the story).",
        "",
        "| story | quotes | speaker accuracy | quote F1 |",
        "|---|---|---|---|",
    ]
    for gold_path in sorted(DEV.glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = (gold_path.parent / gold["text_file"]).resolve()
        if not gold.get("quotes") or not text.exists():
            continue
        r = score.score(score.load_gold(gold_path), analyze(text, env))
        right = round(r["speaker_accuracy"] * r["quotes_gold"])
        print(f"{gold_path.name:40s} speakers {right}/{r['quotes_gold']}", flush=True)
        lines.append(
            f"| {text.name} | {r['quotes_gold']} | {right}/{r['quotes_gold']} "
            f"| {r['quote_detection']['f1']:.3f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
