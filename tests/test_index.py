"""Building the index: the manifest, the local store protocol, passage-level reuse, atomic and resumable builds."""

import json
import sys

import numpy as np
import pytest

from conftest import HashEmbedder
from qa.documents import DocumentError
from qa.index import (
    IndexError_,
    build_index,
    check_model,
    current_build,
    open_store,
    read_manifest,
)
from qa.stores import Hits, StoreError


def passages_of(store):
    return list(store.iter_passages())


def test_build_writes_manifest_with_model_chunker_and_source_hashes(seeds_copy, tmp_path, hash_embedder):
    report = build_index(seeds_copy, tmp_path / "index", hash_embedder)
    manifest = read_manifest(tmp_path / "index")
    assert report.status == "built" and report.passages == manifest.passages > 50
    assert manifest.model == "hash-embedder" and manifest.model_fingerprint == "f0" and manifest.dimension == 8
    assert sorted(manifest.sources) == sorted(p.name for p in seeds_copy.iterdir())
    assert all(len(digest) == 64 for digest in manifest.sources.values())
    build = current_build(tmp_path / "index")
    assert manifest.files and all(record.size == (build / name).stat().st_size and len(record.digest) == 64
                                  for name, record in manifest.files.items())


def test_store_protocol_on_the_local_store(seeds_copy, tmp_path, hash_embedder):
    build_index(seeds_copy, tmp_path / "index", hash_embedder)
    store = open_store(tmp_path / "index")
    passages = passages_of(store)
    assert len(store) == len(passages) == store.vectors.shape[0]
    # get by id, and the enclosing section
    for position in (0, len(store) // 2, len(store) - 1):
        passage = store.passage(position)
        assert store.find(passage.id) == position
        assert store.text(position) == passage.text
        section = store.section_of(position)
        assert position in section and all(store.passage(p).section == passage.section for p in section)
    assert store.find("no-such-file.txt:1-2") is None and store.find("garbage") is None
    # dense search: exact inner product, best first
    query = hash_embedder.embed_passages(["x"])[0]
    hits = store.dense(query, 3)
    assert isinstance(hits, Hits) and len(hits) == 3
    assert list(hits.scores) == sorted(hits.scores, reverse=True)
    assert np.allclose(hits.scores[0], store.vectors[hits.positions[0]] @ query, atol=1e-5)
    # lexical search and sentence windows of candidates
    hits = store.lexical(["784.2"], 5)
    assert "784.2" in store.text(int(hits.positions[0]))
    windows = store.windows(["784.2"], hits.positions)
    assert set(windows.positions) <= set(hits.positions) and len(windows) >= 1
    assert len(store.lexical([], 5)) == 0
    # build-time features: figures and periods
    position = int(hits.positions[0])
    features = store.features(position)
    assert any(f.text == "784.2亿元" for f in features.figures)
    assert all(store.text(position)[f.start:f.end] == f.text for f in features.figures)
    assert features.period.first is not None
    assert store.token_weights(["784.2", "二七区"])["784.2"] > store.token_weights(["二七区"]).get("二七区", 0)


def test_second_build_is_up_to_date_and_embeds_nothing(seeds_copy, tmp_path):
    build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    again = HashEmbedder()
    report = build_index(seeds_copy, tmp_path / "index", again)
    assert report.status == "up to date" and again.embedded == 0


def test_editing_a_report_re_embeds_only_its_changed_passages(seeds_copy, tmp_path):
    build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    changed = seeds_copy / "004_f0826ab6902e31db.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n新增一段：全年新增绿地面积99.9万平方米。\n", encoding="utf-8")
    embedder = HashEmbedder()
    report = build_index(seeds_copy, tmp_path / "index", embedder)
    after = passages_of(open_store(tmp_path / "index"))
    assert report.changed == ["004_f0826ab6902e31db.txt"]
    assert any("99.9万平方米" in p.text for p in after)
    in_changed_file = sum(p.source == changed.name for p in after)
    assert 1 <= embedder.embedded < in_changed_file  # the report's untouched passages kept their vectors


