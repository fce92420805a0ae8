"""A spin table mined from real (spun, original) pairs.

Sources: the `dev` rows of the tortured-phrase fingerprints and the swaps observed on real spun
news pages. Phrases are aligned word by word where their lengths agree; otherwise the differing
middle is kept as a multi-word swap ("rates of interest" <- "interest rates"). Word swaps are
stored as written, and by lemma so that "woodlands" finds "forest" through "woodland".

A middle cut out of a longer tortured phrase is weaker evidence than a whole one: "lion's share"
for "majority" was only ever seen in "lion's share vote", and on its own it is an English idiom.
Such swaps are kept apart (`SpinTable.cut`) so that the decoder can ask more of them.
"""
from __future__ import annotations

import csv
import hashlib
import json
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path

from despin.cache import compiled_text
from despin.candidates import fingerprints, morphology
from despin.candidates.fingerprints import Fingerprint, load_fingerprints, words_of
from despin.candidates.morphology import analyses, inflect_like, lemmas, possessive, same_form

NEWS_FILE = "news-spin-observed.tsv"


def news_pairs(part: str = "all") -> list[tuple[str, str]]:
    """(spun, original) rows of the observed news swaps.

    `part` is "all", or "mine"/"heldout": a fixed split by a hash of the original wording, so that
    the benchmark's simulated spinner can draw on swaps the restorer has never seen.
    """
    rows = []
    with resources.files("despin.data").joinpath(NEWS_FILE).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            held_out = zlib.crc32(row["original"].lower().encode()) % 2 == 1
            if part == "all" or (part == "heldout") == held_out:
                rows.append((row["spun"], row["original"]))
    return rows


@dataclass
class SpinTable:
    """Mined swaps: spun wording -> Counter of originals, for phrases, for single words as
    written (`forms`) and for single lemmas (`words`)."""

    phrases: dict[tuple[str, ...], Counter] = field(default_factory=lambda: defaultdict(Counter))
    words: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    forms: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    max_phrase_len: int = 1
    # Phrase swaps (spun words, original) known only as the middle of a longer tortured phrase.
    cut: set[tuple[tuple[str, ...], str]] = field(default_factory=set)

    def add(self, spun: str, original: str, weight: int = 1, middles_seen: bool = False) -> None:
        """Add one (spun, original) row. `middles_seen`: a differing middle of the row is itself
        a swap seen on real pages (a reader of spun news wrote the row down around it), not only
        a part of one."""
        s, o = words_of(spun), words_of(original)
        if not s or not o or s == o:
            return
        self._add_phrase(s, o, weight)
        self.cut.discard((s, " ".join(o)))
        if len(s) == len(o):
            for a, b in zip(s, o):
                if a != b:
                    self._add_word(a, b, weight)
            return
        # Different lengths: keep the differing middle as one multi-word swap.
        head = 0
        while head < min(len(s), len(o)) and s[head] == o[head]:
            head += 1
        tail = 0
        while tail < min(len(s), len(o)) - head and s[-1 - tail] == o[-1 - tail]:
            tail += 1
        mid_s, mid_o = s[head : len(s) - tail], o[head : len(o) - tail]
        if mid_s and mid_o and (head or tail):
            pair = (mid_s, " ".join(mid_o))
            if middles_seen:
                self.cut.discard(pair)
            elif pair[1] not in self.phrases.get(mid_s, ()):
                self.cut.add(pair)
            self._add_phrase(mid_s, mid_o, weight)
            if len(mid_s) == 1 and len(mid_o) == 1:
                self._add_word(mid_s[0], mid_o[0], weight)

    def _add_phrase(self, s: tuple[str, ...], o: tuple[str, ...], weight: int) -> None:
        self.phrases[s][" ".join(o)] += weight
        self.max_phrase_len = max(self.max_phrase_len, len(s))

    def _add_word(self, spun: str, original: str, weight: int) -> None:
        # A word's options are looked up without its possessive ending and take the written
        # one back (ChannelModel.compute_options), so an ending both words have, or only the
        # original ("Individuals' Republic of China" for "People's Republic of China"), is no
        # part of the swap. One only the spun word has stays: "today's" for "learning" is how
        # a spinner wrote the word, and "today" -> "learning" would rewrite plain English.
        bare_spun, bare = possessive(spun)[0], possessive(original)[0]
        if bare_spun == bare:
            return  # the ending alone differs ("Henon's" for "Henon")
        if bare != original:
            spun, original = bare_spun, bare
        spun_readings, readings = lemmas(spun), lemmas(original)
        if set(spun_readings) & set(readings):
            return  # the same word in another form ("network" -> "networks"): not a swap
        spun_lemma = spun_readings[-1]
        # The original's lemma that inflects back to it in the spun word's form: "data" is also
        # the plural of "datum", but "information" -> "datum" restores nothing. Only real
        # lemmas: "picture" -> "images" is stored as "image", to take the spun word's number.
        real = dict.fromkeys(base for _, base, _ in analyses(original))
        lemma = next((r for r in real if inflect_like(r, spun, spun_lemma) == original), readings[-1])
        self.words[spun_lemma][lemma] += weight
        if same_form(spun, original):
            # Kept as written too, but not where the rows disagree in number ("picture" ->
            # "images"): the lemma carries those over in the spun word's own form.
            self.forms[spun][original] += weight

    def to_json(self) -> str:
        # Lists keep each table's order, which breaks ties between equally likely originals.
        return json.dumps({
            "phrases": [[list(spun), dict(originals)] for spun, originals in self.phrases.items()],
            "words": self.words, "forms": self.forms, "max_phrase_len": self.max_phrase_len,
            "cut": [[list(spun), original] for spun, original in sorted(self.cut)],
        })

    @classmethod
    def from_json(cls, text: str) -> SpinTable:
        data = json.loads(text)
        table = cls(max_phrase_len=int(data["max_phrase_len"]),
                    cut={(tuple(spun), original) for spun, original in data["cut"]})
        for spun, originals in data["phrases"]:
            table.phrases[tuple(spun)].update(originals)
        for name in ("words", "forms"):
            for word, originals in data[name].items():
                getattr(table, name)[word].update(originals)
        return table

    def word_forms(self, word: str) -> Counter:
        """Originals mined for exactly this spelling of a word, as they were written: "concealed"
        -> "hidden", where inflecting the lemma "hide" like "concealed" gives "hid"."""
        return self.forms.get(word, Counter())

    def times_spun(self, word: str) -> int:
        """How many mined swaps wrote this word (any form of it) for another. Every swap is
        counted under the spun word's lemma (_add_word), those kept as written too."""
        return max(sum(self.words.get(lemma, {}).values()) for lemma in lemmas(word))

    def word_candidates(self, word: str) -> Counter:
        """Original lemma -> count over every reading of `word`."""
        found: Counter = Counter()
        for _lemma, original, count in self.word_readings(word):
            found[original] += count
        return found

    def word_readings(self, word: str) -> list[tuple[str, str, int]]:
        """(lemma of `word`, original lemma, count) of every mined swap of the word: the lemma
        says how to inflect the original."""
        return [(lemma, original, count)
                for lemma in lemmas(word) for original, count in self.words.get(lemma, {}).items()]


