"""The time budget of one request: a query that would take longer is stopped
and refused (HTTP 400, saying what to change) instead of tying up a worker.

Whoosh spends a costly query's time building matchers (a union of thousands of
prefix expansions) and collecting documents; :class:`TimeLimitedSearcher` runs
both inside Whoosh's ``TimeLimitCollector``, which on Unix, in the main thread
(as in gunicorn's sync workers), interrupts them with ``SIGALRM`` the moment the
budget is spent, and elsewhere stops between matching documents.  Either way
the collector's own flag stops the search at the next document even if the
interruption lands somewhere that swallows exceptions (a garbage-collector
callback).  Each search also starts only if time is left.

In the main thread the alarm is the kernel's interval timer (``setitimer``)
rather than Whoosh's timer thread, which sends the signal when it fires: a
thread started and stopped for every search cost 0.3 ms of each one, where
the timer costs two system calls.
"""

import signal
import threading
import time

from whoosh.collectors import TimeLimit, TimeLimitCollector

from .errors import QueryError


class _BudgetCollector(TimeLimitCollector):
    """Whoosh's time limit around a collector that scores a matcher at a time
    (:class:`search.collect.TopAndAllCollector`): the flag is checked between
    its matchers and posting blocks instead of between documents.  In the
    main thread the kernel's timer raises the alarm (see the module's notes)."""

    def prepare(self, top_searcher, q, context):
        if not self.use_alarm:
            super().prepare(top_searcher, q, context)
            return
        self.child.prepare(top_searcher, q, context)
        self.timedout = False
        signal.signal(signal.SIGALRM, self._alarm)
        # (a budget spent already still gets its alarm, at once)
        signal.setitimer(signal.ITIMER_REAL, max(self.timelimit, 1e-6))

    def _alarm(self, signum, frame):
        self.timedout = True
        raise TimeLimit

    def disarm(self):
        """Stop the alarm or the timer thread, whichever this search started."""
        if self.use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if self.timer is not None:
            self.timer.cancel()

    def finish(self):
        self.disarm()
        super().finish()

    def collect_matches(self):
        if not hasattr(self.child, "excluded"):
            return super().collect_matches()

        def check():
            if self.timedout:
                raise TimeLimit

        self.child.collect_matches(check)
        check()


class QueryTimeout(QueryError):
    def __init__(self, seconds):
        super().__init__(
            f"The query took longer than the {seconds:g} s allowed and was stopped. Make it more specific: "
            "fewer words ending in *, fewer OR alternatives, or longer beginnings before *."
        )


class TimeLimitedSearcher:
    """``searcher`` whose ``search``, ``collect`` and ``docs_for_query`` together may take
    ``seconds`` from now (``None`` or 0: no limit); everything else is the
    searcher's own."""

    def __init__(self, searcher, seconds=None):
        self._searcher = searcher
        self.seconds = seconds or None
        self.deadline = time.monotonic() + self.seconds if self.seconds else None

    def __getattr__(self, name):
        return getattr(self._searcher, name)

    def check(self):
        if self.deadline is not None and time.monotonic() >= self.deadline:
            raise QueryTimeout(self.seconds)

    def search(self, query, **collector_options):
        return self.collect(query, self._searcher.collector(**collector_options))

    def collect(self, query, collector):
        """Run ``query`` into ``collector`` (within the budget); its results."""
        self._run(query, collector)
        return collector.results()

    def docs_for_query(self, query):
        return iter(self.search(query, limit=None, scored=False).docs())

    def _run(self, query, collector):
        if self.deadline is None:
            self._searcher.search_with_collector(query, collector)
            return
        self.check()
        in_main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.getsignal(signal.SIGALRM) if in_main_thread else None
        limited = _BudgetCollector(collector, self.deadline - time.monotonic())
        try:
            self._searcher.search_with_collector(query, limited)
        except TimeLimit:
            raise QueryTimeout(self.seconds) from None
        except Exception:
            # The alarm may land inside a library's own ``except Exception``,
            # which wraps it in an error of its own (Whoosh's block reader
            # reports a "damaged postings block"): once the alarm has fired,
            # what the search raised is the budget running out.
            if limited.timedout:
                raise QueryTimeout(self.seconds) from None
            raise
        finally:
            limited.disarm()
            if in_main_thread:
                # The collector installed its own handler; a timer that fired
                # just as the search ended must not interrupt what comes next
                # (nor, with the default handler, end the process).
                signal.signal(signal.SIGALRM, previous if callable(previous) else signal.SIG_IGN)
