"""Expand per language: turn a parsed query into a Whoosh query over the
per-language fields, each word analyzed by the analyzer of every language it
could belong to.

A word is looked up in the fields of the languages its script allows (a
Cyrillic word in the Russian and the other-language fields, a Latin word
everywhere, since Greek and Russian articles quote Latin names and codes).
A word that is a stop word in a language of its script is optional: German
``die`` is not indexed in German text, so requiring it would lose every German
article.  Words that match nothing anywhere are corrected from the index's own
vocabulary (see :func:`correct`).

Every word is also looked up by its cross-script key in the ``names`` field
(:mod:`index.analysis.names`), at :data:`NAME_WEIGHT`: ``Belouszov`` finds
``Μπελούσοφ``, ``Белоусов`` and ``Belousow``, below articles that have the word
in the query's own spelling.

With dictionaries (:mod:`search.translate`), every word is also looked up by
its translations' index terms in the other languages' fields, at
:data:`TRANSLATION_WEIGHT`: ``Regierung`` finds ``правительство`` and
``κυβέρνηση``.  A word's translations into a language count as one
alternative (the best of them scores), so a word with many translations does
not outweigh a word with one.  An article scores the best of a word's
matches (a disjunction-max: as typed, through its key, through a
translation), not their sum.
"""

import datetime as dt
from dataclasses import dataclass, field

from whoosh import query as q

from index.analysis import LANGUAGES, OTHER, analyzer_for, fold, name_analyzer, query_terms, word_analyzer_for
from index.analysis.compounds import split_compound
from index.analysis.stopwords import stoplist
from index.language import detect_confidently, script_of
from index.schema import NAMES_FIELD, TEXT_LANGUAGES, term_text

from .errors import QueryError
from .parse import Word
from .scoring import BestOf
from .spelling import vocabulary

_SCRIPT_LANGUAGES = {"Greek": ("el", OTHER), "Cyrillic": ("ru", OTHER)}
_LANGUAGE_SCRIPT = {"el": "Greek", "ru": "Cyrillic", "de": "Latin", "hu": "Latin"}
#: The language a word is translated from, by its script.
_SCRIPT_SOURCE = {"Greek": "el", "Cyrillic": "ru", "Latin": "de"}
#: A prefix (word*) may stand for at most this many index terms per field.
MAX_PREFIX_TERMS = 256
PROXIMITY_SLOP = 4
PROXIMITY_BOOST = 2.0
#: Longer words are not spell-corrected: no real word is a typo away from a
#: word this long, and Whoosh's edit-distance automaton grows with the word
#: (a 10,000-letter one took seconds).
MAX_LETTERS_TO_CORRECT = 40

#: Queries with more words than this are not spell-corrected.
MAX_WORDS_TO_CORRECT = 4
#: Weight of a match of the exact word form, added to that of its stem, per
#: language.  It makes up for a stemmer's conflations (Snowball merges words
#: that are not forms of each other); Russian is lemmatized from a dictionary,
#: whose lemmas need no such correction, and there it only rewards a matching
#: grammatical case.
EXACT_FORM_BOOST = {"el": 0.3, "de": 0.3, "hu": 0.3, "ru": 0.0, OTHER: 0.3}
#: Boost of matches in a language other than the query's (when it is clear).
OTHER_LANGUAGE_WEIGHT = 0.5
#: In the partial-match fallback, the parts of a hyphenated word (Trump-Rally)
#: also count alone, at this weight, beside the word as a phrase.
PARTS_WEIGHT = 0.3
#: Boost of a match through the cross-script key of a word.
NAME_WEIGHT = 0.5
#: In longer queries, a match through the key or a translation does not make
#: a word present for "all words must match" (only for the best partial matches).
MAX_WORDS_MATCHED_BY_KEY = 4
#: Boost of a match through a translation of a word.
TRANSLATION_WEIGHT = 0.4
#: In queries with more words than this, a match through a translation does
#: not make a word present for "all words must match" (only for the best
#: partial matches): an article in another language that has every word only
#: through translations is often a chance match, and ranked first it pushed
#: the answer down (XQuAD de MRR@10 0.9362 with 4 here, 0.9367 with 1; the
#: same cross-lingual recall).  A one-word query has no such chance matches.
MAX_WORDS_MATCHED_BY_TRANSLATION = 1


