"""Text reports read and built as fast as before OCR: this checkout against an earlier one, in the same run.

    python benchmarks/text_builds.py --baseline DIR [--seeds corpus] [--runs 3]
        [--baseline-index DIR] [--current-index DIR] [--work DIR] [--no-builds]

``--baseline`` is a checkout of the code to compare with (``git worktree add --detach /tmp/pre-ocr
5fc45db``: the main line just before OCR was merged). Each measure runs once per checkout in turn,
``--runs`` times, each in a fresh Python process, and the table gives medians:

1. **Reading**: every report under ``--seeds`` read as a build reads it (``qa.documents.read_document``:
   conversion and cleaning), in CPU seconds (a busy machine stretches wall time twofold between two
   identical runs; CPU time far less), by kind of file. Reports with no picture worth OCR (the *text-only*
   set) are timed apart from those with one (which this checkout reads by OCR; their OCR comes from a
   cache filled by a first, untimed pass, so that row is warm).
2. **Builds**: ``qa build`` of the text-only set into an index folder per checkout, each first copied
   from an index of the same reports (``--baseline-index``, ``--current-index``) so that every vector is
   reused by content hash and the build's time is its reading, chunking, analysis and writing: the
   child's CPU seconds, and wall seconds per stage as the build reports them. A small
   file is rewritten between runs so that each build reads every report again.

Both checkouts run with ``PYTHONPATH`` set to their own folder and the same Python, model and machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run inside each checkout: read every file it is given, print seconds per file as JSON.
READER = r"""
import json, sys, time
from pathlib import Path
from qa.documents import read_document
root = Path(sys.argv[1])
seconds = {}
for name in sys.argv[2:]:
    started = time.process_time()
    try:
        read_document(root / name, root)
    except Exception as error:  # the earlier code refuses what it cannot read; the time still counts
        pass
    seconds[name] = time.process_time() - started
print(json.dumps(seconds))
"""

# Run once in this checkout: which reports hold text read by OCR.
OCR_READ = r"""
import json, sys
from pathlib import Path
from qa.documents import read_document
root = Path(sys.argv[1])
found = []
for name in sys.argv[2:]:
    doc = read_document(root / name, root)
    if doc.ocr:
        found.append(name)
print(json.dumps(found))
"""


@dataclass
class Checkout:
    label: str
    folder: Path
    index: Path | None = None
    reading: dict[str, list[float]] = field(default_factory=dict)  # set → seconds per run
    building: list[dict] = field(default_factory=list)  # one build report a run, with its "cpu" seconds
    last_cpu: float = 0.0

    def run(self, code_or_args: list[str], cache: Path) -> str:
        """Run Python in this checkout; the child's CPU seconds are added to ``cpu``."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run([sys.executable, *code_or_args], capture_output=True, text=True, cwd=self.folder,
                              env={**os.environ, "PYTHONPATH": str(self.folder), "QA_CACHE": str(cache)})
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.last_cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        if done.returncode:
            sys.exit(f"Error: {self.label}: {done.stderr[-1500:]}")
        return done.stdout


def source_names(seeds: Path) -> list[str]:
    from qa.documents import source_files

    return [str(path.relative_to(seeds)) for path in source_files(seeds)]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", type=Path, required=True, help="checkout of the earlier code")
    parser.add_argument("--seeds", type=Path, default=ROOT / "corpus")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline-index", type=Path, help="an index of --seeds built by the earlier code")
    parser.add_argument("--current-index", type=Path, help="an index of --seeds built by this code")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--no-builds", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))

    work = args.work or Path(tempfile.mkdtemp(prefix="text-builds-"))
    cache = work / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    models = Path(os.path.expanduser("~/.cache/qa/models"))
    if models.exists() and not (cache / "models").exists():
        (cache / "models").symlink_to(models)
    seeds = args.seeds.resolve()
    names = source_names(seeds)
    current = Checkout("this checkout", ROOT, args.current_index)
    baseline = Checkout("baseline", args.baseline.resolve(), args.baseline_index)
    checkouts = [baseline, current]

    # untimed: which reports this code reads by OCR (and their OCR cached for the timed runs)
    pictured = json.loads(current.run(["-c", OCR_READ, str(seeds), *names], cache))
    text_only = [name for name in names if name not in pictured]
    sets = {"text-only": text_only, "with pictures (warm OCR cache)": pictured}

    for run in range(args.runs):
        for checkout in (checkouts if run % 2 == 0 else checkouts[::-1]):
            seconds = json.loads(checkout.run(["-c", READER, str(seeds), *names], cache))
            for label, chosen in sets.items():
                checkout.reading.setdefault(label, []).append(sum(seconds[name] for name in chosen))
            for suffix in sorted({Path(name).suffix for name in text_only}):
                checkout.reading.setdefault(f"  text-only {suffix}", []).append(
                    sum(seconds[name] for name in text_only if name.endswith(suffix)))

    if not args.no_builds:
        text_seeds = work / "text-only"
        for name in text_only:
            (text_seeds / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(seeds / name, text_seeds / name)
        toggle = text_seeds / "zz-rebuild.txt"
        for checkout in checkouts:
            index = work / f"index-{'current' if checkout is current else 'baseline'}"
            if checkout.index is not None and not index.exists():
                shutil.copytree(checkout.index, index)
            checkout.index = index
            toggle.write_text("重读。\n", encoding="utf-8")
            checkout.run(["-m", "qa", "build", "--seeds", str(text_seeds), "--index", str(index), "--json"], cache)
        for run in range(args.runs):
            for checkout in (checkouts if run % 2 == 0 else checkouts[::-1]):
                # bytes change, text does not: every report is read again, every vector reused
                toggle.write_text("重读。\n" + "\n" * (run + 1), encoding="utf-8")
                report = json.loads(checkout.run(["-m", "qa", "build", "--seeds", str(text_seeds),
                                                  "--index", str(checkout.index), "--json"], cache))
                checkout.building.append({**report, "cpu": checkout.last_cpu})

    print(f"{len(names)} reports under {seeds}: {len(text_only)} text-only, {len(pictured)} with pictures read by "
          f"OCR; medians of {args.runs} runs; load average {os.getloadavg()[0]:.1f} at the end")
    print(f"\n{'reading (conversion and cleaning), CPU s':<36} {'baseline':>9} {'current':>9} {'change':>8}")
    for label in baseline.reading:
        before, after = median(baseline.reading[label]), median(current.reading[label])
        print(f"{label:<36} {before:>9.2f} {after:>9.2f} {(after / before - 1) if before else 0:>+8.1%}")
    if baseline.building:
        print(f"\n{'build of the text-only set':<36} {'baseline':>9} {'current':>9} {'change':>8}")
        stages = [key for key in current.building[0].get("stages", {}) if key in baseline.building[0].get("stages", {})]
        rows = [("whole build, CPU seconds", lambda report: report["cpu"]),
                ("whole build, wall seconds", lambda report: report["seconds"])]
        rows += [(f"  {stage}", lambda report, s=stage: report["stages"][s]) for stage in stages]
        for label, value in rows:
            before = median([value(report) for report in baseline.building])
            after = median([value(report) for report in current.building])
            print(f"{label:<36} {before:>9.2f} {after:>9.2f} {(after / before - 1) if before else 0:>+8.1%}")
        embedded = [report["embedded"] for checkout in checkouts for report in checkout.building]
        print(f"passages embedded in the timed builds: {embedded} (0 = every vector reused)")


if __name__ == "__main__":
    main()
