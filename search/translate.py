"""Query translation: the index terms that translate a query word's term into
the other languages, from bilingual dictionaries (:mod:`search.dictionaries`).

The dictionaries are read once per process, when the engine first opens an
index (outside any query's time budget), and turned into tables keyed by *analyzed* terms on both sides: German
``Regierung`` is looked up by its stem ``regier`` and gives the Russian lemma
``правительство`` and the Greek stem ``κυβερνησ``, exactly the terms the
articles are indexed under, so a query's term maps to other languages' index
terms without analyzing anything at query time.  Each dictionary serves both
directions (German→Russian inverted is Russian→German).  A headword or
translation whose analysis is not one term (a stop word, a phrase) is left
out: stop words are neither translated nor translated into.

Reading and analyzing the dictionaries takes seconds (71,000 terms), so the
tables are kept as JSON in ``$XDG_CACHE_HOME/news-search`` (default
``~/.cache/news-search``), under a name that changes with the dictionaries'
files, the analysis code and the stemmers' versions; a process that finds
them there loads them in a fraction of that.  An unwritable cache only costs
the time.

Without dictionaries, queries are not translated: that is logged once, and
searching works as before.
"""

import functools
import hashlib
import importlib.metadata
import json
import logging
import os
import threading
import time
from pathlib import Path

from index.analysis import query_terms
from index.store import replace_atomically

from .dictionaries import DICTIONARIES, DICTIONARY_DIR, dictionary_files, read_entries

log = logging.getLogger(__name__)
#: A term with more translations into one language than this is too vague
#: to translate (Wiktionary's ``machen``, ``Zug``): its translations would
#: match unrelated texts.
MAX_TRANSLATIONS = 8
#: Snowball's German stems keep the ``-t`` of weak verb forms (``führte`` →
#: ``fuhrt``, ``liegt`` → ``liegt``) that the dictionary's infinitives lack
#: (``führen`` → ``fuhr``): a German term without translations is looked up
#: without it, if at least :data:`MIN_STEM_LETTERS` letters remain.
GERMAN_VERB_ENDINGS = ("t", "et", "st")
MIN_STEM_LETTERS = 4


class Translations:
    """``{(source, target): {source term: (target terms)}}``."""

    def __init__(self, table, seconds=0.0):
        self.table = table
        #: how long reading and analyzing the dictionaries took
        self.seconds = seconds
        self._by_source = {}
        for (source, target), terms in table.items():
            self._by_source.setdefault(source, []).append((target, terms))

    @property
    def languages(self):
        """The languages that have translations into some other."""
        return set(self._by_source)

    def of(self, lang, term):
        """``{target language: (terms)}``: the translations of ``lang``'s index term ``term``."""
        found = self._of(lang, term)
        if not found and lang == "de":
            for ending in GERMAN_VERB_ENDINGS:
                stem = term[: -len(ending)]
                if term.endswith(ending) and len(stem) >= MIN_STEM_LETTERS:
                    found = self._of(lang, stem)
                    if found:
                        break
        return found

    def _of(self, lang, term):
        found = {}
        for target, terms in self._by_source.get(lang, ()):
            translated = terms.get(term)
            if translated:
                found[target] = translated
        return found

    def __len__(self):
        return sum(len(terms) for terms in self.table.values())


def build(directory=None):
    """:class:`Translations` from the dictionaries in ``directory`` (default
    :data:`search.dictionaries.DICTIONARY_DIR`); the ones missing are logged and left out."""
    started = time.perf_counter()
    pairs = {}
    for (source, target), name in DICTIONARIES.items():
        try:
            entries = read_entries(name, target, directory)
        except OSError as exc:
            index_path, _ = dictionary_files(name, directory)
            log.warning(
                "query translation %s↔%s is off: cannot read the dictionary %s (%s); install Debian's dict-%s "
                "(`make system-deps` does it as root) or point SEARCH_DICTIONARY_DIR at a directory that has it",
                source, target, index_path.with_suffix(""), exc.strerror or exc, name,
            )  # fmt: skip
            continue
        forward = pairs.setdefault((source, target), {})
        backward = pairs.setdefault((target, source), {})
        for headword, translations in entries:
            term = _term(source, headword)
            if term is None:
                continue
            for translation in translations:
                translated = _term(target, translation)
                if translated is not None:
                    forward.setdefault(term, {})[translated] = None
                    backward.setdefault(translated, {})[term] = None
    table = {
        pair: {term: tuple(found) for term, found in terms.items() if len(found) <= MAX_TRANSLATIONS}
        for pair, terms in pairs.items()
    }
    _term.cache_clear()
    return Translations(table, time.perf_counter() - started)


@functools.lru_cache(maxsize=None)
def _term(lang, word):
    """The one index term of a dictionary word, or ``None``."""
    terms = query_terms(lang, word)
    if len(terms) != 1 or not terms[0].isalpha():
        return None
    return terms[0]


CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")) / "news-search"
#: What the tables are computed with, besides the dictionaries.
_CODE = [Path(__file__).parent / name for name in ("dictionaries.py", "translate.py")]
_CODE += sorted((Path(__file__).parent.parent / "index" / "analysis").glob("*.py"))
_LIBRARIES = ("pymorphy3", "pymorphy3-dicts-ru", "snowballstemmer", "whoosh3")


def cache_key(directory):
    """Changes with the dictionaries' files and with what analyzes them."""
    digest = hashlib.sha256()
    for name in DICTIONARIES.values():
        for path in dictionary_files(name, directory):
            try:
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
            except OSError:
                digest.update(f"{path}: missing\n".encode())
    for path in _CODE:
        digest.update(path.read_bytes())
    for library in _LIBRARIES:
        try:
            digest.update(f"{library} {importlib.metadata.version(library)}\n".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{library} -\n".encode())
    return digest.hexdigest()[:20]


def load(directory=None, cache_dir=None):
    """:class:`Translations` of ``directory``'s dictionaries, from the cache
    when it has them, else built (and then cached)."""
    directory = DICTIONARY_DIR if directory is None else Path(directory)
    cache_dir = CACHE_DIR if cache_dir is None else Path(cache_dir)
    started = time.perf_counter()
    path = cache_dir / f"translations-{cache_key(directory)}.json"
    try:
        with open(path, encoding="utf-8") as f:
            rows = json.load(f)
        table = {(source, target): {term: tuple(found) for term, found in terms.items()} for source, target, terms in rows}
        return Translations(table, time.perf_counter() - started)
    except (OSError, ValueError, TypeError, AttributeError):
        pass  # not cached yet (or damaged): build it
    found = build(directory)
    if found.table:
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            rows = [[source, target, terms] for (source, target), terms in found.table.items()]
            replace_atomically(path, json.dumps(rows, ensure_ascii=False))
        except OSError as exc:
            log.info("query translation: cannot cache the tables in %s (%s)", cache_dir, exc)
    return found


_lock = threading.Lock()
_loaded = {}


def translations():
    """The process's :class:`Translations` (loaded on first use), or ``None``
    when no dictionary could be read."""
    with _lock:
        if DICTIONARY_DIR not in _loaded:
            found = load()
            _loaded[DICTIONARY_DIR] = found if len(found) else None
            if found.table:
                log.info("query translation: %d terms from %s in %.1f s", len(found), DICTIONARY_DIR, found.seconds)
        return _loaded[DICTIONARY_DIR]
