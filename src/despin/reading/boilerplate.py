"""Autoblog furniture: `[ad_1]`-style ad markers and a closing "Source link".

Spinning autoblogs paste a rewritten article between WordPress ad shortcodes
and end it with a link to the page they copied.  These spans are reported
(they are evidence of an autoblog, and the link may name the source) and kept
out of spin detection.

Each span's ``text`` is exactly ``text[start:end]``.  A marker alone on its
line takes its line break (and the blank lines after it) along, so that
:func:`strip_boilerplate` leaves clean paragraphs.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from despin.types import Boilerplate

_AD = re.compile(r"\[\s*ad_\d+\s*\]", re.IGNORECASE)
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r|\Z)")  # a line with its break: "\r\n", "\n" or an old Mac "\r"
_SOURCE_LINK = re.compile(
    r"""^[ \t]*source[ \t]+link[ \t]*(?:[:\-\u2013\u2014|][ \t]*)?
        (?:<?(?:https?://|www\.)\S+?>?)?[ \t]*$""",
    re.IGNORECASE | re.VERBOSE,
)
_URL_LINE = re.compile(r"^[ \t]*<?(?:https?://|www\.)\S+?>?[ \t]*$", re.IGNORECASE)


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, the end after its line break."""
    spans = []
    for m in _LINE.finditer(text):
        if m.start() == m.end():  # the empty match at the very end
            break
        spans.append((m.start(), m.end()))
    return spans


def _blank(text: str, span: tuple[int, int]) -> bool:
    return not text[span[0]:span[1]].strip()


def _ad_only(text: str, span: tuple[int, int]) -> bool:
    line = text[span[0]:span[1]]
    return bool(line.strip()) and not _AD.sub("", line).strip()


def find_boilerplate(text: str) -> list[Boilerplate]:
    """Ad markers anywhere and a closing "Source link" line, in text order."""
    lines = _lines(text)
    found: list[tuple[int, int, str]] = []

    # A closing "Source link" (optionally with its URL, on the same or the next line),
    # possibly followed only by blank lines and ad markers.
    source_span = None
    i = len(lines) - 1
    while i >= 0 and (_blank(text, lines[i]) or _ad_only(text, lines[i])):
        i -= 1
    if i >= 0:
        line = text[lines[i][0]:lines[i][1]].rstrip("\r\n")
        first = None
        if _SOURCE_LINK.match(line):
            first = i
        elif _URL_LINE.match(line):
            j = i - 1
            if j >= 0 and _SOURCE_LINK.match(text[lines[j][0]:lines[j][1]].rstrip("\r\n")):
                first = j
        if first is not None:
            start = lines[first][0]
            end = lines[i][1]
            k = i + 1  # trailing blank lines go with it, up to the next ad marker
            while k < len(lines) and _blank(text, lines[k]):
                end = lines[k][1]
                k += 1
            source_span = (start, end)

    for idx, (ls, le) in enumerate(lines):
        markers = list(_AD.finditer(text, ls, le))
        if not markers:
            continue
        if _ad_only(text, (ls, le)):
            end = le
            k = idx + 1  # the blank lines after a marker line go with it
            while k < len(lines) and _blank(text, lines[k]):
                end = lines[k][1]
                k += 1
            prev = ls
            for n, m in enumerate(markers):
                stop = end if n == len(markers) - 1 else m.end()
                found.append((prev, stop, "ad-marker"))
                prev = stop
            continue
        for m in markers:
            start, end = m.start(), m.end()
            # take adjacent horizontal space so "a [ad_1] b" becomes "a b"
            after = end
            while after < le and text[after] in " \t":
                after += 1
            if after > end and (after == le or text[after] in "\r\n" or start == ls or text[start - 1] in " \t"):
                end = after
            elif after == end:
                before = start
                while before > ls and text[before - 1] in " \t":
                    before -= 1
                start = before
            found.append((start, end, "ad-marker"))

    if source_span is not None:
        found.append((source_span[0], source_span[1], "source-link"))

    # resolve overlaps: earlier spans keep their text, later ones are clipped
    found.sort()
    clipped: list[list] = []
    last_end = 0
    for start, end, kind in found:
        start = max(start, last_end)
        if end <= start:
            continue
        clipped.append([start, end, kind])
        last_end = end

    # Furniture that runs to the end of the text also takes the blank lines
    # before it, so that stripping leaves no trailing blank line.
    if clipped and clipped[-1][1] == len(text):
        n = len(clipped) - 1
        while n > 0 and clipped[n - 1][1] == clipped[n][0]:
            n -= 1
        clipped[n][0] = _back_over_blank_lines(text, clipped[n][0], clipped[n - 1][1] if n else 0)

    return [Boilerplate(s, e, text[s:e], kind) for s, e, kind in clipped]


def _back_over_blank_lines(text: str, pos: int, floor: int) -> int:
    """Move ``pos`` (a line start) back over whole blank lines, not below ``floor``."""
    if pos > 0 and text[pos - 1] != "\n":
        return pos  # not at a line start (an inline marker)
    while pos > floor and text[pos - 1] == "\n":
        q = text.rfind("\n", 0, pos - 1) + 1
        if q < floor or text[q:pos].strip():
            break
        pos = q
    return pos


def strip_boilerplate(text: str, spans: Iterable[Boilerplate]) -> str:
    """``text`` without the given spans; everything else is kept byte for byte.

    A marker written flush between two words ("peril[ad_3]today") leaves one
    space, since the words were two before the marker went.
    """
    parts = []
    pos = 0
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        start = max(span.start, pos)
        if span.end <= start:
            continue
        parts.append(text[pos:start])
        if 0 < start and span.end < len(text) and text[start - 1].isalnum() and text[span.end].isalnum():
            parts.append(" ")
        pos = span.end
    parts.append(text[pos:])
    return "".join(parts)
