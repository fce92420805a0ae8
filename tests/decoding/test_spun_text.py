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
