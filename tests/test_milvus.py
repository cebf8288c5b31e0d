"""The Milvus store on Milvus Lite: the store protocol, builds through Milvus's own collections and
aliases, the command line's answers, and the seed gold set ranked as the local store ranks it."""

import subprocess
import sys
import time

import numpy as np
import pytest
from milvus_lite import server_manager_instance
from pymilvus import MilvusClient

from conftest import GOLD, SEEDS, HashEmbedder, free_port, run_qa
from qa.evaluation import RetrievalEvaluator, load_gold
from qa.index import IndexError_, build_index, open_store
from qa.search import Searcher
from qa.stores import Hits, StoreError
from qa.stores.build import content_hash, indexed_text
from qa.stores.milvus import index_name
from qa.stores.spec import parse_store


def _lite(folder):
    """A Milvus Lite database in ``folder``, served in this process (bound to 127.0.0.1 on a free port)."""
    return parse_store(f"milvus:{folder / 'milvus.db'}")


@pytest.fixture
def lite(tmp_path):
    spec = _lite(tmp_path)
    yield spec
    server_manager_instance.release_server(spec.uri)


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """The seeds built with the stand-in embedder into the local store and into Milvus Lite."""
    folder = tmp_path_factory.mktemp("both")
    spec = _lite(folder)
    build_index(SEEDS, folder / "local", HashEmbedder())
    build_index(SEEDS, folder / "index", HashEmbedder(), store=spec)
    yield open_store(folder / "local"), open_store(folder / "index", spec)
    server_manager_instance.release_server(spec.uri)


def _collections(spec):
    return MilvusClient(spec.uri).list_collections()


def _live_build(spec, folder):
    client = MilvusClient(spec.uri)
    return client.describe_alias(index_name(folder))["collection_name"]


@pytest.mark.parametrize("kind", ["local", "milvus"])
def test_store_protocol(both, kind):
    store = both[0] if kind == "local" else both[1]
    embedder = HashEmbedder()
    passages = list(store.iter_passages())
    assert len(store) == len(passages) > 50
    for position in (0, len(store) // 2, len(store) - 1):
        passage = store.passage(position)
        assert store.find(passage.id) == position
        assert store.text(position) == passage.text
        section = store.section_of(position)
        assert position in section and all(store.passage(p).section == passage.section for p in section)
    assert store.find("no-such-file.txt:1-2") is None and store.find("garbage") is None
    # dense search: exact inner product with the passage's own vector, best first
    query = embedder.embed_passages(["x"])[0]
    hits = store.dense(query, 3)
    assert isinstance(hits, Hits) and len(hits) == 3
    assert list(hits.scores) == sorted(hits.scores, reverse=True)
    best = embedder.embed_passages([indexed_text(store.passage(int(hits.positions[0])))])[0]
    assert np.isclose(hits.scores[0], best @ query, atol=1e-5)
    # lexical search and sentence windows of candidates
    hits = store.lexical(["784.2"], 5)
    assert "784.2" in store.text(int(hits.positions[0]))
    windows = store.windows(["784.2"], hits.positions)
    assert set(windows.positions) <= set(hits.positions) and len(windows) >= 1
    assert len(store.lexical([], 5)) == 0 and len(store.windows([], hits.positions)) == 0
    # build-time features: figures and periods
    position = int(hits.positions[0])
    features = store.features(position)
    assert any(f.text == "784.2亿元" for f in features.figures)
    assert all(store.text(position)[f.start:f.end] == f.text for f in features.figures)
    assert features.period.first is not None
    assert store.token_weights(["784.2", "二七区"])["784.2"] > store.token_weights(["二七区"]).get("二七区", 0)
    assert set(store.documents) == {p.name for p in SEEDS.iterdir()}


def test_milvus_store_holds_the_same_passages_features_and_documents_as_the_local_store(both):
    local, milvus = both
    assert list(milvus.iter_passages()) == list(local.iter_passages())
    assert all(milvus.features(p) == local.features(p) for p in range(len(local)))
    assert milvus.documents == local.documents
    assert milvus.manifest.sources == local.manifest.sources and milvus.manifest.store.startswith("milvus")


@pytest.mark.parametrize("tokens", [["784.2"], ["地区", "生产", "总值", "生产总值"], ["二七区", "新增", "就业"],
                                    ["2021", "年", "固定资产", "投资", "增长"]])
def test_milvus_retrievers_rank_as_the_local_store_ranks(both, tokens):
    local, milvus = both
    for depth in (5, 50):
        a, b = local.lexical(tokens, depth), milvus.lexical(tokens, depth)
        assert list(b.positions) == list(a.positions)
        # Milvus's BM25 carries the (k1 + 1) factor that bm25s leaves out: the same ranking, scaled
        assert np.allclose(b.scores, a.scores * 2.5, rtol=1e-4)
        candidates = np.union1d(a.positions, local.dense(HashEmbedder().embed_query(" ".join(tokens))[0], 50).positions)
        wa, wb = local.windows(tokens, candidates), milvus.windows(tokens, candidates)
        assert list(wb.positions) == list(wa.positions) and np.allclose(wb.scores, wa.scores * 2.5, rtol=1e-4)
    assert milvus.token_weights(tokens) == pytest.approx(local.token_weights(tokens))
    query = HashEmbedder().embed_query(" ".join(tokens))[0]
    a, b = local.dense(query, 20), milvus.dense(query, 20)
    assert list(b.positions) == list(a.positions) and np.allclose(b.scores, a.scores, atol=1e-5)


def test_second_milvus_build_is_up_to_date_and_embeds_nothing(seeds_copy, tmp_path, lite):
    build_index(seeds_copy, tmp_path / "index", HashEmbedder(), store=lite)
    again = HashEmbedder()
    report = build_index(seeds_copy, tmp_path / "index", again, store=lite)
    assert report.status == "up to date" and again.embedded == 0


def test_an_edited_report_is_switched_in_by_alias_and_reuses_the_vectors_in_milvus(seeds_copy, tmp_path, lite):
    index = tmp_path / "index"
    build_index(seeds_copy, index, HashEmbedder(), store=lite)
    first = _live_build(lite, index)
    reader = open_store(index, lite)  # opened before the rebuild: keeps reading the build it opened
    before = list(reader.iter_passages())
    changed = seeds_copy / "004_f0826ab6902e31db.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n新增一段：全年新增绿地面积99.9万平方米。\n",
                       encoding="utf-8")
    embedder = HashEmbedder()
    report = build_index(seeds_copy, index, embedder, store=lite)
    second = _live_build(lite, index)
    assert report.changed == [changed.name] and second != first
    after = list(open_store(index, lite).iter_passages())
    assert any("99.9万平方米" in p.text for p in after)
    assert 1 <= embedder.embedded < sum(p.source == changed.name for p in after)  # the rest came from Milvus
    assert list(reader.iter_passages()) == before  # the earlier build is kept for readers that opened it
    # a third build drops the first: only the live build and the one it replaced remain
    changed.write_text(changed.read_text(encoding="utf-8") + "\n再增一段：新建公园3个。\n", encoding="utf-8")
    build_index(seeds_copy, index, HashEmbedder(), store=lite)
    builds = {name for name in _collections(lite) if "__" not in name[len(index_name(index)) + 2:]}
    assert first not in builds and second in builds and _live_build(lite, index) in builds and len(builds) == 2


