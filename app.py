"""The web UI: ask a question, read ranked passages with their figures highlighted, cite and export them.

    python app.py [--host 127.0.0.1] [--port 7860] [--index index] [--seeds seeds] [--model M]
                  [--workers N] [--queue N] [--time-limit S] [--sessions N] [--exports DIR]
                  [--store local|milvus:PATH.db|milvus://HOST:PORT] [--milvus-token T] [--milvus-tls] [--milvus-ca F]

A thin shell over ``qa.search.Searcher`` and ``qa.citations``; the index is
built (or brought up to date) before the server starts, and the model and
index are loaded once per process.

Staying responsive: searches run on a few threads of their own (``Lanes``): as
many short questions at once as there are cores, long questions (which cost
seconds of embedding) one at a time on a lower-priority thread, so they never
hold up a short one. Each lane lets a bounded number of questions wait; past
that a question is answered at once with a "busy, try again" notice, and one
that has no result within the time limit gets a notice instead of waiting on.
The upload routes are refused (the app takes no files), exports go to one
folder that is cleaned of old files, and the server keeps a bounded number of
page sessions, each holding only the question and its results' ids.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import html
import logging
import math
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import gradio as gr
from starlette.middleware import Middleware

from qa.chunking import PATH_SEPARATOR
from qa.citations import FORMATS, SUFFIXES, cite, export
from qa.search import MODES, QueryError, Result, Searcher, limit_question

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


MAX_K = 20  # the most passages one question returns, as on the page's slider
LONG_QUESTION = 200  # characters from which a question's embedding costs much more than a short one's
TIME_LIMIT = 30.0  # seconds a question may take, waiting included, before it is answered with a notice
WAITING = 64  # short questions that may wait for a search thread; long ones: a few per thread
SESSIONS = 1000  # page and API sessions the server keeps (the oldest is dropped first)
SESSION_TTL = 3600  # seconds a page keeps its last results for export
MAX_BODY = 2 << 20  # bytes of a request body; a 100,000-character question fits several times
EXPORT_AGE = 3600  # seconds an exported file is kept (long enough to download it)
UPLOAD_ROUTES = ("/gradio_api/upload", "/gradio_api/process_recording")

BUSY = "⚠️ The server is busy answering other questions; try again in a few seconds."
TOO_SLOW = "⚠️ No answer within {seconds:g} s (the server is busy{long}); try again in a while."


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def shown(value, limit: int = 40) -> str:
    """A value for a message, never longer than about ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class OptionError(ValueError):
    """A search option (k, mode) of the wrong type or out of range; the message says which and why."""


def check_options(k, mode) -> tuple[int, str]:
    """k and mode as the search takes them; anything else raises ``OptionError`` saying what is wrong."""
    if k is None or (isinstance(k, str) and not k.strip()):
        k = 5
    if isinstance(k, str) and re.fullmatch(r"[+-]?[0-9]{1,9}", k.strip()):
        k = int(k.strip())
    elif isinstance(k, float) and math.isfinite(k) and k.is_integer():
        k = int(k)
    if isinstance(k, bool) or not isinstance(k, int):
        raise OptionError(f"k must be a whole number from 1 to {MAX_K}, not {shown(k)}.")
    if not 1 <= k <= MAX_K:
        raise OptionError(f"k must be from 1 to {MAX_K}; {shown(k)} is out of range.")
    if mode is None or mode == "":
        mode = "hybrid"
    if not isinstance(mode, str) or mode.strip().lower() not in MODES:
        raise OptionError(f"mode must be one of {', '.join(MODES)}, not {shown(mode)}.")
    return k, mode.strip().lower()


class Busy(Exception):
    """More questions are waiting than the lane lets wait."""


class TooSlow(Exception):
    """No result within the time limit."""


