from __future__ import annotations

import json as jsonlib
import os
from pathlib import Path

import pytest

from ficlens import writers
from ficlens.errors import ErrorCode, FiclensError
from ficlens.model import Document


def test_format_comes_from_flag_then_suffix_then_json() -> None:
    assert writers.format_for(Path("a.json"), None) == "json"
    assert writers.format_for(None, None) == "json"
    assert writers.format_for(Path("a.txt"), "json") == "json"
    with pytest.raises(FiclensError) as info:
        writers.format_for(Path("a.docx"), None)
    assert info.value.code is ErrorCode.E007


def test_failed_write_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")

    def boom(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(FiclensError) as info:
        writers.write(Document(text="x"), target)
    assert info.value.code is ErrorCode.E008
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_written_files_are_readable_as_any_new_file_is(tmp_path: Path) -> None:
    """Not the 0600 of the temporary file it is written through; a file that
    already exists keeps its own permissions."""
    umask = os.umask(0)
    os.umask(umask)
    fresh = tmp_path / "new.json"
    writers.write(Document(text="x"), fresh)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask
    kept = tmp_path / "kept.json"
    kept.write_text("old", encoding="utf-8")
    kept.chmod(0o640)
    writers.write(Document(text="x"), kept)
    assert kept.stat().st_mode & 0o777 == 0o640


def test_missing_output_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FiclensError) as info:
        writers.write(Document(text="x"), tmp_path / "no" / "such" / "out.json")
    assert info.value.code is ErrorCode.E008


def test_streamed_json_is_the_same_text_as_the_whole(tmp_path: Path) -> None:
    """The JSON writer streams field by field; the file must be what json.dumps writes."""
    from ficlens.model import Character, Mention, Paragraph
    from ficlens.writers import json as json_writer

    doc = Document(
        text='"Hi," said Anna.\n\nNo one.',
        paragraphs=(Paragraph(0, 16), Paragraph(18, 25)),
        characters=(Character("c1", "Anna", ("Anna",), (("she", 1.0),), 1, 1),),
        mentions=(Mention(11, 15, "c1", "name"),),
    )
    writers.write(doc, tmp_path / "a.json")
    text = (tmp_path / "a.json").read_text(encoding="utf-8")
    assert text == json_writer.dumps(doc.to_dict())
    assert Document.from_dict(jsonlib.loads(text)) == doc
