from despin.candidates.morphology import inflect_like, match_case, possessive


def test_inflection_follows_the_spun_word():
    assert inflect_like("forest", "woodlands") == "forests"
    assert inflect_like("pass", "handed") == "passed"
    assert inflect_like("interest rate", "rates") == "interest rates"
    assert inflect_like("forest", "woodland") == "forest"


def test_inflection_follows_the_reading_a_synonym_came_from():
    # "handling" is a noun of its own and the verb "handle" inflected: a synonym of the verb
    # takes the -ing, a synonym of the noun stays as it is.
    assert inflect_like("process", "handling", "handle") == "processing"
    assert inflect_like("treatment", "handling", "handling") == "treatment"
    assert inflect_like("curve", "bends", "bend") == "curves"
    assert inflect_like("supervise", "directed", "direct") == "supervised"


def test_capitals_follow_the_spun_text():
    assert match_case("random forest", "Irregular Woodland") == "Random Forest"
    assert match_case("court", "Courtroom") == "Court"
    assert match_case("Analysis Method", "test technique") == "analysis method"
    assert match_case("massachusetts institute of technology", "Massachusetts Institute Of Know-how") == \
        "Massachusetts Institute of Technology"
    # A compound of capitalised words is Title Case, not an acronym; a mixed-case part keeps its capitals.
    assert match_case("Long Short-Term Memory", "long quick-time period memory") == "long short-term memory"
    assert match_case("SARS-CoV-2 infection", "sars-cov-2 contamination") == "SARS-CoV-2 infection"


def test_a_possessive_ending_is_split_from_owners_not_contractions():
    assert possessive("courtroom's") == ("courtroom", "'s")
    assert possessive("court\u2019s") == ("court", "\u2019s")
    assert possessive("it's") == ("it's", "")
    assert possessive("courts") == ("courts", "")
