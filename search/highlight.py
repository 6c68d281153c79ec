"""Highlight: passages of a result with every matched word marked.

Each paragraph is analyzed with the analyzer of its own language, so inflected
forms of the query words are marked too (``στρατιωτών`` for ``στρατιώτες``),
and the Russian paragraph of a Greek article is read as Russian.  Names are
also marked where they matched through their cross-script key, whatever the
script: ``Belouszov`` marks ``Μπελούσοφ`` and ``Белоусов``.  Each passage
comes twice: as plain text with ``[start, end]`` offsets of the marks, and as
HTML in which all article text is escaped and only ``<mark>`` is markup.
"""

import html
import re

from index.analysis import analyzer_for, fold, name_analyzer
from index.schema import NAMES_FIELD, text_field_language

PASSAGES = 3
PASSAGE_CHARS = 200
#: Context kept before the first mark of a passage.
LEAD_CHARS = 60
ELLIPSIS = "…"
#: What the query side re-analyzes of an article (for passages, similar
#: articles): all of every real news article, while a hostile 10 MB one does
#: not cost each query that finds it seconds.
READ_CHARS = 100_000
_SPACE = re.compile(r"\s")


def opening(paragraphs, chars=READ_CHARS):
    """The leading ``(text, lang)`` paragraphs, up to the one that reaches ``chars`` characters."""
    for text, lang in paragraphs:
        if chars <= 0:
            return
        chars -= len(text)
        yield text, lang


def match_spans(text, lang, terms, prefixes):
    """``[(start, end)]`` of the words in ``text`` whose index terms (in
    ``lang``) are among ``terms`` or start with one of ``prefixes``."""
    lang = text_field_language(lang)
    wanted = terms.get(lang, ())
    starts = tuple(prefixes.get(lang, ()))
    names = terms.get(NAMES_FIELD, ())
    spans = []
    if wanted or starts:
        for token in analyzer_for(lang)(text, chars=True, mode="index"):
            if token.text in wanted or (starts and fold(token.text).startswith(starts)):
                spans.append((token.startchar, token.endchar))
    if names:
        spans.extend((t.startchar, t.endchar) for t in name_analyzer()(text, chars=True, mode="index") if t.text in names)
    return _merge(spans)


def _merge(spans):
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def marked_html(text, spans):
    """``text`` HTML-escaped, with ``<mark>`` around each span."""
    parts, position = [], 0
    for start, end in spans:
        parts.append(html.escape(text[position:start]))
        parts.append("<mark>" + html.escape(text[start:end]) + "</mark>")
        position = end
    parts.append(html.escape(text[position:]))
    return "".join(parts)


def snippet(text, spans):
    return {"html": marked_html(text, spans), "text": text, "matches": [list(span) for span in spans]}


def _window(paragraph, spans):
    """A passage of about PASSAGE_CHARS around the paragraph's best run of
    marks, cut at word boundaries, with an ellipsis where cut."""
    if len(paragraph) <= PASSAGE_CHARS:
        return paragraph, spans
    best_start = max(
        (s for s, _ in spans),
        key=lambda s: sum(1 for t, _ in spans if s <= t < s + PASSAGE_CHARS - LEAD_CHARS),
        default=0,
    )
    start = max(0, best_start - LEAD_CHARS)
    if start:
        boundary = _SPACE.search(paragraph, start)
        start = boundary.end() if boundary and boundary.end() <= best_start else start
    end = min(len(paragraph), start + PASSAGE_CHARS)
    if end < len(paragraph):
        boundary = paragraph.rfind(" ", start, end)
        end = boundary if boundary > start else end
    text = paragraph[start:end].strip()
    shift = start + (len(paragraph[start:end]) - len(paragraph[start:end].lstrip()))
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(paragraph) else ""
    inside = [
        (s - shift + len(prefix), e - shift + len(prefix))
        for s, e in spans
        if s >= shift and e <= shift + len(text)
    ]
    return prefix + text + suffix, inside


def passages(paragraphs, terms, prefixes, limit=PASSAGES):
    """Up to ``limit`` snippets from ``[(text, lang)]``: the paragraphs with
    the most distinct matched words, in reading order.  Without any match, the
    opening of the article."""
    scored = []
    for number, (text, lang) in enumerate(opening(paragraphs)):
        spans = match_spans(text, lang, terms, prefixes)
        if spans:
            distinct = len({text[s:e].casefold() for s, e in spans})
            scored.append((-distinct, -len(spans), number, text, spans))
    if not scored:
        if not paragraphs:
            return []
        text, _ = _window(paragraphs[0][0], [])
        return [snippet(text, [])]
    chosen = sorted(sorted(scored)[:limit], key=lambda row: row[2])
    return [snippet(*_window(text, spans)) for _, _, _, text, spans in chosen]
