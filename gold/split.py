"""Assign every gold question to ``dev`` or ``test`` by the documents it is about, never question by question.

A document's split comes from a hash of its name: within each folder of documents (the seed folder,
``corpus/national`` …) the documents are ordered by the SHA-1 of their names and the first two in five go
to ``test``. A question goes to ``test`` when every document it names is a test document, to ``dev`` when
every one is a dev document; a question naming documents of both splits goes to ``dev`` and is counted
apart (``mixed``), since its test document was seen in tuning. An unanswerable question follows the
document it is about (its ``docs``), and keeps its split when it names none (a place with no report).
``genres.jsonl`` was split by hand, by document, when it was written (see README.md); this script checks
that split instead of changing it.

``series.jsonl`` follows the same documents: a series question is a test question when every report that states
one of its expected cells is a test document, a dev question when every one is a dev document, and a dev
question counted apart when it reads reports of both splits (most questions over a run of years do).

    python gold/split.py            # rewrite the files' split fields, print a summary
    python gold/split.py --check    # exit 1 if any file disagrees with the rule
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

GOLD = Path(__file__).resolve().parent
TEST_SHARE = (2, 5)  # two documents in five, per folder
RULED = ("gold.jsonl", "pile.jsonl", "unanswerable.jsonl")


def folder_of(document: str) -> str:
    return document.rsplit("/", 1)[0] if "/" in document else ""


def document_splits(documents: set[str]) -> dict[str, str]:
    splits = {}
    by_folder: dict[str, list[str]] = {}
    for document in documents:
        by_folder.setdefault(folder_of(document), []).append(document)
    for folder, names in by_folder.items():
        names.sort(key=lambda name: hashlib.sha1(name.encode("utf-8")).hexdigest())
        tests = max(1, round(len(names) * TEST_SHARE[0] / TEST_SHARE[1]))
        splits.update({name: "test" if i < tests else "dev" for i, name in enumerate(names)})
    return splits


def split_of(docs: list[str], splits: dict[str, str], keep: str) -> tuple[str, bool]:
    if not docs:
        return keep, False
    kinds = {splits[doc] for doc in docs}
    return ("test" if kinds == {"test"} else "dev"), len(kinds) > 1


def split_series(check: bool, splits: dict[str, str]) -> int:
    path = GOLD / "series.jsonl"
    if not path.exists():
        return 0
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    unknown = sorted({doc for row in rows for cell in row["cells"] for doc in cell["docs"]} - set(splits))
    if unknown:
        print(f"series.jsonl names reports no other gold set names, so they have no split: {', '.join(unknown)}")
        return 1
    counts, mixed, disagreements = resplit(
        rows, splits, lambda row: sorted({doc for cell in row["cells"] for doc in cell["docs"]}))
    print(f"series.jsonl: {dict(sorted(counts.items()))}, {mixed} reading reports of both splits (dev)")
    if not check:
        write_rows(path, rows)
    return 1 if check and disagreements else 0


def resplit(rows: list[dict], splits: dict[str, str], docs_of) -> tuple[Counter, int, int]:
    """Set each row's split from the documents ``docs_of(row)`` names; return the counts per split, the rows naming
    documents of both splits, and the rows whose split changed."""
    counts, mixed, disagreements = Counter(), 0, 0
    for row in rows:
        split, both = split_of(docs_of(row), splits, row["split"])
        mixed += both
        disagreements += split != row["split"]
        row["split"] = split
        counts[split] += 1
    return counts, mixed, disagreements


def write_rows(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")


def main(check: bool) -> int:
    rows = {name: [json.loads(line) for line in (GOLD / name).read_text(encoding="utf-8").splitlines() if line.strip()]
            for name in RULED}
    genres = [json.loads(line) for line in (GOLD / "genres.jsonl").read_text(encoding="utf-8").splitlines()
              if line.strip()] if (GOLD / "genres.jsonl").exists() else []
    hand = {doc: row["split"] for row in genres for doc in row["docs"]}
    documents = {doc for records in rows.values() for row in records for doc in row.get("docs", [])}
    splits = document_splits(documents - set(hand))
    splits.update(hand)
    disagreements = 0
    for name, records in rows.items():
        counts, mixed, changed = resplit(records, splits, lambda row: row.get("docs", []))
        disagreements += changed
        print(f"{name}: {dict(sorted(counts.items()))}, {mixed} naming documents of both splits (dev)")
        if not check:
            write_rows(GOLD / name, records)
    wrong_hand = [row["id"] for row in genres if {hand[d] for d in row["docs"]} != {row["split"]}]
    print(f"genres.jsonl: {Counter(row['split'] for row in genres)}, split by hand; {len(wrong_hand)} disagree")
    tests = sorted(doc for doc, split in splits.items() if split == "test")
    print(f"{len(tests)} test documents of {len(splits)}")
    series_status = split_series(check, splits)
    return 1 if check and (disagreements or wrong_hand or series_status) else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv[1:]))
