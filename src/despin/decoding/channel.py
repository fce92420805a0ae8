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
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import product

import numpy as np

from despin.candidates.morphology import inflect_like, lemmas
from despin.candidates.spin_table import SpinTable
from despin.candidates.thesaurus import Thesaurus
from despin.scoring.ngrams import PhraseTable

LN10 = math.log(10)

# Words a spinner leaves alone and that never start a spun span.
STOPWORDS = frozenset(
    """a an the and or but if of in on at to for from by with as is are was were be been being it its
    this that these those he she they we you i his her their our your my me him them us not no so than
    then there here which who whom whose what when where why how all any each both few more most other
    some such only own same too very can will just do does did has have had would should could may might
    must shall into over under about after before between through during above below up down out off
    again further once also""".split()
)


@dataclass(frozen=True)
class Settings:
    """Weights of the channel model; tuned on `dev` fingerprints and clean `build` prose only."""

    log_keep: float = math.log(0.97)  # a word stays as it is
    log_swap: float = math.log(0.03)  # a word is swapped (before the source's own probability)
    backoff: float = -2.0  # association of two words never seen together
    unigram_weight: float = 0.2  # how much plain word frequency still counts
    pmi_cap: float = 4.0  # no single pair of words can outweigh everything else
    length_penalty: float = 3.0  # per word a restoration adds or drops
    table_bonus: float = 2.0  # mined swaps come from real spinners
    moby_penalty: float = -1.0  # Moby lists loose associations as well as synonyms
    term_bonus: float = 3.0  # the candidate is a listed name or term
    max_options: tuple[int, ...] = (60, 30, 12, 6)  # per-word candidates kept, by span length
    min_gain: float = 2.0  # log-odds gain below which a span is not reported at all


