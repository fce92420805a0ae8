"""Spun news: paragraphs spun by the simulated spinner, then restored.

    python bench/news.py [--docs 150] [--rate 0.15] [--fast]    # default: model mode
    python bench/news.py --part tune --failures tune-failures.jsonl  # for tuning: what was missed
    python bench/news.py --phrases 2                             # a paper mill's text: spun, with known phrases

The paragraphs are held-out Wikipedia summaries (`report` part; settings are chosen on the
`tune` part), news-like expository prose that despin was not built from; the engine mines only
the `mine` half of the observed news swaps, the spinner draws on the other half and on Moby.
Figures: the share of spun words restored exactly, the word error rate against the original
before and after restoring, what became of each spun word (rewritten right; flagged with the
original as the restoration but not rewritten; the original among the alternatives only;
flagged without it; not flagged), how many words the spinner left alone were rewritten, and a
reliability table of the unseen-spin findings' confidences.

With `--phrases K`, each article ends, after spinning, with one more sentence holding K known
tortured phrases (bench/clean.py's seeds; the reference holds their originals): a paper mill's
text, spun throughout and carrying phrases a list knows, which model mode weighs as evidence
that the whole text is spun (decoding/spun_text.py).
"""
from __future__ import annotations

import argparse
import json
import time
from collections import Counter

from clean import seed_sentence, seeds
from common import save, table
from spinner import spin, spun_spans

from despin.decoding.engine import Config, Engine
from despin.scoring.corpora import wiki_summaries


def _wer(ref: list[str], hyp: list[str]) -> int:
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1]


FATES = ("rewritten right", "flagged right, not rewritten", "in the alternatives", "no candidate", "not flagged")


