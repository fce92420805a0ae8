"""Model mode's rounds: the context model judges the channel's proposals and its own
nominations, then, as the text shows itself spun, weaker evidence, and last the flags."""
from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Sequence

from despin.decoding.nominations import (
    NEXT_NOMINATION_GAIN,
    NOMINATION_GAIN,
    ODD_PAIR_CAP,
    SPUN_NEXT_NOMINATION_GAIN,
    SPUN_NOMINATION_GAIN,
    Nomination,
    Nominator,
    Pair,
)
from despin.decoding.spans import clear_of, non_overlapping, offsets
from despin.decoding.spun_text import spun_throughout
from despin.decoding.tokens import Token
from despin.types import SPUN_CONFIDENCE, Evidence, Finding

# A word nominated only with the next word's help (nominations.NEXT_NOMINATION_GAIN) is a flag
# at this confidence, not a default rewrite.
NEXT_ONLY_CAP = 0.45
# Rare lowercase words (below channel_pass.MIN_SPUN_ZIPF) are nominated in every text too, at a higher first
# look: "parts" scores 18 over the spinner's "large autoconverter of Europe", and clean prose
# has few rare words that far behind a common original. Below RARE_SURE_GAIN one is held back
# (flagged at RARE_CAP, and no evidence of spinning) unless other findings show the text spun:
# "wolverine" scores 13 over a writer's "also called carcajou". Chosen on 50 spun
# `tune` paragraphs (64 -> 71 of 203 spun words rewritten right; all rewritten: 72, all held
# back: 66) and on 20,040 words of clean `tune` prose (the same 11 changed words; all
# rewritten: 12, "carcajou" -> "wolverine").
RARE_NOMINATION_GAIN = 12.0
RARE_SURE_GAIN = 14.0
RARE_CAP = 0.45
# In a text shown spun only by known tortured phrases, what the bolder rounds find is flagged at
# most this sure, like the rare words held back: most of it is right if the text is spun
# throughout, and all of it wrong if the phrase was pasted into a writer's prose.
PHRASES_ALONE_CAP = 0.45
PHRASES_ALONE = Evidence("phrases-alone", "found only because a known tortured phrase suggests the text is spun; "
                         "flagged, not rewritten, since nothing in the text's own words shows it", PHRASES_ALONE_CAP)
TENTATIVE_PAIR_CONFIDENCE = 0.3  # see nominations.TENTATIVE_PAIR_MARGIN
# A word judged beside a finding is flagged on a verdict that prefers a candidate to it
# (combined gain > 0); _verdict_bar.
BESIDE_CONFIDENCE = 0.11
# In a text shown spun throughout (spun_text.spun_throughout), a flag whose restoration the model
# reads at least SPUN_TEXT_GAIN nats better in its sentence is rewritten at SPUN_TEXT_CONFIDENCE: the
# curve behind a finding's confidence was fitted on carrier sentences and clean prose, where a
# writer's rare word often trails a common synonym that far; in a text shown spun it seldom does.
# On 100 spun `tune` paragraphs such flags were 40 (spun words restored right 23, spun words
# restored wrongly 11, a writer's words 6; 12 / 5 / 3 and 11 / 6 / 3 in each half; at 8 nats
# 23 / 20 / 6); with the ranker's score for the restoration above the text's own (0) as well,
# 37 (22 / 11 / 4). No clean `tune` paragraph had a sure finding. The confidence is the share
# restored right, rounded up, and below spun_text.SURE_FINDING so that such rewrites never show a
# text spun.
SPUN_TEXT_GAIN = 9.0
SPUN_TEXT_CONFIDENCE = 0.6
# The last round reads each candidate with at most this many words after it, not the whole rest
# of the sentence: it only flags (a verdict sets a flag's restoration and confidence), and it held
# most of clean prose's model time, reading about 13 candidates for each word or pair it asks
# about. On `tune` data (twenty-fifth session): clean prose 73 -> 98 words/s with the same 12
# changed words of 20,040 and 10.6 -> 10.8 flags per 1,000; 50 spun paragraphs 32 -> 38 words/s,
# restored the same; 300 held-out dev rows identical. The main rounds keep the whole sentence
# ("The Home handed the invoice ..." needs it).
LAST_WINDOW = 6


