"""Train the quote classifier (speech or not) on PDNC, cross-validated over novels.

    python training/train_quotes.py [--pdnc ../shared/data/pdnc] [--folds 5]
        [--out src/ficlens/resources/models/quotes.lgb.txt] [--fold-dir benchmarks/models]

Every quoted span ficlens finds in a novel (by its own reading and structure,
no gold) is an example; it is speech when it matches a PDNC quotation the way
../shared/eval/score.py matches them. Fold models go to ``--fold-dir`` for the
benchmark (same folds as the speaker ranker: novel i is in fold i mod k); the
shipped model is trained on all novels. Single-threaded, fixed seed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from ficlens.readers import read_path  # noqa: E402
from ficlens.stages import structure  # noqa: E402
from ficlens.stages.quote_features import FEATURES, THRESHOLD, span_features  # noqa: E402
from ficlens.stages.quotes import find_quotes  # noqa: E402

PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 30,
    "lambda_l2": 1.0,
    "deterministic": True,
    "num_threads": 1,
    "seed": 11,
    "verbose": -1,
}
ROUNDS = 250


def novel_rows(folder: Path, score: Any) -> dict[str, Any]:
    doc = structure.build(read_path(folder / "novel_text.txt"))
    pred = find_quotes(doc.text, doc.paragraphs)
    gold = score.load_gold(folder)
    text = gold["text"]
    g_spans = [score.trim((q["start"], q["end"]), text) for q in gold["quotes"]]
    p_spans = [score.trim((s.start, s.end), text) for s in pred.spans]
    matched = set(score.match_spans(g_spans, p_spans).values())
    x = span_features(doc.text, doc.paragraphs, pred.spans, pred.speech)
    y = np.asarray([int(k in matched) for k in range(len(pred.spans))], dtype=np.int32)
    return {"X": x, "y": y, "gold": len(g_spans)}


def f1(y: np.ndarray, keep: np.ndarray, n_gold: int) -> dict[str, float]:
    tp = int((y & keep).sum())
    p = tp / max(1, int(keep.sum()))
    r = tp / max(1, n_gold)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / max(1e-9, p + r), 4)}


def train(rows: list[dict[str, Any]]) -> Any:
    import lightgbm as lgb

    x = np.vstack([r["X"] for r in rows])
    y = np.concatenate([r["y"] for r in rows])
    return lgb.train(PARAMS, lgb.Dataset(x, label=y, feature_name=list(FEATURES)), num_boost_round=ROUNDS)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pdnc", type=Path, default=REPO.parent / "shared" / "data" / "pdnc")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument(
        "--out", type=Path, default=REPO / "src" / "ficlens" / "resources" / "models" / "quotes.lgb.txt"
    )
    ap.add_argument("--fold-dir", type=Path, default=REPO / "benchmarks" / "models")
    args = ap.parse_args()
    if not args.pdnc.is_dir():
        print(f"PDNC not found at {args.pdnc}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(args.pdnc.parents[1] / "eval"))
    import score  # type: ignore[import-not-found]

    novels = sorted(p.name for p in args.pdnc.iterdir() if (p / "novel_text.txt").exists())
    fold_of = {n: i % args.folds for i, n in enumerate(novels)}
    rows = {n: novel_rows(args.pdnc / n, score) for n in novels}
    report: dict[str, Any] = {"folds": fold_of, "novels": {}}
    totals = {"rule": [0, 0, 0], "model": [0, 0, 0]}  # tp, predicted, gold
    for k in range(args.folds):
        booster = train([rows[n] for n in novels if fold_of[n] != k])
        booster.save_model(str(args.fold_dir / f"quotes_fold{k}.lgb.txt"))
        for n in (n for n in novels if fold_of[n] == k):
            r = rows[n]
            rule = r["X"][:, FEATURES.index("rule_says_speech")].astype(bool)
            model = booster.predict(r["X"], num_threads=1) >= THRESHOLD
            report["novels"][n] = {
                "fold": k,
                "rule": f1(r["y"], rule, r["gold"]),
                "model": f1(r["y"], model, r["gold"]),
            }
            for key, keep in (("rule", rule), ("model", model)):
                totals[key][0] += int((r["y"] & keep).sum())
                totals[key][1] += int(keep.sum())
                totals[key][2] += r["gold"]
            print(n, report["novels"][n], flush=True)
    for key, (tp, npred, ngold) in totals.items():
        p, rec = tp / npred, tp / ngold
        report[f"{key}_pooled"] = {
            "precision": round(p, 4),
            "recall": round(rec, 4),
            "f1": round(2 * p * rec / (p + rec), 4),
        }
    print("held-out pooled:", {k: report[f"{k}_pooled"] for k in totals})
    (args.fold_dir / "quotes_folds.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    train(list(rows.values())).save_model(str(args.out))
    print("wrote", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
