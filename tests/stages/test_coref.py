"""Pronoun rules, one small passage each."""

from __future__ import annotations

from functools import cache

from ficlens.model import Document
from ficlens.pipeline import analyze_text


@cache
def analyse(text: str) -> Document:
    return analyze_text(text)


def links(text: str, kind: str = "pronoun") -> list[tuple[str, str]]:
    """(mention as written, character name) for every mention of this kind."""
    doc = analyse(text)
    names = {c.id: c.name for c in doc.characters}
    return [(doc.text[m.start : m.end], names[m.character]) for m in doc.mentions if m.kind == kind]


def test_he_him_his_himself() -> None:
    text = (
        "The crypt was cold when Spike lit a cigarette. He smoked it slowly, and the smoke curled round "
        "his face. In the doorway Buffy watched him. Then Buffy looked at Spike."
    )
    found = links(text)
    assert ("He", "Spike") in found and ("his", "Spike") in found and ("him", "Spike") in found


def test_she_her() -> None:
    text = (
        "In the library Willow opened her laptop. She typed fast. Across the table Xander watched her "
        "work and said nothing to Willow."
    )
    found = links(text)
    assert ("her", "Willow") in found and ("She", "Willow") in found


def test_pronouns_follow_gender_learned_from_the_text() -> None:
    text = (
        "At the table Willow opened her book. She read for an hour. Nearby Giles polished his glasses. "
        "He sighed.\n\nThen Willow looked up at Giles. She smiled at him."
    )
    found = links(text)
    assert ("She", "Willow") in found
    assert ("him", "Giles") in found
    doc = analyse(text)
    willow = next(c for c in doc.characters if c.name == "Willow")
    assert dict(willow.pronouns) == {"she": 1.0}


def test_singular_they() -> None:
    text = (
        "Alex picked up their coat. They walked out into the rain. Alex pulled their hood up. "
        "Sam waved at Alex from the bus stop."
    )
    found = links(text)
    assert ("They", "Alex") in found


def test_neopronouns() -> None:
    text = "Ari picked up xyr bag. Xe smiled at the guard. Ari shouldered xyr bag. Xe walked on."
    found = links(text)
    assert ("Xe", "Ari") in found


def test_first_person_narration_goes_to_the_narrator() -> None:
    text = "I walked home in the dark. I was tired, and my feet hurt. I thought about the letter."
    doc = analyse(text)
    narrator = [c for c in doc.characters if c.id == "narrator"]
    assert narrator and narrator[0].name == "Narrator"
    assert ("my", "Narrator") in links(text)


def test_a_name_only_spoken_of_does_not_name_the_narrator() -> None:
    """Called once ("Watson!"), a name is the narrator's; spoken of, it is not."""
    spoken_of = (
        "I sat by the fire. Good came in and sat down.\n\n"
        '"Remember King Solomon\'s mines!" said Good. I remembered.'
    )
    called = 'I sat by the fire. Holmes came in.\n\n"Watson!" said Holmes. I looked up.'
    names = {c.id: c.name for c in analyse(spoken_of).characters}
    assert names.get("narrator") == "Narrator"
    assert {c.id: c.name for c in analyse(called).characters}.get("narrator") is None
    assert any(c.name == "Watson" and c.aliases for c in analyse(called).characters)


def test_a_name_the_narrator_calls_is_not_the_narrator_s() -> None:
    """ "Sam, is that you?" I ask: the narrator calls Sam, so Sam is someone else."""
    text = (
        "My phone buzzes at three in the morning. I pick it up.\n\n"
        '"Sam, is that you?" I ask.\n\n'
        '"Who else would it be?"\n\n'
        '"Sam, it\'s three in the morning."\n\n'
        "I hang up and look for my shoes."
    )
    names = {c.id: c.name for c in analyse(text).characters}
    assert names.get("narrator") == "Narrator"
    assert "Sam" in names.values()


