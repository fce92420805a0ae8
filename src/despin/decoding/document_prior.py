"""What the rest of a text says about each of its findings.

A finding's confidence is fitted on single sentences, where nothing else is known. Across a
whole text the other findings are evidence too: a lone odd pair in a long, otherwise ordinary
article is most likely the writer's own wording, and the same pair among a dozen sure swaps is
most likely spun. Each finding's log-odds are moved by how far the rest of the text's evidence
per word stands from the rate assumed for a text nothing is known about, with that rate also
standing in as a few findings' worth of prior so that a short text moves little.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass

from despin.types import Evidence, Finding, as_confidence


@dataclass(frozen=True)
class DocumentPrior:
    """How the rest of a text moves a finding's confidence. The defaults are the least log loss
    over the findings in spun and clean `tune` articles and paragraphs (`bench/prior.py`)."""

    weight: float = 1.5  # log-odds moved per unit of log evidence ratio, where the rest of the text is ordinary
    weight_up: float = 0.5  # ... and where it holds more evidence than assumed
    rate: float = 0.01  # evidence per word assumed before the text is read
    pseudo: float = 0.5  # how much of that assumed evidence a text holds before any is seen
    ceiling: float = 0.99  # the rest of a text makes no finding surer than this
    floor: float = 0.01  # ... nor less sure than this


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def evidence_of(finding: Finding) -> float:
    """What one finding tells of the text around it: its confidence. Known tortured phrases are
    left out: pasted into a writer's prose, they do not show its own words spun
    (spun_text.spun_throughout)."""
    return 0.0 if finding.kind == "fingerprint" else finding.confidence


def shift(others: float, words: int, prior: DocumentPrior) -> float:
    """Log-odds added to a finding when the rest of a `words`-word text holds `others` evidence."""
    rate = (others + prior.pseudo) / (words + prior.pseudo / prior.rate)
    ratio = math.log(rate / prior.rate)
    return (prior.weight if ratio < 0 else prior.weight_up) * ratio


def apply_prior(findings: Sequence[Finding], words: int, prior: DocumentPrior,
                min_confidence: float) -> list[Finding]:
    """The findings with confidences weighed by the rest of the text. A rewrite stays one only
    while its new confidence reaches `min_confidence`: the rest of a text can talk despin out of
    a rewrite, never into one. Known phrases keep their own confidence."""
    total = sum(evidence_of(f) for f in findings)
    out = []
    for f in findings:
        if f.kind == "fingerprint":
            out.append(f)
            continue
        others = total - evidence_of(f)
        moved = shift(others, words, prior)
        confidence = 1 / (1 + math.exp(-(_logit(f.confidence) + moved)))
        # The bounds cap how far the text moves a finding, not where a finding may stand.
        confidence = min(confidence, max(prior.ceiling, f.confidence))
        confidence = as_confidence(max(confidence, min(prior.floor, f.confidence)))
        if abs(moved) < 0.05 or abs(confidence - f.confidence) < 0.005:  # too small to report
            out.append(f)
            continue
        note = Evidence("document", f"the rest of the text ({words} words) holds {others:.1f} "
                        f"findings' worth of evidence: confidence {f.confidence:.2f} -> {confidence:.2f}",
                        round(moved, 3))
        out.append(dataclasses.replace(f, confidence=confidence, evidence=f.evidence + (note,),
                                       rewrite=f.rewrite and confidence >= min_confidence))
    return out