def test_a_removed_report_leaves_the_milvus_index(seeds_copy, tmp_path, lite):
    build_index(seeds_copy, tmp_path / "index", HashEmbedder(), store=lite)
    (seeds_copy / "001_f03c825dd93f2a3d.txt").unlink()
    report = build_index(seeds_copy, tmp_path / "index", HashEmbedder(), store=lite)
    store = open_store(tmp_path / "index", lite)
    assert report.removed == ["001_f03c825dd93f2a3d.txt"]
    assert all(p.source != "001_f03c825dd93f2a3d.txt" for p in store.iter_passages())
    assert "001_f03c825dd93f2a3d.txt" not in store.documents and len(store) == report.passages


def test_a_failed_milvus_build_leaves_the_live_index_and_no_collections_behind(seeds_copy, tmp_path, lite,
                                                                               monkeypatch):
    from qa.stores import milvus

    build_index(seeds_copy, tmp_path / "index", HashEmbedder(), store=lite)
    live = _live_build(lite, tmp_path / "index")
    before = set(_collections(lite))

    def broken(self, manifest, documents):
        raise OSError("disk full")

    monkeypatch.setattr(milvus.MilvusStoreWriter, "finish", broken)
    with pytest.raises(OSError):
        build_index(seeds_copy, tmp_path / "index", HashEmbedder(fingerprint="f2"), store=lite)
    assert _live_build(lite, tmp_path / "index") == live and set(_collections(lite)) == before
    assert len(open_store(tmp_path / "index", lite)) > 50


def test_opening_with_the_other_store_says_where_the_index_is(seeds_copy, tmp_path, lite):
    build_index(seeds_copy, tmp_path / "in-milvus", HashEmbedder(), store=lite)
    build_index(seeds_copy, tmp_path / "local", HashEmbedder())
    with pytest.raises(IndexError_, match=f"built in the Milvus store {lite.name}: open it with --store"):
        open_store(tmp_path / "in-milvus")
    with pytest.raises(IndexError_, match="built in the local store, not in Milvus"):
        open_store(tmp_path / "local", lite)


@pytest.mark.parametrize("store, message", [
    ("milvus://127.0.0.1:{port}", "cannot use Milvus at milvus://127.0.0.1:{port}"),
    ("milvus:{tmp}/nothing/here.db", "Milvus Lite database {tmp}/nothing/here.db"),
    ("milvus://no-port", "expected milvus://HOST:PORT"),
    ("sqlite:x.db", "unknown store 'sqlite:x.db'"),
])
def test_a_missing_or_unreachable_milvus_is_one_line_naming_it(tmp_path, store, message):
    port = free_port()  # nothing listens there
    store, message = (text.format(port=port, tmp=tmp_path) for text in (store, message))
    commands = [["search", "2021年地区生产总值是多少"]]
    if store.startswith("milvus://127.0.0.1"):
        commands += [["build", "--seeds", SEEDS], ["eval", "--gold", GOLD]]
    for command in commands:
        result = run_qa(*command, "--index", tmp_path / "index", "--store", store)
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], result.stderr
    environment = run_qa("search", "x", "--index", tmp_path / "index", env={"QA_STORE": store})
    assert environment.returncode == 1 and message in environment.stderr


