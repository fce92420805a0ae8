"""The process-wide model cache, and how compiled tables reach the cache folder."""
from __future__ import annotations

import json
import os
import sqlite3
import threading
import time

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

    def fail(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(cache.os, "replace", fail)
    with pytest.raises(OSError):
        cache.write_atomically(path, "[3]")
    assert path.read_text() == "[1, 2]"
    assert [p.name for p in tmp_path.iterdir()] == ["table.json"]


def test_a_compiled_table_is_built_once_and_rebuilt_when_unreadable(tmp_path, monkeypatch):
    monkeypatch.setenv("DESPIN_CACHE", str(tmp_path))
    builds = []

    def build():
        builds.append(1)
        return {"a": 1}

    def compiled():
        return cache.compiled_text("table.json", build, json.dumps, json.loads, note="building")

    assert compiled() == {"a": 1} and compiled() == {"a": 1}
    assert len(builds) == 1
    cache.cached_file("table.json").write_text('{"a": ')  # cut short by another tool
    assert compiled() == {"a": 1} and len(builds) == 2
    assert json.loads(cache.cached_file("table.json").read_text()) == {"a": 1}


def test_a_read_only_cache_folder_builds_the_table_each_time(tmp_path, monkeypatch):
    monkeypatch.setenv("DESPIN_CACHE", str(tmp_path))

    def refuse(path, text):
        raise PermissionError(path)

    monkeypatch.setattr(cache, "write_atomically", refuse)
    assert cache.compiled_text("table.json", lambda: [1], json.dumps, json.loads) == [1]
    assert not cache.cached_file("table.json").exists()


def test_cache_files_long_unused_go_when_a_newer_one_of_their_kind_is_built(tmp_path, monkeypatch):
    monkeypatch.setenv("DESPIN_CACHE", str(tmp_path))
    long_ago = time.time() - (cache.UNUSED_DAYS + 1) * 86400
    current = cache.cached_file("spin-table-all-new.json")
    current.write_text("{}")
    stale = tmp_path / "v1-spin-table-all-old.json"  # an earlier format version's too
    recent = cache.cached_file("spin-table-all-other.json")  # another install may still read it
    converted = cache.cached_file("lm-old-weights")
    other_kind = cache.cached_file("options-old.sqlite")
    for path in (stale, recent, other_kind):
        path.write_text("{}")
    converted.mkdir()
    (converted / "model.safetensors").write_bytes(b"weights")
    for path in (current, stale, converted, other_kind):
        os.utime(path, (long_ago, long_ago))
    cache.mark_used(current)
    assert current.stat().st_mtime > long_ago
    cache.forget_unused("spin-table-*.json", current)
    cache.forget_unused("lm-*", cache.cached_file("lm-new-weights"))
    assert current.exists() and recent.exists() and other_kind.exists()
    assert not stale.exists() and not converted.exists()


def test_a_relative_xdg_cache_home_is_ignored_as_the_xdg_spec_says(tmp_path, monkeypatch):
    monkeypatch.delenv("DESPIN_CACHE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "despin"
    assert not (tmp_path / "relative").exists()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "despin"
