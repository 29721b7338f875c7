"""Quotation finding on small hand-written passages."""

from __future__ import annotations

import pytest

from ficlens.model import Paragraph
from ficlens.stages.quotes import QuotePrediction, dominant_style, find_quotes


def paragraphs(text: str) -> list[Paragraph]:
    out, pos = [], 0
    for block in text.split("\n\n"):
        out.append(Paragraph(pos, pos + len(block)))
        pos += len(block) + 2
    return out


def quoted(text: str) -> tuple[list[str], QuotePrediction]:
    pred = find_quotes(text, paragraphs(text))
    return [text[s.start : s.end] for s in pred.spans], pred


def test_curly_double_quotes() -> None:
    spans, pred = quoted("“Spike?” Her voice was a whisper.\n\n“Buffy,” he said softly.")
    assert spans == ["Spike?", "Buffy,"]
    assert pred.style == "double"


def test_straight_double_quotes_and_span_excludes_marks() -> None:
    text = '"You\'re late," she said.'
    spans, pred = quoted(text)
    assert spans == ["You're late,"]
    assert (pred.spans[0].start, pred.spans[0].end) == (1, 13)


def test_interrupted_quote_is_one_utterance() -> None:
    spans, pred = quoted("“Buffy,” he said softly, “I…”")
    assert spans == ["Buffy,", "I…"]
    assert pred.utterances[0] == pred.utterances[1]


def test_a_tag_that_crosses_a_line_break_keeps_one_utterance() -> None:
    """Hard-wrapped text (Gutenberg) breaks lines inside a paragraph, and titles have stops."""
    _, pred = quoted("“There'll be murder,” replied Mr. Giles,\ncoolly, “if you don't let go.”")
    assert pred.utterances[0] == pred.utterances[1]


def test_an_action_beat_between_sentences_keeps_one_utterance() -> None:
    _, pred = quoted("“Fine.” He turned away. “Go, then.”")
    assert pred.utterances[0] == pred.utterances[1]


def test_narration_that_introduces_the_next_line_starts_a_new_utterance() -> None:
    _, pred = quoted("“Fine.” Her brother answered, “Go, then.”")
    assert pred.utterances[0] != pred.utterances[1]


def test_a_named_tag_sentence_between_two_lines_starts_a_new_utterance() -> None:
    """ "Fielding said:" after a beat is a new speaker's tag; "Then he added:" goes on."""
    _, pred = quoted("Aziz retorted, “Very well,” and glared at him. Fielding said: “Away from us.”")
    assert pred.utterances[0] != pred.utterances[1]
    _, pred = quoted("“Yes,” he said. Then he added: “No.”")
    assert pred.utterances[0] == pred.utterances[1]


def test_a_reply_named_between_two_spans_starts_a_new_utterance() -> None:
    _, pred = quoted("“Do not you dance, Mr. Elton?” to which his prompt reply was, “Most readily.”")
    assert pred.utterances[0] != pred.utterances[1]
    _, pred = quoted("“Do not you dance?” she asked, her voice low, “Mr. Elton?”")
    assert pred.utterances[0] == pred.utterances[1]


def test_a_line_with_its_own_tag_starts_a_new_utterance() -> None:
    """Some works run several speakers' lines into one paragraph."""
    _, pred = quoted("“Is it late?” said Tom. “It is,” said Ann.")
    assert pred.utterances[0] != pred.utterances[1]


def test_a_tokenised_tag_line_ends_its_utterance() -> None:
    """One sentence a line (LitBank): the next line of speech may be the other side's."""
    _, pred = quoted("“ What is that ? ” said the painter .\n“ You know quite well . ”")
    assert pred.utterances[0] != pred.utterances[1]


def test_a_long_stretch_of_narration_starts_a_new_utterance() -> None:
    _, pred = quoted("“Fine.” He turned away. The rain had stopped. The street was empty. “Go, then.”")
    assert pred.utterances[0] != pred.utterances[1]


def test_nested_quotes_stay_inside() -> None:
    spans, _ = quoted("\"Mother said 'no', and that was that,\" he said.")
    assert spans == ["Mother said 'no', and that was that,"]


