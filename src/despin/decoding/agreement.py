"""A change's agreement with the words beside it: the article before it ("a" or "an") and a
bare possessive apostrophe after it ("consciousness'" -> "intelligence's")."""
from __future__ import annotations

import dataclasses
import re

from despin.candidates.morphology import indefinite_article
from despin.decoding.tokens import BLANK_LINE
from despin.types import Change


def agree_with_neighbours(text: str, change: Change, floor: int) -> Change:
    """The change, widened over the article before it and the apostrophe after it where the new
    wording needs them written otherwise; nothing before `floor` (the end of the previous
    change) is touched."""
    return _with_possessive(text, _with_article(text, change, floor))


_ARTICLE_BEFORE = re.compile(r"\b(an?|An?|AN)(\s+)$")
# How much white space may part the article from its word: a line wrapped and indented ("an\n
# irregular"), but never a blank line, past which the "a" ends a paragraph of its own.
_ARTICLE_GAP = 40
# What may stand before a sentence's "A", besides a line break (a heading or a bullet above).
_SENTENCE_OPENERS = ("", ".", "!", "?", ":", '"', "“", "”", "‘", "’", "(", "-", "*", "•", "–", "—")


def _with_article(text: str, change: Change, floor: int) -> Change:
    """The change, taking in the "a" or "an" just before it where its new first word is said
    with the other one ("a utility", "an hour", "an SVM": inflect's rules, by sound rather than
    letter), so that the article's fix is listed too. A capital "A" counts as an article only
    where a sentence or a line starts ("vitamin A" is a name) or in text written in capitals;
    nothing before `floor` (the end of the previous change) is touched."""
    found = _ARTICLE_BEFORE.search(text, max(floor, change.start - 2 - _ARTICLE_GAP), change.start)
    if not found or not change.new[:1].isalpha() or BLANK_LINE.search(found.group(2)):
        return change
    article, gap = found.group(1), found.group(2)
    shouting = len(change.old) > 1 and change.old.isupper()
    if article == "A" and not shouting and not _starts_sentence(text, found.start()):
        return change
    wanted = indefinite_article(change.new.split()[0])
    if article.lower() == wanted:
        return change
    if shouting or article == "AN":
        fixed = wanted.upper()
    else:
        fixed = wanted if article.islower() else wanted.capitalize()
    return dataclasses.replace(change, start=found.start(), old=text[found.start() : change.end],
                               new=fixed + gap + change.new)


def _starts_sentence(text: str, pos: int) -> bool:
    before = text[max(0, pos - 200) : pos]
    kept = before.rstrip()
    return "\n" in before[len(kept):] or "\r" in before[len(kept):] or kept[-1:] in _SENTENCE_OPENERS


_APOSTROPHES = ("'", "’")
_OPENING = {"'": re.compile(r"(?:^|(?<=[\s(\[]))'(?=[^\W\d_])"), "’": re.compile("‘")}
_CLOSING = {"'": re.compile(r"(?<=[^\W\d_])'(?![^\W\d_])"), "’": re.compile(r"’(?![^\W\d_])")}
_SENTENCE_END = re.compile(r"[.!?]\s|\n\s*\n")


def _with_possessive(text: str, change: Change) -> Change:
    """The change, taking in a bare apostrophe just after it where that apostrophe made the old
    last word, which ends in "s", an owner ("counterfeit consciousness' impact") and the new last
    word does not end in "s": a singular owner takes "'s" ("artificial intelligence's impact").
    The tokenizer leaves such an apostrophe outside the word, so the rewrite alone would leave
    "intelligence' impact". An apostrophe that closes a quotation is left alone."""
    mark = text[change.end : change.end + 1]
    if mark not in _APOSTROPHES or text[change.end + 1 : change.end + 2].isalnum():
        return change
    old, new = change.old.split(), change.new.split()
    if not old or not new or old[-1][-1:] not in ("s", "S") or not new[-1][-1:].isalpha() \
            or new[-1][-1:] in ("s", "S") or _closes_quotation(text, change.start, mark):
        return change
    ending = "S" if len(new[-1]) > 1 and new[-1].isupper() else "s"
    return dataclasses.replace(change, end=change.end + 1, old=text[change.start : change.end + 1],
                               new=change.new + mark + ending)


def _closes_quotation(text: str, pos: int, mark: str) -> bool:
    """Whether a quotation opened with the single quote that `mark` closes is still open at
    `pos`, within its sentence."""
    window = text[max(0, pos - 300) : pos + 1]  # with the span's first letter, which an opening quote precedes
    ends = list(_SENTENCE_END.finditer(window))
    if ends:
        window = window[ends[-1].end() :]
    opened = list(_OPENING[mark].finditer(window))
    if not opened:
        return False
    return not _CLOSING[mark].search(window, opened[-1].end())
