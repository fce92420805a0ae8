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


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "model"])
@pytest.mark.parametrize("case", _cases("negative.json"), ids=lambda c: c["label"])
def test_clean_text_is_left_alone(case, fast):
    assert despin.restore(case["text"], fast=fast) == case["text"]
    assert despin.check(case["text"], fast=fast).findings == []


@pytest.mark.parametrize("case", _cases("known-failures.json"), ids=lambda c: c["label"])
@pytest.mark.xfail(strict=False, reason="known failure, kept as a target")
def test_known_failures(case):
    assert case["original"] in despin.restore(case["text"], min_confidence=0.0)


@pytest.mark.parametrize("case", _cases("false-rewrites.json"), ids=lambda c: c["label"])
@pytest.mark.xfail(strict=False, reason="clean text rewritten, kept as a target (docs/lm.md, forty-first session)")
def test_known_false_rewrites(case):
    # Clean English a bug hunt wrote in many registers, which fast mode rewrites: mostly known
    # tortured phrases that are also plain English outside a paper ("heart ailments"), or whose
    # AND terms a text holds for other reasons ("bosom" and a robin's "breast").
    assert despin.restore(case["text"], fast=True) == case["text"]


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "model"])
def test_a_writers_word_beside_a_known_phrase_is_kept(fast):
    # The known phrase shows the text spun, which lowers the bar for its other words: at a lower
    # nomination bar "short" was rewritten to "movie" (docs/lm.md, twenty-seventh session).
    text = "We trained a model for feeling examination of short reviews."
    assert despin.restore(text, fast=fast) == "We trained a model for sentiment analysis of short reviews."


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "model"])
def test_one_known_phrase_in_a_writers_prose_changes_only_the_phrase(fast):
    # One pasted-in phrase does not show every word spun: when it opened model mode's bolder
    # rounds, "Apples" became "Oaks" and "Trees" here (spun_text.spun_throughout).
    prose = ("An apple is the round, edible fruit of an apple tree. Fruit trees of the orchard or domestic "
             "apple, the most widely grown in the genus, are cultivated worldwide. The tree originated in "
             "Central Asia, where its wild ancestor, Malus sieversii, is still found. Apples have been grown "
             "for thousands of years in Eurasia before they were introduced to North America by European "
             "colonists. Apples have cultural significance in many mythologies and religions.")
    restored = despin.restore(prose + " Later work also relied on emotion acknowledgment.", fast=fast)
    assert restored == prose + " Later work also relied on emotion recognition."


def test_one_known_phrase_opens_the_rounds_for_spun_text_only_to_flag():
    # "aborigine" is a spinner's "ancient". The known phrase is the text's one sure finding: the
    # rounds for spun text read the other words and flag what they find, and rewrite nothing.
    text = ("Most of the old town is aborigine architecture, built of mud brick by farmers who settled "
            "the valley. Later work also relied on emotion acknowledgment.")
    (flag,) = [f for f in despin.check(text).findings if f.text == "aborigine"]
    assert flag.restoration == "ancient" and not flag.rewrite and flag.confidence <= 0.45
    assert "phrases-alone" in [e.source for e in flag.evidence]
    assert despin.restore(text) == text.replace("emotion acknowledgment", "emotion recognition")


