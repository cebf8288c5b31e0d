"""Scale: build, load and query costs on synthetic report-like corpora of 10k to 1M passages. Prints a table.

    python benchmarks/scale.py [--sizes 10000,100000] [--random-vectors | --real-vectors] [--questions 50]
                               [--work DIR] [--keep] [--seed 0] [--ann-threshold N] [--repeat 3] [--json]

The corpus is generated from the real pile (corpus/): its passages, recombined into reports of
about 100 passages each, with other places (the provincial-level divisions and invented cities
and districts), other years (2000–2030, every year in a passage shifted alike) and perturbed
figures. Generation is deterministic for a seed; a corpus already generated under --work is reused.

For each size, every measurement runs in a fresh child process:
  build      `build_index` from scratch: wall time, seconds per stage (BuildReport.stages), peak RSS,
             size of the build folder on disk;
  cold       `python -m qa search QUESTION --index … -k 5`, process start to first answer (median of
             --repeat runs) and its peak RSS;
  serving    one process opens the store once: load time (open_store + Searcher), then warm p50/p95
             per mode over the questions (k=10), its RSS after the queries, and, when the build has
             an HNSW index (ann.faiss), recall@10 of the dense search against an exact scan for 100
             random unit query vectors.

--random-vectors (the default above 20,000 passages) embeds passages as seeded random unit vectors,
so that the costs that are not embedding can be measured at 1M passages on a small machine; the
index still names the default model and its weights, so questions are embedded by the real query
embedder. Random vectors have no neighbourhood structure: HNSW recall on them is below what real
embeddings give, so the recall column understates it there. Embedding throughput is measured by
benchmarks/embedding.py.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from qa.embedding import DEFAULT_MODEL  # noqa: E402  (light: numpy and the standard library)

GENERATOR_VERSION = 2
PASSAGES_PER_FILE = 100
FILES_PER_FOLDER = 1000
RANDOM_VECTORS_ABOVE = 20_000  # passages; above it passages get random vectors unless told otherwise
DIMENSION = 384  # multilingual-e5-small
RECALL_QUERIES = 100
MODES = ("hybrid", "dense", "bm25")
MARKER = ".generated.json"  # hidden: the build skips it
QUESTION = "2021年地区生产总值是多少"
ENGLISH_FALLBACK = ["What was the GDP growth rate in 2021?", "How many new urban jobs were created?",
                    "What is the target for the fiscal deficit?"]

# Runs a command as the only child of a small Python process, which then reports the child's peak RSS
# and CPU seconds. The child's standard output passes through; the report is the last line on standard error.
PEAK_RSS = (
    "import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print('PEAK_RSS', usage.ru_maxrss, code, usage.ru_utime + usage.ru_stime, file=sys.stderr)"
)

BUILD_CHILD = r"""
import json, sys
try:  # the thread settings `qa build` uses, when the project has them
    from qa import threads
    threads.for_building()
except ImportError:
    pass
from pathlib import Path
benchmarks, corpus, index, vectors, fingerprint, seed, threshold = sys.argv[1:8]
if threshold != "-":
    import qa.stores.local
    qa.stores.local.ANN_THRESHOLD = int(threshold)
from qa.index import build_index
if vectors == "random":
    sys.dont_write_bytecode = True  # no __pycache__ in benchmarks/
    sys.path.insert(0, benchmarks)
    from scale import RandomEmbedder
    embedder = RandomEmbedder(fingerprint, int(seed))
else:
    from qa.embedding import Embedder
    embedder = Embedder()
report = build_index(Path(corpus), Path(index), embedder, force=True)
print(json.dumps({"passages": report.passages, "embedded": report.embedded, "seconds": report.seconds,
                  "stages": report.stages, "problems": report.problems[:5]}, ensure_ascii=False))
"""

SERVE_CHILD = r"""
import json, sys, time
try:  # the thread settings `qa search` and the web UI use, when the project has them
    from qa import threads
    threads.for_searching()
except ImportError:
    pass
