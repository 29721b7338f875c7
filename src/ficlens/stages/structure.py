"""The structure stage: from a reader's blocks to chapters, paragraphs and scenes.

Readers only cut text into blocks; whether a block is story prose, a scene
break, a POV header ("Spike's POV"), a chapter heading or an author's note
is decided here, once, for every input format. Later stages iterate
``Document.paragraphs`` and ``Document.scenes`` and never see the rest.

Rules are deliberately conservative about prose: a short line of dialogue
("Oh.", "No!", "…") must never become a break, since that would cut a scene
in two and lose a paragraph.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from ficlens.model import Block, Chapter, Document, Note, NoteKind, Paragraph, Scene, Source
from ficlens.readers.text import read as read_text
from ficlens.resources import not_names

__all__ = [
    "BlockKind",
    "Classified",
    "build",
    "build_scenes",
    "classify",
    "find_chapters",
    "heading",
    "is_break",
    "note_kind",
]

BlockKind = Literal["prose", "break", "pov", "heading", "volume", "front"]


@dataclass(frozen=True, slots=True)
class Classified:
    """What one block is, with the POV name or heading title it declared."""

    kind: BlockKind
    pov: str | None = None
    title: str | None = None
    #: A chapter heading whose title is a name alone ("Chapter 2: Draco"): the
    #: chapter's POV, in a work that titles two chapters or more so.
    named: str | None = None


_PROSE = Classified("prose")
_BREAK = Classified("break")
_FRONT = Classified("front")

# --- scene breaks -----------------------------------------------------------

#: Punctuation a line of dialogue may consist of alone ("…", "—", "?!"): never a break by itself.
_SPEECH = frozenset(".…?!—–-'\"“”‘’,;:()")
_WRITTEN_BREAK = re.compile(
    r"[\W_]*(?:(?:line|page|scene|section)\s*-?\s*break|time\s*-?\s*skip)[\W_]*", re.IGNORECASE
)
#: An alphanumeric other than the x/o letters that decoration is built from ("xxxxxx", "oOo", "-x-x-").
_NOT_DECOR = re.compile(r"[^\W_xXoO0]")
_ALNUM = re.compile(r"[^\W_]")
#: Longest block that can be a decorative break; pure symbol runs may be longer.
_MAX_BREAK = 40


def _symbol_break(core: str) -> bool:
    """Whether whitespace-free ``core`` is pure decoration (no alphanumerics)."""
    if any(c not in _SPEECH for c in core):
        return True
    dashes = sum(c in "-–—" for c in core)
    dots = core.count(".") + 3 * core.count("…")
    return (dashes == len(core) and dashes >= 3) or (all(c in ".…" for c in core) and dots >= 6)


def _decor_break(core: str) -> bool:
    """Whether ``core`` is decoration built from x/o letters: "XXX", "oOo", "-x-x-"."""
    if len(core) < 3 or _NOT_DECOR.search(core):
        return False
    letters = [c for c in core if c.isalnum()]
    symbols = [c for c in core if not c.isalnum()]
    return len(letters) >= 3 or any(c not in _SPEECH or c == "-" for c in symbols)


def is_break(text: str, hint: str = "paragraph") -> bool:
    """Whether a block's text is a scene-break marker."""
    if hint == "break":
        return True
    has_alnum = _ALNUM.search(text) is not None
    if has_alnum and len(text) > _MAX_BREAK:
        return False
    core = "".join(text.split())
    if not core:
        return hint == "center"
    if has_alnum and _WRITTEN_BREAK.fullmatch(text):
        return True
    if not has_alnum:
        if hint == "center" and len(core) <= 12:
            return True
        return _symbol_break(core)
    return len(core) <= _MAX_BREAK and _decor_break(core)


# --- POV headers ------------------------------------------------------------

