"""Language analyzers: one Whoosh analyzer per language, used both to index
text and to analyze queries (Whoosh passes ``mode="query"`` at query time)."""

import functools

from whoosh.analysis import Filter, StopFilter

from .compounds import GermanCompoundFilter
from .filters import (
    CompoundPartsFilter,
    GreekAccentFilter,
    HungarianLetterFilter,
    NormalizeFilter,
    RussianLemmaFilter,
    RussianYoFilter,
    SnowballFilter,
    strip_greek_marks,
)
from .names import NameCandidateFilter, NameKeyFilter
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
        return base | _stops("de") | GermanCompoundFilter() | _stops("de") | SnowballFilter("german")
    if lang == "hu":
        return base | HungarianLetterFilter() | _stops("hu") | SnowballFilter("hungarian")
    if lang == "ru":
        return base | RussianYoFilter() | _stops("ru") | RussianLemmaFilter()
    return base


class WordFilter(Filter):
    """Keeps words of two letters or more, without numbers or punctuation."""

    token_local = True

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(self, tokens):
        for t in tokens:
            if len(t.text) > 1 and t.text.isalpha():
                yield t


class SuggestionFilter(Filter):
    """Emits ``folded + SEPARATOR + shown`` for each word: the analyzer of the
    ``suggest`` field of indexes built before word completions were read from
    the ``words_<lang>`` fields (kept so that their pickled schema opens)."""

    token_local = True

    SEPARATOR = "\x1f"

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(self, tokens):
        for t in tokens:
            shown = t.text.lower()
            if len(shown) > 2 and shown.isalpha():
                t.text = fold(shown) + self.SEPARATOR + shown
                yield t


class FoldFilter(Filter):
    """Words in their folded form (see :func:`fold`): what the search box's
    title completions are looked up by."""

    token_local = True

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold(t.text)
            yield t


def fold(text):
    """The form words are compared in for spelling and completion: case
    folded, without Greek accents, ``ё`` as ``е``."""
    return strip_greek_marks(text.casefold()).replace("ё", "е")


def build_word_analyzer(lang):
    """Surface words, normalized but not stemmed: the vocabulary that typo
    correction and "did you mean" choose from."""
    base = NewsTokenizer() | NormalizeFilter()
    if lang == "el":
        base = base | GreekAccentFilter()
    elif lang == "ru":
        base = base | RussianYoFilter()
    elif lang == "hu":
        base = base | HungarianLetterFilter()
    return base | WordFilter()


@functools.lru_cache(maxsize=None)
def word_analyzer_for(lang):
    return build_word_analyzer(lang if lang in LANGUAGES else OTHER)


def build_name_analyzer():
    """The cross-script form of names and other capitalised words, in every
    language at once (see :mod:`index.analysis.names`)."""
    return (
        NewsTokenizer()
        | CompoundPartsFilter()
        | NameCandidateFilter()
        | NormalizeFilter()
        | GermanCompoundFilter()
        | NameKeyFilter()
    )


@functools.lru_cache(maxsize=None)
def name_analyzer():
    return build_name_analyzer()


def name_terms(text, mode="index"):
    """The cross-script keys ``text`` is indexed (or, with ``mode="query"``,
    looked up) under, in order."""
    return [t.text for t in name_analyzer()(text, mode=mode)]


def build_title_suggestion_analyzer():
    return NewsTokenizer() | CompoundPartsFilter() | NormalizeFilter() | FoldFilter()


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
