"""The time budget of one request: a query that would take longer is stopped
and refused (HTTP 400, saying what to change) instead of tying up a worker.

Whoosh spends a costly query's time building matchers (a union of thousands of
prefix expansions) and collecting documents; both run inside
``TimeLimitCollector``, which on Unix, in the main thread (as in gunicorn's
sync workers), interrupts them with ``SIGALRM`` the moment the budget is spent.
Elsewhere (a thread) it stops between documents.  The steps around the search
(expansion, highlighting) check the budget between their own units of work.
"""

import signal
import threading
import time

from whoosh.collectors import TimeLimit, TimeLimitCollector

from .errors import QueryError


class QueryTimeout(QueryError):
    def __init__(self, seconds):
        super().__init__(
            f"The query took longer than the {seconds:g} s allowed and was stopped. Make it more specific: "
            "fewer words ending in *, fewer OR alternatives, or longer beginnings before *."
        )


class TimeBudget:
    """``seconds`` from now; ``None`` or 0: unlimited."""

    def __init__(self, seconds=None):
        self.seconds = seconds or None
        self.deadline = time.monotonic() + self.seconds if self.seconds else None

    def remaining(self):
        return None if self.deadline is None else self.deadline - time.monotonic()

    def check(self):
        if self.deadline is not None and time.monotonic() >= self.deadline:
            raise QueryTimeout(self.seconds)

    def search(self, searcher, query, **collector_options):
        """``searcher.search(query, **collector_options)`` within the budget."""
        self.check()
        collector = searcher.collector(**collector_options)
        remaining = self.remaining()
        if remaining is None:
            searcher.search_with_collector(query, collector)
            return collector.results()
        in_main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.getsignal(signal.SIGALRM) if in_main_thread else None
        limited = TimeLimitCollector(collector, remaining)
        try:
            searcher.search_with_collector(query, limited)
        except TimeLimit:
            raise QueryTimeout(self.seconds) from None
        finally:
            if limited.timer is not None:
                limited.timer.cancel()
            if in_main_thread:
                # The collector installed its own handler; a timer that fired
                # just as the search ended must not interrupt what comes next
                # (nor, with the default handler, end the process).
                signal.signal(signal.SIGALRM, previous if callable(previous) else signal.SIG_IGN)
        return collector.results()
