"""The query side on the real demo index: every behaviour a reader relies on."""

import datetime as dt
import json

import pytest

from search import QueryError, SearchEngine
from tests.conftest import seed


@pytest.fixture(scope="module")
def engine(demo_index):
    return SearchEngine(demo_index)


def ids(result):
    return [r["id"][:3] for r in result["results"]]


@pytest.mark.parametrize(
    "query,expected",
    [
        # an inflected form finds the other forms of the same word
        ("στρατιώτες", {"000", "001", "003", "002"}),  # στρατιωτών, στρατιώτες; Soldaten translated
        ("Verteidigungsministers", {"002", "000", "001", "003"}),  # Verteidigungsminister; υπουργός Άμυνας translated
        ("katonák", {"004"}),  # katonát, katona (no Hungarian dictionary)
        ("министра", {"000", "001", "002", "003"}),  # Министр, in the Russian paragraph of a Greek article; translated
        ("Белоусова", {"000", "002", "004"}),  # Белоусов; Belousow, Belouszov through the names key
        ("Ρωσίας", {"000", "001", "003", "002"}),  # Russland translated
        ("KN-23", {"000"}),
        ("10.000", {"002"}),
        ("CNN", {"000"}),  # a Latin name inside Greek text
    ],
)
def test_inflected_and_cross_language_matches(engine, query, expected):
    assert set(ids(engine.search(query))) == expected


def all_words_ids(result):
    return ids(result)[: result["total_all_words"]]


def test_all_words_must_match(engine):
    assert set(all_words_ids(engine.search("Belousow Pjöngjang"))) == {"000", "002"}  # Μπελούσοφ, Πιονγιάνγκ
    assert set(all_words_ids(engine.search("Πούτιν Κουρσκ"))) == {"001", "003", "004"}  # Putyin, Kurszk
    assert set(ids(engine.search("Πούτιν Κουρσκ", sort="date"))) == {"001", "003", "004"}


def test_partial_matches_when_nothing_matches_all_words(engine):
    result = engine.search("Belousow Λαβρόφ")
    assert result["partial"] is True
    assert set(ids(result)) >= {"000", "001", "002", "003", "004"}
    assert engine.search("Belousow")["partial"] is False


def _engine_over(tmp_path, docs):
    from index.writer import build

    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs), encoding="utf-8")
    build([path], tmp_path / "index")
    return SearchEngine(tmp_path / "index")


FEW_ALL_WORDS = [
    {"id": "all", "lang": "de", "date": "2024-11-01", "body": "Belousow besuchte Pjöngjang."},
    {"id": "one-new", "lang": "de", "date": "2024-11-30", "body": "Pjöngjang meldete Regen."},
    {"id": "one-old", "lang": "de", "date": "2024-10-01", "body": "Belousow reiste nach Pjöngjang."},
    {"id": "none", "lang": "de", "date": "2024-11-15", "body": "Kein Treffer in diesem Artikel."},
]


def test_partial_matches_follow_the_few_articles_with_all_words(tmp_path):
    engine = _engine_over(tmp_path, FEW_ALL_WORDS[:2] + FEW_ALL_WORDS[3:])
    result = engine.search("Belousow Pjöngjang")
    assert [r["id"] for r in result["results"]] == ["all", "one-new"]
    assert (result["total"], result["total_all_words"], result["partial"]) == (2, 1, True)
    assert result["facets"]["month"] == [{"value": "2024-11", "count": 2}]
    # pages continue from the all-words matches into the partial ones
    assert [r["id"] for r in engine.search("Belousow Pjöngjang", per_page=1, page=2)["results"]] == ["one-new"]
    # a list by date holds the articles with all the words only
    by_date = engine.search("Belousow Pjöngjang", sort="date")
    assert [r["id"] for r in by_date["results"]] == ["all"]
    assert (by_date["total"], by_date["total_all_words"], by_date["partial"]) == (1, 1, False)


