"""BookNLP-compatible exports: ``.tokens``, ``.entities`` and ``.quotes``.

Tab-separated with BookNLP's own header lines and column order, so code that
reads BookNLP's output reads these unchanged. Differences (docs/output.md):
offsets are character offsets into the analysis ``text``; ``COREF`` is the
character's position in ``characters``; only character (PER) entities are
written; ``event`` is always ``O``. Needs the parse, so it cannot be written
after ``--stages structure``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence

from ficlens.errors import ErrorCode, FiclensError
from ficlens.model import Document, Mention, Paragraph, Quote, TokenTable
from ficlens.spans import SpanIndex

#: ``-o book.tokens`` (or .entities, .quotes) picks this format; the three
#: files are written beside each other as ``book.tokens``, ``book.entities``, ``book.quotes``.
SUFFIXES = (".tokens", ".entities", ".quotes")
TOKENS_HEADER = (
    "paragraph_ID",
    "sentence_ID",
    "token_ID_within_sentence",
    "token_ID_within_document",
    "word",
    "lemma",
    "byte_onset",
    "byte_offset",
    "POS_tag",
    "fine_POS_tag",
    "dependency_relation",
    "syntactic_head_ID",
    "event",
)
ENTITIES_HEADER = ("COREF", "start_token", "end_token", "prop", "cat", "text")
QUOTES_HEADER = (
    "quote_start",
    "quote_end",
    "mention_start",
    "mention_end",
    "mention_phrase",
    "char_id",
    "quote",
)
PROP = {"name": "PROP", "pronoun": "PRON", "nominal": "NOM"}
_SPACE = re.compile(r"\s+")


def _field(value: object) -> str:
    """One TSV field: no tab or line break can split a row."""
    return _SPACE.sub(" ", str(value)).strip()


def _table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = ["\t".join(header)]
    lines.extend("\t".join(_field(v) for v in row) for row in rows)
    return "\n".join(lines) + "\n"


class _Tokens:
    """The parse without whitespace tokens, renumbered, with offset look-ups."""

    def __init__(self, table: TokenTable) -> None:
        self.table = table
        self.rows = [r for r, w in enumerate(table.words) if w.strip()]
        self.id_of = {r: k for k, r in enumerate(self.rows)}
        self.starts = [int(table.start[r]) for r in self.rows]
        self.ends = [int(table.end[r]) for r in self.rows]

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """First and last token (inclusive) inside [start, end), or None."""
        first = bisect.bisect_left(self.ends, start + 1)
        last = bisect.bisect_left(self.starts, end) - 1
        return (first, last) if first <= last else None


def _tokens_file(tokens: _Tokens) -> str:
    t = tokens.table
    rows = []
    previous, within = None, 0
    for k, r in enumerate(tokens.rows):
        sentence = int(t.sentence[r])
        within = within + 1 if sentence == previous else 0
        previous = sentence
        head = tokens.id_of.get(int(t.head[r]), k)
        rows.append(
            (
                int(t.paragraph[r]),
                sentence,
                within,
                k,
                t.words[r],
                t.lemmas[r],
                int(t.start[r]),
                int(t.end[r]),
                t.pos[r],
                t.tags[r],
                t.deps[r],
                head,
                "O",
            )
        )
    return _table(TOKENS_HEADER, rows)


def _nearest_mention(
    quote: Quote,
    mentions: Sequence[Mention],
    starts: Sequence[int],
    quotes: SpanIndex[Quote],
    para: Paragraph,
) -> Mention | None:
    """The speaker's mention closest to the quote, outside quotes, in its paragraph."""
    lo, hi = bisect.bisect_left(starts, para.start), bisect.bisect_left(starts, para.end)
    candidates = [m for m in mentions[lo:hi] if m.character == quote.speaker and m.start not in quotes]
    return min(
        candidates, key=lambda m: min(abs(m.start - quote.end), abs(quote.start - m.end)), default=None
    )


def render_files(doc: Document) -> dict[str, str]:
    """The three files' contents, by suffix."""
    if doc.tokens is None:
        raise FiclensError(
            ErrorCode.E012, "booknlp needs the parse; run the full analysis, not --stages structure"
        )
    tokens = _Tokens(doc.tokens)
    coref = {c.id: k for k, c in enumerate(doc.characters)}
    entities = []
    for m in doc.mentions:
        span = tokens.span(m.start, m.end)
        if span is not None and m.character in coref:
            entities.append((coref[m.character], *span, PROP[m.kind], "PER", doc.text[m.start : m.end]))
    quotes_index = SpanIndex(doc.quotes)
    paragraphs = SpanIndex(doc.paragraphs)
    starts = [m.start for m in doc.mentions]
    quotes = []
    for q in doc.quotes:
        span = tokens.span(q.start, q.end)
        k = paragraphs.find(q.start)
        if span is None:
            continue
        mention = (
            _nearest_mention(q, doc.mentions, starts, quotes_index, paragraphs.spans[k])
            if q.speaker and k >= 0
            else None
        )
        at = tokens.span(mention.start, mention.end) if mention else None
        quotes.append(
            (
                *span,
                *(at or (-1, -1)),
                doc.text[mention.start : mention.end] if mention and at else "",
                coref.get(q.speaker, -1) if q.speaker else -1,
                doc.text[q.start : q.end],
            )
        )
    return {
        ".tokens": _tokens_file(tokens),
        ".entities": _table(ENTITIES_HEADER, entities),
        ".quotes": _table(QUOTES_HEADER, quotes),
    }
