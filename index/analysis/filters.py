"""Token filters for the four languages, each a small generator in Whoosh's style.

They are composed with ``|`` after :class:`~index.analysis.tokenizer.NewsTokenizer`
in :mod:`index.analysis`.  Every filter is picklable without its caches, because
Whoosh pickles the schema, analyzers included, into the index.
"""

import functools
import re
import unicodedata
from itertools import accumulate, compress
from operator import add

from whoosh.analysis import Filter

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060"))
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-"})
_DIGIT_GROUPS = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")
_HYPHENS = re.compile("[-\u2010\u2011]")
_HYPHEN_PARTS = re.compile("[^-\u2010\u2011]+")


def is_word(text):
    """True for tokens made of letters only, the ones a stemmer should see
    (not numbers, URLs, handles, or model names such as ``kn-23``)."""
    return text.replace("-", "").replace("'", "").isalpha()


class _Stateless(Filter):
    """Base for filters whose behaviour is fixed by their class (and ``lang``)."""

    def __eq__(self, other):
        return self.__class__ is other.__class__ and self.__dict__ == other.__dict__

    def __hash__(self):
        return hash(self.__class__.__name__)


class CompoundPartsFilter(_Stateless):
    """Splits hyphenated tokens into their parts.

    At index time ``Észak-Korea`` is indexed as ``Észak-Korea`` plus ``Észak``
    and ``Korea`` (the first part shares the whole token's position, the others
    follow), so that ``Korea`` alone and the phrase ``"Észak Korea"`` both find
    it.  At query time only the parts are emitted: a query for
    ``Nyugat-Virginiában`` becomes the phrase ``nyugat virgini``, which finds
    every inflection of the last part, where the whole token would have to be
    inflected exactly alike.
    """

    # The parts' positions move the later tokens: index.analysis.token_terms allows for it.
    token_local = True

    def __call__(self, tokens):
        shift = 0
        for t in tokens:
            if t.positions:
                t.pos += shift
            parts = hyphen_parts(t.text)
            if not parts:
                yield t
                continue
            if t.mode != "query":
                yield t
            pos, startchar = (t.pos if t.positions else 0), (t.startchar if t.chars else 0)
            for i, (part, offset) in enumerate(parts):
                t.text = part
                if t.positions:
                    t.pos = pos + i
                if t.chars:
                    t.startchar = startchar + offset
                    t.endchar = t.startchar + len(part)
                yield t
            shift += len(parts) - 1


def hyphen_parts(text):
    """``(part, offset)`` of each part of a hyphenated token, or ``()`` for a
    token :class:`CompoundPartsFilter` leaves whole.  The token takes as many
    positions as it has parts (at least one)."""
    if not _HYPHENS.search(text) or text.startswith(("http", "www.")):
        return ()
    parts = [(m.group(0), m.start()) for m in _HYPHEN_PARTS.finditer(text)]
    return parts if len(parts) > 1 else ()


def positions_taken(tokens):
    """How many positions the token texts ``tokens`` take in a field whose
    analyzer splits them with :class:`CompoundPartsFilter`: one each, and one
    per part of a hyphenated token."""
    return len(tokens) + sum((len(hyphen_parts(text)) or 1) - 1 for text in filter(_HYPHENS.search, tokens))


def has_hyphen(text):
    return _HYPHENS.search(text) is not None


def token_positions(tokens):
    """The position of each of the token texts ``tokens`` in such a field (a
    range when none is hyphenated)."""
    count = len(tokens)
    hyphenated = list(compress(range(count), map(_HYPHENS.search, tokens)))
    if not hyphenated:
        return range(count)
    # (a Python step for the few hyphenated tokens only)
    extra = [0] * count
    for number in hyphenated:
        extra[number] = (len(hyphen_parts(tokens[number])) or 1) - 1
    return list(map(add, range(count), accumulate(extra[:-1], initial=0)))


class NormalizeFilter(_Stateless):
    """Unicode compatibility normalization, case folding (which also folds
    Greek final sigma and German ß), one apostrophe and one hyphen character,
    no invisible characters, and ``10.000`` equal to ``10000``."""

    token_local = True

    def __call__(self, tokens):
        for t in tokens:
            t.text = normalize_token(t.text)
            yield t


@functools.lru_cache(maxsize=200_000)
def normalize_token(text):
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    text = text.translate(_APOSTROPHES).casefold()
    if text[:1].isdigit() and _DIGIT_GROUPS.match(text):
        text = text.replace(".", "").replace(",", "")
    return text


class GreekAccentFilter(_Stateless):
    """Removes tonos and diaeresis, so ``Άμυνας`` and ``αμυνας`` are one word.

    Only Greek letters are touched: Cyrillic й and Latin ő keep their marks.
    """

    token_local = True

    def __call__(self, tokens):
        for t in tokens:
            text = t.text
            if not text.isascii():
                t.text = strip_greek_marks(text)
            yield t


@functools.lru_cache(maxsize=100_000)
def strip_greek_marks(text):
    kept = []
    base_is_greek = False
    for c in unicodedata.normalize("NFD", text):
        if not unicodedata.combining(c):
            base_is_greek = "\u0370" <= c <= "\u03ff"
        elif base_is_greek:
            continue
        kept.append(c)
    return unicodedata.normalize("NFC", "".join(kept))


class RussianYoFilter(_Stateless):
    """``ё`` is written as ``е`` in most Russian text; index both as ``е``."""

    token_local = True

    def __call__(self, tokens):
        for t in tokens:
            t.text = t.text.replace("ё", "е")
            yield t


