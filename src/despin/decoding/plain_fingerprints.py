"""Known tortured phrases that read as plain English where they stand (model mode).

The Screener's fingerprints are sure signs in a paper, but some are ordinary English elsewhere:
"elderly folks", "limited motivation" (for "finite impulse response"), "a thimbleful of
sherry". A fingerprint that is its text's only sure finding, and that the model reads no more
likely restored than as written, is flagged, not rewritten. On 41 such findings in clean texts
written in many registers (tests/cases/false-rewrites.json) the model read 26 no more likely
restored; on 120 `dev` fingerprints in a neutral carrier sentence, 7 (docs/lm.md, forty-first
session). Fast mode has no model to ask, and rewrites them all.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from despin.decoding.spun_text import SURE_FINDING
from despin.types import Evidence, Finding

if TYPE_CHECKING:  # the model's modules load only with the model
    from despin.decoding.rescoring import Rescorer

PLAIN_CAP = 0.45  # flagged, not rewritten


def caution_plain_fingerprints(text: str, findings: Sequence[Finding], rescorer: Rescorer) -> list[Finding]:
    """`findings` with each lone known phrase that reads no worse than its restoration flagged."""
    sure = [f for f in findings if f.confidence >= SURE_FINDING]
    if len(sure) != 1 or sure[0].kind != "fingerprint" or not sure[0].rewrite or sure[0].restoration is None:
        return list(findings)
    lone = sure[0]
    gain = rescorer.gain(text, lone, lone.restoration)
    if gain > 0.0:
        return list(findings)
    detail = (f'the language model reads the sentence {gain:+.1f} nats more likely with "{lone.restoration}", '
              "and nothing else in the text is sure to be spun: a known tortured phrase that reads as plain "
              "English here is flagged, not rewritten")
    plain = dataclasses.replace(lone, confidence=min(lone.confidence, PLAIN_CAP), rewrite=False,
                                evidence=lone.evidence + (Evidence("lm", detail, round(gain, 3)),))
    return [plain if f is lone else f for f in findings]
