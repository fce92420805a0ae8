import json
from pathlib import Path

import pytest

import despin

CASES = Path(__file__).resolve().parents[1] / "cases"


def _cases(name):
    return json.loads((CASES / name).read_text())


@pytest.mark.parametrize("case", _cases("synthetic.json"), ids=lambda c: c["label"])
def test_synthetic_spins_are_found_and_restored(case):
    result = despin.check(case["text"])
    found = {f.text: f.restoration for f in result.findings}
    assert found.get(case["spun"]) == case["original"]
    assert case["original"] in despin.restore(case["text"], min_confidence=0.0)


@pytest.mark.parametrize("case", _cases("negative.json"), ids=lambda c: c["label"])
def test_clean_text_is_left_alone(case):
    assert despin.restore(case["text"]) == case["text"]
    assert despin.check(case["text"]).findings == []


@pytest.mark.parametrize("case", _cases("known-failures.json"), ids=lambda c: c["label"])
@pytest.mark.xfail(strict=False, reason="known failure, kept as a target")
def test_known_failures(case):
    assert case["original"] in despin.restore(case["text"], min_confidence=0.0)


def test_explanations_name_their_evidence():
    text, changes = despin.restore_and_explain("We use counterfeit consciousness for triage.")
    assert "artificial intelligence" in text
    assert changes and changes[0].old == "counterfeit consciousness"
    assert changes[0].evidence[0].source == "fingerprint"


def test_unflagged_text_kept_byte_for_byte():
    text = "First line.\r\n\r\nThe Supreme Courtroom ruled.  It was  late\tat night.\n"
    restored = despin.restore(text)
    assert restored == text.replace("Supreme Courtroom", "Supreme Court")


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "model"])
def test_a_fingerprint_whose_original_is_unknown_is_flagged_never_deleted(fast):
    # The Screener lists "spare vitality" with the original "???". The empty restoration it
    # once gave deleted the phrase on restore, and crashed model mode when the word before it
    # was nominated. Notes with links and alternatives ("infected/affected") were written back.
    text = "The engineers measured spare vitality in the old building."
    (finding,) = [f for f in despin.check(text, fast=fast).findings if f.text == "spare vitality"]
    assert finding.kind == "fingerprint" and finding.restoration is None and not finding.rewrite
    assert finding.confidence >= 0.9 and "no single original" in finding.evidence[0].detail
    assert despin.restore(text, fast=fast, min_confidence=0.0) == text
    noted = "Participants rated the social impact utaut items and the tainted patients."
    flags = {f.text: f.restoration for f in despin.check(noted, fast=True).findings if f.kind == "fingerprint"}
    assert flags == {"social impact utaut": None, "tainted patients": None}
    assert despin.restore(noted, fast=True) == noted


def test_boilerplate_is_reported_and_dropped():
    text = "[ad_1]\nThe heavy rain fell on the quiet village.\n[ad_2]\nSource link\n"
    result = despin.check(text)
    assert {b.kind for b in result.boilerplate} == {"ad-marker", "source-link"}
    assert despin.restore(text).strip() == "The heavy rain fell on the quiet village."


def test_empty_and_non_english():
    assert despin.check("").findings == []
    assert despin.restore("") == ""
    french = ("Le gouvernement a annoncé hier que les nouvelles mesures entreront en vigueur dans "
              "les prochains jours, selon le ministre de la santé et des affaires sociales.")
    result = despin.check(french)
    assert not result.supported
    assert despin.restore(french) == french


def test_article_agrees_with_restoration():
    assert "a random forest" in despin.restore("We train an irregular woodland on it.")


SPUN_WITH_ORDINARY_WORDING = ("[ad_1]\nThe Supreme Courtroom dominated on Tuesday, in accordance with folks "
                              "acquainted with the choice.\n[ad_2]\nSource link\n")


