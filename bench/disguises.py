"""Disguised words: do they hide spin from despin, and does clean prose ever look disguised?

    python bench/disguises.py [--rows 3828]

Clean prose: every offline Wikipedia summary (all three parts, about 776k words); every word
reported as disguised is a false report.

Tortured phrases: the `test` rows in bench/tortured.py's carrier sentence, fast mode, with the
fingerprint list restricted to `dev` (so these phrases are unseen). Each row is checked as
written and again with the words of the phrase disguised, alternately by a zero-width space
after the first letter and by Cyrillic lookalikes for each Latin letter that has one (a, c, e,
o, p, x, y and some capitals), wherever the word allows it (see `disguise`). The two must find and restore the same rows; the last line
says what despin found in the disguised sentences before it read disguised words plainly.
"""
from __future__ import annotations

import argparse

from common import save, table
from tortured import CARRIER, _norm

from despin.candidates.fingerprints import load_fingerprints
from despin.decoding.engine import Config, Engine
from despin.reading.disguise import unmask
from despin.scoring.corpora import wiki_summaries

# Latin letters and the Cyrillic letters a disguise puts in their place.
LOOKALIKES = str.maketrans("aceopxyACEHKMOPTX", "асеорхуАСЕНКМОРТХ")


def disguise(phrase: str) -> str:
    """Each word disguised in one of the two ways despin reads, where the word allows it: a
    zero-width space needs letters on both sides, and Cyrillic lookalikes need a Latin letter
    left over (a word wholly in Cyrillic, such as a lone "а", is Cyrillic text, not a disguise)."""
    out = []
    for i, word in enumerate(phrase.split()):
        cyrillic = word.translate(LOOKALIKES)
        if i % 2 == 0 and word[:2].isalpha() and len(word) > 1:
            word = word[:1] + "\u200b" + word[1:]
        elif cyrillic != word and any(c.isascii() and c.isalpha() for c in cyrillic):
            word = cyrillic
        out.append(word)
    return " ".join(out)


def clean_prose() -> list[object]:
    words = reported = 0
    for part in ("build", "tune", "report"):
        for _title, text in wiki_summaries(part):
            words += len(text.split())
            reported += len(unmask(text).disguises)
    return [words, reported]


def tortured(rows: int) -> list[list[object]]:
    engine = Engine(Config(model=False, fingerprint_splits=("dev",)))
    test = [fp for fp in load_fingerprints(("dev", "test")) if fp.split == "test"][:rows]
    counts = {"as written": [0, 0], "disguised": [0, 0], "disguised, read as written": [0, None]}
    for row in test:
        phrase = " ".join(row.phrase)
        for name, written in (("as written", phrase), ("disguised", disguise(phrase))):
            text = CARRIER.format(written)
            lo = text.index(written)
            hi = lo + len(written)
            hits = [f for f in engine.check(text).findings if f.start < hi and f.end > lo]
            counts[name][0] += bool(hits)
            restored = engine.restore(text).text
            counts[name][1] += _norm(restored) == _norm(CARRIER.format(row.restoration))
            if name == "disguised":  # what despin found before it unmasked words
                counts["disguised, read as written"][0] += bool(engine._check(text, "<text>").findings)
    return [[name, len(test), f"{d / len(test):.3f}", "" if r is None else f"{r / len(test):.3f}"]
            for name, (d, r) in counts.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=None, help="only the first N `test` rows")
    args = parser.parse_args()
    words, reported = clean_prose()
    print("## Disguised words\n")
    print(table(["clean prose: words", "words reported as disguised"], [[words, reported]]))
    rows = tortured(args.rows or 10**6)
    print("\nUnseen tortured phrases (`test` rows, fast mode), as written and disguised\n")
    print(table(["phrase", "rows", "detected", "restored as expected"], rows))
    save("disguises", {"clean_words": words, "clean_reported": reported, "tortured": rows})


if __name__ == "__main__":
    main()
