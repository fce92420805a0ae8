"""Fit the candidate ranker of model mode (scoring/candidate_ranking.py) on dev rows.

    python bench/fit_ranker.py [--rows 600 --eval-rows 300 --threads 2]   # ~10 min on 2 cores
    python bench/fit_ranker.py --reuse                                    # refit from bench/out/

The engine runs in model mode over the carrier sentences of the `dev` rows of one half (fit),
with the spin table and known terms mined from the other half, and records every span the
rescorer judges with each candidate's model gain, channel gain and sources. A span inside the
tortured phrase whose expected wording (aligned word by word) is among its candidates, or is
the text itself, is one example of a conditional logit: the expected candidate against the
others and against keeping the text. The L2 weight is chosen by 5-fold cross-validation on the
fit half. The other half (the rows `bench/tortured.py --tune` measures, with the spin table of
the fit half) is read the same way and reported: the share of judged spans whose expected
original comes first, and the share of rows whose phrase would read exactly as expected with
each span's first candidate (a simulation: it does not re-run later rounds). `test` rows are
never read.
"""
from __future__ import annotations

import argparse
import json
import zlib

import numpy as np
from common import OUT, table
from tortured import CARRIER, _norm

from despin.candidates.fingerprints import load_fingerprints
from despin.decoding.engine import Config, Engine
from despin.decoding.rescoring import ModelSettings
from despin.scoring import candidate_ranking

NAMES = ("model gain", "channel gain", "spin table", "Moby only", "WordNet", "Zipf gain")


def half(fp) -> int:
    return zlib.crc32(fp.expected.lower().encode()) % 2


def collect(side: int, rows: int, threads: int | None) -> list[dict]:
    """Trace the rescorer on the carriers of the first `rows` dev rows of half `side`."""
    engine = Engine(Config(fingerprint_splits=(), dev_rows=lambda fp: half(fp) != side, threads=threads))
    rescorer = engine.rescorer
    assert rescorer is not None, "fitting the ranker needs the context model installed"
    records = []
    for fp in [fp for fp in load_fingerprints(("dev",)) if half(fp) == side][:rows]:
        phrase = " ".join(fp.phrase)
        text = CARRIER.format(phrase)
        lo = text.index(phrase)
        rescorer.trace = []
        findings = engine.check(text).findings
        records.append({"text": text, "lo": lo, "hi": lo + len(phrase), "phrase": phrase,
                        "expected": _norm(fp.restoration), "spans": rescorer.trace,
                        "findings": [(f.start, f.end, f.text, f.restoration) for f in findings]})
    return records


def _last_verdicts(record: dict) -> dict[tuple[int, int], dict]:
    """A span judged in several rounds keeps its last verdict."""
    return {(span["start"], span["end"]): span for span in record["spans"]}


def _expected_index(record: dict, span: dict) -> int | None:
    """0 when the text as written is expected, i + 1 for the i-th candidate, None when unknown."""
    lo, hi = record["lo"], record["hi"]
    written, expected = record["phrase"].lower().split(), record["expected"].split()
    if not (lo <= span["start"] and span["end"] <= hi) or len(written) != len(expected):
        return None
    at = len(record["text"][lo : span["start"]].split())
    want = " ".join(expected[at : at + len(span["text"].split())])
    if _norm(span["text"]) == want:
        return 0
    return next((i + 1 for i, (o, *_) in enumerate(span["options"]) if _norm(o) == want), None)


def examples(records: list[dict]) -> tuple[list[np.ndarray], list[int]]:
    xs, ys = [], []
    for record in records:
        for span in _last_verdicts(record).values():
            y = _expected_index(record, span) if span["options"] else None
            if y is not None:
                rows = [candidate_ranking.features(span["text"], o, g, c, src) for o, g, c, src in span["options"]]
                xs.append(np.array([[0.0] * len(NAMES), *rows]))
                ys.append(y)
    return xs, ys


