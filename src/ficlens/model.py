"""The typed document model every reader, stage and writer shares.

One `text` string; every annotation is stand-off, keyed by character offsets
(Python ``str`` indices) into it. Objects are frozen dataclasses holding
tuples, so a stage returns a new `Document` (``dataclasses.replace``) instead
of mutating one another stage may still be reading. Serialisation is plain
``to_dict``/``from_dict`` over JSON types: nothing is ever pickled.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Literal

SCHEMA_ID = "ficlens/1"

EmphasisStyle = Literal["italic", "bold"]
NoteKind = Literal["summary", "note", "end_note", "disclaimer", "author_note", "review_request"]
BlockHint = Literal["paragraph", "heading", "break", "center", "front"]
Person = Literal["first", "second", "third"]
Tense = Literal["past", "present"]
QuoteKind = Literal["explicit", "anaphoric", "implicit"]
MentionKind = Literal["name", "pronoun", "nominal"]
TagKind = Literal["character", "relationship", "narration"]


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of story prose. Scene-break markers, chapter headings and
    author's notes are not paragraphs: later stages iterate these alone."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Chapter:
    start: int
    end: int
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Scene:
    id: str
    start: int
    end: int
    chapter: int
    pov: str | None = None
    person: Person | None = None
    tense: Tense | None = None
    #: The name a POV header ("Spike's POV", "~Buffy~") declared for this scene.
    pov_header: str | None = None


@dataclass(frozen=True, slots=True)
class Emphasis:
    start: int
    end: int
    style: EmphasisStyle


@dataclass(frozen=True, slots=True)
class Note:
    """An author's note, summary or disclaimer.

    Notes a reader lifted out of the story (AO3 chapter notes) carry their
    ``text``; notes left inside a plain-text ``text`` carry ``start``/``end``.
    """

    kind: NoteKind
    chapter: int | None = None
    text: str | None = None
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "chapter": self.chapter}
        if self.start is not None and self.end is not None:
            out.update(start=self.start, end=self.end)
        else:
            out["text"] = self.text or ""
        return out


@dataclass(frozen=True, slots=True)
class Series:
    title: str
    part: int | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class WorkMeta:
    """What is known of the work besides its text. AO3 tag fields are lists
    in the archive's own order; fields the source lacks stay empty."""

    source_format: str = "text"
    title: str | None = None
    authors: tuple[str, ...] = ()
    url: str | None = None
    id: str | None = None
    rating: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    fandoms: tuple[str, ...] = ()
    relationships: tuple[str, ...] = ()
    characters: tuple[str, ...] = ()
    additional_tags: tuple[str, ...] = ()
    language: str | None = None
    series: tuple[Series, ...] = ()
    collections: tuple[str, ...] = ()
    published: str | None = None
    updated: str | None = None
    completed: str | None = None
    words: int | None = None
    chapters: str | None = None
    summary: str | None = None
    notes: str | None = None
    end_notes: str | None = None
    #: Source fields with no typed home (FanFicFare's "Status", "Genre", …).
    extra: tuple[tuple[str, str], ...] = ()
    #: Non-fatal problems met while reading (a guessed encoding, say).
    warnings_read: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "series":
                value = [asdict(s) for s in value]
            elif f.name == "extra":
                value = dict(value)
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WorkMeta:
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            value = data[f.name]
            if f.name == "series":
                value = tuple(Series(**s) for s in value)
            elif f.name == "extra":
                value = tuple(sorted(value.items()))
            elif isinstance(value, list):
                value = tuple(value)
            kwargs[f.name] = value
        return cls(**kwargs)


@dataclass(frozen=True, slots=True)
class Character:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    #: Referential gender: share of each pronoun resolved to this character.
    pronouns: tuple[tuple[str, float], ...] = ()
    mentions: int = 0
    quotes: int = 0

    @property
    def main_pronoun(self) -> tuple[str, float] | None:
        """The pronoun set most often resolved to the character, and its share."""
        return max(self.pronouns, key=lambda kv: kv[1]) if self.pronouns else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "aliases": list(self.aliases),
            "pronouns": dict(self.pronouns),
            "mentions": self.mentions,
            "quotes": self.quotes,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Character:
        return cls(
            id=data["id"],
            name=data["name"],
            aliases=tuple(data.get("aliases", ())),
            pronouns=tuple(data.get("pronouns", {}).items()),
            mentions=data.get("mentions", 0),
            quotes=data.get("quotes", 0),
        )


@dataclass(frozen=True, slots=True)
class Quote:
    id: str
    start: int
    end: int
    #: Spans of one utterance ("Buffy," he said, "I…") share this id.
    utterance: str
    speaker: str | None = None
    addressees: tuple[str, ...] = ()
    kind: QuoteKind | None = None
    confidence: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "utterance": self.utterance,
            "speaker": self.speaker,
            "addressees": list(self.addressees),
            "kind": self.kind,
            "confidence": self.confidence,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Quote:
        return cls(**{**data, "addressees": tuple(data.get("addressees", ()))})


