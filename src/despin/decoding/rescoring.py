"""Model mode: a causal language model judges each span the channel model proposes.

The channel proposes spans and ranks their candidates with phrase counts and swap
probabilities. Here every candidate is put back into its full sentence and scored by the
context model; the sentence as written is scored the same way. Within a sentence, spans are
judged left to right and an accepted restoration becomes the next span's context, so that
"The Home handed the invoice" is read as a whole.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

from despin.decoding.tokens import sentences
from despin.scoring.lm import ContextModel
from despin.types import Alternative, Evidence, Finding

MAX_CANDIDATES = 8


@dataclasses.dataclass(frozen=True)
class ModelSettings:
    """How the model's verdict and the channel's are combined; fitted by bench/calibrate.py --model."""

    channel_weight: float = 0.5  # share of the channel's gain kept next to the model's
    slope: float = 0.8
    midpoint: float = 4.0


class Rescorer:
    def __init__(self, model: ContextModel, config, settings: ModelSettings | None = None):
        self.model = model
        self.config = config
        self.settings = settings or ModelSettings()

    def rescore(self, text: str, proposals: Sequence[Finding]) -> list[Finding]:
        """Judge the proposals (findings of the channel model, with channel gains as scores)."""
        bounds = sentences(text) or [(0, len(text))]
        judged: list[Finding] = []
        by_sentence: dict[tuple[int, int], list[Finding]] = {}
        for f in sorted(proposals, key=lambda f: f.start):
            owner = next(((s, e) for s, e in bounds if s <= f.start < e), (0, len(text)))
            by_sentence.setdefault(owner, []).append(f)
        for (s, e), found in by_sentence.items():
            e = max(e, max(f.end for f in found))
            judged += self._sentence(text, s, e, found)
        return judged

    def _sentence(self, text: str, s: int, e: int, found: Sequence[Finding]) -> list[Finding]:
        out = []
        prefix = text[s : found[0].start]
        for i, f in enumerate(found):
            if i:
                prefix += text[found[i - 1].end : f.start]
            suffix = text[f.end : e]
            options = [f.text] + [a.text for a in f.alternatives[:MAX_CANDIDATES] if a.text != f.text]
            channel = {a.text: a.score for a in f.alternatives}
            scores = self._score(prefix, [o + suffix for o in options])
            kept = scores[0]
            ranked = sorted(
                ((o, sc - kept, channel.get(o, 0.0)) for o, sc in zip(options[1:], scores[1:])),
                key=lambda r: -(r[1] + self.settings.channel_weight * r[2]),
            )
            if not ranked:
                prefix += f.text
                continue
            best, lm_gain, channel_gain = ranked[0]
            combined = lm_gain + self.settings.channel_weight * channel_gain
            confidence = 1.0 / (1.0 + math.exp(-self.settings.slope * (combined - self.settings.midpoint)))
            rewrite = confidence >= self.config.min_confidence
            alternatives = tuple(
                Alternative(o, round(g + self.settings.channel_weight * c, 3),
                            next((a.sources for a in f.alternatives if a.text == o), ()))
                for o, g, c in ranked
            )
            evidence = f.evidence + (
                Evidence("lm", f'the language model reads the sentence {lm_gain:+.1f} nats more likely '
                         f'with "{best}"', round(lm_gain, 3)),
            )
            if confidence >= 0.05:
                out.append(dataclasses.replace(
                    f, restoration=best, confidence=round(confidence, 4), rewrite=rewrite,
                    alternatives=alternatives, evidence=evidence,
                ))
            prefix += best if rewrite else f.text
        return out

    def _score(self, prefix: str, continuations: list[str]) -> list[float]:
        if prefix.strip():
            return self.model.score_continuations(prefix, continuations)
        return self.model.score(continuations)
