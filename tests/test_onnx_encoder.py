"""The ONNX path embeds passages as sentence-transformers does, from a one-time export."""

import json
import shutil

import numpy as np
import pytest

from qa import onnx_encoder
from qa.embedding import prepare_default_model

pytestmark = pytest.mark.slow

TEXTS = [
    "2021年地区生产总值是多少", "全年地区生产总值达到784.2亿元，社会消费品零售总额498.7亿元。",
    "去年，在应对3轮疫情防控中，二七区累计转运集中隔离1.04万人、居家隔离6.8万余人。",
    "二七商圈入选全国示范智慧商圈", "ＧＤＰ增长７．５％左右", "1～11月完成投资253.4亿元",
    "郑州市二七区2022年国民经济和社会发展计划（草案）\n一般公共预算收入完成29.9亿元，同比增长0.82%",
    "数字看成绩", "  leading and trailing spaces  ", "What was the GDP in 2021?",
    "retail sales of consumer goods", "Hello   world\twith  odd   spacing", "A short one",
    "PM2.5 average concentration fell to 48 micrograms per cubic metre",
    "建设安置房1279万平方米，回迁858万平方米。" * 3, "新增城镇就业19500人，新增农村劳动力转移就业80人。",
    "The district ranked first among the five urban districts.", "空气质量优良天数达到230天",
    # longer than the model's 512 tokens: truncated the same way
    "政府工作报告。" * 300, "樱桃沟获评全国乡村旅游重点镇",
]


def shadow_folder(folder, destination):
    """A model folder whose files are links to ``folder``'s: the export lands here, not in the cache."""
    destination.mkdir()
    for entry in folder.iterdir():
        if entry.name != onnx_encoder.ONNX_DIR:  # the export under test is made afresh
            (destination / entry.name).symlink_to(entry)
    return destination


@pytest.fixture(scope="module")
def model_folder(tmp_path_factory):
    return shadow_folder(prepare_default_model(), tmp_path_factory.mktemp("model") / "e5")


@pytest.fixture(scope="module")
def encoder(model_folder):
    pytest.importorskip("onnxruntime")
    return onnx_encoder.OnnxEncoder(model_folder)


@pytest.fixture(scope="module")
def reference():
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(prepare_default_model()), device="cpu")
    return model, model.encode(TEXTS, prompt_name="passage", normalize_embeddings=True, convert_to_numpy=True)


def test_export_is_written_once_and_reused(encoder, model_folder):
    path = onnx_encoder.onnx_path(model_folder)
    assert encoder.path == path
    others = [p for p in path.parent.iterdir() if p != path]
    assert [p.name.startswith(onnx_encoder.ONNX_DATA_PREFIX) for p in others] == [True], \
        f"expected the graph and one weights file, found {others}"
    weights = others[0]
    assert weights.stat().st_size > 100_000_000 > path.stat().st_size, "the weights belong in their own file"
    before = [p.stat() for p in (path, weights)]
    assert onnx_encoder.export_onnx(model_folder) == path
    after = [p.stat() for p in (path, weights)]
    assert [(s.st_ino, s.st_mtime_ns) for s in after] == [(s.st_ino, s.st_mtime_ns) for s in before]


def test_an_export_holding_its_weights_inside_is_split_once(encoder, model_folder, tmp_path):
    import onnx

    copy = tmp_path / "copy"
    shutil.copytree(model_folder, copy)
    inside = onnx_encoder.onnx_path(copy)
    onnx.save_model(onnx.load(str(inside)), str(inside))  # the earlier layout: one file with the weights
    for old in inside.parent.glob(onnx_encoder.ONNX_DATA_PREFIX + "*"):
        old.unlink()
    assert not onnx_encoder.exported(copy)
    assert onnx_encoder.export_onnx(copy) == inside
    assert onnx_encoder.exported(copy) and inside.stat().st_size < 10_000_000
    split = onnx_encoder.OnnxEncoder(copy, threads=1)
    assert np.allclose(split.encode(TEXTS[:2]), encoder.encode(TEXTS[:2]), atol=1e-6)


def test_export_has_the_expected_interface(encoder):
    import onnx

    graph = onnx.load(str(encoder.path), load_external_data=False).graph
    assert [i.name for i in graph.input] == ["input_ids", "attention_mask"]
    assert [o.name for o in graph.output] == ["last_hidden_state"]
    dims = [d.dim_param for d in graph.input[0].type.tensor_type.shape.dim]
    assert all(dims), "batch and sequence axes should be dynamic"


def test_embeddings_match_sentence_transformers(encoder, reference):
    _, expected = reference
    ours = encoder.encode(TEXTS, batch_size=4)
    assert ours.dtype == np.float32 and ours.shape == expected.shape
    assert np.allclose(np.linalg.norm(ours, axis=1), 1, atol=1e-5)
    cosines = (ours * expected).sum(axis=1)
    assert cosines.min() >= 0.999, dict(zip(TEXTS, cosines.round(5)))


def test_tokens_match_sentence_transformers(encoder, reference):
    model, _ = reference
    assert encoder.prompt == model.prompts["passage"]
    for text in TEXTS:
        expected = model.preprocess([text], prompt=encoder.prompt)["input_ids"][0].tolist()
        assert encoder.tokenize([text])[0] == expected, text


def test_rows_keep_the_callers_order(encoder):
    # Lengths sorted one way and the other: the batches are formed by length, the rows are not.
    texts = sorted(TEXTS, key=len)
    together = encoder.encode(texts[::-1], batch_size=3)[::-1]
    alone = np.vstack([encoder.encode([text]) for text in texts])
    assert np.abs(together - alone).max() < 1e-4
    assert encoder.encode([]).shape == (0, encoder.dimension)


def test_one_batch_at_a_time_gives_the_same_rows(model_folder, encoder):
    assert encoder.streams == encoder.threads
    serial = onnx_encoder.OnnxEncoder(model_folder, threads=2, streams=1)
    assert np.abs(serial.encode(TEXTS, batch_size=3) - encoder.encode(TEXTS, batch_size=3)).max() < 1e-4


def test_a_folder_with_another_module_is_refused(tmp_path):
    folder = prepare_default_model()
    copy = tmp_path / "with-dense"
    copy.mkdir()
    for entry in folder.iterdir():
        if entry.name not in ("modules.json", onnx_encoder.ONNX_DIR):
            (copy / entry.name).symlink_to(entry)
    modules = json.loads((folder / "modules.json").read_text())
    modules.insert(2, {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"})
    (copy / "modules.json").write_text(json.dumps(modules))
    with pytest.raises(onnx_encoder.UnsupportedModel, match="Dense"):
        onnx_encoder.OnnxEncoder(copy)
    assert not (copy / "onnx").exists()


def test_pooling_that_leaves_out_the_prompt_is_refused(tmp_path):
    folder = prepare_default_model()
    copy = tmp_path / "no-prompt-pooling"
    shutil.copytree(folder, copy, ignore=lambda directory, names: [
        n for n in names if n.endswith(".safetensors") or n == onnx_encoder.ONNX_DIR])
    config = json.loads((copy / "1_Pooling" / "config.json").read_text())
    (copy / "1_Pooling" / "config.json").write_text(json.dumps({**config, "include_prompt": False}))
    with pytest.raises(onnx_encoder.UnsupportedModel, match="prompt"):
        onnx_encoder.read_pipeline(copy)
