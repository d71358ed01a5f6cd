"""HTTP for endpoints: credentials from the environment or ~/.netrc (never from the
command line, never printed), TLS verified, transient failures retried with backoff,
and every failure said in one line.

Authentication is sent with the request, not after a refusal: a server that answers
401 before it has read a large body (Virtuoso's Graph Store does) breaks the pipe under
the client. The digest challenge is fetched once per server with a bodiless request.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request

from realpolitik import __version__

TRANSIENT = {429, 502, 503, 504}
USER_VAR, PASSWORD_VAR = "REALPOLITIK_ENDPOINT_USER", "REALPOLITIK_ENDPOINT_PASSWORD"


class EndpointError(Exception):
    """A request that failed, said in one line, credentials left out."""


def check_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"{url}: not an http(s) endpoint URL")
    if parts.username or parts.password:
        raise EndpointError(
            f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}{parts.path}: put credentials in {USER_VAR} and {PASSWORD_VAR} or ~/.netrc, not in the URL"
        )
    return url


def credentials(url: str) -> tuple[str, str] | None:
    user, password = os.environ.get(USER_VAR), os.environ.get(PASSWORD_VAR)
    if user is not None:
        return user, password or ""
    import netrc

    try:
        entry = netrc.netrc().authenticators(urllib.parse.urlsplit(url).hostname or "")
    except (FileNotFoundError, netrc.NetrcParseError, OSError):
        entry = None
    return (entry[0], entry[2] or "") if entry else None


# What each server asked for, by origin: {"scheme": "basic"} or a digest challenge.
_CHALLENGES: dict[str, dict] = {}
_COUNTS: dict[str, int] = {}


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _parse_challenge(header: str) -> dict | None:
    scheme, _, rest = header.strip().partition(" ")
    if scheme.lower() == "basic":
        return {"scheme": "basic"}
    if scheme.lower() != "digest":
        return None
    fields = dict((k.lower(), v1 or v2) for k, v1, v2 in re.findall(r'(\w+)=(?:"([^"]*)"|([^,\s]*))', rest))
    fields["scheme"] = "digest"
    return fields


def _authorization(method: str, url: str, user: str, password: str, challenge: dict) -> str:
    if challenge["scheme"] == "basic":
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    origin = _origin(url)
    _COUNTS[origin] = _COUNTS.get(origin, 0) + 1
    parts = urllib.parse.urlsplit(url)
    uri = parts.path + (f"?{parts.query}" if parts.query else "")
    realm, nonce = challenge.get("realm", ""), challenge.get("nonce", "")
    nc, cnonce = f"{_COUNTS[origin]:08x}", os.urandom(8).hex()

    def md5(text: str) -> str:
        return hashlib.md5(text.encode("utf-8")).hexdigest()  # noqa: S324 (HTTP digest is MD5)

    ha1, ha2 = md5(f"{user}:{realm}:{password}"), md5(f"{method}:{uri}")
    qop = "auth" if "auth" in challenge.get("qop", "").split(",") else None
    response = md5(f"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}") if qop else md5(f"{ha1}:{nonce}:{ha2}")
    header = f'Digest username="{user}", realm="{realm}", nonce="{nonce}", uri="{uri}", response="{response}"'
    if qop:
        header += f', qop={qop}, nc={nc}, cnonce="{cnonce}"'
    if "opaque" in challenge:
        header += f', opaque="{challenge["opaque"]}"'
    return header + ", algorithm=MD5"


def _open(url: str, method: str, data: bytes | None, headers: dict, timeout: float):
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    with urllib.request.urlopen(req, timeout=timeout) as response:
        return response.read()


def _challenge(url: str, timeout: float) -> dict | None:
    """Ask the server how it wants to be authenticated, with a request that has no body."""
    try:
        _open(url, "GET", None, {"User-Agent": f"realpolitik/{__version__}"}, timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 401:
            return _parse_challenge(exc.headers.get("WWW-Authenticate", ""))
    except (urllib.error.URLError, TimeoutError, ConnectionError):
        return None  # the real request will say what is wrong
    return None


_REASONS = {
    401: "not authorized: set " + USER_VAR + " and " + PASSWORD_VAR + ", or ~/.netrc",
    403: "forbidden: the account may not do this",
    404: "no such endpoint",
}


def request(url: str, method: str = "GET", data: bytes | None = None, headers: dict | None = None,
            timeout: float = 60.0, retries: int = 3, backoff: float = 0.5) -> bytes:
    """The response body; raise EndpointError in one line on failure."""
    check_url(url)
    shown = urllib.parse.urlsplit(url)._replace(query="").geturl()
    base_headers = {"User-Agent": f"realpolitik/{__version__}", **(headers or {})}
    login = credentials(url)
    origin = _origin(url)
    renewed = False
    attempt = 0
    while True:
        last = attempt >= retries - 1
        sent = dict(base_headers)
        if login is not None:
            if origin not in _CHALLENGES:
                challenge = _challenge(url, timeout)
                if challenge:
                    _CHALLENGES[origin] = challenge
            if origin in _CHALLENGES:
                sent["Authorization"] = _authorization(method, url, *login, _CHALLENGES[origin])
        try:
            return _open(url, method, data, sent, timeout)
        except urllib.error.HTTPError as exc:
            if exc.code == 401 and login is not None and not renewed:
                challenge = _parse_challenge(exc.headers.get("WWW-Authenticate", ""))
                if challenge:  # a first or a stale challenge: answer it once
                    _CHALLENGES[origin] = challenge
                    renewed = True
                    continue
            if exc.code in TRANSIENT and not last:
                time.sleep(backoff * 2**attempt)
                attempt += 1
                continue
            detail = exc.read(300).decode("utf-8", "replace").strip().splitlines()
            reason = _REASONS.get(exc.code, "server error" if exc.code >= 500 else exc.reason)
            raise EndpointError(
                f"{shown}: HTTP {exc.code} {reason}" + (f" ({detail[0][:200]})" if detail and exc.code not in (401, 403) else "")
            ) from None
        except (TimeoutError, urllib.error.URLError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError) or isinstance(exc, TimeoutError):
                message = f"no answer within {timeout:g} s"
            else:
                message = str(reason).strip() or type(reason).__name__
            if not last and not isinstance(reason, ConnectionRefusedError):
                time.sleep(backoff * 2**attempt)
                attempt += 1
                continue
            raise EndpointError(f"{shown}: {message}") from None
