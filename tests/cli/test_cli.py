import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from despin.cli.main import main


def test_check_exit_codes_and_json(tmp_path):
    spun = tmp_path / "spun.txt"
    spun.write_text("The Supreme Courtroom ruled on the case yesterday.\n")
    clean = tmp_path / "clean.txt"
    clean.write_text("The heavy rain fell on the quiet village all night long.\n")
    runner = CliRunner()
    assert runner.invoke(main, ["check", str(clean)]).exit_code == 0
    result = runner.invoke(main, ["check", "--json", str(spun), str(clean)])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0]["findings"][0]["restoration"] == "Supreme Court"
    assert lines[1]["findings"] == []
    # A page-level bar instead of the span-level verdict.
    score = lines[0]["spin_score"]
    assert runner.invoke(main, ["check", "--min-score", str(score), str(spun)]).exit_code == 1
    assert runner.invoke(main, ["check", "--min-score", str(min(1.0, score + 0.01)), str(spun)]).exit_code == 0
    assert runner.invoke(main, ["check", "--min-score", "2", str(spun)]).exit_code == 2
    assert runner.invoke(main, ["check", "--min-score", "0", str(spun)]).exit_code == 2  # every text, empty ones too


def test_errors_are_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9 au lait")
    runner = CliRunner()
    for args in (["check", str(bad)], ["check", str(tmp_path / "missing.txt")], ["restore", str(bad)]):
        result = runner.invoke(main, args)
        assert result.exit_code == 2
        assert "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1


def test_a_bug_is_one_line_and_exit_2_and_spares_the_other_files(tmp_path, monkeypatch):
    from despin.decoding.engine import Engine

    check = Engine._check  # what `check` and `restore` both read a text with

    def failing(self, text, source="<text>"):
        if "boom" in text:
            raise IndexError("list index out of range")
        return check(self, text, source)

    monkeypatch.setattr(Engine, "_check", failing)
    bug = tmp_path / "bug.txt"
    bug.write_text("The boom was heard far away.\n")
    clean = tmp_path / "clean.txt"
    clean.write_text("The heavy rain fell on the quiet village all night long.\n")
    runner = CliRunner()
    result = runner.invoke(main, ["check", "--fast", "--json", str(bug), str(clean)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert "internal error (IndexError" in lines[0]["error"] and lines[1]["findings"] == []
    result = runner.invoke(main, ["restore", "--fast", str(bug)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1 and "DESPIN_DEBUG=1" in result.output
    assert result.output.startswith(f"despin: {bug}: internal error (IndexError")  # which file, as `check` says
    monkeypatch.setenv("DESPIN_DEBUG", "1")
    assert isinstance(runner.invoke(main, ["restore", "--fast", str(bug)]).exception, IndexError)


def test_restore_stdin_and_explain():
    runner = CliRunner()
    result = runner.invoke(main, ["restore", "--explain", "-"], input="We apply irregular woodland to it.\n")
    assert result.exit_code == 1
    assert "random forest" in result.output


def test_restore_says_when_it_leaves_a_text_alone_as_not_english():
    german = "Der Hund läuft jeden Morgen schnell über die breite Straße und bellt laut.\n"
    runner = CliRunner()
    result = runner.invoke(main, ["restore", "--fast", "-"], input=german)
    assert result.exit_code == 0
    assert result.stdout == german
    assert "left as it is, not English" in result.stderr
    line = json.loads(runner.invoke(main, ["restore", "--fast", "--json", "-"], input=german).stdout)
    assert line["supported"] is False and line["text"] == german
    english = runner.invoke(main, ["restore", "--fast", "--json", "-"], input="We apply irregular woodland to it.\n")
    assert "supported" not in json.loads(english.stdout)


def test_hostile_text_cannot_drive_the_terminal(tmp_path):
    page = tmp_path / "evil.txt"
    page.write_text("The Supreme Courtroom \x1b[31m[bold]ruled[/bold] on it.\n")
    result = CliRunner().invoke(main, ["check", str(page)])
    assert "\x1b[31m" not in result.output


def test_help_teaches():
    result = CliRunner().invoke(main, ["check", "--help"])
    assert "Examples" in result.output and "Exit status" in result.output


def test_trace_output_cannot_drive_the_terminal(tmp_path):
    text = "The committee passed the annual budget after a long debate about schools and roads. " * 5
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "\x1b[31mred", "text": text}) + "\n")  # a name from the web
    index = str(tmp_path / "i.sqlite")
    runner = CliRunner()
    assert runner.invoke(main, ["index", "add", "--index", index, str(feed)]).exit_code == 0
    result = runner.invoke(main, ["trace", "--index", index, "-"], input=text)
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "#\\u001b[31mred" in result.output
    restored_first = runner.invoke(main, ["trace", "--restore", "--fast", "--index", index, "-"], input=text)
    assert restored_first.exit_code == 1


@pytest.mark.parametrize("option", [["--limit", "-1"], ["--limit", "0"], ["--passages", "-2"]])
def test_trace_refuses_counts_below_their_floor(option):
    result = CliRunner().invoke(main, ["trace", *option, "-"], input="text")
    assert result.exit_code == 2 and "Invalid value" in result.output


def test_progress_on_a_watched_terminal_leaves_redirected_output_alone(tmp_path, monkeypatch):
    # stderr is a terminal and stdout a file ("despin check --json *.html > pages.jsonl"): the
    # display goes to stderr, and the JSON lines must not be routed through it.
    from rich.console import Console

    monkeypatch.setattr(Console, "is_terminal", property(lambda console: console.stderr))
    names = []
    for name in ("a\x1b[31m[bold].txt", "b.txt"):  # a file name from a crawl is no markup either
        (tmp_path / name).write_text("The Supreme Courtroom ruled on the case yesterday.\n")
        names.append(str(tmp_path / name))
    result = CliRunner().invoke(main, ["check", "--fast", "--json", *names])
    assert result.exit_code == 1
    assert [json.loads(line)["findings"][0]["restoration"] for line in result.stdout.splitlines()] \
        == ["Supreme Court"] * 2
    assert "checking" in result.stderr and "a\x1b" not in result.stderr


def test_the_json_fields_are_the_documented_ones(tmp_path):
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "output.md").read_text()
    documented = {name for row in re.findall(r"^\| (`[^|]+`) \|", doc, re.MULTILINE) for name in re.findall(r"`(\w+)`", row)}
    page = tmp_path / "page.txt"
    page.write_text("The Supreme Courtroom ruled on Monday.\n")
    line = json.loads(CliRunner().invoke(main, ["check", "--fast", "--json", str(page)]).stdout)
    finding = line["findings"][0]
    assert set(line) | set(finding) == documented


