"""Stored options are the options the channel computes, and a stale store is never read."""
from __future__ import annotations

import os
import random
import sqlite3
import time
from contextlib import closing

import pytest
from wordfreq import top_n_list

from despin import cache
from despin.decoding import option_store
from despin.decoding.channel import Option
from despin.decoding.engine import Config, Engine


@pytest.fixture(scope="module")
def channel():
    return Engine(Config(model=False)).channel


def test_fast_mode_with_shipped_knowledge_reads_the_store(channel):
    assert channel.store is not None
    # Benchmarks that hide rows compute options as they go.
    assert Engine(Config(model=False, news_part="heldout")).channel.store is None


def test_stored_options_are_the_computed_ones(channel):
    words = random.Random(0).sample(top_n_list("en", option_store.STORED_WORDS), 300)
    words += ["courtroom", "peril", "woodland", "invoice", "handed"]
    for word in words:
        stored = channel.store.get(word)
        assert stored is not None and stored == channel.compute_options(word), word


def test_a_word_not_stored_is_computed(channel):
    assert channel.store.get("know-how") is None
    assert channel.word_options("know-how")[0].words == ("technology",)


def test_digest_follows_every_part():
    base = option_store.digest(("a", 1.0), [option_store])
    assert option_store.digest(("a", 1.0), [option_store]) == base
    assert option_store.digest(("a", 1.5), [option_store]) != base
    assert option_store.digest(("a", 1.0), [option_store, random]) != base


def test_a_new_store_replaces_those_long_unused(monkeypatch, tmp_path):
    monkeypatch.setenv("DESPIN_CACHE", str(tmp_path))
    monkeypatch.setattr(option_store, "_common_words", lambda: ["woods", "peril"])
    computed = {"woods": (Option(("forest",), -0.5, "wordnet"), Option(("timber", "land"), -2.25, "spin-table")),
                "peril": ()}
    first = option_store.open_store("0" * 64, computed.__getitem__)
    assert first.get("woods") == computed["woods"]
    assert first.get("peril") == ()
    assert first.get("grove") is None
    second = option_store.open_store("1" * 64, computed.__getitem__)
    assert second.get("woods") == computed["woods"]
    assert first.path.exists()  # another install sharing the cache may still read it
    long_ago = time.time() - (cache.UNUSED_DAYS + 1) * 86400
    os.utime(first.path, (long_ago, long_ago))
    option_store.open_store("4" * 64, computed.__getitem__)
    assert not first.path.exists() and second.path.exists()


def test_an_unreadable_store_is_computed_again(monkeypatch, tmp_path):
    monkeypatch.setenv("DESPIN_CACHE", str(tmp_path))
    monkeypatch.setattr(option_store, "_common_words", lambda: ["woods"])
    computed = {"woods": (Option(("forest",), -0.5, "wordnet"),)}
    path = option_store.open_store("2" * 64, computed.__getitem__).path
    path.write_bytes(b"not a database at all")
    assert option_store.open_store("2" * 64, computed.__getitem__).get("woods") == computed["woods"]


def test_a_broken_entry_is_computed_and_an_unwritable_folder_is_no_error(monkeypatch, tmp_path):
    monkeypatch.setenv("DESPIN_CACHE", str(tmp_path))
    monkeypatch.setattr(option_store, "_common_words", lambda: ["woods"])
    store = option_store.open_store("3" * 64, {"woods": ()}.__getitem__)
    with closing(sqlite3.connect(store.path)) as db:
        db.execute("UPDATE opt SET options = x'00ff' WHERE word = 'woods'")
        db.commit()
    assert store.get("woods") is None

    def refuse(*args, **kwargs):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(option_store, "_build", refuse)
    assert option_store.open_store("4" * 64, {"woods": ()}.__getitem__) is None
