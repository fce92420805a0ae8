"""Findings as stretches of character offsets: which offsets they cover, which stay clear."""
from __future__ import annotations

import bisect
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
    """The items, taken in `key` order, that overlap none taken before them."""
    chosen, taken = [], []  # taken: apart and sorted by start, so their ends are sorted too
    for item in sorted(items, key=key):
        s, e = span(item)
        i = bisect.bisect_left(taken, (e, -1)) - 1  # the last taken span that starts before this one ends
        if i < 0 or taken[i][1] <= s:
            chosen.append(item)
            bisect.insort(taken, (s, e))
    return chosen
