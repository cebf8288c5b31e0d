import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
SEED_IDS = [path.name[:3] for path in SEED_FILES]
GOLD = ROOT / "gold" / "gold.jsonl"
QA = [sys.executable, "-m", "qa"]


class HashEmbedder:
    """A deterministic stand-in for the model where only persistence is under test."""

    def __init__(self, name="hash-embedder", fingerprint="f0", dimension=8):
        self.name, self._fingerprint, self.dimension = name, fingerprint, dimension
        self.embedded = 0

    def fingerprint(self):
        return self._fingerprint

    def embed_passages(self, texts, batch_size=16, show_progress=False):
        self.embedded += len(texts)
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")
            row = np.random.default_rng(seed).standard_normal(self.dimension).astype(np.float32)
            rows.append(row / np.linalg.norm(row))
        return np.vstack(rows)

    def embed_query(self, text):
        return self.embed_passages([text])


@pytest.fixture
def hash_embedder():
    return HashEmbedder()


@pytest.fixture
def seeds_copy(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


def run_qa(*args, cwd=None, env=None):
    """Run the real `qa` command."""
    return subprocess.run(
        [*QA, *map(str, args)], cwd=cwd or ROOT, capture_output=True, text=True,
        env={**os.environ, **(env or {})}, timeout=600,
    )


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory):
    """The seed corpus indexed with the real default model, built once per test run."""
    folder = tmp_path_factory.mktemp("index")
    result = run_qa("build", "--seeds", SEEDS, "--index", folder)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="session")
def searcher(seed_index):
    from qa.search import Searcher

    return Searcher.open(seed_index)


def free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`python app.py` on a free localhost port, for as long as a test needs it."""

    def __init__(self, index, seeds):
        import time
        import urllib.request

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = open(Path(index).parent / f"app-{self.port}.log", "w")
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py"), "--port", str(self.port), "--index", str(index), "--seeds", str(seeds)],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, env={**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"},
        )
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"app.py exited: {Path(self.log.name).read_text()}")
            try:
                urllib.request.urlopen(self.url, timeout=2)
                return
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError("app.py did not start in time")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture(scope="session")
def server(seed_index):
    running = Server(seed_index, SEEDS)
    yield running
    running.stop()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make browser` installs Debian's chromium")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