def test_ordinary_wording_that_spinners_write_is_flagged_only_in_spun_text():
    from despin.decoding.engine import Config, Engine

    fast = Engine(Config(model=False))
    found = {f.text: f for f in fast.check(SPUN_WITH_ORDINARY_WORDING).findings}
    phrase = found["in accordance with"]
    assert (phrase.kind, phrase.restoration, phrase.rewrite) == ("observed-phrase", "according to", False)
    assert "in accordance with" in fast.restore(SPUN_WITH_ORDINARY_WORDING).text  # frequencies alone: a flag
    assert "according to" in fast.restore(SPUN_WITH_ORDINARY_WORDING, min_confidence=0.0).text
    clean = "The permit was issued in accordance with the rules of the county."
    assert despin.check(clean).findings == []


def test_the_model_rewrites_an_ordinary_wording_it_reads_as_spun():
    from despin.decoding.engine import Config, Engine

    engine = Engine(Config(model=True))
    if engine.rescorer is None:
        pytest.skip("the context model is not installed")
    text = SPUN_WITH_ORDINARY_WORDING.replace("dominated on Tuesday", "dominated on Tuesday that the Very "
                                              "affordable Treatment Act stands")
    found = {f.text: f for f in engine.check(text).findings}
    name = found["Very affordable Treatment Act"]
    assert (name.kind, name.restoration, name.rewrite) == ("observed-phrase", "Affordable Care Act", True)
    assert [e.source for e in name.evidence] == ["observed-phrase", "lm"]
    assert "the Affordable Care Act stands" in engine.restore(text).text


def test_spun_text_needs_dense_evidence():
    from despin.decoding.engine import _looks_spun
    from despin.types import Finding

    sure = [Finding(start=0, end=4, text="Home", restoration="House", confidence=0.9, rewrite=True)] * 2
    assert _looks_spun(sure, [], words=80)
    assert _looks_spun(sure[:1], ["source link"], words=80)  # one sure span plus autoblog furniture
    assert not _looks_spun(sure[:1], [], words=80)
    # Two sure spans in a 5,000-word text are what clean prose produces by chance.
    assert not _looks_spun(sure, [], words=5000)


def test_bundled_spun_news_is_restored_in_context():
    from despin.api import engine
    from despin.decoding.engine import Config

    if engine(Config(model=True, threads=None)).mode != "model":
        pytest.skip("the context model is not installed")
    text = (Path(__file__).resolve().parents[2] / "examples" / "spun-news.txt").read_text()
    restored = despin.restore(text)
    # Each restoration is judged with its neighbours' restorations in place: "handed" reads as
    # "passed" only after "Home" has become "House".
    assert "The House passed the bill" in restored
    # "alongside" is ordinary English, but in a text this spun the model's +9.7 nats for "along"
    # is rewritten (engine.SPUN_TEXT_GAIN).
    assert "passed the bill along party lines" in restored
    assert "World Bank" in restored and "Supreme Court" in restored


def test_known_fingerprints_are_the_models_context():
    from despin.api import engine
    from despin.decoding.engine import Config

    if engine(Config(model=True, threads=None)).mode != "model":
        pytest.skip("the context model is not installed")
    text = (Path(__file__).resolve().parents[2] / "examples" / "tortured-abstract.txt").read_text()
    # "profound learning" is in no fingerprint; the model finds "deep" once it reads "a random
    # forest classifier" rather than "a irregular woodland classifier" before it.
    assert "a random forest classifier and a deep learning model" in despin.restore(text)


class _RecordingModel:
    """Stands in for the context model: records what the nomination pass is asked, reads every
    asked word at `logprob` (0: nothing is unlikely) and every original's first token `gain`
    nats above the written word's."""

    def __init__(self, logprob=0.0, gain=0.0):
        self.items = []
        self.ranges = []
        self.logprob = logprob
        self.gain = gain  # of every original's first token over the written word's

    def read(self, items):
        from despin.scoring.lm import Reading

        self.items += [(text, queries) for text, queries, _ in items]
        self.ranges += [[text[a:b] for a, b in ranges] for text, _, ranges in items]
        return [Reading([[self.gain] * len(alternatives) for _, alternatives in queries], [self.logprob] * len(ranges))
                for _, queries, ranges in items]


