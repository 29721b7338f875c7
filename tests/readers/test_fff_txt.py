"""The FanFicFare TXT reader, on files laid out as FanFicFare's TXT writer lays them out."""

from __future__ import annotations

from ficlens.model import Chapter, Series
from ficlens.readers import fff_txt
from ficlens.stages.structure import build

# Title, byline, title page (wrapped at 78 columns), table of contents, then each
# chapter after "\n\n\t<title>\n\n", html2text body text, and "End file.".
FFF = (
    "\n\n\nThe Long Night\n\nby Jane Writer, Co Author\n\n\n\n"
    "Category: Buffy: The Vampire Slayer\n"
    "Genre: Angst, Romance\n"
    "Language: English\n"
    "Characters: Buffy S., Spike\n"
    "Relationships: Buffy S./Spike\n"
    "Status: Completed\n"
    "Published: 2004-05-01\n"
    "Updated: 2004-06-01\n"
    "Rating: Teen And Up Audiences\n"
    "Warnings: No Archive Warnings Apply\n"
    "Chapters: 2\n"
    "Words: 1,234\n"
    "Publisher: archiveofourown.org\n"
    "Story URL: https://archiveofourown.org/works/123\n"
    "Series: Nights [2]\n"
    "Summary: After the fall of Sunnydale, Buffy goes looking for the one person\n"
    "she never expected to see again.\n"
    "\n\n\n\n\nTABLE OF CONTENTS\n\n\nOne: Ashes\n\n\nTwo: Dawn\n\n"
    "\n\n\tOne: Ashes\n\n"
    "She stood at the edge of the crater and looked down at what was left of the\n"
    "town. _Nothing_ was left, not even the snake_case sign or a lone _ mark.\n\n"
    '"Spike?" she said. **Really** said it.\n\n'
    "* * *\n\n"
    "He turned.\n\n"
    "\n\n\tTwo: Dawn\n\n"
    "Morning came slowly, _very slowly_, over the desert.\n\n"
    "\n\nEnd file.\n"
)

STORY = (
    "She stood at the edge of the crater and looked down at what was left of the town. "
    "Nothing was left, not even the snake_case sign or a lone _ mark.\n\n"
    '"Spike?" she said. Really said it.\n\n'
    "* * *\n\n"
    "He turned.\n\n"
    "Morning came slowly, very slowly, over the desert."
)


def test_looks_like() -> None:
    assert fff_txt.looks_like(FFF)
    assert fff_txt.looks_like(FFF.replace("\n", "\r\n"))
    assert not fff_txt.looks_like("Chapter 1\n\nShe ran.\n\nby the river she stopped.\n")
    assert not fff_txt.looks_like("")


def test_text_is_the_story_alone_unwrapped() -> None:
    src = fff_txt.read(FFF)
    assert src.text == STORY
    assert src.work.source_format == "fanficfare-txt"


def test_chapters_from_title_lines() -> None:
    src = fff_txt.read(FFF)
    second = STORY.index("Morning")
    assert src.chapters == (
        Chapter(0, STORY.index("* * *") + len("* * *\n\nHe turned."), "One: Ashes"),
        Chapter(second, len(STORY), "Two: Dawn"),
    )


def test_emphasis_spans() -> None:
    src = fff_txt.read(FFF)
    found = [(src.text[e.start : e.end], e.style) for e in src.emphasis]
    assert found == [("Nothing", "italic"), ("Really", "bold"), ("very slowly", "italic")]


def test_metadata_mapping() -> None:
    work = fff_txt.read(FFF).work
    assert work.title == "The Long Night"
    assert work.authors == ("Jane Writer", "Co Author")
    assert work.categories == ("Buffy: The Vampire Slayer",)
    assert work.language == "English"
    assert work.characters == ("Buffy S.", "Spike")
    assert work.relationships == ("Buffy S./Spike",)
    assert work.rating == ("Teen And Up Audiences",)
    assert work.warnings == ("No Archive Warnings Apply",)
    assert work.published == "2004-05-01"
    assert work.updated == "2004-06-01"
    assert work.chapters == "2"
    assert work.words == 1234
    assert work.url == "https://archiveofourown.org/works/123"
    assert work.series == (Series("Nights", 2),)
    assert work.summary == (
        "After the fall of Sunnydale, Buffy goes looking for the one person she never expected to see again."
    )
    assert work.extra == (
        ("Genre", "Angst, Romance"),
        ("Publisher", "archiveofourown.org"),
        ("Status", "Completed"),
    )


def test_wrapped_layout_with_expanded_tab_and_crlf() -> None:
    # With wrap_width set, textwrap expands the chapter line's tab to 8 spaces;
    # windows_eol gives CRLF line ends.
    variant = FFF.replace("\t", " " * 8).replace("\n", "\r\n")
    src = fff_txt.read(variant)
    assert src.text == STORY
    assert [c.title for c in src.chapters] == ["One: Ashes", "Two: Dawn"]


def test_single_chapter_without_table_of_contents() -> None:
    text = (
        "\n\n\nShort One\n\nby Ann\n\n\n\nRating: General Audiences\nWords: 12\n\n\n\n"
        "\n\n\tShort One\n\nShe _smiled_.\n\nHe left,\nslowly.\n\n\nEnd file.\n"
    )
    src = fff_txt.read(text)
    assert src.text == "She smiled.\n\nHe left, slowly."
    assert src.chapters == (Chapter(0, len(src.text), "Short One"),)
    assert src.work.words == 12
    assert src.work.rating == ("General Audiences",)
    assert [(src.text[e.start : e.end], e.style) for e in src.emphasis] == [("smiled", "italic")]


def test_underscore_edge_cases_and_escapes() -> None:
    text = (
        "\n\n\nT\n\nby A\n\n\n\nWords: 3\n\n\n\n\n\n\tT\n\n"
        "my_var and __init__ and _ alone, \\_not italic\\_ and _**both**_.\n\n"
        "_____\n\nEnd file.\n"
    )
    src = fff_txt.read(text)
    assert src.text == "my_var and __init__ and _ alone, _not italic_ and both.\n\n_____"
    both = src.text.index("both")
    assert [(e.start, e.end, e.style) for e in src.emphasis] == [
        (both, both + 4, "bold"),
        (both, both + 4, "italic"),
    ]


def test_structure_stage_sees_the_break_paragraph() -> None:
    doc = build(fff_txt.read(FFF))
    assert [(s.id, s.chapter, doc.text[s.start : s.end][:10]) for s in doc.scenes] == [
        ("s1", 0, "She stood "),
        ("s2", 0, "He turned."),
        ("s3", 1, "Morning ca"),
    ]
    assert len(doc.paragraphs) == 4


def test_code_block_indent_is_not_a_chapter_title() -> None:
    text = (
        "\n\n\nT\n\nby A\n\n\n\nWords: 3\n\n\n\n\n\n\tT\n\nShe typed:\n\n    rm -rf /\n\n"
        "Line one,  \nline two.\n\nEnd file.\n"
    )
    src = fff_txt.read(text)
    assert src.chapters == (Chapter(0, len(src.text), "T"),)
    assert src.text == "She typed:\n\nrm -rf /\n\nLine one,\nline two."
