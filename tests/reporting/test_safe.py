"""What the human reports may print of text from the web."""
import pytest

from despin.reporting.safe import printable


@pytest.mark.parametrize("hidden, shown", [
    ("\x1b]52;c;cHduZWQ=\x07", "\\u001b]52;c;cHduZWQ=\\u0007"),  # a clipboard write
    ("\u202e", "\\u202e"), ("\u061c", "\\u061c"), ("\u2066", "\\u2066"),  # bidi marks and isolates
    ("\u2028", "\\u2028"), ("\u2029", "\\u2029"), ("\x85", "\\u0085"), ("\n", "\\n"),  # line ends
    ("\U000e0041", "\\U000e0041"), ("\u180e", "\\u180e"), ("\ufff9", "\\ufff9"),  # invisible format
    ("\udcff", "\\udcff"),  # a byte of a file name that is not UTF-8
])
def test_nothing_invisible_or_line_breaking_reaches_the_terminal(hidden, shown):
    assert printable(f"Court{hidden}room") == f"Court{shown}room"


def test_what_is_visible_is_printed_as_it_is():
    text = "Caf\u00e9 \u00a0tab\there \u0436 \U0001f600 [bold]"
    assert printable(text) == text
    printable("x\udcff").encode("utf-8")  # always writable as UTF-8
