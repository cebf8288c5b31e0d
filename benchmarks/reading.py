"""Time to read and chunk reports, without embedding: the pile by format, and single large files. Prints a table.

    python benchmarks/reading.py [--corpus corpus] [--repeat 3] [--sizes 1,4,20] [--json]

The large files are made of the pile's own text: one file of N MB as a report
would be written (paragraphs and headings), and one N MB line with no
punctuation at all (the worst case for chunking).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.chunking import MAX_CHARS, chunk_document, describe  # noqa: E402
from qa.documents import iter_documents, read_document  # noqa: E402


def read_and_chunk(folder: Path) -> dict[str, tuple[int, int, float]]:
    """Per top-level folder: files, passages, seconds."""
    totals: dict[str, list] = {}
    started = time.perf_counter()
    last = started
    for doc in iter_documents(folder, []):
        passages = chunk_document(doc, describe(doc))
        now = time.perf_counter()
        group = doc.name.split("/")[0] if "/" in doc.name else "."
        entry = totals.setdefault(group, [0, 0, 0.0])
        entry[0] += 1
        entry[1] += len(passages)
        entry[2] += now - last
        last = now
    totals["all"] = [sum(v[0] for v in totals.values()), sum(v[1] for v in totals.values()),
                     time.perf_counter() - started]
    return {k: tuple(v) for k, v in totals.items()}


def large_file(folder: Path, megabytes: int, punctuation: bool) -> Path:
    pile = "".join(path.read_text(encoding="utf-8") for path in sorted((ROOT / "corpus" / "national").glob("*.txt")))
    if not punctuation:
        pile = "".join(c for c in pile if c not in "。，、；：！？“”《》（）\n ")
    target = megabytes * 1024 * 1024
    parts, size = [], 0
    while size < target:
        parts.append(pile)
        size += len(pile.encode("utf-8"))
    text = "".join(parts)
    text = text.encode("utf-8")[:target].decode("utf-8", errors="ignore")
    path = folder / f"{megabytes}mb-{'report' if punctuation else 'one-line'}.txt"
    path.write_text(text, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="1,4,20", help="sizes in MB of the single large files")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()

    rows = []
    runs = [read_and_chunk(options.corpus) for _ in range(options.repeat)]
    for group in runs[0]:
        files, passages, _ = runs[0][group]
        seconds = statistics.median(run[group][2] for run in runs)
        rows.append({"what": f"pile: {group}", "files": files, "passages": passages, "seconds": round(seconds, 3)})
    with tempfile.TemporaryDirectory() as scratch:
        for megabytes in (int(s) for s in options.sizes.split(",") if s):
            for punctuation in (True, False):
                path = large_file(Path(scratch), megabytes, punctuation)
                started = time.perf_counter()
                doc = read_document(path, path.parent)
                passages = chunk_document(doc, describe(doc))
                seconds = time.perf_counter() - started
                longest = max(len(p.text) for p in passages)
                rows.append({"what": f"{megabytes} MB {'report text' if punctuation else 'one line, no punctuation'}",
                             "files": 1, "passages": len(passages), "seconds": round(seconds, 3),
                             "longest": longest, "bound_kept": longest <= MAX_CHARS})
    if options.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    print(f"{'what':<40}{'files':>7}{'passages':>10}{'seconds':>10}{'longest':>9}")
    for row in rows:
        print(f"{row['what']:<40}{row['files']:>7}{row['passages']:>10}{row['seconds']:>10.2f}"
              f"{row.get('longest', ''):>9}")


if __name__ == "__main__":
    main()
