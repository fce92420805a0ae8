"""Model mode's rounds of judging, with stand-ins for the model's nominations and verdicts."""


def test_rare_words_are_held_back_unless_the_text_is_shown_spun():
    from types import SimpleNamespace

    from despin.decoding.engine import Config, Engine
    from despin.decoding.model_rounds import RARE_CAP, RARE_NOMINATION_GAIN, RARE_SURE_GAIN, ModelRounds
    from despin.decoding.nominations import Nomination, Nominator
    from despin.decoding.tokens import tokenize
    from despin.types import Finding

    engine = Engine(Config(model=False))
    nominator = Nominator(engine.channel_pass, model=None, settings=engine.config.settings)
    # Every span judged as it is.
    rescorer = SimpleNamespace(rescore=lambda text, spans, fixed=(), window=None: list(spans))
    rounds = ModelRounds(nominator, rescorer, min_confidence=0.5, last_flags=True)
    text = "They voyaged along the coast."
    start = text.index("voyaged")
    nomination = Finding(start, start + 7, "voyaged", "travelled", 0.97, True)

    def judged(first_look: float) -> list:
        def nominate(*args, names_and_rare=False, **kwargs):
            return [] if names_and_rare else [Nomination(first_look, first_look, first_look, nomination, nomination)], []

        nominator.nominate = nominate
        return rounds.judge(text, tokenize(text), set(), [], [], [], len(text.split()))

    assert judged(RARE_NOMINATION_GAIN - 0.1) == []  # below the bar: not judged at all
    held = judged(RARE_NOMINATION_GAIN + 0.1)
    assert [f.confidence for f in held] == [RARE_CAP] and not held[0].rewrite  # flagged, not rewritten
    sure = judged(RARE_SURE_GAIN + 0.1)
    assert [f.confidence for f in sure] == [0.97]


def test_words_that_need_the_next_word_to_be_nominated_come_apart():
    from despin.decoding.model_rounds import _nominated
    from despin.decoding.nominations import Nomination
    from despin.types import Finding

    def at(start, note):
        return Finding(start=start, end=start + 4, text="word", restoration=note, confidence=0.0, rewrite=False,
                       alternatives=(), evidence=())

    nominations = [
        Nomination(9.0, 9.0, 9.0, at(0, "first look"), at(0, "with next")),  # strong without the next word
        Nomination(9.0, 7.0, 7.0, at(10, "first look"), at(10, "with next")),  # only with it: a flag
        Nomination(7.5, 7.0, 7.0, at(20, "first look"), at(20, "with next")),  # neither
        Nomination(8.5, 8.5, 4.0, at(30, "first look"), at(30, "with next")),  # only with the spin table's bonus
    ]
    strong, flag_only = _nominated(nominations, bar=8.4, next_bar=8.7, table_rewrites=False)
    assert [(f.start, f.restoration) for f in strong] == [(0, "first look")]
    assert {s: f.restoration for s, f in flag_only.items()} == {10: "with next", 30: "with next"}
    # In a text shown to be spun, the spin table's swaps may be rewritten.
    strong, flag_only = _nominated(nominations, bar=8.4, next_bar=8.7, table_rewrites=True)
    assert [f.start for f in strong] == [0, 30] and list(flag_only) == [10]


def test_the_neighbour_of_a_nominated_word_in_an_odd_pair_is_judged():
    from despin.decoding.model_rounds import _neighbours
    from despin.decoding.nominations import Pair
    from despin.types import Alternative, Finding

    def finding(start, text, alternatives=("x",)):
        return Finding(start=start, end=start + len(text), text=text, restoration=None, confidence=0.3,
                       rewrite=False, alternatives=tuple(Alternative(a, -3.0) for a in alternatives))

    picture, acknowledgment = finding(0, "picture", ("image",)), finding(8, "acknowledgment", ("recognition",))
    odd = Pair(finding(0, "picture acknowledgment"), (picture, acknowledgment))
    nominated = finding(8, "acknowledgment", ("recognition",))
    assert _neighbours([odd], set(), [nominated]) == [(picture, odd, nominated)]
    assert _neighbours([odd], set(), []) == []  # the pair itself is judged instead
    assert _neighbours([odd], set(), [nominated, finding(0, "picture")]) == []
    assert _neighbours([odd], set(range(0, 3)), [nominated]) == []  # a known fingerprint holds it


def test_the_neighbour_of_a_restored_word_in_an_ordinary_pair_is_judged():
    # "feeling examination": once "examination" reads as "analysis", "feeling" -> "sentiment" is
    # the question, though the pair test passed the pair as written.
    from despin.decoding.model_rounds import _neighbours
    from despin.decoding.nominations import Pair
    from despin.types import Alternative, Finding

    def finding(start, text, alternatives=(), restoration=None):
        return Finding(start=start, end=start + len(text), text=text, restoration=restoration, confidence=0.3,
                       rewrite=False, alternatives=tuple(Alternative(a, -3.0) for a in alternatives))

    feeling, examination = finding(0, "feeling", ("sentiment",)), finding(8, "examination", ("analysis",))
    ordinary = Pair(None, (feeling, examination), sure=False)
    analysis = finding(8, "examination", restoration="analysis")
    [(asked, pair, beside)] = _neighbours([ordinary], set(), [analysis])
    assert pair is ordinary and beside is analysis and asked.alternatives == feeling.alternatives
    assert asked.evidence[0].source == "lm-neighbour" and '"analysis"' in asked.evidence[0].detail
    # A flag with nothing to put in its place gives the neighbour no new context.
    assert _neighbours([ordinary], set(), [finding(8, "examination")]) == []


def test_a_word_beside_a_finding_needs_a_verdict_that_prefers_a_candidate():
    # "kidney ailments": the pair test is sure and "ailments" -> "diseases" is found; "kidney" is
    # then judged beside it, and a verdict that would rather keep "kidney" flags nothing.
    from despin.decoding.model_rounds import BESIDE_CONFIDENCE, TENTATIVE_PAIR_CONFIDENCE, _verdict_bar
    from despin.decoding.nominations import Pair
    from despin.types import Finding

    def finding(start, text):
        return Finding(start=start, end=start + len(text), text=text, restoration=None, confidence=0.45,
                       rewrite=False)

    kidney, ailments = finding(0, "kidney"), finding(7, "ailments")
    odd = Pair(finding(0, "kidney ailments"), (kidney, ailments), sure=False)
    assert _verdict_bar(odd.pair, is_pair=True, sure_pair=True, odd_pairs=[odd]) == 0.0
    assert _verdict_bar(odd.pair, is_pair=True, sure_pair=False, odd_pairs=[odd]) == TENTATIVE_PAIR_CONFIDENCE
    assert _verdict_bar(kidney, is_pair=False, sure_pair=True, odd_pairs=[odd]) == BESIDE_CONFIDENCE
    assert _verdict_bar(kidney, is_pair=False, sure_pair=False, odd_pairs=[odd]) == TENTATIVE_PAIR_CONFIDENCE
    assert _verdict_bar(kidney, is_pair=False, sure_pair=False, odd_pairs=[]) == BESIDE_CONFIDENCE


def test_a_flag_the_model_reads_far_better_restored_is_rewritten_in_a_spun_text():
    # In a text shown spun, "alongside" -> "along" (+9.7 nats in the whole sentence) is more
    # likely a swap than a writer's choice; a flag the model reads only a little better is not.
    from despin.decoding.model_rounds import SPUN_TEXT_CONFIDENCE, SPUN_TEXT_GAIN, _spun_text_rewrite
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
