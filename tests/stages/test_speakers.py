"""Speakers and addressees, on small hand-written passages."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import numpy as np
import pytest

from ficlens.model import Document
from ficlens.pipeline import analyze_text
from ficlens.stages.speakers import decode_conversations, rank
from ficlens.stages.speech_evidence import Evidence, Tag, gather


@cache
def analyse(text: str) -> Document:
    return analyze_text(text)


def speakers(text: str) -> list[tuple[str, str | None, str | None]]:
    """(quote text, speaker name, kind) for every speech quote."""
    doc = analyse(text)
    names = {c.id: c.name for c in doc.characters}
    return [(doc.text[q.start : q.end], names.get(q.speaker or ""), q.kind) for q in doc.quotes]


def said_how(text: str) -> dict[str, tuple[str | None, str | None]]:
    """Quote text → (speaker name, kind), for every speech quote."""
    return {q: (s, k) for q, s, k in speakers(text)}


def said_by(text: str) -> dict[str, str | None]:
    """Quote text → speaker name, for every speech quote."""
    return {q: s for q, s, _ in speakers(text)}


def decoded(evidence: list[Evidence], scored: list[tuple[list[str], np.ndarray]]) -> list[str | None]:
    """The candidate the conversation decoder picks for each line."""
    picks = decode_conversations(evidence, scored)
    return [names[k] if k is not None else None for (names, _), k in zip(scored, picks, strict=True)]


def addressees(text: str, quote: str) -> list[str]:
    doc = analyse(text)
    names = {c.id: c.name for c in doc.characters}
    q = next(q for q in doc.quotes if doc.text[q.start : q.end] == quote)
    return [names[a] for a in q.addressees]


SCENE = (
    "Spike leaned against the crypt door. Buffy kept her stake raised.\n\n"
    '"You came back," said Buffy.\n\n'
    '"Couldn\'t stay away, Slayer," Spike said.\n\n'
    '"Why?" she asked.\n\n'
    '"You know why."\n\n'
    'Buffy lowered the stake. "Don\'t."'
)


@pytest.mark.parametrize(
    "quote,speaker,kind",
    [
        ("You came back,", "Buffy", "explicit"),
        ("Couldn't stay away, Slayer,", "Spike", "explicit"),
        ("Why?", "Buffy", "anaphoric"),
        ("You know why.", "Spike", "implicit"),
        ("Don't.", "Buffy", "implicit"),
    ],
)
def test_each_line_has_the_right_speaker(quote: str, speaker: str, kind: str) -> None:
    found = {q: (s, k) for q, s, k in speakers(SCENE)}
    assert found[quote] == (speaker, kind)


def test_speaker_confidence_is_a_probability() -> None:
    doc = analyse(SCENE)
    assert all(0.0 <= q.confidence <= 1.0 for q in doc.quotes)
    assert all(q.speaker is not None for q in doc.quotes)


VOCATIVE = (
    "Giles polished his glasses. Willow looked up from the book.\n\n"
    '"Willow, did you find it?" Giles asked.\n\n'
    '"Not yet," Willow said.'
)
SPOKEN_OF = (
    'Goyle and Draco waited in the corridor.\n\n"Should we tell Snape?" Goyle whispered.\n\n"No," Draco said.'
)
GOING_ON = (
    "Hermione and Harry sat by the fire.\n\n"
    '"Where are you going?" Hermione asked.\n\n'
    '"Hogsmeade," Harry said. "Tonight."'
)

HANDED = (
    "Angel sat by Spike in the basement. Spike was ranting. "
    "Buffy came down the stairs; Buffy had two mugs.\n\n"
    '"How is he?" she asks, passing one mug to Angel.\n\n'
    '"The same."'
)
NOT_CALLED = (
    "Bucky and Sam stood in the kitchen.\n\n"
    '"You look like Steve," Sam said.\n\n'
    '"I\'m not Steve," Bucky said.\n\n'
    '"Sure you\'re not, Steve," Sam said.\n\n'
    "\"Don't 'Steve' me,\" Bucky said."
)

LONG_SPEECH = (
    "Ginny sat on the end of Harry's bed.\n\n"
    '"I remember the first time I saw you," she said. "You were on the platform.\n\n'
    '"I didn\'t know your name then. I just thought you looked lost."\n\n'
    'Harry laughed. "You put your elbow in the butter dish."\n\n'
    '"Don\'t remind me."'
)

TOLD_YOU = (
    "You push open the door to the lab. Tony doesn't look up.\n\n"
    '"Hold this," Tony says, and you take it.\n\n'
    'Bruce is in the corner. "He\'s been like this all morning," he tells you.\n\n'
    '"I heard that," Tony says.'
)

WITH_NAMES = (
    "Harry came in. Fred and George had gone out, and George had taken Ron.\n\n"
    '"Is Ron back yet?" Harry asked.\n\n'
    '"Not yet," said Remus. "Molly sent him to the shops."\n\n'
    '"With Fred and George," Tonks added. "So we might not see the shops again."'
)

PAPA = (
    "Emma Woodhouse sat with her father, Mr. Woodhouse, after dinner. Harriet Smith came in.\n\n"
    '"I think it will rain tonight," said Harriet.\n\n'
    '"Oh, papa, then you must not walk to the village."\n\n'
    "Mr. Woodhouse sighed and looked at the fire."
)

#: (passage, line, its addressees): a vocative names the addressee, and the next
#: line answers the caller; a name spoken of ("tell Snape", "I'm not Steve", a
#: name quoted in the quote) is not addressed; a line going on in its paragraph
#: keeps the addressee of the line before.
ADDRESSEES = [
    pytest.param(VOCATIVE, "Willow, did you find it?", ["Willow"], id="vocative"),
    pytest.param(VOCATIVE, "Not yet,", ["Giles"], id="answer-to-the-caller"),
    # Not Snape, spoken of; the other one in the talk.
    pytest.param(SPOKEN_OF, "Should we tell Snape?", ["Draco"], id="spoken-of-is-not-addressed"),
    pytest.param(SPOKEN_OF, "No,", ["Goyle"], id="answer-to-the-asker"),
    pytest.param(GOING_ON, "Hogsmeade,", ["Hermione"], id="turn"),
    pytest.param(GOING_ON, "Tonight.", ["Hermione"], id="going-on-keeps-its-addressee"),
    pytest.param(NOT_CALLED, "I'm not Steve,", ["Sam"], id="a-name-as-complement"),
    pytest.param(NOT_CALLED, "Sure you're not, Steve,", ["Steve"], id="called"),
    pytest.param(HANDED, "How is he?", ["Angel"], id="whom-the-tag-s-participle-turns-to"),
    pytest.param(NOT_CALLED, "Don't 'Steve' me,", ["Sam"], id="a-name-quoted-in-the-quote"),
    # A speech over two paragraphs, then the answer: one conversation.
    pytest.param(LONG_SPEECH, "I remember the first time I saw you,", ["Harry"], id="long-speech-answered"),
    # "With Fred and George,": names after a preposition or conjunction are spoken of.
    pytest.param(WITH_NAMES, "With Fred and George,", ["Remus"], id="after-a-preposition-spoken-of"),
    # "Yes, papa,": the father of the family in the scene, by title and surname.
    pytest.param(PAPA, "Oh, papa, then you must not walk to the village.", ["Mr. Woodhouse"], id="papa"),
    # "he tells you": in a second-person work, the reader.
    pytest.param(TOLD_YOU, "He's been like this all morning,", ["You"], id="told-you-is-the-reader"),
]


@pytest.mark.parametrize(("text", "quote", "expected"), ADDRESSEES)
def test_addressees(text: str, quote: str, expected: list[str]) -> None:
    assert addressees(text, quote) == expected


def test_a_chat_line_is_its_sender_s() -> None:
    """The sender's label names the speaker, even a username that is no name."""
    text = (
        "The group chat woke up at three in the morning.\n\n"
        "**iamironman:** who took my coffee\n\n"
        "**Steve:** Language.\n\n"
        "**iamironman:** I didn't even swear\n\n"
        "**Steve:** Go to sleep."
    )
    assert speakers(text) == [
        ("who took my coffee", "iamironman", "explicit"),
        ("Language.", "Steve", "explicit"),
        ("I didn't even swear", "iamironman", "explicit"),
        ("Go to sleep.", "Steve", "explicit"),
    ]


