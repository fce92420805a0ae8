"""The noisy-channel search for unseen spins.

For a stretch of words a spinner may have rewritten, every candidate original o is scored as

    log P(o in its context) + log P(spinner writes the spun words | o)

where the first term is a bigram chain over the phrase table (with the neighbouring words as
context) and the second comes from the candidate's source: the mined spin table, or an inverted
thesaurus entry (1 / size of the entry). Keeping the words as they are is itself a candidate,
with the prior probability that a word is left alone, so a span is flagged only when some
original explains the text much better than the text explains itself.
"""
from __future__ import annotations

import math
import sys
from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from despin.candidates.morphology import analyses, inflect_like, lemmas, nominal, possessive
from despin.candidates.spin_table import SpinTable
from despin.candidates.thesaurus import Ranking, Thesaurus
from despin.scoring.ngrams import PhraseTable

if TYPE_CHECKING:
    from despin.decoding.option_store import OptionStore

LN10 = math.log(10)
# Each lemma of a word hands over this many times the options kept, best first, since spelling
# variants and originals that inflect into the same form are dropped after the look-up. On
# 12,005 words of `report` prose the kept options were those of ranking every original (the
# order of exact ties aside).
FETCH_FACTOR = 2

# Words a spinner leaves alone and that never start a spun span.
STOPWORDS = frozenset(
    """a an the and or but if of in on at to for from by with as is are was were be been being it its
    this that these those he she they we you i his her their our your my me him them us not no so than
    then there here which who whom whose what when where why how all any each both few more most other
    some such only own same too very can will just do does did has have had would should could may might
    must shall into over under about after before between through during above below up down out off
    again further once also""".split()
)


# Sources of swaps mined from real spun text that are judged as single swaps: a word, or a
# phrase known only as part of a longer tortured phrase ("spin-table-phrase" is a whole one).
MINED = frozenset({"spin-table", "spin-table-middle"})

# Readings of two-word spans combined in one array: about 50 MB of working arrays.
GRID_CELLS = 1 << 19

# Words spinners insert in front of a swapped word.
INSERTED_WORDS = frozenset("very really extremely highly quite fairly".split())


@dataclass(frozen=True)
class Settings:
    """Weights of the channel model; tuned on `dev` fingerprints and clean `build` prose only."""

    log_keep: float = math.log(0.97)  # a word stays as it is
    log_swap: float = math.log(0.03)  # a word is swapped (before the source's own probability)
    backoff: float = -2.0  # association of two words never seen together
    unigram_weight: float = 0.2  # how much plain word frequency still counts
    pmi_cap: float = 4.0  # no single pair of words can outweigh everything else
    # A pair only the small corpora attest counts for at most this times the log of how often
    # they saw it. One sighting in a million words gives a rare pair a high association on
    # paper, though it is hardly more evidence than none: "compressed information" is in one
    # WordNet gloss and "compressed data" in none, which rewrote gzip's manual. Once seen, such
    # a pair neither helps nor hurts; seen 55 times it may count fully. Chosen on held-out `dev`
    # rows and `tune` prose: 0.5, 1 and 2 gave the same held-out rows, and 2 rewrote 5 words of
    # `tune` prose against 2. None: such pairs count as any other (Engine: in model mode).
    small_count_weight: float | None = 1.0
    length_penalty: float = 3.0  # per word a restoration adds or drops
    table_bonus: float = 1.0  # mined swaps come from real spinners
    moby_penalty: float = -1.0  # Moby lists loose associations as well as synonyms
    reverse_penalty: float = -1.0  # and more for a pair Moby lists the other way only
    moby_reverse: bool = True  # whether such pairs are offered at all (Engine: not in fast mode)
    # Whether a single word's swap seen on real pages ("handed" -> "passed") is read as an
    # observed phrase swap, free of a swap's cost, rather than as a mined word swap (Engine: not
    # in fast mode, where no model reads it in context).
    word_phrases: bool = True
    term_bonus: float = 3.0  # the candidate is a listed name or term
    observed_phrase_bonus: float = 2.0  # per unseen pair inside a phrase seen spun on real pages
    max_options: tuple[int, ...] = (60, 30, 12, 6)  # per-word candidates kept, by span length
    # Which candidates are kept: log q plus these times the original's Zipf frequency and its GloVe
    # similarity to the spun word. On held-out dev rows (2,076 swapped words) the expected word is
    # among a word's first 30 options for 63.0% of them, and its first 60 for 67.3%, against 57.0%
    # and 61.8% with frequency alone (weight 0.5, no similarity); all its options hold 70.2%.
    rank_zipf_weight: float = 2.0
    rank_similarity_weight: float = 8.0
    unseen_kept: int = 12  # readings with an unseen pair of swapped words kept per span
    # Log-odds gain below which the channel reports no span. Model mode lowers it to
    # Config.proposal_gain and reads the spans at 2.0 or more as sure proposals.
    min_gain: float = 2.0
    # A reading that swaps every word of a span of two or more ("irregular woodland" -> "random
    # forest") is reported down to this gain: at 0 to 2 it is a flag (0.03 to 0.15 sure). Clean
    # prose seldom holds two odd swaps side by side, while a single word read slightly better
    # swapped ("contains" -> "includes") is everyday English. On held-out `dev` rows, lowering the
    # bar to 0 for every span took fast mode's recall / precision from 0.177 / 0.949 to 0.265 /
    # 0.915, with 4 flags per 1,000 words of clean `tune` prose against 0.95; of the weak
    # findings in the carrier sentences, 131 single words were real and 22 not (50 on 20,040
    # words of `tune` prose), and 42 spans with every word swapped were real and 2 not (none).
    swapped_gain: float = 0.0


