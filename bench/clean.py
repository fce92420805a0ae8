"""Do no harm: how many words `restore` changes in clean prose it was not built from.

    python bench/clean.py [--words 100000] [--fast]    # default: model mode
    python bench/clean.py --part tune --words 20000     # the prose settings are chosen on

The prose is the `report` part of the held-out Wikipedia summaries: the phrase counts never saw
it and no setting was tuned on it (`--part tune` is the part they were tuned on). A changed word
is a word of the input that restore rewrote; pair flags are the findings of the model's pair
test alone (scoring/collocation.py), not rewritten outside a text shown spun.
"""
from __future__ import annotations

import argparse
import time

from common import save, table

from despin.decoding.engine import Config, Engine
from despin.decoding.tokens import tokenize
from despin.scoring.corpora import wiki_summaries


def clean_documents(words: int, part: str = "report") -> list[str]:
    """The first summaries of `part` that hold at least `words` words, counted as `check` counts them."""
    docs, total = [], 0
    for _title, text in wiki_summaries(part):
        docs.append(text)
        total += sum(t.is_word for t in tokenize(text))
        if total >= words:
            break
    return docs


def measure(engine: Engine, docs: list[str]) -> dict:
    words = changed = flagged = pair_flags = 0
    examples = []
    bins = [0] * 10  # findings by confidence decile (all are false alarms in clean prose)
    started = time.perf_counter()
    for doc in docs:
        result = engine.restore(doc)
        words += result.check.words
        flagged += len(result.check.findings)
        pair_flags += sum(f.evidence[0].source == "lm-collocation" for f in result.check.findings)
        for f in result.check.findings:
            bins[min(int(f.confidence * 10), 9)] += 1
        for change in result.changes:
            changed += len(change.old.split())
            if len(examples) < 40:
                examples.append(f"{change.old} -> {change.new} ({change.confidence:.2f})")
    return {
        "documents": len(docs),
        "words": words,
        "changed_words": changed,
        "changed_per_1000": 1000 * changed / max(words, 1),
        "flagged_spans_per_1000": 1000 * flagged / max(words, 1),
        "pair_flags_per_1000": 1000 * pair_flags / max(words, 1),
        "seconds": time.perf_counter() - started,
        "examples": examples,
        "confidence_bins": bins,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--fast", action="store_true", help="fast mode (Config(model=False))")
    parser.add_argument("--threads", type=int, default=None, help="context-model threads")
    parser.add_argument("--show", action="store_true", help="print the changes made")
    parser.add_argument("--part", choices=("report", "tune"), default="report", help="which held-out prose")
    args = parser.parse_args()
    engine = Engine(Config(model=not args.fast, threads=args.threads))
    mode = engine.mode
    result = measure(engine, clean_documents(args.words, args.part))
    result["mode"] = mode
    result["part"] = args.part
    result["words_per_s"] = result["words"] / result["seconds"]
    save(f"clean-{args.part}-{mode}", result)
    print(f"## Do no harm (held-out Wikipedia summaries, `{args.part}` part, {mode} mode)\n")
    print(table(["documents", "words", "changed words", "per 1,000 words", "flags per 1,000", "pair flags per 1,000",
                 "seconds", "words/s"],
                [[result["documents"], result["words"], result["changed_words"], result["changed_per_1000"],
                  result["flagged_spans_per_1000"], result["pair_flags_per_1000"], round(result["seconds"], 1),
                  round(result["words_per_s"])]]))
    if args.show:
        print("\n" + "\n".join(result["examples"]))


if __name__ == "__main__":
    main()
