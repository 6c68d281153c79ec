import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
SEEDS = sorted(DATA.glob("*.txt"))


def seed(prefix):
    """The path of the demo article whose name starts with ``prefix``."""
    (path,) = [p for p in SEEDS if p.name.startswith(prefix)]
    return path


@pytest.fixture(scope="session")
def demo_index(tmp_path_factory):
    """A real index of the five demo articles, built once for the session."""
    from index.writer import build

    index_dir = tmp_path_factory.mktemp("demo") / "index"
    build([DATA], index_dir)
    return index_dir


def run_cli(*args, index_dir=None, env=None, timeout=120):
    """Run ``python -m index`` as a user would; returns the CompletedProcess."""
    command = [sys.executable, "-m", "index", *map(str, args)]
    if index_dir is not None:
        command += ["--index-dir", str(index_dir)]
    environment = {**os.environ, **(env or {})}
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=timeout, env=environment)


def start_writer(command, paths, index_dir, *options):
    """``python -m index COMMAND PATHS... OPTIONS...`` running in the background."""
    return subprocess.Popen(
        [sys.executable, "-m", "index", command, *map(str, paths), "--index-dir", str(index_dir), *map(str, options)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def wait_for(condition, timeout=120):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)
