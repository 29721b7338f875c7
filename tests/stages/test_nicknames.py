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