def test_partial_matches_by_date_when_no_article_has_all_words(tmp_path):
    engine = _engine_over(tmp_path, FEW_ALL_WORDS[1:])
    result = engine.search("Belousow Pjöngjang Kavanaugh", sort="date")
    assert [r["id"] for r in result["results"]] == ["one-new", "one-old"]
    assert (result["total"], result["total_all_words"], result["partial"]) == (2, 0, True)


def test_partial_matches_mark_what_they_matched(tmp_path):
    engine = _engine_over(tmp_path, FEW_ALL_WORDS)
    (partial,) = [r for r in engine.search("Belousow Pjöngjang")["results"] if r["id"] == "one-new"]
    assert partial["snippets"][0]["html"] == "<mark>Pjöngjang</mark> meldete Regen."


def test_parts_of_a_hyphenated_word_count_in_partial_matches(tmp_path):
    docs = [
        {"id": "parts", "lang": "de", "body": "Die Rally am Abend war für Trump ein Erfolg."},
        {"id": "other", "lang": "de", "body": "Ein Abend ohne Politik."},
    ]
    engine = _engine_over(tmp_path, docs)
    # no article has the phrase "Trump Rally", nor Kavanaugh
    assert ids(engine.search("Trump-Rally")) == []
    result = engine.search("Trump-Rally Kavanaugh")
    assert [r["id"] for r in result["results"]] == ["parts"] and result["partial"] is True


def test_phrase(engine):
    assert set(ids(engine.search('"Βόρεια Κορέα"'))) == {"000", "001", "003"}
    assert ids(engine.search('"Κορέα Βόρεια"')) == []
    # a stop word inside a phrase
    assert set(ids(engine.search('"Verteidigungsminister Andrej Belousow"'))) == {"002"}
    assert ids(engine.search('"Minister der Verteidigung"')) == []


def test_or_and_exclusion(engine):
    assert set(ids(engine.search("Belouszov OR Belousow"))) == {"000", "002", "004"}
    assert set(ids(engine.search("Πούτιν -Γουονσάν"))) == {"002", "003", "004"}
    assert set(ids(engine.search("Πούτιν -Λαβρόφ"))) == {"002", "004"}  # Putin, Putyin; no Lavrov
    # Korea in 004 (Észak-Korea) and 002 (Nordkorea, decompounded) through the names key;
    # a phrase is excluded as spelt (Kim Dzsongun stays)
    assert set(ids(engine.search('Κορέα -"Κιμ Γιονγκ Ουν"'))) == {"000", "002", "004"}


def test_prefix(engine):
    assert set(ids(engine.search("Belous*"))) == {"002", "004"}  # Belousow, Belouszov
    assert set(ids(engine.search("Belousz*"))) == {"004"}
    # longer than the words' stems (στρατιωτ, katon), and with an umlaut German stems fold
    assert set(ids(engine.search("στρατιώτε*"))) == {"003"}
    assert set(ids(engine.search("katoná*"))) == {"004"}
    assert set(ids(engine.search("Pjöngj*"))) >= {"002"}


@pytest.mark.parametrize(
    "query", ["Minister", "Verteidigung", "Industrie", "Rüstung", "Verteidigungsminister"]
)
def test_german_compounds_are_found_by_their_parts(engine, query):
    (result,) = [r for r in engine.search(query)["results"] if r["lang"] == "de"]
    assert result["id"].startswith("002")
    marked = {s["text"][a:b] for s in result["snippets"] for a, b in s["matches"]}
    assert marked & {"Verteidigungsminister", "Rüstungsindustrie", "Minister", "Verteidigungsministerium"}


def test_stop_words_do_not_lose_other_languages(engine):
    # "die" is not indexed in German text; requiring it would lose the article
    assert ids(engine.search("die Soldaten", langs=["de"])) == ["002"]
    # and the Greek articles about στρατιώτες follow through the translation
    assert ids(engine.search("die Soldaten"))[0] == "002"


