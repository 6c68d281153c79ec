"""German decompounding over Debian's German word list (package ``wngerman``).

``Verteidigungsminister`` is indexed as itself and as its parts
``Verteidigung`` and ``Minister``, so that either finds it; ``Rüstungsindustrie``
as ``Rüstung`` and ``Industrie``.  A word is split only into words of the
list: the head a noun of the list, the modifier (less a linking ``-s``, ``-es``,
``-n``, ``-en``, ``-er`` or ``-e``) a noun of the list, ``außen`` or ``innen``, or
itself such a compound, a compound head split in turn where a linking element shows the seam, every part at least :data:`MIN_PART_LETTERS` letters.  So no
fragments (``e``, ``en``) reach the index, and prepositions and verb prefixes
(``Unterstützung`` is not ``unter`` + ``Stützung``) split nothing.  Only index
time splits: a query word is looked up whole, and finds the compounds whose
part it is.

The list is read once per process (356,000 forms, about 0.2 s).  Without it,
analysis stops with :class:`MissingWordListError` saying how to install it:
an index built without decompounding would silently lack the parts.
"""

import functools
import os
from pathlib import Path

from whoosh.analysis import Filter

#: Debian's ``wngerman`` (igerman98, GPL-2+); read, never copied into the project.
WORD_LIST = Path(os.environ.get("SEARCH_GERMAN_WORD_LIST", "/usr/share/dict/ngerman"))
MIN_PART_LETTERS = 4
#: Linking elements (Fugenelemente) between modifier and head, longest first.
LINKS = ("es", "en", "er", "s", "n", "e", "")
#: Derivational suffixes that the list also has as nouns (Partnerschaft is no
#: compound of Schaft, the shaft).
NOT_HEADS = frozenset({"schaft", "schaften"})
#: Modifiers that are no nouns but make news compounds by the hundred
#: (Außenminister, Innenpolitik), never with a linking element (Außenseiter is
#: no Außen|s|eiter); adjectives are left out on purpose: Großvater is no Vater.
ADVERB_MODIFIERS = frozenset(word.casefold() for word in ("außen", "innen"))


class MissingWordListError(RuntimeError):
    pass


@functools.lru_cache(maxsize=None)
def _nouns():
    try:
        with open(WORD_LIST, encoding="utf-8") as f:
            lines = f.read().split()
    except OSError as exc:
        raise MissingWordListError(
            f"German decompounding needs the word list {WORD_LIST} ({exc.strerror}): install Debian's "
            "wngerman (`apt-get install wngerman`; `make install` does it as root), or point "
            "SEARCH_GERMAN_WORD_LIST at a list of German words, one per line."
        ) from None
    return frozenset(w.casefold() for w in lines if w[:1].isupper() and w.isalpha())


@functools.lru_cache(maxsize=200_000)
def split_compound(word):
    """The parts of the case-folded ``word``, modifiers first, or ``()``
    when it is no compound of the list's nouns."""
    return _split(word)[0]


def _split(word):
    """``(parts, linked)``: ``linked`` when a linking element joins the last
    modifier to the head."""
    if len(word) < 2 * MIN_PART_LETTERS or not word.isalpha():
        return (), False
    nouns = _nouns()
    # The longest head first: Verteidigungsministerium is Verteidigung +
    # Ministerium, not Verteidigungsminister + ium.
    for cut in range(MIN_PART_LETTERS, len(word) - MIN_PART_LETTERS + 1):
        head = word[cut:]
        if head not in nouns or head in NOT_HEADS:
            continue
        modifier = word[:cut]
        for link in LINKS:
            if not modifier.endswith(link):
                continue
            stem = modifier[: len(modifier) - len(link)]
            if len(stem) < MIN_PART_LETTERS:
                continue
            if stem in nouns or (stem in ADVERB_MODIFIERS and not link):
                modifiers = (stem,)
            else:
                modifiers = split_compound(stem)
            if modifiers:
                # A head that is itself a noun of the list is split again
                # only where a linking element shows the seam after a modifier
                # longer than the shortest (Verteidigungs|minister; not
                # Abtei|lungen, Tran|s|fusionen).
                inner, inner_linked = _split(head)
                if not inner_linked or len(inner[0]) <= MIN_PART_LETTERS:
                    inner = ()
                return (*modifiers, head, *inner), bool(link)
    return (), False


class GermanCompoundFilter(Filter):
    """At index time, follows each compound by its parts (:func:`split_compound`),
    at the compound's position and with its character offsets, so a phrase
    still matches and a part marks the whole word.  At query time does nothing."""

    token_local = True

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(self, tokens):
        for t in tokens:
            # Later filters change the token in place: split before yielding it.
            parts = () if t.mode == "query" else split_compound(t.text)
            yield t
            for part in parts:
                t.text = part
                yield t
