"""WordNet 3.0 from Debian's `wordnet-base`, read with NLTK's own reader.

Debian ships the database files but not the `lexnames` table that NLTK expects, and NLTK's
reader wants a mapping file for multilingual data that we never use; both are supplied here
so that nothing is fetched by NLTK's downloader.
"""
from __future__ import annotations

import io
import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

WORDNET_DIRS = (os.environ.get("DESPIN_WORDNET_DIR", ""), "/usr/share/wordnet")

# The 45 lexicographer files of WordNet 3.0, in their fixed order (lexnames(5WN)).
_LEXNAMES = (
    "adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute "
    "noun.body noun.cognition noun.communication noun.event noun.feeling noun.food noun.group "
    "noun.location noun.motive noun.object noun.person noun.phenomenon noun.plant "
    "noun.possession noun.process noun.quantity noun.relation noun.shape noun.state "
    "noun.substance noun.time verb.body verb.change verb.cognition verb.communication "
    "verb.competition verb.consumption verb.contact verb.creation verb.emotion verb.motion "
    "verb.perception verb.possession verb.social verb.stative verb.weather adj.ppl"
).split()
_LEXNAMES_FILE = "".join(
    f"{i:02d}\t{name}\t{ {'adj': 3, 'adv': 4, 'noun': 1, 'verb': 2}[name.split('.')[0]] }\n"
    for i, name in enumerate(_LEXNAMES)
)


class WordNetMissing(RuntimeError):
    pass


def wordnet_dir() -> Path:
    for candidate in WORDNET_DIRS:
        if candidate and (Path(candidate) / "data.noun").is_file():
            return Path(candidate)
    raise WordNetMissing(
        "WordNet 3.0 database not found in /usr/share/wordnet; install Debian's wordnet-base "
        "(make setup does) or set DESPIN_WORDNET_DIR"
    )


@lru_cache(maxsize=1)
def load_wordnet():
    """Return an NLTK WordNetCorpusReader over the Debian files (loaded once per process)."""
    import warnings

    import nltk.data
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    root = str(wordnet_dir())
    # NLTK refuses to read corpora outside its own search path.
    if root not in nltk.data.path:
        nltk.data.path.append(root)

    class _DebianWordNet(WordNetCorpusReader):
        def open(self, fileid):
            if fileid == "lexnames":
                return io.StringIO(_LEXNAMES_FILE)
            return super().open(fileid)

        def map_wn(self, version="oewn"):  # noqa: ARG002 - multilingual data is not used
            return None

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _DebianWordNet(root, None)


_FORMS_FILE = "wordnet-forms.txt"
# Forms as long as an acronym the rule in decoding/acronyms.py asks about may be, and no longer:
# the set stays small (the whole of WordNet's inflected forms would hold several times as many).
FORM_LETTERS = 8


@lru_cache(maxsize=1)
def wordnet_forms() -> frozenset[str]:
    """Every lowercase word of up to FORM_LETTERS letters that WordNet's `morphy` reads as a form
    of one of its words ("vectors", "tumor", "geese"), compiled once into the cache folder so that
    fast mode need not load the WordNet reader (150 MB) to ask."""
    from despin.cache import compiled_text

    return compiled_text(_FORMS_FILE, lambda: frozenset(_morphy_forms()), _lines, _words,
                         note="listing WordNet's word forms (once, a few seconds)...")


_COMPOUNDS_FILE = "wordnet-compounds.txt"


@lru_cache(maxsize=1)
def wordnet_compounds() -> frozenset[str]:
    """Every lowercase hyphenated word WordNet lists, in every form `morphy` reads
    ("creepy-crawlies", "cutting-edge"), compiled once into the cache folder."""
    from despin.cache import compiled_text

    return compiled_text(_COMPOUNDS_FILE, lambda: frozenset(_morphy_forms(_hyphenated)), _lines, _words,
                         note="listing WordNet's hyphenated words (once, a few seconds)...")


def _lines(words: frozenset[str]) -> str:
    return "\n".join(sorted(words))


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _short_word(form: str) -> bool:
    return form.isalpha() and form.islower() and len(form) <= FORM_LETTERS


def _hyphenated(form: str) -> bool:
    return "-" in form and form.islower() and all(part.isalpha() for part in form.split("-"))


def _morphy_forms(keep: Callable[[str], bool] = _short_word) -> set[str]:
    """The forms NLTK's `morphy` finds a lemma for, built the other way round: for each part of
    speech, its lemmas, the exception list's forms whose lemma is there, and each lemma with one
    of morphy's suffix rules undone (morphy applies a rule only to a form the exception list
    does not hold)."""
    reader = load_wordnet()
    files = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
    forms: set[str] = set()
    for pos, name in files.items():
        lemmas = set(reader.all_lemma_names(pos))
        exceptions: dict[str, list[str]] = {}
        with (wordnet_dir() / f"{name}.exc").open(encoding="utf-8") as handle:
            for line in handle:
                form, *bases = line.split()
                exceptions[form] = bases
        forms.update(lemmas)
        forms.update(form for form, bases in exceptions.items() if set(bases) & lemmas)
        for lemma in lemmas:
            for old, new in reader.MORPHOLOGICAL_SUBSTITUTIONS[pos]:
                if lemma.endswith(new):
                    form = lemma[: len(lemma) - len(new)] + old
                    if form not in exceptions:
                        forms.add(form)
    return {f for f in forms if keep(f)}
