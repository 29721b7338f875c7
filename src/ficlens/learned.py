"""Trained models shipped as LightGBM text: loaded safely, used deterministically.

Every learned component (the quote classifier, the speaker ranker) is a
LightGBM booster saved with ``save_model`` as plain text in
``ficlens/resources/models/``. Text models cannot run code when loaded (as a
pickle can), diff cleanly, and predict identically on every machine.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np


class TextModel:
    """A LightGBM booster over named features."""

    def __init__(self, model_text: str, features: Sequence[str]) -> None:
        import lightgbm as lgb

        self.booster = lgb.Booster(model_str=model_text)
        if tuple(self.booster.feature_name()) != tuple(features):
            raise ValueError("the model was trained on other features; retrain it")

    def predict(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(self.booster.predict(x, num_threads=1), dtype=np.float64)


def second_pass_name(name: str) -> str:
    """The second-pass model's file name beside a first-pass one."""
    return name.replace(".lgb.txt", ".pass2.lgb.txt")


@lru_cache(maxsize=16)
def model_text(resource: str, path: str | None = None) -> str | None:
    """The text of a model: from ``path`` when given, else the shipped
    ``resources/<resource>``; None when there is none."""
    if path is not None:
        p = Path(path)
        return p.read_text(encoding="utf-8") if p.is_file() else None
    res = resources.files("ficlens.resources").joinpath(resource)
    return res.read_text(encoding="utf-8") if res.is_file() else None
