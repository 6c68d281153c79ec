import pytest

from index.dates import date_in_url, find_dates, parse_date


@pytest.mark.parametrize(
    "text,iso",
    [
        ("2024. november 30. – 10:12", "2024-11-30T10:12"),
        ("November 29, 2024", "2024-11-29"),
        ("date 2025-04-28", "2025-04-28"),
        ("28 Απριλίου 2025", "2025-04-28"),
        ("29 ноября 2024 г.", "2024-11-29"),
        ("29. November 2024", "2024-11-29"),
        ("29.11.2024 10:30", "2024-11-29T10:30"),
        ("30 Φεβρουαρίου 2024", None),  # no such day
    ],
)
def test_dates_in_text(text, iso):
    found = find_dates(text)
    assert (found[0].iso() if found else None) == iso


def test_day_and_month_alone_have_no_year():
    (found,) = find_dates("am 29. November betonte")
    assert found.iso() is None
    assert found.iso(year=2024) == "2024-11-29"


@pytest.mark.parametrize(
    "url,iso",
    [
        ("https://dantri.com.vn/the-gioi/nga-tich-cuc-20241129154226900.htm", "2024-11-29T15:42"),
        ("https://example.com/2024/11/29/story", "2024-11-29"),
        ("https://example.com/story-12345", None),
    ],
)
def test_date_in_url(url, iso):
    assert date_in_url(url) == iso


@pytest.mark.parametrize(
    "value,iso",
    [
        ("Fri, 29 Nov 2024 15:42:26 GMT", "2024-11-29T15:42"),
        ("2024-11-29T10:00:00Z", "2024-11-29T10:00"),
        ("yesterday", None),
        ("", None),
        ("not a date 1", None),
    ],
)
def test_parse_explicit_dates(value, iso):
    assert parse_date(value) == iso