def test_a_disguised_word_is_shown_and_counts_as_found(tmp_path):
    page = tmp_path / "disguised.txt"
    page.write_text("The committee read the \u0435vidence on Monday.\n")
    runner = CliRunner()
    result = runner.invoke(main, ["check", "--fast", str(page)])
    assert result.exit_code == 1
    assert "disguised word" in result.output and "Cyrillic" in result.output
    line = json.loads(runner.invoke(main, ["check", "--fast", "--json", str(page)]).stdout)
    assert line["disguises"][0]["plain"] == "evidence" and line["findings"] == []
    shown = runner.invoke(main, ["check", "--fast", "-"], input="The com\u200bmittee met.\n").output
    assert "\\u200b" in shown and "\u200b" not in shown


def test_restore_writes_plain_text_back_in_its_own_encoding(tmp_path):
    runner = CliRunner()
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbfA plain sentence about the weather.\n")
    result = runner.invoke(main, ["restore", "--fast", str(bom)])
    assert result.exit_code == 0 and result.stdout_bytes == bom.read_bytes()
    wide = tmp_path / "wide.txt"
    wide.write_bytes("We apply irregular woodland here.\n".encode("utf-16"))
    result = runner.invoke(main, ["restore", "--fast", str(wide)])
    assert result.stdout_bytes == "We apply random forest here.\n".encode("utf-16")


def test_a_page_with_furniture_scores_the_same_in_the_cli_and_the_api(tmp_path):
    import despin

    text = "[ad_1]\nThe weather was nice today and we went for a walk in the park.\n[ad_2]\nSource link\n"
    page = tmp_path / "page.txt"
    page.write_text(text)
    result = CliRunner().invoke(main, ["check", "--fast", "--json", str(page)])
    assert json.loads(result.stdout)["spin_score"] == despin.check(text, fast=True).spin_score == 0.2


def test_restore_lists_the_furniture_it_leaves_out():
    page = "[ad_1]\nThe weather was nice today.\n[ad_2]\nSource link\n"
    runner = CliRunner()
    result = runner.invoke(main, ["restore", "--fast", "--explain", "-"], input=page)
    assert result.stdout == "The weather was nice today.\n"
    assert result.exit_code == 1  # the text was changed, though no word was rewritten
    assert result.stderr.splitlines() == ["1:1 '[ad_1]' left out  autoblog ad-marker",
                                          "3:1 '[ad_2]' left out  autoblog ad-marker",
                                          "4:1 'Source link' left out  autoblog source-link"]
    line = json.loads(runner.invoke(main, ["restore", "--fast", "--json", "-"], input=page).stdout)
    assert [(b["text"].strip(), b["kind"]) for b in line["boilerplate"]] == [
        ("[ad_1]", "ad-marker"), ("[ad_2]", "ad-marker"), ("Source link", "source-link")]


