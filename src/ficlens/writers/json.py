"""The JSON analysis (schema ``ficlens/1``), documented in docs/output.md."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ficlens.model import Document

SUFFIXES = (".json",)


def render(doc: Document) -> str:
    return "".join(chunks(doc))


def chunks(doc: Document) -> Iterator[str]:
    """The JSON text in pieces, field by field and list item by item, so a
    very long work is never held as one dict tree and one string. The text is
    the same as ``dumps(doc.to_dict())``."""
    yield "{"
    for k, (key, value) in enumerate(doc.fields()):
        yield ("," if k else "") + f"\n {json.dumps(key)}: "
        if not isinstance(value, Iterator):
            yield _nested(value, 1)
            continue
        opened = False
        for item in value:
            yield (",\n  " if opened else "[\n  ") + _nested(item, 2)
            opened = True
        yield "\n ]" if opened else "[]"
    yield "\n}\n"


def _nested(value: Any, depth: int) -> str:
    """``value`` as ``json.dumps(indent=1)`` writes it at this depth."""
    return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * depth)


def dumps(analysis: dict[str, Any]) -> str:
    """The JSON text of an analysis already turned into a dict."""
    return json.dumps(analysis, ensure_ascii=False, indent=1) + "\n"