def _padded(xs: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The examples as one array (spans x candidates x features) and a mask of real candidates."""
    width = max(len(x) for x in xs)
    out = np.zeros((len(xs), width, len(NAMES)))
    mask = np.zeros((len(xs), width), dtype=bool)
    for i, x in enumerate(xs):
        out[i, : len(x)], mask[i, : len(x)] = x, True
    return out, mask


def _probabilities(x: np.ndarray, mask: np.ndarray, w: np.ndarray) -> np.ndarray:
    s = np.where(mask, x @ w, -np.inf)
    p = np.exp(s - s.max(axis=1, keepdims=True))
    return p / p.sum(axis=1, keepdims=True)


def fit(xs: list[np.ndarray], ys: list[int], l2: float, steps: int = 3000) -> np.ndarray:
    """Conditional logit by gradient descent on standardised features."""
    x, mask = _padded(xs)
    scale = np.concatenate(xs).std(axis=0) + 1e-6
    x = x / scale
    y = np.array(ys)
    chosen = x[np.arange(len(y)), y]
    w = np.zeros(len(NAMES))
    for _ in range(steps):
        p = _probabilities(x, mask, w)
        w -= 0.05 * (l2 * w + (np.einsum("sc,scf->f", p, x) - chosen.sum(axis=0)) / len(y))
    return w / scale


def log_loss(xs, ys, w) -> float:
    x, mask = _padded(xs)
    p = _probabilities(x, mask, w)
    return float(-np.mean(np.log(p[np.arange(len(ys)), ys])))


def first_right(xs, ys, w) -> float:
    """Share of spans with a swap expected whose expected candidate ranks first among the swaps."""
    right = [int(np.argmax(x[1:] @ w)) + 1 == y for x, y in zip(xs, ys) if y > 0]
    return sum(right) / max(len(right), 1)


def _first(spun: str, options: list, w: np.ndarray | None) -> str:
    """The candidate a span's verdict puts first (`w` None: the rescorer's old order, model gain +
    channel_weight x channel gain)."""
    weight = ModelSettings().channel_weight

    def key(option) -> float:
        o, g, c, src = option
        return g + weight * c if w is None else candidate_ranking.score(spun, o, g, c, src, weights=tuple(w))

    return max(options, key=key)[0]


def rows_exact(records: list[dict], w: np.ndarray | None) -> float:
    """Share of rows whose phrase reads as expected with every finding's first candidate."""
    exact = 0
    for record in records:
        lo, hi, text = record["lo"], record["hi"], record["text"]
        verdicts = _last_verdicts(record)
        hits = sorted(f for f in record["findings"] if f[0] < hi and f[1] > lo)
        if not hits:
            continue
        pieces, cursor = [], lo
        for start, end, spun, restoration in hits:
            span = verdicts.get((start, end))
            if span and span["options"] and restoration is not None:
                restoration = _first(spun, span["options"], w)
            pieces += [text[max(cursor, lo) : max(start, lo)], restoration or spun]
            cursor = end
        pieces.append(text[cursor:hi] if cursor < hi else "")
        exact += _norm("".join(pieces)) == record["expected"]
    return exact / max(len(records), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=600, help="dev rows of the fit half")
    parser.add_argument("--eval-rows", type=int, default=300, help="dev rows of the held-out half")
    parser.add_argument("--threads", type=int, default=None, help="context-model threads")
    parser.add_argument("--reuse", action="store_true", help="refit from bench/out/ranker-traces.json")
    args = parser.parse_args()
    path = OUT / "ranker-traces.json"
    if args.reuse and path.exists():
        fit_records, held_records = json.loads(path.read_text())
    else:
        fit_records = collect(0, args.rows, args.threads)
        held_records = collect(1, args.eval_rows, args.threads)
        OUT.mkdir(exist_ok=True)
        path.write_text(json.dumps([fit_records, held_records]))
    xs, ys = examples(fit_records)
    held_xs, held_ys = examples(held_records)
    folds = np.arange(len(ys)) % 5
    cv = []
    for l2 in (1.0, 0.1, 0.01, 0.001):
        losses = []
        for k in range(5):
            train = [i for i in range(len(ys)) if folds[i] != k]
            w = fit([xs[i] for i in train], [ys[i] for i in train], l2)
            losses.append(log_loss([xs[i] for i in range(len(ys)) if folds[i] == k],
                                   [ys[i] for i in range(len(ys)) if folds[i] == k], w))
        cv.append((float(np.mean(losses)), l2))
    l2 = min(cv)[1]
    w = fit(xs, ys, l2)
    old = np.array([1.0, ModelSettings().channel_weight, 0, 0, 0, 0])
    print(f"{len(ys)} fit spans ({len(fit_records)} rows), {len(held_ys)} held-out spans ({len(held_records)} rows); "
          f"L2 {l2} by 5-fold log-loss ({', '.join(f'{l}: {loss:.3f}' for loss, l in cv)})\n")
    print(table(["feature", "weight"], [[n, round(float(v), 4)] for n, v in zip(NAMES, w)]))
    print()
    print(table(["order", "fit: expected first", "held-out: expected first", "held-out rows exact (simulated)"],
                [["model gain + 0.75 x channel gain", first_right(xs, ys, old), first_right(held_xs, held_ys, old),
                  rows_exact(held_records, None)],
                 ["fitted ranker", first_right(xs, ys, w), first_right(held_xs, held_ys, w),
                  rows_exact(held_records, w)]]))
    print(f"\nWEIGHTS = ({', '.join(f'{v:.4f}' for v in w)})")


if __name__ == "__main__":
    main()
