"""The compiled inverse thesaurus carries each pair's GloVe similarity, and the channel keeps
the close synonyms among a word's many thesaurus originals."""
from __future__ import annotations

import sqlite3

import pytest
from wordfreq import zipf_frequency

from despin.cache import cached_file
from despin.candidates import thesaurus as module
from despin.candidates.thesaurus import Ranking, Thesaurus, _moby_reverse, _UnitVectors
from despin.decoding.engine import Config, Engine
from despin.scoring.vectors import load_word_vectors

pytestmark = pytest.mark.skipif(load_word_vectors() is None, reason="GloVe vectors not installed")


@pytest.fixture(scope="module")
def thesaurus():
    return Thesaurus()


def test_pairs_carry_similarity(thesaurus):
    found = {s.original: s.similarity for s in thesaurus.originals("woods")}
    assert found["forest"] > 0.4
    assert all(-1.0 <= sim <= 1.0 for sim in found.values())


def test_unknown_words_have_zero_similarity():
    unit = _UnitVectors()
    sims = unit.similarities([("woods", "forest"), ("woods", "qzxqzxqzx"), ("rain forest", "woods")])
    assert sims[0] > 0.4
    assert sims[1] == 0.0
    assert sims[2] > 0.0  # a phrase is the mean of its words


def test_close_synonyms_rank_among_the_kept_options():
    channel = Engine(Config(model=False, fingerprint_splits=(), dev_rows=lambda fp: False, news_part="heldout")).channel
    # Each has hundreds of thesaurus originals; ranked by frequency alone, the synonym a tortured
    # phrase hid fell outside the 60 kept ("universal exchange", "thick woods", "protein articulation").
    for spun, original in (("exchange", "trade"), ("thick", "dense"), ("articulation", "expression")):
        kept = [" ".join(o.words) for o in channel.word_options(spun)]
        assert original in kept[: channel.settings.max_options[1]], spun


def test_mined_swaps_come_first():
    channel = Engine(Config(model=False)).channel
    options = channel.word_options("courtroom")
    assert options[0].source == "spin-table" and options[0].words == ("court",)


def test_reverse_moby_adds_the_pairs_listed_one_way_only():
    entries = {"breeze": {"wind", "zephyr"}, "wind": {"gale"}, "zephyr": {"breeze"}}
    added, sizes = _moby_reverse(entries)
    # "breeze" lists "wind" but not the other way: a spinner may still write "breeze" for "wind";
    # and "gale", which has no entry of its own, may become "wind".
    assert added == {"wind": {"breeze"}, "gale": {"wind"}}
    assert sizes == {"wind": 2, "gale": 1}  # closed entries: "wind" holds "gale" and "breeze"


def test_a_pair_moby_lists_one_way_is_found_from_the_spun_word(thesaurus):
    found = {s.original: s.source for s in thesaurus.originals("breeze")}
    assert found.get("wind") == "moby-reverse"


def test_building_the_table_removes_the_one_it_supersedes(tmp_path, monkeypatch):
    def tiny_build(path):
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE syn (spun TEXT, original TEXT, source INTEGER, logp REAL, sim REAL)")
        db.execute("INSERT INTO syn VALUES ('woods', 'forest', 0, -1.0, 0.5)")
        db.commit()
        db.close()

    monkeypatch.setenv("DESPIN_CACHE", str(tmp_path))
    monkeypatch.setattr(module, "build", tiny_build)
    old = cached_file("thesaurus.sqlite")
    old.write_bytes(b"an earlier table")
    assert Thesaurus().originals("woods")[0].similarity == 0.5
    assert not old.exists()


def test_without_vectors_every_similarity_is_zero(monkeypatch):
    from despin.scoring import vectors

    monkeypatch.setattr(vectors, "load_word_vectors", lambda: None)
    assert list(_UnitVectors().similarities([("woods", "forest"), ("thick", "dense")])) == [0.0, 0.0]


def test_ranked_look_up_matches_ranking_every_original(thesaurus):
    ranking = Ranking(zipf_weight=2.0, similarity_weight=8.0, moby_penalty=-1.0, reverse_penalty=-1.0)

    def key(syn):
        penalty = {"moby": -1.0, "moby-reverse": -2.0}.get(syn.source, 0.0)
        return syn.logp + penalty + ranking.zipf_weight * zipf_frequency(syn.original, "en", wordlist="best") \
            + ranking.similarity_weight * syn.similarity

    for spun in ("run", "woods", "peril"):
        every = sorted((s for s in thesaurus.originals(spun) if " " not in s.original), key=lambda s: (-key(s), s.original))
        ranked = thesaurus.ranked_originals(spun, ranking, 40)
        assert len(ranked) == min(40, len(every))
        assert [round(key(s), 6) for s in ranked] == [round(key(s), 6) for s in every[:40]]


def test_pairs_moby_lists_one_way_are_for_the_model_to_judge():
    # Fast mode gained nothing from them and lost speed; model mode judges them in context.
    fast = Engine(Config(model=False)).channel.word_options("breeze")
    model = Engine(Config(model=True)).channel.word_options("breeze")
    assert all(o.source != "moby-reverse" for o in fast)
    assert any(o.source == "moby-reverse" for o in model)
