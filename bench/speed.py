"""Speed and memory on one core: start-up, the first result, words per second of check and restore,
peak memory.

    python bench/speed.py [--words 20000]
    python bench/speed.py --model [--threads 2] [--words 3000]   # model mode (issue 3)
    python bench/speed.py --model --triage                         # ... for sorting pages

Model mode runs on `--threads` cores (not pinned to one) and measures: the context model's load
time once its conversion is cached (a fresh process: import + load), and restore words per
second on clean prose and on the same prose spun by bench/spinner.py (rate 0.15).

The input is held-out Wikipedia prose (`report` part, 116k words) repeated to the requested
size: beyond 116k words the text repeats, so per-word caches are warmer than on fresh text of
that size. Run with the compiled lexicons already cached. Fast mode is measured twice, each in a
fresh process: with Python's garbage-collector settings, as a program using the library has
them, and with the settings the `despin` command uses (cli/check_cmd.py's tune_collector).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

from common import save, table

from despin.scoring.corpora import wiki_summaries

COLLECTORS = {"python": "Python's", "command": "the command's"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=20_000)
    parser.add_argument("--model", action="store_true", help="model mode: load time, restore words/s")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--triage", action="store_true", help="model mode without its last round of flags")
    parser.add_argument("--collector", choices=COLLECTORS, help=argparse.SUPPRESS)  # one measurement, as JSON
    args = parser.parse_args()
    if args.model:
        return model_mode(args)
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    if args.collector:
        print(json.dumps(measure(args.words, args.collector)))
        return
    # Start-up: import and load; first result: that and one sentence checked, which also loads
    # what the engine reads only on first use (lemminflect's tables). The median of three fresh
    # processes: one alone varies by half a second on this shared machine.
    runs = [subprocess.run(
        [sys.executable, "-c", "import time; t=time.perf_counter(); import despin.api as a; "
         "from despin.decoding.engine import Config; e=a.engine(Config(model=False)); "
         "print(time.perf_counter()-t); e.check('The irregular woodland grew.'); print(time.perf_counter()-t)"],
        capture_output=True, text=True, check=True) for _ in range(3)]
    start_seconds, first_seconds = (statistics.median(times) for times in zip(*(map(float, run.stdout.split())
                                                                                  for run in runs)))
    rows = []
    for collector in COLLECTORS:
        run = subprocess.run([sys.executable, __file__, "--words", str(args.words), "--collector", collector],
                             capture_output=True, text=True, check=True)
        rows.append(json.loads(run.stdout.strip().splitlines()[-1]))
    result = {"words": rows[0]["words"], "startup_s": start_seconds, "first_result_s": first_seconds,
              "check_words_per_s": rows[0]["check"], "restore_words_per_s": rows[0]["restore"],
              "cli_check_words_per_s": rows[1]["check"], "cli_restore_words_per_s": rows[1]["restore"],
              "peak_memory_mb": max(row["peak_mb"] for row in rows)}
    save("speed", result)
    print("## Speed and memory (one core, fast mode)\n")
    print(table(["words", "collector settings", "start-up s", "first result s", "check words/s", "restore words/s",
                 "peak memory MB"],
                [[row["words"], COLLECTORS[row["collector"]], round(start_seconds, 2), round(first_seconds, 2),
                  round(row["check"]), round(row["restore"]), round(row["peak_mb"])] for row in rows]))


def measure(words_wanted: int, collector: str) -> dict:
    """Check and restore in this process, as one line of JSON."""
    docs, words = [], 0
    while words < words_wanted:
        for _title, text in wiki_summaries("report"):
            docs.append(text)
            words += len(text.split())
            if words >= words_wanted:
                break
    text = "\n\n".join(docs)
    from despin.api import engine
    from despin.cli.check_cmd import tune_collector
    from despin.decoding.engine import Config

    eng = engine(Config(model=False))
    if collector == "command":
        tune_collector()
    t = time.perf_counter()
    eng.check(text)
    check_rate = words / (time.perf_counter() - t)
    t = time.perf_counter()
    eng.restore(text)
    restore_rate = words / (time.perf_counter() - t)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"words": words, "collector": collector, "check": check_rate, "restore": restore_rate, "peak_mb": peak_mb}


def model_mode(args) -> None:
    from spinner import spin

    from despin.decoding.engine import Config, Engine

    load = subprocess.run(
        [sys.executable, "-c", "import time; t=time.perf_counter(); from despin.scoring.lm import "
         f"load_context_model as l; m=l(threads={args.threads}); assert m; print(time.perf_counter()-t)"],
        capture_output=True, text=True, check=True)
    load_seconds = float(load.stdout.strip().splitlines()[-1])
    docs, words = [], 0
    for _title, text in wiki_summaries("report"):
        docs.append(text)
        words += len(text.split())
        if words >= args.words:
            break
    engine = Engine(Config(model=True, threads=args.threads, last_flags=not args.triage))
    assert engine.mode == "model"
    rates = {}
    for name, texts in (("clean", docs), ("spun", [spin(d, 0.15, seed=i)[0] for i, d in enumerate(docs)])):
        n = sum(len(t.split()) for t in texts)
        t = time.perf_counter()
        for text in texts:
            engine.restore(text)
        rates[name] = n / (time.perf_counter() - t)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {"words": words, "threads": args.threads, "model_load_s": load_seconds,
              "restore_clean_words_per_s": rates["clean"], "restore_spun_words_per_s": rates["spun"],
              "peak_memory_mb": peak_mb}
    save("speed-model" + ("-triage" if args.triage else ""), result)
    print(f"## Speed (model mode{' for triage' if args.triage else ''}, {args.threads} threads)\n")
    print(table(["words", "model load s (cached)", "restore words/s, clean", "restore words/s, spun news",
                 "peak memory MB"],
                [[words, round(load_seconds, 2), round(rates["clean"]), round(rates["spun"]), round(peak_mb)]]))


if __name__ == "__main__":
    main()
