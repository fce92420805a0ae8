"""One pass of the context model: nominated words and odd pairs (a stand-in model reads them)."""
import pytest

from despin.decoding.engine import Config, Engine
from despin.decoding.nominations import Nominator
from despin.decoding.tokens import tokenize


@pytest.fixture(scope="module")
def engine():
    """Fast mode's lexicons; each test hands its own stand-in model to a Nominator."""
    return Engine(Config(model=False))


def _nominator(engine, model=None):
    return Nominator(engine.channel_pass, model if model is not None else RecordingModel(), engine.config.settings)


class RecordingModel:
    """Stands in for the context model: records what the nomination pass is asked, reads every
    asked word at `logprob` (0: nothing is unlikely) and every original's first token `gain`
    nats above the written word's."""

    def __init__(self, logprob=0.0, gain=0.0, rest=0.0):
        self.items = []
        self.ranges = []
        self.logprob = logprob
        self.gain = gain  # of every original's first token over the written word's
        self.rest = rest  # log-prob of every written word's pieces after its first, when read whole
        self.whole = []
        self.ends = []

    def read(self, items, word_ends=None):
        from despin.scoring.lm import Reading

        self.items += [(text, queries) for text, queries, _ in items]
        self.ranges += [[text[a:b] for a, b in ranges] for text, _, ranges in items]
        self.whole.append(word_ends is not None)
        if word_ends is not None:  # the end of each queried word, which the nominator's tokenizer cut
            self.ends += [[text[offset:end] for (offset, _), end in zip(queries, ends)]
                          for (text, queries, _), ends in zip(items, word_ends)]
        return [Reading([[self.gain] * len(alternatives) for _, alternatives in queries], [self.logprob] * len(ranges),
                        [self.rest] * len(queries) if word_ends is not None else [])
                for _, queries, ranges in items]


def test_nominations_read_the_text_with_earlier_rewrites(engine):
    from despin.types import Finding

    model = RecordingModel()
    nominator = _nominator(engine, model)
    text = "The Home handed the invoice today. The committee met again."
    at = text.index("Home")
    rewrite = Finding(start=at, end=at + 4, text="Home", restoration="Grand House", confidence=0.9, rewrite=True,
                      alternatives=(), evidence=())
    found, odd = nominator.nominate(text, tokenize(text), covered=set(range(at, at + 4)), rewrites=[rewrite])
    assert odd == [] and all(by_first.start > at for *_, by_first, _ in found)
    sentences = [sentence for sentence, _ in model.items]
    assert sentences == ["The Grand House handed the invoice today.", "The committee met again."]
    asked = {sentence[offset:].split()[0].strip(".") for sentence, queries in model.items for offset, _ in queries}
    assert {"handed", "invoice"} <= asked  # offsets moved with the longer rewrite
    assert not {"Home", "Grand", "House"} & asked  # a rewritten span is not nominated again


def test_names_and_rare_words_are_nominated_only_when_asked(engine):

    model = RecordingModel()
    nominator = _nominator(engine, model)
    text = "She won the Pulitzer Beam for a rabbit antrum."

    def asked(**kwargs):
        model.items.clear()
        nominator.nominate(text, tokenize(text), covered=set(), **kwargs)
        return {sentence[offset:].split()[0].strip(".") for sentence, queries in model.items for offset, _ in queries}

    first_round = asked()
    assert "Beam" not in first_round  # a name mid-sentence: left alone
    assert "antrum" in first_round  # a rare lowercase word: asked about, judged at a higher bar (_judge)
    assert {"Beam", "antrum"} <= asked(names_and_rare=True)  # in a text with a sure finding


def test_swaps_the_spin_table_holds_are_nominated_more_readily(engine):
    from despin.decoding.nominations import NOMINATION_GAIN

    nominator = _nominator(engine)
    assert "attack" in engine.channel.table.word_candidates("assault")  # mined from a dev row
    nominator = _nominator(engine, RecordingModel(gain=3.0))
    text = "We report the results of the phishing assault."
    found = {by_first.text: (first_look, plain, by_first)
             for _, first_look, plain, by_first, _ in nominator.nominate(text, tokenize(text), covered=set())[0]}
    first_look, plain, nomination = found["assault"]
    assert first_look >= NOMINATION_GAIN > plain  # only the bonus lifts it over the bar: a flag
    assert nomination.restoration == "attack"
    assert "spin table" in nomination.evidence[0].detail  # the explanation names the bonus


