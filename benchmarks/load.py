"""Load on the web UI's API: many concurrent clients, then long questions beside a normal one. Prints a table.

    python benchmarks/load.py [--index index] [--clients 32] [--seconds 60] [--long-seconds 30] [--json]
    python benchmarks/load.py --url http://127.0.0.1:7860/     # a server already running (loopback only)

Without ``--url`` it starts ``python app.py --index INDEX`` on a free 127.0.0.1 port
(the app brings the index up to date from ``--seeds`` first) and stops it at the end.

Phase 1: ``--clients`` threads each send normal questions (the gold questions in
turn) to the ``/search`` endpoint, one after another, for ``--seconds``.
Phase 2: one client sends normal questions for ``--long-seconds`` alone, then
again while ``--long-clients`` clients send 2,000-character questions (report
text); the normal question's p95 beside the long ones is compared with its p95
alone.

Each call is a plain HTTP request to Gradio's ``/gradio_api/call/search`` route
and a read of its event stream until the result. A reply is *ok*, *busy* (the
server's "busy, try again" notice, key ``busy``), *timeout* (its time-limit notice,
``too_slow``) or an *error* (an HTTP error, an error event, a broken connection, a
client-side time out, or the "something went wrong" notice, ``search_failed``). Latency is from sending the request
to reading the result. The clients run on the same machine as the server and
share its cores.
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
MAX_CLIENTS = 256
MAX_SECONDS = 3600
LONG_CHARS = 2000
REQUEST_TIMEOUT = 120.0  # seconds one call may take before the client counts it as an error
NORMAL = "2021年地区生产总值是多少？"


@dataclass
class Call:
    outcome: str  # ok, busy, timeout, error
    seconds: float
    detail: str = ""


@dataclass
class Tally:
    """The calls of a group of clients, and the time from the group's start to its last answer."""

    calls: list[Call] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    started: float = 0.0
    ended: float = 0.0

    def add(self, call: Call) -> None:
        with self.lock:
            self.calls.append(call)
            self.ended = time.monotonic()

    def summary(self) -> dict:
        seconds = self.ended - self.started if self.calls else 0.0
        counts = {name: sum(c.outcome == name for c in self.calls) for name in ("ok", "busy", "timeout", "error")}
        ok = sorted(c.seconds for c in self.calls if c.outcome == "ok")
        errors = [c.detail for c in self.calls if c.outcome == "error"]
        return {
            "seconds": round(seconds, 1),
            "requests": len(self.calls), **counts,
            "p50_ms": round(percentile(ok, 0.50) * 1000, 1) if ok else None,
            "p95_ms": round(percentile(ok, 0.95) * 1000, 1) if ok else None,
            "max_ms": round(ok[-1] * 1000, 1) if ok else None,
            "requests_per_s": round(len(self.calls) / seconds, 2) if seconds else None,
            "ok_per_s": round(len(ok) / seconds, 2) if seconds else None,
            "first_errors": sorted(set(errors))[:5],
        }


def percentile(ordered: list[float], q: float) -> float:
    """The nearest-rank percentile of sorted values."""
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def loopback_only(url: str) -> str:
    """The URL, normalised to end in '/', if its host resolves to loopback addresses only; else exit."""
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise SystemExit(f"--url must be an http:// URL of this machine, not {url[:80]!r}")
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 80)}
    except socket.gaierror as error:
        raise SystemExit(f"cannot resolve {parts.hostname!r}: {error}") from None
    if not addresses or not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        raise SystemExit(f"--url must point at this machine (a loopback address), not {parts.hostname!r}")
    return url if url.endswith("/") else url + "/"


