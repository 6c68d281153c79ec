"""CORS for the configured origins, so a search box on another site can call
the API from the browser.

Hand-written rather than flask-cors: the API is read-only and sends no
credentials, so the whole policy is a few headers; one dependency less.
"""

from flask import request

METHODS = "GET, HEAD, OPTIONS"
#: If-None-Match lets a browser client revalidate with the ETag.
REQUEST_HEADERS = "Accept, Accept-Language, Content-Language, Content-Type, If-None-Match"
#: Response headers a script may read beyond the always-exposed ones.
EXPOSED_HEADERS = "ETag, Retry-After"
#: How long a browser may reuse a preflight answer, in seconds.
PREFLIGHT_MAX_AGE = "86400"


def add_cors_headers(response, origins):
    """Allow ``origins`` (``"*"`` or a set) to read ``response``; answer a
    preflight.  Every endpoint is read-only, so every response gets them."""
    if origins == "*":
        allowed = "*"
    else:
        # The answer depends on the Origin header: caches must keep one per origin.
        response.vary.add("Origin")
        origin = request.headers.get("Origin", "").rstrip("/")
        allowed = request.headers["Origin"] if origin in origins else None
    if allowed is None:
        return response
    response.headers["Access-Control-Allow-Origin"] = allowed
    response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers and response.status_code == 200:
        # A preflight answer has no body (Flask's automatic one is an empty text/html).
        response.status_code = 204
        response.set_data(b"")
        del response.headers["Content-Type"]
        response.headers["Access-Control-Allow-Methods"] = METHODS
        response.headers["Access-Control-Allow-Headers"] = REQUEST_HEADERS
        response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return response
