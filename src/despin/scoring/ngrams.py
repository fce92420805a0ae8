"""Phrase frequencies: how established a wording is, on the Zipf scale (log10 per billion words).

Counts come from installed packages only: wordsegment's web bigrams, WordNet's glosses and
multi-word names, the `build` part of the offline Wikipedia summaries, and the expected terms of
the `dev` fingerprints (only those of the rows mined, when tuning holds some out). Word pairs,
which the decoder looks up by the million, are kept as pairs of integer word ids in a sorted numpy
array, so a whole batch of candidates costs one vectorised search; longer phrases (names and
terms) are kept as 64-bit hashes. The table loads in a fraction of a second.
"""
from __future__ import annotations

import hashlib
import math
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from importlib import resources
from pathlib import Path

import numpy as np
from wordfreq import zipf_frequency

from despin.cache import cached_file, forget_unused, mark_used, notice, replacing
from despin.candidates.fingerprints import Fingerprint, load_fingerprints, words_of
from despin.candidates.morphology import possessive
from despin.scoring import corpora

_WEB_TOKENS = 1_024_908_267_229  # wordsegment's counts come from a trillion-word web crawl
# A phrase seen once in a small corpus is weaker evidence than the same share of a huge one.
_SMALL_CORPUS_PENALTY = 1.0
_TERM_ZIPF = 2.5  # a listed name or term counts as an established wording
# Word-id layout with the pairs inside listed terms and the small corpora's counts; before them
# "phrase-ids-terms.npz", "phrase-ids.npz", and the hashed-pairs file "phrases.npz".
_FILE = "phrase-ids-small.npz"


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


def _terms(dev_rows: Callable[[Fingerprint], bool] | None = None) -> Iterable[str]:
    from despin.candidates.wordnet import load_wordnet

    for name in load_wordnet().all_lemma_names():
        if "_" in name:
            yield name.replace("_", " ")
    for title, _ in corpora.wiki_summaries("build"):
        yield title
    for fp in load_fingerprints(("dev",)):
        if dev_rows is None or dev_rows(fp):
            yield fp.restoration


def _selection_file(dev_rows: Callable[[Fingerprint], bool]) -> str:
    """The table's file name for a narrower choice of `dev` rows, named by the terms it keeps."""
    kept = sorted({fp.restoration for fp in load_fingerprints(("dev",)) if dev_rows(fp)})
    digest = hashlib.blake2b("\n".join(kept).encode(), digest_size=6).hexdigest()
    return _FILE.replace(".npz", f"-dev-{digest}.npz")


def build(path: Path, dev_rows: Callable[[Fingerprint], bool] | None = None) -> None:
    notice("counting phrases in WordNet, Wikipedia summaries and web bigrams (once, about a minute)...")
    pairs: dict[tuple[str, str], float] = {}
    longer: dict[int, float] = {}
    # How often the small corpora saw each pair, for the pairs nothing larger attests: on the
    # Zipf scale one sighting in a million words looks like a strong association, though it is
    # hardly more evidence than none.
    small_counts: Counter = Counter()
    attested: set[tuple[str, str]] = set()  # by the web counts or a listed term

    def keep(words: Sequence[str], zipf: float) -> None:
        if len(words) == 2:
            key = (words[0], words[1])
            if zipf > pairs.get(key, -99.0):
                pairs[key] = zipf
        else:
            key = phrase_key(words)
            if zipf > longer.get(key, -99.0):
                longer[key] = zipf

    web = resources.files("wordsegment").joinpath("bigrams.txt")
    with web.open(encoding="utf-8") as handle:
        for line in handle:
            pair, _, count = line.rpartition("\t")
            words = pair.split(" ")
            keep(words, _zipf(int(count), _WEB_TOKENS))
            if len(words) == 2:
                attested.add((words[0], words[1]))
    for texts in (corpora.wordnet_prose(), (text for _, text in corpora.wiki_summaries("build"))):
        counts, tokens = _count_bigrams(texts)
        small_counts.update(counts)
        for pair, count in counts.items():
            keep(pair, _zipf(count, tokens) - _SMALL_CORPUS_PENALTY)
    for term in _terms(dev_rows):
        words = words_of(term)
        if 1 < len(words) <= 6:
            keep(words, _TERM_ZIPF)
            keep(("#term",) + words, _TERM_ZIPF)
            # A listed term's word pairs are established wordings too: "support vector machine"
            # makes "support vector" a pair, which the decoder reads pair by pair.
            for pair in zip(words, words[1:]):
                keep(pair, _TERM_ZIPF)
                attested.add(pair)
    vocabulary = sorted({w for pair in pairs for w in pair})
    ids = {w: i for i, w in enumerate(vocabulary)}
    pair_keys = np.fromiter(((ids[a] << 32) | ids[b] for a, b in pairs), dtype=np.int64, count=len(pairs))
    pair_zipf = np.fromiter(pairs.values(), dtype=np.float32, count=len(pairs))
    pair_small = np.fromiter((0 if p in attested else min(small_counts[p], 65535) for p in pairs),
                             dtype=np.uint16, count=len(pairs))
    order = np.argsort(pair_keys)
    long_keys = np.fromiter(longer.keys(), dtype=np.uint64, count=len(longer))
    long_zipf = np.fromiter(longer.values(), dtype=np.float32, count=len(longer))
    long_order = np.argsort(long_keys)
    with replacing(path) as tmp:
        np.savez(
            tmp,
            vocabulary=np.frombuffer("\n".join(vocabulary).encode(), dtype=np.uint8),
            word_zipf=np.array([word_zipf(w) for w in vocabulary], dtype=np.float64),
            pair_keys=pair_keys[order], pair_zipf=pair_zipf[order], pair_small=pair_small[order],
            long_keys=long_keys[long_order], long_zipf=long_zipf[long_order],
        )
    forget_unused("phrase*.npz", path)  # earlier layouts and selections of `dev` rows too


