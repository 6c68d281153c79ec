"""The publication time's two tiers find what Whoosh's eight find, with a quarter of the terms."""

import datetime as dt
import random

import pytest
from whoosh import fields, index, query

from index.schema import PublicationTime


@pytest.fixture(scope="module")
def times(tmp_path_factory):
    rng = random.Random(6)
    start = dt.datetime(2023, 1, 1)
    values = [start + dt.timedelta(minutes=rng.randrange(3 * 365 * 24 * 60)) for _ in range(400)]
    values += [dt.datetime(2024, 11, 30, 0, 0), dt.datetime(2024, 11, 30, 23, 59), dt.datetime(2024, 12, 1)]
    indexes = {}
    for name, field in (("ours", PublicationTime(sortable=True)), ("whoosh", fields.DATETIME(sortable=True))):
        ix = index.create_in(str(tmp_path_factory.mktemp(name)), fields.Schema(n=fields.STORED(), published=field))
        with ix.writer() as writer:
            for n, value in enumerate(values):
                writer.add_document(n=n, published=value)
        indexes[name] = ix
    return values, indexes


def test_two_terms_per_time(times):
    values, indexes = times
    with indexes["ours"].reader() as ours, indexes["whoosh"].reader() as whoosh:
        counted = {name: sum(1 for _ in r.lexicon("published")) for name, r in (("ours", ours), ("whoosh", whoosh))}
    assert counted["ours"] <= len(values) * 2 < counted["whoosh"]


def test_ranges_find_what_whooshs_tiers_find(times):
    values, indexes = times
    rng = random.Random(7)
    bounds = [(dt.datetime(2024, 11, 30), dt.datetime(2024, 11, 30, 23, 59, 59, 999999)), (None, dt.datetime(2024, 1, 1))]
    for _ in range(60):
        first = dt.datetime(2023, 1, 1) + dt.timedelta(days=rng.randrange(3 * 365))
        bounds.append((first, first + dt.timedelta(days=rng.choice([0, 1, 30, 200]), hours=23, minutes=59)))
    with indexes["ours"].searcher() as ours, indexes["whoosh"].searcher() as whoosh:
        for start, end in bounds:
            expected = {n for n, value in enumerate(values) if (start is None or value >= start) and value <= end}
            for searcher in (ours, whoosh):
                found = {hit["n"] for hit in searcher.search(query.DateRange("published", start, end), limit=None)}
                assert found == expected, (start, end)
        newest = ours.search(query.Every(), sortedby="published", reverse=True, limit=3)
        assert [hit["n"] for hit in newest] == sorted(range(len(values)), key=lambda n: values[n], reverse=True)[:3]
