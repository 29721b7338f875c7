"""Train the speaker ranker on PDNC and LitBank, with cross-validation over whole works.

    python training/train_speakers.py [--pdnc ../shared/data/pdnc] [--litbank ../shared/data/litbank]
        [--folds 5] [--cache .cache/parses] [--out src/ficlens/resources/models/speakers.lgb.txt]
        [--fold-dir benchmarks/models]

For every novel it runs ficlens end to end up to the speaker stage (reading,
structure, quotes, parse, characters, coreference: no gold quotes and no gold
characters), gathers the evidence and the sieve's answers, and turns each
utterance into candidates with features (`ficlens.stages.speaker_features`).
Quotes are found by the quote classifier of the novel's own fold (run
training/train_quotes.py first). A candidate is labelled right when the scorer would count it right (the same
alias rules as ../shared/eval/score.py).

LitBank's 80 excerpts (1,443 quotations with their speakers; gold built by
training/litbank.py) join the training data the same way, each excerpt in
fold *i* mod 5 of the sorted excerpts.

It trains one model per fold on the other folds' works (saved for the
benchmark, so no novel or excerpt is ever scored by a model that saw it),
reports the held-out accuracy of the ranker and of the sieve (PDNC and
LitBank apart), and trains the shipped model on all of them. LightGBM runs
single-threaded with a fixed seed, so the models are reproducible.
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

from ficlens.learned import second_pass_name  # noqa: E402
from ficlens.pipeline import Pipeline  # noqa: E402
from ficlens.readers import read_path  # noqa: E402
from ficlens.stages.characters import CharacterStage  # noqa: E402
from ficlens.stages.coref import CorefStage  # noqa: E402
from ficlens.stages.parse import ParseStage  # noqa: E402
from ficlens.stages.quotes import QuoteStage  # noqa: E402
from ficlens.stages.speaker_features import FEATURES, Candidates, Ranker  # noqa: E402
from ficlens.stages.speakers import (  # noqa: E402
    Attribution,
    candidate_scores,
    decode_conversations,
    rank,
    sieve,
)
from ficlens.stages.speech_evidence import gather  # noqa: E402

sys.path.insert(0, str(REPO / "training"))
import litbank  # noqa: E402

PARAMS: dict[str, Any] = {
    # Candidates compete within an utterance: LambdaRank over each utterance's
    # candidates beat a per-candidate binary classifier by 0.6 points held out.
    "objective": "lambdarank",
    "lambdarank_truncation_level": 3,
    "eval_at": [1],
    "learning_rate": 0.05,
    "num_leaves": 31,
    "min_data_in_leaf": 40,
    # Every feature in every tree: with 0.9 the seed alone moved end-to-end PDNC by up to 100
    # quotes (seeds 7, 11, 13: 28,750, 28,847, 28,859); with 1.0 the seed changes nothing
    # and the models scored 28,859.
    "feature_fraction": 1.0,
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


class Novel:
    """One work (a PDNC novel or a LitBank excerpt) run end to end up to the
    speaker stage, with its gold speakers (``gold`` in the scorer's format)."""

    def __init__(
        self, path: Path, gold: dict[str, Any], cache: Path, score: Any, quote_model: Path | None = None
    ) -> None:
        quotes = QuoteStage(str(quote_model) if quote_model and quote_model.exists() else None)
        pipeline = Pipeline([quotes, ParseStage(cache_dir=cache), CharacterStage(), CorefStage()])
        doc = pipeline.run(read_path(path))
        self.ctx, self.evidence = gather(doc)
        self.candidates = Candidates(self.ctx, self.evidence)
        self.sieve = sieve(self.ctx, self.evidence)
        text = gold["text"]
        self.resolver = score.Resolver(gold["characters"])
        g_spans = [score.trim((q["start"], q["end"]), text) for q in gold["quotes"]]
        p_spans = [score.trim((q.start, q.end), text) for q in doc.quotes]
        matched = score.match_spans(g_spans, p_spans)
        of_quote = {p: gold["quotes"][g]["speaker"] for g, p in matched.items()}
        self.gold = [next((of_quote[k] for k in ev.quotes if k in of_quote), None) for ev in self.evidence]
        self.chars = {c.id: {"name": c.name, "aliases": list(c.aliases)} for c in doc.characters}

    def right(self, att: Attribution | None, i: int) -> bool:
        return att is not None and bool(self.resolver.same(self.chars.get(att.speaker or ""), self.gold[i]))

    def rows(self, chosen: list[Attribution | None]) -> dict[str, Any]:
        """Features (given the answers so far), labels and candidate groups."""
        xs, ys, groups, reachable = [], [], [], 0
        for i, (names, feats) in enumerate(self.candidates.features(chosen)):
            if self.gold[i] is None or not names:
                continue
            labels = [int(self.resolver.same(self.chars.get(n), self.gold[i])) for n in names]
            xs.append(feats)
            ys.extend(labels)
            groups.append(len(names))
            reachable += int(any(labels))
        return {
            "X": np.vstack(xs) if xs else np.zeros((0, len(FEATURES))),
            "y": np.asarray(ys, dtype=np.int32),
            "groups": np.asarray(groups, dtype=np.int32),
            "reachable": reachable,
        }

    def accuracy(self, chosen: list[Attribution | None]) -> float:
        scored = [i for i, g in enumerate(self.gold) if g is not None]
        return sum(self.right(chosen[i], i) for i in scored) / max(1, len(scored))


def picked(
    scored: list[tuple[list[str], np.ndarray]], picks: list[int | None], fallback: list[Attribution | None]
) -> list[Attribution | None]:
    """The speaker each line's pick names (only the speaker is scored), else the fallback's."""
    return [
        Attribution(names[k], None, 0.0) if k is not None else fallback[i]
        for i, ((names, _), k) in enumerate(zip(scored, picks, strict=True))
    ]


def train(rows: list[dict[str, Any]]) -> Any:
    import lightgbm as lgb

    x = np.vstack([r["X"] for r in rows])
    y = np.concatenate([r["y"] for r in rows])
    groups = np.concatenate([r["groups"] for r in rows])
    data = lgb.Dataset(x, label=y, group=groups, feature_name=list(FEATURES), free_raw_data=False)
    return lgb.train(PARAMS, data, num_boost_round=ROUNDS)


def as_ranker(booster: Any) -> Ranker:
    return Ranker(booster.model_to_string())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pdnc", type=Path, default=REPO.parent / "shared" / "data" / "pdnc")
    ap.add_argument("--litbank", type=Path, default=REPO.parent / "shared" / "data" / "litbank")
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
    pdnc = sorted(p.name for p in args.pdnc.iterdir() if (p / "novel_text.txt").exists())
    pdnc_fold = {n: i % args.folds for i, n in enumerate(pdnc)}
    excerpts = litbank.idents(args.litbank) if (args.litbank / "quotations").is_dir() else []
    litbank_fold = {n: i % args.folds for i, n in enumerate(excerpts)}
    fold_of = {**pdnc_fold, **litbank_fold}
    data: dict[str, Novel] = {}
    for n in pdnc + excerpts:
        t = time.time()
        # Quotes as the benchmark will see them: by the quote model of this work's fold.
        quote_model = args.fold_dir / f"quotes_fold{fold_of[n]}.lgb.txt"
        if n in pdnc_fold:
            data[n] = Novel(
                args.pdnc / n / "novel_text.txt",
                score.load_gold(args.pdnc / n),
                args.cache,
                score,
                quote_model,
            )
        else:
            gold = litbank.gold(args.litbank, n)
            data[n] = Novel(litbank.text_path(args.litbank, n), gold, args.cache, score, quote_model)
        print(f"{n[:40]:40s} utterances {len(data[n].evidence):5d} ({time.time() - t:.0f}s)", flush=True)
    novels = pdnc + excerpts
    args.fold_dir.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {
        "folds": pdnc_fold,
        "litbank_folds": litbank_fold,
        "novels": {},
        "litbank": {},
    }
    # Pass 1 reads the sieve's answers; pass 2 reads pass 1's. Each novel's
    # pass-1 answers come from the fold model that never saw it, so pass 2
    # learns from answers as good as those it will meet in use.
    rows1 = {n: data[n].rows(data[n].sieve) for n in novels}
    first: dict[str, list[Attribution | None]] = {}
    for k in range(args.folds):
        booster = train([rows1[n] for n in novels if fold_of[n] != k])
        booster.save_model(str(args.fold_dir / f"speakers_fold{k}.lgb.txt"))
        for n in (n for n in novels if fold_of[n] == k):
            first[n] = rank(data[n].candidates, data[n].sieve, as_ranker(booster))
    rows2 = {n: data[n].rows(first[n]) for n in novels}
    for k in range(args.folds):
        booster = train([rows2[n] for n in novels if fold_of[n] != k])
        booster.save_model(str(args.fold_dir / second_pass_name(f"speakers_fold{k}.lgb.txt")))
        for n in (n for n in novels if fold_of[n] == k):
            d = data[n]
            # Pass 2's features and scores once, read two ways: each line alone, and decoded.
            scored = candidate_scores(d.candidates, first[n], as_ranker(booster))
            alone = [int(np.argmax(scores)) if names else None for names, scores in scored]
            second = picked(scored, alone, first[n])
            decoded = picked(scored, decode_conversations(d.evidence, scored), [None] * len(scored))
            report["novels" if n in pdnc_fold else "litbank"][n] = {
                "fold": k,
                "utterances": sum(g is not None for g in d.gold),
                "reachable": round(rows1[n]["reachable"] / max(1, len(rows1[n]["groups"])), 4),
                "sieve": round(d.accuracy(d.sieve), 4),
                "pass1": round(d.accuracy(first[n]), 4),
                "pass2": round(d.accuracy(second), 4),
                "decoded": round(d.accuracy(decoded), 4),
            }
            if n in report["novels"]:
                print(n, report["novels"][n], flush=True)
    for part, prefix in (("novels", ""), ("litbank", "litbank_")):
        works = report[part].values()
        total = sum(r["utterances"] for r in works)
        for key in ("sieve", "pass1", "pass2", "decoded"):
            report[f"{prefix}{key}_micro"] = round(
                sum(r[key] * r["utterances"] for r in works) / max(1, total), 4
            )
        print(
            f"held-out utterance accuracy ({'PDNC' if part == 'novels' else 'LitBank'}):",
            {k: report[f"{prefix}{k}_micro"] for k in ("sieve", "pass1", "pass2", "decoded")},
        )
    (args.fold_dir / "folds.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    train(list(rows1.values())).save_model(str(args.out))
    train(list(rows2.values())).save_model(second_pass_name(str(args.out)))
    print("wrote", args.out, "and its second pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())