def test_proximity_ranks_close_words_first(tmp_path):
    from index.writer import build

    near = {"id": "near", "lang": "de", "body": "Der Verteidigungsminister besuchte Pjöngjang am Freitag."}
    far = {
        "id": "far",
        "lang": "de",
        "body": "Pjöngjang meldete Regen. " + "Es gab viele andere Meldungen aus aller Welt. " * 6
        + "Der Verteidigungsminister war verreist.",
    }
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in (far, near)), encoding="utf-8")
    build([path], tmp_path / "index")
    result = SearchEngine(tmp_path / "index").search("Verteidigungsminister Pjöngjang")
    assert [r["id"] for r in result["results"]] == ["near", "far"]


def test_title_weighs_more_than_body(tmp_path):
    from index.writer import build

    docs = [
        {"id": "in-body", "lang": "de", "title": "Nachrichten aus Asien", "body": "Heute traf der Raketenwerfer ein. Mehr Text hier."},
        {"id": "in-title", "lang": "de", "title": "Raketenwerfer geliefert", "body": "Heute traf die Lieferung ein. Mehr Text hier."},
    ]
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in docs), encoding="utf-8")
    build([path], tmp_path / "index")
    assert ids(SearchEngine(tmp_path / "index").search("Raketenwerfer"))[0] == "in-"


@pytest.mark.parametrize(
    "query,expected,suggestion",
    [
        ("Belousiw", {"000", "002", "004"}, "Belousow"),
        ("Pjöngjan", {"000", "001", "002", "003"}, "Pjöngjang"),
        ("Белоусав", {"000", "002", "004"}, "Белоусов"),
        ("στρατιότες", {"000", "001", "003", "002"}, "στρατιώτες"),  # and Soldaten, translated
    ],
)
def test_typos_are_corrected_from_the_index_vocabulary(engine, query, expected, suggestion):
    result = engine.search(query)
    assert set(ids(result)) == expected
    assert result["did_you_mean"] == suggestion


def test_what_is_left_of_a_garbled_word_is_not_corrected(engine):
    # the word analyzer leaves "ko" of it: too short to correct (it became "Kim")
    result = engine.search("\\kO*\x19\U0006a8c1DR'f:\x1bÎ\x18\xadùCM6rð8P")
    assert result["did_you_mean"] is None and result["total"] == 0


def test_correct_words_are_not_corrected(engine):
    assert engine.search("Belousov")["did_you_mean"] is None


def test_filters(engine):
    assert set(ids(engine.search("Κορέα", langs=["el"]))) == {"000", "001", "003"}
    assert ids(engine.search("Белоусов lang:ru")) == ["000"]
    assert ids(engine.search("Белоусов", langs=["de"])) == []
    assert set(ids(engine.search("source:skai.gr Πούτιν"))) == {"003"}
    assert set(ids(engine.search("Πούτιν", sources=["SKAI.GR"]))) == {"003"}
    assert set(ids(engine.search("Korea date:2024-11"))) == {"000", "002", "004"}  # Κορέα, Nordkorea, Észak-Korea
    assert set(ids(engine.search("lang:el", date_from=dt.date(2025, 1, 1)))) == {"003"}
    assert set(ids(engine.search("lang:el", date_to=dt.date(2024, 12, 31)))) == {"000"}
    assert set(ids(engine.search("date:2024-11-29..2024-11-30"))) == {"000", "002", "004"}


def test_sort_by_date_puts_undated_last(engine):
    result = engine.search("lang:el", sort="date")
    assert [r["date"] for r in result["results"]] == ["2025-04-28", "2024-11-29", None]


def test_facets_count_the_whole_result_set(engine):
    result = engine.search("Κορέα OR Korea OR Nordkorea OR Pjöngjang", per_page=1)
    assert result["total"] == 5 and len(result["results"]) == 1
    facets = result["facets"]
    assert facets["lang"] == [
        {"value": "el", "count": 3},
        {"value": "de", "count": 1},
        {"value": "hu", "count": 1},
        {"value": "ru", "count": 1},
    ]
    assert {"value": "skai.gr", "count": 2} in facets["source"]
    assert facets["month"] == [
        {"value": "2025-04", "count": 1},
        {"value": "2024-11", "count": 3},
    ]


