"""An acronym after a phrase spells its original words: "pc incorporated assembling (CIM)".

Spinners swap words but leave acronyms alone, so where the words before an acronym no longer
start with its letters, the restoration that does spell it is the likelier one: of "sporadic
neural system (RNN)" the originals "random" and "recurrent" fit, "single" does not; of "focal
insight organization (CIA)", "agency" fits and "network" does not. The rule reorders the
candidates of spans already found, only where the words as written do not spell the
acronym, so clean text (whose acronyms match their words) is left as it was. Where one word
of the acronym's is not found by anything else and has an original that fits, it is flagged.

Where the acronym is a known one (candidates/expansions.py) and every word that differs from its
expansion has the expansion's word among its thesaurus originals, the words are restored to the
expansion whole, two-letter acronyms too: "machine mastering (ML)" is machine learning.
"""
from __future__ import annotations

import bisect
import dataclasses
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from wordfreq import zipf_frequency

from despin.candidates.expansions import Expansions, acronym_letters, in_capitals, initials, spells
from despin.candidates.morphology import inflect_like, lemmas, match_case
from despin.decoding.channel import STOPWORDS
from despin.decoding.tokens import Token
from despin.types import Alternative, Evidence, Finding

# The Screener's phrases (and pages that lose their capitals) write "rnn", "iot" and "cnn" in
# lower case; a lower-case token counts only if it is this rare and no WordNet word: "vector" and
# "tumor" are words, and trusting them as acronyms made "support" into "reinforce" before "vector".
LOWER_ACRONYM_ZIPF = 4.5
# How many letters an acronym has. Two are too few to go on: "second century BC" is not "back
# century", and of clean `report` prose such flags were all wrong.
LETTERS = (3, 6)
# A word no other evidence found, flagged because its original spells the acronym: a flag, not a
# rewrite (the cap of the engine's other flags).
FLAG_CONFIDENCE = 0.45
# Words restored to a known acronym's expansion, each changed word a thesaurus swap of the
# expansion's: the acronym, the name and the thesaurus agree.
EXPANSION_CONFIDENCE = 0.85
# The most words a known expansion has (the Internet Corporation for Assigned Names and Numbers).
EXPANSION_WORDS = 10
# The most words a mined phrase swap may write for one word of an expansion ("Financial
# institution" for "Bank"), and how many more words than the expansion's that lets the window hold.
RUN_WORDS = 3
EXTRA_WORDS = 4


@dataclass(frozen=True)
class Acronym:
    token: Token
    letters: str  # lower case, a plural "s" left out ("CVDs" -> "cvd")
    window: tuple[Token, ...]  # the words before it whose initials it should spell
    skips: bool  # whether function words in the window are left out of the spelling


@functools.lru_cache(maxsize=65536)
def _letters(text: str) -> str | None:
    """The letters of a token if it reads as an acronym."""
    if not text.isalpha() or not LETTERS[0] <= len(text) <= LETTERS[1] + 1:
        return None
    if in_capitals(text):
        letters = acronym_letters(text)  # "CVDs", "WSNs": a plural "s" left out
    elif text.islower() and zipf_frequency(text, "en") < LOWER_ACRONYM_ZIPF and not _in_wordnet(text):
        letters = text.removesuffix("s") if len(text) > 3 and text.endswith("s") else text
    else:
        return None
    return letters if LETTERS[0] <= len(letters) <= LETTERS[1] else None


def _in_wordnet(word: str) -> bool:
    from despin.candidates.wordnet import wordnet_forms

    # The forms morphy knows, listed once: asking the reader itself loaded it in fast mode.
    return word in wordnet_forms()


def find_acronyms(tokens: Sequence[Token]) -> list[list[Acronym]]:
    """Acronyms right after a run of words (an opening parenthesis may come between), each with
    its readings: the words it should spell, the shortest run ending there whose initials are
    as many as the acronym's letters, counting every word or leaving function words out."""
    found = []
    for i, token in enumerate(tokens):
        letters = _letters(token.text)
        if letters is not None:
            found.append(_windows(token, letters, _words_before(tokens, i, 2 * len(letters))))
    return [readings for readings in found if readings]


