"""Fit the weights of despin.scoring.collocation on `dev` rows, and show what each bar gives.

    python bench/fit_collocations.py [--threads 2]

Each two-word tortured phrase of the `dev` rows that tuning mines (crc32 of the expected phrase
even) is put in the carrier sentence of bench/tortured.py as a positive, and its expected phrase
as a negative. The features are the model's log-probability of each word given everything before
it and each word's Zipf frequency; a logistic regression on them gives WEIGHTS and INTERCEPT.
The held-out `dev` half (odd crc32) shows recall and false alarms at several bars. `test` rows
are never read.
"""
from __future__ import annotations

import argparse
import time
import zlib

import numpy as np
from common import save, table
from tortured import CARRIER

from despin.candidates.fingerprints import load_fingerprints
from despin.scoring.lm import load_context_model
from despin.scoring.ngrams import PhraseTable

BARS = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5)


def features(model, phrases: PhraseTable, pairs: list[tuple[str, str]]) -> np.ndarray:
    items = []
    for first, second in pairs:
        text = CARRIER.format(f"{first} {second}")
        lo = text.index(f"{first} {second}")
        items.append((text, [], [(lo, lo + len(first)), (lo + len(first) + 1, lo + len(first) + 1 + len(second))]))
    readings = model.read(items)
    return np.array([[*r.logprobs, phrases.word(a), phrases.word(b)] for r, (a, b) in zip(readings, pairs)])


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
    model = load_context_model(threads=args.threads)
    if model is None:
        raise SystemExit("the context model is not installed")
    phrases = PhraseTable()
    halves: dict[int, tuple[list, list]] = {0: ([], []), 1: ([], [])}
    for fp in load_fingerprints(("dev",)):
        expected = tuple(fp.restoration.lower().split())
        if fp.split != "dev" or len(fp.phrase) != 2 or len(expected) != 2:
            continue
        half = zlib.crc32(fp.expected.lower().encode()) % 2
        halves[half][0].append(tuple(fp.phrase))
        halves[half][1].append(expected)
    started = time.perf_counter()
    data = {}
    for half, (spun, original) in halves.items():
        data[half] = (features(model, phrases, spun), features(model, phrases, original))
    (pos, neg), (held_pos, held_neg) = data[0], data[1]
    weights, intercept = fit(np.r_[pos, neg], np.r_[np.ones(len(pos)), np.zeros(len(neg))])
    rows = []
    for bar in BARS:
        recall = float(((held_pos @ weights + intercept) >= bar).mean())
        false_alarms = float(((held_neg @ weights + intercept) >= bar).mean())
        rows.append([bar, recall, false_alarms, recall / (recall + false_alarms) if recall + false_alarms else 0.0])
    result = {"weights": weights.tolist(), "intercept": intercept, "fit_pairs": len(pos), "held_pairs": len(held_pos),
              "bars": rows, "seconds": time.perf_counter() - started}
    save("collocations", result)
    print(f"## Collocation weights ({len(pos)} dev pairs fitted, {len(held_pos)} held out)\n")
    print("WEIGHTS = (" + ", ".join(f"{w:.4f}" for w in weights) + f")\nINTERCEPT = {intercept:.4f}\n")
    print(table(["bar", "held-out recall", "false alarms", "precision"], rows))


if __name__ == "__main__":
    main()