def test_a_narrator_others_speak_of_is_named() -> None:
    """ "Harry will never agree," said my aunt: in a first-person work, the one
    name only others' speech gives is the narrator's."""
    text = (
        "I heard them talking about me before I reached the kitchen door.\n\n"
        '"Harry will never agree to it," said my aunt. "He is too proud."\n\n'
        '"Harry thinks nothing of the kind," said my uncle.\n\n'
        "I felt my face grow hot."
    )
    assert ("I", "Harry") in links(text)


def test_the_narration_can_name_its_narrator() -> None:
    text = (
        "My infant tongue could make nothing longer of my name than Pip. So, I called myself Pip.\n\n"
        "I was alone in the churchyard when a man started up. I ran."
    )
    names = {c.id: c.name for c in analyse(text).characters}
    assert "narrator" not in names
    assert ("I", "Pip") in links(text)
    assert [c.aliases for c in analyse(text).characters if c.name == "Pip"] == [("Pip", "I")]


def test_i_and_you_inside_a_quote() -> None:
    text = (
        "Buffy found Spike in the crypt. Spike looked up from his chair.\n\n"
        '"I need your help, Spike," said Buffy.\n\n'
        '"You always do," Spike said.'
    )
    found = links(text)
    assert ("I", "Buffy") in found
    assert ("your", "Spike") in found
    assert ("You", "Buffy") in found


def test_an_object_pronoun_is_not_its_own_clause_subject() -> None:
    """ "Giles told her": her is someone else, here the scene's leading "she"."""
    text = (
        "Buffy walked into the library. Buffy dropped her bag on the table.\n\n"
        "Giles closed the book. Giles told her the news."
    )
    found = links(text)
    assert ("her", "Buffy") in [f for f in found if f[0] == "her"][-1:]
    assert all(name != "Giles" for word, name in found if word == "her")


def test_in_a_dialogue_the_she_two_paragraphs_back_is_still_she() -> None:
    """Buffy's "she said", then Spike's line, then Buffy's with "She kicked his
    boots": the turns put her two paragraphs back, and she is still the "she",
    not Spike, whose pronouns the text has not shown yet."""
    text = (
        "Buffy found Spike in the crypt.\n\n"
        '"Get up," she said. "We\'ve got a problem."\n\n'
        'Spike didn\'t move. "We? Since when is there a we, Slayer?"\n\n'
        '"Since Glory took Dawn." She kicked his boots off the stone. "Up."\n\n'
        "That got him moving. He swung his legs down and stood."
    )
    found = links(text)
    assert ("She", "Buffy") in found
    assert ("He", "Spike") in found


def test_the_first_person_narrator_is_never_he_or_she_in_the_narration() -> None:
    """The narrator, named by the text, is "I"; the "He" after the other's line
    is that other, met only as an object before."""
    text = (
        "My name is Clarke Griffin, and I have four minutes to convince Bellamy Blake not to shoot me.\n\n"
        '"Put it down," I say. "I\'m not armed."\n\n'
        "\"That's what the last one said.\" He doesn't lower the gun.\n\n"
        '"Listen to me, Blake."'
    )
    found = links(text)
    assert ("He", "Bellamy Blake") in found
    assert all(name != "Clarke Griffin" for word, name in found if word.lower() in ("he", "she"))


def test_a_third_person_pov_scene_s_character_is_still_she() -> None:
    """A POV header names the scene's focaliser, not a first-person narrator:
    in third-person narration she is "she"."""
    text = (
        "Maren's POV\n\n"
        "Maren climbs the stairs to the lamp room. Ottilie is already there.\n\n"
        "Maren wants to argue. Instead she looks at the sea."
    )
    assert ("she", "Maren") in links(text)


def test_a_clipped_name_gives_no_pronoun_prior() -> None:
    """ "Bell", a woman's name in the census table, is here only Bellamy's clipping."""
    text = (
        "Bellamy Blake stood by the door, and Octavia came closer.\n\n"
        '"Bell," Octavia said. "Please."\n\n'
        '"No." He doesn\'t move.'
    )
    assert ("He", "Bellamy Blake") in links(text)


