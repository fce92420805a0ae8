"""Is this text English?  A light check with wordfreq, no language-ID model.

despin's spin tables, fingerprints and language model are English; other
languages are reported as unsupported rather than "restored" into nonsense.
"""
from __future__ import annotations

import re
from functools import lru_cache

MIN_WORDS = 8  # below this, assume English: too little to judge
ENGLISH_SHARE = 0.35  # spun English is full of odd word choices
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


# Frequent function words, for telling English from the European languages whose
# words wordfreq's English list also knows well (French and German texts can
# reach a 0.5 "common English" share on their own).  Words that are common in
# English too ("die", "in", "was", "will", ...) are left out of the English list.
_FUNCTION_WORDS = {
    "en": """the and of to that with for are this have has from by it they which would their
        been were not but be she you his its our these those because into than what when who
        about there can only other some such could should my your them been just""",
    "fr": """le la les des et est une dans pour avec que qui du au aux sur pas sont ce cette il
        elle ils nous vous mais ou par être été leur leurs ses comme où très aussi été avait""",
    "de": """der die und das ist nicht mit sich auf für dem den ein eine einen zu im von sie es
        auch des wird werden sind wurde bei nach aus oder wie nur noch über durch dass hat
        haben kann einem einer""",
    "es": """el la los las de del y que en un una es por con para se su sus al lo como más pero
        fue son está este esta entre muy también ya sin sobre""",
    "it": """il la le lo gli di del della che e è un una per con non sono si da dei delle nel
        nella al alla anche come più ma questo questa ha tra""",
    "pt": """o a os as de do da dos das e que em um uma para com não por se na no mais ao como mas
        foi são ele ela está também pelo pela""",
    "nl": """de het een en van in is dat op te zijn met voor niet aan er die ook als bij om maar
        door naar dan wordt worden heeft hebben werd deze nog wel""",
}
# Among the other languages' function words, these are also among English's commonest words
# (Zipf 5.4 and over): a short English text with a few "a"s had read as Portuguese, one with
# "is" and "in" as Dutch. They count for no language.
_ALSO_ENGLISH = frozenset("a as do no in is come per".split())
_FUNCTION_SETS = {lang: frozenset(words.split()) - (_ALSO_ENGLISH if lang != "en" else frozenset())
                  for lang, words in _FUNCTION_WORDS.items()}


def _function_word_counts(words: list[str]) -> dict[str, int]:
    return {lang: sum(1 for w in words if w in vocab) for lang, vocab in _FUNCTION_SETS.items()}


def detect_language(text: str) -> tuple[str, float]:
    """("en", share) when the text reads as English, else ("und" or a code, share).

    ``share`` is the fraction of sampled word tokens that are common English
    words (wordfreq Zipf frequency >= 3.0).  English needs ``share >= 0.5``
    and English function words at least as frequent as those of French,
    German, Spanish, Italian, Portuguese or Dutch.  Texts under eight words
    are assumed English.  A language is named instead of "und" only when that
    is easy: its function words clearly dominate, or its script belongs to one
    language (Greek, Hebrew, Thai, Korean, Japanese kana, Armenian, Georgian).
    """
    tokens = _sample_tokens(text)
    if not tokens:
        return "en", 0.0
    words = [tok.lower().replace("\u2019", "'") for tok in tokens]
    share = sum(1 for w in words if _common(w)) / len(words)
    if len(words) < MIN_WORDS:
        return "en", share
    counts = _function_word_counts(words)
    english = counts.pop("en")
    ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)
    (other, best), (_, second) = ranked[0], ranked[1]
    if share >= ENGLISH_SHARE and not (best >= 2 and best > english):
        return "en", share
    if best >= 3 and best > second and best > english:
        return other, share
    return _script_language(tokens) or "und", share
