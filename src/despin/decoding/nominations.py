"""One pass of the context model over a text: single words one of whose thesaurus originals it
finds much likelier (nominations), and pairs of neighbouring words it finds unlikely together."""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from despin.candidates.morphology import match_case, possessive
from despin.decoding.channel import STOPWORDS, Option, Settings
from despin.decoding.channel_pass import ChannelPass
from despin.decoding.tokens import Token, rewritten, sentences, tokenize
from despin.scoring import collocation
from despin.types import Alternative, Evidence, Finding

# Nominations: a word is judged when one of its thesaurus originals (all the channel keeps, up
# to 60) beats it by this score: the nats by which the original's first token beats the written
# word's, plus NOMINATION_ZIPF_WEIGHT times how much more common the original is (spinners swap
# common words for rarer ones). Chosen on `tune` paragraphs spun by bench/spinner.py and on clean
# `tune` paragraphs: at 8.4 about 3 in 4 nominations are spun words and clean prose gives 5 per
# 1,000 words, so every text can afford them; in a text shown to be spun, 6.5 (20 per 1,000 in
# clean prose) finds a further 10% of the spun words. The frequency term nominated 11% more spun
# words than the first token alone at the same rate in clean prose (docs/lm.md).
NOMINATION_GAIN = 8.4
SPUN_NOMINATION_GAIN = 6.5
NOMINATION_ZIPF_WEIGHT = 1.0
# In that later round, the written word is read whole, not by its first token: a rare word's
# first piece is often a common one ("achromic" is " a" + "chrom" + "ic", and after "good guy or"
# the article " a" outscored "white" by 6.7 nats). Tried in every round on `tune` data: spun
# paragraphs 81 -> 91 of 203 spun words rewritten right, but clean prose 12 -> 46 changed words
# of 20,040 ("bildungsroman" -> "novel"): the first-token reading had been what spared a
# writer's rare words. Every round, with the words it alone lifts flagged unless the text is
# shown spun: 83 words, the same 12 changed, flags 10.8 -> 16.0 per 1,000. The later round only:
# 84 words, clean prose and 300 held-out `dev` rows as before (docs/lm.md, twenty-sixth session).
# An original the spin table holds (a swap seen on real spun pages or in mined tortured phrases:
# "assault" -> "attack") adds this to the first look: spinners make that swap. A word that
# reaches the bar only with it is flagged, not rewritten, until the text is shown to be spun.
# On 300 held-out dev rows: recall 0.630 -> 0.740, precision 0.974 -> 0.965, top-1 29.0% ->
# 33.3% (a bonus of 3.0: 0.653 and 30.3%). Allowed to rewrite everywhere, it changed 2 more
# words of clean `tune` prose ("kingdom" -> "class"); as flags, none, but flags there went from
# 6.5 to 8.9 per 1,000 words. Spun `tune` news: unchanged (66 of 203 words rewritten right).
TABLE_NOMINATION_BONUS = 6.0
# The first token sees only the words before it. NOMINATION_NEXT_WEIGHT times how much better an
# original goes with the next word by the phrase counts ("training set", not "preparation set")
# adds the other side: a word that reaches NEXT_NOMINATION_GAIN (SPUN_NEXT_NOMINATION_GAIN) only
# with it is judged last, its originals ordered with it, and flagged, not rewritten (but see
# model_rounds.SPUN_TEXT_GAIN). Rewriting those too, or reordering the originals of words
# nominated without it, changed rare words of clean prose ("bifurcated" -> "divided"): 7 -> 9
# or 10 changed words in 20,028 (docs/lm.md).
NOMINATION_NEXT_WEIGHT = 0.5
NEXT_NOMINATION_GAIN = 8.7
SPUN_NEXT_NOMINATION_GAIN = 6.55
NOMINATED_OPTIONS = 5  # a nominated word's originals judged, by the first look (10: the same top-1)
# ... and the channel's own best few, which the first look may miss: on 300 held-out dev rows,
# top-1 20.7% -> 26.0% with 2 of them, 26.3% with 3.
CHANNEL_OPTIONS = 2
NOMINATION_BATCH = 64  # sentences per batched pass of the model
# A pair of words flagged only because the model finds them unlikely together is flagged, not
# rewritten (but see model_rounds.SPUN_TEXT_GAIN): the fit behind it saw carrier sentences, not
# prose, and its candidates are ranked by first tokens that read the other spun word.
ODD_PAIR_CAP = 0.45
# A pair up to this far below the test's bar is flagged only when one of its candidates reads
# much better in the whole sentence (a rescorer confidence of
# model_rounds.TENTATIVE_PAIR_CONFIDENCE): on 300 held-out dev rows, recall 0.607 -> 0.633
# and top-1 26.0% -> 28.7% at the same precision (eighth session, 1.0 and 0.5). Since the
# thirteenth: 2.0 and 0.3, with the pair test's phrase-counts feature: recall 0.787 -> 0.797
# at precision 0.948 -> 0.952 (a margin of 3.0 finds no more); clean `tune` prose: the same 11
# changed words, pair flags 2.8 -> 3.2 per 1,000 words (docs/lm.md).
TENTATIVE_PAIR_MARGIN = 2.0
PAIR_OPTIONS = 5  # originals of each word combined for such a pair, and combinations judged, by the first look
BESIDE_OPTIONS = 2  # ... and a word judged beside a finding: its originals that go best with that restoration


