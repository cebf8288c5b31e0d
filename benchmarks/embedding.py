"""Passage embedding speed and faithfulness of the default model on this CPU. Prints a table.

    python benchmarks/embedding.py [--passages 600] [--repeat 3] [--json]

The passages are real report text: pieces of 150–300 characters cut at 。 from
/work/shared/corpus/national/*.txt (when present) and seeds/*.txt, each with a
title line in front as the index embeds them. Every path encodes the same
passages; ratios compare passages/s with plain sentence-transformers fp32 as
the index calls it today (consecutive batches of 16), measured in the same run.
The runs of all paths are interleaved, so a busy neighbour slows them alike.
Faithfulness is measured against that reference: cosine per passage, and the
overlap of the top-10 neighbours of 100 passages (query vectors from the
reference, the passage itself left out) among all passages.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPUS = Path(os.environ.get("QA_BENCH_CORPUS", "/work/shared/corpus/national"))
INDEX_BATCH = 16  # qa.index.EMBED_BATCH: the index embeds consecutive batches of 16
QUERIES = 100
TOP = 10


def pieces(text: str, low: int = 150, high: int = 300) -> list[str]:
    """Whole sentences (cut after 。) gathered into pieces of low–high characters."""
    body = re.sub(r"\s+", "", "\n".join(text.splitlines()[1:]))
    sentences = [s for s in re.split(r"(?<=。)", body) if s]
    out, current = [], ""
    for sentence in sentences:
        current += sentence
        while len(current) > high:
            out.append(current[:high])
            current = current[high:]
        if len(current) >= low:
            out.append(current)
            current = ""
    return out


def load_passages(count: int) -> list[str]:
    files = sorted(CORPUS.glob("*.txt")) + sorted((ROOT / "seeds").glob("*.txt"))
    everything = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        title = next((line.strip() for line in text.splitlines() if line.strip()), path.stem)[:40]
        everything += [f"{title}\n{piece}" for piece in pieces(text)]
    if len(everything) < count:
        raise SystemExit(f"only {len(everything)} passages in {CORPUS} and seeds/")
    step = len(everything) / count  # spread over all files
    return [everything[int(i * step)] for i in range(count)]


def in_index_batches(encode: Callable[[list[str]], np.ndarray]) -> Callable[[list[str]], np.ndarray]:
    """Encode as qa.index does: one call per consecutive batch of 16, so nothing is sorted across batches."""
    return lambda texts: np.vstack([encode(texts[i : i + INDEX_BATCH]) for i in range(0, len(texts), INDEX_BATCH)])


def neighbours(vectors: np.ndarray, queries: np.ndarray, query_rows: np.ndarray) -> np.ndarray:
    scores = queries @ vectors.T
    scores[np.arange(len(query_rows)), query_rows] = -np.inf  # leave the passage itself out
    return np.argsort(-scores, axis=1, kind="stable")[:, :TOP]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each path (median)")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()

    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # as `qa build` runs torch (qa/threads.py)
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    from qa import onnx_encoder
    from qa.embedding import prepare_default_model

    transformers_logging.set_verbosity_error()
    transformers_logging.disable_progress_bar()
    cores = os.cpu_count() or 1
    torch.set_num_threads(cores)
    folder = prepare_default_model()
    texts = load_passages(options.passages)

    # The export is timed in a scratch folder that links to the model's files, leaving the cache alone.
    scratch = tempfile.TemporaryDirectory(prefix="qa-bench-model-")
    shadow = Path(scratch.name)
    for entry in folder.iterdir():
        if entry.name != onnx_encoder.ONNX_DIR:  # export afresh, timed
            (shadow / entry.name).symlink_to(entry)
    started = time.perf_counter()
    onnx_encoder.export_onnx(shadow)
    export_note = f"ONNX export took {time.perf_counter() - started:.1f} s"

    st = SentenceTransformer(str(folder), device="cpu")
    prompt = next(n for n in onnx_encoder.PASSAGE_PROMPT_NAMES if st.prompts.get(n))

    def st_encode(batch_size: int):
        return lambda batch: st.encode(batch, batch_size=batch_size, prompt_name=prompt,
                                       normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)

    paths: list[tuple[str, Callable[[], Callable[[list[str]], np.ndarray]]]] = [
        ("sentence-transformers fp32, batches of 16 (current)", lambda: in_index_batches(st_encode(INDEX_BATCH))),
        ("sentence-transformers fp32, length-sorted batches of 32", lambda: st_encode(32)),
    ]

    def onnx(threads: int, backend: str = "onnxruntime", streams: int = 1, sort: bool = True):
        def make():
            encoder = onnx_encoder.OnnxEncoder(shadow, threads=threads, backend=backend, streams=streams)
            if not sort:
                return in_index_batches(lambda batch: encoder.encode(batch, batch_size=INDEX_BATCH))
            return lambda batch: encoder.encode(batch, batch_size=32)
        return make

    for backend, name in (("onnxruntime", "ONNX Runtime"), ("openvino", "OpenVINO")):
        if not onnx_encoder.available(backend):
            continue
        if backend == "onnxruntime":
            paths += [(f"{name} fp32, {n} thread{'s' * (n > 1)}, batches of 16", onnx(n, backend, sort=False))
                      for n in sorted({1, cores})]
        paths += [(f"{name} fp32, {n} thread{'s' * (n > 1)}, length-sorted batches of 32", onnx(n, backend))
                  for n in sorted({1, cores})]
        if cores > 1:
            paths.append((f"{name} fp32, {cores} batches at once × 1 thread, length-sorted 32",
                          onnx(cores, backend, streams=cores)))

    encoders, startup = [], []
    for _, make in paths:
        started = time.perf_counter()
        encode = make()
        encode(texts[:4])  # warm up: first-call allocations and graph compilation
        startup.append(time.perf_counter() - started)
        encoders.append(encode)

    seconds: list[list[float]] = [[] for _ in paths]
    vectors: list[np.ndarray | None] = [None] * len(paths)
    for _ in range(options.repeat):
        for i, encode in enumerate(encoders):
            started = time.perf_counter()
            result = encode(texts)
            seconds[i].append(time.perf_counter() - started)
            vectors[i] = np.asarray(result, dtype=np.float32)

    reference = vectors[0]
    query_rows = np.linspace(0, len(texts) - 1, min(QUERIES, len(texts))).astype(int)
    queries = reference[query_rows]
    expected = neighbours(reference, queries, query_rows)
    base_rate = len(texts) / statistics.median(seconds[0])
    rows = []
    for (label, _), times, found, ready in zip(paths, seconds, vectors, startup):
        cosines = (found * reference).sum(axis=1) / np.linalg.norm(found, axis=1) / np.linalg.norm(reference, axis=1)
        got = neighbours(found, queries, query_rows)
        overlap = np.mean([len(set(a) & set(b)) / TOP for a, b in zip(expected, got)])
        rate = len(texts) / statistics.median(times)
        rows.append({
            "path": label, "passages_per_s": round(rate, 1), "ratio": round(rate / base_rate, 2),
            "min_cosine": round(float(cosines.min()), 5), "mean_cosine": round(float(cosines.mean()), 6),
            "top10_overlap": round(float(overlap), 4), "startup_s": round(ready, 1),
        })

    tokenizer = onnx_encoder.load_tokenizer(onnx_encoder.read_pipeline(folder))
    lengths = [len(e.ids) for e in tokenizer.encode_batch([st.prompts[prompt] + t for t in texts])]
    note = (f"{len(texts)} passages ({statistics.mean(lengths):.0f} tokens on average, {min(lengths)}–{max(lengths)}), "
            f"{cores} cores, medians of {options.repeat} runs, {export_note}; {time.strftime('%Y-%m-%d')}")
    if options.json:
        print(json.dumps({"note": note, "rows": rows}, ensure_ascii=False, indent=2))
    else:
        print_table(rows, note)
    scratch.cleanup()


def print_table(rows: list[dict], note: str) -> None:
    width = max(len(row["path"]) for row in rows)
    print(f"{'path':<{width}}  {'passages/s':>10}  {'ratio':>6}  {'min cos':>8}  {'mean cos':>9}  "
          f"{'top-10':>7}  {'startup':>7}")
    for row in rows:
        print(f"{row['path']:<{width}}  {row['passages_per_s']:>10.1f}  {row['ratio']:>5.2f}×  "
              f"{row['min_cosine']:>8.5f}  {row['mean_cosine']:>9.6f}  {row['top10_overlap']:>7.3f}  "
              f"{row['startup_s']:>6.1f}s")
    print(f"\n{note}")


if __name__ == "__main__":
    main()
