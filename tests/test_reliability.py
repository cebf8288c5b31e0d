"""Reliability: hostile questions and options, a bounded and time-limited search, exports, uploads, a short burst.

The fast parts run everywhere; those needing the model or a server are marked slow. The load benchmark
(32 clients for a minute, long questions beside normal ones) is `benchmarks/load.py`.
"""

import csv
import http.client
import io
import json
import os
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, run_qa

sys.path.insert(0, str(ROOT))

import app as web  # noqa: E402
from qa.citations import cite, to_csv  # noqa: E402
from qa.chunking import Passage  # noqa: E402
from qa.metadata import DocumentInfo  # noqa: E402
from qa.messages import text  # noqa: E402
from qa.search import MAX_QUESTION_CHARS  # noqa: E402

NORMAL = "2021年地区生产总值是多少？"
HTML = "<script>alert(1)</script><img src=x onerror=alert(2)> 地区生产总值"
HUGE = "地区生产总值" * 16_667  # 100,002 characters
REPLY_KEYS = {"question", "found", "confidence", "answer", "parts", "disagreement", "results", "notices", "notice"}


# -- options ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("k, mode, expected", [
    (5, "hybrid", (5, "hybrid")), (None, None, (5, "hybrid")), ("3", " BM25 ", (3, "bm25")),
    (7.0, "dense", (7, "dense")), (1, "hybrid", (1, "hybrid")), (web.MAX_K, "bm25", (web.MAX_K, "bm25")),
])
def test_options_accepted(k, mode, expected):
    assert web.check_options(k, mode) == expected


@pytest.mark.parametrize("k, mode, words", [
    (-1, "hybrid", "from 1 to 20; -1 is out of range"), (0, "hybrid", "out of range"), (21, "hybrid", "out of range"),
    ("abc", "hybrid", "whole number from 1 to 20, not 'abc'"), (2.5, "hybrid", "whole number"),
    (True, "hybrid", "whole number"), ([5], "hybrid", "whole number"), (float("nan"), "hybrid", "whole number"),
    ("9" * 100_000, "hybrid", "whole number"), (5, "fast", "mode must be one of hybrid, dense, bm25, not 'fast'"),
    (5, 3, "mode must be one of"), (5, "x" * 100_000, "mode must be one of"),
])
def test_wrong_options_say_what_is_wrong_briefly(k, mode, words):
    with pytest.raises(web.OptionError) as raised:
        web.check_options(k, mode)
    assert words in str(raised.value) and len(str(raised.value)) < 120


# -- the lanes: bounded, concurrent, time-limited --------------------------------------------------------
def test_lane_runs_calls_concurrently_up_to_its_workers_then_refuses_past_its_waiting_room():
    lane = web.Lane("test", workers=2, waiting=1)
    release, running, peak, lock = threading.Event(), [0], [0], threading.Lock()

    def work():
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        release.wait(5)
        with lock:
            running[0] -= 1
        return "done"

    outcomes = []
    callers = [threading.Thread(target=lambda: outcomes.append(lane.run(work, time.monotonic() + 5))) for _ in range(3)]
    for caller in callers:
        caller.start()
    deadline = time.monotonic() + 5
    while (lane.admitted < 3 or running[0] < 2) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert running[0] == 2
    with pytest.raises(web.Busy):  # two running, one waiting: the fourth is refused at once
        lane.run(work, time.monotonic() + 5)
    release.set()
    for caller in callers:
        caller.join(5)
    deadline = time.monotonic() + 5
    while lane.admitted and time.monotonic() < deadline:  # a place is freed just after its result is handed over
        time.sleep(0.01)
    assert outcomes == ["done"] * 3 and peak[0] == 2 and lane.admitted == 0
    lane.close()


