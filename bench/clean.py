"""Do no harm: how many words `restore` changes in clean prose it was not built from.

    python bench/clean.py [--words 100000] [--fast]    # default: model mode
    python bench/clean.py --part tune --words 20000     # the prose settings are chosen on
    python bench/clean.py --seeded [--words 20000]      # each document ends with a known tortured phrase
    python bench/clean.py --seeded 2 [--words 20000]    # ... with a sentence holding two

The prose is the `report` part of the held-out Wikipedia summaries: the phrase counts never saw
it and no setting was tuned on it (`--part tune` is the part they were tuned on). A changed word
is a word of the input that restore rewrote; pair flags are the findings of the model's pair
test alone (scoring/collocation.py), not rewritten outside a text shown spun.

With `--seeded [K]`, each document gets one more sentence holding K known tortured phrases (1
by default; the commonest `dev` rows, in turn): a writer's own words with spun phrases pasted in,
the case where a text shown spun must not make every word suspect (decoding/spun_text.py). Only
words of the document itself count as changed; the seeded phrases restored are counted apart.
"""
from __future__ import annotations

import argparse
import itertools
import time
from collections.abc import Iterable

from common import save, table

from despin.candidates.fingerprints import load_fingerprints
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


SEED_CARRIER = " Later work also relied on {}."


def seeds(count: int, per: int) -> list[list[tuple[str, str]]]:
    """`count` groups of `per` (tortured phrase, its original) pairs: the commonest plain `dev`
    fingerprints, in turn, starting again from the first if more are asked for than there are."""
    if not count or not per:
        return []
    rows = [fp for fp in load_fingerprints(("dev",))
            if fp.original and fp.proximity is None and not fp.requires and not fp.excludes]
    pairs = [(" ".join(fp.phrase), fp.original) for fp in itertools.islice(itertools.cycle(rows), count * per)]
    return [pairs[i * per : (i + 1) * per] for i in range(count)]


def seed_sentence(phrases: Iterable[str]) -> str:
    """The sentence that carries seeded phrases (or their originals) at the end of a document."""
    return SEED_CARRIER.format(" and ".join(phrases))


def measure(engine: Engine, docs: list[str], seeded: list[list[tuple[str, str]]] | None = None) -> dict:
    """`seeded`: for each document, known phrases (with their originals) to append to it in one
    sentence; changes inside it are counted apart."""
    words = changed = flagged = pair_flags = seeds_restored = 0
    examples = []
    bins = [0] * 10  # findings by confidence decile (all are false alarms in clean prose)
    started = time.perf_counter()
    for i, doc in enumerate(docs):
        clean_end = len(doc)
        if seeded:
            doc = doc.rstrip()
            clean_end = len(doc)
            doc += seed_sentence(phrase for phrase, _ in seeded[i])
        result = engine.restore(doc)
        if seeded:
            seeds_restored += sum(any(c.start >= clean_end and c.new.lower() == original.lower() for c in result.changes)
                                  for _, original in seeded[i])
        ours = [f for f in result.check.findings if f.start < clean_end]
        words += sum(t.is_word for t in tokenize(doc[:clean_end])) if seeded else result.check.words
        flagged += len(ours)
        pair_flags += sum(f.evidence[0].source == "lm-collocation" for f in ours)
        for f in ours:
            bins[min(int(f.confidence * 10), 9)] += 1
        for change in result.changes:
            if change.start >= clean_end:
                continue
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
        "seeds_restored": seeds_restored,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--fast", action="store_true", help="fast mode (Config(model=False))")
    parser.add_argument("--threads", type=int, default=None, help="context-model threads")
    parser.add_argument("--show", action="store_true", help="print the changes made")
    parser.add_argument("--part", choices=("report", "tune"), default="report", help="which held-out prose")
    parser.add_argument("--seeded", type=int, nargs="?", const=1, default=0, metavar="K",
                        help="end each document with a sentence holding K known tortured phrases (default 1)")
    args = parser.parse_args()
    engine = Engine(Config(model=not args.fast, threads=args.threads))
    mode = engine.mode
    docs = clean_documents(args.words, args.part)
    result = measure(engine, docs, seeds(len(docs), args.seeded) or None)
    result["mode"] = mode
    result["part"] = args.part
    result["words_per_s"] = result["words"] / result["seconds"]
    name = f"clean-{args.part}-{mode}" + ("-seeded" if args.seeded == 1 else f"-seeded{args.seeded}" if args.seeded else "")
    save(name, result)
    seeded = f"; each ended with {args.seeded} known tortured phrase(s), {result['seeds_restored']} of " \
        f"{args.seeded * len(docs)} restored" if args.seeded else ""
    print(f"## Do no harm (held-out Wikipedia summaries, `{args.part}` part, {mode} mode{seeded})\n")
    print(table(["documents", "words", "changed words", "per 1,000 words", "flags per 1,000", "pair flags per 1,000",
                 "seconds", "words/s"],
                [[result["documents"], result["words"], result["changed_words"], result["changed_per_1000"],
                  result["flagged_spans_per_1000"], result["pair_flags_per_1000"], round(result["seconds"], 1),
                  round(result["words_per_s"])]]))
    if args.show:
        print("\n" + "\n".join(result["examples"]))


if __name__ == "__main__":
    main()
