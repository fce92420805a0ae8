"""A lone known phrase that the model reads as plain English is flagged, not rewritten."""
import dataclasses

import pytest

import despin
from despin.decoding.plain_fingerprints import PLAIN_CAP, caution_plain_fingerprints
from despin.types import Finding

TEXT = "After that the visitors showed limited motivation, and the home side scored twice."
KNOWN = Finding(start=31, end=49, text="limited motivation", restoration="finite impulse response",
                confidence=0.97, rewrite=True, kind="fingerprint")
FLAG = Finding(start=0, end=5, text="After", restoration="Later", confidence=0.2, rewrite=False)


class _Model:
    """Stands in for the rescorer: the gain of a reading, as told."""

    def __init__(self, gain):
        self.asked, self._gain = [], gain

    def gain(self, text, finding, reading):
        self.asked.append((finding.text, reading))
        return self._gain


def test_a_lone_known_phrase_the_model_reads_no_better_restored_is_flagged():
    model = _Model(-17.2)
    out = caution_plain_fingerprints(TEXT, [FLAG, KNOWN], model)
    assert model.asked == [("limited motivation", "finite impulse response")]
    assert out[0] is FLAG
    assert (out[1].confidence, out[1].rewrite, out[1].restoration) == (PLAIN_CAP, False, "finite impulse response")
    assert out[1].evidence[-1].source == "lm" and "plain English" in out[1].evidence[-1].detail


def test_a_known_phrase_the_model_reads_better_restored_or_beside_other_spin_is_kept():
    assert caution_plain_fingerprints(TEXT, [KNOWN], _Model(3.0)) == [KNOWN]
    other = dataclasses.replace(KNOWN, start=60, end=70, text="home side", restoration="hosts", kind="spin")
    model = _Model(-17.2)
    assert caution_plain_fingerprints(TEXT, [KNOWN, other], model) == [KNOWN, other]
    assert model.asked == []  # a text spun elsewhere is not asked about


def test_model_mode_leaves_a_plain_english_known_phrase_as_written():
    from despin.api import engine

    if engine().rescorer is None:
        pytest.skip("the context model is not installed")
    assert despin.restore(TEXT) == TEXT
    assert despin.restore(TEXT, fast=True) != TEXT  # fast mode has no model to ask: a known failure
