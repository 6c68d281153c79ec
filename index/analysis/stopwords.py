"""Stop words per language, in the folded form the analyzers compare them in.

German, Hungarian and Russian use the Snowball lists that Whoosh ships.  Whoosh
has no Greek list, so ours is below: articles, pronouns, prepositions with
their contracted forms (στο, στην…), particles, conjunctions and the forms of
είμαι, written without accents and with σ for final ς, as the Greek analyzer
sees them.  Elided forms (κατ’, απ’) are listed with the plain apostrophe that
:class:`~index.analysis.filters.NormalizeFilter` turns every apostrophe into.
"""

import functools

from whoosh.lang.stopwords import stoplists

GREEK = frozenset(
    """
    ο η το οι τα του τησ των τον την τη τουσ τισ ενα ενασ μια μιασ ενοσ εναν
    στο στη στην στον στα στισ στουσ στου στησ στων σε σ' απο απ' με μ' για
    προσ κατα κατ' καθ' μετα μετ' παρα παρ' αντι αντ' επι επ' υπο υπ' δια
    χωρισ ωσ εωσ μεχρι αχρι περι
    και κι κ' ή ουτε μητε ουδε αλλα αλλ' ομωσ ενω αν εαν οταν οτι πωσ που
    ποιοσ ποια ποιο ποιοι ποιεσ ποιων ποιουσ ποιον οποιοσ οποια οποιο οποιοι
    οποιεσ οποιων οποιουσ οποιον οσο οση οσοι οσα οπωσ οπου αφου αφ' γιατι
    διοτι επειδη ωστε μηπωσ ισωσ
    να θα δεν δε μη μην ασ ναι οχι
    αυτοσ αυτη αυτο αυτοι αυτεσ αυτα αυτου αυτησ αυτων αυτον αυτην αυτουσ
    εκεινοσ εκεινη εκεινο εκεινοι εκεινεσ εκεινα εκεινου εκεινησ εκεινων
    εκεινον εκεινην εκεινουσ
    εγω εσυ εμεισ εσεισ μου σου τησ μασ σασ τουσ με σε τον την το μασ σασ
    τουσ τισ τα του τησ των
    ειμαι εισαι ειναι ειμαστε ειστε ηταν ημουν ησουν ημασταν ησασταν
    τοτε τωρα εδω εκει πολυ πιο επισησ ακομα ακομη ηδη μονο
    """.split()
)


# Content words that Whoosh's Hungarian list treats as stop words: ``Nagy`` is
# a common surname, and a reader may well search for ``új`` or ``teljes``.
_HUNGARIAN_CONTENT_WORDS = frozenset(
    "cikk cikkek cikkeket ison jó jól keressünk nagy nagyobb teljes új újabb utolsó".split()
)
# Whoosh's Hungarian list spells ő and ű as õ and û.
_HUNGARIAN_LETTERS = str.maketrans({"õ": "ő", "û": "ű"})


@functools.lru_cache(maxsize=None)
def stoplist(lang):
    """The stop words of ``lang`` (``el``, ``de``, ``hu`` or ``ru``), folded
    like the tokens they are compared with; an empty set for other languages."""
    if lang == "el":
        return GREEK
    words = stoplists.get(lang, ())
    if lang == "hu":
        return frozenset(w.translate(_HUNGARIAN_LETTERS) for w in words) - _HUNGARIAN_CONTENT_WORDS
    if lang == "ru":
        return frozenset(w.casefold().replace("ё", "е") for w in words)
    return frozenset(w.casefold() for w in words)
