"""Nicknames found from the turns: who answers when a name is called."""

from __future__ import annotations

from ficlens.pipeline import analyze_text

CALLED = (
    "Izuku was reading in the common room when Bakugou came in and kicked the door shut.\n\n"
    '"Kacchan, you\'re back early."\n\n'
    '"Obviously," Bakugou snapped. "Training got cancelled."\n\n'
    '"Why?"\n\n'
    '"How should I know?" Bakugou threw himself onto the couch.\n\n'
    'Izuku closed his notebook. "Kacchan, did something happen?"\n\n'
    '"Nothing happened, nerd," Bakugou said. "Drop it."\n\n'
    '"Okay. Kacchan?"\n\n'
    '"What?" Bakugou growled.'
)


def test_a_name_only_called_joins_the_one_who_answers_it() -> None:
    doc = analyze_text(CALLED)
    cast = {c.name: set(c.aliases) for c in doc.characters}
    assert cast == {"Izuku": {"Izuku"}, "Bakugou": {"Bakugou", "Kacchan"}}
    bakugou = next(c.id for c in doc.characters if c.name == "Bakugou")
    called = [q for q in doc.quotes if doc.text[q.start : q.end].startswith("Kacchan")]
    assert called and all(q.addressees == (bakugou,) for q in called)


def test_a_name_called_twice_is_not_enough() -> None:
    """Two calls could be anyone's: the nickname stays its own character."""
    text = CALLED.replace('"Okay. Kacchan?"', '"Okay."')
    names = {c.name for c in analyze_text(text).characters}
    assert "Kacchan" in names


FIRST_PERSON = (
    "The lab smells like burnt coffee, which means Tony has been down here all night.\n\n"
    "I knock on the glass. He doesn't look up.\n\n"
    '"It\'s four in the morning," I say.\n\n'
    '"Time is a construct, Rogers." Tony waves a screwdriver at me. "Come to drag me to bed?"\n\n'
    '"Something like that."\n\n'
    'Tony spins his chair to face me. "Steve."\n\n'
    '"Tony."\n\n'
    '"Go to bed, Steve. I mean it."'
)


def test_a_first_person_narrator_takes_the_name_others_call_them() -> None:
    """The narration never names its "I"; Tony calls them Steve, twice."""
    doc = analyze_text(FIRST_PERSON)
    narrator = next(c for c in doc.characters if "I" in c.aliases)
    assert narrator.name == "Steve"
    assert "Steve" in narrator.aliases


def test_a_name_the_first_person_narration_uses_is_not_the_narrator_s() -> None:
    """ "Tony spins his chair": a name the narration uses is someone else."""
    doc = analyze_text(FIRST_PERSON)
    narrator = next(c for c in doc.characters if "I" in c.aliases)
    assert "Tony" not in narrator.aliases
