from despin.candidates.morphology import same_form
from despin.candidates.spin_table import SpinTable


def test_word_swaps_keep_the_lemma_that_inflects_back_to_the_original():
    table = SpinTable()
    table.add("information warehouse", "data warehouse")
    table.add("preparation set", "training set")
    table.add("quantity", "number")
    # "data" is also the plural of "datum", "training" the -ing of "train", "number" the
    # comparative of "numb": none of those restores the spun word.
    assert table.word_candidates("information") == {"data": 1}
    assert table.word_candidates("preparation") == {"training": 1}
    assert table.word_candidates("quantity") == {"number": 1}


def test_word_swaps_are_kept_as_written_unless_the_rows_disagree_in_number():
    table = SpinTable()
    table.add("concealed layer", "hidden layer")
    table.add("restorative picture", "medical images")
    assert table.word_forms("concealed") == {"hidden": 1}
    assert not table.word_forms("picture")
    assert table.word_candidates("picture") == {"image": 1}  # takes the spun word's number
    assert not table.word_forms("pictures")


def test_another_form_of_the_same_word_is_not_a_swap():
    table = SpinTable()
    table.add("sensor network", "sensor networks")
    assert not table.words and not table.forms


def test_same_form():
    assert same_form("concealed", "hidden")
    assert same_form("information", "data")
    assert same_form("immature", "developing")  # no shared part of speech to disagree on
    assert not same_form("picture", "images")


def test_times_spun_counts_every_form_of_the_spun_word():
    table = SpinTable()
    table.add("prediction exactness", "prediction accuracy")
    table.add("classification exactness", "classification precision")
    table.add("fleecy logic", "fuzzy logic")
    assert table.times_spun("exactness") == 2
    assert table.times_spun("fleecy") == 1
    assert table.times_spun("accuracy") == 0  # an original, not a word spinners wrote


def test_a_possessive_ending_is_no_part_of_a_word_swap_unless_only_the_spinner_wrote_it():
    table = SpinTable()
    table.add("Individuals' Republic of China", "People's Republic of China")
    table.add("melody's structure", "song's structure")
    table.add("transfer today's", "transfer learning")
    table.add("Henon's map", "Henon map")
    assert table.word_candidates("individuals") == {"people": 1}
    assert table.word_candidates("melody") == {"song": 1}
    assert table.word_candidates("today's") == {"learning": 1}
    assert not table.word_candidates("today")  # "today" -> "learning" would rewrite plain English
    assert not table.word_candidates("henon's")


def test_a_middle_cut_from_a_longer_tortured_phrase_is_kept_apart():
    table = SpinTable()
    table.add("lion's share vote", "majority vote")
    table.add("on account of", "because of", middles_seen=True)  # a reader of spun news wrote it down
    assert table.phrases[("lion's", "share")] == {"majority": 1}
    assert (("lion's", "share"), "majority") in table.cut
    assert (("on", "account"), "because") not in table.cut
    table.add("lion's share", "majority")  # seen whole: no longer only a part
    assert (("lion's", "share"), "majority") not in table.cut


def _same(a: SpinTable, b: SpinTable) -> bool:
    # Order matters too: it breaks ties between equally likely originals.
    return (all(list(getattr(a, name).items()) == list(getattr(b, name).items())
                for name in ("phrases", "words", "forms"))
            and a.cut == b.cut and a.max_phrase_len == b.max_phrase_len)


def test_a_table_reads_back_as_it_was_written():
    table = SpinTable()
    table.add("lion's share vote", "majority vote")
    table.add("rates of interest", "interest rates", weight=5, middles_seen=True)
    table.add("concealed layer", "hidden layer")
    table.add("information warehouse", "data warehouse")
    back = SpinTable.from_json(table.to_json())
    assert _same(back, table)
    back.add("woodland", "forest")  # still a table of defaultdicts of Counters
    assert back.word_candidates("woodlands") == {"forest": 1}


def test_the_mined_table_is_kept_in_the_cache_folder_and_mined_again_when_unreadable(tmp_path, monkeypatch):
    from despin.candidates import spin_table

    monkeypatch.setenv("DESPIN_CACHE", str(tmp_path))
    mined = spin_table.mine_spin_table()
    (kept,) = tmp_path.glob("*spin-table-all-*.json")
    assert _same(spin_table.mine_spin_table(), mined)
    kept.write_text('{"phrases": [')
    assert _same(spin_table.mine_spin_table(), mined)
    assert _same(SpinTable.from_json(kept.read_text()), mined)
    # Tuning's narrower tables are mined each time, never kept.
    spin_table.mine_spin_table(keep=lambda fp: fp.papers % 2 == 0)
    assert len(list(tmp_path.glob("*spin-table*"))) == 1
