"""Word tokens with character offsets, and sentence boundaries."""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# A word keeps its inner apostrophes and hyphens ("Know-how", "don't"); digits form their own tokens.
WORD_OR_NUMBER = r"[^\W\d_]+(?:['’\-][^\W\d_]+)*|\d+(?:[.,]\d+)*"
_TOKEN = re.compile(WORD_OR_NUMBER + r"|\S", re.UNICODE)
MAX_SENTENCE_CHARS = 1500  # about 250 words
# A blank line between two stretches of text, whose lines end in "\n", "\r\n" or an old Mac
# "\r": no phrase or clause runs across one (a heading, a paragraph without a full stop).
BLANK_LINE = re.compile(r"\n[^\S\n]*\n|\r[^\S\r\n]*\r")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*\n")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.text[0].isalpha()


def tokenize(text: str, offset: int = 0) -> list[Token]:
    return [Token(m.group(), m.start() + offset, m.end() + offset) for m in _TOKEN.finditer(text)]


def hyphen_parts(words: Sequence[Token]) -> tuple[list[Token], list[int]]:
    """The word tokens with each hyphenated word cut into its parts, and the index of the word
    each part came from."""
    parts, of = [], []
    for n, word in enumerate(words):
        if "-" not in word.text:
            parts.append(word)
            of.append(n)
            continue
        offset = word.start
        for piece in word.text.split("-"):
            parts.append(Token(piece, offset, offset + len(piece)))
            of.append(n)
            offset += len(piece) + 1
    return parts, of


def sentences(text: str, longest: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """Character ranges of sentences; paragraph breaks always end a sentence, and a run longer
    than `longest` characters (a list, a page without punctuation) is cut at spaces, since the
    model reads each range whole and its cost grows with the length."""
    spans = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > start:
            spans += _cut(text, start, m.start(), longest)
        start = m.end()
    if start < len(text) and text[start:].strip():
        spans += _cut(text, start, len(text), longest)
    return spans


def _cut(text: str, start: int, end: int, longest: int) -> list[tuple[int, int]]:
    pieces = []
    while end - start > longest:
        space = text.rfind(" ", start + 1, start + longest)
        cut = space if space > start else start + longest
        pieces.append((start, cut))
        start = cut + 1 if space > start else cut
    if end > start:
        pieces.append((start, end))
    return pieces


def rewritten(text: str, start: int, end: int, changes: Iterable[tuple[int, int, str]]) -> str:
    """text[start:end] with each (start, end, new text) change in place; changes in text order,
    inside the range, not overlapping."""
    pieces = []
    for a, b, new in changes:
        pieces += [text[start:a], new]
        start = b
    pieces.append(text[start:end])
    return "".join(pieces)
