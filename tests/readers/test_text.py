"""The plain-text reader: verbatim text, paragraph blocks, both paragraphing styles."""

from __future__ import annotations

import time

from ficlens.model import Block
from ficlens.readers.text import read


def spans(text: str) -> list[str]:
    src = read(text)
    return [src.text[b.start : b.end] for b in src.blocks]


def test_text_is_verbatim_and_format_is_text() -> None:
    text = "  One.\n\nTwo.  \n"
    src = read(text)
    assert src.text is text
    assert src.work.source_format == "text"
    assert src.blocks == (Block(2, 6), Block(8, 12))
    assert src.chapters == ()


def test_blank_line_paragraphs() -> None:
    text = 'He left.\n\n"Wait!" she said.\n\n\nShe ran.'
    assert spans(text) == ["He left.", '"Wait!" she said.', "She ran."]


def test_single_newline_paragraphs() -> None:
    text = 'He left.\n"Wait!" she said.\nShe ran after him.\nHe didn\'t stop.'
    assert spans(text) == ["He left.", '"Wait!" she said.', "She ran after him.", "He didn't stop."]


def test_tokenised_sentences_are_joined_into_paragraphs() -> None:
    """One tokenised sentence a line (LitBank): a speech of several sentences
    is one paragraph, and so is a tag the sentence splitter cut off."""
    text = (
        "The day broke gray and dull .\n"
        "A woman came into the room .\n"
        '" Wake up , Philip .\n'
        'Your mother wants you . "\n'
        '" Are you sleepy , darling ? "\n'
        "she said .\n"
        "He did not answer ."
    )
    assert spans(text) == [
        "The day broke gray and dull .",
        "A woman came into the room .",
        '" Wake up , Philip .\nYour mother wants you . "',
        '" Are you sleepy , darling ? "\nshe said .',
        "He did not answer .",
    ]


def test_tokenised_single_quoted_speech_spans_its_sentences() -> None:
    """A spaced ’ closes the speech; "do n’t" is an apostrophe."""
    text = (
        "At last I spoke .\n‘ Old friends , ’ I nodded .\n‘ It is very kind .\n"
        "You do n’t mind ? ’\nHe smiled .\nThe fire burned ."
    )
    assert spans(text) == [
        "At last I spoke .",
        "‘ Old friends , ’ I nodded .",
        "‘ It is very kind .\nYou do n’t mind ? ’",
        "He smiled .",
        "The fire burned .",
    ]


def test_a_tokenised_plural_possessive_does_not_close_a_double_quote() -> None:
    """ "at Lyons ’ ," stands alone as a closing single mark would, but a
    speech opened with “ runs on to its ”."""
    text = (
        "They walked on .\n“ My dear child , ” said Tuppence , “ here we are at Lyons ’ , and we pay .\n"
        "That ’s it ! ”\nAnd Tuppence led the way .\nThe place was full ."
    )
    assert spans(text) == [
        "They walked on .",
        "“ My dear child , ” said Tuppence , “ here we are at Lyons ’ , and we pay .\nThat ’s it ! ”",
        "And Tuppence led the way .",
        "The place was full .",
    ]


def test_a_tokenised_untagged_line_after_a_tagged_one_carries_on_its_paragraph() -> None:
    """Novels go on with the same speaker after "said the surgeon , …" far more
    often than they turn to a new one; a line with a tag of its own is new."""
    text = (
        "' Poor dear ! '\nsaid the nurse , stooping .\n' Poor dear ! '\n"
        "' Give it gruel , ' said the surgeon , putting on his gloves .\n"
        "' It will be troublesome .\nVery likely . '\n"
        "' Yes , sir , ' said the nurse .\nHe put on his hat ."
    )
    assert spans(text) == [
        "' Poor dear ! '\nsaid the nurse , stooping .\n' Poor dear ! '",
        "' Give it gruel , ' said the surgeon , putting on his gloves .\n"
        "' It will be troublesome .\nVery likely . '",
        "' Yes , sir , ' said the nurse .",
        "He put on his hat .",
    ]


def test_a_tokenised_tag_cut_from_its_quote_rejoins_it() -> None:
    """The sentence splitter cuts after "?" and "!", so a tag that opens with a
    capital ("I asked .") starts a line of its own; it is still the quote's."""
    text = (
        "The tea was cold .\n“ What does Bessie say I have done ? ”\nI asked .\n"
        "Mrs. Reed frowned .\nIt was late ."
    )
    assert spans(text)[:3] == [
        "The tea was cold .",
        "“ What does Bessie say I have done ? ”\nI asked .",
        "Mrs. Reed frowned .",
    ]


