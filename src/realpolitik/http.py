"""HTTP for endpoints: credentials from the environment or ~/.netrc (never from the
command line, never printed), TLS verified, transient failures retried with backoff,
and every failure said in one line."""

from __future__ import annotations

import os
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
            f"{parts.scheme}://{parts.hostname}{parts.path}: put credentials in {USER_VAR} and {PASSWORD_VAR} or ~/.netrc, not in the URL"
        )
    return url


def _opener(url: str):
    user, password = os.environ.get(USER_VAR), os.environ.get(PASSWORD_VAR)
    if user is None:
        import netrc

        try:
            entry = netrc.netrc().authenticators(urllib.parse.urlsplit(url).hostname or "")
        except (FileNotFoundError, netrc.NetrcParseError):
            entry = None
        if entry:
            user, _, password = entry
    handlers = []
    if user is not None:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, url, user, password or "")
        handlers += [urllib.request.HTTPDigestAuthHandler(manager), urllib.request.HTTPBasicAuthHandler(manager)]
    return urllib.request.build_opener(*handlers)


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
    headers = {"User-Agent": f"realpolitik/{__version__}", **(headers or {})}
    for attempt in range(retries):
        last = attempt == retries - 1
        try:
            req = urllib.request.Request(url, data=data, headers=headers, method=method)
            with _opener(url).open(req, timeout=timeout) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            if exc.code in TRANSIENT and not last:
                time.sleep(backoff * 2**attempt)
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
                continue
            raise EndpointError(f"{shown}: {message}") from None
    raise EndpointError(f"{shown}: gave up after {retries} attempts")