def _lower_priority(nice: int) -> None:
    """Make the calling thread yield the CPU to the other lanes' threads (Linux: niceness is per thread)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
    except (AttributeError, OSError):
        pass


class Lane:
    """Runs at most ``workers`` calls at once on threads of its own, lets at most ``waiting`` more wait.

    A caller that finds the lane full gets ``Busy`` at once; one that has no result by its deadline
    gets ``TooSlow``. A call already running is not interrupted: it finishes on its thread and only
    then frees its place, so the lane never runs more than ``workers`` calls.
    """

    def __init__(self, name: str, workers: int, waiting: int, nice: int = 0):
        self.name, self.workers, self.waiting = name, workers, waiting
        self._slots = threading.Semaphore(workers)
        self._lock = threading.Lock()
        self._admitted = 0  # running or waiting
        self._pool = concurrent.futures.ThreadPoolExecutor(
            workers, thread_name_prefix=f"search-{name}",
            initializer=_lower_priority if nice else None, initargs=(nice,) if nice else ())

    @property
    def admitted(self) -> int:
        return self._admitted

    def _leave(self) -> None:
        with self._lock:
            self._admitted -= 1

    def _finished(self, _future) -> None:
        self._slots.release()
        self._leave()

    def run(self, call, deadline: float):
        with self._lock:
            if self._admitted >= self.workers + self.waiting:
                raise Busy()
            self._admitted += 1
        if not self._slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
            self._leave()
            raise TooSlow()
        try:
            future = self._pool.submit(call)
        except BaseException:
            self._finished(None)
            raise
        future.add_done_callback(self._finished)
        try:
            return future.result(timeout=max(0.0, deadline - time.monotonic()))
        except concurrent.futures.TimeoutError:
            raise TooSlow() from None

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


class Lanes:
    """Short questions on one lane (a thread per core), long ones on another (fewer, lower-priority threads)."""

    def __init__(self, workers: int | None = None, waiting: int = WAITING, time_limit: float = TIME_LIMIT):
        workers = max(1, workers or cores())
        long_workers = max(1, workers // 2)
        self.time_limit = time_limit
        self.short = Lane("short", workers, waiting)
        self.long = Lane("long", long_workers, 2 * long_workers, nice=10)

    @property
    def capacity(self) -> int:
        """How many calls may be inside the lanes at once, running or waiting."""
        return sum(lane.workers + lane.waiting for lane in (self.short, self.long))

    def lane(self, question: str, mode: str) -> Lane:
        # BM25 alone costs little even for a long question; the embedding is what grows with its length.
        return self.long if len(question) >= LONG_QUESTION and mode != "bm25" else self.short

    def run(self, call, question: str, mode: str):
        return self.lane(question, mode).run(call, time.monotonic() + self.time_limit)

    def close(self) -> None:
        self.short.close()
        self.long.close()


def default_exports_folder() -> Path:
    """One folder per user in the system's temp folder (which Gradio may copy files from)."""
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return Path(tempfile.gettempdir()) / f"qa-exports-{user}"


class Exports:
    """Exported files, each in its own subfolder of one folder; files older than ``max_age`` seconds are removed."""

    def __init__(self, folder: Path | None = None, max_age: float = EXPORT_AGE):
        self.folder = Path(folder) if folder else default_exports_folder()
        self.max_age = max_age
        self._lock = threading.Lock()

    def write(self, name: str, content: str | bytes) -> Path:
        self.clean()
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = Path(tempfile.mkdtemp(dir=self.folder)) / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def clean(self) -> int:
        """Remove what is older than ``max_age``; the number of entries removed."""
        removed = 0
        cutoff = time.time() - self.max_age
        with self._lock:
            try:
                entries = list(self.folder.iterdir())
            except OSError:
                return 0
            for entry in entries:
                try:
                    if entry.lstat().st_mtime >= cutoff:
                        continue
                    if entry.is_dir() and not entry.is_symlink():
                        shutil.rmtree(entry)
                    else:
                        entry.unlink()
                    removed += 1
                except OSError:
                    continue
        return removed


class RefuseUploads:
    """ASGI middleware: the app takes no files, so the upload routes answer 403; a request body is capped.

    It also answers a read of an unknown API call (``GET /gradio_api/call/NAME/ID`` with an id the queue
    does not know) with a plain 404, where Gradio breaks the stream and logs a traceback.
    """

    def __init__(self, app, max_body: int = MAX_BODY, blocks: gr.Blocks | None = None):
        self.app, self.max_body, self.blocks = app, max_body, blocks

    def _unknown_call(self, path: str) -> bool:
        marker = "/gradio_api/call/"
        at = path.find(marker)
        if at < 0 or self.blocks is None:
            return False
        rest = path[at + len(marker):].split("/")
        if not (len(rest) == 2 or (len(rest) == 3 and rest[0] == "v2")):
            return False
        event_id = rest[-1]
        try:  # the lookup Gradio's route makes (gradio/routes.py, simple_predict_get)
            queue = self.blocks._queue
            if event_id in queue.event_ids_to_events or event_id in queue.pending_messages_per_session:
                return False
            return not any(event_id in ids for ids in list(queue.pending_event_ids_session.values()))
        except Exception:  # another Gradio version: let its route answer
            return False

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["method"] == "GET" and self._unknown_call(scope["path"].rstrip("/")):
            return await self._refuse(send, 404, "No such call: this id was never issued or has expired.")
        if scope["type"] == "http" and scope["method"] == "POST":
            path = scope["path"].rstrip("/")
            headers = dict(scope["headers"])
            length = headers.get(b"content-length", b"").strip()
            if path.endswith(UPLOAD_ROUTES):
                return await self._refuse(send, 403, "This app takes no file uploads.")
            if length and (not length.isdigit() or int(length) > self.max_body):
                return await self._refuse(send, 413, f"The request body is larger than {self.max_body} bytes.")
            if not length and b"chunked" in headers.get(b"transfer-encoding", b"").lower():
                return await self._refuse(send, 411, "Send the request body with a Content-Length.")
        return await self.app(scope, receive, send)

    @staticmethod
    async def _refuse(send, status: int, text: str) -> None:
        body = text.encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