class Nomination(NamedTuple):
    """A word the model nominates: its best score with the next word, its first look, its first
    look without the spin table's bonus, and the finding with its originals ordered by the first
    look and by the first look with the next word."""

    with_next: float
    first_look: float
    plain: float
    by_first: Finding
    by_next: Finding


@dataclass(frozen=True)
class Pair:
    """Two neighbouring lowercase content words, each alone with its originals by the first look,
    and the pair as a flag where the pair test finds it odd (None: an ordinary pair)."""

    pair: Finding | None
    words: tuple[Finding, Finding]
    sure: bool = True  # at or above the test's bar; below it, only a candidate the model reads far better flags it

    @property
    def start(self) -> int:
        return self.words[0].start

    @property
    def end(self) -> int:
        return self.words[1].end


class Nominator:
    """Asks the context model about the words of a text, in batches of sentences."""

    def __init__(self, channel_pass: ChannelPass, model, settings: Settings):
        self.channel_pass = channel_pass
        self.model = model  # scoring.lm.ContextModel or a stand-in with its `read`
        self.settings = settings
        self.pair_trace: list[tuple[int, int, tuple[float, ...]]] | None = None  # see pair_features

    @property
    def channel(self):
        return self.channel_pass.channel

    def pair_features(self, text: str) -> list[tuple[int, int, tuple[float, ...]]]:
        """(start, end, features) of every pair of neighbouring words the pair test reads in
        `text`, whatever its verdict: what bench/fit_collocations.py fits the test's weights on."""
        self.pair_trace = []
        try:
            self.nominate(text, tokenize(text), set(), pairs=True)
            return self.pair_trace
        finally:
            self.pair_trace = None

    def nominate(self, text: str, tokens: Sequence[Token], covered: set[int], rewrites: Sequence[Finding] = (),
                 pairs: bool = False, names_and_rare: bool = False
                 ) -> tuple[list[Nomination], list[Pair]]:
        """Single words whose pairs the counts may know, but where one pass of the model finds
        one of their thesaurus originals much likelier ("handed the invoice"), with that gain in
        nats (first tokens only: the rescorer then judges whole sentences), as (score with the
        next word, score without it, score without the spin table's bonus either, the finding with
        its originals ordered without the next word, and with). The model reads the text with
        `rewrites` (accepted restorations, sorted by offset) in place of the written words.

        With `pairs`, the same pass also reads every two neighbouring spinnable lowercase words, and
        flags those the model finds unlikely together for words that common ("bosom peril";
        scoring/collocation.py).
        With `names_and_rare`, capitalised names and rare words may be nominated too (_nominable).
        """
        found: list[Nomination] = []
        pairs_read: list[Pair] = []
        asked = []  # (sentence text, queries, owners, ranges, pairs) for one batched pass of the model
        words = [t for t in tokens if t.is_word]
        cursor = 0
        pending = list(rewrites)[::-1]  # popped in text order
        for lo, hi in sentences(text):
            inside = []
            while pending and pending[-1].start < hi:
                change = pending.pop()
                if change.start >= lo:
                    inside.append(change)
            # Sentences and words both run left to right: walk the words once, not per sentence.
            while cursor < len(words) and words[cursor].start < lo:
                cursor += 1
            end = cursor
            while end < len(words) and words[end].start < hi:
                end += 1
            sentence_words, cursor = words[cursor:end], end
            queries, owners = [], []
            shift, at = 0, 0  # how far the rewrites before a word moved it
            restored = {c.start: c.restoration for c in inside}
            plain: dict[int, tuple[int, int]] = {}  # lowercase content words: their range in the sentence
            for i, token in enumerate(sentence_words):
                while at < len(inside) and inside[at].end <= token.start:
                    change = inside[at]
                    shift += len(change.restoration) - (change.end - change.start)
                    at += 1
                lower = token.lower
                if token.start in covered or not self._nominable(token, lower, i == 0, names_and_rare):
                    continue
                # A possessive is followed by any noun ("the range's highest peak"), which the
                # pair test, fitted on tortured phrases, would read as an odd pair.
                if pairs and token.text.islower() and not possessive(lower)[1] and self.channel_pass.spinnable(lower):
                    plain[i] = (token.start - lo + shift, token.end - lo + shift)
                options = self.channel.word_options(lower)
                if options:
                    queries.append((token.start - lo + shift,
                                    [match_case(" ".join(o.words), token.text) for o in options]))
                    owners.append((token, options, _next_word(text, sentence_words, i, restored)))
            neighbours = [(sentence_words[i], sentence_words[i + 1], plain[i], plain[i + 1]) for i in plain
                          if i + 1 in plain and text[sentence_words[i].end : sentence_words[i + 1].start] == " "]
            # A listed name or term is never a tortured phrase ("whooping cough").
            listed = self.channel.phrases.terms([(a.lower, b.lower) for a, b, _, _ in neighbours])
            neighbours = [n for n, term in zip(neighbours, listed) if not term]
            # Whether the counts ever saw each pair, for the pair test (_pair): one look-up a sentence.
            seen = self.channel.phrases.phrases([(a.lower, b.lower) for a, b, _, _ in neighbours])
            neighbours = [(*n, bool(z == z)) for n, z in zip(neighbours, seen)]  # NaN: never seen
            if queries or neighbours:
                sentence = rewritten(text, lo, hi, [(c.start, c.end, c.restoration) for c in inside])
                ranges = [r for _, _, first, second, _ in neighbours for r in (first, second)]
                asked.append((sentence, queries, owners, ranges, neighbours))
            if len(asked) == NOMINATION_BATCH:
                found += self._read(asked, pairs_read, whole_words=names_and_rare)
                asked = []
        return found + self._read(asked, pairs_read, whole_words=names_and_rare), pairs_read

    def _read(self, asked: list[tuple[str, list, list, list, list]], pairs: list[Pair], whole_words: bool = False
              ) -> list[Nomination]:
        """The nominations of one batched pass; the pairs of neighbouring words go to `pairs`.
        With `whole_words`, each original's first token is weighed against the whole written word."""
        found = []
        # The written words are not rewritten in the sentence read, so each ends its length past its offset.
        ends = [[offset + len(token.text) for (offset, _), (token, _, _) in zip(queries, owners)]
                for _, queries, owners, _, _ in asked] if whole_words else None
        readings = self.model.read([(sentence, queries, ranges) for sentence, queries, _, ranges, _ in asked],
                                   word_ends=ends)
        gains = [r.gains for r in readings]
        rests = [r.rests or [0.0] * len(r.gains) for r in readings]
        zipf = self.channel.phrases.word
        # The first looks of the words in neighbouring pairs, by offset: (text, option, first look).
        paired = {t.start for *_, neighbours in asked for a, b, *_ in neighbours for t in (a, b)}
        looks: dict[int, list[tuple[str, Option, float]]] = {}
        nexts = iter(self.next_word_gains([owner for _, _, owners, _, _ in asked for owner in owners]))
        for (_, queries, owners, _, _), sentence_gains, sentence_rests in zip(asked, gains, rests):
            for (token, options, _), (_, texts), row, rest in zip(owners, queries, sentence_gains, sentence_rests):
                with_next = next(nexts)
                if not row:
                    continue
                row = [g - rest for g in row]  # rest <= 0: the written word's pieces after its first
                written = zipf(token.lower)
                # A function word is never nominated as the original ("Flourishing" -> "In"):
                # spinners swap content words, and its frequency would outweigh any context.
                commoner = [zipf(" ".join(o.words)) - written if o.words[0] not in STOPWORDS else -math.inf
                            for o in options]
                plain = [g + NOMINATION_ZIPF_WEIGHT * c for g, c in zip(row, commoner)]
                first_look = [f + TABLE_NOMINATION_BONUS if o.source == "spin-table" else f
                              for f, o in zip(plain, options)]
                if token.start in paired:  # the pair test was fitted on first looks without the bonus
                    looks[token.start] = list(zip(texts, options, plain))
                scores = [f + NOMINATION_NEXT_WEIGHT * n for f, n in zip(first_look, with_next)]
                if (max(scores) < min(NEXT_NOMINATION_GAIN, SPUN_NEXT_NOMINATION_GAIN)
                        and max(first_look) < min(NOMINATION_GAIN, SPUN_NOMINATION_GAIN)):
                    continue  # below every round's bar
                rows = [r for r in zip(texts, options, row, commoner, with_next, first_look, scores)
                        if r[6] > -math.inf]
                # Two readings of the same nomination: originals ordered by the first look (what a
                # rewrite may come from) and by the first look with the next word (a flag only).
                by_first = self._nomination(token, _with_channel_best(rows, key=lambda r: -r[5]), rest)
                by_next = self._nomination(token, _with_channel_best(rows, key=lambda r: -r[6]), rest)
                found.append(Nomination(max(scores), max(first_look), max(plain), by_first, by_next))
        for (_, _, _, _, neighbours), reading in zip(asked, readings):
            logprobs = iter(reading.logprobs)
            for first, second, _, _, seen in neighbours:
                pairs.append(self._pair(first, second, next(logprobs), next(logprobs), seen, looks))
        return found

    def _pair(self, first: Token, second: Token, first_logprob: float, second_logprob: float, seen: bool,
              looks: dict[int, list[tuple[str, Option, float]]]) -> Pair:
        """Two neighbouring words, each alone with its originals by the first look (judged when a
        finding covers the other word); when the model finds the pair unlikely for words that
        common, also the pair as a flag, with the likeliest combinations of the two words'
        originals by the first look and by the channel (for the rescorer to judge in the whole sentence)."""
        zipf = self.channel.phrases.word
        # Each word's originals in the channel's order; then each word's readings: as written, the
        # likeliest originals by the first look, and the channel's best.
        options = [[look for look in looks.get(token.start, ()) if look[2] > -math.inf] for token in (first, second)]
        firsts, seconds = ([(token.text, None, 0.0)] + _with_channel_best(found, lambda x: -x[2], PAIR_OPTIONS)
                           for token, found in zip((first, second), options))
        best_look = [max([collocation.NO_LOOK] + [look for _, _, look in readings[1:]])
                     for readings in (firsts, seconds)]
        # The model reads only the words before each word; a pair the counts never saw together
        # (`seen` False) is more often spun.
        features = (first_logprob, second_logprob, zipf(first.lower), zipf(second.lower), *best_look,
                    float(not seen))
        if self.pair_trace is not None:
            self.pair_trace.append((first.start, second.end, features))
        logit = collocation.spun_logit(features)
        prior = self.swap_prior

        def alone(token: Token, readings, confidence: float, evidence: tuple[Evidence, ...]) -> Finding:
            return Finding(
                start=token.start, end=token.end, text=token.text, restoration=None, confidence=confidence,
                rewrite=False, evidence=evidence, alternatives=tuple(
                    Alternative(t, round(prior(o), 3), (o.source,)) for t, o, _ in readings[1:]))

        if logit < collocation.BAR - TENTATIVE_PAIR_MARGIN:
            # An ordinary pair: neither word is asked about unless a finding covers the other.
            return Pair(None, (alone(first, firsts, 0.0, ()), alone(second, seconds, 0.0, ())), sure=False)

        # Each word as written or as the channel's own best originals: the first look of one word
        # reads the other as spun.
        best = [{token.text} | {text for text, _, _ in readings[:CHANNEL_OPTIONS]}
                for token, readings in zip((first, second), options)]
        combos = []
        for text1, option1, look1 in firsts:
            for text2, option2, look2 in seconds:
                swapped = [o for o in (option1, option2) if o is not None]
                if swapped:
                    combos.append((look1 + look2, f"{text1} {text2}", sum(map(prior, swapped)),
                                   tuple(sorted({o.source for o in swapped})),
                                   text1 in best[0] and text2 in best[1]))
        combos.sort(key=lambda c: -c[0])
        # The first looks rank each word's originals without the word after it, and the channel
        # without either neighbour: the original that goes far better with the other word as
        # written, by the phrase counts, is judged too ("managed learning" -> "supervised").
        beside = self.pair_beside(first, second, options)
        chosen = combos[:PAIR_OPTIONS] + [c for c in combos[PAIR_OPTIONS:] if c[4] or c[1] in beside]
        have = {c[1] for c in chosen}
        chosen += [(look, text, prior(option), (option.source,), True)
                   for text, (look, option) in beside.items() if text not in have]
        alternatives = tuple(Alternative(t, round(p, 3), sources) for _, t, p, sources, _ in chosen)
        confidence = round(min(ODD_PAIR_CAP, collocation.probability(logit)), 4)
        evidence = (Evidence("lm-collocation", f'the language model finds "{second.text}" after "{first.text}" '
                             f"unlikely for words this common ({first_logprob:.1f} and {second_logprob:.1f} nats; "
                             f"log-odds {logit:+.1f} that the pair is spun)", round(logit, 3)),)
        pair = Finding(
            start=first.start, end=second.end, text=f"{first.text} {second.text}",
            restoration=alternatives[0].text if alternatives else None, confidence=confidence, rewrite=False,
            alternatives=alternatives, evidence=evidence)
        words = (alone(first, firsts, confidence, evidence), alone(second, seconds, confidence, evidence))
        return Pair(pair, words, logit >= collocation.BAR)

    def pair_beside(self, first: Token, second: Token, options: Sequence[Sequence[tuple[str, Option, float]]]
                     ) -> dict[str, tuple[float, Option]]:
        """The pair with one word changed to one of its BESIDE_OPTIONS originals that go best with the
        other word as written, by the phrase counts (better than the written word does), as text:
        (that original's first look, the original)."""
        out: dict[str, tuple[float, Option]] = {}
        for readings, word, kept, before in ((options[0], first, second, False), (options[1], second, first, True)):
            gains = self._gains_beside(word.lower, [o for _, o, _ in readings], kept.lower, before)
            scored = sorted(((g, r) for g, r in zip(gains, readings) if g > 0), key=lambda item: -item[0])
            for _, (text, option, look) in scored[:BESIDE_OPTIONS]:
                out[f"{kept.text} {text}" if before else f"{text} {kept.text}"] = (look, option)
        return out

    def read_beside(self, word: Finding, beside: Finding) -> Finding:
        """`word` (a word alone, its originals by the first look) beside a finding: each original
        scored with how much better it goes, by the phrase counts, with that finding's restoration,
        and the originals that go best with it added. The first look read only the words before:
        "feeling" is "sentiment" only before "analysis"."""
        restored = (beside.restoration or "").lower().split()
        options = self.channel.word_options(word.text.lower())
        if not options or not restored:
            return word
        before = beside.start < word.start
        gains = self._gains_beside(word.text.lower(), options, restored[-1] if before else restored[0], before)
        # (how much better the pair reads by the counts, the channel's gain with it), by text
        scored = {match_case(" ".join(o.words), word.text): (float(g), self.swap_prior(o) + float(g), o)
                  for o, g in zip(options, gains) if o.words[0] not in STOPWORDS}
        alternatives = [dataclasses.replace(a, score=round(scored[a.text][1], 3)) if a.text in scored else a
                        for a in word.alternatives]
        have = {a.text for a in alternatives}
        better = sorted(((g, text, score, o) for text, (g, score, o) in scored.items() if g > 0 and text not in have),
                        key=lambda item: -item[0])
        alternatives += [Alternative(text, round(score, 3), (o.source,))
                         for _, text, score, o in better[:BESIDE_OPTIONS]]
        return dataclasses.replace(word, alternatives=tuple(alternatives))

    def _gains_beside(self, word: str, options: Sequence[Option], neighbour: str, before: bool):
        """How much better each option goes with `neighbour` than `word` does, by the phrase
        counts: `neighbour` is the word just before (`before`) or just after."""
        if before:
            sequences = [(neighbour, o.words[0]) for o in options] + [(neighbour, word)]
        else:
            sequences = [(o.words[-1], neighbour) for o in options] + [(word, neighbour)]
        fluency = self.channel.fluency(sequences)[0]
        return fluency[:-1] - fluency[-1]

    def swap_prior(self, option: Option) -> float:
        """Log-odds that a spinner wrote the word for this original rather than leaving it: the
        channel's part of a first-look candidate's score, which the rescorer weighs next to the model's."""
        settings = self.settings
        return settings.log_swap + option.logq - settings.log_keep

    def _nomination(self, token: Token, ranked: list[tuple], rest: float = 0.0) -> Finding:
        """`rest`: the log-prob of the written word's pieces after its first, where it was read whole."""
        prior = [self.swap_prior(o) for _, o, *_ in ranked]
        alternatives = tuple(Alternative(t, round(p, 3), (o.source,)) for (t, o, *_), p in zip(ranked, prior))
        best, option, gain, more_common, next_gain, *_ = ranked[0]
        known = ""
        if option.source == "spin-table":
            known = f"; {TABLE_NOMINATION_BONUS:+.1f} as a swap the spin table holds"
        against = f", against the written word read whole ({-rest:.1f} of it after its first piece)" if rest else ""
        return Finding(
            start=token.start, end=token.end, text=token.text, restoration=best,
            confidence=0.0, rewrite=False, alternatives=alternatives,
            evidence=(Evidence("lm-nomination", "one pass of the model found thesaurus originals "
                               f'likelier here (the likeliest, "{best}": {gain:+.1f} nats by its first '
                               f"token{against}; {more_common:+.1f} in word frequency, Zipf; {next_gain:+.1f} "
                               f"with the next word by the phrase counts{known})", round(prior[0], 3)),),
        )

    def next_word_gains(self, owners: Sequence[tuple[Token, tuple, str | None]]) -> list[list[float]]:
        """For each (token, options, next word): how much better each option goes with the next
        word than the written word does, by the phrase counts (0 where no word follows in the clause)."""
        sequences, sizes = [], []
        for token, options, following in owners:
            if following is None:
                sizes.append(0)
                continue
            sequences.append((token.lower, following))
            sequences += [(o.words[-1], following) for o in options]
            sizes.append(len(options) + 1)
        fluency = self.channel.fluency(sequences)[0] if sequences else []
        gains, at = [], 0
        for (_, options, _), size in zip(owners, sizes):
            if size:
                gains.append((fluency[at + 1 : at + size] - fluency[at]).tolist())
            else:
                gains.append([0.0] * len(options))
            at += size
        return gains

    # -- ordinary wordings that spinners write ------------------------------------------------

    def _nominable(self, token: Token, lower: str, opens: bool, names_and_rare: bool) -> bool:
        """Whether the model may nominate this word: a spinnable word that is not a name or a rare
        lowercase word (ModelRounds.judge holds those to a higher bar), or with `names_and_rare` any content
        word of three letters or more."""
        if names_and_rare:
            return len(lower) > 2 and lower not in STOPWORDS
        if self.channel_pass.spinnable(lower):
            return not self.channel_pass.locked_name(token, lower, opens)
        return self.rare(token.text)

    def rare(self, word: str) -> bool:
        """A lowercase content word too rare to be spinnable (ChannelPass.spinnable), which the model may
        still nominate at model_rounds.RARE_NOMINATION_GAIN: spinners write "large autoconverter of Europe" too."""
        return word.islower() and len(word) > 2 and word not in STOPWORDS and not self.channel_pass.spinnable(word)


def _with_channel_best(readings: Sequence, key: Callable, limit: int = NOMINATED_OPTIONS) -> list:
    """The first `limit` of a word's readings by `key`, and then the channel's own best
    CHANNEL_OPTIONS (the readings come in the channel's order): a first token sees only the words
    before it, and the channel's ranking by frequency and meaning often knows better ("picture"
    -> "image", first looks: "video", "color")."""
    chosen = sorted(readings, key=key)[:limit]
    return chosen + [r for r in readings[:CHANNEL_OPTIONS] if not any(r is c for c in chosen)]


def _next_word(text: str, words: Sequence[Token], i: int, restored: dict[int, str]) -> str | None:
    """The lowercase word after words[i] in the same clause (as rewritten, where a rewrite starts
    there), or None at a clause's end."""
    if i + 1 >= len(words) or not text[words[i].end : words[i + 1].start].isspace():
        return None
    following = words[i + 1]
    return restored.get(following.start, following.text).split()[0].lower()
