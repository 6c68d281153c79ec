"""The Whoosh schema, and how an :class:`~index.article.Article` fills it.

Text is indexed in one field per language (``body_el``, ``body_de``, …,
``body_xx`` for any other language), each with that language's analyzer, and
each paragraph goes to the field of its own language: the Russian paragraphs
of a Greek article are analyzed as Russian.  Every language field receives the
whole body with the paragraphs of other languages blanked out by spaces, so
token offsets in any field are offsets into the stored ``body``; highlighting
can use them directly.  The ``names`` field holds the title and the whole body
in the cross-script form of names (:mod:`index.analysis.names`), so that
Μπελούσοφ, Белоусов, Belousow and Belouszov meet in one term.  Per-language fields also keep term statistics per
language, so BM25 is not skewed by one language having more articles.
"""

import datetime as dt

from whoosh import fields
from whoosh.analysis import LowercaseFilter, RegexTokenizer, SpaceSeparatedTokenizer

from .analysis import (
    LANGUAGES,
    OTHER,
    analyzer_for,
    build_name_analyzer,
    build_title_suggestion_analyzer,
    word_analyzer_for,
)
from .analysis.filters import positions_taken
from .analysis.token_terms import indexed_values
from .analysis.tokenizer import recent_token_texts, token_texts
from .formats import VarintPositions

TEXT_LANGUAGES = LANGUAGES + (OTHER,)
#: The field of cross-script name keys, over the title and every paragraph.
NAMES_FIELD = "names"


def term_text(term):
    """A term as read from the index (bytes from some readers, text from
    others) as text."""
    return term.decode("utf-8") if isinstance(term, bytes) else term


def text_field_language(lang):
    """The field suffix that text in ``lang`` is indexed under."""
    return lang if lang in LANGUAGES else OTHER


def title_field(lang):
    return f"title_{text_field_language(lang)}"


def body_field(lang):
    return f"body_{text_field_language(lang)}"


class PublicationTime(fields.DATETIME):
    """Whoosh's ``DATETIME`` indexes a time (in microseconds) as 8 terms of
    8 bits' precision each, so that a range query reads few terms: the 4
    finest are finer than the minute our dates have, and each is as many
    distinct terms as there are articles (a sixth of the whole index's).
    Two tiers (the time, and spans of 72 minutes) give the same ranges with
    a few more terms read per query (those within 72 minutes of each end)."""

    def __init__(self, stored=False, unique=False, sortable=False):
        super().__init__(stored=stored, unique=unique, sortable=sortable)
        self.shift_step = 32


class TokenTableText(fields.TEXT):
    """Whoosh's ``TEXT``, whose text is indexed through its analyzer's table of
    token texts (:mod:`index.analysis.token_terms`): the same postings, each
    distinct word analyzed once per process instead of at every occurrence.
    Queries and highlighting use the analyzer itself.  (Indexes built before
    have ``TEXT`` fields in their schema, and are indexed the long way.)"""

    def index(self, value, **kwargs):
        values = None if kwargs else indexed_values(self.analyzer, self.format, value)
        return super().index(value, **kwargs) if values is None else values


