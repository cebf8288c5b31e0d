"""Whether a change keeps the rankings as they were: a snapshot of every gold question's answer, and a comparison.

    python benchmarks/rankings.py snapshot --index index --gold gold/gold.jsonl --gold gold/unanswerable.jsonl \\
        --out /tmp/before-seeds.jsonl
    (change the code)
    python benchmarks/rankings.py snapshot … --out /tmp/after-seeds.jsonl
    python benchmarks/rankings.py compare /tmp/before-seeds.jsonl /tmp/after-seeds.jsonl

A snapshot holds, per question, what ``answer_question`` gives with ``-k 10``: found or not, the confidence, the
card's figure and each part's, and every result's passage id, score, answer figures and signals (full precision),
with the ``--explain`` record and line. ``compare`` prints one row per question that differs (floats to 1e-9)
and exits 1 when any does.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOLERANCE = 1e-9


def snapshot_of(response) -> dict:
    from qa.cli import _explain_line

    return {
        "found": response.found, "confidence": float(response.confidence),
        "answer": [response.answer.text, response.answer.source] if response.answer else None,
        "parts": [[part.question, part.found, float(part.confidence), part.answer.text if part.answer else None]
                  for part in response.parts],
        "results": [{"id": r.passage.id, "score": float(r.score), "answer": r.answer.text if r.answer else None,
                     "answering": [f.text for f in r.answering], "signals": vars(r.signals),
                     "explain": r.signals.explained(), "line": _explain_line(r)}
                    for r in response.results],
    }


def snapshot(args) -> None:
    from qa import threads
    from qa.answering import answer_question
    from qa.evaluation import load_gold
    from qa.index import open_store
    from qa.search import Searcher

    threads.for_searching()
    searcher = Searcher(open_store(args.index))
    with open(args.out, "w", encoding="utf-8") as out:
        for question in (q for path in args.gold for q in load_gold(path)):
            record = {"id": question.id, **snapshot_of(answer_question(searcher, question.question, k=10))}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def differences(a, b, where: str = "") -> list[str]:
    """Where two snapshot records differ: floats beyond ``TOLERANCE``, anything else at all."""
    if isinstance(a, float) and isinstance(b, float):
        return [] if math.isclose(a, b, rel_tol=0, abs_tol=TOLERANCE) else [f"{where}: {a!r} → {b!r}"]
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            return [f"{where}: fields {list(a)} → {list(b)}"]
        return [line for key in a for line in differences(a[key], b[key], f"{where}.{key}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} items → {len(b)}"]
        return [line for i, (x, y) in enumerate(zip(a, b)) for line in differences(x, y, f"{where}[{i}]")]
    return [] if a == b and type(a) is type(b) else [f"{where}: {a!r} → {b!r}"]


def compare(args) -> None:
    before = [json.loads(line) for line in args.before.read_text(encoding="utf-8").splitlines()]
    after = [json.loads(line) for line in args.after.read_text(encoding="utf-8").splitlines()]
    if [r["id"] for r in before] != [r["id"] for r in after]:
        sys.exit("the snapshots are of different questions")
    changed = [(old["id"], found) for old, new in zip(before, after) if (found := differences(old, new))]
    print("| question | differences | first |\n|---|---|---|")
    for question, found in changed:
        print(f"| {question} | {len(found)} | {found[0]} |")
    print(f"\n{len(before)} questions, {len(changed)} differ (floats to {TOLERANCE:g})")
    sys.exit(1 if changed else 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    take = commands.add_parser("snapshot", help="answer every gold question and write a snapshot")
    take.add_argument("--index", type=Path, default=ROOT / "index")
    take.add_argument("--gold", type=Path, action="append", required=True)
    take.add_argument("--out", type=Path, required=True)
    check = commands.add_parser("compare", help="compare two snapshots")
    check.add_argument("before", type=Path)
    check.add_argument("after", type=Path)
    args = parser.parse_args()
    snapshot(args) if args.command == "snapshot" else compare(args)


if __name__ == "__main__":
    main()
