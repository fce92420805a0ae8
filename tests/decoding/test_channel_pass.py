"""Fast mode's pass over a text: the parts of hyphenated compounds."""
import pytest

import despin
from despin.candidates.compounds import combining_forms
from despin.decoding.channel import Scored
from despin.decoding.channel_pass import _spinnable_parts, _within_compound
from despin.decoding.tokens import Token, tokenize


def test_a_compound_spun_part_by_part_is_restored_whole():
    text = "The low-commotion amplifier works."
    [finding] = despin.check(text, fast=True).findings
    assert (finding.start, finding.end) == (4, 17)  # the whole compound, not its part
    assert (finding.text, finding.restoration) == ("low-commotion", "low-noise")
    assert "part by part" in finding.evidence[0].detail
    assert all("-" in alt.text for alt in finding.alternatives)
    assert despin.restore(text, fast=True) == "The low-noise amplifier works."


@pytest.mark.parametrize("text", [
    "We measured a dose-dependent effect of a non-linear, time-varying load in a long-term follow-up study.",
    "Jean-Paul Sartre met a co-founder of a self-driving start-up.",
    "We read the x-ray and the e-mail.",
])
def test_plain_compounds_are_left_alone(text):
    assert despin.check(text, fast=True).findings == []


@pytest.mark.parametrize(("word", "opens", "parts"), [
    ("low-commotion", False, ["low", "commotion"]),
    ("Low-commotion", True, ["Low", "commotion"]),  # a clause's first word has its capital
    ("RNA-subordinate", False, ["RNA", "subordinate"]),  # an acronym is no name
    ("Low-commotion", False, None),  # a capital inside a clause: a name ("Jean-Paul")
    ("low-Commotion", True, None),
    ("cutting-edge", False, None),  # WordNet lists it: English as written
    ("acquire-additional-files", False, None),  # an identifier more often than a spun phrase
    ("commotion", False, None),
])
def test_which_compounds_are_read_part_by_part(word, opens, parts):
    token = tokenize(word)[0] if "-" in word else Token(word, 0, len(word))
    found = _spinnable_parts(token, opens)
    assert (None if found is None else [p.text for p in found]) == parts


def test_a_restoration_is_written_over_the_compound_and_the_word_it_takes_in():
    text = "A time-recurrence examination."
    words = [Token("time", 2, 6), Token("recurrence", 7, 17), Token("examination", 18, 29)]
    compound = Token("time-recurrence", 2, 17)
    result = Scored(1, 2, 3.0, [("frequency analysis", 3.0, ("wordnet",)), ("frequency", 1.0, ("wordnet",))])
    within = _within_compound(text, result, words, compound)
    # "frequency" alone would drop a word of the span: only the whole compound may change length.
    assert within.candidates == [("time-frequency analysis", 3.0, ("wordnet",))]
    whole = Scored(0, 1, 3.0, [("solar", 3.0, ("spin-table",))])
    assert _within_compound(text, whole, words, compound).candidates == [("solar", 3.0, ("spin-table",))]


@pytest.mark.parametrize("text", [
    "We studied data-dependent methods in detail.",  # "dependent on" -> "based on" is a mined swap
    "The text-dependent systems were compared.",
    "We propose pre-trained and post-processing methods.",
])
def test_a_combining_form_that_other_compounds_share_stays(text):
    assert despin.check(text, fast=True).findings == []


def test_combining_forms_are_shared_parts_and_spun_parts_are_not():
    firsts, lasts = combining_forms()
    assert {"dependent", "based", "related"} <= lasts and "low" in firsts
    assert not {"commotion", "recurrence", "subordinate"} & lasts


def test_batches_of_any_size_give_the_same_findings(monkeypatch):
    # Clauses, and the clauses cut out of compounds, are decoded a batch at a time, so that a
    # long text's memory stays bounded; how the text is cut into batches changes nothing.
    text = ("The low-commotion amplifier works. Supreme Courtroom judges heard a non-straight "
            "argument about irregular woodland models. The semi-regulated methodologies of the "
            "Home handed the invoice alongside occasion strains. ") * 3
    whole = despin.check(text, fast=True).findings
    assert len(whole) >= 6
    monkeypatch.setattr("despin.decoding.channel_pass.BATCH_SPANS", 2)
    monkeypatch.setattr("despin.decoding.channel_pass.BATCH_CLAUSES", 3)
    assert despin.check(text, fast=True).findings == whole


def test_the_words_of_known_phrases_are_context_only(monkeypatch):
    # A text of known phrases in capitals made every word a name's, and every span of every
    # clause a name to decode: 100 words a second. The known phrases' words open no span now.
    from despin.decoding.channel import ChannelModel

    scored = []
    score_spans = ChannelModel.score_spans

    def counting(self, requests):
        scored.extend(requests)
        return score_spans(self, requests)

    monkeypatch.setattr(ChannelModel, "score_spans", counting)
    text = "IRREGULAR WOODLAND BOSOM PERIL " * 20 + "MODELS."
    findings = despin.check(text, fast=True).findings
    assert len(findings) == 40 and all(f.kind == "fingerprint" for f in findings)
    assert all(r.span == ("models",) for r in scored)
