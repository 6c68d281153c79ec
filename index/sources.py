"""Load: find the articles in the files and folders given on the command line.

Supported: ``.txt`` (one article per file, the file stem is its id), ``.json``
(an object, a list of objects, or ``{"articles": [...]}``), ``.jsonl`` (one
object per line) and ``.html``/``.htm`` (one page per file).  JSON objects need
``body`` or ``text``, and ``id`` unless one can be derived from ``url`` or the
file name; ``title``, ``date``, ``url``, ``source`` and ``lang`` are optional.

Nothing here raises on bad input: every problem becomes a :class:`Skipped` with
the path and the reason, and the rest of the input is still loaded.
"""

import hashlib
import json
import os
from pathlib import Path

from .article import RawArticle, Skipped

TEXT_SUFFIXES = {".txt"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
HTML_SUFFIXES = {".html", ".htm"}
SUFFIXES = TEXT_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES

#: Articles larger than this are refused: no news article is this long, and a
#: runaway file would otherwise hold the whole build's memory.
MAX_ARTICLE_BYTES = 10 * 1024 * 1024
#: Files larger than this are refused unless they hold one article per line.
MAX_FILE_BYTES = 64 * 1024 * 1024

_OPTIONAL_FIELDS = ("title", "date", "url", "source", "lang")


def find_files(paths):
    """Yield ``(path, None)`` for every supported file under ``paths`` (in a
    stable order), and ``(path, reason)`` for paths that cannot be used."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    file = Path(root) / name
                    if file.suffix.lower() in SUFFIXES:
                        yield file, None
                    else:
                        yield file, f"unsupported file type {file.suffix or '(no extension)'!r}; expected one of {', '.join(sorted(SUFFIXES))}"
        elif path.is_file():
            if path.suffix.lower() in SUFFIXES:
                yield path, None
            else:
                yield path, f"unsupported file type {path.suffix or '(no extension)'!r}; expected one of {', '.join(sorted(SUFFIXES))}"
        elif path.exists():
            yield path, "not a regular file or folder"
        else:
            yield path, "no such file or folder"


def load_paths(paths):
    """Yield a :class:`RawArticle` or :class:`Skipped` for everything in ``paths``."""
    for path, problem in find_files(paths):
        if problem:
            yield Skipped(str(path), problem)
        else:
            yield from load_file(path)


def load_file(path):
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield Skipped(str(path), f"cannot read: {exc.strerror}")
        return
    if size == 0:
        yield Skipped(str(path), "empty file")
        return
    if suffix in JSONL_SUFFIXES:
        yield from _load_jsonl(path)
        return
    if size > (MAX_FILE_BYTES if suffix in JSON_SUFFIXES else MAX_ARTICLE_BYTES):
        yield Skipped(str(path), f"file too large ({size:,} bytes)")
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Skipped(str(path), f"cannot read: {exc.strerror}")
        return
    text, problem = decode(data)
    if problem:
        yield Skipped(str(path), problem)
    elif not text.strip():
        yield Skipped(str(path), "no text (only white space)")
    elif suffix in JSON_SUFFIXES:
        yield from _load_json(path, text)
    else:
        yield RawArticle(id=path.stem, origin=str(path), text=text, is_html=suffix in HTML_SUFFIXES, size=size)


def decode(data):
    """``(text, None)``, or ``(None, reason)`` for binary or non-UTF-8 bytes."""
    if b"\x00" in data[:8192]:
        return None, "binary file (contains NUL bytes), not text"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        return None, f"not valid UTF-8: undecodable byte 0x{data[exc.start]:02x} at offset {exc.start}"


def _load_jsonl(path):
    try:
        f = open(path, "rb")
    except OSError as exc:
        yield Skipped(str(path), f"cannot read: {exc.strerror}")
        return
    with f:
        loaded = reported = 0
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            origin = f"{path}:{number}"
            if len(line) > MAX_ARTICLE_BYTES:
                problem = f"line too long ({len(line):,} bytes)"
            else:
                text, problem = decode(line)
            if not problem:
                try:
                    obj = json.loads(text.rstrip("\r\n"))  # (so a column is one of this line)
                except json.JSONDecodeError as exc:
                    problem = f"invalid JSON: {exc.msg}: column {exc.colno}"
            if problem:
                reported += 1
                yield Skipped(origin, problem)
                continue
            loaded += 1
            item = _from_object(obj, origin, fallback_id=f"{path.stem}-{number}")
            item.size = len(line)
            yield item
        if not loaded and not reported:  # (a file of broken lines was reported line by line)
            yield Skipped(str(path), "no JSON objects in file")


def _load_json(path, text):
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Skipped(str(path), f"invalid JSON: {exc.msg}: line {exc.lineno}, column {exc.colno}")
        return
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    if isinstance(data, dict):
        item = _from_object(data, str(path), fallback_id=path.stem)
        item.size = len(text.encode("utf-8"))
        yield item
    elif isinstance(data, list):
        if not data:
            yield Skipped(str(path), "empty JSON list")
        for number, obj in enumerate(data, 1):
            item = _from_object(obj, f"{path}#{number}", fallback_id=f"{path.stem}-{number}")
            item.size = len(text.encode("utf-8")) // len(data)
            yield item
    else:
        yield Skipped(str(path), f"expected a JSON object or list of objects, found {type(data).__name__}")


def _from_object(obj, origin, fallback_id):
    if not isinstance(obj, dict):
        return Skipped(origin, f"expected a JSON object, found {type(obj).__name__}")
    body = obj.get("body", obj.get("text"))
    if body is None:
        return Skipped(origin, "no 'body' or 'text' field")
    if not isinstance(body, str):
        return Skipped(origin, f"'body' must be a string, found {type(body).__name__}")
    if not body.strip():
        return Skipped(origin, "empty 'body'")
    if len(body.encode("utf-8", "surrogatepass")) > MAX_ARTICLE_BYTES:
        return Skipped(origin, "article too large")
    meta = {}
    for name in _OPTIONAL_FIELDS:
        value = obj.get(name)
        if value is None or value == "":
            continue
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            return Skipped(origin, f"{name!r} must be a string, found {type(value).__name__}")
        meta[name] = str(value).strip()
    article_id = obj.get("id")
    if article_id is None or article_id == "":
        url = meta.get("url")
        article_id = "url-" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:16] if url else fallback_id
    elif not isinstance(article_id, (str, int)) or isinstance(article_id, bool):
        return Skipped(origin, f"'id' must be a string, found {type(article_id).__name__}")
    article_id = str(article_id).strip()
    if not article_id or any(c.isspace() or ord(c) < 32 for c in article_id):
        return Skipped(origin, f"invalid id {article_id!r}: must be non-empty, without spaces or control characters")
    return RawArticle(id=article_id, origin=origin, text=body, is_html=_looks_like_html(body), **meta)


def _looks_like_html(text):
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html", "<article", "<body"))