def test_pairs_the_model_finds_unlikely_are_flagged_never_rewritten(engine):
    from despin.decoding.nominations import ODD_PAIR_CAP, PAIR_OPTIONS

    model = RecordingModel(logprob=-25.0)
    nominator = _nominator(engine, model)
    text = "Patients with bosom peril were treated. Eugene Onegin had whooping cough."
    nominations, pairs = nominator.nominate(text, tokenize(text), covered=set(), pairs=True)
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
    _, unasked = nominator.nominate(text, tokenize(text), covered=set())
    assert unasked == []


def test_nominations_weigh_how_each_original_goes_with_the_next_word(engine):
    # The first token sees only the words before it; "set" after "training" is the other side.
    from despin.decoding.nominations import _next_word

    nominator = _nominator(engine)
    text = "We kept a preparation set, and the House handed the invoice back."
    words = [t for t in tokenize(text) if t.is_word]
    at = {w.text: i for i, w in enumerate(words)}
    assert _next_word(text, words, at["preparation"], {}) == "set"
    assert _next_word(text, words, at["set"], {}) is None  # a comma ends the clause
    assert _next_word(text, words, at["the"], {words[at["invoice"]].start: "bill"}) == "bill"  # as rewritten
    options = engine.channel.word_options("preparation")
    gains = nominator.next_word_gains([(words[at["preparation"]], options, "set")])[0]
    by_word = {o.words: g for o, g in zip(options, gains)}
    assert by_word[("training",)] > 2.0 > by_word[("readiness",)]
    assert nominator.next_word_gains([(words[at["set"]], options, None)]) == [[0.0] * len(options)]


def test_first_looks_keep_the_channels_own_best_originals():
    # The first token of "image" reads only "the results of the": "video" looks better there,
    # but the channel ranks "image" first for "picture", so it is judged too.
    from despin.decoding.nominations import CHANNEL_OPTIONS, _with_channel_best

    readings = [("image", -1.0), ("video", 3.0), ("show", 0.5), ("photo", 2.0), ("movie", 1.0)]  # channel order
    chosen = _with_channel_best(readings, key=lambda r: -r[1], limit=2)
    assert [r[0] for r in chosen[:2]] == ["video", "photo"]
    assert {r[0] for r in chosen[2:]} == {r[0] for r in readings[:CHANNEL_OPTIONS]} - {"video", "photo"}
    assert len({r[0] for r in chosen}) == len(chosen)


def test_a_pair_just_below_the_bar_is_tentative(engine, monkeypatch):
    from despin.decoding import nominations
    from despin.decoding.nominations import TENTATIVE_PAIR_MARGIN
    from despin.scoring import collocation

    nominator = _nominator(engine)
    first, second = [t for t in tokenize("bosom peril") if t.is_word]

    def pair_at(logit):
        monkeypatch.setattr(nominations.collocation, "spun_logit", lambda features: logit)
        return nominator._pair(first, second, -20.0, -20.0, False, {})

    assert pair_at(collocation.BAR).sure
    assert not pair_at(collocation.BAR - TENTATIVE_PAIR_MARGIN / 2).sure
    ordinary = pair_at(collocation.BAR - TENTATIVE_PAIR_MARGIN - 0.1)
    assert ordinary.pair is None and [w.text for w in ordinary.words] == ["bosom", "peril"]


def test_a_pair_is_also_judged_with_one_word_changed_to_go_with_the_other(engine, monkeypatch):
    # Each word's first look reads the other as spun, and the channel ranks originals without
    # either neighbour; by the phrase counts, "supervised" goes with "learning" as written.
    from despin.decoding import nominations
    from despin.decoding.nominations import BESIDE_OPTIONS
    from despin.scoring import collocation

    nominator = _nominator(engine)
    first, second = [t for t in tokenize("managed learning") if t.is_word]
    looks = {t.start: [(" ".join(o.words), o, -5.0) for o in engine.channel.word_options(t.lower)]
             for t in (first, second)}
    beside = nominator.pair_beside(first, second, [looks[first.start], looks[second.start]])
    assert "supervised learning" in beside
    assert sum(text.endswith(" learning") for text in beside) <= BESIDE_OPTIONS
    assert sum(text.startswith("managed ") for text in beside) <= BESIDE_OPTIONS
    monkeypatch.setattr(nominations.collocation, "spun_logit", lambda features: collocation.BAR)
    pair = nominator._pair(first, second, -20.0, -20.0, False, looks)
    assert "supervised learning" in [a.text for a in pair.pair.alternatives]


