"""The phrase table: word pairs looked up by integer word ids agree with lookups by words, ids of
words outside the counted vocabulary are stable, and listed terms are known as terms."""
from __future__ import annotations

import math

import numpy as np
import pytest
from wordfreq import zipf_frequency

from despin.scoring.ngrams import PhraseTable, _filtered_index, _index

NONSENSE = ("qzxv", "blorfish")


@pytest.fixture(scope="module")
def table():
    # Loads the cached table (a fraction of a second); builds it once where the cache is absent.
    return PhraseTable()


PAIRS = [
    ("supreme", "court"),
    ("interest", "rates"),
    ("random", "forest"),
    ("the", "model"),
    ("courtroom", "ruled"),  # spun wording, never counted
    ("irregular", "woodland"),
    ("purple", "the"),
]


def test_pairs_agree_with_phrases(table):
    ids = np.array([table.ids(pair) for pair in PAIRS], dtype=np.int64)
    by_id = table.pairs(ids[:, 0], ids[:, 1])
    by_word = table.phrases(PAIRS)
    np.testing.assert_array_equal(by_id, by_word)  # NaN compares equal here
    for pair, value in zip(PAIRS, by_word):
        assert table.phrase(pair) == (None if math.isnan(value) else value)


def test_attested_pair_is_finite_and_nonsense_is_nan(table):
    assert math.isfinite(table.phrases([("supreme", "court")])[0])
    assert math.isnan(table.phrases([NONSENSE])[0])
    assert table.phrase(NONSENSE) is None


def test_broadcasting_matches_elementwise(table):
    (left,) = table.ids(["the"])
    seconds = np.array(table.ids(["model", "court", "woodland", "of", "qzxv"]), dtype=np.int64)
    together = table.pairs(left, seconds)
    one_by_one = np.array([table.pairs(left, s) for s in seconds])
    np.testing.assert_array_equal(together, one_by_one)
    # The other way round: an array of first words against one second word.
    (right,) = table.ids(["court"])
    firsts = np.array(table.ids(["supreme", "the", "qzxv"]), dtype=np.int64)
    np.testing.assert_array_equal(table.pairs(firsts, right), [table.pairs(f, right) for f in firsts])


def test_the_filter_finds_what_the_search_finds(table):
    # Every pair the table holds, and as many it does not, some of them sharing its filter slots.
    keys = table._pair_keys
    rng = np.random.default_rng(0)
    absent = np.setdiff1d(rng.integers(0, keys.max(), size=len(keys)), keys)
    wanted = rng.permutation(np.concatenate([keys, absent]))
    at = _filtered_index(keys, table._pair_present, wanted)
    np.testing.assert_array_equal(at, _index(keys, wanted))
    assert (at >= 0).sum() == len(keys)
    grid = wanted[:1000].reshape(10, 100)
    np.testing.assert_array_equal(_filtered_index(keys, table._pair_present, grid), _index(keys, grid))
    assert _filtered_index(keys, table._pair_present, keys[7]) == 7


def test_unseen_word_gets_a_stable_id(table):
    # A real word (so wordfreq knows it) that no counted pair contains.
    word = "antidisestablishmentarianism"
    (first,) = table.ids([word])
    (again,) = table.ids([word])
    assert first == again
    assert table.ids(["the", word, "the"])[1] == first
    assert table.word(word) == zipf_frequency(word, "en", wordlist="best")
    assert table.word(word) > 0  # else the check above would pass on the zero padding
    assert table.zipf_of(np.array([first]))[0] == table.word(word)
    (the,) = table.ids(["the"])
    assert np.isnan(table.pairs(the, first))
    assert np.isnan(table.pairs(first, the))
    assert np.isnan(table.phrases([("the", word)])[0])