def test_unknown_store_is_refused_by_the_parser():
    with pytest.raises(StoreError, match="unknown store"):
        parse_store("milvus")
    assert parse_store("milvus://db.example:19530", tls=True).uri == "https://db.example:19530"
    assert parse_store(None).is_local and parse_store("milvus:a/b.db").is_lite


@pytest.fixture
def lite_server(tmp_path):
    """Milvus Lite's own server, bound to localhost on a free port, as a stand-in for a Milvus server."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "milvus_lite", "server", "--data-dir", str(tmp_path / "server.db"),
         "--host", "127.0.0.1", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                MilvusClient(f"http://127.0.0.1:{port}", timeout=2).list_collections()
                break
            except Exception:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the Milvus Lite server did not start")
                time.sleep(0.5)
        yield f"milvus://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(30)


def test_build_and_search_through_a_milvus_server_uri(tmp_path, lite_server):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "report.txt").write_text("一、总体情况\n全年地区生产总值达到784.2亿元，同比增长5%。\n二、就业\n新增城镇就业1.2万人。\n",
                                      encoding="utf-8")
    spec = parse_store(lite_server)
    report = build_index(seeds, tmp_path / "index", HashEmbedder(), store=spec)
    assert report.status == "built" and (tmp_path / "index" / "STORE").read_text().strip() == lite_server
    store = open_store(tmp_path / "index", spec)
    hits = store.lexical(["784.2"], 3)
    assert "784.2亿元" in store.text(int(hits.positions[0]))
    result = run_qa("cite", store.passage(int(hits.positions[0])).id, "--index", tmp_path / "index",
                    "--store", lite_server)
    assert result.returncode == 0 and "784.2亿元" in result.stdout, result.stderr


class _VectorsOfLocalBuild:
    """Passage vectors taken from a local build by content hash, under that build's model name and weights,
    so the same index is built in Milvus without embedding the passages again."""

    def __init__(self, local):
        manifest = local.manifest
        self.name, self._fingerprint, self.dimension = manifest.model, manifest.model_fingerprint, manifest.dimension
        self._rows = {int(h): i for i, h in enumerate(local.columns["hash"])}
        self._vectors = local.vectors

    def fingerprint(self):
        return self._fingerprint

    def embed_passages(self, texts, batch_size=16, show_progress=False):
        return np.vstack([self._vectors[self._rows[content_hash(text)]] for text in texts])


class _RememberedQueries:
    """One query embedder for both searchers, embedding each question once."""

    def __init__(self, embedder):
        self._embedder, self._seen = embedder, {}

    def embed_query(self, text):
        if text not in self._seen:
            self._seen[text] = self._embedder.embed_query(text)
        return self._seen[text].copy()


@pytest.mark.slow
def test_seed_gold_set_ranks_on_milvus_as_on_the_local_store(seed_index, tmp_path, lite):
    from qa.embedding import Embedder

    local = open_store(seed_index)
    build_index(SEEDS, tmp_path / "index", _VectorsOfLocalBuild(local), store=lite)
    milvus = open_store(tmp_path / "index", lite)
    queries = _RememberedQueries(Embedder(local.manifest.model))
    searchers = {"local": Searcher(local, queries), "milvus": Searcher(milvus, queries)}
    questions = load_gold(GOLD)
    reports, tops = {}, {}
    for name, searcher in searchers.items():
        evaluator = RetrievalEvaluator(questions, searcher.store.iter_passages())
        reports[name] = evaluator(lambda question, depth, s=searcher: s.search(question, k=depth))
        tops[name] = [q["results"][0]["source"] + q["results"][0]["text"] if q["results"] else None
                      for q in reports[name].questions]
    same_top = sum(a == b for a, b in zip(tops["local"], tops["milvus"])) / len(questions)
    hit5 = {name: report.metrics["hit@5"] for name, report in reports.items()}
    print(f"\n{len(questions)} gold questions: top-1 identical {same_top:.3f}; hit@5 local {hit5['local']:.3f}, "
          f"milvus {hit5['milvus']:.3f}; hit@1 local {reports['local'].metrics['hit@1']:.3f}, "
          f"milvus {reports['milvus'].metrics['hit@1']:.3f}")
    assert same_top >= 0.95
    assert abs(hit5["local"] - hit5["milvus"]) <= 0.01


def test_the_web_app_explains_an_unreachable_milvus_on_its_page(tmp_path):
    import app

    store = f"milvus://127.0.0.1:{free_port()}"
    loaded = app.load(tmp_path / "index", SEEDS, "multilingual-e5-small", store=parse_store(store))
    assert loaded.searcher is None and f"cannot use Milvus at {store}" in loaded.load_error
