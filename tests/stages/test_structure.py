"""The structure stage: breaks, POV headers, chapters, notes, paragraphs and scenes."""

from __future__ import annotations

from pathlib import Path

import pytest

from ficlens.model import (
    Block,
    Chapter,
    Document,
    Emphasis,
    Note,
    NoteKind,
    Paragraph,
    Scene,
    Source,
    WorkMeta,
)
from ficlens.readers import text as text_reader
from ficlens.stages.structure import build, classify

SHARED = Path(__file__).resolve().parents[2].parent / "shared"

A = "Buffy walked into the Bronze and looked around for the others."
B = "Spike was already at the bar, nursing a drink he did not need."
C = "Outside, the rain kept falling on the empty street."


def doc_of(text: str, title: str | None = None) -> Document:
    src = text_reader.read(text)
    if title:
        src = Source(text=src.text, work=WorkMeta(title=title), blocks=src.blocks)
    return build(src)


def paras(doc: Document) -> list[str]:
    return [doc.text[p.start : p.end] for p in doc.paragraphs]


def scene_texts(doc: Document) -> list[list[str]]:
    return [
        [doc.text[p.start : p.end] for p in doc.paragraphs if s.start <= p.start and p.end <= s.end]
        for s in doc.scenes
    ]


# --- scene breaks -------------------------------------------------------------

BREAKS = [
    "***",
    "* * *",
    "*****",
    "xxxxxx",
    "XXX",
    "xXx",
    "~~~",
    "oOo",
    "-x-x-",
    "o0o0o",
    "=====",
    "_____",
    "-----",
    "#",
    "§",
    "~*~",
    "+++",
    "• • •",
    "<><><>",
    "Line break",
    "Page Break",
    "SCENE BREAK",
    "-line break-",
    "~~Scene Break~~",
    "Time skip",
    "……",
]


@pytest.mark.parametrize("marker", BREAKS)
def test_scene_break_styles(marker: str) -> None:
    doc = doc_of(f"{A}\n\n{marker}\n\n{B}")
    assert paras(doc) == [A, B]
    assert [(s.id, s.start, s.end, s.chapter) for s in doc.scenes] == [
        ("s1", 0, len(A), 0),
        ("s2", len(A) + len(marker) + 4, len(A) + len(marker) + 4 + len(B), 0),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Oh.",
        "No!",
        "…",
        "...",
        "—",
        "-",
        "Hm",
        "Ok",
        "?!",
        '"…"',
        "Ox",
        "Oo",
        "Xander.",
        "Sigh.",
        "x",
        "*sigh*",
        "Fine",
        "Hello?",
    ],
)
def test_short_lines_are_not_breaks(line: str) -> None:
    doc = doc_of(f"{A}\n\n{line}\n\n{B}")
    assert paras(doc) == [A, line, B]
    assert len(doc.scenes) == 1


def test_break_hint_block_from_markup() -> None:
    text = f"{A}\n\n{B}"
    src = Source(
        text=text, blocks=(Block(0, len(A)), Block(len(A), len(A), "break"), Block(len(A) + 2, len(text)))
    )
    doc = build(src)
    assert [(s.start, s.end) for s in doc.scenes] == [(0, len(A)), (len(A) + 2, len(text))]


@pytest.mark.parametrize("ornament", ["~*~", "…", "—", "•", "❦", "* ~ *"])
def test_centred_ornament_is_a_break(ornament: str) -> None:
    text = f"{A}\n\n{ornament}\n\n{B}"
    mid = len(A) + 2
    src = Source(
        text=text,
        blocks=(
            Block(0, len(A)),
            Block(mid, mid + len(ornament), "center"),
            Block(mid + len(ornament) + 2, len(text)),
        ),
    )
    assert len(build(src).scenes) == 2


def test_centred_prose_is_not_a_break() -> None:
    assert classify("The End?", "center").kind == "prose"


