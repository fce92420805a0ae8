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
    assert detect_language(FRENCH)[0] == "fr"
    assert detect_language(GERMAN)[0] == "de"


def test_common_english_share_alone_is_not_enough():
    # wordfreq's English list knows "le", "de", "plan", "pour"...: this French
    # sentence has a "common English" share over 0.5 but is French.
    text = (
        "Le gouvernement a annoncé hier un nouveau plan pour améliorer l'éducation publique "
        "dans tout le pays, avec plus de moyens pour les écoles rurales."
    )
    lang, share = detect_language(text)
    assert share >= 0.5
    assert lang == "fr"


def test_other_languages_are_not_english():
    spanish = (
        "El gobierno anunció ayer un nuevo plan para mejorar la educación pública en todo "
        "el país, con más recursos para las escuelas rurales."
    )
    russian = "Правительство вчера объявило о новом плане по улучшению образования по всей стране."
    assert detect_language(spanish)[0] == "es"
    assert detect_language(russian) == ("und", 0.0)


def test_english_with_foreign_names_is_english():
    text = (
        "Angela Merkel met Emmanuel Macron in Berlin on Tuesday to discuss the new budget "
        "rules for the European Union and the future of the euro."
    )
    assert detect_language(text)[0] == "en"


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


def test_short_english_with_words_other_languages_share_is_english():
    # "a" is Portuguese too and "is", "in" Dutch: these read as pt and nl, and were skipped.
    for text in ("We built a model, a dataset and a pipeline on a cluster using it.",
                 "Is a dog a pet? Is a cat a pet? Yes, a dog is a pet in a house."):
        assert detect_language(text)[0] == "en"
