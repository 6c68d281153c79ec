"""Publication dates in the formats news text writes them.

Finding a date in running text is done with patterns built from the month
names of the five languages news arrives in (Greek, German, Hungarian, Russian
and English); explicit metadata (a JSON ``date``, an HTML page's date) may be in
any format and is parsed with ``dateparser``.  A date without a year is only
accepted when the year is known from another date of the same article: the
rule is that a date is never invented.
"""

import datetime as dt
import re

_MONTHS = {
    1: "january jan januar jän január ιανουαρίου ιανουάριος ιαν января январь янв",
    2: "february feb februar február φεβρουαρίου φεβρουάριος φεβ февраля февраль фев",
    3: "march mar märz marz március μαρτίου μάρτιος μαρ марта март мар",
    4: "april apr április απριλίου απρίλιος απρ апреля апрель апр",
    5: "may mai május μαΐου μαΐου μαΐου μάιος μαΐ мая май",
    6: "june jun juni június ιουνίου ιούνιος ιουν июня июнь",
    7: "july jul juli július ιουλίου ιούλιος ιουλ июля июль",
    8: "august aug augusztus αυγούστου αύγουστος αυγ августа август авг",
    9: "september sep sept szeptember σεπτεμβρίου σεπτέμβριος σεπ сентября сентябрь сен",
    10: "october oct oktober október οκτωβρίου οκτώβριος οκτ октября октябрь окт",
    11: "november nov november νοεμβρίου νοέμβριος νοε ноября ноябрь ноя",
    12: "december dec dezember december δεκεμβρίου δεκέμβριος δεκ декабря декабрь дек",
}
MONTH_NUMBERS = {name: number for number, names in _MONTHS.items() for name in names.split()}
_MONTH = "(?P<month>" + "|".join(sorted(map(re.escape, MONTH_NUMBERS), key=len, reverse=True)) + r")\.?"
_TIME = r"(?:\s*(?:[-–—,]|kl\.|um|в)?\s*(?P<hour>[01]?\d|2[0-3])[:.](?P<minute>[0-5]\d)(?!\d))?"

DATE_PATTERNS = [
    # ISO: 2025-04-28, 2025-04-28T10:12
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)(?:[T ](?P<hour>[012]\d):(?P<minute>[0-5]\d))?(?!\d)"),
    # Hungarian: 2024. november 30. – 10:12
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)\.\s*" + _MONTH + r"\s*(?P<day>[0-3]?\d)\.?" + _TIME, re.I),
    # English: November 29, 2024
    re.compile(_MONTH + r"\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)(?!\d)" + _TIME, re.I),
    # German, Greek, Russian: 29. November 2024, 28 Απριλίου 2025, 29 ноября 2024 г.
    re.compile(r"(?<!\d)(?P<day>[0-3]?\d)\.?\s+" + _MONTH + r"(?:\s+(?P<year>(?:19|20)\d\d)(?!\d))?" + _TIME, re.I),
    # Numeric day first: 29.11.2024, 29/11/2024
    re.compile(r"(?<!\d)(?P<day>[0-3]?\d)[./](?P<mnum>[01]?\d)[./](?P<year>(?:19|20)\d\d)(?!\d)" + _TIME),
]
# URLs carry dates as /2024/11/29/ or as a timestamp 20241129154226.
URL_DATE_PATTERNS = [
    re.compile(r"/(?P<year>(?:19|20)\d\d)/(?P<mnum>[01]\d)/(?P<day>[0-3]\d)(?:/|$)"),
    re.compile(r"(?<!\d)(?P<year>20\d\d)(?P<mnum>[01]\d)(?P<day>[0-3]\d)(?P<hour>[01]\d|2[0-3])(?P<minute>[0-5]\d)\d\d"),
    re.compile(r"(?<!\d)(?P<year>20\d\d)-?(?P<mnum>[01]\d)-?(?P<day>[0-3]\d)(?!\d)"),
]


class FoundDate:
    """A date found in text: its parts (``year`` may be ``None``) and where."""

    def __init__(self, year, month, day, hour=None, minute=None, start=0, end=0):
        self.year, self.month, self.day = year, month, day
        self.hour, self.minute = hour, minute
        self.start, self.end = start, end

    def iso(self, year=None):
        """ISO 8601 text, or ``None`` if the year is unknown or the date invalid."""
        year = self.year or year
        if year is None:
            return None
        try:
            if self.hour is not None:
                return dt.datetime(year, self.month, self.day, self.hour, self.minute).isoformat(timespec="minutes")
            return dt.date(year, self.month, self.day).isoformat()
        except ValueError:
            return None


def _found(match):
    parts = match.groupdict()
    month = int(parts["mnum"]) if parts.get("mnum") else MONTH_NUMBERS.get(parts["month"].lower().rstrip("."))
    if month is None:
        return None
    hour = parts.get("hour")
    return FoundDate(
        int(parts["year"]) if parts.get("year") else None,
        month,
        int(parts["day"]),
        int(hour) if hour is not None else None,
        int(parts["minute"]) if hour is not None else None,
        match.start(),
        match.end(),
    )


def find_dates(text, patterns=DATE_PATTERNS):
    """Every date in ``text``, in order of position, overlapping ones dropped."""
    found = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            date = _found(match)
            if date is not None and date.iso(2000) is not None:
                found.append(date)
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    result, end = [], -1
    for date in found:
        if date.start >= end:
            result.append(date)
            end = date.end
    return result


def date_in_url(url):
    """The date a URL carries, as ISO text, or ``None``."""
    for date in find_dates(url or "", URL_DATE_PATTERNS):
        iso = date.iso()
        if iso and _plausible(iso):
            return iso
    return None


def parse_date(value, languages=("en", "el", "de", "hu", "ru")):
    """Parse an explicit date in any common format to ISO 8601, or ``None``."""
    value = value.strip()
    if not any(c.isdigit() for c in value):
        return None  # "yesterday" is relative to a moment we do not know
    found = find_dates(value)
    if found and found[0].iso():
        return found[0].iso()
    import dateparser

    parsed = dateparser.parse(
        value, languages=list(languages), settings={"RETURN_AS_TIMEZONE_AWARE": False, "REQUIRE_PARTS": ["day", "month", "year"]}
    )
    if parsed is None:
        return None
    if parsed.hour or parsed.minute:
        return parsed.isoformat(timespec="minutes")
    return parsed.date().isoformat()


def _plausible(iso):
    return "1990" <= iso[:4] <= str(dt.date.today().year + 1)