class Option(NamedTuple):
    """One way to read one spun word (or a fixed multi-word swap). A named tuple, not a
    dataclass: fresh text builds about thirty for every new word, and a tuple is built in half
    the time."""

    words: tuple[str, ...]
    logq: float
    source: str


@dataclass(frozen=True)
class _Column:
    """The readings of one position of a span as arrays, for combining them all at once."""

    options: tuple[Option, ...]  # kept as it is first, then the swaps
    logq: np.ndarray  # swap (or keep) cost included
    first: np.ndarray  # word id of each reading's first word
    last: np.ndarray  # ... and of its last
    swapped: np.ndarray
    mined: np.ndarray  # the reading is a swap seen on real spun pages
    single: np.ndarray  # the reading is one word
    alone: tuple[np.ndarray, np.ndarray]  # the span of this word alone: (its swaps, their log q)
    length: np.ndarray  # words in each reading
    fluency: np.ndarray  # of each reading's words on their own (fluency())
    unseen: np.ndarray  # ... and its pairs never seen together

    def rows(self, rows: np.ndarray | slice) -> _Column:
        """The same readings, only those at `rows` (kept as written first): an index array, or
        a slice for the first few, which cuts views rather than copies."""
        logq = self.logq[rows]
        options = self.options[rows] if isinstance(rows, slice) else tuple(self.options[k] for k in rows.tolist())
        return _Column(
            options=options, logq=logq, first=self.first[rows],
            last=self.last[rows], swapped=self.swapped[rows], mined=self.mined[rows], single=self.single[rows],
            alone=(np.arange(1, len(logq))[:, None], logq[1:]), length=self.length[rows],
            fluency=self.fluency[rows], unseen=self.unseen[rows],
        )


def as_listed(span: Sequence[str], listed: Container[tuple[str, ...]]) -> tuple[tuple[str, ...], str]:
    """A span of lowercase words as the phrase list `listed` may hold it, and the possessive
    ending set aside for that (""): as written where the list holds it so ("transfer today's",
    mined from the Screener), else without the last word's ending."""
    span = tuple(span)
    bare, ending = possessive(span[-1])
    if not ending or span in listed:
        return span, ""
    return (*span[:-1], bare), ending


def _owned(words: tuple[str, ...], ending: str) -> tuple[str, ...]:
    """An original's words with the written word's possessive ending on the last one: "'s", or
    only the apostrophe after a plural ("americans'"); one that has an ending keeps it."""
    if not ending or not words or possessive(words[-1])[1]:
        return words
    last = words[-1]
    readings = analyses(last)
    plural = last.endswith("s") and not last.endswith("ss") and (
        not readings or any(tag == "NNS" and lemma != last for _, lemma, tag in readings))
    return (*words[:-1], last + (ending[0] if plural else ending))


# The reading of an original mined for exactly the spun word's spelling: it is offered as it was
# written, not inflected (no lemma is empty).
_AS_WRITTEN = ""


class Request(NamedTuple):
    """A span to score: lowercase words, the neighbouring words (None at clause edges), its
    position in the clause, and whether it is capitalised throughout."""

    span: tuple[str, ...]
    left: str | None
    right: str | None
    first: int = 0
    last: int = 0
    name: bool = False


@dataclass(frozen=True)
class _Readings:
    """A span's candidates before scoring: whole-phrase ones (words -> (log q, sources)) and
    per-word readings combined (index of the reading at each position, summed log q)."""

    found: dict[tuple[str, ...], tuple[float, tuple[str, ...]]]
    columns: list[_Column]
    chosen: np.ndarray
    logq: np.ndarray

    def only(self, keep: np.ndarray) -> _Readings:
        """The same, with only the combined readings that `keep` marks."""
        return _Readings(self.found, self.columns, self.chosen[keep], self.logq[keep])


@dataclass
class Scored:
    """The best reading of a span next to keeping it as it is."""

    first: int
    last: int
    gain: float  # log-odds of the best original over the text as it stands
    candidates: list[tuple[str, float, tuple[str, ...]]] = field(default_factory=list)


