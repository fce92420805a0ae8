"""Findings as stretches of character offsets: which offsets they cover, which stay clear."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar


class Spanned(Protocol):
    """Anything that covers text[start:end]: a finding, a change, a disguised word."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=Spanned)


def offsets(findings: Iterable[Spanned]) -> set[int]:
    """Every character offset the findings cover."""
    return {i for f in findings for i in range(f.start, f.end)}


def clear_of(findings: Iterable[S], covered: set[int]) -> list[S]:
    """The findings that touch none of the `covered` offsets."""
    return [f for f in findings if not any(i in covered for i in range(f.start, f.end))]


def non_overlapping(items, key, span=lambda f: (f.start, f.end)):
    chosen, taken = [], []
    for item in sorted(items, key=key):
        s, e = span(item)
        if all(e <= ts or s >= te for ts, te in taken):
            chosen.append(item)
            taken.append((s, e))
    return chosen