index, questions_file, seed, queries = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
with open(questions_file, encoding="utf-8") as handle:
    questions = json.load(handle)
clock = time.perf_counter()
import numpy as np
from qa.index import open_store
from qa.search import Searcher
imports = time.perf_counter() - clock

def memory():
    fields = {}
    with open("/proc/self/status") as handle:
        for line in handle:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                fields[key] = int(value.split()[0]) / 1024
    return fields

clock = time.perf_counter()
store = open_store(index)
searcher = Searcher(store)
load = time.perf_counter() - clock
loaded = memory()
clock = time.perf_counter()
searcher.search(questions[0], k=10, mode="hybrid")  # loads the query embedder
first = time.perf_counter() - clock
modes = ("hybrid", "dense", "bm25")
timings = {mode: [] for mode in modes}
for mode in modes:
    searcher.search(questions[-1], k=10, mode=mode)
timings["embed"] = []
for question in questions:  # modes interleaved: a busy neighbour slows them alike
    for mode in modes:
        clock = time.perf_counter()
        searcher.search(question, k=10, mode=mode)
        timings[mode].append((time.perf_counter() - clock) * 1000)
    clock = time.perf_counter()
    searcher.embedder.embed_query(question)  # the part of a dense or hybrid query that no corpus size changes
    timings["embed"].append((time.perf_counter() - clock) * 1000)
served = memory()

recall = None
if (store.folder / "ann.faiss").exists():
    vectors = store.vectors
    rng = np.random.default_rng(seed)
    q = rng.standard_normal((queries, vectors.shape[1])).astype(np.float32)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    best_scores = np.full((0, queries), -np.inf, np.float32)
    best_positions = np.zeros((0, queries), np.int64)
    for start in range(0, len(vectors), 65536):
        scores = np.asarray(vectors[start:start + 65536]) @ q.T
        top = np.argpartition(-scores, min(10, len(scores)) - 1, axis=0)[:10]
        best_scores = np.vstack([best_scores, np.take_along_axis(scores, top, axis=0)])
        best_positions = np.vstack([best_positions, top + start])
        keep = np.argsort(-best_scores, axis=0, kind="stable")[:10]
        best_scores = np.take_along_axis(best_scores, keep, axis=0)
        best_positions = np.take_along_axis(best_positions, keep, axis=0)
    found = 0
    for column in range(queries):
        hits = store.dense(q[column], 10)
        found += len(set(hits.positions.tolist()) & set(best_positions[:, column].tolist()))
    recall = found / (10 * queries)
print(json.dumps({"imports": imports, "load": load, "first_query": first, "timings": timings,
                  "memory_loaded": loaded, "memory_served": served, "recall": recall}))
