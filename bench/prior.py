"""Fit and measure the document prior (decoding/document_prior.py): what the rest of a text says
about each finding's confidence.

    python bench/prior.py --collect [--part tune] [--threads 2]   # run despin, keep every finding
    python bench/prior.py [--part tune]                            # fit on tune findings, print tables
    python bench/prior.py --part report                            # the shipped prior on report findings

`--collect` checks, with the prior off, held-out Wikipedia paragraphs of `--part` as written and
spun by bench/spinner.py: articles of four paragraphs at rates 0, 0.05 and 0.15, and single
paragraphs at rates 0 and 0.15; on `tune` also the carrier sentences of held-out `dev` rows
(bench/tortured.py's, the phrase and the expected phrase). Every finding is kept with whether it
covers a spun word (a finding in clean text never does) in bench/out/prior-PART.jsonl. Fitting
then needs no model: the prior is applied to the kept findings. On `tune` the parameters are
chosen by log loss over a small grid, on the articles and paragraphs pooled (the carriers are
half spun by construction, a base rate no real text has); on `report` the shipped ones are
measured. Printed per kind of text, before and after: log loss, calibration error (the mean gap
between confidence and share real over ten bins), the words rewritten though not spun, the
rewrites that put back the original, and reliability tables.
"""
from __future__ import annotations

import argparse
import itertools
import json
import math

from common import OUT, held_out, table
from spinner import spin, spun_spans
from tortured import CARRIER

from despin.candidates.fingerprints import load_fingerprints
from despin.decoding.document_prior import DocumentPrior, apply_prior
from despin.decoding.engine import Config, Engine
from despin.scoring.corpora import wiki_summaries
from despin.types import Finding

ARTICLES, JOIN, PARAGRAPHS, CARRIERS = 96, 4, 60, 200
# Articles and paragraphs pooled: the texts the prior is fitted on. The carrier sentences are half
# spun by construction, a base rate no real text has, so they are measured but not fitted on.
NATURAL = "all articles and paragraphs"


def _record(kind: str, text: str, result, swaps) -> dict:
    spans = spun_spans(text, swaps)
    findings = []
    for f in result.findings:
        hits = [o for a, b, o in spans if a < f.end and b > f.start]
        right = bool(hits) and f.restoration is not None and all(o in f.restoration.lower() for o in hits)
        findings.append({"start": f.start, "end": f.end, "text": f.text, "confidence": f.confidence,
                         "kind": f.kind, "rewrite": f.rewrite, "restorable": f.restoration is not None,
                         "real": bool(hits), "right": right})
    return {"kind": kind, "words": result.words, "spun_words": len(swaps), "findings": findings}


def collect(part: str, threads: int | None) -> None:
    news = Engine(Config(news_part="mine", threads=threads, prior=None))
    paragraphs = [text for _, (_title, text) in zip(range(ARTICLES + PARAGRAPHS), wiki_summaries(part))]
    articles = ["\n\n".join(paragraphs[k : k + JOIN]) for k in range(0, ARTICLES, JOIN)]
    out = []
    for i, article in enumerate(articles):
        for rate in (0.0, 0.05, 0.15):
            text, swaps = spin(article, rate, seed=i) if rate else (article, [])
            out.append(_record(f"article {rate:.2f}", text, news.check(text), swaps))
        print(f"article {i + 1}/{len(articles)}", flush=True)
    for i, paragraph in enumerate(paragraphs[ARTICLES:]):
        for rate in (0.0, 0.15):
            text, swaps = spin(paragraph, rate, seed=1000 + i) if rate else (paragraph, [])
            out.append(_record(f"paragraph {rate:.2f}", text, news.check(text), swaps))
    if part == "tune":
        carriers = Engine(Config(fingerprint_splits=(), dev_rows=lambda fp: not held_out(fp), threads=threads,
                                 prior=None))
        rows = [fp for fp in load_fingerprints(("dev",)) if held_out(fp)][:CARRIERS]
        for row in rows:
            phrase = " ".join(row.phrase)
            text = CARRIER.format(phrase)
            out.append(_record("carrier", text, carriers.check(text), [(phrase, phrase)]))
            negative = CARRIER.format(row.restoration)
            out.append(_record("carrier", negative, carriers.check(negative), []))
    path = OUT / f"prior-{part}.jsonl"
    OUT.mkdir(exist_ok=True)
    path.write_text("".join(json.dumps(doc) + "\n" for doc in out))
    print(f"{len(out)} texts -> {path}")


