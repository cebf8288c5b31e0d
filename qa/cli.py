"""The ``qa`` command: build the index, search it, evaluate it."""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path

import click

from .chunking import PATH_SEPARATOR
from .documents import DocumentError
from .embedding import DEFAULT_MODEL, ModelError
from .evaluation import METRICS, GoldError
from .search import MODES, QueryError
from .stores import StoreError

USER_ERRORS = (DocumentError, ModelError, GoldError, StoreError, QueryError)

seeds_option = click.option(
    "--seeds", type=click.Path(path_type=Path), default=lambda: os.environ.get("QA_SEEDS", "seeds"),
    show_default="seeds",
    help="Folder of source reports, searched recursively (.txt .md .docx .pdf .html .htm).")
index_option = click.option(
    "--index", "index_dir", type=click.Path(path_type=Path), default=lambda: os.environ.get("QA_INDEX", "index"),
    show_default="index", help="Folder holding the built index.")
mode_option = click.option(
    "--mode", type=click.Choice(MODES), default="hybrid", show_default=True,
    help="hybrid fuses dense and BM25 rankings; dense or bm25 use one alone.")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")


def store_options(command):
    """--store and the Milvus connection options; the command receives one ``store`` (a StoreSpec)."""

    @click.option("--store", "store_name", default=lambda: os.environ.get("QA_STORE", "local"), show_default="local",
                  help="Where the index lives: local (the --index folder), milvus:PATH.db (Milvus Lite) or "
                       "milvus://HOST:PORT (a Milvus server or cluster).")
    @click.option("--milvus-token", default=lambda: os.environ.get("QA_MILVUS_TOKEN", ""),
                  help="Milvus user:password or API key (or QA_MILVUS_TOKEN).")
    @click.option("--milvus-tls", is_flag=True, default=lambda: os.environ.get("QA_MILVUS_TLS", "") not in
                  ("", "0", "false", "no"), help="Connect to the Milvus server over TLS (or QA_MILVUS_TLS=1).")
    @click.option("--milvus-ca", type=click.Path(dir_okay=False), default=lambda: os.environ.get("QA_MILVUS_CA", ""),
                  help="The Milvus server's CA certificate for TLS (or QA_MILVUS_CA).")
    @functools.wraps(command)
    def wrapper(*args, store_name: str, milvus_token: str, milvus_tls: bool, milvus_ca: str, **kwargs):
        from .stores.spec import parse_store

        store = parse_store(store_name, token=milvus_token, tls=milvus_tls, ca_file=milvus_ca or "")
        return command(*args, store=store, **kwargs)

    return wrapper


def user_errors(command):
    """Turn expected failures into a one-line message and exit status 1, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except USER_ERRORS as error:
            raise click.ClickException(str(error)) from None
        except KeyboardInterrupt:
            click.echo("Interrupted; the existing index was left as it was.", err=True)
            sys.exit(130)

    return wrapper


def _echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="qa-reports")
def main():
    """Ask questions of Chinese government reports; get ranked, cited passages with their figures.

    \b
    qa build                         index the reports in ./seeds
    qa search "2021年地区生产总值是多少"
    qa eval --gold gold/gold.jsonl   measure retrieval against a gold set
    """


class _BuildBar:
    """The build's progress on standard error: files read, passages found and embedded."""

    def __init__(self):
        self.bar = None
        self.passages = self.embedded_count = 0
        self.notes: list[str] = []

    def start(self, files: int) -> None:
        from tqdm import tqdm

        self.bar = tqdm(total=files, unit="file", desc="Indexing", file=sys.stderr, leave=False,
                        disable=not sys.stderr.isatty() and os.environ.get("QA_PROGRESS") != "1")

    def file_done(self, name: str, passages: int) -> None:
        self.passages += passages
        ocr = sys.modules.get("qa.converters.ocr")  # loaded only once a file needed OCR
        read = f", {ocr.STATS.pages + ocr.STATS.cached} pages OCR-ed" if ocr and ocr.STATS.pages + ocr.STATS.cached else ""
        self.bar.set_postfix_str(f"{self.passages} passages, {self.embedded_count} embedded{read}", refresh=False)
        self.bar.update(1)

    def embedded(self, count: int) -> None:
        self.embedded_count += count

    def note(self, line: str) -> None:
        self.notes.append(line)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.close()


