"""Fit the confidence curve: gains of real spins (held-out dev tortured rows) against gains of
flags raised in clean held-out prose (the `tune` half of the held-out Wikipedia summaries).

    python bench/calibrate.py                      # fast mode: Config.calibration
    python bench/calibrate.py --model [--rows 300] # model mode: ModelSettings (rescoring.py)

Fast mode prints (slope, midpoint) for Config.calibration. Model mode runs the context model once
over the held-out dev rows (positives: findings overlapping the tortured phrase; negatives:
findings in the carrier around the expected phrase) and the `tune` prose (every finding a
negative), recording each judged span's candidates with their model and channel gains, then
fits offline: channel_weight by a small grid, slope/midpoint by logistic regression, the report
floor, and whether model-proposed candidates ("lm") help. Neither test rows nor the `report`
prose are used.
"""
from __future__ import annotations

import argparse
import json
import math
import re

import numpy as np
from common import OUT, held_out, table
from tortured import CARRIER

from despin.candidates.fingerprints import load_fingerprints
from despin.decoding.engine import Config, Engine
from despin.scoring import candidate_ranking
from despin.scoring.corpora import wiki_summaries


def logistic(x: np.ndarray, y: np.ndarray, a: float = 1.0, b: float = -5.0) -> tuple[float, float]:
    for _ in range(5000):  # plain gradient descent on the logistic loss
        p = 1 / (1 + np.exp(-(a * x + b)))
        a -= 0.01 * np.mean((p - y) * x)
        b -= 0.01 * np.mean(p - y)
    return a, b


def fast() -> None:
    engine = Engine(Config(fingerprint_splits=(), dev_rows=lambda fp: not held_out(fp), model=False))
    gains, labels = [], []
    rows = [fp for fp in load_fingerprints(("dev",)) if held_out(fp)][:500]
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
    a, b = logistic(x, y)
    print(f"{len(y)} findings, {int(y.sum())} real; slope {a:.3f}, midpoint {-b / a:.2f}")
    for lo in range(0, 20, 2):
        sel = (x >= lo) & (x < lo + 2)
        if sel.any():
            print(f"gain {lo:2d}-{lo + 2:2d}: {sel.sum():4d} findings, {y[sel].mean():.2f} real, "
                  f"model {1 / (1 + math.exp(-(a * (lo + 1) + b))):.2f}")


# -- model mode --------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def collect(rows: int, prose_words: int, lm_k: int, threads: int | None = None) -> dict:
    """Run the context model once and record every judged span with its candidates."""
    from despin.decoding.rescoring import ModelSettings, Rescorer

    engine = Engine(Config(fingerprint_splits=(), dev_rows=lambda fp: not held_out(fp), model=True,
                           threads=threads))
    rescorer = engine.rescorer
    assert rescorer is not None, "model mode needs the context model installed"
    # Collect everything: no report floor, model candidates with any non-negative similarity.
    rescorer = engine.rounds.rescorer = Rescorer(rescorer.model, engine.config,
                                                 ModelSettings(floor=0.0, lm_candidates=lm_k, lm_similarity=0.0))
    from despin.scoring.vectors import similarity

    def run(text: str, kind: str, **info) -> dict:
        rescorer.trace = []
        engine.check(text)
        spans = rescorer.trace
        for span in spans:
            spun = span["text"].split()[0]
            span["options"] = [(o, g, c, list(src), similarity(o.split()[0], spun) if "lm" in src else None)
                               for o, g, c, src in span["options"]]
        return {"kind": kind, "text": text, "spans": spans, **info}

    out = []
    dev = [fp for fp in load_fingerprints(("dev",)) if held_out(fp)][:rows]
    for i, fp in enumerate(dev):
        phrase = " ".join(fp.phrase)
        text = CARRIER.format(phrase)
        lo = text.index(phrase)
        out.append(run(text, "positive", lo=lo, hi=lo + len(phrase), expected=_norm(fp.restoration)))
        out.append(run(CARRIER.format(fp.restoration), "carrier"))
        if i % 50 == 0:
            print(f"  {i} rows", flush=True)
    words = 0
    for _title, text in wiki_summaries("tune"):
        out.append(run(text, "prose"))
        words += len(text.split())
        if words >= prose_words:
            break
    return {"rows": len(dev), "prose_words": words, "lm_k": lm_k, "records": out}


def judge(span: dict, weight: float, lm: tuple[float, float] | None):
    """First candidate, the best combined gain and the first five of one span under the settings
    (None: no candidate). The ranker orders them and the best gain is what the curve reads, as in
    the rescorer."""
    opts = []
    for o, g, c, src, sim in span["options"]:
        if "lm" in src:
            if lm is None or sim is None or sim < lm[0]:
                continue
            c = lm[1]
        opts.append((o, g, c, src))
    if not opts:
        return None
    ranked = candidate_ranking.rank(span["text"], opts)
    return ranked[0][1], max(g + weight * c for _, g, c, _ in opts), [o for _, o, _, _ in ranked[:5]]


