"""Phrase frequencies: how established a wording is, on the Zipf scale (log10 per billion words).

Counts come from installed packages only: wordsegment's web bigrams, WordNet's glosses and
multi-word names, the `build` part of the offline Wikipedia summaries, and the expected terms of
the `dev` fingerprints. Phrases are kept as 64-bit hashes in sorted numpy arrays, so the table
loads in milliseconds and whole sentences are looked up in one vectorised call.
"""
from __future__ import annotations

import hashlib
import math
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

import numpy as np
from wordfreq import zipf_frequency

from despin.cache import cached_file, notice
from despin.candidates.fingerprints import load_fingerprints, words_of
from despin.scoring import corpora

_WEB_TOKENS = 1_024_908_267_229  # wordsegment's counts come from a trillion-word web crawl
# A phrase seen once in a small corpus is weaker evidence than the same share of a huge one.
_SMALL_CORPUS_PENALTY = 1.0
_TERM_ZIPF = 2.5  # a listed name or term counts as an established wording


def phrase_key(words: Sequence[str]) -> int:
    return int.from_bytes(hashlib.blake2b(" ".join(words).encode(), digest_size=8).digest(), "little")


def _zipf(count: float, total: float) -> float:
    return math.log10(count / total * 1e9)


def _count_bigrams(texts: Iterable[str]) -> tuple[Counter, int]:
    counts: Counter = Counter()
    tokens = 0
    for text in texts:
        for clause in corpora.clauses(text):
            words = words_of(clause)
            tokens += len(words)
            counts.update(zip(words, words[1:]))
    return counts, tokens


def _terms() -> Iterable[str]:
    from despin.candidates.wordnet import load_wordnet

    for name in load_wordnet().all_lemma_names():
        if "_" in name:
            yield name.replace("_", " ")
    for title, _ in corpora.wiki_summaries("build"):
        yield title
    for fp in load_fingerprints(("dev",)):
        yield fp.restoration


def build(path: Path) -> None:
    notice("counting phrases in WordNet, Wikipedia summaries and web bigrams (once, about a minute)...")
    best: dict[int, float] = {}

    def keep(words: Sequence[str], zipf: float) -> None:
        key = phrase_key(words)
        if zipf > best.get(key, -99.0):
            best[key] = zipf

    web = resources.files("wordsegment").joinpath("bigrams.txt")
    with web.open(encoding="utf-8") as handle:
        for line in handle:
            pair, _, count = line.rpartition("\t")
            keep(pair.split(" "), _zipf(int(count), _WEB_TOKENS))
    for texts in (corpora.wordnet_prose(), (text for _, text in corpora.wiki_summaries("build"))):
        counts, tokens = _count_bigrams(texts)
        for pair, count in counts.items():
            keep(pair, _zipf(count, tokens) - _SMALL_CORPUS_PENALTY)
    terms = 0
    for term in _terms():
        words = words_of(term)
        if 1 < len(words) <= 6:
            keep(words, _TERM_ZIPF)
            keep(("#term",) + words, _TERM_ZIPF)
            terms += 1
    keys = np.fromiter(best.keys(), dtype=np.uint64, count=len(best))
    values = np.fromiter(best.values(), dtype=np.float32, count=len(best))
    order = np.argsort(keys)
    tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")  # builders in other processes may race
    np.savez(tmp, keys=keys[order], zipf=values[order])
    tmp.replace(path)


class PhraseTable:
    """Zipf frequencies of single words (wordfreq) and of multi-word phrases (the compiled table)."""

    def __init__(self, path: Path | None = None):
        path = path or cached_file("phrases.npz")
        if not path.exists():
            build(path)
        with np.load(path) as data:
            self._keys = data["keys"]
            self._zipf = data["zipf"]
        self._word_cache: dict[str, float] = {}

    def word(self, word: str) -> float:
        cached = self._word_cache.get(word)
        if cached is None:
            cached = self._word_cache[word] = zipf_frequency(word, "en", wordlist="best")
        return cached

    def phrases(self, phrases: Sequence[Sequence[str]]) -> np.ndarray:
        """Zipf frequency of each phrase (NaN where unattested)."""
        if not phrases:
            return np.zeros(0, dtype=np.float32)
        keys = np.fromiter((phrase_key(p) for p in phrases), dtype=np.uint64, count=len(phrases))
        idx = np.searchsorted(self._keys, keys)
        idx[idx >= len(self._keys)] = 0
        found = self._keys[idx] == keys
        return np.where(found, self._zipf[idx], np.nan)

    def phrase(self, words: Sequence[str]) -> float | None:
        value = float(self.phrases([words])[0])
        return None if math.isnan(value) else value

    def is_term(self, words: Sequence[str]) -> bool:
        """Whether the words form a listed name or term (WordNet, Wikipedia title, dev term)."""
        return self.phrase(("#term", *words)) is not None