def test_nominations_read_the_text_with_earlier_rewrites():
    from despin.decoding.engine import Config, Engine
    from despin.decoding.rescoring import Rescorer
    from despin.decoding.tokens import tokenize
    from despin.types import Finding

    engine = Engine(Config(model=False))
    model = _RecordingModel()
    engine._rescorer = Rescorer(model, engine.config)
    text = "The Home handed the invoice today. The committee met again."
    at = text.index("Home")
    rewrite = Finding(start=at, end=at + 4, text="Home", restoration="Grand House", confidence=0.9, rewrite=True,
                      alternatives=(), evidence=())
    found, odd = engine._nominate(text, tokenize(text), covered=set(range(at, at + 4)), rewrites=[rewrite])
    assert odd == [] and all(by_first.start > at for *_, by_first, _ in found)
    sentences = [sentence for sentence, _ in model.items]
    assert sentences == ["The Grand House handed the invoice today.", "The committee met again."]
    asked = {sentence[offset:].split()[0].strip(".") for sentence, queries in model.items for offset, _ in queries}
    assert {"handed", "invoice"} <= asked  # offsets moved with the longer rewrite
    assert not {"Home", "Grand", "House"} & asked  # a rewritten span is not nominated again


def test_names_and_rare_words_are_nominated_only_when_asked():
    from despin.decoding.engine import Config, Engine
    from despin.decoding.rescoring import Rescorer
    from despin.decoding.tokens import tokenize

    engine = Engine(Config(model=False))
    model = _RecordingModel()
    engine._rescorer = Rescorer(model, engine.config)
    text = "She won the Pulitzer Beam for a rabbit antrum."

    def asked(**kwargs):
        model.items.clear()
        engine._nominate(text, tokenize(text), covered=set(), **kwargs)
        return {sentence[offset:].split()[0].strip(".") for sentence, queries in model.items for offset, _ in queries}

    first_round = asked()
    assert "Beam" not in first_round  # a name mid-sentence: left alone
    assert "antrum" in first_round  # a rare lowercase word: asked about, judged at a higher bar (_judge)
    assert {"Beam", "antrum"} <= asked(names_and_rare=True)  # in a text with a sure finding


def test_rare_words_are_held_back_unless_the_text_is_shown_spun():
    from despin.decoding.engine import RARE_CAP, RARE_NOMINATION_GAIN, RARE_SURE_GAIN, Config, Engine
    from despin.decoding.rescoring import Rescorer
    from despin.decoding.tokens import tokenize
    from despin.types import Finding

    engine = Engine(Config(model=False))
    engine._rescorer = Rescorer(_RecordingModel(), engine.config)
    text = "They voyaged along the coast."
    start = text.index("voyaged")
    nomination = Finding(start, start + 7, "voyaged", "travelled", 0.97, True)

    def judged(first_look: float) -> list:
        def nominate(*args, names_and_rare=False, **kwargs):
            return [] if names_and_rare else [(first_look, first_look, first_look, nomination, nomination)], []

        engine._nominate = nominate
        engine.rescorer.rescore = lambda text, spans, fixed=(): list(spans)
        return engine._judge(text, tokenize(text), set(), [], [], [], None, len(text.split()))

    assert judged(RARE_NOMINATION_GAIN - 0.1) == []  # below the bar: not judged at all
    held = judged(RARE_NOMINATION_GAIN + 0.1)
    assert [f.confidence for f in held] == [RARE_CAP] and not held[0].rewrite  # flagged, not rewritten
    sure = judged(RARE_SURE_GAIN + 0.1)
    assert [f.confidence for f in sure] == [0.97]


