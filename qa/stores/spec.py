"""Which store an index lives in, as named on the command line or in ``QA_STORE``.

    local                  the build folder under ``--index`` (the default)
    milvus:PATH.db         Milvus Lite: a local database folder, no server needed
    milvus://HOST:PORT     a Milvus server or cluster (``--milvus-token``, ``--milvus-tls``, ``--milvus-ca``)

Parsing needs no Milvus client: only opening a Milvus store imports ``pymilvus``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from . import StoreError

LOCAL = "local"
MILVUS = "milvus"
_HOST_PORT = re.compile(r"^(?P<host>\[[0-9a-fA-F:]+\]|[A-Za-z0-9.\-]+):(?P<port>\d{1,5})$")


@dataclass(frozen=True)
class StoreSpec:
    kind: str  # LOCAL or MILVUS
    uri: str = ""  # what the Milvus client connects to: a Lite database path or http(s)://host:port
    name: str = LOCAL  # as the user wrote it (never the token): shown in messages, recorded in the manifest
    token: str = ""  # user:password or an API key for a server
    tls: bool = False
    ca_file: str = ""  # the server's CA certificate for TLS, when the system's CAs do not cover it

    @property
    def is_local(self) -> bool:
        return self.kind == LOCAL

    @property
    def is_lite(self) -> bool:
        return self.kind == MILVUS and not self.uri.startswith(("http://", "https://"))


def parse_store(text: str | None, token: str = "", tls: bool = False, ca_file: str = "") -> StoreSpec:
    """The store named by ``text``; a name that is none of the three forms is refused in one line."""
    text = (text or LOCAL).strip()
    if text == LOCAL:
        return StoreSpec(LOCAL)
    if text.startswith("milvus://"):
        address = text[len("milvus://"):].rstrip("/")
        match = _HOST_PORT.match(address)
        if not match or not 0 < int(match.group("port")) < 65536:
            raise StoreError(f"store {text!r}: expected milvus://HOST:PORT, e.g. milvus://127.0.0.1:19530")
        scheme = "https" if tls or ca_file else "http"
        if ca_file and not Path(ca_file).is_file():
            raise StoreError(f"the Milvus CA certificate {ca_file} does not exist")
        return StoreSpec(MILVUS, f"{scheme}://{address}", text, token, tls or bool(ca_file), ca_file)
    if text.startswith("milvus:"):
        path = text[len("milvus:"):]
        if not path.endswith(".db") or path == ".db":
            raise StoreError(f"store {text!r}: a Milvus Lite database is named milvus:PATH.db")
        return StoreSpec(MILVUS, os.path.abspath(os.path.expanduser(path)), text)
    raise StoreError(f"unknown store {text!r}: use local, milvus:PATH.db (Milvus Lite) or milvus://HOST:PORT")


def store_from_environment() -> StoreSpec:
    """The store ``QA_STORE`` names, with ``QA_MILVUS_TOKEN``, ``QA_MILVUS_TLS`` and ``QA_MILVUS_CA``."""
    return parse_store(os.environ.get("QA_STORE"), token=os.environ.get("QA_MILVUS_TOKEN", ""),
                       tls=os.environ.get("QA_MILVUS_TLS", "") not in ("", "0", "false", "no"),
                       ca_file=os.environ.get("QA_MILVUS_CA", ""))
