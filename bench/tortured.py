"""Unseen tortured phrases: detection and restoration on rows despin has never seen.

    python bench/tortured.py              # test rows; fingerprints and mining restricted to dev
    python bench/tortured.py --tune       # dev rows, half mined and half measured (for tuning)
    python bench/tortured.py --fast       # fast mode (no context model); default: model mode
    python bench/tortured.py --limit 600  # the first 600 rows in file order: the file lists the
                                          # phrases most papers use first, so these are the commonest
    python bench/tortured.py --tune --failures dev-misses.jsonl  # rows missed, false alarms

Each tortured phrase and its expected phrase are put in one neutral carrier sentence. A
positive counts as detected when a finding overlaps the phrase; a negative (the expected
phrase) counts as a false alarm when anything in its sentence is flagged. Each row restored
wrongly is put in one class of miss, the first that holds: not detected; the expected phrase
has another number of words than the tortured one; a word that differs from the expected
phrase is not inside any finding; the expected phrase is among the main finding's alternatives
but not first; it is not among them. The figures are also given by how many papers use the
phrase, since the commonest phrases are the easiest.

A restoration is compared with the expected phrase without case, punctuation or spaces, a
trailing acronym the spinner left alone counts ("retail value record rpi" -> "retail price index
rpi" for "Retail Price Index"), and so does each alternative the Screener gives with a slash
("infected patients" for "infected/affected patients"); the output says how many top-1 rows only
these rules made right.
"""
from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import re
import time

from common import held_out, save, table

from despin.candidates.fingerprints import load_fingerprints
from despin.decoding.engine import Config, Engine

CARRIER = "We report the results of the {} in the table below."


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _right_forms(phrase: str, expected: str) -> set[str]:
    """The restorations of `phrase` that count as the expected phrase (as the Screener writes it),
    compared without spaces ("global hyper parameters" is "global hyperparameters", as "k nearest"
    already is "k-nearest"). Where the phrase ends in the expected phrase's initials, the author's
    acronym that the spinner left alone, the Screener's expected phrase leaves it out: "retail
    value record rpi" restored as "retail price index rpi" is right. Where the Screener gives
    alternatives with a slash, each is right: "tainted patients" was "infected/affected patients"."""
    forms = set()
    for wording in _slash_alternatives(expected):
        wording = _norm(wording)
        forms.add(wording.replace(" ", ""))
        words, initials = phrase.split(), "".join(w[0] for w in wording.split())
        if len(words) > 1 and len(initials) > 1 and words[-1].rstrip("s") == initials:
            forms.add(wording.replace(" ", "") + words[-1])
    return forms


def _slash_alternatives(expected: str) -> list[str]:
    """The expected phrase as written, and each wording its slashes offer ("fog/mist/cloud
    computing": fog, mist or cloud computing; "TCP/IP packet" counts whole too)."""
    words = [w.split("/") if "/" in w.strip("/") else [w] for w in expected.split()]
    if not any(len(w) > 1 for w in words):
        return [expected]
    return [expected] + [" ".join(choice) for choice in itertools.product(*words)]


MISSES = ("not detected", "length differs", "a changed word not flagged", "in alternatives, not first",
          "not in alternatives")


def _miss(phrase: str, restoration: str, lo: int, hits, renderings: list[str]) -> str:
    """Why a row was not restored right: the first of MISSES that holds."""
    wordings = [_norm(w) for w in _slash_alternatives(restoration)]
    expected = next((w for w in wordings if len(w.split()) == len(phrase.split())), wordings[0])
    if not hits:
        return MISSES[0]
    words, wanted = phrase.split(), expected.split()
    if len(words) != len(wanted):
        return MISSES[1]
    cursor = lo
    for word, want in zip(words, wanted):
        start = lo + phrase.index(word, cursor - lo)
        cursor = start + len(word)
        if _norm(word) != want and not any(f.start < cursor and f.end > start for f in hits):
            return MISSES[2]
    return MISSES[3] if any(r.replace(" ", "") in _right_forms(_norm(phrase), restoration) for r in renderings) \
        else MISSES[4]


# The Screener's rows by how many papers use the phrase: the file lists the commonest first, and
# the rarer phrases are longer and their expected terms rarer.
BANDS = (("100 or more", 100), ("10-99", 10), ("1-9", 1), ("0", 0))


def _band(papers: int) -> str:
    return next(name for name, least in BANDS if papers >= least)


