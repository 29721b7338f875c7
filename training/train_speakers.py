"""Train the speaker ranker on PDNC, with cross-validation over whole novels.

    python training/train_speakers.py [--pdnc ../shared/data/pdnc] [--folds 5]
        [--cache .cache/parses] [--out src/ficlens/resources/models/speakers.lgb.txt]
        [--fold-dir benchmarks/models]

For every novel it runs ficlens end to end up to the speaker stage (reading,
structure, quotes, parse, characters, coreference: no gold quotes and no gold
characters), gathers the evidence and the sieve's answers, and turns each
utterance into candidates with features (`ficlens.stages.speaker_features`).
A candidate is labelled right when the scorer would count it right (the same
alias rules as ../shared/eval/score.py).

It trains one model per fold on the other folds' novels (saved for the
benchmark, so no novel is ever scored by a model that saw it), reports the
held-out accuracy of the ranker and of the sieve, and trains the shipped
model on all novels. LightGBM runs single-threaded with a fixed seed, so the
models are reproducible.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from ficlens.pipeline import Pipeline  # noqa: E402
from ficlens.readers import read_path  # noqa: E402
from ficlens.stages.characters import CharacterStage  # noqa: E402
from ficlens.stages.coref import CorefStage  # noqa: E402
from ficlens.stages.parse import ParseStage  # noqa: E402
from ficlens.stages.quotes import QuoteStage  # noqa: E402
from ficlens.stages.speaker_features import FEATURES, candidate_features  # noqa: E402
from ficlens.stages.speakers import sieve  # noqa: E402
from ficlens.stages.speech_evidence import gather  # noqa: E402

PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 31,
    "min_data_in_leaf": 40,
    "feature_fraction": 0.9,
    "lambda_l2": 1.0,
    "deterministic": True,
    "num_threads": 1,
    "seed": 7,
    "verbose": -1,
}
ROUNDS = 300


def load_scorer(shared: Path) -> Any:
    sys.path.insert(0, str(shared / "eval"))
    import score  # type: ignore[import-not-found]

    return score


def novel_rows(folder: Path, cache: Path, score: Any) -> dict[str, Any]:
    """Features, labels and utterance groups for one novel, end to end."""
    pipeline = Pipeline([QuoteStage(), ParseStage(cache_dir=cache), CharacterStage(), CorefStage()])
    doc = pipeline.run(read_path(folder / "novel_text.txt"))
    ctx, evidence = gather(doc)
    chosen = sieve(ctx, evidence)
    gold = score.load_gold(folder)
    text = gold["text"]
    resolver = score.Resolver(gold["characters"])
    g_spans = [score.trim((q["start"], q["end"]), text) for q in gold["quotes"]]
    p_spans = [score.trim((q.start, q.end), text) for q in doc.quotes]
    matched = score.match_spans(g_spans, p_spans)
    gold_of_quote = {p: gold["quotes"][g]["speaker"] for g, p in matched.items()}
    chars = {c.id: {"name": c.name, "aliases": list(c.aliases)} for c in doc.characters}
    xs, ys, groups, sieve_right, reachable = [], [], [], 0, 0
    for ev, (names, feats), pick in zip(
        evidence, candidate_features(ctx, evidence, chosen), chosen, strict=True
    ):
        speaker = next((gold_of_quote[k] for k in ev.quotes if k in gold_of_quote), None)
        if speaker is None or not names:
            continue
        labels = [int(resolver.same(chars.get(n), speaker)) for n in names]
        xs.append(feats)
        ys.extend(labels)
        groups.append(len(names))
        reachable += int(any(labels))
        sieve_right += int(pick is not None and resolver.same(chars.get(pick.speaker or ""), speaker))
    return {
        "X": np.vstack(xs) if xs else np.zeros((0, len(FEATURES))),
        "y": np.asarray(ys, dtype=np.int32),
        "groups": np.asarray(groups, dtype=np.int32),
        "sieve_right": sieve_right,
        "reachable": reachable,
        "utterances": len(groups),
    }


def train(rows: list[dict[str, Any]]) -> Any:
    import lightgbm as lgb

    x = np.vstack([r["X"] for r in rows])
    y = np.concatenate([r["y"] for r in rows])
    data = lgb.Dataset(x, label=y, feature_name=list(FEATURES), free_raw_data=False)
    return lgb.train(PARAMS, data, num_boost_round=ROUNDS)


def top1(booster: Any, r: dict[str, Any]) -> int:
    scores = booster.predict(r["X"], num_threads=1)
    right, start = 0, 0
    for n in r["groups"]:
        best = start + int(np.argmax(scores[start : start + n]))
        right += int(r["y"][best])
        start += n
    return right


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pdnc", type=Path, default=REPO.parent / "shared" / "data" / "pdnc")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--cache", type=Path, default=REPO / ".cache" / "parses")
    ap.add_argument(
        "--out", type=Path, default=REPO / "src" / "ficlens" / "resources" / "models" / "speakers.lgb.txt"
    )
    ap.add_argument("--fold-dir", type=Path, default=REPO / "benchmarks" / "models")
    args = ap.parse_args()
    if not args.pdnc.is_dir():
        print(f"PDNC not found at {args.pdnc}", file=sys.stderr)
        return 2
    score = load_scorer(args.pdnc.parents[1])
    novels = sorted(p.name for p in args.pdnc.iterdir() if (p / "novel_text.txt").exists())
    fold_of = {n: i % args.folds for i, n in enumerate(novels)}
    rows = {}
    for n in novels:
        t = time.time()
        rows[n] = novel_rows(args.pdnc / n, args.cache, score)
        r = rows[n]
        print(
            f"{n:32s} utterances {r['utterances']:5d} "
            f"reachable {r['reachable'] / max(1, r['utterances']):.3f} "
            f"sieve {r['sieve_right'] / max(1, r['utterances']):.3f} ({time.time() - t:.0f}s)",
            flush=True,
        )
    args.fold_dir.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {"folds": fold_of, "novels": {}}
    for k in range(args.folds):
        held = [n for n in novels if fold_of[n] == k]
        booster = train([rows[n] for n in novels if fold_of[n] != k])
        booster.save_model(str(args.fold_dir / f"speakers_fold{k}.lgb.txt"))
        for n in held:
            r = rows[n]
            report["novels"][n] = {
                "fold": k,
                "utterances": r["utterances"],
                "ranker": round(top1(booster, r) / max(1, r["utterances"]), 4),
                "sieve": round(r["sieve_right"] / max(1, r["utterances"]), 4),
                "reachable": round(r["reachable"] / max(1, r["utterances"]), 4),
            }
            print(n, report["novels"][n], flush=True)
    total = sum(r["utterances"] for r in rows.values())
    report["ranker_micro"] = round(
        sum(report["novels"][n]["ranker"] * rows[n]["utterances"] for n in novels) / total, 4
    )
    report["sieve_micro"] = round(sum(r["sieve_right"] for r in rows.values()) / total, 4)
    print("held-out utterance accuracy: ranker", report["ranker_micro"], "sieve", report["sieve_micro"])
    (args.fold_dir / "folds.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    final = train(list(rows.values()))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    final.save_model(str(args.out))
    print("wrote", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