def test_a_line_break_cannot_split_or_forge_a_report_line(tmp_path):
    page = tmp_path / "two.txt"
    page.write_text("The Supreme\nCourtroom ruled on Monday.\n")
    result = CliRunner().invoke(main, ["check", "--fast", str(page)])
    assert "Supreme\\nCourtroom" in result.stdout
    forged = tmp_path / "x\nevil.txt: spin score 0.00"
    forged.write_text("The Supreme Court ruled on Monday.\n")
    result = CliRunner().invoke(main, ["check", "--fast", str(forged)])
    assert not any(line.startswith("evil.txt") for line in result.stdout.splitlines())


def test_json_lines_stay_utf8_for_a_file_name_that_is_not(tmp_path):
    name = str(tmp_path / "bad\udcff.txt")  # how Python holds the byte 0xff of a file name
    with open(name, "w", encoding="utf-8") as f:
        f.write("The Supreme Courtroom ruled on the case yesterday.\n")
    result = CliRunner().invoke(main, ["check", "--fast", "--json", name, name + ".missing"])
    lines = [json.loads(line) for line in result.stdout_bytes.decode("utf-8").splitlines()]
    assert [line["source"].endswith(("bad\ufffd.txt", "bad\ufffd.txt.missing")) for line in lines] == [True, True]


def test_ctrl_c_exits_2_not_1_which_means_found(monkeypatch):
    from despin.cli import trace_cmd

    def interrupted(value):
        raise KeyboardInterrupt

    monkeypatch.setattr(trace_cmd, "_index_path", interrupted)
    result = CliRunner().invoke(main, ["index", "stats"])
    assert result.exit_code == 2 and "interrupted" in result.output


def test_a_big_txt_file_is_streamed_only_when_it_is_plain_text(tmp_path, monkeypatch):
    from despin.cli import check_cmd

    monkeypatch.setattr(check_cmd, "STREAM_BYTES", 100)
    page = tmp_path / "saved.txt"
    page.write_text("<!DOCTYPE html><html><body>" + "<p>The committee met on Monday to talk.</p>" * 5
                    + "</body></html>\n")
    plain = tmp_path / "notes.txt"
    plain.write_text("The committee met on Monday to talk.\n" * 5)
    doc, _, size = check_cmd._read(str(page))
    assert doc.format == "html" and size is None and "<p>" not in doc.text
    doc, _, size = check_cmd._read(str(plain))
    assert doc.format == "text" and size == plain.stat().st_size


def test_a_text_read_in_blocks_and_partly_english_keeps_its_english_findings(monkeypatch):
    from despin.cli import check_cmd
    from despin.reading import iter_blocks

    monkeypatch.setattr(check_cmd, "STREAM_BYTES", 100)
    monkeypatch.setattr(check_cmd, "iter_blocks", lambda text: iter_blocks(text, 400))
    english = "We trained a counterfeit consciousness model on the survey data today.\n\n" * 6
    french = "Le gouvernement a annoncé de nouvelles mesures pour les écoles et les hôpitaux du pays.\n\n" * 6
    checked = CliRunner().invoke(main, ["check", "--fast", "--json", "-"], input=english + french)
    line = json.loads(checked.output)
    assert checked.exit_code == 1 and line["supported"] and "not English" in line["note"] and line["findings"]
    restored = CliRunner().invoke(main, ["restore", "--fast", "--json", "-"], input=english + french)
    line = json.loads(restored.stdout)
    assert line["supported"] and line["text"].endswith(french) and "artificial intelligence" in line["text"]
    french_only = CliRunner().invoke(main, ["restore", "--fast", "--json", "-"], input=french)
    assert json.loads(french_only.stdout)["supported"] is False


