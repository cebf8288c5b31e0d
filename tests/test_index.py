"""Index persistence, the manifest, incremental and atomic builds."""

import json

import numpy as np
import pytest

from conftest import HashEmbedder
from qa.index import Index, IndexError_, build_index, current_build, read_manifest


def test_build_writes_manifest_with_model_chunker_and_source_hashes(seeds_copy, tmp_path, hash_embedder):
    report = build_index(seeds_copy, tmp_path / "index", hash_embedder)
    manifest = read_manifest(tmp_path / "index")
    assert report.status == "built" and report.passages == manifest.passages > 50
    assert manifest.model == "hash-embedder" and manifest.model_fingerprint == "f0" and manifest.dimension == 8
    assert sorted(manifest.sources) == sorted(p.name for p in seeds_copy.iterdir())
    assert all(len(digest) == 64 for digest in manifest.sources.values())


def test_index_round_trips_passages_vectors_and_both_retrievers(seeds_copy, tmp_path, hash_embedder):
    build_index(seeds_copy, tmp_path / "index", hash_embedder)
    index = Index.load(tmp_path / "index")
    assert index.vectors.shape == (len(index.passages), 8)
    query = hash_embedder.embed_passages(["x"])
    positions, scores = index.dense_scores(query, 3)
    assert list(scores) == sorted(scores, reverse=True)
    assert np.allclose(scores[0], float(index.vectors[positions[0]] @ query[0]), atol=1e-5)
    positions, _ = index.bm25_scores(["784.2"], 5)
    assert "784.2" in index.passages[positions[0]].text


def test_second_build_is_up_to_date_and_embeds_nothing(seeds_copy, tmp_path):
    build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    again = HashEmbedder()
    report = build_index(seeds_copy, tmp_path / "index", again)
    assert report.status == "up to date" and again.embedded == 0


def test_changed_file_is_the_only_one_embedded_again(seeds_copy, tmp_path):
    build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    before = Index.load(tmp_path / "index")
    changed = seeds_copy / "004_f0826ab6902e31db.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n新增一段：全年新增绿地面积99.9万平方米。\n", encoding="utf-8")
    embedder = HashEmbedder()
    report = build_index(seeds_copy, tmp_path / "index", embedder)
    after = Index.load(tmp_path / "index")
    assert report.changed == ["004_f0826ab6902e31db.txt"]
    assert embedder.embedded == sum(p.source == changed.name for p in after.passages)
    assert any("99.9万平方米" in p.text for p in after.passages)
    unchanged = [p.id for p in before.passages if p.source != changed.name]
    assert unchanged == [p.id for p in after.passages if p.source != changed.name]


def test_removed_file_leaves_the_index(seeds_copy, tmp_path):
    build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    (seeds_copy / "001_f03c825dd93f2a3d.txt").unlink()
    report = build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    assert report.removed == ["001_f03c825dd93f2a3d.txt"]
    assert all(p.source != "001_f03c825dd93f2a3d.txt" for p in Index.load(tmp_path / "index").passages)


def test_other_model_forces_a_full_rebuild(seeds_copy, tmp_path):
    build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    other = HashEmbedder(fingerprint="f1")
    report = build_index(seeds_copy, tmp_path / "index", other)
    assert report.status == "built" and other.embedded == report.passages


def test_loading_with_another_model_says_to_rebuild(seeds_copy, tmp_path):
    build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    index = Index.load(tmp_path / "index")
    with pytest.raises(IndexError_, match="rebuild it with `qa build"):
        index.check_model("hash-embedder", "another-fingerprint")
    with pytest.raises(IndexError_, match="rebuild"):
        index.check_model("BAAI/bge-m3", "f0")


def test_loading_an_index_from_another_chunker_says_to_rebuild(seeds_copy, tmp_path):
    build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    manifest_path = current_build(tmp_path / "index") / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["chunker"] = "0"
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IndexError_, match="another version of the chunker; rebuild"):
        Index.load(tmp_path / "index")


def test_missing_index_says_to_run_build(tmp_path):
    with pytest.raises(IndexError_, match="run `qa build`"):
        Index.load(tmp_path / "nothing-here")


def test_interrupted_build_keeps_the_previous_index(seeds_copy, tmp_path):
    build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    before = Index.load(tmp_path / "index")

    class Exploding(HashEmbedder):
        def embed_passages(self, texts, batch_size=16, show_progress=False):
            raise KeyboardInterrupt

    (seeds_copy / "000_98a65f370833c6d2.txt").write_text("一、新的标题\n新的内容。\n", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        build_index(seeds_copy, tmp_path / "index", Exploding())
    after = Index.load(tmp_path / "index")
    assert [p.id for p in after.passages] == [p.id for p in before.passages]
    assert [p.name for p in (tmp_path / "index").iterdir() if p.name.startswith("build-")] == [current_build(tmp_path / "index").name]


def test_failed_save_leaves_no_half_written_build(seeds_copy, tmp_path, monkeypatch):
    build_index(seeds_copy, tmp_path / "index", HashEmbedder())
    before = current_build(tmp_path / "index")
    import qa.index

    def broken_write_index(*args):
        raise OSError("disk full")

    monkeypatch.setattr(qa.index.faiss, "write_index", broken_write_index)
    with pytest.raises(OSError):
        build_index(seeds_copy, tmp_path / "index", HashEmbedder(fingerprint="f2"))
    assert current_build(tmp_path / "index") == before
    assert len([p for p in (tmp_path / "index").iterdir() if p.name.startswith("build-")]) == 1