"""


# -- the stand-in embedder ------------------------------------------------------------------------

class RandomEmbedder:
    """Seeded random unit vectors for passages, under the default model's name and weights fingerprint.

    An index built with it passes the model check of ``qa search``, so questions are embedded by the
    real query embedder while the build skips the cost of embedding passages.
    """

    name = DEFAULT_MODEL
    dimension = DIMENSION

    def __init__(self, fingerprint: str | None = None, seed: int = 0):
        if fingerprint is None:
            from qa.embedding import Embedder

            fingerprint = Embedder().fingerprint()  # reads the converted model folder; loads no model
        self._fingerprint = fingerprint
        self._rng = np.random.default_rng(seed)

    def fingerprint(self) -> str:
        return self._fingerprint

    def embed_passages(self, texts, batch_size: int = 16, show_progress: bool = False) -> np.ndarray:
        vectors = self._rng.standard_normal((len(texts), self.dimension), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_passages([text])


# -- the synthetic corpus -------------------------------------------------------------------------

_CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 … 99 in Chinese numerals, as headings count (一, 十, 十一, 二十一)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones or not tens else "")


# A number in ASCII digits; full-width digits (２００１) are left as they are.
_NUMBER = re.compile(r"(?<![0-9.])([0-9]+)(?:\.([0-9]+))?(?![0-9])")
_YEAR_AFTER = re.compile(r"\s*(?:年|[-—–~～至到]\s*(?:19|20)[0-9]{2}\s*年)")
_KEEP_AFTER = re.compile(r"\s*(?:月|日|时|号|届|次会议)")  # dates and sessions keep their numbers
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十]+[）)]|[0-9]{1,2}[.．、]|"
                        r"[（(][0-9]{1,2}[）)]|第[一二三四五六七八九十]+[章部篇节]分?|[一二三四五六七八九十]{1,3}是)\s*")
_HEADING_STOP = re.compile(r"[。！？；：:，,、!?;]$")
_SENTENCE_END = "。！？；"
_PARAGRAPH_MIN, _PARAGRAPH_MAX = 80, 300  # qa.chunking.MIN_CHARS, MAX_CHARS: one paragraph, one passage
_SYLLABLES = "安平宁兴华丰泰和昌顺阳永清临嘉庆隆盛德康福成定远广明金玉凤龙云枫桐松柏梅兰青石川源溪湖桥台林峰"
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
_GIVEN = "建国华明伟军强志平文斌海涛东红英峰春晓光辉新民立勇国庆永"

# A template is a tuple of literal strings and slots: (PLACE, index into the report's names),
# (YEAR, offset from the source report's year), (FIGURE, value, decimals).
PLACE, YEAR, FIGURE = 0, 1, 2
_LEVEL_SLOT = {"province": 0, "city": 2, "district": 4, "county": 4}


def compile_template(text: str, source_year: int | None) -> tuple:
    """Cut a real text into literals and the slots a synthetic report fills in (places, years, figures)."""
    from qa.places import find_places

    spans = []
    for mention in find_places(text):
        slot = _LEVEL_SLOT.get(mention.place.level)
        if slot is None or mention.how in ("abbreviation", "english"):
            continue  # the nation stays; 京津冀 and English names are kept as written
        spans.append((mention.start, mention.end, (PLACE, slot + (mention.text != mention.place.name))))
    pieces: list = []
    position = 0

    def literal(segment: str) -> None:
        at = 0
        for match in _NUMBER.finditer(segment):
            whole, fraction = match.group(1), match.group(2)
            after = segment[match.end():match.end() + 12]
            if source_year is not None and fraction is None and len(whole) == 4 and 1949 <= int(whole) <= 2039 \
                    and _YEAR_AFTER.match(after):
                slot = (YEAR, int(whole) - source_year)
            elif _KEEP_AFTER.match(after) or (fraction is None and int(whole) < 10):
                continue
            else:
                slot = (FIGURE, float(match.group(0)), len(fraction or ""))
            pieces.append(segment[at:match.start()])
            pieces.append(slot)
            at = match.end()
        pieces.append(segment[at:])

    for start, end, slot in sorted(spans):
        if start < position:
            continue
        literal(text[position:start])
        pieces.append(slot)
        position = end
    literal(text[position:])
    return tuple(piece for piece in pieces if piece != "")


def render(template: tuple, names: tuple[str, ...], year: int, draw) -> str:
    out = []
    for piece in template:
        if piece.__class__ is str:
            out.append(piece)
        elif piece[0] == PLACE:
            out.append(names[piece[1]])
        elif piece[0] == YEAR:
            out.append(str(year + piece[1]))
        else:
            value = piece[1] * (0.75 + 0.5 * draw())
            out.append(f"{value:.{piece[2]}f}" if piece[2] else str(max(1, round(value))))
    return "".join(out)


class Pile:
    """The real pile cut into templates: paragraphs (each one passage long) and section headings."""

    def __init__(self, folder: Path):
        from qa.chunking import chunk_document, describe
        from qa.documents import iter_documents

        paragraphs, headings = [], ([], [])
        seen: set[str] = set()
        for doc in iter_documents(folder, problems=[]):
            metadata = describe(doc)
            for passage in chunk_document(doc, metadata):
                text = passage.text.replace("\n", "").strip(" \u3000\t")
                if _PARAGRAPH_MIN <= len(text) <= 260 and text[-1] in _SENTENCE_END and not passage.table:
                    # the source year is None when unknown: its years then stay as written
                    paragraphs.append((text, metadata.year))
                for level, title in enumerate(passage.section[:2]):
                    title = _NUMBERING.sub("", title).strip()
                    if 4 <= len(title) <= 30 and title not in seen and not _HEADING_STOP.search(title) \
                            and not title[-1].isdigit() and not title.endswith("…"):
                        seen.add(title)
                        headings[level].append((title, metadata.year))
        if not paragraphs or not all(headings):
            raise SystemExit(f"no usable report text in {folder}")
        self.paragraphs = [compile_template(text, year) for text, year in paragraphs]
        self.headings = tuple([compile_template(text, year) for text, year in level] for level in headings)


def _reporting_provinces(places: tuple) -> tuple:
    """The provincial-level divisions that deliver 政府工作报告 to a people's congress (not HK, Macao, Taiwan)."""
    return tuple(place for place in places if not place.name.endswith("特别行政区") and place.name != "台湾省")


