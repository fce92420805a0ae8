import dataclasses

from despin.candidates.expansions import Expansions, initials
from despin.decoding.acronyms import apply_acronyms, expand_acronyms, find_acronyms
from despin.decoding.tokens import tokenize
from despin.types import Alternative, Finding

ORIGINALS = {"remote": [("distant", "moby"), ("wireless", "wordnet")], "sheet": [("page", "moby")],
             "counterfeit": [("fake", "moby"), ("artificial", "moby")], "consciousness": [("intelligence", "moby")],
             "illnesses": [("diseases", "wordnet")], "together": [("united", "moby")], "web": [("net", "moby")],
             "aware": [("artificial", "moby")], "intellect": [("intelligence", "moby")]}
EXPANSIONS = Expansions({"ai": ((("artificial", "intelligence"), "wordnet"),),
                         "vd": ((("venereal", "disease"), "wordnet"),),
                         "us": ((("united", "states"), "wordnet"),),
                         "ip": ((("internet", "protocol"), "wikipedia"),),
                         "bin": ((("bank", "identification", "number"), "wordnet"),)})
PHRASE_ORIGINALS = {("financial", "institution"): ["bank"]}


def originals(word):
    return ORIGINALS.get(word, [])


def _finding(text, span, restoration, *alternatives):
    start = text.index(span)
    return Finding(start=start, end=start + len(span), text=span, restoration=restoration, confidence=0.3,
                   rewrite=False, alternatives=tuple(Alternative(a, 0.0, ("moby",)) for a in alternatives))


def test_initials_count_hyphenated_parts_and_may_skip_function_words():
    assert initials(["k-nearest", "neighbor"], skips=False) == "knn"
    assert initials(["Bureau", "of", "Labor", "Statistics"], skips=True) == "bls"


def test_acronyms_are_capitals_or_rare_lowercase_non_words():
    text = "a sporadic neural system (RNN), remote sensor networks WSNs, remote sensor nets wsns"
    assert [r[0].letters for r in find_acronyms(tokenize(text))] == ["rnn", "wsn", "wsn"]
    # "vector" and "tumor" are words, not acronyms; capitals after capitals are a heading.
    assert find_acronyms(tokenize("the bolster vector machine and the mind tumor")) == []
    assert find_acronyms(tokenize("RESULTS OF THE TRIAL")) == []


def test_the_candidate_that_spells_the_acronym_comes_first():
    text = "We used a sporadic neural network (RNN) here."
    finding = _finding(text, "sporadic", "single", "single", "random", "recurrent")
    [out] = apply_acronyms(tokenize(text), [finding], originals)
    assert out.restoration == "random" and [a.text for a in out.alternatives][:2] == ["random", "single"]
    assert out.evidence[-1].source == "acronym"


def test_one_word_no_span_covers_is_flagged_with_an_original_that_fits():
    text = "The remote sensor networks (WSNs) drop packets."
    [flag] = apply_acronyms(tokenize(text), [], originals)
    assert (flag.text, flag.restoration, flag.rewrite) == ("remote", "wireless", False)


def test_words_that_spell_their_acronym_are_left_alone():
    text = "We used a recurrent neural network (RNN) here."
    finding = _finding(text, "recurrent", "repetitive", "repetitive")
    assert apply_acronyms(tokenize(text), [finding], originals) == [finding]
    # An acronym that only happens to follow other words changes nothing.
    text = "We report the results of the advert hoc in the table."
    finding = _finding(text, "advert", "ad", "ad", "cite")
    assert apply_acronyms(tokenize(text), [finding], originals) == [finding]


def test_an_acronym_changes_only_the_findings_among_its_words():
    text = "A sheet came first. We used a sporadic neural network (RNN) here."
    far = _finding(text, "sheet", "page", "page")
    near = _finding(text, "sporadic", "single", "single", "random")
    out = apply_acronyms(tokenize(text), [near, far], originals)
    assert out[0] == far and out[1].restoration == "random"


def _expand(text, findings=()):
    return expand_acronyms(text, tokenize(text), list(findings), EXPANSIONS, originals,
                           lambda words: PHRASE_ORIGINALS.get(words, ()))


def test_words_before_a_known_acronym_are_restored_to_its_expansion():
    text = "We grew the counterfeit consciousness (AI) market."
    [out] = _expand(text)
    assert (out.text, out.restoration, out.rewrite) == ("counterfeit consciousness", "artificial intelligence", True)
    assert out.evidence[0].source == "acronym" and '"AI" stands for "artificial intelligence"' in out.evidence[0].detail
    # The changed words take the written word's form and capitals; findings inside give way.
    text = "Cases of Venereal Illnesses (VD) rose."
    inside = _finding(text, "Illnesses", "Sicknesses", "Sicknesses")
    [out] = _expand(text, [inside])
    assert (out.text, out.restoration) == ("Illnesses", "Diseases")
    assert [a.text for a in out.alternatives] == ["Diseases", "Sicknesses"]