def test_pagination(engine):
    everything = engine.search("lang:el OR lang:de OR lang:hu")
    assert everything["total"] == 5
    pages = [engine.search("lang:el OR lang:de OR lang:hu", page=p, per_page=2) for p in (1, 2, 3, 4)]
    assert [len(p["results"]) for p in pages] == [2, 2, 1, 0]
    assert [r["id"] for p in pages for r in p["results"]] == [r["id"] for r in everything["results"]]


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"q_text": "*orea"}, "q"),
        ({"q_text": "K*"}, "q"),
        ({"q_text": ""}, "q"),
        ({"q_text": "date:2024-13"}, "q"),
        ({"q_text": "lang:deutsch"}, "q"),
        ({"q_text": " ".join(f"w{i}" for i in range(40))}, "q"),
        ({"q_text": "x", "per_page": 0}, "per_page"),
        ({"q_text": "x", "per_page": 101}, "per_page"),
        ({"q_text": "x", "page": 0}, "page"),
        ({"q_text": "x", "page": 11, "per_page": 100}, "page"),
        ({"q_text": "x", "sort": "random"}, "sort"),
        ({"q_text": "x", "date_from": dt.date(2025, 1, 1), "date_to": dt.date(2024, 1, 1)}, "date_from"),
    ],
)
def test_bad_queries_say_what_to_fix(engine, kwargs, field):
    with pytest.raises(QueryError) as caught:
        engine.search(**kwargs)
    assert caught.value.field == field
    assert len(caught.value.message) > 15


def test_hostile_but_valid_queries_are_answered(engine):
    for text in ["((((((((((Korea))))))))))", "\x00\x1f Korea", "Korea" * 200, "🙂 ✓ Korea", "a OR OR OR b"]:
        engine.search(text)


# -- highlighting ----------------------------------------------------------------


def test_snippets_mark_every_inflected_form(engine):
    result = engine.search("στρατιώτες")
    marked = {s["text"][a:b] for r in result["results"] for s in r["snippets"] for a, b in s["matches"]}
    assert {"στρατιώτες", "στρατιωτών"} <= marked


def test_snippets_are_short_cut_at_words_and_consistent(engine):
    for result in engine.search("Κορέα Ρωσία")["results"]:
        assert 1 <= len(result["snippets"]) <= 3
        for snippet in result["snippets"]:
            text = snippet["text"]
            assert len(text) <= 202
            if text.startswith("…"):
                assert text[1] != " " and not text[1:2].isspace()
            for start, end in snippet["matches"]:
                assert f"<mark>{text[start:end]}</mark>" in snippet["html"]
            assert snippet["html"].replace("<mark>", "").replace("</mark>", "") == text


def test_russian_paragraph_is_highlighted_as_russian(engine):
    (result,) = engine.search("Белоусова lang:ru")["results"]
    assert result["snippets"][0]["html"].startswith("Глава Минобороны России Андрей <mark>Белоусов</mark>")


def test_title_is_highlighted(engine):
    (result,) = engine.search("háborúját")["results"]
    assert result["title_html"].endswith("Ukrajna elleni <mark>háborúját</mark>")


def test_result_fields(engine):
    result = engine.search("Belousow")["results"][0]
    assert result["id"] == seed("002").stem
    assert (result["lang"], result["languages"], result["date"], result["source"]) == ("de", ["de"], "2024-11-29T15:42", "Dan Tri")
    assert result["url"].startswith("https://dantri.com.vn/")
    assert result["score"] > 0


HOSTILE = {
    "id": "hostile",
    "lang": "de",
    "title": 'Raketen <script>alert("t")</script> & "Co"',
    "source": '<img src=x onerror=alert("s")>',
    "url": "javascript:alert(1)",
    "body": (
        'Raketen <img src=x onerror=alert("b")> und <script>alert("b")</script> bei Tom &amp; Jerry '
        '"><svg onload=alert(1)> Raketen.'
    ),
}