def report_place(rng: random.Random) -> tuple[str, str, str, tuple[str, ...]]:
    """A report's place: its label, the leader's title, the government's name, and the names slots take.

    Slots: province full and short name, city full and short name, district full and short name.
    """
    from qa.places import entry_for, provinces

    province = rng.choice(_reporting_provinces(provinces()))
    entry = entry_for(province)
    short = entry.short[0] if entry and entry.short else province.name[:2]

    def invented(suffix: str) -> tuple[str, str]:
        base = "".join(rng.sample(_SYLLABLES, 2))
        return base + suffix, base

    if entry and entry.capital and entry.capital.name != province.name:
        city = (entry.capital.name, entry.capital.name[:-1])
    else:
        city = invented("市")
    district = invented(rng.choice("区区县"))
    kind = rng.random()
    if kind < 0.4:  # a provincial-level report
        leader = "主席" if province.name.endswith("自治区") else ("市长" if province.name.endswith("市") else "省长")
        label = province.name
    elif kind < 0.8:  # a city's report
        city = invented("市")
        label, leader = city[0], "市长"
    else:  # a district's or county's report
        label, leader = city[0] + district[0], "区长" if district[0].endswith("区") else "县长"
    return label, leader, f"{label}人民政府", (province.name, short, *city, *district)


def synthetic_report(pile: Pile, rng: random.Random, passages: int) -> str:
    """One report of ``passages`` passages (each paragraph is one passage; the opening is one more)."""
    label, leader, government, names = report_place(rng)
    year = rng.randint(2000, 2030)
    draw = rng.random
    person = rng.choice(_SURNAMES) + "".join(rng.sample(_GIVEN, rng.randint(1, 2)))
    lines = [
        f"{year}年{label}政府工作报告",
        f"——{year}年{rng.randint(1, 2)}月{rng.randint(1, 28)}日在{label}第{chinese_number(rng.randint(10, 16))}届"
        f"人民代表大会第{chinese_number(rng.randint(1, 6))}次会议上",
        f"{government}{leader} {person}",
        "各位代表：",
        f"现在，我代表{government}向大会报告工作，请予审议，并请{label}政协委员和列席人员提出意见。",
    ]
    remaining = passages - 1
    chapter = 0
    while remaining > 0:
        chapter += 1
        lines.append(f"{chinese_number(chapter)}、{render(rng.choice(pile.headings[0]), names, year, draw)}")
        for section in range(1, rng.randint(2, 5) + 1):
            if remaining <= 0:
                break
            lines.append(f"（{chinese_number(section)}）{render(rng.choice(pile.headings[1]), names, year, draw)}")
            for _ in range(min(remaining, rng.randint(2, 8))):
                for _attempt in range(10):
                    text = render(rng.choice(pile.paragraphs), names, year, draw)
                    if _PARAGRAPH_MIN <= len(text) <= _PARAGRAPH_MAX:
                        break
                else:
                    text = text[:_PARAGRAPH_MAX - 1] + "。"
                lines.append(text)
                remaining -= 1
    return "\n".join(lines) + "\n"


