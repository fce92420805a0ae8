"""Spun text and file names come from the open web: never let them drive the terminal, and
write them as valid UTF-8."""
from __future__ import annotations

import re

import regex

# Control characters (escape sequences start with ESC) but tab; line breaks, since everything
# printed through here is one line of a report and a span or a file name that holds one could
# split that line or forge another (U+2028 and U+2029 too, which editors and log tools break
# at); every invisible format character (bidi marks and overrides, zero-width characters, the
# soft hyphen, tag characters), which could make a line lie about its content and which disguise
# a word, so a report must show them; and lone surrogates, the bytes of a file name that is not
# UTF-8, which no UTF-8 output can hold.
_CONTROL = regex.compile(r"(?V1)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}--[\t]]")
_NAMED = {"\n": "\\n", "\r": "\\r"}
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def valid_utf8(text: str) -> str:
    """`text` with each lone surrogate as U+FFFD, so that it can be written or stored as UTF-8.

    Surrogates come from file names that are not UTF-8 (Python holds each undecodable byte as
    one), from JSON escapes ("\\ud800") and from PDF fonts that map a glyph to one; a valid pair
    never reaches a str as two code points.
    """
    return _SURROGATE.sub("\ufffd", text)


def printable(text: str) -> str:
    """One line of a report, in valid UTF-8: control, line-break, invisible and surrogate
    characters replaced by visible escapes (\\n, \\u202e, \\U000e0041, \\udcff)."""
    return _CONTROL.sub(lambda m: _NAMED.get(m.group()) or _escape(m.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
