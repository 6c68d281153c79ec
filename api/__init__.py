"""The REST API: Flask blueprints over :class:`search.SearchEngine`.

>>> from api import create_app
>>> app = create_app({"SEARCH_INDEX_DIR": "var/index"})
"""

from .app import create_app

__all__ = ["create_app"]
