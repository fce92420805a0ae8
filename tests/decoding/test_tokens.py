"""Sentence ranges for the context model."""
from __future__ import annotations

from despin.decoding.tokens import sentences


def test_sentences_end_at_punctuation_and_paragraphs():
    text = "The House met. It passed the bill!\n\nA new paragraph without a stop"
    assert [text[a:b] for a, b in sentences(text)] == [
        "The House met.", "It passed the bill!", "A new paragraph without a stop"]


def test_overlong_runs_are_cut_at_spaces():
    text = " ".join(["word"] * 1000)  # 4,999 characters, no punctuation
    ranges = sentences(text, longest=100)
    assert all(b - a <= 100 for a, b in ranges)
    assert " ".join(text[a:b] for a, b in ranges) == text  # nothing lost but the cut spaces
    assert all(not text[a:b].startswith(" ") and not text[a:b].endswith(" ") for a, b in ranges)
    unbroken = "x" * 250
    assert sentences(unbroken, longest=100) == [(0, 100), (100, 200), (200, 250)]