def test_two_known_phrases_do_not_rewrite_a_writers_wording():
    # Two known phrases read as a spun text to the observed phrases too: the model's verdict
    # rewrote "on account of" to "because of" (0.65) before the rounds for spun text asked for
    # the text's own words.
    text = ("The bridge was closed on account of the storm, and the ferry carried commuters across the "
            "river for a week. Later work also relied on emotion acknowledgment and heat move.")
    restored = text.replace("emotion acknowledgment", "emotion recognition").replace("heat move", "heat transfer")
    assert despin.restore(text) == restored
    (flag,) = [f for f in despin.check(text).findings if f.text == "on account of"]
    assert flag.restoration == "because of" and not flag.rewrite


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
    # The rest of this short text may add a `document` note after these.
    assert [e.source for e in name.evidence][:2] == ["observed-phrase", "lm"]
    assert "the Affordable Care Act stands" in engine.restore(text).text


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
    # The same spans; their confidences may differ, since the document prior weighs the other flags.
    spans = {(f.start, f.end, f.restoration) for f in everything}
    assert all((f.start, f.end, f.restoration) in spans for f in sure)


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


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "model"])
def test_disguised_words_are_read_plainly_and_written_plainly(fast):
    # An invisible character and a Cyrillic С hide the phrases from every list and count table;
    # "еvidence" (a Cyrillic е) is no spin, but is still written plainly.
    text = ("We used counterfeit con\u200bsciousness to predict how the Supreme \u0421ourtroom would rule, "
            "and the \u0435vidence held.")
    result = despin.check(text, fast=fast)
    assert [d.plain for d in result.disguises] == ["consciousness", "Courtroom", "evidence"]
    spans = {f.text: f for f in result.findings}
    assert spans["counterfeit con\u200bsciousness"].restoration == "artificial intelligence"
    assert spans["Supreme \u0421ourtroom"].evidence[-1].source == "disguise"
    for f in result.findings:
        assert text[f.start : f.end] == f.text
    restored, changes = despin.restore_and_explain(text, fast=fast)
    assert restored == ("We used artificial intelligence to predict how the Supreme Court would rule, "
                        "and the evidence held.")
    assert changes[-1].new == "evidence" and changes[-1].evidence[0].source == "disguise"


def test_a_rewrite_of_part_of_a_disguised_word_leaves_the_rest_written_plainly():
    # The change covers "irregular wооdland" of the compound; its "-bаsed" still hides a
    # Cyrillic а. A disguised article agrees with the rewrite after it as its plain letters do.
    text = "We used an irregular w\u043e\u043edland-b\u0430sed model.\n\u0410n irregular woodland model was used."
    restored, changes = despin.restore_and_explain(text, fast=True)
    assert restored == "We used a random forest-based model.\nA random forest model was used."
    for c in changes:
        assert text[c.start : c.end] == c.old
    assert [c.old for c in changes if c.evidence[0].source == "disguise"] == ["-b\u0430sed"]
    assert "disguise" in [e.source for e in changes[0].evidence]


def test_min_confidence_1_writes_no_disguise_plainly():
    text = "The committee met on Mon\u200bday and approved the budget."
    assert despin.restore(text, fast=True) == "The committee met on Monday and approved the budget."
    assert despin.restore(text, fast=True, min_confidence=1.0) == text


def test_links_paths_and_addresses_are_left_as_written():
    text = ("See www.irregular-woodland.org or mail bosom-peril@example.org, and run python "
            "irregular-woodland.py from /home/me/supreme-courtroom/notes.txt or "
            "C:\\Users\\irregular woodland\\notes.txt.")
    assert despin.restore(text, fast=True) == text
    assert despin.restore("We used an irregular-woodland model.", fast=True) == "We used a random-forest model."


def test_a_soft_hyphen_is_read_through_and_kept():
    text = "The forest was an irregular wood\u00adland of old oaks."
    assert despin.check(text, fast=True).findings[0].restoration == "random forest"
    assert despin.restore("The old wood\u00adland was quiet.", fast=True) == "The old wood\u00adland was quiet."


@pytest.mark.parametrize("text", [
    "The handbag turned out to be counterfeit. Consciousness of the fraud came slowly.",
    "The path was irregular; woodland covered the hills.",
    "He pressed the child to his bosom.\n\nPeril followed them home that night.",
    "A heading with counterfeit\r\rConsciousness as a new paragraph, old Mac line ends.",
    "Write to counterfeit.consciousness@example.com or run run_counterfeit_consciousness().",
    "Call irregular_woodland.fit() or see www.bosom.peril.org for more.",
])
def test_a_known_phrase_is_one_phrase_of_the_text(text):
    # The matcher sees words only: these were rewritten, the full stop or the blank line deleted.
    assert despin.check(text, fast=True).findings == []
    assert despin.restore(text, fast=True) == text


