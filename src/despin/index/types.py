"""Typed values that cross the index's boundary: trace hits, their evidence, index statistics."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class AlignedPassage:
    """A stretch of the query (as restored) aligned with a stretch of the source."""

    query_start: int  # character offsets into the (restored) query text
    query_end: int
    query_text: str
    source_start: int  # character offsets into the stored source text
    source_end: int
    source_text: str
    matched: int  # tokens that agree (same word or same synonym class)
    tokens: int  # query tokens in the passage


@dataclass(frozen=True)
class TraceHit:
    """One likely source of a traced text."""

    source_id: int
    name: str  # the path or id it was added under
    score: float  # 0..1: share of the query's tokens aligned with this source (weighted)
    source_coverage: float  # 0..1: share of the source's tokens aligned with the query
    evidence: tuple[AlignedPassage, ...] = ()

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class TraceResult:
    """Ranked likely sources of one text; `hits` is empty when nothing reached the threshold."""

    source: str
    words: int
    hits: list[TraceHit] = field(default_factory=list)
    truncated: bool = False
    candidates: int = 0  # documents the LSH proposed and the alignment checked

    @property
    def found(self) -> bool:
        return bool(self.hits)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["found"] = self.found
        return data


@dataclass(frozen=True)
class Skipped:
    """An input that could not be indexed, and why."""

    name: str
    reason: str


@dataclass
class AddReport:
    """What one `Index.add` call did."""

    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # same name, same text: nothing to do
    replaced: list[str] = field(default_factory=list)  # same name, new text
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (name, name already holding that text)
    skipped: list[Skipped] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class IndexStats:
    path: str
    documents: int
    chunks: int
    band_rows: int
    words: int
    file_bytes: int
    format_version: int
    num_perm: int
    bands: int
    rows: int

    def to_dict(self) -> dict:
        return asdict(self)