def test_the_command_tunes_the_collector_and_the_library_does_not(tmp_path):
    import gc

    import despin

    before = gc.get_threshold()
    try:
        gc.unfreeze()  # as Python starts, whatever other tests of the command left
        gc.set_threshold(700, 10, 10)
        despin.check("The Supreme Courtroom ruled.", fast=True)
        assert (gc.get_threshold(), gc.get_freeze_count()) == ((700, 10, 10), 0)
        (tmp_path / "a.txt").write_text("The Supreme Courtroom ruled.", encoding="utf-8")
        CliRunner().invoke(main, ["check", "--fast", str(tmp_path / "a.txt")])
        assert gc.get_threshold()[0] > 700
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_a_file_under_the_streaming_size_is_checked_whole_as_the_api_checks_it(tmp_path):
    # Cut in blocks of 200,000 characters at the last line break, "counterfeit\nconsciousness"
    # fell in two halves and was missed.
    import despin

    digits = "1234567890 " * 6 + "\n"
    text = digits * 2980 + "We trained a counterfeit\nconsciousness model" + " 1234567890" * 40 + "\n" + digits * 100
    page = tmp_path / "wrapped.txt"
    page.write_text(text)
    result = CliRunner().invoke(main, ["check", "--fast", "--json", str(page)])
    found = [(f["start"], f["restoration"]) for f in json.loads(result.stdout)["findings"]]
    assert found == [(f.start, f.restoration) for f in despin.check(text, fast=True).findings]
    assert found == [(text.index("counterfeit"), "artificial intelligence")] and result.exit_code == 1


def test_a_charset_a_plain_text_mentions_is_not_its_own(tmp_path):
    # Decoded as Latin-1, "human–computer interaction" could not be written back in it: restore
    # failed with an internal error.
    runner = CliRunner()
    notes = tmp_path / "notes.txt"
    notes.write_bytes('Notes on <meta charset="iso-8859-1"> pages. Caf\u00e9 owners study human-computer '
                      'connection in detail.\n'.encode("latin-1"))
    result = runner.invoke(main, ["restore", "--fast", str(notes)])
    assert result.exit_code == 2 and result.output.startswith(f"despin: {notes}: not valid UTF-8 at byte 47 (")
    # A page's declaration is its own, and its text comes back in UTF-8.
    page = tmp_path / "page.html"
    page.write_bytes('<html><head><meta charset="iso-8859-1"></head><body><p>Caf\u00e9 owners study '
                     'human-computer connection in detail.</p></body></html>'.encode("latin-1"))
    result = runner.invoke(main, ["restore", "--fast", str(page)])
    assert result.exit_code == 1
    assert result.stdout_bytes.decode("utf-8") == "Caf\u00e9 owners study human\u2013computer interaction in detail."


@pytest.mark.parametrize("charset", ["undefined", "utf-16"])
def test_a_charset_a_page_cannot_be_in_is_an_input_error_naming_the_file(tmp_path, charset):
    data = f'<html><head><meta charset="{charset}"></head><body><p>caf\u00e9</p></body></html>'.encode("latin-1")
    page = tmp_path / "page.html"
    page.write_bytes(data + b" " * (len(data) % 2))  # UTF-16 reads any even number of these bytes
    for command in ("check", "restore"):
        result = CliRunner().invoke(main, [command, "--fast", str(page)])
        assert result.exit_code == 2
        assert result.output.startswith(f"despin: {page}: not valid UTF-8 at byte ") and "bug" not in result.output


@pytest.mark.parametrize("args", [["check", "--min-score", "nan", "-"], ["restore", "--min-confidence", "NaN", "-"],
                                  ["cache", "clear", "--unused", "nan"]])
def test_nan_is_no_number_for_an_option(args):
    # It passed every bound, and then every comparison with it was false.
    result = CliRunner().invoke(main, args, input="The Supreme Courtroom ruled.\n")
    assert result.exit_code == 2 and "is not a number" in result.output


def test_a_text_that_is_not_english_lists_no_disguise_and_counts_as_clean():
    german = "Der Oberste Gerichts\u200bhof hat am Dienstag entschieden, sagte die Zeitung heute morgen.\n"
    runner = CliRunner()
    result = runner.invoke(main, ["check", "--fast", "-"], input=german)
    assert result.exit_code == 0 and result.output == "<stdin>: skipped, not English text: despin only restores English\n"
    line = json.loads(runner.invoke(main, ["check", "--fast", "--json", "-"], input=german).stdout)
    assert (line["supported"], line["disguises"], line["findings"]) == (False, [], [])


def test_an_empty_file_name_is_said_to_be_empty():
    result = CliRunner().invoke(main, ["check", ""])
    assert result.exit_code == 2 and result.output == 'despin: "": the file name is empty\n'
    result = CliRunner().invoke(main, ["index", "add", "--index", "never-made.sqlite", ""])
    assert result.exit_code == 2 and result.output == 'despin: "": the file name is empty\n'


