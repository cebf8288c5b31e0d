"""The web UI: ask a question, read ranked passages with their figures highlighted, cite and export them.

    python app.py [--host 127.0.0.1] [--port 7860] [--index index] [--seeds seeds] [--model M]

A thin shell over ``qa.search.Searcher`` and ``qa.citations``; the index is
built (or brought up to date) before the server starts, and the model and
index are loaded once per process.
"""

from __future__ import annotations

import argparse
import html
import logging
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import gradio as gr

from qa.chunking import PATH_SEPARATOR
from qa.citations import FORMATS, SUFFIXES, cite, export
from qa.search import MAX_QUESTION_CHARS, MODES, Result, Searcher

log = logging.getLogger("qa.app")

EXAMPLES = [
    "2021年地区生产总值是多少？",
    "2020年上半年固定资产投资增长了多少？",
    "2021年累计转运集中隔离多少人？",
    "What was the GDP in 2021?",
    "How many new urban jobs were created in 2023?",
]

CSS = """
.qa-result {border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 12px 14px; margin: 10px 0;}
.qa-head {display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap;}
.qa-rank {font-weight: 700; font-size: 1.1em;}
.qa-title {font-weight: 600;}
.qa-score, .qa-where {color: var(--body-text-color-subdued); font-size: 0.85em;}
.qa-section {color: var(--body-text-color-subdued); margin: 2px 0 8px;}
.qa-text {line-height: 1.8; white-space: pre-wrap; margin: 0;}
mark.qa-fig {background: #fff3c4; color: inherit; padding: 0 2px; border-radius: 3px;}
mark.qa-answering {background: #ffd666; font-weight: 600;}
mark.qa-answer {background: #fa8c16; color: #fff; font-weight: 700; outline: 2px solid #d46b08;}
.qa-context {white-space: pre-wrap; line-height: 1.7; color: var(--body-text-color-subdued);}
.qa-context b {color: var(--body-text-color);}
.qa-cite {display: flex; gap: 8px; align-items: center; margin-top: 8px; font-size: 0.85em;}
.qa-cite code {white-space: normal;}
.qa-copy {cursor: pointer; border: 1px solid var(--border-color-primary); border-radius: 6px; padding: 2px 10px;
          background: var(--button-secondary-background-fill);}
"""

# Copy buttons live inside rendered HTML, so one delegated listener serves them all.
COPY_JS = """
element.addEventListener('click', async (event) => {
  const button = event.target.closest('.qa-copy');
  if (!button) return;
  const text = button.dataset.copy;
  try { await navigator.clipboard.writeText(text); }
  catch (error) {
    const area = document.createElement('textarea');
    area.value = text; document.body.appendChild(area); area.select();
    document.execCommand('copy'); area.remove();
  }
  button.textContent = 'Copied';
  setTimeout(() => { button.textContent = 'Copy citation'; }, 1500);
});
"""


@dataclass
class Answer:
    """What one question produced: a notice for the page, the rendered results, and what export needs."""

    notice: str = ""
    html: str = ""
    question: str = ""
    results: list[Result] = field(default_factory=list)


def highlight(text: str, result: Result) -> str:
    """The passage as safe HTML, every figure marked, the answering ones more strongly."""
    pieces, position = [], 0
    for figure in result.figures:
        if figure.start < position:
            continue
        role = "qa-answer" if figure == result.answer else "qa-answering" if figure in result.answering else ""
        pieces.append(html.escape(text[position : figure.start]))
        pieces.append(f'<mark class="qa-fig {role}" data-kind="{figure.kind}">{html.escape(figure.text)}</mark>')
        position = figure.end
    pieces.append(html.escape(text[position:]))
    return "".join(pieces)