def test_given_name_is_a_prior_when_the_text_says_nothing() -> None:
    """Nothing in the text ties a pronoun to Tara or Xander, but "Tara" is a girl's name."""
    text = "Tara watched Xander fix the car. Xander swore at the engine. She laughed."
    assert ("She", "Tara") in links(text)


def test_apposition_gives_a_character_an_epithet() -> None:
    text = (
        "Spike, the vampire, lit a cigarette by the crypt door. Buffy watched Spike from the grass. "
        "Buffy kept her stake raised.\n\nThe vampire smiled at her."
    )
    assert links(text, "nominal") == [("the vampire", "Spike"), ("The vampire", "Spike")]


def test_gendered_description_with_one_fitting_character() -> None:
    text = (
        "Buffy walked into the Bronze and looked around. Buffy saw Spike at the bar. Spike waved at "
        "Buffy.\n\nBuffy crossed the room. The man grinned at her."
    )
    assert links(text, "nominal") == [("The man", "Spike")]


def test_indefinite_introduces_someone_new() -> None:
    text = (
        "Buffy walked into the Bronze and looked around. Buffy saw Spike at the bar. A man stood by "
        "the door.\n\nThe man waved at Buffy. Buffy waved back."
    )
    assert links(text, "nominal") == []


def test_a_description_is_not_its_clause_subject() -> None:
    text = (
        "Buffy walked into the Bronze and looked around. Buffy saw Spike at the bar. Spike waved at "
        "Buffy.\n\nSpike looked at the man."
    )
    assert links(text, "nominal") == []


def test_a_possessive_belongs_to_its_clause_subject() -> None:
    """ "Sasuke said without opening his eyes": his is Sasuke's, though Naruto,
    known to be "he", was named just before."""
    text = (
        "Naruto bounced on his heels at the bridge, and Naruto yawned.\n\n"
        '"Kakashi-sensei is never on time," Sasuke said without opening his eyes. '
        "He was leaning against the railing."
    )
    found = links(text)
    assert found[1:] == [("his", "Sasuke"), ("He", "Sasuke")]


def test_second_person_narration_goes_to_the_reader() -> None:
    text = (
        "You wake to the sound of rain. You reach for your phone and check the time.\n\n"
        "Bucky leans into the doorway. You smile at him."
    )
    doc = analyse(text)
    reader = [c for c in doc.characters if c.id == "reader"]
    assert reader and reader[0].name == "You"
    assert ("your", "You") in links(text)
    assert dict(reader[0].pronouns) == {"you": 1.0}


def test_a_pov_header_names_its_scene_s_first_person_narrator() -> None:
    """Alternating first-person POV: each scene's "I" is whoever its header names."""
    text = (
        "Sherlock's POV\n\n"
        "I watch John climb the stairs. I count the steps.\n\n"
        '"You haven\'t eaten," John says. "Sit, Sherlock."\n\n'
        "* * *\n\n"
        "John's POV\n\n"
        "I put the kettle on and I wait. Sherlock doesn't sit."
    )
    found = links(text)
    firsts = [name for word, name in found if word == "I"]
    assert firsts == ["Sherlock", "Sherlock", "John", "John"]
    assert not any(c.id == "narrator" for c in analyse(text).characters)


def test_the_owner_of_a_subject_s_eyes_or_voice_is_the_topic() -> None:
    """Gregory's eyes narrowed: the next "he" is Gregory, not the last named subject."""
    text = (
        "Syme sat down. He waited. Gregory stood by the window. He frowned.\n\n"
        "Syme looked at Gregory. Gregory's eyes narrowed. He turned away."
    )
    assert links(text)[-1] == ("He", "Gregory")


def test_the_owner_of_a_person_is_not_the_topic() -> None:
    """Anna's mother looked up: the mother, not Anna, is the subject."""
    text = (
        "Anna sat down. She waited. Mary stood by the window. She frowned.\n\n"
        "Mary looked at Anna. Anna's mother looked up. She smiled."
    )
    assert links(text)[-1] == ("She", "Mary")