# --- POV headers ---------------------------------------------------------------

POV_HEADERS = [
    ("Spike's POV", "Spike"),
    ("Spike POV", "Spike"),
    ("Spike’s POV:", "Spike"),
    ("~Buffy~", "Buffy"),
    ("*Buffy*", "Buffy"),
    ("-Angel-", "Angel"),
    ("Buffy's Point of View", "Buffy"),
    ("POV: Spike", "Spike"),
    ("[Spike]", "Spike"),
    ("~*~Willow's POV~*~", "Willow"),
    ("xXx Faith xXx", "Faith"),
    ("-x- Dawn Summers -x-", "Dawn Summers"),
    ("Giles's P.O.V.", "Giles"),
    ("Buffy pov", "Buffy"),
    ("James' POV", "James"),
]


@pytest.mark.parametrize(("header", "name"), POV_HEADERS)
def test_pov_header_declares_the_next_scene(header: str, name: str) -> None:
    doc = doc_of(f"{A}\n\n{header}\n\n{B}\n\n{C}")
    assert paras(doc) == [A, B, C]
    assert [s.pov_header for s in doc.scenes] == [None, name]
    assert scene_texts(doc) == [[A], [B, C]]


def test_pov_header_at_chapter_start_declares_the_first_scene() -> None:
    doc = doc_of(f"Spike's POV\n\n{A}\n\n***\n\n{B}")
    assert [s.pov_header for s in doc.scenes] == ["Spike", None]


@pytest.mark.parametrize(
    ("heading", "name"),
    [
        ("Chapter 1 - Derek's POV", "Derek"),
        ("Chapter 2 (Stiles POV)", "Stiles"),
        ("Chapter 3: The Letter", None),
    ],
)
def test_a_chapter_heading_that_names_a_pov_declares_its_first_scene(heading: str, name: str | None) -> None:
    doc = doc_of(f"{heading}\n\n{A}\n\n***\n\n{B}")
    assert [c.title for c in doc.chapters] == [heading]
    assert [s.pov_header for s in doc.scenes] == [name, None]


def test_break_then_pov_header_keeps_the_pov() -> None:
    doc = doc_of(f"{A}\n\n***\n\n~Buffy~\n\n{B}")
    assert [s.pov_header for s in doc.scenes] == [None, "Buffy"]


def test_pov_header_then_break_keeps_the_pov() -> None:
    doc = doc_of(f"{A}\n\nBuffy's POV\n\n***\n\n{B}")
    assert [s.pov_header for s in doc.scenes] == [None, "Buffy"]


def test_generic_pov_header_breaks_without_a_name() -> None:
    doc = doc_of(f"Spike's POV\n\n{A}\n\nNormal POV\n\n{B}")
    assert [s.pov_header for s in doc.scenes] == ["Spike", None]


def test_bare_names_heading_scenes_are_pov_headers() -> None:
    """ "Buffy" ¶ … ¶ * * * ¶ "Spike" ¶ …: a name alone on a line at each scene's
    start heads an alternating-POV work's scenes."""
    doc = doc_of(f"Buffy\n\n{A}\n\n* * *\n\nSpike\n\n{B}\n\n{C}")
    assert [s.pov_header for s in doc.scenes] == ["Buffy", "Spike"]
    assert paras(doc) == [A, B, C]


def test_chapters_titled_by_speaking_names_declare_their_pov() -> None:
    """ "Chapter 1: Buffy" … "Chapter 2: Spike": names that speak in the story
    ("said Spike"); "Chapter 3: Sunnydale" names a place that never does."""
    text = (
        f'Chapter 1: Buffy\n\n{A} "Hi," Buffy said.\n\n'
        f'Chapter 2: Spike\n\n{B} "Slayer," said Spike.\n\n'
        f"Chapter 3: Sunnydale\n\n{C} Sunnydale slept."
    )
    doc = doc_of(text)
    assert [s.pov_header for s in doc.scenes] == ["Buffy", "Spike", None]
    assert [c.title for c in doc.chapters] == ["Chapter 1: Buffy", "Chapter 2: Spike", "Chapter 3: Sunnydale"]


