"""The query side: parse → expand per language → search → highlight → facet.

>>> engine = SearchEngine("var/index")
>>> engine.search("Белоусова")["results"][0]["id"]
"""

from .engine import MAX_DEPTH, MAX_PER_PAGE, SearchEngine
from .errors import QueryError

__all__ = ["SearchEngine", "QueryError", "MAX_PER_PAGE", "MAX_DEPTH"]
