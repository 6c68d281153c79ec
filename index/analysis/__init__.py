"""Language analyzers: one Whoosh analyzer per language, used both to index
text and to analyze queries (Whoosh passes ``mode="query"`` at query time)."""

import functools

from whoosh.analysis import StopFilter

from .filters import (
    CompoundPartsFilter,
    GreekAccentFilter,
    HungarianLetterFilter,
    NormalizeFilter,
    RussianLemmaFilter,
    RussianYoFilter,
    SnowballFilter,
)
from .stopwords import stoplist
from .tokenizer import NewsTokenizer

#: The languages the engine analyzes with their own rules.
LANGUAGES = ("el", "de", "hu", "ru")
#: Field suffix for text in any other language.
OTHER = "xx"


def _stops(lang):
    # renumber=False keeps a gap where a stop word was, so a phrase query
    # cannot match words that were not next to each other.
    return StopFilter(stoplist=stoplist(lang), minsize=1, renumber=False)


def build_analyzer(lang):
    """A new analyzer for ``lang`` (``el``, ``de``, ``hu``, ``ru``; anything
    else gets the language-neutral analyzer: normalized, case-folded words)."""
    base = NewsTokenizer() | CompoundPartsFilter() | NormalizeFilter()
    if lang == "el":
        return base | GreekAccentFilter() | _stops("el") | SnowballFilter("greek")
    if lang == "de":
        return base | _stops("de") | SnowballFilter("german")
    if lang == "hu":
        return base | HungarianLetterFilter() | _stops("hu") | SnowballFilter("hungarian")
    if lang == "ru":
        return base | RussianYoFilter() | _stops("ru") | RussianLemmaFilter()
    return base


@functools.lru_cache(maxsize=None)
def analyzer_for(lang):
    """The shared analyzer for ``lang`` (see :func:`build_analyzer`)."""
    return build_analyzer(lang if lang in LANGUAGES else OTHER)


def index_terms(lang, text):
    """The terms ``text`` is indexed under in ``lang``, in order."""
    return [t.text for t in analyzer_for(lang)(text, mode="index")]


def query_terms(lang, text):
    """The terms a query for ``text`` in ``lang`` looks up, in order."""
    return [t.text for t in analyzer_for(lang)(text, mode="query")]
