"""Spin-robust fingerprints: feature sets that survive word swaps, hashed with datasketch MinHash.

Feature families of one chunk of text (prefixes keep them apart):

``k:`` kept tokens, numbers and names, which spinners leave alone;
``u:`` canonical forms of content words (a swap inside a synonym class keeps the form);
``b:`` pairs of neighbouring content-word forms (function words skipped);
``s:`` the function-word skeleton: runs of function words, names and numbers with every
       content word replaced by one placeholder, which a one-for-one word swap never changes.

Long texts are fingerprinted in overlapping chunks so that a copy of part of a long document
still shares most features with one chunk of it. Signatures are MinHash (datasketch), and LSH
band keys are 63-bit integers stored in SQLite.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

from despin.index.analysis import Token

CHUNK_TOKENS = 400  # analysed tokens per chunk
CHUNK_STEP = 300
SKELETON_N = 6


@dataclass(frozen=True)
class LshParams:
    num_perm: int = 128
    bands: int = 64
    rows: int = 2
    seed: int = 1

    def __post_init__(self) -> None:
        if min(self.num_perm, self.bands, self.rows) < 1 or self.seed < 0:
            raise ValueError("num_perm, bands and rows must be positive and seed not negative")
        if self.bands * self.rows > self.num_perm:
            raise ValueError("bands * rows must not exceed num_perm")


def chunks(tokens: Sequence[Token]) -> list[Sequence[Token]]:
    if len(tokens) <= CHUNK_TOKENS:
        return [tokens]
    out = []
    for start in range(0, len(tokens), CHUNK_STEP):
        out.append(tokens[start : start + CHUNK_TOKENS])
        if start + CHUNK_TOKENS >= len(tokens):
            break
    return out


def features(tokens: Sequence[Token]) -> set[bytes]:
    feats: set[str] = set()
    content: list[str] = []
    skeleton: list[str] = []
    for tok in tokens:
        if tok.kind == "word":
            content.append(tok.form)
            feats.add("u:" + tok.form)
            if not skeleton or skeleton[-1] != "*":
                skeleton.append("*")
        else:
            if tok.kind != "stop":
                feats.add("k:" + tok.form)
                content.append(tok.form)
            skeleton.append(tok.form)
    for a, b in zip(content, content[1:]):
        feats.add(f"b:{a} {b}")
    for i in range(len(skeleton) - SKELETON_N + 1):
        gram = skeleton[i : i + SKELETON_N]
        if sum(g != "*" for g in gram) >= 3:
            feats.add("s:" + " ".join(gram))
    return {f.encode("utf-8") for f in feats}


def signatures(feature_sets: Sequence[set[bytes]], params: LshParams) -> np.ndarray:
    """MinHash signatures, one row per feature set (uint64, values below 2**32)."""
    if not feature_sets:
        return np.zeros((0, params.num_perm), dtype=np.uint64)
    rows = []
    for mh in MinHash.bulk([list(fs) or [b""] for fs in feature_sets], num_perm=params.num_perm, seed=params.seed):
        rows.append(mh.hashvalues)
    return np.vstack(rows).astype(np.uint64)


_MIX = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
     0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9],
    dtype=np.uint64,
)


def band_keys(sigs: np.ndarray, params: LshParams) -> np.ndarray:
    """Signed 63-bit keys, shape (len(sigs), bands): band index and band values mixed."""
    n = sigs.shape[0]
    if params.rows > len(_MIX):
        raise ValueError(f"at most {len(_MIX)} rows per band")
    banded = sigs[:, : params.bands * params.rows].reshape(n, params.bands, params.rows)
    with np.errstate(over="ignore"):
        acc = np.arange(1, params.bands + 1, dtype=np.uint64) * np.uint64(0x632BE59BD9B4E019)
        acc = np.broadcast_to(acc, (n, params.bands)).copy()
        for r in range(params.rows):
            acc ^= banded[:, :, r] * _MIX[r]
            acc = (acc ^ (acc >> np.uint64(31))) * np.uint64(0x94D049BB133111EB)
    return (acc >> np.uint64(1)).astype(np.int64)
