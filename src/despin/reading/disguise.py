"""Words disguised from text-matching tools: invisible characters inside a word, and Cyrillic
letters that look like the Latin ones they stand in for.

"con<U+200B>sciousness" and "Сourtroom" (a Cyrillic С) read as ordinary words on a screen, but
match no list and no count table: copied text is disguised this way to slip past plagiarism
checkers. despin reads the plain letters (`unmask`), reports each disguised word, and maps
every offset back to the text as given, so that nothing outside a change moves.

Only what cannot be an English writer's own spelling is unmasked: a format character (Unicode
category Cf) between two Latin letters or digits (between Persian letters a zero-width non-joiner
is spelling), and a Cyrillic letter inside a part of a word (between hyphens) that also holds Latin
letters, where every such Cyrillic letter has a single ASCII lookalike (Unicode's confusables,
read by the confusable_homoglyphs package). A word wholly in Cyrillic is Russian, say, and is
left alone, and so is a Russian ending after a Latin acronym ("SMS-ах"); Greek letters are left
alone too, since science mixes them with Latin ("TNFα", "μm"). A soft hyphen is read through but
not reported: it is a typesetter's hint.
"""
from __future__ import annotations

import itertools
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache

import regex

from despin.types import Boilerplate, CheckResult, Disguise, Evidence

# A disguise can only be a run of letters (and format characters) that holds a format character
# or a Cyrillic letter: those are found first, so clean text costs one scan for them.
_MARK = regex.compile(r"[\p{Cf}\p{Script=Cyrillic}]+")
# A word's run takes in its inner hyphens and apostrophes ("х-beam", with a Cyrillic х, is one
# word), and digits: a number broken by a zero-width space no longer matches the number.
_RUN_BEFORE = regex.compile(r"(?r)[\p{L}\p{M}\p{N}\p{Cf}'’\-]*")  # matched backwards from a position
_RUN_AFTER = regex.compile(r"[\p{L}\p{M}\p{N}\p{Cf}'’\-]*")
_FORMAT = regex.compile(r"\p{Cf}")
_LATIN = regex.compile(r"\p{Script=Latin}")
_CYRILLIC = regex.compile(r"\p{Script=Cyrillic}")
_SOFT_HYPHEN = "\u00ad"
_PART = regex.compile(r"[^'’\-]+")


@dataclass(frozen=True)
class Unmasked:
    """The plain reading of a text, and how to find its offsets in the text as given."""

    text: str
    disguises: tuple[Disguise, ...]
    # Deletions, as (plain offset of the character after them, characters deleted so far):
    # a plain offset p stands at p + the count of the last entry at or before p.
    _shifts: tuple[tuple[int, int], ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.disguises) or bool(self._shifts)

    def raw(self, offset: int) -> int:
        """Where the character at plain `offset` is in the text as given."""
        i = bisect_right(self._shifts, (offset, float("inf"))) - 1
        return offset + (self._shifts[i][1] if i >= 0 else 0)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """A plain span's offsets in the text as given (characters hidden inside it included)."""
        return self.raw(start), self.raw(end - 1) + 1 if end > start else self.raw(start)

    def moved_back(self, start: int, end: int) -> tuple[int, int, tuple[Evidence, ...]]:
        """A plain span's offsets in the text as given, and the evidence that its words are read
        through disguises where it holds any (none, or one)."""
        start, end = self.raw_span(start, end)
        inside = []
        for d in itertools.islice(self.disguises, bisect_right(self._disguise_ends, start), None):
            if d.start >= end:
                break
            inside.append(d)
        return start, end, (evidence(inside),) if inside else ()

    @cached_property
    def _disguise_ends(self) -> list[int]:
        return [d.end for d in self.disguises]  # in text order, like their starts: they never overlap

    @cached_property
    def _dropped_from(self) -> list[int]:
        """Where each entry's dropped characters start in the text as given: they were dropped
        just before its plain offset, after those of the entries before it."""
        return [at + (self._shifts[k - 1][1] if k else 0) for k, (at, _) in enumerate(self._shifts)]

    def plain(self, offset: int) -> int:
        """Where the text as given at `offset` is in the plain reading: the characters dropped
        before it are not there."""
        starts = self._dropped_from
        k = bisect_right(starts, offset) - 1
        if k < 0:
            return offset
        before = self._shifts[k - 1][1] if k else 0
        return offset - before - min(offset - starts[k], self._shifts[k][1] - before)


def unmask(text: str) -> Unmasked:
    """`text` with disguised words read plainly (see the module's docstring)."""
    pieces: list[str] = []
    disguises: list[Disguise] = []
    shifts: list[tuple[int, int]] = []
    cursor = deleted = 0
    for start, end in _runs(text):
        word = text[start:end]
        plain, hidden, dropped = _plain_word(word)
        if plain == word:
            continue
        pieces.append(text[cursor:start])
        plain_start = start - deleted
        for position in dropped:  # offsets in the plain word of the characters after each deletion
            deleted += 1
            at = plain_start + position
            if shifts and shifts[-1][0] == at:
                shifts[-1] = (at, deleted)
            else:
                shifts.append((at, deleted))
        pieces.append(plain)
        cursor = end
        if hidden:
            disguises.append(Disguise(start, end, word, plain, tuple(hidden)))
    if not pieces:
        return Unmasked(text, ())
    pieces.append(text[cursor:])
    return Unmasked("".join(pieces), tuple(disguises), tuple(shifts))


