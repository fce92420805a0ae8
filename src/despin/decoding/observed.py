"""Ordinary wordings that real spinners write for another wording ("in accordance with" for
"according to"): flagged only in a text already shown to be spun."""
from __future__ import annotations

from collections.abc import Sequence

from despin.candidates.morphology import match_case
from despin.decoding.channel import ChannelModel
from despin.decoding.tokens import Token
from despin.scoring.ngrams import PhraseTable
from despin.types import Alternative, Evidence, Finding

# An ordinary wording that spinners also write ("in accordance with") is flagged in a spun text
# but not rewritten by the frequencies alone: that confidence comes from clean-prose frequencies
# and an assumed swap rate, and no real spun pages were at hand to calibrate it. In model mode the
# rescorer's verdict, calibrated like any other span's, replaces it where it is surer.
OBSERVED_PHRASE_CAP = 0.45


def observed_phrases(channel: ChannelModel, text: str, tokens: Sequence[Token], covered: set[int],
                     min_confidence: float) -> list[Finding]:
    """In a text already shown to be spun: phrases that real spinners write for another
    wording although they are ordinary English ("in accordance with" for "according to").
    No pair of their words is odd, so only the document can raise the question; the answer
    weighs how often the original is spun into this phrase against how often the phrase is
    written as it stands (clean-prose frequencies)."""
    table = channel.table
    words = [t for t in tokens if t.is_word]
    lower = [t.lower for t in words]
    found = []
    i = 0
    while i < len(words):
        step = 1
        for n in range(min(table.max_phrase_len, len(words) - i), 1, -1):
            spun = tuple(lower[i : i + n])
            originals = table.phrases.get(spun)
            run = words[i : i + n]
            if (not originals or any(t.start in covered for t in run)
                    or any(text[a.end : b.start] != " " for a, b in zip(run, run[1:]))):
                continue
            original, count = originals.most_common(1)[0]
            source = "spin-table-middle" if (spun, original) in table.cut else "spin-table-phrase"
            swapped = count / (count + 1)  # share of the original's uses a spinner rewrites
            spin_rate = swapped * 10 ** _phrase_zipf(channel.phrases, tuple(original.split()))
            confidence = min(OBSERVED_PHRASE_CAP, spin_rate / (spin_rate + 10 ** _phrase_zipf(channel.phrases, spun)))
            start, end = run[0].start, run[-1].end
            restoration = match_case(original, text[start:end])
            evidence = Evidence(
                "observed-phrase",
                f'real spinners write this for "{original}" and this text reads as spun; ordinary '
                "English too, so this alone does not rewrite it",
                round(confidence, 3),
            )
            found.append(Finding(
                start=start, end=end, text=text[start:end], restoration=restoration,
                confidence=round(confidence, 4), rewrite=confidence >= min_confidence,
                alternatives=(Alternative(restoration, round(confidence, 3), (source,)),),
                evidence=(evidence,), kind="observed-phrase",
            ))
            step = n
            break
        i += step
    return found


def _phrase_zipf(phrases: PhraseTable, words: tuple[str, ...]) -> float:
    """Zipf frequency of a phrase, chained from its word pairs where it has more than two."""
    if len(words) == 1:
        return phrases.word(words[0])
    pairs = phrases.phrases(list(zip(words, words[1:])))
    # An unseen pair: rarer than anything counted.
    pairs = [float(z) if z == z else 0.0 for z in pairs]
    return sum(pairs) - sum(phrases.word(w) for w in words[1:-1])

# -- unseen spins ------------------------------------------------------------------------
