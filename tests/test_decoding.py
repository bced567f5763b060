"""Bytes -> text: every encoding reports arrive in, mojibake repair, and what is refused."""
from __future__ import annotations

import codecs
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.core.decoding import DecodeError, decode

REPORT = "# Café report\n\n## 1. Naïve “quotes” — and learners’ needs\nText.\n"


@pytest.mark.parametrize("data", [
    pytest.param(REPORT.encode("utf-8"), id="utf-8"),
    pytest.param(codecs.BOM_UTF8 + REPORT.encode("utf-8"), id="utf-8 with BOM"),
    pytest.param(codecs.BOM_UTF16_LE + REPORT.encode("utf-16-le"), id="utf-16-le with BOM"),
    pytest.param(codecs.BOM_UTF16_BE + REPORT.encode("utf-16-be"), id="utf-16-be with BOM"),
    pytest.param(REPORT.encode("utf-16-le"), id="utf-16-le without BOM"),
    pytest.param(REPORT.encode("utf-16-be"), id="utf-16-be without BOM"),
    pytest.param(REPORT.encode("cp1252"), id="windows-1252"),
])
def test_every_encoding_gives_the_same_text(data):
    assert decode(data) == REPORT


def test_latin1_text_that_is_not_utf8():
    assert decode("Résumé of the año\n".encode("latin-1")) == "Résumé of the año\n"


def test_cp1252_bytes_it_leaves_undefined_are_kept():
    data = b"It\x92s a long enough line of text with one odd \x81 byte in it.\n"
    assert decode(data) == "It’s a long enough line of text with one odd \x81 byte in it.\n"


@pytest.mark.parametrize("data", [b"a\r\nb\r\n\r\nc", b"a\rb\r\rc", b"a\nb\r\n\rc"])
def test_line_ends_become_lf(data):
    assert "\r" not in decode(data)
    assert decode(data).split("\n")[0] == "a"


def test_mojibake_is_repaired():
    # (” is left out: its UTF-8 bytes hold 0x9D, which Windows-1252 leaves undefined)
    original = "individual learners’ speed — “fast“ 🚀 naïve"
    mojibake = original.encode("utf-8").decode("cp1252")
    assert "learnersâ€™" in mojibake
    assert decode(mojibake.encode("utf-8")) == original


def test_seed_style_mojibake_line():
    assert decode("adapts to individual learnersâ€™ speed.".encode("utf-8")) == \
        "adapts to individual learners’ speed."


@pytest.mark.parametrize("text", [
    "Curly “double” and ‘single’ quotes, learners’ needs",
    "Accents: naïve café, Ærøskøbing, São Paulo, Ünïcödé, Łódź",
    "Symbols: 21–26 °C, ₹5,000, €10, ½ cup, ™ and ©, ≥ 3 × 4",
    "Emoji 🚀📊👥 and CJK 日本語のテキスト, 中文, 한국어",
    "Ligature ﬁ and full-width ＡＢＣ stay as written",
    "HTML entity &amp; stays escaped, as in the file",
    "Greek αβγ, Cyrillic Привет, Arabic مرحبا",
])
def test_ftfy_leaves_legitimate_text_alone(text):
    assert decode(text.encode("utf-8")) == text


def test_a_few_invalid_bytes_in_utf8_are_replaced_not_fatal():
    data = "## Naïve café\n".encode("utf-8") * 50 + b"bad \xff\xfe byte\n"
    text = decode(data)
    assert text.startswith("## Naïve café\n")
    assert "bad" in text and "byte" in text


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (codecs.BOM_UTF8, "empty file"),
    (b"  \n\t\r\n  ", "empty file (only whitespace)"),
    (codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"), "empty file (only whitespace)"),
    (b"\x89PNG\r\n\x1a\n" + os.urandom(200), "binary file (PNG image)"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "binary file (PDF document)"),
    (b"PK\x03\x04" + bytes(100), "binary file (zip archive or Office document)"),
    (b"\xff\xd8\xff\xe0" + bytes(50), "binary file (JPEG image)"),
    (b"# Title\x00\x01\x02\x03 some text \x00\x00\xff\x10", "binary file (contains NUL bytes)"),
    (bytes(range(1, 32)) * 20 + b"text", "not text: undecodable bytes"),
])
def test_what_is_not_a_text_report_is_refused_with_a_reason(data, reason):
    with pytest.raises(DecodeError) as caught:
        decode(data)
    assert caught.value.reason == reason
    assert str(caught.value) == reason
    assert isinstance(caught.value, ValueError)


def test_random_binary_is_refused():
    data = bytes((i * 97 + 13) % 256 for i in range(4096))
    with pytest.raises(DecodeError, match="binary|not text"):
        decode(data)


@given(st.binary(max_size=400))
def test_any_bytes_give_text_or_a_decode_error(data):
    try:
        text = decode(data)
    except DecodeError as error:
        assert error.reason
    else:
        assert text.strip() and "\r" not in text