def word_zipf(word: str) -> float:
    """A word's Zipf frequency as the phrase table and the thesaurus rank by it."""
    return zipf_frequency(word, "en", wordlist="best")


def _lookup(keys: np.ndarray, values: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Values of the wanted keys in a sorted key array, NaN where absent."""
    idx = _index(keys, wanted)
    return np.where(idx >= 0, values[idx], np.nan)


def _index(keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Where each wanted key is in a sorted key array, -1 where absent."""
    idx = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    return np.where(keys[idx] == wanted, idx, -1)


# Most pairs the decoder asks about were never seen together (nearly all of a span's readings
# are), and a binary search through the table costs a cache miss per step. A flag per hash slot
# (16 MB), set for the pairs the table holds, answers most of them with one look-up: 2**24 slots
# for about 800,000 pairs leave one absent pair in twenty to be searched for.
_FILTER_BITS = 24
_FIBONACCI = np.uint64(0x9E3779B97F4A7C15)


def _slots(keys: np.ndarray) -> np.ndarray:
    """Each key's slot in the filter: the top bits of a multiplicative hash."""
    return ((keys.astype(np.uint64) * _FIBONACCI) >> np.uint64(64 - _FILTER_BITS)).astype(np.intp)


def _filtered_index(keys: np.ndarray, present: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """_index, searching only for the keys whose filter slot is set."""
    maybe = np.flatnonzero(present[_slots(wanted.ravel())])
    if maybe.size == wanted.size:
        return _index(keys, wanted)
    at = np.full(wanted.shape, -1, dtype=np.intp)
    if len(maybe):
        at.flat[maybe] = _index(keys, wanted.flat[maybe])
    return at


class PhraseTable:
    """Zipf frequencies of single words (wordfreq) and of multi-word phrases (the compiled table).

    Words are addressed by integer ids: those of the counted vocabulary come from the file, and a
    word outside it gets the next free id when first seen, so that its frequency is looked up
    once.
    """

    def __init__(self, path: Path | None = None, dev_rows: Callable[[Fingerprint], bool] | None = None):
        """`dev_rows` narrows the `dev` fingerprints whose expected terms count as listed terms,
        as the spin table's mining is narrowed when tuning: a held-out row's expected phrase
        must not be a known term (that gave held-out rows, in model mode, top-1 34.7% against
        19.0% without it). Each choice of rows has its own file."""
        if path is None:
            path = cached_file(_FILE if dev_rows is None else _selection_file(dev_rows))
        if not path.exists():
            build(path, dev_rows)
        try:
            vocabulary = self._load(path)
        except (OSError, KeyError, ValueError, zipfile.BadZipFile):
            # A truncated or foreign file in the cache folder: it is ours to rebuild.
            notice(f"the phrase table {path} is unreadable; rebuilding it")
            build(path, dev_rows)
            vocabulary = self._load(path)
        mark_used(path)
        self._ids: dict[str, int] = {w: i for i, w in enumerate(vocabulary)}
        # A pair with a possessive that the counts never saw reads as the pair of its bare word
        # ("the Supreme Court's ruling" as "supreme court", "court ruling"): the web counts hold
        # no possessives, so a restored "Court's" found too little support. A counted pair
        # ("world's largest", "earth's crust") keeps its count, and a possessive's own
        # frequency stays its own ("angle's" is rare).
        self._pair_id = np.arange(len(self._word_zipf), dtype=np.int64)  # a word's id in pairs it was not counted in
        for word in [w for w in vocabulary if possessive(w)[1]]:
            self._pair_id[self._ids[word]] = self.ids([possessive(word)[0]])[0]

    def _load(self, path: Path) -> list[str]:
        with np.load(path) as data:
            vocabulary = data["vocabulary"].tobytes().decode().split("\n")
            self._word_zipf = data["word_zipf"]
            self._pair_keys, self._pair_zipf = data["pair_keys"], data["pair_zipf"]
            self._pair_present = np.zeros(1 << _FILTER_BITS, dtype=bool)
            self._pair_present[_slots(self._pair_keys)] = True
            small = data["pair_small"].astype(np.float32)
            with np.errstate(divide="ignore"):
                self._pair_small_log = np.where(small > 0, np.log(small), np.inf).astype(np.float32)
            self._long_keys, self._long_zipf = data["long_keys"], data["long_zipf"]
        return vocabulary

    def ids(self, words: Iterable[str]) -> list[int]:
        known = self._ids
        return [known[w] if w in known else self._add(w) for w in words]

    def _add(self, word: str) -> int:
        new = len(self._ids)
        if new >= len(self._word_zipf):
            grow = max(1024, new // 2)
            self._word_zipf = np.concatenate([self._word_zipf, np.zeros(grow)])
            self._pair_id = np.concatenate([self._pair_id, np.zeros(grow, dtype=np.int64)])
        self._word_zipf[new] = word_zipf(word)
        self._ids[word] = new
        bare, ending = possessive(word)
        self._pair_id[new] = self.ids([bare])[0] if ending else new
        return new

    def word(self, word: str) -> float:
        i = self._ids.get(word)
        if i is None:
            i = self._add(word)
        return float(self._word_zipf[i])

    def zipf_of(self, ids: np.ndarray) -> np.ndarray:
        """Word frequencies of an array of word ids."""
        return self._word_zipf[ids]

    def pairs(self, first: np.ndarray | int, second: np.ndarray | int) -> np.ndarray:
        """Zipf frequency of each pair of word ids (broadcast together), NaN where unattested.

        A word id handed out after loading never occurs in a counted pair, so its pairs are
        simply not found, unless it is the possessive of a counted word."""
        at = self._pair_index(first, second)
        return np.where(at >= 0, self._pair_zipf[at], np.nan)

    def pairs_and_small_counts(self, first: np.ndarray | int, second: np.ndarray | int) -> tuple[np.ndarray, np.ndarray]:
        """pairs(), and the natural log of how often the small corpora (WordNet's glosses, the
        Wikipedia summaries) saw each pair that only they attest; infinite for any other pair."""
        at = self._pair_index(first, second)
        found = at >= 0
        return np.where(found, self._pair_zipf[at], np.nan), np.where(found, self._pair_small_log[at], np.inf)

    def _pair_index(self, first: np.ndarray | int, second: np.ndarray | int) -> np.ndarray:
        first, second = np.broadcast_arrays(np.asarray(first, dtype=np.int64), np.asarray(second, dtype=np.int64))
        at = _filtered_index(self._pair_keys, self._pair_present, (first << 32) | second)
        bare_first, bare_second = self._pair_id[first], self._pair_id[second]
        retry = (at < 0) & ((bare_first != first) | (bare_second != second))
        if retry.any():
            at[retry] = _filtered_index(self._pair_keys, self._pair_present,
                                        (bare_first[retry] << 32) | bare_second[retry])
        return at

    def phrases(self, phrases: Sequence[Sequence[str]]) -> np.ndarray:
        """Zipf frequency of each phrase (NaN where unattested)."""
        result = np.full(len(phrases), np.nan)
        two = [i for i, p in enumerate(phrases) if len(p) == 2]
        if two:
            ids = np.array(self.ids(w for i in two for w in phrases[i]), dtype=np.int64).reshape(-1, 2)
            result[two] = self.pairs(ids[:, 0], ids[:, 1])
        rest = [i for i, p in enumerate(phrases) if len(p) != 2]
        if rest:
            keys = np.fromiter((phrase_key(phrases[i]) for i in rest), dtype=np.uint64, count=len(rest))
            result[rest] = _lookup(self._long_keys, self._long_zipf, keys)
        return result

    def phrase(self, words: Sequence[str]) -> float | None:
        value = float(self.phrases([words])[0])
        return None if math.isnan(value) else value

    def terms(self, phrases: Sequence[Sequence[str]]) -> np.ndarray:
        """Whether each phrase is a listed name or term (WordNet, Wikipedia title, dev term)."""
        if not phrases:
            return np.zeros(0, dtype=bool)
        return ~np.isnan(self.phrases([("#term", *words) for words in phrases]))

    def is_term(self, words: Sequence[str]) -> bool:
        return bool(self.terms([words])[0])