class HungarianLetterFilter(_Stateless):
    """Repairs ő and ű that arrive as õ/ô and û/ũ (Latin-1 and Latin-2 text
    decoded with the wrong table, and the Whoosh Hungarian stemmer's own bug),
    so that they stem like the real letters."""

    token_local = True

    _table = str.maketrans({"õ": "ő", "ô": "ő", "û": "ű", "ũ": "ű"})

    def __call__(self, tokens):
        for t in tokens:
            t.text = t.text.translate(self._table)
            yield t


def _repair_greek(word, stem):
    # Snowball takes -ια off the nominative (Ρωσία → ρωσ) but only -ας off the
    # genitive (Ρωσίας → ρωσι); every country name in -ία is hit.
    if word.endswith("ιασ") and stem.endswith("ι") and len(stem) > 3:
        return stem[:-1]
    return stem


def _repair_german(word, stem):
    # The genitive -s of names ending in a vowel (Nordkoreas, Russlands has a
    # consonant and is handled by Snowball) is left on by Snowball.
    if len(stem) > 4 and stem.endswith("s") and stem[-2] in "aeiouy":
        return stem[:-1]
    return stem


def _repair_hungarian(word, stem):
    # Snowball strips one suffix layer: katonák → katona, but katonát and
    # katona → katon.  Dropping the stem-final vowel joins them.
    if len(stem) > 3 and stem[-1] in "aeáé":
        return stem[:-1]
    return stem


_REPAIRS = {"greek": _repair_greek, "german": _repair_german, "hungarian": _repair_hungarian}
# Hungarian Snowball reads the last letter of short words as a suffix:
# Kim → ki, két → ké.  Words this short are kept as they are.
_MIN_LENGTH = {"hungarian": 4}


class SnowballFilter(_Stateless):
    """Stems words with the Snowball stemmer of ``lang`` (``snowballstemmer``,
    accelerated by PyStemmer when it is installed), then mends the few
    systematic misses of that stemmer that matter in news text.  The repairs
    were chosen on treebank lemmas with ``bench/conflation.py``.
    """

    token_local = True

    def __init__(self, lang):
        self.lang = lang

    def __getstate__(self):
        return {"lang": self.lang}

    def __setstate__(self, state):
        self.__dict__.update(state)

    def __eq__(self, other):
        return self.__class__ is other.__class__ and self.lang == other.lang

    __hash__ = _Stateless.__hash__

    def _stemmer(self):
        stem = self.__dict__.get("_stem")
        if stem is None:
            import snowballstemmer

            snowball = snowballstemmer.stemmer(self.lang).stemWord
            repair = _REPAIRS.get(self.lang)
            min_length = _MIN_LENGTH.get(self.lang, 1)
            cache = {}

            def stem(word):
                result = cache.get(word)
                if result is None:
                    result = snowball(word) if len(word) >= min_length else word
                    if repair is not None:
                        result = repair(word, result)
                    if len(cache) > 200_000:
                        cache.clear()
                    cache[word] = result
                return result

            self.__dict__["_stem"] = stem
        return stem

    def __call__(self, tokens):
        stem = self._stemmer()
        for t in tokens:
            if is_word(t.text):
                t.text = stem(t.text)
            yield t


class RussianLemmaFilter(_Stateless):
    """Replaces Russian words by their dictionary form from pymorphy3
    (``Белоусова``, ``Белоусову`` → ``белоусов``).

    When pymorphy3 rates a proper-name reading as likely as another one, the
    name wins: news text is full of surnames (``Белоусов`` is also the genitive
    plural of ``белоус``).  Lemmas are cached per process; news vocabulary
    repeats, so the cache saves most look-ups.
    """

    token_local = True

    _NAME_TAGS = frozenset({"Surn", "Name", "Patr", "Geox", "Orgn"})
    cache_size = 200_000

    def __getstate__(self):
        return {}

    def __setstate__(self, state):
        pass

    def __eq__(self, other):
        return self.__class__ is other.__class__

    __hash__ = _Stateless.__hash__

    def _lemmatizer(self):
        lemmatize = self.__dict__.get("_lemmatize")
        if lemmatize is None:
            lemmatize = self.__dict__["_lemmatize"] = _russian_lemmatizer(self._NAME_TAGS, self.cache_size)
        return lemmatize

    def __call__(self, tokens):
        lemmatize = self._lemmatizer()
        for t in tokens:
            text = t.text
            if is_word(text) and not text.isascii():
                t.text = lemmatize(text)
            yield t


_MORPH = None


def _morph():
    global _MORPH
    if _MORPH is None:
        import pymorphy3

        _MORPH = pymorphy3.MorphAnalyzer()
    return _MORPH


@functools.lru_cache(maxsize=20_000)
def russian_parses(word):
    """pymorphy3's readings of ``word``.  The lemma filter and the name keys
    (:mod:`index.analysis.names`) ask about the same words of a document one
    after the other, so the recent ones are kept for both."""
    return tuple(_morph().parse(word))


def _russian_lemmatizer(name_tags, cache_size):
    parse = russian_parses
    cache = {}

    def lemmatize(word):
        lemma = cache.get(word)
        if lemma is None:
            if "-" in word:
                lemma = "-".join(lemmatize(part) if part else part for part in word.split("-"))
            else:
                try:
                    parses = parse(word)
                except ValueError:
                    # pymorphy3 asks unicodedata for every letter's name, and
                    # some letters have none (Tangut, Nüshu, …): not Russian.
                    parses = None
                if parses:
                    best = max(parses, key=lambda p: (round(p.score, 3), bool(name_tags & p.tag.grammemes)))
                    lemma = best.normal_form.replace("ё", "е")
                else:
                    lemma = word
            if len(cache) >= cache_size:
                cache.clear()
            cache[word] = lemma
        return lemma

    return lemmatize
