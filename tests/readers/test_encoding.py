from __future__ import annotations

import codecs

import pytest

from ficlens.errors import ErrorCode, FiclensError
from ficlens.readers import looks_like_html, read_bytes
from ficlens.readers.encoding import decode

STORY = "“Naïve,” she said — café au lait, ’em, o’clock.\n\nHe laughed."


@pytest.mark.parametrize(
    "data,encoding",
    [
        (STORY.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + STORY.encode("utf-8"), "utf-8-sig"),
        (STORY.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + STORY.encode("utf-16-be"), "utf-16"),
    ],
)
def test_known_encodings_decode_exactly(data: bytes, encoding: str) -> None:
    decoded = decode(data)
    assert decoded.text == STORY
    assert decoded.encoding == encoding
    assert decoded.warning is None


def test_other_encodings_are_guessed_with_a_warning() -> None:
    text = ("The café was quiet. “Déjà vu,” said Zoë, and she smiled at the garçon. " * 20).strip()
    source = read_bytes(text.encode("cp1252"))
    assert source.text == text
    assert any("guessed" in w for w in source.work.warnings_read)


def test_utf16_without_bom_nul_bytes_are_not_text() -> None:
    with pytest.raises(FiclensError) as info:
        decode("Hello there".encode("utf-16-le"))
    assert info.value.code is ErrorCode.E001


def test_pdf_is_named() -> None:
    with pytest.raises(FiclensError, match="PDF"):
        decode(b"%PDF-1.7\n...")


@pytest.mark.parametrize(
    "text,suffix,expected",
    [
        ("<!DOCTYPE html><html><body><p>x</p></body></html>", ".txt", True),
        ("  <html lang='en'><p>x</p>", "", True),
        ('<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><p>x</p></html>', "", True),
        ("<p>One.</p><p>Two.</p>", "", True),
        ("<p>One.</p>", ".html", True),
        ("She wrote <3 and <i>smiled</i> at him.", ".txt", False),
        ("Plain story.\n\nMore story.", ".html", False),
    ],
)
def test_html_is_recognised_by_content(text: str, suffix: str, expected: bool) -> None:
    assert looks_like_html(text, suffix) is expected