@main.command()
@seeds_option
@index_option
@click.option("--model", default=DEFAULT_MODEL, show_default=True,
              help="Embedding model: the bundled default, a local folder, or a sentence-transformers name.")
@click.option("--force", is_flag=True, help="Re-embed everything even if nothing changed.")
@json_option
@user_errors
@store_options
def build(seeds: Path, index_dir: Path, model: str, force: bool, as_json: bool, store):
    """Build or update the index; only changed reports are embedded again."""
    from . import threads
    from .embedding import Embedder
    from .index import build_index

    threads.for_building()
    embedder = Embedder(model, progress=lambda message: click.echo(message, err=True))
    bar = _BuildBar()
    report = build_index(seeds, index_dir, embedder, progress=bar, force=force, store=store)
    if as_json:
        _echo_json({**report.__dict__, "notes": bar.notes})
        return
    for problem in report.problems:
        click.echo(f"Skipped {problem}", err=True)
    for damage in report.repaired:
        click.echo(f"Repaired {damage}", err=True)
    for note in bar.notes:
        click.echo(f"Read in part {note}", err=True)
    where = index_dir if store.is_local else f"{index_dir} (in Milvus at {store.name})"
    if report.status == "up to date":
        click.echo(f"Index in {where} is up to date ({report.passages} passages).")
    else:
        reused = report.passages - report.embedded
        click.echo(
            f"Built {where}: {report.passages} passages ({report.embedded} embedded, {reused} reused; "
            f"{len(report.changed)} changed file(s)) in {report.seconds:.1f}s.")


@main.command()
@index_option
@json_option
@user_errors
def check(index_dir: Path, as_json: bool):
    """Verify every file of the index against the checksum its build recorded; name each damaged one."""
    from .index import check_index

    result = check_index(index_dir)
    if as_json:
        _echo_json({"build": str(result.build), "ok": not result.damaged, "files": result.files,
                    "passages": result.passages,
                    "damaged": [{"file": str(damage.path), "reason": damage.reason} for damage in result.damaged]})
    else:
        for damage in result.damaged:
            click.echo(f"{damage.path}: {damage.reason}")
    if result.damaged:
        if not as_json:
            click.echo(f"Error: {len(result.damaged)} file(s) of the index in {index_dir} are damaged; "
                       f"run `qa build` to repair them", err=True)
        sys.exit(1)
    if not as_json:
        click.echo(f"index OK: {result.files} files, {result.passages} passages")


@main.command("prepare-model")
@user_errors
def prepare_model():
    """Convert the bundled multilingual-e5-small weights once (build does this when needed)."""
    from .embedding import prepare_default_model

    click.echo(prepare_default_model(lambda message: click.echo(message, err=True)))


def _styled_text(result, colour: bool) -> str:
    text, pieces, position = result.passage.text, [], 0
    for figure in result.figures:
        pieces.append(text[position : figure.start])
        pieces.append(click.style(figure.text, fg="yellow", bold=True) if colour else f"**{figure.text}**")
        position = figure.end
    pieces.append(text[position:])
    return "".join(pieces)


@main.command()
@click.argument("question")
@click.option("-k", "--top-k", "k", type=click.IntRange(1, 100), default=5, show_default=True,
              help="How many passages to return.")
@mode_option
@click.option("--format", "output_format", type=click.Choice(("text", "json", "results-json", "markdown", "csv")),
              default="text", show_default=True,
              help="text for reading; json for the answer and the passages; results-json for the passages alone "
                   "(a plain list); markdown or csv to cite or export.")
@click.option("--document", "sources", multiple=True, help="Search only this report (its path under the seeds "
              "folder, as in a passage id); repeat for several.")