def test_new_words_keep_their_frequencies():
    # A table of its own: the first new word outgrows the loaded frequency array, and what was
    # there (and the new word itself) must survive that and later additions.
    table = PhraseTable()
    court = table.word("court")
    real = "antidisestablishmentarianism"
    words = [real] + [f"zzq{i}" for i in range(3000)]
    ids = table.ids(words)
    assert len(set(ids)) == len(words)
    assert table.ids(words) == ids
    assert table.word(real) == zipf_frequency(real, "en", wordlist="best")
    assert table.word("court") == court == zipf_frequency("court", "en", wordlist="best")
    supreme, court_id = table.ids(["supreme", "court"])
    assert math.isfinite(table.pairs(supreme, court_id))


def test_listed_terms(table):
    assert table.is_term(("random", "forest"))
    assert table.is_term(("supreme", "court"))
    assert table.is_term(("world", "bank"))
    assert not table.is_term(NONSENSE)
    assert not table.is_term(("irregular", "woodland"))


def test_the_word_pairs_inside_a_listed_term_are_attested(table):
    # A dev term; the decoder reads "support vector machine" pair by pair.
    assert table.is_term(("support", "vector", "machine"))
    assert table.phrase(("support", "vector")) is not None
    assert table.phrase(("vector", "machine")) is not None


def test_pairs_only_the_small_corpora_attest_carry_their_counts(table):
    # "compressed information" is in one WordNet gloss and "adjacent part" in two; pairs
    # the web counts or a listed term attest, and unseen pairs, carry no count.
    words = [("compressed", "information"), ("adjacent", "part"), ("supreme", "court"),
             ("support", "vector"), NONSENSE]
    ids = np.array([table.ids(pair) for pair in words], dtype=np.int64)
    zipf, small = table.pairs_and_small_counts(ids[:, 0], ids[:, 1])
    np.testing.assert_array_equal(zipf, table.pairs(ids[:, 0], ids[:, 1]))
    np.testing.assert_allclose(small, [0.0, np.log(2), np.inf, np.inf, np.inf])


def test_no_phrases(table):
    result = table.phrases([])
    assert isinstance(result, np.ndarray)
    assert result.shape == (0,)


def test_unreadable_table_is_rebuilt(tmp_path, monkeypatch):
    from despin.scoring import ngrams

    path = tmp_path / "table.npz"
    path.write_bytes(b"not a zip file")
    built = []

    def fake_build(target, dev_rows=None):
        built.append(target)
        np.savez(target, vocabulary=np.frombuffer(b"a\nb", dtype=np.uint8), word_zipf=np.array([5.0, 4.0]),
                 pair_keys=np.array([1], dtype=np.int64), pair_zipf=np.array([3.0], dtype=np.float32),
                 pair_small=np.array([0], dtype=np.uint16),
                 long_keys=np.zeros(0, dtype=np.uint64), long_zipf=np.zeros(0, dtype=np.float32))

    monkeypatch.setattr(ngrams, "build", fake_build)
    table = ngrams.PhraseTable(path)
    assert built == [path]
    assert table.phrase(("a", "b")) == 3.0


def test_a_narrower_choice_of_dev_rows_lists_fewer_terms_in_its_own_file():
    # Tuning holds dev rows out of the spin table; their expected phrases must not be known
    # terms either, or held-out rows restore themselves.
    from despin.candidates.fingerprints import load_fingerprints
    from despin.scoring.ngrams import _FILE, _selection_file, _terms

    dev = load_fingerprints(("dev",))
    assert len(list(_terms())) - len(list(_terms(lambda fp: False))) == len(dev)
    half = _selection_file(lambda fp: fp.papers % 2 == 0)
    assert half == _selection_file(lambda fp: fp.papers % 2 == 0)  # named by what it keeps
    assert len({_FILE, half, _selection_file(lambda fp: False)}) == 3


def test_a_possessive_reads_as_its_bare_word(table):
    assert table.phrase(("supreme", "court's")) == table.phrase(("supreme", "court"))
    assert table.phrase(("court\u2019s", "ruling")) == table.phrase(("court", "ruling"))
    assert table.phrase(("supreme", "courtroom's")) is None
    assert table.word("court's") < table.word("court")  # its own frequency
