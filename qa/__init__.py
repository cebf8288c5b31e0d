"""Question answering retrieval over Chinese government reports."""

import os

# OpenMP threads that spin while they wait steal the core another process needs; this must be
# set before any numeric library starts its thread pool (see qa.threads).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
