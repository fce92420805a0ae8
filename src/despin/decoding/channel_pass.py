"""Fast mode's pass: the spans around word pairs the phrase counts never saw, scored by the
channel model and decoded greedily clause by clause."""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np

from despin.candidates.compounds import combining_forms
from despin.candidates.morphology import match_case, possessive
from despin.decoding.channel import STOPWORDS, ChannelModel, Request, Scored, as_listed
from despin.decoding.spans import non_overlapping, offsets
from despin.decoding.tokens import BLANK_LINE, Token, hyphen_parts, rewritten
from despin.types import Alternative, Evidence, Finding, as_confidence

MAX_SPAN = 3
MAX_NAME_SPAN = 4
MIN_SPUN_ZIPF = 2.0  # 96% of the words spinners wrote in the dev rows are at least this common
MINED_RARE_SWAPS = 2  # ... and a rarer word counts as common enough once the spin table holds this many of its swaps
BATCH_SPANS = 2000  # spans scored together: enough to share the look-ups, few enough for memory
BATCH_CLAUSES = 2000  # clauses whose word pairs are looked up together
MAX_CLAUSE = 100  # words decoded as one clause; prose rarely runs longer without a comma
# Compounds of more parts are mostly identifiers in technical prose ("acquire-additional-files",
# "remote-free-fix" in git's release notes), and spinners' longer ones are whole mined phrases
# ("out-of-the-container"); every word swap in a compound of held-out `dev` rows that a part's
# options reach was in a compound of two.
MAX_COMPOUND_PARTS = 2
# Parts that only ever open a compound: a spinner swaps the word they are joined to, not them
# ("non-straight" for "non-linear"), and as words of their own they have synonyms ("post", "sub").
BOUND_PREFIXES = frozenset(
    "anti auto bi co counter cross de ex hyper inter intra macro meta micro mid mini mono multi neo non "
    "over poly post pre pro pseudo quasi re self semi sub super trans tri ultra un under".split()
)


