"""A series question in the web page: a chart of results and targets, the table under it, and its exports.

The chart is a Vega-Lite specification drawn by Gradio's plot component (its Altair renderer, which bundles Vega
and works offline): result and target as two series, the series' unit on the axis, each point's figure as
written, report and quote in its tooltip, and the chart's own menu to save it as SVG or PNG. The table lists
every cell with its reference; an empty cell says the reports do not state it. The CSV (with a byte-order mark)
and the Excel workbook hold the same lines (``qa.series.table_rows``).
"""

from __future__ import annotations

import datetime
import html
import io
import json
import logging
import re

import gradio as gr

from .series import Series, SeriesCell, is_series_question, series_for, to_csv, to_xlsx

log = logging.getLogger(__name__)
QUOTE_CHARS = 160
CHART_WIDTH = 820  # pixels; a width taken from the container would be nought while the group is still hidden  # of a cell's passage, in its tooltip
LABELS = {
    "zh": {"result": "实际", "target": "目标", "estimate": "预计", "year": "年份", "place": "地区", "value": "数值",
           "figure": "原文", "reference": "出处", "quote": "原句", "empty": "未载明", "differs": "另一报告为",
           "title": "{indicator}（{unit}）", "files": "下载表格（CSV、Excel）", "stance": "类别",
           "no_indicator": "没有识别出要列出的指标。", "not_stated": "这些报告没有载明此序列的任何数值。",
           "bad_stance": "stance 应为 result、target 或 both。", "bad_years": "年份应为整数，如 2015。",
           "failed": "未能列出这一序列。"},
    "en": {"result": "result", "target": "target", "estimate": "estimate", "year": "year", "place": "place",
           "value": "value", "figure": "as written", "reference": "reference", "quote": "quote",
           "empty": "not stated", "differs": "another report gives", "title": "{indicator} ({unit})",
           "files": "Download the table (CSV, Excel)", "stance": "stance",
           "no_indicator": "No indicator to list was recognised in this question.",
           "not_stated": "These reports state no figure of this series.",
           "bad_stance": "stance is result, target or both.", "bad_years": "Years are whole numbers such as 2015.",
           "failed": "The series could not be answered."},
}
_UNSAFE = re.compile(r"[^\w\u4e00-\u9fff]+")


def labels(language: str) -> dict:
    return LABELS.get(language, LABELS["zh"])


def chart_spec(series: Series, language: str = "zh") -> dict:
    """The Vega-Lite specification of the series' chart: a line per stance over years, or bars per place."""
    words = labels(language)
    by_year = series.by == "year"
    years = sorted({row.year for row in series.rows})
    # places over several years: each bar says its year as well as its column, so no two years share (or stack in)
    # one bar
    dated = not by_year and len(years) > 1
    column = lambda stance, year: (f"{year}年{words[stance]}" if language == "zh" else f"{words[stance]} {year}") \
        if dated else words[stance]
    shown_years = years if dated else years[:1]
    columns = [column(stance, year) for year in shown_years for stance in ("result", "target")]
    colours = [_COLOURS[stance][i % len(_COLOURS[stance])] for i, _ in enumerate(shown_years)
               for stance in ("result", "target")]
    points = []
    for cell in series.cells():
        for shown in (cell, *cell.differs):
            if not shown.stated:
                continue
            stance = column("target" if shown.stance == "target" else "result", shown.year)
            points.append({"x": str(shown.year) if by_year else shown.place, "value": shown.value, "stance": stance,
                           "figure": shown.text + (f"（{words['estimate']}）" if shown.stance == "estimate" else ""),
                           "reference": shown.reference or "", "quote": _short(shown.quote or ""),
                           "passage": shown.passage_id or ""})
    if by_year:
        _mark_runs(points)
    x_title = words["year"] if by_year else words["place"]
    y_title = series.unit or words["value"]
    tooltip = [{"field": "x", "title": x_title}, {"field": "stance", "title": words["stance"]},
               {"field": "figure", "title": words["figure"]}, {"field": "reference", "title": words["reference"]},
               {"field": "quote", "title": words["quote"]}]
    encoding = {
        "x": {"field": "x", "type": "ordinal", "title": x_title, "sort": None, "axis": {"labelAngle": 0},
              # every row on the axis, so a year the reports leave empty shows as a gap
              "scale": {"domain": [str(row.year) if by_year else row.place for row in series.rows]}},
        # bars of one place never stack: another report's figure for a cell stands beside, not on top of it
        # a line shows movement (no zero needed); a bar's length is its value, so bars start at zero
        "y": {"field": "value", "type": "quantitative", "title": y_title, "scale": {"zero": not by_year},
              "stack": None},
        "color": {"field": "stance", "type": "nominal", "title": words["stance"],
                  "scale": {"domain": columns, "range": colours}},
        "tooltip": tooltip,
    }
    mark = {"type": "line", "point": {"filled": True, "size": 70}} if by_year else {"type": "bar"}
    if by_year:
        encoding["detail"] = {"field": "run"}  # a line is broken where a year is not stated
    else:
        encoding["xOffset"] = {"field": "stance"}
    return {"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "title": series.indicator, "width": CHART_WIDTH, "height": 300,
            # drawn as SVG, so each point is an element a reader (or a test) can point at
            "usermeta": {"embedOptions": {"renderer": "svg"}},
            "data": {"values": points}, "mark": mark, "encoding": encoding,
            "config": {"axis": {"labelFontSize": 12, "titleFontSize": 13}}}


