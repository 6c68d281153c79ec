"""The records that travel along the ingestion pipeline:
``load`` yields :class:`RawArticle` (or :class:`Skipped`), ``clean`` turns a raw
article into an :class:`Article`, and ``detect`` fills in its languages."""

from dataclasses import dataclass, field


@dataclass
class RawArticle:
    """An article as found in a source file, before cleaning.

    ``text`` is plain text, or HTML when ``is_html`` is set; the metadata fields
    hold what the source gave explicitly (a JSON ``title``, ``date``…) and are
    ``None`` otherwise.
    """

    id: str
    origin: str  # path, with ``:line`` for JSON lines
    text: str
    is_html: bool = False
    title: str | None = None
    date: str | None = None
    url: str | None = None
    source: str | None = None
    lang: str | None = None
    #: bytes of input it came from (for progress reports)
    size: int = 0


@dataclass
class Paragraph:
    text: str
    lang: str = ""


@dataclass
class Article:
    """A cleaned article: its metadata and the paragraphs of its body.

    ``date`` is ISO 8601 (``2024-11-30`` or ``2024-11-30T10:12``) or ``None``
    when the text does not say; ``lang`` is the article's language (``el``,
    ``de``, ``hu``, ``ru`` or another ISO 639-1 code, ``und`` when unknown).
    """

    id: str
    origin: str
    title: str | None
    paragraphs: list[Paragraph]
    date: str | None = None
    source: str | None = None
    url: str | None = None
    lang: str = ""
    title_lang: str = ""
    given_lang: str | None = None
    removed: list[str] = field(default_factory=list)
    size: int = 0

    PARAGRAPH_SEPARATOR = "\n\n"

    @property
    def body(self):
        return self.PARAGRAPH_SEPARATOR.join(p.text for p in self.paragraphs)

    @property
    def languages(self):
        """The languages of the paragraphs, most frequent first."""
        counts = {}
        for p in self.paragraphs:
            counts[p.lang] = counts.get(p.lang, 0) + 1
        return sorted(counts, key=lambda lang: -counts[lang])


@dataclass
class Skipped:
    """Input that could not be indexed, with the reason, for the summary."""

    origin: str
    reason: str
    size: int = 0