def test_possessive_voice_tag() -> None:
    text = (
        "Angel stood in the doorway while Cordelia sorted the files.\n\n"
        '"Go home." Angel\'s voice was soft.\n\n'
        '"Make me," said Cordelia.'
    )
    found = said_by(text)
    assert found["Go home."] == "Angel"
    assert found["Make me,"] == "Cordelia"


def test_voice_of_a_character_tags_the_line() -> None:
    text = (
        "Lucy and Mr. Emerson stood in the chapel.\n\n"
        '"Hateful bishop!" exclaimed the voice of old Mr. Emerson, who had darted forward. '
        '"Hard in life, hard in death."\n\n'
        '"Oh dear," said Lucy.'
    )
    found = said_how(text)
    assert found["Hateful bishop!"] == ("Mr. Emerson", "explicit")
    assert found["Hard in life, hard in death."] == ("Mr. Emerson", "explicit")
    text = (
        "Aziz lay in bed. Hamidullah and Mr. Haq came in.\n\n"
        '"We are greatly concerned," said Hamidullah.\n\n'
        '"When a doctor falls ill it is a serious matter," said the voice of Mr. Haq, a police inspector.'
    )
    found = said_how(text)
    assert found["When a doctor falls ill it is a serious matter,"] == ("Mr. Haq", "explicit")


def test_a_clause_set_off_by_commas_keeps_the_tag_s_subject() -> None:
    """The parser loses the subject of "called out" after "Mary, who …,"."""
    text = (
        "Mary and John sat by the fire with the others.\n\n"
        "At last Mary, who seemed to be a person of authority among them, called out, "
        '"Sit down, all of you, and listen to me!"\n\n'
        '"Why?" asked John.'
    )
    found = said_how(text)
    assert found["Sit down, all of you, and listen to me!"] == ("Mary", "explicit")
    text = (
        "Fanny and Edmund stood in the hall.\n\n"
        "Fanny was happy; for in following her aunts, Edmund, who was holding open the door, "
        'said, as she passed him, "You must dance with me."'
    )
    assert said_by(text)["You must dance with me."] == "Edmund"


def test_two_named_tags_in_one_paragraph_give_two_speakers() -> None:
    text = (
        "Aziz and Fielding rode on.\n\n"
        'Aziz retorted, "Very well, and we have no use for you," and glared at him. '
        'Fielding said: "Away from us, Indians go to seed at once."'
    )
    found = said_by(text)
    assert found["Very well, and we have no use for you,"] == "Aziz"
    assert found["Away from us, Indians go to seed at once."] == "Fielding"


