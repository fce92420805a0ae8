"""The process-wide model cache, and how compiled tables reach the cache folder."""
from __future__ import annotations

import sqlite3
import threading

import pytest

from despin import cache


def test_a_model_may_load_another_while_it_is_built():
    # The engine compiles the thesaurus on a fresh cache folder, and that loads the word vectors:
    # both go through cache.model, in the same thread.
    done = []

    def outer():
        inner = cache.model("test:inner", lambda: "vectors")
        return f"engine with {inner}"

    worker = threading.Thread(target=lambda: done.append(cache.model("test:outer", outer)), daemon=True)
    worker.start()
    worker.join(timeout=10)  # a deadlock would hang here, not the whole suite
    assert done == ["engine with vectors"]
    assert cache.model("test:outer", lambda: "rebuilt") == "engine with vectors"  # built once


def test_a_failed_build_leaves_neither_file_nor_a_half_written_one(tmp_path):
    path = tmp_path / "table.sqlite"
    with pytest.raises(KeyboardInterrupt):
        with cache.building_sqlite(path) as db:
            db.execute("CREATE TABLE t (x)")
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []
    with cache.building_sqlite(path) as db:
        db.execute("CREATE TABLE t (x)")
        db.execute("INSERT INTO t VALUES (1)")
    assert sqlite3.connect(path).execute("SELECT x FROM t").fetchall() == [(1,)]
    assert list(tmp_path.iterdir()) == [path]


def test_a_cache_file_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    path = tmp_path / "table.json"
    cache.write_atomically(path, "[1, 2]")
    assert path.read_text() == "[1, 2]"

    def fail(self, target):
        raise OSError("disk full")

    monkeypatch.setattr(type(path), "replace", fail)
    with pytest.raises(OSError):
        cache.write_atomically(path, "[3]")
    assert path.read_text() == "[1, 2]"
    assert [p.name for p in tmp_path.iterdir()] == ["table.json"]
