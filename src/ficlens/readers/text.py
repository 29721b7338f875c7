"""Read plain text into paragraph blocks, keeping the text verbatim.

Fan fiction saved as text comes in two shapes: paragraphs separated by blank
lines (which includes hard-wrapped, Gutenberg-style text where a paragraph
spans several lines) and one paragraph per line with no blank lines between.
NLP corpora add a third: tokenised text, one sentence a line (LitBank), whose
paragraphs are rebuilt from its quotations. The reader guesses which shape it
sees from line endings, then cuts blocks.
``Source.text`` is the input string untouched, so every offset a later stage
reports is an offset into the file as decoded.

Everything here is one or two linear scans: no regex that can backtrack, and
no copy of the text beyond one line at a time (and, when a story header opens
it, one copy of what follows the header, whose shape is judged alone).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from ficlens.model import Block, Source, WorkMeta
from ficlens.readers.labels import find_header, work_meta
from ficlens.resources import speech_forms

__all__ = ["read"]

_NEWLINE = re.compile(r"\r\n|\r|\n")
#: Characters scanned per `str.split` call.
_CHUNK = 1 << 20

#: Characters a wrapped line commonly ends on when the sentence runs on.
_RUNS_ON = frozenset(",;")

#: Share of lines ending mid-sentence above which a multi-line group is wrapped prose.
_WRAPPED_SHARE = 0.5
#: Share of content lines that are alone in their group above which blank lines separate paragraphs.
_ALONE_SHARE = 0.5


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Yield ``(start, line)`` for every line, without its terminator.

    Handles ``\\n``, ``\\r\\n`` and a lone ``\\r`` alike, so offsets stay
    offsets into the verbatim text whatever the line endings are. Works a
    chunk at a time so that ``str.split`` does the scanning at C speed while
    memory stays bounded by the chunk size.
    """
    size = len(text)
    pos = 0
    while pos < size:
        cut = text.find("\n", min(pos + _CHUNK, size))
        stop = size if cut < 0 else cut + 1
        chunk = text[pos:stop]
        if "\r" in chunk:
            yield from _lines_slow(chunk, pos)
        else:
            lines = chunk.split("\n")
            if chunk.endswith("\n"):
                lines.pop()
            for line in lines:
                yield pos, line
                pos += len(line) + 1
        pos = stop


def _lines_slow(chunk: str, base: int) -> Iterator[tuple[int, str]]:
    """`_lines` for a chunk holding carriage returns."""
    pos = 0
    for match in _NEWLINE.finditer(chunk):
        yield base + pos, chunk[pos : match.start()]
        pos = match.end()
    if pos < len(chunk):
        yield base + pos, chunk[pos:]


def _trim(start: int, line: str) -> tuple[int, int] | None:
    """The span of ``line`` (which begins at ``start``) without surrounding whitespace, or None if blank."""
    stripped = line.strip()
    if not stripped:
        return None
    lead = start + len(line) - len(line.lstrip())
    return lead, lead + len(stripped)


def _runs_on(line: str) -> bool:
    """Whether a non-blank ``line`` stops mid-sentence (a sign of hard wrapping)."""
    last = line.rstrip()[-1]
    return last.isalnum() or last in _RUNS_ON


def _uses_blank_lines(text: str) -> bool:
    """Decide whether blank lines, rather than line breaks, separate paragraphs.

    Blank-line text is either mostly one line per group (a blank line after
    every paragraph) or hard-wrapped (lines inside a group mostly stop
    mid-sentence). One-paragraph-per-line text has lines that end sentences.
    """
    content = alone = inner = inner_running = 0
    group_len = 0
    prev = ""
    for _, line in _lines(text):
        if not line or line.isspace():
            if group_len == 1:
                alone += 1
            group_len = 0
            continue
        content += 1
        if group_len:
            inner += 1
            inner_running += _runs_on(prev)
        group_len += 1
        prev = line
    if group_len == 1:
        alone += 1
    if content == 0:
        return True
    if inner == 0 or alone / content > _ALONE_SHARE:
        return True
    return inner_running / inner >= _WRAPPED_SHARE


def _blocks_by_blank_lines(text: str) -> Iterator[Block]:
    """One block per run of non-blank lines, trimmed."""
    first = last = -1
    for start, line in _lines(text):
        span = _trim(start, line)
        if span is None:
            if first >= 0:
                yield Block(first, last)
                first = -1
            continue
        if first < 0:
            first = span[0]
        last = span[1]
    if first >= 0:
        yield Block(first, last)


def _blocks_by_lines(text: str) -> Iterator[Block]:
    """One block per non-blank line, trimmed."""
    for start, line in _lines(text):
        span = _trim(start, line)
        if span is not None:
            yield Block(*span)


#: Share of lines ending in a spaced full stop ("… the sun .") above which the
#: text is tokenised, one sentence a line.
_TOKENISED_SHARE = 0.5
_SPACED_END = re.compile(r" [.?!]['\"”’ ]*$")


def _tokenised(text: str) -> bool:
    """Whether the text is tokenised with one sentence a line, as NLP corpora
    ship fiction (LitBank): its lines mostly end in a spaced full stop."""
    lines = spaced = 0
    for _, line in _lines(text):
        if line.strip():
            lines += 1
            spaced += bool(_SPACED_END.search(line.rstrip()))
            if lines >= 400:
                break
    return lines >= 5 and spaced > _TOKENISED_SHARE * lines


