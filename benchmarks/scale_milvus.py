"""Scale on Milvus beside the local store: build, cold start and warm queries on the same synthetic corpora.

    python benchmarks/scale_milvus.py [--sizes 10000,100000] [--store milvus:PATH.db | milvus://HOST:PORT]
                                      [--questions 30] [--repeat 3] [--work DIR] [--keep] [--seed 0] [--json]

The corpora are benchmarks/scale.py's (its generator, questions and stand-in embedder are imported, not
changed): report-like text made from the pile with other places, years and figures. Every passage gets
a seeded random unit vector (the same vectors for both stores), so the build measures everything but
embedding; questions are embedded by the real query embedder. For each size and store, in fresh
processes:

  build   `build_index` from scratch: wall seconds and peak RSS (for Milvus Lite the database runs in
          the building process, so its memory is included), and the size on disk;
  cold    `python -m qa search QUESTION -k 5 --store …`, process start to answer, median of --repeat;
  warm    one process opens the store once, then p50/p95 per mode over the questions (k=10).

--store defaults to a Milvus Lite database under --work. A server (`milvus://HOST:PORT`, with
QA_MILVUS_TOKEN etc. in the environment) measures that server instead; its memory is not the
client's, so the RSS columns then show the client alone.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCHMARKS))
sys.dont_write_bytecode = True  # no __pycache__ in benchmarks/

import scale  # noqa: E402  (the corpus generator, questions and helpers, used as they are)

MODES = ("hybrid", "dense", "bm25")

BUILD_CHILD = r"""
import json, sys
from pathlib import Path
from qa import threads
threads.for_building()
benchmarks, corpus, index, store, fingerprint, seed = sys.argv[1:7]
sys.dont_write_bytecode = True
sys.path.insert(0, benchmarks)
from scale import RandomEmbedder
from qa.index import build_index
from qa.stores.spec import parse_store, store_from_environment
spec = parse_store(store, **{k: v for k, v in vars(store_from_environment()).items() if k in ("token", "tls", "ca_file")})
report = build_index(Path(corpus), Path(index), RandomEmbedder(fingerprint, int(seed)), force=True, store=spec)
print(json.dumps({"passages": report.passages, "seconds": report.seconds, "stages": report.stages}))
"""

SERVE_CHILD = r"""
import json, sys, time
from qa import threads
threads.for_searching()
index, store, questions_file = sys.argv[1:4]
questions = json.load(open(questions_file, encoding="utf-8"))
from qa.index import open_store
from qa.search import Searcher
from qa.stores.spec import parse_store, store_from_environment
spec = parse_store(store, **{k: v for k, v in vars(store_from_environment()).items() if k in ("token", "tls", "ca_file")})
clock = time.perf_counter()
searcher = Searcher(open_store(index, spec))
load = time.perf_counter() - clock
searcher.search(questions[0], k=10)  # loads the query embedder
timings = {mode: [] for mode in ("hybrid", "dense", "bm25")}
for question in questions:  # modes interleaved: a busy neighbour slows them alike
    for mode in timings:
        clock = time.perf_counter()
        searcher.search(question, k=10, mode=mode)
        timings[mode].append((time.perf_counter() - clock) * 1000)
