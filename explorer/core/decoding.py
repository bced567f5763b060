"""Bytes of a report file -> clean text, or a plain-English reason why it is not a text report.

Reports come from many tools: UTF-8 with or without BOM, UTF-16 from Windows editors, legacy
Windows-1252, and text that was already mis-decoded once (`learnersâ€™`). Everything ends as
`str` with LF line ends and the mojibake repaired, so the parser sees one kind of text.
"""
from __future__ import annotations

import codecs
import re

import ftfy

__all__ = ["DecodeError", "decode"]


class DecodeError(ValueError):
    """The bytes are not a text report; `reason` says why, for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# Signatures of the binary formats most likely to be renamed or saved as .txt/.md by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "zip archive or Office document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document"),
    (b"\x7fELF", "executable"),
    (b"MZ\x90\x00", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
)

# Longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control characters that never occur in a written report (tab, LF, CR and form feed do),
# plus U+FFFD, which decoding leaves where bytes made no sense.
_JUNK = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
_MAX_JUNK_SHARE = 0.05     # random binary data has ~15% of them; real text has almost none

# Windows-1252 for 0x80-0x9F where it defines a character, Latin-1 elsewhere: total, so no
# byte is ever lost, and the curly quotes Word writes as 0x93/0x94 come out right.
_CP1252_UNDEFINED = frozenset({0x81, 0x8D, 0x8F, 0x90, 0x9D})
_CP1252_C1 = {i: bytes([i]).decode("cp1252") for i in range(0x80, 0xA0)
              if i not in _CP1252_UNDEFINED}

# Only undo mis-decoding: leave quotes curly, widths, ligatures, HTML entities and
# normalisation alone, so legitimate text comes back exactly as written.
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


def decode(data: bytes) -> str:
    """Decode a report file's bytes to text with LF line ends and mojibake repaired.

    Raises DecodeError for empty files and for data that is not text.
    """
    if not data:
        raise DecodeError("empty file")
    kind = _binary_kind(data)
    if kind:
        raise DecodeError(f"binary file ({kind})")
    text = _to_str(data)
    if not text:
        raise DecodeError("empty file")
    if not text.strip():
        raise DecodeError("empty file (only whitespace)")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Repair first: text mis-decoded as Latin-1 carries C1 controls that are not junk.
    # ASCII text cannot hold mojibake, and skipping ftfy saves most of the decoding time.
    if not text.isascii():
        text = ftfy.fix_text(text, _FTFY)
    if _junk_share(text) > _MAX_JUNK_SHARE:
        raise DecodeError("not text: undecodable bytes")
    return text


def _binary_kind(data: bytes) -> str | None:
    """What binary format the data starts with, if a known one."""
    return next((name for magic, name in _MAGIC if data.startswith(magic)), None)


def _to_str(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    if b"\x00" in data:
        return _from_utf16_guess(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _from_broken_utf8_or_legacy(data)


def _from_utf16_guess(data: bytes) -> str:
    """UTF-16 without BOM: mostly-ASCII text has a NUL in every other byte, on one side."""
    sample = data[:65536]
    even_nuls = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd_nuls = sample[1::2].count(0) / max(1, len(sample[1::2]))
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return data.decode("utf-16-le", errors="replace")
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return data.decode("utf-16-be", errors="replace")
    raise DecodeError("binary file (contains NUL bytes)")


def _from_broken_utf8_or_legacy(data: bytes) -> str:
    """UTF-8 with a few bad bytes stays UTF-8 (best effort); otherwise it is Windows-1252."""
    as_utf8 = data.decode("utf-8", errors="replace")
    bad = as_utf8.count("\ufffd")
    non_ascii = len(as_utf8) - len(as_utf8.encode("ascii", errors="ignore"))
    good = non_ascii - bad
    if good > bad:
        return as_utf8
    return data.decode("latin-1").translate(_CP1252_C1)


def _junk_share(text: str) -> float:
    return _JUNK.subn("", text)[1] / len(text)