def test_interrupted_quote_has_one_speaker() -> None:
    text = 'Xander grinned at Anya. "Well," Xander said, "that went well."\n\nAnya frowned.'
    doc = analyse(text)
    spoken = list(doc.quotes)
    assert len(spoken) == 2
    assert spoken[0].utterance == spoken[1].utterance
    assert spoken[0].speaker == spoken[1].speaker is not None


def test_any_verb_right_after_a_comma_quote_is_a_tag() -> None:
    """Verbs no speech-verb list holds ("hedged", "chattered") still tag the line."""
    text = (
        "Willow and Xander sat on the steps of the library.\n\n"
        '"Maybe," Willow hedged.\n\n'
        '"Not maybe," chattered Xander. "Definitely."'
    )
    found = said_how(text)
    assert found["Maybe,"] == ("Willow", "explicit")
    assert found["Not maybe,"] == ("Xander", "explicit")


def test_a_past_tense_read_as_a_participle_still_tags() -> None:
    """'"…," put in Freddy': spaCy reads "put" as a participle."""
    text = (
        "Freddy and Cecil sat in the drawing-room. Freddy laughed. Cecil read.\n\n"
        '"Oh, do be quiet," put in Freddy. "Nobody wants to hear it."\n\n'
        '"I think I follow you," said Cecil.'
    )
    found = said_how(text)
    assert found["Oh, do be quiet,"] == ("Freddy", "explicit")


def test_the_reader_speaks_in_a_second_person_work() -> None:
    """ "you ask" in a reader-insert work is the reader (Y/N) speaking."""
    text = (
        "You wake to the smell of coffee. For a moment you don't know where you are.\n\n"
        'Then Bucky leans into the doorway. "Morning, doll."\n\n'
        '"What time is it?" you ask.\n\n'
        '"Late," Bucky says. "Y/N, you slept all day."'
    )
    found = said_by(text)
    assert found["What time is it?"] == "Y/N"
    assert found["Morning, doll."] == "Bucky"
    assert found["Late,"] == "Bucky"


def test_a_tag_ending_the_previous_paragraph_introduces_the_quote() -> None:
    """ "…raised her head and said:" ¶ "Well…": the tag is the paragraph before."""
    text = (
        "Ralph and Katharine sat at the table with Mrs. Hilbery.\n\n"
        "Ralph waited a moment. Katharine, with flushed cheeks, raised her head and said:\n\n"
        '"Well, that is my last attempt at the dramatic."\n\n'
        "There was a long silence, and then Ralph said, looking out at the grey sea \n\n"
        '"What does it matter?"'
    )
    found = said_how(text)
    assert found["Well, that is my last attempt at the dramatic."] == ("Katharine", "explicit")
    assert found["What does it matter?"] == ("Ralph", "explicit")


def test_a_sentence_that_tags_one_line_and_introduces_the_next_is_split() -> None:
    """'"…," said Mary, and Katharine, after a moment, said:' ¶ '"…"': the first
    clause tags this line, the last introduces the next."""
    text = (
        "Mary and Katharine sat by the fire. Katharine stared at it. Mary poked it.\n\n"
        '"He will come here," said Mary, and Katharine, after considering for a moment, said:\n\n'
        '"I will wait another half-hour."'
    )
    found = said_how(text)
    assert found["He will come here,"] == ("Mary", "explicit")
    assert found["I will wait another half-hour."] == ("Katharine", "explicit")


def test_a_nod_closing_the_paragraph_after_a_line_that_ends_is_no_tag() -> None:
    """'"…seeing you." She nodded.' ends the paragraph: her reaction to his line,
    not her tag; but '"No." She shrugged. "Not special."' is her shrug."""
    text = (
        "Spike leaned on the car. Buffy stood beside him.\n\n"
        '"Will you go back?" asked Spike.\n\n'
        '"No. Yes. Kind of." She shrugged. "Not special."\n\n'
        'He turned back to her. "Buffy…" She held his eyes, but he gave a wry smile and shook '
        'his head. "It was good seeing you, yeah?" She nodded, despair taking all words.'
    )
    found = said_by(text)
    assert found["No. Yes. Kind of."] == "Buffy"
    assert found["It was good seeing you, yeah?"] == "Spike"


def test_conversation_decoding_keeps_turns_alternating() -> None:
    """A, B, ?, B: the unsure third line goes to A, as the turns alternate,
    though the ranker alone leans to B; a line in a later, separate paragraph
    run is decided on its own."""
    evidence = [Evidence([k], paragraph) for k, paragraph in enumerate((1, 2, 3, 4, 9))]
    scored = [
        (["a", "b"], np.array([0.9, 0.1])),
        (["a", "b"], np.array([0.1, 0.9])),
        (["a", "b"], np.array([0.4, 0.6])),
        (["a", "b"], np.array([0.2, 0.8])),
        (["a", "b"], np.array([0.3, 0.7])),
    ]
    assert decoded(evidence, scored) == ["a", "b", "a", "b", "b"]


def test_a_run_of_one_speaker_earns_no_turn_bonus() -> None:
    """Tony is never named in a long exchange with Brenda, so the ranker leans
    to her on every line; the turns still alternate. (A, A, A is no A, B, A:
    a line by the speaker two lines back earns its bonus only after another's.)"""
    evidence = [Evidence([k], k) for k in range(6)]
    scored = [(["brenda", "tony"], np.array([0.8, 0.2])) for _ in range(6)]
    assert decoded(evidence, scored) == ["brenda", "tony"] * 3