def _words_before(tokens: Sequence[Token], i: int, limit: int) -> list[Token]:
    """The run of up to `limit` words right before `tokens[i]` (an opening parenthesis may come
    between), in text order; none after a word in capitals, a heading rather than an acronym's
    words."""
    j = i - 1
    if j >= 0 and tokens[j].text == "(":
        j -= 1
    if j >= 0 and tokens[j].text.isupper():
        return []
    before: list[Token] = []
    while j >= 0 and tokens[j].is_word and len(before) < limit:
        before.append(tokens[j])
        j -= 1
    return before[::-1]


def _windows(token: Token, letters: str, before: Sequence[Token]) -> list[Acronym]:
    out = []
    for skips in (False, True):
        for size in range(1, len(before) + 1):
            window = tuple(before[-size:])
            spelled = initials([t.text for t in window], skips)
            if len(spelled) > len(letters):
                break
            # No acronym's words start with "of" or "the", or end with "or": "of the profound" is
            # not CNN, nor "called the pump or" CPB.
            if len(spelled) == len(letters) and window[0].lower not in STOPWORDS \
                    and window[-1].lower not in STOPWORDS:
                out.append(Acronym(token, letters, window, skips))
                break
    return out


def apply_acronyms(tokens: Sequence[Token], findings: Sequence[Finding],
                   originals: Callable[[str], Sequence[tuple[str, str]]]) -> list[Finding]:
    """`findings` with the candidates that spell an acronym put first, where the words before
    it as written do not spell it but would with the found spans restored, and at most one other
    word flagged for it: an acronym that only happens to follow some words ("the results of the
    advert hoc") changes nothing. `originals(word)` gives a word's candidate originals (text,
    source), best first: a one-word span none of whose candidates fits gets the best original
    that does. The findings come back in order of where they start."""
    # Sorted, so that each acronym looks only at the findings near it: over all of them, a
    # 1M-word text made this quadratic.
    out = sorted(findings, key=_start)
    for readings in find_acronyms(tokens):
        if any(initials([t.text for t in r.window], r.skips) == r.letters for r in readings):
            continue  # the words as written spell it
        # The reading that leaves the fewest words to explain: "security and defense policy"
        # is CSDP with "and" left out.
        acronym = max(readings, key=lambda r: sum(initials([t.text], r.skips) == _wanted(t.start, [t], r)
                                                  for t in r.window))
        window = acronym.window
        lo, hi = window[0].start, window[-1].end
        changed, covered = {}, set()
        # Findings do not overlap, so only the one starting just before the words can reach into them.
        near = range(max(0, bisect.bisect_left(out, lo, key=_start) - 1), bisect.bisect_left(out, hi, key=_start))
        for k in near:
            finding = out[k]
            if finding.start >= hi or finding.end <= lo:
                continue
            if finding.kind == "fingerprint" or finding.start < lo or finding.end > hi:
                break  # reaches past the words, or known: nothing to reorder here
            inside = [t for t in window if t.start >= finding.start and t.end <= finding.end]
            want = _wanted(finding.start, inside, acronym)
            if initials(finding.text.split(), acronym.skips) == want:
                continue  # as written it spells its part: the acronym says nothing against it
            spelled = _spelled(finding, inside, want, acronym, originals)
            if spelled.restoration is None or initials(spelled.restoration.split(), acronym.skips) != want:
                out[k] = _against(finding, acronym, want)
                break
            changed[k] = spelled
            covered.update(t.start for t in inside)
        else:
            # Words no span covers that do not start with their letter: one at most, and only
            # beside words that spell their part (as written or restored), is flagged with its
            # best original that fits. More would be the acronym's word against the text's.
            loose = [t for t in window if t.start not in covered
                     and initials([t.text], acronym.skips) != _wanted(t.start, [t], acronym)]
            if len(loose) > 1 or len(loose) == len(window) or any(t.lower in STOPWORDS for t in loose):
                continue
            added = [_spelled(Finding(start=t.start, end=t.end, text=t.text, restoration=None,
                                      confidence=FLAG_CONFIDENCE, rewrite=False),
                              [t], _wanted(t.start, [t], acronym), acronym, originals) for t in loose]
            if all(f.restoration is not None for f in added):
                for k, spelled in changed.items():
                    out[k] = spelled
                for flag in added:
                    bisect.insort(out, flag, key=_start)
    return out