def test_a_name_opening_a_quote_is_called_only_when_punctuation_follows() -> None:
    from ficlens.model import Mention, Quote
    from ficlens.stages.coref import called_in_quote

    def called(line: str) -> bool:
        text = f'"{line}"'
        quote = Quote("q1", 1, len(text) - 1, "u1")
        return called_in_quote(text, quote, Mention(1, 4, "c1", "name"))

    assert called("Ron, come here.")
    assert called("Ron—wait!")
    assert not called("Ron's coming where?")
    assert not called("Ron went home.")


def test_a_name_after_a_comma_is_called_only_when_the_clause_does_not_go_on() -> None:
    from ficlens.model import Mention, Quote
    from ficlens.stages.coref import called_in_quote

    def called(line: str, name: str) -> bool:
        text = f'"{line}"'
        start = text.index(name)
        quote = Quote("q1", 1, len(text) - 1, "u1")
        return called_in_quote(text, quote, Mention(start, start + len(name), "c1", "name"))

    assert called("Come here, Kakashi, and sit.", "Kakashi")
    assert called("Wait for me, Kakashi—", "Kakashi")
    assert not called("Naruto-baka, Kakashi isn't even here yet.", "Kakashi")
    assert not called("Well, Kakashi's late again.", "Kakashi")


def test_a_scene_break_ends_every_antecedent() -> None:
    """ "* * * ¶ Hermione was waiting for him": him is the story's lead, not
    Peter, whom the last scene ended on."""
    text = (
        "Harry walked to the library. Harry was tired, and he wanted his bed. He sat down.\n\n"
        "Harry found Peter there. Harry sat down. Peter laughed. He closed his book.\n\n"
        "* * *\n\n"
        "Hermione was waiting for him in the common room."
    )
    found = links(text)
    assert found[-3:-1] == [("He", "Peter"), ("his", "Peter")]
    assert found[-1] == ("him", "Harry")


def test_a_name_in_quoted_non_speech_is_no_antecedent_in_its_paragraph() -> None:
    """'Anna had written "Tom" on the list': a word on a list, not Tom in the room."""
    text = (
        "Tom had gone to bed early. Tom was tired.\n\n"
        "Anna smiled at Peter. Anna looked at Peter across the table.\n\n"
        'Anna had written "Tom" on the list twice. A smile tugged at his mouth.'
    )
    assert links(text)[-1] == ("his", "Peter")


def test_a_first_person_reader_insert_narrator_is_the_reader() -> None:
    """ "Hey, Y/N," says Steve, and the narration says "I": one character, the reader."""
    text = (
        "I push open the door of the café. Bucky is already at our table.\n\n"
        '"You\'re late, doll," he says.\n\n'
        '"Traffic," I lie. I sit down and wrap my hands around the cup.\n\n'
        'Steve walks in and grins. "Hey, Y/N. Buck."\n\n'
        '"Morning, Steve," Bucky says.'
    )
    doc = analyse(text)
    assert [c.name for c in doc.characters if c.id == "reader"] == ["Y/N"]
    assert not any(c.name == "Narrator" for c in doc.characters)
    assert ("I", "Y/N") in links(text)


def test_a_titled_name_is_its_clause_s_subject() -> None:
    """ "Then Mr. Emerson returned, and he sat down": spaCy parses "Mr." as a
    compound of the subject "Emerson"; the name is still the subject, and the
    nearest subject of the pronoun's sex."""
    text = (
        "Mr. Emerson and George Emerson sat in the garden. George Emerson frowned; he was sad. "
        "Then Mr. Emerson returned, and he sat down."
    )
    assert [who for word, who in links(text) if word == "he"] == ["George Emerson", "Mr. Emerson"]


