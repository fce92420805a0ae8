"""Spun text and file names come from the open web: never let them drive the terminal, and
write them as valid UTF-8."""
from __future__ import annotations

import re

# C0/C1 control characters (escape sequences start with ESC), keeping only tab; line breaks,
# since everything printed through here is one line of a report and a span or a file name that
# holds one could split that line or forge another; bidi overrides; and the invisible characters
# that disguise a word (zero-width space, joiners, word joiner, byte-order mark, soft hyphen),
# which a report must show.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\xad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
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
    """One line of a report: control, line-break, bidi-override and invisible characters
    replaced by visible escapes."""
    return _CONTROL.sub(lambda m: _NAMED.get(m.group()) or f"\\u{ord(m.group()):04x}", text)