class App:
    def __init__(self, searcher: Searcher | None, load_error: str = ""):
        self.searcher = searcher
        self.load_error = load_error

    # -- searching ---------------------------------------------------------
    def ask(self, question: str, k: int = 5, mode: str = "hybrid") -> Answer:
        if self.searcher is None:
            return Answer(notice=f"⚠️ The index could not be loaded: {self.load_error}")
        question = (question or "").strip()
        if not question:
            return Answer(notice="Type a question first, in Chinese or English — for example “2021年地区生产总值是多少？”.")
        notice = ""
        if len(question) > MAX_QUESTION_CHARS:
            question = question[:MAX_QUESTION_CHARS]
            notice = f"The question was longer than {MAX_QUESTION_CHARS} characters and was cut to that length. "
        mode = mode if mode in MODES else "hybrid"
        try:
            results = self.searcher.search(question, k=int(k or 5), mode=mode)
        except Exception:  # the page shows a notice, the console keeps the details
            log.exception("search failed")
            return Answer(notice="⚠️ Something went wrong while searching; the details are in the server log.")
        if not results:
            return Answer(notice=notice + "No passage matches this question. Try other words or another search mode.",
                          question=question)
        return Answer(notice=notice.strip(), html=self.render(results), question=question, results=results)

    def render(self, results: list[Result]) -> str:
        documents = self.searcher.documents
        cards = []
        for result in results:
            passage = result.passage
            citation = cite(passage, documents, result.rank, result.score, result.answer.text if result.answer else "")
            section = PATH_SEPARATOR.join(passage.section)
            cards.append(f"""
<div class="qa-result" data-rank="{result.rank}" data-id="{html.escape(passage.id, quote=True)}">
  <div class="qa-head"><span class="qa-rank">{result.rank}</span>
    <span class="qa-title">{html.escape(citation.info.title or passage.title)}</span>
    <span class="qa-where">{html.escape(", ".join(part for part in (citation.info.place, citation.when, passage.where) if part))}</span>
    <span class="qa-score">score {result.score:.4f}</span></div>
  <div class="qa-section">{html.escape(section) or "&nbsp;"}</div>
  <p class="qa-text">{highlight(passage.text, result)}</p>
  <details><summary>Surrounding section</summary><div class="qa-context">{self.context(result)}</div></details>
  <div class="qa-cite"><code>{html.escape(citation.reference)}</code>
    <button class="qa-copy" type="button" data-copy="{html.escape(citation.text(), quote=True)}">Copy citation</button></div>
</div>""")
        return "\n".join(cards)

    def context(self, result: Result) -> str:
        store = self.searcher.store
        passage = result.passage
        position = store.find(passage.id)
        around = [store.passage(p) for p in store.section_of(position)] if position is not None else [passage]
        return "\n\n".join(
            f"<b>{html.escape(p.text)}</b>" if p.id == passage.id else html.escape(p.text) for p in around)

    # -- exporting ---------------------------------------------------------
    def export(self, answer: Answer | None, chosen: list[str], format: str) -> tuple[str | None, str]:
        if answer is None or not answer.results:
            return None, "Search first, then choose the passages to export."
        picked = [r for r in answer.results if choice_label(r) in (chosen or [])] or answer.results
        citations = [cite(r.passage, self.searcher.documents, r.rank, r.score,
                          r.answer.text if r.answer else "") for r in picked]
        content = export(answer.question, citations, format)
        folder = Path(tempfile.mkdtemp(prefix="qa-export-"))
        path = folder / f"passages{SUFFIXES[format]}"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        note = "" if chosen else "No passage was ticked, so all of them were exported. "
        return str(path), f"{note}Exported {len(citations)} passage(s) as {format}."

    # -- programmatic use --------------------------------------------------
    def api_search(self, question: str, k: int = 5, mode: str = "hybrid") -> dict:
        """Ranked passages for a question, each with its figures, answer figure and citation."""
        answer = self.ask(question, k, mode)
        documents = self.searcher.documents if self.searcher else {}
        return {
            "question": answer.question, "notice": answer.notice,
            "results": [
                {**r.to_dict(), "citation": cite(r.passage, documents).reference} for r in answer.results
            ],
        }


def choice_label(result: Result) -> str:
    return f"{result.rank}. {result.passage.title[:30]} · {PATH_SEPARATOR.join(result.passage.section)[-40:]}"


