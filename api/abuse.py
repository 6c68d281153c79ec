"""Limits against abuse: per-client rate limiting of the endpoints that search
the index, no request bodies, and the security headers of HTML pages.

The rate limit is a token bucket per client address: ``RATE_LIMIT`` requests
per ``RATE_LIMIT_PERIOD`` seconds, which may come in one burst, refilled
evenly.  A client over it gets ``429`` with ``Retry-After``.  The buckets live
in the process: each gunicorn worker counts on its own, so with two workers a
client may get up to twice the limit.  The client is the connection's address;
behind ``TRUSTED_PROXIES`` reverse proxies, the address they add to
``X-Forwarded-For`` (never a client-supplied one).
"""

import hashlib
import math
import re
import threading
import time
from base64 import b64encode

from flask import request

#: Buckets are forgotten after this many clients; the fullest (idle) go first.
MAX_CLIENTS = 10_000


class RateLimiter:
    def __init__(self, limit, period, clock=time.monotonic):
        self.capacity = limit
        self.rate = limit / period  # tokens per second
        self.clock = clock
        self._buckets = {}  # client -> (tokens, when)
        self._lock = threading.Lock()

    def __len__(self):
        """Clients remembered."""
        return len(self._buckets)

    def take(self, client):
        """0 when ``client`` may go on, else the seconds until it may."""
        now = self.clock()
        with self._lock:
            tokens, when = self._buckets.pop(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - when) * self.rate)
            wait = 0.0
            if tokens >= 1:
                tokens -= 1
            else:
                wait = (1 - tokens) / self.rate
            self._buckets[client] = (tokens, now)  # re-inserted: most recent last
            if len(self._buckets) > MAX_CLIENTS:
                self._forget_idle()
        return wait

    def _forget_idle(self):
        # Dicts keep insertion order, and every take re-inserts: the first
        # half holds the clients seen longest ago.
        for client in list(self._buckets)[: len(self._buckets) // 2]:
            del self._buckets[client]


def retry_after(seconds):
    """``Retry-After`` in whole seconds, never 0 for a refused request."""
    return str(max(1, math.ceil(seconds)))


def html_policy(frame_ancestors, **sources):
    """A Content-Security-Policy for an HTML page: nothing but ``sources``
    (``{"style_src": "'self'"}``), framed only by ``frame_ancestors``."""
    directives = ["default-src 'none'"]
    directives += [f"{name.replace('_', '-')} {value}" for name, value in sources.items()]
    directives += ["base-uri 'none'", "form-action 'none'", f"frame-ancestors {frame_ancestors}"]
    return "; ".join(directives)


def add_page_headers(response, policy, frame_ancestors):
    """The headers every HTML page gets: its policy, no framing (unless
    ``FRAME_ANCESTORS`` allows it), no referrer."""
    response.headers["Content-Security-Policy"] = policy
    if frame_ancestors.strip() == "'none'":
        # For browsers without CSP frame-ancestors; it cannot express a list of origins.
        response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


_INLINE_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def inline_style_hashes(html):
    """CSP sources for the page's own ``<style>`` elements, by hash."""
    return " ".join(
        f"'sha256-{b64encode(hashlib.sha256(css.encode('utf-8')).digest()).decode()}'"
        for css in _INLINE_STYLE.findall(html)
    )


def has_body():
    """Whether the request carries a body (this API reads none)."""
    return bool(request.content_length) or "chunked" in request.headers.get("Transfer-Encoding", "").lower()