@pytest.mark.parametrize(
    "text",
    [
        # One name atop a story is as likely its title.
        f"Buffy\n\n{A}\n\n{B}",
        # A name called mid-scene is a line of the story, not a header.
        f"{A}\n\nSpike\n\n{B}\n\n* * *\n\n{C}\n\nBuffy\n\n{A}",
        # A word alone at two scene starts that the story never names again.
        f"Later\n\n{A}\n\n* * *\n\nMidnight\n\n{B}",
    ],
)
def test_bare_lines_that_head_no_scenes(text: str) -> None:
    assert all(s.pov_header is None for s in doc_of(text).scenes)


@pytest.mark.parametrize(
    "line", ["*Sigh*", "[Illustration]", "[I]", "_Buffy_", "In Spike's POV it was fine.", "~Flashback~"]
)
def test_not_pov_headers(line: str) -> None:
    assert all(s.pov_header is None for s in doc_of(f"{A}\n\n{line}\n\n{B}").scenes)


@pytest.mark.parametrize("line", ["[II]", "~3~", "-IV-"])
def test_decorated_section_number_is_a_plain_break(line: str) -> None:
    doc = doc_of(f"{A}\n\n{line}\n\n{B}")
    assert [(s.pov_header, doc.text[s.start : s.end]) for s in doc.scenes] == [(None, A), (None, B)]


def test_time_mark_is_a_plain_break() -> None:
    assert len(doc_of(f"{A}\n\n~Flashback~\n\n{B}").scenes) == 2
    assert classify("*Sigh*").kind == "prose"


# --- chapters ------------------------------------------------------------------

HEADINGS = [
    "Chapter 3",
    "Chapter Three: The Return",
    "CHAPTER III",
    "Chapter 12 - Title",
    "Ch. 4",
    "Part Two",
    "Prologue",
    "Epilogue",
    "CHAPTER I.",
    "Chapter Twenty-One",
    "chapter 7: night",
    "Chapter 2 The Bronze",
    "Prologue: Before",
    "~Chapter 5~",
    "XIV",
    "II.",
]


@pytest.mark.parametrize("heading", HEADINGS)
def test_chapter_heading_styles(heading: str) -> None:
    text = f"{heading}\n\n{A}\n\nChapter 99\n\n{B}"
    doc = doc_of(text)
    second = text.index("Chapter 99")
    assert doc.chapters == (Chapter(0, second, heading), Chapter(second, len(text), "Chapter 99"))
    assert paras(doc) == [A, B]
    assert [(s.id, s.chapter) for s in doc.scenes] == [("s1", 0), ("s2", 1)]


def test_prose_before_the_first_heading_is_an_untitled_chapter() -> None:
    lead = (
        "It had been a long year for all of them, and nobody in Sunnydale had slept well "
        "since the night the Hellmouth opened again under the high school."
    )
    text = f"{lead}\n\nChapter 1\n\n{A}"
    doc = doc_of(text)
    first = text.index("Chapter 1")
    assert doc.chapters == (Chapter(0, first, None), Chapter(first, len(text), "Chapter 1"))
    assert [s.chapter for s in doc.scenes] == [0, 1]


def test_title_page_before_first_heading_is_not_a_chapter() -> None:
    text = f"EMMA\n\nBy Jane Austen\n\nVOLUME I\n\nCHAPTER I\n\n{A}\n\nCHAPTER II\n\n{B}"
    doc = doc_of(text)
    assert [c.title for c in doc.chapters] == ["CHAPTER I", "CHAPTER II"]
    assert paras(doc) == [A, B]