@dataclass
class Answer:
    """What one question produced: a notice for the page, the rendered results, and the results themselves."""

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


@dataclass(frozen=True)
class Kept:
    """What a page keeps between a search and an export: the question and, per result, where to find it again.

    A few hundred bytes, where the results themselves (passages, figures, rendered HTML) are many kilobytes.
    """

    question: str
    picks: tuple[tuple[str, int, float, str, str], ...]  # (choice label, rank, score, passage id, answer figure)

    @classmethod
    def of(cls, answer: Answer) -> "Kept | None":
        if not answer.results:
            return None
        return cls(answer.question, tuple(
            (choice_label(r), r.rank, float(r.score), r.passage.id, r.answer.text if r.answer else "")
            for r in answer.results))


class App:
    def __init__(self, searcher: Searcher | None, load_error: str = "", lanes: Lanes | None = None,
                 exports: Exports | None = None):
        self.searcher = searcher
        self.load_error = load_error
        self.lanes = lanes or Lanes()
        self.exports = exports or Exports()

    # -- searching ---------------------------------------------------------
    def ask(self, question: str, k: int = 5, mode: str = "hybrid", render: bool = True) -> Answer:
        if self.searcher is None:
            return Answer(notice=f"⚠️ The index could not be loaded: {self.load_error}")
        try:
            k, mode = check_options(k, mode)
        except OptionError as error:
            return Answer(notice=f"⚠️ {error}")
        if question is not None and not isinstance(question, str):
            return Answer(notice=f"⚠️ The question must be text, not {type(question).__name__}.")
        if not (question or "").strip():
            return Answer(notice="Type a question first, in Chinese or English — for example “2021年地区生产总值是多少？”.")
        try:
            question, notice = limit_question(question)
        except QueryError as error:
            return Answer(notice=f"⚠️ {str(error)[:1].upper()}{str(error)[1:]}.")
        notice = f"{notice} " if notice else ""
        try:
            results = self.lanes.run(lambda: self.searcher.search(question, k=k, mode=mode), question, mode)
        except Busy:
            return Answer(notice=notice + BUSY, question=question)
        except TooSlow:
            long = ", and a long question takes longer" if len(question) >= LONG_QUESTION else ""
            return Answer(notice=notice + TOO_SLOW.format(seconds=self.lanes.time_limit, long=long),
                          question=question)
        except QueryError as error:
            return Answer(notice=notice + f"⚠️ {error}", question=question)
        except Exception:  # the page shows a notice, the console keeps the details
            log.exception("search failed")
            return Answer(notice="⚠️ Something went wrong while searching; the details are in the server log.",
                          question=question)
        if not results:
            return Answer(notice=notice + "No passage matches this question. Try other words or another search mode.",
                          question=question)
        return Answer(notice=notice.strip(), html=self.render(results) if render else "", question=question,
                      results=results)

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
    def export(self, kept: Kept | None, chosen: list[str] | None, format: str) -> tuple[str | None, str]:
        if self.searcher is None or not isinstance(kept, Kept) or not kept.picks:
            return None, "Search first, then choose the passages to export."
        if format not in FORMATS:
            return None, f"Choose one of the formats {', '.join(FORMATS)}."
        ticked = {label for label in chosen if isinstance(label, str)} if isinstance(chosen, list) else set()
        picks = [pick for pick in kept.picks if pick[0] in ticked] or list(kept.picks)
        store = self.searcher.store
        citations = []
        for _, rank, score, passage_id, answer in picks:
            position = store.find(passage_id)
            if position is not None:
                citations.append(cite(store.passage(position), self.searcher.documents, rank, score, answer))
        if not citations:
            return None, "These passages are no longer in the index; search again, then export."
        path = self.exports.write(f"passages{SUFFIXES[format]}", export(kept.question, citations, format))
        note = "" if ticked else "No passage was ticked, so all of them were exported. "
        return str(path), f"{note}Exported {len(citations)} passage(s) as {format}."

    # -- programmatic use --------------------------------------------------
    def api_search(self, question: str, k: int = 5, mode: str = "hybrid") -> dict:
        """Ranked passages for a question, each with its figures, answer figure and citation.

        k is a whole number from 1 to 20, mode one of hybrid, dense, bm25; a wrong one, an empty or
        invalid question, a busy server or a search over the time limit give no results and a notice
        saying so. A question over 2,000 characters is cut to that length, with a notice.
        """
        answer = self.ask(question, k, mode, render=False)
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
    # Gradio's copies of exported files are deleted on the same schedule as the exports themselves.
    with gr.Blocks(title="Report passages", delete_cache=(max(60, EXPORT_AGE // 6), EXPORT_AGE)) as demo:
        gr.Markdown("## Ask the reports\nRanked source passages with their figures highlighted — "
                    "the answer figure most strongly — and a citation for each.")
        with gr.Row(equal_height=True):
            question = gr.Textbox(label="Question", placeholder="2021年地区生产总值是多少？ / What was the GDP in 2021?",
                                  lines=1, max_lines=4, scale=6, elem_id="question", autofocus=True)
            ask = gr.Button("Search", variant="primary", scale=1, elem_id="search-button")
        with gr.Accordion("Advanced", open=False):
            with gr.Row():
                top_k = gr.Slider(1, MAX_K, value=5, step=1, label="Passages to show", elem_id="top-k")
                mode = gr.Radio(list(MODES), value="hybrid", label="Search mode",
                                info="hybrid fuses meaning (dense) and words (BM25)", elem_id="mode")
        gr.Examples(EXAMPLES, inputs=question, label="Examples")
        notice = gr.Markdown(elem_id="notice")
        results = gr.HTML(elem_id="results", js_on_load=COPY_JS)
        kept = gr.State(None, time_to_live=SESSION_TTL)
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
            return answer.notice, answer.html, gr.update(choices=labels, value=[]), Kept.of(answer), None, ""

        # Every search event may reach the lanes, which bound and order the work themselves; what is
        # beyond their capacity waits in Gradio's queue (bounded by ``serve``).
        searching = {"concurrency_id": "search", "concurrency_limit": app.lanes.capacity}
        outputs = [notice, results, chosen, kept, export_file, export_notice]
        question.submit(on_ask, [question, top_k, mode], outputs, api_visibility="private", **searching)
        ask.click(on_ask, [question, top_k, mode], outputs, api_visibility="private", **searching)
        # Not preprocessed: when the server has dropped this page's session (see ``SESSIONS``), Gradio would
        # refuse the ticked labels as unknown choices; ``App.export`` then says to search again instead.
        export_button.click(app.export, [kept, chosen, export_format], [export_file, export_notice],
                            api_visibility="private", concurrency_limit=2, preprocess=False)
        gr.api(app.api_search, api_name="search", **searching)
    return demo


def serve(app: App, host: str = "127.0.0.1", port: int | None = None, sessions: int = SESSIONS,
          prevent_thread_lock: bool = False):
    """Start the server: a bounded queue, no upload routes, a bounded number of sessions."""
    demo = create_ui(app)
    app.exports.clean()
    # Gradio copies a returned file into its cache only from the temp folder, the working folder or allowed paths.
    folder = app.exports.folder.resolve()
    bases = (Path(tempfile.gettempdir()).resolve(), Path.cwd().resolve())
    allowed = [] if any(folder.is_relative_to(base) for base in bases) else [str(folder)]
    demo.queue(max_size=WAITING, default_concurrency_limit=2)
    return demo.launch(
        server_name=host, server_port=port, css=CSS, show_error=False, footer_links=["api"],
        max_threads=app.lanes.capacity + 16, state_session_capacity=sessions, max_file_size=MAX_BODY,
        allowed_paths=allowed, app_kwargs={"middleware": [Middleware(RefuseUploads, blocks=demo)]},
        prevent_thread_lock=prevent_thread_lock,
    )


def load(index: Path, seeds: Path, model: str, lanes: Lanes | None = None, exports: Exports | None = None,
         store=None) -> App:
    """Bring the index up to date (progress on the console), then load it once; ``store`` names where it lives."""
    from qa import threads
    from qa.cli import _BuildBar
    from qa.embedding import Embedder
    from qa.index import build_index, open_store

    try:
        embedder = Embedder(model, progress=lambda message: print(message, file=sys.stderr))
        threads.for_building()
        report = build_index(seeds, index, embedder, progress=_BuildBar(), store=store)
        threads.for_searching()
        for problem in report.problems:
            print(f"Skipped {problem}", file=sys.stderr)
        print(f"Index {index}: {report.status}, {report.passages} passages.", file=sys.stderr)
        searcher = Searcher(open_store(index, store), embedder)
    except Exception as error:  # the page explains; the server still starts
        log.exception("could not load the index")
        fix = "check the seeds folder, then run `qa build` (or restart the app)"
        return App(None, f"{error}. To fix it: {fix}.", lanes=lanes, exports=exports)
    try:  # the query engine loads on first use: once here, not in the first visitor's time
        searcher.search(EXAMPLES[0], k=1)
    except Exception:
        log.exception("the warm-up question failed")
    return App(searcher, lanes=lanes, exports=exports)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Web UI for asking the reports.")
    parser.add_argument("--host", default=os.environ.get("QA_HOST", "127.0.0.1"),
                        help="address to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("QA_PORT", "7860")))
    parser.add_argument("--index", type=Path, default=Path(os.environ.get("QA_INDEX", "index")))
    parser.add_argument("--seeds", type=Path, default=Path(os.environ.get("QA_SEEDS", "seeds")))
    parser.add_argument("--model", default=os.environ.get("QA_MODEL", "multilingual-e5-small"))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("QA_WORKERS", "0")),
                        help="searches at once (default: the cores available); long questions get half as many")
    parser.add_argument("--queue", type=int, default=int(os.environ.get("QA_QUEUE", str(WAITING))),
                        help=f"questions that may wait for a search; past that: a busy notice (default {WAITING})")
    parser.add_argument("--time-limit", type=float, default=float(os.environ.get("QA_TIME_LIMIT", str(TIME_LIMIT))),
                        help=f"seconds a question may take, waiting included (default {TIME_LIMIT:g})")
    parser.add_argument("--sessions", type=int, default=int(os.environ.get("QA_SESSIONS", str(SESSIONS))),
                        help=f"sessions kept in memory, oldest dropped first (default {SESSIONS})")
    parser.add_argument("--exports", type=Path, default=os.environ.get("QA_EXPORTS") or None,
                        help=f"folder for exported files, kept {EXPORT_AGE // 60} minutes "
                             f"(default: qa-exports-UID in the system's temp folder)")
    parser.add_argument("--store", default=os.environ.get("QA_STORE", "local"),
                        help="where the index lives: local (default), milvus:PATH.db or milvus://HOST:PORT")
    parser.add_argument("--milvus-token", default=os.environ.get("QA_MILVUS_TOKEN", ""),
                        help="Milvus user:password or API key")
    parser.add_argument("--milvus-tls", action="store_true",
                        default=os.environ.get("QA_MILVUS_TLS", "") not in ("", "0", "false", "no"),
                        help="connect to the Milvus server over TLS")
    parser.add_argument("--milvus-ca", default=os.environ.get("QA_MILVUS_CA", ""),
                        help="the Milvus server's CA certificate for TLS")
    options = parser.parse_args(argv)
    from qa.stores import StoreError
    from qa.stores.spec import parse_store

    try:
        store = parse_store(options.store, token=options.milvus_token, tls=options.milvus_tls,
                            ca_file=options.milvus_ca)
    except StoreError as error:
        parser.error(str(error))
    for name in ("workers", "queue", "sessions"):
        if getattr(options, name) < (0 if name == "workers" else 1):
            parser.error(f"--{name} must be at least {0 if name == 'workers' else 1}")
    if not options.time_limit > 0:
        parser.error("--time-limit must be more than 0 seconds")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    lanes = Lanes(options.workers or None, waiting=options.queue, time_limit=options.time_limit)
    app = load(options.index, options.seeds, options.model, lanes=lanes, exports=Exports(options.exports),
               store=store)
    serve(app, options.host, options.port, sessions=options.sessions)


if __name__ == "__main__":
    main()