def test_hostile_text_is_escaped_in_every_html_field(tmp_path):
    from index.writer import build

    path = tmp_path / "hostile.jsonl"
    path.write_text(json.dumps(HOSTILE), encoding="utf-8")
    build([path], tmp_path / "index")
    (result,) = SearchEngine(tmp_path / "index").search("Raketen")["results"]
    html_fields = [result["title_html"]] + [s["html"] for s in result["snippets"]]
    for html in html_fields:
        assert "<script" not in html and "<img" not in html and "<svg" not in html
        assert html.replace("<mark>", "").replace("</mark>", "").count("<") == 0
    assert "&lt;script&gt;" in result["title_html"] and "&amp; &quot;Co&quot;" in result["title_html"]
    snippet = result["snippets"][0]
    assert "&lt;img src=x onerror=alert(&quot;b&quot;)&gt;" in snippet["html"]
    assert "Tom &amp;amp; Jerry" in snippet["html"]  # the text said &amp; literally
    assert "<img src=x onerror" in snippet["text"]  # plain text stays plain, for textContent


# -- documents, similar, suggest, stats ------------------------------------------


def test_document(engine):
    doc = engine.document(seed("000").stem)
    assert doc["lang"] == "el" and doc["languages"] == ["el", "ru"]
    assert [p["lang"] for p in doc["paragraphs"]].count("ru") == 3
    assert doc["body"] == "\n\n".join(p["text"] for p in doc["paragraphs"])
    assert engine.document("nope") is None


def test_similar_articles(engine):
    similar = engine.similar(seed("003").stem)
    assert [r["id"][:3] for r in similar][:1] == ["001"]
    assert seed("003").stem not in [r["id"] for r in similar]
    assert engine.similar("nope") is None


def test_suggest(engine):
    words = [s["text"] for s in engine.suggest("Belo")]
    assert words == ["Belousov", "Belousow", "Belouszov"]
    assert {"text": "στρατιωτών", "kind": "word"} in engine.suggest("στρατ", limit=20)
    # typed without accents, completed with them
    assert {"text": "στρατιωτών", "kind": "word"} in engine.suggest("στρατιωτ", limit=20)
    titles = [s for s in engine.suggest("Észak-Korea tov") if s["kind"] == "title"]
    assert titles == [{"text": "Észak-Korea továbbra is támogatni fogja Oroszország Ukrajna elleni háborúját", "kind": "title"}]
    assert engine.suggest("B") == []
    # a title with the words before and a word starting with the last one
    assert [s["text"] for s in engine.suggest("Korea tov") if s["kind"] == "title"] == [titles[0]["text"]]
    assert [s for s in engine.suggest("Kim tov") if s["kind"] == "title"] == []
    assert engine.suggest("") == []


def test_stats(engine):
    assert engine.stats()["articles"] == 5


def test_engine_sees_a_rebuild_without_restarting(tmp_path):
    from index.writer import add, build

    index_dir = tmp_path / "index"
    build([seed("004")], index_dir)
    engine = SearchEngine(index_dir)
    first = engine.version
    assert engine.search("Verteidigungsminister")["total"] == 0
    build([seed("002"), seed("004")], index_dir)
    assert engine.refresh() is True
    assert engine.search("Verteidigungsminister")["total"] == 1
    second = engine.version
    add([seed("000")], index_dir)
    engine.refresh()
    assert engine.search("Белоусова")["total"] == 3  # 000, and 002 and 004 through the names key
    assert len({first, second, engine.version}) == 3
    assert engine.refresh() is False


