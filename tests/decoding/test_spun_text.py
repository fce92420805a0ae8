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
