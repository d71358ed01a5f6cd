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


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {dir}
DefaultIsolation = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections = 5
ServerThreads = 5

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


class Virtuoso:
    """Debian's Virtuoso 7, its database in a folder of its own, bound to 127.0.0.1.
    Its Graph Store and update endpoints want HTTP digest authentication (dba/dba)."""

    def __init__(self, folder: Path):
        self.binary = shutil.which("virtuoso-t")
        if self.binary is None:
            pytest.fail("Virtuoso is not installed: apt-get install virtuoso-opensource (.ci/run does)")
        self.folder, self.sql_port, self.http_port = folder, free_port(), free_port()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "virtuoso.ini").write_text(
            VIRTUOSO_INI.format(dir=folder, sql_port=self.sql_port, http_port=self.http_port), encoding="utf-8"
        )
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def start(self) -> "Virtuoso":
        self.process = subprocess.Popen(
            [self.binary, "+foreground", "+configfile", str(self.folder / "virtuoso.ini")],
            cwd=self.folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_until(self.base + "/sparql?query=ASK%7B%7D", self.process, seconds=60)
        return self

    def checkpoint(self) -> None:
        """Make what was loaded durable: Virtuoso applies Graph Store and SPARQL Update
        requests without its transaction log, so a kill loses what no checkpoint saved."""
        isql = shutil.which("isql-vt") or shutil.which("isql")
        out = subprocess.run([isql, f"127.0.0.1:{self.sql_port}", "dba", "dba", "exec=checkpoint;"],
                             capture_output=True, text=True, timeout=60)
        if "*** Error" in out.stdout + out.stderr:
            pytest.fail(f"checkpoint failed: {out.stdout + out.stderr}")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