def test_swaps_the_spin_table_holds_are_nominated_more_readily():
    from despin.decoding.engine import NOMINATION_GAIN, Config, Engine
    from despin.decoding.rescoring import Rescorer
    from despin.decoding.tokens import tokenize

    engine = Engine(Config(model=False))
    assert "attack" in engine.channel.table.word_candidates("assault")  # mined from a dev row
    engine._rescorer = Rescorer(_RecordingModel(gain=3.0), engine.config)
    text = "We report the results of the phishing assault."
    found = {by_first.text: (first_look, plain, by_first)
             for _, first_look, plain, by_first, _ in engine._nominate(text, tokenize(text), covered=set())[0]}
    first_look, plain, nomination = found["assault"]
    assert first_look >= NOMINATION_GAIN > plain  # only the bonus lifts it over the bar: a flag
    assert nomination.restoration == "attack"
    assert "spin table" in nomination.evidence[0].detail  # the explanation names the bonus


def test_pairs_the_model_finds_unlikely_are_flagged_never_rewritten():
    from despin.decoding.engine import ODD_PAIR_CAP, PAIR_OPTIONS, Config, Engine
    from despin.decoding.rescoring import Rescorer
    from despin.decoding.tokens import tokenize

    engine = Engine(Config(model=False))
    model = _RecordingModel(logprob=-25.0)
    engine._rescorer = Rescorer(model, engine.config)
    text = "Patients with bosom peril were treated. Eugene Onegin had whooping cough."
    nominations, pairs = engine._nominate(text, tokenize(text), covered=set(), pairs=True)
    # Capitalised words are names, and a listed term is never a tortured phrase: neither is asked.
    assert [word for asked in model.ranges for word in asked] == ["bosom", "peril"]
    odd = [p for p in pairs if p.pair is not None]
    assert [o.pair.text for o in odd] == ["bosom peril"]
    flag = odd[0].pair
    # Each word alone, with its own originals, for when a finding covers the other word.
    assert [w.text for w in odd[0].words] == ["bosom", "peril"]
    assert all(not w.rewrite and w.restoration is None and w.alternatives for w in odd[0].words)
    assert not flag.rewrite and flag.confidence <= ODD_PAIR_CAP
    assert flag.evidence[0].source == "lm-collocation"
    # Candidates for the rescorer: the two words' originals combined, one word kept or both swapped.
    assert flag.restoration == flag.alternatives[0].text
    options = {w: {" ".join(o.words) for o in engine.channel.word_options(w)} | {w} for w in ("bosom", "peril")}
    assert len(flag.alternatives) >= PAIR_OPTIONS  # and the channel's best originals combined
    for alternative in flag.alternatives:
        first, second = alternative.text.split()
        assert first in options["bosom"] and second in options["peril"] and alternative.text != "bosom peril"
    _, unasked = engine._nominate(text, tokenize(text), covered=set())
    assert unasked == []


def test_nominations_weigh_how_each_original_goes_with_the_next_word():
    # The first token sees only the words before it; "set" after "training" is the other side.
    from despin.decoding.engine import Config, Engine, _next_word
    from despin.decoding.tokens import tokenize

    engine = Engine(Config(model=False))
    text = "We kept a preparation set, and the House handed the invoice back."
    words = [t for t in tokenize(text) if t.is_word]
    at = {w.text: i for i, w in enumerate(words)}
    assert _next_word(text, words, at["preparation"], {}) == "set"
    assert _next_word(text, words, at["set"], {}) is None  # a comma ends the clause
    assert _next_word(text, words, at["the"], {words[at["invoice"]].start: "bill"}) == "bill"  # as rewritten
    options = engine.channel.word_options("preparation")
    gains = engine._next_word_gains([(words[at["preparation"]], options, "set")])[0]
    by_word = {o.words: g for o, g in zip(options, gains)}
    assert by_word[("training",)] > 2.0 > by_word[("readiness",)]
    assert engine._next_word_gains([(words[at["set"]], options, None)]) == [[0.0] * len(options)]