@dataclass
class Expansion:
    """The Whoosh query and what it looks for, for highlighting."""

    query: q.Query
    #: terms to mark, per field language
    terms: dict = field(default_factory=dict)
    #: prefixes to mark (word*), per field language
    prefixes: dict = field(default_factory=dict)
    #: user's word → the word it was corrected to
    corrections: dict = field(default_factory=dict)


def field_languages(langs):
    """The field languages a ``lang`` filter selects (all when empty)."""
    if not langs:
        return TEXT_LANGUAGES
    selected = {lang if lang in LANGUAGES else OTHER for lang in langs}
    return tuple(lang for lang in TEXT_LANGUAGES if lang in selected)


def languages_for(text, targets):
    script = script_of(text)
    allowed = _SCRIPT_LANGUAGES.get(script, TEXT_LANGUAGES)
    return [lang for lang in targets if lang in allowed]


def is_optional(word, targets):
    """A stop word in a language it could be written in."""
    folded = fold(word)
    script = script_of(word)
    return any(
        folded in stoplist(lang) or word.casefold() in stoplist(lang)
        for lang in targets
        if lang in LANGUAGES and _LANGUAGE_SCRIPT[lang] == script
    )


class Expander:
    def __init__(self, searcher, targets, weights=None, fallback=False, translations=None):
        self.searcher = searcher
        self.fallback = fallback
        self.reader = searcher.reader()
        self.targets = targets
        #: boost per field language (the query's own language counts most)
        self.weights = weights or {}
        self.terms = {}
        self.prefixes = {}
        # Names are matched across scripts only when every language is
        # searched (a lang: filter is about the text's language), and only in
        # indexes built with the names field.
        self.names = NAMES_FIELD in searcher.schema and set(targets) == set(TEXT_LANGUAGES)
        # Likewise translations (a lang: filter asks for texts in that language).
        self.translations = translations if set(targets) == set(TEXT_LANGUAGES) else None
        #: the query's language, when it is clear: the language of its Latin words
        self.language = max(self.weights, key=self.weights.get) if self.weights else None

    def _note(self, lang, terms):
        self.terms.setdefault(lang, set()).update(terms)

    def item_query(self, item, note=True):
        """The query for one word or phrase, or ``None`` if it has no
        searchable terms in any target language."""
        alternatives = []
        for lang in languages_for(item.text, self.targets):
            if isinstance(item, Word) and item.prefix:
                alternatives.extend(self._prefix_queries(lang, item.text, note))
                continue
            tokens = [(t.text, t.pos) for t in analyzer_for(lang)(item.text, positions=True, mode="query")]
            terms = [text for text, _ in tokens]
            if not terms:
                continue
            if note:
                self._note(lang, terms)
            # Stop words leave gaps in the indexed positions; allow for them.
            slop = 1 + (tokens[-1][1] - tokens[0][1]) - (len(tokens) - 1)
            boost = self.weights.get(lang, 1.0)
            for fieldname in (f"title_{lang}", f"body_{lang}"):
                if len(terms) == 1:
                    alternatives.append(q.Term(fieldname, terms[0], boost=boost))
                else:
                    alternatives.append(q.Phrase(fieldname, terms, slop=slop, boost=boost))
                    if PARTS_WEIGHT and self.fallback and isinstance(item, Word):
                        alternatives.extend(q.Term(fieldname, t, boost=boost * PARTS_WEIGHT) for t in terms)
            exact_boost = EXACT_FORM_BOOST.get(lang, 0.0)
            if exact_boost and len(terms) == 1:
                # The word exactly as typed counts on top of its stem.
                forms = [t.text for t in word_analyzer_for(lang)(item.text)]
                if len(forms) == 1:
                    alternatives.append(q.Term(f"words_{lang}", forms[0], boost=boost * exact_boost))
        single_word = isinstance(item, Word) and not item.prefix
        names = self._name_queries(item.text, note) if self.names and single_word else []
        translated = self._translated_queries(item.text, note) if self.translations and single_word else []
        matches = [
            _any_of(alternatives, q.Or),
            _any_of(names, q.Or),
            # the best of its translations (a word with twelve translations
            # is one word, not twelve)
            _any_of(translated, BestOf),
        ]
        matches = [match for match in matches if match is not None]
        if not matches:
            return None
        # The best of them: an article that has the word as typed gains
        # nothing from also having it through its key or a translation, so
        # matches across languages do not reorder the matches within one.
        return BestOf(matches) if len(matches) > 1 else matches[0]

    def _translated_queries(self, text, note):
        """The word's translations' index terms in the other target languages;
        for a German compound without any, those of its parts, each part the
        best of its own (``Verteidigungsspieler``: ``Verteidigung``, ``Spieler``)."""
        script = script_of(text)
        source = _SCRIPT_SOURCE.get(script)
        if script == "Latin" and self.language not in (None, "de"):
            source = None  # a Hungarian word, or a name quoted in Greek or Russian
        terms = query_terms(source, text) if source else []
        if len(terms) != 1:
            return []
        queries = self._translations_of(source, terms[0], note)
        if not queries and source == "de":
            parts = [query_terms(source, part) for part in split_compound(text.casefold())]
            by_part = [_any_of(self._translations_of(source, part[0], note), BestOf) for part in parts if len(part) == 1]
            by_part = [query for query in by_part if query is not None]
            queries = [_any_of(by_part, q.Or)] if by_part else []
        return queries

    def _translations_of(self, source, term, note):
        queries = []
        for target, translated in self.translations.of(source, term).items():
            if target not in self.targets:
                continue
            if note:
                self._note(target, translated)
            for term in translated:
                queries.append(
                    q.Or([q.Term(f"{kind}_{target}", term, boost=TRANSLATION_WEIGHT) for kind in ("title", "body")])
                )
        return queries

    def _name_queries(self, text, note):
        """The word's cross-script keys in the names field (one word only:
        the parts of a hyphenated word are matched by the language fields)."""
        tokens = [(t.text, t.pos) for t in name_analyzer()(text, positions=True, mode="query")]
        if not tokens or len({pos for _, pos in tokens}) > 1:
            return []
        keys = list(dict.fromkeys(key for key, _ in tokens))
        if note:
            self._note(NAMES_FIELD, keys)
        return [q.Term(NAMES_FIELD, key, boost=NAME_WEIGHT) for key in keys]

    def _prefix_queries(self, lang, text, note):
        prefix = fold(text)
        if note:
            self.prefixes.setdefault(lang, set()).add(prefix)
        queries = []
        # The stems of the text fields, and the words as written: a stem is
        # often shorter than a word that starts with the prefix (Verteidigungsministe*
        # against the stem verteidigungsminist), and German stems lose umlauts.
        for fieldname in (f"title_{lang}", f"body_{lang}", f"words_{lang}"):
            expanded = []
            for term in self.reader.expand_prefix(fieldname, prefix):
                expanded.append(term_text(term))
                if len(expanded) > MAX_PREFIX_TERMS:
                    raise QueryError(
                        f"'{text}*' stands for more than {MAX_PREFIX_TERMS} different words; type more letters before *."
                    )
            queries.extend(q.Term(fieldname, term) for term in expanded)
        return queries

    def has_matches(self, item_query):
        # A match through the cross-script key counts: Kursk is not a typo
        # for Kurszk, nor Belousof for Belousov.
        return any(self.reader.doc_frequency(t.fieldname, t.text) for t in _terms_of(item_query))

    def proximity(self, words):
        """Phrase queries with some slop over the required words, per language:
        articles where the words stand close together rank higher."""
        boosts = []
        for lang in self.targets:
            sequence = []
            for word in words:
                terms = query_terms(lang, word.text) if languages_for(word.text, (lang,)) else []
                if len(terms) != 1:
                    sequence = []
                    break
                sequence.append(terms[0])
            if len(sequence) >= 2:
                weight = PROXIMITY_BOOST * self.weights.get(lang, 1.0)
                for fieldname in (f"title_{lang}", f"body_{lang}"):
                    boosts.append(q.Phrase(fieldname, sequence, slop=PROXIMITY_SLOP, boost=weight))
        return q.Or(boosts) if boosts else None

    def correct(self, word):
        """``(corrected word, query)`` for a word that matches nothing, from the
        vocabulary of the target languages: the closest word (one edit for
        short words, two for longer ones), the most frequent on a tie."""
        text = word.text
        best = None
        latin = script_of(text) == "Latin"
        for lang in languages_for(text, self.targets):
            if latin and _LANGUAGE_SCRIPT.get(lang, "Latin") != "Latin":
                continue  # Latin words in Greek or Russian text are names, quoted as written
            fieldname = f"words_{lang}"
            typed = [t.text for t in word_analyzer_for(lang)(text)]
            # The lengths are the word's as analyzed: what is left of it once
            # digits, punctuation and control characters are gone.
            if len(typed) != 1 or len(typed[0]) < 4:
                continue
            maxdist = 1 if len(typed[0]) <= 6 else 2
            for candidate in terms_within(self.reader, fieldname, typed[0], maxdist):
                if candidate == typed[0]:
                    continue
                rank = (_distance(typed[0], candidate), -self.reader.doc_frequency(fieldname, candidate))
                if best is None or rank < best[0]:
                    best = (rank, candidate)
        if best is None:
            return None, None
        corrected = best[1]
        return corrected, self.item_query(Word(corrected))


