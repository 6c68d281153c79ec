"""Building and changing real indexes on disk through the library."""

import json

import pytest
from whoosh.qparser import QueryParser

from index.report import check, stats
from index.schema import body_field
from index.store import IndexStore, LockedError, NoIndexError
from index.writer import NothingIndexedError, add, build, remove
from tests.conftest import DATA, seed


def search(index_dir, field, text):
    ix = IndexStore(index_dir).open_live()
    with ix.searcher() as searcher:
        query = QueryParser(field, ix.schema).parse(text)
        return sorted(hit["id"] for hit in searcher.search(query, limit=None))


def ids_of(prefixes):
    return sorted(seed(p).stem for p in prefixes)


def test_demo_index_counts(demo_index):
    result = stats(demo_index)
    assert result["articles"] == 5
    assert result["languages"] == {"el": 3, "de": 1, "hu": 1}
    assert result["paragraph_languages"] == {"el": 44, "de": 9, "hu": 5, "ru": 3}


def test_stored_fields_keep_cleaned_text_and_metadata(demo_index):
    ix = IndexStore(demo_index).open_live()
    with ix.searcher() as searcher:
        doc = searcher.document(id=seed("004").stem)
    assert doc["title"].startswith("Észak-Korea továbbra is")
    assert doc["date"] == "2024-11-30T10:12"
    assert doc["lang"] == "hu"
    assert doc["body"].startswith("Kim Dzsongun Oroszország további támogatásáról")
    assert len(doc["paragraph_langs"]) == len(doc["body"].split("\n\n"))


def test_russian_paragraph_of_greek_article_is_indexed_as_russian(demo_index):
    # Белоусова is only in its lemma form белоусов in the text; only the Russian
    # analyzer joins them, and the article is Greek.
    assert search(demo_index, body_field("ru"), "Белоусова") == ids_of(["000"])
    assert search(demo_index, body_field("ru"), "министра") == ids_of(["000"])
    assert search(demo_index, body_field("el"), "Министр") == []


@pytest.mark.parametrize(
    "lang,query,expected",
    [
        ("el", "στρατιώτες", ["000", "001", "003"]),
        ("el", "Άμυνας", ["000", "001", "003"]),  # άμυνα, Άμυνας
        ("de", "Verteidigungsministers", ["002"]),
        ("hu", "katonák", ["004"]),
        ("hu", "Korea", ["004"]),
        ("de", "10000", ["002"]),
    ],
)
def test_inflected_forms_find_each_other(demo_index, lang, query, expected):
    assert search(demo_index, body_field(lang), query) == ids_of(expected)


@pytest.mark.parametrize("lang,word", [("el", "Λιανεμπόριο"), ("el", "JP Morgan"), ("xx", "gazzetta"), ("de", "Kommentar")])
def test_words_only_in_boilerplate_find_nothing(demo_index, lang, word):
    assert search(demo_index, body_field(lang), word) == []


def test_body_offsets_match_the_stored_text(demo_index):
    ix = IndexStore(demo_index).open_live()
    with ix.searcher() as searcher:
        doc = searcher.document(id=seed("000").stem)
    from index.schema import masked
    from index.article import Paragraph

    paragraphs = [Paragraph(t, l) for t, l in zip(doc["body"].split("\n\n"), doc["paragraph_langs"])]
    russian = masked(paragraphs, "ru", "\n\n")
    assert len(russian) == len(doc["body"])
    start = russian.index("Министр обороны")
    assert doc["body"][start : start + 15] == "Министр обороны"


def test_add_replaces_by_id_and_remove_deletes(tmp_path):
    index_dir = tmp_path / "index"
    build([seed("000"), seed("002")], index_dir)
    changed = tmp_path / f"{seed('002').stem}.txt"
    changed.write_text("Ein ganz neuer Text über Raketenwerfer in Pjöngjang.", encoding="utf-8")
    summary = add([changed, seed("004")], index_dir)
    assert (summary.articles, summary.replaced) == (2, 1)
    assert stats(index_dir)["articles"] == 3
    assert search(index_dir, body_field("de"), "Raketenwerfer") == [seed("002").stem]
    assert search(index_dir, body_field("de"), "Verteidigungsminister") == []

    summary = remove([seed("002").stem, "no-such-id"], index_dir)
    assert (summary.removed, summary.not_found) == (1, ["no-such-id"])
    result = stats(index_dir)
    assert result["articles"] == 2
    assert result["languages"] == {"el": 1, "hu": 1}
    assert "de" not in result["paragraph_languages"]


