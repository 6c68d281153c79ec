"""HTTP caching: ETags and Cache-Control.

A response from the index is the same as long as the live index and the URL
are, so its ETag is derived from ``engine.version`` and the full URL and can
be checked *before* searching: a client revalidating an unchanged result gets
``304 Not Modified`` without the search being run again.
"""

import hashlib

from flask import Response, request

#: Part of every ETag, so that a deployment changing what responses contain
#: does not let clients keep the old ones.
RESPONSE_FORMAT = "1"


def index_etag(version):
    key = "\0".join((RESPONSE_FORMAT, version, request.url))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def is_fresh(etag):
    """Whether the client's If-None-Match names ``etag`` (weak comparison, as RFC 9110 says for GET)."""
    return request.if_none_match.contains_weak(etag)


def cache_publicly(response, max_age, etag=None):
    """Let browsers and shared caches keep ``response`` for ``max_age`` seconds."""
    if etag is None:
        response.add_etag(weak=True)  # a hash of the body
    else:
        response.set_etag(etag, weak=True)
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    return response


def not_modified(etag, max_age):
    return cache_publicly(Response(status=304), max_age, etag)


def never_cache(response):
    response.headers["Cache-Control"] = "no-store"
    return response