def test_two_lines_in_one_paragraph_share_a_speaker() -> None:
    """ "Sorry." Daniel slides into his chair. "I'm late.": the ranker barely
    prefers Jack for the first line and is sure of Daniel for the second; one
    paragraph is one speaker's, so both go to Daniel."""
    evidence = [Evidence([0], 3), Evidence([1], 3)]
    scored = [(["jack", "daniel"], np.array([0.52, 0.48])), (["jack", "daniel"], np.array([0.1, 0.9]))]
    assert decoded(evidence, scored) == ["daniel", "daniel"]


def test_the_actor_of_a_line_s_own_narration_anchors_the_conversation() -> None:
    """Jack, Teal'c, Jack, then General Hammond clears his throat: "Be careful."
    The ranker's answer is the actor of the line's own narration, so turn-taking
    does not give the line back to Teal'c."""
    evidence = [Evidence([k], k + 1) for k in range(4)]
    evidence[3].actor = "hammond"
    names = ["jack", "tealc", "hammond"]
    scored = [
        (names, np.array([0.9, 0.05, 0.05])),
        (names, np.array([0.05, 0.9, 0.05])),
        (names, np.array([0.9, 0.05, 0.05])),
        (names, np.array([0.1, 0.35, 0.55])),
    ]
    assert decoded(evidence, scored)[-1] == "hammond"


def test_a_named_action_beat_anchors_its_line() -> None:
    """Harry and Ron have been trading lines when Hermione folds her arms:
    "Fine." The ranker leans to Ron, as the turns alternate, but a named
    actor opening the line's paragraph is its speaker."""
    evidence = [Evidence([k], k + 1) for k in range(4)]
    evidence[3].beat = "hermione"
    names = ["harry", "ron", "hermione"]
    scored = [
        (names, np.array([0.9, 0.05, 0.05])),
        (names, np.array([0.05, 0.9, 0.05])),
        (names, np.array([0.9, 0.05, 0.05])),
        (names, np.array([0.1, 0.6, 0.3])),
    ]
    assert decoded(evidence, scored)[-1] == "hermione"


class _Scored:
    """Candidates whose features are beside the point: the ranker below ignores them."""

    def __init__(self, evidence: list[Evidence], names: list[str]) -> None:
        self.evidence, self.names = evidence, names

    def features(self, chosen: object) -> Iterator[tuple[list[str], np.ndarray]]:
        for _ in self.evidence:
            yield self.names, np.zeros((len(self.names), 1))


class _Leaning:
    """A ranker that always leans to the first candidate."""

    def predict(self, x: np.ndarray) -> np.ndarray:
        return np.linspace(0.6, 0.4, len(x))


def test_the_first_pass_takes_a_named_action_beat_too() -> None:
    """The second pass reads the first pass's answers as who spoke last, so the
    first pass keeps a line's action beat over the ranker's lean as well."""
    evidence = [Evidence([0], 1), Evidence([1], 2)]
    evidence[1].beat = "hermione"
    out = rank(_Scored(evidence, ["ron", "hermione"]), [None, None], _Leaning())  # type: ignore[arg-type]
    assert [a.speaker if a else None for a in out] == ["ron", "hermione"]


def test_an_action_beat_names_a_third_speaker() -> None:
    """Harry and Ron trade lines; Hermione folds her arms and speaks."""
    text = (
        "The letter arrived at breakfast, carried by a scruffy brown owl that landed in Ron's porridge.\n\n"
        '"Bloody hell!" Ron jerked back, spattering oats across the table.\n\n'
        'Hermione snatched the envelope before it could get any wetter. "It\'s for you, Harry."\n\n'
        "Harry turned it over. The handwriting was cramped and slanted, and his heart jumped "
        "when he recognised it.\n\n"
        '"Is it from Snuffles?" Ron asked in a low voice.\n\n'
        '"Yeah."\n\n'
        '"What does he say?"\n\n'
        '"He wants to meet. Saturday, in Hogsmeade."\n\n'
        '"Absolutely not," said Hermione.\n\n'
        '"Hermione—"\n\n'
        "\"Don't 'Hermione' me. You know what Dumbledore said.\"\n\n"
        '"Dumbledore says a lot of things."\n\n'
        '"Mate, she\'s got a point," said Ron, wiping porridge off his sleeve.\n\n'
        '"Whose side are you on?"\n\n'
        '"Yours! Obviously. But if Umbridge catches you—"\n\n'
        '"She won\'t."\n\n'
        'Hermione folded her arms. "Fine. But we\'re coming with you."\n\n'
    )
    found = said_by(text)
    assert found["Fine. But we're coming with you."] == "Hermione"


def test_before_a_quote_the_nearest_tag_is_its_own() -> None:
    """ "…." Margaret murmured it to Tibby while Helen said, "…": the first tag
    is the first line's, the nearest one the second line's."""
    text = (
        "Margaret and Helen sat by the fire in the evening.\n\n"
        '"I dare say." Margaret murmured it to Tibby while Helen said, "Our nature is the other way round."'
    )
    found = said_by(text)
    assert found["I dare say."] == "Margaret"
    assert found["Our nature is the other way round."] == "Helen"


def test_no_conversation_runs_across_a_scene_break() -> None:
    """A new scene's first line is addressed to no one of the last scene, and
    its second answers the one who spoke first in it."""
    last_scene = (
        "Harry found Draco in the library.\n\n"
        '"What are you reading?" Harry asked.\n\n'
        '"Nothing," Draco said. Draco laughed.\n\n'
        "* * *\n\n"
    )
    assert addressees(last_scene + '"Where were you?" Hermione demanded.', "Where were you?") == []
    text = last_scene + (
        "Hermione was waiting for Harry in the common room. Hermione looked cross.\n\n"
        '"Where were you?" she demanded.\n\n"Library."'
    )
    assert said_by(text)["Library."] == "Harry"


