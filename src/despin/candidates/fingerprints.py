"""Known tortured-phrase fingerprints (Problematic Paper Screener) and their query semantics.

A fingerprint is a query such as `"surface region" AND "surface area"`, `"x" NOT "y"` or
`"gatherings clustering"~10`. Its first term is the tortured phrase; `AND` terms must also occur
in the document, `NOT` terms must not, and `~N` lets the phrase's words stand up to N words apart.
"""
from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from despin.candidates.morphology import lemmas
from despin.decoding.tokens import Token

DATA_FILE = "tortured-phrases.tsv"
_TERM = re.compile(r'"([^"]*)"(?:~(\d+))?|(AND|NOT)\b|([^"\s]+)')
# The Screener's notes in its expected column: a link, an ellipsis, alternatives, its query syntax.
_NO_SINGLE_ORIGINAL = re.compile(r"https?:|\.\.\.|…|/|\b(?:AND|NOT)\b|\"")
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*|\d+", re.UNICODE)


def words_of(text: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _WORD.findall(text))


@dataclass(frozen=True)
class Fingerprint:
    query: str
    phrase: tuple[str, ...]  # the tortured phrase, lowercase words
    proximity: int | None  # `~N`: the words may stand up to N words apart
    requires: tuple[tuple[str, ...], ...]  # AND terms
    excludes: tuple[tuple[str, ...], ...]  # NOT terms
    expected: str  # the established term, as the Screener writes it
    papers: int
    split: str

    @property
    def restoration(self) -> str:
        """The expected term without the Screener's annotations ("(BI)", "[context]", "?")."""
        text = re.sub(r"\[[^\]]*\]|\([^)]*\)|\?", " ", self.expected)
        return " ".join(text.split())

    @property
    def original(self) -> str | None:
        """The one wording to write back, or None where the Screener gives none: no original
        ("???"), a note with a link ("The word 'are' as in the conjugated verb 'be', see
        https://..."), alternatives ("infected/affected patients", "fog/mist/cloud computing";
        a term with a slash, "TCP/IP packet", cannot be told from them) or query words
        ("procedure AND ultimate/final density"). 308 of the 7,644 rows."""
        text = self.restoration.replace("\\", "").strip(' "“”')
        if not text.split() or _NO_SINGLE_ORIGINAL.search(text):
            return None
        return text


def parse_query(query: str) -> tuple[tuple[str, ...], int | None, list, list]:
    """Split a Screener query into its phrase, proximity, AND terms and NOT terms."""
    terms: list[tuple[str | None, tuple[str, ...], int | None]] = []
    operator: str | None = None
    loose: list[str] = []

    def flush_loose() -> None:
        nonlocal operator
        if loose:
            terms.append((operator, words_of(" ".join(loose)), None))
            loose.clear()
            operator = None

    for quoted, distance, op, bare in _TERM.findall(query):
        if op:
            flush_loose()
            operator = op
        elif bare:
            loose.append(bare)
        else:
            flush_loose()
            terms.append((operator, words_of(quoted), int(distance) if distance else None))
            operator = None
    flush_loose()
    if not terms or terms[0][0] is not None or not terms[0][1]:
        raise ValueError(f"not a fingerprint query: {query!r}")
    phrase, proximity = terms[0][1], terms[0][2]
    requires = [words for op, words, _ in terms[1:] if op == "AND" and words]
    excludes = [words for op, words, _ in terms[1:] if op == "NOT" and words]
    return phrase, proximity, requires, excludes


def load_fingerprints(splits: Iterable[str] = ("dev", "test")) -> tuple[Fingerprint, ...]:
    """The bundled fingerprint table's rows of the named splits. An engine reads the `dev` rows
    for its matcher, its spin table, its phrase table and its acronyms: the table is parsed once
    per process."""
    return _rows_of(frozenset(splits))


@lru_cache(maxsize=8)
def _rows_of(wanted: frozenset[str]) -> tuple[Fingerprint, ...]:
    return tuple(fp for fp in _read_fingerprints() if fp.split in wanted)


@lru_cache(maxsize=1)
def _read_fingerprints() -> tuple[Fingerprint, ...]:
    found = []
    with resources.files("despin.data").joinpath(DATA_FILE).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            phrase, proximity, requires, excludes = parse_query(row["fingerprint"])
            found.append(
                Fingerprint(
                    row["fingerprint"], phrase, proximity, tuple(requires), tuple(excludes),
                    row["expected"], int(row["papers"] or 0), row["split"],
                )
            )
    return tuple(found)


@dataclass(frozen=True)
class FingerprintHit:
    fingerprint: Fingerprint
    first: int  # index of the first word token of the match
    last: int  # index of the last word token (inclusive)


class FingerprintMatcher:
    """Finds every fingerprint whose query holds in a document."""

    def __init__(self, fingerprints: Sequence[Fingerprint]):
        self._by_first: dict[str, list[Fingerprint]] = defaultdict(list)
        for fp in fingerprints:
            self._by_first[fp.phrase[0]].append(fp)
        self.size = len(fingerprints)
        self.longest = max((len(fp.phrase) for fp in fingerprints), default=1)  # words

    def find(self, words: Sequence[Token], starts: Iterable[int] | None = None,
             document: Callable[[], str] | None = None) -> list[FingerprintHit]:
        """Every match in the document `words`, or only those starting at the indices `starts`
        (in order). `document` gives the whole document's words as " a b c " for the AND/NOT
        terms, where `words` are only a stretch of it."""
        lower = [w.lower for w in words]
        hits = []
        padded: str | None = None  # " a b c " for AND/NOT look-ups, built only when needed
        # Whether the document holds a term, looked for once per term: each look-up reads the
        # whole document, and a long text repeats its phrases (quadratic in its length).
        holds: dict[tuple[str, ...], bool] = {}

        def has(term: tuple[str, ...]) -> bool:
            found = holds.get(term)
            if found is None:
                found = holds[term] = f" {' '.join(term)} " in padded
            return found

        for i in range(len(lower)) if starts is None else starts:
            for fp in self._by_first.get(lower[i], ()):
                last = _match_at(lower, i, fp)
                if last is None:
                    continue
                if fp.requires or fp.excludes:
                    if padded is None:
                        padded = document() if document is not None else f" {' '.join(lower)} "
                    if not all(has(t) for t in fp.requires):
                        continue
                    if any(has(t) for t in fp.excludes):
                        continue
                hits.append(FingerprintHit(fp, i, last))
        return hits


POSSESSIVE = re.compile(r"(?:['’][sS]|(?<=[sS])['’])$")  # "consciousness's", "woodlands'"


def last_word_as_listed(written: str, listed: str) -> bool:
    """Whether a phrase's written last word is its listed last word, or a plural or possessive
    of it ("woodlands", "consciousness's"): the Screener lists each phrase once, as papers
    most often write it."""
    if written == listed:
        return True
    bare = POSSESSIVE.sub("", written)
    return bare == listed or (bare.endswith("s") and listed in lemmas(bare))


def _match_at(lower: Sequence[str], i: int, fp: Fingerprint) -> int | None:
    n = len(fp.phrase)
    if fp.proximity is None:
        last = i + n - 1
        if last >= len(lower) or tuple(lower[i:last]) != fp.phrase[:-1]:
            return None
        return last if last_word_as_listed(lower[last], fp.phrase[-1]) else None
    # Proximity: the remaining words, in any order, within N words after the first.
    window = lower[i + 1 : i + 1 + fp.proximity + n - 1]
    last = i
    for word in fp.phrase[1:]:
        try:
            last = max(last, i + 1 + window.index(word))
        except ValueError:
            return None
    return last
