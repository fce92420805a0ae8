"""How unlikely a pair of neighbouring content words is to the language model, for words that common.

A tortured phrase puts two ordinary words together that no author writes side by side
("irregular woodland", "bosom peril"); the established term they hide ("random forest") is a
pair the model has read often. One pass of the model gives the log-probability of each word
given everything before it and how much likelier it finds each word's likeliest thesaurus
original (its first token, plus how much more common the original is: the engine's first look),
and wordfreq gives how common each word is: a logistic model of those six numbers says how
likely the pair is to be spun. Its weights are fitted by
`bench/fit_collocations.py` on the carrier sentences of the `dev` rows that tuning mines
(tortured phrase against its expected phrase), never on `test` rows.
"""
from __future__ import annotations

import math

# logit = INTERCEPT + WEIGHTS . (log p(first | before), log p(second | before, first),
#                                Zipf of first, Zipf of second,
#                                best first look of first, best first look of second)
WEIGHTS = (-0.2216, -0.3427, -0.2846, 0.1114, 0.0954, 0.1979)
INTERCEPT = -6.5384
# A word without thesaurus originals counts as this first look: lower than nearly any real one.
NO_LOOK = -5.0
# Pairs at or above this logit are flagged, never rewritten: on the held-out `dev` half (782
# pairs), recall 0.735 with false alarms on 9.8% of the expected phrases (0.65 and 6.5% at 1.0).
# In the engine, on 300 held-out dev rows: recall 0.730 -> 0.787, precision 0.969 -> 0.948,
# against 1.0; on 20,040 words of clean `tune` prose the same 11 changed words, and flags 8.9 ->
# 10.1 per 1,000 words (docs/lm.md, twelfth session). Chosen for the detection the core issue
# asks (recall >= 0.80 at precision >= 0.90): a flag costs a reader a look, not a wrong word.
BAR = 0.5


def spun_logit(first_logprob: float, second_logprob: float, first_zipf: float, second_zipf: float,
               first_look: float = NO_LOOK, second_look: float = NO_LOOK) -> float:
    """Log-odds that the pair was spun (on the fit's balanced carriers of spun and original pairs)."""
    features = (first_logprob, second_logprob, first_zipf, second_zipf,
                max(first_look, NO_LOOK), max(second_look, NO_LOOK))
    return INTERCEPT + sum(w * x for w, x in zip(WEIGHTS, features))


def probability(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-logit))