KIN = (
    "Mr. Bennet sat with his wife and Elizabeth Bennet in the parlour. Mrs. Bennet was knitting.\n\n"
    '"I hope Mr. Bingley will like it, Lizzy," said Mr. Bennet.\n\n'
    '"We are not in a way to know what Mr. Bingley likes," said her mother resentfully.\n\n'
    '"But you forget, mama," said Elizabeth, "that we shall meet him."\n\n'
    '"I do not believe Mrs. Long will do any such thing," said his wife.'
)


def tags_of(text: str) -> list[list[tuple[str, str | None]]]:
    """(character name, kind) of each utterance's speech tags, before any ranking."""
    doc = analyse(text)
    names = {c.id: c.name for c in doc.characters}
    return [[(names[t.character], t.kind) for t in ev.tags] for ev in gather(doc)[1]]


def test_a_tag_names_a_relative_by_the_owner_s_surname() -> None:
    """ "her mother" of a Bennet is the one Mrs. Bennet; "his wife" of Mr. Bennet too."""
    tags = tags_of(KIN)
    assert tags[1] == [("Mrs. Bennet", "anaphoric")]
    assert tags[3] == [("Mrs. Bennet", "anaphoric")]


def test_an_adjective_before_an_inverted_tag_s_name() -> None:
    """ "inquired poor Oliver", "said dour Major Callendar": the adjective does not hide the speaker."""
    text = (
        "Oliver and Mr. Bumble stood before the board.\n\n"
        '"What\'s that, sir?" inquired poor Oliver.\n\n'
        '"Silence!" said stern Mr. Bumble.'
    )
    found = said_how(text)
    assert found["What's that, sir?"] == ("Oliver", "explicit")
    assert found["Silence!"] == ("Mr. Bumble", "explicit")


def test_a_tag_introducing_the_next_paragraph_s_quote_is_not_this_line_s() -> None:
    """'"It is he!" and was hastening to meet him, when Elinor cried out,' then
    a new paragraph opens with Elinor's line: the tag is hers, not Marianne's."""
    text = (
        "Marianne and Elinor walked down the lane. In a moment Marianne rapturously exclaimed,\n\n"
        '"It is he; it is indeed; I know it is!" and was hastening to meet him, when Elinor cried out,\n\n'
        '"Indeed, Marianne, I think you are mistaken."'
    )
    found = said_how(text)
    assert found["It is he; it is indeed; I know it is!"] == ("Marianne", "explicit")
    assert found["Indeed, Marianne, I think you are mistaken."] == ("Elinor", "explicit")


def test_a_possessive_voice_noun_as_complement_tags_the_line() -> None:
    """'"…," was his next observation' and 'was Mr. Woodhouse's first exclamation'."""
    text = (
        "Elinor sat with Robert Ferrars by the fire. Robert looked at the fire.\n\n"
        '"You reside in Devonshire, I think," was his next observation.\n\n'
        '"Near Exeter," said Elinor.\n\n'
        '"What is to be done, my dear Emma?" was Mr. Woodhouse\'s first exclamation.'
    )
    tags = tags_of(text)
    assert tags[0] == [("Robert Ferrars", "anaphoric")]
    assert tags[2] == [("Mr. Woodhouse", "explicit")]


def test_a_learned_epithet_is_an_action_beat() -> None:
    """ "The Gryffindor sat down heavily." names Harry once "the Gryffindor" is learned as his."""
    from tests.stages.test_characters import LIBRARY

    found = {q: s for q, s, _ in speakers(LIBRARY)}
    assert found["Nothing!"] == "Harry"
    assert found["I breathed."] == "Harry"
    assert found["Weasley is never right,"] == "Draco Malfoy"


def test_a_relative_clause_tags_its_antecedent() -> None:
    """ "with Dan, who said," and "by Lydia, who, flying to her, cried": "who" is the name before it."""
    text = (
        "Dan and Lydia were at the party. Dan laughed. Lydia sat down.\n\n"
        'Tony found himself sitting on a sofa with Dan, who said, "Nice kid, Milly."\n\n'
        '"Yes."\n\n'
        'She was met in the hall by Lydia, who, flying to her, cried in a whisper, "I am glad you are come!"'
    )
    tags = tags_of(text)
    assert tags[0] == [("Dan", "explicit")]
    assert tags[2] == [("Lydia", "explicit")]


def test_any_verb_between_two_spans_of_a_line_tags_it() -> None:
    """'"I know," flashed Helen, "but…"': the narration inside a line stands where a tag does."""
    text = (
        "Helen and Leonard walked on. Helen laughed. Leonard frowned.\n\n"
        '"Things so often get spoiled," said Leonard.\n\n'
        '"I know," flashed Helen, "but people don\'t."'
    )
    assert tags_of(text)[1] == [("Helen", "explicit")]


def test_a_name_the_tagger_takes_for_a_verb_after_a_closing_quote() -> None:
    """'"…?" Fielding repeated.': spaCy tags "Fielding" a gerund; it is the tag's name."""
    text = (
        "Fielding came to see Aziz. Fielding sat down. Aziz lay in bed.\n\n"
        '"Well, are you ill, Aziz, or aren\'t you?" Fielding repeated.'
    )
    assert tags_of(text)[0] == [("Fielding", "explicit")]


