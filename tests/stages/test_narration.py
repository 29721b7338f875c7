"""Person, tense and point of view: small passages, and the development set."""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path

import pytest

from ficlens.model import Document
from ficlens.pipeline import analyze_path, analyze_text
from tests.conftest import SHARED

DEV = Path(__file__).resolve().parents[1] / "data" / "narration"


@cache
def analyse(text: str) -> Document:
    return analyze_text(text)


def pov_names(doc: Document) -> list[str | None]:
    names = {c.id: c.name for c in doc.characters}
    return [names.get(s.pov or "") for s in doc.scenes]


def test_dialogue_does_not_make_third_person_first() -> None:
    text = (
        'Mara looked at him. "I know, I know, I said I would," she told him. "I will."\n\n'
        '"I hope so," Tobias said. She smiled and turned back to the lamp.'
    )
    assert analyse(text).narration.person == "third"


def test_present_action_with_past_backstory_is_present() -> None:
    text = (
        "Rosa unlocks the gate and walks up the path. She remembers the summer her father had built "
        "this wall; he had cut his hand on the flint and laughed about it. Now she kneels in the wet "
        "grass and pulls the weeds, and she hums as she works, and she looks up at the sky."
    )
    doc = analyse(text)
    assert (doc.narration.person, doc.narration.tense) == ("third", "present")


def test_second_person_reader_insert() -> None:
    text = (
        "You wake early and you listen to the rain. Y/N, you tell yourself, today is the day. "
        "You pull on your coat and you walk to the station, and you feel your heart race."
    )
    doc = analyse(text)
    assert doc.narration.person == "second"
    assert pov_names(doc) == ["Y/N"]


def test_first_person_narrator_named_by_others() -> None:
    text = (
        'I came down late. "There you are, Nell," said my aunt. "We thought you had run off."\n\n'
        "I sat down and I took a roll, and I said nothing at all."
    )
    doc = analyse(text)
    assert doc.narration.person == "first"
    assert pov_names(doc) == ["Nell"]


def test_pov_header_decides_the_scene() -> None:
    text = (
        "Spike's POV\n\nHe lit a cigarette and watched the door.\n\n"
        "~Buffy~\n\nBuffy kicked the door open. She knew he would be there. Spike only smiled."
    )
    assert pov_names(analyse(text)) == ["Spike", "Buffy"]


def test_cognition_verbs_decide_the_focaliser_per_scene() -> None:
    text = (
        "Mara climbed the stairs. She thought of the fire below and wondered if Tobias would come. "
        "She felt the cold in her hands. Mara knew the night would be long.\n\n* * *\n\n"
        "Tobias walked the causeway. He knew she would be angry. He thought about the bread and hoped "
        "it was dry. Tobias wanted to see the light."
    )
    assert pov_names(analyse(text)) == ["Mara", "Tobias"]


def test_what_a_character_does_not_see_is_someone_else_s_view() -> None:
    """ "She didn't see him stop the car": her missed perceptions are his scene."""
    text = (
        "Mara climbed the stairs. She thought of the fire. She knew Tobias would come.\n\n* * *\n\n"
        "Mara didn't see Tobias stop the car down the road. She didn't see him sit still, staring "
        "at nothing. He wanted her to be free. He knew it was the only way. "
        "And she didn't see his tears."
    )
    assert pov_names(analyse(text)) == ["Mara", "Tobias"]


def test_external_narrator_has_no_pov() -> None:
    text = (
        "The village lay in a fold of the hills. There were thirty houses, a church and an inn. "
        "On the night of the storm the inn was full, and at midnight the door blew open."
    )
    assert pov_names(analyse(text)) == [None]