@dataclass(frozen=True)
class Option:
    """One way to read one spun word (or a fixed multi-word swap)."""

    words: tuple[str, ...]
    logq: float
    source: str


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

    # -- candidates -------------------------------------------------------------------------

    def word_options(self, word: str) -> tuple[Option, ...]:
        """Originals a spinner may have replaced by `word` (lowercase), best first, itself excluded."""
        cached = self._options_cache.get(word)
        if cached is not None:
            return cached
        s = self.settings
        best: dict[tuple[str, ...], Option] = {}

        own = set(lemmas(word))

        def offer(original: str, logq: float, source: str) -> None:
            form = inflect_like(original, word) if original.count(" ") == 0 else original
            words = tuple(form.split())
            # Spinners replace words; an entry that contains the word itself ("cotton" ->
            # "cotton plant") is a thesaurus gloss, not an original.
            if not words or words == (word,) or (len(words) > 1 and own & set(original.split())):
                return
            if words not in best or best[words].logq < logq:
                best[words] = Option(words, logq, source)

        for original, count in self.table.word_candidates(word).items():
            offer(original, math.log(count / (count + 1)) + s.table_bonus, "spin-table")
        for lemma in lemmas(word):
            for syn in self.thesaurus.originals(lemma):
                penalty = s.moby_penalty if syn.source == "moby" else 0.0
                offer(syn.original, syn.logp + penalty, syn.source)
        # Spinners swap common words for rarer ones: prefer frequent originals.
        ranked = sorted(
            best.values(),
            key=lambda o: -(o.logq + 0.5 * self.phrases.word(" ".join(o.words))),
        )
        result = tuple(ranked[: s.max_options[0]])
        self._options_cache[word] = result
        return result

    def span_candidates(self, span: Sequence[str]) -> list[tuple[tuple[str, ...], float, tuple[str, ...]]]:
        """(words, log q, sources) of candidate originals of a span of lowercase words."""
        s = self.settings
        found: dict[tuple[str, ...], tuple[float, tuple[str, ...]]] = {}

        def offer(words: tuple[str, ...], logq: float, sources: tuple[str, ...]) -> None:
            if words != tuple(span) and (words not in found or found[words][0] < logq):
                found[words] = (logq, sources)

        for original, count in self.table.phrases.get(tuple(span), {}).items():
            # A whole phrase seen swapped on real pages: no per-word swap cost.
            offer(tuple(original.split()), math.log(count / (count + 1)), ("spin-table-phrase",))
        if len(span) > 1:
            for syn in self.thesaurus.originals(" ".join(span)):
                penalty = s.moby_penalty if syn.source == "moby" else 0.0
                offer(tuple(syn.original.split()), s.log_swap + syn.logp + penalty, (syn.source,))
        limit = s.max_options[min(len(span), len(s.max_options)) - 1]
        per_word = []
        for word in span:
            keep = Option((word,), s.log_keep, "kept")
            swaps = [] if word in STOPWORDS else list(self.word_options(word)[:limit])
            per_word.append([keep] + [Option(o.words, s.log_swap + o.logq, o.source) for o in swaps])
        for combo in product(*per_word):
            if all(o.source == "kept" for o in combo):
                continue
            # Every word of a multi-word span must be swapped, or the span is a shorter one.
            if len(span) > 1 and (combo[0].source == "kept" or combo[-1].source == "kept"):
                continue
            words = tuple(w for o in combo for w in o.words)
            sources = tuple(sorted({o.source for o in combo if o.source != "kept"}))
            offer(words, sum(o.logq for o in combo), sources)
        return [(w, lq, src) for w, (lq, src) in found.items()]

    # -- scoring ----------------------------------------------------------------------------

    def fluency(self, sequences: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """Association score of each word sequence (context words included), and how many of
        its adjacent pairs were never seen together.

        Association (pointwise mutual information, capped) rather than raw probability: spinning
        shows as words that do not belong together, not as rare words, and a rare word is no
        reason to swap it for a frequent one. A small share of plain frequency remains.
        """
        s = self.settings
        pairs = []
        owners = []
        for i, seq in enumerate(sequences):
            for a, b in zip(seq, seq[1:]):
                pairs.append((a, b))
                owners.append(i)
        zipf_pair = self.phrases.phrases(pairs)
        total = np.zeros(len(sequences))
        unseen = np.zeros(len(sequences), dtype=np.int32)
        for (a, b), owner, z in zip(pairs, owners, zipf_pair):
            if math.isnan(z):
                total[owner] += s.backoff
                unseen[owner] += 1
            else:
                za = max(self.phrases.word(a), 1.0)
                zb = max(self.phrases.word(b), 1.0)
                total[owner] += min(s.pmi_cap, LN10 * (min(z, za, zb) - za - zb + 9.0))
        for i, seq in enumerate(sequences):
            total[i] += s.unigram_weight * LN10 * sum(self.phrases.word(w) - 9.0 for w in seq)
        return total, unseen

    def score_span(self, span: Sequence[str], left: str | None, right: str | None,
                   first: int = 0, last: int = 0) -> Scored | None:
        """Score a span of lowercase words between its neighbouring words (None at clause edges)."""
        candidates = self.span_candidates(span)
        if not candidates:
            return None
        before = (left,) if left else ()
        after = (right,) if right else ()
        seqs = [before + tuple(span) + after] + [before + c + after for c, _, _ in candidates]
        s = self.settings
        flu, unseen = self.fluency(seqs)
        if unseen[0] == 0:
            return None  # every pair is attested: nothing here needs explaining
        kept = flu[0] + len(span) * s.log_keep
        name = span[0] != "" and len(span) > 1 and self.phrases.is_term(span)
        if name:
            return None  # a listed name or term is never rewritten
        scored = []
        for (cand, logq, sources), f, u in zip(candidates, flu[1:], unseen[1:]):
            term = len(cand) > 1 and self.phrases.is_term(cand)
            observed = "spin-table-phrase" in sources
            # A restoration must repair an odd pair, not move it elsewhere; a listed name or an
            # observed phrase swap may leave the pair count as it was.
            if not observed and (u > unseen[0] or (u == unseen[0] and not term and "spin-table" not in sources)):
                continue
            total = f + logq
            if not observed:
                total -= s.length_penalty * abs(len(cand) - len(span))
            if term:
                total += s.term_bonus
            scored.append((" ".join(cand), float(total - kept), sources))
        if not scored:
            return None
        scored.sort(key=lambda c: -c[1])
        best_gain = scored[0][1]
        if best_gain < s.min_gain:
            return None
        return Scored(first, last, best_gain, scored[:5])