def test_speech_quoted_in_speech_is_left_out_of_its_spans() -> None:
    """Miss Bates quoting Jane: her words around Jane's are one utterance of three
    spans, and Jane's quoted words are quoted text, not Miss Bates's speech; a
    quoted title stays inside."""
    text = (
        '"Yes," said Emma.\n\n"Indeed?" said Harriet.\n\n"Well," said Emma.\n\n'
        "\"Poor dear Jane was talking of it just now.--'You must go,' said she. "
        "'You and I must part.' So she did, and I read 'Mediaeval Byways' since.\""
    )
    spans, pred = quoted(text)
    said = [span for span, speech in zip(spans, pred.speech, strict=True) if speech]
    assert said[3:] == [
        "Poor dear Jane was talking of it just now.--",
        "said she.",
        "So she did, and I read 'Mediaeval Byways' since.",
    ]
    assert [span for span, speech in zip(spans, pred.speech, strict=True) if not speech] == [
        "You must go,",
        "You and I must part.",
    ]
    assert len(set(pred.utterances[3:])) == 1


def test_dialect_elisions_are_not_nested_quotes() -> None:
    """Stephen's "'t" and "o'" in Hard Times are apostrophes, not a quotation inside his line."""
    spans, pred = quoted("\"I ha thowt on 't, sir. I mun go wi' the rest o' th' men,\" said he.")
    assert spans == ["I ha thowt on 't, sir. I mun go wi' the rest o' th' men,"]
    assert pred.speech == (True,)


def test_a_stage_direction_is_left_out_of_the_speech() -> None:
    """Emma's "Well, (smiling,) I hope…": the parenthesis is narration, between two
    spans of one utterance; an aside of the speaker's own stays in."""
    text = '"Ah! Harriet. Well, (smiling,) I hope (between ourselves) it may (turning to Emma,) be so."'
    spans, pred = quoted(text)
    assert spans == ["Ah! Harriet. Well,", "I hope (between ourselves) it may", "be so."]
    assert len(set(pred.utterances)) == 1
    assert all(pred.speech)


def test_multi_paragraph_speech_continues() -> None:
    text = '"It began in June.\n\n"By July it was over," she said.'
    spans, pred = quoted(text)
    assert spans == ["It began in June.", "By July it was over,"]
    assert pred.spans[0].open_ended and pred.spans[1].continues
    assert pred.utterances[0] == pred.utterances[1]


def test_unbalanced_mark_does_not_derail_later_paragraphs() -> None:
    text = '"Wait, he said, and ran.\n\nThe door slammed.\n\n"Come back!" she called.'
    spans, _ = quoted(text)
    assert spans[-1] == "Come back!"
    assert "The door slammed." not in spans


def test_non_speech_quotes_are_marked() -> None:
    text = 'All the "sorry"s and all the "missed you"s were not enough. "Right," she said.'
    spans, pred = quoted(text)
    assert spans == ["sorry", "missed you", "Right,"]
    assert pred.speech == (False, False, True)


def test_scare_quote_mid_sentence_is_not_speech() -> None:
    text = 'He called it his "research" and never explained.'
    _, pred = quoted(text)
    assert pred.speech == (False,)


def test_dominant_style_counts_prose_only() -> None:
    text = "‘Hi,’ she said.\n\n‘Bye,’ he said."
    assert dominant_style(text, paragraphs(text)) == "single"