def _score_module():  # type: ignore[no-untyped-def]
    path = SHARED / "eval" / "score.py"
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared folder is not beside the repo")
    spec = importlib.util.spec_from_file_location("ficlens_eval_score", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_development_set_person_tense_and_pov() -> None:
    """Every scene's person and tense right; POV right for at least 90% of scenes."""
    score = _score_module()
    scenes = pov_right = 0
    for gold_path in sorted(DEV.glob("*.gold.json")):
        gold = score.load_gold(gold_path)
        if gold["text"] is None:
            continue  # a shared story, absent here
        text_path = (gold_path.parent / json.loads(gold_path.read_text())["text_file"]).resolve()
        result = score.score(gold, analyze_path(text_path).to_dict())
        assert result["person_accuracy"] == 1.0, gold_path.name
        assert result["tense_accuracy"] == 1.0, gold_path.name
        scenes += len(gold["scenes"])
        pov_right += round(result["pov_accuracy"] * len(gold["scenes"]))
    assert scenes >= 10
    assert pov_right / scenes >= 0.9


def thoughts_of(text: str) -> list[tuple[str, str | None]]:
    """(thought as written, thinker's name) for every thought found."""
    doc = analyse(text)
    names = {c.id: c.name for c in doc.characters}
    return [(doc.text[t.start : t.end], names.get(t.character or "")) for t in doc.thoughts]


def test_unquoted_direct_thought_goes_to_the_pov_character() -> None:
    text = (
        "Buffy stood at the edge of the crater. She thought of the school, of the library, of the "
        "friends she had lost there. Buffy knew it was gone. Ah, Spike, where have you been? "
        "She wondered if he was alive.\n\n"
        '"Buffy," said a voice behind her. She turned. Buffy felt her heart stop.'
    )
    thoughts = thoughts_of(text)
    assert ("Ah, Spike, where have you been?", "Buffy") in thoughts
    assert all('Buffy,"' not in t for t, _ in thoughts)


def test_a_text_message_is_not_a_thought() -> None:
    """ "**MJ:** are you coming or not" is a message with its sender, though it
    says "you" in a third-person narration."""
    text = (
        "Peter's phone buzzed again. He looked at it and groaned. His aunt had called him twice.\n\n"
        "**MJ:** are you coming or not\n\n"
        "**MJ:** you said that twenty minutes ago\n\n"
        "Peter ran. He wondered why he was always late. His legs ached and his lungs burned."
    )
    assert thoughts_of(text) == []


def test_starred_italics_are_thoughts() -> None:
    text = (
        "Giles cleaned his glasses and looked at the prophecy again. *This cannot be right.* "
        "He read it twice more. Giles thought about the girl. *Not her. Not again.*"
    )
    doc = analyse(text)
    found = [doc.text[t.start : t.end] for t in doc.thoughts]
    assert "This cannot be right." in found
    assert "Not her. Not again." in found


def test_a_thought_tag_names_the_thinker_of_a_short_starred_thought() -> None:
    """No POV in this scene, but "Naruto thought" says whose thoughts these are,
    and a one-word thought counts when tagged; each thought is marked once."""
    text = (
        'Sakura sighed. "Kakashi-sensei isn\'t even here yet," she said to Sasuke.\n\n'
        "*Figures,* Naruto thought. *He's always later than me.*\n\n"
        '"Yo," said Kakashi from the railing. Sasuke looked away.'
    )
    thoughts = thoughts_of(text)
    assert thoughts == [("Figures,", "Naruto"), ("He's always later than me.", "Naruto")]


def test_an_emphasised_word_after_thought_is_not_a_thought() -> None:
    doc = analyse("Sakura looked at Naruto. She thought *really* hard about it. Naruto waited for Sakura.")
    assert doc.thoughts == ()


def test_a_scene_s_focaliser_is_someone_it_mentions() -> None:
    """Ron's scene thinks of Hermione ("she knew everything") more often than
    Ron thinks by name; but Hermione is not in the scene, and Ron wonders and
    (sharing his subject) decides."""
    text = (
        "Hermione hadn't meant to fall asleep in the library. She blinked at the shelves, wondering "
        "how long she'd been out, and realised that someone had draped a cloak over her shoulders. "
        "She knew that smell.\n\nRon, she thought, and felt her cheeks go warm.\n\n* * *\n\n"
        "Ron was halfway down the corridor before he let himself breathe. He'd left the cloak. "
        "She'd know. Of course she'd know; she knew everything.\n\n"
        "He wondered whether she'd be angry, and decided he didn't care."
    )
    assert pov_names(analyse(text)) == ["Hermione", "Ron"]


def test_a_sentence_before_a_thought_tag_is_a_thought() -> None:
    """ "This is a disaster, he thought.": an unquoted direct thought with no I or you in it."""
    text = (
        "Harry sat down in the common room. He looked at the fire. This is a disaster, he thought. "
        "He rubbed his eyes and he sighed."
    )
    assert thoughts_of(text) == [("This is a disaster", "Harry")]


def test_a_she_tag_does_not_give_a_thought_to_a_male_pov() -> None:
    """The scene is Ron's, but "she thought" says this thought is not his."""
    text = (
        "Ron was halfway down the corridor. He stopped, and he looked back, and he swore. "
        "He had left the cloak in the library. He wondered where she was. He knew he should go back. "
        "He remembered the smell of the library and he hoped she was asleep.\n\n"
        "Somewhere below a door closed. *He's not coming back,* she thought."
    )
    assert thoughts_of(text) == [("He's not coming back,", None)]


def test_a_scene_that_keeps_one_character_its_subject_is_theirs() -> None:
    """Little is thought or perceived in Lena's scene, but she wakes, counts
    and lifts her chin: the narration follows her."""
    text = (
        "Kara walked fast and wondered why Alex had called. She noticed the empty desks and "
        "realised something was wrong.\n\n"
        '"It\'s Lena," Alex said.\n\n'
        "* * *\n\n"
        "Lena woke in the dark. Her head ached, and water was dripping. She counted the drips. "
        "One. Two. Three.\n\n"
        'A door opened. "Miss Luthor," a man said.\n\n'
        'Lena lifted her chin. "My brother is in prison."'
    )
    assert pov_names(analyse(text)) == ["Kara", "Lena"]