def test_a_rebuild_tokenises_only_changed_passages_and_scores_as_a_fresh_build(seeds_copy, tmp_path, monkeypatch):
    import qa.index

    build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    changed = seeds_copy / "004_f0826ab6902e31db.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n新增一段：全年新增绿地面积99.9万平方米。\n", encoding="utf-8")
    tokenised = []
    original = qa.index.lexical_tokens
    monkeypatch.setattr(qa.index, "lexical_tokens", lambda p, heads: tokenised.append(p.id) or original(p, heads))
    embedder = HashEmbedder()
    build_index(seeds_copy, tmp_path / "index", embedder)
    assert 1 <= len(tokenised) == embedder.embedded  # exactly the passages whose text is new
    monkeypatch.setattr(qa.index, "lexical_tokens", original)
    build_index(seeds_copy, tmp_path / "fresh", HashEmbedder())
    rebuilt, fresh = open_store(tmp_path / "index"), open_store(tmp_path / "fresh")
    assert [p.id for p in passages_of(rebuilt)] == [p.id for p in passages_of(fresh)]
    for question in (["绿地", "面积"], ["地区", "生产", "总值", "2021"], ["就业", "新增", "99.9"]):
        for retrieve in (lambda store: store.lexical(question, 20),
                         lambda store: store.windows(question, np.arange(len(store)))):
            ours, theirs = retrieve(rebuilt), retrieve(fresh)
            assert ours.positions.tolist() == theirs.positions.tolist()
            np.testing.assert_allclose(ours.scores, theirs.scores, rtol=1e-6)


def test_removed_file_leaves_the_index(seeds_copy, tmp_path):
    build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    (seeds_copy / "001_f03c825dd93f2a3d.txt").unlink()
    report = build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    assert report.removed == ["001_f03c825dd93f2a3d.txt"]
    assert all(p.source != "001_f03c825dd93f2a3d.txt" for p in passages_of(open_store(tmp_path / "index")))


def test_other_model_forces_a_full_rebuild(seeds_copy, tmp_path):
    build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    other = HashEmbedder(fingerprint="f1")
    report = build_index(seeds_copy, tmp_path / "index", other)
    assert report.status == "built" and other.embedded == report.passages


def test_loading_with_another_model_says_to_rebuild(seeds_copy, tmp_path):
    build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    manifest = open_store(tmp_path / "index").manifest
    with pytest.raises(IndexError_, match="rebuild it with `qa build"):
        check_model(manifest, "hash-embedder", "another-fingerprint")
    with pytest.raises(IndexError_, match="rebuild"):
        check_model(manifest, "BAAI/bge-m3", "f0")


def test_loading_an_index_from_another_chunker_says_to_rebuild(seeds_copy, tmp_path):
    build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    manifest_path = current_build(tmp_path / "index") / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["chunker"] = "0"
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IndexError_, match="another version of the chunker; rebuild"):
        open_store(tmp_path / "index")


def test_a_build_over_an_index_of_another_chunker_embeds_only_what_changed(seeds_copy, tmp_path):
    first = build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    manifest_path = current_build(tmp_path / "index") / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["chunker"] = "0"
    manifest_path.write_text(json.dumps(manifest))
    again = build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    assert again.status == "built" and again.embedded == 0 and again.passages == first.passages
    assert open_store(tmp_path / "index").manifest.passages == first.passages


def test_missing_index_says_to_run_build(tmp_path):
    with pytest.raises(IndexError_, match="run `qa build`"):
        open_store(tmp_path / "nothing-here")


def test_interrupted_build_keeps_the_previous_index_and_a_resumed_one_does_not_embed_again(seeds_copy, tmp_path):
    build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    before = [p.id for p in passages_of(open_store(tmp_path / "index"))]

    class InterruptedAfter(HashEmbedder):
        """Embeds a few batches, then the user presses Ctrl-C."""

        def __init__(self, batches):
            super().__init__(fingerprint="f9")
            self.batches = batches

        def embed_passages(self, texts, batch_size=16, show_progress=False):
            if self.batches == 0:
                raise KeyboardInterrupt
            self.batches -= 1
            return super().embed_passages(texts)

    with pytest.raises(KeyboardInterrupt):
        build_index(seeds_copy, tmp_path / "index", InterruptedAfter(batches=2))
    assert [p.id for p in passages_of(open_store(tmp_path / "index"))] == before
    builds = [p.name for p in (tmp_path / "index").iterdir() if p.name.startswith("build-")]
    assert builds == [current_build(tmp_path / "index").name]

    resumed = HashEmbedder(fingerprint="f9")
    report = build_index(seeds_copy, tmp_path / "index", resumed)
    assert report.status == "built" and 0 < resumed.embedded <= report.passages - 2 * 32 + 32
    assert report.passages - resumed.embedded >= 32  # the interrupted build's batches were kept
    fresh = HashEmbedder(fingerprint="f9")
    reference = build_index(seeds_copy, tmp_path / "other", fresh)
    assert np.allclose(open_store(tmp_path / "index").vectors, open_store(tmp_path / "other").vectors)
    assert reference.embedded == reference.passages


