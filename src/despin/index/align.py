"""Verify a candidate source by aligning it with the query, and cut the alignment into passages.

The alignment is difflib's SequenceMatcher over analysed token forms (canonical forms for
content words, so a swap inside a synonym class still aligns). Function words count a quarter
of a content word: they anchor the alignment but say little about where a text came from.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

from despin.index.analysis import Token
from despin.index.types import AlignedPassage

STOP_WEIGHT = 0.25
MAX_GAP = 4  # unmatched tokens on either side that still join two blocks into one passage
MIN_PASSAGE = 3  # matched tokens
MAX_ALIGN_TOKENS = 20000


@dataclass(frozen=True)
class Alignment:
    score: float  # weighted share of the query's tokens that aligned
    source_coverage: float  # weighted share of the source's tokens that aligned
    blocks: tuple[tuple[int, int, int], ...]  # (query token, source token, length)


def _weight(tok: Token) -> float:
    return STOP_WEIGHT if tok.kind == "stop" else 1.0


def _window(query: Sequence[Token], source: Sequence[Token], size: int) -> int:
    """Where a stretch of `size` source tokens shares the most content words with the query.

    A copy may come from anywhere in a long source, and the alignment reads at most `size`
    tokens of it: the first `size` would miss a copy of its end.
    """
    wanted = {t.form for t in query if t.kind != "stop"}
    shared = np.cumsum([0] + [t.form in wanted for t in source])
    return int(np.argmax(shared[size:] - shared[: len(shared) - size]))


def align(query: Sequence[Token], source: Sequence[Token]) -> Alignment:
    """Match the query against the source; `blocks` index the whole source, and its coverage
    is a share of the whole source, even where only a window of a long one was read."""
    query = query[:MAX_ALIGN_TOKENS]
    qtotal = sum(_weight(t) for t in query)
    stotal = sum(_weight(t) for t in source)
    if not qtotal or not stotal:
        return Alignment(0.0, 0.0, ())
    start = _window(query, source, MAX_ALIGN_TOKENS) if len(source) > MAX_ALIGN_TOKENS else 0
    part = source[start : start + MAX_ALIGN_TOKENS]
    matcher = SequenceMatcher(None, [t.form for t in query], [t.form for t in part], autojunk=False)
    blocks = []
    matched = 0.0
    for i, j, n in matcher.get_matching_blocks():
        if n == 0:
            continue
        weight = sum(_weight(t) for t in query[i : i + n])
        # A lone function word matching on its own is chance, not evidence.
        if weight < 1.0:
            continue
        blocks.append((i, start + j, n))
        matched += weight
    return Alignment(matched / qtotal, matched / stotal, tuple(blocks))


def passages(
    alignment: Alignment,
    query: Sequence[Token],
    query_text: str,
    source: Sequence[Token],
    source_text: str,
    limit: int = 3,
) -> tuple[AlignedPassage, ...]:
    groups: list[list[tuple[int, int, int]]] = []
    for block in alignment.blocks:
        if groups:
            pi, pj, pn = groups[-1][-1]
            if block[0] - (pi + pn) <= MAX_GAP and 0 <= block[1] - (pj + pn) <= MAX_GAP:
                groups[-1].append(block)
                continue
        groups.append([block])
    found = []
    for group in groups:
        matched = sum(n for _, _, n in group)
        if matched < MIN_PASSAGE:
            continue
        qi, sj = group[0][0], group[0][1]
        qe, se = group[-1][0] + group[-1][2], group[-1][1] + group[-1][2]
        qs, qend = query[qi].start, query[qe - 1].end
        ss, send = source[sj].start, source[se - 1].end
        found.append(
            AlignedPassage(qs, qend, query_text[qs:qend], ss, send, source_text[ss:send], matched, qe - qi)
        )
    found.sort(key=lambda p: (-p.matched, p.query_start))
    return tuple(sorted(found[:limit], key=lambda p: p.query_start))