_NAME = r"(?P<name>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2})"
_POV_WORD = r"(?i:POV|P\.\s?O\.\s?V\.?|Point\s+of\s+View|Perspective)"
_POV_SUFFIX = re.compile(_NAME + r"(?:'s|’s|s'|’)?\s*" + _POV_WORD)
_POV_PREFIX = re.compile(_POV_WORD + r"\s*[:\-–—]?\s*" + _NAME)
_NAME_ONLY = re.compile(_NAME)
#: Names a POV header may give that name no character.
_NO_ONE = frozenset(
    {
        "normal",
        "general",
        "third person",
        "3rd person",
        "omniscient",
        "narrator",
        "regular",
        "no one",
        "nobody",
        "everyone",
        "everybody",
        "all",
        "multiple",
    }
)
#: Decorated words that mark a jump in time or place, not a viewpoint.
_TIME_MARKS = frozenset(
    {
        "flashback",
        "end flashback",
        "flashback end",
        "later",
        "meanwhile",
        "present",
        "present day",
        "now",
        "then",
        "earlier",
        "elsewhere",
        "the next day",
        "next day",
        "the present",
        "past",
        "back to the present",
    }
)
#: Decorated words that are a sound or an action written alone ("*Sigh*"): prose.
_NOT_NAMES = frozenset(
    {
        "sigh",
        "knock",
        "knock knock",
        "bang",
        "crash",
        "boom",
        "thud",
        "ring",
        "beep",
        "click",
        "slam",
        "snap",
        "smack",
        "thump",
        "yawn",
        "gasp",
        "end",
        "fin",
        "the end",
        "hic",
        "ding",
        "cough",
        "ahem",
        "poof",
        "whoosh",
        "illustration",
        "footnote",
        "note",
        "sic",
        "tbc",
        "to be continued",
        "continued",
    }
)
_MAX_POV = 60
#: Characters that may decorate a name on both sides: "~Buffy~", "*Buffy*", "-Angel-", "[Spike]".
_EDGE = "~*-=#+•·:|<>[](){}/\\^°§ "


def _strip_decor(text: str) -> str:
    """Text without decoration at either end ("~*Spike's POV*~" -> "Spike's POV")."""
    return re.sub(r"^\W+|[^\w'’.]+$", "", text).strip()


def _pov_name(name: str) -> Classified:
    """A POV header naming ``name``; generic names ("Normal POV") record none."""
    name = re.sub(r"(?:['’]s|s['’]|['’])$", lambda m: "s" if m.group().startswith("s") else "", name.strip())
    if name.lower() in _NO_ONE:
        return Classified("pov")
    return Classified("pov", pov=name)


def _strip_xo(text: str) -> str | None:
    """The middle of "xXx Spike xXx" / "-x- Spike -x-" (decorative words at both ends), or None."""
    words = text.split()
    if len(words) < 3:
        return None

    def decor(word: str) -> bool:
        return _decor_break(word) or (not any(c.isalnum() for c in word) and _symbol_break(word))

    return " ".join(words[1:-1]) if decor(words[0]) and decor(words[-1]) else None


def _decorated_name(text: str) -> Classified | None:
    """A name between decorations: a POV header, a time mark (a plain break) or None."""
    if text[-1].isalnum() and text[0] not in "xXoO0-":
        return None
    inner = _strip_xo(text)
    if inner is None:
        left = len(text) - len(text.lstrip(_EDGE))
        right = len(text) - len(text.rstrip(_EDGE))
        if not left or not right:
            return None
        inner = text[left : len(text) - right].strip()
    if _SECTION_NUMBER.fullmatch(inner):
        return _BREAK
    if not _NAME_ONLY.fullmatch(inner) or len(inner) < 2 or inner.endswith("."):
        return None
    lowered = inner.lower()
    if lowered in _NOT_NAMES:
        return None
    if lowered in _TIME_MARKS:
        return _BREAK
    return _pov_name(inner)


def _pov_header(text: str) -> Classified | None:
    """Classify a short block as a POV header, or None."""
    if len(text) > _MAX_POV or "\n" in text.strip():
        return None
    plain = _strip_decor(text)
    for pattern in (_POV_SUFFIX, _POV_PREFIX):
        m = pattern.fullmatch(plain)
        if m:
            return _pov_name(m.group("name"))
    return _decorated_name(text.strip())