# results in blues, targets in oranges; a year after the first takes the next shade
_COLOURS = {"result": ("#1f6fb2", "#6baed6", "#08306b"), "target": ("#d9822b", "#f4b26a", "#8c4a0f")}


def _mark_runs(points: list[dict]) -> None:
    """Number each stance's runs of consecutive years, so a year the reports leave empty breaks its line."""
    last: dict[str, tuple[int, int]] = {}
    for point in sorted(points, key=lambda p: (p["stance"], int(p["x"]))):
        year = int(point["x"])
        previous_year, run = last.get(point["stance"], (None, 0))
        run = run if previous_year is not None and year - previous_year <= 1 else run + 1
        point["run"] = f"{point['stance']}{run}"
        last[point["stance"]] = (year, run)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS] + "…"


def plot_of(series: Series, language: str = "zh"):
    """What ``gr.Plot`` draws: the specification, as its Altair renderer takes it."""
    from gradio.components.plot import PlotData

    return PlotData(type="altair", plot=json.dumps(chart_spec(series, language), ensure_ascii=False))


def table_html(series: Series, language: str = "zh") -> str:
    """The table under the chart: a line per year (or place), the result and target cells, each with its reference."""
    words = labels(language)
    first = words["year"] if series.by == "year" else words["place"]
    head = f"<tr><th>{first}</th><th>{words['result']}</th><th>{words['target']}</th></tr>"
    lines = []
    for row in series.rows:
        label = str(row.year) if series.by == "year" else f"{row.place} {row.year}"
        lines.append(f"<tr><th scope='row'>{html.escape(label)}</th>{_cell_html(row.result, words)}"
                     f"{_cell_html(row.target, words)}</tr>")
    caption = html.escape(words["title"].format(indicator=series.indicator, unit=series.unit or "—"))
    notices = "".join(f"<p class='qa-series-notice'>{html.escape(notice.text(language))}</p>"
                      for notice in series.notices)
    return (f"<style>{CSS}</style><table class='qa-series-table'><caption>{caption}</caption><thead>{head}</thead>"
            f"<tbody>{''.join(lines)}</tbody></table>{notices}")


def _cell_html(cell: SeriesCell | None, words: dict) -> str:
    if cell is None:
        return "<td></td>"
    if not cell.stated:
        return f"<td class='qa-series-empty'>{words['empty']}</td>"
    estimate = f" <small>（{words['estimate']}）</small>" if cell.stance == "estimate" else ""
    parts = [f"<span class='qa-series-figure' title='{html.escape(cell.quote or '', quote=True)}'>"
             f"{html.escape(cell.text)}</span>{estimate}",
             f"<div class='qa-series-reference' data-passage='{html.escape(cell.passage_id or '', quote=True)}'>"
             f"{html.escape(cell.reference or '')}</div>"]
    for other in cell.differs:
        parts.append(f"<div class='qa-series-differs'>{words['differs']} {html.escape(other.text)}: "
                     f"{html.escape(other.reference or '')}</div>")
    marked = " qa-series-marked" if cell.differs else ""
    return f"<td class='qa-series-cell{marked}'>{''.join(parts)}</td>"