class ChannelPass:
    """The channel's findings in a text; also says which words a spinner may have written."""

    def __init__(self, channel: ChannelModel, calibration: tuple[float, float], min_confidence: float):
        self.channel = channel
        self.calibration = calibration  # (slope, midpoint) of the confidence curve; see Config
        self.min_confidence = min_confidence

    def findings(self, text: str, tokens: Sequence[Token], known: Sequence[Finding] = ()) -> list[Finding]:
        """The best restoration of each clause's suspicious spans that the channel scores as
        worth reporting (fast mode reports them; model mode has them judged), and of the parts
        of hyphenated compounds, where they explain more than the whole words.

        The words of `known` findings (known phrases) open no span: a neighbour reads them as
        their restoration ("laptop imaginative and prescient" -> "computer vision"). A text of
        known phrases in capitals, each word a name's, had every span of every clause decoded
        as a name, at 100 words a second."""
        covered = offsets(known)
        ends = _restored_ends(known)
        findings: list[Finding] = []
        inside: list[Finding] = []
        # Clauses, and clauses cut out of compounds, waiting to be decoded a batch at a time.
        batch: list[_Clause] = []
        compounds: list[_Clause] = []
        spans_in_batch = spans_in_compounds = 0
        for clauses in _chunks(_clauses(text, tokens), BATCH_CLAUSES):
            lowers = [[t.lower for t in clause] for clause in clauses]
            for clause, lower, unseen in zip(clauses, lowers, self._unseen_pairs(lowers)):
                spans = self._suspicious_spans(clause, lower, unseen)
                if spans and covered:
                    spans = [(a, b) for a, b in spans if not any(t.start in covered for t in clause[a : b + 1])]
                if spans:
                    batch.append(_Clause(clause, lower, spans, [t.text[:1].isupper() for t in clause],
                                         *_neighbours_view(clause, lower, ends)))
                    spans_in_batch += len(spans)
                if spans_in_batch >= BATCH_SPANS:
                    findings += self._decode_clauses(text, batch)
                    batch, spans_in_batch = [], 0
                for cut in self._compound_clauses(clause):
                    if cut.compound.start in covered:
                        continue
                    compounds.append(cut)
                    spans_in_compounds += len(cut.spans)
                if spans_in_compounds >= BATCH_SPANS:
                    # A compound's parts, read with the words beside it, may explain more than
                    # the whole words did ("semi-regulated methodologies" against
                    # "methodologies" -> "methods").
                    inside += self._decode_clauses(text, compounds)
                    compounds, spans_in_compounds = [], 0
        findings += self._decode_clauses(text, batch)
        inside += self._decode_clauses(text, compounds)
        return sorted(non_overlapping(findings + inside, key=lambda f: (-f.confidence, f.start)), key=lambda f: f.start)

    def _compound_clauses(self, clause: Sequence[Token]) -> list[_Clause]:
        """Each hyphenated compound of a clause that a spinner may have written part by part
        ("non-straight" for "non-linear", "semi-regulated methodologies" for "semi-supervised
        methods"), cut into its parts between two of the clause's words on either side, as a
        clause of its own for _decode_clauses. A span takes in a part, never a bound prefix or a
        combining form, and at most one word beyond the compound on either side. The channel
        reads a compound as one word, which no thesaurus lists."""
        found = []
        for k, token in enumerate(clause):
            parts = _spinnable_parts(token, opens=k == 0)
            if parts is None:
                continue
            before = clause[max(0, k - 2) : k]
            words = before + parts + clause[k + 1 : k + 3]
            lower = [t.lower for t in words]
            lo, hi = len(before), len(before) + len(parts) - 1
            kept = _kept_parts(lower[lo : hi + 1], lo)
            spans = [(first, last) for first, last in self._suspicious_spans(words, lower)
                     if lo - 1 <= first <= hi and lo <= last <= hi + 1
                     and not kept.intersection(range(first, last + 1))]
            if spans:
                found.append(_Clause(words, lower, spans, [t.text[:1].isupper() for t in words], lower, lower, token))
        return found

    def _decode_clauses(self, text: str, clauses: Sequence[_Clause]) -> list[Finding]:
        """Decode a batch of clauses at once. Every span is first scored in its written context,
        all in one batch: most are never scored again, since few clauses have a restoration that
        changes a neighbour's context. A clause cut out of a compound reports its findings as
        the whole compound."""
        keys, requests = [], []
        for n, c in enumerate(clauses):
            for first, last in c.spans:
                key = _span_key(first, last, c.last_word, c.first_word)
                keys.append((n, key))
                requests.append(_request(c.lower, c.capitalised, key))
        memos: list[dict] = [{} for _ in clauses]
        for (n, key), result in zip(keys, self.channel.score_spans(requests)):
            memos[n][key] = result
        findings = []
        for c, memo in zip(clauses, memos):
            for result in self._decode_clause(c, memo):
                if c.compound is not None:
                    result = _within_compound(text, result, c.words, c.compound)
                if result is not None:
                    findings.append(self._finding(text, result, c.words, c.compound))
        return findings

    def _decode_clause(self, clause: _Clause, memo: dict[tuple, Scored | None]) -> list[Scored]:
        """Greedy decoding: accept the best span, let its restoration become its neighbours'
        context, and score again, so that "Home handed the invoice" is undone word by word.
        `memo` holds the scores already known, by (first, last, left word, right word)."""
        lower, capitalised = clause.lower, clause.capitalised
        first_word = list(clause.first_word)
        last_word = list(clause.last_word)
        chosen: list[Scored] = []
        open_spans = list(clause.spans)
        while open_spans:
            keys = [_span_key(first, last, last_word, first_word) for first, last in open_spans]
            # Every span not yet scored in its current context, all in one batch.
            todo = list(dict.fromkeys(key for key in keys if key not in memo))
            if todo:
                memo.update(zip(todo, self.channel.score_spans([_request(lower, capitalised, key) for key in todo])))
            best = None
            for key in keys:
                result = memo[key]
                if result is not None and (best is None or result.gain > best.gain):
                    best = result
            if best is None:
                break
            chosen.append(best)
            restored = best.candidates[0][0].split()
            first_word[best.first], last_word[best.last] = restored[0], restored[-1]
            open_spans = [(f, l) for f, l in open_spans if l < best.first or f > best.last]
        return chosen

    def _unseen_pairs(self, lowers: Sequence[Sequence[str]]) -> list[list[bool]]:
        """For each clause of lowercase words, whether each pair of neighbours was never seen
        together, all clauses in one look-up."""
        pairs = [pair for lower in lowers for pair in zip(lower, lower[1:])]
        unseen = np.isnan(self.channel.phrases.phrases(pairs)).tolist() if pairs else []
        result, at = [], 0
        for lower in lowers:
            count = max(len(lower) - 1, 0)
            result.append(unseen[at : at + count])
            at += count
        return result

    def _suspicious_spans(self, clause: Sequence[Token], lower: Sequence[str],
                          unseen_pair: Sequence[bool] | None = None) -> Iterable[tuple[int, int]]:
        """Spans touching a content word that sits in an unattested bigram; `unseen_pair`:
        whether each pair of neighbours was never seen together, when already known."""
        n = len(lower)
        if n == 0:
            return []
        content = [_is_content(t, w) for t, w in zip(clause, lower)]
        spinnable = [c and self.spinnable(w) for c, w in zip(content, lower)]
        if unseen_pair is None:
            unseen_pair = self._unseen_pairs([lower])[0]
        odd = [False] * n
        for i, unseen in enumerate(unseen_pair):
            if unseen and (content[i] or content[i + 1]):
                odd[i] = odd[i] or spinnable[i]
                odd[i + 1] = odd[i + 1] or spinnable[i + 1]
        if n == 1:
            odd[0] = spinnable[0]
        spans = set()
        for i in range(n):
            if not odd[i]:
                continue
            for first in range(max(0, i - MAX_NAME_SPAN + 1), i + 1):
                for last in range(i, min(n, first + MAX_NAME_SPAN)):
                    if (content[first] and content[last]
                            and self._plausible_span(clause, lower, unseen_pair, first, last)):
                        spans.add((first, last))
        return sorted(spans)

    def spinnable(self, lower: str) -> bool:
        """Whether a spinner may have written this word. Spinners write thesaurus words, and
        thesaurus words are seldom rare: a rare word in an unseen pair is far more often a
        genuine technical term than a swap, unless spinners are known to write it ("exactness"
        for "accuracy", Zipf 1.99, mined 9 times). Function words are left alone."""
        lower = possessive(lower)[0]
        if len(lower) < 2 or lower in STOPWORDS:
            return False
        return (self.channel.phrases.word(lower) >= MIN_SPUN_ZIPF
                or self.channel.table.times_spun(lower) >= MINED_RARE_SWAPS)

    def locked_name(self, token: Token, lower: str, opens: bool) -> bool:
        """A capitalised word that does not open its clause or sentence is a name: only a swap
        seen on real spun pages ("Home" for "House") may change it on its own."""
        return not opens and token.text[:1].isupper() and not self.channel.table.word_candidates(possessive(lower)[0])

    def _plausible_span(self, clause: Sequence[Token], lower: Sequence[str], unseen_pair: Sequence[bool],
                        first: int, last: int) -> bool:
        """A multi-word span must be a capitalised name, a known multi-word swap, or hold an unseen
        pair inside; beyond two words it may also hold a function word in the middle ("rates of
        interest")."""
        if first == last:
            return not self.locked_name(clause[first], lower[first], first == 0)
        if all(t.text[:1].isupper() for t in clause[first : last + 1]):
            return True
        phrases = self.channel.table.phrases
        span = lower[first : last + 1]
        if last - first == 1:
            return unseen_pair[first] or as_listed(span, phrases)[0] in phrases
        if last - first < MAX_SPAN and any(w in STOPWORDS for w in lower[first + 1 : last]):
            return True
        return as_listed(span, phrases)[0] in phrases

    def _finding(self, text: str, result: Scored, clause: Sequence[Token], compound: Token | None = None) -> Finding:
        """The finding of a decoded span; for a span inside a compound, of the whole compound,
        whose restorations _within_compound has already written out whole."""
        start, end = clause[result.first].start, clause[result.last].end
        if compound is not None:
            start, end = min(start, compound.start), max(end, compound.end)
        spun = text[start:end]
        slope, midpoint = self.calibration
        confidence = as_confidence(1.0 / (1.0 + math.exp(-slope * (result.gain - midpoint))))
        alternatives = tuple(
            Alternative(match_case(words, spun), round(gain, 3), sources)
            for words, gain, sources in result.candidates
        )
        best = alternatives[0]
        evidence = (
            Evidence("channel", f"{', '.join(best.sources)} proposed \"{best.text}\""
                     f"{' (the compound part by part)' if compound is not None else ''}; the sentence "
                     f"reads {result.gain:.1f} log-units better with it", round(result.gain, 3)),
        )
        return Finding(
            start=start, end=end, text=spun, restoration=best.text, confidence=confidence,
            rewrite=confidence >= self.min_confidence, alternatives=alternatives,
            evidence=evidence,
        )



