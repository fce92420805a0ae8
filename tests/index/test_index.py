import hashlib
import os
import sqlite3

import pytest
from click.testing import CliRunner

from despin.cli.main import main
from despin.index import Index, IndexFileError, QueryTruncated

DOCS = {
    "paris.txt": "Paris is the capital and largest city of France, with an estimated population of "
    "2,102,650 residents in January 2023. Since the 17th century Paris has been a major centre of "
    "finance, diplomacy, commerce, fashion and science.",
    "oscars.txt": "The Academy Awards, more commonly known as the Oscars, are awards based on artistic "
    "and technical merit in film. They have been presented annually since 1929 by the Academy.",
    "nile.txt": "The Nile is a major river flowing north through northeastern Africa into the "
    "Mediterranean Sea. At about 6,650 kilometres it has historically been considered the longest river.",
    "volcano.txt": "A volcano is a rupture in the crust of a planet that allows hot lava, volcanic ash "
    "and gases to escape from a magma chamber below the surface, as on Etna in Sicily.",
}
# A spun copy of paris.txt, swapped by hand.
SPUN = (
    "Paris is the capital and biggest town of France, with an approximate populace of 2,102,650 "
    "inhabitants in January 2023. Since the 17th century Paris has been a chief hub of money, "
    "diplomacy, trade, style and science."
)


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "refs"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text)
    return folder


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_add_readd_remove_stats(tmp_path, corpus):
    idx = Index(tmp_path / "i.sqlite")
    report = idx.add([corpus])
    assert len(report.added) == 4 and not report.skipped
    again = idx.add([corpus])
    assert again.added == [] and len(again.unchanged) == 4
    assert idx.stats().documents == 4
    dup = idx.add_text(DOCS["nile.txt"], "copy-of-nile")
    assert dup.duplicates == [("copy-of-nile", str(corpus / "nile.txt"))]
    removed = idx.remove(str(corpus / "nile.txt"))
    assert removed == [str(corpus / "nile.txt")]
    assert idx.stats().documents == 3
    assert idx.remove(str(corpus)) and idx.stats().documents == 0
    assert idx.stats().band_rows == 0  # bands of removed documents are gone too


def test_spun_copy_traced_to_source(tmp_path, corpus):
    idx = Index(tmp_path / "i.sqlite")
    idx.add([corpus])
    result = idx.trace(SPUN)
    assert result.hits and result.hits[0].name == str(corpus / "paris.txt")
    hit = result.hits[0]
    assert 0.4 <= hit.score <= 1.0
    assert hit.evidence and "2,102,650" in " ".join(p.query_text for p in hit.evidence)
    p = hit.evidence[0]
    assert SPUN[p.query_start : p.query_end] == p.query_text
    assert DOCS["paris.txt"][p.source_start : p.source_end] == p.source_text
    unrelated = idx.trace("Bananas are elongated edible fruits produced by several kinds of large herbaceous plants.")
    assert not unrelated.hits


def test_a_disguised_copy_is_traced_to_its_source(tmp_path, corpus):
    # Invisible characters and Cyrillic letters hide every word of the copy from plain matching.
    disguised = " ".join(w[:1] + "\u200b" + w[1:] if w.isalpha() else w for w in DOCS["nile.txt"].split())
    disguised = disguised.replace("o", "\u043e")
    idx = Index(tmp_path / "i.sqlite")
    idx.add([corpus])
    hit = idx.trace(disguised).hits[0]
    assert hit.name == str(corpus / "nile.txt") and hit.score > 0.9
    p = hit.evidence[0]
    assert disguised[p.query_start : p.query_end] == p.query_text


def test_normaliser_is_applied(tmp_path, corpus):
    idx = Index(tmp_path / "i.sqlite", normaliser=lambda t: DOCS["nile.txt"])
    idx.add([corpus])
    assert idx.trace("anything at all").hits[0].name.endswith("nile.txt")


def test_interrupted_add_rolls_back(tmp_path, corpus):
    path = tmp_path / "i.sqlite"
    Index(path).add([corpus / "paris.txt"])

    def items():
        yield ("a", DOCS["nile.txt"])
        raise RuntimeError("boom")

    idx = Index(path)
    with pytest.raises(RuntimeError):
        idx.add(items())
    assert idx.names() == [str(corpus / "paris.txt")]
    idx.close()
    # a reader keeps working while a writer holds a transaction open
    writer = Index(path)
    conn = writer._open(create=False)
    conn.execute("BEGIN IMMEDIATE")
    writer._add_batch(conn, [("b", DOCS["volcano.txt"])], __import__("despin.index.types", fromlist=["x"]).AddReport())
    assert Index(path).stats().documents == 1
    conn.execute("ROLLBACK")


