"""The cross-script form of names: one key for Μπελούσοφ, Белоусов, Belousow
and Belouszov.

A word is transliterated to Latin with ICU's transforms (``Greek-Latin/UNGEGN``
after a pre-pass for the Greek digraphs that spell foreign sounds, μπ ντ γκ ου
τσ τζ; ``Russian-Latin/BGN`` after pymorphy3 has taken the word to its
dictionary form; ``Latin-ASCII`` for every script), then folded phonetically
so that the transcription conventions of Greek, Russian, German and Hungarian
meet (:func:`phonetic_fold`).  Hungarian case suffixes and the German genitive
``-s`` are taken off Latin words, Greek final ``-ς`` off Greek ones
(:func:`inflection_stems`); the word is indexed under its whole key *and* the
stripped one, so that a stem that merely looks like a suffix
(``Washington``/``Washingtonban``) still meets.

Only names and other capitalised words are indexed this way
(:class:`NameCandidateFilter`): a lower-case word is a common word of its
language, and common words must not start matching across languages.
Keys of short words are not folded or stripped: ``Kim`` stays ``kim``, and
two- and one-letter words get no key at all, so short words cannot collapse
together.
"""

import functools
import re

from whoosh.analysis import Filter

from .filters import _morph, is_word, russian_parses, strip_greek_marks
from .stopwords import stoplist

#: Words with fewer letters than this get no cross-script key.
MIN_KEY_LETTERS = 3
#: Words whose transliteration has fewer letters than this are not folded.
MIN_FOLDED_LETTERS = 4
#: A stem left after taking off a suffix keeps at least this many letters.
MIN_STEM_LETTERS = 3

# The Greek spellings of foreign sounds, before ICU sees the word (which
# would give mp, nt, nk, ou).  UNGEGN writes χ as "ch", which would read as
# German sch after σ (Μόσχα).
_GREEK_DIGRAPHS = tuple(
    (re.compile(pattern), latin)
    for pattern, latin in (
        ("γου(?=[αεηιοωυ])", "w"),  # Γουονσάν = Wonsan
        ("μπ", "b"),
        ("ντ", "d"),
        ("γκ", "g"),
        ("γγ", "ng"),
        ("τσ", "ts"),
        ("τζ", "dz"),
        ("ου", "u"),
        ("χ", "kh"),
    )
)
_NON_LETTERS = re.compile(r"[^a-z]")
_TRANSFORMS = {
    "Greek": "Greek-Latin/UNGEGN; Latin-ASCII",
    "Cyrillic": "Russian-Latin/BGN; Latin-ASCII",
    "Latin": "Latin-ASCII",
}

# Applied in order to the lower-case ASCII transliteration.
_PHONETIC_RULES = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        # Russian щ (BGN shch) as German schtsch and Hungarian scs will meet it
        (r"shch", "sc"),
        # Latin c that sounds k (Doctor, Broncos, Victoria: Доктор, Бронкос, Виктория)
        (r"c(?=[aoulrtkn])", "k"),
        (r"ph", "f"),
        (r"th", "t"),
        # affricates: German tsch, Russian ч (BGN ch), Hungarian cs, ц ts, tz
        (r"tsch|tch|cs|ts|tz|cz", "c"),
        (r"dsch|dzs|dzh|dz|dj", "j"),
        # sibilants: German sch, Hungarian sz/zs/s, Russian ш ж (BGN sh zh), z/s
        (r"sch|sh|sz|zs|zh|z", "s"),
        # Russian х (BGN kh), German ch, Greek χ: then no h at all, which Greek
        # lacks and the others write in different places (Rhein, Рейн; Hinduismus, Ινδουισμός)
        (r"kh|ch|h", ""),
        # Hungarian gy ty ny ly (Medvegyev, Putyin)
        (r"gy", "d"),
        (r"ty", "t"),
        (r"ny", "n"),
        (r"ly", "l"),
        # final -f/-v/-w and w/v everywhere (Λαβρόφ, Лавров, Lawrow)
        (r"[fw]", "v"),
        (r"ck|q", "k"),
        (r"x", "ks"),
        (r"ou", "u"),
        (r"[yj]", "i"),
        # Taylor, Тейлор; Kaiser, Keiser
        (r"ai", "ei"),
        # Greek spells mb/nd/nt with the b/d digraphs (Αντρέι = Andrej, Πεντάγωνο = Pentagon)
        (r"mb", "b"),
        (r"n[dt]", "d"),
        # a glide between vowels (Корея, BGN koreya, against Korea)
        (r"(?<=[aeiou])i(?=[aeiou])", ""),
        (r"(.)\1+", r"\1"),
        # final vowels: case and transcription (Ukraine, Ukrajna, Украина; Κίεβο; Mongolei, Монголия)
        (r"(?<=[a-z]{4})[aeiou]+$", ""),
        # Russian -ев/-ёв/-ов (Medvedev, Chruschtschow, Hruscsov; Kiew, Киев)
        (r"(?:e|io|o)v$", "ov"),
    )
)

# Hungarian case endings as Latin-ASCII spells them (ő → o), longest first,
# and the German genitive -s.  The instrumental -val/-vel assimilates to a
# final consonant (Kimmel, Putyinnal): see _ASSIMILATED.
_LATIN_SUFFIXES = tuple(
    sorted(
        """nak nek ban ben bol bul rol rul tol tul hoz hez nal nel val vel ert kent ig
        ba be ra re on en ot et at t i s""".split(),
        key=len,
        reverse=True,
    )
)
_ASSIMILATED = re.compile(r"([b-df-hj-np-tv-z])\1[ae]l$")


@functools.lru_cache(maxsize=None)
def _transliterator(script):
    import icu

    return icu.Transliterator.createInstance(_TRANSFORMS.get(script, "Any-Latin; Latin-ASCII"))