def test_a_known_phrase_over_a_line_break_is_reported_as_written():
    text = "We used counterfeit\nconsciousness and bosom\r\nperil here."
    findings = despin.check(text, fast=True).findings
    assert [f.text for f in findings] == ["counterfeit\nconsciousness", "bosom\r\nperil"]
    assert all(text[f.start : f.end] == f.text for f in findings)


def test_the_article_a_rewrite_needs_is_part_of_its_change():
    text = "They trained an irregular woodland model. The vitamin A counterfeit consciousness works."
    restored, changes = despin.restore_and_explain(text, fast=True)
    assert restored == "They trained a random forest model. The vitamin A artificial intelligence works."
    assert [(c.old, c.new) for c in changes] == [("an irregular woodland", "a random forest"),
                                                 ("counterfeit consciousness", "artificial intelligence")]
    assert all(text[c.start : c.end] == c.old for c in changes)


@pytest.mark.parametrize(("text", "restored"), [
    ("AN IRREGULAR WOODLAND GREW.", "A RANDOM FOREST GREW."),
    ("IT IS A COUNTERFEIT CONSCIOUSNESS SYSTEM.", "IT IS AN ARTIFICIAL INTELLIGENCE SYSTEM."),
    ("Abstract\n\nA counterfeit consciousness system.", "Abstract\n\nAn artificial intelligence system."),
    ("- A counterfeit consciousness tool", "- An artificial intelligence tool"),
    ("“A counterfeit consciousness tool”", "“An artificial intelligence tool”"),
])
def test_articles_in_capitals_and_at_line_starts(text, restored):
    assert despin.restore(text, fast=True) == restored


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "model"])
def test_a_word_seen_swapped_on_spun_news_is_not_rewritten_in_clean_text(fast):
    # "software" -> "application" and "file" -> "report" were read off spun news pages, but in
    # fast mode a single word's swap pays a swap's cost like any mined word swap, and in model
    # mode the model reads it: flagged at most, as "Software" is here in model mode.
    text = ("You may distribute the Covered Software under the terms of this License. They are the "
            "standard input, standard output and standard error file handles. It works on devices "
            "such as /home or swap partitions.")
    assert despin.restore(text, fast=fast) == text


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "model"])
def test_a_pair_seen_once_in_a_small_corpus_does_not_rewrite_a_plain_one(fast):
    # "compressed information" and "steel wires" each occur once in WordNet's glosses, and
    # "compressed data" and "steel cables" not at all: fast mode rewrote both at 0.56 and 0.94.
    text = ("gzip refuses to run if the compressed data is read from or written to a terminal. The cars "
            "are still pulled by steel cables running beneath the street.")
    assert despin.restore(text, fast=fast) == text
    if fast:
        assert despin.check(text, fast=True).findings == []


def test_a_span_does_not_run_across_a_blank_line():
    text = "He went to the Supreme\n\nCourtroom staff were there."
    assert despin.restore(text, fast=True) == text


def test_a_long_run_without_punctuation_is_decoded_in_pieces():
    from despin.decoding.channel_pass import MAX_CLAUSE, _clauses
    from despin.decoding.tokens import tokenize

    text = "word " * (2 * MAX_CLAUSE + 5) + "one\n\ntwo"
    runs = [len(run) for run in _clauses(text, tokenize(text))]
    assert runs == [MAX_CLAUSE, MAX_CLAUSE, 6, 1]


def test_no_finding_is_certain():
    text = "The Supreme Courtroom ruled on the case."
    assert all(f.confidence < 1 for f in despin.check(text, fast=True).findings)
    assert despin.restore(text, fast=True, min_confidence=1.0) == text