#: Longest line read as a bare name header ("Stiles", "Mary Jane Watson").
_MAX_BARE_NAME = 30
#: Bare name lines a work needs at its scenes' starts to be using them as headers.
BARE_NAME_HEADERS = 2
_SCENE_OPENERS = frozenset(("break", "pov", "heading", "volume", "front"))


def _bare_name(line: str) -> str | None:
    """The name a line holds and nothing else ("Stiles", "Derek Hale"), or None."""
    if len(line) > _MAX_BARE_NAME or not _NAME_ONLY.fullmatch(line) or line[-1:] in ".'’":
        return None
    lowered = line.lower()
    if lowered in _NOT_NAMES or lowered in _TIME_MARKS or lowered in _NO_ONE:
        return None
    if any(word in not_names() for word in lowered.split()):
        return None
    return line


def bare_name_headers(text: str, blocks: Sequence[Block], kinds: list[Classified]) -> list[Classified]:
    """Scenes headed by a character's name on a line of its own ("Stiles" ¶ "I'm
    not saying it's a bad idea…" ¶ * * * ¶ "Derek" ¶ "The kid is going to get
    himself killed."): alternating-POV works head scenes so as often as with
    "Stiles's POV", or title chapters so ("Chapter 2: Draco"). Only a work
    that does it at two scene starts or more, and whose story names each of
    them again, is read so; one name alone atop a story is as likely a title."""
    found: list[tuple[int, str]] = []
    for i, (block, kind) in enumerate(zip(blocks, kinds, strict=True)):
        if kind.kind == "heading" and kind.named is not None:
            found.append((i, kind.named))
            continue
        if kind.kind != "prose" or i + 1 >= len(blocks) or kinds[i + 1].kind != "prose":
            continue
        if i > 0 and kinds[i - 1].kind not in _SCENE_OPENERS:
            continue
        name = _bare_name(text[block.start : block.end].strip())
        if name is not None:
            found.append((i, name))
    if len(found) < BARE_NAME_HEADERS:
        return kinds
    out = list(kinds)
    for i, name in found:
        if len(re.findall(rf"\b{re.escape(name)}\b", text)) < 2:
            continue
        if out[i].kind == "heading":
            # A chapter's title may as well name a place ("Chapter 5: Hogwarts"):
            # a name that speaks in the story ("said Draco") is someone's.
            if _speaks(text, name):
                out[i] = replace(out[i], pov=name)
        else:
            out[i] = _pov_name(name)
    return out


_SAYS = r"(?:said|says|asked|asks|replied|replies|answered|answers|whispered|whispers|shouted|shouts)"


def _speaks(text: str, name: str) -> bool:
    """Whether ``name`` heads or follows a speech verb somewhere ("Draco said", "said Draco")."""
    n = re.escape(name)
    return re.search(rf"\b{_SAYS}\s+{n}\b|\b{n}\s+{_SAYS}\b", text) is not None


# --- chapter headings ---------------------------------------------------------

