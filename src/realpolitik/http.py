"""HTTP for endpoints: credentials from the environment or ~/.netrc (never from the
command line, never printed), TLS verified, transient failures retried with backoff,
and every failure said in one line.

Authentication is sent with the request, not after a refusal: a server that answers
401 before it has read a large body (Virtuoso's Graph Store does) breaks the pipe under
the client. The digest challenge is fetched once per server with a bodiless request.

Every request is bounded: its whole exchange (connecting, sending, the headers and the
body) must end within ``timeout`` seconds, however slowly the server trickles, and its
body may be at most ``REALPOLITIK_MAX_RESPONSE_BYTES``. A redirect is followed only
within the origin the request was made to, so credentials never leave it. A request that
is not idempotent (a SPARQL Update) is not sent again once it may have arrived: the
error says the answer was lost (``EndpointError.lost``) and the caller finds out what
happened.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import io
import os
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

from realpolitik import __version__
from realpolitik.errors import RealpolitikError

TRANSIENT = {429, 502, 503, 504}
REFUSED = {429, 503}  # the server says it did not do it: safe to send again, whatever it was
USER_VAR, PASSWORD_VAR = "REALPOLITIK_ENDPOINT_USER", "REALPOLITIK_ENDPOINT_PASSWORD"
MAX_REDIRECTS = 5
LONGEST_RETRY_AFTER = 30.0  # seconds; a server that asks for more is an error now, not a wait
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class EndpointError(RealpolitikError):
    """A request that failed, said in one line, credentials left out. ``lost``: the
    request may have been applied, its answer did not arrive."""

    def __init__(self, message: str, lost: bool = False):
        super().__init__(message)
        self.lost = lost


def check_url(url: str) -> str:
    if _CONTROL_OR_SPACE.search(url):
        raise EndpointError(f"{url!r}: an endpoint URL may not hold spaces or control characters")
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 (raises on a port out of range)
    except ValueError as exc:
        raise EndpointError(f"{url}: not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"{url}: not an http(s) endpoint URL")
    if parts.username or parts.password:
        raise EndpointError(
            f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}{parts.path}: put credentials in {USER_VAR} and {PASSWORD_VAR} or ~/.netrc, not in the URL"
        )
    return url


def credentials(url: str) -> tuple[str, str] | None:
    from realpolitik.settings import current

    user, password = current().endpoint_user, current().endpoint_password
    if user is not None:
        return user, password or ""
    import netrc

    try:
        entry = netrc.netrc().authenticators(urllib.parse.urlsplit(url).hostname or "")
    except (FileNotFoundError, netrc.NetrcParseError, OSError):
        entry = None
    return (entry[0], entry[2] or "") if entry else None


def max_response_bytes() -> int:
    from realpolitik import limits

    return limits.max_response_bytes()


# What each server asked for, by origin: {"scheme": "basic"} or a digest challenge.
_CHALLENGES: dict[str, dict] = {}
_COUNTS: dict[str, int] = {}
_DIGESTS = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _parse_challenge(header: str) -> dict | None:
    scheme, _, rest = header.strip().partition(" ")
    if scheme.lower() == "basic":
        return {"scheme": "basic"}
    if scheme.lower() != "digest":
        return None
    fields = dict((k.lower(), v1 or v2) for k, v1, v2 in re.findall(r'(\w+)=(?:"([^"]*)"|([^,\s]*))', rest))
    if any(_CONTROL.search(value) for value in fields.values()):
        return None  # a challenge that would put control characters in our header
    fields["scheme"] = "digest"
    return fields


def _authorization(method: str, url: str, user: str, password: str, challenge: dict) -> str:
    if challenge["scheme"] == "basic":
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    algorithm = challenge.get("algorithm", "MD5").upper()
    if algorithm not in _DIGESTS:
        raise EndpointError(f"{_origin(url)}: the server asks for digest algorithm {algorithm[:40]!r}; only MD5 and SHA-256 are supported")
    origin = _origin(url)
    _COUNTS[origin] = _COUNTS.get(origin, 0) + 1
    parts = urllib.parse.urlsplit(url)
    uri = parts.path + (f"?{parts.query}" if parts.query else "")
    realm, nonce = challenge.get("realm", ""), challenge.get("nonce", "")
    nc, cnonce = f"{_COUNTS[origin]:08x}", os.urandom(8).hex()

    def digest(text: str) -> str:
        return _DIGESTS[algorithm](text.encode("utf-8")).hexdigest()

    ha1, ha2 = digest(f"{user}:{realm}:{password}"), digest(f"{method}:{uri}")
    qop = "auth" if "auth" in challenge.get("qop", "").split(",") else None
    response = digest(f"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}") if qop else digest(f"{ha1}:{nonce}:{ha2}")
    header = f'Digest username="{user}", realm="{realm}", nonce="{nonce}", uri="{uri}", response="{response}"'
    if qop:
        header += f', qop={qop}, nc={nc}, cnonce="{cnonce}"'
    if "opaque" in challenge:
        header += f', opaque="{challenge["opaque"]}"'
    return header + f", algorithm={algorithm}"


class _Deadline:
    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise TimeoutError("the deadline passed")
        return left


class _DeadlineReader(io.RawIOBase):
    """A socket's reading side, each read given only what is left of the deadline."""

    def __init__(self, sock, deadline: _Deadline):
        self._sock, self._raw, self._deadline = sock, sock.makefile("rb", buffering=0), deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self._sock.settimeout(self._deadline.remaining())
        return self._raw.readinto(buffer)

    def close(self) -> None:
        self._raw.close()
        super().close()


