"""Real servers for the tests, on 127.0.0.1, started and stopped by the tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
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
    """``oxigraph serve`` on a folder of its own, with ``options`` (``--union-default-graph``);
    can be killed and started again."""

    def __init__(self, location: Path, *options: str):
        found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
        if not Path(found).exists():
            pytest.fail("the oxigraph server is not installed: pip install oxigraph (in the test extras)")
        self.binary, self.location, self.port = found, location, free_port()
        self.options = options
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def load(self, *paths) -> None:
        subprocess.run([self.binary, "load", "--location", str(self.location), "--file", *map(str, paths)],
                       check=True, capture_output=True, env={**os.environ, "RUST_BACKTRACE": "0"})

    def start(self) -> "Oxigraph":
        self.process = subprocess.Popen(
            [self.binary, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}", *self.options],
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


class Raw:
    """A small HTTP server on 127.0.0.1, in threads, that answers whatever ``respond``
    says, byte for byte: ``respond(method, path, headers, body)`` gives bytes, or an
    iterable of bytes and numbers (seconds to wait before the next piece). It records
    each request as (method, path, headers). Use it as a context manager."""

    def __init__(self, respond):
        import socketserver

        self.respond, self.seen = respond, []
        owner = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                import email.parser

                try:
                    line = self.rfile.readline(65537).decode("latin-1")
                    head = b""
                    while (chunk := self.rfile.readline(65537)) not in (b"\r\n", b"\n", b""):
                        head += chunk
                    headers = email.parser.BytesHeaderParser().parsebytes(head)
                    body = self.rfile.read(int(headers.get("Content-Length") or 0))
                    method, path = (line.split() + ["", ""])[:2]
                    owner.seen.append((method, path, dict(headers.items())))
                    answer = owner.respond(method, path, headers, body)
                    for piece in [answer] if isinstance(answer, bytes) else answer:
                        if isinstance(piece, (int, float)):
                            time.sleep(piece)
                        else:
                            self.wfile.write(piece)
                            self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> "Raw":
        import threading

        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def http_answer(status: int = 200, body: bytes = b"", content_type: str = "application/sparql-results+json",
                headers: dict | None = None) -> bytes:
    """A whole HTTP/1.1 answer as bytes, with a right Content-Length unless headers set one."""
    fields = {"Content-Type": content_type, "Content-Length": str(len(body)), "Connection": "close", **(headers or {})}
    return (f"HTTP/1.1 {status} X\r\n" + "".join(f"{k}: {v}\r\n" for k, v in fields.items()) + "\r\n").encode("latin-1") + body


class Proxy:
    """A proxy on 127.0.0.1 in front of a real server, that can be told to misbehave:
    ``hook(method, path, body)`` returns None to forward the request, or one of
    ("delay before", s), ("delay after", s) (forward it, then wait s before answering),
    ("close",) (close the connection unanswered), ("answer", raw bytes),
    ("rewrite", function of the upstream body). Threads are joined on exit, so a delayed
    request is done by the time the test looks."""

    def __init__(self, upstream: str, hook):
        import http.server

        self.upstream, self.hook, self.requests = upstream, hook, []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def _any(self):
                try:
                    self._answer()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting

            def _answer(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                owner.requests.append((self.command, self.path, body))
                action = owner.hook(self.command, self.path, body) or ("forward",)
                if action[0] == "close":
                    self.close_connection = True
                    return
                if action[0] == "answer":
                    self.wfile.write(action[1])
                    return
                if action[0] == "delay before":
                    time.sleep(action[1])
                status, headers, answer = owner.forward(self.command, self.path, dict(self.headers.items()), body)
                if action[0] == "rewrite":
                    answer = action[1](answer)
                if action[0] == "delay after":
                    time.sleep(action[1])
                self.send_response(status)
                for key in ("Content-Type", "WWW-Authenticate"):
                    if headers.get(key):
                        self.send_header(key, headers[key])
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_GET = do_POST = do_PUT = do_DELETE = _any  # noqa: N815 (http.server's naming)

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = False
            block_on_close = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def forward(self, method: str, path: str, headers: dict, body: bytes):
        import http.client

        parts = urllib.parse.urlsplit(self.upstream)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        keep = {k: v for k, v in headers.items() if k.lower() in ("content-type", "accept", "authorization")}
        connection.request(method, path, body=body or None, headers=keep)
        response = connection.getresponse()
        answer = response.read()
        connection.close()
        return response.status, dict(response.headers.items()), answer

    def __enter__(self) -> "Proxy":
        import threading

        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


class Serve:
    """``python -m realpolitik serve --port 0`` with ``env``, its address read from the
    first line it prints."""

    def __init__(self, **env):
        started = time.monotonic()
        self.process = subprocess.Popen([sys.executable, "-m", "realpolitik", "serve", "--port", "0"],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        env={**os.environ, **env})
        self.base = self.process.stdout.readline().strip()
        if not self.base.startswith("http://127.0.0.1:"):
            self.stop()
            pytest.fail(f"serve printed {self.base!r}: {self.process.stderr.read()}")
        self.started_in = time.monotonic() - started

    def get(self, path: str, headers: dict | None = None, data: bytes | None = None, method: str | None = None):
        """(status, content type, body) of a request; an error status is an answer too."""
        request = urllib.request.Request(self.base + path.lstrip("/"), data=data, headers=headers or {}, method=method)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.headers.get("Content-Type"), response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            with error:
                self.last_headers = error.headers
                return error.code, error.headers.get("Content-Type"), error.read().decode("utf-8")

    def sparql(self, query: str, headers: dict | None = None, **extra):
        return self.get("/sparql?" + urllib.parse.urlencode({"query": query, **extra}), headers=headers)

    def children(self) -> set[int]:
        found = set()
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            try:
                found |= {int(pid) for pid in (task / "children").read_text().split()}
            except OSError:
                pass
        return found

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()
        self.process.stderr.close()
