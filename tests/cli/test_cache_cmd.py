import json
import os
import time

from click.testing import CliRunner

from despin import cache
from despin.cli.main import main


def test_cache_info_lists_and_clear_removes_only_despins_files(tmp_path, monkeypatch):
    monkeypatch.setenv("DESPIN_CACHE", str(tmp_path))
    old = tmp_path / "v2-phrase-ids-small.npz"
    old.write_bytes(b"x" * 2000)
    month_ago = time.time() - 40 * 86400
    os.utime(old, (month_ago, month_ago))
    model = tmp_path / "v2-lm-smollm2"
    model.mkdir()
    (model / "model.safetensors").write_bytes(b"y" * 3000)
    mine = tmp_path / "notes.txt"  # $DESPIN_CACHE may name a folder that holds other files
    mine.write_text("keep me")
    runner = CliRunner()

    listing = json.loads(runner.invoke(main, ["cache", "info", "--json"]).stdout)
    assert [f["name"] for f in listing["files"]] == ["v2-phrase-ids-small.npz", "v2-lm-smollm2"]
    assert listing["bytes"] == 5000
    text = runner.invoke(main, ["cache", "info"]).stdout
    assert "2 files, 5 kB" in text

    result = runner.invoke(main, ["cache", "clear", "--unused", "30"])
    assert result.exit_code == 0 and "removed 1 file, 2 kB" in result.stdout
    assert not old.exists() and model.exists()
    cleared = runner.invoke(main, ["cache", "clear", "--json"])
    assert cleared.exit_code == 0
    assert json.loads(cleared.stdout) == {"folder": str(tmp_path), "bytes": 3000, "removed": ["v2-lm-smollm2"], "failed": []}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_an_unusable_cache_folder_is_one_line_about_the_setting(tmp_path, monkeypatch):
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("")
    monkeypatch.setenv("DESPIN_CACHE", str(not_a_folder))
    monkeypatch.setattr(cache, "_models", {})  # as in a new process: the engine is loaded afresh
    text = tmp_path / "a.txt"
    text.write_text("The Supreme Courtroom ruled.\n")
    runner = CliRunner()
    for args in (["check", "--fast", str(text), str(text)], ["cache", "info"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "a file, not a folder" in lines[0] and "DESPIN_CACHE" in lines[0]
        assert "bug" not in lines[0]


def test_a_file_that_cannot_be_removed_is_named_and_exits_2(tmp_path, monkeypatch):
    monkeypatch.setenv("DESPIN_CACHE", str(tmp_path))
    (tmp_path / "v2-a.json").write_text("[]")
    (tmp_path / "v2-b.json").write_text("[]")

    def refuse(entry):
        if entry.path.name == "v2-a.json":
            raise PermissionError(13, "Permission denied")
        entry.path.unlink()

    monkeypatch.setattr(cache, "remove", refuse)
    result = CliRunner().invoke(main, ["cache", "clear"])
    assert result.exit_code == 2
    assert "removed 1 file, 2 bytes" in result.stdout
    assert result.stderr.strip() == "despin: could not remove v2-a.json: Permission denied"


def test_cache_help_names_every_variable_that_chooses_the_folder():
    text = " ".join(CliRunner().invoke(main, ["cache", "--help"]).output.split())
    assert "($DESPIN_CACHE, else $XDG_CACHE_HOME/despin, else ~/.cache/despin)" in text