rss = 0
with open("/proc/self/status") as handle:
    for line in handle:
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1]) / 1024
print(json.dumps({"load": load, "timings": timings, "rss": rss}))
"""


def measure(store: str, passages: int, corpus: Path, index: Path, questions: list[str], questions_file: Path,
            fingerprint: str, options, env: dict) -> dict:
    label = "local" if store == "local" else "milvus"
    scale.log(f"  {label}: building …")
    build_s, build_rss, out, build_cpu = scale.measured(
        [sys.executable, "-c", BUILD_CHILD, str(BENCHMARKS), str(corpus), str(index), store, fingerprint,
         str(options.seed)], env, f"the {label} build")
    report = json.loads(out.strip().splitlines()[-1])
    where = index if store == "local" else Path(store[len("milvus:"):]) if not store.startswith("milvus://") else None
    disk = scale.disk_usage(where)[0] / 2**20 if where is not None and where.exists() else None
    scale.log(f"  {label}: built {report['passages']:,} passages in {build_s:.1f} s, peak RSS {build_rss:.0f} MiB")
    cold = [scale.measured([sys.executable, "-m", "qa", "search", questions[0], "--index", str(index), "-k", "5",
                            "--store", store], env, f"{label} qa search")[:2] for _ in range(options.repeat)]
    scale.log(f"  {label}: cold search {statistics.median(s for s, _ in cold):.2f} s")
    _, serve_peak, out, _ = scale.measured([sys.executable, "-c", SERVE_CHILD, str(index), store, str(questions_file)],
                                           env, f"the {label} serving process")
    served = json.loads(out.strip().splitlines()[-1])
    warm = {mode: {"p50": statistics.median(times), "p95": scale.percentile(times, 0.95)}
            for mode, times in served["timings"].items()}
    scale.log(f"  {label}: warm hybrid p50 {warm['hybrid']['p50']:.1f} ms")
    return {"store": label, "passages": report["passages"], "build_s": round(build_s, 1),
            "build_cpu_s": round(build_cpu, 1), "build_peak_rss_mib": round(build_rss),
            "disk_mib": None if disk is None else round(disk, 1), "load_s": round(served["load"], 3),
            "cold_s": round(statistics.median(s for s, _ in cold), 3),
            "cold_peak_rss_mib": round(max(m for _, m in cold)),
            "warm_ms": {mode: {k: round(v, 1) for k, v in values.items()} for mode, values in warm.items()},
            "serving_rss_mib": round(served["rss"]), "serving_peak_rss_mib": round(serve_peak)}


def print_table(rows: list[dict], options, store: str) -> None:
    head = ("passages", "store", "build s", "build CPU s", "build peak RSS", "on disk", "open s", "cold search",
            *(f"{mode} p50/p95 ms" for mode in MODES), "serving RSS")
    table = [head]
    for row in rows:
        table.append((f"{row['passages']:,}", row["store"], f"{row['build_s']:.1f}", f"{row['build_cpu_s']:.0f}",
                      f"{row['build_peak_rss_mib']} MiB", "–" if row["disk_mib"] is None else f"{row['disk_mib']:.0f} MiB",
                      f"{row['load_s']:.2f}", f"{row['cold_s']:.2f} s / {row['cold_peak_rss_mib']} MiB",
                      *(f"{row['warm_ms'][m]['p50']:.1f} / {row['warm_ms'][m]['p95']:.1f}" for m in MODES),
                      f"{row['serving_rss_mib']} MiB"))
    widths = [max(len(str(line[i])) for line in table) for i in range(len(head))]
    for number, line in enumerate(table):
        print("  ".join(f"{cell:>{width}}" for cell, width in zip(line, widths)))
        if number == 0:
            print("  ".join("-" * width for width in widths))
    print(f"\n{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end; milvus = {store}; "
          f"project {scale.project_version()}; {time.strftime('%Y-%m-%d')}")
    print(f"random passage vectors for both stores; cold = median of {options.repeat} fresh `qa search … -k 5` runs "
          f"(time / peak RSS); warm = {options.questions} questions, k=10, modes interleaved in one process")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=scale.parse_sizes, default=[10_000, 100_000])
    parser.add_argument("--store", help="the Milvus store to measure (default: milvus:WORK/milvus-SIZE.db)")
    parser.add_argument("--questions", type=int, default=30, help="warm questions per mode (default 30)")
    parser.add_argument("--repeat", type=int, default=3, help="cold `qa search` runs per size and store (median)")
    parser.add_argument("--work", type=Path, help="folder for corpora, indexes and databases (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep what this run creates")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()

    from qa.embedding import Embedder

    fingerprint = Embedder().fingerprint()
    env, _ = scale.child_environment()
    temporary = options.work is None
    work = Path(tempfile.mkdtemp(prefix="qa-scale-milvus-")) if temporary else options.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    questions = scale.load_questions(options.questions, options.seed)
    questions_file = work / f".questions-{os.getpid()}.json"
    questions_file.write_text(json.dumps(questions, ensure_ascii=False), encoding="utf-8")
    created: list[Path] = []
    rows = []
    try:
        pile = {}
        for passages in options.sizes:
            corpus = work / f"corpus-{passages}-seed{options.seed}"
            if not (corpus / scale.MARKER).exists():
                created.append(corpus)
                pile.setdefault("pile", scale.Pile(ROOT / "corpus"))
            generated = scale.generate(corpus, passages, options.seed, scale.PASSAGES_PER_FILE, pile.get("pile"))
            scale.log(f"{passages:,} passages: corpus {'reused' if generated['reused'] else 'generated'} ({corpus})")
            milvus = options.store or f"milvus:{work / f'milvus-{passages}.db'}"
            for store in ("local", milvus):
                index = work / f"index-{passages}-{'local' if store == 'local' else 'milvus'}"
                for path in (index, *([Path(store[len('milvus:'):])] if store.startswith("milvus:")
                                      and not store.startswith("milvus://") else [])):
                    if path.exists():
                        shutil.rmtree(path)
                    created.append(path)
                rows.append(measure(store, passages, corpus, index, questions, questions_file, fingerprint,
                                    options, env))
    finally:
        questions_file.unlink(missing_ok=True)
        if options.keep:
            scale.log(f"kept in {work}")
        elif temporary:
            shutil.rmtree(work, ignore_errors=True)
        else:
            for path in created:
                shutil.rmtree(path, ignore_errors=True)
    if options.json:
        print(json.dumps({"cores": os.cpu_count(), "load_average": os.getloadavg()[0], "rows": rows}, indent=2))
        return
    print_table(rows, options, options.store or "Milvus Lite (milvus:WORK/milvus-SIZE.db)")


if __name__ == "__main__":
    main()
