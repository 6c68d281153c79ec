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
from pathlib import Path

from index.store import replace_atomically

TABLE = "completions.json"
FORMAT = 1


def compute(ix):
    """The completion table of the Whoosh index ``ix`` as it is now."""
    from .scoring import news_weighting
    from .suggest import Suggester

    with ix.searcher() as searcher:
        # Scored as the server scores (search.engine), so titles come in its order.
        searcher.weighting = news_weighting(searcher.reader())
        common = Suggester(searcher).common_completions()
    return {"format": FORMAT, "toc": ix.latest_generation(), **common}


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
