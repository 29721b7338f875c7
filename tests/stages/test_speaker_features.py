"""Who the learned ranker may choose from: the candidates of each line."""

from __future__ import annotations

from ficlens.pipeline import analyze_text
from ficlens.stages.speaker_features import Candidates
from ficlens.stages.speakers import sieve
from ficlens.stages.speech_evidence import gather


def test_a_speaker_from_ten_lines_back_is_still_a_candidate() -> None:
    """Giles spoke, then Buffy and Willow talked for nine lines without the
    narration naming him: he is still in the room, so still a candidate."""
    lines = ['"We need a plan," said Giles.']
    for k in range(9):
        who = "Buffy" if k % 2 == 0 else "Willow"
        lines.append(f'"Line {k} of the talk," said {who}.')
    lines.append('"And then what?"')
    doc = analyze_text("\n\n".join(lines))
    ctx, evidence = gather(doc)
    names = {c.id: c.name for c in doc.characters}
    *_, (last, _) = Candidates(ctx, evidence).features(sieve(ctx, evidence))
    assert "Giles" in {names[c] for c in last}


def test_a_long_untagged_run_keeps_the_people_the_narration_named_last() -> None:
    """Brenda and Tony talk for a dozen untagged lines: the last ones lie past
    every window, but the two named before the talk are still its candidates."""
    lines = ["Brenda and Tony sat at breakfast. Brenda read her letters; Tony read the paper."]
    lines += [f'"This is line {k} of breakfast."' for k in range(12)]
    doc = analyze_text("\n\n".join(lines))
    ctx, evidence = gather(doc)
    names = {c.id: c.name for c in doc.characters}
    *_, (last, _) = Candidates(ctx, evidence).features(sieve(ctx, evidence))
    assert {"Brenda", "Tony"} <= {names[c] for c in last}


def test_a_gendered_description_in_a_tag_counts_as_its_pronoun() -> None:
    """ "said the girl" rules out every "he", as "she said" would."""
    text = (
        "Tom Sawyer sat on the fence. Becky Thatcher walked past him.\n\n"
        '"Hello," said the girl.\n\n'
        '"Hello yourself," he said.'
    )
    doc = analyze_text(text)
    _, evidence = gather(doc)
    assert [ev.pronoun for ev in evidence] == ["she", "he"]


def _features(text: str, quote: str) -> dict[str, dict[str, float]]:
    """Candidate name → feature → value, for the line that begins with ``quote``."""
    from ficlens.stages.speaker_features import FEATURES

    doc = analyze_text(text)
    ctx, evidence = gather(doc)
    names = {c.id: c.name for c in doc.characters}
    rows = list(Candidates(ctx, evidence).features(sieve(ctx, evidence)))
    k = next(
        i for i, ev in enumerate(evidence) if doc.text[doc.quotes[ev.quotes[0]].start :].startswith(quote)
    )
    cands, matrix = rows[k]
    return {
        names[c]: dict(zip(FEATURES, map(float, row), strict=True))
        for c, row in zip(cands, matrix, strict=True)
    }


SCENES = (
    "**DEAN**\n\n"
    "I wake up to the smell of coffee. Sam is typing.\n\n"
    '"You\'re up," Sam says.\n\n'
    '"Unfortunately." I roll over.\n\n'
    "oOoOoOo\n\n"
    "**CASTIEL**\n\n"
    "I do not understand the coffee. Dean drinks four cups before noon.\n\n"
    '"It tastes like feet," he says.\n\n'
    '"Then why do you drink it?"\n\n'
    '"Because it\'s there, Cas."'
)


def test_a_scene_s_voice_is_its_first_person_narrator() -> None:
    """Each scene's "I" is the narrator its header names: Dean, then Castiel."""
    assert _features(SCENES, "Unfortunately")["Dean"]["is_narrator"] == 1.0
    castiel = next(v for k, v in _features(SCENES, "Then why").items() if k.lower() in ("cas", "castiel"))
    assert castiel["is_narrator"] == 1.0