#: (passage, its dominant style, the lines found in it), one row per quote style.
STYLES = [
    pytest.param(
        "‘I’m goin’ to feed ’em at five o’clock,’ she said. ‘The dogs’ bowls are empty.’\n\n"
        "‘Are they?’ asked Tom.\n\n‘Yes.’",
        "single",
        ["I’m goin’ to feed ’em at five o’clock,", "The dogs’ bowls are empty.", "Are they?", "Yes."],
        id="british-single-quotes-tell-apostrophes-apart",
    ),
    pytest.param(
        # Dropped aitches: 'E and 'ome are words, not quotes opening.
        "'Oi! 'Ave you seen Dean? 'E was s'posed to be 'ome,' said Seamus.\n\n'No,' said Harry.",
        "single",
        ["Oi! 'Ave you seen Dean? 'E was s'posed to be 'ome,", "No,"],
        id="single-quotes-with-dropped-aitches",
    ),
    pytest.param(
        "'Don't,' said Alice. 'It's rude.'\n\n'Is it?' said the Hatter.",
        "single",
        ["Don't,", "It's rude.", "Is it?"],
        id="straight-single-quotes",
    ),
    pytest.param(
        # The inner marks of 'the 'incident'.' neither close nor break the line.
        "'You can't be serious,' said Hermione. 'The library's been closed since the 'incident'.'\n\n"
        "Ron shrugged. 'So? We'll go in through the kitchens.'",
        "single",
        [
            "You can't be serious,",
            "The library's been closed since the 'incident'.",
            "So? We'll go in through the kitchens.",
        ],
        id="a-quotation-nested-in-a-single-quoted-line",
    ),
    pytest.param(
        "— Come up, Kinch! — he said. — Come up, you fearful jesuit!\n\nHe went up.",
        "dash",
        ["Come up, Kinch!", "Come up, you fearful jesuit!"],
        id="em-dash",
    ),
    pytest.param(
        # No dash sets off the tag, and a line may open after its paragraph's narration.
        "— You're late, said Marco.\n\n"
        "— The train was slow, Lucia answered. She shook the rain from her coat.\n\n"
        "— Then why do you ask?\n\n"
        "Marco laughed and poured her a glass. — Sit down. Tell me about Milan.",
        "dash",
        ["You're late", "The train was slow", "Then why do you ask?", "Sit down. Tell me about Milan."],
        id="em-dash-with-comma-tags-and-a-dash-after-narration",
    ),
    pytest.param(
        # An action beat ends a segment, and the next dash reopens the speech.
        "— You should be asleep, Marco said.\n\n"
        "— So should you. Ace didn't turn around. — Couldn't sleep.\n\n"
        "— I know. Ace smiled, a little. — He always is.",
        "dash",
        ["You should be asleep", "So should you.", "Couldn't sleep.", "I know.", "He always is."],
        id="em-dash-with-action-beats-between-dashes",
    ),
    pytest.param(
        # A dash after a colon opens speech; "he said" after a "!" is a tag.
        "He held the bowl aloft and intoned: — Introibo ad altare Dei.\n\n"
        "— Back to barracks! he said sternly.",
        "dash",
        ["Introibo ad altare Dei.", "Back to barracks!"],
        id="em-dash-after-a-colon-and-tagged-after-an-exclamation",
    ),
    pytest.param(
        # The typewriter's dash: Gutenberg's Joyce.
        "-- What is your name?\n\nStephen had answered: -- Stephen Dedalus.\n\n"
        "-- What kind of a name is that?",
        "dash",
        ["What is your name?", "Stephen Dedalus.", "What kind of a name is that?"],
        id="double-hyphen-dialogue",
    ),
    pytest.param(
        "«Bonjour,» dit-il. «Ça va?»\n\n«Oui.»", "guillemet", ["Bonjour,", "Ça va?", "Oui."], id="guillemets"
    ),
    pytest.param(
        # Tokenised text (LitBank): every mark stands apart, and "'s" is a clitic, not a quote.
        '" It is Mrs. Sedley \'s coach , sister , " said Miss Jemima .\n\n" Is it ? "',
        "double",
        ["It is Mrs. Sedley 's coach , sister ,", "Is it ?"],
        id="tokenised-straight-double-quotes",
    ),
    pytest.param(
        "‘ It is very kind of you to come round , ’ I said .\n\n‘ Not at all , ’ he answered .",
        "single",
        ["It is very kind of you to come round ,", "Not at all ,"],
        id="tokenised-curly-single-quotes",
    ),
]


@pytest.mark.parametrize(("text", "style", "lines"), STYLES)
def test_each_quote_style(text: str, style: str, lines: list[str]) -> None:
    spans, pred = quoted(text)
    assert pred.style == style
    assert spans == lines


def test_chat_lines_are_speech() -> None:
    """A work that chats: each "Sender: message" line is a line of speech (its
    message, without marks); a "Summary:" paragraph is no message."""
    text = (
        "Summary: the group chat.\n\n"
        "**Tony:** who took my coffee\n\n"
        "**Steve:** Language.\n\n"
        'Tony: "I didn\'t even swear"\n\n'
        "Natasha sighed."
    )
    spans, pred = quoted(text)
    assert spans == ["who took my coffee", "Language.", "I didn't even swear"]
    assert all(pred.speech)


def test_headings_and_narration_before_a_colon_are_not_a_chat() -> None:
    """ "Warning:" heads a note, and "His mother said:" is narration, not a sender."""
    spans, _ = quoted("Warning: angst.\n\nPairing: Steve/Tony.\n\nTony sighed.")
    assert spans == []
    text = (
        "His mother said: O, he will apologize.\n\nDante said: O, if not.\n\nDante said: no.\n\nHe said: no."
    )
    spans, _ = quoted(text)
    assert spans == []