def test_volume_heading_is_neither_chapter_nor_paragraph() -> None:
    text = f"CHAPTER I\n\n{A}\n\nVOLUME II\n\nCHAPTER II\n\n{B}"
    doc = doc_of(text)
    assert [c.title for c in doc.chapters] == ["CHAPTER I", "CHAPTER II"]
    assert paras(doc) == [A, B]


def test_empty_heading_above_another_starts_no_chapter() -> None:
    text = f"PART ONE\n\nChapter I: The Bertolini\n\n{A}"
    doc = doc_of(text)
    assert [c.title for c in doc.chapters] == ["Chapter I: The Bertolini"]


@pytest.mark.parametrize(
    "line",
    [
        "Chapter and verse, he thought.",
        "Chapter 3 was the worst part of the book.",
        "Part of me wanted to stay.",
        "Prologue was over by then, she knew.",
        "Part one of the plan failed miserably.",
    ],
)
def test_chapter_in_a_sentence_is_not_a_heading(line: str) -> None:
    doc = doc_of(f"{A}\n\n{line}\n\n{B}")
    assert len(doc.chapters) == 1
    assert paras(doc) == [A, line, B]


LONG_TITLE = (
    "Chapter VI: The Reverend Arthur Beebe, the Reverend Cuthbert Eager,\nMr. Emerson, "
    "Mr. George Emerson, Miss Eleanor Lavish, Miss Charlotte\nBartlett, and Miss Lucy "
    "Honeychurch Drive Out in Carriages to See a\nView; Italians Drive Them."
)
LONG_SENTENCE = (
    "Chapter 3: that was where the book went wrong, she thought, because the author had "
    "decided to kill off the only character anyone liked, and nobody in the fandom forgave it."
)


def test_a_long_title_in_title_case_is_a_heading() -> None:
    doc = doc_of(f"{LONG_TITLE}\n\n{A}")
    assert [c.title for c in doc.chapters] == [" ".join(LONG_TITLE.split())]
    assert paras(doc) == [A]


def test_a_long_sentence_after_a_chapter_number_is_prose() -> None:
    doc = doc_of(f"{A}\n\n{LONG_SENTENCE}\n\n{B}")
    assert len(doc.chapters) == 1
    assert paras(doc) == [A, LONG_SENTENCE, B]


def test_no_headings_gives_one_chapter_titled_as_the_work() -> None:
    text = f"{A}\n\n{B}\n"
    assert doc_of(text, title="Night").chapters == (Chapter(0, len(text) - 1, "Night"),)
    assert doc_of(text).chapters == (Chapter(0, len(text) - 1, None),)


def test_chapters_given_by_the_source_are_used() -> None:
    text = f"{A}\n\n{B}"
    second = len(A) + 2
    src = Source(
        text=text,
        blocks=(Block(0, len(A)), Block(second, len(text))),
        chapters=(Chapter(0, len(A), "One"), Chapter(second, len(text), "Two")),
        emphasis=(Emphasis(0, 5, "italic"),),
        notes=(Note("summary", text="A summary."),),
    )
    doc = build(src)
    assert doc.chapters == src.chapters
    assert doc.emphasis == src.emphasis
    assert doc.notes == src.notes
    assert [(s.id, s.chapter) for s in doc.scenes] == [("s1", 0), ("s2", 1)]


@pytest.mark.parametrize("text", ["", "   \n\n  \r\n"])
def test_empty_text_gives_nothing(text: str) -> None:
    doc = build(text_reader.read(text))
    assert (doc.chapters, doc.paragraphs, doc.scenes, doc.notes) == ((), (), (), ())


# --- author's notes ---------------------------------------------------------------

NOTES: list[tuple[str, NoteKind]] = [
    ("A/N: Thanks for reading!", "author_note"),
    ("AN: Sorry this took so long.", "author_note"),
    ("A.N. Short one today.", "author_note"),
    ("Author's Note: I love these two.", "author_note"),
    ("Authors Note - more soon", "author_note"),
    ("(A/N: beta'd by Sam)", "author_note"),
    ("Disclaimer: I don't own Buffy.", "disclaimer"),
    ("DISCLAIMER: Joss owns all.", "disclaimer"),
    ("Note: this follows season seven.", "author_note"),
    ("Please review!", "review_request"),
    ("Read and review, please :)", "review_request"),
    ("R&R!", "review_request"),
]


