"""The JSON analysis (schema ``ficlens/1``), documented in docs/output.md."""

from __future__ import annotations

import json

from ficlens.model import Document

SUFFIXES = (".json",)


def render(doc: Document) -> str:
    return json.dumps(doc.to_dict(), ensure_ascii=False, indent=1) + "\n"
