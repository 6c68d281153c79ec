"""Clean: turn a raw article into its title, date, source and body paragraphs,
without the page furniture around it (see :mod:`index.boilerplate`).

The rules are written for how news text really arrives: a title on the first
line or no title at all, a date line or a date hidden in the source URL, the
source named at the end (``Πηγή: skai.gr``) or in a dateline (``(Dan Tri) –``),
and share buttons, promotions and lists of unrelated headlines around it.
"""

import re
import unicodedata
from urllib.parse import urlsplit

from . import boilerplate as bp
from .article import Article, Paragraph, RawArticle
from .dates import date_in_url, find_dates, parse_date

# Bidirectional overrides and isolates can make escaped text display as
# something else; zero-width characters and soft hyphens split words invisibly.
# Control characters go too.  One regular expression drops them all: a
# str.translate table costs a dictionary look-up per character of the text.
_DROPPED = re.compile(
    "[\u00ad\u200b\u200c\u200d\u200e\u200f\u061c\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_URL = re.compile(r"https?://\S+")

TITLE_MAX_CHARS = 200
TITLE_MAX_WORDS = 30


class CleaningError(ValueError):
    """The article has no text left once the page furniture is removed."""


def normalize_text(text):
    """NFC, Unix newlines, single spaces, no control or invisible characters."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    # _SPACES holds no newline: one substitution over the text does for every line.
    text = _SPACES.sub(" ", _DROPPED.sub("", text))
    return "\n".join(line.strip() for line in text.split("\n"))


def split_paragraphs(text):
    """Paragraphs of plain text: each non-empty line, except that lines
    hard-wrapped inside a blank-line-separated block are joined again, and so
    is a line that breaks a sentence (no final punctuation, and the next line
    goes on in lower case)."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.split("\n") if line]
        if len(lines) > 2 and _hard_wrapped(lines):
            lines = [" ".join(lines)]
        for line in lines:
            if paragraphs and _continues(paragraphs[-1], line) and not block.startswith(line):
                paragraphs[-1] += " " + line
            else:
                paragraphs.append(line)
    return paragraphs


def _continues(previous, line):
    return line[:1].islower() and not previous.endswith((".", "!", "?", ":", "»", '"', "“", "”"))


def _hard_wrapped(lines):
    body = lines[:-1]
    return all(40 <= len(line) <= 100 and not line.endswith((".", "!", "?", ":", "»", '"')) for line in body)


def reads_as_headline(line, following):
    """True when the first line of an article is its title: short, no
    sentence-final period, not a dateline, and followed by more text."""
    if not following or not (8 <= len(line) <= TITLE_MAX_CHARS) or len(line.split()) > TITLE_MAX_WORDS:
        return False
    if line.endswith((".", ",", ";", ":", "…")) or line.startswith(("(", "-", "–", "—", "•", "*")):
        return False
    if bp.AGENCY_DATELINE.match(line) or bp.is_noise(line):
        return False
    return sum(c.isalpha() for c in line) >= 0.6 * len(line.replace(" ", ""))


def clean(raw: RawArticle) -> Article:
    """Clean one raw article; raises :class:`CleaningError` if nothing is left."""
    meta = {"title": raw.title, "date": None, "url": raw.url, "source": raw.source}
    text = raw.text
    if raw.is_html:
        text = _html_to_text(text, meta)
    removed = []
    lines = split_paragraphs(normalize_text(text))

    dates = []  # (priority, iso): lower priority number wins
    if raw.date:
        iso = parse_date(raw.date)
        if iso:
            dates.append((0, iso))
    if meta["date"]:
        dates.append((1, meta["date"]))

    if lines:
        marker = bp.DATE_MARKER.match(lines[0])
        if marker:
            iso = parse_date(marker.group("date"))
            if iso:
                dates.append((2, iso))
            removed.append(("date marker", marker.group(0).strip()))
            lines[0] = lines[0][marker.end() :]
            if not lines[0]:
                lines.pop(0)

    title = normalize_text(meta["title"]).replace("\n", " ") if meta["title"] else None
    if title is None and lines and reads_as_headline(lines[0], lines[1:]):
        title = lines.pop(0)

    body, source, url, yearless = [], None, None, []
    tail_cut = None
    for number, line in enumerate(lines):
        if title and _same_text(line, title):
            removed.append(("repeated title", line))
            continue
        if number < 4 and len(line) < 60 and _is_date_line(line):
            found = find_dates(line)[0]
            if found.year:
                dates.append((2, found.iso()))
            else:
                yearless.append(found)
            removed.append(("date line", line))
            continue
        match = bp.SOURCE_LINE.match(line)
        if match:
            source, url = _source_and_url(match.group("value"), source, url)
            removed.append(("source line", line))
            tail_cut = tail_cut if tail_cut is not None else len(body)
            continue
        if bp.READ_NEXT_HEADING.match(line):
            removed.extend(("read-next list", rest) for rest in lines[number:])
            break
        reason = bp.is_noise(line)
        if reason:
            removed.append((reason, line))
            continue
        credit = bp.TWEET_CREDIT.search(line)
        if credit:
            tweet_date = find_dates(credit.group("date"))
            if tweet_date and tweet_date[0].iso():
                dates.append((5, tweet_date[0].iso()))
            removed.append(("tweet credit", credit.group(0).strip()))
            line = line[: credit.start()].rstrip()
        line = bp.TWEET_LINK.sub("", line)
        if not body:
            dateline = bp.AGENCY_DATELINE.match(line)
            if dateline:
                source = source or dateline.group("agency").strip()
                removed.append(("agency dateline", dateline.group(0).strip()))
                line = line[dateline.end() :]
        if line:
            body.append(line)

    if tail_cut is not None and all(len(p) < 250 for p in body[tail_cut:]):
        # After "Πηγή: …" only page furniture follows, unless real prose does.
        removed.extend(("after source line", p) for p in body[tail_cut:])
        del body[tail_cut:]

    url = meta["url"] or url
    if url and urlsplit(url.strip()).scheme.lower() not in ("http", "https"):
        # A javascript: or data: address is no article's; any page linking it would run it.
        removed.append(("not a web address", url))
        url = None
    if url:
        iso = date_in_url(url)
        if iso:
            dates.append((3, iso))
    dates.sort()
    date = dates[0][1] if dates else None
    if date is None and yearless:
        date = None  # a day and month alone would need an invented year
    source = meta["source"] or source or (_domain(url) if url else None)

    if not body:
        raise CleaningError("no article text left after removing boilerplate" if lines else "no text")
    return Article(
        id=raw.id,
        origin=raw.origin,
        title=title,
        paragraphs=[Paragraph(p) for p in body],
        date=date,
        source=source,
        url=url,
        given_lang=(raw.lang or "").strip().lower() or None,
        size=raw.size,
        removed=[f"{reason}: {text}" for reason, text in removed],
    )


def _same_text(a, b):
    return a.casefold().strip(" .") == b.casefold().strip(" .")


def _is_date_line(line):
    found = find_dates(line)
    if len(found) != 1:
        return False
    rest = line[: found[0].start] + line[found[0].end :]
    return sum(c.isalpha() for c in rest) <= 12


def _source_and_url(value, source, url):
    value = value.strip().rstrip(".")
    match = _URL.search(value)
    if match:
        url = url or match.group(0).rstrip(".,;)")
        name = value[: match.start()].strip(" -–—,")
        return source or name or None, url
    return source or value, url


def _domain(url):
    host = urlsplit(url).hostname or ""
    return host[4:] if host.startswith("www.") else host or None


def _html_to_text(html, meta):
    import trafilatura

    document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False)
    if document is None or not (document.text or "").strip():
        raise CleaningError("no main text found in the HTML page")
    meta["title"] = meta["title"] or document.title
    meta["url"] = meta["url"] or document.url
    meta["source"] = meta["source"] or document.sitename
    if document.date:
        meta["date"] = parse_date(document.date)
    return document.text