class ModelRounds:
    """Model mode's judging, round by round; see `judge`."""

    def __init__(self, nominator: Nominator, rescorer, min_confidence: float, last_flags: bool):
        self.nominator = nominator
        self.rescorer = rescorer  # decoding.rescoring.Rescorer
        self.min_confidence = min_confidence
        self.last_flags = last_flags

    def judge(self, text: str, tokens: Sequence[Token], taken: set[int], sure: list[Finding],
              weak: list[Finding], findings: list[Finding], words: int) -> list[Finding]:
        """The context model judges, in rounds: the channel's sure proposals and the words it
        nominates itself with a large gain (rare words with a larger one, held back unless the
        rest shows the text spun); in a text that shows some spinning, then the channel's
        weak proposals; in a text shown spun throughout (spun_text.spun_throughout), then words
        nominated again, names and rare words too, with a smaller gain, once the earlier rewrites
        are in place; and there, last, the flags the model reads far better restored are rewritten
        (SPUN_TEXT_GAIN). In a text whose only sure findings are known tortured phrases, the
        later rounds run too, but what they add is only flagged (PHRASES_ALONE_CAP).

        The spans of a round are judged together, left to right, so that each sees its
        neighbours' restorations; later rounds see the earlier rounds' rewrites.
        """
        # Known fingerprints are restored before the model reads anything: "a random forest
        # classifier and a profound learning model" is better context than "a irregular woodland".
        known = [f for f in findings if f.rewrite and f.restoration is not None]
        covered = taken | offsets(sure)
        nominations, pairs = self.nominator.nominate(text, tokens, covered, known, pairs=True)
        # Rare words are nominated in every text, at a higher bar; below a higher one still, they
        # are held back: flagged, and rewritten only where other findings show the text spun.
        rare = {n.by_first.start: n.plain for n in nominations if self.nominator.rare(n.by_first.text)}
        nominations = [n for n in nominations if n.by_first.start not in rare or n.plain >= RARE_NOMINATION_GAIN]
        held = {start for start, look in rare.items() if look < RARE_SURE_GAIN}
        odd_pairs = [p for p in pairs if p.pair is not None]
        strong, flag_only = _nominated(nominations, NOMINATION_GAIN, NEXT_NOMINATION_GAIN, table_rewrites=False)
        judged = self.rescorer.rescore(text, sure + strong, fixed=known) if sure or strong else []

        def add(judged: list[Finding], more: list[Finding]) -> list[Finding]:
            """`judged` and `more`, the latter judged with the former's rewrites as context."""
            return sorted(judged + self.rescorer.rescore(text, more, fixed=known + judged), key=lambda f: f.start)

        def flagged_last(judged: list[Finding]) -> list[Finding]:
            """`judged` and the words only the next word nominated, judged once everything else is
            settled (so that no other span reads them), flagged and not rewritten."""
            if not self.last_flags:
                return judged
            judge = functools.partial(self.rescorer.rescore, window=LAST_WINDOW)
            last = clear_of(flag_only.values(), taken | offsets(judged))
            flags = [dataclasses.replace(f, rewrite=False, confidence=min(f.confidence, NEXT_ONLY_CAP))
                     for f in judge(text, last, fixed=known + judged)] if last else []
            # Pairs the model finds unlikely for words that common, where nothing else was found:
            # the model judges their candidates last, and a pair at the test's bar stays flagged
            # whatever it finds; one just below it, only if a candidate reads far better.
            found = judged + flags
            free = {f.start for f in clear_of((p.pair for p in odd_pairs), taken | offsets(found))}
            # (finding, whether it is a pair rather than one word, whether the pair test was sure)
            asked = [(p.pair, True, p.sure) for p in odd_pairs if p.pair.start in free]
            asked += [(self.nominator.read_beside(word, beside), False, p.sure) for word, p, beside in _neighbours(
                pairs, taken | offsets(f for f, _, _ in asked), found)]
            bars = [_verdict_bar(flag, is_pair, sure_pair, odd_pairs) for flag, is_pair, sure_pair in asked]
            # The neighbour of a nominated word is read with that word's best original in place,
            # rewritten or not: "picture acknowledgment" -> "image" before "recognition".
            context = [dataclasses.replace(f, rewrite=True) if f.restoration is not None else f for f in found]
            verdicts = {(f.start, f.end): f for f in judge(
                text, [f for f, is_pair, _ in asked if is_pair and f.alternatives], fixed=known + found)}
            verdicts.update(((f.start, f.end), f) for f in judge(
                text, [f for f, is_pair, _ in asked if not is_pair], fixed=known + context))
            odd = []
            for (flag, is_pair, sure_pair), bar in zip(asked, bars):
                verdict = verdicts.get((flag.start, flag.end))
                if verdict is not None and verdict.confidence >= bar:
                    if is_pair and verdict.confidence < BESIDE_CONFIDENCE:
                        # A sure pair whose candidates all read worse than the text: flagged, with
                        # the judged candidates as alternatives, but no restoration to offer.
                        verdict = dataclasses.replace(verdict, restoration=None)
                    (odd if is_pair else flags).append(dataclasses.replace(verdict, rewrite=False, confidence=max(
                        flag.confidence, min(verdict.confidence, ODD_PAIR_CAP))))
                elif is_pair and sure_pair:  # nothing judged: flagged, not restored
                    odd.append(dataclasses.replace(flag, restoration=None, alternatives=()))
            # Odd pairs may share a word ("impromptu ondemand", "ondemand distance"): one span is
            # reported there, the one with a restoration the model reads best. Both, overlapping,
            # would make a restore at a lower bar write the shared word twice.
            flags += non_overlapping(odd, key=lambda f: (f.restoration is None, -f.confidence, f.start))
            return sorted(judged + flags, key=lambda f: f.start)

        def held_back(judged: list[Finding]) -> list[Finding]:
            """`judged` with the rare words held back flagged, not rewritten: nothing else showed the text spun."""
            return [dataclasses.replace(f, rewrite=False, confidence=min(f.confidence, RARE_CAP))
                    if f.start in held else f for f in judged]

        def evidence(judged: list[Finding]) -> list[Finding]:
            """The findings that may show the text spun: not the rare words held back. A writer's
            "also called carcajou" reads far worse than "wolverine" too."""
            return [f for f in findings + judged if f.start not in held]

        shown = evidence(judged)
        # Known phrases alone, with nothing of the text's own words as sure, may have been pasted
        # into a writer's prose, or be the only sure sign of a text spun throughout. The bolder
        # rounds then run as in a spun text, but only to flag: `check` lists what they find, and
        # `restore` rewrites what it would without them.
        tentative = not spun_throughout(shown, words, SPUN_CONFIDENCE)
        if tentative and not spun_throughout(shown, words, SPUN_CONFIDENCE, known_phrases=True):
            return flagged_last(held_back(judged))
        first = _spans(judged)

        def settled(found: list[Finding], added: set[tuple[int, int]]) -> list[Finding]:
            """The findings as reported: in a text shown spun only by known phrases, the spans the
            bolder rounds `added` are flagged, not rewritten. The last round's own flags, which
            it raises in any text, keep their evidence."""
            if not tentative:
                return found
            return [_phrases_alone(f) if (f.start, f.end) in added else f for f in held_back(found)]

        # Some sign of spinning: the weaker evidence is now worth the model's time. In clean
        # prose nearly all of it is false, and it would cost most of the model's time there.
        covered |= offsets(strong)
        weak = clear_of(weak, covered)
        if weak:
            judged = add(judged, weak)
            covered |= offsets(weak)
        if not spun_throughout(evidence(judged), words, known_phrases=tentative):
            return settled(flagged_last(judged), _spans(judged) - first) if tentative \
                else flagged_last(held_back(judged))
        # Nominate again with the rewrites in place: "passed the invoice" makes "bill" far
        # likelier than "handed the invoice" did. Names and rare words too, this time: in a
        # spun text "Pulitzer Beam" and "a rabbit antrum" are more likely swaps than a
        # writer's own words. One sure finding of the text's own words suffices, not two
        # (spun_throughout; known phrases alone open this round only to flag): 50 spun `tune` paragraphs,
        # 44 -> 55 of 203 spun words rewritten right with names and rare words, 66 with one
        # finding (74 with one finding at 0.5, which changed 2 more words of clean prose).
        # Clean `tune` prose: the same 11 changed words.
        rewrites = sorted(known + [f for f in judged if f.rewrite], key=lambda f: f.start)
        more, again = _nominated(self.nominator.nominate(text, tokens, covered, rewrites, names_and_rare=True)[0],
                                 SPUN_NOMINATION_GAIN, SPUN_NEXT_NOMINATION_GAIN, table_rewrites=True)
        fresh = _spans(f for start, f in again.items() if start not in flag_only)
        flag_only.update(again)  # read with the rewrites in place
        if more:
            judged = add(judged, more)
        if tentative:
            return settled(flagged_last(judged), (_spans(judged) - first) | fresh)
        return [_spun_text_rewrite(f, self.min_confidence) for f in flagged_last(judged)]

    def read_observed(self, text: str, observed: list[Finding], found: list[Finding], words: int) -> list[Finding]:
        """The observed phrases as the model judges them in their sentences, with the rest of the
        findings in place, where it is surer than the frequencies: "the Very affordable Treatment
        Act" is ordinary words, but no writer's wording of that name. Where only known tortured
        phrases show the text spun, a verdict only flags, as in `judge`."""
        verdicts = {(f.start, f.end): f for f in self.rescorer.rescore(text, observed, fixed=found)}
        own = spun_throughout(found, words)
        out = []
        for f in observed:
            verdict = verdicts.get((f.start, f.end))
            if verdict is None or verdict.confidence <= f.confidence:
                out.append(f)
            else:
                out.append(verdict if own else _phrases_alone(verdict))
        return out