def test_lane_gives_up_waiting_at_the_deadline_and_frees_the_place_when_the_call_ends():
    lane = web.Lane("test", workers=1, waiting=1)
    release = threading.Event()
    started = time.monotonic()
    with pytest.raises(web.TooSlow):
        lane.run(lambda: release.wait(5), time.monotonic() + 0.2)
    assert time.monotonic() - started < 2
    assert lane.admitted == 1  # still running: the place is not free yet
    with pytest.raises(web.TooSlow):  # waits for the one thread, in vain
        lane.run(lambda: "second", time.monotonic() + 0.2)
    release.set()
    deadline = time.monotonic() + 5
    while lane.admitted and time.monotonic() < deadline:
        time.sleep(0.01)
    assert lane.run(lambda: "third", time.monotonic() + 5) == "third"
    lane.close()


class SlowSearcher:
    """Stands in for the searcher where only timing is under test."""

    def __init__(self, seconds):
        self.seconds, self.documents, self.store = seconds, {}, None

    def search(self, question, k=5, mode="hybrid", filters=None):
        time.sleep(self.seconds)
        return []


def test_app_answers_busy_and_too_slow_with_a_notice(tmp_path):
    app = web.App(SlowSearcher(1.0), lanes=web.Lanes(workers=1, waiting=0, time_limit=0.3),
                  exports=web.Exports(tmp_path))
    started = time.monotonic()
    slow = app.ask(NORMAL, language="en")
    assert "No answer within 0.3 s" in slow.notice and time.monotonic() - started < 1
    busy = app.ask("another question")  # the first search still holds the only short thread
    assert busy.notice == text("busy") and not busy.results
    long = app.ask("地区生产总值" * 100, language="en")  # long questions have a lane of their own
    assert "No answer within" in long.notice and "long question" in long.notice
    app.lanes.close()


def test_long_questions_take_the_long_lane_unless_bm25_alone():
    lanes = web.Lanes(workers=2)
    assert lanes.lane(NORMAL, "hybrid") is lanes.short
    assert lanes.lane("x" * web.LONG_QUESTION, "hybrid") is lanes.long
    assert lanes.lane("x" * web.LONG_QUESTION, "dense") is lanes.long
    assert lanes.lane("x" * web.LONG_QUESTION, "bm25") is lanes.short
    assert lanes.short.workers == 2 and lanes.long.workers == 1
    lanes.close()


# -- exports and CSV cells -----------------------------------------------------------------------------------
def passage(text="全年地区生产总值达到784.2亿元。"):
    return Passage(id="a.txt:0-20", source="a.txt", title="=cmd|' /C calc'!A0", section=["+一、总体"], start=0,
                   end=20, text=text)


def test_csv_cells_that_a_spreadsheet_would_read_as_formulas_are_neutralised():
    citation = cite(passage("-2+3 @SUM(A1) 全年地区生产总值达到784.2亿元。"), {"a.txt": DocumentInfo(title="@标题")},
                    1, 0.5, "-1.5%")
    rows = list(csv.DictReader(io.StringIO(to_csv('=HYPERLINK("http://x","click")', [citation]))))
    row = rows[0]
    assert row["question"] == '\'=HYPERLINK("http://x","click")'
    assert row["title"] == "'@标题" and row["section"] == "'+一、总体" and row["answer"] == "'-1.5%"
    assert row["quote"].startswith("'-2+3")
    assert row["rank"] == "1" and row["start"] == "0"
    for cell in row.values():
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    plain = to_csv("2021年地区生产总值是多少？", [cite(passage(), {})])
    assert "'" not in plain.splitlines()[1].split(",")[0]


def test_exports_go_to_one_folder_and_old_ones_are_removed(tmp_path):
    exports = web.Exports(tmp_path / "exports", max_age=60)
    first = exports.write("passages.md", "# one")
    second = exports.write("passages.docx", b"two")
    assert first.parent.parent == second.parent.parent == tmp_path / "exports" and first.parent != second.parent
    old = time.time() - 120
    os.utime(first, (old, old))
    os.utime(first.parent, (old, old))
    exports.write("passages.csv", "three")
    assert not first.parent.exists() and second.exists()
    assert len(list((tmp_path / "exports").iterdir())) == 2