def test_leftover_build_folders_are_removed_by_the_next_build(seeds_copy, tmp_path):
    build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    leftover = tmp_path / "index" / "build-killed"
    leftover.mkdir()
    (leftover / "texts.bin").write_bytes(b"half")
    report = build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    assert report.status == "up to date" and not leftover.exists()


def test_failed_save_leaves_no_half_written_build(seeds_copy, tmp_path, monkeypatch):
    build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    before = current_build(tmp_path / "index")
    from qa.stores import local

    def broken_write(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(local, "_write_json", broken_write)
    with pytest.raises(OSError):
        build_index(seeds_copy, tmp_path / "index", HashEmbedder(fingerprint="f2"))
    assert current_build(tmp_path / "index") == before
    assert len([p for p in (tmp_path / "index").iterdir() if p.name.startswith("build-")]) == 1


@pytest.mark.parametrize("damage", ["truncate", "garbage", "delete"])
@pytest.mark.parametrize("name", ["vectors.npy", "texts.bin", "columns/start.npy", "bm25/params.index.json",
                                  "strings.json", "manifest.json"])
def test_a_damaged_file_names_itself_and_the_next_build_repairs_it(seeds_copy, tmp_path, name, damage):
    build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    path = current_build(tmp_path / "index") / name
    if damage == "delete":
        path.unlink()
    elif damage == "truncate":
        path.write_bytes(path.read_bytes()[: max(1, path.stat().st_size // 2)])
    else:
        path.write_bytes(b"\x00\xff garbage" * 3)
    with pytest.raises(StoreError) as info:
        open_store(tmp_path / "index")
    message = str(info.value)
    assert "qa build" in message and "\n" not in message
    assert name.split("/")[-1] in message or "manifest" in message or "index" in message
    report = build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    assert report.status == "built"
    assert len(open_store(tmp_path / "index")) == report.passages


def test_current_pointer_with_invalid_bytes_is_a_clear_error(seeds_copy, tmp_path):
    build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    (tmp_path / "index" / "CURRENT").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(IndexError_, match="qa build"):
        open_store(tmp_path / "index")
    assert build_index(seeds_copy, tmp_path / "index", HashEmbedder()).status == "built"


def test_a_folder_whose_only_report_is_empty_is_a_clear_error(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "empty.txt").write_bytes(b"")
    with pytest.raises(DocumentError, match="empty.txt: no text"):
        build_index(tmp_path / "seeds", tmp_path / "index", HashEmbedder())
    assert not (tmp_path / "index" / "CURRENT").exists()


def test_two_editions_of_one_report_have_distinct_ids(tmp_path):
    (tmp_path / "seeds").mkdir()
    text = "一、总体情况\n全年地区生产总值达到784.2亿元，同比增长5%。\n"
    (tmp_path / "seeds" / "report.txt").write_text(text, encoding="utf-8")
    (tmp_path / "seeds" / "report.md").write_text(text.replace("784.2", "790.0"), encoding="utf-8")
    build_index(tmp_path / "seeds", tmp_path / "index", HashEmbedder())
    store = open_store(tmp_path / "index")
    ids = [p.id for p in store.iter_passages()]
    assert len(ids) == len(set(ids)) == 2
    for passage in store.iter_passages():
        assert store.passage(store.find(passage.id)).source == passage.source


def test_opening_an_index_tokenises_no_passage(seeds_copy, tmp_path, monkeypatch):
    build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    import qa.tokens

    calls = []
    original = qa.tokens.tokenize
    monkeypatch.setattr(qa.tokens, "tokenize", lambda *a, **k: calls.append(a) or original(*a, **k))
    import rjieba

    monkeypatch.setattr(rjieba, "cut_for_search", lambda *a, **k: calls.append(a) or [])
    monkeypatch.setattr(rjieba, "cut", lambda *a, **k: calls.append(a) or [])
    from qa.search import Searcher

    searcher = Searcher(open_store(tmp_path / "index"), HashEmbedder())
    assert calls == []
    assert searcher.store.features(0).figures is not None and calls == []


def test_the_stored_answer_layout_is_the_one_the_picker_would_compute(seeds_copy, tmp_path):
    from qa.answers import layout

    build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    store = open_store(tmp_path / "index")
    with_figures = [p for p in range(len(store)) if store.features(p).figures]
    assert len(with_figures) > 50
    for position in with_figures:
        assert store.layout(position) == layout(store.text(position), list(store.features(position).figures))


def test_a_build_of_the_previous_layout_lends_its_vectors_to_the_next(seeds_copy, tmp_path):
    from qa.stores.local import LAYOUT_COLUMNS

    build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    build = current_build(tmp_path / "index")
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    for name in LAYOUT_COLUMNS:  # what a build of format 5 did not write
        (build / "columns" / f"{name}.npy").unlink()
        del manifest["files"][f"columns/{name}.npy"]
    manifest["format"] = 5
    (build / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexError_, match="older layout"):
        open_store(tmp_path / "index")
    embedder = HashEmbedder()
    report = build_index(seeds_copy, tmp_path / "index", embedder)
    assert report.status == "built" and embedder.embedded == 0
    assert open_store(tmp_path / "index").layout(0) is not None


def test_ann_index_agrees_with_exact_search_on_a_small_corpus(seeds_copy, tmp_path, monkeypatch):
    from qa.stores import local

    build_index(seeds_copy, tmp_path / "exact", HashEmbedder(dimension=32))
    monkeypatch.setattr(local, "ANN_THRESHOLD", 10)
    build_index(seeds_copy, tmp_path / "ann", HashEmbedder(dimension=32))
    exact, ann = open_store(tmp_path / "exact"), open_store(tmp_path / "ann")
    assert (current_build(tmp_path / "ann") / "ann.faiss").exists()
    assert not (current_build(tmp_path / "exact") / "ann.faiss").exists()
    queries = HashEmbedder(dimension=32).embed_passages([f"question {i}" for i in range(30)])
    overlap = [len(set(exact.dense(q, 10).positions) & set(ann.dense(q, 10).positions)) / 10 for q in queries]
    assert np.mean(overlap) >= 0.98


def test_a_second_build_of_the_same_index_is_refused_while_the_first_runs(seeds_copy, tmp_path):
    import threading

    started, release = threading.Event(), threading.Event()

    class Slow(HashEmbedder):
        def embed_passages(self, texts, batch_size=16, show_progress=False):
            started.set()
            release.wait(30)
            return super().embed_passages(texts)

    outcome = {}
    first = threading.Thread(target=lambda: outcome.update(
        first=build_index(seeds_copy, tmp_path / "index", Slow())))
    first.start()
    assert started.wait(30)
    with pytest.raises(IndexError_, match="another `qa build` is writing"):
        build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    # searching meanwhile is not blocked: there is simply no index yet, or the previous one
    with pytest.raises(IndexError_, match="run `qa build`"):
        open_store(tmp_path / "index")
    release.set()
    first.join(60)
    assert outcome["first"].status == "built" and len(open_store(tmp_path / "index")) == outcome["first"].passages


@pytest.mark.parametrize("content", [b"\x00\x01\x02binary\x00" * 500, b"\x89PNG\r\n\x1a\n\x00\x00" * 300])
def test_a_binary_file_is_skipped_with_its_reason(tmp_path, content):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "good.txt").write_text("一、总体情况\n全年地区生产总值达到784.2亿元。\n", encoding="utf-8")
    (tmp_path / "seeds" / "bad.txt").write_bytes(content)
    report = build_index(tmp_path / "seeds", tmp_path / "index", HashEmbedder())
    sources = {p.source for p in open_store(tmp_path / "index").iter_passages()}
    assert sources == {"good.txt"}
    assert len(report.problems) == 1
    assert report.problems[0].startswith("bad.txt: ") and "\n" not in report.problems[0]
