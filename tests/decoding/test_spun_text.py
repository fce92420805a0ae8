"""Whether a text reads as spun as a whole."""


def test_spun_text_needs_dense_evidence():
    from despin.decoding.spun_text import looks_spun
    from despin.types import Finding

    sure = [Finding(start=0, end=4, text="Home", restoration="House", confidence=0.9, rewrite=True)] * 2
    assert looks_spun(sure, [], words=80)
    assert looks_spun(sure[:1], ["source link"], words=80)  # one sure span plus autoblog furniture
    assert not looks_spun(sure[:1], [], words=80)
    # Two sure spans in a 5,000-word text are what clean prose produces by chance.
    assert not looks_spun(sure, [], words=5000)


def test_known_phrases_alone_do_not_show_a_text_spun_throughout():
    import dataclasses

    from despin.decoding.spun_text import spun_throughout
    from despin.types import Finding

    found = Finding(start=0, end=4, text="Home", restoration="House", confidence=0.9, rewrite=True)
    known = dataclasses.replace(found, text="irregular woodland", restoration="random forest", kind="fingerprint")
    assert spun_throughout([found], words=80)
    assert not spun_throughout([known], words=80)  # pasted in, perhaps; the writer's words are not suspect
    assert not spun_throughout([known, known], words=80)
    assert spun_throughout([known], words=80, known_phrases=True)  # model mode's rounds that only flag
    assert spun_throughout([known, found], words=80)
    assert not spun_throughout([found], words=5000)
    assert not spun_throughout([dataclasses.replace(found, confidence=0.6)], words=80)
    assert spun_throughout([dataclasses.replace(found, confidence=0.6)], words=80, at=0.5)


def test_a_weak_flag_never_lowers_what_furniture_says_of_a_page():
    # The 0.2 floor held only while nothing was found: one flag 0.3 sure in 120 words took a page
    # with [ad_1] markers from 0.2 to 0.06, under the README's triage bar.
    from despin.decoding.spun_text import spin_score
    from despin.types import Finding

    flag = Finding(start=0, end=8, text="Division", restoration="Department", confidence=0.3, rewrite=False)
    assert spin_score([], 120, furniture=True) == spin_score([flag], 120, furniture=True) == 0.2
    assert spin_score([flag], 120) < 0.2
