"""Checksums of a build folder's files: recorded when the build writes them, verified when a store opens.

The manifest records every file's size and SHA-256. Hashing a whole index on every open would cost
seconds at a million passages (about 8 GB), so opening compares each file with a *stamp* instead: its
size, modification and change times and inode as they were when its bytes last matched the digest.
Any write to a file changes its change time, which only a change of the system clock could set back,
so a stamp that holds means the file was not written since it was verified; a file whose stamp no
longer holds is hashed again. ``qa check`` and ``qa build`` ignore the stamps and hash every file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import StoreError

STAMPS = ".verified.json"  # in the build folder; not an index file: losing it only costs a re-hash
# A file changed within this long of being stamped could keep its times (they tick coarsely): it gets no stamp.
RACY_NS = 2_000_000_000


@dataclass(frozen=True)
class FileRecord:
    """What the build wrote to one file of the index."""

    size: int
    digest: str = ""  # SHA-256 of the bytes, hex; builds before format 7 recorded the size alone

    @classmethod
    def of(cls, value) -> "FileRecord":
        """From the manifest: ``{"size", "digest"}``, or a bare size from an older build."""
        if isinstance(value, int) and not isinstance(value, bool):
            return cls(value)
        if isinstance(value, dict) and isinstance(value.get("size"), int) and isinstance(value.get("digest", ""), str):
            return cls(value["size"], value.get("digest", ""))
        raise ValueError(f"not a file record: {str(value)[:60]}")


@dataclass(frozen=True)
class Damage:
    """One file of a build that is not what the build wrote."""

    path: Path
    reason: str  # "missing", "checksum mismatch", "12 bytes where the build wrote 40", …

    def message(self) -> str:
        state = "is missing" if self.reason == "missing" else f"is damaged ({self.reason})"
        return f"index file {self.path} {state}; run `qa build` to repair it"


class DamagedIndex(StoreError):
    """Files of a build that are not what the build wrote: the message names the first and the repair."""

    def __init__(self, damaged: list[Damage]):
        self.damaged = damaged
        more = f" ({len(damaged) - 1} more damaged file(s): `qa check` lists them)" if len(damaged) > 1 else ""
        super().__init__(damaged[0].message() + more)


@dataclass(frozen=True)
class Stamp:
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    digest: str

    @classmethod
    def of(cls, status: os.stat_result, digest: str) -> "Stamp":
        return cls(status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, digest)


def file_digest(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def record_files(folder: Path, skip: tuple[str, ...]) -> dict[str, FileRecord]:
    """Size and digest of every file under ``folder`` but ``skip``, and a stamp for each (to open it fast)."""
    folder = Path(folder)
    records, stamps = {}, {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if not path.is_file() or name in skip or name == STAMPS:
            continue
        digest = file_digest(path)
        records[name] = FileRecord(path.stat().st_size, digest)
        stamps[name] = Stamp.of(path.stat(), digest)
    _write_stamps(folder, stamps)
    return records


def verify_files(folder: Path, files: dict[str, FileRecord], full: bool = False) -> list[Damage]:
    """The files of ``folder`` that differ from their records, in the manifest's order; ``full``: hash every
    file (else only those written since they were last verified, or never verified on this machine)."""
    folder = Path(folder)
    stamps = {} if full else _read_stamps(folder)
    damaged, verified = [], {}
    for name, record in files.items():
        path = folder / name
        try:
            status = path.stat()
        except OSError:
            damaged.append(Damage(path, "missing"))
            continue
        if status.st_size != record.size:
            damaged.append(Damage(path, f"{status.st_size} bytes where the build wrote {record.size}"))
            continue
        if not record.digest or stamps.get(name) == Stamp.of(status, record.digest):
            continue
        try:
            digest = file_digest(path)
        except OSError as error:
            damaged.append(Damage(path, f"unreadable: {error.strerror or error}"))
            continue
        if digest != record.digest:
            damaged.append(Damage(path, "checksum mismatch"))
        else:
            verified[name] = Stamp.of(status, digest)
    if verified:
        kept = _read_stamps(folder) if full else stamps
        kept = {name: stamp for name, stamp in kept.items() if name in files}
        _write_stamps(folder, {**kept, **verified})
    return damaged


def _read_stamps(folder: Path) -> dict[str, Stamp]:
    try:
        data = json.loads((folder / STAMPS).read_text(encoding="utf-8"))
        return {name: Stamp(*values) for name, values in data.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}  # no stamps, or damaged ones: every file is hashed


def _write_stamps(folder: Path, stamps: dict[str, Stamp]) -> None:
    """Keep the stamps of files not changed lately; best effort (a read-only index is simply hashed each time)."""
    now = time.time_ns()
    settled = {name: [stamp.size, stamp.mtime_ns, stamp.ctime_ns, stamp.inode, stamp.digest]
               for name, stamp in stamps.items() if max(stamp.mtime_ns, stamp.ctime_ns) < now - RACY_NS}
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".verified-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(settled, out)
        os.replace(temporary, folder / STAMPS)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