@click.option("--place", "places", multiple=True, help="Search only reports of this place (山东省, 二七区, 全国); "
              "repeat for several.")
@click.option("--year", "years", type=int, multiple=True, help="Search only reports delivered in, or passages "
              "about, this year; repeat for several.")
@click.option("--explain", is_flag=True, help="Show how each result's rank came about.")
@index_option
@json_option
@user_errors
@store_options
def search(question: str, k: int, mode: str, output_format: str, sources: tuple, places: tuple, years: tuple,
           explain: bool, index_dir: Path, as_json: bool, store):
    """Answer QUESTION (Chinese or English) from the reports: the answer figure, then the ranked passages."""
    from . import threads
    from .answering import Filters, answer_question
    from .citations import ExportCard, from_results, to_csv, to_markdown
    from .index import open_store
    from .search import Searcher, limit_question

    threads.for_searching()
    question, notice = limit_question(question)
    if notice:
        click.echo(notice, err=True)
    searcher = Searcher(open_store(index_dir, store))
    response = answer_question(searcher, question, k=k, mode=mode, filters=Filters(sources, places, years))
    results = response.results
    output_format = "json" if as_json else output_format
    if output_format == "json":
        data = response.to_dict()
        if explain:
            for result, shown in zip(results, data["results"]):
                shown["explain"] = result.signals.explained()
        _echo_json(data)
    elif output_format == "results-json":
        _echo_json([{**result.to_dict(), **({"explain": result.signals.explained()} if explain else {})}
                    for result in results])
    elif output_format in ("markdown", "csv"):
        card = ExportCard.of(response.answer) if response.found and response.answer else None
        citations = from_results(results, searcher.documents, response.card_figures())
        text = to_markdown(question, citations, card, "en") if output_format == "markdown" else \
            to_csv(question, citations, card)
        click.echo(text, nl=False)
    elif not results:
        click.echo("No passage matches this question.")
    else:
        _print_answer(response)
        _print_results(results, searcher.documents, explain, claimed=response.claimed_passages())


def _figure_line(figure) -> str:
    """784.2亿元 (78.42 billion yuan) · 2021 result · 二七区 · 《title》 2022-02-21 · passage 1"""
    value = figure.text + (f" ({figure.gloss_en})" if figure.gloss_en else "")
    period = " ".join(part for part in (figure.period_en, figure.stance or "") if part)
    document = f"《{figure.document}》" + (f" {figure.date}" if figure.date else "")
    return " · ".join(part for part in (value, period, figure.place or "", document, f"passage {figure.rank}") if part)


def _print_answer(response) -> None:
    """The answer line (or the not-found line) before the passages, one per part of a multi-part question."""
    for part in response.parts:
        lead = f"{part.question}: " if len(response.parts) > 1 else ""
        sure = f" (confidence {part.confidence:.0%})"
        if part.refusal is not None and part.refusal.reason == "uncertain":
            click.echo(f"{lead}Not sure: a figure agrees with the question, but not likely enough to be the answer "
                       f"to show it as one{sure}: {part.refusal.closest_text()}; the passages follow.")
        elif not part.found:
            click.echo(f"{lead}Not found: these reports do not seem to answer this"
                       f"{' part' if lead else ' question'}; the closest passages follow{sure}.")
            if part.refusal is not None and part.refusal.closest:
                click.echo(f"   No figure matches the question's {part.refusal.reason}; the closest: "
                           f"{part.refusal.closest_text()}")
        elif part.answer is None:
            click.echo(f"{lead}Answer: no figure; see passage 1{sure}.")
        else:
            click.echo(f"{lead}Answer: {_figure_line(part.answer)}{sure}")
            click.echo(f"   {part.answer.citation_zh}")
        for figure in part.same:
            click.echo(f"   Also written as {figure.text} (the same figure rounded otherwise): {_figure_line(figure)}")
            click.echo(f"   {figure.citation_zh}")
        for figure in part.disagreement:
            click.echo(f"   The reports differ: {_figure_line(figure)}")
            click.echo(f"   {figure.citation_zh}")
    click.echo()