def terms_within(reader, fieldname, text, maxdist):
    """The terms of ``fieldname`` that start with the first letter of ``text``
    and are within ``maxdist`` edits of it, in term order: what Whoosh's
    reader over several segments gives for ``terms_within(fieldname, text,
    maxdist, prefix=1)`` (its base definition: the Damerau-Levenshtein
    distance, a swap of neighbours one edit), for any number of segments.

    Whoosh's one-segment reader walks the term list with a Levenshtein
    automaton instead, which counts a swap as two edits (``koera`` is not
    found for ``korea``) and took 15 ms a typo query on a 50,000-article
    segment where this takes 2.6: an index answers the same whatever its
    segments.  The distance decides which words are found, so it is Whoosh's,
    but a term whose length differs by more than ``maxdist`` is not measured
    (most of a letter's thousands of terms), and the others are measured
    with a faster, exact filter first (:mod:`search.spelling`)."""
    yield from vocabulary(reader).within(fieldname, text, maxdist)


QUERY_LANGUAGE_MIN_LETTERS = 12


def query_language_weights(parsed):
    """Matches in the query's own language count more than matches of the same
    letters in another language, when the query's language is clear."""
    text = " ".join(item.text for item in parsed.items)
    if sum(c.isalpha() for c in text) < QUERY_LANGUAGE_MIN_LETTERS:
        return {}
    lang = detect_confidently(text)
    if lang not in LANGUAGES:
        return {}
    return {other: (1.0 if other == lang else OTHER_LANGUAGE_WEIGHT) for other in TEXT_LANGUAGES}