@pytest.mark.parametrize(("line", "kind"), NOTES)
def test_note_at_chapter_start(line: str, kind: NoteKind) -> None:
    text = f"{line}\n\n{A}\n\n{B}"
    doc = doc_of(text)
    assert doc.notes == (Note(kind, chapter=0, start=0, end=len(line)),)
    assert paras(doc) == [A, B]
    assert doc.text == text


@pytest.mark.parametrize(("line", "kind"), NOTES)
def test_note_at_chapter_end(line: str, kind: NoteKind) -> None:
    text = f"{A}\n\n{B}\n\n{line}"
    doc = doc_of(text)
    start = text.index(line)
    assert doc.notes == (Note(kind, chapter=0, start=start, end=len(text)),)
    assert paras(doc) == [A, B]


def test_notes_in_each_chapter_carry_its_index() -> None:
    text = f"Chapter 1\n\nDisclaimer: not mine.\n\n{A}\n\nChapter 2\n\n{B}\n\nA/N: More soon!"
    doc = doc_of(text)
    assert [(n.kind, n.chapter, text[n.start or 0 : n.end]) for n in doc.notes] == [
        ("disclaimer", 0, "Disclaimer: not mine."),
        ("author_note", 1, "A/N: More soon!"),
    ]


def test_leading_note_runs_on_to_the_break() -> None:
    text = f"A/N: Hi all!\n\nThis one is for Sam, who asked.\n\n***\n\n{A}\n\n{B}"
    doc = doc_of(text)
    assert doc.notes == (Note("author_note", chapter=0, start=0, end=text.index("\n\n***")),)
    assert paras(doc) == [A, B]
    assert len(doc.scenes) == 1


def test_leading_note_without_a_fence_is_one_block() -> None:
    text = f"A/N: Hi all!\n\n{A}\n\n{B}\n\n{C}\n\n{A}\n\n{B}\n\n***\n\n{C}"
    doc = doc_of(text)
    assert doc.notes == (Note("author_note", chapter=0, start=0, end=len("A/N: Hi all!")),)
    assert len(doc.paragraphs) == 6


def test_leading_note_does_not_swallow_dialogue() -> None:
    text = f'A/N: Hi all!\n\n"Run," she said.\n\n***\n\n{A}'
    doc = doc_of(text)
    assert doc.notes == (Note("author_note", chapter=0, start=0, end=len("A/N: Hi all!")),)
    assert paras(doc) == ['"Run," she said.', A]


def test_trailing_notes_after_the_last_break() -> None:
    tail = "A/N: Thanks for sticking with this!\n\nNext chapter soon.\n\nPlease review!"
    text = f"{A}\n\n***\n\n{tail}"
    doc = doc_of(text)
    start = text.index("A/N")
    assert [(n.kind, text[n.start or 0 : n.end]) for n in doc.notes] == [
        ("author_note", "A/N: Thanks for sticking with this!\n\nNext chapter soon."),
        ("review_request", "Please review!"),
    ]
    assert doc.notes[0].start == start
    assert paras(doc) == [A]


def test_labelled_note_mid_chapter() -> None:
    text = f"{A}\n\nA/N: Yes, this really happened on the show.\n\n{B}"
    doc = doc_of(text)
    assert [n.kind for n in doc.notes] == ["author_note"]
    assert paras(doc) == [A, B]


