import pytest

import despin
from despin.decoding.agreement import _with_article
from despin.types import Change


def test_the_article_follows_how_the_new_word_is_said():
    def fixed(text, old, new):
        start = text.index(old)
        return _with_article(text, Change(start, start + len(old), old, new, 0.9, ()), 0).new

    assert fixed("a power lattice", "power lattice", "utility grid") == "utility grid"  # "a utility", not "an"
    assert fixed("an extraordinary ID", "extraordinary ID", "unique ID") == "a unique ID"
    assert fixed("a moment", "moment", "hour") == "an hour"


@pytest.mark.parametrize("text, restored", [
    ("- We trained an\n  irregular woodland model.", "- We trained a\n  random forest model."),
    ("We trained an\r\n   irregular woodland model.", "We trained a\r\n   random forest model."),
    ("We used an   irregular woodland model.", "We used a   random forest model."),
    # Past a blank line the "an" ends a paragraph of its own.
    ("It was an\n\nirregular woodland model.", "It was an\n\nrandom forest model."),
])
def test_the_article_is_found_across_a_wrapped_and_indented_line(text, restored):
    assert despin.restore(text, fast=True) == restored


@pytest.mark.parametrize("text, restored", [
    ("The counterfeit consciousness' impact grew.", "The artificial intelligence's impact grew."),
    ("The counterfeit consciousness’ impact grew.", "The artificial intelligence’s impact grew."),
    ("THE COUNTERFEIT CONSCIOUSNESS' IMPACT", "THE ARTIFICIAL INTELLIGENCE'S IMPACT"),
    # A plural owner keeps its bare apostrophe.
    ("The neural organizations' weights grew.", "The neural networks' weights grew."),
    # An apostrophe that closes a quotation is no owner's.
    ("He called it 'counterfeit consciousness' and left.", "He called it 'artificial intelligence' and left."),
    ("He said 'it's fine' and the counterfeit consciousness' impact grew.",
     "He said 'it's fine' and the artificial intelligence's impact grew."),
])
def test_an_owner_written_with_a_bare_apostrophe_takes_s_when_the_new_word_needs_it(text, restored):
    assert despin.restore(text, fast=True) == restored
