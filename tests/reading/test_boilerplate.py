from __future__ import annotations

import pytest

from despin.reading import find_boilerplate, read_path, strip_boilerplate
from despin.types import Boilerplate


def spans(text):
    found = find_boilerplate(text)
    for b in found:
        assert isinstance(b, Boilerplate)
        assert text[b.start:b.end] == b.text
    return found


def test_autoblog_text_file(cases):
    text = read_path(cases / "spun-autoblog.txt").text
    found = spans(text)
    assert [b.kind for b in found] == ["ad-marker", "ad-marker", "source-link"]
    assert found[0].text == "[ad_1]\n\n"
    assert found[1].text.strip() == "[ad_2]"
    assert found[2].text.strip() == "Source link"
    stripped = strip_boilerplate(text, found)
    assert stripped.startswith("Gardening is a decent method")
    assert stripped.endswith("blistering evening sun.\n")
    assert "[ad" not in stripped and "Source" not in stripped


def test_marker_between_paragraphs_leaves_one_blank_line():
    text = "Para one.\n\n[ad_1]\n\nPara two.\n"
    found = spans(text)
    assert [(b.text, b.kind) for b in found] == [("[ad_1]\n\n", "ad-marker")]
    assert strip_boilerplate(text, found) == "Para one.\n\nPara two.\n"


def test_any_number_and_whitespace_around():
    text = "Intro.\n\n  [ad_17]  \r\n\r\nBody.\r\n\t[ AD_3 ]\r\nEnd.\r\n"
    found = spans(text)
    assert [b.kind for b in found] == ["ad-marker", "ad-marker"]
    assert strip_boilerplate(text, found) == "Intro.\n\nBody.\r\nEnd.\r\n"


def test_inline_markers():
    text = "Start [ad_1] middle.[ad_2] end [ad_3]\n[ad_4] Next line."
    found = spans(text)
    assert len(found) == 4
    assert strip_boilerplate(text, found) == "Start middle. end\nNext line."


def test_marker_flush_between_words_leaves_a_space():
    text = "bosom peril[ad_3]today and [ad_4]x[ad_5]."
    found = spans(text)
    assert strip_boilerplate(text, found) == "bosom peril today and x."


def test_two_markers_on_one_line():
    text = "A.\n\n[ad_1] [ad_2]\n\nB."
    found = spans(text)
    assert len(found) == 2
    assert strip_boilerplate(text, found) == "A.\n\nB."


@pytest.mark.parametrize(
    "tail",
    [
        "Source link",
        "source link\n",
        "SOURCE LINK  \n\n",
        "Source link https://example.com/a/b?c=1\n",
        "Source Link: https://example.com/a\n",
        "Source link\nhttps://example.com/story\n",
        "Source link\n[ad_2]\n",
    ],
)
def test_closing_source_link(tail):
    text = "The article body ends here.\n\n" + tail
    found = spans(text)
    kinds = [b.kind for b in found]
    assert "source-link" in kinds
    assert strip_boilerplate(text, found) == "The article body ends here.\n"


def test_source_link_only_at_the_end():
    text = "Source link\n\nThen the article goes on for a while.\n"
    assert spans(text) == []
    text = "Here is the source link for you.\n"
    assert spans(text) == []


def test_clean_text_has_no_boilerplate():
    text = "Nothing to see here.\n\nJust [two] paragraphs with [ad] lookalikes.\n"
    assert spans(text) == []
    assert strip_boilerplate(text, []) == text


def test_stripping_keeps_the_rest_byte_for_byte():
    body = "Caf\u00e9\u00a0 line\r\n\r\n  indented   text\t\n"
    text = "[ad_1]\n" + body + "[ad_2]\n\nSource link https://example.com/x"
    found = spans(text)
    assert strip_boilerplate(text, found) == body


def test_empty():
    assert spans("") == []
    assert strip_boilerplate("", []) == ""


def test_html_page_boilerplate(cases):
    doc = read_path(cases / "autoblog.html")
    found = spans(doc.text)
    assert [b.kind for b in found] == ["ad-marker", "ad-marker", "source-link"]
    assert "https://example.org/gardening/ten-tips" in found[-1].text
    stripped = strip_boilerplate(doc.text, found)
    assert stripped.startswith("Ten tips for a healthier garden\n\nGardening")
    assert "\n\n\n" not in stripped


def test_old_mac_line_ends():
    text = "[ad_1]\rThe Supreme Court ruled on the case.\r[ad_2]\rSource link\r"
    assert [b.kind for b in find_boilerplate(text)] == ["ad-marker", "ad-marker", "source-link"]
    assert strip_boilerplate(text, find_boilerplate(text)) == "The Supreme Court ruled on the case.\r"
