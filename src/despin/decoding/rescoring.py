"""Model mode: a causal language model judges each span the channel model proposes.

The channel proposes spans and ranks their candidates with phrase counts and swap
probabilities. Here every candidate is put back into its full sentence and scored by the
context model; the sentence as written is scored the same way. The best gain says how sure the
span is spun; a ranker fitted on dev rows (scoring/candidate_ranking.py) weighs each candidate's
gain with its swap prior and source to choose the restoration. Within a sentence, spans are
judged left to right and an accepted restoration becomes the next span's context, so that
"The Home handed the invoice" is read as a whole.
"""
from __future__ import annotations

import bisect
import dataclasses
import itertools
import math
import re
from collections.abc import Sequence

from despin.candidates.morphology import inflect_like, match_case
from despin.decoding.tokens import rewritten, sentences
from despin.scoring import candidate_ranking
from despin.scoring.lm import ContextModel
from despin.types import Alternative, Evidence, Finding, as_confidence

# On 400 held-out dev rows and 20,000 words of `tune` prose (bench/out/calibrate-model.json),
# judging the channel's best 3 candidates gave the same top-1 and findings as judging 8.
MAX_CANDIDATES = 3
# A nominated word's candidates (and a flagged pair's, and its words') are ranked by one token
# only, so the model judges every one it is handed (nominations.NOMINATED_OPTIONS, PAIR_OPTIONS,
# CHANNEL_OPTIONS).
FIRST_LOOK_SOURCES = ("lm-nomination", "lm-collocation", "lm-neighbour")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*$")
_WORDS = re.compile(r"\S+")


@dataclasses.dataclass(frozen=True)
class ModelSettings:
    """How the model's verdict and the channel's are combined; fitted by bench/calibrate.py --model
    (400 held-out dev rows and 20,000 words of `tune` prose; see docs/lm.md)."""

    channel_weight: float = 0.75  # share of the channel's gain kept next to the model's
    # confidence = sigmoid(slope * (best model gain + channel_weight * channel gain - midpoint)),
    # the best over the span's candidates; which one restores it is candidate_ranking's choice.
    slope: float = 0.368
    midpoint: float = 5.72
    floor: float = 0.05  # findings below this confidence are not reported
    # Candidates the model itself proposes: its `lm_candidates` likeliest next words at the span's
    # start, kept when their GloVe similarity to the spun word is at least `lm_similarity`;
    # `lm_prior` stands in for the channel gain such a candidate does not have. 0 = off: on held-out
    # dev rows they lowered top-1 (0.39 -> 0.30-0.39 over the grid) and made judging ~4x slower.
    lm_candidates: int = 0
    lm_similarity: float = 0.3
    lm_prior: float = 0.0