def test_a_first_person_scene_in_a_third_person_work_has_its_own_narrator() -> None:
    """The third scene's "I" is a narrator of its own, though the work as a whole
    is third-person; the other scenes' pronouns stay with their characters."""
    text = (
        "Ron was halfway down the corridor. He stopped and looked back. He had left the cloak. "
        "He swore, and he turned, and he ran. He took the stairs two at a time; he was late. "
        "He knew she would be angry. He hoped she would not be.\n\n* * *\n\n"
        "Hermione woke in the library. She blinked. She stretched. She saw the cloak and smiled. "
        "She folded it and she put it in her bag. She would give it back to him, she decided, "
        "when she was ready.\n\n* * *\n\n"
        "I never liked the Burrow at Christmas. I sit on the stairs, and I watch the snow, "
        "and I pretend I'm not counting the hours until I can leave."
    )
    found = links(text)
    assert ("I", "Narrator") in found
    assert all(who != "Narrator" for word, who in found if word.lower() not in ("i", "my", "me"))


def test_a_kin_noun_is_the_relative_and_an_antecedent() -> None:
    """ "Her father" is Mr. Bennet when "her" is Elizabeth Bennet, and so is the
    "he" that follows, though Mr. Darcy was named since."""
    text = (
        "Mr. Bennet and Mrs. Bennet lived at Longbourn with Elizabeth Bennet. Mr. Darcy came to call. "
        "Mr. Bennet sighed. Mrs. Bennet sighed.\n\n"
        "Elizabeth went to the library. Mr. Darcy had left. Her father was walking about the room. "
        "He looked grave."
    )
    assert ("father", "Mr. Bennet") in links(text, "nominal")
    assert ("He", "Mr. Bennet") in links(text)


def test_a_subject_name_set_off_by_commas_is_no_call() -> None:
    """ "Signor Carella, with the brutality…, had caught her": the subject, not a
    name called out, so the next "He" is his and not Philip's."""
    text = (
        "Philip watched Lilia at the table. He said nothing.\n\n"
        "The cat was there. Signor Carella, with the brutality so common in that town, had caught "
        "her by the paw and flung her away. He got up and sat down again."
    )
    assert ("He", "Signor Carella") in links(text)


def test_the_scene_s_last_she_outlasts_the_window() -> None:
    """Five paragraphs about men after Adela was last named, "she" is still
    Adela, not the work's most named woman, who is not in this scene."""
    men = "".join(f"Ronny told Aziz about the {w}. Aziz laughed and he went on.\n\n" for w in "abcde")
    text = (
        "Mrs. Moore sat. Mrs. Moore read. Mrs. Moore slept. Mrs. Moore woke. Mrs. Moore ate.\n\n"
        "* * *\n\n"
        f"Adela came home. Adela sat down by the window.\n\n{men}"
        "Then she got up and left the room."
    )
    assert ("she", "Adela") in links(text)


def test_one_their_does_not_make_a_character_singular_they() -> None:
    """ "Carol packed their bags" (the family's, most likely) is one vote for
    "they"; it does not outweigh the given name, so "she" is still Carol."""
    text = (
        "Carol Milford ran to the station. Carol packed their bags there. "
        "The train was late, and she waited on the platform."
    )
    assert ("she", "Carol Milford") in links(text)


def test_a_tag_s_pronoun_is_not_the_one_its_line_calls() -> None:
    """Buffy is the nearest "she", but the line calls her, so another speaks it."""
    text = (
        "Dawn sat at the kitchen table with her homework. Buffy stood up and took her coat.\n\n"
        '"Wait, Buffy," she said. "Where are you going?"'
    )
    assert [who for word, who in links(text) if word == "she"] == ["Dawn"]


