"""The channel model's shortcuts change nothing: the pre-filter of span_candidates (`repair`) only
drops readings that score_span would reject anyway, the bound on a span's gain that spares
judging most spans is never below the gain, and the vectorised combination of per-word readings,
one span at a time or many at once, keeps the shape the rest of the model relies on."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from despin.decoding.channel import ChannelModel
from despin.decoding.engine import Config, Engine

# (span, left, right) as the engine hands them to score_span: lowercase words, None at a clause
# edge. Spans of spun text (tortured phrases, mangled names, spinner insertions) next to clean
# ones, of one, two and three words.
CASES = [
    # "The Supreme Courtroom ruled on the case yesterday."
    (("courtroom",), "supreme", "ruled"),
    (("supreme", "courtroom"), "the", "ruled"),
    (("ruled",), "courtroom", "on"),
    # "In this paper, we apply irregular woodland to the data." / "... the irregular woodland model"
    (("irregular", "woodland"), "apply", "to"),
    (("irregular", "woodland"), "the", "model"),
    (("irregular",), "an", "woodland"),
    (("woodland",), "irregular", "model"),
    # "Higher rates of interest hurt borrowers."
    (("rates", "of", "interest"), "higher", "hurt"),
    # "Counterfeit consciousness is changing how bosom peril is detected."
    (("counterfeit", "consciousness"), None, "is"),
    (("consciousness",), "counterfeit", "is"),
    (("bosom", "peril"), "how", "is"),
    (("peril",), "bosom", "is"),
    (("profound", "learning"), "a", "model"),
    (("colossal", "information"), "of", "analytics"),
    (("large", "information"), "of", "sets"),
    (("backing", "vector", "machine"), "a", None),
    (("vector", "machine"), "backing", None),
    # "The Home handed the invoice alongside occasion strains."
    (("home",), "the", "handed"),
    (("handed",), "home", "the"),
    (("invoice",), "the", "alongside"),
    (("alongside",), "invoice", "occasion"),
    (("occasion", "strains"), "alongside", None),
    # "The World Financial institution approved the loan." / "Synthetic intelligence is ..."
    (("financial", "institution"), "world", "approved"),
    (("synthetic", "intelligence"), None, "is"),
    # "The Congressional Finances Workplace released ..." / "The Home Guidelines Committee met ..."
    (("congressional", "finances", "workplace"), "the", "released"),
    (("finances", "workplace"), "congressional", "released"),
    (("guidelines", "committee"), "home", "met"),
    (("home", "guidelines"), "the", "committee"),
    (("international", "warming"), "of", "are"),
    # Spinners pad a word with an intensifier.
    (("fairly", "enormous"), "an", "quantity"),
    (("really", "affordable"), "a", "option"),
    (("highly", "effective"), "a", "vaccine"),
    (("enormous", "quantity"), "an", "of"),
    (("position",), "vital", "in"),
    # Clean English: attested pairs, listed terms, ordinary neighbours.
    (("heavy", "rain"), "the", "fell"),
    (("quiet", "village"), "the", "all"),
    (("interest", "rates"), "raised", None),
    (("breast", "cancer"), "for", "detection"),
    (("deep", "learning"), "a", "model"),
    (("forest",), "random", "to"),
    (("quick",), "the", "fox"),
]


def _case_id(case):
    span, left, right = case
    return f"{left}[{' '.join(span)}]{right}"


@pytest.fixture(scope="module")
def channel():
    # As the engine builds it in fast mode (a few seconds, so once per module).
    return Engine(Config(model=False)).channel


@pytest.fixture(scope="module")
def permissive(channel):
    # Reports every accepted span, so that a difference among weak readings is not hidden by
    # both sides falling below min_gain.
    settings = dataclasses.replace(channel.settings, min_gain=-math.inf)
    return ChannelModel(channel.phrases, channel.thesaurus, channel.table, settings)


def _unfiltered(model, monkeypatch):
    """Make score_span see and judge every reading, as it did before the pre-filter existed."""
    monkeypatch.setattr(model, "_repairs", lambda items, kept=None: [(np.ones(len(r.chosen), dtype=bool), math.inf)
                                                                     for r, *_ in items])


def _written_unseen(model, span, left, right):
    written = ((left,) if left else ()) + tuple(span) + ((right,) if right else ())
    return int(np.isnan(model.phrases.phrases(list(zip(written, written[1:])))).sum())


def _assert_same(filtered, reference):
    if reference is None:
        assert filtered is None
        return
    assert filtered is not None
    assert (filtered.first, filtered.last) == (reference.first, reference.last)
    assert filtered.gain == pytest.approx(reference.gain, abs=1e-9)
    assert [(text, sources) for text, _, sources in filtered.candidates] == [
        (text, sources) for text, _, sources in reference.candidates
    ]
    for (_, gain, _), (_, expected, _) in zip(filtered.candidates, reference.candidates):
        assert gain == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("which", ["default", "permissive"])
@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_prefilter_does_not_change_score_span(channel, permissive, monkeypatch, case, which):
    model = channel if which == "default" else permissive
    span, left, right = case
    filtered = model.score_span(span, left, right)
    with monkeypatch.context() as patch:
        _unfiltered(model, patch)
        reference = model.score_span(span, left, right)
    _assert_same(filtered, reference)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_every_dropped_reading_is_rejected(permissive, monkeypatch, case):
    # score_span keeps only its five best candidates; this checks each dropped reading on its own.
    span, left, right = case
    unseen = _written_unseen(permissive, span, left, right)
    if unseen == 0:
        pytest.skip("score_span stops before asking for candidates")
    everything = {words: (logq, sources) for words, logq, sources in permissive.span_candidates(span)}
    kept = {words: (logq, sources)
            for words, logq, sources in permissive.span_candidates(span, (left, right, unseen))}
    # What is kept is kept as it was (same cost, same sources), never invented.
    for words, value in kept.items():
        assert everything.get(words) == value, words
    dropped = [(words, *value) for words, value in everything.items() if words not in kept]
    with monkeypatch.context() as patch:
        for reading in dropped:
            patch.setattr(permissive, "_candidates", lambda span, readings, reading=reading: [reading])
            assert permissive.score_span(span, left, right) is None, reading


def test_gain_bound_is_never_below_the_gain(permissive):
    # score_spans judges only the spans whose bound reaches min_gain; judged, each of these
    # spans gains no more than its bound. Spans with whole-phrase candidates are always judged.
    checked = 0
    for span, left, right in CASES:
        result = permissive.score_span(span, left, right)
        readings = permissive._readings(tuple(span), False)
        if result is None or readings.found:
            continue
        written = ((left,) if left else ()) + tuple(span) + ((right,) if right else ())
        fluency, unseen = permissive.fluency([written])
        kept = float(fluency[0]) + len(span) * permissive.settings.log_keep
        _, bound = permissive._repairs([(readings, left, right, int(unseen[0]))], [kept])[0]
        assert bound >= result.gain - 1e-9, span
        checked += 1
    assert checked >= 10


@pytest.mark.parametrize("cells", [None, 2000])
def test_many_spans_combine_as_each_alone(channel, monkeypatch, cells):
    if cells:  # in many small groups
        monkeypatch.setattr("despin.decoding.channel.GRID_CELLS", cells)
    s = channel.settings
    spans = [columns for columns in (
        [channel._column(word, s.max_options[min(len(span), len(s.max_options)) - 1], len(span) >= 3) for word in span]
        for span, _, _ in CASES)]
    together = channel._combinations_many(spans)
    assert sum(len(columns) == 2 for columns in spans) >= 10
    for columns, (chosen, logq) in zip(spans, together):
        alone_chosen, alone_logq = channel._combinations(columns)
        np.testing.assert_array_equal(chosen, alone_chosen)
        np.testing.assert_array_equal(logq, alone_logq)


@pytest.mark.parametrize("word", ["courtroom", "woodland", "interest", "the", "workplace"])
@pytest.mark.parametrize("limit, mined_only", [(60, False), (30, False), (12, True), (6, True)])
def test_a_column_cut_from_the_whole_is_the_column_of_its_options(channel, word, limit, mined_only):
    s = channel.settings
    column = channel._column(word, limit, mined_only)
    swaps = [] if word == "the" else list(channel.word_options(word)[:limit])
    if mined_only:
        swaps = [o for o in swaps if o.source == "spin-table"]
    assert [o.words for o in column.options] == [(word,)] + [o.words for o in swaps]
    np.testing.assert_array_equal(column.logq, [s.log_keep] + [s.log_swap + o.logq for o in swaps])
    np.testing.assert_array_equal(column.first, channel.phrases.ids(o.words[0] for o in column.options))
    np.testing.assert_array_equal(column.last, channel.phrases.ids(o.words[-1] for o in column.options))
    np.testing.assert_array_equal(column.mined, [o.source == "spin-table" for o in column.options])
    np.testing.assert_array_equal(column.alone[0][:, 0], np.arange(1, len(column.options)))
    np.testing.assert_array_equal(column.alone[1], column.logq[1:])
    fluency, unseen = channel.fluency([o.words for o in column.options])
    np.testing.assert_allclose(column.fluency, fluency)
    np.testing.assert_array_equal(column.unseen, unseen)


def test_cases_exercise_the_prefilter(channel):
    # Guard against the case list drifting into cases where the pre-filter has nothing to do.
    dropping = 0
    for span, left, right in CASES:
        unseen = _written_unseen(channel, span, left, right)
        if unseen and len(channel.span_candidates(span, (left, right, unseen))) < len(channel.span_candidates(span)):
            dropping += 1
    assert dropping >= 15


@pytest.mark.parametrize("span", [("courtroom",), ("irregular", "woodland"), ("rates", "of", "interest"),
                                  ("congressional", "finances", "workplace"), ("bosom", "peril")])
def test_combinations_swap_both_ends(channel, span):
    s = channel.settings
    limit = s.max_options[min(len(span), len(s.max_options)) - 1]
    columns = [channel._column(word, limit) for word in span]
    chosen, logq = channel._combinations(columns)
    assert chosen.shape == (len(logq), len(span))
    assert len(chosen) > 0
    # Index 0 is the word kept as written; a reading that keeps an end word is a shorter span.
    assert (chosen[:, 0] > 0).all()
    assert (chosen[:, -1] > 0).all()
    expected = sum(column.logq[chosen[:, i]] for i, column in enumerate(columns))
    np.testing.assert_allclose(logq, expected)
    assert len({tuple(row) for row in chosen.tolist()}) == len(chosen)


@pytest.mark.parametrize("spun, original", [("handling", "processing"), ("bends", "curves"), ("labeling", "tagging")])
def test_options_are_inflected_by_the_reading_they_came_from(channel, spun, original):
    # A word that is both a base form and an inflection ("handling": a noun, and "handle" + -ing)
    # offers its inflected reading's synonyms inflected ("picture handling" -> "image processing").
    assert original in {" ".join(o.words) for o in channel.word_options(spun)}


@pytest.mark.parametrize("spun, original", [("information", "data"), ("concealed", "hidden"), ("quantity", "number")])
def test_mined_swaps_come_first_in_the_form_they_were_mined(channel, spun, original):
    assert channel.word_options(spun)[0].words == (original,)


def test_a_mined_original_is_not_offered_in_another_form_of_its_lemma(channel):
    assert "datum" not in {" ".join(o.words) for o in channel.word_options("information")}


def test_a_reading_that_swaps_every_word_of_a_pair_is_reported_below_the_bar(channel):
    # Two odd swaps side by side are a flag even where the counts barely prefer the reading; a
    # single word read a little better swapped is everyday English (test_engine's negatives).
    found = channel.score_span(("spare", "vitality"), "the", "in")
    assert found is not None and found.candidates[0][0] == "free energy"
    assert channel.settings.swapped_gain <= found.gain < channel.settings.min_gain


def test_a_middle_of_a_tortured_phrase_speaks_for_itself_only_where_its_words_are_odd(channel):
    # Both were mined only as the middle of a longer row ("half breed classifier", "lion's
    # share vote"). "half breed" is odd on its own; after "lion's" the counts cannot tell, and
    # "the lion's share of" is an idiom, so a single swap's evidence is asked of it.
    assert (("half", "breed"), "hybrid") in channel.table.cut
    assert (("lion's", "share"), "majority") in channel.table.cut
    hybrid = channel.score_span(("half", "breed"), "a", "classifier")
    assert hybrid is not None and hybrid.candidates[0][0] == "hybrid"
    assert hybrid.candidates[0][2] == ("spin-table-middle",)
    assert channel.score_span(("lion's", "share"), "the", "of") is None