def test_many_adds_merge_their_small_segments(tmp_path):
    """Whoosh merges small segments once there are enough of them (the sixth
    add here): terms of one document, inlined by our codec, among them."""
    index_dir = tmp_path / "index"
    build([seed("000"), seed("002")], index_dir)
    for number in range(8):
        article = tmp_path / f"added-{number}.txt"
        article.write_text(f"Raketenwerfer Nummer {number} in Pjöngjang, Bericht {number}x{number}.", encoding="utf-8")
        add([article], index_dir)
    segments = IndexStore(index_dir).open_live()._segments()
    assert len(segments) < 9
    assert stats(index_dir)["articles"] == 10
    assert not [message for level, message in check(index_dir) if level == "error"]
    assert search(index_dir, body_field("de"), "Raketenwerfer") == [f"added-{n}" for n in range(8)]
    assert search(index_dir, body_field("de"), "5x5") == ["added-5"]
    assert search(index_dir, "id", seed("002").stem) == [seed("002").stem]


def test_add_creates_a_missing_index(tmp_path):
    add([seed("004")], tmp_path / "index")
    assert stats(tmp_path / "index")["articles"] == 1


def test_nothing_indexable_leaves_the_index_unchanged(tmp_path):
    index_dir = tmp_path / "index"
    build([DATA], index_dir)
    before = IndexStore(index_dir).live_generation()
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(NothingIndexedError) as caught:
        build([tmp_path / "empty.txt"], index_dir)
    assert caught.value.summary.skipped == [(str(tmp_path / "empty.txt"), "empty file")]
    assert IndexStore(index_dir).live_generation() == before
    assert len(IndexStore(index_dir).generations()) == 1


def test_rebuild_switches_generation_and_keeps_one_previous(tmp_path):
    index_dir = tmp_path / "index"
    store = IndexStore(index_dir)
    generations = []
    for _ in range(3):
        build([seed("004")], index_dir)
        generations.append(store.live_generation())
    assert len(set(generations)) == 3
    assert store.generations() == sorted(generations[1:])
    assert [level for level, _ in check(index_dir)] == ["ok", "ok"]


def test_duplicate_ids_are_reported(tmp_path):
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"id": "same", "body": "Der Minister traf ein."}) + "\n"
        + json.dumps({"id": "same", "body": "Ein anderer Text."}) + "\n",
        encoding="utf-8",
    )
    summary = build([tmp_path / "a.jsonl"], tmp_path / "index")
    assert summary.articles == 1
    assert summary.skipped == [(f"{tmp_path / 'a.jsonl'}:2", f"duplicate id 'same' (first seen in {tmp_path / 'a.jsonl'}:1)")]


def test_second_writer_gets_a_clear_error(tmp_path):
    index_dir = tmp_path / "index"
    build([seed("004")], index_dir)
    with IndexStore(index_dir).lock("build"):
        with pytest.raises(LockedError, match=r"being changed by `build` \(pid \d+"):
            add([seed("002")], index_dir)
        with pytest.raises(LockedError, match="after waiting 0.3 s"):
            remove(["x"], index_dir, wait=0.3)
    assert stats(index_dir)["articles"] == 1


def test_a_writer_refused_just_as_another_takes_the_lock_still_names_it(tmp_path):
    import fcntl
    import os
    import threading

    store = IndexStore(tmp_path / "index")
    store.root.mkdir(parents=True)
    fd = os.open(store.root / "writer.lock", os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)  # taken, but the holder has not written its name yet
    holder = {"pid": 4242, "command": "add", "since": "2026-12-01T12:00:00"}
    naming = threading.Timer(0.2, lambda: os.pwrite(fd, json.dumps(holder).encode(), 0))
    naming.start()
    try:
        with pytest.raises(LockedError, match=r"being changed by `add` \(pid 4242"):
            with store.lock("remove"):
                pass
    finally:
        naming.join()
        os.close(fd)


def test_reading_a_missing_index(tmp_path):
    with pytest.raises(NoIndexError, match="build one with"):
        stats(tmp_path / "nothing")
    assert check(tmp_path / "nothing")[0][0] == "error"


def test_segments_are_separate_files_read_without_a_private_copy(tmp_path):
    # A compound segment's parts are copied into each reader's memory when
    # opened (Whoosh wraps the memory map in a BytesIO); separate files are not.
    index_dir = tmp_path / "index"
    build([DATA], index_dir)
    add([seed("004")], index_dir)
    ix = IndexStore(index_dir).open_live()
    segments = ix._segments()
    assert len(segments) >= 1 and not any(segment.is_compound() for segment in segments)
    assert not list(IndexStore(index_dir).live_generation().glob("*.seg"))
    with ix.reader() as reader:
        postings = [leaf._terms._postfile for leaf, _ in reader.leaf_readers()]
        assert any(type(f).__name__ == "_MapFile" for f in postings)
        # a copy in memory only of an empty file (one article: all its terms inline)
        assert not any(type(f).__name__ == "BufferFile" and len(f._buf) for f in postings)
    assert search(index_dir, body_field("de"), "Verteidigungsminister") == [seed("002").stem]
