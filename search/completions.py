"""The completion table: the search box's answers for common beginnings,
computed once per index version and stored in its generation directory.

A beginning such as ``de``, ``по`` or ``πρ`` starts thousands of words and the
titles of thousands of articles; reading them at request time was the slow
tail of ``/api/suggest`` and grows with the index.  ``python -m index build``
(and ``add`` and ``remove``, after their commit) computes the answers of every
common beginning with the suggester's own code
(:meth:`search.suggest.Suggester.common_completions`) and writes them beside
the segments as ``completions.json``; the server looks them up.

The table belongs to its generation: a build writes it before publishing, so a
killed build leaves the served generation and its table as they were.  It
names the Whoosh generation (the table of contents) it was computed from; an
index changed since (an ``add`` whose table is being rewritten, an index built
before tables existed) is answered without it, as before.
"""

import json
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from index.store import replace_atomically

TABLE = "completions.json"
FORMAT = 1


def compute(ix, processes=2):
    """The completion table of the Whoosh index ``ix`` as it is now.  With
    ``processes`` > 1 and an index in a directory, the titles are found in a
    second process while this one finds the words: the two halves take about
    as long, and the cores are otherwise idle at the end of a build or add
    (50,000 articles: 14.9 s in one process)."""
    folder = getattr(ix.storage, "folder", None)
    if processes > 1 and folder and "fork" in multiprocessing.get_all_start_methods():
        # forked, so the child has this process's settings and modules as they are
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            titles = pool.submit(_common_titles, folder, ix.indexname)
            words = _half(ix, "common_words_and_shown")
            common = {"words": words["words"], "titles": titles.result(), "shown": words["shown"]}
    else:
        common = _half(ix, "common_completions")
    return {"format": FORMAT, "toc": ix.latest_generation(), **common}


def _half(ix, method):
    from .scoring import news_weighting
    from .suggest import Suggester

    with ix.searcher() as searcher:
        # Scored as the server scores (search.engine), so titles come in its order.
        searcher.weighting = news_weighting(searcher.reader())
        return getattr(Suggester(searcher), method)()


def _common_titles(folder, indexname):
    """In the second process: the index opened anew (its own files), the titles found."""
    from whoosh import index as whoosh_index

    ix = whoosh_index.open_dir(folder, indexname=indexname)
    try:
        return _half(ix, "common_titles_of_index")
    finally:
        ix.close()


def write(generation):
    """Computes the table of the index in ``generation`` (a directory) and
    replaces the one there atomically."""
    from whoosh import index as whoosh_index

    generation = Path(generation)
    ix = whoosh_index.open_dir(str(generation))
    try:
        table = compute(ix)
    finally:
        ix.close()
    replace_atomically(generation / TABLE, json.dumps(table, ensure_ascii=False, separators=(",", ":")))
    return table


def load(generation, toc):
    """The table of ``generation`` if it was computed from Whoosh generation
    ``toc``, else ``None`` (missing, unreadable, or for another version)."""
    try:
        with open(Path(generation) / TABLE, encoding="utf-8") as f:
            table = json.load(f)
    except (OSError, ValueError, TypeError):
        return None
    if not isinstance(table, dict) or table.get("format") != FORMAT or table.get("toc") != toc:
        return None
    return table