def create_ui(app: App) -> gr.Blocks:
    with gr.Blocks(title="Report passages") as demo:
        gr.Markdown("## Ask the reports\nRanked source passages with their figures highlighted — "
                    "the answer figure most strongly — and a citation for each.")
        with gr.Row(equal_height=True):
            question = gr.Textbox(label="Question", placeholder="2021年地区生产总值是多少？ / What was the GDP in 2021?",
                                  lines=1, max_lines=4, scale=6, elem_id="question", autofocus=True)
            ask = gr.Button("Search", variant="primary", scale=1, elem_id="search-button")
        with gr.Accordion("Advanced", open=False):
            with gr.Row():
                top_k = gr.Slider(1, 20, value=5, step=1, label="Passages to show", elem_id="top-k")
                mode = gr.Radio(list(MODES), value="hybrid", label="Search mode",
                                info="hybrid fuses meaning (dense) and words (BM25)", elem_id="mode")
        gr.Examples(EXAMPLES, inputs=question, label="Examples")
        notice = gr.Markdown(elem_id="notice")
        results = gr.HTML(elem_id="results", js_on_load=COPY_JS)
        answer_state = gr.State(None)
        with gr.Accordion("Export passages", open=True):
            chosen = gr.CheckboxGroup(label="Passages to export (none ticked: all)", choices=[], elem_id="chosen")
            with gr.Row():
                export_format = gr.Radio(list(FORMATS), value="markdown", label="Format", elem_id="export-format")
                export_button = gr.Button("Export", elem_id="export-button")
            export_file = gr.File(label="Download", elem_id="export-file", interactive=False)
            export_notice = gr.Markdown(elem_id="export-notice")

        def on_ask(text, k, search_mode):
            started = time.perf_counter()
            answer = app.ask(text, k, search_mode)
            log.info("question answered in %.0f ms", (time.perf_counter() - started) * 1000)
            labels = [choice_label(r) for r in answer.results]
            return answer.notice, answer.html, gr.update(choices=labels, value=[]), answer, None, ""

        outputs = [notice, results, chosen, answer_state, export_file, export_notice]
        question.submit(on_ask, [question, top_k, mode], outputs, api_visibility="private")
        ask.click(on_ask, [question, top_k, mode], outputs, api_visibility="private")
        export_button.click(app.export, [answer_state, chosen, export_format], [export_file, export_notice],
                            api_visibility="private")
        gr.api(app.api_search, api_name="search")
    return demo


def load(index: Path, seeds: Path, model: str) -> App:
    """Bring the index up to date (progress on the console), then load it once."""
    from qa.cli import _BuildBar
    from qa.embedding import Embedder
    from qa.index import build_index, open_store

    try:
        embedder = Embedder(model, progress=lambda message: print(message, file=sys.stderr))
        report = build_index(seeds, index, embedder, progress=_BuildBar())
        for problem in report.problems:
            print(f"Skipped {problem}", file=sys.stderr)
        print(f"Index {index}: {report.status}, {report.passages} passages.", file=sys.stderr)
        return App(Searcher(open_store(index), embedder))
    except Exception as error:  # the page explains; the server still starts
        log.exception("could not load the index")
        fix = "check the seeds folder, then run `qa build` (or restart the app)"
        return App(None, f"{error}. To fix it: {fix}.")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Web UI for asking the reports.")
    parser.add_argument("--host", default=os.environ.get("QA_HOST", "127.0.0.1"),
                        help="address to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("QA_PORT", "7860")))
    parser.add_argument("--index", type=Path, default=Path(os.environ.get("QA_INDEX", "index")))
    parser.add_argument("--seeds", type=Path, default=Path(os.environ.get("QA_SEEDS", "seeds")))
    parser.add_argument("--model", default=os.environ.get("QA_MODEL", "multilingual-e5-small"))
    options = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = load(options.index, options.seeds, options.model)
    demo = create_ui(app)
    demo.queue().launch(server_name=options.host, server_port=options.port, css=CSS, show_error=False,
                        footer_links=["api"])


if __name__ == "__main__":
    main()
