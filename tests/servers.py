"""Real servers for the tests, on 127.0.0.1, started and stopped by the tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"{url} did not come up")
            time.sleep(0.05)


class Oxigraph:
    """``oxigraph serve`` on a folder of its own; can be killed and started again."""

    def __init__(self, location: Path):
        found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
        if not Path(found).exists():
            pytest.fail("the oxigraph server is not installed: pip install oxigraph (in the test extras)")
        self.binary, self.location, self.port = found, location, free_port()
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def load(self, *paths) -> None:
        subprocess.run([self.binary, "load", "--location", str(self.location), "--file", *map(str, paths)],
                       check=True, capture_output=True, env={**os.environ, "RUST_BACKTRACE": "0"})

    def start(self) -> "Oxigraph":
        self.process = subprocess.Popen(
            [self.binary, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "RUST_BACKTRACE": "0"},
        )
        wait_until(self.base + "/", self.process)
        return self

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
