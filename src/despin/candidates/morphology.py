"""Inflection and capitals: a restoration takes the form of the word it replaces.

Lemmas and inflections come from lemminflect; no hand-written suffix rules.
"""
from __future__ import annotations

from functools import lru_cache

from lemminflect import getAllInflections, getAllLemmas, getInflection

# Words that stay lowercase inside a Title Case name ("Institute of Technology").
_MINOR_WORDS = frozenset("a an and as at but by for from in into nor of on or the to with".split())
_BASE_TAGS = frozenset(("NN", "VB", "VBP", "JJ", "RB", "NNP"))


def possessive(word: str) -> tuple[str, str]:
    """A lowercase word split from its closing "'s" ("courtroom's" -> "courtroom", "'s"), or the
    word and "" without one. Thesauri and mined swaps list bare words, so the options of
    "courtroom's" are those of "courtroom" with the ending put back. Short words before "'s"
    are contractions ("it's", "he's"), not owners, and so is "let's"."""
    if len(word) > 4 and word[-2:] in ("'s", "’s") and word[:-2] != "let":
        return word[:-2], word[-2:]
    return word, ""


def nominal(word: str) -> bool:
    """Whether a lowercase word may be a noun (or is unknown, as names are), and so an owner."""
    readings = analyses(word)
    return not readings or any(upos in ("NOUN", "PROPN") for upos, _, _ in readings)


@lru_cache(maxsize=200_000)
def analyses(word: str) -> tuple[tuple[str, str, str], ...]:
    """(upos, lemma, Penn tag) readings of a lowercase word, most specific first."""
    readings = []
    for upos, lemmas in getAllLemmas(word).items():
        for lemma in lemmas:
            for tag, forms in _all_inflections(lemma, upos):
                if word in forms:
                    readings.append((upos, lemma, tag))
    return tuple(readings)


@lru_cache(maxsize=200_000)
def lemmas(word: str) -> tuple[str, ...]:
    """Possible lemmas of a lowercase word, the word itself first."""
    found = [word]
    for _upos, lemma, _tag in analyses(word):
        if lemma not in found:
            found.append(lemma)
    return tuple(found)


def same_form(a: str, b: str) -> bool:
    """Whether two lowercase words may stand for each other as written: they share a form of a
    part of speech they share ("concealed", "hidden"), or share no part of speech ("immature",
    "developing"). Not "picture" and "images", which differ in number."""
    forms_a, forms_b = _forms(a), _forms(b)
    shared = {upos for upos, _ in forms_a} & {upos for upos, _ in forms_b}
    return not shared or bool(forms_a & forms_b)


def _forms(word: str) -> frozenset[tuple[str, str]]:
    # A past tense and a past participle read alike once they stand for another word.
    return frozenset((upos, "VBN" if tag == "VBD" else tag) for upos, _, tag in analyses(word))


@lru_cache(maxsize=500_000)
def inflect_like(candidate: str, spun: str, lemma: str | None = None) -> str:
    """Give a candidate lemma (possibly multi-word) the inflection the spun word carries.

    Only the last word of a multi-word candidate is inflected ("interest rate" -> "interest rates").
    `lemma`: the reading of the spun word the candidate is a synonym of. "handling" is a noun and
    the verb "handle" inflected; "process", a synonym of the verb, must become "processing".
    When the spun word's form cannot be read, the candidate is returned as it is.
    """
    readings = analyses(spun.lower())
    if lemma is not None and lemma != spun.lower():
        readings = tuple(r for r in readings if r[1] == lemma)
    elif any(tag in _BASE_TAGS and base == spun.lower() for _, base, tag in readings):
        return candidate  # a base form ("woodland" is also listed as a plural): nothing to carry over
    if not readings:
        return candidate
    head, _, last = candidate.rpartition(" ")
    for upos, _lemma, tag in readings:
        forms = _inflections(last, tag)
        if forms and _same_part_of_speech(last, upos):
            word = forms[0]
            return f"{head} {word}" if head else word
    return candidate


# lemminflect deep-copies its tables on every call; a word's options inflect hundreds of
# originals, and the words of fresh text share their lemmas, so these look-ups are remembered.
@lru_cache(maxsize=200_000)
def _inflections(lemma: str, tag: str) -> tuple[str, ...]:
    return tuple(getInflection(lemma, tag, inflect_oov=False) or ())


@lru_cache(maxsize=200_000)
def _all_inflections(lemma: str, upos: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((tag, tuple(forms)) for tag, forms in getAllInflections(lemma, upos).items())


@lru_cache(maxsize=200_000)
def _parts_of_speech(word: str) -> frozenset[str]:
    return frozenset(getAllLemmas(word))


def _same_part_of_speech(word: str, upos: str) -> bool:
    parts = _parts_of_speech(word)
    return upos in parts or not parts


def match_case(candidate: str, spun: str) -> str:
    """Carry the spun text's capitals over: UPPER, Title Case, Sentence case or as the candidate
    has it. A lowercase possessive ending leaves a text in capitals ("COURTROOM's" -> "COURT's")."""
    if spun[-2:] in ("'s", "’s") and candidate[-2:] in ("'s", "’s"):
        return match_case(candidate[:-2], spun[:-2]) + candidate[-2:]
    if spun.isupper() and len(spun) > 1:
        return candidate.upper()
    spun_words = spun.split()
    capitals = sum(w[:1].isupper() for w in spun_words)
    if len(spun_words) > 1 and spun_words[0][:1].isupper() and 2 * capitals > len(spun_words):
        return " ".join(
            w if _keeps_case(w) or (i and w in _MINOR_WORDS) else w[:1].upper() + w[1:]
            for i, w in enumerate(candidate.split())
        )
    if spun[:1].isupper():
        return candidate[:1].upper() + candidate[1:]
    if spun.islower():
        return " ".join(w if _keeps_case(w) else w.lower() for w in candidate.split())
    return candidate


def _keeps_case(word: str) -> bool:
    """Acronyms and mixed-case words ("MACS", "iPhone", "SARS-CoV") keep their own capitals; a
    compound of capitalised words ("Short-Term") is only Title Case, part by part."""
    return any(sum(c.isupper() for c in part) > 1 or (part[:1].islower() and any(c.isupper() for c in part))
               for part in word.split("-"))


@lru_cache(maxsize=1)
def _articles():
    import inflect  # only a restore that puts a word after "a" or "an" needs it

    return inflect.engine()


@lru_cache(maxsize=20_000)
def indefinite_article(word: str) -> str:
    """ "a" or "an", as the word is said: "a utility", "an hour", "an SVM"."""
    return _articles().a(word).split(" ", 1)[0].lower()
