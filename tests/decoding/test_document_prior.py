"""What the rest of a text says about each finding."""
import dataclasses

from despin.decoding.document_prior import DocumentPrior, apply_prior
from despin.types import Finding

# Not the fitted defaults, which bench/prior.py may move: these tests are about the shape.
PRIOR = DocumentPrior(weight=1.0, weight_up=1.0, rate=0.02, pseudo=1.0)
ODD = Finding(start=0, end=4, text="Home", restoration="House", confidence=0.6, rewrite=True)


def test_a_lone_finding_in_a_long_ordinary_text_is_talked_out_of_its_rewrite():
    (moved,) = apply_prior([ODD], words=400, prior=PRIOR, min_confidence=0.5)
    assert moved.confidence < 0.5 and not moved.rewrite
    assert moved.evidence[-1].source == "document"


def test_a_short_text_says_little():
    (moved,) = apply_prior([ODD], words=12, prior=PRIOR, min_confidence=0.5)
    assert abs(moved.confidence - ODD.confidence) < 0.1 and moved.rewrite


def test_sure_findings_around_a_flag_raise_it_but_never_into_a_rewrite():
    sure = [dataclasses.replace(ODD, start=10 * i, end=10 * i + 4, confidence=0.95) for i in range(1, 9)]
    flag = dataclasses.replace(ODD, confidence=0.4, rewrite=False)
    moved = apply_prior([flag, *sure], words=120, prior=PRIOR, min_confidence=0.5)
    assert moved[0].confidence > 0.5 and not moved[0].rewrite
    assert all(f.rewrite for f in moved[1:])


def test_known_phrases_keep_their_confidence_and_do_not_raise_others():
    known = dataclasses.replace(ODD, text="irregular woodland", confidence=0.95, kind="fingerprint")
    alone = apply_prior([ODD], words=400, prior=PRIOR, min_confidence=0.5)
    moved = apply_prior([ODD, known, known], words=400, prior=PRIOR, min_confidence=0.5)
    assert moved[1:] == [known, known]
    assert moved[0].confidence == alone[0].confidence


def test_the_bounds_never_pull_a_sure_finding_back():
    sure = [dataclasses.replace(ODD, start=10 * i, end=10 * i + 4, confidence=0.999) for i in range(8)]
    moved = apply_prior(sure, words=60, prior=PRIOR, min_confidence=0.5)
    assert moved == sure  # nor explain a move too small to show