def evaluate(engine: Engine, rows, limit: int | None = None) -> dict:
    rows = rows[:limit] if limit else rows
    tp = fp = top1 = top5 = loose = 0  # loose: right at top 1 only by _right_forms' spaces or acronym
    per_band: dict[str, list[int]] = {}  # band -> [rows, detected, false alarms, top-1, top-5]
    misses: list[dict] = []
    bins: dict[int, list[int]] = {}
    started = time.perf_counter()
    for row in rows:
        phrase = " ".join(row.phrase)
        expected = _norm(row.restoration)
        text = CARRIER.format(phrase)
        lo = text.index(phrase)
        hi = lo + len(phrase)
        report = engine.check(text)
        hits = [f for f in report.findings if f.start < hi and f.end > lo]
        for f in report.findings:
            bins.setdefault(min(int(f.confidence * 10), 9), []).append(int(bool(f.start < hi and f.end > lo)))
        renderings = _renderings(text, lo, hi, hits) if hits else []
        band = per_band.setdefault(_band(row.papers), [0, 0, 0, 0, 0])
        band[0] += 1
        if hits:
            tp += 1
            band[1] += 1
            forms = _right_forms(_norm(phrase), row.restoration)
            right = [r.replace(" ", "") in forms for r in renderings]
            if right[:1] == [True]:
                top1 += 1
                band[3] += 1
                loose += renderings[0] != expected
            if any(right[:5]):
                top5 += 1
                band[4] += 1
        if not renderings or not right[0]:
            misses.append({"phrase": phrase, "expected": row.restoration,
                           "miss": _miss(phrase, row.restoration, lo, hits, renderings), "restored": renderings[:5],
                           "findings": [f.to_dict() for f in hits]})
        negative = engine.check(CARRIER.format(row.restoration))
        if negative.findings:
            fp += 1
            band[2] += 1
            misses.append({"phrase": row.restoration, "expected": row.restoration, "miss": "false alarm",
                           "restored": [], "findings": [f.to_dict() for f in negative.findings]})
        for f in negative.findings:
            bins.setdefault(min(int(f.confidence * 10), 9), []).append(0)
    n = len(rows)
    return {
        "rows": n,
        "recall": tp / n,
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "false_alarm_rate": fp / n,
        "top1": top1 / n,
        "top5": top5 / n,
        "top1_loose": loose,
        "seconds": time.perf_counter() - started,
        "reliability": {f"{b / 10:.1f}-{(b + 1) / 10:.1f}": [len(v), sum(v) / len(v)] for b, v in sorted(bins.items())},
        "misses": {kind: sum(m["miss"] == kind for m in misses) for kind in MISSES},
        "false_alarms": sum(m["miss"] == "false alarm" for m in misses),
        "by_papers": {name: per_band[name] for name, _ in BANDS if name in per_band},
        "missed_rows": misses,
    }


def _renderings(text: str, lo: int, hi: int, hits) -> list[str]:
    """The phrase as restored, once for each of the main finding's alternatives."""
    main = max(hits, key=lambda f: f.end - f.start)
    out = []
    for alt in main.alternatives:
        pieces, cursor = [], lo
        for f in sorted(hits, key=lambda f: f.start):
            pieces.append(text[max(cursor, lo) : max(f.start, lo)])
            pieces.append(alt.text if f is main else (f.restoration or f.text))
            cursor = f.end
        pieces.append(text[cursor:hi] if cursor < hi else "")
        # A finding may reach past the phrase into the carrier: keep only the phrase part.
        out.append(_norm("".join(pieces)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tune", action="store_true", help="measure on held-out dev rows instead of test")
    parser.add_argument("--limit", type=int, default=None, help="only the first N rows, in file order")
    parser.add_argument("--fast", action="store_true", help="fast mode (Config(model=False))")
    parser.add_argument("--threads", type=int, default=None, help="context-model threads")
    parser.add_argument("--failures", metavar="FILE",
                        help="write every row not restored right, and every false alarm, as JSON Lines")
    args = parser.parse_args()
    fingerprints = load_fingerprints(("dev", "test"))
    if args.tune:
        config = Config(fingerprint_splits=(), dev_rows=lambda fp: not held_out(fp))
        rows = [fp for fp in fingerprints if fp.split == "dev" and held_out(fp)]
        name = "tortured-dev-heldout"
    else:
        config = Config(fingerprint_splits=("dev",))
        rows = [fp for fp in fingerprints if fp.split == "test"]
        name = "tortured-test"

    config = dataclasses.replace(config, model=not args.fast, threads=args.threads)
    engine = Engine(config)
    mode = engine.mode
    result = evaluate(engine, rows, args.limit)
    result["mode"] = mode
    missed = result.pop("missed_rows")
    if args.failures:
        with open(args.failures, "w", encoding="utf-8") as out:
            out.writelines(json.dumps(row) + "\n" for row in missed)
    save(f"{name}-{mode}", result)
    print(f"## Unseen tortured phrases ({name}, {mode} mode)\n")
    print(table(["rows", "recall", "precision", "top-1", "top-5", "seconds"],
                [[result["rows"], result["recall"], result["precision"], result["top1"], result["top5"],
                  round(result["seconds"], 1)]]))
    print(f"\nRight at top 1 only without spaces, with the phrase's own trailing acronym or as one of the "
          f"Screener's slash alternatives: {result['top1_loose']} rows")
    print("\nBy how many papers use the phrase (rows, recall, precision, top-1, top-5)\n")
    print(table(["papers", "rows", "recall", "precision", "top-1", "top-5"],
                [[name, n, round(hit / n, 3), round(hit / (hit + fa), 3) if hit + fa else 0.0, round(t1 / n, 3),
                  round(t5 / n, 3)] for name, (n, hit, fa, t1, t5) in result["by_papers"].items()]))
    print("\nRows not restored right, by the first reason that holds\n")
    print(table(["miss", "rows"], [[kind, count] for kind, count in result["misses"].items()]))
    print("\nReliability (confidence bin: findings, share that were real spins)\n")
    print(table(["confidence", "findings", "real"], [[k, v[0], v[1]] for k, v in result["reliability"].items()]))


if __name__ == "__main__":
    main()