def test_a_paragraph_ending_by_saying_someone_speaks_leads_into_the_next_line() -> None:
    """ "Katharine asked slowly, as if …" before a paragraph that is only a
    question: the question is likely Katharine's (a ranker feature, not a tag);
    "Cassandra said nothing." says nothing of the line after it."""
    text = (
        "Katharine and Cassandra sat by the fire. Katharine looked at Cassandra. Cassandra smiled.\n\n"
        "Looking at her at length, Katharine asked slowly, as if she found the question difficult.\n\n"
        '"But do you care for William?"\n\n'
        "Cassandra said nothing.\n\n"
        '"Well?"'
    )
    doc = analyse(text)
    names = {c.id: c.name for c in doc.characters}
    assert [names.get(ev.lead or "") for ev in gather(doc)[1]] == ["Katharine", None]


def test_an_inverted_description_tag_gives_its_sex() -> None:
    """'"…!" cried the girl passionately': even unresolved, the tag's speaker is a "she"."""
    text = (
        "Sikes and Oliver and Nancy sat by the fire. Sikes looked at Oliver. Nancy turned her face aside.\n\n"
        '"You\'re a nice one," added Sikes, as he surveyed her with a contemptuous air.\n\n'
        '"God Almighty help me, I am!" cried the girl passionately.'
    )
    assert [ev.pronoun for ev in gather(analyse(text))[1]] == [None, "she"]


def test_a_conversation_s_first_line_is_spoken_to_the_others_in_it() -> None:
    """With no call, no "to X" and no line before it, a line is addressed to the
    others who speak in its conversation; the next lines answer their previous speaker."""
    text = (
        "Buffy, Willow and Xander sat in the library. Buffy yawned. Willow read. Xander ate.\n\n"
        '"Where is the book?" asked Buffy.\n\n'
        '"In the stacks," said Willow.\n\n'
        '"Again?" said Xander.'
    )
    assert sorted(addressees(text, "Where is the book?")) == ["Willow", "Xander"]
    assert addressees(text, "In the stacks,") == ["Buffy"]


def test_a_subject_the_parser_gave_to_a_participle_between_tags_the_line() -> None:
    """ "when Sir Thomas soon afterwards, just opening the door, said, "…"": spaCy makes
    Sir Thomas the subject of "opening"; he is the one who said it."""
    text = (
        "Sir Thomas and Mrs. Norris and Fanny were there. Sir Thomas frowned. Mrs. Norris spoke to Fanny.\n\n"
        "She rated her claims as low even as Mrs. Norris could; and when Sir Thomas soon afterwards, "
        'just opening the door, said, "Fanny, at what time would you have the carriage come round?" '
        "she felt a degree of astonishment."
    )
    assert tags_of(text)[0] == [("Sir Thomas", "explicit")]


def test_a_tag_names_a_relative_after_a_possessive_in_inverted_order() -> None:
    """ "replied his wife", "continued her mother", "asked his son": the possessive
    before the noun does not hide the tag; a son is the family's one other man
    who is not its Mr."""
    text = (
        "Mr. Bennet and Mrs. Bennet sat in the parlour. Mr. Bennet read. Mrs. Bennet talked. "
        "Elizabeth Bennet came in. Elizabeth sat down.\n\n"
        '"How so? how can it affect them?" asked Mr. Bennet.\n\n'
        '"My dear Mr. Bennet," replied his wife, "how can you be so tiresome!"'
    )
    assert tags_of(text)[1] == [("Mrs. Bennet", "anaphoric")]
    son = (
        "Mr. Emerson and George Emerson and Lucy Honeychurch sat in the garden. George Emerson frowned; "
        "he was sad. Lucy smiled; she was happy. Then Mr. Emerson returned, and he sat down.\n\n"
        '"Were you snubbed?" asked his son tranquilly.'
    )
    assert tags_of(son)[0] == [("George Emerson", "anaphoric")]


def test_a_subject_the_parser_hung_under_the_speech_verb_is_the_speaker() -> None:
    """A long sentence the parser breaks: "Henry … said," with "Henry" the
    subject of a clause it hung under "said"."""
    text = (
        "Fanny stood by the window. Mrs. Grant went out with the servant.\n\n"
        "Henry, overjoyed to have her go, bowed and watched her off, and without losing another "
        "moment, turned instantly to Fanny, and, taking out some letters, said, with a most "
        'animated look, "I must acknowledge myself infinitely obliged to you."'
    )
    assert ("I must acknowledge myself infinitely obliged to you.", "Henry", "explicit") in speakers(text)


def test_a_named_action_beat_closing_the_paragraph_is_the_speaker_s() -> None:
    """Sirius spoke last and Lily before him, so the turns point to Lily; but
    Molly acts in the line's own paragraph, after it."""
    text = (
        "Lily sat at the table. Molly bustled around the stove.\n\n"
        '"It came," Lily said. "I haven\'t opened it."\n\n'
        'Sirius leaned in. "Well, open it!"\n\n'
        '"Don\'t rush her, Sirius." Molly shot him a look.'
    )
    found = said_by(text)
    assert found["Don't rush her, Sirius."] == "Molly"


def test_a_given_name_met_once_as_a_subject_is_a_character_in_a_short_work() -> None:
    text = (
        '"Has it come?" Sirius asked.\n\n'
        '"It came," Lily said.\n\n'
        'Emily appeared in the doorway, still in her pajamas. "Who says yes?"'
    )
    found = said_by(text)
    assert found["Who says yes?"] == "Emily"