def test_words_that_need_the_next_word_to_be_nominated_come_apart():
    from despin.decoding.engine import _nominated
    from despin.types import Finding

    def at(start, note):
        return Finding(start=start, end=start + 4, text="word", restoration=note, confidence=0.0, rewrite=False,
                       alternatives=(), evidence=())

    nominations = [
        (9.0, 9.0, 9.0, at(0, "first look"), at(0, "with next")),  # strong without the next word
        (9.0, 7.0, 7.0, at(10, "first look"), at(10, "with next")),  # only with it: a flag
        (7.5, 7.0, 7.0, at(20, "first look"), at(20, "with next")),  # neither
        (8.5, 8.5, 4.0, at(30, "first look"), at(30, "with next")),  # only with the spin table's bonus
    ]
    strong, flag_only = _nominated(nominations, bar=8.4, next_bar=8.7, table_rewrites=False)
    assert [(f.start, f.restoration) for f in strong] == [(0, "first look")]
    assert {s: f.restoration for s, f in flag_only.items()} == {10: "with next", 30: "with next"}
    # In a text shown to be spun, the spin table's swaps may be rewritten.
    strong, flag_only = _nominated(nominations, bar=8.4, next_bar=8.7, table_rewrites=True)
    assert [f.start for f in strong] == [0, 30] and list(flag_only) == [10]


def test_first_looks_keep_the_channels_own_best_originals():
    # The first token of "image" reads only "the results of the": "video" looks better there,
    # but the channel ranks "image" first for "picture", so it is judged too.
    from despin.decoding.engine import CHANNEL_OPTIONS, _with_channel_best

    readings = [("image", -1.0), ("video", 3.0), ("show", 0.5), ("photo", 2.0), ("movie", 1.0)]  # channel order
    chosen = _with_channel_best(readings, key=lambda r: -r[1], limit=2)
    assert [r[0] for r in chosen[:2]] == ["video", "photo"]
    assert {r[0] for r in chosen[2:]} == {r[0] for r in readings[:CHANNEL_OPTIONS]} - {"video", "photo"}
    assert len({r[0] for r in chosen}) == len(chosen)


def test_the_neighbour_of_a_nominated_word_in_an_odd_pair_is_judged():
    from despin.decoding.engine import Engine, _Pair
    from despin.types import Alternative, Finding

    def finding(start, text, alternatives=("x",)):
        return Finding(start=start, end=start + len(text), text=text, restoration=None, confidence=0.3,
                       rewrite=False, alternatives=tuple(Alternative(a, -3.0) for a in alternatives))

    picture, acknowledgment = finding(0, "picture", ("image",)), finding(8, "acknowledgment", ("recognition",))
    odd = _Pair(finding(0, "picture acknowledgment"), (picture, acknowledgment))
    nominated = finding(8, "acknowledgment", ("recognition",))
    assert Engine._neighbours([odd], set(), [nominated]) == [(picture, odd, nominated)]
    assert Engine._neighbours([odd], set(), []) == []  # the pair itself is judged instead
    assert Engine._neighbours([odd], set(), [nominated, finding(0, "picture")]) == []
    assert Engine._neighbours([odd], set(range(0, 3)), [nominated]) == []  # a known fingerprint holds it


def test_a_pair_just_below_the_bar_is_tentative(monkeypatch):
    from despin.decoding import engine as engine_module
    from despin.decoding.engine import TENTATIVE_PAIR_MARGIN, Config, Engine
    from despin.decoding.tokens import tokenize
    from despin.scoring import collocation

    engine = Engine(Config(model=False))
    first, second = [t for t in tokenize("bosom peril") if t.is_word]

    def pair_at(logit):
        monkeypatch.setattr(engine_module.collocation, "spun_logit", lambda features: logit)
        return engine._pair(first, second, -20.0, -20.0, False, {})

    assert pair_at(collocation.BAR).sure
    assert not pair_at(collocation.BAR - TENTATIVE_PAIR_MARGIN / 2).sure
    ordinary = pair_at(collocation.BAR - TENTATIVE_PAIR_MARGIN - 0.1)
    assert ordinary.pair is None and [w.text for w in ordinary.words] == ["bosom", "peril"]