def test_the_pair_test_reads_whether_the_phrase_counts_ever_saw_the_pair(engine):

    nominator = _nominator(engine, RecordingModel())
    nominator.pair_trace = []
    # "false positive" would not be tested at all: it is a listed term.
    for text in ("It was an untrue positive.", "It was a strong positive."):
        nominator.nominate(text, tokenize(text), covered=set(), pairs=True)
    assert [features[-1] for _, _, features in nominator.pair_trace] == [1.0, 0.0]


def test_a_word_beside_a_finding_is_read_with_that_restoration(engine):
    # The first look at "feeling" saw only the words before it; beside "analysis" the phrase
    # counts know "sentiment analysis", so that original joins the ones the model judges.
    import dataclasses

    from despin.decoding.nominations import BESIDE_OPTIONS
    from despin.types import Alternative, Finding

    nominator = _nominator(engine)
    feeling = Finding(start=0, end=7, text="feeling", restoration=None, confidence=0.0, rewrite=False,
                      alternatives=(Alternative("emotion", -3.0, ("wordnet",)),))
    analysis = Finding(start=8, end=19, text="examination", restoration="analysis", confidence=0.2, rewrite=False)
    read = nominator.read_beside(feeling, analysis)
    added = read.alternatives[1:]
    assert read.alternatives[0].text == "emotion" and 0 < len(added) <= BESIDE_OPTIONS
    assert added[0].text == "sentiment"
    # Scored as the channel scores a swap: its prior plus how much better the pair reads.
    prior = next(nominator.swap_prior(o) for o in engine.channel.word_options("feeling") if o.words == ("sentiment",))
    assert added[0].score > prior
    assert nominator.read_beside(feeling, dataclasses.replace(analysis, restoration=None)) is feeling


def test_a_rare_word_the_spin_table_holds_is_spinnable():
    # "exactness" (Zipf 1.99) is rarer than spinners' words usually are, but mined rows show
    # spinners writing it for "accuracy" and "precision"; a rare word they were never seen
    # writing stays rare.
    from despin.candidates.spin_table import SpinTable
    from despin.decoding.channel_pass import MINED_RARE_SWAPS

    own = Engine(Config(model=False))  # its spin table is replaced
    nominator, spinnable = _nominator(own), own.channel_pass.spinnable
    assert own.channel.phrases.word("exactness") < 2.0
    own.channel.table = SpinTable()
    assert not spinnable("exactness") and nominator.rare("exactness")
    for expected in ("accuracy", "precision")[:MINED_RARE_SWAPS]:
        own.channel.table.add("exactness", expected)
    assert spinnable("exactness") and not nominator.rare("exactness")
    assert not nominator.rare("the")  # a function word is neither


def test_the_later_round_reads_the_written_word_whole(engine):
    # "achromic" is " a" + "chrom" + "ic": by its first piece alone it looks as likely as the
    # article. Only the round for a text shown spun (names_and_rare) reads it whole.
    text = "Other names for a hero include good guy or achromic hat."
    looks, ends = {}, []
    for names_and_rare in (False, True):
        model = RecordingModel(gain=1.0, rest=-9.0)
        found, _ = _nominator(engine, model).nominate(text, tokenize(text), covered=set(),
                                                      names_and_rare=names_and_rare)
        assert model.whole == [names_and_rare]
        looks[names_and_rare] = {n.by_first.text: n for n in found}
        ends += model.ends
    assert "achromic" not in looks[False] or looks[False]["achromic"].plain < looks[True]["achromic"].plain - 8.9
    assert "read whole" in looks[True]["achromic"].by_first.evidence[0].detail
    assert any("achromic" in words for words in ends)


def test_a_word_read_whole_ends_where_the_tokenizer_ends_it(engine):
    # The tokenizer cuts "achromic2" into a word and a number: the word's rest must not count "2".
    text = "Other names for a hero include good guy or achromic2 hat."
    model = RecordingModel()
    _nominator(engine, model).nominate(text, tokenize(text), covered=set(), names_and_rare=True)
    tokens = {t.text for t in tokenize(text)}
    read = [word for words in model.ends for word in words]
    assert "achromic" in read and set(read) <= tokens