def _against(finding: Finding, acronym: Acronym, want: str) -> Finding:
    """`finding`, flagged rather than rewritten if its restoration spells fewer of the acronym's
    letters than its words as written do: "Worldwide Financial Fund (IMF)" is not "Global
    Financial Investment", whatever else it is."""
    if finding.restoration is None:
        return finding
    written = initials(finding.text.split(), acronym.skips)
    restored = initials(finding.restoration.split(), acronym.skips)
    if _letters_in_place(restored, want) >= _letters_in_place(written, want):
        return finding
    detail = (f'the acronym "{acronym.token.text}" after these words: "{finding.restoration}" spells fewer of its '
              f'letters than "{finding.text}" does, so it is flagged, not rewritten')
    return dataclasses.replace(finding, rewrite=False, confidence=min(finding.confidence, FLAG_CONFIDENCE),
                               evidence=finding.evidence + (Evidence("acronym", detail, 0.0),))


def _letters_in_place(spelled: str, want: str) -> int:
    return sum(a == b for a, b in zip(spelled, want))


def _start(finding: Finding) -> int:
    return finding.start


def _wanted(start: int, words: Sequence[Token], acronym: Acronym) -> str:
    """The acronym's letters that `words`, the window's words from `start` on, should spell."""
    offset = len(initials([t.text for t in acronym.window if t.end <= start], acronym.skips))
    return acronym.letters[offset : offset + len(initials([t.text for t in words], acronym.skips))]


def _spelled(finding: Finding, inside: Sequence[Token], want: str, acronym: Acronym,
             originals: Callable[[str], Sequence[tuple[str, str]]]) -> Finding:
    def fits(text: str) -> bool:
        return initials(text.split(), acronym.skips) == want

    if not want or (finding.restoration is not None and fits(finding.restoration)):
        return finding
    alternatives = list(finding.alternatives)
    fitting = [a for a in alternatives if fits(a.text)]
    if not fitting and len(inside) == 1:
        word = inside[0]
        best = next(((text, source) for text, source in originals(word.lower)
                     if fits(text) and text.isalpha() and len(text) > 2 and text not in STOPWORDS), None)
        if best is not None:
            score = min((a.score for a in alternatives), default=0.0)
            fitting = [Alternative(match_case(best[0], word.text), score, (best[1], "acronym"))]
            alternatives = fitting + alternatives
    if not fitting:
        return finding
    chosen = fitting[0]
    alternatives = [chosen] + [a for a in alternatives if a is not chosen]
    words = " ".join(t.text for t in acronym.window)
    evidence = Evidence("acronym", f'the acronym "{acronym.token.text}" after "{words}" needs "{want}" here: '
                        f'"{chosen.text}" spells it, "{finding.text}" does not', 0.0)
    return dataclasses.replace(finding, restoration=chosen.text, alternatives=tuple(alternatives),
                               evidence=finding.evidence + (evidence,))


@functools.lru_cache(maxsize=65536)
def _known_letters(text: str) -> tuple[str, ...]:
    """The letters a token may stand for as a known acronym, two letters and up: "ML", "CVDs",
    and in lower case, as the Screener writes them, any word rarer than LOWER_ACRONYM_ZIPF ("atms":
    "atms" or "atm"). The dictionary decides which of them are acronyms."""
    if not text.isalpha() or not 2 <= len(text) <= 9:
        return ()
    if in_capitals(text):
        readings: tuple[str, ...] = (acronym_letters(text),)
    elif text.islower() and zipf_frequency(text, "en") < LOWER_ACRONYM_ZIPF:
        readings = (text, text[:-1]) if len(text) > 3 and text.endswith("s") else (text,)
    else:
        return ()
    return tuple(r for r in readings if 2 <= len(r) <= 8)  # as long as the compiled acronyms