def test_repeated_queries_are_answered_from_the_cache_of_their_index_version(tmp_path):
    from index.writer import add, build

    index_dir = tmp_path / "index"
    build([seed("004")], index_dir)
    engine = SearchEngine(index_dir)
    first = engine.search("Белоусова")
    assert engine.search("Белоусова") == first
    first["results"].clear()  # a caller changing its answer does not change the next one
    assert engine.search("Белоусова")["total"] == len(engine.search("Белоусова")["results"]) == 1
    add([seed("000")], index_dir)
    assert engine.refresh() is True
    assert engine.search("Белоусова")["total"] == 2  # the new version is never answered from the old cache
    build([seed("002")], index_dir)
    engine.refresh()
    assert [r["id"][:3] for r in engine.search("Белоусова")["results"]] == ["002"]


def test_title_match_offsets(engine):
    (result,) = engine.search("háborúját")["results"]
    (start, end), = result["title_matches"]
    assert result["title"][start:end] == "háborúját"
    assert engine.search("Белоусова")["results"][0]["title_matches"] == []


def test_long_queries_are_not_spell_corrected(engine):
    # Questions and headlines name things the index lacks; "correcting" them adds noise.
    result = engine.search("Belousof traf am Freitag ein")
    assert result["did_you_mean"] is None
    assert engine.search("Belousiw Freitag")["did_you_mean"] == "Belousow Freitag"


def test_an_index_built_before_the_names_field_is_still_searched(tmp_path):
    # What an older version built: the same index, less the names field.
    from whoosh import index as whoosh_index

    from index.ingest import prepare
    from index.report import check
    from index.schema import NAMES_FIELD, build_schema, document, missing_fields
    from index.sources import load_paths

    schema = build_schema()
    schema.remove(NAMES_FIELD)
    generation = tmp_path / "index" / "gen-old"
    generation.mkdir(parents=True)
    (tmp_path / "index" / "CURRENT").write_text("gen-old", encoding="utf-8")
    ix = whoosh_index.create_in(str(generation), schema)
    with ix.writer() as writer:
        for raw in load_paths([seed("002"), seed("004")]):
            fields = document(prepare(raw))
            del fields[NAMES_FIELD]
            writer.add_document(**fields)
    assert missing_fields(ix.schema) == [NAMES_FIELD]
    engine = SearchEngine(tmp_path / "index")
    result = engine.search("Belouszov")
    assert ids(result) == ["004"]  # as spelt only: no cross-script key to match
    assert result["results"][0]["snippets"][0]["matches"]
    assert ("warning", f"built by an older version, without the fields {NAMES_FIELD}: rebuild it to use them") in check(
        tmp_path / "index"
    )


def test_an_index_built_before_the_paragraph_positions_is_added_to_and_searched_alike(tmp_path, demo_index):
    # What the version before built: names counted, not positioned, and no paragraph positions.
    from whoosh import index as whoosh_index
    from whoosh.formats import Frequency

    from index.report import check
    from index.schema import NAMES_FIELD, build_schema
    from index.writer import add
    from tests.conftest import DATA

    schema = build_schema()
    schema.remove("paragraph_positions")
    schema[NAMES_FIELD].format = Frequency()
    generation = tmp_path / "index" / "gen-old"
    generation.mkdir(parents=True)
    (tmp_path / "index" / "CURRENT").write_text("gen-old", encoding="utf-8")
    whoosh_index.create_in(str(generation), schema)
    summary = add([DATA], tmp_path / "index")
    assert summary.articles == 5 and not summary.skipped
    old, new = SearchEngine(tmp_path / "index"), SearchEngine(demo_index)
    for query in ("Belouszov", "Μπελούσοφ Κούρσκ", "rakét*", "Nordkorea Russland", "Észak-Korea", "στρατ*"):
        found, expected = old.search(query), new.search(query)
        assert found["results"], query
        assert [(r["id"], r["snippets"], r["title_html"]) for r in found["results"]] == [
            (r["id"], r["snippets"], r["title_html"]) for r in expected["results"]
        ], query
    warning = "built by an older version, without the fields paragraph_positions: rebuild it to use them"
    assert ("warning", warning) in check(tmp_path / "index")


