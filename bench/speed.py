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
that size. Run with the compiled lexicons already cached.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time

from common import save, table

from despin.scoring.corpora import wiki_summaries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=20_000)
    parser.add_argument("--model", action="store_true", help="model mode: load time, restore words/s")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--triage", action="store_true", help="model mode without its last round of flags")
    args = parser.parse_args()
    if args.model:
        return model_mode(args)
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    # Start-up: import and load; first result: that and one sentence checked, which also loads
    # what the engine reads only on first use (lemminflect's tables).
    startup = subprocess.run(
        [sys.executable, "-c", "import time; t=time.perf_counter(); import despin.api as a; "
         "from despin.decoding.engine import Config; e=a.engine(Config(model=False)); "
         "print(time.perf_counter()-t); e.check('The irregular woodland grew.'); print(time.perf_counter()-t)"],
        capture_output=True, text=True, check=True)
    start_seconds, first_seconds = map(float, startup.stdout.split())
    docs, words = [], 0
    while words < args.words:
        for _title, text in wiki_summaries("report"):
            docs.append(text)
            words += len(text.split())
            if words >= args.words:
                break
    text = "\n\n".join(docs)
    from despin.api import engine
    from despin.decoding.engine import Config

    eng = engine(Config(model=False))
    t = time.perf_counter()
    eng.check(text)
    check_rate = words / (time.perf_counter() - t)
    t = time.perf_counter()
    eng.restore(text)
    restore_rate = words / (time.perf_counter() - t)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {"words": words, "startup_s": start_seconds, "first_result_s": first_seconds,
              "check_words_per_s": check_rate, "restore_words_per_s": restore_rate, "peak_memory_mb": peak_mb}
    save("speed", result)
    print("## Speed and memory (one core, fast mode)\n")
    print(table(["words", "start-up s", "first result s", "check words/s", "restore words/s", "peak memory MB"],
                [[words, round(start_seconds, 2), round(first_seconds, 2), round(check_rate), round(restore_rate),
                  round(peak_mb)]]))


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