def _explain_line(result) -> str:
    e = result.signals.explained()
    ranks = "  ".join(f"{name} #{e[name + '_rank']}" if e[name + "_rank"] else f"{name} –"
                      for name in ("dense", "bm25", "window"))
    period = f" ({e['period']})" if e["period"] else ""
    unasked = f"; answer {e['evidence']:+.4f} ({', '.join(e['unasked'])})" if e["unasked"] else ""
    return (f"   why: {ranks} → fused {e['fused']:.4f}; time {e['time']:+.4f}{period}; place {e['place']:+.4f}; "
            f"result/target {e['stance']:+.4f}; figure {e['figure']:+.4f}{unasked} → {e['score']:.4f}")


def _print_results(results, documents: dict, explain: bool = False, claimed: set[str] | None = None) -> None:
    """The ranked passages; a passage's answer figure is shown only where an answer is claimed (``claimed``:
    the ids of the passages of the parts found; None for all)."""
    colour = sys.stdout.isatty()
    for result in results:
        passage = result.passage
        info = documents.get(passage.source)
        title = (info.title if info and info.title else passage.title)
        score = "not ranked: found by the indicator's name" if result.found_by_name else f"{result.score:.4f}"
        click.echo(click.style(f"{result.rank}. ", bold=True) + f"[{score}] {title}")
        where = f"{passage.where} (OCR)" if passage.ocr else passage.where  # read by OCR: check the page
        about = [part for part in ((info.place if info else ""), (info.when if info else ""), where) if part]
        if about:
            click.echo("   " + " · ".join(about))
        if passage.section:
            click.echo("   " + PATH_SEPARATOR.join(passage.section))
        if passage.context:
            click.echo("   " + passage.context)
        shown = result.answer and (claimed is None or passage.id in claimed)
        answer = f"  answer {result.answer.text}" if shown else ""
        click.echo(f"   id {passage.id}{answer}")
        if explain:
            click.echo(_explain_line(result))
        for line in _styled_text(result, colour).splitlines():
            if line.strip():
                click.echo("   " + line.strip())
        click.echo()


@main.command()
@click.argument("passage_id")
@click.option("--format", "output_format", type=click.Choice(("text", "json", "markdown")), default="text",
              show_default=True)
@index_option
@user_errors
@store_options
def cite(passage_id: str, output_format: str, index_dir: Path, store):
    """Print the citation of one passage (its id is in every search result)."""
    from .citations import cite as make_citation
    from .index import open_store
    from .search import QueryError

    passages = open_store(index_dir, store)
    passage_id = passage_id.strip()
    position = passages.find(passage_id)
    if position is None:
        shown = passage_id if len(passage_id) <= 120 else passage_id[:120] + "…"
        raise QueryError(f"no passage with id {shown!r} in {index_dir} (ids change when a report is edited; "
                         f"search again for the current one)")
    citation = make_citation(passages.passage(position), passages.documents)
    if output_format == "json":
        _echo_json(citation.to_dict())
    elif output_format == "markdown":
        click.echo(f"> {citation.quote}\n\n— {citation.reference}")
    else:
        click.echo(citation.text())


@main.command()
@click.argument("indicator")
@click.option("--place", "places", multiple=True, help="Only facts of this place (山东省, 二七区, 全国); repeat for several.")
@click.option("--year", "years", type=int, multiple=True, help="Only facts about this year; repeat for several.")
@click.option("--measure", type=click.Choice(("level", "change", "share", "count", "rank", "date")),
              help="Only levels, changes, shares, counts, ranks or dates.")
@click.option("-n", "--limit", type=click.IntRange(1, 10_000), default=50, show_default=True,
              help="Show at most this many facts.")
