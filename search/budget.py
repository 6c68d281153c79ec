"""The time budget of one search: a query that would take longer is stopped
and refused (HTTP 400, saying what to change) instead of tying up a worker.

The budget covers the whole search: expanding the query (prefixes, spelling),
matching and collecting (where Whoosh spends a costly query's time: a union of
thousands of prefix expansions) and highlighting.  It is an interval timer
(``SIGALRM``) whose handler raises :class:`QueryTimeout` wherever the search is,
the way Whoosh's own ``TimeLimitCollector`` interrupts a search; signals reach
the main thread only, which is where gunicorn's sync workers run requests.  In
another thread (a threaded development server) the budget is not enforced.
"""

import signal
import threading
from contextlib import contextmanager

from .errors import QueryError


class QueryTimeout(QueryError):
    def __init__(self, seconds):
        super().__init__(
            f"The query took longer than the {seconds:g} s allowed and was stopped. Make it more specific: "
            "fewer words ending in *, fewer OR alternatives, or longer beginnings before *."
        )


@contextmanager
def time_limit(seconds):
    """Raise :class:`QueryTimeout` in the block after ``seconds`` (``None`` or 0: no limit)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise QueryTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
