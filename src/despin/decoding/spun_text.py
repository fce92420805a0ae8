"""Whether a text as a whole reads as spun, from its findings."""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from despin.types import Finding

SURE_FINDING = 0.8  # two findings this sure (or one and autoblog furniture) mark a text spun
EVIDENCE_WORDS = 500  # ... and there is at least one such finding per this many words
FURNITURE_SCORE = 0.2  # the least spin score of a page with autoblog furniture


def looks_spun(findings: Sequence[Finding], boilerplate, words: int) -> bool:
    """Two findings at least SURE_FINDING sure, or one and autoblog furniture, dense
    enough for the length of the text."""
    return dense_enough(sure_count(findings), 1 if boilerplate else 2, words)


def spun_throughout(findings: Iterable[Finding], words: int, at: float = SURE_FINDING,
                    known_phrases: bool = False) -> bool:
    """Whether the findings show the text's own words spun, which model mode's bolder rounds
    assume: findings at least `at` sure, dense enough, and one of them found in the text's words
    rather than on the list of known tortured phrases, unless `known_phrases` lets those count.
    Known phrases pasted into a writer's prose do not show it spun word by word: when one opened
    those rounds, 124 clean `tune` summaries each ending with a known phrase had 41 of 10,094
    words rewritten ("clitoris" -> "penis", "Apples" -> "Oaks"), 40 with two. Where the text is
    spun throughout but its own words give no sure finding, model_rounds runs the rounds with
    `known_phrases` to flag, not to rewrite (docs/lm.md, twenty-eighth and twenty-ninth sessions)."""
    sure = [f for f in findings if f.confidence >= at]
    own = known_phrases or any(f.kind != "fingerprint" for f in sure)
    return own and dense_enough(len(sure), 1, words)


def sure_count(findings: Iterable[Finding], at: float = SURE_FINDING) -> int:
    """How many of the findings are at least `at` sure."""
    return sum(f.confidence >= at for f in findings)


def dense_enough(found: int, needed: int, words: int) -> bool:
    """At least `needed` findings and at least one per EVIDENCE_WORDS words: in a long text a few
    sure findings happen by chance (clean prose has about one rewrite per 1,400 words)."""
    return found >= needed and found * EVIDENCE_WORDS >= words


def spin_score(findings: Sequence[Finding], words: int, furniture: bool = False) -> float:
    """Expected spun words per hundred words, squashed into 0..1 (3 per hundred -> 0.63). A page
    with autoblog furniture ([ad_1] markers, "Source link") scores at least 0.2, whatever else
    was found in it: the furniture alone says where it comes from, and a weak flag must not
    lower what it says."""
    score = 0.0
    if words:
        spun = sum(f.confidence * len(f.text.split()) for f in findings)
        score = round(1.0 - math.exp(-(100.0 * spun / words) / 3.0), 4)
    return max(score, FURNITURE_SCORE) if furniture else score