def test_export_without_a_kept_search_asks_to_search_first(tmp_path):
    app = web.App(SlowSearcher(0), exports=web.Exports(tmp_path))
    for kept, chosen in ((None, ["1. x"]), ("not a record", None), (web.Kept("q", ()), [])):
        path, note = app.export(kept, chosen, "csv", "en")
        assert path is None and "Search first" in note
    app.lanes.close()


# -- hostile questions through the app, the CLI and the API (the real model) ---------------------------------

@pytest.fixture(scope="module")
def app(searcher, tmp_path_factory):
    built = web.App(searcher, exports=web.Exports(tmp_path_factory.mktemp("exports")))
    yield built
    built.lanes.close()


@pytest.mark.slow
@pytest.mark.parametrize("question, words", [
    ("", "Type a question first"), ("   \n\t ", "Type a question first"), (None, "Type a question first"),
    (12345, "must be text"), (["a"], "must be text"),
    ("GDP \udcff\udcfe 2021", "not valid text"), ("\ud800", "not valid text"),
])
def test_hostile_questions_get_a_notice_and_no_results(app, question, words):
    answer = app.ask(question, 5, "hybrid", language="en")
    assert words in answer.notice and not answer.results and "went wrong" not in answer.notice


@pytest.mark.slow
def test_huge_and_html_questions_are_answered(app):
    huge = app.ask(HUGE, 3, "bm25", language="en")
    assert "cut" in huge.notice and len(huge.question) == MAX_QUESTION_CHARS and huge.results
    html = app.ask(HTML, 3, "hybrid")
    assert html.results and "<script>" not in html.html and "went wrong" not in html.notice
    reply = app.api_search(HTML, 3, "bm25")
    assert set(reply) == REPLY_KEYS and reply["results"]


@pytest.mark.slow
@pytest.mark.parametrize("k, mode, words", [
    (-1, "hybrid", "-1 is out of range"), ("abc", "hybrid", "not 'abc'"), (5, "fast", "not 'fast'"),
    ("1" * 100_000, "hybrid", "whole number"),
])
def test_api_names_the_wrong_option(app, k, mode, words):
    reply = app.api_search(NORMAL, k, mode, language="en")
    assert words in reply["notice"] and reply["results"] == [] and len(reply["notice"]) < 150


@pytest.mark.slow
def test_export_of_a_formula_question_is_a_plain_csv_cell(app):
    answer = app.ask("=1+1 地区生产总值", 2, "bm25")
    path, note = app.export(web.Kept.of(answer), [], "csv", "en")
    assert Path(path).parent.parent == app.exports.folder and "Exported 2" in note
    first = next(csv.DictReader(io.StringIO(Path(path).read_text(encoding="utf-8-sig"))))
    assert first["question"] == "'=1+1 地区生产总值"


@pytest.mark.slow
@pytest.mark.parametrize("question, code, words", [
    ("", 1, "the question is empty"), ("   ", 1, "the question is empty"),
    (HTML, 0, "1."), ("GDP " * 25_000, 0, "1."),
])
def test_cli_search_with_hostile_questions(seed_index, question, code, words):
    result = run_qa("search", question, "--index", seed_index, "-k", "1", "--mode", "bm25")
    assert result.returncode == code and words in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_cli_search_with_invalid_utf8_bytes(seed_index):
    import subprocess

    question = os.fsencode("GDP ") + b"\xff\xfe"
    result = subprocess.run([sys.executable, "-m", "qa", "search", question, "--index", str(seed_index), "-k", "1"],
                            cwd=ROOT, capture_output=True, timeout=300)
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode != 0 and "not valid text" in stderr and "Traceback" not in stderr


