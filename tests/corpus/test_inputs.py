"""Enumerating works: folders, zips and files; stable ids; what is skipped."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest

from ficlens.corpus.inputs import enumerate_works, work_id
from ficlens.errors import FiclensError
from tests.corpus.conftest import make_corpus, story
from tests.readers.test_epub import ao3_epub


def test_folders_zips_and_files(tmp_path: Path) -> None:
    c = make_corpus(tmp_path)
    works = list(enumerate_works([c["folder"], c["zip"]]))
    keys = [w.key for w in works]
    assert keys == [
        "fics/bad.txt",
        "fics/story0.txt",
        "fics/story2.txt",
        "fics/sub/oneshot.html",
        "fics/sub/story1.txt",
        "archive.zip!/works/zipped1.txt",
        "archive.zip!/works/zipped2.txt",
    ]
    zipped = works[-1]
    assert zipped.member == "works/zipped2.txt" and zipped.display.endswith("archive.zip!/works/zipped2.txt")
    assert zipped.read() == story(4).encode()
    assert len({w.work_id for w in works}) == len(works)
    assert all(len(w.work_id) == 16 and w.work_id == work_id(w.key, w.sha256) for w in works)


def test_ids_are_stable_across_locations_and_change_with_content(tmp_path: Path) -> None:
    c = make_corpus(tmp_path / "a")
    first = {w.key: w.work_id for w in enumerate_works([c["folder"]])}
    moved = tmp_path / "elsewhere" / "fics"
    shutil.copytree(c["folder"], moved)
    cwd = os.getcwd()
    try:
        os.chdir(moved.parent)
        relative = list(enumerate_works([Path("fics")]))
        again = {w.key: w.work_id for w in relative}
    finally:
        os.chdir(cwd)
    assert again == first
    assert all(Path(w.path).is_absolute() for w in relative)  # workers elsewhere share paths, not a cwd
    (moved / "story0.txt").write_text(story(0) + "An added line.\n", encoding="utf-8")
    changed = {w.key: w.work_id for w in enumerate_works([moved])}
    assert changed["fics/story0.txt"] != first["fics/story0.txt"]
    assert {k: v for k, v in changed.items() if k != "fics/story0.txt"} == {
        k: v for k, v in first.items() if k != "fics/story0.txt"
    }


def test_an_epub_is_one_work_and_a_named_file_is_taken_whatever_its_suffix(tmp_path: Path) -> None:
    epub = tmp_path / "work.zip"
    epub.write_bytes(ao3_epub())
    odd = tmp_path / "story.data"
    odd.write_text(story(1), encoding="utf-8")
    works = list(enumerate_works([epub, odd, odd]))
    assert [(w.key, w.member) for w in works] == [("work.zip", None), ("story.data", None)]
    assert zipfile.is_zipfile(works[0].path)


def test_a_missing_input_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FiclensError) as err:
        list(enumerate_works([tmp_path / "nope"]))
    assert err.value.code.name == "E013"


def test_a_damaged_zip_in_a_folder_is_a_work_so_its_failure_is_recorded(tmp_path: Path) -> None:
    (tmp_path / "dump").mkdir()
    (tmp_path / "dump" / "broken.zip").write_bytes(b"PK\x03\x04 truncated")
    (works,) = [list(enumerate_works([tmp_path / "dump"]))]
    assert [(w.key, w.member) for w in works] == [("dump/broken.zip", None)]
