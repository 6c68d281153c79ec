"""The index directory: generations, the pointer to the live one, and the
writers' lock.

Layout of an index directory::

    CURRENT                    name of the live generation (one line)
    gen-20261122T101500-1234/  a complete Whoosh index, plus build.json
    gen-…/                     the previous generation, kept for readers that
                               still have it open
    writer.lock                held (flock) by the one writer at a time

A rebuild writes a new generation next to the live one and publishes it by
replacing ``CURRENT`` with ``os.replace``, which is atomic: readers see the old
index or the new one, never a half-written one, and a rebuild that fails or is
killed leaves ``CURRENT`` as it was.  The lock is an ``flock`` on
``writer.lock``; the kernel releases it when its process dies, so a crashed
writer cannot leave a stale lock behind.  The file names its holder while it
is held and is emptied when the writer finishes, so a file that names a writer
although nobody holds the lock is the trace of a writer that died: ``check``
reports it, and the next writer takes the lock as usual and overwrites it.
"""

import datetime as dt
import errno
import fcntl
import json
import os
import shutil
import signal
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

CURRENT = "CURRENT"
LOCK = "writer.lock"
GENERATION_PREFIX = "gen-"
BUILD_INFO = "build.json"
DEFAULT_INDEX_DIR = "var/index"


# Writer-lock descriptors this process holds.  Worker processes forked by a
# writer (cleaning, analysis) inherit them; see _after_fork_in_child.
_held_lock_fds = set()


def _after_fork_in_child():
    """A writer's worker must neither keep the writer lock alive (an flock
    lasts while any copy of its descriptor is open) nor outlive a writer that
    was killed: it closes its copies and asks the kernel to end it when its
    parent dies."""
    if not _held_lock_fds:
        return
    for fd in _held_lock_fds:
        try:
            os.close(fd)
        except OSError:
            pass
    _held_lock_fds.clear()
    try:
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the lock copy is closed all the same
        pass


os.register_at_fork(after_in_child=_after_fork_in_child)


class StoreError(Exception):
    """A problem with the index directory that the user has to resolve."""


class NoIndexError(StoreError):
    pass


class LockedError(StoreError):
    pass


def default_index_dir():
    return os.environ.get("SEARCH_INDEX_DIR") or DEFAULT_INDEX_DIR


def replace_atomically(path, text):
    """Replace the file ``path`` by ``text`` (UTF-8) at once: a reader sees the
    old content or the new, never a part; a crash leaves the old one."""
    path = Path(path)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=path.name, suffix=".tmp", delete=False) as f:
        try:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        except BaseException:
            os.unlink(f.name)
            raise
    os.replace(f.name, path)


