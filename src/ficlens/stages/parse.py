"""Parse the paragraphs once, for every stage that needs syntax.

Parsing is most of a run's time, so a parse can be cached on disk (as .npz,
keyed by the text, its paragraphs and the model name): re-analysing a work
with changed later stages, as training and benchmarks do, then skips it.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import ClassVar

from ficlens import nlp
from ficlens.model import Document, TokenTable, load_tokens, save_tokens
from ficlens.nlp.repair import repair_names
from ficlens.stages.base import Stage


class ParseStage(Stage[TokenTable]):
    name = "parse"
    requires: ClassVar[tuple[str, ...]] = ("text", "paragraphs")
    provides: ClassVar[tuple[str, ...]] = ("tokens",)

    def __init__(self, model: str | None = None, cache_dir: str | Path | None = None) -> None:
        """``cache_dir`` (or FICLENS_PARSE_CACHE): where to keep parses between runs."""
        self.model = model
        cache = cache_dir or os.environ.get("FICLENS_PARSE_CACHE")
        self.cache_dir = Path(cache) if cache else None

    def _cache_path(self, doc: Document) -> Path | None:
        if self.cache_dir is None:
            return None
        h = hashlib.sha1(doc.text.encode("utf-8"))
        h.update(repr([(p.start, p.end) for p in doc.paragraphs]).encode())
        h.update(repr((nlp.model_names(self.model), nlp.TOKENIZER_VERSION)).encode())
        return self.cache_dir / f"{h.hexdigest()[:20]}.npz"

    def predict(self, doc: Document) -> TokenTable:
        path = self._cache_path(doc)
        if path is not None and path.exists():
            return repair_names(load_tokens(str(path)))
        table = nlp.parse(doc.text, doc.paragraphs, self.model)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.npz")
            save_tokens(table, str(tmp))
            tmp.replace(path)
        return repair_names(table)

    def annotate(self, doc: Document, prediction: TokenTable) -> Document:
        return doc.with_(tokens=prediction)
