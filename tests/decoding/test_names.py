"""Names rebuilt word by word: flagged unless the rebuilt name is a known one."""
import dataclasses

from despin.decoding.names import NAME_CAP, caution_names
from despin.types import Alternative, Evidence, Finding


class _Terms:
    """Stands in for the phrase table's list of names and terms."""

    def __init__(self, *terms):
        self.terms = {tuple(t.split()) for t in terms}

    def is_term(self, words):
        return tuple(words) in self.terms


def _rebuilt(text, restoration, sources=("spin-table",), confidence=0.91):
    return Finding(start=4, end=4 + len(text), text=text, restoration=restoration, confidence=confidence,
                   rewrite=True, alternatives=(Alternative(restoration, 6.4, sources),),
                   evidence=(Evidence("channel", "the sentence reads better", 6.4),))


def test_a_name_rebuilt_into_an_unknown_one_is_only_flagged():
    [out] = caution_names([_rebuilt("Worldwide Financial Fund", "Global Financial Budget")], _Terms())
    assert (out.restoration, out.rewrite, out.confidence) == ("Global Financial Budget", False, NAME_CAP)
    assert out.evidence[-1].source == "name"


def test_known_names_seen_swaps_and_acronyms_vouch_for_a_rebuilt_name():
    known = _rebuilt("Worldwide Well being Group", "World Health Organization")
    seen = _rebuilt("Home Guidelines Committee", "House Rules Committee", sources=("spin-table-phrase",))
    spelled = dataclasses.replace(_rebuilt("Global Wellbeing", "World Health"), evidence=(
        Evidence("acronym", '"WHO" stands for "world health organization"', 0.85),))
    findings = [known, seen, spelled]
    assert caution_names(findings, _Terms("world health organization")) == findings


def test_one_changed_word_lowercase_words_and_flags_are_left_alone():
    one = _rebuilt("Supreme Courtroom", "Supreme Court")
    plain = _rebuilt("irregular woodland", "random forest")
    flag = _rebuilt("Worldwide Financial Fund", "Global Financial Budget", confidence=0.3)
    findings = [one, plain, flag]
    assert caution_names(findings, _Terms()) == findings