class _DeadlineSocket:
    """A connected socket whose every write and read must end by the deadline."""

    def __init__(self, sock, deadline: _Deadline):
        self._sock, self._deadline = sock, deadline

    def makefile(self, mode="rb", *args, **kwargs):
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))

    def sendall(self, data) -> None:
        self._sock.settimeout(self._deadline.remaining())
        self._sock.sendall(data)

    def __getattr__(self, name):
        return getattr(self._sock, name)


def _connection(base, deadline: _Deadline):
    class Connection(base):
        def connect(self):
            self.timeout = deadline.remaining()
            super().connect()
            self.sock = _DeadlineSocket(self.sock, deadline)

    return Connection


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects come back as HTTPError and ``request`` decides which to follow."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _open(url: str, method: str, data: bytes | None, headers: dict, timeout: float) -> bytes:
    deadline = _Deadline(timeout)

    class HTTP(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(_connection(http.client.HTTPConnection, deadline), req)

    class HTTPS(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(_connection(http.client.HTTPSConnection, deadline), req, context=self._context)

    opener = urllib.request.build_opener(HTTP, HTTPS, _NoRedirect)
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    limit = max_response_bytes()
    with opener.open(req, timeout=timeout) as response:
        encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding not in ("", "identity"):
            raise EndpointError(f"the answer is {encoding[:40]}-encoded, which was not asked for")
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise EndpointError(f"the answer would be {int(declared):,} bytes, more than {limit:,} (REALPOLITIK_MAX_RESPONSE_BYTES)")
        chunks, size = [], 0
        while chunk := response.read(min(1 << 16, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise EndpointError(f"the answer is larger than {limit:,} bytes (REALPOLITIK_MAX_RESPONSE_BYTES)")
        if declared.isdigit() and size < int(declared):  # http.client gives a short read without saying so
            raise http.client.IncompleteRead(b"".join(chunks), int(declared) - size)
        return b"".join(chunks)


def _challenge(url: str, timeout: float) -> dict | None:
    """Ask the server how it wants to be authenticated, with a request that has no body."""
    try:
        _open(url, "GET", None, {"User-Agent": f"realpolitik/{__version__}"}, timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 401:
            return _parse_challenge(exc.headers.get("WWW-Authenticate", ""))
    except (urllib.error.URLError, OSError, EndpointError, http.client.HTTPException, ValueError):
        return None  # the real request will say what is wrong
    return None


_REASONS = {
    401: "not authorized: set " + USER_VAR + " and " + PASSWORD_VAR + ", or ~/.netrc",
    403: "forbidden: the account may not do this",
    404: "no such endpoint",
}


def _retry_after(exc: urllib.error.HTTPError) -> float | None:
    value = (exc.headers.get("Retry-After") or "").strip()
    return float(value) if value.isdigit() else None


def _redirect(url: str, method: str, exc: urllib.error.HTTPError) -> str:
    """Where a redirect may be followed to: the same origin, the same request."""
    location = (exc.headers.get("Location") or "").strip()
    target = urllib.parse.urljoin(url, location)
    shown = urllib.parse.urlsplit(target)._replace(query="", fragment="").geturl()[:200]
    if not location:
        raise EndpointError(f"HTTP {exc.code} redirect without a Location")
    if _origin(target) != _origin(url):
        raise EndpointError(f"HTTP {exc.code} redirect to {shown}: not followed, requests and credentials go only to {_origin(url)}")
    if exc.code not in (307, 308) and method not in ("GET", "HEAD"):
        raise EndpointError(f"HTTP {exc.code} redirect to {shown}: not followed, it would turn the {method} into a GET")
    return target


def _connection_message(exc: BaseException, timeout: float) -> tuple[str, bool]:
    """The one-line reason for a failed exchange, and whether it was a refusal to connect
    (nothing sent)."""
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, (TimeoutError, socket.timeout)) or isinstance(exc, TimeoutError):
        return f"no answer within {timeout:g} s", False
    if isinstance(reason, ConnectionRefusedError):
        return str(reason).strip() or "Connection refused", True
    if isinstance(exc, http.client.IncompleteRead):
        return f"the connection closed mid-answer ({len(exc.partial):,} bytes arrived, {exc.expected or 'more'} missing)", False
    if isinstance(exc, http.client.RemoteDisconnected) or isinstance(reason, http.client.RemoteDisconnected):
        return "the server closed the connection without an answer", False
    if isinstance(exc, http.client.LineTooLong):
        return f"the answer has a line too long ({exc})", False
    if isinstance(exc, http.client.HTTPException):
        return f"a malformed answer ({(str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]})", False
    return (str(reason).strip().splitlines() or [type(reason).__name__])[0][:200], False


def request(url: str, method: str = "GET", data: bytes | None = None, headers: dict | None = None,
            timeout: float = 60.0, retries: int = 3, backoff: float = 0.5, idempotent: bool = True) -> bytes:
    """The response body; raise EndpointError in one line on failure. ``timeout`` bounds
    each attempt as a whole; a timeout is not retried. A request that is not
    ``idempotent`` is sent again only after a refusal that says it was not applied."""
    check_url(url)
    if not (isinstance(timeout, (int, float)) and 0 < timeout < float("inf")):
        raise EndpointError(f"{timeout!r}: a timeout is a finite number of seconds above 0")
    base_headers = {"User-Agent": f"realpolitik/{__version__}", **(headers or {})}
    login = credentials(url)
    first_origin = _origin(url)
    renewed = False
    attempt = redirects = 0
    while True:
        shown = urllib.parse.urlsplit(url)._replace(query="").geturl()
        origin = _origin(url)
        last = attempt >= retries - 1
        sent = dict(base_headers)
        try:
            if login is not None and origin == first_origin:
                if origin not in _CHALLENGES:
                    challenge = _challenge(url, timeout)
                    if challenge:
                        _CHALLENGES[origin] = challenge
                if origin in _CHALLENGES:
                    sent["Authorization"] = _authorization(method, url, *login, _CHALLENGES[origin])
            return _open(url, method, data, sent, timeout)
        except EndpointError as exc:
            raise EndpointError(f"{shown}: {exc}") from None
        except urllib.error.HTTPError as exc:
            if exc.code in (301, 302, 303, 307, 308):
                exc.close()
                try:
                    target = _redirect(url, method, exc)
                except EndpointError as refused:
                    raise EndpointError(f"{shown}: {refused}") from None
                redirects += 1
                if redirects > MAX_REDIRECTS:
                    raise EndpointError(f"{shown}: more than {MAX_REDIRECTS} redirects") from None
                if exc.code == 303 or method not in ("GET", "HEAD") and exc.code not in (307, 308):
                    method, data = "GET", None
                url = target
                continue
            if exc.code == 401 and login is not None and not renewed:
                challenge = _parse_challenge(exc.headers.get("WWW-Authenticate", ""))
                if challenge:  # a first or a stale challenge: answer it once
                    _CHALLENGES[origin] = challenge
                    renewed = True
                    exc.close()
                    continue
            wait = _retry_after(exc)
            if exc.code in TRANSIENT and not last and (idempotent or exc.code in REFUSED):
                if wait is not None and wait > LONGEST_RETRY_AFTER:
                    exc.close()
                    raise EndpointError(f"{shown}: HTTP {exc.code}, and the server asks to wait {wait:g} s before trying again") from None
                time.sleep(max(backoff * 2**attempt, wait or 0))
                attempt += 1
                exc.close()
                continue
            try:
                detail = exc.read(300).decode("utf-8", "replace").strip().splitlines()
            except (OSError, http.client.HTTPException):
                detail = []
            exc.close()
            reason = _REASONS.get(exc.code, "server error" if exc.code >= 500 else exc.reason)
            raise EndpointError(
                f"{shown}: HTTP {exc.code} {reason}" + (f" ({_CONTROL.sub('?', detail[0])[:200]})" if detail and exc.code not in (401, 403) else ""),
                lost=not idempotent and exc.code in (502, 504),
            ) from None
        except (OSError, http.client.HTTPException, ValueError) as exc:
            if isinstance(exc, ValueError):  # a header or host http.client will not send
                raise EndpointError(f"{shown}: cannot make the request ({_CONTROL.sub('?', str(exc))[:200]})") from None
            message, refused = _connection_message(exc, timeout)
            timed_out = message.startswith("no answer within")
            if not last and not refused and not timed_out and idempotent:
                time.sleep(backoff * 2**attempt)
                attempt += 1
                continue
            raise EndpointError(f"{shown}: {message}", lost=not idempotent and not refused) from None