def expand_acronyms(text: str, tokens: Sequence[Token], findings: Sequence[Finding], expansions: Expansions,
                    originals: Callable[[str], Sequence[tuple[str, str]]],
                    phrase_originals: Callable[[tuple[str, ...]], Iterable[str]] = lambda words: ()
                    ) -> list[Finding]:
    """`findings` with the words before a known acronym restored to its expansion, where the words
    as written do not spell the acronym and every word that differs from the expansion has the
    expansion's word among its originals (`originals`), or is a run of words that spinners are
    known to write for it (`phrase_originals`: the mined phrase swaps, "financial institution" for
    "bank"); the same words elsewhere in the text too, since a paper
    defines an acronym once and writes its words again. Findings inside those words give way to
    the one restoration; a known fingerprint, or a finding that reaches past the words, keeps them
    as they are. The findings come back in order of where they start."""
    out = sorted(findings, key=_start)
    words = [t for t in tokens if t.is_word]
    where: dict[str, list[int]] = {}
    placed: set[tuple] = set()  # (window's words, expansion): its repeats are placed already
    for i, token in enumerate(tokens):
        readings = _known_letters(token.text)
        if not readings or not any(expansions.of(letters) for letters in readings):
            continue
        before = _words_before(tokens, i, EXPANSION_WORDS + EXTRA_WORDS)
        if not before:
            continue
        expanded = _expanded(before, readings, expansions, originals, phrase_originals)
        if expanded is None:
            continue
        window, expansion, source, units = expanded
        # A paper writes "... (CNN)" many times: the first time placed every repeat, so a later
        # one only puts its own words' finding (told by its own acronym) in place.
        key = (tuple(t.lower for t in window), expansion)
        places = [window] if key in placed else [window, *_repeats(text, words, where, window)]
        placed.add(key)
        for place in places:
            out = _placed(out, _expansion_finding(text, token, place, window, expansion, source, units), place)
    return out


@dataclass(frozen=True)
class _Unit:
    """Words `lo` to `hi` (exclusive) of an expansion's window, written for its word `word`: as
    it is (`via` empty), or as a swap the thesaurus lists or spinners are known to make."""

    lo: int
    hi: int
    word: str
    via: str

    @property
    def changed(self) -> bool:
        return bool(self.via)


def _expanded(before: Sequence[Token], readings: Sequence[str], expansions: Expansions,
              originals: Callable[[str], Sequence[tuple[str, str]]],
              phrase_originals: Callable[[tuple[str, ...]], Iterable[str]]
              ) -> tuple[Sequence[Token], tuple[str, ...], str, list[_Unit]] | None:
    """(window, expansion, its source, the window's words aligned with the expansion's) for the
    first expansion of the acronym that the written words support, or None: also when the words
    as written, word for word, spell the acronym or are one of its expansions already (the
    author's own)."""
    for letters in readings:
        for words, source in expansions.of(letters):
            if len(words) <= len(before):
                written = tuple(t.lower for t in before[-len(words):])
                if spells(written, letters):
                    return None
                if all(_same_word(t, w) for t, w in zip(written, words)):
                    return None
            units = _aligned(before, words, originals, phrase_originals)
            if units is not None and any(u.changed for u in units):
                window = before[len(before) - units[-1].hi :]
                return window, words, source, units
    return None


def _aligned(before: Sequence[Token], words: Sequence[str], originals: Callable[[str], Sequence[tuple[str, str]]],
             phrase_originals: Callable[[tuple[str, ...]], Iterable[str]]) -> list[_Unit] | None:
    """The expansion's words aligned with the words that end `before`, each with one written word
    (the same word, or one that lists it among its originals) or a run of up to RUN_WORDS that
    spinners are known to write for it; one word for one where that aligns. Offsets count from
    the window's first word."""

    def via(run: Sequence[Token], word: str) -> str | None:
        """How `run` stands for `word`: as written (""), by which swap, or not at all (None)."""
        lower = tuple(t.lower for t in run)
        if len(run) == 1 and _same_word(lower[0], word):
            return ""
        if len(run) == 1 and _lists(originals(lower[0]), word):
            return "thesaurus"
        if len(run) > 1 and any(_same_word(original, word) for original in phrase_originals(lower)
                                if " " not in original):
            return "spin table"
        return None

    def align(end: int, left: int) -> list[tuple[int, int, str, str]] | None:
        """The last `left` expansion words aligned with runs ending at `before[end - 1]`."""
        if left == 0:
            return []
        for size in range(1, RUN_WORDS + 1):
            if size > end:
                break
            how = via(before[end - size : end], words[left - 1])
            if how is not None:
                rest = align(end - size, left - 1)
                if rest is not None:
                    return rest + [(end - size, end, words[left - 1], how)]
        return None

    found = align(len(before), len(words))
    if found is None:
        return None
    first = found[0][0]
    return [_Unit(lo - first, hi - first, word, how) for lo, hi, word, how in found]


