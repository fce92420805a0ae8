"""Fit the confidence curve: gains of real spins (held-out dev tortured rows) against gains of
flags raised in clean held-out prose (the `tune` half of the held-out Wikipedia summaries).

    python bench/calibrate.py

Prints (slope, midpoint) for Config.calibration. Neither test rows nor held-out prose are used.
"""
from __future__ import annotations

import math
import zlib

import numpy as np
from tortured import CARRIER

from despin.candidates.fingerprints import load_fingerprints
from despin.decoding.engine import Config, Engine
from despin.scoring.corpora import wiki_summaries


def main() -> None:
    def held(fp):
        return zlib.crc32(fp.expected.lower().encode()) % 2 == 1

    engine = Engine(Config(fingerprint_splits=(), dev_rows=lambda fp: not held(fp)))
    gains, labels = [], []
    rows = [fp for fp in load_fingerprints(("dev",)) if held(fp)][:500]
    for fp in rows:
        phrase = " ".join(fp.phrase)
        text = CARRIER.format(phrase)
        lo, hi = text.index(phrase), text.index(phrase) + len(phrase)
        for f in engine.check(text).findings:
            gains.append(f.evidence[0].score)
            labels.append(1 if f.start < hi and f.end > lo else 0)
    words = 0
    for _title, text in wiki_summaries("tune"):
        for f in engine.check(text).findings:
            if f.kind != "fingerprint":
                gains.append(f.evidence[0].score)
                labels.append(0)
        words += len(text.split())
        if words > 20_000:
            break
    x, y = np.array(gains), np.array(labels)
    a, b = 1.0, -5.0
    for _ in range(5000):  # plain gradient descent on the logistic loss
        p = 1 / (1 + np.exp(-(a * x + b)))
        a -= 0.01 * np.mean((p - y) * x)
        b -= 0.01 * np.mean(p - y)
    print(f"{len(y)} findings, {int(y.sum())} real; slope {a:.3f}, midpoint {-b / a:.2f}")
    for lo in range(0, 20, 2):
        sel = (x >= lo) & (x < lo + 2)
        if sel.any():
            print(f"gain {lo:2d}-{lo + 2:2d}: {sel.sum():4d} findings, {y[sel].mean():.2f} real, "
                  f"model {1 / (1 + math.exp(-(a * (lo + 1) + b))):.2f}")


if __name__ == "__main__":
    main()
