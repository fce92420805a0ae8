"""Split text into the tokens fingerprints and alignment work on, each with its kind.

Kinds tell what a spinner does to a token: ``num`` (numbers) and ``name`` (capitalised words
that are not ordinary words starting a sentence) are left alone, ``stop`` (function words) are
rarely touched, ``word`` (content words) are the ones swapped; their ``form`` is the
synonym-class canonical form from :mod:`despin.index.canon`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from despin.decoding.tokens import WORD_OR_NUMBER
from despin.index.canon import canon_table
from despin.reading.disguise import unmask

_TOKEN = re.compile(WORD_OR_NUMBER, re.UNICODE)
_SENTENCE_BREAK = re.compile(r"[.!?:;\"“”()\[\]\n]")

STOPWORDS = frozenset(
    """a about above after again against all almost also although always am among an and another any
    are around as at be because been before being below between both but by can could did do does
    doing down during each either else ever every few for from further had has have having he her
    here hers herself him himself his how however i if in into is it its itself just least less
    many may me might more most much must my myself neither no nor not now of off often on once
    one only or other others our ours ourselves out over own per rather same several she should
    since so some such than that the their theirs them themselves then there these they this those
    though through thus to too under until up upon us very was we were what when where whether which
    while who whom whose why will with within without would yet you your yours yourself""".split()
)


@dataclass(frozen=True, slots=True)
class Token:
    form: str  # what is compared: canonical form, or the lowercased word / number
    kind: str  # "word" | "stop" | "name" | "num"
    start: int  # character offsets in the analysed text
    end: int


def analyse(text: str) -> list[Token]:
    """The tokens of `text`, with disguised words (an invisible character inside, Cyrillic letters
    posing as Latin ones) read as their plain letters; offsets index `text` as given."""
    view = unmask(text)
    tokens = _analyse(view.text)
    if not view.changed:
        return tokens
    return [Token(t.form, t.kind, *view.raw_span(t.start, t.end)) for t in tokens]


def _analyse(text: str) -> list[Token]:
    table = canon_table()
    tokens: list[Token] = []
    last_end = 0
    for m in _TOKEN.finditer(text):
        raw = m.group()
        start, end = m.span()
        if raw[0].isdigit():
            tokens.append(Token(raw.replace(",", ""), "num", start, end))
            last_end = end
            continue
        lower = raw.lower().replace("’", "'")
        if lower in STOPWORDS:
            kind, form = "stop", lower
        elif raw[0].isupper() and not (_sentence_start(text, last_end, start, bool(tokens)) and lower in table):
            kind, form = "name", lower
        else:
            kind, form = "word", table.get(lower, lower)
        tokens.append(Token(form, kind, start, end))
        last_end = end
    return tokens


def _sentence_start(text: str, prev_end: int, start: int, any_before: bool) -> bool:
    if not any_before:
        return True
    return bool(_SENTENCE_BREAK.search(text, prev_end, start))