def test_a_pair_is_also_judged_with_one_word_changed_to_go_with_the_other(monkeypatch):
    # Each word's first look reads the other as spun, and the channel ranks originals without
    # either neighbour; by the phrase counts, "supervised" goes with "learning" as written.
    from despin.decoding import engine as engine_module
    from despin.decoding.engine import BESIDE_OPTIONS, Config, Engine
    from despin.decoding.tokens import tokenize
    from despin.scoring import collocation

    engine = Engine(Config(model=False))
    first, second = [t for t in tokenize("managed learning") if t.is_word]
    looks = {t.start: [(" ".join(o.words), o, -5.0) for o in engine.channel.word_options(t.lower)]
             for t in (first, second)}
    beside = engine._pair_beside(first, second, [looks[first.start], looks[second.start]])
    assert "supervised learning" in beside
    assert sum(text.endswith(" learning") for text in beside) <= BESIDE_OPTIONS
    assert sum(text.startswith("managed ") for text in beside) <= BESIDE_OPTIONS
    monkeypatch.setattr(engine_module.collocation, "spun_logit", lambda features: collocation.BAR)
    pair = engine._pair(first, second, -20.0, -20.0, False, looks)
    assert "supervised learning" in [a.text for a in pair.pair.alternatives]


def test_the_pair_test_reads_whether_the_phrase_counts_ever_saw_the_pair():
    from despin.decoding.engine import Config, Engine
    from despin.decoding.rescoring import Rescorer
    from despin.decoding.tokens import tokenize

    engine = Engine(Config(model=False))
    engine._rescorer = Rescorer(_RecordingModel(), engine.config)
    engine._pair_trace = []
    # "false positive" would not be tested at all: it is a listed term.
    for text in ("It was an untrue positive.", "It was a strong positive."):
        engine._nominate(text, tokenize(text), covered=set(), pairs=True)
    assert [features[-1] for _, _, features in engine._pair_trace] == [1.0, 0.0]


def test_the_neighbour_of_a_restored_word_in_an_ordinary_pair_is_judged():
    # "feeling examination": once "examination" reads as "analysis", "feeling" -> "sentiment" is
    # the question, though the pair test passed the pair as written.
    from despin.decoding.engine import Engine, _Pair
    from despin.types import Alternative, Finding

    def finding(start, text, alternatives=(), restoration=None):
        return Finding(start=start, end=start + len(text), text=text, restoration=restoration, confidence=0.3,
                       rewrite=False, alternatives=tuple(Alternative(a, -3.0) for a in alternatives))

    feeling, examination = finding(0, "feeling", ("sentiment",)), finding(8, "examination", ("analysis",))
    ordinary = _Pair(None, (feeling, examination), sure=False)
    analysis = finding(8, "examination", restoration="analysis")
    [(asked, pair, beside)] = Engine._neighbours([ordinary], set(), [analysis])
    assert pair is ordinary and beside is analysis and asked.alternatives == feeling.alternatives
    assert asked.evidence[0].source == "lm-neighbour" and '"analysis"' in asked.evidence[0].detail
    # A flag with nothing to put in its place gives the neighbour no new context.
    assert Engine._neighbours([ordinary], set(), [finding(8, "examination")]) == []


