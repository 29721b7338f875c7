"""The local engine when a worker process dies: the pool is rebuilt, the
innocent works in flight succeed, and only the work that kills a worker on its
own is a failure (E014)."""

from __future__ import annotations

from collections import Counter

from ficlens.corpus.inputs import WorkInput
from ficlens.corpus.run import LocalEngine
from tests.corpus.crashing import crash_on_boom, no_models


def test_a_work_that_kills_its_worker_is_the_only_failure() -> None:
    works = [WorkInput(f"id{k}", key, key) for k, key in enumerate(["a", "b", "boom", "c", "d", "e"])]
    with LocalEngine(2, task=crash_on_boom, initializer=no_models) as engine:
        results = list(engine.results(works, "unused"))
    assert Counter(r.work.key for r in results) == Counter(w.key for w in works)  # each exactly once
    failed = {r.work.key: r for r in results if r.rows is None}
    assert list(failed) == ["boom"]
    assert failed["boom"].code == "E014" and "worker process died" in (failed["boom"].message or "")
