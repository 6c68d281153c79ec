"""The WSGI entry point: ``gunicorn wsgi:app`` (see gunicorn.conf.py).

``$SEARCH_INDEX_DIR`` selects the index, like every setting of api.config.
"""

import logging

from api import create_app

app = create_app()

# Under gunicorn, the API's log (errors with tracebacks) goes where gunicorn's
# error log goes, instead of Python's bare last-resort handler.
_gunicorn_log = logging.getLogger("gunicorn.error")
if _gunicorn_log.handlers:
    logging.getLogger("api").handlers = _gunicorn_log.handlers
    logging.getLogger("api").setLevel(_gunicorn_log.level)
