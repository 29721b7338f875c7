from __future__ import annotations

from ficlens.model import Paragraph
from ficlens.nlp import parse
from ficlens.nlp.repair import repair_names


def _table(text: str):  # type: ignore[no-untyped-def]
    paragraphs = []
    start = 0
    for part in text.split("\n\n"):
        paragraphs.append(Paragraph(start, start + len(part)))
        start += len(part) + 2
    return parse(text, paragraphs)


def test_a_given_name_read_as_an_adverb_becomes_its_verb_s_subject() -> None:
    """en_core_web_sm reads "Milly sat up" as an adverb for its -ly."""
    text = 'Tony knocked.\n\nMilly sat up in bed. "O.K.," she said.'
    raw = _table(text)
    row = raw.words.index("Milly")
    assert raw.pos[row] != "PROPN"  # the tagger's mistake this repair exists for
    fixed = repair_names(raw)
    assert (fixed.pos[row], fixed.deps[row]) == ("PROPN", "nsubj")


def test_a_word_the_work_writes_in_lower_case_is_left_alone() -> None:
    """ "So" is a given name too, but a work that writes "so" means the word."""
    text = "So she went home. It was so late."
    raw = _table(text)
    assert repair_names(raw).pos == raw.pos


def test_a_name_read_as_a_verb_is_a_name_where_it_is_one_elsewhere() -> None:
    text = (
        "Fielding came in. Aziz looked up at Fielding, and Fielding smiled.\n\n"
        "Fielding could not stand the tension any longer and blurted out the news."
    )
    raw = _table(text)
    rows = [r for r, w in enumerate(raw.words) if w == "Fielding"]
    assert raw.pos[rows[-1]] == "VERB"  # the tagger's mistake this repair exists for
    fixed = repair_names(raw)
    assert all(fixed.pos[r] == "PROPN" for r in rows)


def test_a_subject_read_as_a_common_noun_is_a_name_met_as_one_before() -> None:
    """ "Stiles grips the door handle": a plural noun to the tagger, but the
    work named "Stiles Stilinski" and never wrote "stiles"."""
    text = "Stiles Stilinski sat on the hood.\n\nDerek drove. Stiles grips the door handle."
    raw = _table(text)
    row = [r for r, w in enumerate(raw.words) if w == "Stiles"][-1]
    assert raw.pos[row] == "NOUN"  # the tagger's mistake this repair exists for
    assert repair_names(raw).pos[row] == "PROPN"


def test_a_present_tense_verb_read_as_a_noun_gets_its_subject_back() -> None:
    """ "Clarke laughs." and "Octavia steps forward and takes my arm.": the
    tagger reads a compound noun, with no subject; the name is the verb's."""
    text = "Clarke laughs.\n\nOctavia steps forward and takes my arm."
    raw = _table(text)
    rows = [raw.words.index(w) for w in ("Clarke", "Octavia")]
    assert all(raw.deps[r] == "compound" for r in rows)  # the parser's mistake this repair exists for
    fixed = repair_names(raw)
    for r in rows:
        assert (fixed.deps[r], fixed.pos[r + 1], fixed.tags[r + 1]) == ("nsubj", "VERB", "VBZ")


def test_a_name_modifying_a_noun_mid_sentence_is_left_alone() -> None:
    text = "The Weasley twins laughed at the Potter fans."
    raw = _table(text)
    assert repair_names(raw).deps == raw.deps


def test_a_name_that_speaks_is_no_place_whatever_ner_says() -> None:
    """Howards End's "Tibby" is a place to NER and an adverb (for its -by) to
    the tagger when it opens a sentence; "said Tibby" shows him a person."""
    text = '"Yes," said Tibby.\n\nTibby, now in his second year at Oxford, was down for the vacation.'
    raw = _table(text)
    row = [r for r, w in enumerate(raw.words) if w == "Tibby"][-1]
    assert raw.pos[row] == "ADV" and raw.ents[row] == "GPE"  # the mistakes this repair exists for
    assert repair_names(raw).pos[row] == "PROPN"
