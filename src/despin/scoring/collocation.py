"""How unlikely a pair of neighbouring content words is to the language model, for words that common.

A tortured phrase puts two ordinary words together that no author writes side by side
("irregular woodland", "bosom peril"); the established term they hide ("random forest") is a
pair the model has read often. One pass of the model gives the log-probability of each word
given everything before it, and wordfreq gives how common each word is: a logistic model of
those four numbers says how likely the pair is to be spun. Its weights are fitted by
`bench/fit_collocations.py` on the carrier sentences of the `dev` rows that tuning mines
(tortured phrase against its expected phrase), never on `test` rows.
"""
from __future__ import annotations

import math

# logit = INTERCEPT + WEIGHTS . (log p(first | before), log p(second | before, first),
#                                Zipf of first, Zipf of second)
WEIGHTS = (-0.1347, -0.4206, -0.1866, 0.1968)
INTERCEPT = -6.0591
# Pairs at or above this logit are flagged: on the held-out `dev` half (782 pairs), recall 0.61
# with false alarms on 8.7% of the expected phrases; about 2 flags per 1,000 words of clean
# `tune` prose in a first trial (docs/lm.md).
BAR = 1.0


def spun_logit(first_logprob: float, second_logprob: float, first_zipf: float, second_zipf: float) -> float:
    """Log-odds that the pair was spun (on the fit's balanced carriers of spun and original pairs)."""
    features = (first_logprob, second_logprob, first_zipf, second_zipf)
    return INTERCEPT + sum(w * x for w, x in zip(WEIGHTS, features))


def probability(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-logit))
