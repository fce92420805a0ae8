"""Combining forms: the words that established hyphenated compounds share in one place.

A part that several compounds hold in the same place ("-dependent" in "age-dependent" and
"context-dependent", "-based", "low-") is how English builds compounds, not a word a spinner
chose. A spinner's part is a thesaurus word no compound shares ("low-commotion",
"semi-regulated", "k-close"). The compounds come from WordNet and the `build` part of the
offline Wikipedia summaries; the table is compiled once into the cache folder.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from functools import lru_cache

SHARED_BY = 2  # distinct compounds that make a part a combining form in its place
_FILE = "compound-parts-1.json"
_TWO_PARTS = re.compile(r"[^\W\d_]+-[^\W\d_]+")


@lru_cache(maxsize=1)
def combining_forms() -> tuple[frozenset[str], frozenset[str]]:
    """(first parts, last parts) that at least SHARED_BY distinct two-part compounds hold in
    that place, lowercase."""
    from despin.cache import compiled_text

    return compiled_text(_FILE, _compile, _dump, _load,
                         note="listing the parts that compounds share (once, about a second)...")


def _dump(forms: tuple[frozenset[str], frozenset[str]]) -> str:
    return json.dumps([sorted(forms[0]), sorted(forms[1])])


def _load(text: str) -> tuple[frozenset[str], frozenset[str]]:
    firsts, lasts = json.loads(text)
    return frozenset(firsts), frozenset(lasts)


def _compile() -> tuple[frozenset[str], frozenset[str]]:
    from despin.candidates.wordnet import wordnet_compounds
    from despin.scoring import corpora

    compounds = {w for w in wordnet_compounds() if w.count("-") == 1}
    for _, text in corpora.wiki_summaries("build"):
        compounds.update(_TWO_PARTS.findall(text.lower()))
    firsts, lasts = (Counter(compound.split("-")[place] for compound in compounds) for place in (0, 1))
    return (frozenset(w for w, n in firsts.items() if n >= SHARED_BY),
            frozenset(w for w, n in lasts.items() if n >= SHARED_BY))