class _Clause(NamedTuple):
    """A run of words to decode, with the spans to score in it."""

    words: Sequence[Token]
    lower: Sequence[str]
    spans: Sequence[tuple[int, int]]
    capitalised: Sequence[bool]
    # What a neighbour sees of each position: its first word from the right, its last from
    # the left (a known phrase's restoration, else the word as written).
    first_word: Sequence[str]
    last_word: Sequence[str]
    compound: Token | None = None  # the compound this clause was cut out of


def _restored_ends(known: Sequence[Finding]) -> tuple[dict[int, str], dict[int, str]]:
    """The first word of each known restoration, by where its finding starts, and its last, by
    where it ends (lowercase)."""
    firsts, lasts = {}, {}
    for f in known:
        words = (f.restoration or "").lower().split()
        if words:
            firsts[f.start], lasts[f.end] = words[0], words[-1]
    return firsts, lasts


def _neighbours_view(clause: Sequence[Token], lower: Sequence[str],
                     ends: tuple[dict[int, str], dict[int, str]]) -> tuple[Sequence[str], Sequence[str]]:
    """_Clause.first_word and .last_word: the words as written, with known restorations where
    they start and end."""
    firsts, lasts = ends
    if not firsts:
        return lower, lower
    return ([firsts.get(t.start, w) for t, w in zip(clause, lower)],
            [lasts.get(t.end, w) for t, w in zip(clause, lower)])


