"""A self-contained, explorable HTML report: one file, no network, works from file://.

The page's HTML, CSS and JS are package resources (``resources/report/``).
The analysis is embedded as JSON in a ``<script type="application/json">``
block with ``<``, ``>`` and ``&`` escaped, so no story text can close the
block or open a tag; the page's script builds the DOM with ``textContent``
only. A Content-Security-Policy allows nothing but the report's own style
and script (by hash), so even a missed escape could run nothing.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections import Counter
from typing import Any

from ficlens.model import Document
from ficlens.resources import read_text
from ficlens.stages.tags import Evidence, prominence

SUFFIXES = (".html", ".htm")
#: Speaker colours: each at least 3:1 against white (WCAG non-text contrast).
PALETTE = (
    "#0072b2",
    "#d55e00",
    "#009e73",
    "#7b3294",
    "#b2182b",
    "#8c510a",
    "#c51b7d",
    "#4a6b00",
    "#01665e",
    "#5e3c99",
    "#a6611a",
    "#2166ac",
)
#: The interaction network shows at most this many characters.
NETWORK_SIZE = 12
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def json_for_script(data: Any) -> str:
    """JSON safe inside a <script> element: no "<", ">" or "&" can end it or start markup."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _sha256(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode() + "'"


def title(doc: Document) -> str:
    """The work's title; for plain text, a short first line that does not end a sentence."""
    if doc.work.title:
        return doc.work.title
    first = doc.text.lstrip().split("\n", 1)[0].strip()
    if 0 < len(first) <= 80 and first[-1] not in '.!?"”’…':
        return first
    return "Untitled"


def report_data(doc: Document) -> dict[str, Any]:
    """What the page shows: the analysis, plus colours, words spoken and the network's edges."""
    ev = Evidence(doc)
    ranked = sorted(doc.characters, key=lambda c: (-prominence(c, ev), c.id))
    colour = {c.id: PALETTE[k % len(PALETTE)] for k, c in enumerate(ranked)}
    shown = {c.id for c in ranked[:NETWORK_SIZE]}
    scenes_together: Counter[frozenset[str]] = Counter()
    for present in ev.in_scene:
        people = sorted(present & shown)
        for i, a in enumerate(people):
            for b in people[i + 1 :]:
                scenes_together[frozenset((a, b))] += 1
    pairs = set(scenes_together) | {p for p in ev.dialogue if p <= shown}
    edges = [
        {"a": a, "b": b, "dialogue": ev.dialogue[p], "scenes": scenes_together[p]}
        for p in pairs
        for a, b in [sorted(p)]
    ]
    work = doc.work
    return {
        "title": title(doc),
        "work": {
            "authors": list(work.authors),
            "url": work.url,
            "source_format": work.source_format,
            "tags": {
                "Rating": list(work.rating),
                "Warnings": list(work.warnings),
                "Categories": list(work.categories),
                "Fandoms": list(work.fandoms),
                "Relationships": list(work.relationships),
                "Characters": list(work.characters),
                "Additional tags": list(work.additional_tags),
            },
        },
        "text": doc.text,
        "chapters": [{"start": c.start, "end": c.end, "title": c.title} for c in doc.chapters],
        "paragraphs": [[p.start, p.end] for p in doc.paragraphs],
        "scenes": [
            {
                "id": s.id,
                "start": s.start,
                "end": s.end,
                "chapter": s.chapter,
                "pov": s.pov,
                "person": s.person,
                "tense": s.tense,
            }
            for s in doc.scenes
        ],
        "characters": [
            {
                "id": c.id,
                "name": c.name,
                "aliases": list(c.aliases),
                "pronouns": [p for p, _ in sorted(c.pronouns, key=lambda kv: -kv[1])],
                "mentions": c.mentions,
                "lines": c.quotes,
                "words": ev.words_spoken[c.id],
                "colour": colour[c.id],
                "network": c.id in shown,
            }
            for c in ranked
        ],
        "quotes": [
            {
                "id": q.id,
                "start": q.start,
                "end": q.end,
                "speaker": q.speaker,
                "addressees": list(q.addressees),
                "kind": q.kind,
                "confidence": q.confidence,
            }
            for q in doc.quotes
        ],
        "thoughts": [[t.start, t.end, t.character] for t in doc.thoughts],
        "mentions": [[m.start, m.end, m.character, m.kind] for m in doc.mentions],
        "edges": sorted(edges, key=lambda e: (e["a"], e["b"])),
        "narration": {"person": doc.narration.person, "tense": doc.narration.tense},
        "tags": doc.tags.to_dict(),
    }


def render(doc: Document) -> str:
    style = read_text("report/report.css")
    script = read_text("report/report.js")
    csp = (
        f"default-src 'none'; style-src {_sha256(style)}; script-src {_sha256(script)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    values = {
        "CSP": html.escape(csp, quote=False),  # single quotes only; the attribute is double-quoted
        "TITLE": html.escape(title(doc)),
        "STYLE": style,
        "SCRIPT": script,
        "DATA": json_for_script(report_data(doc)),
    }
    # One pass over the template: substituted values are never scanned again.
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], read_text("report/report.html"))
