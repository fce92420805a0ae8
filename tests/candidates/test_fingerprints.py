from despin.candidates.fingerprints import FingerprintMatcher, load_fingerprints, parse_query
from despin.decoding.tokens import tokenize


def _words(text):
    return [t for t in tokenize(text) if t.is_word]


def test_parse_query_forms():
    assert parse_query('"surface region" AND "surface area"') == (("surface", "region"), None, [("surface", "area")], [])
    assert parse_query('"surface highlights" NOT specular') == (("surface", "highlights"), None, [], [("specular",)])
    assert parse_query('"gatherings clustering"~10') == (("gatherings", "clustering"), 10, [], [])
    assert parse_query('"business knowledge" AND business intelligence')[2] == [("business", "intelligence")]


def test_every_bundled_row_parses_and_splits_are_disjoint():
    rows = load_fingerprints()
    assert len(rows) == 7644
    dev = {r.expected for r in rows if r.split == "dev"}
    test = {r.expected for r in rows if r.split == "test"}
    assert not dev & test


def _matcher(query):
    fp = next(f for f in load_fingerprints() if f.query == query)
    return FingerprintMatcher([fp])


def test_and_condition_must_hold():
    m = _matcher('"surface region" AND "surface area"')
    assert not m.find(_words("The surface region was large."))
    assert m.find(_words("The surface region was large; the surface area was measured."))


def test_not_condition_blocks():
    m = _matcher('"surface highlights" NOT specular')
    assert m.find(_words("Surface highlights were extracted."))
    assert not m.find(_words("Specular surface highlights were extracted."))


def test_proximity():
    m = _matcher('"gatherings clustering"~10')
    assert m.find(_words("The gatherings of points, after clustering, were compared."))
    assert not m.find(_words("gatherings " + "word " * 15 + "clustering"))


def test_original_is_the_one_wording_to_write_back():
    def original(expected):
        fp = next(f for f in load_fingerprints() if f.expected == expected)
        return fp.original

    assert original("Support Vector Machine (SVM)") == "Support Vector Machine"
    assert original('\\"information technology (IT)\\"') == "information technology"
    # No original, alternatives, and notes with links are not written back.
    for expected in ("???", "(?)", "infected/affected patients", "fog/mist/cloud computing",
                     "social influence, see https://en.wikipedia.org/wiki/Unified_theory_of_acceptance_and_use_of_technology",
                     "in summary, this study examines..."):
        assert original(expected) is None, expected
