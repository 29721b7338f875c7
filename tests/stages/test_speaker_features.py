"""Who the learned ranker may choose from: the candidates of each line."""

from __future__ import annotations

from ficlens.pipeline import analyze_text
from ficlens.stages.speaker_features import candidate_features
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
    *_, (last, _) = candidate_features(ctx, evidence, sieve(ctx, evidence))
    assert "Giles" in {names[c] for c in last}


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
