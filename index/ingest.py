"""The ingestion pipeline: load → clean → detect language, in worker processes
when the input is large enough to gain from them.  Analysis and writing follow
in :mod:`index.writer`."""

import multiprocessing
import os

from .article import Skipped
from .clean import CleaningError, clean
from .language import detect_article
from .sources import find_files, load_paths

#: Below this many input bytes, starting worker processes costs more than it saves.
PARALLEL_MIN_BYTES = 2 * 1024 * 1024


def prepare(raw):
    """Clean a raw article and detect its languages; problems become :class:`Skipped`."""
    if isinstance(raw, Skipped):
        return raw
    try:
        return detect_article(clean(raw))
    except CleaningError as exc:
        return Skipped(raw.origin, str(exc), raw.size)
    except Exception as exc:  # one bad article must not stop a build of thousands
        return Skipped(raw.origin, f"could not be processed ({type(exc).__name__}: {exc})", raw.size)


def input_size(paths):
    total = 0
    for path, problem in find_files(paths):
        if not problem:
            try:
                total += path.stat().st_size
            except OSError:
                pass
    return total


def default_workers(size):
    """Both cores (all of them) for inputs of ``size`` bytes worth it, one otherwise."""
    if size < PARALLEL_MIN_BYTES:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def prepared_articles(paths, workers=1):
    """Yield an :class:`~index.article.Article` or :class:`Skipped` for every
    article in ``paths``, in input order."""
    raws = load_paths(paths)
    if workers <= 1:
        for raw in raws:
            yield prepare(raw)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        yield from pool.imap(prepare, raws, chunksize=8)