def mine_spin_table(
    news_part: str = "all",
    keep: Callable[[Fingerprint], bool] | None = None,
) -> SpinTable:
    """Mine the table. Tortured phrases come only from `dev` rows: `test` is for measuring.

    `keep` narrows the `dev` rows further, so that tuning can hold some of them out. The table
    of all `dev` rows is kept in the cache folder: mining it lemmatises every swap, which took
    about a third of a second of every start-up and loaded lemminflect before any text came.
    """
    if keep is not None:
        return _mine(news_part, keep)
    return compiled_text(f"spin-table-{news_part}-{_digest()[:16]}.json", lambda: _mine(news_part, None),
                         SpinTable.to_json, SpinTable.from_json, prune="spin-table-*.json")


def _digest() -> str:
    """A digest of everything the mined table depends on: the data, the code that reads and
    lemmatises it, and lemminflect's tables."""
    h = hashlib.sha256(metadata.version("lemminflect").encode())
    data = resources.files("despin.data")
    for name in (fingerprints.DATA_FILE, NEWS_FILE):
        h.update(data.joinpath(name).read_bytes())
    for module in (fingerprints, morphology):
        h.update(Path(module.__file__).read_bytes())
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()


def _mine(news_part: str, keep: Callable[[Fingerprint], bool] | None) -> SpinTable:
    table = SpinTable()
    for fp in load_fingerprints(("dev",)):
        if fp.proximity is None and (keep is None or keep(fp)):
            table.add(" ".join(fp.phrase), fp.restoration)
    for spun, original in news_pairs(news_part):
        if "/" in original:
            continue  # the reader saw alternatives ("will be / would be"): no one original to restore
        table.add(spun, original, weight=5, middles_seen=True)  # observed on real spun pages: strong evidence
    return table