def test_a_word_beside_a_finding_is_read_with_that_restoration():
    # The first look at "feeling" saw only the words before it; beside "analysis" the phrase
    # counts know "sentiment analysis", so that original joins the ones the model judges.
    import dataclasses

    from despin.decoding.engine import BESIDE_OPTIONS, Config, Engine
    from despin.types import Alternative, Finding

    engine = Engine(Config(model=False))
    feeling = Finding(start=0, end=7, text="feeling", restoration=None, confidence=0.0, rewrite=False,
                      alternatives=(Alternative("emotion", -3.0, ("wordnet",)),))
    analysis = Finding(start=8, end=19, text="examination", restoration="analysis", confidence=0.2, rewrite=False)
    read = engine._read_beside(feeling, analysis)
    added = read.alternatives[1:]
    assert read.alternatives[0].text == "emotion" and 0 < len(added) <= BESIDE_OPTIONS
    assert added[0].text == "sentiment"
    # Scored as the channel scores a swap: its prior plus how much better the pair reads.
    prior = next(engine._swap_prior(o) for o in engine.channel.word_options("feeling") if o.words == ("sentiment",))
    assert added[0].score > prior
    assert engine._read_beside(feeling, dataclasses.replace(analysis, restoration=None)) is feeling


def test_a_word_beside_a_finding_needs_a_verdict_that_prefers_a_candidate():
    # "kidney ailments": the pair test is sure and "ailments" -> "diseases" is found; "kidney" is
    # then judged beside it, and a verdict that would rather keep "kidney" flags nothing.
    from despin.decoding.engine import BESIDE_CONFIDENCE, TENTATIVE_PAIR_CONFIDENCE, _Pair, _verdict_bar
    from despin.types import Finding

    def finding(start, text):
        return Finding(start=start, end=start + len(text), text=text, restoration=None, confidence=0.45,
                       rewrite=False)

    kidney, ailments = finding(0, "kidney"), finding(7, "ailments")
    odd = _Pair(finding(0, "kidney ailments"), (kidney, ailments), sure=False)
    assert _verdict_bar(odd.pair, is_pair=True, sure_pair=True, odd_pairs=[odd]) == 0.0
    assert _verdict_bar(odd.pair, is_pair=True, sure_pair=False, odd_pairs=[odd]) == TENTATIVE_PAIR_CONFIDENCE
    assert _verdict_bar(kidney, is_pair=False, sure_pair=True, odd_pairs=[odd]) == BESIDE_CONFIDENCE
    assert _verdict_bar(kidney, is_pair=False, sure_pair=False, odd_pairs=[odd]) == TENTATIVE_PAIR_CONFIDENCE
    assert _verdict_bar(kidney, is_pair=False, sure_pair=False, odd_pairs=[]) == BESIDE_CONFIDENCE


def test_a_model_that_fails_to_load_leaves_fast_mode_as_fast_mode_is(monkeypatch):
    # The fallback reads with fast mode's channel (no pairs Moby lists only the other way),
    # from the first text on.
    from despin.decoding.engine import Config, Engine
    from despin.scoring import lm

    monkeypatch.setattr(lm, "load_context_model", lambda **kwargs: None)
    text = "The Home handed the invoice earlier than the recess, in a thick woods of bosom peril."
    fallback, fast = Engine(Config(model=True)), Engine(Config(model=False))
    assert fallback.check(text).findings == fast.check(text).findings
    assert fallback.mode == "fast" and not fallback.channel.settings.moby_reverse
    assert fallback.channel.settings == fast.channel.settings