# -- the running server ----------------------------------------------------------------------------------------
def api(server, data, timeout=120):
    """One call to /search over plain HTTP: (reply, None) or (None, error text)."""
    parts = urlsplit(server.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("POST", "/gradio_api/call/search", json.dumps({"data": data}),
                           {"Content-Type": "application/json"})
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            return None, f"HTTP {response.status}: {body[:200]!r}"
        connection.request("GET", f"/gradio_api/call/search/{json.loads(body)['event_id']}")
        event = None
        for line in connection.getresponse():
            line = line.decode().strip()
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:") and event in ("complete", "error"):
                return (json.loads(line[5:])[0], None) if event == "complete" else (None, line[5:].strip())
        return None, "no result"
    finally:
        connection.close()


@pytest.mark.slow
@pytest.mark.parametrize("data, words", [
    (["", 5, "hybrid"], "Type a question first"), ([None, 5, "hybrid"], "Type a question first"),
    (["\ud800 GDP", 5, "hybrid"], "not valid text"), ([NORMAL, -1, "hybrid"], "out of range"),
    ([NORMAL, "abc", "hybrid"], "whole number"), ([NORMAL, 5, "fast"], "mode must be one of"),
    ([NORMAL, 5, None], ""), ([HTML, 3, "bm25"], ""),
    ([NORMAL, 5, "hybrid", "a.txt"], "documents holds values the index does not know"),
    ([NORMAL, 5, "hybrid", None, {"x": 1}], "places must be a list"),
    ([NORMAL, 5, "hybrid", None, None, [2021.5]], "years must be a list"),
    ([NORMAL, 5, "hybrid", None, None, None, "de"], "language 必须是 zh, en 之一，而不是 'de'"),
])
def test_api_over_http_never_fails_and_says_what_is_wrong(server, data, words):
    options = data + [None] * (6 - len(data)) + ["en"] if len(data) < 7 else data
    reply, error = api(server, options)
    assert error is None, error
    assert set(reply) == REPLY_KEYS
    assert words in reply["notice"] and "went wrong" not in reply["notice"]


@pytest.mark.slow
def test_api_huge_question_on_the_long_lane(server):
    reply, error = api(server, [HUGE, 3, "hybrid", None, None, None, "en"])
    assert error is None and "cut" in reply["notice"] and len(reply["question"]) == MAX_QUESTION_CHARS
    assert reply["results"] or "No answer within" in reply["notice"]


@pytest.mark.slow
def test_upload_route_unknown_calls_and_large_bodies_are_refused(server):
    parts = urlsplit(server.url)
    boundary = "qa-boundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.bin\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n")
    body = head.encode() + b"x" * 100_000 + f"\r\n--{boundary}--\r\n".encode()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    for path in ("/gradio_api/upload", "/gradio_api/upload/", "/gradio_api/upload?upload_id=x",
                 "/gradio_api/process_recording"):
        connection.request("POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
        response = connection.getresponse()
        assert response.status == 403 and b"no file uploads" in response.read()
    for event_id in ("x" * 100_000, "0123456789abcdef0123456789abcdef"):  # never issued: a short 404
        connection.request("GET", f"/gradio_api/call/search/{event_id}")
        response = connection.getresponse()
        assert response.status == 404 and len(response.read()) < 100
    connection.putrequest("POST", "/gradio_api/call/search")  # announces 3 MB; refused before any is read
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", str(3 << 20))
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 413
    connection.close()


@pytest.mark.slow
def test_concurrent_api_clients_for_a_few_seconds_get_no_errors(server):
    deadline, outcomes, lock = time.monotonic() + 4, [], threading.Lock()
    questions = [NORMAL, "What was the GDP in 2021?", "2020年上半年固定资产投资增长了多少？", HTML]

    def client(number):
        index = number
        while time.monotonic() < deadline:
            reply, error = api(server, [questions[index % len(questions)], 5, ("hybrid", "bm25")[index % 2],
                                        None, None, None, "en"])
            with lock:
                outcomes.append(error or ("busy" if "busy" in reply["notice"] else "ok"))
            index += 1

    clients = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join(60)
    assert outcomes and set(outcomes) == {"ok"}, sorted(set(outcomes))[:3]


@pytest.mark.slow
def test_server_log_holds_no_traceback(server):
    """Run last in this file: whatever the tests above sent, the server logged no traceback."""
    server.log.flush()
    log = Path(server.log.name).read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log, log[log.find("Traceback"):][:2000]