def _repeats(text: str, words: Sequence[Token], where: dict[str, list[int]], window: Sequence[Token]
             ) -> list[Sequence[Token]]:
    """Other places where the window's words stand next to each other, in any capitals. `where`
    maps a lowercase word to its indices in `words`, filled on the first call."""
    if not where:
        for k, t in enumerate(words):
            where.setdefault(t.lower, []).append(k)
    wanted = [t.lower for t in window]
    found = []
    for k in where.get(wanted[0], ()):
        run = words[k : k + len(wanted)]
        if run[0].start != window[0].start and [t.lower for t in run] == wanted \
                and all(not text[a.end : b.start].strip() for a, b in zip(run, run[1:])):
            found.append(run)
    return found


def _placed(findings: list[Finding], finding: Finding, place: Sequence[Token]) -> list[Finding]:
    """`findings` with `finding` in place of those inside the words it restores (`place`: the
    expansion vouches for the unchanged ones too), unless one is a known fingerprint or reaches
    past them with a restoration of its own; a flag with nothing to restore gives way ("testing
    central", an odd pair, before "central bank digital currencies (CBDCs)")."""
    lo, hi = place[0].start, place[-1].end
    # `findings` are sorted by start and apart, so their ends are sorted too and those that
    # overlap the words are one run, found by bisection: a scan of all of them for each placed
    # finding (and a list rebuilt comparing every finding with those inside) made a text's
    # acronyms quadratic, 22 s of 120 on 2M characters read whole.
    stop = bisect.bisect_left(findings, hi, key=_start)
    first = stop
    while first > 0 and findings[first - 1].end > lo:
        first -= 1
    inside = findings[first:stop]
    if any(f.kind == "fingerprint" or (f.restoration is not None and (f.start < lo or f.end > hi))
           for f in inside):
        return findings
    same = [f for f in inside if (f.start, f.end) == (finding.start, finding.end)]
    if same:
        finding = dataclasses.replace(finding, alternatives=finding.alternatives + tuple(
            a for a in same[0].alternatives if a.text != finding.restoration and a not in finding.alternatives))
    out = findings[:first] + findings[stop:]
    bisect.insort(out, finding, key=_start)
    return out


def _same_word(written: str, word: str) -> bool:
    return written == word or bool(set(lemmas(written)) & set(lemmas(word)))


def _lists(options: Sequence[tuple[str, str]], word: str) -> bool:
    """Whether a word's originals hold `word` in some form."""
    wanted = set(lemmas(word))
    return any(text == word or wanted & set(lemmas(text)) for text, _ in options if " " not in text)


_SOURCE_NAMES = {"wordnet": "WordNet", "wikipedia": "a Wikipedia summary", "fingerprint": "a known tortured phrase"}


def _expansion_finding(text: str, token: Token, place: Sequence[Token], window: Sequence[Token],
                       expansion: Sequence[str], source: str, units: Sequence[_Unit]) -> Finding:
    """The finding that restores the changed words of `place`: the acronym's own window, or the
    same words elsewhere."""
    changed = [u for u in units if u.changed]
    written = {u.lo: text[place[u.lo].start : place[u.hi - 1].end] for u in changed}
    new = {u.lo: match_case(inflect_like(u.word, place[u.hi - 1].lower), written[u.lo]) for u in changed}
    lo, hi = changed[0].lo, changed[-1].hi
    pieces, cursor = [], place[lo].start
    for u in units:
        if u.hi <= lo or u.lo >= hi:
            continue
        for k in range(u.lo, u.hi):  # what stands between the words (a space, a line break) is kept
            if not u.changed or k == u.lo:
                pieces.append(text[cursor : place[k].start])
                pieces.append(new[k] if u.changed else place[k].text)
            cursor = place[k].end
    restoration = "".join(pieces)
    swaps = ", ".join(f'"{written[u.lo]}" -> "{new[u.lo]}" ({u.via})' for u in changed)
    stands = f'"{token.text}" stands for "{" ".join(expansion)}" ({_SOURCE_NAMES.get(source, source)})'
    if place is not window:
        line = text.count("\n", 0, token.start) + 1
        column = token.start - text.rfind("\n", 0, token.start)
        stands = f'the same words stand before "{token.text}" at {line}:{column}, and {stands}'
    evidence = Evidence("acronym", f"{stands}, and each swap is a known one: {swaps}", EXPANSION_CONFIDENCE)
    start, end = place[lo].start, place[hi - 1].end
    return Finding(start=start, end=end, text=text[start:end],
                   restoration=restoration, confidence=EXPANSION_CONFIDENCE, rewrite=True,
                   alternatives=(Alternative(restoration, 0.0, (source, "acronym")),), evidence=(evidence,))