def _neighbours(pairs: Sequence[Pair], taken: set[int], found: Sequence[Finding]
                ) -> list[tuple[Finding, Pair, Finding]]:
    """The other word of each pair where a finding covers exactly one of its words (so that no
    other finding touches the pair), its pair and that finding. In an ordinary pair (one the pair test
    passed), only the neighbour of a finding with a restoration: "feeling analysis", once
    "examination" reads as "analysis", makes "sentiment" the question."""
    out = []
    for pair in pairs:
        inside = [f for f in found if f.start < pair.end and f.end > pair.start]
        if len(inside) != 1 or (pair.pair is None and inside[0].restoration is None):
            continue
        for word, other in (pair.words, pair.words[::-1]):
            if (inside[0].start, inside[0].end) == (word.start, word.end) and other.alternatives \
                    and not any(i in taken for i in range(other.start, other.end)):
                if pair.pair is None:
                    other = dataclasses.replace(other, evidence=(Evidence(
                        "lm-neighbour", f'next to "{inside[0].text}", read as "{inside[0].restoration}"; '
                        "its originals ranked by one pass of the model"),))
                out.append((other, pair, inside[0]))
    return non_overlapping(out, key=lambda item: (not item[1].sure, item[0].start),
                            span=lambda item: (item[0].start, item[0].end))


