"""Progress reporting: a bar redrawn in place on a terminal, a plain line every
few seconds otherwise (logs and CI keep one line per report, not a thousand
carriage returns).  Progress is measured in input bytes, the one total known
before the articles of a JSON-lines file are counted."""

import sys
import time


class Progress:
    def __init__(self, stream=None, interval=None, enabled=True):
        self.stream = stream or sys.stderr
        self.tty = enabled and self.stream.isatty()
        self.enabled = enabled
        self.interval = interval if interval is not None else (0.2 if self.tty else 10.0)
        self.started = time.monotonic()
        self.last = self.started
        self.articles = 0
        self.skipped = 0
        self.done = 0
        self.total = 0  # input bytes, when known

    BAR_WIDTH = 24

    def update(self, articles=0, skipped=0, size=0):
        self.articles += articles
        self.skipped += skipped
        self.done += size
        now = time.monotonic()
        if self.enabled and now - self.last >= self.interval:
            self.last = now
            self._write(self._line(now))

    def _line(self, now):
        elapsed = now - self.started
        rate = self.articles / elapsed if elapsed > 0 else 0.0
        skipped = f", {self.skipped:,} skipped" if self.skipped else ""
        counts = f"{self.articles:,} articles{skipped}, {rate:,.0f} articles/s, {elapsed:,.0f} s"
        if not self.total:
            return f"indexing: {counts}"
        fraction = min(1.0, self.done / self.total)
        remaining = f", about {elapsed * (1 - fraction) / fraction:,.0f} s left" if fraction > 0.02 else ""
        if self.tty:
            filled = round(fraction * self.BAR_WIDTH)
            bar = "█" * filled + "░" * (self.BAR_WIDTH - filled)
            return f"{bar} {fraction:4.0%} {counts}{remaining}"
        return f"indexing: {fraction:.0%}, {counts}{remaining}"

    def _write(self, line):
        if self.tty:
            self.stream.write("\r\x1b[K" + line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def status(self, message):
        """A one-off message (such as "committing…")."""
        if self.enabled:
            self._write(message)

    def finish(self):
        if self.enabled and self.tty:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
