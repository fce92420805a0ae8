from despin.reading import InputError


def test_str_is_one_line_naming_the_file():
    err = InputError("page.bin", "looks like a binary file (NUL bytes), not text")
    assert str(err) == "page.bin: looks like a binary file (NUL bytes), not text"
    assert err.source == "page.bin"
    assert "\n" not in str(err)
    assert isinstance(err, Exception)
