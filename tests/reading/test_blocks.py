from __future__ import annotations

import random

import pytest

from despin.reading import InputError, iter_blocks
from despin.reading.blocks import iter_file_blocks

WORDS = ["alpha", "beta", "gamma", "delta", "caf\u00e9", "\u00fcber", "x", "longerwordhere", "\u2014"]
SEPS = [" ", " ", " ", " ", "\n", "\r\n", "\n\n", "\r\n\r\n", "\t", "  ", "\n \n"]


def random_text(rng: random.Random, n: int) -> str:
    parts = []
    for _ in range(n):
        parts.append(rng.choice(WORDS))
        parts.append(rng.choice(SEPS))
    return "".join(parts)[: rng.randrange(0, 4 * n + 1)]


def check_blocks(text: str, target: int) -> list[tuple[int, str]]:
    blocks = list(iter_blocks(text, target))
    assert "".join(b for _, b in blocks) == text
    pos = 0
    for offset, block in blocks:
        assert offset == pos
        assert block
        pos += len(block)
        end = offset + len(block)
        if end < len(text):
            # never inside a word, never inside "\r\n"
            assert text[end - 1].isspace()
            assert not (text[end - 1] == "\r" and text[end] == "\n")
    return blocks


def test_round_trip_on_random_texts():
    rng = random.Random(1234)
    for _ in range(300):
        text = random_text(rng, rng.randrange(0, 400))
        check_blocks(text, rng.choice([1, 2, 5, 17, 64, 300]))


def test_prefers_paragraph_boundaries():
    para = "word " * 30 + "end.\n\n"
    text = para * 20
    blocks = check_blocks(text, 400)
    assert all(b.endswith("\n\n") for _, b in blocks[:-1])
    assert all(len(b) <= 400 for _, b in blocks)


def test_falls_back_to_lines_then_spaces():
    text = ("word " * 30 + "end.\n") * 20
    assert all(b.endswith("\n") for _, b in check_blocks(text, 400)[:-1])
    text = "word " * 1000
    assert all(b.endswith(" ") for _, b in check_blocks(text, 400)[:-1])


def test_giant_word_is_not_cut():
    text = "a" * 1000 + " tail"
    blocks = check_blocks(text, 100)
    assert blocks[0][1] == "a" * 1000 + " "


def test_small_text_is_one_block():
    assert list(iter_blocks("short text", 200_000)) == [(0, "short text")]
    assert list(iter_blocks("")) == []


def test_file_blocks_match_in_memory_blocks(tmp_path):
    rng = random.Random(99)
    for n in range(40):
        text = random_text(rng, rng.randrange(0, 600))
        p = tmp_path / f"t{n}.txt"
        p.write_bytes(text.encode("utf-8"))
        target = rng.choice([3, 16, 50, 200])
        chunk = rng.choice([1, 2, 7, 64, 1 << 20])
        got = list(iter_file_blocks(p, target, chunk_bytes=chunk))
        assert got == list(iter_blocks(text, target))


def test_file_blocks_drop_bom_and_keep_crlf(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbfone\r\ntwo\r\n")
    assert list(iter_file_blocks(p)) == [(0, "one\r\ntwo\r\n")]


def test_file_blocks_report_the_bad_byte(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_bytes(("caf\u00e9 " * 50).encode("utf-8") + b"\xff tail")
    bad = len(("caf\u00e9 " * 50).encode("utf-8"))
    for chunk in (1, 5, 1 << 20):
        with pytest.raises(InputError, match=rf"not valid UTF-8 at byte {bad}$"):
            list(iter_file_blocks(p, 20, chunk_bytes=chunk))


def test_file_blocks_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        list(iter_file_blocks(tmp_path / "missing.txt"))
    p = tmp_path / "bin.txt"
    p.write_bytes(b"abc\x00def")
    with pytest.raises(InputError, match="binary"):
        list(iter_file_blocks(p))


def test_a_line_without_breaks_is_cut_after_a_sentence():
    # Cut at the last space, "counterfeit | consciousness" fell in two blocks and was missed.
    text = "x " * 150 + ". counterfeit consciousness and more words here " * 3
    blocks = check_blocks(text, 320)
    assert blocks[0][1].endswith(". ")
    assert all("counterfeit consciousness" in b or "counterfeit" not in b for _, b in blocks)


def test_file_blocks_read_utf32(tmp_path):
    # The UTF-16-LE byte-order mark begins the UTF-32-LE one.
    p = tmp_path / "u32.txt"
    p.write_bytes("one two\n".encode("utf-32"))
    assert list(iter_file_blocks(p)) == [(0, "one two\n")]


@pytest.mark.parametrize("size", [20, 25, 30, 40])
def test_no_block_ends_in_furniture_that_would_read_as_closing(size):
    from despin.reading import find_boilerplate

    text = "Para one is here.\n\nSource link\n\nPara two goes on.\n\n[ad_3]\n\nPara three.\n"
    blocks = [b for _, b in iter_blocks(text, size)]
    assert "".join(blocks) == text
    for block in blocks[:-1]:
        found = find_boilerplate(block)
        assert not found or found[-1].end < len(block), block


def test_a_hard_wrapped_phrase_is_cut_after_a_sentence_not_at_its_line_break():
    # Cut at the last line break, "counterfeit\nconsciousness" fell in two blocks and was missed.
    lines = ("x " * 30 + "\n") * 8
    tail = "We trained a counterfeit\nconsciousness model.\n"
    text = lines + "The survey ended.\n" + tail
    assert check_blocks(text, len(text) - 10)[0][1].endswith("The survey ended.\n")
    # A blank line comes first, and a line break is the cut only where no sentence ends.
    text = lines + "\nThe survey ended.\n" + tail
    assert check_blocks(text, len(text) - 10)[0][1] == lines + "\n"
    text = lines + tail
    assert check_blocks(text, len(text) - 10)[0][1].endswith("counterfeit\n")