def test_a_flag_the_model_reads_far_better_restored_is_rewritten_in_a_spun_text():
    # In a text shown spun, "alongside" -> "along" (+9.7 nats in the whole sentence) is more
    # likely a swap than a writer's choice; a flag the model reads only a little better is not.
    from despin.decoding.engine import SPUN_TEXT_CONFIDENCE, SPUN_TEXT_GAIN, _spun_text_rewrite
    from despin.types import Alternative, Evidence, Finding

    def flag(gain, restoration="along", confidence=0.35, ranked=1.1):
        return Finding(start=0, end=9, text="alongside", restoration=restoration, confidence=confidence,
                       rewrite=False, alternatives=(Alternative("along", ranked, ("moby",)),),
                       evidence=(Evidence("lm-nomination", "first look", 1.1), Evidence("lm", "whole sentence", gain)))

    rewritten = _spun_text_rewrite(flag(SPUN_TEXT_GAIN + 0.7), bar=0.5)
    assert rewritten.rewrite and rewritten.confidence == SPUN_TEXT_CONFIDENCE
    assert rewritten.evidence[-1].source == "spun-text" and "9.7 nats" in rewritten.evidence[-1].detail
    assert not _spun_text_rewrite(flag(SPUN_TEXT_GAIN + 0.7), bar=0.7).rewrite  # a stricter engine
    # Not when the model's gain is smaller, nothing is restored, the flag is already a rewrite, or
    # the ranker would rather keep the text as written (a score not above the text's own 0).
    for kept in (flag(SPUN_TEXT_GAIN - 0.5), flag(20.0, restoration=None), flag(20.0, confidence=0.9),
                 flag(20.0, ranked=-0.3)):
        assert _spun_text_rewrite(kept, bar=0.5) is kept


def test_a_rare_word_the_spin_table_holds_is_spinnable():
    # "exactness" (Zipf 1.99) is rarer than spinners' words usually are, but mined rows show
    # spinners writing it for "accuracy" and "precision"; a rare word they were never seen
    # writing stays rare.
    from despin.candidates.spin_table import SpinTable
    from despin.decoding.engine import MINED_RARE_SWAPS, Config, Engine

    engine = Engine(Config(model=False))
    assert engine.channel.phrases.word("exactness") < 2.0
    engine.channel.table = SpinTable()
    assert not engine._spinnable("exactness") and engine._rare("exactness")
    for expected in ("accuracy", "precision")[:MINED_RARE_SWAPS]:
        engine.channel.table.add("exactness", expected)
    assert engine._spinnable("exactness") and not engine._rare("exactness")
    assert not engine._rare("the")  # a function word is neither


def test_triage_leaves_out_the_last_round_of_flags():
    # Sorting pages needs the sure findings, not the pairs and words only the model finds odd,
    # which are about half of model mode's time on clean prose.
    from despin.decoding.engine import Config, Engine

    full = Engine(Config(model=True, fingerprint_splits=()))
    if full.rescorer is None:
        pytest.skip("the context model is not installed")
    triage = Engine(Config(model=True, fingerprint_splits=(), last_flags=False))
    text = "We trained a model for feeling examination of short reviews."
    everything, sure = full.check(text).findings, triage.check(text).findings
    assert [f.restoration for f in sure] == ["sentiment analysis"]
    assert any(f.evidence[0].source == "lm-collocation" for f in everything)
    assert all(f in everything for f in sure)


def test_odd_pairs_sharing_a_word_give_one_span():
    # "order sending" and "sending ways" are both odd pairs; reported together they overlapped,
    # and a restore below the default bar wrote "sending" twice.
    from despin.decoding.engine import Config, Engine

    engine = Engine(Config(model=True, fingerprint_splits=()))
    if engine.rescorer is None:
        pytest.skip("the context model is not installed")
    text = "We report the results of the order sending ways of behaving in the table below."
    findings = engine.check(text).findings
    assert any(f.evidence[0].source == "lm-collocation" for f in findings)
    assert all(a.end <= b.start for a, b in zip(findings, findings[1:]))
    restored = engine.restore(text, min_confidence=0.0).text
    assert restored.count("sending") + restored.count("posting") <= 1


def test_a_fingerprint_leaves_the_acronym_in_parentheses_as_written():
    # The Screener lists "Data Innovation (IT)" for "Information Technology (IT)"; restoring
    # the whole span once wrote "information technology)" and lost the acronym.
    text = "Sales of data innovation (IT) services grew."
    assert despin.restore(text, fast=True) == "Sales of information technology (IT) services grew."
