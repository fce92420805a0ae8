"""Synonym-class canonical forms: a word and a thesaurus swap of it often share one form.

Each WordNet 3.0 lemma is mapped to the most frequent word among itself and every single-word
lemma of its synsets (ties broken alphabetically), so that "large" and "big" both become "big".
Inflected forms (lemminflect) map to the form of their lemma. The map is compiled once from the
installed WordNet files (about 15 s) and cached under the despin cache folder as a TSV file.
"""
from __future__ import annotations

import re
from collections import defaultdict

from despin.cache import compiled_text, model

CANON_VERSION = 1
_WORD = re.compile(r"^[a-z][a-z'\-]*$")


def _compile() -> dict[str, str]:
    from lemminflect import getAllInflections
    from wordfreq import zipf_frequency

    from despin.candidates.wordnet import load_wordnet

    wn = load_wordnet()
    neighbours: dict[str, set[str]] = defaultdict(set)
    for synset in wn.all_synsets():
        names = [n.lower() for n in synset.lemma_names()]
        names = [n for n in names if _WORD.match(n)]
        for name in names:
            neighbours[name].update(names)
    freq = {w: zipf_frequency(w, "en") for w in neighbours}

    def key(w: str) -> tuple[float, tuple[int, ...]]:
        return freq[w], tuple(-ord(c) for c in w)

    canon = {w: max(s | {w}, key=key) for w, s in neighbours.items()}
    forms: dict[str, str] = {}
    for lemma, rep in canon.items():
        for tags in getAllInflections(lemma).values():
            for form in tags:
                form = form.lower()
                if form not in canon:  # a lemma in its own right keeps its own class
                    forms.setdefault(form, rep)
    forms.update(canon)
    return {word: rep for word, rep in forms.items() if rep != word}


def _dump(forms: dict[str, str]) -> str:
    return "".join(f"{word}\t{forms[word]}\n" for word in sorted(forms))


def _parse(text: str) -> dict[str, str]:
    return dict(line.split("\t", 1) for line in text.splitlines())


def _load() -> dict[str, str]:
    return compiled_text(f"trace-canon-{CANON_VERSION}.tsv", _compile, _dump, _parse,
                         note="compiling synonym-class canonical forms from WordNet (once, about 15 s)")


def canon_table() -> dict[str, str]:
    """word (lowercase, any inflection) -> canonical form; words not in it are their own form."""
    return model("trace-canon", _load)
