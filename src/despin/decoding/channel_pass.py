"""Fast mode's pass: the spans around word pairs the phrase counts never saw, scored by the
channel model and decoded greedily clause by clause."""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from despin.candidates.morphology import match_case, possessive
from despin.decoding.channel import STOPWORDS, ChannelModel, Request, Scored, as_listed
from despin.decoding.tokens import BLANK_LINE, Token
from despin.types import Alternative, Evidence, Finding, as_confidence

MAX_SPAN = 3
MAX_NAME_SPAN = 4
MIN_SPUN_ZIPF = 2.0  # 96% of the words spinners wrote in the dev rows are at least this common
MINED_RARE_SWAPS = 2  # ... and a rarer word counts as common enough once the spin table holds this many of its swaps
BATCH_SPANS = 2000  # spans scored together: enough to share the look-ups, few enough for memory
MAX_CLAUSE = 100  # words decoded as one clause; prose rarely runs longer without a comma


class ChannelPass:
    """The channel's findings in a text; also says which words a spinner may have written."""

    def __init__(self, channel: ChannelModel, calibration: tuple[float, float], min_confidence: float):
        self.channel = channel
        self.calibration = calibration  # (slope, midpoint) of the confidence curve; see Config
        self.min_confidence = min_confidence

    def findings(self, text: str, tokens: Sequence[Token]) -> list[Finding]:
        """The best restoration of each clause's suspicious spans that the channel scores as
        worth reporting (fast mode reports them; model mode has them judged)."""
        findings: list[Finding] = []
        batch: list[tuple] = []
        spans_in_batch = 0
        for clause in _clauses(text, tokens):
            lower = [t.lower for t in clause]
            spans = self._suspicious_spans(clause, lower)
            if spans:
                batch.append((clause, lower, spans, [t.text[:1].isupper() for t in clause]))
                spans_in_batch += len(spans)
            if spans_in_batch >= BATCH_SPANS:
                findings += self._decode_clauses(text, batch)
                batch, spans_in_batch = [], 0
        return findings + self._decode_clauses(text, batch)

    def _decode_clauses(self, text: str, clauses: Sequence[tuple]) -> list[Finding]:
        """Decode a batch of (clause, lowercase words, spans, capitalised) at once. Every span is
        first scored in its written context, all in one batch: most are never scored again,
        since few clauses have a restoration that changes a neighbour's context."""
        keys, requests = [], []
        for n, (_, lower, spans, capitalised) in enumerate(clauses):
            for first, last in spans:
                key = _span_key(first, last, lower, lower)
                keys.append((n, key))
                requests.append(_request(lower, capitalised, key))
        memos: list[dict] = [{} for _ in clauses]
        for (n, key), result in zip(keys, self.channel.score_spans(requests)):
            memos[n][key] = result
        findings = []
        for (clause, lower, spans, capitalised), memo in zip(clauses, memos):
            for result in self._decode_clause(lower, spans, capitalised, memo):
                findings.append(self._finding(text, result, clause))
        return findings

    def _decode_clause(self, lower: Sequence[str], spans: Sequence[tuple[int, int]],
                       capitalised: Sequence[bool], memo: dict[tuple, Scored | None]) -> list[Scored]:
        """Greedy decoding: accept the best span, let its restoration become its neighbours'
        context, and score again, so that "Home handed the invoice" is undone word by word.
        `memo` holds the scores already known, by (first, last, left word, right word)."""
        # What a neighbour sees of position i: its first word from the right, its last from the left.
        first_word = list(lower)
        last_word = list(lower)
        chosen: list[Scored] = []
        open_spans = list(spans)
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

    def _suspicious_spans(self, clause: Sequence[Token], lower: Sequence[str]) -> Iterable[tuple[int, int]]:
        """Spans touching a content word that sits in an unattested bigram."""
        n = len(lower)
        if n == 0:
            return []
        content = [_is_content(t, w) for t, w in zip(clause, lower)]
        spinnable = [c and self.spinnable(w) for c, w in zip(content, lower)]
        attested = self.channel.phrases.phrases(list(zip(lower, lower[1:]))) if n > 1 else []
        unseen_pair = [z != z for z in attested]  # NaN: never seen together
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

    def _finding(self, text: str, result: Scored, clause: Sequence[Token]) -> Finding:
        start, end = clause[result.first].start, clause[result.last].end
        spun = text[start:end]
        slope, midpoint = self.calibration
        confidence = as_confidence(1.0 / (1.0 + math.exp(-slope * (result.gain - midpoint))))
        alternatives = tuple(
            Alternative(match_case(words, spun), round(gain, 3), sources)
            for words, gain, sources in result.candidates
        )
        best = alternatives[0]
        evidence = (
            Evidence("channel", f"{', '.join(best.sources)} proposed \"{best.text}\"; the sentence "
                     f"reads {result.gain:.1f} log-units better with it", round(result.gain, 3)),
        )
        return Finding(
            start=start, end=end, text=spun, restoration=best.text, confidence=confidence,
            rewrite=confidence >= self.min_confidence, alternatives=alternatives,
            evidence=evidence,
        )



def _span_key(first: int, last: int, last_word: Sequence[str], first_word: Sequence[str]) -> tuple:
    """(first, last, left word, right word): a span in its context, where the word on its left
    is that neighbour's last word and the one on its right the next neighbour's first word."""
    left = last_word[first - 1] if first > 0 else None
    right = first_word[last + 1] if last + 1 < len(first_word) else None
    return first, last, left, right


def _request(lower: Sequence[str], capitalised: Sequence[bool], key: tuple) -> Request:
    first, last, left, right = key
    return Request(tuple(lower[first : last + 1]), left, right, first, last, all(capitalised[first : last + 1]))


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