def test_a_name_in_reach_is_not_outdone_by_a_lead_named_later() -> None:
    """Bucky, the object, is the only one named when "him" and "he" come; Sam,
    the work's most frequent "he", comes in later and is not their antecedent."""
    text = (
        "I find Bucky on the roof, which is where I always find him when he doesn't want to be "
        "found.\n\n"
        '"You missed dinner," I say.\n\n'
        "He doesn't turn around. \"Wasn't hungry.\"\n\n"
        '"Sam made lasagna."\n\n'
        '"Then I\'m definitely not hungry."\n\n'
        "I sit down next to him, our legs dangling over the edge. The city is loud below us, "
        "all sirens and horns.\n\n"
        '"Steve\'s worried about you," I say.\n\n'
        '"Steve\'s always worried about me." Bucky finally looks at me. "You worried too, doll?"\n\n'
        '"Maybe a little."\n\n'
        "The door behind us bangs open and Sam sticks his head out. "
        '"There you are. Barnes, your lasagna is getting cold."\n\n'
        '"Told you," I mutter.\n\n'
        'Bucky sighs and gets up. "Fine. But I\'m not eating the broccoli."\n\n'
        '"Nobody eats the broccoli, man," Sam says. "That\'s not the point."'
    )
    doc = analyse(text)
    names = {c.id: c.name for c in doc.characters}
    first = doc.text.index("\n\n")
    early = [names[m.character] for m in doc.mentions if m.kind == "pronoun" and m.start < first]
    assert early == ["Narrator", "Narrator", "Bucky", "Bucky"]


def test_a_frame_narrator_who_tags_lines_is_the_narrator() -> None:
    """A narration that tells mostly of others ("he", "she") has a narrator all
    the same when its "I" tags lines, in a text whose closing marks stand apart
    as LitBank writes them (' ” I said').
    """
    text = (
        "The story had held us round the fire , and Douglas sat apart . He said nothing for a long "
        "while . He looked at the fire . He turned to Griffin , and he shook his head . She laughed "
        "at him . He frowned . He stood up . He walked to the window . She watched him go .\n"
        "“ Is it a ghost story ? ”\n"
        "I asked .\n"
        "“ Worse , ” he said .\n"
        "“ Then tell it , ” I said , “ and be done . ”\n"
        "He smiled at Griffin . He sat down . She smiled .\n"
        "“ Will you read it tonight ? ”\n"
        "I inquired .\n"
        "“ Not tonight , ” said Douglas ."
    )
    doc = analyse(text)
    said = {doc.text[q.start : q.end]: q.speaker for q in doc.quotes}
    assert said["Is it a ghost story ?"] == "narrator"
    assert said["Will you read it tonight ?"] == "narrator"


def test_a_hand_one_takes_is_another_s() -> None:
    """ "Sakura took his hand": "his" is not Sakura's, and proves nothing of her
    pronouns; "Naruto shook his head" still makes Naruto "he"."""
    text = (
        "Naruto sat on the wet grass. Sakura came and sat beside him.\n\n"
        "Sakura took his hand. Naruto shook his head.\n\n"
        "She smiled at him."
    )
    doc = analyse(text)
    pronouns = {c.name: dict(c.pronouns) for c in doc.characters}
    assert "he" not in pronouns["Sakura"]
    assert links(text)[2] == ("his", "Naruto")


def test_a_line_that_only_calls_someone_puts_them_in_the_scene() -> None:
    """'"Naruto." ¶ He didn't turn around.': the one called is the "he" who
    does not answer, not the last subject of the narration (Sakura, whose
    pronouns the text has not shown yet)."""
    text = (
        "Sakura stood at the edge of the training ground for a long time.\n\n"
        '"Naruto."\n\n'
        "He didn't turn around.\n\n"
        '"Go home, Sakura-chan," said Naruto.'
    )
    assert ("He", "Naruto") in links(text)


POV_SWAP = (
    "Hermione's POV\n\n"
    "I didn't expect to find Malfoy in the library at midnight. "
    "I certainly didn't expect him to be crying.\n\n"
    '"Go away, Granger."\n\n'
    '"It\'s a library." I sat down two chairs away from him. "What happened?"\n\n'
    'He laughed, but it came out wrong. "Nothing you\'d care about."\n\n'
    "~*~\n\n"
    "Draco's POV\n\n"
    "She wouldn't leave. Of course she wouldn't; she was Hermione bloody Granger, and she never left a "
    "problem alone.\n\n"
    '"My father," he said finally.\n\n'
    "She didn't say she was sorry. He was grateful for that."
)


