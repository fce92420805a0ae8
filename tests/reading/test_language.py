from __future__ import annotations

import time

from despin.reading import detect_language

ENGLISH = (
    "Water your plants early in the morning so that the leaves dry before the hot "
    "afternoon sun. Rotate your vegetable beds each year, because growing the same "
    "crop in the same place lets pests build up in the soil."
)
SPUN_ENGLISH = (
    "Water your vegetation promptly in the first part of the day so the foliage dry "
    "before the blistering evening sun. Pivot your vegetable beds every year, since "
    "developing a similar harvest in a similar spot lets bugs develop in the dirt."
)
FRENCH = (
    "Arrosez vos plantes tôt le matin afin que les feuilles sèchent avant le soleil "
    "brûlant de l'après-midi. Changez l'emplacement de vos légumes chaque année, car "
    "cultiver toujours la même plante au même endroit favorise les parasites du sol."
)
GERMAN = (
    "Gießen Sie Ihre Pflanzen früh am Morgen, damit die Blätter vor der heißen "
    "Nachmittagssonne trocknen. Wechseln Sie die Gemüsebeete jedes Jahr, weil sich "
    "sonst Schädlinge und Krankheiten im Boden ansammeln."
)
GREEK = (
    "Ποτίζετε τα φυτά σας νωρίς το πρωί ώστε τα φύλλα να στεγνώνουν πριν από τον "
    "καυτό απογευματινό ήλιο και αλλάζετε θέση στα λαχανικά κάθε χρόνο."
)


def test_english():
    lang, share = detect_language(ENGLISH)
    assert lang == "en" and share > 0.8


def test_spun_english_is_still_english():
    assert detect_language(SPUN_ENGLISH)[0] == "en"


def test_french_and_german_are_not_english():
    for text in (FRENCH, GERMAN):
        lang, share = detect_language(text)
        assert lang == "und", (text, share)
        assert share < 0.5


def test_single_script_language_is_named():
    assert detect_language(GREEK)[0] == "el"


def test_short_texts_are_assumed_english():
    assert detect_language("Bonjour mes amis")[0] == "en"
    assert detect_language("") == ("en", 0.0)
    assert detect_language("12345 !!! ---")[0] == "en"


def test_long_text_is_fast():
    text = ((ENGLISH + " ") * 20 + "\n\n" + (SPUN_ENGLISH + " ") * 20 + "\n\n") * 400
    assert len(text) > 1_000_000
    detect_language(text)  # warm the per-word cache
    t0 = time.perf_counter()
    lang, share = detect_language(text)
    assert time.perf_counter() - t0 < 0.02
    assert lang == "en"