_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_WORD_NUM = rf"(?:(?:{_TENS})(?:[\s-]?(?:{_UNITS}))?|{_TEENS}|{_UNITS}|(?:one\s)?hundred)"
_ORDINAL = r"(?:the\s+)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final)"
_ROMAN = r"(?=[MDCLXVI])M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_NUMBER = rf"(?:\d{{1,4}}|{_ROMAN}|{_WORD_NUM}|{_ORDINAL})"
_SEP = r"\s*[:.\-–—)|]+\s*"
_CHAPTER = re.compile(
    rf"(?:chapter|chap\.?|ch\.?|part)\s*(?P<num>{_NUMBER})\b(?P<rest>.*)", re.IGNORECASE | re.DOTALL
)
_NAMED = re.compile(
    r"(?:prologue|epilogue|interlude|afterword|foreword)\b(?P<rest>.*)", re.IGNORECASE | re.DOTALL
)
_VOLUME = re.compile(rf"(?:volume|vol\.|book)\s*(?P<num>{_NUMBER})\b(?P<rest>.*)", re.IGNORECASE | re.DOTALL)
_MAX_HEADING = 100
#: A bare roman numeral on its own line numbers chapters in older novels ("I", "XIV."). Capitals
#: only, below 400, and never X alone repeated: "XXX" is far more often a scene break than chapter 30.
_BARE_ROMAN = re.compile(r"(?!X{3,}\.?$)(?=[CLXVI])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})\.?")
#: A decorated number ("[II]", "~3~") numbers sections inside a chapter: a plain break.
_SECTION_NUMBER = re.compile(rf"{_ROMAN}|\d{{1,3}}")
#: A cheap first look: every heading word begins so, after any decoration.
_HEADING_START = re.compile(r"\W*(?:ch|pa|pr|ep|in|af|fo|vo|bo)", re.IGNORECASE)
_MAX_BARE_TITLE_WORDS = 8
#: Longer numbered headings hold a title in title case: "Chapter VI: The Reverend
#: Arthur Beebe, … and Miss Lucy Honeychurch Drive Out in Carriages to See a View".
_MAX_TITLED_HEADING = 4 * _MAX_HEADING
_TITLE_CASE_SHARE = 0.8
_TITLE_CASE_MIN_WORDS = 6