class Rescorer:
    def __init__(self, model: ContextModel, config, settings: ModelSettings | None = None):
        self.model = model
        self.config = config
        self.settings = settings or ModelSettings()
        self.trace: list[dict] | None = None  # set to a list to record every judged span (calibration)

    def rescore(self, text: str, proposals: Sequence[Finding], fixed: Sequence[Finding] = (),
                window: int | None = None) -> list[Finding]:
        """Judge the proposals (findings of the channel model, with channel gains as scores).

        `fixed` are findings judged before: they are not judged again, but their rewrites are
        the context of the proposals around them. With `window`, each candidate is read with at
        most that many words of the sentence after it, not the whole rest.
        """
        bounds = sentences(text) or [(0, len(text))]
        starts = [s for s, _ in bounds]
        settled = {id(f) for f in fixed}
        judged: list[Finding] = []
        by_sentence: dict[tuple[int, int], list[Finding]] = {}
        for f in sorted([*proposals, *fixed], key=lambda f: f.start):
            by_sentence.setdefault(_sentence_at(text, bounds, starts, f.start), []).append(f)
        for (s, e), found in by_sentence.items():
            if all(id(f) in settled for f in found):
                continue
            e = max(e, max(f.end for f in found))
            judged += self._sentence(text, s, e, found, settled, window)
        return judged

    def gain(self, text: str, finding: Finding, reading: str) -> float:
        """How many nats more likely the sentence that holds `finding` reads with `reading` in
        its place than as written."""
        bounds = sentences(text) or [(0, len(text))]
        s, e = _sentence_at(text, bounds, [s for s, _ in bounds], finding.start)
        prefix, suffix = text[s : finding.start], text[finding.end : max(e, finding.end)]
        written, read = self._score(prefix, [finding.text + suffix, reading + suffix])
        return read - written

    def _sentence(self, text: str, s: int, e: int, found: Sequence[Finding], settled: set[int],
                  window: int | None) -> list[Finding]:
        out = []
        prefix = ""
        cursor = s
        for i, f in enumerate(found):
            prefix += text[cursor : f.start]
            cursor = f.end
            if id(f) in settled:
                prefix += _as_judged(f)
                continue
            # The whole rest of the sentence unless a `window` is asked for: cutting it to the
            # next 6 words in every round made judging 30% faster but cost "Home" -> "House" in
            # examples/spun-news.txt (0.74 -> 0.45); model_rounds.LAST_WINDOW cuts only flags.
            later = [(g.start, g.end, _as_judged(g)) for g in found[i + 1 :] if id(g) in settled]
            suffix = rewritten(text, f.end, e, later)
            read = "the sentence"
            if window is not None and len(cut := _first_words(suffix, window)) < len(suffix):
                suffix, read = cut, f"the sentence to {window} words past it"
            judged = f.alternatives if f.evidence[0].source in FIRST_LOOK_SOURCES else f.alternatives[:MAX_CANDIDATES]
            options = [f.text] + [a.text for a in judged if a.text != f.text]
            channel = {a.text: a.score for a in f.alternatives}
            sources = {a.text: a.sources for a in f.alternatives}
            for extra in self._lm_options(prefix, f, options):
                options.append(extra)
                channel[extra] = self.settings.lm_prior
                sources[extra] = ("lm",)
            scores = self._score(prefix, [o + suffix for o in options])
            kept = scores[0]
            raw = [(o, sc - kept, channel.get(o, 0.0)) for o, sc in zip(options[1:], scores[1:])]
            if self.trace is not None:
                self.trace.append({"start": f.start, "end": f.end, "text": f.text,
                                   "options": [(o, g, c, sources.get(o, ())) for o, g, c in raw]})
            if not raw:
                prefix += f.text
                continue
            ranked = candidate_ranking.rank(f.text, ((o, g, c, sources.get(o, ())) for o, g, c in raw))
            _, best, lm_gain, _ = ranked[0]
            # How sure the span is spun comes from the candidate that reads best in the sentence
            # (what the curve was fitted on); which candidate restores it is the ranker's choice.
            combined = max(g + self.settings.channel_weight * c for _, g, c in raw)
            confidence = as_confidence(1.0 / (1.0 + math.exp(-self.settings.slope * (combined - self.settings.midpoint))))
            rewrite = confidence >= self.config.min_confidence
            # The channel's candidates the model did not judge follow the judged ones in the
            # channel's order, with the channel's score: a reader looking for the original among
            # the alternatives (`check -v`) should not lose the ones the model had no time for.
            alternatives = tuple(Alternative(o, round(rank, 3), sources.get(o, ())) for rank, o, _, _ in ranked) \
                + tuple(a for a in f.alternatives if a.text not in options)
            ranking = (f"; ranked first of {len(ranked)} candidates by model gain, swap prior, source and "
                       f"frequency ({ranked[0][0]:+.1f})") if len(ranked) > 1 else ""
            evidence = f.evidence + (
                Evidence("lm", f'the language model reads {read} {lm_gain:+.1f} nats more likely '
                         f'with "{best}"{ranking}', round(lm_gain, 3)),
            )
            if confidence >= self.settings.floor:
                out.append(dataclasses.replace(
                    f, restoration=best, confidence=confidence, rewrite=rewrite,
                    alternatives=alternatives, evidence=evidence,
                ))
            prefix += best if rewrite else f.text
        return out

    def _lm_options(self, prefix: str, f: Finding, options: Sequence[str]) -> list[str]:
        """Words the model expects at the span's start that mean about what the spun first word
        means (GloVe), in the spun word's form and case; the rest of a multi-word span is taken
        from the spun text and from the channel's candidates ("irregular woodland" -> "random forest")."""
        k = self.settings.lm_candidates
        words = f.text.split()
        if k <= 0 or not prefix.strip() or not _WORD.match(words[0]):
            return []
        from despin.scoring.vectors import similarity

        spun = words[0]
        tails = [" ".join(words[1:])] if len(words) > 1 else [""]
        for o in options[1:4]:
            rest = o.split(" ", 1)
            if len(words) > 1 and len(rest) > 1 and rest[1] not in tails:
                tails.append(rest[1])
        seen = {o.lower() for o in options}
        out = []
        for word, _lp in self.model.next_word_candidates(prefix, k):
            if not _WORD.match(word) or word.lower() == spun.lower():
                continue
            sim = similarity(word, spun)
            if sim is None or sim < self.settings.lm_similarity:
                continue
            head = match_case(inflect_like(word.lower(), spun.lower()), spun)
            for tail in tails[:3]:
                cand = f"{head} {tail}" if tail else head
                if cand.lower() not in seen:
                    seen.add(cand.lower())
                    out.append(cand)
        return out

    def _score(self, prefix: str, continuations: list[str]) -> list[float]:
        if prefix.strip():
            return self.model.score_continuations(prefix, continuations)
        return self.model.score(continuations)


def _sentence_at(text: str, bounds: Sequence[tuple[int, int]], starts: Sequence[int], offset: int) -> tuple[int, int]:
    """The sentence of `bounds` (whose `starts` are given) that holds `offset`, or the whole text."""
    k = bisect.bisect_right(starts, offset) - 1
    return bounds[k] if k >= 0 and offset < bounds[k][1] else (0, len(text))


def _first_words(suffix: str, n: int) -> str:
    """`suffix` up to the end of its `n`th word (its leading space and punctuation kept)."""
    ends = [m.end() for m in itertools.islice(_WORDS.finditer(suffix), n + 1)]
    return suffix if len(ends) <= n else suffix[: ends[n - 1]]


def _as_judged(f: Finding) -> str:
    return f.restoration if f.rewrite and f.restoration is not None else f.text

