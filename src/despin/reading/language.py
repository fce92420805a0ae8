"""Is this text English?  A light check with wordfreq, no language-ID model.

despin's spin tables, fingerprints and language model are English; other
languages are reported as unsupported rather than "restored" into nonsense.
"""
from __future__ import annotations

import re
from functools import lru_cache

MIN_WORDS = 8  # below this, assume English: too little to judge
ENGLISH_SHARE = 0.5
MAX_TOKENS = 2000
COMMON_ZIPF = 3.0

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
_WINDOWS = 40  # long texts are sampled in this many evenly spread windows
_WINDOW_CHARS = 600

# Scripts used by essentially one language: naming it is trivial.
_SCRIPT_LANGS = (
    ((0x0370, 0x03FF), "el"),  # Greek
    ((0x0590, 0x05FF), "he"),  # Hebrew
    ((0x0E00, 0x0E7F), "th"),  # Thai
    ((0xAC00, 0xD7AF), "ko"),  # Hangul syllables
    ((0x1100, 0x11FF), "ko"),  # Hangul jamo
    ((0x3040, 0x30FF), "ja"),  # Hiragana and Katakana
    ((0x0530, 0x058F), "hy"),  # Armenian
    ((0x10A0, 0x10FF), "ka"),  # Georgian
)


@lru_cache(maxsize=200_000)
def _common(word: str) -> bool:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en") >= COMMON_ZIPF


def _sample_tokens(text: str) -> list[str]:
    if len(text) <= _WINDOWS * _WINDOW_CHARS * 2:
        tokens = _WORD.findall(text)
    else:
        tokens = []
        step = len(text) // _WINDOWS
        for w in range(_WINDOWS):
            window = text[w * step: w * step + _WINDOW_CHARS]
            found = _WORD.findall(window)
            if w:  # the first token may be cut
                found = found[1:]
            tokens.extend(found[:-1])  # so may the last
    if len(tokens) > MAX_TOKENS:
        stride = len(tokens) / MAX_TOKENS
        tokens = [tokens[int(i * stride)] for i in range(MAX_TOKENS)]
    return tokens


def _script_language(tokens: list[str]) -> str | None:
    counts: dict[str, int] = {}
    letters = 0
    for tok in tokens:
        ch = tok[0]
        letters += 1
        cp = ord(ch)
        if cp < 0x0370:
            continue
        for (lo, hi), lang in _SCRIPT_LANGS:
            if lo <= cp <= hi:
                counts[lang] = counts.get(lang, 0) + 1
                break
    if not counts:
        return None
    lang, n = max(counts.items(), key=lambda kv: kv[1])
    return lang if n >= 0.5 * letters else None


def detect_language(text: str) -> tuple[str, float]:
    """("en", share) when the text reads as English, else ("und", share).

    ``share`` is the fraction of sampled word tokens that are common English
    words (wordfreq Zipf frequency >= 3.0).  Texts under eight words are
    assumed English.  Where a script belongs to one language (Greek, Hebrew,
    Thai, Korean, Japanese kana, Armenian, Georgian) its code is returned
    instead of "und".
    """
    tokens = _sample_tokens(text)
    if not tokens:
        return "en", 0.0
    common = sum(1 for tok in tokens if _common(tok.lower().replace("\u2019", "'")))
    share = common / len(tokens)
    if len(tokens) < MIN_WORDS or share >= ENGLISH_SHARE:
        return "en", share
    return _script_language(tokens) or "und", share
