"""Scans of real reports: OCR read against the known text, and the same questions asked of scanned and text versions.

    python benchmarks/scans.py [--work DIR] [--documents REL ...] [--no-questions] [--json]

Reports of three genres from ``corpus/`` (a communiqué published as a PDF, a provincial report and a
county's, both as plain text: 27 pages) are laid out as their publisher's file lays them out: a
PDF as it is, a Word or text file printed to PDF by LibreOffice (``soffice --headless --convert-to pdf``). Every
page is rendered at 200 dpi in grey by pdfium, a quarter of them each left clean, turned +1°, turned −1°
or slightly blurred, and the pages saved as an image-only PDF with the report's name (``.pdf``).

1. **OCR against the known text.** The scanned PDF is read as a build reads it and compared page by page
   with the text the same converter reads from the printed PDF's text layer: character accuracy
   (1 − edits / known characters, whitespace aside) and each figure with its unit read exactly, read
   wrongly (other digits in its place: worse than missing) or missed. Pages whose original holds
   pictures worth OCR are left out of this measure (their text is in neither layer alone).
2. **Questions.** Two indexes are built in ``--work``: one of the reports as published, one of their
   scans. Every gold question (``gold/pile.jsonl``, ``gold/genres.jsonl``) whose documents are all among
   them is asked of both with ``qa eval`` (the scan's document name is mapped to its ``.pdf``), and
   Hit@5 and the answer card's right share are compared.

OCR results are cached in ``WORK/cache/ocr``: the first run reads every page by OCR (its pages per second
are cold), a second run with the same ``--work`` reads them from the cache; the table says how many were
read each way.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ocr import DPI, VARIANTS, Score, image_pdf, spoil  # noqa: E402  (benchmarks/ocr.py)

DOCUMENTS = (
    "bulletins/周口市统计公报2023.pdf",
    "provinces-2026-web/2026_江苏省_政府工作报告.txt",
    "cities/高阳县_2017_政府工作报告.txt",
)
GOLD = (ROOT / "gold" / "pile.jsonl", ROOT / "gold" / "genres.jsonl")
LIBREOFFICE_TEXT_FILTER = "Text (encoded):UTF8,LF,,,"


@dataclass
class Report:
    """One report: as published, printed to PDF, and scanned."""

    name: str  # relative to the corpus, as gold questions name it
    source: Path
    printed: Path  # a PDF with a text layer
    scanned: Path  # the image-only PDF
    pages: int = 0
    left_out: list[int] = field(default_factory=list)  # pages with pictures, not scored

    @property
    def scanned_name(self) -> str:
        return str(Path(self.name).with_suffix(".pdf"))


# ---------------------------------------------------------------- making the scans

def print_to_pdf(source: Path, folder: Path) -> Path:
    """The report as a PDF with a text layer: a PDF as published, anything else printed by LibreOffice."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{source.stem}.pdf"
    if target.exists():
        return target
    if source.suffix.lower() == ".pdf":
        shutil.copyfile(source, target)
        return target
    command = ["soffice", "--headless"]
    if source.suffix.lower() in (".txt", ".md"):
        command.append(f"--infilter={LIBREOFFICE_TEXT_FILTER}")
    command += ["--convert-to", "pdf", "--outdir", str(folder), str(source)]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    return target