def _spinnable_parts(token: Token, opens: bool) -> list[Token] | None:
    """The parts of a hyphenated compound that a spinner may have written part by part, or None.
    Not a compound WordNet lists ("well-known", "cutting-edge": English as it is), nor a name
    ("Jean-Paul"): a capital is allowed on the first part where the compound opens its clause,
    and on an acronym ("RNA-subordinate" for "RNA-dependent")."""
    if "-" not in token.text:
        return None
    parts, _ = hyphen_parts([token])
    if len(parts) > MAX_COMPOUND_PARTS:
        return None
    for n, part in enumerate(parts):
        if part.text[:1].isupper() and not part.text.isupper() and not (n == 0 and opens):
            return None
    from despin.candidates.wordnet import wordnet_compounds

    return None if token.lower in wordnet_compounds() else parts


def _kept_parts(parts: Sequence[str], at: int) -> set[int]:
    """Positions (from `at`) of a compound's parts that stay as written: bound prefixes, and
    combining forms, which other compounds share in the same place. "data-dependent methods"
    read as "data-based methods" at 0.87 before (the spin table holds "dependent on" for "based
    on"), since the web counts hold no hyphenated words but do hold "data based"."""
    firsts, lasts = combining_forms()
    return {at + n for n, part in enumerate(parts)
            if part in BOUND_PREFIXES or part in (firsts if n == 0 else lasts)}


def _within_compound(text: str, result: Scored, clause: Sequence[Token], compound: Token) -> Scored | None:
    """A span decoded among a compound's parts, with each restoration written over the whole
    compound and the words beyond it that the span takes in: each word in place of the one it
    restores, hyphens and spaces as they were ("non-" + "linear" + " " + "transformation"). A
    restoration of another length than its span fits only where the span is the whole compound,
    which it then replaces as it reads; None where no restoration is left."""
    span = clause[result.first : result.last + 1]
    start, end = min(span[0].start, compound.start), max(span[-1].end, compound.end)
    whole = (span[0].start, span[-1].end) == (compound.start, compound.end)
    candidates = []
    for words, gain, sources in result.candidates:
        restored = words.split(" ")
        if len(restored) == len(span):
            changes = [(t.start, t.end, new) for t, new in zip(span, restored)]
            candidates.append((rewritten(text, start, end, changes), gain, sources))
        elif whole:
            candidates.append((words, gain, sources))
    if not candidates:
        return None
    return dataclasses.replace(result, candidates=candidates)


def _span_key(first: int, last: int, last_word: Sequence[str], first_word: Sequence[str]) -> tuple:
    """(first, last, left word, right word): a span in its context, where the word on its left
    is that neighbour's last word and the one on its right the next neighbour's first word."""
    left = last_word[first - 1] if first > 0 else None
    right = first_word[last + 1] if last + 1 < len(first_word) else None
    return first, last, left, right


def _request(lower: Sequence[str], capitalised: Sequence[bool], key: tuple) -> Request:
    first, last, left, right = key
    return Request(tuple(lower[first : last + 1]), left, right, first, last, all(capitalised[first : last + 1]))


def _chunks(items: Iterable, size: int) -> Iterable[list]:
    """Consecutive lists of `size` items (the last one shorter)."""
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _is_content(token: Token, lower: str) -> bool:
    return token.is_word and len(lower) > 1 and lower not in STOPWORDS


def _clauses(text: str, tokens: Sequence[Token]) -> Iterable[list[Token]]:
    """Runs of word tokens not broken by punctuation, numbers or a blank line (a heading or a
    paragraph without a full stop is no clause with the next), cut at `MAX_CLAUSE` words:
    a long run with no punctuation at all (a word list, a crawl's stripped markup) would
    otherwise be decoded whole, in memory that grows with its length."""
    run: list[Token] = []
    for token in tokens:
        if token.is_word and run and (len(run) >= MAX_CLAUSE or BLANK_LINE.search(text, run[-1].end, token.start)):
            yield run
            run = []
        if token.is_word:
            run.append(token)
        else:
            if run:
                yield run
            run = []
    if run:
        yield run
