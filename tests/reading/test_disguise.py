import random

import pytest

from despin.reading.disguise import unmask

ZWSP, ZWNJ, SHY = "\u200b", "\u200c", "\u00ad"


def test_clean_text_is_read_as_it_is():
    text = "Plain prose, with “curly quotes”, naïve café words and a dash — nothing hidden."
    view = unmask(text)
    assert view.text == text and not view.changed and view.disguises == ()


@pytest.mark.parametrize("raw, plain, hidden", [
    (f"con{ZWSP}sciousness", "consciousness", ("invisible U+200B ZERO WIDTH SPACE",)),
    (f"wo{ZWSP}{ZWNJ}od", "wood", ("invisible U+200B ZERO WIDTH SPACE", "invisible U+200C ZERO WIDTH NON-JOINER")),
    ("\u0421ourtroom", "Courtroom", ("Cyrillic \u0421 (U+0421) for Latin C",)),
    ("19\u200b29", "1929", ("invisible U+200B ZERO WIDTH SPACE",)),  # a number is a word too
    ("\u0445-beam", "x-beam", ("Cyrillic \u0445 (U+0445) for Latin x",)),  # a compound is one word
    ("c\u043e\u043enn\u0435ct", "coonnect", ("Cyrillic \u043e (U+043E) for Latin o", "Cyrillic \u0435 (U+0435) for Latin e")),
])
def test_disguised_words_are_read_plainly_and_reported(raw, plain, hidden):
    text = f"The {raw} stays."
    view = unmask(text)
    assert view.text == f"The {plain} stays."
    [d] = view.disguises
    assert (d.start, d.end, d.text, d.plain, d.hidden) == (4, 4 + len(raw), raw, plain, hidden)


@pytest.mark.parametrize("text", [
    "Москва is the capital of Russia.",       # a word wholly in Cyrillic is Russian, not a disguise
    "A Москва-based firm.",                    # к and в look like no ASCII letter
    "TNFα and IFNγ levels rose by 5 μm.",     # science mixes Greek with Latin
    "A word\u200b between words, \ufeffat the edge.",  # not inside a word
    "Courtrжom",                              # ж looks like no Latin letter: not a disguise
    "Kaolinite (KAY-ə-lə-nyte, -\u2060lih-)",  # typography beside a hyphen
    "The poet wrote \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 once.",  # Persian spells with a non-joiner
    "в SMS-ах и в PDF-е",                      # Russian endings after a Latin acronym
    "Курс-AI",                                 # a Russian word before a Latin one
])
def test_what_a_writer_may_write_is_not_unmasked(text):
    view = unmask(text)
    assert view.text == text and view.disguises == ()


def test_a_soft_hyphen_is_read_through_but_not_reported():
    view = unmask(f"an irregular wood{SHY}land")
    assert view.text == "an irregular woodland"
    assert view.changed and view.disguises == ()


def test_every_plain_word_maps_back_to_its_disguised_form():
    rng = random.Random(7)
    words = "the supreme court ruled that the world bank must publish its rates of interest".split()
    disguised = ["".join(c + (rng.choice([ZWSP, ZWNJ, SHY, ""]) if i < len(w) - 1 else "") for i, c in enumerate(w))
                 for w in words]
    raw = " ".join(disguised)
    view = unmask(raw)
    assert view.text == " ".join(words)
    at = 0
    for word, original in zip(words, disguised):
        start = view.text.index(word, at)
        at = start + len(word)
        a, b = view.raw_span(start, at)
        assert raw[a:b] == original


def test_every_offset_as_given_has_its_place_in_the_plain_reading():
    rng = random.Random(11)
    for _ in range(300):
        raw = "".join(rng.choice(["a", "b", "-", " ", ZWSP, ZWSP + ZWNJ, "\u043e"]) for _ in range(rng.randint(1, 30)))
        view = unmask(raw)
        for offset in range(len(view.text)):
            assert view.plain(view.raw(offset)) == offset
        places = [view.plain(offset) for offset in range(len(raw) + 1)]
        assert places == sorted(places) and places[-1] == len(view.text)