def test_corrupt_and_foreign_files_refused_untouched(tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database at all\n" * 10)
    foreign = tmp_path / "foreign.sqlite"
    with sqlite3.connect(foreign) as c:
        c.execute("CREATE TABLE t (x)")
        c.execute("INSERT INTO t VALUES (1)")
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    for path in (bad, foreign, empty):
        before = sha(path)
        with pytest.raises(IndexFileError, match="not a despin index"):
            Index(path).add([("x", "some text here")])
        with pytest.raises(IndexFileError):
            Index(path).trace("some text")
        assert sha(path) == before
    truncated = tmp_path / "trunc.sqlite"
    truncated.write_bytes(b"SQLite format 3\x00" + b"\x07" * 200)
    before = sha(truncated)
    with pytest.raises(IndexFileError):
        Index(truncated).stats()
    assert sha(truncated) == before
    with pytest.raises(IndexFileError, match="no index"):
        Index(tmp_path / "absent.sqlite").trace("text")
    assert not (tmp_path / "absent.sqlite").exists()


def test_unreadable_files_skipped_and_listed(tmp_path, corpus):
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    (corpus / "feed.jsonl").write_text('{"id": "n1", "text": "A short note about rivers and 12 boats."}\nnot json\n{"id": 2}\n')
    idx = Index(tmp_path / "i.sqlite")
    report = idx.add([corpus, tmp_path / "nope.txt"])
    skipped = {s.name for s in report.skipped}
    assert str(corpus / "binary.txt") in skipped
    assert str(tmp_path / "nope.txt") in skipped
    assert f"{corpus / 'feed.jsonl'}#2" in skipped and f"{corpus / 'feed.jsonl'}#3" in skipped
    assert f"{corpus / 'feed.jsonl'}#n1" in report.added
    assert idx.stats().documents == 5


def test_query_truncated_with_warning(tmp_path, corpus):
    idx = Index(tmp_path / "i.sqlite", max_query_words=10)
    idx.add([corpus])
    with pytest.warns(QueryTruncated):
        result = idx.trace(SPUN)
    assert result.truncated and result.words == 10


def test_cli(tmp_path, corpus, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    r = runner.invoke(main, ["index", "add", str(corpus)])
    assert r.exit_code == 0 and "4 added" in r.output
    (tmp_path / "q.txt").write_text(SPUN)
    r = runner.invoke(main, ["trace", "q.txt"])
    assert r.exit_code == 1 and "paris.txt" in r.output
    r = runner.invoke(main, ["trace", "--json", "q.txt"])
    import json

    data = json.loads(r.output)
    assert data["found"] and data["hits"][0]["evidence"]
    (tmp_path / "other.txt").write_text("Bananas are elongated edible fruits of large herbaceous plants.")
    assert runner.invoke(main, ["trace", "other.txt"]).exit_code == 0
    r = runner.invoke(main, ["index", "stats", "--json"])
    assert json.loads(r.output)["documents"] == 4
    assert runner.invoke(main, ["index", "remove", str(corpus / "nile.txt")]).exit_code == 0
    (tmp_path / "bad.sqlite").write_text("nope")
    r = runner.invoke(main, ["trace", "--index", "bad.sqlite", "q.txt"])
    assert r.exit_code == 2 and "not a despin index" in r.output and "Traceback" not in r.output
    r = runner.invoke(main, ["trace", "missing.txt"])
    assert r.exit_code == 2


def test_lazy_export():
    import despin

    assert despin.Index is Index


def test_a_copy_of_a_long_sources_end_is_traced(tmp_path, monkeypatch):
    from despin.index import align

    monkeypatch.setattr(align, "MAX_ALIGN_TOKENS", 200)  # the real limit is 20,000 tokens
    filler = " ".join(f"Item {n} of the ledger was counted on day {n}." for n in range(60))
    idx = Index(tmp_path / "i.sqlite")
    idx.add_text(filler + " " + DOCS["paris.txt"], "long.txt")
    hit = idx.trace(SPUN).hits[0]
    assert hit.name == "long.txt" and hit.source_coverage < 0.2
    assert "Paris" in hit.evidence[0].source_text


def test_one_name_twice_in_an_add_keeps_the_first(tmp_path):
    feed = tmp_path / "feed.jsonl"
    lines = ['{"id": "a", "text": "The river rose over the old stone bridge in the night."}',
             '{"id": "a", "text": "A different story about mountains and their winter snow."}',
             '{"id": 1, "text": "Line three names itself after line one, a third story on boats."}']
    feed.write_text("\n".join(lines) + "\n")
    idx = Index(tmp_path / "i.sqlite")
    report = idx.add([feed])
    assert report.added == [f"{feed}#a", f"{feed}#1"]
    assert [s.name for s in report.skipped] == [f"{feed}#a"]
    assert "river" in idx.text_of(f"{feed}#a")


def test_bad_lines_and_odd_names_are_skipped_or_mended_alone(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(b"\xef\xbb\xbf" + b'{"id": "bom", "text": "The first line follows a byte-order mark."}\n'
                     + b'{"id": "latin", "text": "caf\xe9 au lait and a croissant"}\n'
                     + b'{"id": "\\udcff", "text": "Hello \\ud800 world, a lone surrogate from JSON."}\n'
                     + b'{"id": "last", "text": "The last line is read although an earlier one was not UTF-8."}\n')
    folder = tmp_path / "crawl"
    folder.mkdir()
    (folder / "a\udcffb.txt").write_text("A file whose name is not UTF-8 still holds a document.")
    os.mkfifo(folder / "pipe.txt")  # would block a read forever
    idx = Index(tmp_path / "i.sqlite")
    report = idx.add([feed, folder])
    assert report.added == [f"{feed}#bom", f"{feed}#\ufffd", f"{feed}#last", str(folder / "a\ufffdb.txt")]
    assert [s.name for s in report.skipped] == [f"{feed}#2"]
    assert idx.text_of(f"{feed}#\ufffd").startswith("Hello \ufffd world")


def test_remove_takes_what_the_name_names(tmp_path, monkeypatch):
    feed = tmp_path / "feed.jsonl"
    ids = ["https://ex.com/a", "https://ex.com/a/comments", "https://ex.com/a#top"]
    feed.write_text("".join(f'{{"id": "{i}", "text": "Story {n} about {i} and its many readers."}}\n'
                            for n, i in enumerate(ids)))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "refs").mkdir()
    (tmp_path / "refs" / "x.txt").write_text(DOCS["nile.txt"])
    idx = Index(tmp_path / "i.sqlite")
    idx.add(["feed.jsonl", "./refs/x.txt"])
    assert idx.remove("feed.jsonl#https://ex.com/a") == ["feed.jsonl#https://ex.com/a"]
    assert idx.remove("") == []
    assert idx.remove("./refs/x.txt") == ["refs/x.txt"]
    assert len(idx.remove("feed.jsonl")) == 2


def test_a_damaged_index_is_an_index_error(tmp_path, corpus):
    path = tmp_path / "i.sqlite"
    with Index(path) as idx:
        idx.add([corpus])
    with sqlite3.connect(path) as c:
        c.execute("UPDATE docs SET text = x'00ff00'")
    with pytest.raises(IndexFileError, match="damaged"):
        Index(path).trace(SPUN)
    with sqlite3.connect(path) as c:
        c.execute("UPDATE meta SET value = '-1' WHERE key = 'seed'")
    with pytest.raises(IndexFileError, match="damaged settings"):
        Index(path).stats()


def test_an_index_on_read_only_media_is_read_not_changed(tmp_path, corpus, monkeypatch):
    # On a read-only mount SQLite cannot open a WAL database for writing (nor make its -shm file);
    # a mount is not to be had in a test, so the refusal is played by the connection.
    from despin.index import store

    path = tmp_path / "i.sqlite"
    with Index(path) as idx:
        idx.add([corpus])
    connect = store._connect

    def read_only_media(path, mode, exists, params):
        if "immutable" not in mode:
            raise sqlite3.OperationalError("unable to open database file")
        return connect(path, mode, exists, params)

    monkeypatch.setattr(store, "_connect", read_only_media)
    monkeypatch.setattr(store, "_writable", lambda path: False)
    assert Index(path).trace(SPUN).hits[0].name.endswith("paris.txt")
    with pytest.raises(IndexFileError, match="read-only"):
        Index(path).add_text("A new text about boats.", "boats")
