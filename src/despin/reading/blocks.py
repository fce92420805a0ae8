"""Cut huge texts into blocks at paragraph, sentence or line boundaries, with global offsets.

``"".join(block for _, block in iter_blocks(text)) == text`` always holds, and
each offset is the block's character offset in the whole text, so findings
made block by block can be reported against the original.
"""
from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import Path

from .boilerplate import find_boilerplate
from .document import byte_order_mark
from .errors import InputError, os_error

DEFAULT_TARGET = 200_000
_LAST_SPACE = re.compile(r".*\s", re.DOTALL)  # greedy: ends after the last whitespace
_SENTENCE_ENDS = tuple(mark + space for mark in ".!?" for space in (" ", "\n", "\r"))
_FIRST_SPACE = re.compile(r"\s")
_FURNITURE_REACH = 4096  # characters before a cut searched for furniture ending there


def _cut(text: str, pos: int, target: int, final: bool) -> int | None:
    """Where the block starting at ``pos`` should end, or None for "the rest"; never right after
    autoblog furniture, which at a block's end would read as the text's closing furniture (a
    "Source link" line mid-text taken for the closing one, an ad marker taking the blank line
    before it): the cut moves to before it, and the next block starts with it."""
    end = _boundary(text, pos, target, final)
    if end is None:
        return None
    tail_start = max(pos, end - _FURNITURE_REACH)
    spans = find_boilerplate(text[tail_start:end])
    if not spans or spans[-1].end != end - tail_start:
        return end
    n = len(spans) - 1
    while n > 0 and spans[n - 1].end == spans[n].start:
        n -= 1
    moved = tail_start + spans[n].start
    if moved > pos:
        return moved
    # The block would be furniture alone: it goes with the next block's text instead.
    return _cut(text, end, target, final) if end < len(text) else end


def _boundary(text: str, pos: int, target: int, final: bool) -> int | None:
    """Where the block starting at ``pos`` should end, or None for "the rest".

    Only ``text[pos:pos + target + 2]`` is looked at unless no whitespace is
    found there, in which case the first whitespace after it is used; with
    ``final`` False, None means "need more text" in that case.
    """
    hi = pos + target
    if len(text) <= hi:
        return None  # the rest fits
    floor = pos + max(1, target // 4)  # don't make tiny blocks if a later boundary exists
    for lo in (floor, pos + 1):
        # A phrase across blocks is read as two halves and missed: after a blank line, then
        # after a sentence, and only then after any line break, which a hard-wrapped phrase
        # ("counterfeit\nconsciousness") may hold.
        for after in (_after_blank_line, _after_sentence, _after_line_break):
            end = after(text, lo, hi)
            if end > pos:
                return end
    m = _LAST_SPACE.match(text, pos + 1, hi)
    if m:
        return _after_space(text, m.end())
    m = _FIRST_SPACE.search(text, hi)
    if m is None:
        return None
    end = _after_space(text, m.end())
    if not final and end >= len(text) - 1:
        return None
    return end


def _after_blank_line(text: str, lo: int, hi: int) -> int:
    """Where the last blank line in ``text[lo:hi]`` ends, or -1."""
    best = -1
    for pattern in ("\n\n", "\n\r\n"):
        i = text.rfind(pattern, lo, hi)
        if i >= 0:
            best = max(best, i + len(pattern))
    return best


def _after_sentence(text: str, lo: int, hi: int) -> int:
    """Where the space or line break after the last sentence end in ``text[lo:hi]`` ends, or -1."""
    i = max(text.rfind(end, lo, hi) for end in _SENTENCE_ENDS)
    return _after_space(text, i + 2) if i >= 0 else -1


def _after_line_break(text: str, lo: int, hi: int) -> int:
    """Where the last line break in ``text[lo:hi]`` ends, or -1."""
    i = text.rfind("\n", lo, hi)
    return i + 1 if i >= 0 else -1


def _after_space(text: str, end: int) -> int:
    # don't split "\r\n"
    if text[end - 1] == "\r" and end < len(text) and text[end] == "\n":
        return end + 1
    return end


def iter_blocks(text: str, target_chars: int = DEFAULT_TARGET) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, block)`` pairs that concatenate back to ``text``.

    Blocks end after a blank line where possible, else after a sentence's end, else after a
    line break, else after whitespace, so no word is ever cut, and a phrase only where a
    stretch of ``target_chars`` holds neither a blank line nor a sentence's end.  A block is
    at most about ``target_chars`` long unless a single line-free, space-free run is longer.
    """
    if target_chars < 1:
        raise ValueError("target_chars must be positive")
    pos = 0
    while pos < len(text):
        end = _cut(text, pos, target_chars, final=True)
        if end is None:
            end = len(text)
        yield pos, text[pos:end]
        pos = end


def iter_file_blocks(
    path: str | Path, target_chars: int = DEFAULT_TARGET, chunk_bytes: int = 1 << 20
) -> Iterator[tuple[int, str]]:
    """Like :func:`iter_blocks` on a UTF-8 file, reading it incrementally.

    A UTF-8 BOM is dropped; a UTF-16 or UTF-32 BOM is honoured.  The first undecodable
    byte raises :class:`InputError` naming its byte offset, as soon as it is
    reached (blocks before it have already been yielded).
    """
    if target_chars < 1:
        raise ValueError("target_chars must be positive")
    source = str(path)
    try:
        fh = open(path, "rb")
    except OSError as exc:
        raise os_error(source, exc) from None
    with fh:
        first = fh.read(chunk_bytes)
        bom, codec, name = byte_order_mark(first)
        skip = len(bom)
        if codec == "utf-8" and b"\x00" in first[skip:skip + 8192]:
            raise InputError(source, "looks like a binary file (NUL bytes), not text")
        decoder = codecs.getincrementaldecoder(codec)("strict")
        consumed = skip  # bytes handed to the decoder so far
        pending = ""
        offset = 0  # character offset of pending[0] in the whole text
        data = first[skip:]
        while True:
            nxt = fh.read(chunk_bytes) if data else b""
            final = not nxt
            buffered = len(decoder.getstate()[0])
            try:
                pending += decoder.decode(data, final=final)
            except UnicodeDecodeError as exc:
                where = consumed - buffered + exc.start
                raise InputError(source, f"not valid {name} at byte {where}") from None
            consumed += len(data)
            # emit as many blocks as the buffered text allows
            pos = 0
            while len(pending) - pos > target_chars + 1:
                end = _cut(pending, pos, target_chars, final=False)
                if end is None:
                    break
                yield offset + pos, pending[pos:end]
                pos = end
            if pos:
                offset += pos
                pending = pending[pos:]
            if final:
                break
            data = nxt
        for o, block in iter_blocks(pending, target_chars):
            yield offset + o, block