def _fate(found, original: str) -> str:
    """What despin made of one spun word, from the findings that overlap it: the first of FATES that applies."""
    if not found:
        return FATES[4]
    right = [f for f in found if original in (f.restoration or "").lower().split()]
    if right:
        return FATES[0] if any(f.rewrite for f in right) else FATES[1]
    if any(original in a.text.lower().split() for f in found for a in f.alternatives):
        return FATES[2]
    return FATES[3]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=150)
    parser.add_argument("--rate", type=float, default=0.15)
    parser.add_argument("--part", default="report", choices=("report", "tune"),
                        help="held-out paragraphs to spin: report (the figures) or tune (for tuning)")
    parser.add_argument("--failures", metavar="FILE", help="write every spun word not rewritten right (JSON Lines)")
    parser.add_argument("--join", type=int, default=1, help="paragraphs per spun article")
    parser.add_argument("--fast", action="store_true", help="fast mode (Config(model=False))")
    parser.add_argument("--threads", type=int, default=None, help="context-model threads")
    parser.add_argument("--phrases", type=int, default=0, metavar="K",
                        help="end each article with a sentence holding K known tortured phrases")
    args = parser.parse_args()
    engine = Engine(Config(news_part="mine", model=not args.fast, threads=args.threads))
    mode = engine.mode
    restore_seconds = 0.0
    input_words = 0
    spun_words = errors_before = errors_after = ref_words = unspun_rewritten = 0
    failures: list[dict] = []
    census: Counter[str] = Counter()  # what became of each spun word (FATES)
    bins: dict[int, list[tuple[bool, bool]]] = {}  # confidence decile -> (covers a spun word, restores it)
    started = time.perf_counter()
    paragraphs = [text for _, (_title, text) in zip(range(args.docs), wiki_summaries(args.part))]
    # An article is several paragraphs: despin weighs a whole page's evidence at once.
    articles = ["\n\n".join(paragraphs[k : k + args.join]) for k in range(0, len(paragraphs), args.join)]
    known = seeds(len(articles), args.phrases)
    for i, original in enumerate(articles):
        spun, swaps = spin(original, args.rate, seed=i)
        body = len(spun.rstrip())
        if args.phrases:
            spun = spun[:body] + seed_sentence(phrase for phrase, _ in known[i])
            original = original.rstrip() + seed_sentence(orig for _, orig in known[i])
        t = time.perf_counter()
        result = engine.restore(spun)
        restored, report = result.text, result.check
        restore_seconds += time.perf_counter() - t
        ref, before, after = original.split(), spun.split(), restored.split()
        ref_words += len(ref)
        input_words += len(before)
        errors_before += _wer(ref, before)
        errors_after += _wer(ref, after)
        spun_words += len(swaps)
        spots = spun_spans(spun, swaps)  # for the reliability table
        for (a, b, orig), (_, new) in zip(spots, swaps):
            found = [f for f in report.findings if f.start < b and f.end > a]
            fate = _fate(found, orig)
            census[fate] += 1
            if fate != FATES[0]:
                failures.append({"original": orig, "spun": new, "fate": fate, "context": spun[max(0, a - 60) : b + 60],
                                 "findings": [{"text": f.text, "restoration": f.restoration, "confidence": f.confidence,
                                               "alternatives": [x.text for x in f.alternatives[:5]]} for f in found]})
        unspun_rewritten += sum(len(c.old.split()) for c in result.changes if c.start < body
                                and not any(a < c.end and b > c.start for a, b, _ in spots))
        for f in report.findings:
            if f.kind == "spin":
                hits = [o for a, b, o in spots if a < f.end and b > f.start]
                right = bool(hits) and f.restoration is not None and all(o in f.restoration.lower() for o in hits)
                bins.setdefault(min(int(f.confidence * 10), 9), []).append((bool(hits), right))
    result = {
        "documents": args.docs, "rate": args.rate, "words": ref_words, "spun_words": spun_words,
        # A spun word is restored when a rewrite over it puts its original back; before the ninth
        # session a search of the restored text also credited "depicted" for "depict" and an
        # original written elsewhere in the paragraph.
        "restored_exactly": census[FATES[0]] / max(spun_words, 1),
        "wer_before": errors_before / ref_words, "wer_after": errors_after / ref_words,
        "seconds": time.perf_counter() - started, "mode": mode,
        "restore_words_per_s": input_words / max(restore_seconds, 1e-9),
        "unspun_rewritten": unspun_rewritten, "phrases": args.phrases,
    }
    result["fates"] = {fate: census[fate] for fate in FATES}
    result["wer_cut"] = 1 - result["wer_after"] / result["wer_before"] if result["wer_before"] else 0.0
    result["reliability"] = {
        f"{b / 10:.1f}-{(b + 1) / 10:.1f}": [len(v), sum(h for h, _ in v) / len(v), sum(r for _, r in v) / len(v)]
        for b, v in sorted(bins.items())
    }
    if args.failures:
        with open(args.failures, "w", encoding="utf-8") as out:
            out.writelines(json.dumps(row) + "\n" for row in failures)
    save(f"news-{mode}" + ("" if args.part == "report" else f"-{args.part}")
         + (f"-phrases{args.phrases}" if args.phrases else ""), result)
    phrases = f"; each ending with {args.phrases} known tortured phrase(s)" if args.phrases else ""
    print(f"## Spun news (simulated spinner: held-out observed swaps + Moby; {mode} mode; "
          f"{args.join} paragraph(s) per article{phrases})\n")
    print(table(["paragraphs", "words", "spun words", "restored exactly", "WER before", "WER after", "WER cut",
                 "words not spun, rewritten", "restore words/s"],
                [[args.docs, ref_words, spun_words, result["restored_exactly"], result["wer_before"],
                  result["wer_after"], result["wer_cut"], unspun_rewritten, round(result["restore_words_per_s"])]]))
    print("\nWhat became of the spun words\n")
    print(table(list(FATES), [[census[fate] for fate in FATES]]))
    print("\nReliability (confidence bin: unseen-spin findings, share on a spun word, share restoring it exactly)\n")
    print(table(["confidence", "findings", "on a spun word", "restored exactly"],
                [[k, *v] for k, v in result["reliability"].items()]))


if __name__ == "__main__":
    main()