def _runs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each word (a run of letters, digits, hyphens and apostrophes) that holds a
    format character or a Cyrillic letter."""
    end = 0
    for m in _MARK.finditer(text):
        if m.start() < end:
            continue  # inside the run just given
        start = _RUN_BEFORE.match(text, end, m.start()).start()
        end = _RUN_AFTER.match(text, m.start()).end()
        yield start, end


def _plain_word(word: str) -> tuple[str, list[str], list[int]]:
    """A run of letters read plainly: (the plain word, what was hidden in it, described, and the
    offset in the plain word after each character dropped)."""
    posing = _posing(word)
    mapped = bool(posing) and all(_latin_lookalike(word[i]) for i in posing)
    if not mapped and _FORMAT.search(word) is None:
        return word, [], []  # a word in Cyrillic, or one that mixes in a letter no Latin one resembles
    # A format character hides inside a word when the visible characters on both sides of it are
    # Latin letters or digits. Beside a hyphen it is typography (a word joiner keeping "-lih-"
    # whole, a break allowed after "rock-"); between Persian or Indic letters, spelling (a
    # zero-width non-joiner in "می‌خواهم").
    invisible = [_FORMAT.match(ch) is not None for ch in word]
    before = _nearest_visible(word, invisible)
    after = _nearest_visible(word[::-1], invisible[::-1])[::-1]
    out: list[str] = []
    hidden: list[str] = []
    dropped: list[int] = []
    for i, ch in enumerate(word):
        if invisible[i]:
            if _plain_side(before[i], mapped) and _plain_side(after[i], mapped):
                dropped.append(len(out))
                if ch != _SOFT_HYPHEN:
                    hidden.append(f"invisible U+{ord(ch):04X} {unicodedata.name(ch, 'FORMAT CHARACTER')}")
                continue
        elif mapped and i in posing:
            lookalike = _latin_lookalike(ch)
            hidden.append(f"Cyrillic {ch} (U+{ord(ch):04X}) for Latin {lookalike}")
            ch = lookalike
        out.append(ch)
    return "".join(out), list(dict.fromkeys(hidden)), dropped


def _posing(word: str) -> set[int]:
    """Where Cyrillic letters pose as Latin ones: in a part of the word (between hyphens and
    apostrophes) that also holds Latin letters ("Сourtroom"), or alone before a Latin part
    ("х-ray"). A Cyrillic part after a Latin one is a Russian ending ("SMS-ах", "PDF-е")."""
    posing: set[int] = set()
    parts = [(m.start(), m.group()) for m in _PART.finditer(word)]
    for k, (at, part) in enumerate(parts):
        cyrillic = [at + m.start() for m in _CYRILLIC.finditer(part)]
        if not cyrillic:
            continue
        if _LATIN.search(part) or (len(part) == 1 and k + 1 < len(parts) and _LATIN.search(parts[k + 1][1])):
            posing.update(cyrillic)
    return posing


def _plain_side(ch: str, mapped: bool) -> bool:
    """Whether a letter beside a format character is one an English word is written in."""
    return ch.isdigit() or _LATIN.match(ch) is not None or (mapped and _CYRILLIC.match(ch) is not None)


def _nearest_visible(word: str, invisible: list[bool]) -> list[str]:
    """For each position, the nearest visible character before it ("" at the start): one pass,
    since a hostile word may hold a million invisible characters."""
    nearest, last = [], ""
    for ch, hides in zip(word, invisible):
        nearest.append(last)
        if not hides:
            last = ch
    return nearest


@lru_cache(maxsize=512)
def _latin_lookalike(ch: str) -> str | None:
    """The one ASCII letter a Cyrillic letter is confusable with, if any."""
    from confusable_homoglyphs import confusables

    for found in confusables.is_confusable(ch, greedy=True, preferred_aliases=["latin"]) or ():
        for glyph in found["homoglyphs"]:
            if len(glyph["c"]) == 1 and glyph["c"].isascii() and glyph["c"].isalpha():
                return glyph["c"]
    return None


def evidence(disguises: Iterable[Disguise]) -> Evidence:
    """Why a span holding these disguised words, or a change writing one plainly, reads them as
    their plain letters."""
    hidden = "; ".join(dict.fromkeys(h for d in disguises for h in d.hidden))
    return Evidence("disguise", f"read through characters hidden from text matching ({hidden})", 1.0)


def report_in_raw(result: CheckResult, view: Unmasked, raw: str) -> CheckResult:
    """A check of the plain reading, told in the offsets and words of the text as given: each
    finding and piece of furniture moved back, a finding over a disguised word noted as such,
    and the disguised words listed."""
    findings = []
    for f in result.findings:
        start, end, noted = view.moved_back(f.start, f.end)
        findings.append(replace(f, start=start, end=end, text=raw[start:end], evidence=f.evidence + noted))
    boilerplate = []
    for b in result.boilerplate:
        start, end = view.raw_span(b.start, b.end)
        boilerplate.append(Boilerplate(start, end, raw[start:end], b.kind))
    return replace(result, findings=findings, boilerplate=boilerplate, disguises=list(view.disguises))