@index_option
@json_option
@user_errors
@store_options
def facts(indicator: str, places: tuple, years: tuple, measure: str | None, limit: int, index_dir: Path,
          as_json: bool, store):
    """Show the stored facts whose indicator names INDICATOR (常住人口, 地区生产总值): value, measure, period, place."""
    from .facts import find_facts
    from .index import open_store

    found_store = open_store(index_dir, store)
    found = find_facts(found_store, indicator, places=set(places), years=set(years), measure=measure, limit=limit)
    if as_json:
        _echo_json([{**fact.to_dict(), "passage_id": passage_id} for passage_id, fact in found])
        return
    if not found:
        click.echo(f"No stored fact names {indicator}" + (" for these places or years." if places or years else "."))
        return
    for passage_id, fact in found:
        qualifiers = f" [{'、'.join(fact.qualifiers)}]" if fact.qualifiers else ""
        click.echo(f"{fact.text:<16} {fact.measure:<7} {fact.period_label or '–':<12} {fact.stance:<9} "
                   f"{fact.place or '–':<8} {fact.indicator}{qualifiers}  ({passage_id})")


@main.command()
@click.argument("question")
@click.option("--place", "places", multiple=True, help="Rows for this place (山东省, 全国); repeat for a row per place.")
@click.option("--year", "years", type=int, multiple=True,
              help="The first and last year of the run (one --year: that year alone); overrides the question's.")
@click.option("--stance", type=click.Choice(("result", "target", "both")), default=None,
              help="Results, targets or both (default: what the question asks, else both).")
@click.option("--format", "output_format", type=click.Choice(("text", "json", "csv", "markdown")), default="text",
              show_default=True)
@index_option
@json_option
@user_errors
@store_options
def series(question: str, places: tuple, years: tuple, stance: str | None, output_format: str, index_dir: Path,
           as_json: bool, store):
    """One indicator across years or places (2015—2024年城镇新增就业, 各省2025年地区生产总值增长目标): a table of
    results and targets, each cell cited; an empty cell is one the reports do not state."""
    from .index import open_store
    from .search import limit_question
    from .series import series_for, to_csv, to_markdown

    question, notice = limit_question(question)
    if notice:
        click.echo(notice, err=True)
    found = series_for(open_store(index_dir, store), question, places, years, stance)
    if found is None:
        raise QueryError("no indicator the reports state was recognised in this question; name one, e.g. "
                         "\"2005—2013年国内生产总值增速\" or \"各省2025年地区生产总值增长目标\"")
    output_format = "json" if as_json else output_format
    if output_format == "json":
        _echo_json(found.to_dict())
    elif output_format == "csv":
        click.echo(to_csv(found), nl=False)
    elif output_format == "markdown":
        click.echo(to_markdown(found), nl=False)
    else:
        _print_series(found)


def _print_series(found) -> None:
    click.echo(f"{found.indicator} ({found.unit or 'no unit'}), by {found.by}")
    for row in found.rows:
        label = str(row.year) if found.by == "year" else f"{row.place} {row.year}"
        for cell in row.cells():
            if not cell.stated:
                click.echo(f"{label:<16} {cell.stance:<8} not stated in these reports")
                continue
            click.echo(f"{label:<16} {cell.stance:<8} {cell.text:<12} {cell.value:g}  {cell.reference}")
            for other in cell.differs:
                click.echo(f"{'':<16} {'differs':<8} {other.text:<12} {other.value:g}  {other.reference}")
    for notice in found.notices:
        click.echo(f"Note: {notice}")