class IndexStore:
    def __init__(self, root):
        self.root = Path(root)
        self.killed_writer = None

    # -- reading -----------------------------------------------------------

    def live_generation(self):
        """The path of the live generation, or ``None`` if there is none."""
        try:
            name = (self.root / CURRENT).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        if not name.startswith(GENERATION_PREFIX) or "/" in name:
            raise StoreError(f"{self.root / CURRENT} is corrupt: it names {name!r}, not a generation")
        return self.root / name

    def open_live(self):
        """The live Whoosh index; raises :class:`NoIndexError` if none is built."""
        from whoosh import index as whoosh_index

        generation = self.live_generation()
        if generation is None:
            raise NoIndexError(f"no index in {self.root} yet: build one with `python -m index build PATH...`")
        if not generation.is_dir():
            raise StoreError(f"{self.root / CURRENT} names {generation.name}, which does not exist")
        return whoosh_index.open_dir(str(generation))

    def build_info(self, generation=None):
        generation = generation or self.live_generation()
        try:
            return json.loads((generation / BUILD_INFO).read_text(encoding="utf-8"))
        except (OSError, ValueError, TypeError):
            return {}

    def generations(self):
        if not self.root.is_dir():
            return []
        return sorted(p for p in self.root.iterdir() if p.is_dir() and p.name.startswith(GENERATION_PREFIX))

    # -- writing -----------------------------------------------------------

    def new_generation(self):
        self.root.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        path = self.root / f"{GENERATION_PREFIX}{stamp}-{os.getpid()}"
        path.mkdir()
        return path

    def publish(self, generation, info):
        """Make ``generation`` the live index, atomically, and prune old ones."""
        (generation / BUILD_INFO).write_text(json.dumps(info, indent=2, ensure_ascii=False), encoding="utf-8")
        _fsync_tree(generation)
        previous = self.live_generation()
        # A fixed name, not replace_atomically's: a pointer left by a killed
        # publish is overwritten by the next one instead of piling up.
        pointer = self.root / (CURRENT + ".tmp")
        with open(pointer, "w", encoding="utf-8") as f:
            f.write(generation.name + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(pointer, self.root / CURRENT)
        _fsync_dir(self.root)
        self.prune(keep={generation, previous})

    def prune(self, keep=()):
        """Remove generations other than the live one and ``keep``: the
        leftovers of failed or killed builds, and superseded indexes.  Only
        called under the writer lock, so no build is in progress."""
        keep = {p for p in keep if p} | {self.live_generation()}
        removed = []
        for generation in self.generations():
            if generation not in keep:
                self.discard(generation)
                removed.append(generation.name)
        return removed

    def abandoned_generations(self):
        """Generations that were never published: what failed or killed builds
        left behind.  (Only a writer holding the lock may remove them; without
        the lock, one of them may be a build in progress.)"""
        live = self.live_generation()
        return [g for g in self.generations() if g != live and not (g / BUILD_INFO).exists()]

    def prune_abandoned(self):
        for generation in self.abandoned_generations():
            self.discard(generation)

    def discard(self, generation):
        shutil.rmtree(generation, ignore_errors=True)

    @contextmanager
    def lock(self, command, wait=0.0):
        """Hold the writers' lock; wait up to ``wait`` seconds for another
        writer, then raise :class:`LockedError` saying who holds it."""
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / LOCK
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        acquired = False
        try:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    acquired = True
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                        raise
                    if time.monotonic() >= deadline:
                        raise LockedError(_holder_message(path, wait)) from None
                    time.sleep(0.1)
            left = os.pread(fd, 4096, 0).decode("utf-8", errors="replace").strip()
            #: The writer that was killed while holding the lock before us, if one was.
            self.killed_writer = _describe_holder(left) if left else None
            holder = {"pid": os.getpid(), "command": command, "since": dt.datetime.now().isoformat(timespec="seconds")}
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(holder).encode(), 0)
            _held_lock_fds.add(fd)
            yield
        finally:
            if acquired:
                # Emptied by every writer that ends, even by an exception: a
                # holder left in the file marks a writer that was killed.
                os.ftruncate(fd, 0)
            _held_lock_fds.discard(fd)
            os.close(fd)  # closing releases the flock

    def dead_writer(self):
        """The writer named in ``writer.lock`` although nobody holds the lock
        (one that was killed while writing), as ``(description, holder)``;
        ``None`` when the lock is held or was released properly."""
        path = self.root / LOCK
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            return None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError:
                return None  # a live writer holds it
            text = os.pread(fd, 4096, 0).decode("utf-8", errors="replace").strip()
        finally:
            os.close(fd)
        if not text:
            return None
        return _describe_holder(text), text


def _describe_holder(text):
    try:
        holder = json.loads(text)
        return f"`{holder['command']}` (pid {holder['pid']}, since {holder['since']})"
    except (ValueError, KeyError, TypeError):
        return "another process"


#: How long to wait for a writer that has just taken the lock to name itself in it.
HOLDER_NAMING_SECONDS = 1.0


def _holder_message(path, waited):
    # The holder writes its name just after taking the lock: a refused writer
    # that looks in between finds the file empty, so it looks again, briefly.
    who = "another process"
    deadline = time.monotonic() + HOLDER_NAMING_SECONDS
    while True:
        try:
            who = _describe_holder(path.read_text(encoding="utf-8"))
        except OSError:
            break
        if who != "another process" or time.monotonic() >= deadline:
            break
        time.sleep(0.02)
    waited_text = f" after waiting {waited:g} s" if waited else ""
    return (
        f"the index in {path.parent} is being changed by {who}{waited_text}; "
        "try again when it has finished, or pass --wait SECONDS to wait for it"
    )


def _fsync_dir(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(path):
    for file in Path(path).iterdir():
        if file.is_file():
            with open(file, "rb") as f:
                os.fsync(f.fileno())
    _fsync_dir(path)