class SeriesView:
    """The components of a series answer, and what fills them; ``app`` gives the index and the exports folder."""

    def __init__(self, app, warm: bool = True):
        self.app = app
        searcher = getattr(app, "searcher", None)
        if warm and searcher is not None:  # the first series question need not wait for the facts to be read
            import threading

            from .series import facts_naming

            threading.Thread(target=facts_naming, args=(searcher.store, ()), daemon=True, name="series-facts").start()

    def build(self) -> None:
        """Add the components where the page is being laid out (above the passages)."""
        zh = labels("zh")
        with gr.Group(visible=False, elem_id="series") as self.group:
            self.chart = gr.Plot(elem_id="series-chart", show_label=False)
            self.table = gr.HTML(elem_id="series-table")
            self.files = gr.File(label=zh["files"], file_count="multiple", interactive=False, elem_id="series-files",
                                 height=90)
        self.outputs = [self.group, self.chart, self.table, self.files]

    def answer(self, question: str, places=(), years=(), stance=None) -> Series | None:
        searcher = getattr(self.app, "searcher", None)
        if searcher is None or not isinstance(question, str) or not question.strip():
            return None
        return series_for(searcher.store, question.strip()[:2000], tuple(places or ()), tuple(years or ()), stance)

    def update(self, question, language: str = "zh"):
        """The updates after a question: the chart, table and files of a series question, else all hidden."""
        hidden = (gr.update(visible=False), None, "", None)
        if not isinstance(question, str) or not is_series_question(question):
            return hidden
        try:
            series = self.answer(question)
        except Exception:  # the passages below still answer; the console keeps the details
            log.exception("series answer failed")
            return hidden
        if series is None or not series.rows:
            return hidden
        language = language if language in LABELS else "zh"
        if not series.found:  # the table says every cell is not stated, and why
            return gr.update(visible=True), None, table_html(series, language), None
        files = self._files(question, series)
        return gr.update(visible=True), plot_of(series, language), table_html(series, language), files

    def _files(self, question: str, series: Series) -> list[str]:
        exports = getattr(self.app, "exports", None)
        if exports is None:
            return []
        today = getattr(self.app, "today", datetime.date.today)()
        stem = (_UNSAFE.sub("_", question).strip("_")[:40] or "series") + f"_{today.isoformat()}"
        workbook = io.BytesIO()
        to_xlsx(series, workbook)
        return [str(exports.write(stem + ".csv", to_csv(series).encode("utf-8"))),
                str(exports.write(stem + ".xlsx", workbook.getvalue()))]

    def api(self, question: str, places: list[str] | None = None, years: list[int] | None = None,
            stance: str | None = None, language: str = "zh") -> dict:
        """One indicator across years or places, as a table of cited cells.

        question names an indicator and a run of years (2005—2013年国内生产总值增速, GDP growth since 2005) or
        of places (各省2025年地区生产总值增长目标); places and years (first and last) override the question's;
        stance is result, target or both. The reply holds the question, the indicator, the series' unit and a
        row per cell: place, year, stance (result, target or estimate), value in the series' unit, text as the
        report writes it (null where the reports state nothing), passage_id, reference, and differs (other
        reports' different figures for the cell); notices say what could not be done.
        """
        language = language if language in LABELS else "zh"
        words = labels(language)
        empty = {"question": question if isinstance(question, str) else "", "indicator": "", "unit": "", "rows": []}
        if stance not in (None, "", "result", "target", "both"):
            return {**empty, "notices": [words["bad_stance"]]}
        try:
            years = tuple(int(year) for year in (years or ()))
            series = self.answer(question, places or (), years, stance or None)
        except (TypeError, ValueError):
            return {**empty, "notices": [words["bad_years"]]}
        except Exception:
            log.exception("series answer failed")
            return {**empty, "notices": [words["failed"]]}
        if series is None:
            return {**empty, "notices": [words["no_indicator"]]}
        reply = series.to_dict(language)
        if not series.found:
            reply["notices"] = reply["notices"] + [words["not_stated"]]
        return reply


CSS = """
#series .qa-series-table { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
#series .qa-series-table caption { text-align: left; font-weight: 600; padding: 0.4rem 0; }
#series .qa-series-table th, #series .qa-series-table td { border: 1px solid #d0d7de; padding: 0.35rem 0.5rem;
  vertical-align: top; text-align: left; }
#series .qa-series-empty { color: #57606a; font-style: italic; }
#series .qa-series-reference, #series .qa-series-differs { font-size: 0.8rem; color: #57606a; }
#series .qa-series-marked { background: #fff8c5; }
"""