def generate(folder: Path, passages: int, seed: int, per_file: int = PASSAGES_PER_FILE,
             pile: Pile | None = None) -> dict:
    """Write a synthetic corpus of ``passages`` passages into ``folder``; reuse one already there.

    Files of ``per_file`` passages, at most FILES_PER_FOLDER to a subfolder. Each file draws from its
    own generator seeded by (seed, file number), so a corpus is the same whenever it is generated.
    """
    folder = Path(folder)
    wanted = {"version": GENERATOR_VERSION, "passages": passages, "seed": seed, "per_file": per_file}
    marker = folder / MARKER
    if marker.exists():
        try:
            done = json.loads(marker.read_text(encoding="utf-8"))
            if {key: done.get(key) for key in wanted} == wanted:
                return {**done, "reused": True}
        except ValueError:
            pass
    if folder.exists():
        shutil.rmtree(folder)
    started = time.perf_counter()
    pile = pile or Pile(ROOT / "corpus")
    files = -(-passages // per_file)
    written = 0
    for number in range(files):
        count = min(per_file, passages - number * per_file)
        rng = random.Random(f"{seed}:{number}")
        subfolder = folder / f"{number // FILES_PER_FOLDER:04d}"
        if number % FILES_PER_FOLDER == 0:
            subfolder.mkdir(parents=True, exist_ok=True)
        text = synthetic_report(pile, rng, count)
        (subfolder / f"{number:07d}.txt").write_text(text, encoding="utf-8")
        written += len(text.encode("utf-8"))
    done = {**wanted, "files": files, "bytes": written, "seconds": round(time.perf_counter() - started, 2)}
    marker.write_text(json.dumps(done), encoding="utf-8")
    return {**done, "reused": False}


# -- questions ------------------------------------------------------------------------------------

def load_questions(count: int, seed: int) -> list[str]:
    """Chinese questions from the gold files (gold.jsonl, pile*.jsonl), about a tenth English ones."""
    chinese, english = [], []
    for path in [ROOT / "gold" / "gold.jsonl", *sorted((ROOT / "gold").glob("pile*.jsonl"))]:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                item = json.loads(line)
            except ValueError:
                continue
            question = str(item.get("question", "")).strip()
            if question:
                (english if item.get("kind") == "en" else chinese).append(question)
    rng = random.Random(seed)
    chinese = sorted(set(chinese)) or [QUESTION]
    english = sorted(set(english)) or ENGLISH_FALLBACK
    rng.shuffle(chinese)
    rng.shuffle(english)
    english_count = min(len(english), max(1, count // 10))
    picked = chinese[:count - english_count] + english[:english_count]
    return picked[:count] or [QUESTION]


# -- measuring ------------------------------------------------------------------------------------

def child_environment() -> tuple[dict, str]:
    """The children's environment, and a note on the thread settings in force.

    The project chooses its threads itself (``qa.threads``: one passive thread for searching, every
    core for building); the children call it as ``qa search`` and ``qa build`` do. Only a project
    without it gets OpenMP settings here (every core, passive waiting); values already set are kept.
    """
    import importlib.util

    env = dict(os.environ)
    if importlib.util.find_spec("qa.threads") is not None:
        from qa import threads

        return env, (f"threads as the project sets them (qa.threads): searching {threads.search_threads()}, "
                     f"building {os.cpu_count()}")
    env.setdefault("OMP_NUM_THREADS", str(os.cpu_count() or 1))
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    return env, f"OMP_NUM_THREADS={env['OMP_NUM_THREADS']} OMP_WAIT_POLICY={env['OMP_WAIT_POLICY']}"


def project_version() -> str:
    """The commit the project is at, and whether its files differ from it."""
    try:
        done = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def measured(argv: list[str], env: dict, what: str) -> tuple[float, float, str, float]:
    """Wall seconds, peak RSS (MiB), standard output and CPU seconds of a command run in a fresh process."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK_RSS, *argv], cwd=ROOT, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    last = done.stderr.strip().splitlines()[-1].split() if done.stderr.strip() else []
    if len(last) != 4 or last[0] != "PEAK_RSS" or last[2] != "0":
        raise SystemExit(f"{what} failed:\n{done.stderr[-4000:]}")
    return seconds, int(last[1]) / 1024, done.stdout, float(last[3])


def disk_usage(folder: Path) -> tuple[int, dict[str, int]]:
    """Bytes on disk (as du counts them) of a folder, and per top-level entry."""
    total, parts = 0, {}
    for path in folder.rglob("*"):
        if path.is_file():
            size = path.stat().st_blocks * 512
            total += size
            top = path.relative_to(folder).parts[0]
            parts[top] = parts.get(top, 0) + size
    return total, parts


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure_size(passages: int, options, work: Path, questions_file: Path, questions: list[str],
                 fingerprint: str, pile_holder: dict, env: dict, created: list[Path]) -> dict:
    from qa.index import current_build

    random_vectors = options.vectors == "random" or (options.vectors == "auto" and passages > RANDOM_VECTORS_ABOVE)
    corpus = work / f"corpus-{passages}-seed{options.seed}"
    if not (corpus / MARKER).exists():
        created.append(corpus)
        if "pile" not in pile_holder:
            clock = time.perf_counter()
            pile_holder["pile"] = Pile(ROOT / "corpus")
            log(f"read the pile: {len(pile_holder['pile'].paragraphs)} paragraphs "
                f"in {time.perf_counter() - clock:.1f} s")
    log(f"{passages:,} passages: corpus {corpus}")
    generated = generate(corpus, passages, options.seed, options.per_file, pile_holder.get("pile"))
    log(f"  corpus {'reused' if generated['reused'] else 'generated'}: {generated['files']:,} files, "
        f"{generated['bytes'] / 2**20:.0f} MiB" + ("" if generated["reused"] else f", {generated['seconds']:.1f} s"))

    index = work / f"index-{passages}-seed{options.seed}-{'random' if random_vectors else 'real'}"
    if index.exists():
        shutil.rmtree(index)  # a clean build: no previous build, no embedding cache to reuse
    if index not in created:
        created.append(index)
    log(f"  building ({'random' if random_vectors else 'real'} vectors) …")
    threshold = "-" if options.ann_threshold is None else str(options.ann_threshold)
    build_seconds, build_rss, out, build_cpu = measured(
        [sys.executable, "-c", BUILD_CHILD, str(BENCHMARKS), str(corpus), str(index),
         "random" if random_vectors else "real", fingerprint, str(options.seed), threshold], env, "the build")
    report = json.loads(out.strip().splitlines()[-1])
    build = current_build(index)
    size, parts = disk_usage(build)
    has_ann = (build / "ann.faiss").exists()
    log(f"  built {report['passages']:,} passages in {build_seconds:.1f} s, peak RSS {build_rss:.0f} MiB, "
        f"{size / 2**20:.0f} MiB on disk")

    cold = []
    for _ in range(options.repeat):
        cold.append(measured([sys.executable, "-m", "qa", "search", questions[0], "--index", str(index), "-k", "5"],
                             env, "qa search")[:3])
    log(f"  cold search {statistics.median(s for s, _, _ in cold):.2f} s")

    _, serve_peak, out, _ = measured([sys.executable, "-c", SERVE_CHILD, str(index), str(questions_file),
                                   str(options.seed), str(RECALL_QUERIES)], env, "the serving process")
    served = json.loads(out.strip().splitlines()[-1])
    warm = {mode: {"p50": statistics.median(times), "p95": percentile(times, 0.95), "max": max(times)}
            for mode, times in served["timings"].items()}
    embed = warm.pop("embed")
    log(f"  warm hybrid p50 {warm['hybrid']['p50']:.1f} ms, serving RSS {served['memory_served']['VmRSS']:.0f} MiB")
    stages = report["stages"]
    return {
        "passages": report["passages"], "target_passages": passages, "vectors": "random" if random_vectors else "real",
        "files": generated["files"], "corpus_mib": round(generated["bytes"] / 2**20, 1),
        "generate_s": None if generated["reused"] else generated["seconds"],
        "build_s": round(build_seconds, 2), "build_cpu_s": round(build_cpu, 1),
        "build_report_s": round(report["seconds"], 2), "build_stages_s": stages,
        "build_other_s": round(report["seconds"] - sum(stages.values()), 2),
        "build_peak_rss_mib": round(build_rss), "index_mib": round(size / 2**20, 1),
        "index_parts_mib": {name: round(value / 2**20, 1) for name, value in sorted(parts.items())},
        "ann": has_ann,
        "cold_search_s": round(statistics.median(s for s, _, _ in cold), 3),
        "cold_search_runs_s": [round(s, 3) for s, _, _ in cold],
        "cold_search_peak_rss_mib": round(max(m for _, m, _ in cold)),
        "imports_s": round(served["imports"], 3), "load_s": round(served["load"], 3),
        "first_query_s": round(served["first_query"], 3),
        "warm_ms": {mode: {key: round(value, 2) for key, value in numbers.items()} for mode, numbers in warm.items()},
        "question_embedding_ms": {key: round(value, 2) for key, value in embed.items()},
        "questions": len(questions),
        "rss_after_load_mib": round(served["memory_loaded"]["VmRSS"]),
        "serving_rss_mib": round(served["memory_served"]["VmRSS"]),
        "serving_rss_anon_mib": round(served["memory_served"]["RssAnon"]),
        "serving_rss_file_mib": round(served["memory_served"]["RssFile"]),
        "serving_peak_rss_mib": round(serve_peak),
        "ann_recall_at_10": served["recall"],
    }


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_sizes(text: str) -> list[int]:
    sizes = []
    for part in text.split(","):
        part = part.strip().lower().replace("_", "")
        if not part:
            continue
        factor = {"k": 1_000, "m": 1_000_000}.get(part[-1], 1)
        sizes.append(int(float(part[:-1] if factor > 1 else part) * factor))
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes are passage counts, e.g. 10000,100000 or 10k,1M")
    return sizes


def print_table(rows: list[dict], options, threads: str, version: str) -> None:
    def mib(value: float) -> str:
        return f"{value / 1024:.2f} GiB" if value >= 10_240 else f"{value:.0f} MiB"

    main = [("passages", "vectors", "build s", "build RSS", "index", "load s", "cold search",
             *(f"{mode} p50/p95 ms" for mode in MODES), "embed p50", "serving RSS (anon)", "ANN recall@10")]
    for row in rows:
        recall = row["ann_recall_at_10"]
        recall_text = "no ANN (exact)" if recall is None else (
            f"{recall:.3f}" + (" (random vectors*)" if row["vectors"] == "random" else ""))
        main.append((
            f"{row['passages']:,}", row["vectors"], f"{row['build_s']:.1f}", mib(row["build_peak_rss_mib"]),
            mib(row["index_mib"]), f"{row['load_s']:.2f}",
            f"{row['cold_search_s']:.2f} s / {mib(row['cold_search_peak_rss_mib'])}",
            *(f"{row['warm_ms'][mode]['p50']:.1f} / {row['warm_ms'][mode]['p95']:.1f}" for mode in MODES),
            f"{row['question_embedding_ms']['p50']:.1f} ms",
            f"{mib(row['serving_rss_mib'])} ({mib(row['serving_rss_anon_mib'])})", recall_text,
        ))
    stages = [("passages", "files", "generate s", *rows[0]["build_stages_s"], "other", "build report s",
               "µs / passage", "build CPU s")] if rows else []
    for row in rows:
        stages.append((
            f"{row['passages']:,}", f"{row['files']:,}",
            "reused" if row["generate_s"] is None else f"{row['generate_s']:.1f}",
            *(f"{value:.2f}" for value in row["build_stages_s"].values()), f"{row['build_other_s']:.2f}",
            f"{row['build_report_s']:.1f}", f"{row['build_report_s'] / max(row['passages'], 1) * 1e6:.0f}",
            f"{row['build_cpu_s']:.0f}",
        ))
    for title, table in (("scale", main), ("build stages (seconds)", stages)):
        widths = [max(len(str(line[i])) for line in table) for i in range(len(table[0]))]
        print(f"\n{title}")
        for number, line in enumerate(table):
            print("  ".join(f"{cell:>{width}}" for cell, width in zip(line, widths)))
            if number == 0:
                print("  ".join("-" * width for width in widths))
    print(f"\n{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end; {threads}; project {version}; "
          f"{time.strftime('%Y-%m-%d')}")
    print(f"cold search = median of {options.repeat} fresh `qa search … -k 5` runs, process start to answer "
          f"(time / peak RSS); warm = {rows[0]['questions'] if rows else 0} questions, k=10, modes interleaved in one "
          f"process; embed = embedding one question, part of every dense and hybrid query; serving RSS after the "
          f"queries (anonymous memory in brackets, the rest is memory-mapped index files); build stages are wall "
          f"seconds (`write` includes tokenising for BM25 and building the indexes), build CPU s the build process's "
          f"user + system time, which a busy neighbour does not inflate")
    if any(row["vectors"] == "random" and row["ann"] for row in rows):
        print("* random vectors have no neighbourhood structure: HNSW recall on them understates recall on real "
              "embeddings (100 random unit query vectors against an exact scan)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=parse_sizes, default=[10_000], help="passage counts (default 10000)")
    vectors = parser.add_mutually_exclusive_group()
    vectors.add_argument("--random-vectors", dest="vectors", action="store_const", const="random",
                         help=f"random unit vectors for every size (default: only above {RANDOM_VECTORS_ABOVE:,})")
    vectors.add_argument("--real-vectors", dest="vectors", action="store_const", const="real",
                         help="embed passages with the real model at every size (slow: hours for 100k)")
    parser.set_defaults(vectors="auto")
    parser.add_argument("--questions", type=int, default=50, help="warm questions per mode (default 50)")
    parser.add_argument("--work", type=Path, help="folder for generated corpora and indexes (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the corpora and indexes this run creates")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-file", type=int, default=PASSAGES_PER_FILE, help="passages per generated report")
    parser.add_argument("--ann-threshold", type=int, default=None,
                        help="build the HNSW index above this many passages (default: the store's ANN_THRESHOLD)")
    parser.add_argument("--repeat", type=int, default=3, help="cold `qa search` runs per size (median)")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()

    from qa.embedding import Embedder

    fingerprint = Embedder().fingerprint()
    env, threads = child_environment()
    version = project_version()
    temporary = options.work is None
    work = Path(tempfile.mkdtemp(prefix="qa-scale-")) if temporary else options.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    created: list[Path] = []
    questions = load_questions(options.questions, options.seed)
    questions_file = work / f".questions-{os.getpid()}.json"
    questions_file.write_text(json.dumps(questions, ensure_ascii=False), encoding="utf-8")
    rows, pile_holder = [], {}
    try:
        for passages in options.sizes:
            rows.append(measure_size(passages, options, work, questions_file, questions, fingerprint,
                                     pile_holder, env, created))
    finally:
        questions_file.unlink(missing_ok=True)
        if options.keep:
            log(f"kept in {work}")
        elif temporary:
            shutil.rmtree(work, ignore_errors=True)
        else:
            for path in created:
                shutil.rmtree(path, ignore_errors=True)
    if options.json:
        print(json.dumps({"cores": os.cpu_count(), "load_average": os.getloadavg()[0], "threads": threads,
                          "project": version, "date": time.strftime("%Y-%m-%d"), "sizes": rows},
                         ensure_ascii=False, indent=2))
        return
    print_table(rows, options, threads, version)


if __name__ == "__main__":
    main()