def test_text_not_in_english_is_restored_as_it_was():
    persian = ("\u0634\u0627\u0639\u0631 \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u062f \u06a9\u062a\u0627\u0628 "
               "\u0631\u0627 \u0628\u062e\u0648\u0627\u0646\u062f \u0648 \u0645\u0627 \u0647\u0645 "
               "\u0645\u06cc\u200c\u062e\u0648\u0627\u0646\u06cc\u0645 \u0627\u06cc\u0646 \u06a9\u062a\u0627\u0628 \u0631\u0627.")
    assert despin.restore(persian, fast=True) == persian
    french = ("Le gouvernement a annonc\u00e9 de nou\u200bvelles mesures pour les \u00e9coles et les "
              "h\u00f4pitaux du pays, selon le ministre de la sant\u00e9.")
    assert despin.restore(french, fast=True) == french  # a disguise is not read out either
    result = despin.check(french, fast=True)
    assert not result.supported and result.disguises == [] and result.findings == []


@pytest.mark.parametrize(("text", "restored"), [
    ("Counterfeit consciousness's impact is large.", "Artificial intelligence's impact is large."),
    ("Irregular woodlands were used.", "Random forests were used."),
    ("The irregular woodlands’ depth grew.", "The random forests’ depth grew."),
])
def test_a_known_phrase_in_the_plural_or_possessive(text, restored):
    assert despin.restore(text, fast=True) == restored


@pytest.mark.parametrize(("text", "restored"), [
    ("The Supreme Courtroom's ruling surprised them.", "The Supreme Court's ruling surprised them."),
    ("The Supreme Courtroom\u2019s ruling surprised them.", "The Supreme Court\u2019s ruling surprised them."),
    ("The Home Guidelines Committee's chair spoke.", "The House Rules Committee's chair spoke."),
    ("It's the Supreme Courtroom's call.", "It's the Supreme Court's call."),
    ("THE SUPREME COURTROOM's RULING.", "THE SUPREME COURT's RULING."),
    ("THE COUNTERFEIT CONSCIOUSNESS'S IMPACT.", "THE ARTIFICIAL INTELLIGENCE'S IMPACT."),
    ("We applied transfer today's methods.", "We applied transfer learning methods."),  # listed with "'s"
])
def test_a_spun_name_in_the_possessive_keeps_its_ending(text, restored):
    assert despin.restore(text, fast=True) == restored


@pytest.mark.parametrize(("text", "restored"), [
    ("Our counterfeit-consciousness systems won.", "Our artificial-intelligence systems won."),
    ("An irregular-woodlands ensemble.", "A random-forests ensemble."),
    ("The man-made brainpower tools.", "The artificial intelligence tools."),  # listed with its hyphen
    ("The message just arrived.", "The message just arrived."),  # "message-just" needs its hyphen
    ("Counterfeit-Consciousness Systems are here.", "Artificial-Intelligence Systems are here."),
    ("We built an open-key-infrastructure.", "We built a public-key-infrastructure."),
    ("Our counterfeit-consciousness-based tools.", "Our artificial-intelligence-based tools."),
    ("Children love creepy-crawlies.", "Children love creepy-crawlies."),  # WordNet lists the compound
    ("See https://x.org/my-counterfeit-consciousness-post now.", "See https://x.org/my-counterfeit-consciousness-post now."),
])
def test_a_known_phrase_inside_a_hyphenated_compound(text, restored):
    assert despin.restore(text, fast=True) == restored


def test_a_rewrite_keeps_the_white_space_between_its_words():
    # A hard-wrapped phrase was joined onto one line, and a non-breaking space became a plain one.
    text = "We train an irregular\n    woodland on counterfeit\r\nconsciousness; the Supreme\u00a0Courtroom ruled."
    assert despin.restore(text, fast=True) == (
        "We train a random\n    forest on artificial\r\nintelligence; the Supreme\u00a0Court ruled.")
    # Where the words do not pair up, the rewrite is spaced plainly.
    assert despin.restore("Rates of\ninterest rose.", fast=True) == "Interest rates rose."