def _findings(doc: dict) -> list[Finding]:
    return [Finding(start=f["start"], end=f["end"], text=f["text"], restoration="x" if f["restorable"] else None,
                    confidence=f["confidence"], rewrite=f["rewrite"], kind=f["kind"]) for f in doc["findings"]]


def measure(docs: list[dict], prior: DocumentPrior | None) -> dict[str, dict]:
    """Per kind of text: log loss, reliability bins, words rewritten (wrongly in clean text), right rewrites."""
    out: dict[str, dict] = {}
    for doc in docs:
        found = _findings(doc)
        moved = apply_prior(found, doc["words"], prior, 0.5) if prior else found
        kinds = [doc["kind"]] + ([NATURAL] if doc["kind"] != "carrier" else [])
        for kind in kinds:
            stats = out.setdefault(kind, {"loss": 0.0, "n": 0, "bins": {}, "right": 0,
                                          "rewritten_not_spun": 0, "words": 0, "spun_words": 0})
            stats["words"] += doc["words"]
            stats["spun_words"] += doc["spun_words"]
            for f, raw in zip(moved, doc["findings"]):
                if f.kind == "fingerprint":
                    continue
                p = min(max(f.confidence, 1e-3), 1 - 1e-3)
                stats["loss"] -= math.log(p if raw["real"] else 1 - p)
                stats["n"] += 1
                stats["bins"].setdefault(min(int(f.confidence * 10), 9), []).append((f.confidence, raw["real"]))
                if f.rewrite:
                    stats["right"] += raw["right"]
                    stats["rewritten_not_spun"] += (not raw["real"]) * len(raw["text"].split())
    return out


def ece(stats: dict) -> float:
    """Expected calibration error: the mean gap between confidence and share real over the
    bins, weighted by the findings in each."""
    gap = sum(abs(sum(c for c, _ in v) - sum(r for _, r in v)) for v in stats["bins"].values())
    return gap / max(stats["n"], 1)


GRID = {"weight": (0.25, 0.5, 1.0, 1.5, 2.0), "weight_up": (0.0, 0.25, 0.5, 1.0, 1.5),
        "rate": (0.0025, 0.005, 0.01, 0.02, 0.04),
        "pseudo": (0.5, 1.0, 2.0, 4.0)}


def fit(docs: list[dict]) -> DocumentPrior:
    """The grid point with the least log loss over the findings in articles and paragraphs."""
    def loss(prior):
        stats = measure(docs, prior)[NATURAL]
        return stats["loss"] / stats["n"]
    return min((DocumentPrior(**dict(zip(GRID, point))) for point in itertools.product(*GRID.values())), key=loss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--collect", action="store_true", help="run despin and keep its findings (slow)")
    parser.add_argument("--part", default="tune", choices=("tune", "report"))
    parser.add_argument("--threads", type=int, default=None, help="context-model threads")
    args = parser.parse_args()
    if args.collect:
        return collect(args.part, args.threads)
    docs = [json.loads(line) for line in (OUT / f"prior-{args.part}.jsonl").open(encoding="utf-8")]
    prior = fit(docs) if args.part == "tune" else Config().prior
    print(f"## Document prior on `{args.part}` findings ({len(docs)} texts): "
          f"weight {prior.weight} (up {prior.weight_up}), rate {prior.rate}, pseudo {prior.pseudo}\n")
    before, after = measure(docs, None), measure(docs, prior)
    rows = []
    for kind in sorted(before):
        b, a = before[kind], after[kind]
        rows.append([kind, b["words"], b["spun_words"], b["n"],
                     f"{b['loss'] / max(b['n'], 1):.3f} -> {a['loss'] / max(a['n'], 1):.3f}",
                     f"{ece(b):.3f} -> {ece(a):.3f}",
                     f"{b['rewritten_not_spun']} -> {a['rewritten_not_spun']}", f"{b['right']} -> {a['right']}"])
    print(table(["texts", "words", "spun words", "findings", "log loss", "calibration error",
                 "words rewritten, not spun", "rewrites right"], rows))
    for kind in sorted(before):
        print(f"\nReliability, {kind} (confidence bin: findings and share real, before | after)\n")
        bins = sorted(set(before[kind]["bins"]) | set(after[kind]["bins"]))

        def cell(stats, b):
            v = stats["bins"].get(b, [])
            return f"{len(v)}: {sum(r for _, r in v) / len(v):.2f}" if v else ""
        print(table(["confidence", "before", "after"],
                    [[f"{b / 10:.1f}-{(b + 1) / 10:.1f}", cell(before[kind], b), cell(after[kind], b)] for b in bins]))


if __name__ == "__main__":
    main()