def build_schema():
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.STORED(),
        title_lang=fields.STORED(),
        body=fields.STORED(),
        # One language code per paragraph, in order (for highlighting).
        paragraph_langs=fields.STORED(),
        # How many token positions the title and then each paragraph take in
        # their fields: a term's positions say which paragraph holds it.
        paragraph_positions=fields.STORED(),
        lang=fields.ID(stored=True, sortable=True),
        languages=fields.KEYWORD(stored=True, commas=True),
        # The paragraphs' languages as a term per paragraph: its collection
        # frequency counts paragraphs per language without reading documents.
        paragraph_lang_counts=fields.TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=False),
        date=fields.STORED(),
        published=PublicationTime(sortable=True),
        # "2024-11", for the month facet
        month=fields.ID(sortable=True),
        # The source as written, for display and the source facet; source_key
        # lower-cased, for the source: filter.
        source=fields.ID(stored=True, sortable=True),
        source_key=fields.ID(analyzer=RegexTokenizer(r"[^\n]+") | LowercaseFilter()),
        # The title's words, folded and unstemmed: titles to complete what is
        # being typed, found without searching every language's fields.
        title_suggest=TokenTableText(analyzer=build_title_suggestion_analyzer(), phrase=False),
        url=fields.STORED(),
        origin=fields.STORED(),
        # Names and other capitalised words of the title and every paragraph,
        # in all scripts, as one cross-script key.
    )
    names = TokenTableText(analyzer=build_name_analyzer(), phrase=False)
    # its positions (for the passages), without phrase queries' room for them
    names.format = VarintPositions(field_boost=names.format.field_boost)
    schema.add(NAMES_FIELD, names)
    for lang in TEXT_LANGUAGES:
        analyzer = analyzer_for(lang)
        # Titles are short: a title word counts for more than a body word.
        schema.add(f"title_{lang}", TokenTableText(analyzer=analyzer, phrase=True, field_boost=2.0))
        schema.add(f"body_{lang}", TokenTableText(analyzer=analyzer, phrase=True))
        # Unstemmed words, for spelling correction, and the search box's word
        # completions (search.suggest), which show them as the stored text writes them.
        schema.add(f"words_{lang}", TokenTableText(analyzer=word_analyzer_for(lang), phrase=False))
    return schema


def missing_fields(schema):
    """The fields of the current schema that ``schema`` (an index's) lacks:
    an index built by an older version searches without them until rebuilt."""
    return sorted(set(build_schema().names()) - set(schema.names()))


def masked(paragraphs, lang, separator):
    """The body with every paragraph not in ``lang``'s field replaced by spaces."""
    target = text_field_language(lang)
    return separator.join(
        p.text if text_field_language(p.lang) == target else " " * len(p.text) for p in paragraphs
    )


def document(article):
    """The field values for ``article``, ready for ``writer.add_document``."""
    doc = {
        "id": article.id,
        "body": article.body,
        "paragraph_langs": [p.lang for p in article.paragraphs],
        "lang": article.lang,
        "languages": ",".join(article.languages),
        "paragraph_lang_counts": " ".join(p.lang for p in article.paragraphs),
        "origin": article.origin,
    }
    if article.title:
        doc["title"] = article.title
        doc["title_lang"] = article.title_lang or article.lang
        doc[title_field(article.title_lang or article.lang)] = article.title
        doc["title_suggest"] = article.title
    if article.date:
        doc["date"] = article.date
        doc["published"] = dt.datetime.fromisoformat(article.date)
        doc["month"] = article.date[:7]
    if article.source:
        doc["source"] = article.source
        doc["source_key"] = article.source
    if article.url:
        doc["url"] = article.url
    separator = article.PARAGRAPH_SEPARATOR
    # Each text field is paragraphs (and the title) joined by whitespace, and
    # no token holds any: its tokens are theirs, in order, each text read once.
    paragraph_tokens = [token_texts(p.text) for p in article.paragraphs]
    title_tokens = token_texts(article.title) if article.title else ()
    doc["paragraph_positions"] = [positions_taken(title_tokens)] + list(map(positions_taken, paragraph_tokens))
    by_lang = {}
    for p, tokens in zip(article.paragraphs, paragraph_tokens):
        by_lang.setdefault(text_field_language(p.lang), []).extend(tokens)
    for lang, tokens in by_lang.items():
        value = doc[f"body_{lang}"] = doc[f"words_{lang}"] = masked(article.paragraphs, lang, separator)
        recent_token_texts.remember(value, tuple(tokens))
    if article.title:
        lang = text_field_language(article.title_lang or article.lang)
        value = doc[f"words_{lang}"] = doc.get(f"words_{lang}", "") + separator + article.title
        recent_token_texts.remember(value, tuple(by_lang.get(lang, ())) + title_tokens)
    doc[NAMES_FIELD] = (article.title or "") + separator + article.body
    recent_token_texts.remember(doc[NAMES_FIELD], title_tokens + tuple(t for tokens in paragraph_tokens for t in tokens))
    return doc
