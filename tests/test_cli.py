"""The CLI end to end, in a real subprocess: exit codes, stderr, output files."""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO, assert_valid, shared_path

EXAMPLE = REPO / "examples" / "the_lamp_room.txt"


def run(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ficlens", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
    )


def assert_refused(path: Path, tmp_path: Path, reason: str) -> None:
    """Exit 2, exactly one stderr line naming the file and the reason, no traceback, no output."""
    out = tmp_path / "out.json"
    result = run("analyze", path, "-o", out)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0]
    assert reason in lines[0]
    assert "Traceback" not in result.stderr
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.json")]


def test_analyze_writes_json_to_stdout() -> None:
    result = run("analyze", EXAMPLE)
    assert result.returncode == 0, result.stderr
    analysis = json.loads(result.stdout)
    assert_valid(analysis)
    assert analysis["text"] == EXAMPLE.read_text(encoding="utf-8")
    assert [c["title"] for c in analysis["chapters"]][-2:] == ["Chapter 1: Fog", "Chapter 2: The Light"]


def test_analyze_writes_file_by_suffix(tmp_path: Path) -> None:
    out = tmp_path / "a.json"
    result = run("analyze", EXAMPLE, "-o", out)
    assert result.returncode == 0, result.stderr
    assert_valid(json.loads(out.read_text(encoding="utf-8")))
    assert str(out) in result.stderr


def test_unknown_output_suffix_is_a_clear_error(tmp_path: Path) -> None:
    result = run("analyze", EXAMPLE, "-o", tmp_path / "a.docx")
    assert result.returncode == 2
    assert "[E007]" in result.stderr and "Traceback" not in result.stderr


def test_missing_file(tmp_path: Path) -> None:
    assert_refused(tmp_path / "nope.txt", tmp_path, "[E002]")


@pytest.mark.parametrize(
    "name,data,reason",
    [
        ("prog", b"\x7fELF\x02\x01\x01" + bytes(200), "executable"),
        ("pic.png", b"\x89PNG\r\n\x1a\n" + bytes(100), "PNG"),
        ("noise.txt", random.Random(7).randbytes(4096), "[E001]"),
        ("controls.txt", bytes(range(1, 9)) * 300, "[E001]"),
    ],
)
def test_not_text_is_refused(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert_refused(path, tmp_path, reason)


@pytest.mark.parametrize("content", [b"", b"   \n\n\t  \r\n"])
def test_empty_input_gives_a_valid_empty_analysis(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    result = run("analyze", path)
    assert result.returncode == 0, result.stderr
    analysis = json.loads(result.stdout)
    assert_valid(analysis)
    assert analysis["scenes"] == [] and analysis["paragraphs"] == [] and analysis["chapters"] == []


def test_malformed_html_still_gives_a_result(tmp_path: Path) -> None:
    path = tmp_path / "broken.html"
    path.write_text("<html><body><p>She ran. <i>Faster<p>He <b>followed</div></td>\n<p>End", encoding="utf-8")
    result = run("analyze", path)
    assert result.returncode == 0, result.stderr
    analysis = json.loads(result.stdout)
    assert_valid(analysis)
    assert "She ran." in analysis["text"] and "End" in analysis["text"]


def _zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


CONTAINER = (
    b'<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
    b'<rootfiles><rootfile full-path="content.opf" media-type="application/oebps-package+xml"/>'
    b"</rootfiles></container>"
)


@pytest.mark.parametrize(
    "case,reason", [("truncated", "[E003]"), ("traversal", "[E005]"), ("bomb", "[E004]")]
)
def test_bad_epubs_are_refused(tmp_path: Path, case: str, reason: str) -> None:
    good = {"mimetype": b"application/epub+zip", "META-INF/container.xml": CONTAINER}
    if case == "truncated":
        data = _zip({**good, "content.opf": b"<package/>" * 500})[:300]
    elif case == "traversal":
        data = _zip({**good, "../../evil.txt": b"gotcha"})
    else:
        data = _zip({**good, "OEBPS/big.xhtml": b"\0" * (60 * 1024 * 1024)})
    path = tmp_path / f"{case}.epub"
    path.write_bytes(data)
    assert_refused(path, tmp_path, reason)
    assert not (tmp_path.parent / "evil.txt").exists()


def test_large_text_file_is_read_in_bounded_time(tmp_path: Path) -> None:
    para = ("She walked along the shore and thought about the sea for a long while. " * 6).strip()
    block = "\n\n".join([para] * 99 + ["* * *"]) + "\n\n"
    path = tmp_path / "big.txt"
    with path.open("w", encoding="utf-8") as fh:
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(block)
    out = tmp_path / "big.json"
    result = run("analyze", path, "-o", out, "--stages", "structure", timeout=300)
    assert result.returncode == 0, result.stderr
    analysis = json.loads(out.read_text(encoding="utf-8"))
    assert len(analysis["text"]) == path.stat().st_size
    assert len(analysis["scenes"]) > 1000


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    path = tmp_path / "pic.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(10))
    result = run("analyze", path, "--debug")
    assert result.returncode != 0
    assert "Traceback" in result.stderr


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0 and result.stdout.startswith("ficlens ")


def test_shared_story_has_five_scenes_and_verbatim_text() -> None:
    path = shared_path("data", "stories", "000_520dda240a9fa714.txt")
    result = run("analyze", path)
    assert result.returncode == 0, result.stderr
    analysis = json.loads(result.stdout)
    assert_valid(analysis)
    assert analysis["text"] == path.read_text(encoding="utf-8")
    assert len(analysis["scenes"]) == 5


@pytest.mark.parametrize(
    "fixture", sorted((REPO / "tests" / "fixtures" / "ao3").glob("*.html")), ids=lambda p: p.name
)
def test_full_analysis_of_ao3_downloads_validates(fixture: Path) -> None:
    result = run("analyze", fixture)
    assert result.returncode == 0, result.stderr
    analysis = json.loads(result.stdout)
    assert_valid(analysis)
    assert analysis["work"]["source_format"] == "ao3-html"
    assert analysis["chapters"] and analysis["scenes"]


def test_output_folder_names_the_file_after_the_input(tmp_path: Path) -> None:
    result = run("analyze", EXAMPLE, "-o", tmp_path, "-f", "script", "--stages", "structure")
    assert result.returncode == 0, result.stderr
    script = (tmp_path / "the_lamp_room.script").read_text(encoding="utf-8")
    assert script.startswith("Narrator: ")
    assert [p.name for p in tmp_path.iterdir()] == ["the_lamp_room.script"]


def test_booknlp_refuses_stdout_before_any_work() -> None:
    result = run("analyze", EXAMPLE, "-f", "booknlp")
    assert result.returncode == 2
    assert "[E012]" in result.stderr and "-o" in result.stderr
