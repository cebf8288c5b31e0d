"""The web UI: ask a question, read the answer figure and the ranked passages behind it, cite and export them.

    python app.py [--host 127.0.0.1] [--port 7860] [--index index] [--seeds seeds] [--model M]
                  [--workers N] [--queue N] [--time-limit S] [--sessions N] [--exports DIR]
                  [--store local|milvus:PATH.db|milvus://HOST:PORT] [--milvus-token T] [--milvus-tls] [--milvus-ca F]

A thin shell over ``qa.answering.answer_question``, ``qa.page`` (the HTML) and
``qa.citations``; every piece of text it shows comes from ``qa.messages``
(Chinese by default, English by the page's switch or the browser's language).
The index is built (or brought up to date) before the server starts, and the
model and index are loaded once per process.

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
import datetime
import json
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
from typing import Callable

import gradio as gr
from starlette.middleware import Middleware

from qa.answering import Filters, Notice, answer_question
from qa.citations import FORMAT_NAMES, FORMATS, ExportCard, cite, export, export_name
from qa.examples import candidate_examples
from qa.messages import DEFAULT_LANGUAGE, HTML_LANG, LANGUAGE_NAMES, LANGUAGES, MESSAGES, language_from, normalise, text
from qa.page import Page
from qa.places import administrative_order
from qa.search import MAX_QUESTION_CHARS, MODES, QueryError, Result, Searcher, limit_question
from qa.series_view import SeriesView
from qa.stores import StoreError

log = logging.getLogger("qa.app")

EXAMPLES_SHOWN = 4  # example questions on the page, each one the index's own reports answer
WARM_UP = "地区生产总值是多少？"  # asked once at start when no example is, so the first visitor does not wait

# Text colours are set here rather than taken from the theme's "subdued" grey, which is too light to read
# (WCAG AA asks for a contrast of at least 4.5:1): #4b5563 on white is 7.6:1, on the greyed card 6.8:1.
CSS = """
.qa-card {border: 1px solid #d1d5db; border-left: 6px solid #1d4ed8; border-radius: 8px; padding: 14px 16px;
          margin: 6px 0 14px; background: #ffffff; color: #111827;}
.qa-card.qa-not-found {border-left-color: #b45309; background: #fffbeb;}
.qa-card-label {font-size: 0.85em; font-weight: 600; color: #374151; letter-spacing: 0.05em;}
.qa-figure-main {font-size: 2.2em; font-weight: 700; color: #1e3a8a; line-height: 1.3;}
.qa-figure {font-size: 1.5em; font-weight: 700; color: #1e3a8a;}
.qa-gloss {font-size: 1.05em; color: #374151; margin-left: 8px;}
.qa-period {font-size: 1.05em; font-weight: 600; color: #374151;}
.qa-card .qa-where {color: #374151; font-size: 0.95em;}
.qa-parts ul, .qa-disagreement ul {margin: 6px 0; padding-left: 1.2em;}
.qa-part {margin: 8px 0;}
.qa-part-question {display: block; color: #374151; font-weight: 600;}
.qa-part-missing {color: #9a3412; font-weight: 600;}
.qa-disagreement {margin-top: 10px; border-top: 1px dashed #d1d5db; padding-top: 8px;}
.qa-disagreement > p {color: #9a3412; font-weight: 600; margin: 0;}
.qa-same-figure {margin-top: 10px; border-top: 1px dashed #d1d5db; padding-top: 8px;}
.qa-same-figure > p {color: #374151; margin: 0;}
.qa-same-figure ul {margin: 6px 0; padding-left: 1.2em;}
.qa-in-words {font-size: 1.05em; color: #1f2937; margin: 4px 0 0;}
.qa-not-found-notice {font-size: 1.1em; font-weight: 600; color: #7c2d12; margin: 0;}
.qa-passages-heading {font-size: 1em; color: #374151; margin: 10px 0 0;}
.qa-result {border: 1px solid #d1d5db; border-radius: 8px; padding: 12px 14px; margin: 10px 0;
            background: #ffffff; color: #111827;}
.qa-result.qa-greyed {background: #f3f4f6; border-style: dashed; color: #374151;}
.qa-head {display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap;}
.qa-rank {font-weight: 700; font-size: 1.1em;}
.qa-title {font-weight: 600;}
.qa-score, .qa-where {color: #4b5563; font-size: 0.85em;}
.qa-section {color: #4b5563; margin: 2px 0 8px;}
.qa-text {line-height: 1.8; white-space: pre-wrap; margin: 0;}
mark.qa-fig {background: transparent; color: inherit; padding: 0 2px; border-bottom: 1px dotted #6b7280;}
mark.qa-answering {background: #ffd666; font-weight: 600; border-bottom: none; border-radius: 3px;}
mark.qa-answer {background: #c2410c; color: #fff; font-weight: 700; outline: 2px solid #9a3412;}
.qa-greyed mark.qa-fig {background: #e5e7eb;}
.qa-context {white-space: pre-wrap; line-height: 1.7; color: #4b5563;}
.qa-context b {color: #111827;}
.qa-cite {display: flex; gap: 8px; align-items: center; margin-top: 8px; font-size: 0.85em; color: #374151;}
.qa-reference {line-height: 1.6;}
.qa-details {color: #4b5563; font-size: 0.8em; margin-top: 2px; word-break: break-all;}
.qa-copy {cursor: pointer; border: 1px solid #9ca3af; border-radius: 6px; padding: 2px 10px; background: #f9fafb;
          color: #111827; white-space: nowrap; font-size: 0.95em;}
/* A likely answer (confidence below qa.page.likely_below()): lighter border, dashed, figure in a plainer weight,
   and the words 可能是 / likely before it, so that it never reads like a sure one. */
.qa-card.qa-likely {border-left: 6px dashed #b45309; background: #fffdf7;}
.qa-likely-answer .qa-figure-main, .qa-likely-answer .qa-figure {color: #92400e; font-weight: 600;}
.qa-likely-word {display: inline-block; font-size: 1em; font-weight: 700; color: #92400e; background: #fef3c7;
                 border: 1px solid #b45309; border-radius: 4px; padding: 0 6px; margin-right: 6px; vertical-align: middle;}
.qa-part-confidence {color: #374151; font-size: 0.9em; margin-right: 8px;}
.qa-marker {cursor: pointer; border: none; background: none; color: #1d4ed8; font-weight: 700; font-size: 1em;
            padding: 0 4px; margin-left: 6px; text-decoration: underline; vertical-align: super;}
.qa-source-details summary {cursor: pointer; color: #374151; font-size: 0.85em; margin-top: 4px;}
.qa-result.qa-target {outline: 3px solid #1d4ed8; outline-offset: 2px;}
mark.qa-target-figure {background: #1d4ed8 !important; color: #ffffff !important; outline: 3px solid #1e3a8a;
                       border-radius: 3px;}
/* Gradio's own greys for helper texts, placeholders and the slider's range are 1.9:1 on white; WCAG AA asks 4.5:1. */
:root, .gradio-container {--body-text-color-subdued: #4b5563 !important; --block-info-text-color: #4b5563 !important;
                          --input-placeholder-color: #6b7280 !important; --block-label-text-color: #374151 !important;
                          --block-title-text-color: #374151 !important;}
.gradio-container textarea::placeholder, .gradio-container input::placeholder {color: #6b7280 !important; opacity: 1;}
.gradio-container [data-testid="block-info"], .gradio-container .min_value, .gradio-container .max_value {color: #4b5563 !important;}
#search-button {background: #c2410c !important; border-color: #c2410c !important; color: #ffffff !important;}
#search-button:hover {background: #9a3412 !important;}
/* Focus must be seen on every control, the custom radios and checkboxes included. */
.gradio-container button:focus, .gradio-container summary:focus, .gradio-container [role="button"]:focus,
.gradio-container input[type="radio"]:focus, .gradio-container input[type="checkbox"]:focus,
.gradio-container input[type="range"]:focus, .gradio-container input:focus-visible,
.gradio-container textarea:focus-visible {
  outline: 3px solid #1d4ed8 !important; outline-offset: 2px !important; box-shadow: 0 0 0 5px #bfdbfe !important;
  transition: none !important;}
#filters .options {max-height: 40vh !important;}
/* The checkbox labels of the export list wrap whole rather than being cut. */
#chosen label {white-space: normal; max-width: 100%;}
#chosen label span {overflow: visible; text-overflow: clip; white-space: normal; word-break: keep-all;
                    overflow-wrap: anywhere;}
/* A phone: the language switch goes under the heading instead of squeezing it. */
@media (max-width: 640px) {
  #header {flex-direction: column !important; align-items: stretch !important;}
  #header > * {min-width: 0 !important; width: 100% !important;}
  #ask-row, #options-row {flex-wrap: wrap !important;}
  #ask-row > *, #options-row > * {min-width: 100% !important;}
}
"""

# Copy buttons and the card's [1] markers live inside rendered HTML, so one delegated listener serves them all;
# a copy button carries its label and its "copied" text in the page's language. A marker scrolls to its passage
# and marks the figure there. New results bring the answer card into view (on a phone it starts below the fold).
RESULTS_JS = """
element.addEventListener('click', async (event) => {
  const marker = event.target.closest('.qa-marker');
  if (marker) {
    const passage = Array.from(element.querySelectorAll('.qa-result')).find((card) => card.dataset.id === marker.dataset.passage);
    if (!passage) return;
    element.querySelectorAll('.qa-target').forEach((old) => old.classList.remove('qa-target'));
    element.querySelectorAll('.qa-target-figure').forEach((old) => old.classList.remove('qa-target-figure'));
    passage.classList.add('qa-target');
    const figure = Array.from(passage.querySelectorAll('.qa-text mark')).find((mark) => mark.textContent === marker.dataset.figure);
    if (figure) figure.classList.add('qa-target-figure');
    passage.scrollIntoView({block: 'center'});
    passage.setAttribute('tabindex', '-1');
    passage.focus({preventScroll: true});
    return;
  }
  const button = event.target.closest('.qa-copy');
  if (!button) return;
  const text = button.dataset.copy;
  try { await navigator.clipboard.writeText(text); }
  catch (error) {
    const area = document.createElement('textarea');
    area.value = text; document.body.appendChild(area); area.select();
    document.execCommand('copy'); area.remove();
  }
  button.textContent = button.dataset.copied;
  setTimeout(() => { button.textContent = button.dataset.label; }, 1500);
});
let shownCard = null;
new MutationObserver(() => {
  const card = element.querySelector('.qa-card');
  if (!card || card === shownCard) return;
  shownCard = card;
  const top = card.getBoundingClientRect().top;
  if (top < 0 || top > window.innerHeight * 0.6) card.scrollIntoView({block: 'start'});
}).observe(element, {childList: true, subtree: true});
"""

# A filter's list opens where there is room, upwards when the box is low on the screen, and then covers the question
# box. Before it opens, a box low on the screen is brought up to a quarter of the way down, so the list opens below
# it; upwards it never reaches beyond 40% of the screen's height.
FILTER_LIST_JS = """
<script>
document.addEventListener('focusin', (event) => {
  const box = event.target.closest && event.target.closest('#filters input');
  if (!box) return;
  const place = box.getBoundingClientRect();
  if (window.innerHeight - place.bottom < window.innerHeight * 0.5) window.scrollBy(0, place.top - window.innerHeight / 4);
}, true);
</script>
"""

# The tab's title and the page's language tag (which also picks Chinese glyphs for Chinese text) follow the switch.
LANGUAGE_JS = """
(language) => {
  const titles = %s, tags = %s;
  document.title = titles[language] || document.title;
  document.documentElement.lang = tags[language] || 'zh-CN';
  return language;
}
""" % (json.dumps({language: MESSAGES["page_title"].get(language) for language in LANGUAGES}, ensure_ascii=False),
       json.dumps(HTML_LANG))


MAX_K = 20  # the most passages one question returns, as on the page's slider
LONG_QUESTION = 200  # characters from which a question's embedding costs much more than a short one's
TIME_LIMIT = 30.0  # seconds a question may take, waiting included, before it is answered with a notice
WAITING = 64  # short questions that may wait for a search thread; long ones: a few per thread
SESSIONS = 1000  # page and API sessions the server keeps (the oldest is dropped first)
SESSION_TTL = 3600  # seconds a page keeps its last results for export
MAX_BODY = 2 << 20  # bytes of a request body; a 100,000-character question fits several times
EXPORT_AGE = 3600  # seconds an exported file is kept (long enough to download it)
UPLOAD_ROUTES = ("/gradio_api/upload", "/gradio_api/process_recording")
MAX_FILTER_VALUES = 200  # values one filter may list
ON_THE_CARD = {"not_found", "part_not_found", "disagreement"}  # notices the answer card says itself
FIRST_YEAR, LAST_YEAR = 1900, 2100  # the years a filter may name


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
    """A search option (k, mode, a filter, the language) of the wrong type or out of range.

    It carries a message key and its parameters, so the notice says what is wrong in the page's language.
    """

    def __init__(self, key: str, **params):
        super().__init__(text(key, "en", **params))
        self.key, self.params = key, params

    def notice(self, language: str) -> str:
        return text(self.key, language, **self.params)


def check_options(k, mode) -> tuple[int, str]:
    """k and mode as the search takes them; anything else raises ``OptionError`` saying what is wrong."""
    if k is None or (isinstance(k, str) and not k.strip()):
        k = 5
    if isinstance(k, str) and re.fullmatch(r"[+-]?[0-9]{1,9}", k.strip()):
        k = int(k.strip())
    elif isinstance(k, float) and math.isfinite(k) and k.is_integer():
        k = int(k)
    if isinstance(k, bool) or not isinstance(k, int):
        raise OptionError("k_not_whole", most=MAX_K, value=shown(k))
    if not 1 <= k <= MAX_K:
        raise OptionError("k_out_of_range", most=MAX_K, value=shown(k))
    if mode is None or mode == "":
        mode = "hybrid"
    if not isinstance(mode, str) or mode.strip().lower() not in MODES:
        raise OptionError("mode_unknown", modes=", ".join(MODES), value=shown(mode))
    return k, mode.strip().lower()


def check_language(language) -> str:
    if language is None or language == "":
        return DEFAULT_LANGUAGE
    if isinstance(language, str) and language.strip().lower() in LANGUAGES:
        return language.strip().lower()
    raise OptionError("language_unknown", languages=", ".join(LANGUAGES), value=shown(language))


@dataclass(frozen=True)
class Choices:
    """What the filters offer, from the index's document metadata: its reports, their places and years."""

    documents: tuple[tuple[str, str], ...] = ()  # (place · year · title shown, source)
    places: tuple[str, ...] = ()  # the nation, the provinces in their usual order, then cities and counties
    years: tuple[int, ...] = ()  # delivery years and the years the reports look back on, newest first

    @classmethod
    def of(cls, documents: dict) -> "Choices":
        places = administrative_order([(name, info.province) for info in documents.values()
                                       for name in (info.place, info.province) if name])
        order = {place: position for position, place in enumerate(places)}
        listed = sorted(documents.items(), key=lambda item: (order.get(item[1].place, len(order)),
                                                             -(item[1].year or 0), item[1].title or item[0]))
        years = {year for info in documents.values() for year in (info.year, info.reviews) if year}
        return cls(documents=tuple((_document_label(source, info), source) for source, info in listed),
                   places=tuple(places), years=tuple(sorted(years, reverse=True)))

    def check(self, documents, places, years) -> Filters:
        """The filters a page or an API call asks for; a wrong type or a value the index lacks raises ``OptionError``."""
        sources = _texts(documents, "documents", {source for _, source in self.documents})
        return Filters(sources=sources, places=_texts(places, "places", set(self.places)),
                       years=_years(years))


def _document_label(source: str, info) -> str:
    """二七区 · 2022 · 二七区2021年国民经济和社会发展计划执行情况…: the report's place, year (else the year it reviews, else
    that none is given) and title."""
    title = info.title or Path(source).stem
    label = title if len(title) <= 48 else title[:47] + "…"
    year = str(info.year) if info.year else text("reviews_year", DEFAULT_LANGUAGE, year=info.reviews) if info.reviews \
        else text("year_not_given", DEFAULT_LANGUAGE)
    return " · ".join(piece for piece in (info.place or text("place_not_given", DEFAULT_LANGUAGE), year, label))


def _listed(values, key: str, name: str) -> list:
    if values is None or values == "":
        return []
    if isinstance(values, (str, int)) and not isinstance(values, bool):
        values = [values]
    if not isinstance(values, (list, tuple)) or len(values) > MAX_FILTER_VALUES:
        raise OptionError(key, name=name, most=MAX_FILTER_VALUES, value=shown(values))
    return list(values)


def _texts(values, name: str, known: set[str]) -> tuple[str, ...]:
    values = _listed(values, "filter_not_texts", name)
    if not all(isinstance(value, str) for value in values):
        raise OptionError("filter_not_texts", name=name, most=MAX_FILTER_VALUES, value=shown(values))
    unknown = [value for value in values if value not in known]
    if unknown:
        raise OptionError("filter_unknown", name=name, value=shown(unknown))
    return tuple(dict.fromkeys(values))


def _years(values) -> tuple[int, ...]:
    """Any year will do, not only those offered: the filter also keeps passages about a year (``qa.filters``)."""
    years = []
    for value in _listed(values, "filter_not_years", "years"):
        if isinstance(value, str) and re.fullmatch(r"\s*[0-9]{4}\s*", value):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not FIRST_YEAR <= value <= LAST_YEAR:
            raise OptionError("filter_not_years", name="years", most=MAX_FILTER_VALUES, value=shown(values))
        years.append(value)
    return tuple(dict.fromkeys(years))


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
class Reply:
    """What one question produced: its notices, the rendered answer card and passages, and the response."""

    language: str = DEFAULT_LANGUAGE
    notices: list[Notice] = field(default_factory=list)  # the app's own and the answering's
    html: str = ""
    question: str = ""
    response: object | None = None  # qa.answering.Response
    results: list[Result] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.response is not None and self.response.found)

    @property
    def notice(self) -> str:
        """The notices for the page, in its language; what the answer card says itself is left to the card."""
        return notices_text([n for n in self.notices if n.key not in ON_THE_CARD], self.language)


@dataclass(frozen=True)
class Kept:
    """What a page keeps between a search and an export: the question and, per result, where to find it again.

    A few hundred bytes, where the results themselves (passages, figures, rendered HTML) are many kilobytes.
    When the reports do not answer, no answer figure is kept, so none is exported either.
    """

    question: str
    picks: tuple[tuple[str, int, float, str, str], ...]  # (choice label, rank, score, passage id, answer figure)
    card: ExportCard | None = None  # the answer card, when the reports answer

    @classmethod
    def of(cls, reply: Reply) -> "Kept | None":
        if not reply.results:
            return None
        response = reply.response
        answers = [part.answer for part in response.parts if part.answer] + list(response.disagreement) \
            if reply.found else []
        figures = {answer.passage_id: answer.text for answer in answers}  # only the card's figures are exported
        return cls(reply.question, tuple(
            (choice_label(r), r.rank, float(r.score), r.passage.id, figures.get(r.passage.id, ""))
            for r in reply.results), ExportCard.of(response.answer) if reply.found and response.answer else None)


class App:
    def __init__(self, searcher: Searcher | None, load_error: str = "", lanes: Lanes | None = None,
                 exports: Exports | None = None, today: Callable[[], datetime.date] = datetime.date.today,
                 examples: tuple[str, ...] = ()):
        self.searcher = searcher
        self.load_error = load_error
        self.examples = examples  # questions the index's own reports answer (``answered_examples``)
        self.lanes = lanes or Lanes()
        self.exports = exports or Exports()
        self.today = today  # the date in export file names
        self.choices = Choices.of(searcher.documents or {}) if searcher is not None else Choices()

    # -- searching ---------------------------------------------------------
    def ask(self, question: str, k: int = 5, mode: str = "hybrid", documents=None, places=None, years=None,
            language: str = DEFAULT_LANGUAGE, render: bool = True) -> Reply:
        language = normalise(language)
        if self.searcher is None:
            return Reply(language, [Notice("index_missing", {"error": self.load_error})])
        try:
            k, mode = check_options(k, mode)
            filters = self.choices.check(documents, places, years)
        except OptionError as error:
            return Reply(language, [Notice(error.key, error.params)])
        if question is not None and not isinstance(question, str):
            return Reply(language, [Notice("question_not_text", {"kind": type(question).__name__})])
        if not (question or "").strip():
            return Reply(language, [Notice("empty_question")])
        try:
            question, cut = limit_question(question)
        except QueryError:  # not empty, so its characters are not valid text
            return Reply(language, [Notice("question_invalid")])
        notices = [Notice("question_cut", {"limit": MAX_QUESTION_CHARS})] if cut else []
        def asking():
            return answer_question(self.searcher, question, k=k, mode=mode, filters=filters or None, language=language)

        try:
            response = self.lanes.run(asking, question, mode)
        except Busy:
            return Reply(language, notices + [Notice("busy")], question=question)
        except TooSlow:
            key = "too_slow_long" if len(question) >= LONG_QUESTION else "too_slow"
            return Reply(language, notices + [Notice(key, {"seconds": self.lanes.time_limit})], question=question)
        except QueryError as error:
            return Reply(language, notices + [Notice("cannot_search", {"reason": str(error)})], question=question)
        except StoreError as error:  # a file of the index was written over after it was opened and verified
            log.warning("%s", error)
            return Reply(language, notices + [Notice("index_damaged", {"error": str(error)})], question=question)
        except Exception:  # the page shows a notice, the console keeps the details
            log.exception("search failed")
            return Reply(language, [Notice("search_failed")], question=question)
        notices += response.notices
        if not response.results and not any(notice.key == "no_results" for notice in notices):
            notices.append(Notice("no_results"))
        html = Page(self.searcher, language).render(response) if render and response.results else ""
        return Reply(language, notices, html=html, question=question, response=response,
                     results=list(response.results))

    # -- exporting ---------------------------------------------------------
    def export(self, kept: Kept | None, chosen: list[str] | None, format: str,
               language: str = DEFAULT_LANGUAGE) -> tuple[str | None, str]:
        language = normalise(language)
        if self.searcher is None or not isinstance(kept, Kept) or not kept.picks:
            return None, text("export_search_first", language)
        if format not in FORMATS:
            return None, text("export_format_unknown", language, formats=", ".join(FORMATS))
        ticked = {label for label in chosen if isinstance(label, str)} if isinstance(chosen, list) else set()
        picks = [pick for pick in kept.picks if pick[0] in ticked] or list(kept.picks)
        store = self.searcher.store
        citations = []
        for _, rank, score, passage_id, answer in picks:
            position = store.find(passage_id)
            if position is not None:
                citations.append(cite(store.passage(position), self.searcher.documents, rank, score, answer))
        if not citations:
            return None, text("export_gone", language)
        name = export_name(kept.question, self.today(), format)
        path = self.exports.write(name, export(kept.question, citations, format, language, kept.card))
        note = "" if ticked else text("export_all", language) + " "
        return str(path), note + text("exported", language, count=len(citations), format=FORMAT_NAMES[format])

    # -- programmatic use --------------------------------------------------
    def api_search(self, question: str, k: int = 5, mode: str = "hybrid", documents: list[str] | None = None,
                   places: list[str] | None = None, years: list[int] | None = None, language: str = "zh") -> dict:
        """The answer to a question and the ranked passages behind it.

        k is a whole number from 1 to 20, mode one of hybrid, dense, bm25; documents, places and years
        restrict the search (sources as the index names them, places, years); language (zh or en) is
        the language of the notices and citations. The reply holds the question, whether the reports
        answer it (found, confidence), the answer figure with its period, place and citations, one entry
        per part of a question that asks several things, the disagreeing figures, the passages, and the
        notices (each a key, its parameters and its text). A wrong option, an empty or invalid question,
        a busy server or a search over the time limit give no results and a notice saying so. A question
        over 2,000 characters is cut to that length, with a notice.
        """
        try:
            language = check_language(language)
        except OptionError as error:
            return {**EMPTY_REPLY, "notices": [notice_dict(Notice(error.key, error.params), DEFAULT_LANGUAGE)],
                    "notice": error.notice(DEFAULT_LANGUAGE)}
        reply = self.ask(question, k, mode, documents, places, years, language=language, render=False)
        documents_info = self.searcher.documents if self.searcher else {}
        answered = reply.response.to_dict() if reply.response is not None else {}
        return {
            **EMPTY_REPLY, **answered, "question": reply.question,
            "results": [{**r.to_dict(), **api_citation(cite(r.passage, documents_info), language)} for r in reply.results],
            "notices": [notice_dict(notice, language) for notice in reply.notices],
            "notice": notices_text(reply.notices, language),
        }


EMPTY_REPLY = {"question": "", "found": False, "confidence": 0.0, "answer": None, "parts": [], "disagreement": [],
               "results": [], "notices": [], "notice": ""}


def api_citation(citation, language: str) -> dict:
    return {"citation": citation.reference_en if language == "en" else citation.reference_zh,
            "details": citation.details}


def notice_text(notice: Notice, language: str) -> str:
    """A notice in the page's language (its key names a message)."""
    if notice.key not in MESSAGES:
        log.warning("no message for the notice %r", notice.key)
        return ""
    params = dict(notice.params or {})
    if f"condition_{params.get('condition')}" in MESSAGES:  # the condition no fact met, in the page's words
        params["condition"] = text(f"condition_{params['condition']}", language)
    try:
        return text(notice.key, language, **params)
    except (KeyError, IndexError, ValueError):
        log.warning("the notice %r does not fit its message", notice)
        return ""


def notices_text(notices: list[Notice], language: str) -> str:
    return " ".join(filter(None, (notice_text(notice, language) for notice in notices)))


def notice_dict(notice: Notice, language: str) -> dict:
    return {"key": notice.key, "params": dict(notice.params or {}), "text": notice_text(notice, language)}


def choice_label(result: Result) -> str:
    """1. 拉高标杆 狠抓落实 奋力突破 · 综合实力持续提升: the rank, the title and the passage's own heading, each
    shortened with an ellipsis rather than cut mid-word."""
    section = result.passage.section[-1] if result.passage.section else ""
    return " · ".join(piece for piece in (f"{result.rank}. {_shortened(result.passage.title, 30)}",
                                          _shortened(section, 30)) if piece)


def _shortened(words: str, most: int) -> str:
    return words if len(words) <= most else words[: most - 1] + "…"


def mode_choices(language: str) -> list[tuple[str, str]]:
    return [(text(f"mode_{mode}", language), mode) for mode in MODES]


def create_ui(app: App) -> gr.Blocks:
    """The page: Chinese first; every label is set again from ``qa.messages`` when the language changes."""
    zh = DEFAULT_LANGUAGE
    choices = app.choices
    # Gradio's copies of exported files are deleted on the same schedule as the exports themselves.
    with gr.Blocks(title=text("page_title", zh), delete_cache=(max(60, EXPORT_AGE // 6), EXPORT_AGE)) as demo:
        with gr.Row(equal_height=True, elem_id="header"):
            heading = gr.Markdown(text("heading", zh), elem_id="heading")
            language = gr.Radio([(LANGUAGE_NAMES[code], code) for code in LANGUAGES], value=zh,
                                label=text("language", zh), elem_id="language", scale=0, min_width=240)
        with gr.Row(equal_height=True, elem_id="ask-row"):
            question = gr.Textbox(label=text("question", zh), placeholder=text("question_placeholder", zh),
                                  lines=1, max_lines=4, scale=6, elem_id="question", autofocus=True)
            ask = gr.Button(text("search", zh), variant="primary", scale=1, elem_id="search-button")
        examples = gr.Dataset(components=[question], samples=[[example] for example in app.examples],
                              label=text("examples", zh), elem_id="examples", visible=bool(app.examples))
        with gr.Row(elem_id="options-row"):
            with gr.Accordion(text("filters", zh), open=False, elem_id="filters") as filters:
                documents = gr.Dropdown([(label, source) for label, source in choices.documents], value=[],
                                        multiselect=True, label=text("filter_documents", zh),
                                        info=text("filter_info", zh), elem_id="filter-documents")
                places = gr.Dropdown(list(choices.places), value=[], multiselect=True,
                                     label=text("filter_places", zh), info=text("filter_info", zh),
                                     elem_id="filter-places")
                years = gr.Dropdown([(str(year), year) for year in choices.years], value=[], multiselect=True,
                                    label=text("filter_years", zh), info=text("filter_years_info", zh),
                                    elem_id="filter-years")
            with gr.Accordion(text("advanced", zh), open=False, elem_id="advanced") as advanced:
                top_k = gr.Slider(1, MAX_K, value=5, step=1, label=text("top_k", zh), elem_id="top-k")
                mode = gr.Radio(mode_choices(zh), value="hybrid", label=text("mode", zh),
                                info=text("mode_info", zh), elem_id="mode")
        notice = gr.Markdown(elem_id="notice")
        series_view = SeriesView(app)  # a series question's chart and table, above the passages
        series_view.build()
        results = gr.HTML(elem_id="results", js_on_load=RESULTS_JS)
        kept = gr.State(None, time_to_live=SESSION_TTL)
        with gr.Accordion(text("export_heading", zh), open=True, elem_id="export") as export_panel:
            chosen = gr.CheckboxGroup(label=text("export_chosen", zh), choices=[], elem_id="chosen")
            with gr.Row():
                export_format = gr.Radio([(FORMAT_NAMES[name], name) for name in FORMATS], value="markdown",
                                         label=text("export_format", zh), elem_id="export-format")
                export_button = gr.Button(text("export_button", zh), elem_id="export-button")
            export_file = gr.File(label=text("download", zh), elem_id="export-file", interactive=False, height=90)
            export_notice = gr.Markdown(elem_id="export-notice")

        # Each translated component with how it is labelled in a language.
        labelled = [
            (heading, lambda lang: gr.update(value=text("heading", lang))),
            (language, lambda lang: gr.update(label=text("language", lang))),
            (question, lambda lang: gr.update(label=text("question", lang),
                                              placeholder=text("question_placeholder", lang))),
            (ask, lambda lang: gr.update(value=text("search", lang))),
            (examples, lambda lang: gr.update(label=text("examples", lang))),
            (filters, lambda lang: gr.update(label=text("filters", lang))),
            (documents, lambda lang: gr.update(label=text("filter_documents", lang), info=text("filter_info", lang))),
            (places, lambda lang: gr.update(label=text("filter_places", lang), info=text("filter_info", lang))),
            (years, lambda lang: gr.update(label=text("filter_years", lang), info=text("filter_years_info", lang))),
            (advanced, lambda lang: gr.update(label=text("advanced", lang))),
            (top_k, lambda lang: gr.update(label=text("top_k", lang))),
            (mode, lambda lang: gr.update(label=text("mode", lang), info=text("mode_info", lang),
                                          choices=mode_choices(lang))),
            (export_panel, lambda lang: gr.update(label=text("export_heading", lang))),
            (chosen, lambda lang: gr.update(label=text("export_chosen", lang))),
            (export_format, lambda lang: gr.update(label=text("export_format", lang))),
            (export_button, lambda lang: gr.update(value=text("export_button", lang))),
            (export_file, lambda lang: gr.update(label=text("download", lang))),
        ]

        searched = [question, top_k, mode, documents, places, years, language]
        outputs = [notice, results, chosen, kept, export_file, export_notice]

        def on_ask(text_asked, k, search_mode, sources, place_names, year_values, lang):
            started = time.perf_counter()
            reply = app.ask(text_asked, k, search_mode, sources, place_names, year_values, language=lang)
            log.info("question answered in %.0f ms", (time.perf_counter() - started) * 1000)
            labels = [choice_label(r) for r in reply.results]
            return reply.notice, reply.html, gr.update(choices=labels, value=[]), Kept.of(reply), None, ""

        def on_change(text_asked, *options):
            """A changed option, filter or language asks again, once there is a question to ask."""
            if not isinstance(text_asked, str) or not text_asked.strip():
                return gr.skip()
            return on_ask(text_asked, *options)

        def on_example(sample, *options):
            asked = sample[0] if isinstance(sample, (list, tuple)) and sample else ""
            return (asked, *on_ask(asked, *options))

        def on_language(lang):
            lang = normalise(lang)
            return [label(lang) for _, label in labelled]

        def on_load(request: gr.Request):
            preferred = request.headers.get("accept-language", "") if request is not None else ""
            return language_from(preferred)

        # Every search event may reach the lanes, which bound and order the work themselves; what is
        # beyond their capacity waits in Gradio's queue (bounded by ``serve``).
        searching = {"concurrency_id": "search", "concurrency_limit": app.lanes.capacity, "api_visibility": "private"}
        series_shown = {"fn": series_view.update, "inputs": [question, language], "outputs": series_view.outputs,
                        "api_visibility": "private"}
        question.submit(on_ask, searched, outputs, **searching).then(**series_shown)
        ask.click(on_ask, searched, outputs, **searching).then(**series_shown)
        examples.click(on_example, [examples, *searched[1:]], [question, *outputs], **searching).then(**series_shown)
        # A changed option or filter asks again; while one search runs, only the latest change waits. The
        # slider's value changes only by the reader's hand (dragged, typed or stepped); the other controls
        # listen to the reader's input alone, so relabelling them in another language asks nothing.
        top_k.change(on_change, searched, outputs, trigger_mode="always_last", **searching)
        for control in (mode, documents, places, years):
            control.input(on_change, searched, outputs, trigger_mode="always_last", **searching)
        language.change(None, language, None, js=LANGUAGE_JS, api_visibility="private")
        language.change(on_language, language, [component for component, _ in labelled],
                        api_visibility="private").then(on_change, searched, outputs, **searching)
        demo.load(on_load, None, language, api_visibility="private").then(
            None, language, None, js=LANGUAGE_JS, api_visibility="private")
        # Not preprocessed: when the server has dropped this page's session (see ``SESSIONS``), Gradio would
        # refuse the ticked labels as unknown choices; ``App.export`` then says to search again instead.
        export_button.click(app.export, [kept, chosen, export_format, language], [export_file, export_notice],
                            api_visibility="private", concurrency_limit=2, preprocess=False)
        gr.api(app.api_search, api_name="search", concurrency_id="search", concurrency_limit=app.lanes.capacity)
        gr.api(series_view.api, api_name="series", concurrency_id="search", concurrency_limit=app.lanes.capacity)
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
        server_name=host, server_port=port, css=CSS, head=FILTER_LIST_JS, show_error=False, footer_links=[],
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
        bar = _BuildBar()
        report = build_index(seeds, index, embedder, progress=bar, store=store)
        threads.for_searching()
        for problem in report.problems:
            print(f"Skipped {problem}", file=sys.stderr)
        for damage in report.repaired:
            print(f"Repaired {damage}", file=sys.stderr)
        for note in bar.notes:
            print(f"Read in part {note}", file=sys.stderr)
        print(f"Index {index}: {report.status}, {report.passages} passages.", file=sys.stderr)
        searcher = Searcher(open_store(index, store), embedder)
    except Exception as error:  # the page explains; the server still starts
        log.exception("could not load the index")
        return App(None, str(error), lanes=lanes, exports=exports)
    try:  # the query engine loads on first use: once here, not in the first visitor's time
        examples = answered_examples(searcher)
        if not examples:
            searcher.search(WARM_UP, k=1)
    except Exception:
        log.exception("the example questions failed")
        examples = ()
    return App(searcher, lanes=lanes, exports=exports, examples=examples)


def answered_examples(searcher, count: int = EXAMPLES_SHOWN) -> tuple[str, ...]:
    """Example questions from the index's own reports (``qa.examples``) that the search answers with a figure."""
    answered = []
    for example in candidate_examples(searcher.store, searcher.documents or {}):
        response = answer_question(searcher, example.question)
        if response.found and response.answer is not None:
            answered.append(example.question)
        if len(answered) >= count:
            break
    return tuple(answered)


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
