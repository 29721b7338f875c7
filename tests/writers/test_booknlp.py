from __future__ import annotations

from pathlib import Path

import pytest

from ficlens import writers
from ficlens.errors import ErrorCode, FiclensError
from ficlens.writers import booknlp
from tests.writers.sample import sample_document, with_tokens


def rows(content: str) -> list[list[str]]:
    return [line.split("\t") for line in content.splitlines()]


def test_three_files_with_booknlp_headers_and_columns() -> None:
    doc = with_tokens(sample_document())
    files = booknlp.render_files(doc)
    tokens, entities, quotes = rows(files[".tokens"]), rows(files[".entities"]), rows(files[".quotes"])
    # BookNLP's own column names, spelled out independently of the writer's constants.
    assert (
        tokens[0]
        == (
            "paragraph_ID sentence_ID token_ID_within_sentence token_ID_within_document word lemma "
            "byte_onset byte_offset POS_tag fine_POS_tag dependency_relation syntactic_head_ID event"
        ).split()
    )
    assert entities[0] == "COREF start_token end_token prop cat text".split()
    assert quotes[0] == "quote_start quote_end mention_start mention_end mention_phrase char_id quote".split()
    words = [r[4] for r in tokens[1:]]
    assert words[:5] == ['"', "Come", "here", ",", '"']
    assert all(len(r) == 13 for r in tokens)
    # offsets point into text
    assert all(doc.text[int(r[6]) : int(r[7])] == r[4] for r in tokens[1:])
    # entities: COREF is the position in characters; token ranges are inclusive
    first = entities[1]
    assert first == ["0", "5", "5", "PROP", "PER", "Anna"]
    assert [r[3] for r in entities[1:]] == ["PROP", "PROP", "PRON", "PRON", "PROP", "PRON", "PROP"]
    # quotes: the speaker's nearest mention in the paragraph, outside the quote
    q1 = quotes[1]
    assert q1[:7] == ["1", "3", "5", "5", "Anna", "0", "Come here,"]
    q3 = quotes[3]
    assert words[int(q3[0])] == "Why" and q3[4:6] == ["he", "1"]


def test_written_beside_each_other_from_a_stem_or_a_suffix(tmp_path: Path) -> None:
    doc = with_tokens(sample_document())
    assert writers.write(doc, tmp_path / "book.tokens") == "booknlp"
    writers.write(doc, tmp_path / "other", "booknlp")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "book.entities",
        "book.quotes",
        "book.tokens",
        "other.entities",
        "other.quotes",
        "other.tokens",
    ]


def test_needs_the_parse_and_a_file(tmp_path: Path) -> None:
    with pytest.raises(FiclensError) as info:
        writers.write(sample_document(), tmp_path / "book", "booknlp")
    assert info.value.code is ErrorCode.E012
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(FiclensError) as info:
        writers.render(sample_document(), "booknlp")
    assert info.value.code is ErrorCode.E012
