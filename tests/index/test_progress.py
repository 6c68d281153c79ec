import io

from index.progress import Progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_plain_lines_when_not_a_terminal():
    stream = io.StringIO()
    progress = Progress(stream=stream, interval=0)
    progress.total = 1000
    progress.update(articles=1, size=250)
    progress.update(articles=1, skipped=1, size=250)
    lines = stream.getvalue().splitlines()
    assert lines[-1].startswith("indexing: 50%, 2 articles, 1 skipped, ")
    assert "\r" not in stream.getvalue()


def test_a_bar_redrawn_in_place_on_a_terminal():
    stream = Terminal()
    progress = Progress(stream=stream, interval=0)
    progress.total = 100
    progress.update(articles=3, size=50)
    assert stream.getvalue().startswith("\r\x1b[K" + "█" * 12 + "░" * 12 + "  50% 3 articles")
    progress.finish()
    assert stream.getvalue().endswith("\r\x1b[K")


def test_counts_only_when_the_total_is_unknown():
    stream = io.StringIO()
    progress = Progress(stream=stream, interval=0)
    progress.update(articles=1)
    assert stream.getvalue().startswith("indexing: 1 articles, ")
