from despin.candidates.morphology import inflect_like, match_case


def test_inflection_follows_the_spun_word():
    assert inflect_like("forest", "woodlands") == "forests"
    assert inflect_like("pass", "handed") == "passed"
    assert inflect_like("interest rate", "rates") == "interest rates"
    assert inflect_like("forest", "woodland") == "forest"


def test_capitals_follow_the_spun_text():
    assert match_case("random forest", "Irregular Woodland") == "Random Forest"
    assert match_case("court", "Courtroom") == "Court"
    assert match_case("Analysis Method", "test technique") == "analysis method"
    assert match_case("massachusetts institute of technology", "Massachusetts Institute Of Know-how") == \
        "Massachusetts Institute of Technology"
