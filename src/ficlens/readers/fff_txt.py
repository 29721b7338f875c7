"""Read FanFicFare's TXT download format.

FanFicFare's TXT writer lays a story out as: the title, ``by <author>``, a
title page of ``Label: value`` lines, ``TABLE OF CONTENTS`` (only when the
story has several chapters), then each chapter introduced by its title on a
tab-indented line (8 spaces once its line wrapping has expanded the tab), the
chapter's HTML rendered by html2text (``_italics_``, ``**bold**``, ``* * *``
for a rule, lines wrapped at 78 columns), and finally ``End file.``.

Unlike the plain-text reader this one rebuilds the text: the story alone,
each paragraph unwrapped onto one line and paragraphs joined by a blank line,
markdown emphasis turned into `Emphasis` spans, chapter titles lifted into
`Chapter` records. Offsets therefore refer to that rebuilt text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field

from ficlens.model import Block, Chapter, Emphasis, EmphasisStyle, Source, WorkMeta
from ficlens.readers.labels import ENTRY, entries, split_list, work_meta

__all__ = ["looks_like", "read"]

_TOC = "TABLE OF CONTENTS"
_END = "End file."
#: The chapter title line: the writer's tab, or the 8 spaces textwrap expands it to.
_INDENTED = re.compile(r"(?:\t| {8})\S")

# Markdown html2text emits. Spans cannot cross the marker character, so each
# attempt scans at most to the next marker: linear time.
_BOLD = re.compile(r"(?<!\\)\*\*([^\s*](?:[^*]{0,5000}?[^\s*\\])?)\*\*")
_ITALIC = re.compile(r"(?<![\w\\])_([^\s_](?:[^_]{0,5000}?[^\s_\\])?)_(?!\w)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])")


def _unix(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def looks_like(text: str) -> bool:
    """Whether ``text`` is a FanFicFare TXT download: a ``by`` line under the
    title, and either a table of contents or the closing ``End file.``."""
    head = _unix(text[:20000]).split("\n")
    firsts = [line.strip() for line in head if line.strip()][:2]
    if len(firsts) < 2 or not firsts[1].startswith("by "):
        return False
    return _TOC in (line.strip() for line in head) or _unix(text[-200:]).rstrip().endswith(_END)


@dataclass
class _Layout:
    """Where the parts of the file lie, as line indices."""

    title: str | None = None
    author: str | None = None
    meta: list[str] = field(default_factory=list)
    toc: list[str] = field(default_factory=list)
    headings: list[int] = field(default_factory=list)
    body_start: int = 0
    body_end: int = 0


def _paragraphs(lines: list[str], start: int, end: int) -> list[list[str]]:
    """Runs of non-blank lines in ``lines[start:end]``."""
    out: list[list[str]] = []
    run: list[str] = []
    for line in lines[start:end]:
        if line.strip():
            run.append(line)
        elif run:
            out.append(run)
            run = []
    if run:
        out.append(run)
    return out


def _squash(text: str) -> str:
    return " ".join(text.split())


def _is_heading_candidate(lines: list[str], i: int) -> bool:
    """A chapter title line: indented, after a blank line."""
    return bool(_INDENTED.match(lines[i])) and (i == 0 or not lines[i - 1].strip())


def _find_headings(lines: list[str], start: int, end: int, toc: list[str]) -> list[int]:
    """Line indices of chapter titles. With a table of contents, only indented
    lines matching the next expected title count (html2text indents code
    blocks too); without one, or if nothing matches, every candidate does."""
    candidates = [i for i in range(start, end) if _is_heading_candidate(lines, i)]
    if not toc:
        return candidates
    matched: list[int] = []
    for i in candidates:
        if len(matched) < len(toc) and _heading_text(lines, i) == toc[len(matched)]:
            matched.append(i)
    return matched or candidates


def _heading_text(lines: list[str], i: int) -> str:
    """A title line plus any wrapped continuation lines, squashed."""
    parts = [lines[i]]
    j = i + 1
    while j < len(lines) and lines[j].strip() and not _INDENTED.match(lines[j]):
        parts.append(lines[j])
        j += 1
    return _squash(" ".join(parts))


def _layout(lines: list[str]) -> _Layout:
    """Locate title, byline, title page, table of contents and chapters."""
    lay = _Layout()
    nonblank = [i for i, line in enumerate(lines[:400]) if line.strip()]
    i = 0
    if nonblank:
        lay.title = lines[nonblank[0]].strip()
        i = nonblank[0] + 1
        if len(nonblank) > 1 and lines[nonblank[1]].strip().startswith("by "):
            lay.author = lines[nonblank[1]].strip()[3:].strip()
            i = nonblank[1] + 1
    end = len(lines)
    while end > i and not lines[end - 1].strip():
        end -= 1
    if end > i and lines[end - 1].strip() == _END:
        end -= 1
    lay.body_end = end
    toc_at = next((j for j in range(i, end) if lines[j].strip() == _TOC), -1)
    first_heading = next((j for j in range(i, end) if _is_heading_candidate(lines, j)), end)
    if 0 <= toc_at < first_heading:
        lay.meta = lines[i:toc_at]
        lay.toc = [_squash(" ".join(p)) for p in _paragraphs(lines, toc_at + 1, first_heading)]
        body_start = toc_at + 1
    elif first_heading < end:
        lay.meta = lines[i:first_heading]
        body_start = first_heading
    else:
        body_start = _title_page_end(lines, i, end)
        lay.meta = lines[i:body_start]
    lay.body_start = body_start
    lay.headings = _find_headings(lines, body_start, end, lay.toc)
    return lay


def _title_page_end(lines: list[str], start: int, end: int) -> int:
    """Without chapter titles, the title page ends at the first double blank
    line after a ``Label: value`` entry (the writer closes it with three)."""
    seen_entry = False
    for j in range(start, end - 1):
        seen_entry = seen_entry or bool(ENTRY.fullmatch(lines[j].strip()))
        if seen_entry and not lines[j].strip() and not lines[j + 1].strip():
            return j
    return start


def _work(lay: _Layout) -> WorkMeta:
    """Map title-page labels onto WorkMeta's typed fields; the rest go to ``extra``."""
    values: dict[str, object] = {"source_format": "fanficfare-txt", "title": lay.title}
    if lay.author:
        values["authors"] = split_list(lay.author)
    return work_meta(entries(lay.meta), **values)


