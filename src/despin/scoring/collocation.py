"""How unlikely a pair of neighbouring content words is to the language model, for words that common.

A tortured phrase puts two ordinary words together that no author writes side by side
("irregular woodland", "bosom peril"); the established term they hide ("random forest") is a
pair the model has read often. One pass of the model gives the log-probability of each word
given everything before it and how much likelier it finds each word's likeliest thesaurus
original (its first token, plus how much more common the original is: the engine's first look),
wordfreq gives how common each word is, and the phrase counts say whether the pair was ever seen:
a logistic model of those seven numbers says how likely the pair is to be spun. Its weights are fitted by
`bench/fit_collocations.py` on the carrier sentences of the `dev` rows that tuning mines
(tortured phrase against its expected phrase), never on `test` rows.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

# logit = INTERCEPT + WEIGHTS . (log p(first | before), log p(second | before, first),
#                                Zipf of first, Zipf of second,
#                                best first look of first, best first look of second,
#                                1 if the phrase counts never saw the pair else 0)
WEIGHTS = (-0.2040, -0.3159, -0.2404, 0.1196, 0.1002, 0.1881, 2.3132)
INTERCEPT = -8.4018
# A word without thesaurus originals counts as this first look: lower than nearly any real one.
NO_LOOK = -5.0
# Pairs at or above this logit are flagged, never rewritten: on the held-out `dev` half (782
# pairs), recall 0.748 with false alarms on 10.1% of the expected phrases (0.666 and 6.1% at
# 1.0; before the phrase counts' feature, 0.735 and 9.8%, 0.651 and 6.5%). Chosen in the twelfth
# session (in the engine on 300 held-out dev rows: recall 0.730 -> 0.787, precision 0.969 ->
# 0.948 against 1.0; on clean `tune` prose the same 11 changed words, flags 8.9 -> 10.1 per 1,000
# words; docs/lm.md) for the detection the core issue asks (recall >= 0.80 at precision >= 0.90):
# a flag costs a reader a look, not a wrong word.
BAR = 0.5


def spun_logit(features: Sequence[float]) -> float:
    """Log-odds that the pair was spun (on the fit's balanced carriers of spun and original pairs)."""
    return INTERCEPT + sum(w * x for w, x in zip(WEIGHTS, features, strict=True))


def probability(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-logit))
