"""Whole documents: does despin tell spun pages from clean ones?

    python bench/documents.py --fast [--docs 800 --join 4]          # fast mode
    python bench/documents.py [--docs 96 --join 4 --threads 2]      # model mode (slow)
    python bench/documents.py --docs 96 --threads 2 --triage        # model mode for sorting pages
    python bench/documents.py --fast --part tune                    # for tuning

A crawl is scanned page by page, so the first question is which pages are spun. Articles of
`--join` held-out paragraphs (`report` part) are checked as written and spun by bench/spinner.py
at each rate of `--rates`. Figures, per rate: the ROC AUC of the document spin score (spun
articles against the same articles as written; ties count half), the share of articles that
`despin check` calls spun (exit code 1: a finding at least 0.5 sure) among spun and among clean
ones, the share of spun articles above the highest score any clean article got, and the
shares of spun and of clean articles whose spin score reaches each of a few thresholds (a crawl
can sort pages by the score that `--json` reports, or by `--min-score`). As in bench/news.py,
the engine mines only the `mine` half of the observed news swaps, which the spinner does not
draw on.
"""
from __future__ import annotations

import argparse
import time

from common import save, table
from spinner import spin

from despin.decoding.engine import Config, Engine
from despin.scoring.corpora import wiki_summaries

THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5)


def auc(positives: list[float], negatives: list[float]) -> float:
    """The chance that a random positive scores above a random negative, ties counting half."""
    if not positives or not negatives:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=800, help="paragraphs in all")
    parser.add_argument("--join", type=int, default=4, help="paragraphs per article")
    parser.add_argument("--rates", type=float, nargs="+", default=[0.05, 0.15], help="shares of words spun")
    parser.add_argument("--part", default="report", choices=("report", "tune"))
    parser.add_argument("--fast", action="store_true", help="fast mode (Config(model=False))")
    parser.add_argument("--threads", type=int, default=None, help="context-model threads")
    parser.add_argument("--triage", action="store_true", help="model mode without its last round of flags")
    args = parser.parse_args()
    engine = Engine(Config(news_part="mine", model=not args.fast, threads=args.threads,
                           last_flags=not args.triage))
    mode = engine.mode + ("-triage" if args.triage and engine.mode == "model" else "")
    started = time.perf_counter()
    paragraphs = [text for _, (_title, text) in zip(range(args.docs), wiki_summaries(args.part))]
    articles = ["\n\n".join(paragraphs[k : k + args.join]) for k in range(0, len(paragraphs), args.join)]

    def judge(text: str) -> tuple[float, bool]:
        result = engine.check(text)
        return result.spin_score, result.spun

    clean = [judge(a) for a in articles]
    clean_scores = [s for s, _ in clean]
    rows, result = [], {"mode": mode, "articles": len(articles), "join": args.join, "part": args.part,
                        "words": sum(len(a.split()) for a in articles), "rates": {}}
    for rate in args.rates:
        spun = [judge(spin(a, rate, seed=i)[0]) for i, a in enumerate(articles)]
        spun_scores = [s for s, _ in spun]
        figures = {
            "auc": auc(spun_scores, clean_scores),
            "flagged_spun": sum(f for _, f in spun) / len(spun),
            "flagged_clean": sum(f for _, f in clean) / len(clean),
            "above_every_clean": sum(s > max(clean_scores) for s in spun_scores) / len(spun),
            "median_score_spun": sorted(spun_scores)[len(spun_scores) // 2],
            "median_score_clean": sorted(clean_scores)[len(clean_scores) // 2],
            "at_threshold": {str(t): [sum(s >= t for s in spun_scores) / len(spun),
                                      sum(s >= t for s in clean_scores) / len(clean)] for t in THRESHOLDS},
            "scores_spun": spun_scores,
        }
        result["rates"][str(rate)] = figures
        rows.append([rate, figures["auc"], figures["flagged_spun"], figures["flagged_clean"],
                     figures["above_every_clean"], figures["median_score_spun"], figures["median_score_clean"]])
    result["scores_clean"] = clean_scores
    result["seconds"] = time.perf_counter() - started
    save(f"documents-{mode}" + ("" if args.part == "report" else f"-{args.part}"), result)
    print(f"## Spun or clean: whole articles ({len(articles)} articles of {args.join} `{args.part}` paragraphs, "
          f"{result['words']:,} words; {mode} mode; {result['seconds']:.0f} s)\n")
    print(table(["spun share", "AUC of spin score", "called spun: spun", "called spun: clean",
                 "spun above every clean", "median score spun", "median score clean"], rows))
    print("\nShares of spun / clean articles with a spin score at least\n")
    print(table(["spun share", *map(str, THRESHOLDS)],
                [[rate, *(f"{a:.3f} / {b:.3f}" for a, b in result["rates"][str(rate)]["at_threshold"].values())]
                 for rate in args.rates]))


if __name__ == "__main__":
    main()