def test_a_scene_break_sends_the_last_scene_s_people_away() -> None:
    """Sam spoke in the first scene and is never mentioned in the second."""
    found = _features(SCENES, "Then why")
    assert found.get("Sam", {}).get("seen_in_scene", 0.0) == 0.0
    assert found["Dean"]["seen_in_scene"] == 1.0


def test_the_next_line_s_call_names_this_line_s_speaker() -> None:
    text = (
        "Anne and Diana sat under the trees by the brook.\n\n"
        '"Shall we go home?" said Diana.\n\n'
        '"Not yet. The light is lovely."\n\n'
        '"You always say that, Anne."'
    )
    assert _features(text, "Not yet")["Anne"]["called_next"] == 1.0
    assert _features(text, "Not yet")["Diana"]["called_next"] == 0.0


def test_the_next_line_s_speaker_counts_apart_within_and_across_paragraphs() -> None:
    """Within a paragraph the next line is likely the same speaker's; in the
    next paragraph, likely the other side's: two features, not one."""
    text = (
        "Jack sat at the table. Daniel came in late.\n\n"
        '"Sorry," said Daniel. "I was reading," he added.\n\n'
        '"Of course you were," said Jack.'
    )
    assert _features(text, "Sorry")["Daniel"]["spoke_next_here"] == 1.0
    assert _features(text, "Sorry")["Daniel"]["spoke_next_after"] == 0.0
    assert _features(text, "I was reading")["Jack"]["spoke_next_after"] == 1.0


def test_a_conversation_keeps_its_participants_past_every_window() -> None:
    """Mrs. Beaver was named before the talk and tags one of its later lines;
    her son answers without tags. Far into the talk, where no window reaches
    the narration that named her, she is still a candidate of every line."""
    lines = [
        "Mrs. Beaver was at her desk. Her son came in late.",
        '"Where are you going?"',
        '"Hetton."',
    ]
    lines += [f'"This is line {k} of the talk."' for k in range(10)]
    lines.append('"It is a great help," said Mrs. Beaver.')
    text = "\n\n".join(lines)
    found = _features(text, "This is line 8")
    assert found["Mrs. Beaver"]["tagged_later_in_conversation"] == 1.0
    assert found["Mrs. Beaver"]["named_before_conversation"] >= 1.0
    assert found["Mrs. Beaver"]["paragraphs_since_mention"] == 7.0  # past the window


def test_a_conversation_s_tags_count_apart_before_and_after_a_line() -> None:
    """Dean's tag came before "I did call"; Sam, who leans out of the door
    later, is tagged only after it: the ranker weighs the two apart."""
    text = "\n\n".join(
        [
            "Dean slammed the car door. Castiel was waiting on the steps.",
            '"You could\'ve called," Dean said.',
            '"I did call. You didn\'t answer."',
            '"Phone died."',
            '"Are you guys coming in or what?" Sam said, leaning out of the door.',
        ]
    )
    found = _features(text, "I did call")
    assert found["Dean"]["tagged_so_far_in_conversation"] == 1.0
    assert found["Dean"]["tagged_later_in_conversation"] == 0.0
    assert found["Sam"]["tagged_so_far_in_conversation"] == 0.0
    assert found["Sam"]["tagged_later_in_conversation"] == 1.0
    assert found["Castiel"]["named_before_conversation"] >= 1.0


def test_the_character_a_scene_follows_has_its_subject_share() -> None:
    """Tony is the subject of the scene's narration three times, Brenda once and
    Beaver never (he is only looked at): their shares are 1, 1/3 and 0. A scene
    break starts the count again."""
    text = (
        "Beaver left early.\n\n* * *\n\n"
        "Tony walked to the stables. Tony looked at Beaver. Brenda waited.\n\n"
        '"Is the pony ready?"\n\n'
        "Tony nodded."
    )
    found = _features(text, "Is the pony")
    assert found["Tony"]["scene_subject_share"] == 1.0
    assert abs(found["Brenda"]["scene_subject_share"] - 1 / 3) < 1e-9
    assert found.get("Beaver", {}).get("scene_subject_share", 0.0) == 0.0