def _title_case(rest: str) -> bool:
    """Whether a chapter's long title is in title case, as a sentence never is."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", rest) if len(w) >= 4]
    capital = sum(1 for w in words if w[0].isupper())
    return len(words) >= _TITLE_CASE_MIN_WORDS and capital >= _TITLE_CASE_SHARE * len(words)


def _heading_rest_ok(rest: str) -> bool:
    """What follows "Chapter 3" must look like a title, not the rest of a sentence."""
    rest = rest.strip()
    if not rest or re.fullmatch(r"[:.\-–—)|]*", rest):
        return True
    if re.match(_SEP, rest) or re.fullmatch(r"[(\[][^()\[\]]+[)\]]", rest):
        return True  # "Chapter 3: The Return", "Chapter 2 (Stiles POV)"
    # "Chapter 3 The Return": no separator, so only a short title that is not a sentence.
    return len(rest.split()) <= _MAX_BARE_TITLE_WORDS and rest[-1] not in '.!?,;"”' and rest[0].isupper()


def heading(text: str) -> Classified | None:
    """Classify a block as a chapter heading or a volume heading, or None."""
    if len(text) > _MAX_TITLED_HEADING:
        return None
    if _BARE_ROMAN.fullmatch(text):
        return Classified("heading", title=text)
    if not _HEADING_START.match(text):
        return None
    flat = " ".join(text.split())
    if not flat or len(flat) > _MAX_TITLED_HEADING:
        return None
    core = _strip_decor(flat) if not flat[0].isalnum() else flat
    for pattern, kind in ((_CHAPTER, "heading"), (_NAMED, "heading"), (_VOLUME, "volume")):
        m = pattern.match(core)
        if not m:
            continue
        rest = m.group("rest")
        # A long heading is a numbered title in title case, not a chapter's first sentence.
        if len(flat) > _MAX_HEADING and not (re.match(_SEP, rest) and _title_case(rest)):
            continue
        if _heading_rest_ok(rest):
            if kind == "volume":
                return Classified("volume", title=flat)
            # "Chapter 1 - Derek's POV": the chapter's first scene is Derek's.
            title = re.sub(rf"^{_SEP}", "", rest.strip())
            declared = _pov_header(title) if title else None
            named = _bare_name(title) if title and declared is None else None
            return Classified("heading", pov=declared.pov if declared else None, title=flat, named=named)
    return None


def classify(text: str, hint: str = "paragraph") -> Classified:
    """Say what one block is, from its text and the reader's markup hint.

    A heading hint from markup alone does not make a chapter (readers that
    know chapters fill ``Source.chapters``); headings are found by pattern.
    """
    if hint == "break":
        return _BREAK
    if hint == "front":
        return _FRONT  # a story header the reader read as metadata
    found = heading(text)
    if found:
        return found
    pov = _pov_header(text)
    if pov:
        return pov
    return _BREAK if is_break(text, hint) else _PROSE


# --- chapters ----------------------------------------------------------------

_STORY_WORDS = 30
_STORY_BLOCK_WORDS = 12


def _holds_story(texts: Sequence[str]) -> bool:
    """Whether blocks hold story prose, not just a title page ("EMMA", "By Jane Austen")."""
    counts = [len(t.split()) for t in texts]
    return sum(counts) >= _STORY_WORDS or any(c >= _STORY_BLOCK_WORDS for c in counts)


def find_chapters(
    text: str, blocks: Sequence[Block], kinds: Sequence[Classified], title: str | None
) -> tuple[Chapter, ...]:
    """Chapters from heading blocks, for sources whose markup gave none.

    A heading followed by no prose before the next heading (a contents list,
    "PART ONE" just above "Chapter I") starts no chapter of its own.
    """
    if not blocks:
        return ()
    heads = [i for i, k in enumerate(kinds) if k.kind == "heading"]
    kept: list[int] = []
    for n, i in enumerate(heads):
        stop = heads[n + 1] if n + 1 < len(heads) else len(blocks)
        if any(kinds[j].kind == "prose" for j in range(i + 1, stop)):
            kept.append(i)
    end = blocks[-1].end
    if not kept:
        return (Chapter(blocks[0].start, end, title),)
    chapters: list[Chapter] = []
    before = [
        text[b.start : b.end]
        for b, k in zip(blocks[: kept[0]], kinds[: kept[0]], strict=True)
        if k.kind == "prose" and note_kind(text[b.start : b.end], edge=True) is None
    ]
    if _holds_story(before):
        chapters.append(Chapter(blocks[0].start, blocks[kept[0]].start, None))
    for n, i in enumerate(kept):
        stop = blocks[kept[n + 1]].start if n + 1 < len(kept) else end
        chapters.append(Chapter(blocks[i].start, stop, kinds[i].title))
    return tuple(chapters)


def _chapter_of(starts: Sequence[int], offset: int) -> int:
    """Index of the chapter holding ``offset``; text before the first belongs to it."""
    return max(0, bisect_right(starts, offset) - 1)


# --- author's notes ------------------------------------------------------------

_AUTHOR_NOTE = re.compile(
    r"[\W_]{0,3}(?:(?i:a\s*/\s*n\b|a\.\s?n\.)|AN\s*[:\-–—]|(?i:authors?['’]?s?\s+notes?\b))"
)
_DISCLAIMER = re.compile(r"[\W_]{0,3}disclaimer\b", re.IGNORECASE)
_NOTE = re.compile(r"[\W_]{0,3}notes?\s*[:\-–—]", re.IGNORECASE)
_REVIEW = re.compile(
    r"\b(?:please\s+(?:read\s+(?:and|&|n)\s+)?review|read\s+(?:and|&|n)\s+review|r\s*(?:&|and|n)\s*r\b"
    r"|review\s+please|reviews?\s+(?:are|is)\s+(?:love|appreciated|welcome)|leave\s+a\s+review)",
    re.IGNORECASE,
)
_MAX_REVIEW = 300
#: Dialogue is story: a note never runs on over a block opening with a quotation mark.
_QUOTES = frozenset("\"“”'‘’«»")
#: A note at a chapter's start may run on over this many blocks, if a break closes it.
_NOTE_RUN = 4


def note_kind(text: str, *, edge: bool) -> NoteKind | None:
    """The kind of note a block opens, if any.

    Explicit labels ("A/N", "Disclaimer:") count anywhere; a bare "Note:" or
    a review request only at a chapter's edge (``edge``), where authors put them.
    """
    if _DISCLAIMER.match(text):
        return "disclaimer"
    if _AUTHOR_NOTE.match(text):
        return "author_note"
    if edge and _NOTE.match(text):
        return "author_note"
    if edge and len(text) <= _MAX_REVIEW and _REVIEW.search(text):
        return "review_request"
    return None


@dataclass(frozen=True, slots=True)
class _NoteSpan:
    kind: NoteKind
    first: int
    last: int


def _chapter_notes(texts: Sequence[str], kinds: Sequence[Classified]) -> list[_NoteSpan]:
    """Notes among one chapter's blocks (indices into the chapter's lists).

    A note opening the chapter runs on over following prose blocks when a
    break follows within a few blocks (authors fence notes off that way);
    trailing blocks are notes back to the last note opener after the last
    break; elsewhere only explicitly labelled single blocks are notes.
    """
    n = len(texts)
    prose = [i for i in range(n) if kinds[i].kind == "prose"]
    if not prose:
        return []
    spans: list[_NoteSpan] = []
    taken: set[int] = set()
    i = prose[0]
    while i < n and kinds[i].kind == "prose":
        kind = note_kind(texts[i], edge=True)
        if kind is None:
            break
        stop = next(
            (
                j
                for j in range(i + 1, n)
                if kinds[j].kind != "prose" or note_kind(texts[j], edge=True) or texts[j][:1] in _QUOTES
            ),
            n,
        )
        fenced = stop < n and kinds[stop].kind != "prose" and stop - i <= _NOTE_RUN
        last = stop - 1 if fenced else i
        spans.append(_NoteSpan(kind, i, last))
        taken.update(range(i, last + 1))
        i = last + 1
    spans.extend(_trailing_notes(texts, kinds, taken))
    for s in spans:
        taken.update(range(s.first, s.last + 1))
    for i in prose:
        if i not in taken:
            kind = note_kind(texts[i], edge=False)
            if kind:
                spans.append(_NoteSpan(kind, i, i))
    return sorted(spans, key=lambda s: s.first)


def _trailing_notes(texts: Sequence[str], kinds: Sequence[Classified], taken: set[int]) -> list[_NoteSpan]:
    """Notes closing a chapter: after its last break, from the first note
    opener to the end; without such an opener, trailing opener blocks alone."""
    n = len(texts)
    last_break = max((i for i in range(n) if kinds[i].kind in ("break", "pov")), default=-1)
    tail = [i for i in range(last_break + 1, n) if kinds[i].kind == "prose" and i not in taken]
    if tail and note_kind(texts[tail[0]], edge=True) and last_break >= 0:
        return _group_notes(texts, tail)
    spans: list[_NoteSpan] = []
    for i in reversed(tail):
        kind = note_kind(texts[i], edge=True)
        if kind is None:
            break
        spans.append(_NoteSpan(kind, i, i))
    return spans


def _group_notes(texts: Sequence[str], blocks: Sequence[int]) -> list[_NoteSpan]:
    """Each note opener starts a note; blocks after it continue it."""
    spans: list[_NoteSpan] = []
    for i in blocks:
        kind = note_kind(texts[i], edge=True)
        if kind or not spans:
            spans.append(_NoteSpan(kind or "author_note", i, i))
        else:
            spans[-1] = _NoteSpan(spans[-1].kind, spans[-1].first, i)
    return spans


# --- scenes --------------------------------------------------------------------


def build_scenes(
    blocks: Sequence[Block],
    kinds: Sequence[str],
    povs: Sequence[str | None],
    chapter_of: Sequence[int],
    first_id: int = 1,
) -> list[Scene]:
    """Split each chapter's story paragraphs into scenes at breaks.

    ``kinds`` here is "story" for a paragraph, "break" or "pov" for a scene
    break, anything else for a block that neither breaks nor belongs. A
    break before any paragraph of a scene keeps the POV already declared.
    """
    scenes: list[Scene] = []
    current: list[Block] = []
    pov: str | None = None
    chapter = chapter_of[0] if chapter_of else 0

    def close() -> None:
        if current:
            scenes.append(
                Scene(
                    f"s{first_id + len(scenes)}", current[0].start, current[-1].end, chapter, pov_header=pov
                )
            )

    for block, kind, block_pov, ch in zip(blocks, kinds, povs, chapter_of, strict=True):
        if ch != chapter:
            close()
            current, pov, chapter = [], None, ch
        if kind == "other" and block_pov is not None and not current:
            pov = block_pov  # a chapter heading that names its POV ("Chapter 1 - Derek's POV")
        elif kind in ("break", "pov"):
            if current:
                close()
                current, pov = [], None
            if kind == "pov":
                pov = block_pov
        elif kind == "story":
            current.append(block)
    close()
    return scenes


# --- the stage -------------------------------------------------------------------


def build(source: Source) -> Document:
    """Turn a reader's `Source` into a `Document` with chapters, paragraphs,
    scenes and notes; emphasis and work metadata pass through."""
    text = source.text
    empty = Document(text=text, work=source.work, emphasis=source.emphasis, notes=source.notes)
    if not text.strip():
        return empty
    given = source.blocks or read_text(text).blocks
    blocks = tuple(b for b in given if b.end > b.start or b.hint == "break")
    kinds = bare_name_headers(text, blocks, [classify(text[b.start : b.end], b.hint) for b in blocks])
    chapters = source.chapters or find_chapters(text, blocks, kinds, source.work.title)
    if not chapters:
        return empty
    starts = [c.start for c in chapters]
    chapter_of = [_chapter_of(starts, b.start) for b in blocks]
    if source.chapters:
        kinds = _demote_inner_headings(kinds, chapter_of)
    # Blocks before the first chapter are front matter (a title page): never story.
    segment = [-1 if b.start < chapters[0].start else c for b, c in zip(blocks, chapter_of, strict=True)]
    roles = [_role(k, seg) for k, seg in zip(kinds, segment, strict=True)]
    found_notes: list[Note] = []
    for kind, first, last in _find_notes(text, blocks, kinds, segment):
        roles[first : last + 1] = ["note"] * (last + 1 - first)
        found_notes.append(
            Note(kind, chapter=chapter_of[first], start=blocks[first].start, end=blocks[last].end)
        )
    paragraphs = tuple(Paragraph(b.start, b.end) for b, r in zip(blocks, roles, strict=True) if r == "story")
    scenes = build_scenes(blocks, roles, [k.pov for k in kinds], chapter_of)
    return Document(
        text=text,
        work=source.work,
        chapters=tuple(chapters),
        paragraphs=paragraphs,
        scenes=tuple(scenes),
        emphasis=source.emphasis,
        notes=source.notes + tuple(found_notes),
    )


def _role(kind: Classified, segment: int) -> str:
    """A block's part in scenes: "story", "break", "pov" or "other" (headings, front matter)."""
    if kind.kind in ("break", "pov"):
        return kind.kind
    return "story" if kind.kind == "prose" and segment >= 0 else "other"


def _demote_inner_headings(kinds: list[Classified], chapter_of: Sequence[int]) -> list[Classified]:
    """With chapters given by markup, a heading-like block is a heading only as
    the first block of its chapter (a repeated title); elsewhere it is prose."""
    out: list[Classified] = []
    for i, k in enumerate(kinds):
        first = i == 0 or chapter_of[i - 1] != chapter_of[i]
        out.append(k if k.kind not in ("heading", "volume") or first else _PROSE)
    return out


def _find_notes(
    text: str, blocks: Sequence[Block], kinds: Sequence[Classified], segment: Sequence[int]
) -> list[tuple[NoteKind, int, int]]:
    """Notes over the whole work as ``(kind, first block, last block)``,
    looked for in each chapter (and in the front matter) on its own."""
    out: list[tuple[NoteKind, int, int]] = []
    begin = 0
    while begin < len(blocks):
        end = begin
        while end < len(blocks) and segment[end] == segment[begin]:
            end += 1
        texts = [text[b.start : b.end] for b in blocks[begin:end]]
        for s in _chapter_notes(texts, kinds[begin:end]):
            out.append((s.kind, begin + s.first, begin + s.last))
        begin = end
    return out
