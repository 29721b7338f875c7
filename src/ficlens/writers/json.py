"""The JSON analysis (schema ``ficlens/1``), documented in docs/output.md."""

from __future__ import annotations

import json
from typing import Any

from ficlens.model import Document

SUFFIXES = (".json",)


def render(doc: Document) -> str:
    return dumps(doc.to_dict())


def dumps(analysis: dict[str, Any]) -> str:
    """The JSON text of an analysis already turned into a dict."""
    return json.dumps(analysis, ensure_ascii=False, indent=1) + "\n"