def _nominated(nominations: Sequence[Nomination], bar: float, next_bar: float,
               table_rewrites: bool) -> tuple[list[Finding], dict[int, Finding]]:
    """Nominations whose first look reaches `bar`, and (by offset) those that reach `next_bar`
    only with the next word, or `bar` only with the spin table's bonus unless `table_rewrites`."""
    def strong_enough(n: Nomination) -> bool:
        return (n.first_look if table_rewrites else n.plain) >= bar

    strong = [n.by_first for n in nominations if strong_enough(n)]
    next_only = {n.by_next.start: n.by_next for n in nominations
                 if not strong_enough(n) and (n.with_next >= next_bar or n.first_look >= bar)}
    return strong, next_only


def _verdict_bar(flag: Finding, is_pair: bool, sure_pair: bool, odd_pairs: Sequence[Pair]) -> float:
    """The rescorer confidence a flag asked about last needs to be reported. A pair the test is
    sure of is flagged whatever the verdict; a pair just below the test's bar (or a word inside
    one), only if a candidate reads as much better as a rewrite would need. Any other word is
    asked about only beside a finding, and flagged when the verdict prefers a candidate to the
    word as written: in a sure pair, a word the model would rather keep ("kidney ailments": "kidney"
    -> "brain" read 2.3 worse than "kidney") is the other word's neighbour, not a spin."""
    if is_pair:
        return 0.0 if sure_pair else TENTATIVE_PAIR_CONFIDENCE
    if not sure_pair and _in_odd_pair(flag, odd_pairs):
        return TENTATIVE_PAIR_CONFIDENCE
    return BESIDE_CONFIDENCE


def _spun_text_rewrite(flag: Finding, bar: float) -> Finding:
    """`flag`, found in a text shown spun, raised to SPUN_TEXT_CONFIDENCE (a rewrite at the usual
    bar) if the model reads its restoration at least SPUN_TEXT_GAIN nats better in the sentence
    and the candidate ranker, too, prefers it to the text as written (a score above 0, the text's
    own); left as it is otherwise."""
    gain = next((e.score for e in flag.evidence if e.source == "lm"), None)
    ranked = next((a.score for a in flag.alternatives if a.text == flag.restoration), None)
    if flag.restoration is None or flag.confidence >= bar or gain is None or gain < SPUN_TEXT_GAIN \
            or ranked is None or ranked <= 0:
        return flag
    confidence = max(flag.confidence, SPUN_TEXT_CONFIDENCE)
    # As for every finding, `rewrite` says whether it reaches the engine's bar: a bar above the
    # rule's confidence leaves the flag a flag, with the rule's evidence.
    return dataclasses.replace(flag, confidence=confidence, rewrite=confidence >= bar,
                               evidence=flag.evidence + (Evidence(
                                   "spun-text", f"this text reads as spun elsewhere, and a writer's own word seldom "
                                   f"trails a synonym by {gain:.1f} nats", SPUN_TEXT_CONFIDENCE),))


def _spans(found: Iterable[Finding]) -> set[tuple[int, int]]:
    return {(f.start, f.end) for f in found}


def _phrases_alone(found: Finding) -> Finding:
    """`found` as a flag of a text shown spun only by known tortured phrases."""
    return dataclasses.replace(found, rewrite=False, confidence=min(found.confidence, PHRASES_ALONE_CAP),
                               evidence=found.evidence + (PHRASES_ALONE,))


def _in_odd_pair(word: Finding, odd_pairs: Sequence[Pair]) -> bool:
    return any(p.start <= word.start and word.end <= p.end for p in odd_pairs)
