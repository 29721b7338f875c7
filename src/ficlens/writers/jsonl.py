"""The audiobook script as JSON lines: one object per line, with offsets.

The same lines as `ficlens.writers.script`, in reading order, each with its
kind, speaker id, label, text, span(s) in ``text``, addressees, quote ids and
confidence, so a TTS pipeline can pick voices and link back to the analysis.
"""

from __future__ import annotations

import json

from ficlens.model import Document
from ficlens.writers.script import script_lines

SUFFIXES = (".jsonl",)


def render(doc: Document) -> str:
    return "".join(
        json.dumps(
            {
                "kind": line.kind,
                "speaker": line.speaker,
                "name": line.name,
                "text": line.text,
                "start": line.start,
                "end": line.end,
                "spans": [list(s) for s in line.spans],
                "addressees": list(line.addressees),
                "quotes": list(line.quotes),
                "confidence": line.confidence,
            },
            ensure_ascii=False,
        )
        + "\n"
        for line in script_lines(doc)
    )