def test_adjectives_between_a_tag_s_verb_and_its_name() -> None:
    text = (
        "Margaret and Ruth sat in the bedroom. Ruth was tired.\n\n"
        '"There is nothing to get up for in London," said Ruth.\n\n'
        '"Nothing to get up for?" cried the scandalised Margaret. "There are the exhibitions!"'
    )
    found = said_how(text)
    assert found["Nothing to get up for?"] == ("Margaret", "explicit")
    assert found["There are the exhibitions!"] == ("Margaret", "explicit")


def test_the_sentence_right_before_a_line_is_its_action_beat() -> None:
    """She shivers, then he frowns: the line after "He frowned." is his, though
    she acts first in the paragraph and he spoke the line before."""
    text = (
        "Buffy and Spike stood at the edge of the crater.\n\n"
        '"They all deserved better," Buffy said.\n\n'
        '"It was my choice," Spike said. He smiled. "We all did what we had to."\n\n'
        'She shivered against the cool night air. He frowned. "You\'re cold. Wanna go sit in the car?"'
    )
    found = said_by(text)
    assert found["You're cold. Wanna go sit in the car?"] == "Spike"


def test_a_line_ending_in_an_ellipsis_that_goes_on_in_lower_case_has_a_tag() -> None:
    """ "…" he stopped: no speech verb, but the sentence goes on after the quote."""
    text = (
        "Buffy stood by the car. Spike looked at her. Spike had not seen her for a year.\n\n"
        '"I didn\'t expect…" he stopped, unwilling to trust his voice.\n\n'
        '"No. No… me neither."'
    )
    found = said_how(text)
    assert found["I didn't expect…"] == ("Spike", "anaphoric")
    assert found["No. No… me neither."][0] == "Buffy"


def test_a_named_beat_between_the_spans_of_a_line_gives_its_speaker() -> None:
    """The line opens its paragraph with no tag; the narration between its two
    spans names who acts, as an action beat before it would. Turns alone gave
    it to the narrator."""
    text = (
        "The common room is empty except for Clint, who is sprawled upside down on the couch, "
        "and Natasha, who is sharpening a knife at the kitchen counter.\n\n"
        '"You\'re late," Natasha says without looking up.\n\n'
        '"Traffic." I drop my keys in the bowl by the door. "And Sam wanted to talk."\n\n'
        '"Sam always wants to talk." Clint flips himself upright. "What about?"\n\n'
        '"The mission in Lagos."\n\n'
        'Natasha sets the knife down. That gets her attention. "What about it?"\n\n'
        '"He thinks someone leaked the route." I pull out a chair and sit across from her. '
        '"He thinks it came from inside."\n\n'
        '"Great," Clint says. "Fantastic. Love that for us."\n\n'
        '"Barton." Natasha doesn\'t even raise her voice. "Not now."\n\n'
        'He holds up both hands. "Shutting up."\n\n'
        'I rub my eyes. I haven\'t slept in two days, and it shows. "Steve wants a meeting at eight."\n\n'
        '"Then we\'ll be there at eight," Natasha says.'
    )
    found = said_by(text)
    assert found["Barton."] == found["Not now."] == "Natasha"


def test_the_narrator_s_own_action_beat_is_a_named_one() -> None:
    """ "I sit up." before a line is as sure as a name: the first-person narrator
    speaks it, though the turns of the two boys before lean the other way."""
    text = (
        "I wake up to the sound of the door. Again.\n\n"
        "'He won't,' says Todoroki. He's leaning against the doorframe, hair a mess. "
        "'He's too tired to care.'\n\n"
        "Bakugou scoffs. 'Like you'd know, Half-and-Half.'\n\n"
        "'I would, actually. I asked him.'\n\n"
        "I sit up. 'You asked Aizawa-sensei if he'd make us run laps?'\n\n"
        "Todoroki shrugs. 'I was curious.'"
    )
    found = said_by(text)
    assert found["You asked Aizawa-sensei if he'd make us run laps?"] == "Narrator"
    assert found["I was curious."] == "Todoroki"


def test_who_hears_a_line_is_not_its_speaker() -> None:
    """ "so quietly Steve almost missed it:" names the listener; Bucky, whose
    turn it is, speaks."""
    text = (
        "Steve sat down next to Bucky on the roof.\n\n"
        '"Sam is worried," Steve said.\n\n'
        'Bucky\'s jaw tightened. "I know."\n\n'
        '"Then talk to me, Buck."\n\n'
        'A long breath. Then, so quietly Steve almost missed it: "I don\'t know how."'
    )
    found = said_by(text)
    assert found["I don't know how."] == "Bucky"


def test_a_cleft_tags_the_one_it_names() -> None:
    """ "it was Julia, who, hot and out of breath, … cried out": the parser makes
    the cleft's "it" the speech verb's subject; the speaker is the name it points to."""
    text = (
        "Fanny and Julia had quarrelled. Julia walked away, and Fanny sat alone on the bench.\n\n"
        "Fanny heard somebody coming at a quick pace down the principal walk. She expected "
        "Mr. Rushworth, but it was Julia, who, hot and out of breath, and with a look of "
        'disappointment, cried out on seeing her, "Heyday! Where are the others?"\n\n'
        "Fanny explained."
    )
    assert speakers(text)[0][1:] == ("Julia", "explicit")


