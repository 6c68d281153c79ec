"""Parse: the query syntax people know from search engines.

* words: all must match (``Belousow Pjöngjang``)
* ``"exact phrases"``
* ``OR`` between words or phrases (``Kim OR Putin``)
* ``-word`` and ``-"phrase"`` exclude
* ``word*`` matches words that start with ``word`` (at least two letters)
* filters: ``lang:de``, ``source:skai.gr``, ``date:2024-11``, ``date:2024-11-01..2024-11-30``,
  ``date:>=2024-11-01``, ``date:<2025``

Anything else (parentheses, ``+``, unknown ``name:``) is read as plain text.
The parser never raises for ordinary text; it raises :class:`QueryError` only
for what it cannot honour, saying what to change.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from .errors import QueryError

MAX_CLAUSES = 32
MIN_PREFIX_LETTERS = 2

FILTER_FIELDS = ("lang", "source", "date")

_TOKEN = re.compile(
    r"""
    (?P<neg>-)?
    (?:
        (?P<filter>(?:lang|source|date)):(?P<fvalue>"[^"]*"?|\S+)
      | "(?P<phrase>[^"]*)"?
      | (?P<word>[^\s"()\[\]{}]+)
    )
    """,
    re.X | re.I,
)


@dataclass
class Word:
    text: str
    prefix: bool = False  # word* : any word starting with text


@dataclass
class Phrase:
    text: str


@dataclass
class ParsedQuery:
    #: Each group must match; a group matches when any of its items does.
    groups: list = field(default_factory=list)
    excluded: list = field(default_factory=list)
    langs: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    date_from: dt.date | None = None
    date_to: dt.date | None = None  # inclusive

    @property
    def items(self):
        return [item for group in self.groups for item in group]


def parse(text):
    query = ParsedQuery()
    pending_or = False
    clauses = 0
    for match in _TOKEN.finditer(text):
        negative = bool(match.group("neg"))
        if match.group("filter"):
            _add_filter(query, match.group("filter").lower(), match.group("fvalue").strip('"'))
            continue
        if match.group("phrase") is not None:
            item = Phrase(" ".join(match.group("phrase").split()))
            if not item.text:
                continue
        else:
            word = match.group("word")
            if word == "OR" and not negative:
                pending_or = bool(query.groups)
                continue
            if word in ("AND", "&&"):
                continue
            if negative and word == "":
                continue
            item = _word(word)
            if item is None:
                continue
        clauses += 1
        if clauses > MAX_CLAUSES:
            raise QueryError(f"The query has more than {MAX_CLAUSES} words or phrases; remove some.")
        if negative:
            query.excluded.append(item)
        elif pending_or:
            query.groups[-1].append(item)
        else:
            query.groups.append([item])
        pending_or = False
    if not query.groups and not query.excluded and not (query.langs or query.sources or query.date_from or query.date_to):
        raise QueryError("Type at least one word to search for.")
    if query.date_from and query.date_to and query.date_from > query.date_to:
        raise QueryError(f"The date range is empty: {query.date_from} is after {query.date_to}.")
    return query


def _word(word):
    word = word.strip(".,;:!?¡¿«»„“”‚‘’'`~^+=|\\/<>")
    if not word:
        return None
    if word.startswith(("*", "?")):
        raise QueryError(
            f"'{word}': a word cannot start with a wildcard (it would have to look at every word in the index). "
            "Type the beginning of the word, e.g. 'Korea*'."
        )
    if word.endswith("*"):
        stem = word.rstrip("*")
        if "*" in stem or "?" in stem:
            raise QueryError(f"'{word}': use one * at the end of a word only.")
        if sum(c.isalnum() for c in stem) < MIN_PREFIX_LETTERS:
            raise QueryError(f"'{word}': type at least {MIN_PREFIX_LETTERS} letters before *.")
        return Word(stem, prefix=True)
    if "*" in word or "?" in word:
        word = word.replace("*", " ").replace("?", " ").strip()
        return Word(word) if word else None
    return Word(word)


def _add_filter(query, name, value):
    if not value:
        raise QueryError(f"'{name}:' needs a value, e.g. {_EXAMPLES[name]}.")
    if name == "lang":
        for lang in value.lower().split(","):
            if not re.fullmatch(r"[a-z]{2,3}", lang):
                raise QueryError(f"'lang:{value}': use a two-letter language code such as el, de, hu or ru.")
            query.langs.append(lang)
    elif name == "source":
        query.sources.append(value)
    else:
        start, end = parse_date_filter(value)
        if start and (query.date_from is None or start > query.date_from):
            query.date_from = start
        if end and (query.date_to is None or end < query.date_to):
            query.date_to = end


_EXAMPLES = {"lang": "lang:de", "source": "source:skai.gr", "date": "date:2024-11 or date:2024-11-01..2024-11-30"}


def parse_date_filter(value):
    """``(first day, last day)`` of a ``date:`` filter value; either may be ``None``."""
    try:
        if ".." in value:
            start, _, end = value.partition("..")
            return (_period(start)[0] if start else None, _period(end)[1] if end else None)
        for op in (">=", "<=", ">", "<"):
            if value.startswith(op):
                first, last = _period(value[len(op) :])
                return {
                    ">=": (first, None),
                    ">": (last + dt.timedelta(days=1), None),
                    "<=": (None, last),
                    "<": (None, first - dt.timedelta(days=1)),
                }[op]
        return _period(value)
    except ValueError:
        raise QueryError(
            f"'date:{value}' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD, a range such as "
            "date:2024-11-01..2024-11-30, or date:>=2024-11-01."
        ) from None


def _period(text):
    """First and last day of ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    parts = text.strip().split("-")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        raise ValueError(text)
    year = int(parts[0])
    if len(parts) == 1:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    month = int(parts[1])
    if len(parts) == 2:
        first = dt.date(year, month, 1)
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return first, following - dt.timedelta(days=1)
    day = dt.date(year, month, int(parts[2]))
    return day, day
