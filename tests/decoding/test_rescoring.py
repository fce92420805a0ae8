"""The rescorer with a stand-in language model (no torch needed)."""
from __future__ import annotations

import dataclasses

import pytest

from despin.decoding.engine import Config
from despin.decoding.rescoring import ModelSettings, Rescorer
from despin.scoring.lm import ContextModel
from despin.types import Alternative, Evidence, Finding

TEXT = "In this paper, we apply irregular woodland to the data."


class FakeModel(ContextModel):
    """Likes sentences holding "random forest"; proposes a few next words."""

    def __init__(self, words=()):
        self.words = list(words)
        self.asked = []

    def _lp(self, text: str) -> float:
        return -10.0 if "random forest" in text else -20.0

    def score(self, texts):
        return [self._lp(t) for t in texts]

    def score_continuations(self, prefix, continuations):
        return [self._lp(c) for c in continuations]

    def next_word_candidates(self, prefix, k):
        self.asked.append(prefix)
        return self.words[:k]


def _proposal(alternatives) -> Finding:
    start = TEXT.index("irregular woodland")
    return Finding(start=start, end=start + len("irregular woodland"), text="irregular woodland",
                   restoration=alternatives[0].text, confidence=0.5, rewrite=True,
                   alternatives=tuple(alternatives), evidence=(Evidence("channel", "", 1.0),))


def test_model_gain_decides_and_is_traced():
    rescorer = Rescorer(FakeModel(), Config(model=True))
    rescorer.trace = []
    out = rescorer.rescore(TEXT, [_proposal([Alternative("chance woodland", 2.0, ("moby",)),
                                             Alternative("random forest", 0.0, ("wordnet",))])])
    assert [f.restoration for f in out] == ["random forest"]
    assert out[0].rewrite and out[0].confidence > 0.5
    assert out[0].alternatives[0].sources == ("wordnet",)
    assert out[0].evidence[-1].source == "lm"
    assert rescorer.trace[0]["text"] == "irregular woodland"
    assert {o[0] for o in rescorer.trace[0]["options"]} == {"chance woodland", "random forest"}


def test_floor_drops_weak_findings():
    settings = ModelSettings(floor=0.99)
    out = Rescorer(FakeModel(), Config(model=True), settings).rescore(
        TEXT, [_proposal([Alternative("chance woodland", 0.0, ("moby",))])])
    assert out == []


def test_model_candidates_are_off_by_default():
    model = FakeModel([("random", -1.0)])
    Rescorer(model, Config(model=True)).rescore(TEXT, [_proposal([Alternative("chance woodland", 0.0)])])
    assert model.asked == []


def test_model_candidates_filtered_by_meaning():
    from despin.scoring.vectors import similarity

    if similarity("random", "irregular") is None:
        pytest.skip("GloVe vectors not installed")
    model = FakeModel([("random", -1.0), ("banana", -1.5)])
    settings = ModelSettings(lm_candidates=5, lm_similarity=0.3)
    out = Rescorer(model, Config(model=True), settings).rescore(
        TEXT, [_proposal([Alternative("chance woodland", 0.0), Alternative("chance forest", 0.0)])])
    assert model.asked == ["In this paper, we apply "]
    texts = {a.text: a.sources for a in out[0].alternatives}
    assert texts.get("random forest") == ("lm",)  # the model's word + a channel candidate's tail
    assert not any(t.startswith("banana") for t in texts)


class RecordingModel(FakeModel):
    """Records the sentences it is asked to score."""

    def score_continuations(self, prefix, continuations):
        self.asked += [prefix + c for c in continuations]
        return super().score_continuations(prefix, continuations)


def test_fixed_findings_are_context_not_judged_again():
    text = "We apply irregular woodland to the info."
    start = text.index("irregular woodland")
    settled = Finding(start=start, end=start + len("irregular woodland"), text="irregular woodland",
                      restoration="random forest", confidence=0.9, rewrite=True,
                      alternatives=(Alternative("random forest", 1.0),), evidence=(Evidence("channel", "", 1.0),))
    at = text.index("info")
    open_ = Finding(start=at, end=at + 4, text="info", restoration="data", confidence=0.0, rewrite=False,
                    alternatives=(Alternative("data", 0.0),), evidence=(Evidence("lm-nomination", "", 0.0),))
    model = RecordingModel()
    out = Rescorer(model, Config(model=True)).rescore(text, [open_], fixed=[settled])
    assert [f.text for f in out] == ["info"]  # the settled finding is not returned again
    assert model.asked == ["We apply random forest to the info.", "We apply random forest to the data."]
    # Settled findings after a span are read in their rewritten form too.
    model.asked = []
    Rescorer(model, Config(model=True)).rescore(text, [dataclasses.replace(settled, rewrite=False)],
                                               fixed=[dataclasses.replace(open_, rewrite=True)])
    assert all(s.endswith("to the data.") for s in model.asked)


def test_window_cuts_the_right_context_only():
    model = RecordingModel()
    out = Rescorer(model, Config(model=True)).rescore(
        TEXT, [_proposal([Alternative("random forest", 0.0)])], window=2)
    # The words before the span are all read; after it, only the next two (with their punctuation).
    assert model.asked == ["In this paper, we apply irregular woodland to the",
                           "In this paper, we apply random forest to the"]
    assert "reads the sentence to 2 words past it" in out[0].evidence[-1].detail  # the explanation says so
    model.asked = []
    out = Rescorer(model, Config(model=True)).rescore(
        TEXT, [_proposal([Alternative("random forest", 0.0)])], window=3)
    assert model.asked[0].endswith("woodland to the data.")
    assert "reads the sentence +" in out[0].evidence[-1].detail  # nothing was cut
