"""Trace spun texts to their sources: an embedded index of spin-robust fingerprints."""
from __future__ import annotations

from despin.index.index import DEFAULT_INDEX, Index, QueryTruncated, default_index_path
from despin.index.store import IndexFileError
from despin.index.types import AddReport, AlignedPassage, IndexStats, Skipped, TraceHit, TraceResult

__all__ = [
    "DEFAULT_INDEX",
    "AddReport",
    "AlignedPassage",
    "Index",
    "IndexFileError",
    "IndexStats",
    "QueryTruncated",
    "Skipped",
    "TraceHit",
    "TraceResult",
    "default_index_path",
]
