"""A damaged index is never silently wrong: every file of a build against its checksum.

Each file of a real build is damaged in turn, three ways (same-size garbage, cut to half, deleted), in a
copy of the build. `qa search` then fails in one line naming the file and the repair, or answers as the
undamaged index does; `qa check` names the file; a build repairs it, reusing what still verifies.
"""

import json
import shutil
import sys
import time

import numpy as np
import pytest
from click.testing import CliRunner

from conftest import ROOT, SEEDS, HashEmbedder, run_qa
from qa.cli import main
from qa.index import IndexError_, build_index, check_index, current_build, open_store
from qa.stores import StoreError
from qa.stores import integrity
from qa.stores.integrity import STAMPS

QUESTION = "2021年地区生产总值是多少"
DAMAGES = ("garbage", "truncate", "delete")


def damage(path, how):
    size = path.stat().st_size
    if how == "delete":
        path.unlink()
    elif how == "truncate":
        path.write_bytes(path.read_bytes()[: size // 2])
    else:  # bytes that are neither UTF-8, JSON nor a numpy header, of the very same length
        garbage = b"\xff\xfe\x00garbage"
        path.write_bytes((garbage * (size // len(garbage) + 1))[:size])
        assert path.stat().st_size == size


def qa(*args):
    result = CliRunner().invoke(main, [str(arg) for arg in args])
    output = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, output, result.exc_info)
    assert "Traceback" not in output, output
    return result.exit_code, output


def search(index):
    return qa("search", QUESTION, "--index", index, "--mode", "bm25", "-k", "3")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One build of the seeds (the hash embedder: only the files matter here) and its answer."""
    index = tmp_path_factory.mktemp("built") / "index"
    build_index(SEEDS, index, HashEmbedder())
    code, answer = search(index)
    assert code == 0 and "784.2亿元" in answer
    return index, answer


def files_of(index):
    """Every file of the build in use, and the pointer naming it, as paths under the index folder."""
    build = current_build(index)
    return ["CURRENT"] + sorted(path.relative_to(index).as_posix() for path in build.rglob("*") if path.is_file())


@pytest.mark.parametrize("how", DAMAGES)
def test_every_file_damaged_is_named_or_harmless_and_the_next_build_repairs_it(built, tmp_path, how):
    index, answer = built
    names = files_of(index)
    stamps = f"{current_build(index).name}/{STAMPS}"
    assert len(names) > 50 and stamps in names
    for number, name in enumerate(names):
        copy = tmp_path / f"case-{number}" / "index"
        shutil.copytree(index, copy)
        damage(copy / name, how)
        short = name.split("/", 1)[-1]

        code, output = search(copy)
        if code == 0:  # only what is not part of the index may be damaged without a word
            assert name == stamps and output == answer, (name, output)
        else:
            lines = output.strip().splitlines()
            assert code == 1 and len(lines) == 1 and lines[0].startswith("Error: "), (name, output)
            assert "qa build" in lines[0], (name, output)
            named = name in lines[0] or (name, how) == ("CURRENT", "delete") and "no index in" in lines[0]
            assert named, (name, output)

        code, output = qa("check", "--index", copy)
        if name == stamps:
            assert code == 0 and output.startswith("index OK: "), output
        else:
            assert code == 1 and "qa build" in output, (name, output)
            assert name == "CURRENT" or f"{name}: " in output, (name, output)

        embedder = HashEmbedder()
        report = build_index(SEEDS, copy, embedder)
        assert report.status == ("up to date" if name == stamps else "built"), name
        assert name in ("CURRENT", stamps) or any(name in line for line in report.repaired), (name, report.repaired)
        if short in ("texts.bin", "strings.json", "bm25/data.csc.index.npy", "columns/start.npy"):
            assert embedder.embedded == 0, name  # the vectors verified, so they were kept
        assert search(copy) == (0, answer), name
        assert qa("check", "--index", copy)[0] == 0, name
        shutil.rmtree(copy.parent)


def test_a_file_written_over_after_its_stamp_is_hashed_again_and_an_unchanged_one_is_not(built, tmp_path,
                                                                                           monkeypatch):
    index, _ = built
    copy = tmp_path / "index"
    shutil.copytree(index, copy)
    build = current_build(copy)
    monkeypatch.setattr(integrity, "RACY_NS", 0)  # the copy is seconds old, not minutes: stamp it all the same
    open_store(copy)  # a copy has other inodes: the first open hashes every file and stamps it
    stamps = json.loads((build / STAMPS).read_text(encoding="utf-8"))
    assert len(stamps) == len(open_store(copy).manifest.files)
    hashed = []
    digest = integrity.file_digest
    monkeypatch.setattr(integrity, "file_digest", lambda path: hashed.append(path.name) or digest(path))
    open_store(copy)
    assert hashed == []  # nothing was written since: nothing is hashed
    path = build / "vectors.npy"
    data = bytearray(path.read_bytes())
    data[-5] ^= 0xFF  # one byte changed in the last vector, the header intact
    time.sleep(0.05)  # past the clock's tick, so the write gives the file another change time
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match=r"vectors.npy is damaged \(checksum mismatch\); run `qa build` to repair"):
        open_store(copy)
    assert hashed == ["vectors.npy"]


def test_stamps_of_files_written_a_moment_ago_are_not_kept(tmp_path):
    (tmp_path / "a.bin").write_bytes(b"abc")
    records = integrity.record_files(tmp_path, skip=())
    assert records == {"a.bin": integrity.FileRecord(3, integrity.file_digest(tmp_path / "a.bin"))}
    assert json.loads((tmp_path / STAMPS).read_text(encoding="utf-8")) == {}  # its times may not have ticked yet


def test_a_build_without_checksums_asks_for_a_build_which_embeds_nothing(built, tmp_path):
    index, answer = built
    copy = tmp_path / "index"
    shutil.copytree(index, copy)
    path = current_build(copy) / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["files"] = {name: record["size"] for name, record in manifest["files"].items()}  # as builds wrote them
    path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexError_, match="records no checksums .* run `qa build` to add them"):
        open_store(copy)
    code, output = qa("check", "--index", copy)
    assert code == 1 and "records no checksums" in output
    embedder = HashEmbedder()
    assert build_index(SEEDS, copy, embedder).status == "built" and embedder.embedded == 0
    assert search(copy) == (0, answer)


def test_check_reports_every_damaged_file_and_json(built, tmp_path):
    index, _ = built
    copy = tmp_path / "index"
    shutil.copytree(index, copy)
    build = current_build(copy)
    damage(build / "texts.bin", "garbage")
    damage(build / "columns/hash.npy", "delete")
    result = check_index(copy)
    assert sorted(d.path.relative_to(build).as_posix() for d in result.damaged) == ["columns/hash.npy", "texts.bin"]
    assert {d.reason for d in result.damaged} == {"checksum mismatch", "missing"}
    code, output = qa("check", "--index", copy, "--json")
    data = json.loads(output)
    assert code == 1 and data["ok"] is False and data["passages"] > 50 and len(data["damaged"]) == 2
    code, output = search(copy)
    assert code == 1 and "1 more damaged file(s): `qa check` lists them" in output
    embedder = HashEmbedder()
    build_index(SEEDS, copy, embedder)
    assert embedder.embedded > 0  # without the hashes the vectors cannot be matched to passages
    code, output = qa("check", "--index", copy, "--json")
    assert code == 0 and json.loads(output)["ok"] is True


def test_check_without_an_index_is_a_one_line_error(tmp_path):
    code, output = qa("check", "--index", tmp_path / "nothing")
    assert code == 1
    assert output.strip().splitlines() == [f"Error: no index in {tmp_path / 'nothing'}: run `qa build` first"]


def test_texts_written_over_after_opening_give_a_notice_in_the_web_ui(built, tmp_path):
    sys.path.insert(0, str(ROOT))
    import app as web
    from qa.search import Searcher

    index, _ = built
    copy = tmp_path / "index"
    shutil.copytree(index, copy)
    application = web.App(Searcher(open_store(copy), HashEmbedder()), exports=web.Exports(tmp_path / "exports"))
    damage(current_build(copy) / "texts.bin", "garbage")  # memory-mapped: the open store sees the new bytes
    reply = application.ask(QUESTION, 3, "bm25", language="en")
    application.lanes.close()
    assert "The index is damaged" in reply.notice and "texts.bin" in reply.notice and not reply.results


@pytest.mark.slow
def test_qa_build_repairs_a_damaged_index_of_the_real_model_without_embedding_again(seed_index, tmp_path):
    copy = tmp_path / "index"
    shutil.copytree(seed_index, copy)
    damage(current_build(copy) / "texts.bin", "garbage")
    result = run_qa("search", QUESTION, "--index", copy)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"Error: index file {current_build(copy) / 'texts.bin'} is damaged (checksum mismatch); "
        f"run `qa build` to repair it"]
    result = run_qa("build", "--seeds", SEEDS, "--index", copy)
    assert result.returncode == 0 and "(0 embedded" in result.stdout, result.stdout + result.stderr
    assert f"Repaired {current_build(copy).parent}" in result.stderr and "texts.bin: checksum mismatch" in result.stderr
    result = run_qa("search", QUESTION, "--index", copy, "-k", "1")
    assert result.returncode == 0 and "784.2亿元" in result.stdout
    reference = open_store(seed_index).vectors
    assert np.array_equal(open_store(copy).vectors, reference)