def test_a_pronoun_a_tag_speaks_to_is_the_one_spoken_with() -> None:
    """ "I tell her": with Raven and Octavia just thought of, "her" is Lexa, on
    the line; the turns say so better than the last woman named."""
    text = (
        'My phone buzzes. "You\'re awake," Lexa says, when I pick up.\n\n'
        '"I am now." I roll onto my back. "What\'s wrong?"\n\n'
        '"I couldn\'t sleep," Lexa says.\n\n'
        "Raven would laugh at me if she could see me now. Octavia would throw something.\n\n"
        '"I\'m here," I tell her. "I\'m always here."'
    )
    assert addressees(text, "I'm here,") == ["Lexa"]


def test_the_owner_of_a_part_of_the_body_acts_when_nothing_owns_the_subject() -> None:
    """'"Figured." A half smile tugged at the corners of his mouth.': Spike, whose
    mouth it is, acts in the beat as if "his smile tugged"."""
    text = (
        "Buffy stood in the graveyard. Spike walked out of the dark.\n\n"
        '"Figured." A half smile tugged at the corners of Spike\'s mouth.'
    )
    doc = analyse(text)
    names = {c.id: c.name for c in doc.characters}
    assert [names.get(ev.actor or "") for ev in gather(doc)[1]] == ["Spike"]


def test_an_untagged_line_after_a_tagged_one_is_the_other_side_s() -> None:
    """' "Where were you?" Hermione demanded. ¶ "Library." ': even when the
    ranker leans to Hermione for the answer (she is the one the scene follows),
    the untagged line right after her tagged one is someone else's."""
    evidence = [Evidence([0], 1), Evidence([1], 2)]
    evidence[0].tags = [Tag("after", "hermione", "explicit", None)]
    names = ["hermione", "harry"]
    scored = [(names, np.array([0.95, 0.05])), (names, np.array([0.8, 0.2]))]
    assert decoded(evidence, scored) == ["hermione", "harry"]


def test_the_owner_in_a_tag_is_not_the_speaker() -> None:
    """In "said Robert's wife" the wife speaks, not Robert; but "was Emma's
    conclusion" is Emma's own line."""
    text = (
        "Robert, Rose and Rudolf sat at breakfast. Rose looked up.\n\n"
        '"You have done nothing with your life, Rudolf," said Robert\'s wife.\n\n'
        '"I have enjoyed it," Rudolf answered.\n\n'
        '"She is right," was Robert\'s conclusion.'
    )
    got = {line: (who, kind) for line, who, kind in speakers(text)}
    assert got["You have done nothing with your life, Rudolf,"] != ("Robert", "explicit")
    assert got["She is right,"] == ("Robert", "explicit")


def test_one_spoken_of_or_to_is_not_the_speaker() -> None:
    """ "Mrs. Elton was spoken of." before a line names who is talked about, not
    who talks: neither a tag nor an action beat."""
    text = (
        "Frank Churchill and Mrs. Elton had met once. Frank walked about the room.\n\n"
        'Mrs. Elton was spoken of. "I think she must be here soon," said he.'
    )
    assert said_by(text)["I think she must be here soon,"] == "Frank Churchill"


FAMILY_DINNER = (
    "I got home at six. I dropped my bag by the door, and I could smell garlic. "
    "My mom was in the kitchen, stirring something.\n\n"
    '"You\'re late," my mom said without turning around.\n\n'
    '"Sorry, Mom. Practice ran long." I leaned on the counter.\n\n'
    'Mom sighed and handed me a spoon. "Taste this."\n\n'
    '"It\'s good," I said. Dad came in with the groceries, and I took a bag from him.\n\n'
    '"Don\'t tell her that," Dad said. "She\'ll make it every night."\n\n'
    'My mom laughed. "Set the table, both of you."'
)


def test_a_first_person_narrators_mom_and_dad_are_characters() -> None:
    """ "my mom said", "Mom sighed" and "Sorry, Mom." are one character; "Dad
    said" is another, who speaks his own lines."""
    got = said_by(FAMILY_DINNER)
    assert got["You're late,"] == got["Taste this."] == got["Set the table, both of you."] == "Mom"
    assert got["Don't tell her that,"] == "Dad"
    assert got["Sorry, Mom. Practice ran long."] == "Narrator"


def test_a_third_person_heroines_father_is_no_name() -> None:
    """In a third-person novel "Father" is what the heroine calls Mr. Gradgrind,
    no character of its own."""
    text = (
        "Louisa came into the room where Mr. Gradgrind sat. He looked up from his papers. "
        "She stood by the fire, and he waited for her to speak.\n\n"
        '"Father," she said, "I have something to tell you."\n\n'
        "Father looked at her. He put his pen down, and he rose.\n\n"
        '"Tell me, then," said Mr. Gradgrind. She turned away from him.'
    )
    assert "Father" not in {c.name for c in analyse(text).characters}


def test_mom_is_a_she_and_dad_a_he() -> None:
    """With no pronoun tied to them yet, "Mom" is a "she" and "Dad" a "he": the
    kin word is their gender, as "Mrs." is, so "she said" is Mom's line."""
    text = (
        "I was doing homework at the kitchen table when I heard the car. I put my pen down and I waited.\n\n"
        "Dad came in first, then Mom. She looked tired, and he looked worse.\n\n"
        '"Hey, kiddo," she said, and kissed the top of my head.\n\n'
        '"Hey," I said. "How was it?"\n\n'
        '"Long," he said. He dropped into the chair across from me.'
    )
    got = said_by(text)
    assert (got["Hey, kiddo,"], got["Long,"]) == ("Mom", "Dad")
    pronouns = {c.name: c.main_pronoun for c in analyse(text).characters}
    assert pronouns["Mom"] is not None and pronouns["Mom"][0] == "she"
    assert pronouns["Dad"] is not None and pronouns["Dad"][0] == "he"