DESPIN = [sys.executable, "-c", "from despin.cli.main import main; main()"]  # as a command, with real streams


def _despin(*args: str, **popen) -> subprocess.CompletedProcess:
    """despin run with standard output as `popen` sets it up."""
    return subprocess.run([*DESPIN, *args], stderr=subprocess.PIPE, text=True, timeout=120, check=False, **popen)


def test_an_output_that_cannot_be_written_is_said_in_one_line_not_as_a_bug(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("The Supreme Courtroom ruled on the case yesterday.\n")
    closed = _despin("restore", "--fast", str(page), preexec_fn=lambda: os.close(1))
    assert (closed.returncode, closed.stderr) == (2, "despin: cannot write the output: standard output is closed\n")
    if not os.path.exists("/dev/full"):
        return
    for args in (["check", "--fast", str(page)], ["check", "--json", str(tmp_path / "missing.txt")],
                 ["cache", "info"]):
        with open("/dev/full", "w") as full:
            result = _despin(*args, stdout=full)
        assert (result.returncode, result.stderr) == (2, "despin: cannot write the output: No space left on device\n")


def test_a_reader_that_goes_away_is_no_error_to_report(tmp_path):
    names = []
    for n in range(200):
        (tmp_path / f"{n}.txt").write_text("The Supreme Courtroom ruled on the case yesterday.\n")
        names.append(str(tmp_path / f"{n}.txt"))
    command = [*DESPIN, "check", "--fast", "--json", *names]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as head:
        assert json.loads(head.stdout.readline())["source"] == names[0]
        head.stdout.close()
        assert head.wait(timeout=120) == 141 and head.stderr.read() == b""  # 128 + SIGPIPE, as cat's


def test_restore_json_reports_an_unreadable_input_where_its_reader_reads(tmp_path):
    missing = str(tmp_path / "missing.txt")
    result = CliRunner().invoke(main, ["restore", "--fast", "--json", missing])
    assert result.exit_code == 2
    line = json.loads(result.stdout)
    assert line["source"] == missing and "missing.txt" in line["error"]


def test_a_text_that_is_not_english_is_clean_at_any_bar(tmp_path):
    page = tmp_path / "es.txt"
    page.write_text("El gobierno anunció hoy nuevas medidas económicas para el próximo año fiscal y "
                    "la oposición pidió más detalles sobre el presupuesto.\n")
    assert CliRunner().invoke(main, ["check", "--fast", "--min-score", "0.0001", str(page)]).exit_code == 0


def test_a_json_line_stays_one_line_for_every_reader():
    # Python's str.splitlines() also ends lines at U+0085, U+2028 and U+2029.
    text = "The Supreme Courtroom ruled.\u2028It met\u2029again\x85today.\n"
    out = CliRunner().invoke(main, ["restore", "--fast", "--json", "-"], input=text).stdout
    assert len(out.splitlines()) == 1 and "\\u2028" in out
    assert json.loads(out)["text"] == text.replace("Courtroom", "Court")


def test_a_usage_error_quoting_a_hostile_file_name_is_escaped():
    name = "evil\x1b]52;c;cHduZWQ=\x07\x1b[2J\u202eexe.txt"
    result = _despin("restore", "--fast", "a.txt", name)
    assert result.returncode == 2
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr and "evil\\u001b]52" in result.stderr


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8")
def test_a_file_name_that_is_not_utf8_is_reported_and_the_batch_goes_on(tmp_path):
    text = "The Supreme Courtroom ruled on the case yesterday.\n"
    odd = os.fsdecode(bytes(tmp_path) + b"/odd-\xff.txt")
    with open(odd, "w", encoding="utf-8") as handle:
        handle.write(text)
    (tmp_path / "b.txt").write_text(text)
    result = _despin("check", "--fast", odd, str(tmp_path / "b.txt"), stdout=subprocess.PIPE,
                     env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 1, result.stderr
    assert "odd-\\udcff.txt: spin score" in result.stdout and "b.txt: spin score" in result.stdout


def test_closing_furniture_is_reported_on_its_own_line():
    page = "The Supreme Courtroom ruled on Monday.\n\n\n\n[ad_1]\n"
    runner = CliRunner()
    assert "  5:1 autoblog ad-marker: '[ad_1]'" in runner.invoke(main, ["check", "--fast", "-"], input=page).stdout
    explained = runner.invoke(main, ["restore", "--fast", "--explain", "-"], input=page).stderr
    assert "5:1 '[ad_1]' left out  autoblog ad-marker" in explained