def call(url: str, question: str, k: int = 5, mode: str = "hybrid", timeout: float = REQUEST_TIMEOUT) -> Call:
    """One question through the API: POST it, then read the event stream until the result."""
    parts = urlsplit(url)
    base = parts.path.rstrip("/")
    started = time.perf_counter()
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    try:
        body = json.dumps({"data": [question, k, mode, [], [], [], "zh"]}).encode()  # no filters, notices in Chinese
        connection.request("POST", f"{base}/gradio_api/call/search", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        payload = response.read()
        if response.status != 200:
            return Call("error", time.perf_counter() - started, f"HTTP {response.status}: {payload[:120]!r}")
        event_id = json.loads(payload)["event_id"]
        connection.request("GET", f"{base}/gradio_api/call/search/{event_id}")
        response = connection.getresponse()
        if response.status != 200:
            return Call("error", time.perf_counter() - started, f"HTTP {response.status} on the event stream")
        event = None
        while True:
            line = response.readline()
            if not line:
                return Call("error", time.perf_counter() - started, "the event stream ended without a result")
            line = line.decode("utf-8").rstrip("\r\n")
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:") and event in ("complete", "error"):
                seconds = time.perf_counter() - started
                if event == "error":
                    return Call("error", seconds, f"error event: {line[5:].strip()[:120]}")
                reply = json.loads(line[5:])[0]
                notice = reply.get("notice", "")
                keys = {item["key"] for item in reply.get("notices", [])}
                if keys & {"too_slow", "too_slow_long"}:
                    return Call("timeout", seconds, notice)
                if "busy" in keys and not reply["results"]:
                    return Call("busy", seconds, notice)
                if "search_failed" in keys:
                    return Call("error", seconds, notice)
                return Call("ok", seconds)
    except (OSError, http.client.HTTPException, ValueError, KeyError, IndexError) as error:
        return Call("error", time.perf_counter() - started, f"{type(error).__name__}: {str(error)[:120]}")
    finally:
        connection.close()


def gold_questions() -> list[str]:
    questions = []
    with open(ROOT / "gold" / "gold.jsonl", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                questions.append(json.loads(line)["question"])
    return questions or [NORMAL]


def long_questions(count: int = 50) -> list[str]:
    """Questions of exactly 2,000 characters: consecutive stretches of the seed reports' text."""
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    text = "".join(path.read_text(encoding="utf-8", errors="replace") for path in seeds)
    text = " ".join(text.split())
    if len(text) < LONG_CHARS:
        text = (text or NORMAL) * (LONG_CHARS // max(len(text), 1) + 1)
    step = max(1, (len(text) - LONG_CHARS) // count)
    return [text[start : start + LONG_CHARS] for start in range(0, len(text) - LONG_CHARS + 1, step)][:count]


def clients(url: str, groups: list[tuple[int, list[str], Tally]], seconds: float) -> None:
    """Run each group's clients until ``seconds`` have passed; a call under way is let finish."""
    deadline = time.monotonic() + seconds

    def client(number: int, questions: list[str], tally: Tally) -> None:
        index = number * 7
        while time.monotonic() < deadline:
            tally.add(call(url, questions[index % len(questions)]))
            index += 1

    threads = [threading.Thread(target=client, args=(n, questions, tally), daemon=True)
               for count, questions, tally in groups for n in range(count)]
    for _, _, tally in groups:
        tally.started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, deadline + REQUEST_TIMEOUT + 5 - time.monotonic()))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """``python app.py`` on a free loopback port."""

    def __init__(self, index: Path, seeds: Path, extra: list[str]):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = tempfile.NamedTemporaryFile("w+", prefix="qa-load-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py"), "--host", "127.0.0.1", "--port", str(self.port),
             "--index", str(index), "--seeds", str(seeds), *extra],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
            env={**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"},
        )
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"app.py exited:\n{Path(self.log.name).read_text()[-3000:]}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise SystemExit("app.py did not start within 10 minutes")

    def rss_mib(self) -> float | None:
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return None

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        os.unlink(self.log.name)


def row(name: str, summary: dict) -> str:
    def ms(value):
        return "—" if value is None else f"{value:.0f}"

    return (f"{name:<34} {summary['requests']:>8} {summary['ok']:>6} {summary['busy']:>5} {summary['timeout']:>8} "
            f"{summary['error']:>6} {ms(summary['p50_ms']):>7} {ms(summary['p95_ms']):>7} {ms(summary['max_ms']):>7} "
            f"{summary['requests_per_s'] or 0:>6.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server (loopback addresses only); default: start app.py")
    parser.add_argument("--index", type=Path, default=ROOT / "index", help="index folder for the started app")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds", help="seeds folder for the started app")
    parser.add_argument("--app-args", default="", help="more options for the started app.py, e.g. '--workers 2'")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients in phase 1 (default 32)")
    parser.add_argument("--seconds", type=float, default=60, help="length of phase 1 (default 60)")
    parser.add_argument("--long-clients", type=int, default=2, help="clients sending long questions (default 2)")
    parser.add_argument("--long-seconds", type=float, default=30,
                        help="length of each half of phase 2 (default 30; 0 skips phase 2)")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    options = parser.parse_args()
    if not 1 <= options.clients <= MAX_CLIENTS or not 0 <= options.long_clients <= MAX_CLIENTS:
        parser.error(f"--clients and --long-clients must be from 1 (0 for long) to {MAX_CLIENTS}")
    if not 0 < options.seconds <= MAX_SECONDS or not 0 <= options.long_seconds <= MAX_SECONDS:
        parser.error(f"--seconds and --long-seconds must be at most {MAX_SECONDS}")

    server = None
    if options.url:
        url = loopback_only(options.url)
    else:
        server = Server(options.index, options.seeds, options.app_args.split())
        url = server.url
    try:
        normal, long = gold_questions(), long_questions()
        for mode in ("hybrid", "dense", "bm25"):  # warm every path once
            call(url, NORMAL, mode=mode)
        report = {"url": url, "cores": os.cpu_count(), "load_before": [round(x, 2) for x in os.getloadavg()],
                  "rss_mib_before": server.rss_mib() if server else None}

        tally = Tally()
        clients(url, [(options.clients, normal, tally)], options.seconds)
        report["phase1"] = {"clients": options.clients, **tally.summary()}

        if options.long_seconds:
            alone = Tally()
            clients(url, [(1, normal, alone)], options.long_seconds)
            report["normal_alone"] = alone.summary()
            beside, longs = Tally(), Tally()
            groups = [(1, normal, beside)] + ([(options.long_clients, long, longs)] if options.long_clients else [])
            clients(url, groups, options.long_seconds)
            report["normal_beside_long"] = beside.summary()
            report["long"] = {"clients": options.long_clients, **longs.summary()}
            alone_p95, beside_p95 = report["normal_alone"]["p95_ms"], report["normal_beside_long"]["p95_ms"]
            if alone_p95 and beside_p95:
                report["p95_ratio"] = round(beside_p95 / alone_p95, 2)
        report["load_after"] = [round(x, 2) for x in os.getloadavg()]
        report["rss_mib_after"] = server.rss_mib() if server else None
    finally:
        if server:
            server.stop()

    if options.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    header = (f"{'':<34} {'requests':>8} {'ok':>6} {'busy':>5} {'timeouts':>8} {'errors':>6} "
              f"{'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'req/s':>6}")
    print(header)
    print(row(f"phase 1: {options.clients} clients × {options.seconds:g} s", report["phase1"]))
    if options.long_seconds:
        print(row(f"phase 2: normal, alone ({options.long_seconds:g} s)", report["normal_alone"]))
        print(row(f"phase 2: normal, beside {options.long_clients} long", report["normal_beside_long"]))
        print(row(f"phase 2: {options.long_clients} clients, {LONG_CHARS}-char", report["long"]))
        if "p95_ratio" in report:
            print(f"\nnormal question p95 beside long questions / alone: {report['p95_ratio']:.2f}×")
    for name in ("phase1", "normal_alone", "normal_beside_long", "long"):
        for detail in report.get(name, {}).get("first_errors", []):
            print(f"error in {name}: {detail}")
    rss = (f"; server RSS {report['rss_mib_before']:.0f} → {report['rss_mib_after']:.0f} MiB"
           if report.get("rss_mib_before") and report.get("rss_mib_after") else "")
    print(f"{report['cores']} cores; load average {report['load_before'][0]:.2f} before, "
          f"{report['load_after'][0]:.2f} after{rss}; the clients share the server's cores.")


if __name__ == "__main__":
    main()