@pytest.mark.parametrize(
    "line",
    [
        "Anne smiled at him.",
        "An old man sat by the fire.",
        "Notes were passed.",
        "She read the review: please, it said.",
        "Announcements came later.",
    ],
)
def test_not_notes(line: str) -> None:
    doc = doc_of(f"{A}\n\n{line}\n\n{B}")
    assert doc.notes == ()
    assert paras(doc) == [A, line, B]


def test_review_request_mid_chapter_is_prose() -> None:
    line = '"Please review the file," Giles said.'
    doc = doc_of(f"{A}\n\n{line}\n\n{B}")
    assert doc.notes == ()


# --- paragraphs and scenes ------------------------------------------------------------


def test_single_newline_story_paragraphs_and_scenes() -> None:
    text = f"{A}\r\n{B}\r\n* * *\r\n{C}\r\n"
    doc = doc_of(text)
    assert doc.paragraphs == (
        Paragraph(0, len(A)),
        Paragraph(len(A) + 2, len(A) + 2 + len(B)),
        Paragraph(text.index(C), text.index(C) + len(C)),
    )
    assert doc.scenes == (
        Scene("s1", 0, len(A) + 2 + len(B), 0),
        Scene("s2", text.index(C), text.index(C) + len(C), 0),
    )
    assert doc.text == text


def test_scenes_without_paragraphs_are_dropped_and_ids_run_over_the_work() -> None:
    text = f"Chapter 1\n\n***\n\n{A}\n\n***\n\n***\n\n{B}\n\nChapter 2\n\n{C}\n\n***"
    doc = doc_of(text)
    assert [(s.id, s.chapter) for s in doc.scenes] == [("s1", 0), ("s2", 0), ("s3", 1)]
    assert scene_texts(doc) == [[A], [B], [C]]


def test_every_paragraph_in_exactly_one_scene() -> None:
    text = f'Prologue\n\n{A}\n\n~Spike~\n\n{B}\n\n{C}\n\nChapter 1\n\nA/N: hi\n\n"{A}"\n\nxxx\n\n{B}'
    doc = doc_of(text)
    for p in doc.paragraphs:
        assert sum(s.start <= p.start and p.end <= s.end for s in doc.scenes) == 1
    assert len(doc.paragraphs) == 5
    assert [(s.chapter, s.pov_header) for s in doc.scenes] == [(0, None), (0, "Spike"), (1, None), (1, None)]


def test_hard_wrapped_novel_text() -> None:
    text = (
        "CHAPTER I\n\n\nEmma Woodhouse, handsome, clever, and rich, with a comfortable home\n"
        "and happy disposition, seemed to unite some of the best blessings of\nexistence.\n\n"
        "She was the youngest of the two daughters of a most affectionate,\nindulgent father.\n\n\n\n"
        "CHAPTER II\n\n\nMr. Weston was a native of Highbury, and born of a respectable\nfamily.\n"
    )
    doc = doc_of(text)
    assert [c.title for c in doc.chapters] == ["CHAPTER I", "CHAPTER II"]
    assert len(doc.paragraphs) == 3
    assert doc.text[doc.paragraphs[2].start : doc.paragraphs[2].end] == (
        "Mr. Weston was a native of Highbury, and born of a respectable\nfamily."
    )


def test_real_story_has_five_scenes() -> None:
    path = SHARED / "data" / "stories" / "000_520dda240a9fa714.txt"
    if not path.exists():
        pytest.skip(f"shared data not available at {path}")
    content = path.read_text(encoding="utf-8")
    doc = build(text_reader.read(content))
    assert doc.text == content
    assert len(doc.scenes) == 5
    assert len(doc.chapters) == 1


def test_a_story_header_starts_no_scene_and_no_paragraph() -> None:
    text = "Title: Ashes\nRating: Teen\n\nThe forest was too quiet.\n\nGeralt listened."
    doc = build(text_reader.read(text))
    assert [text[p.start : p.end] for p in doc.paragraphs] == [
        "The forest was too quiet.",
        "Geralt listened.",
    ]
    assert doc.scenes[0].start == text.index("The forest")