def _evaluate_series(gold: tuple[Path, ...], split: str, misses: bool, index_dir: Path, as_json: bool, store) -> None:
    from .index import open_store
    from .series_evaluation import evaluate_series, load_series_gold

    questions = [question for path in gold for question in load_series_gold(path)]
    if split != "all":
        questions = [q for q in questions if q.split == split]
        if not questions:
            raise GoldError(f"no series questions of split {split!r} in {', '.join(map(str, gold))}")
    counts = evaluate_series(open_store(index_dir, store), questions)
    if as_json:
        _echo_json({name: value.to_dict() for name, value in counts.items()})
        return
    click.echo(f"{'split':<16}{'questions':>10}{'precision':>11}{'recall':>8}{'honesty':>9}{'shown':>7}{'stated':>8}"
               f"{'empty':>7}{'filled where empty':>20}{'unscored':>10}")
    for name, value in counts.items():
        click.echo(f"{name:<16}{value.questions:>10}{_rate(value.precision):>11}{_rate(value.recall):>8}"
                   f"{_rate(value.honesty):>9}{value.shown:>7}{value.stated:>8}{value.empty:>7}"
                   f"{value.filled_where_empty:>20}{value.unscored:>10}")
    if misses:
        for name, value in counts.items():
            if name != "all" and "/" not in name:
                click.echo(f"\n{name}:")
                click.echo("\n".join(f"  {line}" for line in value.misses))


def _metrics_table(report) -> str:
    columns = [(name, 9) for name in METRICS] + [("answer_figure", 14)]
    rows = [f"{'':<12}{'n':>5}" + "".join(f"{name:>{width}}" for name, width in columns)]
    for label, metrics in [("all", report.metrics), *report.by_kind.items()]:
        cells = "".join(
            f"{metrics[name]:>{width}.3f}" if name in metrics else f"{'–':>{width}}" for name, width in columns)
        rows.append(f"{label:<12}{report.counts[label]:>5}" + cells)
    return "\n".join(rows)


def _compare_table(rows: list[tuple[str, dict]], kinds: list[str]) -> str:
    head = f"{'configuration':<36}{'hit@1':>7}{'hit@5':>7}{'mrr@10':>8}{'answer':>8}" + "".join(
        f"{kind + ' h@1/h@5':>20}" for kind in kinds)
    lines = [head]
    for name, report in rows:
        metrics = report.metrics
        cells = "".join(
            f"{report.by_kind[kind]['hit@1']:>14.3f}/{report.by_kind[kind]['hit@5']:.3f}" if kind in report.by_kind
            else f"{'–':>20}" for kind in kinds)
        lines.append(f"{name:<36}{metrics['hit@1']:>7.3f}{metrics['hit@5']:>7.3f}{metrics['mrr@10']:>8.3f}"
                     f"{metrics.get('answer_figure', 0.0):>8.3f}" + cells)
    return "\n".join(lines)


def _rate(value) -> str:
    return f"{value:.3f}" if value is not None else "–"


def _card_lines(card) -> list[str]:
    rate = _rate
    lines = [f"answer card over {card.answerable} answerable questions with a figure answer: right "
             f"{rate(card.rate('right'))}, wrong {rate(card.rate('wrong'))}, silent {rate(card.rate('silent'))}; "
             f"precision of claimed figures {rate(card.precision)}; a figure on {card.figured_unanswerable} of "
             f"{card.unanswerable} unanswerable questions ({rate(card.figure_on_unanswerable)})",
             f"{'':<20}{'n':>5}{'right':>8}{'wrong':>8}{'silent':>8}"]
    for kind, counts in sorted(card.by_kind.items()):
        n = sum(counts.values())
        lines.append(f"{kind:<20}{n:>5}" + "".join(f"{counts[o] / n:>8.3f}" for o in ("right", "wrong", "silent")))
    return lines


def _abstention_lines(abstention) -> list[str]:
    rate = _rate
    lines = [f"abstention: {abstention.flagged_unanswerable} of {abstention.unanswerable} unanswerable questions "
             f"flagged as not found (recall {rate(abstention.recall)}), {abstention.flagged_answerable} of "
             f"{abstention.answerable} answerable (false flags {rate(abstention.false_flag_rate)}); precision "
             f"{rate(abstention.precision)}",
             f"{'':<20}{'n':>5}{'flagged':>9}"]
    lines += [f"{kind:<20}{row['n']:>5}{row['rate']:>9.3f}" for kind, row in abstention.by_kind.items()]
    return lines