class ChannelModel:
    def __init__(self, phrases: PhraseTable, thesaurus: Thesaurus, table: SpinTable,
                 settings: Settings | None = None):
        self.phrases = phrases
        self.thesaurus = thesaurus
        self.table = table
        self.settings = settings or Settings()
        self._options_cache: dict[str, tuple[Option, ...]] = {}
        self.store: OptionStore | None = None  # options computed before, see use_store
        self._ranking = Ranking(self.settings.rank_zipf_weight, self.settings.rank_similarity_weight,
                                self.settings.moby_penalty, self.settings.reverse_penalty,
                                self.settings.moby_reverse)
        self._columns: dict[tuple[str, int, bool], _Column] = {}

    # -- candidates -------------------------------------------------------------------------

    def use_store(self) -> None:
        """Read common words' options from the cache folder, computing them there first if needed."""
        from despin.candidates import morphology, spin_table, thesaurus
        from despin.decoding import option_store
        from despin.scoring import ngrams

        t = self.table
        mined = [sorted((k, sorted(c.items())) for k, c in d.items()) for d in (t.phrases, t.words, t.forms)]
        stat = self.thesaurus.path.stat()
        parts = (self.settings, FETCH_FACTOR, t.max_phrase_len, mined,
                 self.thesaurus.path.name, stat.st_size, stat.st_mtime_ns)
        modules = (sys.modules[__name__], morphology, spin_table, thesaurus, ngrams)
        self.store = option_store.open_store(option_store.digest(parts, modules), self.compute_options)

    def word_options(self, word: str) -> tuple[Option, ...]:
        """Originals a spinner may have replaced by `word` (lowercase), best first, itself excluded."""
        cached = self._options_cache.get(word)
        if cached is None:
            cached = self.store.get(word) if self.store is not None else None
            if cached is None:
                cached = self.compute_options(word)
            self._options_cache[word] = cached
        return cached

    def compute_options(self, word: str) -> tuple[Option, ...]:
        """word_options, computed."""
        bare, ending = possessive(word)
        if ending:
            if bare in STOPWORDS:  # "that's", "there's"
                return ()
            return tuple(Option(_owned(o.words, ending), o.logq, o.source)
                         for o in self.word_options(bare) if nominal(o.words[-1]))
        s = self.settings
        # Keyed by (original, the reading of `word` it is a synonym of): the reading says how to
        # inflect it. "woods" gives "forest" as a noun of its own and "forests" as wood's plural.
        raw: dict[tuple[str, str | None], tuple[float, str, float]] = {}

        def offer(original: str, via: str | None, logq: float, source: str, similarity: float = 0.0) -> None:
            if source != "spin-table" and (" " in original or _spelling_variant(original, word)):
                # A thesaurus entry of several words for one word is a gloss ("predators" ->
                # "predatory animal"), and "foetus" -> "fetus" is spelling, not spinning; only
                # swaps seen on real spun pages may do either.
                return
            key = (original, via)
            if key not in raw or raw[key][0] < logq:
                raw[key] = (logq, source, similarity)

        as_written = self.table.word_forms(word)
        for original, count in as_written.items():
            offer(original, _AS_WRITTEN, math.log(count / (count + 1)) + s.table_bonus, "spin-table")
        # An original mined as written is not offered again in another form of its lemma:
        # "concealed" -> "hidden", not "hid".
        written_lemmas = {lemma for original in as_written for lemma in lemmas(original)}
        for lemma, original, count in self.table.word_readings(word):
            if original not in written_lemmas:
                offer(original, lemma, math.log(count / (count + 1)) + s.table_bonus, "spin-table")
        for lemma in lemmas(word):
            for syn in self.thesaurus.ranked_originals(lemma, self._ranking, FETCH_FACTOR * s.max_options[0]):
                offer(syn.original, lemma, syn.logp + self._ranking.penalty(syn.source), syn.source, syn.similarity)

        def rank(item: tuple[tuple[str, str | None], tuple[float, str, float]]) -> tuple[bool, float]:
            # Swaps seen on real spun pages first; then spinners swap common words for rarer
            # ones that mean nearly the same: prefer frequent originals close in GloVe space.
            (original, _), (logq, source, similarity) = item
            return (source != "spin-table",
                    -(logq + s.rank_zipf_weight * self.phrases.word(original) + s.rank_similarity_weight * similarity))

        # Only the kept ones are inflected, which is where the time goes.
        ranked = []
        seen = set()
        for (original, via), (logq, source, _) in sorted(raw.items(), key=rank):
            form = original if via == _AS_WRITTEN or " " in original else inflect_like(original, word, via)
            words = tuple(form.split())
            if words and words != (word,) and words not in seen:
                seen.add(words)
                ranked.append(Option(words, logq, source))
                if len(ranked) == s.max_options[0]:
                    break
        return tuple(ranked[: s.max_options[0]])

    def span_candidates(self, span: Sequence[str], repair: tuple[str | None, str | None, int] | None = None,
                        name: bool = False) -> list[tuple[tuple[str, ...], float, tuple[str, ...]]]:
        """(words, log q, sources) of candidate originals of a span of lowercase words.

        With `repair` = (left word, right word, unseen pairs as written), only the readings that
        score_span could accept are returned, which spares scoring the rest. `name`: the span is
        capitalised throughout, so thesaurus swaps of every word may rebuild a mangled name.
        """
        readings = self._readings(tuple(span), name)
        if repair is not None:
            keep, _ = self._repairs([(readings, *repair)])[0]
            readings = readings.only(keep)
        return self._candidates(tuple(span), readings)

    def _readings(self, span: tuple[str, ...], name: bool) -> _Readings:
        """The whole-phrase candidates of a span, and its per-word readings combined."""
        return self._readings_many([(span, name)])[0]

    def _readings_many(self, spans: Sequence[tuple[tuple[str, ...], bool]]) -> list[_Readings]:
        """_readings of many (span, name), their combinations made together."""
        parts = [self._phrases_and_columns(span, name) for span, name in spans]
        combined = self._combinations_many([columns for _, columns in parts])
        return [_Readings(found, columns, chosen, logq) for (found, columns), (chosen, logq) in zip(parts, combined)]

    def _phrases_and_columns(self, span: tuple[str, ...], name: bool) -> tuple[dict, list[_Column]]:
        """A span's whole-phrase candidates (words -> (log q, sources)), and the readings of
        each of its words."""
        s = self.settings
        found: dict[tuple[str, ...], tuple[float, tuple[str, ...]]] = {}

        def offer(words: tuple[str, ...], logq: float, sources: tuple[str, ...]) -> None:
            if words != span and (words not in found or found[words][0] < logq):
                found[words] = (logq, sources)

        listed, ending = as_listed(span, self.table.phrases)
        # A phrase seen swapped on real pages: no per-word swap cost. One known only as the
        # middle of a longer tortured phrase is judged as a mined word swap is (_judge). Without
        # `word_phrases`, a single word's mined swaps are only its options (compute_options).
        phrases = self.table.phrases.get(listed, {}) if len(span) > 1 or s.word_phrases else {}
        for original, count in phrases.items():
            source = "spin-table-middle" if (listed, original) in self.table.cut else "spin-table-phrase"
            offer(_owned(tuple(original.split()), ending), math.log(count / (count + 1)), (source,))
        if len(span) > 1:
            for syn in self.thesaurus.originals(" ".join(listed)):
                if not self._ranking.offers(syn.source):
                    continue
                offer(_owned(tuple(syn.original.split()), ending),
                      s.log_swap + syn.logp + self._ranking.penalty(syn.source), (syn.source,))
        if len(span) > 1 and span[0] in INSERTED_WORDS:
            # Spinners pad a word with an intensifier ("Affordable" -> "Very affordable").
            for words, logq, sources in self.span_candidates(span[1:], name=name):
                offer(words, logq + s.log_swap, tuple(sorted({*sources, "insertion"})))
            offer(span[1:], s.log_swap, ("insertion",))
        limit = s.max_options[min(len(span), len(s.max_options)) - 1]
        # Beyond two words, only a name is rebuilt from thesaurus swaps; other spans of three or
        # four words take only swaps seen on real spun pages ("locale of enthusiasm" -> "region
        # of interest"). On held-out dev rows and tune prose, thesaurus combinations of three
        # words gave one flag ("roughly the bigness") and took a third of the time.
        mined_only = len(span) >= 3 and not name
        return found, [self._column(word, limit, mined_only) for word in span]

    @staticmethod
    def _candidates(span: tuple[str, ...], readings: _Readings) -> list[tuple[tuple[str, ...], float, tuple[str, ...]]]:
        """The whole-phrase candidates, then each combined reading, one entry per wording (the
        likeliest source kept)."""
        found = dict(readings.found)
        for combo, combo_logq in zip(readings.chosen.tolist(), readings.logq.tolist()):
            reading = [column.options[j] for column, j in zip(readings.columns, combo)]
            words = tuple(w for o in reading for w in o.words)
            sources = tuple(sorted({o.source for o in reading if o.source != "kept"}))
            if words != span and (words not in found or found[words][0] < combo_logq):
                found[words] = (combo_logq, sources)
        return [(w, lq, src) for w, (lq, src) in found.items()]

    def _column(self, word: str, limit: int, mined_only: bool = False) -> _Column:
        """The readings of a word: kept as written, then its first `limit` options (only the
        mined ones with `mined_only`). Each is cut from the word's column of all its options, so
        that a word read in spans of several lengths is looked up once."""
        key = (word, limit, mined_only)
        column = self._columns.get(key)
        if column is None:
            whole = self._whole_column(word)
            rows = slice(min(limit, len(whole.options) - 1) + 1)
            if mined_only:
                rows = np.arange(rows.stop)
                rows = rows[whole.mined[rows] | (rows == 0)]
            column = self._columns[key] = whole.rows(rows)
        return column

    def _whole_column(self, word: str) -> _Column:
        """The readings of a word: kept as written, then all its options."""
        key = (word, self.settings.max_options[0], False)
        column = self._columns.get(key)
        if column is None:
            s = self.settings
            swaps = () if word in STOPWORDS else self.word_options(word)
            options = (Option((word,), s.log_keep, "kept"), *swaps)
            ids = self.phrases.ids(w for o in options for w in (o.words[0], o.words[-1]))
            # fluency() of each reading alone: for a single word only its frequency counts.
            fluency = s.unigram_weight * LN10 * (self.phrases.zipf_of(np.array(ids[0::2])) - 9.0)
            unseen = np.zeros(len(options), dtype=np.int32)
            longer = [k for k, o in enumerate(options) if len(o.words) > 1]
            if longer:
                fluency[longer], unseen[longer] = self.fluency([options[k].words for k in longer])
            logq = np.array([s.log_keep] + [s.log_swap + o.logq for o in swaps])
            column = self._columns[key] = _Column(
                options=options,
                logq=logq,
                first=np.array(ids[0::2], dtype=np.int64),
                last=np.array(ids[1::2], dtype=np.int64),
                swapped=np.arange(len(options)) > 0,
                mined=np.array([o.source == "spin-table" for o in options]),
                single=np.array([len(o.words) == 1 for o in options]),
                alone=(np.arange(1, len(options))[:, None], logq[1:]),
                length=np.array([len(o.words) for o in options]),
                fluency=fluency,
                unseen=unseen,
            )
        return column

    def _repairs(self, items: Sequence[tuple[_Readings, str | None, str | None, int]],
                 kept: Sequence[float] | None = None) -> list[tuple[np.ndarray, float]]:
        """For each (readings, left word, right word, unseen pairs as written): which combined
        readings score_span could accept. Those are the readings that leave no more unseen pairs
        than the written words: fewer, or as many where a mined swap or a listed name may vouch
        for them. The pairs inside a multi-word reading are not counted here, so the count is a
        lower bound and nothing acceptable is dropped.

        With `kept` (each span's score as written, as _judge has it), also the most any
        accepted reading could gain over it, counting every reading of several words as a listed
        term: a span that cannot reach `min_gain` need not be judged, and on clean prose that is
        nearly every span. Spans are grouped by length and each group shares one look-up."""
        s = self.settings
        results: list[tuple[np.ndarray, float]] = [(np.zeros(0, dtype=bool), -math.inf)] * len(items)
        by_length: dict[int, list[int]] = {}
        for k, (readings, *_) in enumerate(items):
            if len(readings.chosen):
                by_length.setdefault(len(readings.columns), []).append(k)
        for length, members in by_length.items():
            chosen = np.concatenate([items[k][0].chosen for k in members])
            sizes = [len(items[k][0].chosen) for k in members]
            owner = np.repeat(np.arange(len(members)), sizes)
            # Each position's readings, looked up in the columns of all spans laid end to end.
            firsts, lasts = [], []
            mined = np.zeros(len(chosen), dtype=bool)
            one_word = np.zeros(len(chosen), dtype=bool)  # only a reading of several words can be a listed name
            words = np.zeros(len(chosen), dtype=np.int64)
            fluency = np.zeros(len(chosen))
            inner_unseen = np.zeros(len(chosen), dtype=np.int64)
            for i in range(length):
                columns = [items[k][0].columns[i] for k in members]
                widths = np.array([len(c.options) for c in columns])
                at = (np.cumsum(widths) - widths)[owner] + chosen[:, i]
                firsts.append(np.concatenate([c.first for c in columns])[at])
                lasts.append(np.concatenate([c.last for c in columns])[at])
                mined |= np.concatenate([c.mined for c in columns])[at]
                if length == 1:
                    one_word = np.concatenate([c.single for c in columns])[at]
                if kept is not None:
                    words += np.concatenate([c.length for c in columns])[at]
                    fluency += np.concatenate([c.fluency for c in columns])[at]
                    inner_unseen += np.concatenate([c.unseen for c in columns])[at]
            # Every pair of every reading, context included; -1 marks a clause edge.
            left = np.array([self.phrases.ids((items[k][1],))[0] if items[k][1] else -1 for k in members])[owner]
            right = np.array([self.phrases.ids((items[k][2],))[0] if items[k][2] else -1 for k in members])[owner]
            edge = np.concatenate([left < 0, np.zeros(len(chosen) * (length - 1), dtype=bool), right < 0])
            ask = np.flatnonzero(~edge)
            missing = np.zeros(len(edge))
            values = np.zeros(len(edge))
            if len(ask):
                pairs = np.concatenate([left, *lasts])[ask], np.concatenate([*firsts, right])[ask]
                if kept is None:
                    missing[ask] = np.isnan(self.phrases.pairs(*pairs))
                else:
                    values[ask], missing[ask] = self._pair_values(*pairs)
            count = missing.reshape(length + 1, len(chosen)).sum(axis=0)
            unseen = np.array([items[k][3] for k in members])[owner]
            keep = (count < unseen) | ((count == unseen) & (mined | ~one_word))
            best = np.full(len(members), -math.inf)
            if kept is not None:
                # fluency() of the context and the reading, summed in another order.
                for context in (left, right):
                    fluency += np.where(context >= 0, s.unigram_weight * LN10 * (self.phrases.zipf_of(context) - 9.0), 0.0)
                fluency += values.reshape(length + 1, len(chosen)).sum(axis=0)
                gain = (fluency + np.concatenate([items[k][0].logq for k in members])
                        - s.length_penalty * np.abs(words - length) + s.term_bonus * (words > 1)
                        - np.array([kept[k] for k in members])[owner])
                accepted = keep & (count + inner_unseen <= unseen)
                np.maximum.at(best, owner[accepted], gain[accepted])
            for n, (k, part) in enumerate(zip(members, np.split(keep, np.cumsum(sizes)[:-1]))):
                results[k] = (part, float(best[n]))
        return results

    def _combinations_many(self, spans: Sequence[Sequence[_Column]]) -> list[tuple[np.ndarray, np.ndarray]]:
        """_combinations of the columns of many spans. Spans of two words with swaps at both
        ends, which are most of the work, are combined all at once: one grid of every reading
        of every span, whose pairs cost one look-up."""
        results: list[tuple[np.ndarray, np.ndarray] | None] = [None] * len(spans)
        grid = []
        for k, columns in enumerate(spans):
            if len(columns) == 2 and len(columns[0].options) > 1 and len(columns[1].options) > 1:
                grid.append(k)
            else:
                results[k] = self._combinations(columns)
        # In groups of at most GRID_CELLS readings, so that memory stays bounded however many
        # spans a caller hands over at once (a long text's compounds all come together).
        groups: list[list[int]] = [[]]
        cells = 0
        for k in grid:
            size = (len(spans[k][0].options) - 1) * (len(spans[k][1].options) - 1)
            if groups[-1] and cells + size > GRID_CELLS:
                groups.append([])
                cells = 0
            groups[-1].append(k)
            cells += size
        for group in groups:
            for k, combined in zip(group, self._swapped_pairs([spans[k] for k in group])):
                results[k] = combined
        return results

    def _swapped_pairs(self, spans: Sequence[Sequence[_Column]]) -> list[tuple[np.ndarray, np.ndarray]]:
        """_combinations of two-word spans whose words both have swaps, the same readings in the
        same order: a swap of the first word times a swap of the second, those whose pair was
        seen somewhere and the likeliest few of the others."""
        if not spans:
            return []
        wide = np.array([len(a.options) - 1 for a, _ in spans])
        deep = np.array([len(b.options) - 1 for _, b in spans])
        size = wide * deep
        start = np.cumsum(size) - size
        owner = np.repeat(np.arange(len(spans)), size)
        # Each cell's swap of the first word (row) and of the second (col), counted from 0.
        row, col = np.divmod(np.arange(len(owner)) - start[owner], deep[owner])
        at_a = (np.cumsum(wide) - wide)[owner] + row
        at_b = (np.cumsum(deep) - deep)[owner] + col
        logq = (np.concatenate([a.logq[1:] for a, _ in spans])[at_a]
                + np.concatenate([b.logq[1:] for _, b in spans])[at_b])
        unseen = np.isnan(self.phrases.pairs(np.concatenate([a.last[1:] for a, _ in spans])[at_a],
                                             np.concatenate([b.first[1:] for _, b in spans])[at_b]))
        keep = ~unseen
        # Technical terms are often missing from the counts: the likeliest unseen readings
        # stay, for the context model (or a listed term) to judge.
        odd = np.flatnonzero(unseen)
        per_span = np.bincount(owner[odd], minlength=len(spans))
        few = per_span[owner[odd]] <= self.settings.unseen_kept
        keep[odd[few]] = True
        ends = np.cumsum(per_span)
        for k in np.flatnonzero(per_span > self.settings.unseen_kept).tolist():
            keep[_likeliest(odd[ends[k] - per_span[k] : ends[k]], logq, self.settings.unseen_kept)] = True
        kept = np.flatnonzero(keep)
        chosen = np.stack([row[kept] + 1, col[kept] + 1], axis=1)
        logq = logq[kept]
        bounds = np.cumsum(np.bincount(owner[kept], minlength=len(spans))).tolist()
        return [(chosen[a:b], logq[a:b]) for a, b in zip([0, *bounds[:-1]], bounds)]

    def _combinations(self, columns: Sequence[_Column]) -> tuple[np.ndarray, np.ndarray]:
        """Per-word readings combined, left to right, pruned as they grow: in a multi-word span
        the first and last words must be swapped (else it is a shorter span), and two swapped
        neighbours must form a pair seen somewhere (else the reading explains nothing). Returns
        the index of the reading at each position (one row per combination, in left-to-right
        order) and the summed log q."""
        if len(columns) == 1:
            return columns[0].alone
        if len(columns[0].options) == 1 or len(columns[-1].options) == 1:
            # An end word without swaps: no reading of the whole span.
            return np.zeros((0, len(columns)), dtype=np.int64), np.zeros(0)
        start = columns[0]
        rows = np.flatnonzero(start.swapped)
        chosen = rows[:, None]
        logq = start.logq[rows]
        last, swapped = start.last[rows], start.swapped[rows]
        for position, column in enumerate(columns[1:], start=1):
            picks = np.arange(len(column.options))
            if position == len(columns) - 1:
                picks = picks[column.swapped]
            # Every partial reading times every reading here, partial-major, as a grid.
            grown_logq = (logq[:, None] + column.logq[picks]).ravel()
            checked = swapped[:, None] & column.swapped[picks]
            unseen = (checked & np.isnan(self.phrases.pairs(last[:, None], column.first[picks]))).ravel()
            keep = ~unseen
            # Technical terms are often missing from the counts: the likeliest unseen readings
            # stay, for the context model (or a listed term) to judge.
            keep[_likeliest(np.flatnonzero(unseen), grown_logq, self.settings.unseen_kept)] = True
            kept = np.flatnonzero(keep)
            parent, pick = np.divmod(kept, len(picks))
            pick = picks[pick]
            chosen = np.concatenate([chosen[parent], pick[:, None]], axis=1)
            logq = grown_logq[kept]
            last, swapped = column.last[pick], column.swapped[pick]
        return chosen, logq

    # -- scoring ----------------------------------------------------------------------------

    def fluency(self, sequences: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """Association score of each word sequence (context words included), and how many of
        its adjacent pairs were never seen together.

        Association (pointwise mutual information, capped) rather than raw probability: spinning
        shows as words that do not belong together, not as rare words, and a rare word is no
        reason to swap it for a frequent one. A small share of plain frequency remains.
        """
        s = self.settings
        n = len(sequences)
        lengths = np.fromiter(map(len, sequences), dtype=np.int64, count=n)
        ids = np.array(self.phrases.ids(w for seq in sequences for w in seq), dtype=np.int64)
        owner = np.repeat(np.arange(n), lengths)
        inside = owner[:-1] == owner[1:]  # pairs within one sequence, not across two
        owners = owner[:-1][inside]
        values, missing = self._pair_values(ids[:-1][inside], ids[1:][inside])
        total = np.bincount(owners, weights=values, minlength=n).astype(np.float64)
        unseen = np.bincount(owners, weights=missing, minlength=n).astype(np.int32)
        total += s.unigram_weight * LN10 * np.bincount(owner, weights=self.phrases.zipf_of(ids) - 9.0, minlength=n)
        return total, unseen

    def _pair_values(self, first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """What each pair of word ids adds to fluency(), and whether it was never seen together."""
        s = self.settings
        if s.small_count_weight is None:
            z, cap = self.phrases.pairs(first, second), s.pmi_cap
        else:
            z, small = self.phrases.pairs_and_small_counts(first, second)
            cap = np.minimum(s.pmi_cap, s.small_count_weight * small)
        za = np.maximum(self.phrases.zipf_of(first), 1.0)
        zb = np.maximum(self.phrases.zipf_of(second), 1.0)
        missing = np.isnan(z)
        pmi = np.minimum(cap, LN10 * (np.fmin(z, np.minimum(za, zb)) - za - zb + 9.0))
        return np.where(missing, s.backoff, pmi), missing

    def score_span(self, span: Sequence[str], left: str | None, right: str | None,
                   first: int = 0, last: int = 0, name: bool = False) -> Scored | None:
        """Score a span of lowercase words between its neighbouring words (None at clause edges);
        `name`: the span is capitalised throughout."""
        return self.score_spans([Request(tuple(span), left, right, first, last, name)])[0]

    def score_spans(self, requests: Sequence[Request]) -> list[Scored | None]:
        """score_span for many spans at once: the same results, with the look-ups and the
        fluency of all of them done in a few vectorised calls."""
        phrases = self.phrases
        contexts = [((r.left,) if r.left else (), (r.right,) if r.right else ()) for r in requests]
        written = [before + r.span + after for r, (before, after) in zip(requests, contexts)]
        # The written words' score, which a reading must beat, and their pairs never seen together.
        as_written, written_unseen = self.fluency(written)
        spans_of_more = [i for i, r in enumerate(requests) if len(r.span) > 1 and written_unseen[i]]
        listed = phrases.terms([requests[i].span for i in spans_of_more])
        # Every pair attested: nothing here needs explaining; a listed name or term is never rewritten.
        live = [i for i in range(len(requests)) if written_unseen[i]]
        live = sorted(set(live) - {i for i, term in zip(spans_of_more, listed) if term})
        readings = self._readings_many([(requests[i].span, requests[i].name) for i in live])
        kept = as_written[live] + np.array([len(requests[i].span) for i in live]) * self.settings.log_keep
        screens = self._repairs([(rd, requests[i].left, requests[i].right, int(written_unseen[i]))
                                 for i, rd in zip(live, readings)], kept.tolist())
        candidates = {}
        for i, rd, (keep, best) in zip(live, readings, screens):
            # The bound is summed in another order than _judge sums: a hair of slack.
            if not rd.found and best < self._bar(len(requests[i].span)) - 1e-6:
                continue
            found = self._candidates(requests[i].span, rd.only(keep))
            if found:
                candidates[i] = found
        results: list[Scored | None] = [None] * len(requests)
        if not candidates:
            return results
        seqs, owners = [], []
        for i, found in candidates.items():
            before, after = contexts[i]
            seqs.append(written[i])
            seqs += [before + c + after for c, _, _ in found]
            owners.append(len(found) + 1)
        flu, unseen = self.fluency(seqs)
        longer = [(i, k) for i, found in candidates.items() for k, (c, _, _) in enumerate(found) if len(c) > 1]
        terms = dict(zip(longer, phrases.terms([candidates[i][k][0] for i, k in longer]).tolist()))
        odd_inside, odd_plain = self._odd_inside([requests[i].span for i in candidates])
        at = 0
        for (i, found), size, odd, plain in zip(candidates.items(), owners, odd_inside, odd_plain):
            r = requests[i]
            results[i] = self._judge(r, found, flu[at : at + size], unseen[at : at + size],
                                     [terms.get((i, k), False) for k in range(len(found))], int(odd), int(plain))
            at += size
        return results

    def _odd_inside(self, sequences: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """For each word sequence, how many of its adjacent pairs were never seen together, and
        how many of those the counts could have seen: not a pair after a possessive ("lion's
        share"), which only the small corpora count, since the web counts hold no possessives."""
        pairs, owner = _adjacent(sequences)
        unseen = np.isnan(self.phrases.phrases(pairs))
        plain = unseen & np.array([not possessive(a)[1] for a, _ in pairs], dtype=bool)
        return tuple(np.bincount(owner, weights=w, minlength=len(sequences)).astype(np.int64)
                     for w in (unseen, plain))

    def _judge(self, request: Request, candidates, flu: np.ndarray, unseen: np.ndarray,
               terms: Sequence[bool], odd_inside: int, odd_plain: int) -> Scored | None:
        """The best reading of one span against keeping it, from the fluency of the written
        words (index 0) and of each candidate. `odd_inside`: pairs inside the span never seen
        together; `odd_plain`: those of them the counts could have seen (not after a possessive)."""
        s = self.settings
        span = request.span
        kept = flu[0] + len(span) * s.log_keep
        scored = []
        for (cand, logq, sources), f, u, term in zip(candidates, flu[1:], unseen[1:], terms):
            # A phrase known only as the middle of a longer tortured phrase speaks for itself
            # only where its own words are odd together ("half breed" for "hybrid"); where they
            # may be plain English ("lion's share" for "majority", mined from "lion's share
            # vote"), it is judged as a single mined swap is.
            observed = "spin-table-phrase" in sources or ("spin-table-middle" in sources and odd_plain > 0)
            # A restoration must repair an odd pair, not move it elsewhere; a listed name or an
            # observed phrase swap may leave the pair count as it was.
            if not observed and (u > unseen[0] or (u == unseen[0] and not term and not MINED.intersection(sources))):
                continue
            total = f + logq
            if not observed:
                total -= s.length_penalty * abs(len(cand) - len(span))
            if term:
                total += s.term_bonus
            if observed:
                # An observed phrase swap whose spun words were never seen together is hard to
                # explain any other way ("Congressional Finances Workplace"), even where counts
                # know nothing of the original.
                total += s.observed_phrase_bonus * odd_inside
            scored.append((" ".join(cand), float(total - kept), sources))
        if not scored:
            return None
        scored.sort(key=lambda c: -c[1])
        best, best_gain, _ = scored[0]
        if best_gain < self._bar(len(span), _every_word_swapped(span, best.split())):
            return None
        return Scored(request.first, request.last, best_gain, scored[:5])

    def _bar(self, length: int, swapped: bool = True) -> float:
        """The least gain at which a span of `length` words is reported; `swapped`: its reading
        swaps every word (the least bar any reading of the span could meet, by default)."""
        s = self.settings
        return min(s.min_gain, s.swapped_gain) if length > 1 and swapped else s.min_gain


def _every_word_swapped(span: Sequence[str], reading: Sequence[str]) -> bool:
    return len(reading) == len(span) and all(a != b for a, b in zip(span, reading))


def _likeliest(indices: np.ndarray, values: np.ndarray, k: int) -> np.ndarray:
    """The `k` of `indices` whose values are highest, ties going to the earlier index: the first
    `k` of a stable sort, as a set, found without sorting them all."""
    if len(indices) <= k:
        return indices
    wanted = values[indices]
    bar = np.partition(wanted, len(wanted) - k)[len(wanted) - k]
    chosen = wanted > bar
    chosen[np.flatnonzero(wanted == bar)[: k - np.count_nonzero(chosen)]] = True
    return indices[chosen]


def _adjacent(sequences: Sequence[Sequence[str]]) -> tuple[list[tuple[str, str]], np.ndarray]:
    """Every adjacent pair of words of the sequences, and the index of the sequence it is in."""
    pairs = [(a, b) for seq in sequences for a, b in zip(seq, seq[1:])]
    return pairs, np.repeat(np.arange(len(sequences)), [max(len(seq) - 1, 0) for seq in sequences])


def _spelling_variant(a: str, b: str) -> bool:
    """Two spellings of one word: equal but for hyphens and spaces, or nearly equal letters."""
    plain_a, plain_b = a.replace("-", "").replace(" ", ""), b.replace("-", "").replace(" ", "")
    if plain_a == plain_b:
        return True
    if plain_a[:1] != plain_b[:1] or abs(len(plain_a) - len(plain_b)) > 2:
        return False  # the cheap test settles most pairs; SequenceMatcher is slow
    matcher = SequenceMatcher(None, plain_a, plain_b)
    return matcher.quick_ratio() >= 0.8 and matcher.ratio() >= 0.8  # quick_ratio bounds ratio from above
