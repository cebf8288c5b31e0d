"""Integrity: what verifying an index's files against their checksums costs. Prints a table.

    python benchmarks/integrity.py [--passages 100000] [--work DIR] [--keep] [--repeat 5] [--json]

Builds a synthetic corpus of --passages passages (benchmarks/scale.py's generator, random unit
vectors in place of embeddings), then measures, on a warm page cache:
  open, no verification       the store's own opening (LocalStore without checking a file)
  open, stamps hold           what `qa search` pays: a stat of every file against its stamp
  open, no stamps             the first open of a copied index: every file hashed (SHA-256)
  qa check                    every file hashed, ignoring stamps (`qa build` does the same first)
  qa build, up to date        the whole no-op build, its full verification included
and, when the page cache can be dropped (root), `qa check` on a cold cache. Hash throughput and the
seconds it gives for the million-passage index of README's scale table (8,225 MiB) close the table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

MILLION_INDEX_MIB = 8225  # the 1,000,000-passage build of README's scale table


def timed(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def drop_caches() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--work", type=Path, help="folder for the corpus and the index (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the corpus and the index")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()

    from scale import RandomEmbedder, generate

    from qa.index import build_index, check_index, current_build, open_store, read_manifest
    from qa.stores.integrity import STAMPS, verify_files
    from qa.stores.local import LocalStore

    work = options.work or Path(tempfile.mkdtemp(prefix="qa-integrity-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus, index = work / f"corpus-{options.passages}", work / f"index-{options.passages}"
    try:
        generate(corpus, options.passages, seed=0)
        embedder = RandomEmbedder(fingerprint="random")
        if read_manifest(index) is None:  # an index kept under --work is measured again as it is
            started = time.perf_counter()
            build_index(corpus, index, embedder)
            print(f"built {index} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        build = current_build(index)
        manifest = read_manifest(index)
        size = sum(record.size for record in manifest.files.values())
        open_store(index)  # hashes what was written lately and stamps it
        time.sleep(2.1)
        open_store(index)

        def without_stamps():
            (build / STAMPS).unlink(missing_ok=True)
            verify_files(build, manifest.files)

        rows = {
            "open, no verification": timed(lambda: LocalStore(build, manifest, verify=False), options.repeat),
            "open, stamps hold": timed(lambda: open_store(index), options.repeat),
            "verify, stamps hold (stat only)": timed(lambda: verify_files(build, manifest.files), options.repeat),
            "verify, no stamps (every file hashed)": timed(without_stamps, options.repeat),
            "qa check (every file hashed)": timed(lambda: check_index(index), options.repeat),
            "qa build, up to date": timed(lambda: build_index(corpus, index, embedder), 1),
        }
        if drop_caches():
            rows["qa check, cold page cache"] = timed(lambda: (drop_caches(), check_index(index)), 1)
        throughput = size / rows["qa check (every file hashed)"] / 2**20
        result = {"passages": manifest.passages, "files": len(manifest.files), "index_mib": round(size / 2**20),
                  "seconds": {name: round(value, 4) for name, value in rows.items()},
                  "hash_mib_per_s": round(throughput), "million_full_hash_s": round(MILLION_INDEX_MIB / throughput, 1)}
        if options.json:
            print(json.dumps(result, indent=2))
            return
        print(f"{manifest.passages:,} passages, {len(manifest.files)} files, {size / 2**20:,.0f} MiB "
              f"(medians of {options.repeat}, warm page cache unless said)")
        print(f"{'measure':<42}{'seconds':>10}")
        for name, value in rows.items():
            print(f"{name:<42}{value:>10.4f}")
        print(f"SHA-256 over the index: {throughput:,.0f} MiB/s; at a million passages ({MILLION_INDEX_MIB:,} MiB) "
              f"a full verification takes about {result['million_full_hash_s']:.0f} s")
    finally:
        if not options.keep and options.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
