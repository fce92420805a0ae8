"""What acronyms stand for: a candidate source for the words an acronym follows.

Spinners swap words and leave acronyms alone, so "focal insight organization (CIA)" still says
what it was: the Central Intelligence Agency. Expansions come from installed data only: WordNet
synsets that hold both an acronym and a multi-word name spelling it (CIA, Central Intelligence
Agency), definitions in the `build` part of the Wikipedia summaries ("the European Union (EU)"),
and the `dev` fingerprints whose tortured phrase ends in the initials of their expected phrase
("irregular woodland rf" -> RF, random forest). The first two are compiled once into the cache
folder; the fingerprints are read at load time, so that tuning can hold rows out.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from despin.cache import compiled_text
from despin.candidates.fingerprints import Fingerprint, load_fingerprints, words_of

_FILE = "expansions.json"
# Words an expansion may leave out of its letters ("Bureau of Labor Statistics", BLS).
SKIPPED = frozenset({"of", "and", "the", "for", "in", "on", "to", "a", "an", "&"})
# A definition in prose: some words, then the acronym in parentheses.
_DEFINED = re.compile(r"((?:[^\W\d_][\w'’-]*[ \t]+){1,10})\(([A-Z][A-Za-z]{1,7})\)")


def initials(words: Iterable[str], skips: bool) -> str:
    """First letters of the words and of each part of a hyphenated word ("k-nearest" -> "kn"),
    leaving the function words out when `skips`."""
    return "".join(part[0] for word in words if not (skips and word.lower() in SKIPPED)
                   for part in word.lower().split("-") if part)


def spells(words: tuple[str, ...], letters: str) -> bool:
    return any(initials(words, skips) == letters for skips in (False, True))


def _plural_in_capitals(text: str) -> bool:
    return len(text) > 2 and text.endswith("s") and text[:-1].isupper()  # "CVDs", "WSNs"


def in_capitals(text: str) -> bool:
    """Whether a token is written as an acronym is: in capitals, a plural "s" allowed."""
    return text.isupper() or _plural_in_capitals(text)


def acronym_letters(acronym: str) -> str:
    """The letters an acronym stands for, lower case, a plural "s" left out ("CVDs" -> "cvd")."""
    if _plural_in_capitals(acronym):
        acronym = acronym[:-1]
    return acronym.lower()


@dataclass(frozen=True)
class Expansions:
    """Acronym letters -> the multi-word names they stand for, commonest first, each with where
    it was read."""

    table: Mapping[str, tuple[tuple[tuple[str, ...], str], ...]]

    def of(self, letters: str) -> tuple[tuple[tuple[str, ...], str], ...]:
        return self.table.get(letters, ())


def _defined(word_runs: Iterable[tuple[tuple[str, ...], str]]) -> Iterable[tuple[str, tuple[str, ...]]]:
    """(letters, expansion) for each run of words followed by its acronym: the shortest tail of the
    run that spells it and starts with no function word."""
    for words, acronym in word_runs:
        letters = acronym_letters(acronym)
        for size in range(2, len(words) + 1):
            tail = words[-size:]
            if tail[0] not in SKIPPED and spells(tail, letters):
                yield letters, tail
                break


def _wordnet_pairs() -> Iterable[tuple[str, tuple[str, ...]]]:
    from despin.candidates.wordnet import load_wordnet

    for synset in load_wordnet().all_synsets():
        names = [lemma.name() for lemma in synset.lemmas()]
        short = [n for n in names if n.isalpha() and 2 <= len(n) <= 8]
        for name in names:
            if "_" not in name:
                continue
            words = words_of(name.replace("_", " "))
            for acronym in short:
                letters = acronym.lower()
                if words[0] not in SKIPPED and spells(words, letters):
                    yield letters, words


def _wiki_pairs() -> Iterable[tuple[str, tuple[str, ...]]]:
    from despin.scoring import corpora

    def runs():
        for _title, text in corpora.wiki_summaries("build"):
            for match in _DEFINED.finditer(text):
                yield words_of(match.group(1)), match.group(2)

    yield from _defined(runs())


# Each acronym's expansions, most often seen first, with the source that first gave each.
_Table = dict[str, list[tuple[tuple[str, ...], str]]]


def _compile() -> _Table:
    counts: dict[str, Counter] = defaultdict(Counter)
    sources: dict[tuple[str, tuple[str, ...]], str] = {}
    for source, pairs in (("wordnet", _wordnet_pairs()), ("wikipedia", _wiki_pairs())):
        for letters, words in pairs:
            counts[letters][words] += 1
            sources.setdefault((letters, words), source)
    return {letters: [(words, sources[letters, words]) for words, _ in found.most_common()]
            for letters, found in counts.items()}


def _dump(table: _Table) -> str:
    return json.dumps({letters: [[" ".join(words), source] for words, source in found]
                       for letters, found in table.items()}, sort_keys=True)


def _load(text: str) -> _Table:
    return {letters: [(tuple(key.split()), source) for key, source in found]
            for letters, found in json.loads(text).items()}


def load_expansions(dev_rows: Callable[[Fingerprint], bool] | None = None) -> Expansions:
    """The compiled expansions, with those of the `dev` fingerprints (`dev_rows` narrows them)."""
    table = compiled_text(_FILE, _compile, _dump, _load, note=(
        "collecting acronym expansions from WordNet and Wikipedia summaries (once, a few seconds)..."))
    for fp in load_fingerprints(("dev",)):
        if fp.original is None or len(fp.phrase) < 2 or (dev_rows is not None and not dev_rows(fp)):
            continue
        acronym, words = fp.phrase[-1], words_of(fp.original)
        # The Screener's phrases are lower case: "cnns" is CNN.
        singular = acronym[:-1] if len(acronym) > 3 and acronym.endswith("s") else acronym
        for letters in dict.fromkeys((acronym, singular)):
            if len(words) > 1 and initials(words, False) == letters:
                known = table.setdefault(letters, [])
                if all(words != k for k, _ in known):
                    known.append((words, "fingerprint"))
    return Expansions({letters: tuple(found) for letters, found in table.items()})
