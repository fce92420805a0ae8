import json
import os
import time

from click.testing import CliRunner

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
    assert "2 files, 5.0 kB" in text

    result = runner.invoke(main, ["cache", "clear", "--unused", "30"])
    assert result.exit_code == 0 and "removed 1 file, 2.0 kB" in result.stdout
    assert not old.exists() and model.exists()
    assert runner.invoke(main, ["cache", "clear"]).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
