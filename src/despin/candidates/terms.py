"""Listed terms that a spun phrase is a few thesaurus swaps away from.

A span's per-word readings keep only each word's best originals (Settings.max_options), so a
term whose word the thesauri list far down is never built: "malevolent" keeps no "malignant",
and "malevolent tumor" was restored as "evil tumor". A listed name or term (ngrams.listed_terms)
is strong evidence in itself, so every original the sources list for each word of a span is
tried against the list, not only the kept ones. The term list is read on first use.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

from despin.candidates.fingerprints import Fingerprint, words_of

# Spans of this many words are matched against terms of the same length.
LENGTHS = range(2, 5)


class TermIndex:
    """Listed terms of two to four words, by length and last word."""

    def __init__(self, dev_rows: Callable[[Fingerprint], bool] | None = None,
                 terms: Iterable[str] | None = None):
        """`dev_rows` narrows the `dev` fingerprints whose expected phrases count, as for the
        phrase table; `terms` replaces the listed terms (tests)."""
        self._dev_rows = dev_rows
        self._given = terms
        self._by_last: dict[tuple[int, str], list[tuple[str, ...]]] | None = None

    def _index(self) -> dict[tuple[int, str], list[tuple[str, ...]]]:
        if self._by_last is None:
            from despin.scoring.ngrams import listed_terms

            index: defaultdict[tuple[int, str], set[tuple[str, ...]]] = defaultdict(set)
            for term in self._given if self._given is not None else listed_terms(self._dev_rows):
                words = words_of(term)
                if len(words) in LENGTHS:
                    index[len(words), words[-1]].add(words)
            self._by_last = {key: sorted(terms) for key, terms in index.items()}
        return self._by_last

    def ending_in(self, length: int, lasts: Iterable[str]) -> Iterator[tuple[str, ...]]:
        """Terms of `length` words whose last word is one of `lasts`."""
        index = self._index()
        for last in lasts:
            yield from index.get((length, last), ())