def test_an_expansion_needs_every_changed_word_listed_as_a_swap():
    # "web" -> "internet" is in no thesaurus: the acronym alone does not rewrite it (in clean
    # prose that made "the first millennium BC" into "before christ").
    assert _expand("The web protocol (IP) address was logged.") == []


def test_words_that_spell_the_acronym_or_are_its_expansion_stay():
    assert _expand("We grew the artificial intelligence (AI) market.") == []
    # Each word is listed as a swap, but as written they spell AI: the author's own name.
    assert _expand("We grew the aware intellect (AI) market.") == []


def test_an_expansion_gives_way_to_a_fingerprint_or_a_span_reaching_past_its_words():
    text = "The joined together states (US) signed it."
    wide = _finding(text, "joined together", "united", "united")
    assert _expand(text, [wide]) == [wide]
    known = dataclasses.replace(_finding(text, "together states", "united states"), kind="fingerprint")
    assert _expand(text, [known]) == [known]
    # A flag with nothing to restore gives way to the expansion.
    odd = _finding(text, "joined together", None)
    assert [(f.text, f.restoration) for f in _expand(text, [odd])] == [("together", "united")]


def test_the_same_words_elsewhere_are_restored_with_the_acronym():
    text = "The Counterfeit Consciousness (AI) market grew; counterfeit consciousness\nhelps, but counterfeit money."
    out = _expand(text)
    assert [(f.text, f.restoration) for f in out] == [("Counterfeit Consciousness", "Artificial Intelligence"),
                                                      ("counterfeit consciousness", "artificial intelligence")]
    assert "the same words stand before \"AI\"" in out[1].evidence[0].detail


def test_every_lowercase_acronym_the_rule_asks_about_is_within_the_listed_wordnet_forms():
    from despin.candidates.wordnet import FORM_LETTERS, wordnet_forms
    from despin.decoding.acronyms import LETTERS

    assert LETTERS[1] + 1 <= FORM_LETTERS  # "rnns": the longest lower-case token asked about
    assert {"vector", "tumors", "geese"} <= wordnet_forms() and "rnn" not in wordnet_forms()


def test_a_finding_on_a_word_the_expansion_keeps_gives_way_too():
    text = "We grew the counterfeit consciousness (AI) market."
    whole = _finding(text, "counterfeit consciousness", "fake awareness", "fake awareness")
    [out] = _expand(text, [whole])
    assert (out.text, out.restoration) == ("counterfeit consciousness", "artificial intelligence")
    text = "Cases of Venereal Illnesses (VD) rose."
    kept = _finding(text, "Venereal", "Sexual", "Sexual")
    assert [(f.text, f.restoration) for f in _expand(text, [kept])] == [("Illnesses", "Diseases")]


def test_a_word_of_an_expansion_may_be_a_phrase_spinners_write_for_it():
    # The spin table holds "financial institution" for "bank" (seen on spun news pages).
    text = "Check the Financial institution Identification Number (BIN) on the card."
    [out] = _expand(text)
    assert (out.text, out.restoration, out.rewrite) == ("Financial institution", "Bank", True)
    assert '"Financial institution" -> "Bank" (spin table)' in out.evidence[0].detail
    # Without that swap the words do not line up with the expansion.
    assert expand_acronyms(text, tokenize(text), [], EXPANSIONS, originals) == []


def test_a_restoration_that_spells_less_of_the_acronym_is_only_flagged():
    # "Fund" spells the acronym's F; a restoration that drops it is not what the name was.
    text = "The Worldwide Financial Fund (IMF) cut its forecast."
    wrong = dataclasses.replace(_finding(text, "Worldwide Financial Fund", "Global Financial Investment",
                                         "Global Financial Investment"), confidence=0.88, rewrite=True)
    [out] = apply_acronyms(tokenize(text), [wrong], originals)
    assert (out.restoration, out.rewrite, out.confidence) == ("Global Financial Investment", False, 0.45)
    assert out.evidence[-1].source == "acronym" and "spells fewer of its letters" in out.evidence[-1].detail
    # One that spells as much as the written words (here: none of it) is left as it was.
    text = "The Worldwide Financial Fund (ABC) cut its forecast."
    other = _finding(text, "Worldwide Financial Fund", "Global Financial Investment", "Global Financial Investment")
    assert apply_acronyms(tokenize(text), [other], originals) == [other]
