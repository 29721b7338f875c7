"""Decode input bytes to text, or refuse them as not text.

Fan fiction arrives from every era of the web: UTF-8 (with or without a BOM),
UTF-16 from Windows editors, and Windows-1252 or Latin-1 saved by old tools.
The common cases are decided by rule; only the rest goes to charset-normalizer,
and then the guess is reported, because a wrong guess silently garbles names.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from ficlens.errors import ErrorCode, FiclensError

#: Leading bytes of formats that are certainly not a story.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x7fELF", "an ELF executable"),
    (b"MZ", "a Windows executable"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF file (convert it to text or HTML first)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ", "an xz archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\xca\xfe\xba\xbe", "a Java class or Mach-O file"),
    (b"\xcf\xfa\xed\xfe", "a Mach-O executable"),
    (b"RIFF", "a RIFF media file"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"),
    (b"\x00\x00\x01\x00", "an icon file"),
    (b"SQLite format 3", "an SQLite database"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file (save it as text first)"),
)

#: Share of control characters (other than tab, newline, carriage return,
#: form feed) above which decoded "text" is taken to be binary.
_MAX_CONTROL_SHARE = 0.01


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    #: Set when the encoding was guessed rather than known.
    warning: str | None = None


def sniff_binary(data: bytes) -> str | None:
    """Name the binary format ``data`` starts with, or None."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    return None


def _control_share(text: str) -> float:
    sample = text[:65536]
    if not sample:
        return 0.0
    bad = sum(1 for c in sample if (c < " " and c not in "\t\n\r\f") or "\x7f" <= c < "\xa0")
    return bad / len(sample)


def decode(data: bytes) -> Decoded:
    """Decode ``data``; raise E001 when it is not text in any encoding."""
    what = sniff_binary(data)
    if what:
        raise FiclensError(ErrorCode.E001, f"it is {what}")
    if data.startswith(codecs.BOM_UTF8):
        decoded = Decoded(data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        decoded = Decoded(data.decode("utf-16", errors="replace"), "utf-16")
    else:
        if b"\x00" in data[:65536]:
            raise FiclensError(ErrorCode.E001, "it contains NUL bytes (binary data)")
        try:
            decoded = Decoded(data.decode("utf-8"), "utf-8")
        except UnicodeDecodeError:
            decoded = _guess(data)
    if _control_share(decoded.text) > _MAX_CONTROL_SHARE:
        raise FiclensError(ErrorCode.E001, "it is mostly control characters (binary data)")
    return decoded


def _guess(data: bytes) -> Decoded:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is None or best.encoding is None:
        raise FiclensError(ErrorCode.E001, "no text encoding fits its bytes")
    encoding = best.encoding
    sample = data[:100_000]
    mostly_ascii = sum(b < 0x80 for b in sample) >= 0.9 * len(sample)
    if mostly_ascii and _single_byte(encoding) and _decodes(data, "cp1252"):
        # Mostly-English text in a one-byte code page is nearly always
        # Windows-1252; the detector's finer guesses (Baltic, say) misread its accents.
        encoding = "cp1252"
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        # The sample fitted but the whole file does not: keep what decodes.
        text = data.decode(encoding, errors="replace")
    return Decoded(text, encoding, f"not UTF-8; decoded as {encoding} (guessed)")


def _single_byte(encoding: str) -> bool:
    name = codecs.lookup(encoding).name
    return name.startswith(("cp125", "iso8859", "latin", "mac-", "cp437", "cp850", "koi8"))


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True