def test_a_word_scores_the_better_of_its_matches_not_their_sum(tmp_path):
    from whoosh import fields, index, query as q

    from search.scoring import BestOf

    schema = fields.Schema(id=fields.ID(stored=True), a=fields.TEXT(), b=fields.TEXT())
    ix = index.create_in(str(tmp_path), schema)
    with ix.writer() as writer:
        writer.add_document(id="a", a="xx xx yy", b="zz")
        writer.add_document(id="b", a="yy", b="ww ww")
        writer.add_document(id="both", a="xx", b="ww")
        writer.add_document(id="none", a="yy", b="zz")
    with ix.searcher() as searcher:
        def scores(query):
            return {hit["id"]: hit.score for hit in searcher.search(query)}

        x, w = q.Term("a", "xx"), q.Term("b", "ww")
        best, alone_x, alone_w = scores(BestOf([x, w])), scores(x), scores(w)
        assert set(best) == {"a", "b", "both"}
        assert best["a"] == alone_x["a"] and best["b"] == alone_w["b"]
        assert best["both"] == max(alone_x["both"], alone_w["both"])
        assert scores(q.Or([x, w]))["both"] == pytest.approx(alone_x["both"] + alone_w["both"])


def test_other_languages_best_matches_come_after_the_first_five(tmp_path):
    from index.writer import build
    from search import mix

    german = [
        {"id": f"de-{i}", "lang": "de", "body": "Belousow traf ein. " + "Ein Bericht aus Berlin. " * (4 * i)}
        for i in range(8)
    ]
    greek = {"id": "el", "lang": "el", "body": "Μπελούσοφ, " * 12}
    # too weak a match to pass the German ones (under MIN_SHARE of the one it would pass)
    weak = {"id": "ru", "lang": "ru", "body": "Белоусов приехал. " + "Это длинный текст о другом. " * 20}
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in [*german, greek, weak]), encoding="utf-8")
    build([path], tmp_path / "index")
    engine = SearchEngine(tmp_path / "index")
    result = engine.search("Belousow")
    order = [r["id"] for r in result["results"]]
    assert order[: mix.KEPT] == [f"de-{i}" for i in range(mix.KEPT)]
    assert order[mix.KEPT] == "el"
    assert order[-1] == "ru"
    scores = [r["score"] for r in result["results"]]
    assert scores[mix.KEPT] < scores[-2]  # moved up, not rescored
    # paging sees the same order; a language filter ranks by score alone
    pages = [r["id"] for page in (1, 2, 3, 4) for r in engine.search("Belousow", per_page=3, page=page)["results"]]
    assert pages == order
    assert [r["id"] for r in engine.search("Belousow lang:de")["results"]] == [f"de-{i}" for i in range(8)]
    assert scores[-1] < mix.MIN_SHARE * scores[mix.KEPT + 1]


def test_warm_up_opens_the_index_and_searches_once(demo_index, tmp_path):
    warm = SearchEngine(demo_index)
    assert warm.warm_up() is True
    assert warm._snapshot is not None
    assert ids(warm.search("Κορέα"))
    assert SearchEngine(tmp_path / "nothing-yet").warm_up() is False


def test_the_answer_cache_copies_answers_in_and_out():
    from search.engine import AnswerCache

    cache = AnswerCache(2)
    answer = {"total": 1, "results": [{"score": 0.1 + 0.2, "title_matches": [[0, 3]], "url": None}], "partial": False}
    cache.put("a", answer)
    answer["results"].clear()  # the caller's copy, changed after it was cached
    got = cache.get("a")
    assert got == {"total": 1, "results": [{"score": 0.1 + 0.2, "title_matches": [[0, 3]], "url": None}], "partial": False}
    got["results"].clear()
    assert cache.get("a")["results"]
    odd = {"when": dt.date(2024, 1, 2)}  # not marshallable: deep-copied instead
    cache.put("b", odd)
    assert cache.get("b") == odd and cache.get("b") is not odd
    cache.put("c", {})
    assert cache.get("a") is None  # the least recently used went first
