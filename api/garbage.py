"""The garbage collector in a serving process (gunicorn.conf.py's hooks).

A worker's caches (answers, analysed words, spelling vocabularies) grow to
hundreds of thousands of objects, and Python's full collection walks all of
them: 160–900 ms, inside whichever request it lands on.  Nearly all of them
live as long as the index version, so a worker freezes what is alive
(``gc.freeze``: the collector no longer walks it) after its warm-up, and then
every :data:`FREEZE_EVERY` requests, after a young collection has freed the
cycles the last requests left: a full collection then finds nearly nothing
to walk.  Frozen objects in a reference cycle are never freed, so when the
index version changes (the old snapshot's searcher and caches are dropped)
everything is unfrozen and collected once, after that request was answered.
"""

import gc

#: Requests between two freezes of what a worker holds.
FREEZE_EVERY = 50


class GarbagePolicy:
    def __init__(self, every=FREEZE_EVERY):
        self.every = every
        self.version = None
        self.requests = 0

    def settle(self, version):
        """A full collection, then everything alive frozen: after the warm-up,
        and after the index ``version`` changed."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.version = version
        self.requests = 0

    def after_request(self, version):
        """Called after each answered request, with the index version it saw."""
        if version != self.version:
            self.settle(version)
            return
        self.requests += 1
        if self.requests >= self.every:
            self.requests = 0
            gc.collect(1)  # the young generations only: the cycles of the last requests
            gc.freeze()