def test_a_tokenised_line_opening_a_quotation_starts_a_paragraph() -> None:
    """A stray mark ("… ' . '") leaves a quotation open by count; the next line,
    which opens one of its own, still starts a paragraph of its own."""
    text = (
        "CHAPTER I ' HASTE TO THE WEDDING ' ' Wooed and married ' . '\n"
        "' Edith ! '\nsaid Margaret , gently .\n"
        "But Edith had fallen asleep .\nShe lay on the sofa .\nIt was late ."
    )
    assert spans(text)[1] == "' Edith ! '\nsaid Margaret , gently ."


def test_single_newline_text_with_a_few_blank_lines_around_a_break() -> None:
    text = "He left.\nShe stayed.\nThe night was cold.\n\n***\n\nMorning came.\nShe woke.\nHe was back."
    assert spans(text) == [
        "He left.",
        "She stayed.",
        "The night was cold.",
        "***",
        "Morning came.",
        "She woke.",
        "He was back.",
    ]


def test_hard_wrapped_paragraphs_span_several_lines() -> None:
    text = (
        "Emma Woodhouse, handsome, clever, and rich, with a comfortable home\n"
        "and happy disposition, seemed to unite some of the best blessings of\n"
        "existence.\n"
        "\n"
        "She was the youngest of the two daughters of a most affectionate,\n"
        "indulgent father.\n"
    )
    assert spans(text) == [
        "Emma Woodhouse, handsome, clever, and rich, with a comfortable home\n"
        "and happy disposition, seemed to unite some of the best blessings of\nexistence.",
        "She was the youngest of the two daughters of a most affectionate,\nindulgent father.",
    ]


def test_crlf_offsets_stay_verbatim() -> None:
    text = "First line.\r\n\r\nSecond one.\r\n"
    src = read(text)
    assert src.blocks == (Block(0, 11), Block(15, 26))
    assert src.text[15:26] == "Second one."


def test_lone_cr_line_endings() -> None:
    text = "Alpha.\rBeta.\rGamma."
    src = read(text)
    assert src.blocks == (Block(0, 6), Block(7, 12), Block(13, 19))


def test_crlf_hard_wrapped() -> None:
    text = "It was a dark and stormy\r\nnight, and the rain fell.\r\n\r\nThe end came."
    assert spans(text) == ["It was a dark and stormy\r\nnight, and the rain fell.", "The end came."]


def test_whitespace_only_text_has_no_blocks() -> None:
    assert read("").blocks == ()
    assert read(" \n\t\r\n ").blocks == ()


def test_large_input_is_linear() -> None:
    para = "She looked at him for a long time, and then she said nothing at all.\n\n"
    text = para * 200_000  # about 14 MB
    began = time.perf_counter()
    src = read(text)
    assert len(src.blocks) == 200_000
    assert src.blocks[-1] == Block(len(text) - len(para), len(text) - 2)
    assert time.perf_counter() - began < 20


HEADED = (
    "Title: Ashes\n"
    "Fandom: The Witcher\n"
    "Characters: Geralt z Rivii | Geralt of Rivia, Jaskier | Dandelion, Ciri\n"
    "Summary: Jaskier gets lost.\n"
    "Geralt finds him.\n"
    "\n"
    "Disclaimer: not mine.\n"
    "\n"
    "Ciri had been watching from the ridge the whole time.\n"
)


def test_a_story_header_is_metadata_not_story() -> None:
    """Labelled lines above the story fill the work's fields; their blocks are
    front matter, and the summary runs on over its unlabelled line."""
    src = read(HEADED)
    assert src.work.title == "Ashes"
    assert src.work.fandoms == ("The Witcher",)
    assert src.work.characters == ("Geralt z Rivii | Geralt of Rivia", "Jaskier | Dandelion", "Ciri")
    assert src.work.summary == "Jaskier gets lost. Geralt finds him."
    assert dict(src.work.extra) == {"Disclaimer": "not mine."}
    hints = [(src.text[b.start : b.end][:5], b.hint) for b in src.blocks]
    assert hints == [("Title", "front"), ("Discl", "front"), ("Ciri ", "paragraph")]


def test_a_header_does_not_take_the_story_s_first_line() -> None:
    """A one-line value ("Rating: T") does not run on over the next line."""
    src = read("Title: Ashes\nRating: T\nThe forest was too quiet.\nGeralt listened.\n")
    assert [src.text[b.start : b.end] for b in src.blocks if b.hint != "front"] == [
        "The forest was too quiet.",
        "Geralt listened.",
    ]


def test_chat_lines_and_a_lone_label_are_no_header() -> None:
    assert read("Tony: hey\nSteve: hi\n\nThey met at noon.").work.title is None
    src = read("Note: this was hard to write.\n\nThe forest was too quiet.")
    assert all(b.hint == "paragraph" for b in src.blocks)