def _script_of(word):
    from ..language import script_of  # index.language imports this package

    return script_of(word)


def transliterate(word, script=None):
    """``word`` (case-folded) in lower-case ASCII Latin letters."""
    script = script or _script_of(word)
    if script == "Greek":
        word = strip_greek_marks(word)
        for digraph, latin in _GREEK_DIGRAPHS:
            word = digraph.sub(latin, word)
    latin = _transliterator(script).transliterate(word).lower()
    if script == "Cyrillic":
        # BGN's ch is ч, an affricate, where Latin ch (Bach, Chol) is not
        latin = latin.replace("shch", "stsch").replace("ch", "tsch")
    return _NON_LETTERS.sub("", latin)


def phonetic_fold(latin):
    """Folds the spellings of the same sounds in the four languages' Latin
    transcriptions together (``belouszov`` → ``belusov``)."""
    for pattern, replacement in _PHONETIC_RULES:
        latin = pattern.sub(replacement, latin)
    return latin


def inflection_stems(latin):
    """The stems ``latin`` may be an inflected form of: a Hungarian case
    suffix or a German genitive ``-s`` taken off (one layer)."""
    stems = []
    assimilated = _ASSIMILATED.search(latin)
    if assimilated and assimilated.start() + 1 >= MIN_STEM_LETTERS:
        stems.append(latin[: assimilated.start() + 1])
    for suffix in _LATIN_SUFFIXES:
        if latin.endswith(suffix) and len(latin) - len(suffix) >= MIN_STEM_LETTERS:
            stems.append(latin[: -len(suffix)])
            break
    return stems


@functools.lru_cache(maxsize=200_000)
def name_keys(word):
    """The cross-script keys of ``word`` (normalized, case-folded): the key of
    the whole word first, then those of its possible stems; empty for words
    too short to key."""
    if not is_word(word):
        return ()
    script = _script_of(word)
    if script == "Cyrillic":
        word = _russian_name_lemma(word.replace("ё", "е"))
    latin = transliterate(word, script)
    if len(latin) < MIN_KEY_LETTERS:
        return ()
    if len(latin) < MIN_FOLDED_LETTERS:
        return (latin,)
    keys = [phonetic_fold(latin)]
    adjective = _ADJECTIVE.get(script)
    if adjective is not None and adjective.search(word):
        # Рейнская, Маастрихтский, Ουγενοτική: the name they are made of as well
        keys.append(phonetic_fold(transliterate(adjective.sub("", word), script)))
    if script == "Latin":
        keys.extend(phonetic_fold(stem) for stem in inflection_stems(latin))
    elif script == "Greek" and latin.endswith("s") and len(latin) > MIN_STEM_LETTERS:
        # the nominative -ς of Greek declension (Μπρόνκος, Ουκρανίας; Broncos, Bronkos)
        keys.append(phonetic_fold(latin[:-1]))
    return tuple(dict.fromkeys(key for key in keys if len(key) >= MIN_KEY_LETTERS))


# Adjectives made of names, in their dictionary form (Russian) or any case (Greek).
_ADJECTIVE = {
    "Cyrillic": re.compile(r"(?<=[а-я]{4})(?:ск|цк)(?:ий|ой|ая|ое|ие)$"),
    "Greek": re.compile(r"(?<=[α-ω]{4})[ιί]κ(?:ός|ος|ή|η|ό|ο|ού|ου|ής|ης|οί|οι|ές|ες|ά|α|ών|ων)$"),
}

_NAME_TAGS = frozenset({"Surn", "Name", "Patr", "Geox", "Orgn"})


@functools.lru_cache(maxsize=100_000)
def _russian_name_lemma(word):
    # A name reading wins whenever pymorphy3 offers one: Белоусова is the
    # genitive of the surname Белоусов, not a word of its own.
    parses = russian_parses(word)
    if not _morph().word_is_known(word):
        # The lemma is a guess: of the likeliest guesses the shortest, and it
        # may take an ending off (Бингеном, Зеленского), never add one (Чхоль
        # is no form of Чхоля).
        best = max(p.score for p in parses)
        lemma = min((p.normal_form for p in parses if p.score >= best - 1e-3), key=len)
        return lemma if len(lemma) < len(word) else word
    names = [p for p in parses if _NAME_TAGS & p.tag.grammemes]
    return max(names or parses, key=lambda p: p.score).normal_form.replace("ё", "е")


@functools.lru_cache(maxsize=None)
def _all_stop_words():
    from . import LANGUAGES

    return frozenset().union(*(stoplist(lang) for lang in LANGUAGES))


class NameCandidateFilter(Filter):
    """At index time keeps capitalised words (names, places, agencies, and
    German nouns) that are not stop words in any language; at query time
    keeps every word, since readers type names in lower case.  Must come
    before case folding."""

    token_local = True

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(self, tokens):
        stops = _all_stop_words()
        for t in tokens:
            text = t.text
            t.capitalised = text[:1].isupper()
            if t.mode != "query" and not t.capitalised:
                continue
            if strip_greek_marks(text.casefold()).replace("ς", "σ") in stops:
                continue
            yield t


class NameKeyFilter(Filter):
    """Replaces each word by its cross-script keys (:func:`name_keys`), all
    at the word's position; words without a key are dropped.  A query word
    typed in lower case looks up its whole-word key only: the stems are for
    names, and a common word's stem may be a name's (Greek άνδρες, "men",
    less its -ς, would be Andrej)."""

    token_local = True

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(self, tokens):
        for t in tokens:
            keys = name_keys(t.text)
            if t.mode == "query" and not getattr(t, "capitalised", True):
                keys = keys[:1]
            for key in keys:
                t.text = key
                yield t