def _strip(
    text: str, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str]
) -> tuple[str, list[tuple[int, int]], list[int]]:
    """Apply ``pattern``, keeping group 1 (or ``replace``'s answer).

    Returns the new text, the new spans of the kept content, and the old
    positions of removed characters, so spans found earlier can be moved.
    """
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    removed: list[int] = []
    pos = 0
    size = 0
    for m in pattern.finditer(text):
        out.append(text[pos : m.start()])
        size += m.start() - pos
        kept = replace(m)
        inner_start = m.start(1)
        removed.extend(range(m.start(), inner_start))
        removed.extend(range(m.end(1), m.end()))
        spans.append((size, size + len(kept)))
        out.append(kept)
        size += len(kept)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), spans, removed


def _shift(
    spans: list[tuple[int, int, EmphasisStyle]], removed: list[int]
) -> list[tuple[int, int, EmphasisStyle]]:
    """Move spans over characters that were taken out before them."""
    return [(s - bisect_left(removed, s), e - bisect_left(removed, e), st) for s, e, st in spans]


def _inline(text: str) -> tuple[str, list[tuple[int, int, EmphasisStyle]]]:
    """Turn html2text markdown into plain text and emphasis spans.

    ``_word_`` only counts when the underscores sit outside word characters,
    so ``snake_case`` and a lone ``_`` stay as written; ``\\_`` escapes stay
    literal and lose their backslash.
    """
    spans: list[tuple[int, int, EmphasisStyle]] = []
    passes: tuple[tuple[re.Pattern[str], EmphasisStyle], ...] = ((_BOLD, "bold"), (_ITALIC, "italic"))
    for pattern, style in passes:
        text, found, removed = _strip(text, pattern, lambda m: m.group(1))
        spans = _shift(spans, removed)
        spans.extend((s, e, style) for s, e in found)
    text, _, removed = _strip(text, _ESCAPE, lambda m: m.group(1))
    return text, sorted(_shift(spans, removed))


def _unwrap(lines: list[str]) -> str:
    """Join a wrapped paragraph; html2text's ``<br>`` (two trailing spaces) stays a line break."""
    out: list[str] = []
    for n, line in enumerate(lines):
        if n:
            out.append("\n" if lines[n - 1].endswith("  ") else " ")
        out.append(line.strip())
    return "".join(out)


class _Builder:
    """Accumulates the rebuilt story text with its blocks and emphasis."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.blocks: list[Block] = []
        self.emphasis: list[Emphasis] = []

    def add(self, raw: list[str]) -> None:
        para, spans = _inline(_unwrap(raw))
        if not para:
            return
        if self.parts:
            self.parts.append("\n\n")
            self.size += 2
        start = self.size
        self.parts.append(para)
        self.size += len(para)
        self.blocks.append(Block(start, self.size))
        self.emphasis.extend(Emphasis(start + s, start + e, st) for s, e, st in spans if e > s)


def read(text: str) -> Source:
    """Read a FanFicFare TXT download into the story text, its chapters and metadata."""
    lines = _unix(text).split("\n")
    lay = _layout(lines)
    build = _Builder()
    chapters: list[Chapter] = []
    bounds = [*lay.headings, lay.body_end]
    for n, at in enumerate(lay.headings):
        title = _heading_text(lines, at)
        title_end = at + 1
        while title_end < bounds[n + 1] and lines[title_end].strip():
            title_end += 1
        first_block = len(build.blocks)
        for para in _paragraphs(lines, title_end, bounds[n + 1]):
            build.add(para)
        if len(build.blocks) > first_block:
            start, end = build.blocks[first_block].start, build.blocks[-1].end
        else:
            start = end = build.size
        chapters.append(Chapter(start, end, title or None))
    if not lay.headings:
        for para in _paragraphs(lines, lay.body_start, lay.body_end):
            build.add(para)
    return Source(
        text="".join(build.parts),
        work=_work(lay),
        blocks=tuple(build.blocks),
        chapters=tuple(chapters),
        emphasis=tuple(build.emphasis),
    )
