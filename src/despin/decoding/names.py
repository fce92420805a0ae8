"""Names rebuilt word by word are trusted only when the name they rebuild is a known one.

The channel may rebuild a capitalised name from thesaurus swaps of each of its words, which is
how "Massachusetts Institute of Know-how" would come back if no spun page had shown that swap.
The same freedom turns a name that was never spun into another: "Worldwide Financial Fund" became
"Global Financial Budget", a name nobody uses. So where two or more words of a name change, no
swap of the whole name was seen on spun pages and the acronym after it does not vouch for it,
the restoration must be a listed name or term (WordNet, a Wikipedia title, a known tortured
phrase's original); otherwise it is flagged, not rewritten.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from despin.decoding.channel import STOPWORDS
from despin.scoring.ngrams import PhraseTable
from despin.types import Evidence, Finding

# A name rebuilt into an unknown one is a flag: the cap of the engine's other flags.
NAME_CAP = 0.45
# Evidence that vouches for a rebuilt name on its own: the acronym after it spells it.
VOUCHING = frozenset({"acronym"})


def caution_names(findings: Sequence[Finding], phrases: PhraseTable) -> list[Finding]:
    """`findings` with restorations that rebuild a name into an unknown one flagged, not rewritten."""
    return [_cautious(f, phrases) for f in findings]


def _cautious(finding: Finding, phrases: PhraseTable) -> Finding:
    written = finding.text.split()
    if (finding.kind != "spin" or finding.restoration is None or finding.confidence <= NAME_CAP
            or len(written) < 2 or not _is_name(written)
            or any(e.source in VOUCHING for e in finding.evidence)):
        return finding
    chosen = next((a for a in finding.alternatives if a.text == finding.restoration), None)
    if chosen is not None and "spin-table-phrase" in chosen.sources:
        return finding  # the whole name was seen swapped on spun pages
    restored = finding.restoration.split()
    several = len(restored) != len(written) or sum(a.lower() != b.lower() for a, b in zip(written, restored)) >= 2
    if not several or phrases.is_term([w.lower() for w in restored]):
        return finding
    detail = (f'"{finding.restoration}" rebuilds the name "{finding.text}" word by word into one no list holds; '
              "flagged, not rewritten")
    return dataclasses.replace(finding, confidence=NAME_CAP, rewrite=False,
                               evidence=finding.evidence + (Evidence("name", detail, NAME_CAP),))


def _is_name(words: Sequence[str]) -> bool:
    """Capitalised words, function words between them allowed ("Institute of Technology")."""
    return words[0][:1].isupper() and words[-1][:1].isupper() and all(
        w[:1].isupper() or w.lower() in STOPWORDS for w in words)
