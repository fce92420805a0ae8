"""Fit the weights of despin.scoring.collocation on `dev` rows, and show what each bar gives.

    python bench/fit_collocations.py [--threads 2]

Each two-word tortured phrase of the `dev` rows that tuning mines (crc32 of the expected phrase
even) is put in the carrier sentence of bench/tortured.py as a positive, and its expected phrase
as a negative. The features are the engine's own (Engine.pair_features): the model's
log-probability of each word given everything before it, each word's Zipf frequency, each
word's best first look at its thesaurus originals, and whether the phrase counts ever saw the
pair. A logistic regression on them gives WEIGHTS and INTERCEPT. The held-out `dev` half (odd crc32) shows recall and false alarms at several bars.
The originals of each half's words come from a spin table mined from the other half only, so that
no phrase is its own candidate source. `test` rows are never read.
"""
from __future__ import annotations

import argparse
import time
import zlib

import numpy as np
from common import save, table
from tortured import CARRIER

from despin.candidates.fingerprints import load_fingerprints
from despin.decoding.engine import Config, Engine

BARS = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5)
BATCH = 64  # carrier sentences read in one text


def features(engine: Engine, pairs: list[tuple[str, str]]) -> tuple[np.ndarray, np.ndarray]:
    """The pair test's features of the pairs it reads (each pair in its own carrier sentence), and
    which pairs it read."""
    rows = []
    for at in range(0, len(pairs), BATCH):
        batch = pairs[at : at + BATCH]
        carriers = [CARRIER.format(f"{a} {b}") for a, b in batch]
        text = " ".join(carriers)
        spans, offset = [], 0
        for (a, b), carrier in zip(batch, carriers):
            lo = offset + carrier.index(f"{a} {b}")
            spans.append((lo, lo + len(a) + 1 + len(b)))
            offset += len(carrier) + 1
        found = {(lo, hi): f for lo, hi, f in engine.pair_features(text)}
        # A pair the test does not read (a function word, a listed term) counts as never spun.
        rows += [found.get(span) for span in spans]
    return np.array([r for r in rows if r is not None]), np.array([r is not None for r in rows])


def fit(x: np.ndarray, y: np.ndarray, l2: float = 0.01, steps: int = 5000) -> tuple[np.ndarray, float]:
    """Logistic regression by gradient descent on standardised features; raw weights returned."""
    mu, sd = x.mean(0), x.std(0)
    z = np.c_[(x - mu) / sd, np.ones(len(x))]
    w = np.zeros(z.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-z @ w))
        w -= 0.5 * (z.T @ (p - y) / len(y) + l2 * np.r_[w[:-1], 0.0])
    raw = w[:-1] / sd
    return raw, float(w[-1] - (raw * mu).sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    halves: dict[int, tuple[list, list]] = {0: ([], []), 1: ([], [])}

    def half(fp) -> int:
        return zlib.crc32(fp.expected.lower().encode()) % 2

    for fp in load_fingerprints(("dev",)):
        expected = tuple(fp.restoration.lower().split())
        if fp.split != "dev" or len(fp.phrase) != 2 or len(expected) != 2:
            continue
        halves[half(fp)][0].append(tuple(fp.phrase))
        halves[half(fp)][1].append(expected)
    started = time.perf_counter()
    data = {}
    for h, (spun, original) in halves.items():
        engine = Engine(Config(fingerprint_splits=(), dev_rows=lambda fp, h=h: half(fp) != h, threads=args.threads))
        if engine.mode != "model":
            raise SystemExit("the context model is not installed")
        data[h] = (features(engine, spun), features(engine, original))
    ((pos, pos_read), (neg, neg_read)), ((held_pos, held_pos_read), (held_neg, held_neg_read)) = data[0], data[1]
    weights, intercept = fit(np.r_[pos, neg], np.r_[np.ones(len(pos)), np.zeros(len(neg))])
    rows = []
    for bar in BARS:
        recall = float(((held_pos @ weights + intercept) >= bar).sum() / len(held_pos_read))
        false_alarms = float(((held_neg @ weights + intercept) >= bar).sum() / len(held_neg_read))
        rows.append([bar, recall, false_alarms, recall / (recall + false_alarms) if recall + false_alarms else 0.0])
    result = {"weights": weights.tolist(), "intercept": intercept,
              "fit_pairs": len(pos_read), "held_pairs": len(held_pos_read),
              "unread": [int((~r).sum()) for r in (pos_read, neg_read, held_pos_read, held_neg_read)],
              "bars": rows, "seconds": time.perf_counter() - started}
    save("collocations", result)
    print(f"## Collocation weights ({len(pos_read)} dev pairs fitted, {len(held_pos_read)} held out)\n")
    print("WEIGHTS = (" + ", ".join(f"{w:.4f}" for w in weights) + f")\nINTERCEPT = {intercept:.4f}\n")
    print(table(["bar", "held-out recall", "false alarms", "precision"], rows))


if __name__ == "__main__":
    main()