def evaluate(data: dict, weight: float, lm, slope: float | None = None, midpoint: float | None = None,
             floor: float = 0.0) -> dict:
    xs, ys = [], []
    rows = tp = fp = top1 = top5 = 0
    for rec in data["records"]:
        judged = []
        for span in rec["spans"]:
            j = judge(span, weight, lm)
            if j is None:
                continue
            conf = 1.0 if slope is None else 1 / (1 + math.exp(-slope * (j[1] - midpoint)))
            if conf < floor:
                continue
            judged.append((span, j, conf))
        if rec["kind"] == "positive":
            rows += 1
            lo, hi = rec["lo"], rec["hi"]
            hits = [(s, j, c) for s, j, c in judged if s["start"] < hi and s["end"] > lo]
            for s, j, _ in judged:
                xs.append(j[1])
                ys.append(int(s["start"] < hi and s["end"] > lo))
            if hits:
                tp += 1
                s, j, _ = max(hits, key=lambda h: h[0]["end"] - h[0]["start"])
                text = rec["text"]
                renders = [_norm(text[lo:max(s["start"], lo)] + o + (text[s["end"]:hi] if s["end"] < hi else ""))
                           for o in j[2]]
                top1 += renders[0] == rec["expected"]
                top5 += rec["expected"] in renders
        else:
            if rec["kind"] == "carrier" and judged:
                fp += 1
            for _, j, _ in judged:
                xs.append(j[1])
                ys.append(0)
    return {"x": np.array(xs), "y": np.array(ys), "recall": tp / max(rows, 1),
            "precision": tp / max(tp + fp, 1), "top1": top1 / max(rows, 1), "top5": top5 / max(rows, 1)}


def reliability(conf: np.ndarray, y: np.ndarray, bins: int = 10) -> list[list[object]]:
    out = []
    for b in range(bins):
        sel = (conf >= b / bins) & ((conf < (b + 1) / bins) if b < bins - 1 else (conf <= 1))
        if sel.any():
            out.append([f"{b / bins:.1f}-{(b + 1) / bins:.1f}", int(sel.sum()), round(float(conf[sel].mean()), 3),
                        round(float(y[sel].mean()), 3)])
    return out


def model(args) -> None:
    path = OUT / "calibrate-model.json"
    if args.reuse and path.exists():
        data = json.loads(path.read_text())
    else:
        data = collect(args.rows, args.prose_words, args.lm_k, args.threads)
        OUT.mkdir(exist_ok=True)
        path.write_text(json.dumps(data))
    print(f"{data['rows']} dev rows, {data['prose_words']} words of tune prose, "
          f"{sum(len(r['spans']) for r in data['records'])} judged spans\n")
    grid = []
    lms = [None]
    if data.get("lm_k"):  # model-proposed candidates were collected: try them too
        lms += [(t, p) for t in (0.3, 0.4, 0.5, 0.6) for p in (-4.0, -2.0, 0.0)]
    for weight in (0.0, 0.25, 0.5, 0.75, 1.0, 1.5):
        for lm in lms:
            r = evaluate(data, weight, lm)
            a, b = logistic(r["x"], r["y"])
            p = np.clip(1 / (1 + np.exp(-(a * r["x"] + b))), 1e-6, 1 - 1e-6)
            loss = float(-np.mean(r["y"] * np.log(p) + (1 - r["y"]) * np.log(1 - p)))
            grid.append((weight, lm, a, -b / a, loss, r["top1"], r["top5"]))
    print(table(["channel_weight", "lm (similarity, prior)", "slope", "midpoint", "log-loss", "top-1", "top-5"],
                [[w, str(lm), round(a, 3), round(m, 2), round(l, 4), t1, t5] for w, lm, a, m, l, t1, t5 in grid
                 if lm is None or lm[1] == 0.0 or args.all]))
    # Choose: best top-1 (restoration), ties by log-loss (detection).
    best = max(grid, key=lambda g: (round(g[5], 3), -g[4]))
    weight, lm, a, m = best[0], best[1], best[2], best[3]
    print(f"\nchosen: channel_weight {weight}, lm {lm}, slope {a:.3f}, midpoint {m:.2f}")
    floors = []
    for floor in (0.05, 0.1, 0.2, 0.3, 0.4, 0.5):
        r = evaluate(data, weight, lm, a, m, floor)
        floors.append([floor, r["recall"], r["precision"], r["top1"], r["top5"]])
    print("\nReport floor (dev rows: recall, precision, top-1, top-5)\n")
    print(table(["floor", "recall", "precision", "top-1", "top-5"], floors))
    r = evaluate(data, weight, lm)
    conf = 1 / (1 + np.exp(-a * (r["x"] - m)))
    print("\nReliability on the calibration data (confidence bin: findings, mean confidence, share real)\n")
    print(table(["confidence", "findings", "mean confidence", "real"], reliability(conf, r["y"])))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", action="store_true", help="fit ModelSettings for model mode")
    parser.add_argument("--rows", type=int, default=300, help="held-out dev rows (model mode)")
    parser.add_argument("--prose-words", type=int, default=10_000, help="tune prose words (model mode)")
    parser.add_argument("--lm-k", type=int, default=8, help="model-proposed next words per span while collecting")
    parser.add_argument("--threads", type=int, default=None, help="context-model threads (1 on a shared machine)")
    parser.add_argument("--reuse", action="store_true", help="refit from bench/out/calibrate-model.json")
    parser.add_argument("--all", action="store_true", help="print every grid row")
    args = parser.parse_args()
    if args.model:
        model(args)
    else:
        fast()


if __name__ == "__main__":
    main()