_QUOTE_MARKS = frozenset("\"'“‘«")


def _scan(line: str, was_open: str = "") -> tuple[str, str | None]:
    """The mark a quotation still open after the tokenised line was opened with
    ('"' for double marks, "'" for single; "" when none is open), and the
    narration that ends it after its last closing mark (the whole line when it
    has no mark and opens in narration; None when it ends inside a quotation).
    A single mark that stands alone is a quotation mark (", ’ I said", "' Mr.
    Heathcliff ? '"), but it never closes a double one: the plural possessive
    stands alone too ("at Lyons ’ , and"), while an apostrophe within a word
    never does ("do n’t", "Lockwood 's")."""
    tail = -1 if was_open else 0
    for i, ch in enumerate(line):
        alone = line[i - 1 : i] in ("", " ") and line[i + 1 : i + 2] in ("", " ")
        if ch == '"':
            was_open = "" if was_open == '"' else '"'
        elif ch == "'" and alone:
            if was_open == '"':
                continue
            was_open = "" if was_open else "'"
        elif ch in "“«":
            was_open = '"'
        elif ch == "‘":
            if was_open == '"':
                continue
            was_open = "'"
        elif ch in "”»" or (ch == "’" and alone and was_open != '"'):
            was_open = ""
        else:
            continue
        tail = -1 if was_open else i + 1
    return was_open, (None if was_open or tail < 0 else line[tail:])


def _tags(narration: str | None, first: int | None = None) -> bool:
    """Whether narration after a quote holds a speech verb ("said the surgeon"),
    among its ``first`` words when given (a tag the sentence splitter cut from
    its quote: "“ Why ? ” / I asked .")."""
    return narration is not None and any(w.lower() in speech_forms() for w in narration.split()[:first])


def _blocks_by_sentences(text: str) -> Iterator[Block]:
    """Paragraphs rebuilt from one sentence a line, where the corpus kept none: a
    line joins the one before when it carries on a quotation left open there
    (a speech of several sentences) without opening one of its own, or starts
    in lower case or with a speech tag after a line that ends a quotation (the
    sentence splitter's cuts: '" Are you sleepy , darling ? "' / 'she said .';
    '" Why ? "' / 'I asked .'); any other line starts a paragraph of its own, as in the
    one-line-a-paragraph shape. One more joins: an untagged line of speech
    after a tagged one ("' …, nurse , ' said the surgeon , putting on his
    gloves ." / "' It 's very likely … '"), which in novels carries on the
    same paragraph about three times in four; a tagged one starts a new one."""
    first = last = -1
    quoting = ""
    tagged = seen_quote = after_quote = False
    for start, line in _lines(text):
        span = _trim(start, line)
        if span is None:
            continue
        content = text[span[0] : span[1]]
        # A line opening with a quotation mark starts a line of speech, whatever
        # the count of marks before says (a stray mark must not chain paragraphs).
        opens_quote = content[0] in _QUOTE_MARKS
        carries_on = (
            (quoting and not opens_quote) or content[0].islower() or (after_quote and _tags(content, 3))
        )
        said_on = tagged and opens_quote and not quoting and not _tags(_scan(content)[1])
        if first >= 0 and not (carries_on or said_on):
            yield Block(first, last)
            first = -1
            quoting = ""
            tagged = seen_quote = False
        if first < 0:
            first = span[0]
        last = span[1]
        quoting, narration = _scan(content, quoting)
        after_quote = narration is not None and not narration.strip()  # the line ends a quotation
        if narration != content:  # a line with quotation marks
            seen_quote, tagged = True, _tags(narration)
        elif seen_quote:  # narration after the block's quote: "said the nurse , picking up …"
            tagged = tagged or _tags(narration)
    if first >= 0:
        yield Block(first, last)


def read(text: str) -> Source:
    """Read decoded plain text; ``Source.text`` is ``text`` itself.

    A header of ``Label: value`` lines above the story ("Title:", "Pairing:",
    "Summary:") is the work's metadata: its blocks are marked ``front``, never
    story."""
    header = find_header(text)
    # The story's shape decides, not the header's one-line entries.
    body = text[header.end :] if header else text
    if _uses_blank_lines(body):
        blocks = _blocks_by_blank_lines(text)
    elif _tokenised(body):
        blocks = _blocks_by_sentences(text)
    else:
        blocks = _blocks_by_lines(text)
    if header is None:
        return Source(text=text, work=WorkMeta(source_format="text"), blocks=tuple(blocks))
    return Source(
        text=text,
        work=work_meta(header.entries, source_format="text"),
        blocks=_front(text, blocks, header.end),
    )


def _front(text: str, blocks: Iterator[Block], end: int) -> tuple[Block, ...]:
    """Blocks before ``end`` marked ``front``; one running past it is cut there
    (a header with no blank line under it)."""
    out: list[Block] = []
    for b in blocks:
        if b.start >= end:
            out.append(b)
        elif b.end <= end:
            out.append(replace(b, hint="front"))
        else:
            out += [Block(b.start, end, "front"), Block(b.end - len(text[end : b.end].lstrip()), b.end)]
    return tuple(out)