@main.command("eval")
@click.option("--gold", type=click.Path(path_type=Path), required=True, multiple=True,
              help="Gold questions, JSONL; repeat to join several files (gold/unanswerable.jsonl adds questions the "
                   "reports do not answer, which measure abstention).")
@click.option("-k", "--top-k", "k", type=click.IntRange(1, 100), default=10, show_default=True,
              help="Passages retrieved per question (metrics use the first 10).")
@mode_option
@click.option("--split", default="all", show_default=True, help="Evaluate only questions of this split (dev, test).")
@click.option("--compare", is_flag=True,
              help="Ablation: bm25, dense, plain RRF, then each addition switched on in turn, per split.")
@click.option("--card", type=click.Choice(["facts", "rules"]), default="facts", show_default=True,
              help="How the answer card picks its figure: a stored fact that agrees with the question, or the "
                   "earlier rules (the best passage's answer figure), for comparison.")
@click.option("--card-model/--no-card-model", "card_model", default=True, show_default=True,
              help="The card shows a figure only when the card model finds it likely enough to be right; "
                   "--no-card-model shows every figure that agrees with the question, for comparison.")
@click.option("--series", "series_mode", is_flag=True,
              help="The gold holds series questions (gold/series.jsonl): report cell precision, cell recall and "
                   "empty-cell honesty per split.")
@click.option("--misses", is_flag=True, help="With --series: list each cell scored wrong.")
@index_option
@json_option
@user_errors
@store_options
def evaluate(gold: tuple[Path, ...], k: int, mode: str, split: str, compare: bool, card: str, card_model: bool,
             series_mode: bool, misses: bool, index_dir: Path, as_json: bool, store):
    """Measure retrieval against a gold question set, and how well "not found" flags what the reports do not answer."""
    if series_mode:
        _evaluate_series(gold, split, misses, index_dir, as_json, store)
        return
    from . import threads
    from .answering import answer_question
    from .evaluation import RetrievalEvaluator, load_gold
    from .index import open_store
    from .search import ABLATION, Searcher

    threads.for_searching()
    questions = [question for path in gold for question in load_gold(path)]
    files = ", ".join(map(str, gold))
    if split != "all":
        questions = [q for q in questions if q.split == split]
        if not questions:
            raise GoldError(f"no questions of split {split!r} in {files}")
    searcher = Searcher(open_store(index_dir, store))
    if compare:
        questions = [q for q in questions if q.answerable]
        splits = sorted({q.split for q in questions}) if split == "all" else [split]
        results = {}
        for name in splits:
            chosen = [q for q in questions if q.split == name]
            evaluator = RetrievalEvaluator(chosen, searcher.store.iter_passages(), k=k)
            results[name or "all"] = [
                (label, evaluator(lambda question, depth, m=step_mode, s=settings: searcher.search(
                    question, k=depth, mode=m, settings=s)))
                for label, step_mode, settings in ABLATION
            ]
        if as_json:
            _echo_json({name: [{"configuration": label, "metrics": report.metrics, "by_kind": report.by_kind}
                               for label, report in rows] for name, rows in results.items()})
            return
        kinds = sorted({q.kind for q in questions})
        for name, rows in results.items():
            count = sum(q.split == name for q in questions)
            click.echo(f"\n{files} · split {name or 'all'} · {count} questions")
            click.echo(_compare_table(rows, kinds))
        return
    evaluator = RetrievalEvaluator(questions, searcher.store.iter_passages(), k=k)
    report = evaluator(lambda question, depth: answer_question(searcher, question, k=depth, mode=mode, card=card,
                                                               gate=card_model))
    if as_json:
        _echo_json(report.to_dict())
    else:
        click.echo(f"{files} · {len(questions)} questions · mode {mode}" + (f" · split {split}" if split != "all" else ""))
        if report.counts["all"]:
            click.echo(_metrics_table(report))
        if report.abstention is not None:
            click.echo("\n".join(_abstention_lines(report.abstention)))
        if report.card is not None:
            click.echo("\n".join(_card_lines(report.card)))