def test_the_i_of_a_headed_first_person_scene_is_not_its_he_or_she() -> None:
    """A short "Hermione's POV" scene says "I" as often as "him"; its "I" is
    the header's Hermione, so "him" is Malfoy, not her."""
    found = [(word, "Draco" if name in ("Malfoy", "Draco") else name) for word, name in links(POV_SWAP)]
    assert ("him", "Draco") in found and ("He", "Draco") in found
    assert not any(name == "Draco" for word, name in found if word.lower() == "she")


def test_a_scene_opening_link_keeps_the_scene_s_antecedents() -> None:
    """ "She wouldn't leave" opens Draco's scene with no "she" in reach; the
    scene's later "she" and "She didn't say" are still Hermione's, once her
    name is met (a guess in the opening paragraph once re-opened the scene
    and forgot her)."""
    found = links(POV_SWAP)
    hers = [name for word, name in found if word.lower() == "she"]
    assert sum("Granger" in name or "Hermione" in name for name in hers) >= 3, found


LAN_ZHAN = (
    "I hate Mondays. I hate them more when Wei Ying is awake before me.\n\n"
    '"Lan Zhan!" He\'s standing in my kitchen, holding my favourite mug. "You\'re out of coffee."\n\n'
    '"I do not drink coffee."\n\n'
    '"Jiang Cheng called," he says, dropping into the chair opposite. "Jiang Cheng wants us at dinner."\n\n'
    "I drink my tea. I do not tell him it is right.\n\n"
    '"You\'re smiling," Wei Ying accuses. "That\'s your smile, Lan Zhan, I know it."'
)


def test_a_narrator_called_twice_and_never_narrated_is_named() -> None:
    """ "Lan Zhan!" twice to the narrator, never in the narration, and no one
    else called half as often: the first-person narrator is Lan Zhan."""
    aliases = {c.name: c.aliases for c in analyse(LAN_ZHAN).characters}
    assert "I" in aliases["Lan Zhan"] and "Narrator" not in aliases


def test_a_census_name_that_is_a_chinese_syllable_is_no_woman_s() -> None:
    """The 1990 census lists "Wei" and "Ying" only among women's names, being
    too rare among men to list: that says nothing, and "Wei Ying" is "he"
    here, not a "she" the narrator's "he" must avoid."""
    found = links(LAN_ZHAN)
    assert ("he", "Wei Ying") in found and ("him", "Wei Ying") in found


def test_a_call_between_spaced_commas_is_a_call() -> None:
    """Tokenised text spaces its commas: "calmly , Ralph , as I do" calls Ralph;
    "Ralph went home" speaks of him."""
    from ficlens.model import Paragraph as Span
    from ficlens.stages.coref import called_in_quote

    for line, called in (("I speak calmly , Ralph , as I do now .", True), ("So Ralph went home .", False)):
        text = f"“ {line} ”"
        start = text.index("Ralph")
        quote = Span(2, len(text) - 2)
        assert called_in_quote(text, quote, Span(start, start + 5), full_stop=False) is called


def test_a_laugh_on_the_next_line_after_a_finished_line_is_no_tag() -> None:
    """'…mastiff . ”' / 'I laughed incredulously': the next sentence reacts;
    '…, my dear Watson , ”' / 'I said' on the next line of wrapped text tags."""
    from ficlens.model import Paragraph as Span
    from ficlens.stages.coref import _said_by_i

    cases = (
        ("“ Smaller than a mastiff . ”\nI laughed incredulously .", False),
        ("“ Come , Watson , ”\nI said .", True),
    )
    for text, tagged in cases:
        assert _said_by_i(text, Span(2, text.index("”") - 1)) is tagged