def expand(searcher, parsed, *, fallback=False, translations=None):
    """The Whoosh query for ``parsed``.  With ``fallback``, any of the required
    groups may match (the best partial matches), instead of all of them.
    ``translations`` (:class:`search.translate.Translations`) translates the
    words into the other languages."""
    targets = field_languages(parsed.langs)
    expander = Expander(searcher, targets, query_language_weights(parsed), fallback, translations)
    if not fallback and len(parsed.groups) > MAX_WORDS_MATCHED_BY_KEY:
        # In a question or a headline, an article that has every word only
        # because some match through their keys is a chance: the best
        # partial matches serve better, and they do use the keys.
        expander.names = False
    if not fallback and len(parsed.groups) > MAX_WORDS_MATCHED_BY_TRANSLATION:
        expander.translations = None
    required, optional, corrections, proximity_words = [], [], {}, []
    unmatchable = False
    # Long queries are questions and headlines: a word the index lacks is
    # usually just absent, not misspelled, and correcting it adds noise.
    correctable = len(parsed.groups) <= MAX_WORDS_TO_CORRECT
    for group in parsed.groups:
        alternatives = []
        for item in group:
            item_query = expander.item_query(item)
            if (
                correctable
                and item_query is not None
                and isinstance(item, Word)
                and not item.prefix
                and len(item.text) <= MAX_LETTERS_TO_CORRECT
                and not expander.has_matches(item_query)
            ):
                corrected, corrected_query = expander.correct(item)
                if corrected_query is not None:
                    corrections[item.text] = corrected
                    item_query = corrected_query
            if item_query is not None:
                alternatives.append(item_query)
        if not alternatives:
            # Nothing to look up: fine for stop words, but a word that cannot
            # occur in the selected languages (Белоусов with lang:de) matches nothing.
            unmatchable = unmatchable or not all(_ignorable(item, targets) for item in group)
            continue
        group_query = q.Or(alternatives) if len(alternatives) > 1 else alternatives[0]
        if len(group) == 1 and isinstance(group[0], Word) and is_optional(group[0].text, targets):
            optional.append(group_query)
        else:
            required.append(group_query)
            if len(group) == 1 and isinstance(group[0], Word):
                proximity_words.append(group[0])
    if unmatchable and not fallback:
        main = q.NullQuery
    elif required:
        if fallback and len(required) > 1:
            main = q.Or(required + optional)
        else:
            main = q.And(required) if len(required) > 1 else required[0]
            if optional:
                main = q.AndMaybe(main, q.Or(optional))
        if len(proximity_words) > 1:
            near = expander.proximity(proximity_words)
            if near is not None:
                main = q.AndMaybe(main, near)
    elif optional:
        main = q.Or(optional)
    else:
        main = q.Every()
    filters = _filters(parsed, targets)
    if filters:
        main = q.And([main, *filters])
    excluded = [expander.item_query(item, note=False) for item in parsed.excluded]
    excluded = [e for e in excluded if e is not None]
    if excluded:
        main = q.AndNot(main, q.Or(excluded))
    return Expansion(main, expander.terms, expander.prefixes, corrections)


def _any_of(queries, combine):
    if not queries:
        return None
    return combine(queries) if len(queries) > 1 else queries[0]


def _ignorable(item, targets):
    return all(is_optional(word, targets) for word in item.text.split())


def _filters(parsed, targets):
    filters = []
    if parsed.langs:
        filters.append(q.Or([q.Term("languages", lang) for lang in parsed.langs]))
    if parsed.sources:
        filters.append(q.Or([q.Term("source_key", source.lower()) for source in parsed.sources]))
    if parsed.date_from or parsed.date_to:
        start = dt.datetime.combine(parsed.date_from, dt.time.min) if parsed.date_from else None
        end = dt.datetime.combine(parsed.date_to, dt.time.max) if parsed.date_to else None
        filters.append(q.DateRange("published", start, end))
    return filters


def _terms_of(query):
    if isinstance(query, q.Term):
        yield query
    elif isinstance(query, q.Phrase):
        for word in query.words:
            yield q.Term(query.fieldname, word)
    else:
        for child in query.children():
            yield from _terms_of(child)


def _distance(a, b):
    """Levenshtein distance (the candidates are few; clarity over speed)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