@dataclass(frozen=True, slots=True)
class NonSpeech:
    """Quoted text that is not dialogue: a scare quote, a title, a word mentioned."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    character: str
    kind: MentionKind


@dataclass(frozen=True, slots=True)
class Thought:
    start: int
    end: int
    character: str | None = None


@dataclass(frozen=True, slots=True)
class Narration:
    person: Person | None = None
    tense: Tense | None = None


@dataclass(frozen=True, slots=True)
class Passage:
    """A stretch of ``text`` that supports a tag suggestion."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TagSuggestion:
    """One suggested AO3 tag, with the evidence a reader can check.

    ``counts`` are the full evidence counts; ``passages`` are the strongest
    supporting spans (capped, so a long work's JSON stays readable).
    """

    tag: str
    kind: TagKind
    score: float
    #: Character ids the tag is about (one for a character, two for a relationship).
    characters: tuple[str, ...] = ()
    counts: tuple[tuple[str, int], ...] = ()
    passages: tuple[Passage, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "tag": self.tag,
            "kind": self.kind,
            "score": self.score,
            "characters": list(self.characters),
            "evidence": {"counts": dict(self.counts), "passages": [asdict(p) for p in self.passages]},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TagSuggestion:
        evidence = data.get("evidence", {})
        return cls(
            tag=data["tag"],
            kind=data["kind"],
            score=data["score"],
            characters=tuple(data.get("characters", ())),
            counts=tuple(evidence.get("counts", {}).items()),
            passages=tuple(Passage(**p) for p in evidence.get("passages", ())),
        )


@dataclass(frozen=True, slots=True)
class TagMatch:
    suggested: str
    work: str


@dataclass(frozen=True, slots=True)
class TagAgreement:
    """How far the suggestions of one kind agree with the work's own tags."""

    kind: TagKind
    matched: tuple[TagMatch, ...] = ()
    #: Suggested tags the work does not have.
    suggested_only: tuple[str, ...] = ()
    #: The work's tags of this kind that were not suggested.
    work_only: tuple[str, ...] = ()
    #: Null when there is nothing to divide by (no suggestions, or no work tags).
    precision: float | None = None
    recall: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "matched": [asdict(m) for m in self.matched],
            "suggested_only": list(self.suggested_only),
            "work_only": list(self.work_only),
            "precision": self.precision,
            "recall": self.recall,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TagAgreement:
        return cls(
            kind=data["kind"],
            matched=tuple(TagMatch(**m) for m in data.get("matched", ())),
            suggested_only=tuple(data.get("suggested_only", ())),
            work_only=tuple(data.get("work_only", ())),
            precision=data.get("precision"),
            recall=data.get("recall"),
        )


@dataclass(frozen=True, slots=True)
class Tags:
    suggestions: tuple[TagSuggestion, ...] = ()
    #: One entry per tag kind, only for works that carry tags of their own (AO3).
    agreement: tuple[TagAgreement, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "suggestions": [t.to_dict() for t in self.suggestions],
            "agreement": [a.to_dict() for a in self.agreement],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Tags:
        return cls(
            suggestions=tuple(TagSuggestion.from_dict(t) for t in data.get("suggestions", ())),
            agreement=tuple(TagAgreement.from_dict(a) for a in data.get("agreement", ())),
        )


@dataclass(frozen=True, slots=True)
class Block:
    """A block of source text as a reader saw it, before structure is known.

    ``hint`` carries what markup said: a heading, a horizontal rule (``break``,
    zero-length), a centred line. Plain text gives ``paragraph`` throughout
    and leaves the decision to the structure stage.
    """

    start: int
    end: int
    hint: BlockHint = "paragraph"


@dataclass(frozen=True, slots=True)
class Source:
    """What a reader returns: text and markup facts, no analysis yet.

    ``chapters`` is filled when the markup delimits chapters (AO3, EPUB,
    FanFicFare); empty means the structure stage must find them in the text.
    """

    text: str
    work: WorkMeta = field(default_factory=WorkMeta)
    blocks: tuple[Block, ...] = ()
    chapters: tuple[Chapter, ...] = ()
    emphasis: tuple[Emphasis, ...] = ()
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    text: str
    work: WorkMeta = field(default_factory=WorkMeta)
    chapters: tuple[Chapter, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    scenes: tuple[Scene, ...] = ()
    emphasis: tuple[Emphasis, ...] = ()
    notes: tuple[Note, ...] = ()
    characters: tuple[Character, ...] = ()
    quotes: tuple[Quote, ...] = ()
    non_speech: tuple[NonSpeech, ...] = ()
    mentions: tuple[Mention, ...] = ()
    thoughts: tuple[Thought, ...] = ()
    narration: Narration = field(default_factory=Narration)
    tags: Tags = field(default_factory=Tags)
    #: The parse, once a stage has asked for it; never serialised.
    tokens: TokenTable | None = field(default=None, compare=False, repr=False)

    def with_(self, **changes: Any) -> Document:
        """A copy with some parts replaced: how stages add annotations."""
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return {key: list(value) if isinstance(value, Iterator) else value for key, value in self.fields()}

    def fields(self) -> Iterator[tuple[str, Any]]:
        """The JSON fields in order; list fields as iterators of dicts, so a
        writer can stream a very long work without building it all at once."""
        yield "schema", SCHEMA_ID
        yield "text", self.text
        yield "work", self.work.to_dict()
        yield "chapters", (asdict(c) for c in self.chapters)
        yield "paragraphs", (asdict(p) for p in self.paragraphs)
        yield "scenes", (asdict(s) for s in self.scenes)
        yield "emphasis", (asdict(e) for e in self.emphasis)
        yield "notes", (n.to_dict() for n in self.notes)
        yield "characters", (c.to_dict() for c in self.characters)
        yield "quotes", (q.to_dict() for q in self.quotes)
        yield "non_speech", (asdict(n) for n in self.non_speech)
        yield "mentions", (asdict(m) for m in self.mentions)
        yield "thoughts", (asdict(t) for t in self.thoughts)
        yield "narration", asdict(self.narration)
        yield "tags", self.tags.to_dict()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        if data.get("schema") != SCHEMA_ID:
            from ficlens.errors import ErrorCode, FiclensError

            raise FiclensError(ErrorCode.E010, f"schema is {data.get('schema')!r}, not {SCHEMA_ID!r}")
        return cls(
            text=data["text"],
            work=WorkMeta.from_dict(data.get("work", {})),
            chapters=tuple(Chapter(**c) for c in data.get("chapters", ())),
            paragraphs=tuple(Paragraph(**p) for p in data.get("paragraphs", ())),
            scenes=tuple(Scene(**s) for s in data.get("scenes", ())),
            emphasis=tuple(Emphasis(**e) for e in data.get("emphasis", ())),
            notes=tuple(Note(**n) for n in data.get("notes", ())),
            characters=tuple(Character.from_dict(c) for c in data.get("characters", ())),
            quotes=tuple(Quote.from_dict(q) for q in data.get("quotes", ())),
            non_speech=tuple(NonSpeech(**n) for n in data.get("non_speech", ())),
            mentions=tuple(Mention(**m) for m in data.get("mentions", ())),
            thoughts=tuple(Thought(**t) for t in data.get("thoughts", ())),
            narration=Narration(**data.get("narration", {})),
            tags=Tags.from_dict(data.get("tags", {})),
        )


@dataclass(frozen=True, slots=True, eq=False)
class TokenTable:
    """The parse of a work's paragraphs: one row per token, as parallel arrays.

    Built by `ficlens.nlp.parse` and shared by every stage that needs syntax,
    so a work is parsed once. It is an in-memory aid, not part of the JSON
    output (the BookNLP export writes it as ``.tokens``). ``head`` and the
    sentence and paragraph numbers index rows of this same table.
    """

    start: Any  # numpy int array: character offset of each token in text
    end: Any
    head: Any  # row of the syntactic head (the token itself for a root)
    sentence: Any  # sentence number of each token, over the whole work
    paragraph: Any  # index into Document.paragraphs
    words: tuple[str, ...]
    lemmas: tuple[str, ...]
    pos: tuple[str, ...]
    tags: tuple[str, ...]
    deps: tuple[str, ...]
    #: spaCy entity label ("PERSON", "GPE", …) or "" outside entities, with
    #: ``ent_begin`` true on the first token of each entity.
    ents: tuple[str, ...]
    ent_begin: Any

    def __len__(self) -> int:
        return len(self.words)


_TOKEN_ARRAYS = ("start", "end", "head", "sentence", "paragraph", "ent_begin")
_TOKEN_STRINGS = ("words", "lemmas", "pos", "tags", "deps", "ents")


def save_tokens(table: TokenTable, path: str) -> None:
    """Store a token table as .npz (plain arrays; never pickled), e.g. to cache parses."""
    import numpy as np

    arrays: dict[str, Any] = {name: np.asarray(getattr(table, name)) for name in _TOKEN_ARRAYS}
    arrays.update({name: np.asarray(getattr(table, name), dtype=str) for name in _TOKEN_STRINGS})
    np.savez_compressed(path, **arrays)


def load_tokens(path: str) -> TokenTable:
    import numpy as np

    with np.load(path, allow_pickle=False) as z:
        kwargs: dict[str, Any] = {name: z[name] for name in _TOKEN_ARRAYS}
        kwargs.update({name: tuple(map(sys.intern, z[name].tolist())) for name in _TOKEN_STRINGS})
    return TokenTable(**kwargs)