def scan(printed: Path, target: Path) -> int:
    """Every page rendered in grey at ``DPI``, spoilt by turns (clean, +1°, −1°, blurred), saved image-only."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(printed))
    try:
        images = []
        for number in range(len(pdf)):
            page = pdf[number]
            image = page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
            page.close()
            images.append(spoil(image, VARIANTS[number % len(VARIANTS)]))
    finally:
        pdf.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    image_pdf(images, target)
    return len(images)


def make_reports(corpus: Path, work: Path, names: list[str]) -> list[Report]:
    reports = []
    for name in names:
        source = corpus / name
        printed = print_to_pdf(source, work / "printed" / Path(name).parent)
        report = Report(name, source, printed, work / "scanned" / Path(name).with_suffix(".pdf"))
        if report.scanned.exists():
            import pypdfium2 as pdfium

            with pdfium.PdfDocument(str(report.scanned)) as pdf:
                report.pages = len(pdf)
        else:
            report.pages = scan(printed, report.scanned)
        reports.append(report)
    return reports


# ---------------------------------------------------------------- OCR against the known text

def page_texts(converted) -> list[str]:
    """The converted text split at its page starts (one entry per page, ``unit`` "page")."""
    starts = list(converted.unit_starts) + [len(converted.text)]
    return [converted.text[starts[i]:starts[i + 1]] for i in range(len(starts) - 1)]


def pages_read_by_ocr(converted) -> set[int]:
    return {converted.locate(start) for start, _ in converted.ocr}


def pages_with_tables(converted) -> set[int]:
    return {converted.locate(start) for table in converted.tables for start, _ in table.rows}


@dataclass
class Reading:
    total: Score = field(default_factory=Score)
    running_text: Score = field(default_factory=Score)  # pages without a table in either reading
    by_variant: dict[str, Score] = field(default_factory=dict)
    by_report: dict[str, Score] = field(default_factory=dict)
    pages_scored: int = 0
    pages_with_tables: int = 0
    pages_read: int = 0
    seconds: float = 0.0
    engine_pages: int = 0
    engine_seconds: float = 0.0
    cached_pages: int = 0


def read_scans(reports: list[Report]) -> Reading:
    from qa.converters import convert, ocr

    reading = Reading()
    for report in reports:
        known = convert(report.printed)
        started, engine_pages, engine_seconds, cached = time.perf_counter(), ocr.STATS.pages, ocr.STATS.seconds, ocr.STATS.cached
        read = convert(report.scanned)
        reading.seconds += time.perf_counter() - started
        reading.engine_pages += ocr.STATS.pages - engine_pages
        reading.engine_seconds += ocr.STATS.seconds - engine_seconds
        reading.cached_pages += ocr.STATS.cached - cached
        reading.pages_read += report.pages
        pictured = pages_read_by_ocr(known)
        tabled = pages_with_tables(known) | pages_with_tables(read)
        known_pages, read_pages = page_texts(known), page_texts(read)
        for number in range(1, min(len(known_pages), len(read_pages)) + 1):
            if number in pictured:
                report.left_out.append(number)
                continue
            variant = VARIANTS[(number - 1) % len(VARIANTS)]
            scores = [reading.total, reading.by_variant.setdefault(variant, Score()),
                      reading.by_report.setdefault(report.name, Score())]
            if number not in tabled:
                scores.append(reading.running_text)
            for score in scores:
                # a table's known text may come in another order than its rows are read
                score.add(known_pages[number - 1], read_pages[number - 1], order_free=number in tabled)
            reading.pages_scored += 1
            reading.pages_with_tables += number in tabled
    return reading


# ---------------------------------------------------------------- questions on both versions

def gold_questions(names: set[str]) -> list[dict]:
    questions = []
    for path in GOLD:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                question = json.loads(line)
                if question.get("docs") and set(question["docs"]) <= names:
                    questions.append(question)
    return questions


def write_gold(questions: list[dict], mapping: dict[str, str], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for question in questions:
            out.write(json.dumps({**question, "docs": [mapping[doc] for doc in question["docs"]]},
                                 ensure_ascii=False) + "\n")
    return path


def qa(*arguments: str) -> str:
    done = subprocess.run([sys.executable, "-m", "qa", *arguments], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)
    if done.returncode:
        sys.exit(f"Error: qa {' '.join(arguments[:1])} failed:\n{done.stderr[-2000:]}")
    return done.stdout


@dataclass
class Asked:
    version: str
    questions: int
    hit1: float
    hit5: float
    card_right: float | None
    card_wrong: float | None
    card_silent: float | None
    build_seconds: float
    missed: list[str] = field(default_factory=list)  # ids found at rank ≤ 5 in the other version only


def ask(version: str, folder: Path, index: Path, gold: Path) -> tuple[Asked, dict]:
    started = time.perf_counter()
    qa("build", "--seeds", str(folder), "--index", str(index))
    built = time.perf_counter() - started
    report = json.loads(qa("eval", "--gold", str(gold), "--index", str(index), "--json"))
    card = report.get("card") or {}
    asked = Asked(version, report["counts"]["all"], report["metrics"]["hit@1"], report["metrics"]["hit@5"],
                  card.get("right"), card.get("wrong"), card.get("silent"), built)
    return asked, {question["id"]: question for question in report["questions"]}


@dataclass
class Cited:
    passages: int
    marked: int  # cited with a page and the OCR mark in both references and the details line


def check_citations(index: Path) -> Cited:
    """Every passage of the scanned index cited with its page and the OCR mark."""
    from qa.citations import OCR_MARK_EN, OCR_MARK_ZH, cite
    from qa.index import open_store

    store = open_store(index)
    passages = marked = 0
    for passage in store.iter_passages():
        citation = cite(passage, store.documents)
        passages += 1
        marked += (passage.ocr and passage.unit == "page" and passage.location >= 1
                   and citation.reference_zh.endswith(f"：{passage.location}{OCR_MARK_ZH}．")
                   and citation.reference_en.endswith(f": {passage.location} {OCR_MARK_EN}.")
                   and f"p. {passage.location}" in citation.details and OCR_MARK_EN in citation.details)
    return Cited(passages, marked)


def compare_questions(reports: list[Report], work: Path) -> tuple[list[Asked], list[str], Cited]:
    questions = gold_questions({report.name for report in reports})
    # the reports of this run alone (the indexes themselves are kept: their vectors are reused by content hash)
    text_folder, scan_folder = work / "text", work / "scanned-reports"
    for folder in (text_folder, scan_folder):
        shutil.rmtree(folder, ignore_errors=True)
    for report in reports:
        for source, target in ((report.source, text_folder / report.name),
                               (report.scanned, scan_folder / report.scanned_name)):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    text_gold = write_gold(questions, {r.name: r.name for r in reports}, work / "gold-text.jsonl")
    scan_gold = write_gold(questions, {r.name: r.scanned_name for r in reports}, work / "gold-scanned.jsonl")
    text, text_detail = ask("text", text_folder, work / "index-text", text_gold)
    scanned, scan_detail = ask("scanned", scan_folder, work / "index-scanned", scan_gold)
    differences = []
    for qid, question in text_detail.items():
        other = scan_detail.get(qid, {})
        text_hit = (question.get("rank") or 99) <= 5
        scan_hit = (other.get("rank") or 99) <= 5
        if text_hit != scan_hit or question.get("card") != other.get("card"):
            differences.append(f"{qid} {question['question']}: text rank {question.get('rank')}, card "
                               f"{question.get('card')} ({question.get('card_figure')}); scanned rank "
                               f"{other.get('rank')}, card {other.get('card')} ({other.get('card_figure')})")
    return [text, scanned], differences, check_citations(work / "index-scanned")


# ---------------------------------------------------------------- report

def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=Path("/tmp/qa-scans"),
                        help="folder for the printed and scanned reports, the indexes and the OCR cache")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--documents", nargs="+", default=list(DOCUMENTS), help="reports, relative to --corpus")
    parser.add_argument("--no-questions", action="store_true", help="only OCR against the known text")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not shutil.which("soffice") and any(not name.lower().endswith(".pdf") for name in args.documents):
        sys.exit("Error: LibreOffice (soffice) is needed to print Word and text reports to PDF")

    work = args.work
    cache = work / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    models = Path(os.path.expanduser("~/.cache/qa/models"))
    if models.exists() and not (cache / "models").exists():
        (cache / "models").symlink_to(models)  # the embedding model, converted once; OCR's cache stays apart
    os.environ["QA_CACHE"] = str(cache)

    reports = make_reports(args.corpus, work, args.documents)
    reading = read_scans(reports)
    cache_files = list((cache / "ocr").rglob("*.json"))
    asked, differences, cited = ([], [], None) if args.no_questions else compare_questions(reports, work)

    total = reading.total
    result = {
        "ocr_pages": reading.engine_pages, "cached_pages": reading.cached_pages,
        "pages": reading.pages_read, "pages_scored": reading.pages_scored,
        "left_out": {r.name: r.left_out for r in reports if r.left_out},
        "character_accuracy": round(total.accuracy, 4),
        "character_accuracy_running_text": round(reading.running_text.accuracy, 4),
        "pages_with_tables": reading.pages_with_tables, "figures": total.figures,
        "figures_exact": round(total.exact / max(1, total.figures), 4),
        "figures_wrong": round(total.wrong / max(1, total.figures), 4),
        "figures_missed": round(total.missed / max(1, total.figures), 4),
        "wrong_examples": total.wrong_examples,
        "by_variant": {v: {"accuracy": round(s.accuracy, 4), "figures_exact": round(s.exact / max(1, s.figures), 4)}
                       for v, s in reading.by_variant.items()},
        "by_report": {n: {"accuracy": round(s.accuracy, 4), "figures": s.figures, "exact": s.exact,
                          "wrong": s.wrong, "missed": s.missed} for n, s in reading.by_report.items()},
        "pages_per_second": round(reading.pages_read / reading.seconds, 3) if reading.seconds else None,
        "engine_seconds_per_page": round(reading.engine_seconds / reading.engine_pages, 2)
        if reading.engine_pages else None,
        "cache_bytes_per_page": round(sum(p.stat().st_size for p in cache_files) / max(1, len(cache_files))),
        "questions": [vars(a) for a in asked],
        "differences": differences,
        "cited": vars(cited) if cited else None,
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    print(f"{reading.pages_read} scanned pages of {len(reports)} reports; {reading.pages_scored} scored, "
          f"{reading.pages_with_tables} of them with tables (pages with pictures left out: "
          f"{result['left_out'] or 'none'}); {reading.engine_pages} pages and pictures read by OCR, "
          f"{reading.cached_pages} from the cache")
    print(f"\n{'measure':<44} {'value':>10}  target")
    print(f"{'character accuracy, every scored page':<44} {total.accuracy:>10.2%}  ≥ 97%")
    print(f"{'  pages without tables':<44} {reading.running_text.accuracy:>10.2%}")
    print(f"{'figures read exactly (of ' + str(total.figures) + ')':<44} {result['figures_exact']:>10.2%}  ≥ 99%")
    print(f"{'figures read wrongly':<44} {result['figures_wrong']:>10.2%}")
    print(f"{'figures missed':<44} {result['figures_missed']:>10.2%}")
    for variant, score in reading.by_variant.items():
        print(f"{'  ' + variant + ': characters / figures':<44} {score.accuracy:>10.2%}  "
              f"{score.exact / max(1, score.figures):.2%} of {score.figures}")
    for name, score in reading.by_report.items():
        print(f"{'  ' + Path(name).stem[:20] + ': characters / figures':<44} {score.accuracy:>10.2%}  "
              f"{score.exact}/{score.figures} exact, {score.wrong} wrong, {score.missed} missed")
    if reading.seconds:
        print(f"{'pages per second (reading the scans)':<44} {result['pages_per_second']:>10.3f}  "
              f"({reading.engine_pages} by OCR, {reading.cached_pages} cached)")
    if reading.engine_pages:
        print(f"{'seconds per page (OCR engine)':<44} {result['engine_seconds_per_page']:>10.2f}")
    print(f"{'cache bytes per page or picture':<44} {result['cache_bytes_per_page']:>10,}")
    for example in total.wrong_examples:
        print(f"  wrong: {example}")
    if asked:
        print(f"\n{'version':<10} {'questions':>9} {'Hit@1':>7} {'Hit@5':>7} {'card right':>10} {'wrong':>7} "
              f"{'silent':>7} {'build s':>8}")
        for a in asked:
            print(f"{a.version:<10} {a.questions:>9} {percent(a.hit1):>7} {percent(a.hit5):>7} "
                  f"{percent(a.card_right):>10} {percent(a.card_wrong):>7} {percent(a.card_silent):>7} "
                  f"{a.build_seconds:>8.0f}")
        print(f"\npassages of the scanned index cited with their page and the OCR mark: {cited.marked} of "
              f"{cited.passages}")
        if differences:
            print("\nquestions whose Hit@5 or card differs:")
        for line in differences:
            print(f"  {line}")


if __name__ == "__main__":
    main()
