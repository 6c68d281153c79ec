"""gunicorn settings for the REST API (``make serve``); command-line options
override them, e.g. ``--bind 0.0.0.0:8080``."""

wsgi_app = "wsgi:app"
bind = "127.0.0.1:8000"
# Searching is CPU work in Python: one process per core (the machine has two)
# of the plain synchronous kind, each with its own SearchEngine.
workers = 2
worker_class = "sync"
# A search over a large index stays well under this; a worker stuck longer is restarted.
timeout = 30
# Let a worker finish its request when stopped or restarted.
graceful_timeout = 10
accesslog = "-"
errorlog = "-"
# No control socket: it is one fixed path per user (~/.gunicorn/gunicorn.ctl),
# which a second server (tests, another checkout) would fight over; unused here.
control_socket_disable = True
# Request size: gunicorn's own maxima for the request line and header fields
# (stated here because the README promises them); longer is a 400 before the app.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190


def post_worker_init(worker):
    """Each worker opens the index and loads its models before it accepts a
    request, so no reader's first search waits about 0.3 s for them; then
    freezes what it holds (api/garbage.py)."""
    import time

    from api.garbage import GarbagePolicy

    started = time.perf_counter()
    engine = worker.wsgi.extensions["news_api"].engine
    worker.garbage_policy = GarbagePolicy()
    try:
        warmed = engine.warm_up()
    except Exception as exc:  # the worker still starts: its requests say what is wrong (503)
        worker.log.warning("worker %s: could not warm up: %s", worker.pid, exc)
        return
    finally:
        worker.garbage_policy.settle(engine.opened_version)
    took = (time.perf_counter() - started) * 1000
    if warmed:
        worker.log.info("worker %s: index opened and warmed up in %.0f ms", worker.pid, took)
    else:
        worker.log.info("worker %s: no index to warm up yet", worker.pid)


def post_request(worker, req, environ, resp):
    """After the answer was sent: the worker's garbage-collector policy (api/garbage.py)."""
    policy = getattr(worker, "garbage_policy", None)
    if policy is not None:
        policy.after_request(worker.wsgi.extensions["news_api"].engine.opened_version)
